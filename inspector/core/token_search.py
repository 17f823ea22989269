"""Every token in a pasted text, each named by where it was found.

:func:`inspector.core.cleaning.extract_token` picks the one token an inspection looks at (the
``access_token`` of a token response, the first of a log line) and only mentions the others.
A front end that offers the others needs them all, with a name a user recognises: the JSON
member (``access_token``, ``id_token``, ``data.tokens[1]``), the parameter or cookie name
(``session``), or the line (``line 3``). :func:`find_tokens` lists them, in the order they
stand in the text, with their offsets, so that the text itself is never altered: inspecting
``text[start:end]`` inspects that token.

Linear in the text's length: the candidate search is cleaning's own (possessive, anchored
where a run starts), names are read from a bounded window before each token, and at most
:data:`MAX_FOUND` tokens are listed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from inspector.core.cleaning import (
    _CANDIDATE,
    _JWT_START,
    _TOKEN_CHARS,
    _name_before,
    json_strings,
)

#: At most this many tokens are listed (a log with thousands is not a menu).
MAX_FOUND = 50
#: A name (``access_token=``, ``session=``) is looked for this far before a token.
NAME_WINDOW = 256
#: JSON documents are walked this deep at most.
MAX_DEPTH = 20
#: What follows the issuer-signed JWT of an SD-JWT: '~'-separated disclosures (RFC 9901).
_SD_JWT_TAIL = re.compile(r"(?:~[A-Za-z0-9_\-]*+)++")


@dataclass(frozen=True, slots=True)
class FoundToken:
    """One token in a text: ``text[start:end]``, named by ``where`` it was found."""

    where: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"a found token needs 0 <= start < end, not {self.start}..{self.end}")


def _looks_like_jwt(s: str) -> bool:
    return s.startswith(_JWT_START) and s.count(".") in (2, 4)


def find_tokens(text: str) -> tuple[FoundToken, ...]:
    """The compact tokens (JWS or JWE, starting like a JSON header) in ``text``, in order.
    Never raises; an empty tuple when there is none."""
    stripped = text.strip()
    if stripped[:1] in "{[":
        found = _from_json(text, stripped)
        if found is not None:
            return found
    found_list: list[FoundToken] = []
    lines = "\n" in text
    line, counted = 1, 0
    for m in _CANDIDATE.finditer(text):
        start, end = m.span()
        candidate = m.group()
        if not _looks_like_jwt(candidate):
            continue
        disclosures = _SD_JWT_TAIL.match(text, end)  # an SD-JWT keeps its disclosures
        if disclosures is not None:
            end = disclosures.end()
        line += text.count("\n", counted, start)
        counted = start
        name = _name_before(text[max(0, start - NAME_WINDOW) : start])
        where = name or (f"line {line}" if lines else f"token {len(found_list) + 1}")
        found_list.append(FoundToken(where, start, end))
        if len(found_list) >= MAX_FOUND:
            break
    return _unique_names(found_list)


def _from_json(text: str, stripped: str) -> tuple[FoundToken, ...] | None:
    try:
        doc = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    strings = json_strings(
        doc,
        lambda s: _looks_like_jwt(s) and _TOKEN_CHARS.fullmatch(s) is not None,
        max_depth=MAX_DEPTH,
        limit=MAX_FOUND,
    )
    found: list[FoundToken] = []
    after = 0
    for path, token in strings:
        # Base64url needs no JSON escapes: the token stands in the text as it is (members in
        # document order, so each is looked for after the one before).
        start = text.find(token, after)
        if start < 0:
            start = text.find(token)
        if start < 0:
            continue
        found.append(FoundToken(path, start, start + len(token)))
        after = start + len(token)
    return _unique_names(found) if found else None


def _unique_names(found: list[FoundToken]) -> tuple[FoundToken, ...]:
    """Two tokens after the same name (``token=`` twice in a log) get ``(2)``, ``(3)``..."""
    seen: dict[str, int] = {}
    out = []
    for f in found:
        n = seen[f.where] = seen.get(f.where, 0) + 1
        out.append(f if n == 1 else FoundToken(f"{f.where} ({n})", f.start, f.end))
    return tuple(out)
