"""Key generation and export: keys load in PyJWT, jwcrypto and our own readers; thumbprints
match RFC 7638 / RFC 8037 and jwcrypto; PEM and JWK convert both ways."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from jwcrypto import jwk as jwcrypto_jwk

from inspector.core.jwk import load_jwk
from inspector.core.keygen import (
    KEYGEN_ALGORITHMS,
    RSA_SIZES,
    GeneratedKey,
    KeyConversion,
    convert_key,
    export_key,
    generate_key,
    jwk_set,
    jwk_thumbprint,
    key_options,
    keygen_problem,
    private_jwk,
    public_jwk,
)
from inspector.core.keys import load_key

NON_RSA = [a for a in KEYGEN_ALGORITHMS if a[:2] not in ("RS", "PS")]


@pytest.fixture(scope="module")
def rsa_key() -> GeneratedKey:
    return generate_key("RS256")


@pytest.fixture(scope="module")
def generated(rsa_key: GeneratedKey) -> dict[str, GeneratedKey]:
    out = {a: generate_key(a) for a in NON_RSA}
    for alg in KEYGEN_ALGORITHMS:
        if alg[:2] in ("RS", "PS"):
            out[alg] = export_key(alg, rsa_key.key, rsa_key.description)
    return out


# ------------------------------------------------------------------------------ generation


@pytest.mark.parametrize(
    ("alg", "kind", "size"),
    [
        ("ES256", ec.EllipticCurvePrivateKey, "secp256r1"),
        ("ES384", ec.EllipticCurvePrivateKey, "secp384r1"),
        ("ES512", ec.EllipticCurvePrivateKey, "secp521r1"),
        ("ES256K", ec.EllipticCurvePrivateKey, "secp256k1"),
        ("EdDSA", ed25519.Ed25519PrivateKey, None),
        ("Ed25519", ed25519.Ed25519PrivateKey, None),
        ("Ed448", ed448.Ed448PrivateKey, None),
    ],
)
def test_generated_key_types(alg: str, kind: type, size: str | None) -> None:
    key = generate_key(alg)
    assert isinstance(key.key, kind)
    if size is not None:
        assert key.key.curve.name == size
    assert key.alg == alg


def test_eddsa_can_use_ed448() -> None:
    key = generate_key("EdDSA", crv="Ed448")
    assert isinstance(key.key, ed448.Ed448PrivateKey)
    assert json.loads(key.private_jwk)["alg"] == "EdDSA"


def test_rsa_default_is_2048(rsa_key: GeneratedKey) -> None:
    assert isinstance(rsa_key.key, rsa.RSAPrivateKey)
    assert rsa_key.key.key_size == 2048
    assert rsa_key.key.public_key().public_numbers().e == 65537


@pytest.mark.slow
def test_rsa_3072_and_4096() -> None:
    for bits in RSA_SIZES[1:]:
        key = generate_key("PS384", bits=bits)
        assert key.key.key_size == bits
        assert f"{bits}-bit" in key.description


@pytest.mark.parametrize(("alg", "size"), [("HS256", 32), ("HS384", 48), ("HS512", 64)])
def test_hmac_secret_is_at_least_the_hash_length(alg: str, size: int) -> None:
    key = generate_key(alg)
    assert isinstance(key.key, bytes)
    assert len(key.key) == size
    assert len(generate_key(alg, bits=size * 16).key) == size * 2
    assert generate_key("HS256").key != key.key


def test_hmac_secret_uses_the_given_randomness() -> None:
    key = generate_key("HS256", token_bytes=lambda n: bytes(range(n)))
    assert key.key == bytes(range(32))
    assert key.secret_b64url == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
    assert json.loads(key.private_jwk)["k"] == key.secret_b64url
    assert (key.public_jwk, key.public_pem, key.private_pem, key.jwk_set) == (None,) * 4


@pytest.mark.parametrize(
    ("alg", "bits", "crv", "words"),
    [
        ("HS256", 128, None, "from 256 (the hash length"),
        ("HS512", 260, None, "multiple of 8"),
        ("RS256", 1024, None, "2048, 3072, 4096 bits, not 1024"),
        ("ES256", 256, None, "fixed size"),
        ("ES256", None, "Ed448", "only be chosen for EdDSA"),
        ("EdDSA", None, "X25519", "Ed25519 or Ed448"),
        ("ES224", None, None, "cannot generate a key for 'ES224'"),
        ("none", None, None, "cannot generate"),
    ],
)
def test_keygen_refuses_bad_parameters(
    alg: str, bits: int | None, crv: str | None, words: str
) -> None:
    problem = keygen_problem(alg, bits=bits, crv=crv)
    assert problem is not None
    assert words in problem
    with pytest.raises(ValueError, match=re.escape(problem)):
        generate_key(alg, bits=bits, crv=crv)


def test_key_options_are_all_accepted() -> None:
    for alg in KEYGEN_ALGORITHMS:
        options = key_options(alg)
        assert options, alg
        for option in options:
            assert keygen_problem(alg, bits=option.bits, crv=option.crv) is None


# ------------------------------------------------------------------------------ exports load


@pytest.mark.parametrize("alg", KEYGEN_ALGORITHMS)
def test_exports_load_in_jwcrypto(generated: dict[str, GeneratedKey], alg: str) -> None:
    key = generated[alg]
    priv = jwcrypto_jwk.JWK.from_json(key.private_jwk)
    assert priv.has_private or key.kty == "oct"
    assert priv.thumbprint() == key.thumbprint
    if key.public_jwk is None:
        return
    pub = jwcrypto_jwk.JWK.from_json(key.public_jwk)
    assert not pub.has_private
    assert pub.thumbprint() == key.thumbprint
    assert key.private_pem is not None
    assert key.public_pem is not None
    from_pem = jwcrypto_jwk.JWK.from_pem(key.private_pem.encode())
    assert from_pem.thumbprint() == key.thumbprint
    assert jwcrypto_jwk.JWK.from_pem(key.public_pem.encode()).thumbprint() == key.thumbprint
    assert key.jwk_set is not None
    keyset = jwcrypto_jwk.JWKSet.from_json(key.jwk_set)
    assert keyset.get_key(key.thumbprint) is not None


@pytest.mark.parametrize("alg", KEYGEN_ALGORITHMS)
def test_exports_load_in_pyjwt(generated: dict[str, GeneratedKey], alg: str) -> None:
    key = generated[alg]
    pyjwt_alg = "EdDSA" if alg in ("Ed25519", "Ed448") else alg
    token = jwt.encode(
        {"a": 1}, jwt.PyJWK(json.loads(key.private_jwk), pyjwt_alg).key, algorithm=pyjwt_alg
    )
    if key.public_jwk is None:
        verify_key: Any = jwt.PyJWK(json.loads(key.private_jwk), pyjwt_alg).key
    else:
        verify_key = jwt.PyJWK(json.loads(key.public_jwk), pyjwt_alg).key
        algo = jwt.get_algorithm_by_name(pyjwt_alg)
        assert key.public_pem is not None
        assert key.private_pem is not None
        algo.prepare_key(key.public_pem)
        algo.prepare_key(key.private_pem)
    assert jwt.decode(token, verify_key, algorithms=[pyjwt_alg]) == {"a": 1}
    # PyJWT knows "EdDSA" but not the RFC 9864 names: it skips JWKs with alg Ed25519/Ed448.
    pyjwt_knows_alg = alg not in ("Ed25519", "Ed448")
    jwks = jwt.PyJWKSet.from_json(key.jwk_set) if key.jwk_set and pyjwt_knows_alg else None
    if jwks is not None:
        assert jwks[key.thumbprint].key_id == key.thumbprint


@pytest.mark.parametrize("alg", KEYGEN_ALGORITHMS)
def test_exports_load_in_our_readers(generated: dict[str, GeneratedKey], alg: str) -> None:
    key = generated[alg]
    loaded = load_jwk(json.loads(key.private_jwk))
    assert loaded.kid == key.thumbprint
    assert loaded.alg == alg
    assert loaded.use == "sig"
    if key.public_jwk is None:
        assert loaded.secret == key.key
        return
    assert loaded.is_private
    assert private_jwk(loaded.private) == private_jwk(key.key)  # type: ignore[arg-type]
    for text in (key.public_jwk, key.public_pem, key.private_pem, key.jwk_set):
        assert text is not None
        result = load_key(text)
        assert result.error is None, result.error
        assert public_jwk(result.candidates[0].key) == public_jwk(key.key)


def test_pem_forms(generated: dict[str, GeneratedKey]) -> None:
    key = generated["ES256"]
    assert key.private_pem is not None
    assert key.public_pem is not None
    assert key.private_pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert key.public_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    again = serialization.load_pem_private_key(key.private_pem.encode(), password=None)
    assert private_jwk(again) == private_jwk(key.key)  # type: ignore[arg-type]


def test_ec_coordinates_keep_their_full_length(generated: dict[str, GeneratedKey]) -> None:
    jwk = json.loads(generated["ES512"].private_jwk)
    for member in ("x", "y", "d"):
        assert len(jwk[member]) == 88  # 66 bytes, leading zeros kept (RFC 7518 §6.2.1.2)


def test_jwk_set_refuses_private_and_secret_keys(generated: dict[str, GeneratedKey]) -> None:
    with pytest.raises(ValueError, match="public keys only"):
        jwk_set(json.loads(generated["ES256"].private_jwk))
    with pytest.raises(ValueError, match="public keys only"):
        jwk_set(json.loads(generated["HS256"].private_jwk))
    with pytest.raises(ValueError, match="no public half"):
        public_jwk(b"secret")


# ------------------------------------------------------------------------------ thumbprints


@pytest.mark.vectors
def test_thumbprints_of_the_rfc_keys(vectors: Path) -> None:
    data = json.loads((vectors / "rfc-examples/rfc7517_8037_keys.json").read_text())
    public = data["rfc7517_A.1_public"]
    assert [jwk_thumbprint(k) for k in public["keys"]] == public["thumbprints"]
    # RFC 7638 §3.1: the RSA key of RFC 7517 A.1 has thumbprint NzbLsXh8...
    assert "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs" in public["thumbprints"]
    # Private keys give the same thumbprint as their public halves.
    private = data["rfc7517_A.2_private"]["keys"]
    assert [jwk_thumbprint(k) for k in private] == public["thumbprints"]
    # RFC 8037 A.3: the Ed25519 key's thumbprint, from the public (A.2) and private (A.1) JWK.
    ed = data["rfc8037_A.2_public"]
    assert [jwk_thumbprint(k) for k in ed["keys"]] == ed["thumbprints"]
    assert [jwk_thumbprint(k) for k in data["rfc8037_A.1_private"]["keys"]] == ed["thumbprints"]
    assert "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" in ed["thumbprints"]


@pytest.mark.vectors
def test_public_jwk_of_the_rfc_private_keys(vectors: Path) -> None:
    data = json.loads((vectors / "rfc-examples/rfc7517_8037_keys.json").read_text())
    for priv, pub in zip(
        data["rfc7517_A.2_private"]["keys"], data["rfc7517_A.1_public"]["keys"], strict=True
    ):
        loaded = load_jwk(priv)
        exported = public_jwk(loaded.private)  # type: ignore[arg-type]
        assert exported == {k: pub[k] for k in exported}
        full = private_jwk(loaded.private)  # type: ignore[arg-type]
        assert full == {k: priv[k] for k in full}


@pytest.mark.parametrize(
    ("jwk", "words"),
    [
        ({"kty": "RSA", "n": "AQAB"}, "no string member 'e'"),
        ({"kty": "XYZ"}, "kty RSA, EC, OKP or oct"),
        ({}, "not None"),
        ({"kty": "EC", "crv": "P-256", "x": "AA", "y": 5}, "'y'"),
    ],
)
def test_thumbprint_needs_the_required_members(jwk: dict[str, Any], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        jwk_thumbprint(jwk)


# ------------------------------------------------------------------------------ conversion


@pytest.mark.parametrize("alg", ["RS256", "ES256K", "ES512", "Ed25519", "Ed448"])
def test_pem_to_jwk_to_pem(generated: dict[str, GeneratedKey], alg: str) -> None:
    key = generated[alg]
    assert key.private_pem is not None
    assert key.public_pem is not None
    jwk = convert_key(key.private_pem, to="jwk")
    assert jwk.text is not None, jwk.message
    as_dict = json.loads(jwk.text)
    assert as_dict["kid"] == key.thumbprint
    assert {k: as_dict[k] for k in ("kty", "d")} == {
        k: json.loads(key.private_jwk)[k] for k in ("kty", "d")
    }
    back = convert_key(jwk.text, to="pem")
    assert back.text == key.private_pem
    assert convert_key(key.private_jwk, to="pem", public=True).text == key.public_pem
    pub = convert_key(key.public_pem, to="jwk")
    assert pub.text is not None
    assert "d" not in json.loads(pub.text)
    expected = {
        k: v for k, v in json.loads(key.public_jwk or "").items() if k not in ("use", "alg")
    }
    assert json.loads(pub.text) == expected
    assert convert_key(key.public_jwk or "", to="pem").text == key.public_pem
    assert convert_key(key.private_pem, to="thumbprint").text == key.thumbprint
    jwks = convert_key(key.private_pem, to="jwks")
    assert jwks.text is not None
    assert "d" not in json.loads(jwks.text)["keys"][0]


def test_jwk_keeps_its_own_kid_and_alg(generated: dict[str, GeneratedKey]) -> None:
    jwk = json.loads(generated["ES256"].private_jwk)
    jwk["kid"] = "my-key"
    out = convert_key(json.dumps(jwk), to="jwk", public=True)
    assert out.text is not None
    assert json.loads(out.text)["kid"] == "my-key"
    assert json.loads(out.text)["alg"] == "ES256"
    assert "d" not in json.loads(out.text)


def test_secret_converts_to_an_oct_jwk_only() -> None:
    out = convert_key("c2VjcmV0", to="jwk", secret_encoding="base64")
    assert out.text is not None
    assert json.loads(out.text)["k"] == "c2VjcmV0"
    for to, public in (("pem", False), ("jwk", True), ("jwks", False)):
        refused = convert_key(
            "secret",
            to=to,  # type: ignore[arg-type]
            public=public,
            secret_encoding="utf-8",
        )
        assert refused.text is None
        assert "no public half and no PEM form" in refused.message


@pytest.mark.parametrize(
    "text",
    [
        "my shared secret",
        "hello",
        # A JWK's "n" alone is no key either. (A PEM body without its armour already has
        # its own message: "looks like key material ... cut off".)
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc",
    ],
)
@pytest.mark.parametrize("to", ["jwk", "pem", "jwks", "thumbprint"])
def test_converting_text_that_is_no_key_warns_instead_of_making_an_oct_jwk(
    text: str, to: str
) -> None:
    """Issue 12 item 8: the converter said nothing and printed {"kty": "oct", ...} for any
    word. Without a secret encoding the text must be a key."""
    out = convert_key(text, to=to)  # type: ignore[arg-type]
    assert out.text is None
    assert [p.code for p in out.problems] == ["not-a-key"]
    assert out.message.startswith("This is not a key")
    assert text not in out.message  # (the text may be a secret: never echoed)
    # Asked for explicitly, a secret still becomes an oct JWK.
    if to == "jwk":
        made = convert_key(text, to="jwk", secret_encoding="utf-8")
        assert made.text is not None
        assert json.loads(made.text)["kty"] == "oct"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "No signing key"),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "could not be read"),
        ('{"kty": "EC", "crv": "P-256"}', "'x'"),
    ],
)
def test_convert_problems(text: str, words: str) -> None:
    out = convert_key(text, to="jwk")
    assert isinstance(out, KeyConversion)
    assert out.text is None
    assert words in out.message


def test_convert_one_key_of_a_set_at_a_time(generated: dict[str, GeneratedKey]) -> None:
    a = json.loads(generated["ES256"].public_jwk or "")
    b = json.loads(generated["Ed25519"].public_jwk or "")
    out = convert_key(json.dumps({"keys": [a, b]}), to="pem")
    assert "one key at a time" in out.message
    single = convert_key(json.dumps({"keys": [a]}), to="pem")
    assert single.text == generated["ES256"].public_pem


def test_generated_key_invariant() -> None:
    with pytest.raises(ValueError, match="HMAC secret lacks"):
        GeneratedKey(
            alg="HS256",
            kty="oct",
            description="",
            thumbprint="",
            private_jwk="{}",
            public_jwk="{}",
            jwk_set=None,
            private_pem=None,
            public_pem=None,
        )
