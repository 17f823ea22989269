"""``parse_token``: from pasted text to a :class:`ParsedToken` (decoded, nothing verified).

Every problem becomes a finding; whatever can still be decoded is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, Protocol

from inspector.core import notjwt
from inspector.core.b64 import decode_b64url, decode_plain
from inspector.core.cleaning import Extraction, extract_token
from inspector.core.findings import Finding, finding, json_pointer
from inspector.core.frozen import builder
from inspector.core.jsontext import decode_utf8, parse_json, plain_object
from inspector.core.jwe import JWE
from inspector.core.jwsjson import JWS_JSON_NOT_AS_SIGNED as JWS_JSON_NOT_AS_SIGNED
from inspector.core.jwsjson import check_jws_json
from inspector.core.model import (
    JWE_SEGMENTS,
    JWS_SEGMENTS,
    NOT_JWT_FORMATS,
    ParsedToken,
    Segment,
    SegmentName,
    TokenFormat,
)
from inspector.core.sdjwt import SD_JWT

#: Browsers' per-cookie limit (RFC 6265 §6.1 asks for at least this much).
COOKIE_LIMIT = 4096
#: A common per-request-header limit (nginx large_client_header_buffers, Node.js, Apache).
HEADER_LIMIT = 8192
#: What an opaque session id costs instead.
SESSION_ID_BYTES = 32
#: Payload text shown in a finding's detail is cut to this many characters.
SHOWN_TEXT = 200


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "..."


#: A malformed token is split into at most this many parts (the last holds the rest).
MAX_PARTS = 64


@functools.lru_cache(maxsize=1024)
def _token_size(size: int) -> Finding:
    """The ``token-size`` finding for a token of ``size`` bytes (most tokens of one issuer
    have one of a few sizes: made once each)."""
    return finding(
        "token-size",
        f"{size:,} bytes on every request, {size / SESSION_ID_BYTES:,.0f}x an opaque "
        f"{SESSION_ID_BYTES}-byte session id.",
    )


class FormatHandler(Protocol):
    """One serialization of a token: which tokens it reads, and how. Never raises.

    ``accepts`` sees the cleaned token and its number of dot-separated segments;
    ``parse`` decodes it through the :class:`TokenReader` (segments with offsets into the
    pasted text, findings) and returns the :class:`ParsedToken` (``reader.result(...)``).
    """

    #: The :data:`~inspector.core.model.TokenFormat` it produces ("jws", "jwe").
    name: str

    def accepts(self, token: str, segments: int) -> bool: ...

    def parse(
        self, reader: TokenReader, parts: list[str], errors: dict[int, str]
    ) -> ParsedToken: ...


class CompactJws:
    """Three segments: a JWS (RFC 7515 §7.1), unsecured when its alg is 'none' and its
    signature empty (RFC 7519 §6). A JWS JSON serialization arrives here too, flattened by
    :func:`~inspector.core.cleaning.extract_token` (its unprotected header checked)."""

    name = "jws"

    def accepts(self, token: str, segments: int) -> bool:
        return segments == 3

    def parse(self, reader: TokenReader, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        return reader.parse_jws(parts, errors)


#: The format handlers, asked in order; the first that accepts a token parses it. A token
#: none accepts is reported as ``malformed-segments``. A new format is a module with a
#: handler plus :func:`register_format` (or a line here).
FORMAT_HANDLERS: list[FormatHandler] = [SD_JWT, JWE, CompactJws()]


def register_format(handler: FormatHandler, *, first: bool = True) -> None:
    """Add ``handler`` (asked before the built-in ones unless ``first`` is false)."""
    if handler in FORMAT_HANDLERS:
        return
    if first:
        FORMAT_HANDLERS.insert(0, handler)
    else:
        FORMAT_HANDLERS.append(handler)
    _parse_cached.cache_clear()


def unregister_format(handler: FormatHandler) -> None:
    """Take ``handler`` out (no error if it was not registered)."""
    if handler in FORMAT_HANDLERS:
        FORMAT_HANDLERS.remove(handler)
        _parse_cached.cache_clear()


#: Parsed tokens are remembered by text up to this size, so that re-inspecting the same token
#: (the window does on every key stroke in the key field) skips the parse: the usual token by
#: :func:`_plain_jws` (its own memo, :data:`_RECENT`), any other text here.
CACHED_TEXT_LIMIT = 64 * 1024


def parse_token(text: str) -> ParsedToken:
    """Find, clean and decode the token in ``text``. Never raises for any ``str``.

    The result is shared between calls with the same text: treat its header and payload
    as read-only.
    """
    plain = _plain_jws(text)
    if plain is not None:
        return plain
    # (only a str itself is remembered: a subclass may say it equals another text)
    if len(text) <= CACHED_TEXT_LIMIT and type(text) is str:
        return _parse_cached(text)
    return _parse_general(text)


@functools.lru_cache(maxsize=32)
def _parse_cached(text: str) -> ParsedToken:
    """The general parse, remembered. Not the usual token's: :func:`_plain_jws` remembers
    those at less cost (in a log of distinct tokens none is asked for twice, and hashing
    the whole text and keeping it here was 5% of its parse)."""
    return _parse_general(text)


notjwt._on_change.append(_parse_cached.cache_clear)


def _parse(text: str) -> ParsedToken:
    return _plain_jws(text) or _parse_general(text)


def _parse_general(text: str) -> ParsedToken:
    """The parse of any text (:func:`_plain_jws` is its shortcut for the usual token)."""
    # What is recognisably not a JWT (a PASETO token, a JWK, a PEM block...) is said to be
    # that, not decoded as a broken JWT: the text-level list of inspector.core.notjwt.
    other = notjwt.recognise(text)
    if other is not None:
        return ParsedToken(
            text=text,
            token=None,
            format=NOT_JWT_FORMATS.get(other.kind, "unknown"),
            findings=(finding("not-a-jwt", other.message()),),
            not_jwt=other,
        )
    ex = extract_token(text)
    if ex.token is None:
        return ParsedToken(
            text=text,
            token=None,
            format="unknown",
            findings=(finding("not-a-token", no_token_detail(text)),),
        )
    return TokenReader(text, ex).parse()


def no_token_detail(text: str) -> str:
    """What the ``not-a-token`` finding says about this input: its size and what it lacks,
    not the catalogue's general explanation again (the window shows both, one under the
    other). Nothing of the text is quoted: it may be a secret pasted into the wrong box."""
    if not text.strip():
        return "The input is empty." if not text else "The input holds only whitespace."
    n = len(text)
    lines = text.count("\n") + 1
    size = f"{n:,} character{'s' * (n != 1)}" + (f" on {lines:,} lines" if lines > 1 else "")
    if "eyJ" in text:
        return (
            f"The input ({size}) has 'eyJ', the usual start of an encoded header, but no "
            "complete token: the dots between the segments, or whole segments, are missing."
        )
    return f"The input ({size}) holds no dot-separated base64url segments."


#: Header segments that decoded without a finding to a flat JSON object (no object or
#: array inside), remembered with their bytes: every token of an issuer carries one of a few
#: headers, and decoding it again was a tenth of a parse. Each parse gets its own copy. The
#: third member says whether the fast path (:func:`_plain_jws`) may take a token with that
#: header: it has an 'alg' and no ``b64: false``.
_HEADERS: dict[str, tuple[dict[str, Any], bytes, bool]] = {}
_HEADER_MEMO_SIZE = 256
_HEADER_MEMO_CHARS = 512
_SCALARS = frozenset({str, int, float, bool, type(None)})
#: ``_new_segment(Segment, (name, start, end, error))`` is ``Segment(name, start, end,
#: error)`` without the named tuple's Python-level ``__new__`` (every parse makes three or
#: five; without a ``partial`` around it either, one call less on the usual token's path).
_new_segment = tuple.__new__


class TokenReader:
    """One parse; collects findings as it goes.

    A format handler (:class:`FormatHandler`) reads its token through this object's
    :meth:`header`, :meth:`decode` and :meth:`result`, and adds to :attr:`findings`.
    """

    def __init__(self, text: str, ex: Extraction) -> None:
        self.text = text
        self.ex = ex
        self.token: str = ex.token or ""
        self.findings: list[Finding] = []
        #: The unprotected header of a JWS JSON serialization, when it is an object.
        self.unprotected: Mapping[str, Any] | None = None
        if ex.removed:
            self.findings.append(
                finding("input-cleaned", "Removed before decoding: " + "; ".join(ex.removed) + ".")
            )

    def _segments(
        self, parts: list[str], names: tuple[SegmentName, ...], errors: dict[int, str]
    ) -> tuple[Segment, ...]:
        out: list[Segment] = []
        pos = 0
        pieces = self.ex.pieces
        # One untouched run of the original text (the usual case): offsets just shift.
        shift = (
            pieces[0].orig_off
            if len(pieces) == 1 and pieces[0].clean_len == pieces[0].orig_len
            else None
        )
        if shift is not None and len(parts) <= len(names):
            pos = shift
            get = errors.get
            for i, part in enumerate(parts):
                end = pos + len(part)
                out.append(_new_segment(Segment, (names[i], pos, end, get(i))))
                pos = end + 1
            return tuple(out)
        for i, part in enumerate(parts):
            name = names[i] if i < len(names) else names[-1]
            end = pos + len(part)
            if shift is None:
                start_o, end_o = self.ex.original_span(pos, end)
            else:
                start_o, end_o = pos + shift, end + shift
            out.append(Segment(name=name, start=start_o, end=end_o, error=errors.get(i)))
            pos = end + 1
        return tuple(out)

    def decode(self, part: str, i: int, name: str, errors: dict[int, str]) -> bytes | None:
        data, deviations = decode_b64url(part, name)
        for d in deviations:
            self.findings.append(finding(d.id, d.detail))
            if d.id == "bad-base64":
                errors[i] = d.detail
        return data

    def _json_object(
        self, data: bytes, name: str, not_json_id: str, i: int, errors: dict[int, str]
    ) -> tuple[dict[str, Any] | str | None, bool]:
        text, issues = decode_utf8(data, name)
        value, ok, json_issues = parse_json(text, name)
        if issues or json_issues:
            for issue in [*issues, *json_issues]:
                if issue.id == "not-json":
                    continue
                loc = json_pointer(name, issue.key) if issue.key is not None else None
                self.findings.append(finding(issue.id, issue.detail, loc))
        if ok and isinstance(value, dict):
            return value, True
        why = next((j.detail for j in json_issues if j.id in ("not-json", "json-too-complex")), "")
        if ok:
            why = f"The {name} is JSON but not an object (it is {type(value).__name__})."
        detail = f"{why} Text: {_shown(text)!r}" if why else f"Text: {_shown(text)!r}"
        self.findings.append(finding(not_json_id, detail, json_pointer(name)))
        if not_json_id == "header-not-json":
            errors[i] = why or "not a JSON object"
        return text, False

    def header(
        self, part: str, errors: dict[int, str]
    ) -> tuple[dict[str, Any] | None, bytes | None]:
        """The header segment decoded: its JSON object (``None`` when it is not one) and bytes."""
        known = _HEADERS.get(part)
        if known is not None:  # (a copy: nothing is shared between two parses)
            return dict(known[0]), known[1]
        found = len(self.findings)
        header_bytes = self.decode(part, 0, "header", errors)
        if header_bytes is None:
            return None, None
        value, ok = self._json_object(header_bytes, "header", "header-not-json", 0, errors)
        if (
            ok
            and type(value) is dict
            and len(self.findings) == found
            and len(part) <= _HEADER_MEMO_CHARS
            and all(type(v) in _SCALARS for v in value.values())
        ):
            if len(_HEADERS) >= _HEADER_MEMO_SIZE:
                _HEADERS.clear()
            plain = "alg" in value and value.get("b64") is not False
            _HEADERS[part] = (dict(value), header_bytes, plain)
        return (value if ok and isinstance(value, dict) else None), header_bytes

    def parse(self) -> ParsedToken:
        token = self.token
        n = token.count(".") + 1
        # Beyond MAX_PARTS the rest stays one part: a segment object per dot made 5 MB of
        # dots take 13 s, and nothing more is learnt from the millionth empty segment.
        parts = token.split(".", MAX_PARTS - 1)
        errors: dict[int, str] = {}
        for handler in FORMAT_HANDLERS:
            if handler.accepts(token, n):
                return handler.parse(self, parts, errors)
        self.findings.append(
            finding(
                "malformed-segments",
                f"The token has {n} segment{'s' * (n != 1)} ({n - 1} dot{'s' * (n != 2)}); "
                "a JWS has 3 and a JWE 5.",
            )
        )
        names = JWS_SEGMENTS if n < 5 else JWE_SEGMENTS
        header, header_bytes = self.header(parts[0], errors) if parts[0] else (None, None)
        return self.result("unknown", parts, names, errors, header, header_bytes)

    def parse_jws(self, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        header, header_bytes = self.header(parts[0], errors)
        payload: dict[str, Any] | str | None = None
        payload_bytes: bytes | None
        if header is not None and header.get("b64") is False:
            payload_bytes = parts[1].encode("utf-8", "surrogatepass")
        else:
            payload_bytes = self.decode(parts[1], 1, "payload", errors)
        if payload_bytes is not None:
            payload = self._payload(payload_bytes, header, errors)
        signature = self.decode(parts[2], 2, "signature", errors)
        alg = header.get("alg") if header is not None else None
        fmt: TokenFormat = "jws"
        if self.ex.jws_json is not None:
            self.unprotected = check_jws_json(self.ex.jws_json, header, self.findings.append)
        if header is not None:
            if "alg" not in header:
                unprotected_alg = self.unprotected is not None and "alg" in self.unprotected
                self.findings.append(
                    finding(
                        "missing-alg",
                        "The protected header has no 'alg' member (the unprotected header's "
                        "'alg' is not covered by the signature and is never used), so the "
                        "signature cannot be checked."
                        if unprotected_alg
                        else "The header has no 'alg' member.",
                        "/header",
                    )
                )
            elif isinstance(alg, str) and alg.lower() == "none" and not parts[2]:
                fmt = "unsecured"
            elif not parts[2]:
                self.findings.append(
                    finding(
                        "missing-signature",
                        f"The header says alg {alg!r} but the signature segment is empty.",
                        "/header/alg",
                    )
                )
        return self.result(
            fmt,
            parts,
            JWS_SEGMENTS,
            errors,
            header,
            header_bytes,
            payload,
            payload_bytes,
            signature,
        )

    def _payload(
        self, data: bytes, header: dict[str, Any] | None, errors: dict[int, str]
    ) -> dict[str, Any] | str | None:
        cty = header.get("cty") if header is not None else None
        is_jwt_cty = isinstance(cty, str) and cty.upper() in ("JWT", "APPLICATION/JWT")
        stripped = data.strip()
        # The payload is the nested token itself, whatever cty says: a claims object under
        # cty JWT is a mislabelled JWT, not a nested one (the lints report the typing).
        if stripped.startswith(b"eyJ") and stripped.count(b".") in (2, 4):
            text, issues = decode_utf8(data, "payload")
            for issue in issues:
                self.findings.append(finding(issue.id, issue.detail))
            self.findings.append(
                finding(
                    "nested-token",
                    "The payload is itself a JWT"
                    + (" (cty: JWT)" if is_jwt_cty else "")
                    + f"; inspect it on its own: {_shown(text)}",
                    "/payload",
                )
            )
            return text
        if not data:
            self.findings.append(
                finding(
                    "payload-not-json",
                    "The payload is empty. Either nothing was signed, or this is a JWS with "
                    "detached content (RFC 7515 Appendix F) whose payload travels separately.",
                    "/payload",
                )
            )
            return ""
        value, _ok = self._json_object(data, "payload", "payload-not-json", 1, errors)
        return value

    def result(
        self,
        fmt: TokenFormat,
        parts: list[str],
        names: tuple[SegmentName, ...],
        errors: dict[int, str],
        header: dict[str, Any] | None,
        header_bytes: bytes | None,
        payload: dict[str, Any] | str | None = None,
        payload_bytes: bytes | None = None,
        signature: bytes | None = None,
        encrypted: tuple[bytes | None, ...] = (),
    ) -> ParsedToken:
        size = len(self.token)
        if size > HEADER_LIMIT:
            self.findings.append(
                finding(
                    "oversize-header",
                    f"The token is {size:,} bytes; many servers refuse request headers above "
                    f"{HEADER_LIMIT:,} bytes.",
                )
            )
        if size > COOKIE_LIMIT:
            self.findings.append(
                finding(
                    "oversize-cookie",
                    f"The token is {size:,} bytes; browsers keep at most {COOKIE_LIMIT:,} bytes "
                    "per cookie (name and attributes included).",
                )
            )
        if fmt != "unknown":
            self.findings.append(_token_size(size))
        return ParsedToken(
            text=self.text,
            token=self.token,
            format=fmt,
            parts=tuple(parts),
            segments=self._segments(parts, names, errors),
            unverified_header=header,
            unverified_payload=payload,
            header_bytes=header_bytes,
            payload_bytes=payload_bytes,
            signature=signature,
            unprotected_header=self.unprotected,
            findings=tuple(self.findings),
            encrypted=encrypted,
        )


# --------------------------------------------------------------------- the usual token, fast
# Most inputs are one plain compact JWS and nothing else: no whitespace or wrapper around it,
# base64url that decodes without a deviation, a header already seen (memoised in _HEADERS)
# and a payload that is a JSON object without an issue. For that token the general path runs
# two not-a-JWT recognisers, the extraction, a reader object and a chain of five calls, each
# deciding what this one test below decides at once; on a distinct token of 350 bytes that
# was about half the parse, and the code it ran crowded the analysis out of the processor's
# caches (issue 17). :func:`_plain_jws` takes a token that fits and gives exactly what
# :func:`_parse_general` gives for it (``tests/core/test_fast_parse.py`` compares the two on
# generated, vector and hostile near-miss tokens); anything it does not expect, it leaves to
# the general path by returning ``None``: never a result of its own for an unusual token.

#: The length of the middle segment of a Flask session cookie (its timestamp), the one
#: not-a-JWT shape a plain JWS can take (notjwt.SessionCookie): such a token goes the
#: general way, which asks the recogniser.
_FLASK_TIMESTAMP_CHARS = 6
#: The format handlers as built in (only ``CompactJws`` takes a token of three segments
#: without a '~'), and the not-a-JWT recognisers asked of a token that starts like a JWT as
#: built in (only the session-cookie one). While either list differs (another registered),
#: every token goes the general way.
_BUILTIN_FORMATS = list(FORMAT_HANDLERS)
_BUILTIN_JWT_LIKE = notjwt._JWT_LIKE
#: The usual tokens parsed lately, by signature segment (a short key, hashed in a tenth of
#: the time the whole text takes), each found again only for the very same text (compared
#: whole, as a str: no subclass reaches here). Emptied when full, as :data:`_HEADERS` is.
_RECENT: dict[str, ParsedToken] = {}
_RECENT_SIZE = 32


def _builtin_lists_are_sound() -> bool:
    """Whether the two lists above, taken at import, are what :func:`_plain_jws` assumes."""
    h = _BUILTIN_FORMATS
    jwt_like = _BUILTIN_JWT_LIKE
    return (
        len(h) == 3
        and h[0] is SD_JWT
        and h[1] is JWE
        and type(h[2]) is CompactJws
        and len(jwt_like) == 1
        and type(jwt_like[0]) is notjwt.SessionCookie
    )


if not _builtin_lists_are_sound():  # pragma: no cover - a change to the built-in lists
    _BUILTIN_FORMATS = []  # (never equal: no fast path until this module is fixed)


def _plain_jws(text: str) -> ParsedToken | None:
    """The parse of ``text`` when it is the usual token, else ``None`` (the general way).

    It takes only ASCII text of at most :data:`COOKIE_LIMIT` characters that starts with
    'eyJ' and has two dots and no '=', '+' or '/'; the header only when memoised (so it is
    base64url that decoded cleanly); and the strict decoder refuses any other character
    outside base64url (whitespace, '%', '~') in the other two segments. What it takes is
    therefore what the general extraction takes whole, without a change. The payload it takes
    is a JSON object without an issue: orjson's compact text of one (the usual payload,
    :func:`~inspector.core.jsontext.plain_object`: valid UTF-8, neither empty nor a nested
    token, as it starts with '{'), or else what :func:`_clean_object` takes.
    """
    if (
        type(text) is not str
        or len(text) > COOKIE_LIMIT
        or text[:3] != "eyJ"
        or not text.isascii()
        or "=" in text
        or "+" in text
        or "/" in text
    ):
        return None
    # (partition and 'in' find the dots by memchr; count and split looked at every character)
    h, _, rest = text.partition(".")
    p, _, s = rest.partition(".")
    if not p or not s or "." in s:
        return None
    known = _HEADERS.get(h)
    if (
        known is None
        or not known[2]
        or len(p) == _FLASK_TIMESTAMP_CHARS
        or notjwt._JWT_LIKE != _BUILTIN_JWT_LIKE
        or FORMAT_HANDLERS != _BUILTIN_FORMATS
    ):
        return None
    recent = _RECENT.get(s)
    if recent is not None and recent.text == text:
        return recent
    payload_bytes = decode_plain(p)
    signature = decode_plain(s)
    if payload_bytes is None or signature is None:
        return None
    payload = plain_object(payload_bytes)
    if payload is None:
        payload = _clean_object(payload_bytes)
        if payload is None:
            return None
    end_h = len(h)
    end_p = end_h + 1 + len(p)
    if len(_RECENT) >= _RECENT_SIZE:
        _RECENT.clear()
    _RECENT[s] = parsed = _plain_parsed(
        text,
        text,
        "jws",
        (h, p, s),
        (
            _new_segment(Segment, ("header", 0, end_h, None)),
            _new_segment(Segment, ("payload", end_h + 1, end_p, None)),
            _new_segment(Segment, ("signature", end_p + 1, len(text), None)),
        ),
        dict(known[0]),
        payload,
        known[1],
        payload_bytes,
        signature,
        (_token_size(len(text)),),
    )
    return parsed


def _clean_object(data: bytes) -> dict[str, Any] | None:
    """The payload ``data`` as a JSON object when the general way finds nothing to say about
    it (not empty, not a nested token, UTF-8 and JSON without an issue), else ``None``: the
    fast path's way for a payload that is not orjson's own text (escaped non-ASCII as
    Python's ``json.dumps`` writes it, spaces after the separators)."""
    stripped = data.strip()
    if not stripped or (stripped.startswith(b"eyJ") and stripped.count(b".") in (2, 4)):
        return None  # empty, or a nested token: findings of their own
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    value, ok, issues = parse_json(text, "payload")
    return value if ok and not issues and type(value) is dict else None


#: ParsedToken from these fields, the rest at their defaults.
_plain_parsed = builder(
    ParsedToken,
    *("text", "token", "format", "parts", "segments", "unverified_header"),
    *("unverified_payload", "header_bytes", "payload_bytes", "signature", "findings"),
)
