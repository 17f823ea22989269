"""The JWS algorithms (RFC 7518 §3, RFC 8037, RFC 8812, RFC 9864): metadata, verify and sign.

:data:`ALGORITHMS` maps each ``alg`` name to an :class:`AlgSpec`. :func:`verify` answers
``True`` or ``False`` and never raises for bad signatures or unfit keys; :func:`sign` is for
the encoder. ECDSA signatures are JWS's fixed-size ``r || s`` (RFC 7518 §3.4), never DER:
:func:`ecdsa_signature_problem` says what is wrong with one that does not fit.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from inspector.core.lazy_crypto import unsupported_algorithm

if TYPE_CHECKING:
    from cryptography.hazmat.primitives import hashes

Family = Literal["HMAC", "RSA", "RSA-PSS", "ECDSA", "EdDSA"]
KeyType = Literal["oct", "RSA", "EC", "OKP"]
EcdsaProblem = Literal["size", "der", "zero", "range"]

_HASHLIB: Mapping[str, str] = {"SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
#: Group orders of the JWS curves, for the r/s range check.
_ORDERS: Mapping[str, int] = {
    "P-256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "P-384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196A"
        "CCC52973",
        16,
    ),
    "P-521": int(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA"
        "51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
        16,
    ),
    "secp256k1": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AlgSpec:
    """What one ``alg`` needs. ``curves`` lists the key curves it accepts (JWK names);
    ``size`` is the HMAC output / ECDSA coordinate size / EdDSA signature size in bytes."""

    name: str
    family: Family
    key_type: KeyType
    hash: str | None
    curves: tuple[str, ...] = ()
    size: int = 0

    @property
    def hash_bytes(self) -> int:
        return {"SHA-256": 32, "SHA-384": 48, "SHA-512": 64}.get(self.hash or "", 0)

    def hash_algorithm(self) -> hashes.HashAlgorithm:
        if self.hash is None:
            raise ValueError(f"{self.name} has no separate hash")
        return _hash(self.hash)

    def describe(self) -> str:
        if self.family == "HMAC":
            return f"HMAC with {self.hash}"
        if self.family == "RSA":
            return f"RSASSA-PKCS1-v1_5 with {self.hash}"
        if self.family == "RSA-PSS":
            return f"RSASSA-PSS with {self.hash} (MGF1, salt {self.hash_bytes} bytes)"
        if self.family == "ECDSA":
            return f"ECDSA on {self.curves[0]} with {self.hash}"
        return "EdDSA on " + " or ".join(self.curves)


def _hash(name: str) -> hashes.HashAlgorithm:
    """``cryptography``'s hash object for ``SHA-256``, ``SHA-384`` or ``SHA-512``."""
    from cryptography.hazmat.primitives import hashes

    classes: dict[str, type[hashes.HashAlgorithm]] = {
        "SHA-256": hashes.SHA256,
        "SHA-384": hashes.SHA384,
        "SHA-512": hashes.SHA512,
    }
    return classes[name]()


def _spec(name: str, family: Family, key_type: KeyType, hash_: str | None, **kw: Any) -> AlgSpec:
    return AlgSpec(name=name, family=family, key_type=key_type, hash=hash_, **kw)


ALGORITHMS: Mapping[str, AlgSpec] = MappingProxyType(
    {
        s.name: s
        for s in (
            _spec("HS256", "HMAC", "oct", "SHA-256", size=32),
            _spec("HS384", "HMAC", "oct", "SHA-384", size=48),
            _spec("HS512", "HMAC", "oct", "SHA-512", size=64),
            _spec("RS256", "RSA", "RSA", "SHA-256"),
            _spec("RS384", "RSA", "RSA", "SHA-384"),
            _spec("RS512", "RSA", "RSA", "SHA-512"),
            _spec("PS256", "RSA-PSS", "RSA", "SHA-256"),
            _spec("PS384", "RSA-PSS", "RSA", "SHA-384"),
            _spec("PS512", "RSA-PSS", "RSA", "SHA-512"),
            _spec("ES256", "ECDSA", "EC", "SHA-256", curves=("P-256",), size=32),
            _spec("ES384", "ECDSA", "EC", "SHA-384", curves=("P-384",), size=48),
            _spec("ES512", "ECDSA", "EC", "SHA-512", curves=("P-521",), size=66),
            _spec("ES256K", "ECDSA", "EC", "SHA-256", curves=("secp256k1",), size=32),
            _spec("EdDSA", "EdDSA", "OKP", None, curves=("Ed25519", "Ed448")),
            _spec("Ed25519", "EdDSA", "OKP", None, curves=("Ed25519",), size=64),
            _spec("Ed448", "EdDSA", "OKP", None, curves=("Ed448",), size=114),
        )
    }
)
#: Algorithm names that mean "no signature", compared case-insensitively.
NONE_ALG = "none"


#: The last answer of :func:`ecdsa_signature_problem`: ``(spec, signature, answer)``. One
#: ES* token's verification asks about the same signature object three times (the verifier
#: before choosing its finding, :func:`_verify_ecdsa` before building the DER form, and the
#: analysis's header pass for a form finding the verdict may lack); the answer depends only
#: on the algorithm and the bytes, so the second and third ask get the first's answer.
#: Matched by identity, and only for ``bytes`` (immutable; the memo holds a reference, so the
#: object's id cannot be reused by another while it is here). A tuple rebound in one
#: assignment, so threads see either the old or the new memo, never a mix.
_last_form: tuple[AlgSpec | None, bytes | None, EcdsaProblem | None] = (None, None, None)


def ecdsa_signature_problem(spec: AlgSpec, signature: bytes) -> EcdsaProblem | None:
    """Why an ECDSA JWS signature cannot be right, or ``None`` if its form is fine.

    ``size``: not exactly 2 x the coordinate size; ``der``: an ASN.1 DER sequence instead of
    ``r || s``; ``zero``: r or s is zero (CVE-2022-21449); ``range``: r or s is not below the
    group order.
    """
    global _last_form
    last = _last_form
    if last[1] is signature and last[0] is spec:
        return last[2]
    answer = _ecdsa_form(spec, signature)
    if type(signature) is bytes:
        _last_form = (spec, signature, answer)
    return answer


def _ecdsa_form(spec: AlgSpec, signature: bytes) -> EcdsaProblem | None:
    """:func:`ecdsa_signature_problem` worked out, without the memo."""
    n = spec.size
    if len(signature) != 2 * n:
        if _looks_der(signature):
            return "der"
        return "size"
    r = int.from_bytes(signature[:n], "big")
    s = int.from_bytes(signature[n:], "big")
    if r == 0 or s == 0:
        return "zero"
    order = _ORDERS[spec.curves[0]]
    if r >= order or s >= order:
        return "range"
    return None


def _looks_der(signature: bytes) -> bool:
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    try:
        decode_dss_signature(signature)
    except (ValueError, TypeError):
        return False
    return True


# ---------------------------------------------------------------------------- verify


def _verify_hmac(spec: AlgSpec, key: Any, data: bytes, signature: bytes) -> bool:
    if not isinstance(key, bytes | bytearray):
        return False
    mac = hmac.digest(key, data, _HASHLIB[spec.hash or ""])
    return hmac.compare_digest(mac, signature)


class _Crypto:
    """The ``cryptography`` names verification uses, looked up once (see :func:`_crypto`)."""

    def __init__(self) -> None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        self.InvalidSignature = InvalidSignature
        self.RSAPublicKey = rsa.RSAPublicKey
        self.EllipticCurvePublicKey = ec.EllipticCurvePublicKey
        self.Ed25519PublicKey = ed25519.Ed25519PublicKey
        self.Ed448PublicKey = ed448.Ed448PublicKey
        self.encode_dss_signature = encode_dss_signature
        self.ec = ec
        self.padding = padding


@functools.lru_cache(maxsize=1)
def _crypto() -> _Crypto:
    """``cryptography``'s verification names, imported on the first public-key verification
    (see :mod:`inspector.core.lazy_crypto`). Once, not in each call: a ``from package import
    module`` statement runs importlib's Python-level fromlist handling every time it is
    executed, and three of them were a measurable part of verifying a token (issue 17)."""
    return _Crypto()


@functools.lru_cache(maxsize=64)
def _verify_parts(name: str) -> tuple[Any, Any]:
    """What verifying with the RSA, RSA-PSS or ECDSA algorithm ``name`` hands ``cryptography``
    besides the key and data, made once per algorithm: ``(hash, padding)``, or ``(hash,
    ECDSA signature algorithm)``. Immutable values, so sharing them is safe."""
    spec = ALGORITHMS[name]
    c = _crypto()
    h = _hash(spec.hash or "")
    if spec.family == "RSA-PSS":
        return h, c.padding.PSS(mgf=c.padding.MGF1(h), salt_length=h.digest_size)
    if spec.family == "RSA":
        return h, c.padding.PKCS1v15()
    return h, c.ec.ECDSA(h)


def _verify_rsa(spec: AlgSpec, key: Any, data: bytes, signature: bytes) -> bool:
    c = _crypto()
    if not isinstance(key, c.RSAPublicKey):
        return False
    if len(signature) != (key.key_size + 7) // 8:
        return False
    h, pad = _verify_parts(spec.name)
    try:
        key.verify(signature, data, pad, h)
    except c.InvalidSignature:
        return False
    return True


def _verify_ecdsa(spec: AlgSpec, key: Any, data: bytes, signature: bytes) -> bool:
    c = _crypto()
    if not isinstance(key, c.EllipticCurvePublicKey):
        return False
    if (
        key.curve.key_size != _CURVE_BITS[spec.curves[0]]
        or key.curve.name != _CURVE_OPENSSL[spec.curves[0]]
    ):
        return False
    if ecdsa_signature_problem(spec, signature) is not None:
        return False
    n = spec.size
    der = c.encode_dss_signature(
        int.from_bytes(signature[:n], "big"), int.from_bytes(signature[n:], "big")
    )
    try:
        key.verify(der, data, _verify_parts(spec.name)[1])
    except c.InvalidSignature:
        return False
    return True


_CURVE_BITS = {"P-256": 256, "P-384": 384, "P-521": 521, "secp256k1": 256}
_CURVE_OPENSSL = {
    "P-256": "secp256r1",
    "P-384": "secp384r1",
    "P-521": "secp521r1",
    "secp256k1": "secp256k1",
}


def _verify_eddsa(spec: AlgSpec, key: Any, data: bytes, signature: bytes) -> bool:
    c = _crypto()
    if isinstance(key, c.Ed25519PublicKey):
        if "Ed25519" not in spec.curves or len(signature) != 64:
            return False
    elif isinstance(key, c.Ed448PublicKey):
        if "Ed448" not in spec.curves or len(signature) != 114:
            return False
    else:
        return False
    try:
        key.verify(signature, data)
    except c.InvalidSignature:
        return False
    return True


_VERIFIERS: Mapping[str, Callable[[AlgSpec, Any, bytes, bytes], bool]] = {
    "HMAC": _verify_hmac,
    "RSA": _verify_rsa,
    "RSA-PSS": _verify_rsa,
    "ECDSA": _verify_ecdsa,
    "EdDSA": _verify_eddsa,
}


def verify(alg: str, key: Any, signing_input: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is ``alg``'s signature of ``signing_input`` under ``key``.

    ``key`` is the HMAC secret (bytes) or a public key object; a private key object is reduced
    to its public half. Unknown algorithms, unfit keys and malformed signatures give ``False``.
    Never raises.
    """
    spec = ALGORITHMS.get(alg)
    if spec is None:
        return False
    if hasattr(key, "public_key") and not isinstance(key, bytes | bytearray):
        key = key.public_key()
    try:
        return _VERIFIERS[spec.family](spec, key, signing_input, signature)
    except (ValueError, TypeError, OverflowError, unsupported_algorithm()):
        return False


# ---------------------------------------------------------------------------- sign


def sign(alg: str, key: Any, signing_input: bytes) -> bytes:
    """``alg``'s JWS signature of ``signing_input`` (ECDSA as ``r || s``).

    ``key`` is the HMAC secret (bytes) or a private key object. Raises ``ValueError`` naming
    the problem when the algorithm is unknown or the key does not fit it.
    """
    spec = ALGORITHMS.get(alg)
    if spec is None:
        raise ValueError(f"unknown JWS algorithm {alg!r}")
    fam = spec.family
    if fam != "HMAC":
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    if fam == "HMAC":
        if not isinstance(key, bytes | bytearray):
            raise ValueError(f"{alg} needs the secret as bytes")
        return hmac.digest(bytes(key), signing_input, _HASHLIB[spec.hash or ""])
    if fam in ("RSA", "RSA-PSS"):
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{alg} needs an RSA private key")
        h = spec.hash_algorithm()
        pad: padding.AsymmetricPadding = (
            padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size)
            if fam == "RSA-PSS"
            else padding.PKCS1v15()
        )
        return key.sign(signing_input, pad, h)
    if fam == "ECDSA":
        crv = spec.curves[0]
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != _CURVE_OPENSSL[crv]:
            raise ValueError(f"{alg} needs an EC {crv} private key")
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(spec.hash_algorithm())))
        return r.to_bytes(spec.size, "big") + s.to_bytes(spec.size, "big")
    if isinstance(key, ed25519.Ed25519PrivateKey) and "Ed25519" in spec.curves:
        return key.sign(signing_input)
    if isinstance(key, ed448.Ed448PrivateKey) and "Ed448" in spec.curves:
        return key.sign(signing_input)
    raise ValueError(f"{alg} needs an {' or '.join(spec.curves)} private key")
