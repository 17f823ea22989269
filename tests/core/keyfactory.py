"""Keys for verification tests: generated once per session (RSA key generation is slow),
and their text forms (PEM, certificate, JWK via jwcrypto as an independent exporter)."""

from __future__ import annotations

import datetime
import json
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

#: alg -> how to make a private key for it.
_CURVES = {
    "ES256": ec.SECP256R1,
    "ES384": ec.SECP384R1,
    "ES512": ec.SECP521R1,
    "ES256K": ec.SECP256K1,
}


@cache
def rsa_key(bits: int = 2048, n: int = 0) -> rsa.RSAPrivateKey:
    """The ``n``-th RSA key of ``bits`` bits (cached: each is generated once per session)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def ec_key(alg: str, n: int = 0) -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(_CURVES[alg]())


@cache
def okp_key(crv: str, n: int = 0) -> ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey:
    return (
        ed25519.Ed25519PrivateKey.generate()
        if crv == "Ed25519"
        else ed448.Ed448PrivateKey.generate()
    )


def private_key_for(alg: str, n: int = 0) -> Any:
    if alg.startswith(("RS", "PS")):
        return rsa_key(2048, n)
    if alg in _CURVES:
        return ec_key(alg, n)
    if alg == "Ed448":
        return okp_key("Ed448", n)
    return okp_key("Ed25519", n)


def public_pem(key: Any) -> str:
    pub = key.public_key() if hasattr(key, "private_bytes") else key
    return pub.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def pkcs1_public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
        .decode()
    )


def private_pem(key: Any, fmt: str = "PKCS8", password: bytes | None = None) -> str:
    formats = {
        "PKCS8": serialization.PrivateFormat.PKCS8,
        "TraditionalOpenSSL": serialization.PrivateFormat.TraditionalOpenSSL,
        "OpenSSH": serialization.PrivateFormat.OpenSSH,
    }
    enc: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, formats[fmt], enc).decode()


@cache
def certificate(key: Any, cn: str = "jwt-inspector test") -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    algorithm = (
        None
        if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey)
        else hashes.SHA256()
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365))
        .sign(key, algorithm)
    )


def certificate_with(
    key: Any,
    *,
    not_before: datetime.datetime,
    days: int,
    digital_signature: bool | None = None,
    cn: str = "jwt-inspector test",
) -> str:
    """A self-signed certificate's PEM, valid ``days`` from ``not_before``. With
    ``digital_signature`` set, a critical KeyUsage extension: that usage, else key
    encipherment; without it, no KeyUsage at all."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(not_before)
        .not_valid_after(not_before + datetime.timedelta(days=days))
    )
    if digital_signature is not None:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=digital_signature,
                content_commitment=False,
                key_encipherment=not digital_signature,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    algorithm = (
        None
        if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey)
        else hashes.SHA256()
    )
    return builder.sign(key, algorithm).public_bytes(serialization.Encoding.PEM).decode()


def certificate_pem(key: Any) -> str:
    return certificate(key).public_bytes(serialization.Encoding.PEM).decode()


def certificate_x5c(key: Any) -> str:
    """The bare base64 DER body, as one entry of an ``x5c`` header holds it."""
    import base64

    return base64.b64encode(certificate(key).public_bytes(serialization.Encoding.DER)).decode()


def jwk_dict(key: Any, *, private: bool = False, **extra: Any) -> dict[str, Any]:
    """The key as a JWK, exported by jwcrypto (an independent implementation)."""
    from jwcrypto import jwk

    if isinstance(key, bytes):
        from jwcrypto.common import base64url_encode

        d: dict[str, Any] = {"kty": "oct", "k": base64url_encode(key)}
    else:
        d = json.loads(jwk.JWK.from_pyca(key).export(private_key=private))
        if not private:
            d = {k: v for k, v in d.items() if k in ("kty", "crv", "n", "e", "x", "y")}
    d.update(extra)
    return d


def jwk_text(key: Any, *, private: bool = False, **extra: Any) -> str:
    return json.dumps(jwk_dict(key, private=private, **extra))
