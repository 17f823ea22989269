"""``parse_token``: from pasted text to a :class:`ParsedToken` (decoded, nothing verified).

Every problem becomes a finding; whatever can still be decoded is kept.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from inspector.core.b64 import decode_b64url
from inspector.core.cleaning import Extraction, JwsJson, extract_token
from inspector.core.findings import Finding, finding, json_pointer
from inspector.core.jsontext import decode_utf8, parse_json
from inspector.core.model import (
    JWE_SEGMENTS,
    JWS_SEGMENTS,
    ParsedToken,
    Segment,
    SegmentName,
    TokenFormat,
)

#: JWE key-management algorithms (RFC 7518 §4.1), to recognise a JWE that lost its 'enc'.
JWE_KEY_ALGORITHMS = frozenset(
    {
        "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "A128KW",
        "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW",
        "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW",
        "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
    }
)  # fmt: skip
#: Browsers' per-cookie limit (RFC 6265 §6.1 asks for at least this much).
COOKIE_LIMIT = 4096
#: A common per-request-header limit (nginx large_client_header_buffers, Node.js, Apache).
HEADER_LIMIT = 8192
#: What an opaque session id costs instead.
SESSION_ID_BYTES = 32
#: Payload text shown in a finding's detail is cut to this many characters.
SHOWN_TEXT = 200


def _said(value: object) -> str:
    """A header value as the detail text shows it ('missing' rather than Python's None)."""
    return "missing" if value is None else repr(value)


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 3] + "..."


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {_cut(repr(value))}"
    if isinstance(value, str):
        return f"the string {_cut(repr(value))}"
    return "an array"


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "..."


#: A malformed token is split into at most this many parts (the last holds the rest).
MAX_PARTS = 64

#: Findings about a JWS JSON serialization after which the token, as pasted, is not one that
#: RFC 7515 lets a verifier accept, whatever its signature says -> why, as verification's
#: verdict words it ("... not valid as pasted: <why>").
JWS_JSON_NOT_AS_SIGNED: Mapping[str, str] = MappingProxyType(
    {
        "jws-json-header-duplicate": "a header parameter is in both its protected and its "
        "unprotected header (RFC 7515 §7.2.1)",
        "jws-json-unprotected-crit": "'crit' or 'b64' is in its unprotected header, which the "
        "signature does not cover (RFC 7515 §4.1.11, RFC 7797 §6)",
        "jws-json-header-not-object": "its unprotected 'header' member is not a JSON object "
        "(RFC 7515 §7.2.1)",
        "jws-json-mixed": "its JSON serialization mixes the general and the flattened form "
        "(RFC 7515 §7.2.2)",
        "jws-json-b64-mixed": "its signatures disagree about 'b64', so they sign different "
        "payload texts (RFC 7797 §3)",
    }
)
#: Header parameters that must be integrity protected: in the unprotected header they are
#: an error (RFC 7515 §4.1.11 for 'crit', RFC 7797 §6 for 'b64').
PROTECTED_ONLY = ("crit", "b64")
#: Unprotected header parameters naming a key the token brings along or points to (never
#: used) -> finding id (the ids verification uses for the protected header).
UNPROTECTED_KEY_HEADERS: Mapping[str, str] = MappingProxyType(
    {"jwk": "embedded-jwk", "x5c": "x5c-header", "jku": "jku-header", "x5u": "x5u-header"}
)
#: Values from the unprotected header shown in a finding's detail are cut to this length.
SHOWN_VALUE = 120

#: Parsed tokens are remembered by text up to this size, so that re-inspecting the same token
#: (the window does on every key stroke in the key field) skips the parse.
CACHED_TEXT_LIMIT = 64 * 1024


def parse_token(text: str) -> ParsedToken:
    """Find, clean and decode the token in ``text``. Never raises for any ``str``.

    The result is shared between calls with the same text: treat its header and payload
    as read-only.
    """
    if len(text) <= CACHED_TEXT_LIMIT:
        return _parse_cached(text)
    return _parse(text)


@functools.lru_cache(maxsize=32)
def _parse_cached(text: str) -> ParsedToken:
    return _parse(text)


def _parse(text: str) -> ParsedToken:
    ex = extract_token(text)
    if ex.token is None:
        return ParsedToken(
            text=text,
            token=None,
            format="unknown",
            findings=(
                finding(
                    "not-a-token",
                    "Nothing in the input looks like a JWT (three or five base64url segments "
                    "separated by dots, usually starting with 'eyJ')."
                    if text.strip()
                    else "The input is empty.",
                ),
            ),
        )
    return _Parser(text, ex).parse()


class _Parser:
    """One parse; collects findings as it goes."""

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

    def _decode(self, part: str, i: int, name: str, errors: dict[int, str]) -> bytes | None:
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

    def _header(
        self, part: str, errors: dict[int, str]
    ) -> tuple[dict[str, Any] | None, bytes | None]:
        """The header segment decoded: its JSON object (``None`` when it is not one) and bytes."""
        header_bytes = self._decode(part, 0, "header", errors)
        if header_bytes is None:
            return None, None
        value, ok = self._json_object(header_bytes, "header", "header-not-json", 0, errors)
        return (value if ok and isinstance(value, dict) else None), header_bytes

    def parse(self) -> ParsedToken:
        token = self.token
        n = token.count(".") + 1
        # Beyond MAX_PARTS the rest stays one part: a segment object per dot made 5 MB of
        # dots take 13 s, and nothing more is learnt from the millionth empty segment.
        parts = token.split(".", MAX_PARTS - 1)
        errors: dict[int, str] = {}
        if n not in (3, 5):
            self.findings.append(
                finding(
                    "malformed-segments",
                    f"The token has {n} segment{'s' * (n != 1)} ({n - 1} dot{'s' * (n != 2)}); "
                    "a JWS has 3 and a JWE 5.",
                )
            )
            names = JWS_SEGMENTS if n < 5 else JWE_SEGMENTS
            header, header_bytes = self._header(parts[0], errors) if parts[0] else (None, None)
            return self._result("unknown", parts, names, errors, header, header_bytes)
        if n == 5:
            return self._parse_jwe(parts, errors)
        return self._parse_jws(parts, errors)

    def _parse_jws(self, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        header, header_bytes = self._header(parts[0], errors)
        payload: dict[str, Any] | str | None = None
        payload_bytes: bytes | None
        if header is not None and header.get("b64") is False:
            payload_bytes = parts[1].encode("utf-8", "surrogatepass")
        else:
            payload_bytes = self._decode(parts[1], 1, "payload", errors)
        if payload_bytes is not None:
            payload = self._payload(payload_bytes, header, errors)
        signature = self._decode(parts[2], 2, "signature", errors)
        alg = header.get("alg") if header is not None else None
        fmt: TokenFormat = "jws"
        if self.ex.jws_json is not None:
            self.unprotected = self._jws_json(self.ex.jws_json, header)
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
        return self._result(
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

    def _jws_json(self, info: JwsJson, header: dict[str, Any] | None) -> Mapping[str, Any] | None:
        """Hold a JWS JSON serialization to RFC 7515 §7.2 (and RFC 7797 §6); the unprotected
        header, read-only, when it is an object. Nothing in it is ever used to verify."""
        add = self.findings.append
        if info.mixed and info.form == "flattened":
            add(
                finding(
                    "jws-json-mixed",
                    "The flattened JWS JSON serialization also has a 'signatures' member (empty, "
                    "or not an array of objects), which only the general form has; "
                    "a general parser finds no signature there where a flattened one finds "
                    "this one. The top-level signature is inspected.",
                )
            )
        elif info.mixed:
            names = ", ".join(f"'{m}'" for m in info.mixed)
            add(
                finding(
                    "jws-json-mixed",
                    f"The general JWS JSON serialization also has the flattened form's {names} "
                    "at its top level; parsers disagree about which signature counts. The "
                    "first of 'signatures' is inspected.",
                )
            )
        if info.b64_mixed:
            add(
                finding(
                    "jws-json-b64-mixed",
                    "Some signatures' protected headers say b64: false and others do not; "
                    "RFC 7797 §3 requires the same 'b64' for all of them, so "
                    "the JWS is not valid as sent, whatever the first signature says.",
                )
            )
        if info.signatures > 1:
            add(
                finding(
                    "jws-json-signatures",
                    f"The JWS carries {info.signatures} signatures; only the first is inspected "
                    f"and verified. The other {info.signatures - 1} are not checked: paste each "
                    "as a flattened JWS (or as protected.payload.signature) to check it.",
                )
            )
        if not info.has_header:
            return None
        raw = info.header
        if not isinstance(raw, dict):
            add(
                finding(
                    "jws-json-header-not-object",
                    f"The unprotected 'header' member is {_json_kind(raw)}, not a JSON object; "
                    "RFC 7515 §7.2.1 allows only an object.",
                )
            )
            return None
        protected = header if header is not None else {}
        for name in raw:
            if name in protected:
                add(
                    finding(
                        "jws-json-header-duplicate",
                        f"'{_cut(name)}' is in both the protected and the unprotected header "
                        f"(protected {_cut(repr(protected[name]))}, unprotected "
                        f"{_cut(repr(raw[name]))}); RFC 7515 §7.2.1 forbids it, and verifiers "
                        "disagree about which value counts.",
                        json_pointer("header", name),
                    )
                )
        for name in PROTECTED_ONLY:
            if name in raw and name not in protected:
                add(
                    finding(
                        "jws-json-unprotected-crit",
                        f"'{name}' ({_cut(repr(raw[name]))}) is only in the unprotected header, "
                        "which the signature does not cover; it must be in the protected "
                        "header, so the token is not valid as sent.",
                    )
                )
        if "alg" in raw:
            said = _cut(repr(raw["alg"]))
            add(
                finding(
                    "jws-json-unprotected-alg",
                    f"The unprotected header says alg {said}. Anyone can change it without "
                    "breaking the signature, so the inspector never uses it"
                    + (
                        f"; the protected header's alg {_cut(repr(protected['alg']))} is used."
                        if "alg" in protected
                        else "; the protected header names no algorithm, so the signature "
                        "cannot be checked."
                    ),
                )
            )
        for name, fid in UNPROTECTED_KEY_HEADERS.items():
            if name in raw:
                add(
                    finding(
                        fid,
                        f"The unprotected header has '{name}' ({_cut(repr(raw[name]))}), which "
                        "the signature does not even cover. The inspector never uses or fetches "
                        "it; only the key you enter is used.",
                    )
                )
        return MappingProxyType(raw)

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

    def _parse_jwe(self, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        header, header_bytes = self._header(parts[0], errors)
        enc = header.get("enc") if header else None
        alg = header.get("alg") if header else None
        if header is not None and "enc" not in header:
            # Five segments alone do not make a JWE: its header must say how it is encrypted.
            hint = (
                f" Its alg {alg!r} is a JWE key-management algorithm, so this looks like a JWE "
                "whose header lost its 'enc'."
                if isinstance(alg, str) and alg in JWE_KEY_ALGORITHMS
                else " (A JWS has 3 segments; tokens pasted together lose the break between them.)"
            )
            self.findings.append(
                finding(
                    "malformed-segments",
                    "The token has 5 segments like a JWE, but its header has no 'enc', so it is "
                    "not one." + hint,
                )
            )
            return self._result("unknown", parts, JWE_SEGMENTS, errors, header, header_bytes)
        sizes = []
        for i, name in enumerate(JWE_SEGMENTS[1:], start=1):
            data = self._decode(parts[i], i, name.replace("_", " "), errors)
            sizes.append(f"{name.replace('_', ' ')} {len(data) if data is not None else '?'} bytes")
        if header is not None:
            self.findings.append(
                finding(
                    "jwe-token",
                    f"Encrypted with alg {_said(alg)}, enc {_said(enc)}; " + ", ".join(sizes) + ".",
                )
            )
        return self._result("jwe", parts, JWE_SEGMENTS, errors, header, header_bytes)

    def _result(
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
            self.findings.append(
                finding(
                    "token-size",
                    f"{size:,} bytes on every request, {size / SESSION_ID_BYTES:,.0f}x an opaque "
                    f"{SESSION_ID_BYTES}-byte session id.",
                )
            )
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
        )
