"""JWE helpers for tests: recipient keys per alg (made once per session) in text form, and
tokens built either with the core's own encrypter or by hand (for hostile headers that no
encrypter would write)."""

from __future__ import annotations

import json
import zlib
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, x448, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from inspector.core.encryption import encrypt_with_key
from inspector.core.jwa_encryption import CONTENT_ENCRYPTION, KEY_MANAGEMENT
from tests.core.keyfactory import rsa_key
from tests.core.tokens import STRONG_SECRET, b64, hs256

ALGS = tuple(KEY_MANAGEMENT)
ENCS = tuple(CONTENT_ENCRYPTION)
PASSWORD = "Thus from my lips, by yours, my sin is purged."
CLAIMS = {"sub": "alice", "iss": "https://idp.example/", "exp": 1_800_000_900}


@cache
def secret(size: int, n: int = 0) -> bytes:
    """A fixed ``size``-byte secret (distinct per ``n``)."""
    return bytes((7 * i + 13 * n + size) % 256 for i in range(size))


@cache
def ec_private(crv: str, n: int = 0) -> Any:
    if crv == "X25519":
        return x25519.X25519PrivateKey.generate()
    if crv == "X448":
        return x448.X448PrivateKey.generate()
    return ec.generate_private_key(
        {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}[crv]()
    )


def key_for(alg: str, enc: str, *, crv: str = "P-256", n: int = 0) -> Any:
    """The recipient's key object (or secret bytes) for ``alg``/``enc``."""
    spec = KEY_MANAGEMENT[alg]
    if spec.family == "RSA":
        return rsa_key(2048, n)
    if spec.family == "ECDH-ES":
        return ec_private(crv, n)
    if spec.family == "PBES2":
        return PASSWORD.encode()
    if spec.family == "dir":
        return secret(CONTENT_ENCRYPTION[enc].key_bytes, n)
    return secret(spec.kek_bytes, n)


def pem_private(key: Any) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def key_text(key: Any, **jwk_members: Any) -> str:
    """The key as a person would paste it: a PEM private key, or an oct JWK for secrets (a
    password stays text). Extra members make it a JWK with them (``kid``, ``use``, ``alg``)."""
    if isinstance(key, bytes):
        if key == PASSWORD.encode():
            return PASSWORD
        return json.dumps({"kty": "oct", "k": b64(key), **jwk_members})
    if jwk_members:
        return json.dumps({**private_jwk(key), **jwk_members})
    return pem_private(key)


def private_jwk(key: Any) -> dict[str, Any]:
    from jwcrypto import jwk

    return json.loads(jwk.JWK.from_pem(pem_private(key).encode()).export(private_key=True))


def encrypt(
    plaintext: bytes | str | dict,
    alg: str,
    enc: str,
    key: Any = None,
    header: dict | None = None,
    compress: bool = False,
) -> str:
    data = json.dumps(plaintext).encode() if isinstance(plaintext, dict) else plaintext
    return encrypt_with_key(
        data,
        key if key is not None else key_for(alg, enc),
        alg=alg,
        enc=enc,
        header=header,
        compress=compress,
    )


def dir_gcm(header: dict, plaintext: bytes, key: bytes, *, tag_bytes: int = 16) -> str:
    """alg dir + A*GCM by hand, with any protected header (hostile ones included)."""
    head = b64(json.dumps(header).encode())
    iv = bytes(range(12))
    out = AESGCM(key).encrypt(iv, plaintext, head.encode())
    return ".".join((head, "", b64(iv), b64(out[:-16]), b64(out[-16:][:tag_bytes])))


def zip_bomb(size: int) -> bytes:
    """``size`` zero bytes, raw-DEFLATE compressed (about a thousandth of the size)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(bytes(size)) + c.flush()


def signed_inner(claims: dict | None = None) -> str:
    """An HS256 JWS, for nesting (key: STRONG_SECRET)."""
    return hs256({"alg": "HS256", "typ": "JWT"}, claims or CLAIMS, STRONG_SECRET)


def flip(token: str, segment: int, char: int = 5) -> str:
    """``token`` with one base64url character of ``segment`` changed."""
    parts = token.split(".")
    s = parts[segment]
    c = "A" if s[char] != "A" else "B"
    parts[segment] = s[:char] + c + s[char + 1 :]
    return ".".join(parts)
