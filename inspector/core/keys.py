"""Key text, auto-detected: from what a person pasted into the key field to candidate keys.

:func:`load_key` recognises PEM public keys (SPKI, PKCS#1 RSA), PEM private keys (PKCS#8,
PKCS#1, SEC1, OpenSSH), X.509 certificates (PEM, an ``x5c`` array, or bare DER), DER in
base64, base64url or hex, OpenSSH public keys (``authorized_keys`` and ``known_hosts`` lines,
certificates, RFC 4716 blocks), a single JWK, a JWK Set or a JSON array of JWKs, and otherwise
a shared secret in the given encoding. It never raises: a text that cannot be used gives a
:class:`LoadedKey` whose ``error`` says what is wrong and where. Results are cached by (text,
encoding), so typing in the token field does not re-parse the key.

Public-key material must never become an HMAC secret (algorithm confusion), so the recogniser
is built to be hard to slip past. It classifies a normalised copy of the text (byte-order
marks, zero-width and other format characters removed; quotes, brackets and JSON strings
peeled off), and before the text falls back to being a secret a last guard asks whether it
still *looks* like key material: PEM or SSH armour in any case or dash count, a ``kty``, an
OpenSSH key type, or something that decodes (base64, base64url, hex) to an ASN.1 DER
SEQUENCE or SSH wire format. Such text is refused with a reason, never used as a secret. A
real secret that happens to be long base64 of random bytes passes: random bytes do not make
a well-formed DER SEQUENCE.

Every step is linear in the length of the text: no regular expression here can backtrack
over more than a bounded window, and every wrapping is peeled at most
:data:`MAX_WRAP_DEPTH` times.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from dataclasses import field
from functools import cache, lru_cache
from typing import Any, Literal, NamedTuple

from inspector.core.findings import Finding, finding
from inspector.core.frozen import value_class
from inspector.core.jwk import EC_CURVE_NAMES, JWKError, LoadedJWK, load_jwk
from inspector.core.lazy_crypto import unsupported_algorithm
from inspector.core.lazy_re import LazyPattern

KeyKind = Literal["pem-public", "pem-private", "certificate", "ssh-public", "jwk", "jwks", "secret"]
SecretEncoding = Literal["utf-8", "base64", "base64url", "hex"]
SECRET_ENCODINGS: tuple[str, ...] = ("utf-8", "base64", "base64url", "hex")
#: Key texts longer than this are refused (no real key comes close).
MAX_KEY_TEXT = 1_000_000
#: How many parsed keys are kept (by key text and encoding).
KEY_CACHE_SIZE = 32
#: JWK Sets with more keys than this are refused (real sets hold a handful).
MAX_JWKS_KEYS = 256
#: A JWK Set member's kty is shown cut to this length.
MAX_KTY_SHOWN = 24
#: How many layers of wrapping (quotes, brackets, a JSON string, base64 of a key text) are
#: peeled off before classifying; each layer costs one pass over the text.
MAX_WRAP_DEPTH = 4
#: The longest label read between PEM armour dashes ("ENCRYPTED PRIVATE KEY" is 21).
MAX_PEM_LABEL = 64
#: Text fields shorter than this are not decoded by the key-material guard (no DER key or
#: SSH key blob is this short).
MIN_ENCODED_KEY = 16
#: Longer fields are not OpenSSH key type names.
MAX_SSH_TYPE = 80

#: PEM labels of parameter blocks that openssl writes before a key: skipped.
_PARAMETER_LABELS = frozenset({"EC PARAMETERS", "DH PARAMETERS"})
#: Opening -> closing character of the wrappings peeled off a key text.
_WRAPS = {'"': '"', "'": "'", "`": "`", "[": "]", "(": ")", "<": ">"}
#: "BEGIN " or "END " of PEM armour, in any case; the dashes are checked by hand (a regex
#: with a dash run before the word would backtrack over long runs of dashes).
_ARMOUR_WORD = re.compile(r"(BEGIN|END)[ \t]", re.IGNORECASE)
_DASHES = LazyPattern(r"-*")
#: The same, loosely, for the last guard: a dash, any spaces, then BEGIN or END.
_ARMOUR_HINT = re.compile(r"-[ \t]*(?:BEGIN|END)\b", re.IGNORECASE)
#: OpenSSH public key types (RFC 4253, RFC 5656, RFC 8709, PROTOCOL.certkeys, PROTOCOL.u2f).
_SSH_TYPE = LazyPattern(
    r"(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-[a-z0-9]+"
    r"|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com"
    r"|(?:ssh|ecdsa|sk)-[a-z0-9@.-]*-cert-v0[0-9]@openssh\.com|x509v3-[a-z0-9-]+)",
    re.IGNORECASE,
)
#: The first two characters of every type _SSH_TYPE matches, case-folded (casefold maps the
#: long s and the Kelvin sign, which IGNORECASE matches to s and k, to them too): a cheap
#: test first, so a secret that starts otherwise never compiles the pattern (~1.2 ms).
_SSH_TYPE_STARTS = frozenset({"ss", "sk", "ec", "x5"})
_B64_STD = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_B64_URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_HEX = LazyPattern(r"[0-9A-Fa-f]+")
_HEX_COLONS = re.compile(r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+")
#: "kty" as a word (in JSON, YAML, a Python dict), not inside base64 where it is chance.
_KTY_WORD = LazyPattern(r"(?<![A-Za-z0-9+/_-])kty(?![A-Za-z0-9+/_-])", re.IGNORECASE)
#: Unicode dashes and minus signs that a word processor puts in place of '-'.
_DASH_LOOKALIKES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
#: What key text calls itself, for the last guard.
_KEY_NAMES = ("public key", "private key", "certificate", "ssh2")
#: Separators between the fields the last guard looks at.
_FIELD_SEPARATORS = re.compile(r"[\s\"'`,;\[\]{}()<>|\\]+")
#: JSON and JavaScript escapes ("k\\u0074y", 'k\\x74y') that spell a member name without
#: its letters; the last guard reads the text with them decoded.
_ESCAPES = LazyPattern(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})")
#: A JWK's public value (RSA ``n``, EC/OKP ``x``) as JSON, JavaScript or YAML writes a member,
#: with a value long enough to be a key; next to an ``e`` or ``crv`` member it is a public key
#: even without its ``kty``.
_JWK_VALUE = LazyPattern(
    r"(?<![A-Za-z0-9_])[\"']?([nx])[\"']?[ \t]*[:=][ \t]*[\"']?[A-Za-z0-9_-]{16}"
)
_JWK_PARTNER = {
    "n": LazyPattern(r"(?<![A-Za-z0-9_])[\"']?e[\"']?[ \t]*[:=]"),
    "x": LazyPattern(r"(?<![A-Za-z0-9_])[\"']?crv[\"']?[ \t]*[:=]"),
}
#: DER (tag, length, value) of the public-key algorithm identifiers that stand in the first
#: bytes of a SubjectPublicKeyInfo or PKCS#8 key: rsaEncryption, RSASSA-PSS, id-ecPublicKey,
#: Ed25519, Ed448, X25519, X448.
_KEY_OIDS = tuple(
    bytes.fromhex(h)
    for h in (
        "06092a864886f70d010101",
        "06092a864886f70d01010a",
        "06072a8648ce3d0201",
        "06032b6570",
        "06032b6571",
        "06032b656e",
        "06032b656f",
    )
)
#: How far into a DER key its algorithm identifier is looked for (a PKCS#8 key has it at
#: byte 9, an SPKI at byte 6; a certificate's comes much later and is not looked for).
_KEY_OID_WINDOW = 32


@value_class(kw_only=True)
class CertificateFacts:
    """What an X.509 certificate says about using its key, beyond the key itself.

    Times are seconds since the epoch. ``signing_forbidden`` is true when the certificate has
    a keyUsage extension without ``digitalSignature`` (RFC 5280 §4.2.1.3).
    """

    not_before: float
    not_after: float
    signing_forbidden: bool
    key_usage: tuple[str, ...] | None = None


@value_class(kw_only=True)
class KeyCandidate:
    """One key that may verify the token: a public key object, or secret bytes (``oct``).

    ``problem`` is set (and ``key`` is ``None``) for a member of a JWK Set that could not be
    read: it still counts when the token's ``kid`` names it. ``small_order`` marks an
    Ed25519/Ed448 public key of small order, with which some signature verifies every
    message; ``certificate`` holds what the certificate the key came from says.
    """

    kty: Literal["RSA", "EC", "OKP", "oct"] | None
    #: A public key object, or the secret bytes: never shown in a repr.
    key: Any = field(repr=False)
    description: str
    #: Short name of the key: "RSA 2048-bit", "EC P-256", "Ed25519", "256-bit shared secret".
    label: str = "key"
    crv: str | None = None
    bits: int = 0
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None
    index: int | None = None
    problem: str | None = None
    roca: bool = False
    small_order: bool = False
    certificate: CertificateFacts | None = None
    #: The JWK's members (for a key read from a JWK), so the verifier can tell whether a
    #: token was HMAC-forged with the JWK's own text.
    jwk: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    #: The JWK as read (private members included), so that signing uses this reading
    #: instead of reading the JWK a second time.
    loaded_jwk: LoadedJWK | None = field(default=None, repr=False, compare=False)

    @property
    def is_secret(self) -> bool:
        return self.kty == "oct"


@value_class(kw_only=True)
class LoadedKey:
    """What the key text turned out to be.

    ``error`` is set when nothing in it can be used. ``findings`` are about the key text itself
    (a private key was pasted, duplicate kids, a mixed set). ``public_material`` is true for
    anything that is (or holds, or looks like) a public key: such text is never used as an
    HMAC secret. ``material`` holds the binary forms read from the text (DER, SSH wire
    format), so a verifier can recognise a token HMAC-forged with them; ``private_key`` is
    the private key object when the text held one (for signing). Neither is ever shown.
    """

    kind: KeyKind | None
    description: str
    candidates: tuple[KeyCandidate, ...] = ()
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    public_material: bool = False
    private: bool = False
    duplicate_kids: frozenset[str] = field(default_factory=frozenset)
    mixed: bool = False
    material: tuple[bytes, ...] = field(default=(), repr=False, compare=False)
    private_key: Any = field(default=None, repr=False, compare=False)


def load_key(text: str, secret_encoding: str = "utf-8") -> LoadedKey:
    """Detect and load the key in ``text``. Never raises; cached by (text, encoding)."""
    if not isinstance(text, str):
        return LoadedKey(kind=None, description="no key", error="The key must be text.")
    return _load_key_cached(text, secret_encoding)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def _load_key_cached(text: str, secret_encoding: str) -> LoadedKey:
    try:
        return _detect(text, secret_encoding)
    except (ValueError, TypeError, OverflowError, RecursionError, unsupported_algorithm()) as err:
        # Every expected failure is handled below; this guards against surprises in
        # third-party parsers. The message names the exception type only. Whatever it was,
        # it is not used as a secret.
        return LoadedKey(
            kind=None,
            description="unreadable key",
            error=f"The key text could not be read ({type(err).__name__}).",
            public_material=True,
        )


def clear_key_cache() -> None:
    """Forget parsed keys (for tests and benchmarks)."""
    _load_key_cached.cache_clear()


# ------------------------------------------------------------------------ detection


def normalise_key_text(text: str) -> str:
    """``text`` as it is classified: format characters (a byte-order mark, zero-width spaces
    and joiners, bidirectional marks, soft hyphens: Unicode category Cf) removed, and the
    surrounding whitespace (any Unicode whitespace) stripped. Never used as a secret."""
    if not text.isascii():
        category = unicodedata.category
        text = "".join(c for c in text if c < "\x80" or category(c) != "Cf")
    return text.strip()


def _detect(text: str, secret_encoding: str) -> LoadedKey:
    if len(text) > MAX_KEY_TEXT:
        return LoadedKey(
            kind=None,
            description="oversized key text",
            error=f"The key text is {len(text):,} characters; at most {MAX_KEY_TEXT:,}.",
        )
    norm = normalise_key_text(text)
    found = _classify(norm, 0)
    if found is not None:
        return found
    found = _embedded_key(norm)
    if found is not None:
        return found
    name, newline, rest = norm.partition("\n")
    if newline and name and rest.strip():
        # A key under a name line ("public_key =", "key: |" in YAML, "KEY=\\").
        found = _classify(rest, 1)
        if found is not None and found.error is None:
            return found
    hint = key_material_hint(norm)
    if hint is not None:
        return _error(
            None,
            "unreadable key material",
            f"The key text looks like key material ({hint}) but cannot be read as a key; "
            "it is not used as an HMAC secret either. Paste the whole key (PEM, JWK, JWK "
            "Set, certificate or OpenSSH public key).",
            public_material=True,
        )
    return _from_secret(text, secret_encoding)


_NOT_JSON = object()


def _json(text: str) -> Any:
    """The JSON value of ``text``, or :data:`_NOT_JSON` (with the error kept for messages)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON


def _classify(s: str, depth: int) -> LoadedKey | None:
    """The key that ``s`` (normalised) holds, an error for key material that cannot be read,
    or ``None`` when ``s`` holds no recognisable key."""
    s = s.strip()
    if not s:
        return None
    head, tail = s[0], s[-1]
    if head in '{["':
        doc = _json(s)
        if isinstance(doc, dict):
            return _from_json_object(doc)
        if isinstance(doc, list):
            found = _from_json_array(doc, depth)
            if found is not None:
                return found
        elif isinstance(doc, str) and depth < MAX_WRAP_DEPTH:
            found = _classify(normalise_key_text(doc), depth + 1)
            if found is not None:
                return found
        elif doc is _NOT_JSON and head == "{" and (tail == "}" or "kty" in s or "keys" in s):
            # A cut-off JWK is reported as such, never used as an HMAC secret.
            return _unreadable_json(s)
    armour = _armour(s)
    if armour:
        if "\\n" in s:
            # PEM kept on one line with escaped newlines, as in .env files and JSON configs.
            s = s.replace("\\r\\n", "\n").replace("\\n", "\n")
            armour = _armour(s)
        return _from_pem(s, armour)
    if depth < MAX_WRAP_DEPTH and len(s) >= 2 and _WRAPS.get(head) == tail:
        found = _classify(s[1:-1], depth + 1)
        if found is not None:
            return found
    found = _from_ssh_text(s)
    if found is not None:
        return found
    return _from_encoded(s, depth)


def key_material_hint(text: str) -> str | None:
    """Why ``text`` (normalised) looks like key material though no key could be read from
    it, or ``None``. The last guard before a text becomes an HMAC secret. It also looks at
    the text's compatibility form (NFKC, Unicode dashes as '-'), so that look-alike
    characters (as a word processor writes them) do not hide armour or a ``kty``."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_DASH_LOOKALIKES)
    if _ARMOUR_HINT.search(text):
        return "it has PEM or SSH armour (BEGIN/END lines)"
    lowered = text.lower()
    jwk = _jwk_hint(text) or ("%" in text and _jwk_hint(urllib.parse.unquote(text)))
    if jwk:
        return jwk
    compact = _compact(text)
    fields = [f for f in _FIELD_SEPARATORS.split(text) if f]
    # The value of every 'name=value' or 'name:value' field too (once each).
    seen = set(fields)
    for value in map(_field_value, fields[:]):
        if value not in seen:
            seen.add(value)
            fields.append(value)
    if compact not in seen:
        fields.append(compact)
    named = next((n for n in _KEY_NAMES if n in lowered), None)
    if named is not None and any(
        len(f) >= MIN_ENCODED_KEY and (_B64_STD.fullmatch(f) or _HEX.fullmatch(f)) for f in fields
    ):
        return f"it names a {named} next to base64 or hex data"
    for f in fields:
        if _is_ssh_type(f):
            return f"it names the OpenSSH key type {f[:MAX_SSH_TYPE]!r}"
        if len(f) < MIN_ENCODED_KEY:
            continue
        for data, form in _decodings(f):
            if _der_shape(data):
                return f"part of it decodes ({form}) to an ASN.1 DER sequence"
            if _der_key_start(data):
                return (
                    f"part of it decodes ({form}) to the start of a DER key or certificate, cut off"
                )
            if _ssh_wire_type(data) is not None:
                return f"part of it decodes ({form}) to an OpenSSH key blob"
            if b'"kty"' in data or b"BEGIN" in data.upper():
                return f"part of it decodes ({form}) to text that holds a key"
            if b":" in data and data.isascii() and _jwk_hint(data.decode("ascii")):
                return f"part of it decodes ({form}) to a JWK's members"
    return None


def _embedded_key(text: str) -> LoadedKey | None:
    """The first key held as DER or an OpenSSH blob in one field of ``text`` (a data: URL,
    a ``key=...`` line, a config value), when it can be read; else ``None``."""
    for f in _FIELD_SEPARATORS.split(text):
        if len(f) < MIN_ENCODED_KEY:
            continue
        for data, form in _decodings(_field_value(f)):
            if _der_shape(data):
                found = _from_der(data, form)
            elif _ssh_wire_type(data) is not None:
                found = _from_ssh_wire(data, None, f"OpenSSH, {form} blob")
            else:
                continue
            return found if found.error is None else None
    return None


def _jwk_hint(text: str) -> str | None:
    """Why ``text`` reads as a JWK even though it is not one as JSON (a trailing comma, a
    comment, 'kty' spelled with escapes, no 'kty' at all), or ``None``."""
    unescaped = _ESCAPES.sub(_unescape, text) if "\\" in text else text
    # Each pattern is tried only when the text holds what it cannot match without (most
    # secrets hold neither): they are compiled on first use.
    if "kty" in unescaped.casefold() and _KTY_WORD.search(unescaped):
        return "it mentions 'kty', a JWK member"
    if ":" not in unescaped and "=" not in unescaped:
        return None
    for name in sorted({m.group(1) for m in _JWK_VALUE.finditer(unescaped)}):
        if _JWK_PARTNER[name].search(unescaped):
            return f"it has a JWK's public-key members ({name!r} and its partner)"
    return None


def _unescape(m: re.Match[str]) -> str:
    return chr(int(m.group(1) or m.group(2), 16))


def _field_value(f: str) -> str:
    """The value of a ``name=value`` or ``name:value`` field (a config line, a URL query);
    the field itself when it has no name (hex with colons is a value, not a name)."""
    if "=" in f.rstrip("="):
        return f.split("=", 1)[1]
    if ":" in f and not _HEX_COLONS.fullmatch(f):
        return f.split(":", 1)[1]
    return f


def _compact(text: str) -> str:
    """``text`` without whitespace, nor the escaped line breaks (a backslash and 'n') that a
    key kept on one line in a JSON or .env file has."""
    if "\\" in text:
        text = text.replace("\\r", " ").replace("\\n", " ")
    return "".join(text.split())


def _decodings(text: str) -> Iterator[tuple[bytes, str]]:
    """Every way ``text`` (no whitespace) decodes: base64, base64url, hex (also with colons
    or a ``0x``)."""
    if text[:2] in ("0x", "0X") and _HEX.fullmatch(text, 2) and len(text) % 2 == 0:
        yield bytes.fromhex(text[2:]), "hex"
        return
    body = text.rstrip("=")
    if len(body) % 4 != 1:
        padded = body + "=" * (-len(body) % 4)
        if _B64_STD.fullmatch(text):
            yield base64.b64decode(padded), "base64"
        if _B64_URL.fullmatch(text) and ("-" in text or "_" in text):
            yield base64.urlsafe_b64decode(padded), "base64url"
    if len(text) % 2 == 0 and _HEX.fullmatch(text):
        yield bytes.fromhex(text), "hex"
    elif _HEX_COLONS.fullmatch(text):
        yield bytes.fromhex(text.replace(":", "")), "hex"


def _der_header(data: bytes, pos: int) -> tuple[int, int] | None:
    """``(content start, end)`` of the DER element at ``pos``, or ``None`` if it does not fit
    (a high tag number, or an end beyond ``data``)."""
    if pos < len(data) and data[pos] & 0x1F == 0x1F:
        return None
    span = _der_start(data, pos)
    return span if span is not None and span[1] <= len(data) else None


def _der_shape(data: bytes) -> bool:
    """Whether ``data`` is exactly one ASN.1 DER SEQUENCE whose contents are a run of whole
    elements, as every key and certificate is (random bytes almost never are)."""
    if len(data) < 8 or data[0] != 0x30:
        return False
    outer = _der_header(data, 0)
    if outer is None or outer[1] != len(data):
        return False
    pos, end = outer
    count = 0
    while pos < end:
        inner = _der_header(data, pos)
        if inner is None:
            return False
        pos = inner[1]
        count += 1
    return count > 0 and pos == end


def _der_start(data: bytes, pos: int) -> tuple[int, int] | None:
    """``(content start, declared end)`` of the DER element at ``pos``, the end possibly
    beyond ``data`` (cut off); ``None`` if even the header does not fit."""
    if pos + 2 > len(data):
        return None
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4 or pos + n > len(data):
            return None
        length = int.from_bytes(data[pos : pos + n], "big")
        pos += n
    return pos, pos + length


def _der_key_start(data: bytes) -> bool:
    """Whether ``data`` is the beginning of a DER key or certificate that is cut off (a PEM
    body missing its last lines): a SEQUENCE longer than ``data`` that opens as a key does
    (a key algorithm's identifier in its first bytes; a certificate's explicit version; a
    PKCS#1 public key's modulus; a PKCS#1 or SEC1 private key's version). Random bytes match
    with a probability below one in a billion."""
    if len(data) < MIN_ENCODED_KEY or data[0] != 0x30:
        return False
    outer = _der_start(data, 0)
    if outer is None or outer[1] <= len(data):
        return False
    if any(oid in data[:_KEY_OID_WINDOW] for oid in _KEY_OIDS):
        return True
    pos = outer[0]
    first = _der_start(data, pos) if data[pos : pos + 1] in (b"\x30", b"\x02") else None
    if first is None:
        return False
    body = data[first[0] : first[0] + 4]
    if data[pos] == 0x30:
        return body == b"\xa0\x03\x02\x01"  # tbsCertificate, version [0]
    if first[1] - first[0] > 64:
        return body[:1] == b"\x00"  # PKCS#1 RSA public key: the modulus, high bit set
    return data[pos : pos + 3] in (b"\x02\x01\x00", b"\x02\x01\x01") and data[
        pos + 3 : pos + 4
    ] in (b"\x02", b"\x04")  # PKCS#1 or SEC1 private key: version, then n or d


def _ssh_wire_type(data: bytes) -> str | None:
    """The key type an OpenSSH wire-format key blob starts with (a uint32 length and the
    type name, RFC 4253 §6.6), or ``None``."""
    if len(data) < 12:
        return None
    n = int.from_bytes(data[:4], "big")
    if not 7 <= n <= MAX_SSH_TYPE or len(data) < 4 + n:
        return None
    try:
        name = data[4 : 4 + n].decode("ascii")
    except UnicodeDecodeError:
        return None
    return name if _SSH_TYPE.fullmatch(name) else None


def describe_public(key: Any) -> tuple[str, str | None, int]:
    """``("RSA 2048-bit", None, 2048)``, ``("EC P-256", "P-256", 256)``, ``("Ed25519", ...)``."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA {key.key_size}-bit", None, key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        crv = EC_CURVE_NAMES.get(key.curve.name)
        return f"EC {crv or key.curve.name}", crv, key.curve.key_size
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", "Ed25519", 256
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", "Ed448", 456
    return type(key).__name__, None, 0


def _kty_of(key: Any) -> Literal["RSA", "EC", "OKP"] | None:
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    if isinstance(key, rsa.RSAPublicKey):
        return "RSA"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC"
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return "OKP"
    return None


def _unsupported(key: Any, where: str) -> str | None:
    """Why a loaded public key cannot be a JWS key, or ``None``."""
    kty = _kty_of(key)
    if kty is None:
        name = type(key).__name__.replace("PublicKey", "").lstrip("_") or "this"
        return f"The {where} holds a {name} key, which JWS signatures do not use."
    if kty == "EC" and key.curve.name not in EC_CURVE_NAMES:
        return (
            f"The {where} holds an EC key on curve {key.curve.name}, which JWS does not use "
            "(ES256 needs P-256, ES384 P-384, ES512 P-521, ES256K secp256k1)."
        )
    return None


def _public_candidate(key: Any, what: str, **kw: Any) -> KeyCandidate:
    from cryptography.hazmat.primitives.asymmetric import rsa

    desc, crv, bits = describe_public(key)
    return KeyCandidate(
        kty=_kty_of(key),
        key=key,
        description=f"{desc} {what}",
        label=desc,
        crv=crv,
        bits=bits,
        roca=isinstance(key, rsa.RSAPublicKey) and is_roca_weak(key.public_numbers().n),
        small_order=_okp_small_order(key),
        **kw,
    )


_UNSUPPORTED_DESCRIPTIONS: dict[str, str] = {
    "pem-private": "unsupported private key",
    "pem-public": "unsupported public key",
    "certificate": "unsupported certificate",
    "ssh-public": "unsupported key",
}


def _one_public(
    kind: KeyKind,
    public: Any,
    where: str,
    what: str,
    *,
    private_form: str | None = None,
    material: tuple[bytes, ...] = (),
    certificate: CertificateFacts | None = None,
) -> LoadedKey:
    """``public`` (read from a ``where``) as the one candidate of a ``kind`` key, or why JWS
    cannot use it. ``private_form`` names the private key it is the public half of;
    ``material`` is the binary form it was read from."""
    problem = _unsupported(public, where)
    if problem:
        return _error(
            kind,
            _UNSUPPORTED_DESCRIPTIONS[kind],
            problem,
            public_material=True,
            private=private_form is not None,
            material=material,
        )
    cand = _public_candidate(public, what, certificate=certificate)
    return LoadedKey(
        kind=kind,
        description=cand.description,
        candidates=(cand,),
        findings=() if private_form is None else (_private_finding(private_form),),
        public_material=True,
        private=private_form is not None,
        material=material,
    )


def _error(kind: KeyKind | None, description: str, message: str, **kw: Any) -> LoadedKey:
    return LoadedKey(kind=kind, description=description, error=message, **kw)


def _private_finding(what: str) -> Finding:
    return finding(
        "private-key-pasted",
        f"The key is a private key ({what}); only its public half was used to verify.",
    )


# PEM and RFC 4716 armour ----------------------------------------------------------------


class _Armour(NamedTuple):
    """One ``-----BEGIN LABEL-----`` or ``---- END LABEL ----`` line, wherever it stands (a
    named tuple: hostile text can hold hundreds of thousands, and tuples are cheap to make)."""

    begin: bool
    label: str
    start: int
    end: int


def _armour(text: str) -> list[_Armour]:
    """Every armour line in ``text``: BEGIN or END in any case, after one or more dashes
    (and up to a few spaces), a label of at most :data:`MAX_PEM_LABEL` characters on the same
    line, and one or more dashes. Linear: each dash run is looked at by one armour only."""
    out: list[_Armour] = []
    pos = 0
    for m in _ARMOUR_WORD.finditer(text):
        i = m.start()
        if i < pos:
            continue
        j = i
        while j > 0 and i - j < 4 and text[j - 1] in " \t":
            j -= 1
        if j == 0 or text[j - 1] != "-":
            continue
        k = m.end()
        dash = text.find("-", k, k + MAX_PEM_LABEL + 1)
        if dash < 0 or "\n" in text[k:dash]:
            continue
        end = _DASHES.match(text, dash)
        assert end is not None  # "-*" always matches
        label = " ".join(text[k:dash].split()).upper()
        out.append(_Armour(m.group(1).upper() == "BEGIN", label, j - 1, end.end()))
        pos = end.end()
    return out


def pem_blocks(
    text: str, armour: list[_Armour] | None = None
) -> tuple[list[tuple[str, str]], str | None]:
    """``([(label, body), ...], problem)``: the armoured blocks of ``text`` in order (labels
    upper-cased), and what is wrong with the armour that is not a whole block, if anything.
    ``armour`` is ``_armour(text)`` when the caller has it already."""
    blocks: list[tuple[str, str]] = []
    problem: str | None = None
    opened: _Armour | None = None
    for a in _armour(text) if armour is None else armour:
        if a.begin:
            if opened is not None and problem is None:
                problem = f"the 'BEGIN {opened.label}' line has no END line"
            opened = a
        elif opened is None:
            problem = problem or f"the 'END {a.label}' line has no BEGIN line before it"
        elif a.label != opened.label:
            problem = problem or (f"the block begins as '{opened.label}' but ends as '{a.label}'")
            opened = None
        else:
            blocks.append((a.label, text[opened.end : a.start].rstrip("- \t\r\n")))
            opened = None
    if opened is not None and problem is None:
        problem = f"the 'BEGIN {opened.label}' line has no matching '-----END' line (cut off?)"
    return blocks, problem


def _pem_body(body: str) -> tuple[bytes | None, bool]:
    """``(DER bytes or None if the body is not base64, encrypted)``: a PEM or RFC 4716
    body without its header lines (``Name: value``, continued by a trailing backslash)."""
    data: list[str] = []
    encrypted = False
    continued = False
    for line in body.splitlines():
        t = line.strip()
        if continued:
            continued = t.endswith("\\")
            continue
        if ":" in t:
            if "".join(t.split()).upper().startswith("PROC-TYPE:4,ENCRYPTED"):
                encrypted = True
            continued = t.endswith("\\")
            continue
        data.append(t)
    compact = "".join("".join(data).split())
    if not _B64_STD.fullmatch(compact) or len(compact.rstrip("=")) % 4 == 1:
        return None, encrypted
    core = compact.rstrip("=")
    try:
        return base64.b64decode(core + "=" * (-len(core) % 4)), encrypted
    except (binascii.Error, ValueError):  # pragma: no cover - excluded above
        return None, encrypted


_PEM_NAMES = {
    "PUBLIC KEY": "SPKI",
    "RSA PUBLIC KEY": "PKCS#1",
    "PRIVATE KEY": "PKCS#8",
    "RSA PRIVATE KEY": "PKCS#1",
    "EC PRIVATE KEY": "SEC1",
    "DSA PRIVATE KEY": "DSA",
    "OPENSSH PRIVATE KEY": "OpenSSH",
    "ENCRYPTED PRIVATE KEY": "encrypted PKCS#8",
    "CERTIFICATE": "X.509",
    "X509 CERTIFICATE": "X.509",
    "TRUSTED CERTIFICATE": "X.509",
    "SSH2 PUBLIC KEY": "RFC 4716",
}


def _from_pem(text: str, armour: list[_Armour]) -> LoadedKey:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    blocks, problem = pem_blocks(text, armour)
    blocks = [b for b in blocks if b[0] not in _PARAMETER_LABELS]
    if not blocks:
        return _error(
            "pem-public",
            "broken PEM",
            f"The key text has PEM armour, but {problem or 'no key block'}, so the PEM block "
            "is cut off or mismatched.",
            public_material=True,
        )
    label, body = blocks[0]
    form = _PEM_NAMES.get(label)
    if form is None:
        return _error(
            None,
            f"PEM {label[:MAX_PEM_LABEL]}",
            f"The PEM block is a '{label}', which is not a key or certificate the inspector "
            "can verify with (expected PUBLIC KEY, PRIVATE KEY or CERTIFICATE).",
            public_material=True,
        )
    der, encrypted = _pem_body(body)
    if label == "ENCRYPTED PRIVATE KEY" or ("PRIVATE KEY" in label and encrypted):
        return _encrypted("PEM")
    if der is None:
        return _error(
            "ssh-public" if label == "SSH2 PUBLIC KEY" else "pem-public",
            f"unreadable {form} PEM",
            f"The {form} PEM block's body is not base64, so it cannot be read.",
            public_material=True,
            private="PRIVATE KEY" in label,
        )
    if label == "SSH2 PUBLIC KEY":
        return _from_ssh_wire(der, None, "RFC 4716")
    if "CERTIFICATE" in label:
        return _from_certificate(der, "PEM")
    if "PRIVATE KEY" in label:
        try:
            if label == "OPENSSH PRIVATE KEY":
                pem = _canonical_pem("OPENSSH PRIVATE KEY", der)
                priv: Any = serialization.load_ssh_private_key(pem, password=None)
            else:
                priv = serialization.load_der_private_key(der, password=None)
        except TypeError:
            return _encrypted("PEM")
        except (ValueError, UnsupportedAlgorithm) as err:
            return _error(
                "pem-private",
                f"unreadable {form} private key",
                f"The {form} private key PEM could not be read: {_short(err)}.",
                public_material=True,
                private=True,
            )
        return _private_loaded(priv, f"{form} PEM", f"{form} private key", der)
    try:
        public = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm) as err:
        return _error(
            "pem-public",
            f"unreadable {form} public key",
            f"The {form} public key PEM could not be read: {_short(err)}.",
            public_material=True,
        )
    return _one_public(
        "pem-public", public, f"{form} public key", f"public key ({form} PEM)", material=(der,)
    )


def _canonical_pem(label: str, der: bytes) -> bytes:
    body = base64.b64encode(der).decode("ascii")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return (
        "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"
    ).encode("ascii")


def _encrypted(form: str) -> LoadedKey:
    return _error(
        "pem-private",
        "encrypted private key",
        f"This key is encrypted (passphrase-protected {form}). Paste the public key, or "
        "decrypt the key first (for example: openssl pkey -in key.pem -pubout).",
        public_material=True,
        private=True,
    )


def _private_loaded(priv: Any, form: str, where: str, der: bytes) -> LoadedKey:
    """The public half of a private key read from ``form``, as the one candidate."""
    loaded = _one_public(
        "pem-private",
        priv.public_key(),
        where,
        f"public key (public half of the {where})",
        private_form=form,
        material=(der,),
    )
    if loaded.error is not None:
        return loaded
    return LoadedKey(
        kind=loaded.kind,
        description=loaded.description,
        candidates=loaded.candidates,
        findings=loaded.findings,
        public_material=True,
        private=True,
        material=loaded.material,
        private_key=priv,
    )


def _short(err: Exception) -> str:
    """The library's reason in our words where we know it, else its first line, cut short."""
    msg = str(err).split("\n", 1)[0].strip().rstrip(".")
    if msg.startswith(("Could not deserialize", "Valid PEM but no BEGIN", "Unable to load")):
        return (
            "its content is not a valid key of this kind (cut off, mistyped, or a different "
            "kind of key)"
        )
    return msg[:160] or type(err).__name__


def _certificate_facts(cert: Any) -> CertificateFacts | None:
    from cryptography import x509

    try:
        not_before = cert.not_valid_before_utc.timestamp()
        not_after = cert.not_valid_after_utc.timestamp()
    except (ValueError, OverflowError):
        return None
    usages: tuple[str, ...] | None = None
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        ku = None
    except ValueError:
        # A keyUsage that cannot be parsed allows nothing.
        return CertificateFacts(
            not_before=not_before, not_after=not_after, signing_forbidden=True, key_usage=()
        )
    if ku is not None:
        names = (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
        )
        usages = tuple(n for n in names if getattr(ku, n))
    return CertificateFacts(
        not_before=not_before,
        not_after=not_after,
        signing_forbidden=usages is not None and "digital_signature" not in usages,
        key_usage=usages,
    )


def _from_certificate(der: bytes, form: str) -> LoadedKey:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        cert = x509.load_der_x509_certificate(der)
        public = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as err:
        return _error(
            "certificate",
            "unreadable certificate",
            f"The {form} certificate could not be read: {_short(err)}.",
            public_material=True,
        )
    try:
        subject = cert.subject.rfc4514_string()
    except ValueError:
        subject = ""
    where = (
        f"from an X.509 certificate ({subject[:80]})" if subject else "from an X.509 certificate"
    )
    return _one_public(
        "certificate",
        public,
        "certificate",
        f"public key {where}",
        material=(der,),
        certificate=_certificate_facts(cert),
    )


def _from_encoded(s: str, depth: int) -> LoadedKey | None:
    """A key in DER or OpenSSH wire format written as base64, base64url or hex (whitespace
    allowed), or a key text written in base64; ``None`` if ``s`` is none of these."""
    compact = _compact(s)
    if len(compact) < MIN_ENCODED_KEY:
        return None
    for data, form in _decodings(compact):
        if _der_shape(data):
            return _from_der(data, form)
        wire = _ssh_wire_type(data)
        if wire is not None:
            return _from_ssh_wire(data, None, f"OpenSSH, {form} blob")
        if depth < MAX_WRAP_DEPTH and (
            b'"kty"' in data or b"BEGIN" in data.upper() or _base64_text(data)
        ):
            try:
                inner = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            found = _classify(normalise_key_text(inner), depth + 1)
            if found is not None:
                return found
    return None


def _base64_text(data: bytes) -> bool:
    """Whether ``data`` is itself base64 text (a key body encoded twice, as a Kubernetes
    secret holds one); random bytes, as a secret's decoding gives, never are."""
    if len(data) < MIN_ENCODED_KEY or not data.isascii():
        return False
    return _B64_STD.fullmatch("".join(data.decode("ascii").split())) is not None


def _from_der(der: bytes, form: str) -> LoadedKey:
    """A certificate, public key (SPKI or PKCS#1) or private key (PKCS#8, PKCS#1, SEC1) in
    DER; an error (never ``None``) for a DER sequence that is none of these."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    cert = _from_certificate(der, f"DER ({form})")
    if cert.error is None:
        return cert
    try:
        public = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        pass
    else:
        return _one_public(
            "pem-public", public, "DER public key", f"public key ({form} DER)", material=(der,)
        )
    try:
        priv: Any = serialization.load_der_private_key(der, password=None)
    except TypeError:
        return _encrypted("DER")
    except (ValueError, UnsupportedAlgorithm):
        return _error(
            None,
            "unreadable DER",
            f"The key text is an ASN.1 DER sequence ({form}), as keys and certificates are, "
            "but not a public key, private key or certificate the inspector can read; it is "
            "not used as an HMAC secret.",
            public_material=True,
        )
    return _private_loaded(priv, "DER", "DER private key", der)


# OpenSSH --------------------------------------------------------------------------------


def _is_ssh_type(f: str) -> bool:
    """Whether the field ``f`` is an OpenSSH key type name (checked cheaply first)."""
    return (
        len(f) <= MAX_SSH_TYPE
        and f[:2].casefold() in _SSH_TYPE_STARTS
        and _SSH_TYPE.fullmatch(f) is not None
    )


def _from_ssh_text(s: str) -> LoadedKey | None:
    """The first OpenSSH public key in ``s``: an ``authorized_keys`` line (options before the
    type), a ``known_hosts`` line (host names and markers before it), a certificate, with
    any whitespace between the fields. ``None`` if no field is an OpenSSH key type."""
    for line in s.splitlines():
        fields = line.split()
        for i, f in enumerate(fields):
            if _is_ssh_type(f):
                blob = fields[i + 1] if i + 1 < len(fields) else ""
                return _from_ssh_blob(f, blob)
    return None


def _from_ssh_blob(type_name: str, blob: str) -> LoadedKey:
    core = blob.rstrip("=")
    if not core or not _B64_STD.fullmatch(blob) or len(core) % 4 == 1:
        return _error(
            "ssh-public",
            "unreadable OpenSSH public key",
            f"The OpenSSH {type_name!r} key has no base64 key data after its type.",
            public_material=True,
        )
    wire = base64.b64decode(core + "=" * (-len(core) % 4))
    return _from_ssh_wire(wire, type_name, "OpenSSH")


def _from_ssh_wire(wire: bytes, type_name: str | None, form: str) -> LoadedKey:
    """A key (or OpenSSH certificate) in SSH wire format, written in ``form``; ``type_name``
    is what the text said it is, which must be what the blob says."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    inner = _ssh_wire_type(wire)
    if inner is None or (type_name is not None and inner != type_name):
        said = f" says {type_name!r} but" if type_name is not None else ""
        return _error(
            "ssh-public",
            "unreadable OpenSSH public key",
            f"The {form} public key{said} does not hold a readable key of that type.",
            public_material=True,
        )
    if inner == "ssh-dss":
        return _error(
            "ssh-public",
            _UNSUPPORTED_DESCRIPTIONS["ssh-public"],
            f"The {form} public key is a DSA key (ssh-dss), which JWS signatures do not use.",
            public_material=True,
            material=(wire,),
        )
    line = f"{inner} {base64.b64encode(wire).decode('ascii')}".encode("ascii")
    try:
        loaded: Any = serialization.load_ssh_public_identity(line)
    except (ValueError, UnsupportedAlgorithm) as err:
        return _error(
            "ssh-public",
            "unreadable OpenSSH public key",
            f"The {form} public key ({inner}) could not be read: {_short(err)}.",
            public_material=True,
        )
    if isinstance(loaded, serialization.SSHCertificate):
        public, form = loaded.public_key(), f"{form} certificate"
    else:
        public = loaded
    return _one_public(
        "ssh-public", public, f"{form} public key", f"public key ({form})", material=(wire,)
    )


# JWK and JWK Set ------------------------------------------------------------------------


def _unreadable_json(text: str) -> LoadedKey:
    try:
        json.loads(text)
    except (ValueError, RecursionError) as err:
        pos = getattr(err, "pos", None)
    else:  # pragma: no cover - only called for text that is not JSON
        pos = None
    where = f" at character {pos}" if pos is not None else ""
    return _error(
        "jwk",
        "unreadable JSON",
        f"The key text looks like a JWK but is not valid JSON{where}.",
        public_material=True,
    )


def _from_json_object(doc: dict[str, Any]) -> LoadedKey:
    if "keys" in doc:
        return _from_jwks(doc)
    try:
        loaded = load_jwk(doc)
    except JWKError as err:
        where = f" (member '{err.member}')" if err.member else ""
        return _error(
            "jwk",
            "unusable JWK",
            f"The JWK cannot be used{where}: {err.message}",
            public_material=doc.get("kty") != "oct",
        )
    cand = _jwk_candidate(loaded, None)
    findings: tuple[Finding, ...] = ()
    if loaded.is_private:
        findings = (_private_finding(f"{loaded.kty} JWK with 'd'"),)
    return LoadedKey(
        kind="jwk",
        description=cand.description,
        candidates=(cand,),
        findings=findings,
        public_material=loaded.kty != "oct",
        private=loaded.is_private,
        private_key=loaded.private,
    )


def _from_json_array(doc: list[Any], depth: int) -> LoadedKey | None:
    """A JSON array of JWKs (read as a JWK Set) or of key texts (an ``x5c`` chain: the
    first that holds a key is used, the signer's certificate coming first); ``None`` for
    an array that holds no key."""
    if len(doc) == 1 and isinstance(doc[0], dict):
        return _from_json_object(doc[0])
    if doc and all(isinstance(e, dict) for e in doc):
        return _from_jwks({"keys": doc})
    if depth >= MAX_WRAP_DEPTH or not all(isinstance(e, str) for e in doc):
        return None
    for entry in doc[:MAX_JWKS_KEYS]:
        found = _classify(normalise_key_text(entry), depth + 1)
        if found is not None:
            return found
    return None


def _jwk_candidate(loaded: LoadedJWK, index: int | None) -> KeyCandidate:
    if loaded.kty == "oct":
        desc = f"{loaded.bits}-bit shared secret (oct JWK)"
        key: Any = loaded.secret
        roca = False
    else:
        desc = f"{loaded.describe()} public key"
        if loaded.is_private:
            desc += " (from a private JWK)"
        key = loaded.public
        roca = loaded.kty == "RSA" and is_roca_weak(key.public_numbers().n)
    if loaded.kid is not None:
        desc += f", kid {loaded.kid!r}"
    return KeyCandidate(
        kty=loaded.kty,
        key=key,
        description=desc,
        label=loaded.describe(),
        crv=loaded.crv,
        bits=loaded.bits,
        kid=loaded.kid,
        alg=loaded.alg,
        use=loaded.use,
        key_ops=loaded.key_ops,
        index=index,
        roca=roca,
        small_order=loaded.kty == "OKP" and _okp_small_order(key),
        jwk=dict(loaded.params) if loaded.params is not None else None,
        loaded_jwk=loaded,
    )


def _from_jwks(doc: dict[str, Any]) -> LoadedKey:
    keys = doc.get("keys")
    if not isinstance(keys, list):
        return _error(
            "jwks",
            "not a JWK Set",
            "The JWK Set's 'keys' member is not an array.",
            public_material=True,
        )
    if not keys:
        return _error("jwks", "empty JWK Set", "The JWK Set holds no keys.", public_material=True)
    if len(keys) > MAX_JWKS_KEYS:
        return _error(
            "jwks",
            "oversized JWK Set",
            f"The JWK Set holds {len(keys):,} keys; at most {MAX_JWKS_KEYS} are read.",
            public_material=True,
        )
    cands: list[KeyCandidate] = []
    findings: list[Finding] = []
    private = False
    for i, entry in enumerate(keys):
        if not isinstance(entry, dict):
            cands.append(
                KeyCandidate(
                    kty=None,
                    key=None,
                    description=f"key #{i + 1}",
                    index=i,
                    problem=f"Key #{i + 1} of the JWK Set is not a JSON object.",
                )
            )
            continue
        kid = entry.get("kid") if isinstance(entry.get("kid"), str) else None
        try:
            loaded = load_jwk(entry)
        except JWKError as err:
            kty = entry.get("kty")
            where = f" (member '{err.member}')" if err.member else ""
            name = f"kid {kid!r}" if kid is not None else f"#{i + 1}"
            cands.append(
                KeyCandidate(
                    kty=kty if kty in ("RSA", "EC", "OKP", "oct") else None,
                    key=None,
                    description=f"key {name} of the JWK Set",
                    kid=kid,
                    alg=entry.get("alg") if isinstance(entry.get("alg"), str) else None,
                    index=i,
                    problem=f"Key {name} of the JWK Set cannot be used{where}: {err.message}",
                )
            )
            continue
        private = private or loaded.is_private
        cands.append(_jwk_candidate(loaded, i))
    kids = Counter(c.kid for c in cands if c.kid is not None)
    dups = frozenset(k for k, n in kids.items() if n > 1)
    for k in sorted(dups):
        findings.append(finding("duplicate-kid", f"{kids[k]} keys in the JWK Set share kid {k!r}."))
    # A member's own kty counts too when the inspector cannot read it (a post-quantum "AKP"
    # key, "rsa" in lower case): it is still no shared secret, so the set is still mixed.
    declared = {
        e["kty"][:MAX_KTY_SHOWN]
        for e in keys
        if isinstance(e, dict) and isinstance(e.get("kty"), str) and e["kty"]
    }
    types = {c.kty for c in cands if c.kty is not None} | declared
    mixed = "oct" in types and len(types) > 1
    if mixed:
        findings.append(
            finding(
                "mixed-key-types",
                "The JWK Set holds shared secrets (oct) and public keys ("
                + ", ".join(sorted(types - {"oct"}))
                + ") together.",
            )
        )
    if private:
        findings.append(_private_finding("a JWK Set with private members"))
    n = len(cands)
    return LoadedKey(
        kind="jwks",
        description=f"JWK Set with {n} key{'s' * (n != 1)}",
        candidates=tuple(cands),
        findings=tuple(findings),
        public_material=types != {"oct"},
        private=private,
        duplicate_kids=dups,
        mixed=mixed,
    )


# shared secret ---------------------------------------------------------------------------


def decode_secret(text: str, encoding: str) -> bytes:
    """The secret's bytes; raises ``ValueError`` with a message saying what is wrong and where."""
    if encoding == "utf-8":
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as err:
            raise ValueError(
                f"The secret has a lone surrogate (U+{ord(text[err.start]):04X}) at character "
                f"{err.start}, which is not text and has no UTF-8 bytes; nothing is replaced, "
                "so it cannot be used."
            ) from err
    body = "".join(text.split())
    if encoding == "hex":
        if len(body) % 2:
            raise ValueError(f"The hex secret has an odd number of digits ({len(body)}).")
        bad = next((i for i, c in enumerate(body) if c not in "0123456789abcdefABCDEF"), None)
        if bad is not None:
            raise ValueError(
                f"The hex secret has {body[bad]!r} at position {bad}, not a hex digit."
            )
        return bytes.fromhex(body)
    if encoding in ("base64", "base64url"):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + (
            "+/" if encoding == "base64" else "-_"
        )
        core = body.rstrip("=")
        bad = next((i for i, c in enumerate(core) if c not in alphabet), None)
        if bad is not None:
            raise ValueError(
                f"The {encoding} secret has {core[bad]!r} at position {bad}, which is not a "
                f"{encoding} character."
            )
        if len(core) % 4 == 1:
            raise ValueError(
                f"The {encoding} secret is {len(core)} characters long, which no base64 "
                "encoding can be."
            )
        padded = core + "=" * (-len(core) % 4)
        if encoding == "base64":
            return base64.b64decode(padded)
        return base64.urlsafe_b64decode(padded)
    raise ValueError(
        f"Unknown secret encoding {encoding!r}; use one of {', '.join(SECRET_ENCODINGS)}."
    )


def _from_secret(text: str, encoding: str) -> LoadedKey:
    try:
        secret = decode_secret(text, encoding)
    except ValueError as err:
        return _error("secret", "unreadable secret", str(err))
    desc = f"{8 * len(secret)}-bit shared secret ({encoding})"
    cand = KeyCandidate(kty="oct", key=secret, description=desc, label=desc, bits=8 * len(secret))
    return LoadedKey(kind="secret", description=desc, candidates=(cand,))


# Ed25519 / Ed448 keys of small order ---------------------------------------------------------

_ED25519_P = 2**255 - 19
_ED448_P = 2**448 - 2**224 - 1
#: (field prime, a, d) of the twisted Edwards curves a*x^2 + y^2 = 1 + d*x^2*y^2.
_EDWARDS = {
    32: (_ED25519_P, _ED25519_P - 1, -121665 * pow(121666, -1, _ED25519_P) % _ED25519_P),
    57: (_ED448_P, 1, -39081 % _ED448_P),
}


def _okp_small_order(key: Any) -> bool:
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

    if not isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return False
    return is_small_order_point(key.public_bytes_raw())


def _sqrt_mod(v: int, p: int) -> int | None:
    if p % 4 == 3:
        r = pow(v, (p + 1) // 4, p)
    else:  # p = 5 (mod 8), as for Ed25519
        r = pow(v, (p + 3) // 8, p)
        if r * r % p != v:
            r = r * pow(2, (p - 1) // 4, p) % p
    return r if r * r % p == v else None


def is_small_order_point(raw: bytes) -> bool:
    """Whether the Ed25519 (32 bytes) or Ed448 (57 bytes) public key ``raw`` is a point of
    small order (8 times it is the neutral element), read as leniently as any verifier
    might: a non-canonical y (at least p) is reduced, the sign bit of x = 0 is ignored. With
    such a key a signature (R = the point, S = 0) verifies every message."""
    if len(raw) not in _EDWARDS:
        return False
    p, a, d = _EDWARDS[len(raw)]
    y = int.from_bytes(raw, "little") & ((1 << (8 * len(raw) - 1)) - 1)
    y %= p
    den = (d * y * y - a) % p
    if den == 0:
        return False
    x = _sqrt_mod((y * y - 1) * pow(den, -1, p) % p, p)
    if x is None:
        return False  # not a point: no signature verifies
    pt = (x, y)
    for _ in range(3):
        x1, y1 = pt
        t = d * x1 * x1 * y1 * y1 % p
        pt = (
            2 * x1 * y1 * pow(1 + t, -1, p) % p,
            (y1 * y1 - a * x1 * x1) * pow(1 - t, -1, p) % p,
        )
    return pt == (0, 1)


# ROCA ---------------------------------------------------------------------------------------

#: Primes dividing the ROCA primorial M for every key size (Nemec et al., CCS 2017).
_ROCA_PRIMES = (
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
    97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
)  # fmt: skip


def _subgroup(p: int) -> frozenset[int]:
    out, x = set(), 1
    while x not in out:
        out.add(x)
        x = x * 65537 % p
    return frozenset(out)


@cache
def _roca_groups() -> tuple[tuple[int, frozenset[int]], ...]:
    """The subgroup for each prime, computed when the first RSA key is checked (some 2,000
    numbers: ~1 ms that importing the codec for a shared secret need not spend)."""
    return tuple((p, _subgroup(p)) for p in _ROCA_PRIMES)


def is_roca_weak(n: int) -> bool:
    """Whether the RSA modulus has the ROCA fingerprint (CVE-2017-15361, Infineon RSALib):
    ``n mod p`` lies in the subgroup generated by 65537 for every small prime ``p`` of M."""
    return all(n % p in group for p, group in _roca_groups())
