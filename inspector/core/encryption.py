"""Making a JWE (RFC 7516 §5.1): :func:`encrypt_token`, the encoder's side of
:mod:`inspector.core.decryption`, over the same tables (:mod:`inspector.core.jwa_encryption`).

The recipient's key comes as text, read as for decryption and verification: a public key
(PEM, certificate, JWK, JWK Set member) for RSA and ECDH-ES, a private key (its public half
is used), a shared secret or ``oct`` JWK for AES key wrap and ``dir``, a password for PBES2.
Randomness (CEK, IV, ephemeral keys, PBES2 salt) comes from :mod:`secrets` and the
platform's CSPRNG: unlike time, it is never an argument, because a caller-chosen IV or CEK
is how GCM nonces get reused.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from inspector.core.b64 import b64url_encode
from inspector.core.decryption import read_decryption_keys
from inspector.core.jwa_encryption import (
    CONTENT_ENCRYPTION,
    ECDH_OKP_CURVES,
    KEY_MANAGEMENT,
    MAX_PBES2_COUNT,
    DecryptionError,
    agreement_curve,
    deflate,
)
from inspector.core.keys import load_key

#: The PBES2 iteration count used when the header does not give one: the most jwcrypto
#: accepts by default (joserfc takes up to 300,000), so that the token can be decrypted
#: elsewhere; well above RFC 7518's floor of 1,000. A header's own ``p2c`` wins.
DEFAULT_PBES2_COUNT = 16_384


class EncryptionError(ValueError):
    """The token cannot be made as asked; the message says why (never quoting the key)."""


def encrypt_token(
    plaintext: bytes | str,
    key_text: str,
    *,
    alg: str,
    enc: str,
    header: Mapping[str, Any] | None = None,
    secret_encoding: str = "utf-8",
    compress: bool = False,
) -> str:
    """A compact JWE of ``plaintext`` for the recipient whose key is ``key_text``.

    ``header`` adds members to the protected header (``kid``, ``cty: "JWT"`` for a signed
    token inside, ``p2c``); ``compress`` sets ``zip: DEF``. Raises :class:`EncryptionError`.
    """
    key = recipient_key(key_text, alg, secret_encoding)
    return encrypt_with_key(plaintext, key, alg=alg, enc=enc, header=header, compress=compress)


def recipient_key(key_text: str, alg: str, secret_encoding: str = "utf-8") -> Any:
    """The key object (or secret bytes) in ``key_text`` that ``alg`` encrypts to."""
    spec = KEY_MANAGEMENT.get(alg)
    if spec is None:
        raise EncryptionError(f"alg {alg!r} is not a JWE key-management algorithm.")
    if spec.kty in ("oct", "password"):
        for k in read_decryption_keys(key_text, secret_encoding).keys:
            if isinstance(k.key, bytes):
                return k.key
        raise EncryptionError(f"alg {alg} needs a shared secret (or a password for PBES2).")
    loaded = load_key(key_text, secret_encoding)
    candidates = [c.key for c in loaded.candidates if c.key is not None and not c.is_secret]
    privates = [k.key for k in read_decryption_keys(key_text, secret_encoding).keys]
    for key in [*candidates, *privates]:
        if spec.kty == "RSA" and _is_rsa(key):
            return key
        if spec.kty == "EC/OKP" and agreement_curve(key) is not None:
            return key
    okp = _okp_public(key_text)
    if spec.kty == "EC/OKP" and okp is not None:
        return okp
    raise EncryptionError(
        f"alg {alg} needs "
        + ("an RSA public key." if spec.kty == "RSA" else "an EC P-256/384/521 or X25519/X448 key.")
    )


def _is_rsa(key: Any) -> bool:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey)


def _okp_public(key_text: str) -> Any:
    """An X25519/X448 public JWK (which :func:`load_key` does not read), or ``None``."""
    from cryptography.hazmat.primitives.asymmetric import x448, x25519

    from inspector.core.jwk import JWKError, b64url_member

    try:
        doc = json.loads(key_text)
    except (ValueError, RecursionError):
        return None
    members = doc.get("keys") if isinstance(doc, dict) and "keys" in doc else [doc]
    for jwk in members if isinstance(members, list) else []:
        if isinstance(jwk, dict) and jwk.get("kty") == "OKP" and jwk.get("crv") in ECDH_OKP_CURVES:
            try:
                x = b64url_member(jwk, "x")
            except JWKError:
                continue
            cls: Any = x25519.X25519PublicKey if jwk["crv"] == "X25519" else x448.X448PublicKey
            if x is not None and len(x) == ECDH_OKP_CURVES[jwk["crv"]]:
                return cls.from_public_bytes(x)
    return None


def encrypt_with_key(
    plaintext: bytes | str,
    key: Any,
    *,
    alg: str,
    enc: str,
    header: Mapping[str, Any] | None = None,
    compress: bool = False,
) -> str:
    """:func:`encrypt_token` with the key already an object (or secret bytes)."""
    spec = KEY_MANAGEMENT.get(alg)
    content = CONTENT_ENCRYPTION.get(enc)
    if spec is None or spec.wrap is None:
        raise EncryptionError(f"alg {alg!r} is not a JWE key-management algorithm.")
    if content is None:
        raise EncryptionError(f"enc {enc!r} is not a JWE content encryption.")
    data = plaintext.encode("utf-8") if isinstance(plaintext, str) else bytes(plaintext)
    protected: dict[str, Any] = {"alg": alg, "enc": enc, **(header or {})}
    if compress:
        protected["zip"] = "DEF"
        data = deflate(data)
    if spec.family == "PBES2":
        count = protected.setdefault("p2c", DEFAULT_PBES2_COUNT)
        if type(count) is not int or not 1 <= count <= MAX_PBES2_COUNT:
            raise EncryptionError(f"p2c must be a whole number from 1 to {MAX_PBES2_COUNT:,}.")
    cek = secrets.token_bytes(content.key_bytes)
    try:
        encrypted_key, members = spec.wrap(spec, key, protected, cek, content)
    except DecryptionError as err:  # the key does not fit (its type or size)
        raise EncryptionError(err.message) from None
    cek = members.pop("__cek__", cek)
    protected.update(members)
    head = b64url_encode(json.dumps(protected, separators=(",", ":")).encode("utf-8"))
    iv = secrets.token_bytes(content.iv_bytes)
    ct, tag = content.encrypt(content, cek, iv, data, head.encode("ascii"))
    parts = (head, encrypted_key, iv, ct, tag)
    return ".".join(p if isinstance(p, str) else b64url_encode(p) for p in parts)
