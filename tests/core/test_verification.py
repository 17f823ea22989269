"""verify_token: verdicts, reasons, findings. Attacks get tests named after them (as PyJWT's
tests/test_advisory.py does). Tokens are signed by PyJWT or by hand, not by the code under test."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import warnings
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core import algorithms
from inspector.core.inspection import inspect_token
from inspector.core.model import Verification
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_token
from tests.core import keyfactory as kf

SECRET = b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa-and-some-more-bytes-for-HS512!!"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_token(header: dict[str, Any], payload: bytes, sig: bytes) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(payload)}.{b64(sig)}"


def pyjwt(alg: str, key: Any, headers: dict[str, Any] | None = None, **claims: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode(claims or {"sub": "1"}, key, algorithm=alg, headers=headers)


def check(token: str, key: str | None, encoding: str = "utf-8") -> Verification:
    return verify_token(parse_token(token), key, secret_encoding=encoding)


def ids(v: Verification) -> list[str]:
    return [f.id for f in v.findings]


# ------------------------------------------------------------------ valid verdicts

ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "ES256K", "EdDSA"]  # fmt: skip


@pytest.mark.parametrize("alg", ASYMMETRIC)
@pytest.mark.parametrize("form", ["pem", "jwk", "private-pem", "certificate", "x5c"])
def test_asymmetric_tokens_verify_with_every_key_form(alg: str, form: str) -> None:
    key = kf.private_key_for(alg)
    token = pyjwt(alg, key)
    text = {
        "pem": lambda: kf.public_pem(key),
        "jwk": lambda: kf.jwk_text(key),
        "private-pem": lambda: kf.private_pem(key),
        "certificate": lambda: kf.certificate_pem(key),
        "x5c": lambda: kf.certificate_x5c(key),
    }[form]()
    v = check(token, text)
    assert v.status == "valid", v.reason
    assert v.reason.startswith(f"{alg} signature verified with ")
    assert v.algorithm == alg
    assert ("private-key-pasted" in ids(v)) == (form == "private-pem")
    assert "invalid-signature" not in ids(v)


def test_ed448_and_fully_specified_names() -> None:
    ed448_key = kf.okp_key("Ed448")
    si = b64(json.dumps({"alg": "Ed448"}).encode()) + "." + b64(b"{}")
    sig = ed448_key.sign(si.encode())
    assert check(f"{si}.{b64(sig)}", kf.public_pem(ed448_key)).status == "valid"
    ed25519_key = kf.okp_key("Ed25519")
    v = check(f"{si}.{b64(sig)}", kf.public_pem(ed25519_key))
    assert v.status == "invalid"
    assert "key-alg-mismatch" in ids(v)
    assert "needs Ed448" in v.reason
    si2 = b64(json.dumps({"alg": "Ed25519"}).encode()) + "." + b64(b"{}")
    sig2 = ed25519_key.sign(si2.encode())
    assert check(f"{si2}.{b64(sig2)}", kf.jwk_text(ed25519_key)).status == "valid"
    eddsa448 = b64(json.dumps({"alg": "EdDSA"}).encode()) + "." + b64(b"{}")
    sig3 = ed448_key.sign(eddsa448.encode())
    assert check(f"{eddsa448}.{b64(sig3)}", kf.public_pem(ed448_key)).status == "valid"


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
@pytest.mark.parametrize("encoding", ["utf-8", "base64", "base64url", "hex"])
def test_hmac_with_each_secret_encoding(alg: str, encoding: str) -> None:
    token = pyjwt(alg, SECRET)
    text = {
        "utf-8": SECRET.decode(),
        "base64": base64.b64encode(SECRET).decode(),
        "base64url": b64(SECRET),
        "hex": SECRET.hex(),
    }[encoding]
    v = check(token, text, encoding)
    assert v.status == "valid", v.reason
    assert v.hmac_secret == SECRET
    assert v.key == f"{8 * len(SECRET)}-bit shared secret ({encoding})"
    assert ids(v) == []


def test_reason_and_key_name_the_kid() -> None:
    key = kf.rsa_key()
    token = pyjwt("RS256", key, headers={"kid": "abc"})
    v = check(token, kf.jwk_text(key, kid="abc"))
    assert v.status == "valid"
    assert v.key == "RSA 2048-bit public key, kid 'abc'"
    assert v.reason == "RS256 signature verified with RSA 2048-bit public key, kid 'abc'."


# ------------------------------------------------------------------ JWK Sets


def _jwks(*entries: dict[str, Any]) -> str:
    return json.dumps({"keys": list(entries)})


def test_jwks_chosen_by_kid() -> None:
    a, b = kf.ec_key("ES256"), kf.ec_key("ES256", 1)
    text = _jwks(kf.jwk_dict(a, kid="0"), kf.jwk_dict(b, kid="1"))
    v = check(pyjwt("ES256", b, headers={"kid": "1"}), text)
    assert v.status == "valid"
    assert v.key == "EC P-256 key from a JWK Set, matched kid '1'"


def test_jwks_without_kid_tries_each_fitting_key_and_says_which() -> None:
    a, b = kf.ec_key("ES256"), kf.ec_key("ES256", 1)
    rsa_jwk = kf.jwk_dict(kf.rsa_key(), kid="r")
    text = _jwks(rsa_jwk, kf.jwk_dict(a, kid="0"), kf.jwk_dict(b, kid="1"))
    v = check(pyjwt("ES256", b), text)
    assert v.status == "valid"
    assert "matched kid '1'" in (v.key or "")
    other = kf.ec_key("ES256", 2)
    v = check(pyjwt("ES256", other), text)
    assert v.status == "invalid"
    assert "tried the 2 keys" in v.reason


def test_jwks_unknown_kid_is_no_matching_key() -> None:
    a = kf.ec_key("ES256")
    v = check(pyjwt("ES256", a, headers={"kid": "zzz"}), _jwks(kf.jwk_dict(a, kid="0")))
    assert v.status == "invalid"
    assert "no-matching-key" in ids(v)
    assert "'zzz'" in v.reason
    assert "'0'" in v.reason


def test_jwks_duplicate_kid_is_ambiguous_even_if_one_matches() -> None:
    a, b = kf.ec_key("ES256"), kf.ec_key("ES256", 1)
    text = _jwks(kf.jwk_dict(a, kid="k"), kf.jwk_dict(b, kid="k"))
    v = check(pyjwt("ES256", b, headers={"kid": "k"}), text)
    assert v.status == "invalid"
    assert "duplicate-kid" in ids(v)
    assert "matches key #2" in v.reason


def test_jwks_mixing_secrets_and_public_keys_is_refused() -> None:
    a = kf.ec_key("ES256")
    text = _jwks({"kty": "oct", "k": b64(SECRET), "kid": "s"}, kf.jwk_dict(a, kid="e"))
    v = check(pyjwt("HS256", SECRET, headers={"kid": "s"}), text)
    assert v.status == "invalid"
    assert "mixed-key-types" in ids(v)
    assert "signature matches" in v.reason


def test_jwks_member_that_cannot_be_read_is_a_key_error_when_chosen() -> None:
    text = _jwks({"kty": "EC", "kid": "x", "crv": "P-256", "x": "AA", "y": "AA"})
    v = check(pyjwt("ES256", kf.ec_key("ES256"), headers={"kid": "x"}), text)
    assert v.status == "error"
    assert "key-error" in ids(v)
    assert "'x'" in v.reason


# ------------------------------------------------------------------ the key decides


def test_key_alg_mismatch_reason() -> None:
    v = check(pyjwt("RS256", kf.rsa_key()), kf.public_pem(kf.ec_key("ES256")))
    assert v.status == "invalid"
    assert v.reason == "This is an EC P-256 key but the token says RS256."
    assert "key-alg-mismatch" in ids(v)
    # Nothing was compared, so no finding may claim the signature failed.
    assert "invalid-signature" not in ids(v)


def test_keyless_psychic_and_der_signatures_are_reported() -> None:
    def all_ids(token: str, key: str | None) -> list[str]:
        return [f.id for f in inspect_token(token, key, check_weak_secrets=False).findings]

    zero = hand_token({"alg": "ES256"}, b"{}", b"\x00" * 64)
    assert "psychic-signature" in all_ids(zero, None)
    der = hand_token({"alg": "ES256"}, b"{}", bytes.fromhex("3006020101020101"))
    assert "der-ecdsa-signature" in all_ids(der, None)
    # With a key the verdict reports it, once.
    assert all_ids(zero, kf.public_pem(kf.ec_key("ES256"))).count("psychic-signature") == 1


def test_empty_payload_mismatch_mentions_detached_content() -> None:
    tok = pyjwt("HS256", "a" * 32)
    h, _p, s = tok.split(".")
    v = check(f"{h}..{s}", "k" * 32)
    assert v.status == "invalid"
    assert "detached content" in v.reason


@pytest.mark.parametrize(
    ("token_alg", "key_alg"),
    [("ES256", "ES384"), ("ES384", "ES512"), ("ES256K", "ES256"), ("ES256", "ES256K")],
)
def test_curve_must_fit_the_alg(token_alg: str, key_alg: str) -> None:
    v = check(pyjwt(token_alg, kf.ec_key(token_alg)), kf.public_pem(kf.ec_key(key_alg)))
    assert v.status == "invalid"
    assert "key-alg-mismatch" in ids(v)


def test_jwk_alg_must_equal_header_alg() -> None:
    key = kf.rsa_key()
    v = check(pyjwt("PS256", key), kf.jwk_text(key, alg="RS256"))
    assert v.status == "invalid"
    assert "key-alg-mismatch" in ids(v)
    assert "'RS256'" in v.reason


@pytest.mark.parametrize("extra", [{"use": "enc"}, {"key_ops": ["encrypt"]}, {"key_ops": []}])
def test_key_use_mismatch(extra: dict[str, Any]) -> None:
    key = kf.ec_key("ES256")
    v = check(pyjwt("ES256", key), kf.jwk_text(key, **extra))
    assert v.status == "invalid"
    assert "key-use-mismatch" in ids(v)


def test_key_ops_verify_is_accepted() -> None:
    key = kf.ec_key("ES256")
    assert (
        check(pyjwt("ES256", key), kf.jwk_text(key, key_ops=["verify"], use="sig")).status
        == "valid"
    )


def test_secret_with_rs256_token_is_a_mismatch_not_an_error() -> None:
    v = check(pyjwt("RS256", kf.rsa_key()), "some shared secret")
    assert v.status == "invalid"
    assert v.reason == "This is a shared secret but the token says RS256."


# ------------------------------------------------------------------ attacks


@pytest.mark.parametrize("form", ["pem", "pkcs1", "certificate", "jwk", "private-pem"])
def test_algorithm_confusion_hs256_with_public_key(form: str) -> None:
    """CVE-2015-9235 / CVE-2016-10555: the attacker HMAC-signs with the public key text."""
    key = kf.rsa_key()
    text = {
        "pem": lambda: kf.public_pem(key),
        "pkcs1": lambda: kf.pkcs1_public_pem(key),
        "certificate": lambda: kf.certificate_pem(key),
        "jwk": lambda: kf.jwk_text(key),
        "private-pem": lambda: kf.private_pem(key),
    }[form]()
    header = {"alg": "HS256", "typ": "JWT"}
    si = f"{b64(json.dumps(header).encode())}.{b64(b'{}')}"
    forged = hmac.new(text.encode(), si.encode(), hashlib.sha256).digest()
    v = check(f"{si}.{b64(forged)}", text)
    assert v.status == "invalid"
    assert "key-confusion" in ids(v)
    assert "invalid-signature" not in ids(v)
    assert v.hmac_secret is None
    assert "forged with the public key" in v.reason


@pytest.mark.parametrize("form", ["pem", "pkcs1", "certificate", "jwk", "private-pem"])
def test_a_leftover_public_key_is_no_attack_for_an_hs256_token(form: str) -> None:
    """Issue 12: an HS256 token that the public key did not forge (a key left in the box from
    the last token) is a key that does not fit, not a critical attack."""
    key = kf.rsa_key()
    text = {
        "pem": lambda: kf.public_pem(key),
        "pkcs1": lambda: kf.pkcs1_public_pem(key),
        "certificate": lambda: kf.certificate_pem(key),
        "jwk": lambda: kf.jwk_text(key),
        "private-pem": lambda: kf.private_pem(key),
    }[form]()
    header = {"alg": "HS256", "typ": "JWT"}
    si = f"{b64(json.dumps(header).encode())}.{b64(b'{}')}"
    other = hmac.new(b"a real shared secret, 32 bytes!!", si.encode(), hashlib.sha256).digest()
    v = check(f"{si}.{b64(other)}", text)
    assert v.status == "invalid"
    assert "key-confusion" not in ids(v)
    assert "invalid-signature" not in ids(v)
    assert "key-alg-mismatch" in ids(v)
    assert v.reason == "This key (RSA 2048-bit public key) cannot check an HS256 token."
    assert not any(f.severity == "critical" for f in v.findings)


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
@pytest.mark.parametrize("key", [None, "secret", "pem"])
def test_alg_none_is_never_valid(alg: str, key: str | None) -> None:
    token = f"{b64(json.dumps({'alg': alg}).encode())}.{b64(b'{}')}."
    text = kf.public_pem(kf.rsa_key()) if key == "pem" else key
    v = check(token, text)
    assert v.status == "invalid"
    assert "unsecured" in v.reason
    # One problem, one finding: the analysis's critical alg-none, not a failed signature too.
    assert "invalid-signature" not in [f.id for f in v.findings]
    assert "alg-none" in [f.id for f in inspect_token(token, text).findings]


def test_alg_none_with_a_signature_attached_is_still_invalid() -> None:
    token = f"{b64(json.dumps({'alg': 'none'}).encode())}.{b64(b'{}')}.{b64(b'x' * 32)}"
    assert check(token, "secret").status == "invalid"


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512", "ES256K"])
@pytest.mark.parametrize(("r", "s"), [(0, 0), (0, 1), (1, 0)])
def test_psychic_signature(alg: str, r: int, s: int) -> None:
    """CVE-2022-21449: r = 0 or s = 0 verified for any message in Java 15-18."""
    size = algorithms.ALGORITHMS[alg].size
    sig = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    v = check(hand_token({"alg": alg}, b"{}", sig), kf.public_pem(kf.ec_key(alg)))
    assert v.status == "invalid"
    assert "psychic-signature" in ids(v)


def test_der_encoded_ecdsa_signature_is_invalid() -> None:
    key = kf.ec_key("ES256")
    header = {"alg": "ES256"}
    si = f"{b64(json.dumps(header).encode())}.{b64(b'{}')}"
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    der = key.sign(si.encode(), ec.ECDSA(hashes.SHA256()))
    decode_dss_signature(der)  # it really is DER
    v = check(f"{si}.{b64(der)}", kf.public_pem(key))
    assert v.status == "invalid"
    assert "der-ecdsa-signature" in ids(v)


def test_ecdsa_signature_of_wrong_size_is_invalid() -> None:
    key = kf.ec_key("ES256")
    token = pyjwt("ES256", key)
    head, payload, sig = token.split(".")
    raw = base64.urlsafe_b64decode(sig + "==")
    longer = b64(bytes(1) + raw)
    v = check(f"{head}.{payload}.{longer}", kf.public_pem(key))
    assert v.status == "invalid"
    assert "65 bytes, but ES256 makes 64-byte signatures" in v.reason
    assert "cut off" not in v.reason  # longer, not shorter
    assert "signature-length" in ids(v)


def test_embedded_jwk_is_never_used() -> None:
    """CVE-2018-0114: the token brings its own key."""
    attacker = kf.ec_key("ES256", 3)
    victim = kf.ec_key("ES256")
    token = pyjwt("ES256", attacker, headers={"jwk": kf.jwk_dict(attacker)})
    v = check(token, kf.public_pem(victim))
    assert v.status == "invalid"
    assert "embedded-jwk" in ids(v)
    v = check(token, kf.public_pem(attacker))
    assert v.status == "valid"
    assert "not the one the token carries" in v.reason


@pytest.mark.parametrize(
    ("header", "fid"),
    [
        ({"jwk": {"kty": "oct", "k": "AA"}}, "embedded-jwk"),
        ({"x5c": ["MIIB"]}, "x5c-header"),
        ({"jku": "https://evil.example/jwks.json"}, "jku-header"),
        ({"x5u": "https://evil.example/cert.pem"}, "x5u-header"),
    ],
)
def test_token_key_headers_are_findings_even_without_a_key(
    header: dict[str, Any], fid: str
) -> None:
    token = pyjwt("HS256", SECRET, headers=header)
    v = check(token, None)
    assert v.status == "unchecked"
    assert fid in ids(v)
    assert "never used" in v.reason
    assert fid in ids(check(token, SECRET.decode()))


def test_tampered_payload_is_invalid_with_the_standard_reason() -> None:
    token = pyjwt("HS256", SECRET, sub="alice")
    head, _, sig = token.split(".")
    forged = f"{head}.{b64(json.dumps({'sub': 'admin'}).encode())}.{sig}"
    v = check(forged, SECRET.decode())
    assert v.status == "invalid"
    assert v.reason == (
        "Signature does not match: the token was changed after signing, or this is not the "
        "key that signed it."
    )
    assert ids(v) == ["invalid-signature"]


def test_non_canonical_base64_cannot_be_valid() -> None:
    """Two encodings of one payload must not share a signature (Wycheproof tcId 375)."""
    header = b64(json.dumps({"alg": "HS256"}).encode())
    si = f"{header}.AB"  # 'B' carries non-zero padding bits
    sig = hmac.new(SECRET, si.encode(), hashlib.sha256).digest()
    v = check(f"{si}.{b64(sig)}", SECRET.decode())
    assert v.status == "invalid"
    assert "canonical" in v.reason


def test_spaces_inside_a_line_are_not_repaired_into_validity() -> None:
    token = pyjwt("HS256", SECRET)
    head, payload, sig = token.split(".")
    assert check(f"{head}.{payload}.   {sig}", SECRET.decode()).status == "invalid"


def test_line_wrapped_token_still_verifies() -> None:
    token = pyjwt("HS256", SECRET)
    wrapped = "\n".join(token[i : i + 40] for i in range(0, len(token), 40))
    v = check(wrapped, SECRET.decode())
    assert v.status == "valid", v.reason


def test_unknown_crit_extension_is_not_valid() -> None:
    token = pyjwt("HS256", SECRET, headers={"crit": ["exp-ext"], "exp-ext": 1})
    v = check(token, SECRET.decode())
    assert v.status == "invalid"
    assert "'exp-ext'" in v.reason


# ------------------------------------------------------------------ weak keys


def test_weak_rsa_key() -> None:
    key = kf.rsa_key(1024)
    v = check(pyjwt("RS256", key), kf.public_pem(key))
    assert v.status == "valid"
    assert "weak-rsa-key" in ids(v)


def test_short_hmac_secret() -> None:
    v = check(pyjwt("HS256", b"short"), "short")
    assert v.status == "valid"
    assert "short-hmac-secret" in ids(v)
    assert "5 bytes; HS256 needs at least 32" in next(
        f.detail for f in v.findings if f.id == "short-hmac-secret"
    )


def test_empty_secret_is_refused() -> None:
    token = hand_token({"alg": "HS256"}, b"{}", hmac.new(b"", b"", hashlib.sha256).digest())
    si = token.rsplit(".", 1)[0]
    token = f"{si}.{b64(hmac.new(b'', si.encode(), hashlib.sha256).digest())}"
    v = check(token, json.dumps({"kty": "oct", "k": ""}))
    assert v.status == "invalid"
    assert "empty-secret" in ids(v)


# ------------------------------------------------------------------ other verdicts


def test_jwe_is_unchecked_with_a_reason() -> None:
    jwe = ".".join(
        [b64(json.dumps({"alg": "dir", "enc": "A128GCM"}).encode()), "", "AAAA", "AAAA", "AAAA"]
    )
    v = check(jwe, "secret")
    assert v.status == "unchecked"
    assert "no signature of its own" in v.reason


def test_unsupported_alg() -> None:
    token = hand_token({"alg": "HS999"}, b"{}", b"x" * 32)
    v = check(token, None)
    assert v.status == "unchecked"
    assert "unsupported-alg" in ids(v)
    v = check(token, "secret")
    assert v.status == "invalid"
    assert "unsupported-alg" in ids(v)


def test_unusable_key_is_an_error_with_key_error() -> None:
    v = check(
        pyjwt("RS256", kf.rsa_key()), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
    )
    assert v.status == "error"
    assert "key-error" in ids(v)
    assert "could not be read" in v.reason


def test_no_key_is_unchecked() -> None:
    v = check(pyjwt("HS256", SECRET), None)
    assert v.status == "unchecked"
    assert check(pyjwt("HS256", SECRET), "  \n").status == "unchecked"


def test_facade_carries_the_verification() -> None:
    key = kf.ec_key("ES256")
    ins = inspect_token(pyjwt("ES256", key), kf.public_pem(key), now=1_800_000_000)
    assert ins.verification.status == "valid"
    assert ins.to_dict()["verification"]["key"] == "EC P-256 public key (SPKI PEM)"


# ------------------------------------------------------------------ never raises


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    token=st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda h, p, s: f"{h}.{p}.{s}",
            st.sampled_from(
                [
                    b64(json.dumps({"alg": a}).encode())
                    for a in [*algorithms.ALGORITHMS, "none", "XX"]
                ]
            ),
            st.text("AB-_x", max_size=8),
            st.text("ABCxyz09-_", max_size=120),
        ),
    ),
    key=st.one_of(
        st.none(),
        st.text(max_size=120),
        st.sampled_from(
            [
                '{"kty":"RSA"}',
                '{"keys":[1,{}]}',
                "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----",
                '{"kty":"EC","crv":"P-256","x":"","y":""}',
                '{"kty":"oct","k":""}',
            ]
        ),
    ),
    encoding=st.sampled_from(["utf-8", "base64", "base64url", "hex", "bogus"]),
)
def test_verify_token_never_raises(token: str, key: str | None, encoding: str) -> None:
    v = verify_token(parse_token(token), key, secret_encoding=encoding)
    assert v.status in ("valid", "invalid", "unchecked", "error")
    assert v.reason.endswith(".")
    if v.status == "valid":
        assert key is not None


def test_algorithm_confusion_with_a_public_jwk_set() -> None:
    key = kf.rsa_key()
    text = _jwks(kf.jwk_dict(key), kf.jwk_dict(kf.ec_key("ES256")))
    header = {"alg": "HS256"}
    si = f"{b64(json.dumps(header).encode())}.{b64(b'{}')}"
    forged = hmac.new(text.encode(), si.encode(), hashlib.sha256).digest()
    v = check(f"{si}.{b64(forged)}", text)
    assert v.status == "invalid"
    assert "key-confusion" in ids(v)


def test_kid_not_in_set_falls_back_to_keys_without_kid() -> None:
    a = kf.ec_key("ES256")
    text = _jwks(kf.jwk_dict(kf.ec_key("ES256", 1), kid="other"), kf.jwk_dict(a))
    v = check(pyjwt("ES256", a, headers={"kid": "new"}), text)
    assert v.status == "valid"
    assert v.key == "EC P-256 key from a JWK Set, matched key #2 (no kid)"
    v = check(pyjwt("ES256", kf.ec_key("ES256", 2), headers={"kid": "new"}), text)
    assert v.status == "invalid"
    assert "no key has the token's kid 'new'" in v.reason


def test_secrets_never_appear_in_reprs() -> None:
    token = pyjwt("HS256", SECRET)
    v = check(token, SECRET.decode())
    from inspector.core.keys import load_key

    assert SECRET.decode() not in repr(v)
    assert repr(SECRET) not in repr(load_key(SECRET.decode()))


def test_incomplete_token_is_not_asked_for_a_key() -> None:
    v = check("eyJhbGciOiJIUzI1NiJ9", None)
    assert v.status == "unchecked"
    assert "incomplete" in v.reason
    assert "enter a key" not in v.reason
    assert "No token found" in check("hello there", None).reason


def test_private_key_in_der_uses_its_public_half() -> None:
    import base64

    from cryptography.hazmat.primitives import serialization

    key = kf.rsa_key()
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    v = check(pyjwt("RS256", key), base64.b64encode(der).decode())
    assert v.status == "valid", v.reason
    assert "private-key-pasted" in ids(v)


def test_library_error_text_is_not_shown_to_the_user() -> None:
    v = check(
        pyjwt("RS256", kf.rsa_key()), "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
    )
    assert v.status == "error"
    assert "deserialize" not in v.reason
    assert "not a valid key of this kind" in v.reason


def test_non_finite_clock_is_a_caller_mistake() -> None:
    with pytest.raises(ValueError, match="finite"):
        inspect_token("x", now=float("inf"))
    with pytest.raises(ValueError, match="finite"):
        inspect_token("x", leeway=float("nan"))


def test_every_algorithm_describes_itself() -> None:
    from inspector.core.algorithms import ALGORITHMS

    words = {a: ALGORITHMS[a].describe() for a in ("HS256", "RS384", "PS512", "ES256K", "EdDSA")}
    assert words == {
        "HS256": "HMAC with SHA-256",
        "RS384": "RSASSA-PKCS1-v1_5 with SHA-384",
        "PS512": "RSASSA-PSS with SHA-512 (MGF1, salt 64 bytes)",
        "ES256K": "ECDSA on secp256k1 with SHA-256",
        "EdDSA": "EdDSA on Ed25519 or Ed448",
    }
