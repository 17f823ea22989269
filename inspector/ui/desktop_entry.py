"""``jwt-inspector --install-desktop-entry``: put the app in the desktop's application menu.

Copies ``resources/jwt-inspector.desktop`` into ``$XDG_DATA_HOME/applications/`` (default
``~/.local/share``), with ``Exec`` set to the absolute path of the installed launcher, and
the icon into the user's hicolor icon theme (``icons/hicolor/<n>x<n>/apps/`` for each PNG
size, ``scalable/apps/`` for the SVG). It runs only when asked, never starts the window, and
is the only thing the app ever writes: a menu entry and icons, never a token or a key.

Qt-free: nothing here needs a display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from inspector import resources

APP_ID = "jwt-inspector"
DESKTOP_FILE = f"{APP_ID}.desktop"
#: The icon's PNG sizes in ``resources/icons/`` (``docs/make_icons.py`` renders them).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Characters a desktop entry's ``Exec`` takes without quoting (the spec's reserved ones and
#: spaces need quotes).
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-,:@")


def data_home(environ: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME`` when it is an absolute path (the spec ignores a relative one),
    otherwise ``$HOME/.local/share``."""
    xdg = environ.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg)
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share"


def launcher_command(argv0: str, executable: str) -> str:
    """The ``Exec`` command that starts this installation: the ``jwt-inspector`` launcher
    that started this process, else the one beside the interpreter, else ``python -m``."""
    if os.path.basename(argv0) == APP_ID and os.path.isfile(argv0):
        return exec_quote(os.path.abspath(argv0))
    beside = os.path.join(os.path.dirname(executable), APP_ID)
    if os.path.isfile(beside):
        return exec_quote(os.path.abspath(beside))
    return f"{exec_quote(os.path.abspath(executable))} -m inspector"


def exec_quote(argument: str) -> str:
    """One ``Exec`` argument, quoted as the Desktop Entry Specification says (inside double
    quotes, ``"``, `````, ``$`` and ``\\`` take a backslash), then escaped as a string value
    (each backslash doubled); a ``%`` is written ``%%`` (``%`` starts a field code)."""
    if argument and all(c in _PLAIN for c in argument):
        return argument
    quoted = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{quoted}"'.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry_text(exec_command: str) -> str:
    """``resources/jwt-inspector.desktop`` with its ``Exec`` line set to ``exec_command``."""
    lines = resources.read_text(DESKTOP_FILE).splitlines()
    out = [f"Exec={exec_command}" if line.startswith("Exec=") else line for line in lines]
    return "\n".join(out) + "\n"


def install(environ: Mapping[str, str], *, exec_command: str) -> list[Path]:
    """Write the desktop entry and icons under the user's data folder; the paths written.
    ``OSError`` when a folder or file cannot be written."""
    base = data_home(environ)
    files: list[tuple[Path, bytes]] = [
        (base / "applications" / DESKTOP_FILE, desktop_entry_text(exec_command).encode()),
        (
            base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
            resources.read_bytes(f"icons/{APP_ID}.svg"),
        ),
    ]
    for size in ICON_SIZES:
        files.append(
            (
                base / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png",
                resources.read_bytes(f"icons/{APP_ID}-{size}.png"),
            )
        )
    written = []
    for target, data in files:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        partial.replace(target)  # a menu never sees half a file
        written.append(target)
    return written


def main(environ: Mapping[str, str] | None = None) -> int:
    """Install, print each file written; exit status 0, or 1 with one line on failure."""
    env = os.environ if environ is None else environ
    command = launcher_command(sys.argv[0] if sys.argv else "", sys.executable)
    try:
        written = install(env, exec_command=command)
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        sys.stderr.write(
            f"jwt-inspector: cannot install the desktop entry: {where}{err.strerror or err}\n"
        )
        return 1
    for path in written:
        sys.stdout.write(f"wrote {path}\n")
    sys.stdout.write(f"The menu entry starts: {command}\n")
    return 0
