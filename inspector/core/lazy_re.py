"""Regular expressions compiled on first use, for the patterns of unusual inputs.

Importing the codec compiled some eighty module-level patterns, about 9 ms: a tenth of the
work of the child the window forks at launch to inspect the example token, which needs only
a few of them (an HS256 token and its secret are neither PASETO, SAML, a Rails cookie nor a
pasted PEM key). :class:`LazyPattern` stands where ``re.compile(...)`` stood and compiles on
the first call of one of its methods; that call then puts the compiled pattern's own bound
methods on the instance, where they shadow the class's, so every later call goes straight to
the compiled pattern (no extra Python frame on the paths that run per token).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """``re.compile(source, flags)``, compiled the first time a method is called (see the
    module). Has the methods of a compiled ``str`` pattern that the codec uses."""

    def __init__(self, source: str, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = source
        self.flags = flags

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet); its methods replace this
        object's own from now on."""
        pattern = re.compile(self.pattern, self.flags)
        for name in _METHODS:
            setattr(self, name, getattr(pattern, name))
        return pattern

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"

    # Each method below runs once at most per instance: it compiles, and the instance's own
    # attributes (the compiled pattern's methods) hide it from then on.

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)
