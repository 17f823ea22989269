"""What else a paste holds beside the token inspected: the tokens pasted with it and an
authorization code.

Some rules need two things pasted together: an ID token's ``at_hash``/``c_hash`` is checked
against the ``access_token`` and ``code`` of the same token response (OpenID Connect Core
§3.3.2.11), a DPoP proof's ``ath`` and its key's thumbprint against the access token it was
sent with (RFC 9449 §7.1). The inspection looks at one token; this module reads the rest of the
text the user pasted (``ParsedToken.text``, or ``InspectOptions.context_text`` when the token
was chosen out of a paste of several and inspected alone) without changing it:

- a JSON object's top-level ``access_token``, ``id_token`` and ``code`` members (a token
  response);
- every compact token :func:`inspector.core.token_search.find_tokens` lists, named as it
  names them (``access_token``, ``line 3``), and the access token of an
  ``Authorization: DPoP``/``Bearer`` header line (also an opaque one);
- ``access_token=`` and ``code=`` parameters of a query string or fragment.

Only asked by the profiles that need it (an ID token with ``at_hash``/``c_hash``, a DPoP
proof), never for every token. Linear in the text's length: the patterns are anchored on fixed
words and bounded, and ``find_tokens`` is linear and capped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from inspector.core.model import ParsedToken
from inspector.core.token_search import find_tokens

#: Texts longer than this are not searched for sibling tokens (a token response is a few KB).
MAX_CONTEXT_CHARS = 1_000_000
#: An opaque access token or a code longer than this is not read as one.
MAX_VALUE_CHARS = 8_192
#: How far before a token its header line's name is looked for.
LINE_WINDOW = 256

_VALUE = "{1,%d}+=*+" % MAX_VALUE_CHARS  # noqa: UP031 (a regex's braces)
_PARAM = re.compile(r"(?<![A-Za-z0-9_.-])(access_token|code)=([A-Za-z0-9\-._~+/%]" + _VALUE + ")")
_AUTH_LINE = re.compile(
    r"(?im)^[ \t]*authorization[ \t]*:[ \t]*(?:dpop|bearer)[ \t]+([A-Za-z0-9\-._~+/]" + _VALUE + ")"
)


@dataclass(frozen=True, slots=True)
class Sibling:
    """A token pasted beside the one inspected: ``text`` named by ``where`` it was found
    (``access_token``, ``Authorization``, ``line 2``)."""

    where: str
    text: str


@dataclass(frozen=True, slots=True)
class PasteContext:
    """The other tokens in the paste (opaque ones included) and the authorization code."""

    tokens: tuple[Sibling, ...] = ()
    code: str | None = None

    def named(self, *names: str) -> tuple[Sibling, ...]:
        """The siblings found under one of ``names``."""
        return tuple(s for s in self.tokens if s.where in names)


def paste_context(parsed: ParsedToken, context_text: str | None = None) -> PasteContext:
    """The rest of the paste around ``parsed``'s token; never raises. ``context_text`` is the
    whole paste when the token was inspected alone, taken out of it
    (``InspectOptions.context_text``); ``None``: the paste is the token's own text."""
    text = parsed.text if context_text is None else context_text
    own = parsed.token
    if own is None or len(text) > MAX_CONTEXT_CHARS:
        return PasteContext()
    own_jwt = own.split("~", 1)[0]
    tokens: list[Sibling] = []
    seen: set[str] = set()
    code: str | None = None

    def add(where: str, value: str) -> None:
        value = value.strip()
        if not value or value == own or value.split("~", 1)[0] == own_jwt or value in seen:
            return
        seen.add(value)
        tokens.append(Sibling(where, value))

    stripped = text.strip()
    if stripped[:1] == "{":
        try:
            doc = json.loads(stripped)
        except (ValueError, RecursionError):
            doc = None
        if isinstance(doc, dict):
            for name in ("access_token", "id_token"):
                value = doc.get(name)
                if isinstance(value, str) and len(value) <= MAX_CONTEXT_CHARS:
                    add(name, value)
            c = doc.get("code")
            if isinstance(c, str) and 0 < len(c) <= MAX_VALUE_CHARS:
                code = c
    for m in _AUTH_LINE.finditer(text):
        add("Authorization", m.group(1))
    for m in _PARAM.finditer(text):
        name, value = m.group(1), m.group(2)
        if name == "code":
            code = code or _percent_decoded(value)
        else:
            add("access_token", _percent_decoded(value))
    for f in find_tokens(text):
        line_start = text.rfind("\n", max(0, f.start - LINE_WINDOW), f.start) + 1
        line = text[line_start : f.start].lower()
        where = f.where
        if "authorization" in line and ("dpop" in line or "bearer" in line):
            where = "Authorization"
        add(where, text[f.start : f.end])
    return PasteContext(tuple(tokens), code)


def _percent_decoded(value: str) -> str:
    if "%" not in value:
        return value
    from urllib.parse import unquote

    return unquote(value)
