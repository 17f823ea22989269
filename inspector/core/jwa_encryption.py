"""JWE cryptography (RFC 7518 §4-5): key management and content encryption as two small tables
of functions, all with ``cryptography``.

:data:`KEY_MANAGEMENT` maps an ``alg`` to how the content encryption key (CEK) is recovered
(``unwrap``) and made (``wrap``); :data:`CONTENT_ENCRYPTION` maps an ``enc`` to how the content
is decrypted and encrypted. Nothing here reads key text or words a result for people: the
caller (:mod:`inspector.core.decryption`) hands in key objects and turns the exceptions below
into findings.

Never an oracle. Every failure that depends on the key or on secret values raises
:class:`AuthenticationError`, which carries one fixed sentence: a wrong key, a flipped bit, bad
PKCS #1 v1.5 or OAEP padding, a failed AES key unwrap, a wrong GCM or HMAC tag and bad CBC
padding all read the same. RSA1_5 goes further, as RFC 7516 §11.5 asks: when the encrypted key
does not decrypt to a CEK of the right length, a random CEK is used instead, so the failure
surfaces at the authentication tag like any other (Bleichenbacher's attack learns nothing).
What depends only on the token's public shape (an IV of the wrong length, a ``p2c`` of a
billion) is :class:`RefusedError` or :class:`MalformedError`, checked before any key is used.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from inspector.core.b64 import b64url_encode, decode_b64url

#: PBES2 iteration counts above this are refused before any work (a denial-of-service token:
#: each iteration is one HMAC, and ``p2c`` is the attacker's to choose).
MAX_PBES2_COUNT = 1_000_000
#: PBES2 iteration counts below this are weak (RFC 7518 §4.8.1.2 recommends at least 1,000).
MIN_PBES2_COUNT = 1_000
#: ``zip: DEF`` content may inflate to at most this many bytes; more is refused (a zip bomb:
#: a few kilobytes of DEFLATE inflate to gigabytes).
MAX_INFLATED_BYTES = 1_048_576

KeyFamily = Literal["RSA", "AESKW", "AESGCMKW", "dir", "ECDH-ES", "PBES2"]


class DecryptionError(Exception):
    """Why a JWE was not decrypted. ``finding_id`` names the catalogue entry that explains it;
    ``location`` is a JSON Pointer into the token, or ``None``."""

    finding_id = "jwe-decryption-failed"

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


class AuthenticationError(DecryptionError):
    """The one failure that depends on secrets. Always the same sentence, whatever check
    failed (see the module docstring)."""

    MESSAGE = (
        "Decryption failed: this is not the recipient's key, or the token was changed after "
        "it was encrypted (the content does not authenticate)"
    )

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class MalformedError(DecryptionError):
    """The token's shape is wrong (an IV or tag of the wrong length, a header member that is
    not what it must be): found without using any key."""

    finding_id = "jwe-malformed"


class RefusedError(DecryptionError):
    """A hostile header, refused before the work it asks for."""

    def __init__(self, finding_id: str, message: str, location: str | None = None) -> None:
        super().__init__(message, location)
        self.finding_id = finding_id


class KeyMisfitError(DecryptionError):
    """The key cannot be used with this ``alg``/``enc`` (its type, curve or size)."""

    finding_id = "jwe-key-misfit"

    def __init__(self, message: str, finding_id: str = "jwe-key-misfit") -> None:
        super().__init__(message, "/header/alg")
        self.finding_id = finding_id


# ------------------------------------------------------------------------ content encryption


@dataclass(frozen=True, slots=True)
class ContentAlg:
    """One ``enc`` (RFC 7518 §5): the CEK, IV and tag sizes, and the two directions."""

    name: str
    key_bytes: int
    iv_bytes: int
    tag_bytes: int
    #: (cek, iv, ciphertext, tag, aad) -> plaintext; raises :class:`AuthenticationError`.
    decrypt: Callable[[ContentAlg, bytes, bytes, bytes, bytes, bytes], bytes]
    #: (cek, iv, plaintext, aad) -> (ciphertext, tag).
    encrypt: Callable[[ContentAlg, bytes, bytes, bytes, bytes], tuple[bytes, bytes]]
    #: The HMAC hash for CBC-HS (``"SHA256"``...), ``None`` for GCM.
    mac_hash: str | None = None


def _gcm_decrypt(
    spec: ContentAlg, cek: bytes, iv: bytes, ct: bytes, tag: bytes, aad: bytes
) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(cek).decrypt(iv, ct + tag, aad)
    except InvalidTag:
        raise AuthenticationError() from None


def _gcm_encrypt(
    spec: ContentAlg, cek: bytes, iv: bytes, plaintext: bytes, aad: bytes
) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    out = AESGCM(cek).encrypt(iv, plaintext, aad)
    return out[:-16], out[-16:]


def _cbc_tag(spec: ContentAlg, mac_key: bytes, iv: bytes, ct: bytes, aad: bytes) -> bytes:
    """RFC 7518 §5.2.2.1: HMAC over AAD || IV || ciphertext || AL, cut to half the key size."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import hmac as crypto_hmac

    mac = crypto_hmac.HMAC(mac_key, getattr(hashes, str(spec.mac_hash))())
    mac.update(aad + iv + ct + struct.pack(">Q", 8 * len(aad)))
    return mac.finalize()[: spec.tag_bytes]


def _cbc_decrypt(
    spec: ContentAlg, cek: bytes, iv: bytes, ct: bytes, tag: bytes, aad: bytes
) -> bytes:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    half = spec.key_bytes // 2
    mac_key, enc_key = cek[:half], cek[half:]
    # The tag is checked first and in constant time; padding is looked at only after it
    # matched, and a padding failure reads exactly like a tag failure.
    if not hmac.compare_digest(_cbc_tag(spec, mac_key, iv, ct, aad), tag):
        raise AuthenticationError()
    if not ct or len(ct) % 16:
        raise AuthenticationError()
    decryptor = Cipher(algorithms.AES(enc_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(ct) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        return unpadder.update(padded) + unpadder.finalize()
    except ValueError:
        raise AuthenticationError() from None


def _cbc_encrypt(
    spec: ContentAlg, cek: bytes, iv: bytes, plaintext: bytes, aad: bytes
) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    half = spec.key_bytes // 2
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(cek[half:]), modes.CBC(iv)).encryptor()
    ct = encryptor.update(padded) + encryptor.finalize()
    return ct, _cbc_tag(spec, cek[:half], iv, ct, aad)


def _gcm(name: str, bits: int) -> ContentAlg:
    return ContentAlg(name, bits // 8, 12, 16, _gcm_decrypt, _gcm_encrypt)


def _cbc(name: str, bits: int, mac_hash: str) -> ContentAlg:
    return ContentAlg(name, bits // 4, 16, bits // 8, _cbc_decrypt, _cbc_encrypt, mac_hash)


#: ``enc`` -> how content is encrypted (RFC 7518 §5.1).
CONTENT_ENCRYPTION: Mapping[str, ContentAlg] = MappingProxyType(
    {
        "A128GCM": _gcm("A128GCM", 128),
        "A192GCM": _gcm("A192GCM", 192),
        "A256GCM": _gcm("A256GCM", 256),
        "A128CBC-HS256": _cbc("A128CBC-HS256", 128, "SHA256"),
        "A192CBC-HS384": _cbc("A192CBC-HS384", 192, "SHA384"),
        "A256CBC-HS512": _cbc("A256CBC-HS512", 256, "SHA512"),
    }
)


# ------------------------------------------------------------------------ key management


@dataclass(frozen=True, slots=True)
class KeyAlg:
    """One ``alg`` (RFC 7518 §4.1). ``kty`` is the key type it needs (``"EC/OKP"`` for
    ECDH-ES, ``"password"`` for PBES2); ``kek_bytes`` the AES key-wrapping key's size (0 when
    no AES key wrap is involved); ``hash`` the RSA-OAEP or PBES2 hash."""

    name: str
    family: KeyFamily
    kty: str
    kek_bytes: int = 0
    hash: str | None = None
    #: (spec, key, header, encrypted_key, content) -> CEK; raises a DecryptionError.
    unwrap: Callable[[KeyAlg, Any, Mapping[str, Any], bytes, ContentAlg], bytes] | None = None
    #: (spec, key, header, cek, content) -> (encrypted_key, header members to add); for
    #: ``dir`` and ECDH-ES the CEK is derived, so ``cek`` is ignored and the derived one is
    #: returned under the header member ``"__cek__"`` (taken out by the caller).
    wrap: (
        Callable[[KeyAlg, Any, Mapping[str, Any], bytes, ContentAlg], tuple[bytes, dict[str, Any]]]
        | None
    ) = None


def header_bytes_member(header: Mapping[str, Any], name: str) -> bytes:
    """A required base64url header member; raises :class:`MalformedError` when absent."""
    data = optional_bytes_member(header, name)
    if data is None:
        raise MalformedError(
            f"The header has no '{name}', which this alg needs.", f"/header/{name}"
        )
    return data


def optional_bytes_member(header: Mapping[str, Any], name: str) -> bytes | None:
    """A base64url header member (``iv``, ``tag``, ``p2s``, ``apu``, ``apv``) decoded
    strictly; raises :class:`MalformedError` naming it."""
    value = header.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedError(f"The header's '{name}' is not a base64url string.", f"/header/{name}")
    data, deviations = decode_b64url(value, name)
    if data is None or any(d.id == "bad-base64" for d in deviations):
        raise MalformedError(f"The header's '{name}' is not valid base64url.", f"/header/{name}")
    return data


def _need_secret(spec: KeyAlg, key: Any, size: int) -> bytes:
    if not isinstance(key, bytes):
        raise KeyMisfitError(f"alg {spec.name} needs a shared secret (an oct key), not this key.")
    if len(key) != size:
        raise KeyMisfitError(
            f"alg {spec.name} needs a {8 * size}-bit key; the key given is {8 * len(key)} bits."
        )
    return key


def _aes_unwrap(kek: bytes, wrapped: bytes, content: ContentAlg) -> bytes:
    from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap

    if len(wrapped) != content.key_bytes + 8:
        raise AuthenticationError()
    try:
        return aes_key_unwrap(kek, wrapped)
    except (InvalidUnwrap, ValueError):
        raise AuthenticationError() from None


def _aes_wrap(kek: bytes, cek: bytes) -> bytes:
    from cryptography.hazmat.primitives.keywrap import aes_key_wrap

    return aes_key_wrap(kek, cek)


@functools.cache
def _rsa_padding(spec: KeyAlg) -> Any:
    """The padding object for ``spec`` (made once: immutable, and a few microseconds each)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    if spec.hash is None:
        return padding.PKCS1v15()
    algorithm = getattr(hashes, spec.hash)()
    return padding.OAEP(mgf=padding.MGF1(algorithm), algorithm=algorithm, label=None)


def _rsa_key(spec: KeyAlg, key: Any) -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyMisfitError(f"alg {spec.name} needs an RSA private key, not this key.")
    return key


def _rsa_unwrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], ek: bytes, content: ContentAlg
) -> bytes:
    private = _rsa_key(spec, key)
    if spec.hash is None:
        # RFC 7516 §11.5: on any failure go on with a random CEK, so that a padding error is
        # told apart from a tag error by nobody (drawn before the attempt: same work either way).
        fallback = secrets.token_bytes(content.key_bytes)
        try:
            cek = private.decrypt(ek, _rsa_padding(spec))
        except ValueError:
            return fallback
        return cek if len(cek) == content.key_bytes else fallback
    try:
        cek = private.decrypt(ek, _rsa_padding(spec))
    except ValueError:
        raise AuthenticationError() from None
    if len(cek) != content.key_bytes:
        raise AuthenticationError()
    return bytes(cek)


def _rsa_wrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], cek: bytes, content: ContentAlg
) -> tuple[bytes, dict[str, Any]]:
    from cryptography.hazmat.primitives.asymmetric import rsa

    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    if not isinstance(public, rsa.RSAPublicKey):
        raise KeyMisfitError(f"alg {spec.name} needs an RSA key, not this key.")
    return public.encrypt(cek, _rsa_padding(spec)), {}


def _kw_unwrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], ek: bytes, content: ContentAlg
) -> bytes:
    return _aes_unwrap(_need_secret(spec, key, spec.kek_bytes), ek, content)


def _kw_wrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], cek: bytes, content: ContentAlg
) -> tuple[bytes, dict[str, Any]]:
    return _aes_wrap(_need_secret(spec, key, spec.kek_bytes), cek), {}


def _gcmkw_unwrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], ek: bytes, content: ContentAlg
) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    iv = header_bytes_member(header, "iv")
    tag = header_bytes_member(header, "tag")
    if len(iv) != 12:
        raise MalformedError(
            f"The header's 'iv' is {len(iv)} bytes; {spec.name} needs 12.", "/header/iv"
        )
    if len(tag) != 16:
        raise MalformedError(
            f"The header's 'tag' is {len(tag)} bytes; {spec.name} needs 16.", "/header/tag"
        )
    kek = _need_secret(spec, key, spec.kek_bytes)
    try:
        cek = AESGCM(kek).decrypt(iv, ek + tag, None)
    except InvalidTag:
        raise AuthenticationError() from None
    if len(cek) != content.key_bytes:
        raise AuthenticationError()
    return cek


def _gcmkw_wrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], cek: bytes, content: ContentAlg
) -> tuple[bytes, dict[str, Any]]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    iv = secrets.token_bytes(12)
    out = AESGCM(_need_secret(spec, key, spec.kek_bytes)).encrypt(iv, cek, None)
    return out[:-16], {"iv": b64url_encode(iv), "tag": b64url_encode(out[-16:])}


def _dir_unwrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], ek: bytes, content: ContentAlg
) -> bytes:
    if not isinstance(key, bytes):
        raise KeyMisfitError("alg dir needs a shared secret (an oct key), not this key.")
    if len(key) != content.key_bytes:
        raise KeyMisfitError(
            f"alg dir uses the key itself as the {content.name} key, which is "
            f"{8 * content.key_bytes} bits; the key given is {8 * len(key)} bits.",
            "jwe-dir-key-size",
        )
    if ek:
        raise MalformedError(
            "alg dir has no encrypted key, but the token's encrypted-key segment is not empty "
            "(RFC 7516 §5.2 step 10)."
        )
    return key


def _dir_wrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], cek: bytes, content: ContentAlg
) -> tuple[bytes, dict[str, Any]]:
    return b"", {"__cek__": _dir_unwrap(spec, key, header, b"", content)}


# ECDH-ES (RFC 7518 §4.6) -------------------------------------------------------------------

#: EC curves ECDH-ES uses: JWK name -> (cryptography's class name, coordinate bytes).
ECDH_EC_CURVES: Mapping[str, tuple[str, int]] = MappingProxyType(
    {"P-256": ("SECP256R1", 32), "P-384": ("SECP384R1", 48), "P-521": ("SECP521R1", 66)}
)
#: OKP curves ECDH-ES uses (RFC 8037 §3.2) -> public key bytes.
ECDH_OKP_CURVES: Mapping[str, int] = MappingProxyType({"X25519": 32, "X448": 56})


def agreement_curve(key: Any) -> str | None:
    """The JWK curve name of an ECDH key (private or public), or ``None``."""
    from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519

    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        names = {v[0].lower(): k for k, v in ECDH_EC_CURVES.items()}
        return names.get(key.curve.name)
    if isinstance(key, x25519.X25519PrivateKey | x25519.X25519PublicKey):
        return "X25519"
    if isinstance(key, x448.X448PrivateKey | x448.X448PublicKey):
        return "X448"
    return None


def _epk(header: Mapping[str, Any], crv_wanted: str) -> Any:
    """The ephemeral public key of the header, checked: on its curve, not of small order
    (refused as an invalid-curve attack), on the recipient key's curve (else a misfit)."""
    from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519

    epk = header.get("epk")
    if not isinstance(epk, Mapping):
        raise MalformedError("ECDH-ES needs the header's 'epk' (a JWK object).", "/header/epk")
    kty, crv = epk.get("kty"), epk.get("crv")
    if crv != crv_wanted:
        raise KeyMisfitError(
            f"The token's ephemeral key is on curve {crv!r}; the key given is on {crv_wanted}."
        )
    x = header_bytes_member(epk, "x")
    if kty == "EC" and crv in ECDH_EC_CURVES:
        curve_name, size = ECDH_EC_CURVES[crv]
        y = header_bytes_member(epk, "y")
        if len(x) != size or len(y) != size:
            raise MalformedError(
                f"The ephemeral key's coordinates must be {size} bytes each on {crv}.",
                "/header/epk",
            )
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), getattr(ec, curve_name)()
        )
        try:
            return numbers.public_key()
        except ValueError:
            raise RefusedError(
                "jwe-invalid-curve",
                f"The token's ephemeral key (epk) is not a point on {crv}: an invalid-curve "
                "attack recovers the recipient's private key from the answers to such "
                "tokens. RefusedError before any key agreement.",
                "/header/epk",
            ) from None
    if kty == "OKP" and crv in ECDH_OKP_CURVES:
        if len(x) != ECDH_OKP_CURVES[crv]:
            raise MalformedError(
                f"The ephemeral key's 'x' is {len(x)} bytes; {crv} keys are "
                f"{ECDH_OKP_CURVES[crv]}.",
                "/header/epk",
            )
        cls: Any = x25519.X25519PublicKey if crv == "X25519" else x448.X448PublicKey
        return cls.from_public_bytes(x)
    raise MalformedError(
        f"The ephemeral key's kty {kty!r} and crv {crv!r} are not an ECDH-ES key.", "/header/epk"
    )


def _concat_kdf(shared: bytes, algorithm_id: str, size: int, header: Mapping[str, Any]) -> bytes:
    """RFC 7518 §4.6.2: Concat KDF (NIST SP 800-56A) with SHA-256."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash

    def field(data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + data

    apu = optional_bytes_member(header, "apu") or b""
    apv = optional_bytes_member(header, "apv") or b""
    other = (
        field(algorithm_id.encode("ascii")) + field(apu) + field(apv) + struct.pack(">I", 8 * size)
    )
    return ConcatKDFHash(hashes.SHA256(), size, other).derive(shared)


def _agree(spec: KeyAlg, private: Any, peer: Any, crv: str) -> bytes:
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        if isinstance(peer, ec.EllipticCurvePublicKey):
            shared = private.exchange(ec.ECDH(), peer)
        else:
            shared = private.exchange(peer)
    except ValueError:
        shared = b""
    if not shared or not any(shared):
        raise RefusedError(
            "jwe-invalid-curve",
            f"The token's ephemeral {crv} key (epk) is of small order: the shared secret is "
            "all zeros whatever the recipient's key (RFC 7748 §6). RefusedError.",
            "/header/epk",
        )
    return bytes(shared)


def _ecdh_private(spec: KeyAlg, key: Any) -> tuple[Any, str]:
    crv = agreement_curve(key)
    if crv is None or not hasattr(key, "exchange"):
        raise KeyMisfitError(
            f"alg {spec.name} needs an EC (P-256, P-384, P-521) or X25519/X448 private key, "
            "not this key."
        )
    return key, crv


def _ecdh_unwrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], ek: bytes, content: ContentAlg
) -> bytes:
    private, crv = _ecdh_private(spec, key)
    peer = _epk(header, crv)
    shared = _agree(spec, private, peer, crv)
    if not spec.kek_bytes:
        if ek:
            raise MalformedError(
                "alg ECDH-ES (direct key agreement) has no encrypted key, but the token's "
                "encrypted-key segment is not empty (RFC 7516 §5.2 step 10)."
            )
        return _concat_kdf(shared, content.name, content.key_bytes, header)
    kek = _concat_kdf(shared, spec.name, spec.kek_bytes, header)
    return _aes_unwrap(kek, ek, content)


def _ecdh_wrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], cek: bytes, content: ContentAlg
) -> tuple[bytes, dict[str, Any]]:
    from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519

    crv = agreement_curve(key)
    public = key.public_key() if hasattr(key, "exchange") else key
    if crv is None:
        raise KeyMisfitError(f"alg {spec.name} needs an EC or X25519/X448 key, not this key.")
    epk: dict[str, Any]
    if isinstance(public, ec.EllipticCurvePublicKey):
        eph: Any = ec.generate_private_key(public.curve)
        shared = eph.exchange(ec.ECDH(), public)
        size = ECDH_EC_CURVES[crv][1]
        nums = eph.public_key().public_numbers()
        epk = {
            "kty": "EC",
            "crv": crv,
            "x": b64url_encode(nums.x.to_bytes(size, "big")),
            "y": b64url_encode(nums.y.to_bytes(size, "big")),
        }
    else:
        cls: Any = x25519.X25519PrivateKey if crv == "X25519" else x448.X448PrivateKey
        eph = cls.generate()
        shared = eph.exchange(public)
        epk = {"kty": "OKP", "crv": crv, "x": b64url_encode(eph.public_key().public_bytes_raw())}
    members: dict[str, Any] = {"epk": epk}
    full = {**header, **members}
    if not spec.kek_bytes:
        members["__cek__"] = _concat_kdf(shared, content.name, content.key_bytes, full)
        return b"", members
    kek = _concat_kdf(shared, spec.name, spec.kek_bytes, full)
    return _aes_wrap(kek, cek), members


# PBES2 (RFC 7518 §4.8) ---------------------------------------------------------------------


def pbes2_count(header: Mapping[str, Any]) -> int:
    """The header's ``p2c``, checked before any work: raises :class:`MalformedError` for a
    missing or non-integer count and :class:`RefusedError` above :data:`MAX_PBES2_COUNT`."""
    p2c = header.get("p2c")
    if type(p2c) is not int or p2c < 1:
        raise MalformedError(
            "PBES2 needs the header's 'p2c', a positive whole number.", "/header/p2c"
        )
    if p2c > MAX_PBES2_COUNT:
        raise RefusedError(
            "jwe-pbes2-count-refused",
            f"The header asks for {p2c:,} PBKDF2 iterations (p2c); more than "
            f"{MAX_PBES2_COUNT:,} are refused before any work, as a denial-of-service token.",
            "/header/p2c",
        )
    return p2c


def _pbes2_kek(spec: KeyAlg, key: Any, header: Mapping[str, Any]) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    count = pbes2_count(header)
    p2s = header_bytes_member(header, "p2s")
    if not isinstance(key, bytes):
        raise KeyMisfitError(f"alg {spec.name} needs a password (a shared secret), not this key.")
    salt = spec.name.encode("ascii") + b"\x00" + p2s
    kdf = PBKDF2HMAC(getattr(hashes, str(spec.hash))(), spec.kek_bytes, salt, count)
    return kdf.derive(key)


def _pbes2_unwrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], ek: bytes, content: ContentAlg
) -> bytes:
    return _aes_unwrap(_pbes2_kek(spec, key, header), ek, content)


def _pbes2_wrap(
    spec: KeyAlg, key: Any, header: Mapping[str, Any], cek: bytes, content: ContentAlg
) -> tuple[bytes, dict[str, Any]]:
    members: dict[str, Any] = {
        "p2s": b64url_encode(secrets.token_bytes(16)),
        "p2c": header.get("p2c", MIN_PBES2_COUNT),
    }
    kek = _pbes2_kek(spec, key, {**header, **members})
    return _aes_wrap(kek, cek), members


def _family(
    name: str, family: KeyFamily, kty: str, kek: int = 0, hash: str | None = None
) -> KeyAlg:
    unwrap, wrap = _FUNCTIONS[family]
    return KeyAlg(name, family, kty, kek, hash, unwrap, wrap)


_FUNCTIONS: dict[KeyFamily, tuple[Any, Any]] = {
    "RSA": (_rsa_unwrap, _rsa_wrap),
    "AESKW": (_kw_unwrap, _kw_wrap),
    "AESGCMKW": (_gcmkw_unwrap, _gcmkw_wrap),
    "dir": (_dir_unwrap, _dir_wrap),
    "ECDH-ES": (_ecdh_unwrap, _ecdh_wrap),
    "PBES2": (_pbes2_unwrap, _pbes2_wrap),
}

#: ``alg`` -> how the CEK is recovered (RFC 7518 §4.1; RSA-OAEP-384/-512 as some issuers emit).
KEY_MANAGEMENT: Mapping[str, KeyAlg] = MappingProxyType(
    {
        "RSA1_5": _family("RSA1_5", "RSA", "RSA"),
        "RSA-OAEP": _family("RSA-OAEP", "RSA", "RSA", hash="SHA1"),
        "RSA-OAEP-256": _family("RSA-OAEP-256", "RSA", "RSA", hash="SHA256"),
        "RSA-OAEP-384": _family("RSA-OAEP-384", "RSA", "RSA", hash="SHA384"),
        "RSA-OAEP-512": _family("RSA-OAEP-512", "RSA", "RSA", hash="SHA512"),
        "A128KW": _family("A128KW", "AESKW", "oct", 16),
        "A192KW": _family("A192KW", "AESKW", "oct", 24),
        "A256KW": _family("A256KW", "AESKW", "oct", 32),
        "A128GCMKW": _family("A128GCMKW", "AESGCMKW", "oct", 16),
        "A192GCMKW": _family("A192GCMKW", "AESGCMKW", "oct", 24),
        "A256GCMKW": _family("A256GCMKW", "AESGCMKW", "oct", 32),
        "dir": _family("dir", "dir", "oct"),
        "ECDH-ES": _family("ECDH-ES", "ECDH-ES", "EC/OKP"),
        "ECDH-ES+A128KW": _family("ECDH-ES+A128KW", "ECDH-ES", "EC/OKP", 16),
        "ECDH-ES+A192KW": _family("ECDH-ES+A192KW", "ECDH-ES", "EC/OKP", 24),
        "ECDH-ES+A256KW": _family("ECDH-ES+A256KW", "ECDH-ES", "EC/OKP", 32),
        "PBES2-HS256+A128KW": _family("PBES2-HS256+A128KW", "PBES2", "password", 16, "SHA256"),
        "PBES2-HS384+A192KW": _family("PBES2-HS384+A192KW", "PBES2", "password", 24, "SHA384"),
        "PBES2-HS512+A256KW": _family("PBES2-HS512+A256KW", "PBES2", "password", 32, "SHA512"),
    }
)


# ------------------------------------------------------------------------ zip: DEF


def inflate(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Raw DEFLATE (RFC 1951), as ``zip: DEF`` says; never more than ``limit`` bytes of
    output are made. Raises :class:`RefusedError` above the limit, :class:`MalformedError` for data
    that is not DEFLATE."""
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise MalformedError(
            "The header says zip DEF, but the decrypted content is not DEFLATE data.",
            "/header/zip",
        ) from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise RefusedError(
            "jwe-zip-bomb",
            f"The compressed content inflates to more than {limit:,} bytes; it was refused "
            "(a zip bomb: a small token that expands to exhaust memory).",
            "/header/zip",
        )
    if not inflater.eof:
        raise MalformedError(
            "The header says zip DEF, but the decrypted DEFLATE data is cut short.",
            "/header/zip",
        )
    return out


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE, for ``zip: DEF`` when encrypting."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()
