"""The launcher's check that Qt's platform plugin can load its libraries (before Qt loads).

Unit tests inject the library lookup; the real tests compare the real check on this
machine with ``ldd``/``readelf``/``ldconfig``, which answer the same questions the slow way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from inspector.ui import platform_check as pc

PLUGINS = pc.plugin_folders({}, sys.path)
pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not PLUGINS,
    reason="the check reads PySide6's Linux platform plugins",
)


def _plugin(name: str) -> str:
    return os.path.join(PLUGINS[0], f"libq{name}.so")


def lookup_missing(*missing: str) -> pc.Lookup:
    """A lookup that finds every library but ``missing``: Qt's own in its run path (so the
    check follows them as with the real lookup), the others in a made-up system folder."""

    def find(name: str, rpath, runpath) -> str | None:
        if name in missing:
            return None
        for folder in (*rpath, *runpath):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        return f"/usr/lib/made-up/{name}"

    return find


X11 = {"DISPLAY": ":0"}


def test_one_missing_library_gives_the_exact_line() -> None:
    problem = pc.startup_problem(X11, find=lookup_missing("libxcb-cursor.so.0"))
    assert problem == (
        "jwt-inspector: cannot start on X11: libxcb-cursor.so.0 is missing "
        "(install: sudo apt-get install libxcb-cursor0)"
    )


def test_every_missing_library_is_named_with_its_package() -> None:
    problem = pc.startup_problem(
        X11, find=lookup_missing("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    )
    assert problem == (
        "jwt-inspector: cannot start on X11: libxcb-icccm.so.4, libxcb-keysyms.so.1 are "
        "missing (install: sudo apt-get install libxcb-icccm4 libxcb-keysyms1)"
    )


def test_all_present_means_no_problem() -> None:
    for env in (X11, {}, {"QT_QPA_PLATFORM": "offscreen"}, {"WAYLAND_DISPLAY": "wayland-0"}):
        assert pc.startup_problem(env, find=lookup_missing()) is None, env


def test_libraries_of_qts_own_libraries_are_checked_too() -> None:
    """libdbus is needed by libQt6DBus, which libQt6Gui needs, which the plugin needs."""
    problem = pc.startup_problem(X11, find=lookup_missing("libdbus-1.so.3"))
    assert problem is not None
    assert "libdbus-1.so.3 is missing" in problem
    assert problem.endswith("(install: sudo apt-get install libdbus-1-3)")


def test_the_offscreen_platform_is_checked_for_the_headless_libraries() -> None:
    problem = pc.startup_problem(
        {"QT_QPA_PLATFORM": "offscreen"}, find=lookup_missing("libEGL.so.1")
    )
    assert problem == (
        "jwt-inspector: cannot start on the offscreen platform: libEGL.so.1 is missing "
        "(install: sudo apt-get install libegl1)"
    )


def test_wayland_falling_back_to_x11_is_not_a_problem() -> None:
    """Qt tries Wayland, then X11: one of them loading is enough."""
    env = {"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}
    assert pc.startup_problem(env, find=lookup_missing("libwayland-cursor.so.0")) is None
    assert pc.startup_problem(env, find=lookup_missing("libxcb-icccm.so.4")) is None
    both = pc.startup_problem(
        env, find=lookup_missing("libwayland-cursor.so.0", "libxcb-icccm.so.4")
    )
    assert both == (
        "jwt-inspector: cannot start on Wayland or X11: Wayland needs libwayland-cursor.so.0; "
        "X11 needs libxcb-icccm.so.4 (install: sudo apt-get install libwayland-cursor0 "
        "libxcb-icccm4)"
    )


def test_a_library_without_a_known_package_is_still_named() -> None:
    assert pc.describe([("xcb", ["libmadeup.so.7"])]) == (
        "jwt-inspector: cannot start on X11: libmadeup.so.7 is missing "
        "(install the packages that provide libmadeup.so.7)"
    )
    assert pc.describe([("xcb", ["libxcb-cursor.so.0", "libmadeup.so.7"])]).endswith(
        "(install: sudo apt-get install libxcb-cursor0 and the packages that provide "
        "libmadeup.so.7)"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["xcb"]),
        ({"DISPLAY": ":0"}, ["xcb"]),
        ({"XDG_SESSION_TYPE": "wayland"}, ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, ["wayland", "xcb"]),
        ({"WAYLAND_DISPLAY": "", "XDG_SESSION_TYPE": "x11"}, ["wayland", "xcb"]),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, ["offscreen"]),
        ({"QT_QPA_PLATFORM": "xcb:dpi=96;wayland"}, ["xcb", "wayland"]),
    ],
)
def test_platforms_are_tried_in_qts_order(env, expected) -> None:
    assert pc.platforms_to_try(env) == expected


def test_what_cannot_be_known_is_left_to_qt(tmp_path: Path) -> None:
    find = lookup_missing("libxcb-cursor.so.0")
    assert pc.startup_problem(X11, find=find, platform="darwin") is None
    assert pc.startup_problem(X11, find=find, search_path=[str(tmp_path)]) is None
    assert pc.startup_problem({"QT_QPA_PLATFORM": "nosuchplatform"}, find=find) is None
    # A plugin file that is not ELF, or is cut short: no crash, no verdict.
    folder = tmp_path / "platforms"
    folder.mkdir()
    for content in (b"", b"not an ELF file at all", Path(_plugin("xcb")).read_bytes()[:300]):
        (folder / "libqxcb.so").write_bytes(content)
        env = {**X11, "QT_QPA_PLATFORM_PLUGIN_PATH": str(folder)}
        assert pc.startup_problem(env, find=find) is None


def test_hostile_elf_headers_raise_the_readers_own_error(tmp_path: Path) -> None:
    real = Path(_plugin("xcb")).read_bytes()
    bad = tmp_path / "bad.so"
    for content in (b"\x7fELF", b"\x7fELF\x03" + b"\0" * 60, real[:64], real[:2000]):
        bad.write_bytes(content)
        with pytest.raises(pc.ElfError):
            pc.read_dynamic(str(bad))


@pytest.mark.skipif(shutil.which("readelf") is None, reason="readelf (binutils) not installed")
@pytest.mark.parametrize("name", ["xcb", "wayland", "offscreen"])
def test_the_elf_reader_reads_what_readelf_reads(name: str) -> None:
    plugin = _plugin(name)
    qt_lib = os.path.normpath(os.path.join(PLUGINS[0], os.pardir, os.pardir, "lib"))
    for path in [plugin, *(str(p) for p in sorted(Path(qt_lib).glob("libQt6*Gui.so.6")))]:
        out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
        expected = [
            line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line
        ]
        needed, rpath, runpath = pc.read_dynamic(path)
        assert needed == expected, path
        assert expected
        # PySide6's Qt finds its own libraries through $ORIGIN, resolved here.
        assert all("$" not in d and os.path.isabs(d) for d in (*rpath, *runpath))


def test_the_lookup_follows_the_loaders_order(tmp_path: Path) -> None:
    a, b, c, d = (tmp_path / n for n in "abcd")
    for folder in (a, b, c, d):
        folder.mkdir()
        (folder / "libx.so.1").write_bytes(b"")
    empty_cache = str(tmp_path / "no-cache")
    find = pc.LibraryLookup(
        {"LD_LIBRARY_PATH": f"{b}"}, cache_file=empty_cache, default_dirs=[str(d)]
    )
    assert find("libx.so.1", [str(a)], []) == str(a / "libx.so.1")  # RPATH first
    assert find("libx.so.1", [str(a)], [str(c)]) == str(b / "libx.so.1")  # RUNPATH: env first
    assert pc.LibraryLookup({}, cache_file=empty_cache, default_dirs=[str(d)])(
        "libx.so.1", [], [str(c)]
    ) == str(c / "libx.so.1")
    assert pc.LibraryLookup({}, cache_file=empty_cache, default_dirs=[str(d)])(
        "libx.so.1", [], []
    ) == str(d / "libx.so.1")
    assert (
        pc.LibraryLookup({}, cache_file=empty_cache, default_dirs=[str(d)])("liby.so.1", [], [])
        is None
    )


@pytest.mark.skipif(
    not os.path.exists(pc.LD_SO_CACHE)
    or (shutil.which("ldconfig") is None and not os.path.exists("/sbin/ldconfig")),
    reason="no glibc ld.so.cache / ldconfig here",
)
def test_the_cache_reader_finds_what_ldconfig_lists() -> None:
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True).stdout
    arch = {"x86_64": "x86-64", "aarch64": "AArch64"}.get(os.uname().machine)
    if arch is None:
        pytest.skip(f"no ldconfig arch label known for {os.uname().machine}")
    listed = {}
    for line in out.splitlines()[1:]:
        name, _, rest = line.strip().partition(" (")
        if f",{arch}" in rest.split(")")[0] or (arch == "x86-64" and "x86-64" in rest):
            listed.setdefault(name, rest.rsplit(" => ", 1)[1])
    assert listed, out[:500]
    find = pc.LibraryLookup({}, default_dirs=[])  # the cache alone
    for name, path in listed.items():
        assert find(name, [], []) == path, name
    assert find("libsurely-not-installed-anywhere.so.9", [], []) is None


@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd not installed")
@pytest.mark.parametrize(("name", "env"), [("xcb", {"DISPLAY": ":0"}), ("wayland", None)])
def test_the_real_check_reports_what_ldd_says_is_missing(name: str, env) -> None:
    """On this machine, with the real lookup: the libraries ``ldd`` cannot find for the
    plugin are exactly the ones the check reports (or none, and then no problem)."""
    env = env or {"QT_QPA_PLATFORM": "wayland"}
    out = subprocess.run(["ldd", _plugin(name)], capture_output=True, text=True).stdout
    not_found = sorted({line.split()[0] for line in out.splitlines() if "not found" in line})
    lookup = pc.LibraryLookup({})
    assert sorted(pc.missing_libraries(_plugin(name), lookup)) == not_found
    problem = pc.startup_problem(env)
    if not_found:
        assert problem is not None
        for lib in not_found:
            assert lib in problem
            assert pc.PACKAGES[lib] in problem
    else:
        assert problem is None


def _launcher() -> list[str]:
    script = os.path.join(sysconfig.get_path("scripts"), "jwt-inspector")
    return (
        [sys.executable, script] if os.path.exists(script) else [sys.executable, "-m", "inspector"]
    )


@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd not installed")
def test_the_real_launcher_exits_1_with_the_line_instead_of_qts_abort() -> None:
    out = subprocess.run(["ldd", _plugin("xcb")], capture_output=True, text=True).stdout
    if "not found" not in out:
        pytest.skip("every library of the X11 plugin is installed: nothing to report")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "XDG_S"))}
    env["DISPLAY"] = ":0"
    r = subprocess.run(_launcher(), capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 1, r.stderr
    assert r.stderr == pc.startup_problem(env) + "\n"
    assert r.stderr.startswith("jwt-inspector: cannot start on X11: ")


# The launcher, with the lookup replaced before main() runs (the check's only seam).
WIRED = r"""
import sys
from inspector.ui import app, platform_check as pc
missing = set(sys.argv[1:])
def find(name, rpath, runpath):
    import os
    if name in missing:
        return None
    for folder in (*rpath, *runpath):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return "/usr/lib/made-up/" + name
pc.LibraryLookup = lambda environ: find
rc = app.main(["--smoke-exit"])
sys.stdout.write(f"RC {rc} QT {any(m.startswith('PySide6') for m in sys.modules)}\n")
"""


def test_the_launcher_stops_before_qt_when_a_library_is_missing() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND", "XDG_S"))}
    env["DISPLAY"] = ":0"
    r = subprocess.run(
        [sys.executable, "-c", WIRED, "libxcb-cursor.so.0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.stdout == "RC 1 QT False\n", r.stderr
    assert r.stderr == (
        "jwt-inspector: cannot start on X11: libxcb-cursor.so.0 is missing "
        "(install: sudo apt-get install libxcb-cursor0)\n"
    )


def test_the_launcher_proceeds_when_everything_is_there() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", WIRED], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.stdout.endswith("RC 0 QT True\n"), r.stdout + r.stderr
    assert "first-inspection-shown" in r.stderr
    assert "platform-checked=" in r.stderr


#: On every Debian/Ubuntu system (apt and dpkg themselves need them), so the README need not
#: list them.
ALWAYS_INSTALLED = {"libc6", "libstdc++6", "libgcc-s1", "zlib1g", "libzstd1"}


def _readme_packages(marker: str) -> set[str]:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    lines = [
        line
        for line in readme.splitlines()
        if line.startswith("sudo apt-get install") and marker in line
    ]
    assert len(lines) == 1, (marker, lines)
    return set(lines[0].split()[4:])


@pytest.mark.parametrize(
    ("name", "marker"),
    [("xcb", "libxcb-cursor0"), ("wayland", "libwayland-client0"), ("offscreen", None)],
)
def test_the_readme_lists_every_package_the_plugin_links(name: str, marker: str) -> None:
    """Every library the plugin and Qt's libraries it brings need, mapped to its package,
    is on the README's line for that platform or the headless one."""
    listed = _readme_packages("libfontconfig1") | ALWAYS_INSTALLED
    if marker is not None:
        listed |= _readme_packages(marker)
    everything = lookup_missing()  # finds all, so the check walks the whole tree
    walked: list[str] = []

    def recording(lib, rpath, runpath):
        found = everything(lib, rpath, runpath)
        if found is not None and found.startswith("/usr/lib/made-up/"):
            walked.append(lib)
        return found

    assert pc.missing_libraries(_plugin(name), recording) == []
    assert walked
    unknown = [lib for lib in walked if lib not in pc.PACKAGES]
    assert unknown == [], "libraries without a known package"
    assert sorted({pc.PACKAGES[lib] for lib in walked} - listed) == []


def test_the_real_lookup_misses_exactly_the_library_taken_away(tmp_path: Path) -> None:
    """Whatever this machine has installed: the real lookup over a library folder holding
    every library the loader finds here but one reports that one, through the real plugin."""
    real = pc.LibraryLookup({})
    walked: dict[str, str] = {}

    def record(name, rpath, runpath):
        found = real(name, rpath, runpath)
        if found is not None:
            walked[name] = found
        return found

    if pc.missing_libraries(_plugin("xcb"), record):
        pytest.skip("this machine lacks X11 libraries: the ldd test above covers that case")
    folder = tmp_path / "lib"
    folder.mkdir()
    qt_lib = os.path.normpath(os.path.join(PLUGINS[0], os.pardir, os.pardir, "lib"))
    system = {n: p for n, p in walked.items() if os.path.dirname(os.path.normpath(p)) != qt_lib}
    for name, path in system.items():
        if name != "libxcb-cursor.so.0":
            (folder / name).symlink_to(path)
    lookup = pc.LibraryLookup({}, cache_file=str(tmp_path / "no-cache"), default_dirs=[str(folder)])
    assert pc.missing_libraries(_plugin("xcb"), lookup) == ["libxcb-cursor.so.0"]
    assert "libxcb-cursor.so.0" in system  # it was there to take away


def _patched_plugin(tmp_path: Path) -> Path:
    """A copy of the real X11 plugin whose ``DT_NEEDED`` names a library that exists nowhere
    (``libxcb-cursoX.so.0``); its run path, ``$ORIGIN/../../lib``, still reaches Qt's."""
    real = Path(_plugin("xcb")).read_bytes()
    assert real.count(b"\0libxcb-cursor.so.0\0") == 1
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (platforms / "libqxcb.so").write_bytes(
        real.replace(b"\0libxcb-cursor.so.0\0", b"\0libxcb-cursoX.so.0\0")
    )
    qt_lib = os.path.normpath(os.path.join(PLUGINS[0], os.pardir, os.pardir, "lib"))
    (tmp_path / "lib").symlink_to(qt_lib)
    return platforms


def test_the_real_lookup_reports_a_plugin_that_cannot_load(tmp_path: Path) -> None:
    """Whatever this machine has installed: the real lookup and ELF reader on a plugin that
    truly cannot load, when it is the only one Qt could try."""
    platforms = _patched_plugin(tmp_path)
    env = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms)}
    assert pc.startup_problem(env, search_path=[]) == (
        "jwt-inspector: cannot start on X11: libxcb-cursoX.so.0 is missing "
        "(install the packages that provide libxcb-cursoX.so.0)"
    )


def test_a_broken_plugin_copy_is_not_a_problem_while_qts_own_loads(tmp_path: Path) -> None:
    """Qt tries QT_QPA_PLATFORM_PLUGIN_PATH's plugin first and falls back to its own (seen
    with Xvfb: such a launch starts on xcb), so the check does too."""
    platforms = _patched_plugin(tmp_path)
    env = {"DISPLAY": ":0", "QT_QPA_PLATFORM_PLUGIN_PATH": str(platforms)}
    if pc.missing_libraries(_plugin("xcb"), pc.LibraryLookup({})):
        pytest.skip("this machine lacks X11 libraries: Qt's own plugin cannot load either")
    assert pc.startup_problem(env) is None
    # With Qt's own plugin failing as well, the problem is reported (for Qt's own copy).
    assert pc.startup_problem(env, find=lookup_missing("libxcb-icccm.so.4")) == (
        "jwt-inspector: cannot start on X11: libxcb-icccm.so.4 is missing "
        "(install: sudo apt-get install libxcb-icccm4)"
    )


# ------------------------------------------------------------------ the display itself


def _reachable(*addresses: str):
    tried: list[str] = []

    def connect(address: str) -> bool:
        tried.append(address)
        return address in addresses

    connect.tried = tried  # type: ignore[attr-defined]
    return connect


def test_no_display_at_all_is_said_plainly() -> None:
    """ssh without -X: Qt says 'could not connect to display', blames libxcb-cursor0, aborts."""
    problem = pc.display_problem({}, connect=_reachable())
    assert problem == (
        "jwt-inspector: no display to open the window on: DISPLAY is not set (start it "
        "from a desktop session, or over ssh with -X)"
    )
    assert pc.display_problem({"DISPLAY": ""}, connect=_reachable()) == problem


@pytest.mark.parametrize("display", [":99", ":99.0", "unix:99", "unix:99.1"])
def test_a_local_display_nothing_listens_on_is_named(display: str) -> None:
    connect = _reachable()
    problem = pc.display_problem({"DISPLAY": display}, connect=connect)
    assert problem == (
        f"jwt-inspector: cannot reach the X server of DISPLAY={display}: nothing listens on "
        "/tmp/.X11-unix/X99 (is the X server still running?)"
    )
    assert connect.tried == ["\0/tmp/.X11-unix/X99", "/tmp/.X11-unix/X99"]


@pytest.mark.parametrize("listening", ["\0/tmp/.X11-unix/X7", "/tmp/.X11-unix/X7"])
def test_a_local_display_that_answers_is_fine(listening: str) -> None:
    assert pc.display_problem({"DISPLAY": ":7"}, connect=_reachable(listening)) is None


@pytest.mark.parametrize(
    "env",
    [
        {"DISPLAY": "localhost:10.0"},  # ssh -X: a TCP display, left to Qt
        {"DISPLAY": "otherhost:0"},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"XDG_SESSION_TYPE": "wayland"},
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"DISPLAY": ":weird"},
    ],
)
def test_what_cannot_be_judged_is_left_to_qt(env) -> None:
    connect = _reachable()
    assert pc.display_problem(env, connect=connect) is None
    assert connect.tried == []
    assert pc.display_problem({}, connect=connect, platform="darwin") is None


def test_the_real_connect_finds_a_real_x_server_and_misses_a_made_up_one(tmp_path) -> None:
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb to start an X server")
    number = next(n for n in range(150, 250) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import time

        for _ in range(100):  # until it listens (a second or so), not a time limit
            if pc.display_problem({"DISPLAY": f":{number}"}) is None:
                break
            time.sleep(0.05)
        assert pc.display_problem({"DISPLAY": f":{number}"}) is None
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert pc.display_problem({"DISPLAY": f":{number}"}) is not None


def test_the_launcher_says_there_is_no_display_instead_of_qts_abort() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("QT_", "WAYLAND", "XDG_S", "DISPLAY"))
    }
    r = subprocess.run(
        [sys.executable, "-m", "inspector", "--smoke-exit"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    if pc.startup_problem(env) is not None:
        pytest.skip("the X11 libraries are missing here: that message comes first")
    assert r.returncode == 1
    assert r.stderr == pc.display_problem({}) + "\n"
