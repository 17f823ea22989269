"""Making keys: generate a signing key for a JWS algorithm and export it as PEM, JWK, a public
JWK Set and its RFC 7638 thumbprint.

Exports take ``cryptography`` key objects (or the raw bytes of an HMAC secret). Reading key
text is not done here: :func:`inspector.core.signing.read_signing_key` and
:func:`inspector.core.keys.load_key` do that, and :func:`convert_key` chains them with the
exports. Randomness comes from the operating system through
:mod:`secrets` and ``cryptography``; :func:`generate_key` takes ``token_bytes`` so tests can
pin the HMAC secret.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from inspector.core.b64 import b64url_encode
from inspector.core.jwk import EC_CURVE_NAMES, PrivateKey, PublicKey
from inspector.core.keys import load_key
from inspector.core.signing import (
    SIGNING_ALGORITHMS,
    ProblemsOutcome,
    SignProblem,
    read_signing_key,
)

#: RSA sizes offered; RFC 7518 §3.3 forbids fewer than 2048 bits.
RSA_SIZES: tuple[int, ...] = (2048, 3072, 4096)
DEFAULT_RSA_BITS = 2048
#: Longest HMAC secret :func:`generate_key` makes (bits). Nothing needs more.
MAX_HMAC_BITS = 4096

#: Every algorithm a key can be generated for, in the order the UI lists them.
KEYGEN_ALGORITHMS: tuple[str, ...] = SIGNING_ALGORITHMS
#: Curves ``EdDSA`` may use (RFC 8037 §3.1); the first is the default.
EDDSA_CURVES: tuple[str, ...] = ("Ed25519", "Ed448")

_HMAC_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}
_EC_CURVES: Mapping[str, tuple[str, type[ec.EllipticCurve]]] = {
    "ES256": ("P-256", ec.SECP256R1),
    "ES384": ("P-384", ec.SECP384R1),
    "ES512": ("P-521", ec.SECP521R1),
    "ES256K": ("secp256k1", ec.SECP256K1),
}
#: RFC 7638 §3.2: the required members, per key type, that make up the thumbprint.
THUMBPRINT_MEMBERS: Mapping[str, tuple[str, ...]] = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
    "oct": ("k", "kty"),
}

AnyKey = PrivateKey | PublicKey | bytes


# ------------------------------------------------------------------------------ JWK export


def _b64_int(value: int, length: int | None = None) -> str:
    """A JWK integer: big-endian, minimal length unless ``length`` is given (EC coordinates)."""
    size = length if length is not None else max(1, (value.bit_length() + 7) // 8)
    return b64url_encode(value.to_bytes(size, "big"))


def _ec_crv(curve: ec.EllipticCurve) -> str:
    crv = EC_CURVE_NAMES.get(curve.name)
    if crv is None:
        raise ValueError(f"EC curve {curve.name} has no JWS algorithm (use P-256, P-384, P-521)")
    return crv


def public_jwk(key: AnyKey) -> dict[str, str]:
    """The public JWK (RFC 7517/7518/8037) of a key object; a private key gives its public half.
    An HMAC secret (``bytes``) has no public half: ``ValueError``."""
    if isinstance(key, bytes):
        raise ValueError("an HMAC secret has no public half")
    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        key = key.public_key()
    elif isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        key = key.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        nums = key.public_numbers()
        return {"kty": "RSA", "n": _b64_int(nums.n), "e": _b64_int(nums.e)}
    if isinstance(key, ec.EllipticCurvePublicKey):
        size = (key.curve.key_size + 7) // 8
        point = key.public_numbers()
        return {
            "kty": "EC",
            "crv": _ec_crv(key.curve),
            "x": _b64_int(point.x, size),
            "y": _b64_int(point.y, size),
        }
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        crv = "Ed25519" if isinstance(key, ed25519.Ed25519PublicKey) else "Ed448"
        return {"kty": "OKP", "crv": crv, "x": b64url_encode(raw)}
    raise TypeError(f"cannot export a {type(key).__name__} as a JWK")


def private_jwk(key: PrivateKey | bytes) -> dict[str, str]:
    """The private JWK of a private key object or of an HMAC secret (``bytes`` -> ``oct``)."""
    if isinstance(key, bytes):
        return {"kty": "oct", "k": b64url_encode(key)}
    jwk = public_jwk(key)
    if isinstance(key, rsa.RSAPrivateKey):
        nums = key.private_numbers()
        jwk.update(
            d=_b64_int(nums.d),
            p=_b64_int(nums.p),
            q=_b64_int(nums.q),
            dp=_b64_int(nums.dmp1),
            dq=_b64_int(nums.dmq1),
            qi=_b64_int(nums.iqmp),
        )
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        size = (key.curve.key_size + 7) // 8
        jwk["d"] = _b64_int(key.private_numbers().private_value, size)
    elif isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        raw = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        jwk["d"] = b64url_encode(raw)
    else:
        raise TypeError(f"{type(key).__name__} is not a private key")
    return jwk


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 SHA-256 thumbprint (base64url) of a JWK, public or private.

    ``ValueError`` when the key type is unknown or a required member is missing or not a string.
    """
    kty = jwk.get("kty")
    members = THUMBPRINT_MEMBERS.get(kty) if isinstance(kty, str) else None
    if members is None:
        raise ValueError(f"a JWK thumbprint needs kty RSA, EC, OKP or oct, not {kty!r}")
    required: dict[str, str] = {}
    for name in members:
        value = jwk.get(name)
        if not isinstance(value, str):
            raise ValueError(f"the {kty} JWK has no string member {name!r}")
        required[name] = value
    text = json.dumps(required, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return b64url_encode(hashlib.sha256(text.encode("utf-8")).digest())


def jwk_set(*jwks: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A JWK Set of the given keys. Refuses private or secret members: a set is for publishing."""
    for jwk in jwks:
        if "d" in jwk or jwk.get("kty") == "oct":
            raise ValueError("a published JWK Set must hold public keys only")
    return {"keys": [dict(j) for j in jwks]}


# ------------------------------------------------------------------------------ PEM export


def private_pem(key: PrivateKey) -> str:
    """PKCS#8 PEM, unencrypted (the tool never stores it; the user decides where it goes)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def public_pem(key: PrivateKey | PublicKey) -> str:
    """SubjectPublicKeyInfo PEM (``-----BEGIN PUBLIC KEY-----``) of a key or its public half."""
    if isinstance(
        key,
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey,
    ):
        key = key.public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def dumps_jwk(value: Mapping[str, Any]) -> str:
    """JWK / JWK Set JSON as shown and printed: two-space indented, members in insertion order."""
    return json.dumps(value, indent=2, ensure_ascii=False)


# ------------------------------------------------------------------------------ generation


@dataclass(frozen=True, slots=True, kw_only=True)
class GeneratedKey:
    """A freshly generated key, already exported in every form the UI and CLI show.

    PEM fields are ``None`` for an HMAC secret (there is no PEM form of a secret), and so are
    the public fields: a shared secret has no public half to publish. ``kid`` is the RFC 7638
    thumbprint and is set in every JWK.
    """

    alg: str
    kty: Literal["RSA", "EC", "OKP", "oct"]
    description: str
    thumbprint: str
    private_jwk: str
    public_jwk: str | None
    jwk_set: str | None
    private_pem: str | None
    public_pem: str | None
    #: The HMAC secret as base64url (use with ``--secret-encoding base64url``); ``None`` otherwise.
    secret_b64url: str | None = field(default=None, repr=False)
    #: The key object (or secret bytes), for callers that sign with it directly.
    key: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if (self.kty == "oct") != (self.public_jwk is None):
            raise ValueError("exactly the HMAC secret lacks a public half")

    @property
    def kid(self) -> str:
        return self.thumbprint


def keygen_problem(alg: str, *, bits: int | None = None, crv: str | None = None) -> str | None:
    """Why :func:`generate_key` would refuse these parameters, as a sentence; ``None`` if fine."""
    if alg not in KEYGEN_ALGORITHMS:
        return f"cannot generate a key for {alg!r}; choose one of {', '.join(KEYGEN_ALGORITHMS)}"
    if crv is not None and alg != "EdDSA":
        return "a curve can only be chosen for EdDSA (the other algorithms fix their curve)"
    if crv is not None and crv not in EDDSA_CURVES:
        return f"EdDSA uses curve Ed25519 or Ed448, not {crv!r}"
    if bits is None:
        return None
    if alg in _HMAC_BYTES:
        least = _HMAC_BYTES[alg] * 8
        if bits % 8 or not least <= bits <= MAX_HMAC_BITS:
            return (
                f"an {alg} secret needs a multiple of 8 bits from {least} (the hash length, "
                f"RFC 7518 §3.2) to {MAX_HMAC_BITS}, not {bits}"
            )
        return None
    if alg[:2] in ("RS", "PS"):
        if bits not in RSA_SIZES:
            sizes = ", ".join(map(str, RSA_SIZES))
            return f"RSA keys can be {sizes} bits, not {bits}"
        return None
    return f"{alg} keys have a fixed size; leave the size out"


def generate_key(
    alg: str,
    *,
    bits: int | None = None,
    crv: str | None = None,
    token_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> GeneratedKey:
    """Generate a signing key for JWS algorithm ``alg``.

    ``bits``: HMAC secret length (default: the hash length) or RSA modulus size (default 2048).
    ``crv``: for ``EdDSA`` only, ``Ed25519`` (default) or ``Ed448``. Parameters that
    :func:`keygen_problem` refuses raise ``ValueError`` with its sentence (a caller mistake:
    front ends offer only valid choices or check first).
    """
    problem = keygen_problem(alg, bits=bits, crv=crv)
    if problem is not None:
        raise ValueError(problem)
    if alg in _HMAC_BYTES:
        size = (bits or _HMAC_BYTES[alg] * 8) // 8
        secret = token_bytes(size)
        if len(secret) != size:
            raise ValueError(f"token_bytes returned {len(secret)} bytes, not {size}")
        return _export(alg, secret, f"HMAC secret, {size * 8} bits ({size} random bytes)")
    key: PrivateKey
    if alg[:2] in ("RS", "PS"):
        size = bits or DEFAULT_RSA_BITS
        key = rsa.generate_private_key(public_exponent=65537, key_size=size)
        return _export(alg, key, f"RSA {size}-bit key pair")
    if alg in _EC_CURVES:
        name, curve = _EC_CURVES[alg]
        key = ec.generate_private_key(curve())
        return _export(alg, key, f"EC {name} key pair")
    curve_name = crv or (alg if alg in EDDSA_CURVES else EDDSA_CURVES[0])
    if curve_name == "Ed448":
        key = ed448.Ed448PrivateKey.generate()
    else:
        key = ed25519.Ed25519PrivateKey.generate()
    return _export(alg, key, f"{curve_name} key pair")


def export_key(alg: str, key: PrivateKey | bytes, description: str = "") -> GeneratedKey:
    """Every export of an existing private key (or HMAC secret) for ``alg``, as
    :func:`generate_key` would give it."""
    return _export(alg, key, description or alg)


def _export(alg: str, key: PrivateKey | bytes, description: str) -> GeneratedKey:
    priv = private_jwk(key)
    thumbprint = jwk_thumbprint(priv)
    meta = {"kid": thumbprint, "use": "sig", "alg": alg}
    priv_full = {**priv, **meta}
    if isinstance(key, bytes):
        return GeneratedKey(
            alg=alg,
            kty="oct",
            description=description,
            thumbprint=thumbprint,
            private_jwk=dumps_jwk(priv_full),
            public_jwk=None,
            jwk_set=None,
            private_pem=None,
            public_pem=None,
            secret_b64url=priv["k"],
            key=key,
        )
    pub_full = {**public_jwk(key), **meta}
    return GeneratedKey(
        alg=alg,
        kty=priv["kty"],  # type: ignore[arg-type]
        description=description,
        thumbprint=thumbprint,
        private_jwk=dumps_jwk(priv_full),
        public_jwk=dumps_jwk(pub_full),
        jwk_set=dumps_jwk(jwk_set(pub_full)),
        private_pem=private_pem(key),
        public_pem=public_pem(key),
        key=key,
    )


# ------------------------------------------------------------------------------ conversion

ConvertTo = Literal["jwk", "pem", "jwks", "thumbprint"]


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyConversion(ProblemsOutcome):
    """The outcome of :func:`convert_key`: the converted text, or the problems."""

    text: str | None
    description: str = ""
    problems: tuple[SignProblem, ...] = ()

    def __post_init__(self) -> None:
        self._check_outcome(self.text, "text")


def _conversion_problem(message: str) -> KeyConversion:
    return KeyConversion(
        text=None, problems=(SignProblem(code="key-error", message=message, field="key"),)
    )


#: What the converter says when the text is no key at all (rather than making an ``oct``
#: JWK of it, as a secret written in some encoding could be).
NOT_A_KEY = (
    "This is not a key: no PEM key or certificate, JWK, JWK Set or OpenSSH public key was "
    "found in the text, so there is nothing to convert. (Plain text would only be a shared "
    "secret, and its 'oct' JWK would just be the text in base64url.)"
)


def convert_key(
    text: str,
    *,
    to: ConvertTo,
    public: bool = False,
    secret_encoding: str | None = None,
) -> KeyConversion:
    """Convert a pasted key (PEM, JWK, or an HMAC secret written in ``secret_encoding``) to
    PEM, a JWK, a public JWK Set or its RFC 7638 thumbprint. ``public`` keeps only the public
    half. A JWK made from PEM gets the thumbprint as ``kid``; a JWK keeps its own ``kid``,
    ``alg`` and ``use``. Never raises for bad input.

    Without ``secret_encoding`` the text must be a key: text that is none (a word, a
    truncated PEM body) gets a ``not-a-key`` problem instead of becoming an ``oct`` JWK.
    """
    meta: dict[str, str] = {}
    obj: PrivateKey | PublicKey | bytes
    if secret_encoding is None:
        if text.strip() and load_key(text).kind == "secret":
            return KeyConversion(
                text=None,
                problems=(SignProblem(code="not-a-key", message=NOT_A_KEY, field="key"),),
            )
        secret_encoding = "utf-8"
    key = read_signing_key(text, secret_encoding=secret_encoding)
    if isinstance(key, SignProblem):
        if key.code != "public-key":
            return KeyConversion(text=None, problems=(key,))
        loaded = load_key(text, secret_encoding)
        usable = [c for c in loaded.candidates if c.key is not None and c.kty != "oct"]
        if len(usable) != 1:
            return _conversion_problem(
                f"The key set holds {len(usable)} public keys; convert one key at a time."
            )
        cand = usable[0]
        obj, description, is_private = cand.key, cand.description, False
        meta = {k: v for k, v in (("kid", cand.kid), ("use", cand.use), ("alg", cand.alg)) if v}
    else:
        obj, description, is_private = key.key, key.description, True
        meta = {k: v for k, v in (("kid", key.kid), ("use", key.use), ("alg", key.alg)) if v}
    secret = isinstance(obj, bytes)
    if secret and (public or to in ("pem", "jwks")):
        return _conversion_problem(
            "The key is a shared secret: it has no public half and no PEM form; convert it "
            "to a JWK."
        )
    keep_private = is_private and not public
    jwk = private_jwk(obj) if keep_private else public_jwk(obj)  # type: ignore[arg-type]
    thumbprint = jwk_thumbprint(jwk)
    if to == "thumbprint":
        return KeyConversion(text=thumbprint, description=description)
    if to == "pem":
        pem = private_pem(obj) if keep_private else public_pem(obj)  # type: ignore[arg-type]
        return KeyConversion(text=pem, description=description)
    meta = {"kid": thumbprint, **meta}
    if to == "jwks":
        published = jwk_set({**public_jwk(obj), **meta})
        return KeyConversion(text=dumps_jwk(published), description=description)
    return KeyConversion(text=dumps_jwk({**jwk, **meta}), description=description)


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyOption:
    """One size or curve choice offered for an algorithm (``bits``/``crv`` for
    :func:`generate_key`; both ``None`` when the algorithm fixes them)."""

    label: str
    bits: int | None = None
    crv: str | None = None


def key_options(alg: str) -> tuple[KeyOption, ...]:
    """The sizes or curves a front end offers for ``alg``, the default first."""
    if alg in _HMAC_BYTES:
        least = _HMAC_BYTES[alg] * 8
        return tuple(KeyOption(label=f"{b}-bit secret", bits=b) for b in (least, 2 * least))
    if alg[:2] in ("RS", "PS") and alg in KEYGEN_ALGORITHMS:
        return tuple(KeyOption(label=f"RSA {b} bits", bits=b) for b in RSA_SIZES)
    if alg in _EC_CURVES:
        return (KeyOption(label=f"curve {_EC_CURVES[alg][0]}"),)
    if alg == "EdDSA":
        return tuple(KeyOption(label=f"curve {c}", crv=c) for c in EDDSA_CURVES)
    if alg in EDDSA_CURVES:
        return (KeyOption(label=f"curve {alg}"),)
    return ()
