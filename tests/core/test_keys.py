"""Key text detection (inspector.core.keys) and JWK import (inspector.core.jwk)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.jwk import JWKError, load_jwk
from inspector.core.keys import clear_key_cache, decode_secret, is_roca_weak, load_key
from tests.core import keyfactory as kf


def _ids(lk) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.id for f in lk.findings]


# ------------------------------------------------------------------ PEM, certificates, SSH


@pytest.mark.parametrize(
    ("text_of", "kind", "description"),
    [
        (lambda: kf.public_pem(kf.rsa_key()), "pem-public", "RSA 2048-bit public key (SPKI PEM)"),
        (
            lambda: kf.pkcs1_public_pem(kf.rsa_key()),
            "pem-public",
            "RSA 2048-bit public key (PKCS#1 PEM)",
        ),
        (lambda: kf.public_pem(kf.ec_key("ES256")), "pem-public", "EC P-256 public key (SPKI PEM)"),
        (lambda: kf.public_pem(kf.ec_key("ES384")), "pem-public", "EC P-384 public key (SPKI PEM)"),
        (lambda: kf.public_pem(kf.ec_key("ES512")), "pem-public", "EC P-521 public key (SPKI PEM)"),
        (
            lambda: kf.public_pem(kf.ec_key("ES256K")),
            "pem-public",
            "EC secp256k1 public key (SPKI PEM)",
        ),
        (
            lambda: kf.public_pem(kf.okp_key("Ed25519")),
            "pem-public",
            "Ed25519 public key (SPKI PEM)",
        ),
        (lambda: kf.public_pem(kf.okp_key("Ed448")), "pem-public", "Ed448 public key (SPKI PEM)"),
    ],
)
def test_public_pem_forms(text_of, kind, description) -> None:  # type: ignore[no-untyped-def]
    lk = load_key(text_of())
    assert lk.error is None
    assert lk.kind == kind
    assert lk.description == description
    assert lk.public_material
    assert not lk.private
    assert lk.findings == ()


@pytest.mark.parametrize(
    ("fmt", "alg", "form"),
    [
        ("PKCS8", "RS256", "PKCS#8"),
        ("TraditionalOpenSSL", "RS256", "PKCS#1"),
        ("TraditionalOpenSSL", "ES256", "SEC1"),
        ("PKCS8", "ES384", "PKCS#8"),
        ("PKCS8", "Ed25519", "PKCS#8"),
        ("PKCS8", "Ed448", "PKCS#8"),
        ("OpenSSH", "Ed25519", "OpenSSH"),
    ],
)
def test_private_pem_uses_public_half(fmt: str, alg: str, form: str) -> None:
    key = kf.private_key_for(alg)
    lk = load_key(kf.private_pem(key, fmt))
    assert lk.error is None, lk.error
    assert lk.kind == "pem-private"
    assert lk.private
    assert _ids(lk) == ["private-key-pasted"]
    assert form in lk.findings[0].detail
    cand = lk.candidates[0]
    assert not hasattr(cand.key, "private_bytes"), "the private key object must not be kept"
    assert cand.key.public_bytes_raw() if alg.startswith("Ed") else True


def test_encrypted_pem_says_it_is_encrypted() -> None:
    text = kf.private_pem(kf.ec_key("ES256"), password=b"hunter2-hunter2")
    lk = load_key(text)
    assert lk.error is not None
    assert "encrypted" in lk.error
    assert "passphrase" in lk.error


def test_encrypted_legacy_pem_from_golang_jwt(vectors: Path) -> None:
    lk = load_key((vectors / "golang-jwt/test/privateSecure.pem").read_text())
    assert lk.error is not None
    assert "encrypted" in lk.error


@pytest.mark.parametrize("alg", ["RS256", "ES256", "Ed25519"])
def test_certificate_pem_and_bare_x5c_der(alg: str) -> None:
    key = kf.private_key_for(alg)
    for text in (kf.certificate_pem(key), kf.certificate_x5c(key)):
        lk = load_key(text)
        assert lk.error is None, lk.error
        assert lk.kind == "certificate"
        assert "X.509 certificate" in lk.description
        assert "jwt-inspector test" in lk.description
        assert lk.public_material


def test_ssh_public_key() -> None:
    from cryptography.hazmat.primitives import serialization

    pub = kf.okp_key("Ed25519").public_key()
    text = pub.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    lk = load_key(text.decode() + " me@example\n")
    assert lk.kind == "ssh-public"
    assert lk.description.startswith("Ed25519")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("-----BEGIN PUBLIC KEY-----\nMIIB\n", "no matching '-----END'"),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "could not be read"),
        ("-----BEGIN DSA PARAMETERS-----\nAAAA\n-----END DSA PARAMETERS-----", "DSA PARAMETERS"),
        ('{"kty": "RSA", "e": "AQAB"}', "'n'"),
        ('{"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA"}', "P-192"),
        ('{"kty": "OKP", "crv": "X25519", "x": "AA"}', "key agreement"),
        ('{"kty": "RSA", "n": 5, "e": "AQAB"}', "base64url string"),
        ('{"kty": "foo"}', "'foo'"),
        ('{"keys": []}', "no keys"),
        ('{"kty": "oct", "k": "abc', "not valid JSON"),
    ],
)
def test_unusable_key_text_says_what_and_where(text: str, needle: str) -> None:
    lk = load_key(text)
    assert lk.error is not None
    assert needle in lk.error


def test_unsupported_curve_pem(vectors: Path) -> None:
    lk = load_key((vectors / "pyjwt-keys/testkey_ec_secp192r1.priv").read_text())
    assert lk.error is not None
    assert "secp192r1" in lk.error


@pytest.mark.parametrize(
    "name",
    [
        "testkey_rsa.pub",
        "testkey_rsa.priv",
        "testkey_rsa.cer",
        "testkey_pkcs1.pub.pem",
        "testkey_ec.priv",
        "testkey_ec.pub",
        "testkey_ec_ssh.pub",
        "jwk_ec_key_P-256.json",
        "jwk_ec_pub_P-384.json",
        "jwk_ec_key_secp256k1.json",
        "jwk_rsa_key.json",
        "jwk_hmac.json",
        "jwk_okp_key_Ed25519.json",
        "jwk_okp_pub_Ed448.json",
    ],
)
def test_pyjwt_key_files_load(vectors: Path, name: str) -> None:
    path = vectors / "pyjwt-keys" / name
    if not path.exists():
        pytest.skip(f"{name} not in this snapshot")
    lk = load_key(path.read_text())
    assert lk.error is None, lk.error
    assert lk.candidates


# ------------------------------------------------------------------ JWK and JWK Set


@pytest.mark.parametrize("alg", ["RS256", "ES256", "ES384", "ES512", "ES256K", "Ed25519", "Ed448"])
def test_jwk_public_and_private_round_trip(alg: str) -> None:
    key = kf.private_key_for(alg)
    pub = load_jwk(kf.jwk_dict(key))
    assert not pub.is_private
    assert pub.public is not None
    assert kf.public_pem(pub.public) == kf.public_pem(key)
    priv = load_jwk(kf.jwk_dict(key, private=True))
    assert priv.is_private
    assert priv.private is not None
    assert kf.public_pem(priv.private.public_key()) == kf.public_pem(key)


def test_rsa_jwk_with_only_d_recovers_primes() -> None:
    d = kf.jwk_dict(kf.rsa_key(), private=True)
    minimal = {k: d[k] for k in ("kty", "n", "e", "d")}
    loaded = load_jwk(minimal)
    assert isinstance(loaded.private, rsa.RSAPrivateKey)
    assert loaded.private.private_numbers().d == kf.rsa_key().private_numbers().d


@pytest.mark.parametrize(
    ("mutate", "code", "member"),
    [
        (lambda d: d.update(e="AQ"), "bad-member", "e"),  # e = 1
        (lambda d: d.update(e="Ag"), "bad-member", "e"),  # e = 2
        (lambda d: d.pop("n"), "missing-member", "n"),
        (lambda d: d.update(n="***"), "bad-member", "n"),
    ],
)
def test_rsa_jwk_member_checks(mutate, code: str, member: str) -> None:  # type: ignore[no-untyped-def]
    d = kf.jwk_dict(kf.rsa_key())
    mutate(d)
    with pytest.raises(JWKError) as err:
        load_jwk(d)
    assert err.value.code == code
    assert err.value.member == member


def test_ec_jwk_point_must_be_on_curve_and_full_length() -> None:
    d = kf.jwk_dict(kf.ec_key("ES256"))
    y = bytearray(base64.urlsafe_b64decode(d["y"] + "=="))
    y[-1] ^= 1
    bad = dict(d, y=base64.urlsafe_b64encode(bytes(y)).rstrip(b"=").decode())
    with pytest.raises(JWKError) as err:
        load_jwk(bad)
    assert err.value.code == "invalid-point"
    short = dict(d, x=base64.urlsafe_b64encode(b"\x01" * 31).rstrip(b"=").decode())
    with pytest.raises(JWKError, match="exactly 32 bytes"):
        load_jwk(short)
    with pytest.raises(JWKError, match="P-384"):
        load_jwk(dict(d, crv="P-384"))


def test_okp_private_must_match_public() -> None:
    a = kf.jwk_dict(kf.okp_key("Ed25519"), private=True)
    b = kf.jwk_dict(kf.okp_key("Ed25519", 1))
    with pytest.raises(JWKError, match="not the public key"):
        load_jwk(dict(a, x=b["x"]))


def test_jwk_metadata_is_kept() -> None:
    lk = load_key(kf.jwk_text(kf.ec_key("ES256"), kid="abc", use="sig", alg="ES256"))
    assert lk.kind == "jwk"
    assert lk.description == "EC P-256 public key, kid 'abc'"
    c = lk.candidates[0]
    assert (c.kid, c.alg, c.use, c.crv) == ("abc", "ES256", "sig", "P-256")
    assert isinstance(c.key, ec.EllipticCurvePublicKey)


def test_oct_jwk_is_a_secret_not_public_material() -> None:
    lk = load_key(json.dumps({"kty": "oct", "k": "c2VjcmV0"}))
    assert not lk.public_material
    assert lk.candidates[0].key == b"secret"


def test_jwks_duplicates_and_mixed_types_are_findings() -> None:
    ec_jwk = kf.jwk_dict(kf.ec_key("ES256"), kid="a")
    oct_jwk = {"kty": "oct", "k": "c2VjcmV0", "kid": "a"}
    lk = load_key(json.dumps({"keys": [ec_jwk, oct_jwk]}))
    assert lk.kind == "jwks"
    assert lk.description == "JWK Set with 2 keys"
    assert set(_ids(lk)) == {"duplicate-kid", "mixed-key-types"}
    assert lk.duplicate_kids == {"a"}
    assert lk.mixed


def test_jwks_keeps_unreadable_members_with_their_problem() -> None:
    good = kf.jwk_dict(kf.ec_key("ES256"), kid="good")
    bad = {"kty": "RSA", "kid": "bad", "n": "AQAB", "e": "AQ"}
    lk = load_key(json.dumps({"keys": [good, bad]}))
    assert lk.error is None
    problem = lk.candidates[1].problem
    assert problem is not None
    assert "'bad'" in problem
    assert "'e'" in problem


def test_roca_fingerprint(vectors: Path) -> None:
    doc = json.loads((vectors / "wycheproof/json_web_key_test.json").read_text())
    group = next(g for g in doc["testGroups"] if "roca" in json.dumps(g).lower())
    n = load_jwk(group["public"]["keys"][0]).public.public_numbers().n  # type: ignore[union-attr]
    assert is_roca_weak(n)
    assert not is_roca_weak(kf.rsa_key().public_key().public_numbers().n)


# ------------------------------------------------------------------ shared secrets


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("secret", "utf-8", b"secret"),
        ("héllo", "utf-8", "héllo".encode()),
        ("c2VjcmV0", "base64", b"secret"),
        ("c2VjcmV0\n", "base64", b"secret"),
        ("-_8", "base64url", b"\xfb\xff"),
        ("+/8=", "base64", b"\xfb\xff"),
        ("DEADbeef", "hex", b"\xde\xad\xbe\xef"),
    ],
)
def test_secret_encodings(text: str, encoding: str, expected: bytes) -> None:
    assert decode_secret(text, encoding) == expected
    lk = load_key(text, encoding)
    assert lk.kind == "secret"
    assert lk.candidates[0].key == expected
    assert not lk.public_material


@pytest.mark.parametrize(
    ("text", "encoding", "needle"),
    [
        ("abc", "hex", "odd number"),
        ("zz", "hex", "'z' at position 0"),
        ("ab-c", "base64", "'-' at position 2"),
        ("ab/c", "base64url", "'/' at position 2"),
        ("abcde", "base64", "5 characters"),
        ("x", "latin-1", "Unknown secret encoding"),
    ],
)
def test_bad_secret_encoding_says_where(text: str, encoding: str, needle: str) -> None:
    lk = load_key(text, encoding)
    assert lk.error is not None
    assert needle in lk.error


def test_key_cache_returns_the_same_object_per_text_and_encoding() -> None:
    clear_key_cache()
    text = kf.public_pem(kf.rsa_key())
    a = load_key(text)
    assert load_key(text) is a
    assert load_key("c2VjcmV0", "base64") is not load_key("c2VjcmV0", "utf-8")


def test_public_key_objects_are_real_types() -> None:
    assert isinstance(
        load_key(kf.public_pem(kf.okp_key("Ed448"))).candidates[0].key, ed448.Ed448PublicKey
    )
    assert isinstance(
        load_key(kf.jwk_text(kf.okp_key("Ed25519"))).candidates[0].key, ed25519.Ed25519PublicKey
    )


def test_base64_secret_that_starts_like_der_is_still_a_secret() -> None:
    text = "MI" + "A" * 150  # decodes to 0x30 ... but is no DER structure
    lk = load_key(text, "base64")
    assert lk.error is None
    assert lk.kind == "secret"


def test_oversized_jwk_set_is_refused() -> None:
    from inspector.core.keys import MAX_JWKS_KEYS

    keys = [{"kty": "oct", "k": "AA", "kid": str(i)} for i in range(MAX_JWKS_KEYS + 1)]
    lk = load_key(json.dumps({"keys": keys}))
    assert lk.error is not None
    assert f"{MAX_JWKS_KEYS + 1:,} keys" in lk.error


_PIECES = st.sampled_from(
    [
        "-----BEGIN PUBLIC KEY-----",
        "-----END PUBLIC KEY-----",
        "-----BEGIN PRIVATE KEY-----",
        "-----END PRIVATE KEY-----",
        "-----BEGIN CERTIFICATE-----",
        "-----END CERTIFICATE-----",
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
        '{"kty":"RSA","n":"',
        '{"kty":"EC","crv":"P-256","x":"',
        '{"keys":[',
        '"}',
        "]}",
        "ssh-ed25519 AAAA",
        "\n",
        "=",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=8),
    encoding=st.sampled_from(["utf-8", "base64", "base64url", "hex", "nope"]),
)
def test_load_key_never_raises(parts: list[str], encoding: str) -> None:
    lk = load_key("".join(parts), encoding)
    assert (lk.error is None) == bool(lk.candidates)
