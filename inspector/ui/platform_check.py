"""Before Qt is loaded: can the platform plugin Qt is about to use load its libraries?

When a library the platform plugin needs is missing, Qt prints a misleading line (on
Debian/Ubuntu it blames ``libxcb-cursor0`` whichever library is missing) and aborts the
process. So the launcher asks first, in about half a millisecond: which plugins Qt will try
(as ``QGuiApplicationPrivate::createPlatformIntegration`` chooses them), which libraries each
plugin and the Qt libraries it brings along need (the ``DT_NEEDED`` entries of their ELF
files, read here in pure Python: running ``ldd`` or ``ldconfig`` would cost milliseconds),
and whether the dynamic loader would find each one (``RPATH``/``RUNPATH`` with ``$ORIGIN``,
``LD_LIBRARY_PATH``, ``/etc/ld.so.cache``, the default folders). When none of the plugins Qt
would try can load, :func:`startup_problem` returns one line naming every missing library
and the Debian/Ubuntu package that provides it.

Linux only, and only what is known for sure: a plugin that cannot be found (another Qt
layout, ``QT_QPA_PLATFORM`` naming an unknown plugin) or a file that cannot be read is not
reported, and Qt has its say as before. Qt-free and stdlib-only (``os``, ``struct``,
``sys``): it runs before PySide6 is imported, and before the launcher forks.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence

#: Debian/Ubuntu package of each library a PySide6 platform plugin or its Qt libraries need
#: (``dpkg -S`` on Debian 12; Ubuntu uses the same names, ``t64`` variants included by apt).
PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libm.so.6": "libc6",
    "libc.so.6": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
    "libpthread.so.0": "libc6",
    "libdl.so.2": "libc6",
    "librt.so.1": "libc6",
}

#: How each platform is called in the message.
PLATFORM_NAMES = {"xcb": "X11", "wayland": "Wayland"}

#: Qt's default platform on Linux (``QT_QPA_DEFAULT_PLATFORM_NAME`` of PySide6's Qt build).
DEFAULT_PLATFORM = "xcb"

#: Where glibc's dynamic loader looks last (this machine's multiarch folders first).
_TRIPLET = getattr(sys.implementation, "_multiarch", "") or "x86_64-linux-gnu"
DEFAULT_DIRS = (
    f"/lib/{_TRIPLET}",
    f"/usr/lib/{_TRIPLET}",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
)

LD_SO_CACHE = "/etc/ld.so.cache"
_CACHE_MAGIC = b"glibc-ld.so.cache1.1"
_OLD_CACHE_MAGIC = b"ld.so-1.7.0"
#: ``ldconfig``'s flags for a 64-bit library of this machine (FLAG_X8664_LIB64...); a
#: library of another word size or ABI is not one the loader would use.
_CACHE_ARCH_FLAGS = {"x86_64": 0x0300, "aarch64": 0x0A00, "ppc64le": 0x0500, "s390x": 0x0400}
_CACHE_TYPE_ELF_LIBC6 = 0x0003

_PT_LOAD, _PT_DYNAMIC = 1, 2
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_RPATH, _DT_RUNPATH = 0, 1, 5, 15, 29
#: A name in the dynamic string table longer than this is not a library name.
_MAX_NAME = 4096
#: Bytes read at first for each name (library names and run paths are shorter).
_NAME_READ = 128
#: The names of one file are read at once when they lie within this many bytes.
_MAX_BLOCK = 16_384

#: ``find(name, rpath, runpath)``: the path the loader would load library ``name`` from, for
#: an object with those ``RPATH``/``RUNPATH`` folders, or ``None`` when it would not find it.
Lookup = Callable[[str, Sequence[str], Sequence[str]], "str | None"]


class ElfError(ValueError):
    """The file is not an ELF shared object this reader understands."""


def read_dynamic(path: str) -> tuple[list[str], list[str], list[str]]:
    """``(needed, rpath, runpath)`` of the ELF file at ``path``: its ``DT_NEEDED`` names
    and its ``DT_RPATH``/``DT_RUNPATH`` folders (``$ORIGIN`` replaced by the file's folder).
    Only the headers, the dynamic segment and the strings it points to are read."""
    fd = os.open(path, os.O_RDONLY)
    try:
        ident = os.pread(fd, 64, 0)
        if len(ident) < 52 or ident[:4] != b"\x7fELF" or ident[4] not in (1, 2):
            raise ElfError(f"{path}: not an ELF file")
        is64 = ident[4] == 2
        end = "<" if ident[5] == 1 else ">"
        if is64:
            (phoff,) = struct.unpack_from(end + "Q", ident, 0x20)
            phentsize, phnum = struct.unpack_from(end + "HH", ident, 0x36)
            ph_format, dyn_format = end + "IIQQQQQQ", end + "qQ"
        else:
            (phoff,) = struct.unpack_from(end + "I", ident, 0x1C)
            phentsize, phnum = struct.unpack_from(end + "HH", ident, 0x2A)
            ph_format, dyn_format = end + "IIIIIIII", end + "iI"
        if phentsize != struct.calcsize(ph_format):
            raise ElfError(f"{path}: unexpected program header size {phentsize}")
        loads: list[tuple[int, int, int]] = []  # (vaddr, filesz, offset)
        dynamic: tuple[int, int] | None = None  # (offset, size)
        headers = os.pread(fd, phentsize * phnum, phoff)
        if len(headers) != phentsize * phnum:
            raise ElfError(f"{path}: program headers cut short")
        for fields in struct.iter_unpack(ph_format, headers):
            if is64:  # type, flags, offset, vaddr, paddr, filesz, ...
                p_type, offset, vaddr, filesz = fields[0], fields[2], fields[3], fields[5]
            else:  # type, offset, vaddr, paddr, filesz, ...
                p_type, offset, vaddr, filesz = fields[0], fields[1], fields[2], fields[4]
            if p_type == _PT_LOAD:
                loads.append((vaddr, filesz, offset))
            elif p_type == _PT_DYNAMIC:
                dynamic = (offset, filesz)
        if dynamic is None:
            return [], [], []
        raw = os.pread(fd, dynamic[1], dynamic[0])
        entry = struct.calcsize(dyn_format)
        if len(raw) != dynamic[1] or len(raw) < entry:
            raise ElfError(f"{path}: dynamic segment cut short")
        needed: list[int] = []
        rpath: list[int] = []
        runpath: list[int] = []
        strtab = None
        for tag, value in struct.iter_unpack(dyn_format, raw[: len(raw) // entry * entry]):
            if tag == _DT_NULL:
                break
            if tag == _DT_NEEDED:
                needed.append(value)
            elif tag == _DT_STRTAB:
                strtab = value
            elif tag == _DT_RPATH:
                rpath.append(value)
            elif tag == _DT_RUNPATH:
                runpath.append(value)
        if strtab is None:
            raise ElfError(f"{path}: no dynamic string table")
        base = next(
            (off + strtab - va for va, size, off in loads if va <= strtab < va + size), None
        )
        if base is None:
            raise ElfError(f"{path}: dynamic string table outside the file")

        offsets = needed + rpath + runpath
        first = min(offsets, default=0)
        span = max(offsets, default=0) - first + _NAME_READ
        # The names usually sit together in the string table: one read when they do.
        block = os.pread(fd, span, base + first) if span <= _MAX_BLOCK else b""

        def string(offset: int) -> str:
            at = offset - first
            stop = block.find(b"\0", at) if block else -1
            if stop >= 0:
                return block[at:stop].decode("utf-8", "surrogateescape")
            size = _NAME_READ  # not in the block: read a little, more if the name goes on
            while True:
                raw = os.pread(fd, size, base + offset)
                stop = raw.find(b"\0")
                if stop >= 0:
                    return raw[:stop].decode("utf-8", "surrogateescape")
                if len(raw) < size or size >= _MAX_NAME:
                    raise ElfError(f"{path}: unterminated name in the dynamic string table")
                size *= 4

        names = [string(o) for o in needed]
        rpaths = [string(o) for o in rpath]
        runpaths = [string(o) for o in runpath]
    finally:
        os.close(fd)

    origin = os.path.dirname(os.path.abspath(path))

    def expand(item: str) -> str:
        return os.path.normpath(item.replace("${ORIGIN}", origin).replace("$ORIGIN", origin))

    def folders(values: list[str]) -> list[str]:
        dirs = []
        for value in values:
            for item in value.split(":"):
                if item and "$" not in (item := expand(item)):
                    dirs.append(item)
        return dirs

    return names, folders(rpaths), folders(runpaths)


class LibraryLookup:
    """Finds a library where glibc's loader would: ``RPATH`` (when there is no ``RUNPATH``),
    ``LD_LIBRARY_PATH``, ``RUNPATH``, then the default folders and ``/etc/ld.so.cache``.

    The last two are asked in the other order than the loader's: whether a library exists,
    not which copy is loaded, is the question there, and a ``stat`` in the default folders
    answers it for nearly every library without reading the cache, which is read only for
    a library not found there (one installed in a folder ``/etc/ld.so.conf`` adds)."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        cache_file: str = LD_SO_CACHE,
        default_dirs: Sequence[str] = DEFAULT_DIRS,
    ) -> None:
        env = os.environ if environ is None else environ
        self._env_dirs = [d for d in env.get("LD_LIBRARY_PATH", "").split(":") if d]
        self._cache_file = cache_file
        self._default_dirs = default_dirs
        self._listings: dict[str, frozenset[str]] = {}
        self._cache: dict[str, str] | None = None

    def __call__(self, name: str, rpath: Sequence[str], runpath: Sequence[str]) -> str | None:
        for folder in (*([] if runpath else rpath), *self._env_dirs, *runpath):
            if name in self._listing(folder):
                return os.path.join(folder, name)
        for folder in self._default_dirs:
            candidate = f"{folder}/{name}"
            if os.path.exists(candidate):
                return candidate
        return self._from_cache(name)

    def _listing(self, folder: str) -> frozenset[str]:
        """The names in ``folder`` (one ``listdir`` instead of a ``stat`` per library)."""
        names = self._listings.get(folder)
        if names is None:
            try:
                names = frozenset(os.listdir(folder))
            except OSError:
                names = frozenset()
            self._listings[folder] = names
        return names

    def _from_cache(self, name: str) -> str | None:
        if self._cache is None:
            self._cache = read_cache(self._cache_file)
        return self._cache.get(name)


def read_cache(path: str) -> dict[str, str]:
    """``{library name: path}`` from glibc's ``ld.so.cache`` (the ``glibc-ld.so.cache1.1``
    format, after an old-format part if there is one), for this machine's architecture;
    empty when there is no cache or it is in a format this does not read."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return {}
    start = 0
    if data.startswith(_OLD_CACHE_MAGIC):
        (count,) = struct.unpack_from("=I", data, len(_OLD_CACHE_MAGIC) + 1)
        start = (len(_OLD_CACHE_MAGIC) + 1 + 4 + count * 12 + 7) & ~7
    if data[start : start + len(_CACHE_MAGIC)] != _CACHE_MAGIC:
        return {}
    (count,) = struct.unpack_from("=I", data, start + 20)
    table = start + 48
    if len(data) < table + count * 24:
        return {}
    wanted = _CACHE_ARCH_FLAGS.get(os.uname().machine)
    # String offsets count from the new-format header; names may share their bytes with
    # the end of a path (ldconfig merges common suffixes), so each is read up to its NUL.

    def string(offset: int) -> str:
        at = start + offset
        return data[at : data.index(b"\0", at)].decode("utf-8", "surrogateescape")

    found: dict[str, str] = {}
    # Each entry: int32 flags, uint32 key, uint32 value, uint32 osversion, uint64 hwcap.
    for flags, key, value, _os, _hwcap in struct.iter_unpack(
        "=iIIIQ", data[table : table + count * 24]
    ):
        if (flags & 0xFF) != _CACHE_TYPE_ELF_LIBC6:
            continue
        if wanted is not None and (flags & 0xFF00) != wanted:
            continue
        name = string(key)
        if name not in found:  # the first is the one the loader takes
            found[name] = string(value)
    return found


def platforms_to_try(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt 6 tries, in order (the first that loads is used):
    ``QT_QPA_PLATFORM`` when set; otherwise Wayland when ``WAYLAND_DISPLAY`` is set or
    ``XDG_SESSION_TYPE`` is ``wayland``, X11 when ``DISPLAY`` is set, then Qt's default."""
    explicit = environ.get("QT_QPA_PLATFORM", "")
    if explicit:
        names = explicit.split(";")
    else:
        names = []
        if environ.get("WAYLAND_DISPLAY") is not None or (
            environ.get("XDG_SESSION_TYPE") == "wayland"
        ):
            names.append("wayland")
        if environ.get("DISPLAY") is not None:
            names.append("xcb")
        names.append(DEFAULT_PLATFORM)
    plugins: list[str] = []
    for name in names:
        plugin = name.split(":", 1)[0].strip()  # "xcb:option=value"
        if plugin and plugin not in plugins:
            plugins.append(plugin)
    return plugins


def plugin_folders(environ: Mapping[str, str], search_path: Iterable[str]) -> list[str]:
    """Where Qt looks for platform plugins: ``QT_QPA_PLATFORM_PLUGIN_PATH``, then PySide6's
    own (found on ``search_path`` without importing PySide6)."""
    folders = [d for d in environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(":") if d]
    for entry in search_path:
        candidate = os.path.join(entry or ".", "PySide6", "Qt", "plugins", "platforms")
        if os.path.isdir(candidate):
            folders.append(candidate)
            break
    return folders


def missing_libraries(plugin: str, find: Lookup) -> list[str]:
    """Every library the plugin at ``plugin`` needs that ``find`` does not find, following
    the libraries found beside Qt's own (the Qt libraries PySide6 ships, which bring the
    system libraries in); a system library's own needs are its package's business."""
    missing: list[str] = []
    seen: set[str] = set()
    qt_lib = os.path.normpath(os.path.join(os.path.dirname(plugin), os.pardir, os.pardir, "lib"))
    todo = [plugin]
    while todo:
        needed, rpath, runpath = read_dynamic(todo.pop())
        for name in needed:
            if name in seen:
                continue
            seen.add(name)
            found = find(name, rpath, runpath)
            if found is None:
                missing.append(name)
            elif os.path.dirname(os.path.normpath(found)) == qt_lib:
                todo.append(found)
    return missing


def startup_problem(
    environ: Mapping[str, str] | None = None,
    *,
    find: Lookup | None = None,
    search_path: Iterable[str] | None = None,
    platform: str = sys.platform,
) -> str | None:
    """``None`` when Qt can load one of the platform plugins it will try (or when that
    cannot be known); otherwise the one line to print instead of Qt's abort, naming every
    missing library and the packages that provide them."""
    if not platform.startswith("linux"):
        return None
    env = os.environ if environ is None else environ
    lookup = LibraryLookup(env) if find is None else find
    folders = plugin_folders(env, sys.path if search_path is None else search_path)
    failures: list[tuple[str, list[str]]] = []
    for name in platforms_to_try(env):
        # Qt tries the plugin in QT_QPA_PLATFORM_PLUGIN_PATH first, then its own.
        copies = [p for p in (os.path.join(d, f"libq{name}.so") for d in folders)]
        copies = [p for p in copies if os.path.isfile(p)]
        if not copies:
            return None  # not a plugin this can look at: let Qt try it
        for plugin in copies:
            try:
                missing = missing_libraries(plugin, lookup)
            except (OSError, ElfError, struct.error):
                return None
            if not missing:
                return None
        failures.append((name, missing))  # reported for the last copy, PySide6's own
    if not failures:
        return None
    return describe(failures)


def describe(failures: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The message for platforms that cannot load, each with its missing libraries."""
    names = [PLATFORM_NAMES.get(p, f"the {p} platform") for p, _ in failures]
    if len(failures) == 1:
        libs = list(failures[0][1])
        what = ", ".join(libs) + (" is missing" if len(libs) == 1 else " are missing")
    else:
        what = "; ".join(
            f"{n} needs {', '.join(libs)}" for n, (_, libs) in zip(names, failures, strict=True)
        )
        libs = [lib for _, missing in failures for lib in missing]
    packages = list(dict.fromkeys(PACKAGES.get(lib, "") for lib in libs))
    unknown = [lib for lib in libs if lib not in PACKAGES]
    install = f"install: sudo apt-get install {' '.join(p for p in packages if p)}"
    if unknown:
        provider = "the packages that provide " + ", ".join(unknown)
        install = f"{install} and {provider}" if any(packages) else f"install {provider}"
    return f"jwt-inspector: cannot start on {' or '.join(names)}: {what} ({install})"


# ------------------------------------------------------------------ the display itself

#: Where a local X server listens (the file, and the same name in Linux's abstract namespace).
X11_SOCKET = "/tmp/.X11-unix/X{}"

Connect = Callable[[str], bool]


def _can_connect(address: str) -> bool:
    """Whether a Unix socket at ``address`` accepts a connection (a leading NUL: abstract).

    The C module, not :mod:`socket`: that one imports ``selectors`` and ``enum`` (~3 ms)."""
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(0.5)
        sock.connect(address)
    except OSError:
        return False
    finally:
        sock.close()
    return True


def _local_display_number(display: str) -> str | None:
    """``"0"`` for ``:0``, ``:0.1`` or ``unix:0``; ``None`` for a display on another host
    (``host:10``, ssh -X's ``localhost:10.0``) or a form this does not know."""
    host, sep, rest = display.rpartition(":")
    if not sep or host not in ("", "unix"):
        return None
    number = rest.split(".", 1)[0]
    return number if number.isdigit() else None


def display_problem(
    environ: Mapping[str, str] | None = None,
    *,
    connect: Connect | None = None,
    platform: str = sys.platform,
) -> str | None:
    """``None`` when Qt has a display to open (or when that cannot be known); otherwise one
    line saying why not. Qt's own words for both cases below are "could not connect to
    display", then the ``libxcb-cursor0`` hint of a missing library, then an abort.

    Only X11 without Wayland is judged: ``DISPLAY`` unset (an ssh session without ``-X``, a
    service), or a local ``:N`` display that nothing listens on (an X server that has gone).
    A remote display, Wayland, or an explicit platform other than ``xcb`` is left to Qt."""
    if not platform.startswith("linux"):
        return None
    env = os.environ if environ is None else environ
    if platforms_to_try(env) != [DEFAULT_PLATFORM]:
        return None  # Wayland may serve, or another platform was asked for
    display = env.get("DISPLAY", "")
    if not display:
        return (
            "jwt-inspector: no display to open the window on: DISPLAY is not set (start it "
            "from a desktop session, or over ssh with -X)"
        )
    number = _local_display_number(display)
    if number is None:
        return None
    path = X11_SOCKET.format(number)
    reach = _can_connect if connect is None else connect
    if reach("\0" + path) or reach(path):
        return None
    return (
        f"jwt-inspector: cannot reach the X server of DISPLAY={display}: nothing listens on "
        f"{path} (is the X server still running?)"
    )
