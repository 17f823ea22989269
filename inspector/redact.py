"""A redacted copy of a token, to put in a ticket (issue 16 item 3).

Qt-free, beside :mod:`inspector.presentation`. The values that issue 4's scanner
(:func:`inspector.core.sensitive.scan_claims`) calls secret, personal or a credential, another
token held in a claim, people's names (:data:`PERSONAL_NAMES`) and every member the user
names, are replaced by placeholders of the
same JSON type (``"[redacted email]"``, ``0``, ``false``; objects and arrays keep their shape
with each value inside replaced), so the copy still reads like the token: its structure,
claim names, times and ``alg`` are kept.

The copy is not a token anyone can use: its signature is removed and its header carries
:data:`MARK_MEMBER`, so nobody mistakes it for a real token (and a server that sees it fails
it: an empty signature verifies with no algorithm a server allows).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from inspector.core.model import ParsedToken
from inspector.core.sensitive import scan_claims

#: The findings whose location is replaced: secrets, personal data, credentials by value,
#: and a token nested in a claim (it may carry all of those).
REDACTED_FINDINGS = frozenset({"sensitive-claim", "pii-claim", "sensitive-value", "nested-token"})
#: People's names, redacted wherever they are although the scanner does not flag them (a
#: finding for every ID token's ``name`` would be noise; a ticket does not need the name):
#: OpenID Connect Core §5.1's name claims, and Microsoft Entra ID's ``upn``/``unique_name``.
PERSONAL_NAMES = frozenset(
    {
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "upn",
        "unique_name",
    }
)
#: The header member that marks a redacted copy, and what it says.
MARK_MEMBER = "redacted"
MARK_TEXT = "REDACTED COPY by JWT Inspector: values replaced, signature removed; not a real token"
#: Nesting deeper than this is replaced whole (the parser caps nesting well below).
MAX_DEPTH = 64


class RedactError(ValueError):
    """A token that cannot be redacted (nothing decoded, or encrypted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Redacted:
    """The redacted copy: the compact token (``header.payload.``), its header and payload,
    and the JSON Pointers of the values replaced."""

    token: str
    header: dict[str, Any]
    payload: Any
    paths: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"token": self.token, "redacted": list(self.paths)}


def _b64(value: Any) -> str:
    raw = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _placeholder(value: Any, label: str, depth: int = 0) -> Any:
    """``value`` with every scalar replaced by a placeholder of its type."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return 0
    if isinstance(value, str):
        return f"[redacted {label}]"
    if value is None:
        return None
    if depth >= MAX_DEPTH:
        return f"[redacted {label}]"
    if isinstance(value, dict):
        return {k: _placeholder(v, k, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_placeholder(v, label, depth + 1) for v in value]
    return f"[redacted {label}]"  # pragma: no cover - JSON has no other types


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _replace_at(doc: Any, parts: list[str]) -> bool:
    """Replace the value at ``parts`` (a JSON Pointer's tokens) in ``doc`` in place."""
    node = doc
    label = ""
    for i, raw in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, dict):
            key: Any = raw
            if key not in node:
                return False
            label = key
        elif isinstance(node, list) and raw.isdigit() and int(raw) < len(node):
            key = int(raw)
        else:
            return False
        if last:
            node[key] = _placeholder(node[key], label or "value")
            return True
        node = node[key]
    return False


def _named(doc: Any, names: frozenset[str], path: str, out: list[str], depth: int = 0) -> None:
    """Replace every member named one of ``names``, at any depth, in place."""
    if depth > MAX_DEPTH:
        return
    if isinstance(doc, dict):
        for k in list(doc):
            here = f"{path}/{k.replace('~', '~0').replace('/', '~1')}"
            if k in names:
                doc[k] = _placeholder(doc[k], k)
                out.append(here)
            else:
                _named(doc[k], names, here, out, depth + 1)
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            _named(item, names, f"{path}/{i}", out, depth + 1)


def redact(parsed: ParsedToken, claims: Iterable[str] = ()) -> Redacted:
    """The redacted copy of ``parsed`` (see the module's docstring); ``claims``: names of
    members to redact wherever they are. A :class:`RedactError` when there is no decoded
    header and payload, or the payload is encrypted."""
    if parsed.format not in ("jws", "sd-jwt", "unsecured") or parsed.unverified_header is None:
        if parsed.format == "jwe":
            raise RedactError("an encrypted token (JWE) has no readable claims to redact")
        raise RedactError("no token with a decoded header and payload to redact")
    header: dict[str, Any] = json.loads(json.dumps(parsed.unverified_header))
    payload: Any = parsed.unverified_payload
    paths: list[str] = []
    if isinstance(payload, dict):
        payload = json.loads(json.dumps(payload))
    elif payload is not None:
        # Not a JSON object: nothing says which part is sensitive, so all of it goes.
        payload = "[redacted payload]"
        paths.append("/payload")
    else:
        raise RedactError("the payload could not be decoded, so it cannot be redacted")
    docs = {"header": header, "payload": payload}
    for root in ("header", "payload"):
        doc = docs[root]
        if not isinstance(doc, dict):
            continue
        # Deepest first, so a replaced object never hides a pointer into it.
        found = sorted(
            {
                f.location
                for f in scan_claims(doc, root)
                if f.id in REDACTED_FINDINGS and f.location
            },
            key=lambda loc: -loc.count("/"),
        )
        for loc in found:
            if _replace_at(doc, [_unescape(t) for t in loc.split("/")[2:]]):
                paths.append(loc)
    names = frozenset(claims) | PERSONAL_NAMES
    if isinstance(payload, dict):
        _named(payload, names, "/payload", paths)
    header[MARK_MEMBER] = MARK_TEXT
    token = f"{_b64(header)}.{_b64(payload)}."
    return Redacted(token=token, header=header, payload=payload, paths=tuple(sorted(set(paths))))
