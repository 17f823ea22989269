"""JSON Web Keys (RFC 7517, RFC 7518 §6, RFC 8037 §2) to ``cryptography`` key objects.

:func:`load_jwk` reads one JWK (public or private; RSA, EC, OKP or oct) and checks its members
strictly: every problem raises :class:`JWKError` with a stable ``code``, a sentence a person can
act on, and the ``member`` it is about. Nothing here decides whether the key may verify a given
token: that is :mod:`inspector.core.verification`'s job, using the metadata kept on
:class:`LoadedJWK`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from inspector.core.lazy_crypto import unsupported_algorithm

if TYPE_CHECKING:
    from typing import TypeAlias

    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

    PublicKey: TypeAlias = (
        rsa.RSAPublicKey
        | ec.EllipticCurvePublicKey
        | ed25519.Ed25519PublicKey
        | ed448.Ed448PublicKey
    )
    PrivateKey: TypeAlias = (
        rsa.RSAPrivateKey
        | ec.EllipticCurvePrivateKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey
    )

KeyType = Literal["RSA", "EC", "OKP", "oct"]

#: JWK curve name -> (cryptography's name for the curve, coordinate size in bytes).
EC_CURVES: Mapping[str, tuple[str, int]] = {
    "P-256": ("SECP256R1", 32),
    "P-384": ("SECP384R1", 48),
    "P-521": ("SECP521R1", 66),
    "secp256k1": ("SECP256K1", 32),
}
#: cryptography curve name -> JWK curve name.
EC_CURVE_NAMES: Mapping[str, str] = {
    "secp256r1": "P-256",
    "secp384r1": "P-384",
    "secp521r1": "P-521",
    "secp256k1": "secp256k1",
}
#: OKP signature curves -> key size in bytes.
OKP_CURVES: Mapping[str, int] = {"Ed25519": 32, "Ed448": 57}
#: OKP curves that exist but are for key agreement, not signatures.
OKP_ECDH_CURVES = frozenset({"X25519", "X448"})
#: Members that make a JWK private, per key type.
PRIVATE_MEMBERS: Mapping[str, tuple[str, ...]] = {
    "RSA": ("d", "p", "q", "dp", "dq", "qi"),
    "EC": ("d",),
    "OKP": ("d",),
    "oct": ("k",),
}
#: RSA moduli above this many bits are refused (a denial-of-service guard, as OpenSSL does).
MAX_RSA_BITS = 16384

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class JWKError(ValueError):
    """A JWK that cannot be used. ``code`` is stable; ``member`` names the JWK member at fault."""

    def __init__(self, code: str, message: str, member: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.member = member


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedJWK:
    """One JWK, read and checked.

    ``public`` is the public key object (``None`` for ``oct``); ``private`` the private key
    object when the JWK held one; ``secret`` the raw bytes of an ``oct`` key. ``bits`` is the
    RSA modulus size, the curve's size or the secret's length in bits.
    """

    kty: KeyType
    public: PublicKey | None = None
    private: PrivateKey | None = None
    secret: bytes | None = None
    crv: str | None = None
    bits: int = 0
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None
    params: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.kty == "oct":
            if self.secret is None:
                raise ValueError("an oct JWK needs its secret bytes")
        elif self.public is None:
            raise ValueError(f"a {self.kty} JWK needs its public key")

    @property
    def is_private(self) -> bool:
        return self.private is not None

    def describe(self) -> str:
        """``"RSA 2048-bit"``, ``"EC P-256"``, ``"Ed25519"``, ``"256-bit shared secret"``."""
        if self.kty == "RSA":
            return f"RSA {self.bits}-bit"
        if self.kty == "EC":
            return f"EC {self.crv}"
        if self.kty == "OKP":
            return str(self.crv)
        return f"{self.bits}-bit shared secret"


def b64url_member(jwk: Mapping[str, Any], name: str, *, required: bool = True) -> bytes | None:
    """Decode member ``name`` as unpadded base64url; raise :class:`JWKError` naming it."""
    if name not in jwk:
        if required:
            raise JWKError("missing-member", f"The JWK has no '{name}' member.", name)
        return None
    value = jwk[name]
    if not isinstance(value, str):
        raise JWKError(
            "bad-member",
            f"The JWK member '{name}' must be a base64url string, not {type(value).__name__}.",
            name,
        )
    text = value.rstrip("=") if value.endswith("=") else value
    if _B64URL.fullmatch(text) is None or len(text) % 4 == 1:
        bad = next((i for i, c in enumerate(text) if _B64URL.fullmatch(c) is None), len(text))
        raise JWKError(
            "bad-member",
            f"The JWK member '{name}' is not base64url (problem at character {bad}).",
            name,
        )
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as err:  # pragma: no cover - excluded above
        raise JWKError("bad-member", f"The JWK member '{name}' is not base64url.", name) from err


def _uint(jwk: Mapping[str, Any], name: str) -> int:
    data = b64url_member(jwk, name)
    assert data is not None
    if not data:
        raise JWKError("bad-member", f"The JWK member '{name}' is empty.", name)
    return int.from_bytes(data, "big")


def _opt_str(jwk: Mapping[str, Any], name: str) -> str | None:
    value = jwk.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise JWKError(
            "bad-member",
            f"The JWK member '{name}' must be a string, not {type(value).__name__}.",
            name,
        )
    return value


def _key_ops(jwk: Mapping[str, Any]) -> tuple[str, ...] | None:
    ops = jwk.get("key_ops")
    if ops is None:
        return None
    if not isinstance(ops, list) or not all(isinstance(o, str) for o in ops):
        raise JWKError(
            "bad-member", "The JWK member 'key_ops' must be an array of strings.", "key_ops"
        )
    return tuple(ops)


def load_jwk(jwk: Mapping[str, Any]) -> LoadedJWK:
    """Read one JWK (public or private). Raises :class:`JWKError`; nothing else for any input."""
    if not isinstance(jwk, Mapping):
        raise JWKError("not-an-object", "A JWK must be a JSON object.")
    kty = jwk.get("kty")
    if not isinstance(kty, str):
        raise JWKError("missing-member", "The JWK has no 'kty' (key type) string.", "kty")
    common: dict[str, Any] = {
        "kid": _opt_str(jwk, "kid"),
        "alg": _opt_str(jwk, "alg"),
        "use": _opt_str(jwk, "use"),
        "key_ops": _key_ops(jwk),
        "params": dict(jwk),
    }
    try:
        if kty == "RSA":
            return _load_rsa(jwk, common)
        if kty == "EC":
            return _load_ec(jwk, common)
        if kty == "OKP":
            return _load_okp(jwk, common)
        if kty == "oct":
            secret = b64url_member(jwk, "k")
            assert secret is not None
            return LoadedJWK(kty="oct", secret=secret, bits=8 * len(secret), **common)
    except JWKError:
        raise
    except (ValueError, TypeError, OverflowError, unsupported_algorithm()) as err:
        raise JWKError(
            "invalid-key", f"The {kty} JWK's numbers do not make a valid key ({err})."
        ) from err
    known = "RSA, EC, OKP or oct"
    raise JWKError("unknown-kty", f"The JWK's kty {kty!r} is not one of {known}.", "kty")


def _load_rsa(jwk: Mapping[str, Any], common: dict[str, Any]) -> LoadedJWK:
    from cryptography.hazmat.primitives.asymmetric import rsa

    n = _uint(jwk, "n")
    e = _uint(jwk, "e")
    bits = n.bit_length()
    if bits > MAX_RSA_BITS:
        raise JWKError("bad-member", f"The RSA modulus has {bits} bits; at most {MAX_RSA_BITS}.")
    if e < 3 or e % 2 == 0:
        raise JWKError(
            "bad-member",
            f"The RSA public exponent 'e' is {e}; it must be an odd number of at least 3 "
            "(with e = 1 the 'signature' is the message itself).",
            "e",
        )
    if n % 2 == 0 or bits < 512:
        raise JWKError("bad-member", "The RSA modulus 'n' is not a usable modulus.", "n")
    public_numbers = rsa.RSAPublicNumbers(e, n)
    private: rsa.RSAPrivateKey | None = None
    if "d" in jwk:
        d = _uint(jwk, "d")
        if all(m in jwk for m in ("p", "q", "dp", "dq", "qi")):
            p, q = _uint(jwk, "p"), _uint(jwk, "q")
            numbers = rsa.RSAPrivateNumbers(
                p, q, d, _uint(jwk, "dp"), _uint(jwk, "dq"), _uint(jwk, "qi"), public_numbers
            )
        else:
            p, q = rsa.rsa_recover_prime_factors(n, e, d)
            numbers = rsa.RSAPrivateNumbers(
                p,
                q,
                d,
                rsa.rsa_crt_dmp1(d, p),
                rsa.rsa_crt_dmq1(d, q),
                rsa.rsa_crt_iqmp(p, q),
                public_numbers,
            )
        # Skipping the (slow) consistency check is not safe for untrusted keys: keep it.
        private = numbers.private_key()
        public = private.public_key()
    else:
        public = public_numbers.public_key()
    return LoadedJWK(kty="RSA", public=public, private=private, bits=bits, **common)


def _load_ec(jwk: Mapping[str, Any], common: dict[str, Any]) -> LoadedJWK:
    crv = jwk.get("crv")
    if not isinstance(crv, str) or crv not in EC_CURVES:
        raise JWKError(
            "bad-member",
            f"The EC JWK's crv {crv!r} is not one of {', '.join(EC_CURVES)}.",
            "crv",
        )
    from cryptography.hazmat.primitives.asymmetric import ec

    curve_name, size = EC_CURVES[crv]
    curve_cls = getattr(ec, curve_name)
    coords = {}
    for name in ("x", "y"):
        raw = b64url_member(jwk, name)
        assert raw is not None
        if len(raw) != size:
            raise JWKError(
                "bad-member",
                f"The EC JWK's '{name}' is {len(raw)} bytes; {crv} coordinates are exactly "
                f"{size} bytes (RFC 7518 §6.2.1.2).",
                name,
            )
        coords[name] = int.from_bytes(raw, "big")
    public_numbers = ec.EllipticCurvePublicNumbers(coords["x"], coords["y"], curve_cls())
    try:
        public = public_numbers.public_key()
    except ValueError as err:
        raise JWKError(
            "invalid-point",
            f"The EC JWK's point (x, y) is not on the curve {crv}.",
            "y",
        ) from err
    private: ec.EllipticCurvePrivateKey | None = None
    d_raw = b64url_member(jwk, "d", required=False)
    if d_raw is not None:
        if len(d_raw) != size:
            raise JWKError(
                "bad-member",
                f"The EC JWK's 'd' is {len(d_raw)} bytes; for {crv} it is exactly {size}.",
                "d",
            )
        private = ec.EllipticCurvePrivateNumbers(
            int.from_bytes(d_raw, "big"), public_numbers
        ).private_key()
    return LoadedJWK(
        kty="EC", public=public, private=private, crv=crv, bits=public.curve.key_size, **common
    )


def _load_okp(jwk: Mapping[str, Any], common: dict[str, Any]) -> LoadedJWK:
    crv = jwk.get("crv")
    if crv in OKP_ECDH_CURVES:
        raise JWKError(
            "bad-member",
            f"The OKP JWK's curve {crv} is for key agreement (ECDH), not signatures.",
            "crv",
        )
    if not isinstance(crv, str) or crv not in OKP_CURVES:
        raise JWKError("bad-member", f"The OKP JWK's crv {crv!r} is not Ed25519 or Ed448.", "crv")
    size = OKP_CURVES[crv]
    x = b64url_member(jwk, "x")
    assert x is not None
    if len(x) != size:
        raise JWKError(
            "bad-member", f"The OKP JWK's 'x' is {len(x)} bytes; {crv} keys are {size}.", "x"
        )
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519

    pub_cls: Any = ed25519.Ed25519PublicKey if crv == "Ed25519" else ed448.Ed448PublicKey
    priv_cls: Any = ed25519.Ed25519PrivateKey if crv == "Ed25519" else ed448.Ed448PrivateKey
    public = pub_cls.from_public_bytes(x)
    private = None
    d = b64url_member(jwk, "d", required=False)
    if d is not None:
        if len(d) != size:
            raise JWKError(
                "bad-member", f"The OKP JWK's 'd' is {len(d)} bytes; {crv} keys are {size}.", "d"
            )
        private = priv_cls.from_private_bytes(d)
        if private.public_key().public_bytes_raw() != x:
            raise JWKError(
                "invalid-key", "The OKP JWK's 'x' is not the public key of its 'd'.", "x"
            )
    bits = 256 if crv == "Ed25519" else 456
    return LoadedJWK(kty="OKP", public=public, private=private, crv=crv, bits=bits, **common)


def __getattr__(name: str) -> Any:
    """``PublicKey`` and ``PrivateKey``, the unions of cryptography's key classes, built when
    first asked for (PEP 562): importing this module does not import cryptography."""
    if name in ("PublicKey", "PrivateKey"):
        from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

        if name == "PublicKey":
            return (
                rsa.RSAPublicKey
                | ec.EllipticCurvePublicKey
                | ed25519.Ed25519PublicKey
                | ed448.Ed448PublicKey
            )
        return (
            rsa.RSAPrivateKey
            | ec.EllipticCurvePrivateKey
            | ed25519.Ed25519PrivateKey
            | ed448.Ed448PrivateKey
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
