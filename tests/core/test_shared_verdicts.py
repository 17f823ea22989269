"""Verdicts shared between tokens (issue 17 item 2): a signature verified with a public key,
with nothing else to say, is one frozen value per algorithm and key; anything more (a key the
token carries, a shared secret, a finding) still gets a verdict of its own."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspector.core.algorithms import sign
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_token
from tests.core.tokens import STRONG_SECRET, b64, hs256, segment


def es256(
    key: ec.EllipticCurvePrivateKey, header: dict[str, object], claims: dict[str, object]
) -> str:
    si = f"{segment(header)}.{segment(claims)}"
    return f"{si}.{b64(sign('ES256', key, si.encode()))}"


KEY = ec.generate_private_key(ec.SECP256R1())
PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)


def test_two_tokens_verified_with_one_public_key_share_the_verdict() -> None:
    a = verify_token(parse_token(es256(KEY, {"alg": "ES256"}, {"sub": "a"})), PEM)
    b = verify_token(parse_token(es256(KEY, {"alg": "ES256"}, {"sub": "b"})), PEM)
    assert a.status == b.status == "valid"
    assert a == b
    assert a.findings == ()
    assert "not the one the token carries" not in a.reason


def test_a_token_that_points_to_a_key_is_told_its_key_was_not_used() -> None:
    token = es256(KEY, {"alg": "ES256", "jku": "https://attacker.example/jwks"}, {"sub": "a"})
    v = verify_token(parse_token(token), PEM)
    assert v.status == "valid"
    assert "not the one the token carries or points to" in v.reason
    plain = verify_token(parse_token(es256(KEY, {"alg": "ES256"}, {"sub": "a"})), PEM)
    assert v.reason != plain.reason


def test_a_changed_token_is_not_valid_with_the_shared_verdict_in_place() -> None:
    good = es256(KEY, {"alg": "ES256"}, {"sub": "a"})
    assert verify_token(parse_token(good), PEM).status == "valid"
    h, _payload, s = good.split(".")
    forged = f"{h}.{segment({'sub': 'admin'})}.{s}"
    assert verify_token(parse_token(forged), PEM).status == "invalid"


def test_a_shared_secret_keeps_a_verdict_of_its_own() -> None:
    v = verify_token(parse_token(hs256({"alg": "HS256"}, {"sub": "a"})), STRONG_SECRET.decode())
    assert v.status == "valid"
    assert v.hmac_secret == STRONG_SECRET  # (the weak-secret check looks the user's own key up)
