"""``jwt-inspector --install-desktop-entry`` and the desktop entry it installs."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from inspector import resources
from inspector.ui import desktop_entry
from inspector.ui.app import APP_ID

ROOT = Path(__file__).resolve().parent.parent.parent

# main() in a fresh interpreter, reporting whether Qt was loaded on the way.
RUN = r"""
import sys
from inspector.ui.app import main
rc = main(sys.argv[1:])
sys.stdout.write(f"QT {any(m.startswith('PySide6') for m in sys.modules)}\n")
raise SystemExit(rc)
"""


def _clean_env(**extra: str) -> dict[str, str]:
    """No display and no platform: if the window were started, Qt could not open it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_DATA_HOME", "HOME")
    }
    return {**env, **extra}


def _launcher() -> str | None:
    script = os.path.join(sysconfig.get_path("scripts"), "jwt-inspector")
    return script if os.path.exists(script) else None


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_the_shipped_desktop_file_describes_the_app() -> None:
    entry = _entry(resources.path("jwt-inspector.desktop"))
    assert entry["Type"] == "Application"
    assert entry["Name"] == "JWT Inspector"
    assert entry["Exec"] == "jwt-inspector"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].split(";")[:2] == ["Development", "Security"]
    # Docks match windows to the entry by the X11 WM_CLASS instance (the launcher's name)
    # and the Wayland app id (the desktop file name the app sets).
    assert entry["StartupWMClass"] == APP_ID
    # One id everywhere: the file's name, the icon's, the Wayland app id the launcher sets.
    assert desktop_entry.APP_ID == APP_ID
    assert resources.path(f"{APP_ID}.desktop").name == desktop_entry.DESKTOP_FILE


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate not installed (Debian package desktop-file-utils)",
)
def test_the_shipped_desktop_file_validates() -> None:
    _validate(resources.path("jwt-inspector.desktop"))


def _validate(path: Path) -> None:
    """No error and no warning (hints, such as suggesting more categories, are fine)."""
    r = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    complaints = [line for line in r.stdout.splitlines() if ": hint: " not in line]
    assert complaints == [], r.stdout


def test_install_writes_the_entry_and_every_icon_size_and_nothing_else(tmp_path: Path) -> None:
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    launcher = _launcher()
    cmd = [launcher] if launcher else [sys.executable, "-m", "inspector"]
    r = subprocess.run(
        [*cmd, "--install-desktop-entry"],
        capture_output=True,
        text=True,
        env=_clean_env(HOME=str(home), XDG_DATA_HOME=str(data)),
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    written = sorted(p for p in data.rglob("*") if p.is_file())
    expected = sorted(
        [
            data / "applications" / "jwt-inspector.desktop",
            data / "icons" / "hicolor" / "scalable" / "apps" / "jwt-inspector.svg",
        ]
        + [
            data / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "jwt-inspector.png"
            for n in desktop_entry.ICON_SIZES
        ]
    )
    assert written == expected
    assert not any(home.rglob("*")), "nothing may be written to HOME when XDG_DATA_HOME is set"
    # It says what it wrote.
    for path in expected:
        assert f"wrote {path}\n" in r.stdout
    # The icons are the shipped ones, byte for byte.
    svg = data / "icons" / "hicolor" / "scalable" / "apps" / "jwt-inspector.svg"
    assert svg.read_bytes() == resources.read_bytes("icons/jwt-inspector.svg")
    for n in desktop_entry.ICON_SIZES:
        png = data / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "jwt-inspector.png"
        assert png.read_bytes() == resources.read_bytes(f"icons/jwt-inspector-{n}.png")
    # Exec starts this installation, by absolute path; the rest is the shipped entry.
    entry = _entry(data / "applications" / "jwt-inspector.desktop")
    shipped = _entry(resources.path("jwt-inspector.desktop"))
    if launcher:
        assert entry["Exec"] == os.path.abspath(launcher)
    else:
        assert entry["Exec"] == f"{os.path.abspath(sys.executable)} -m inspector"
    assert {k: v for k, v in entry.items() if k != "Exec"} == {
        k: v for k, v in shipped.items() if k != "Exec"
    }
    if shutil.which("desktop-file-validate"):
        _validate(data / "applications" / "jwt-inspector.desktop")


def test_install_never_starts_the_window_and_defaults_to_home(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-c", RUN, "--install-desktop-entry"],
        capture_output=True,
        text=True,
        env=_clean_env(HOME=str(tmp_path)),
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("QT False\n")
    share = tmp_path / ".local" / "share"
    assert (share / "applications" / "jwt-inspector.desktop").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / "jwt-inspector.png").is_file()


def test_a_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": "relative/dir"}
    assert desktop_entry.data_home(env) == tmp_path / ".local" / "share"
    assert desktop_entry.data_home({"HOME": "/h", "XDG_DATA_HOME": "/x"}) == Path("/x")


def test_an_unwritable_place_gives_one_line_and_status_1(tmp_path: Path) -> None:
    # A regular file where a folder must be: fails even for root (chmod would not).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    r = subprocess.run(
        [sys.executable, "-c", RUN, "--install-desktop-entry"],
        capture_output=True,
        text=True,
        env=_clean_env(HOME=str(tmp_path), XDG_DATA_HOME=str(blocker / "share")),
        timeout=60,
    )
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("jwt-inspector: cannot install the desktop entry: ")
    assert str(blocker) in lines[0]
    assert "Traceback" not in r.stderr
    assert r.stdout == "QT False\n"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/opt/venv/bin/jwt-inspector", "/opt/venv/bin/jwt-inspector"),
        ("/home/a b/bin/jwt-inspector", '"/home/a b/bin/jwt-inspector"'),
        # Inside quotes " ` $ \ take a backslash; then every backslash is doubled (string
        # escape); % is doubled (field codes).
        (
            '/x/$HOME/"q"/back\\slash/50%/jwt',
            '"/x/\\\\$HOME/\\\\"q\\\\"/back\\\\\\\\slash/50%%/jwt"',
        ),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(path: str, field: str, tmp_path) -> None:
    assert desktop_entry.exec_quote(path) == field
    if shutil.which("desktop-file-validate"):
        entry = tmp_path / "jwt-inspector.desktop"
        entry.write_text(desktop_entry.desktop_entry_text(field), encoding="utf-8")
        _validate(entry)


def test_help_mentions_the_option() -> None:
    r = subprocess.run(
        [sys.executable, "-c", RUN, "--help"], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0
    assert "--install-desktop-entry" in r.stdout
    assert r.stdout.endswith("QT False\n")
