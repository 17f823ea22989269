"""The one place that locates files in ``resources/`` (Qt-free, used by core, CLI and UI).

From a source checkout or an editable install the files are read from the repository's
``resources/`` folder; a built wheel carries them as ``inspector/_resources`` (hatch
``force-include``). Names are relative POSIX paths; absolute paths and ``..`` are refused.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path, PurePosixPath

_PACKAGE = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """The folder the resources are read from."""
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no resources folder next to {_PACKAGE}")


def names() -> list[str]:
    """Every resource name, sorted."""
    base = root()
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())


def path(name: str) -> Path:
    """The file for resource ``name``; ``ValueError`` (listing known names) if there is none."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or not name:
        raise ValueError(f"resource names are relative paths inside resources/, not {name!r}")
    p = root().joinpath(*pure.parts)
    if not p.is_file():
        raise ValueError(f"unknown resource {name!r}; known: {', '.join(names())}")
    return p


def read_text(name: str) -> str:
    return path(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return path(name).read_bytes()
