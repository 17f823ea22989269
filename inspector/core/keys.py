"""Key text, auto-detected: from what a person pasted into the key field to candidate keys.

:func:`load_key` recognises PEM public keys (SPKI, PKCS#1 RSA), PEM private keys (PKCS#8,
PKCS#1, SEC1, OpenSSH), X.509 certificates (PEM, or the bare base64 DER that ``x5c`` holds),
OpenSSH public keys, a single JWK, a JWK Set, and otherwise a shared secret in the given
encoding. It never raises: a text that cannot be used gives a :class:`LoadedKey` whose
``error`` says what is wrong and where. Results are cached by (text, encoding), so typing in
the token field does not re-parse the key.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from inspector.core.findings import Finding, finding
from inspector.core.jwk import EC_CURVE_NAMES, JWKError, LoadedJWK, load_jwk
from inspector.core.lazy_crypto import unsupported_algorithm

KeyKind = Literal["pem-public", "pem-private", "certificate", "ssh-public", "jwk", "jwks", "secret"]
SecretEncoding = Literal["utf-8", "base64", "base64url", "hex"]
SECRET_ENCODINGS: tuple[str, ...] = ("utf-8", "base64", "base64url", "hex")
#: Key texts longer than this are refused (no real key comes close).
MAX_KEY_TEXT = 1_000_000
#: How many parsed keys are kept (by key text and encoding).
KEY_CACHE_SIZE = 32
#: JWK Sets with more keys than this are refused (real sets hold a handful).
MAX_JWKS_KEYS = 256

_PEM = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)
_B64_BODY = re.compile(r"[A-Za-z0-9+/=\s]+")
_SSH_PUBLIC = re.compile(r"(ssh-rsa|ssh-ed25519|ssh-ed448|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyCandidate:
    """One key that may verify the token: a public key object, or secret bytes (``oct``).

    ``problem`` is set (and ``key`` is ``None``) for a member of a JWK Set that could not be
    read: it still counts when the token's ``kid`` names it.
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

    @property
    def is_secret(self) -> bool:
        return self.kty == "oct"


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedKey:
    """What the key text turned out to be.

    ``error`` is set when nothing in it can be used. ``findings`` are about the key text itself
    (a private key was pasted, duplicate kids, a mixed set). ``public_material`` is true for
    anything that is (or holds) a public key: such text is never used as an HMAC secret.
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
        # third-party parsers. The message names the exception type only.
        return LoadedKey(
            kind=None,
            description="unreadable key",
            error=f"The key text could not be read ({type(err).__name__}).",
        )


def clear_key_cache() -> None:
    """Forget parsed keys (for tests and benchmarks)."""
    _load_key_cached.cache_clear()


# ------------------------------------------------------------------------ detection


def _detect(text: str, secret_encoding: str) -> LoadedKey:
    if len(text) > MAX_KEY_TEXT:
        return LoadedKey(
            kind=None,
            description="oversized key text",
            error=f"The key text is {len(text):,} characters; at most {MAX_KEY_TEXT:,}.",
        )
    stripped = text.strip()
    if "-----BEGIN " in stripped:
        return _from_pem(stripped)
    if stripped.startswith("{") and (
        stripped.endswith("}") or '"kty"' in stripped or '"keys"' in stripped
    ):
        # A cut-off JWK is reported as such, never used as an HMAC secret.
        return _from_json(stripped)
    if _SSH_PUBLIC.match(stripped):
        return _from_ssh(stripped)
    # Base64 DER: an ASN.1 SEQUENCE (0x30) encodes as "M"; Ed25519's SPKI is 60 characters.
    if stripped.startswith("M") and len(stripped) >= 60 and _B64_BODY.fullmatch(stripped):
        der = _from_bare_der(stripped)
        if der is not None:
            return der
    return _from_secret(text, secret_encoding)


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
        **kw,
    )


_UNSUPPORTED_DESCRIPTIONS: dict[str, str] = {
    "pem-private": "unsupported private key",
    "pem-public": "unsupported public key",
    "certificate": "unsupported certificate",
    "ssh-public": "unsupported key",
}


def _one_public(
    kind: KeyKind, public: Any, where: str, what: str, *, private_form: str | None = None
) -> LoadedKey:
    """``public`` (read from a ``where``) as the one candidate of a ``kind`` key, or why JWS
    cannot use it. ``private_form`` names the private key it is the public half of."""
    problem = _unsupported(public, where)
    if problem:
        return _error(kind, _UNSUPPORTED_DESCRIPTIONS[kind], problem, public_material=True)
    cand = _public_candidate(public, what)
    return LoadedKey(
        kind=kind,
        description=cand.description,
        candidates=(cand,),
        findings=() if private_form is None else (_private_finding(private_form),),
        public_material=True,
        private=private_form is not None,
    )


def _error(kind: KeyKind | None, description: str, message: str, **kw: Any) -> LoadedKey:
    return LoadedKey(kind=kind, description=description, error=message, **kw)


def _private_finding(what: str) -> Finding:
    return finding(
        "private-key-pasted",
        f"The key is a private key ({what}); only its public half was used to verify.",
    )


# PEM ---------------------------------------------------------------------------------

_PEM_NAMES = {
    "PUBLIC KEY": "SPKI",
    "RSA PUBLIC KEY": "PKCS#1",
    "PRIVATE KEY": "PKCS#8",
    "RSA PRIVATE KEY": "PKCS#1",
    "EC PRIVATE KEY": "SEC1",
    "OPENSSH PRIVATE KEY": "OpenSSH",
    "ENCRYPTED PRIVATE KEY": "encrypted PKCS#8",
    "CERTIFICATE": "X.509",
}


def _from_pem(text: str) -> LoadedKey:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    blocks = [(m.group(1), m.group(0)) for m in _PEM.finditer(text)]
    blocks = [b for b in blocks if b[0] not in ("EC PARAMETERS", "DH PARAMETERS")]
    if not blocks:
        return _error(
            "pem-public",
            "broken PEM",
            "The key text has a '-----BEGIN' line but no matching '-----END' line of the "
            "same type, so the PEM block is cut off or mismatched.",
            public_material=True,
        )
    label, block = blocks[0]
    data = block.encode("ascii", "replace")
    form = _PEM_NAMES.get(label)
    if form is None:
        return _error(
            None,
            f"PEM {label}",
            f"The PEM block is a '{label}', which is not a key or certificate the inspector "
            "can verify with (expected PUBLIC KEY, PRIVATE KEY or CERTIFICATE).",
            public_material=True,
        )
    if label == "ENCRYPTED PRIVATE KEY" or (
        "PRIVATE KEY" in label and "Proc-Type: 4,ENCRYPTED" in block
    ):
        return _error(
            "pem-private",
            "encrypted private key",
            "This key is encrypted (passphrase-protected PEM). Paste the public key, or "
            "decrypt the key first (for example: openssl pkey -in key.pem -pubout).",
            public_material=True,
            private=True,
        )
    if label == "CERTIFICATE":
        return _from_certificate(data, "PEM")
    if "PRIVATE KEY" in label:
        try:
            if label == "OPENSSH PRIVATE KEY":
                priv: Any = serialization.load_ssh_private_key(data, password=None)
            else:
                priv = serialization.load_pem_private_key(data, password=None)
        except TypeError:
            return _error(
                "pem-private",
                "encrypted private key",
                "This key is encrypted (passphrase-protected). Paste the public key instead.",
                public_material=True,
                private=True,
            )
        except (ValueError, UnsupportedAlgorithm) as err:
            return _error(
                "pem-private",
                f"unreadable {form} private key",
                f"The {form} private key PEM could not be read: {_short(err)}.",
                public_material=True,
                private=True,
            )
        return _one_public(
            "pem-private",
            priv.public_key(),
            f"{form} private key",
            f"public key (public half of the {form} private key)",
            private_form=f"{form} PEM",
        )
    try:
        public = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as err:
        return _error(
            "pem-public",
            f"unreadable {form} public key",
            f"The {form} public key PEM could not be read: {_short(err)}.",
            public_material=True,
        )
    return _one_public("pem-public", public, f"{form} public key", f"public key ({form} PEM)")


def _short(err: Exception) -> str:
    """The library's reason in our words where we know it, else its first line, cut short."""
    msg = str(err).split("\n", 1)[0].strip().rstrip(".")
    if msg.startswith(("Could not deserialize", "Valid PEM but no BEGIN", "Unable to load")):
        return (
            "its content is not a valid key of this kind (cut off, mistyped, or a different "
            "kind of key)"
        )
    return msg[:160] or type(err).__name__


def _from_certificate(data: bytes, form: str) -> LoadedKey:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        cert = (
            x509.load_pem_x509_certificate(data)
            if form == "PEM"
            else x509.load_der_x509_certificate(data)
        )
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
    return _one_public("certificate", public, "certificate", f"public key {where}")


def _from_bare_der(text: str) -> LoadedKey | None:
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    if not der.startswith(b"\x30"):
        return None
    cert = _from_certificate(der, "DER (base64)")
    if cert.error is None:
        return cert
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        public = serialization.load_der_public_key(der)
    except (ValueError, UnsupportedAlgorithm):
        return _from_der_private(der)
    return _one_public("pem-public", public, "DER public key", "public key (base64 DER)")


def _from_der_private(der: bytes) -> LoadedKey | None:
    """A private key in DER (PKCS#8, PKCS#1 or SEC1): its public half, as for PEM."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        priv: Any = serialization.load_der_private_key(der, password=None)
    except TypeError:
        return _error(
            "pem-private",
            "encrypted private key",
            "This key is encrypted (passphrase-protected DER). Paste the public key instead.",
            public_material=True,
            private=True,
        )
    except (ValueError, UnsupportedAlgorithm):
        # Not DER after all: a base64 text that happens to start like one is a secret.
        return None
    return _one_public(
        "pem-private",
        priv.public_key(),
        "DER private key",
        "public key (public half of a DER private key)",
        private_form="DER",
    )


def _from_ssh(text: str) -> LoadedKey:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    try:
        public = serialization.load_ssh_public_key(text.split("\n", 1)[0].encode("ascii"))
    except (ValueError, UnsupportedAlgorithm) as err:
        return _error(
            "ssh-public",
            "unreadable OpenSSH public key",
            f"The OpenSSH public key could not be read: {_short(err)}.",
            public_material=True,
        )
    return _one_public("ssh-public", public, "OpenSSH public key", "public key (OpenSSH)")


# JWK and JWK Set ------------------------------------------------------------------------


def _from_json(text: str) -> LoadedKey:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as err:
        pos = getattr(err, "pos", None)
        where = f" at character {pos}" if pos is not None else ""
        return _error(
            "jwk",
            "unreadable JSON",
            f"The key text looks like a JWK but is not valid JSON{where}.",
            public_material=True,
        )
    if not isinstance(doc, dict):
        return _error("jwk", "not a JWK", "The key JSON is not an object.", public_material=True)
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
    )


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
    types = {c.kty for c in cands if c.kty is not None}
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
        return text.encode("utf-8", "surrogatepass")
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


_ROCA_GROUPS = tuple((p, _subgroup(p)) for p in _ROCA_PRIMES)


def is_roca_weak(n: int) -> bool:
    """Whether the RSA modulus has the ROCA fingerprint (CVE-2017-15361, Infineon RSALib):
    ``n mod p`` lies in the subgroup generated by 65537 for every small prime ``p`` of M."""
    return all(n % p in group for p, group in _ROCA_GROUPS)
