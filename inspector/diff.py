"""Compare two tokens (issue 16 item 1): what an auth debugging session asks after "what is
in this token?" - what changed between the token that works and the one that fails.

Qt-free, beside :mod:`inspector.presentation` (whose words it uses for durations). It compares
the decoded header and payload of two parsed tokens member by member, down into nested objects
and arrays, and names each difference by its JSON Pointer (RFC 6901) into
``{"header": ..., "payload": ...}``, the same locations findings use. The changes a reader
looks for first (the algorithm, the key id, the issuer) are listed first; a changed time claim
also says by how much ("exp +1 h 40 min").

Nothing here verifies: a signature that differs is expected (the tokens differ) and says
nothing by itself, so only the header and payload are compared.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from inspector.core.findings import json_pointer
from inspector.core.model import ParsedToken
from inspector.presentation import duration_words

#: Claims whose numeric values are times (RFC 7519 §4.1.4-6, OpenID Connect Core §2).
TIME_CLAIMS = frozenset({"exp", "nbf", "iat", "auth_time", "updated_at"})
#: The changes listed before all others, in this order (alg, key id, issuer).
FIRST = ("/header/alg", "/header/kid", "/payload/iss")
#: Nesting deeper than this is compared as one value (the parser caps nesting well below).
MAX_DEPTH = 64


class DiffError(ValueError):
    """A side that cannot be compared (no header or payload could be decoded)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One difference. ``op`` is ``added`` (only in B), ``removed`` (only in A) or
    ``changed``; ``path`` a JSON Pointer; ``note`` the time difference in words, if any."""

    op: str
    path: str
    old: Any = None
    new: Any = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op != "added":
            d["old"] = self.old
        if self.op != "removed":
            d["new"] = self.new
        if self.note is not None:
            d["note"] = self.note
        return d

    def line(self) -> str:
        """The change as one line of text."""
        if self.note is not None:
            return f"~ {self.path}: {self.note} ({_short(self.old)} -> {_short(self.new)})"
        if self.op == "added":
            return f"+ {self.path}: {_short(self.new)}"
        if self.op == "removed":
            return f"- {self.path}: {_short(self.old)}"
        return f"~ {self.path}: {_short(self.old)} -> {_short(self.new)}"


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenDiff:
    changes: tuple[Change, ...]

    @property
    def equal(self) -> bool:
        return not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {"equal": self.equal, "changes": [c.to_dict() for c in self.changes]}

    def text(self) -> str:
        if self.equal:
            return "The header and payload are the same.\n"
        n = len(self.changes)
        lines = [f"{n} difference{'s' * (n != 1)} (- only in A, + only in B, ~ changed):"]
        lines += ["  " + c.line() for c in self.changes]
        return "\n".join(lines) + "\n"


#: Longest rendering of one value in a text line.
SHOWN = 120


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def comparable(parsed: ParsedToken, side: str) -> tuple[dict[str, Any], Any]:
    """The header and payload of ``parsed``, or a :class:`DiffError` saying why side ``side``
    ("A" or "B") cannot be compared."""
    if parsed.not_jwt is not None:
        raise DiffError(f"{side} is not a JWT: it looks like {parsed.not_jwt.label}")
    if parsed.unverified_header is None:
        why = next((f.detail for f in parsed.findings if f.severity == "error"), None)
        raise DiffError(f"{side} has no header that could be decoded" + (f": {why}" if why else ""))
    if parsed.format == "jwe":
        return parsed.unverified_header, None  # the payload is encrypted: only the header
    if parsed.unverified_payload is None:
        why = next((f.detail for f in parsed.findings if f.severity == "error"), None)
        raise DiffError(
            f"{side} has no payload that could be decoded" + (f": {why}" if why else "")
        )
    return parsed.unverified_header, parsed.unverified_payload


def diff_tokens(a: ParsedToken, b: ParsedToken) -> TokenDiff:
    """The differences from ``a`` to ``b`` (a :class:`DiffError` if either has no decoded
    header or payload)."""
    header_a, payload_a = comparable(a, "A")
    header_b, payload_b = comparable(b, "B")
    changes: list[Change] = []
    _walk(header_a, header_b, ("header",), changes, 0)
    _walk(payload_a, payload_b, ("payload",), changes, 0)
    rank = {path: i for i, path in enumerate(FIRST)}
    # Stable: within each group the members keep the order they were met in.
    changes.sort(key=lambda c: rank.get(c.path, len(rank)))
    return TokenDiff(changes=tuple(changes))


def _same(x: Any, y: Any) -> bool:
    """JSON equality: 1 and 1.0 are the same number, but true is not 1."""
    if isinstance(x, bool) or isinstance(y, bool):
        return type(x) is type(y) and x == y
    return bool(x == y) and (isinstance(x, (int, float)) == isinstance(y, (int, float)))


def _walk(x: Any, y: Any, path: tuple[str | int, ...], out: list[Change], depth: int) -> None:
    if depth < MAX_DEPTH and isinstance(x, dict) and isinstance(y, dict):
        for k in x:
            if k not in y:
                out.append(Change(op="removed", path=json_pointer(*path, k), old=x[k]))
            else:
                _walk(x[k], y[k], (*path, k), out, depth + 1)
        for k in y:
            if k not in x:
                out.append(Change(op="added", path=json_pointer(*path, k), new=y[k]))
        return
    if depth < MAX_DEPTH and isinstance(x, list) and isinstance(y, list):
        for i in range(min(len(x), len(y))):
            _walk(x[i], y[i], (*path, i), out, depth + 1)
        for i in range(len(y), len(x)):
            out.append(Change(op="removed", path=json_pointer(*path, i), old=x[i]))
        for i in range(len(x), len(y)):
            out.append(Change(op="added", path=json_pointer(*path, i), new=y[i]))
        return
    if _same(x, y):
        return
    note = None
    if len(path) == 2 and path[0] == "payload" and path[1] in TIME_CLAIMS and _numbers(x, y):
        note = _time_note(str(path[1]), x, y)
    out.append(Change(op="changed", path=json_pointer(*path), old=x, new=y, note=note))


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _time_note(claim: str, x: float, y: float) -> str | None:
    """``exp +1 h 40 min``; ``None`` when the difference is no finite number of seconds."""
    try:
        seconds = float(y) - float(x)
    except OverflowError:  # an integer beyond any float
        return None
    return f"{claim} {duration_words(seconds)}" if math.isfinite(seconds) else None
