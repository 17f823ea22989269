"""Things pasted where a JWT is expected that are not JWTs (issue 16, "know what is not a
JWT"): a text-level list of recognisers, asked before the token is looked for.

Each recogniser looks at the whole pasted text (surrounding whitespace, quotes and a
``Bearer`` prefix taken off) and either says what it is (:class:`NotJwt`) or ``None``. The
first that says something wins; the parse then reports one ``not-a-jwt`` finding saying what
it looks like and what to do with it, instead of decoding it as a broken JWT (a PASETO
``v4.public...`` token has dots, and once read as a four-segment JWS).

Recognisers are strict about shape (anchored to the whole text, exact prefixes, decoded
structure checked) so that no real JWT is ever taken for something else; each runs in time
linear in the text and gives up at once on text that does not start right. Nothing is
verified or decrypted here: recognising is describing. A new kind is a class with ``kind``,
``label`` and ``recognise(text)``, then :func:`register` (or a line in :data:`RECOGNISERS`).

XML from a paste is never parsed (no DTDs, no entity expansion, no external references):
SAML is recognised and described with bounded regular expressions over its text.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import field
from datetime import UTC, datetime
from typing import Any, Protocol

from inspector.core.frozen import value_class
from inspector.core.lazy_re import LazyPattern

#: Texts longer than this are not recognised as anything (the JWT path reports them).
MAX_TEXT = 4 * 1024 * 1024
#: A deflated SAML message is inflated up to this many bytes, no more (a zip bomb stops here).
MAX_INFLATED = 1024 * 1024
#: Browsers keep cookies of up to 4,096 bytes (RFC 6265 §6.1); longer text is no session
#: cookie (this leaves room for a cookie pasted with its name).
MAX_COOKIE = 8 * 1024
#: Values shown in a description are cut to this many characters.
SHOWN = 80


@value_class(kw_only=True)
class NotJwt:
    """What the pasted text is instead of a JWT."""

    #: A short machine name ("paseto", "fernet", "saml", "cwt", "jwk", "jwks", "pem",
    #: "macaroon", "session-cookie", "api-key", "opaque").
    kind: str
    #: What it looks like, for a person ("a PASETO v4.public token").
    label: str
    #: What to do with it, one or two sentences.
    advice: str
    #: Where it stands in the pasted text (``text[start:end]``).
    start: int = 0
    end: int = 0
    #: What could be read from it without any key (version, footer, key ids...).
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "advice": self.advice,
            "start": self.start,
            "end": self.end,
            "details": self.details,
        }

    def message(self) -> str:
        """The ``not-a-jwt`` finding's detail."""
        facts = "; ".join(f"{k}: {_shown(v)}" for k, v in self.details.items())
        return (
            f"This is not a JWT: it looks like {self.label}."
            + (f" ({facts}.)" if facts else "")
            + (" " + self.advice if self.advice else "")
        )


class Recogniser(Protocol):
    """One kind of non-JWT text. ``recognise`` never raises and is linear in ``text``."""

    kind: str

    def recognise(self, text: str) -> NotJwt | None: ...


def _shown(value: Any) -> str:
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return s if len(s) <= SHOWN else s[: SHOWN - 3] + "..."


def _b64(text: str) -> bytes | None:
    """Standard or URL-safe base64, padded or not; ``None`` when it is not base64."""
    body = text.rstrip("=")
    if len(body) % 4 == 1:
        return None
    try:
        return base64.b64decode(
            body.replace("-", "+").replace("_", "/") + "=" * (-len(body) % 4), validate=True
        )
    except (binascii.Error, ValueError):
        return None


def _json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


_B64URL_RUN = LazyPattern(r"[A-Za-z0-9_-]++")
_B64_RUN = LazyPattern(r"[A-Za-z0-9+/_-]++={0,2}")

# ------------------------------------------------------------------------------ PASETO

_PASETO = LazyPattern(r"(v[1-4])\.(local|public)\.([A-Za-z0-9_-]++)(?:\.([A-Za-z0-9_-]*+))?")
#: Bytes of signature at the end of a public token's payload, by version (RFC draft
#: "PASETO" §5-8: v1 RSA-PSS 2048, v2/v4 Ed25519, v3 ECDSA P-384 r||s).
_PASETO_SIGNATURE = {"v1": 256, "v2": 64, "v3": 96, "v4": 64}


class Paseto:
    kind = "paseto"

    def recognise(self, text: str) -> NotJwt | None:
        if not (text.startswith("v") and text[2:3] == "."):
            return None
        m = _PASETO.fullmatch(text)
        if m is None:
            return None
        version, purpose, body, footer = m.groups()
        details: dict[str, Any] = {"version": version, "purpose": purpose}
        if footer:
            raw = _b64(footer)
            if raw is not None:
                decoded = _json(raw)
                details["footer"] = (
                    decoded if isinstance(decoded, dict) else raw.decode("utf-8", "replace")
                )
        if purpose == "public":
            raw = _b64(body)
            sig = _PASETO_SIGNATURE[version]
            claims = _json(raw[:-sig]) if raw is not None and len(raw) > sig else None
            if isinstance(claims, dict):
                details["claims"] = claims
            key = {"v1": "RSA", "v3": "P-384"}.get(version, "Ed25519")
            advice = (
                "Its claims are signed, not encrypted, so anyone can read them (shown here). "
                f"Enter the issuer's {key} public key to verify it (as PASETO, not as a JWS)."
            )
        else:
            advice = (
                "A local token is encrypted with a shared key: only a holder of that key "
                "can read it, with a PASETO library."
            )
        return NotJwt(
            kind=self.kind,
            label=f"a PASETO {version}.{purpose} token (Platform-Agnostic Security Token)",
            advice=advice,
            details=details,
        )


# ------------------------------------------------------------------------------ Fernet


class Fernet:
    kind = "fernet"

    def recognise(self, text: str) -> NotJwt | None:
        # Version byte 0x80 then a 64-bit timestamp whose top bytes are zero: "gAAAAA".
        if not text.startswith("gAAAAA") or not _B64_RUN.fullmatch(text):
            return None
        raw = _b64(text)
        # version (1) + timestamp (8) + IV (16) + ciphertext (16n, n >= 1) + HMAC (32).
        if raw is None or len(raw) < 73 or (len(raw) - 57) % 16:
            return None
        when = int.from_bytes(raw[1:9], "big")
        details: dict[str, Any] = {}
        try:
            details["issued"] = datetime.fromtimestamp(when, UTC).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            details["issued"] = when
        return NotJwt(
            kind=self.kind,
            label="a Fernet token (Python cryptography's symmetric encryption)",
            advice="Its content is encrypted with a shared key and cannot be read without it.",
            details=details,
        )


# ------------------------------------------------------------------------------ keys


def _jwk_facts(jwk: dict[str, Any]) -> dict[str, Any]:
    facts = {k: jwk[k] for k in ("kty", "crv", "alg", "use", "kid") if isinstance(jwk.get(k), str)}
    private = [m for m in ("d", "p", "q", "dp", "dq", "qi", "k") if m in jwk]
    if private:
        facts["private members"] = ", ".join(private)
    return facts


class JsonWebKey:
    kind = "jwk"

    def recognise(self, text: str) -> NotJwt | None:
        if not text.startswith("{") or ('"kty"' not in text and '"keys"' not in text):
            return None
        doc = _json(text)
        if not isinstance(doc, dict):
            return None
        advice = "Paste it into the key field to verify a token with it."
        if isinstance(doc.get("kty"), str):
            facts = _jwk_facts(doc)
            if "private members" in facts:
                advice += " It holds a PRIVATE or secret key: do not share it."
            return NotJwt(kind="jwk", label="a JSON Web Key (JWK)", advice=advice, details=facts)
        keys = doc.get("keys")
        # Only a set alone: a document that holds keys and more (tokens) is not "a key".
        if (
            len(doc) == 1
            and isinstance(keys, list)
            and keys
            and all(isinstance(k, dict) and isinstance(k.get("kty"), str) for k in keys)
        ):
            kids = [k["kid"] for k in keys if isinstance(k.get("kid"), str)]
            details: dict[str, Any] = {"keys": len(keys)}
            if kids:
                details["kids"] = ", ".join(kids[:10]) + (", ..." if len(kids) > 10 else "")
            if any("d" in k or "k" in k for k in keys):
                advice += " It holds PRIVATE or secret keys: do not share it."
            return NotJwt(
                kind="jwks", label="a JSON Web Key Set (JWKS)", advice=advice, details=details
            )
        return None


_PEM_BEGIN = LazyPattern(r"-----BEGIN ([A-Z0-9 ]{1,64})-----")


class Pem:
    kind = "pem"

    def recognise(self, text: str) -> NotJwt | None:
        if not text.startswith("-----BEGIN "):
            return None
        m = _PEM_BEGIN.match(text)
        if m is None or f"-----END {m[1]}-----" not in text:
            return None
        label = m[1]
        advice = (
            "Paste it into the key field to verify a token with it."
            if "PRIVATE" not in label
            else "A private key signs tokens; for verifying, its public key is enough. "
            "Keep the private key secret."
        )
        return NotJwt(
            kind=self.kind,
            label=f"a PEM block ({label})",
            advice=advice,
            details={"blocks": text.count("-----BEGIN ")},
        )


# ------------------------------------------------------------------------------ SAML

_SAML_NS = "urn:oasis:names:tc:SAML:"
_SAML_ROOT = LazyPattern(
    r"<(?:[A-Za-z_][\w.-]{0,40}:)?(Response|Assertion|AuthnRequest|LogoutRequest|LogoutResponse)\b"
)
_SAML_ISSUER = LazyPattern(r"<(?:[A-Za-z_][\w.-]{0,40}:)?Issuer\b[^>]{0,1000}>([^<]{1,1000})<")
_XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"
_SAML_NAMEID = LazyPattern(r"<(?:[A-Za-z_][\w.-]{0,40}:)?NameID\b[^>]{0,1000}>([^<]{1,1000})<")
_SAML_CONDITIONS = LazyPattern(r"<(?:[A-Za-z_][\w.-]{0,40}:)?Conditions\b([^>]{0,2000})>")


def _saml(xml: str, how: str) -> NotJwt | None:
    if _SAML_NS not in xml:
        return None
    root = _SAML_ROOT.search(xml)
    issuer = _SAML_ISSUER.search(xml)
    details: dict[str, Any] = {"encoding": how}
    if root is not None:
        details["message"] = root[1]
    if issuer is not None:
        details["issuer"] = issuer[1].strip()
    subject = _SAML_NAMEID.search(xml)
    if subject is not None:
        details["subject"] = subject[1].strip()
    conditions = _SAML_CONDITIONS.search(xml)
    if conditions is not None:
        for name in ("NotBefore", "NotOnOrAfter"):
            m = re.search(name + r'\s*=\s*["\']([^"\']{1,64})["\']', conditions[1])
            if m is not None:
                details[name] = m[1]
    details["signed"] = _XMLDSIG in xml and "SignatureValue" in xml
    if "<!DOCTYPE" in xml or "<!ENTITY" in xml:
        # Never read here (no XML parser runs); a SAML library must refuse it (XXE).
        details["DTD"] = "present: refuse it, a SAML message never needs one (XXE)"
    what = root[1] if root is not None else "message"
    return NotJwt(
        kind="saml",
        label=f"a SAML {what} (XML)",
        advice="SAML is checked by a SAML library against the identity provider's "
        "certificate; its XML signature is not a JWS."
        + ("" if details["signed"] else " This one carries no XML signature."),
        details=details,
    )


class Saml:
    kind = "saml"

    def recognise(self, text: str) -> NotJwt | None:
        if text.startswith("<"):
            return _saml(text, "XML")
        if len(text) < 20 or not _B64_RUN.fullmatch(text):
            return None
        raw = _b64(text)
        if raw is None:
            return None
        if raw.lstrip()[:1] == b"<":
            return _saml(raw.decode("utf-8", "replace"), "base64")
        # The HTTP-Redirect binding: raw DEFLATE, then base64.
        try:
            inflater = zlib.decompressobj(-15)
            xml = inflater.decompress(raw, MAX_INFLATED)
        except zlib.error:
            return None
        if xml.lstrip()[:1] != b"<":
            return None
        return _saml(xml.decode("utf-8", "replace"), "deflated and base64")


# ------------------------------------------------------------------------------ CWT

#: A CBOR item nests at most this deep, and a CWT holds at most this many items (a real one
#: holds a few dozen): the decoder stops there, so hostile CBOR costs linear time.
MAX_CBOR_DEPTH = 16
MAX_CBOR_ITEMS = 4096
#: COSE message tags (RFC 9052 §2) -> their names; 61 is the CWT tag (RFC 8392 §6).
_COSE_TAGS = {
    16: "COSE_Encrypt0",
    17: "COSE_Mac0",
    18: "COSE_Sign1",
    96: "COSE_Encrypt",
    97: "COSE_Mac",
    98: "COSE_Sign",
}
CWT_TAG = 61
#: COSE algorithm ids (IANA "COSE Algorithms") -> names, the common ones.
_COSE_ALGS = {
    -7: "ES256",
    -35: "ES384",
    -36: "ES512",
    -8: "EdDSA",
    -37: "PS256",
    -257: "RS256",
    4: "HMAC 256/64",
    5: "HMAC 256/256",
    6: "HMAC 384/384",
    7: "HMAC 512/512",
    1: "A128GCM",
    2: "A192GCM",
    3: "A256GCM",
}
#: CWT claim keys (RFC 8392 §3.1 / IANA "CWT Claims") -> their names.
_CWT_CLAIMS = {1: "iss", 2: "sub", 3: "aud", 4: "exp", 5: "nbf", 6: "iat", 7: "cti", 8: "cnf"}


class _CborTag:
    """A tagged CBOR item."""

    __slots__ = ("tag", "value")

    def __init__(self, tag: int, value: Any) -> None:
        self.tag, self.value = tag, value


class _Cbor:
    """A bounded CBOR decoder (RFC 8949) of definite-length items: enough to describe a CWT,
    never more (indefinite lengths, bignums and undefined simple values are refused)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos, self.items = data, 0, 0

    def _take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError("truncated CBOR")
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def item(self, depth: int = 0) -> Any:
        self.items += 1
        if depth > MAX_CBOR_DEPTH or self.items > MAX_CBOR_ITEMS:
            raise ValueError("CBOR too deep or too long")
        first = self._take(1)[0]
        major, info = first >> 5, first & 0x1F
        if major == 7:
            simple = {20: False, 21: True, 22: None}
            if info in simple:
                return simple[info]
            if info in (25, 26, 27):
                size = {25: 2, 26: 4, 27: 8}[info]
                fmt = {2: ">e", 4: ">f", 8: ">d"}[size]
                return struct.unpack(fmt, self._take(size))[0]
            raise ValueError("unsupported CBOR simple value")
        if info < 24:
            n = info
        elif info <= 27:
            n = int.from_bytes(self._take(1 << (info - 24)), "big")
        else:
            raise ValueError("indefinite or reserved CBOR length")
        if major == 0:
            return n
        if major == 1:
            return -1 - n
        if major == 2:
            return self._take(n)
        if major == 3:
            return self._take(n).decode("utf-8")
        if n > len(self.data) - self.pos:  # each element takes at least one byte
            raise ValueError("CBOR length beyond the data")
        if major == 4:
            return [self.item(depth + 1) for _ in range(n)]
        if major == 5:
            out: dict[Any, Any] = {}
            for _ in range(n):
                key = self.item(depth + 1)
                if not isinstance(key, (int, str)):
                    raise ValueError("CBOR map key that is not an integer or text")
                out[key] = self.item(depth + 1)
            return out
        return _CborTag(n, self.item(depth + 1))


def _cbor(data: bytes) -> Any:
    """The one CBOR item ``data`` holds (all of it), or raise ``ValueError``."""
    decoder = _Cbor(data)
    value = decoder.item()
    if decoder.pos != len(data):
        raise ValueError("bytes after the CBOR item")
    return value


def _plain(value: Any) -> Any:
    """A CBOR value as JSON can show it: bytes as hex, tags as their content."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, _CborTag):
        return _plain(value.value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


_HEX_RUN = LazyPattern(r"(?:[0-9a-fA-F]{2})++")


class Cwt:
    """A CBOR Web Token (RFC 8392): a COSE message (tagged, optionally inside the CWT tag)
    whose payload is a CBOR map of claims, pasted as base64, base64url or hex."""

    kind = "cwt"

    def recognise(self, text: str) -> NotJwt | None:
        # Tagged COSE starts with 0xD0-0xD2 or 0xD8 (one-byte tag follows): base64 "0", "2";
        # hex "d0"-"d2", "d8".
        if not text.startswith(("0", "2", "d", "D")) or len(text) < 16:
            return None
        raw = bytes.fromhex(text) if _HEX_RUN.fullmatch(text) else None
        if raw is None and _B64_RUN.fullmatch(text):
            raw = _b64(text)
        if raw is None:
            return None
        try:
            value = _cbor(raw)
        except (ValueError, UnicodeDecodeError, struct.error, RecursionError):
            return None
        tagged_cwt = isinstance(value, _CborTag) and value.tag == CWT_TAG
        if tagged_cwt:
            value = value.value
        if not isinstance(value, _CborTag) or value.tag not in _COSE_TAGS:
            return None
        structure = _COSE_TAGS[value.tag]
        body = value.value
        if not isinstance(body, list) or len(body) < 3 or not isinstance(body[0], bytes):
            return None
        details: dict[str, Any] = {"structure": structure, "cwt tag": tagged_cwt}
        try:
            protected = _cbor(body[0]) if body[0] else {}
        except (ValueError, UnicodeDecodeError, struct.error, RecursionError):
            protected = None
        headers = {**(body[1] if isinstance(body[1], dict) else {}), **(protected or {})}
        alg = headers.get(1)
        if alg is not None:
            details["alg"] = _COSE_ALGS.get(alg, alg) if isinstance(alg, int) else _plain(alg)
        if isinstance(headers.get(4), bytes):
            details["kid"] = headers[4].hex()
        payload = body[2]
        if structure in ("COSE_Sign1", "COSE_Mac0", "COSE_Sign", "COSE_Mac") and isinstance(
            payload, bytes
        ):
            try:
                claims = _cbor(payload)
            except (ValueError, UnicodeDecodeError, struct.error, RecursionError):
                claims = None
            if isinstance(claims, dict):
                details["claims"] = {
                    _CWT_CLAIMS.get(k, str(k)) if isinstance(k, int) else k: _plain(v)
                    for k, v in claims.items()
                }
        encrypted = structure.startswith("COSE_Encrypt")
        return NotJwt(
            kind=self.kind,
            label=f"a CBOR Web Token (CWT, a {structure} message)",
            advice=(
                "Its claims are encrypted (COSE): only a holder of the key can read them."
                if encrypted
                else "Its claims are CBOR, not JSON (shown here with their names); it is "
                "checked with COSE (RFC 9052), not as a JWS."
            ),
            details=details,
        )


# ------------------------------------------------------------------------------ macaroons


class Macaroon:
    kind = "macaroon"

    def recognise(self, text: str) -> NotJwt | None:
        # v1: base64 of hex-length-prefixed packets ("0021location ..."): "MDA"; v2: a
        # binary format whose first byte is 2 and next a field type (1 location, 2 id): "Ag".
        if not text.startswith(("MDA", "AgE", "AgI")) or not _B64_RUN.fullmatch(text):
            return None
        raw = _b64(text)
        if raw is None:
            return None
        details: dict[str, Any] = {}
        if raw[:1] == b"\x02" and raw[1:2] in (b"\x01", b"\x02"):
            details["version"] = 2
        elif re.fullmatch(rb"[0-9a-f]{4}", raw[:4]) and raw[4:].startswith(
            (b"location ", b"identifier ")
        ):
            details["version"] = 1
            m = re.match(rb"location ([^\n]{0,200})\n", raw[4:])
            if m is not None:
                details["location"] = m[1].decode("utf-8", "replace")
        else:
            return None
        return NotJwt(
            kind=self.kind,
            label="a macaroon (a bearer credential with chained caveats)",
            advice="Its caveats are checked by the service that minted it, with its root key.",
            details=details,
        )


# ------------------------------------------------------------------------------ cookies

_FLASK = LazyPattern(r"(\.?)([A-Za-z0-9_-]++)\.([A-Za-z0-9_-]{6})\.([A-Za-z0-9_-]{27,86})")
_DJANGO = LazyPattern(r"(\.?[A-Za-z0-9_-]++):([A-Za-z0-9]{6,8}):([A-Za-z0-9_-]{27,86})")
_RAILS = LazyPattern(r"([A-Za-z0-9+/=%]++)--([A-Za-z0-9+/=%]++)(?:--([A-Za-z0-9+/=%]++))?")
_EXPRESS = LazyPattern(r"s(?::|%3A)([^.\s]{1,200})\.([A-Za-z0-9+/%]{43,60})")


class SessionCookie:
    """Signed session cookies of Flask (itsdangerous), Django, Rails and Express."""

    kind = "session-cookie"
    #: A Flask session cookie starts with 'eyJ' like a JWT (its JSON, base64url-encoded).
    jwt_like = True

    def recognise(self, text: str) -> NotJwt | None:
        if len(text) > MAX_COOKIE:
            return None  # no browser keeps it, and a 1 MB JWT need not be scanned for one
        last = text.rfind(".")
        # Every token that starts like a JWT comes here: the Flask shape is tried only when
        # the next-to-last segment has the 6 characters of an itsdangerous timestamp.
        if last > 0 and text.rfind(".", 0, last) == last - 7:
            found = self._flask(text)
            if found is not None:
                return found
        if text.count(":") == 2:
            m = _DJANGO.fullmatch(text)
            if m is not None:
                return self._found("Django (django.core.signing)", {})
        if text.startswith(("s:", "s%3A")):
            m = _EXPRESS.fullmatch(text)
            if m is not None:
                return self._found("Express (cookie-signature)", {"session id": m[1]})
        if "--" in text:
            m = _RAILS.fullmatch(text)
            if m is not None and all(_b64(g.replace("%3D", "=")) for g in m.groups() if g):
                return self._found("Rails", {})
        return None

    def _flask(self, text: str) -> NotJwt | None:
        m = _FLASK.fullmatch(text) if text.count(".") in (2, 3) else None
        if m is None:
            return None
        compressed, data, _ts, _sig = m.groups()
        raw = _b64(data)
        if raw is not None and compressed:
            try:
                raw = zlib.decompressobj().decompress(raw, MAX_INFLATED)
            except zlib.error:
                raw = None
        value = _json(raw) if raw is not None else None
        # A JWS header has "alg"; an itsdangerous payload never needs one.
        if isinstance(value, dict) and "alg" not in value and "enc" not in value:
            return self._found("Flask (itsdangerous)", {"session": value})
        return None

    def _found(self, framework: str, details: dict[str, Any]) -> NotJwt:
        return NotJwt(
            kind=self.kind,
            label=f"a {framework} session cookie",
            advice="It is signed (and for some frameworks encrypted) with the application's "
            "secret key, and only that application can check it.",
            details={"framework": framework, **details},
        )


# ------------------------------------------------------------------------------ API keys

#: Prefixes of well-known API keys and access tokens -> who issues them.
API_KEY_PREFIXES: tuple[tuple[str, str], ...] = (
    ("github_pat_", "GitHub (fine-grained personal access token)"),
    ("ghp_", "GitHub (personal access token)"),
    ("gho_", "GitHub (OAuth access token)"),
    ("ghu_", "GitHub (user-to-server token)"),
    ("ghs_", "GitHub (server-to-server token)"),
    ("ghr_", "GitHub (refresh token)"),
    ("glpat-", "GitLab (personal access token)"),
    ("xoxb-", "Slack (bot token)"),
    ("xoxp-", "Slack (user token)"),
    ("xoxa-", "Slack (app token)"),
    ("xapp-", "Slack (app-level token)"),
    ("sk_live_", "Stripe (live secret key)"),
    ("sk_test_", "Stripe (test secret key)"),
    ("rk_live_", "Stripe (live restricted key)"),
    ("pk_live_", "Stripe (live publishable key)"),
    ("sk-ant-", "Anthropic (API key)"),
    ("sk-proj-", "OpenAI (project API key)"),
    ("sk-", "OpenAI-style (API key)"),
    ("AKIA", "AWS (access key id)"),
    ("ASIA", "AWS (temporary access key id)"),
    ("AIza", "Google (API key)"),
    ("ya29.", "Google (OAuth access token)"),
    ("hf_", "Hugging Face (access token)"),
    ("npm_", "npm (access token)"),
    ("SG.", "SendGrid (API key)"),
)
_API_KEY_BODY = LazyPattern(r"[A-Za-z0-9_\-.]{16,256}")


class ApiKey:
    kind = "api-key"

    def recognise(self, text: str) -> NotJwt | None:
        for prefix, issuer in API_KEY_PREFIXES:
            if text.startswith(prefix):
                if not _API_KEY_BODY.fullmatch(text) or text.count(".") > 2:
                    return None
                return NotJwt(
                    kind=self.kind,
                    label=f"an API key or access token from {issuer}",
                    advice="This is a credential, not a JWT: rotate it if this paste left "
                    "your machine.",
                    details={"prefix": prefix},
                )
        return None


# ------------------------------------------------------------------------------ opaque

_OPAQUE = LazyPattern(r"[A-Za-z0-9_\-+/~]{16,4096}={0,2}")
_HEX = LazyPattern(r"[0-9a-fA-F]++")


class Opaque:
    """A random-looking string with no structure: a reference token or session id."""

    kind = "opaque"

    def recognise(self, text: str) -> NotJwt | None:
        if "." in text or not _OPAQUE.fullmatch(text) or text.startswith(("eyJ", "ew")):
            return None
        if not (any(c.isdigit() for c in text) and any(c.isalpha() for c in text)):
            return None
        if len(set(text)) < 8:
            return None
        hexed = _HEX.fullmatch(text) is not None
        bits = len(text) * 4 if hexed else len(text.rstrip("=")) * 6
        return NotJwt(
            kind=self.kind,
            label="an opaque token (a random string with no readable structure)",
            advice="Only its issuer can tell what it means, through token introspection "
            "(RFC 7662).",
            details={
                "characters": len(text),
                "about": f"{bits} bits" + (" (hex)" if hexed else ""),
            },
        )


#: The recognisers, asked in order; the first that recognises the text wins. Specific
#: shapes first; the opaque catch-all last.
RECOGNISERS: list[Recogniser] = [
    Paseto(),
    Fernet(),
    JsonWebKey(),
    Pem(),
    Saml(),
    Cwt(),
    Macaroon(),
    SessionCookie(),
    ApiKey(),
    Opaque(),
]

#: How a compact JWT (a base64url JSON object) starts; as cleaning has it.
_JWT_START = ("eyJ", "ewo", "ew0", "eyA", "ewk", "e30")
_PREFIX = LazyPattern(r"(?:authorization\s*:\s*)?bearer\s+", re.IGNORECASE)
_QUOTES = "\"'`"
#: First characters of what _unwrap takes off (quotes, "Authorization", "Bearer").
_WRAPPER_STARTS = frozenset(_QUOTES + "aAbB")


def _unwrap(text: str) -> tuple[str, int]:
    """``text`` without surrounding whitespace, a Bearer prefix and matching quotes, and
    where what is left starts."""
    first, final = text[:1], text[-1:]
    if not (first.isspace() or final.isspace() or first in _WRAPPER_STARTS):
        return text, 0  # the usual case: nothing around it
    start, end = 0, len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    m = _PREFIX.match(text, start, end)
    if m is not None:
        start = m.end()
    if end - start >= 2 and text[start] in _QUOTES and text[end - 1] == text[start]:
        start, end = start + 1, end - 1
    return text[start:end], start


def recognise(text: str) -> NotJwt | None:
    """What ``text`` is when it is recognisably not a JWT, else ``None``. Never raises."""
    if len(text) > MAX_TEXT:
        return None
    body, start = _unwrap(text)
    if not body:
        return None
    # Text that starts like a JWT is asked only of recognisers of things that do too: every
    # token pays this check, and it must stay a few startswith calls.
    for recogniser in _JWT_LIKE if body.startswith(_JWT_START) else tuple(RECOGNISERS):
        try:
            found = recogniser.recognise(body)
        except Exception:  # noqa: BLE001 - a faulty recogniser must not break the parse
            found = None
        if found is not None:
            return _placed(found, start, start + len(body))
    return None


def _placed(found: NotJwt, start: int, end: int) -> NotJwt:
    return NotJwt(
        kind=found.kind,
        label=found.label,
        advice=found.advice,
        start=start,
        end=end,
        details=found.details,
    )


def register(recogniser: Recogniser, *, first: bool = True) -> None:
    """Add ``recogniser`` (asked before the built-in ones unless ``first`` is false)."""
    if recogniser in RECOGNISERS:
        return
    RECOGNISERS.insert(0 if first else len(RECOGNISERS), recogniser)
    _changed()


def unregister(recogniser: Recogniser) -> None:
    """Take ``recogniser`` out (no error if it was not registered)."""
    if recogniser in RECOGNISERS:
        RECOGNISERS.remove(recogniser)
        _changed()


#: Called when the list changes (parsing clears its cache of parsed texts).
_on_change: list[Callable[[], None]] = []
#: The recognisers of things that may start like a JWT (``jwt_like``), in order.
_JWT_LIKE: tuple[Recogniser, ...] = ()


def _changed() -> None:
    global _JWT_LIKE
    _JWT_LIKE = tuple(r for r in RECOGNISERS if getattr(r, "jwt_like", False))
    for hook in _on_change:
        hook()


_changed()
