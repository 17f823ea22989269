"""An SD-JWT whose ``cnf`` names the holder's key instead of carrying it (RFC 7800 §3.4 ``kid``,
RFC 9449 §6.1 ``jkt``): the key binding's reason names the key needed; a ``jwk`` in the KB-JWT's
own header is used only when its RFC 7638 thumbprint is the issuer-signed ``cnf.jkt``; the user
gives the holder key as ``kb_key`` (PEM, JWK, a JWK Set searched for the cnf's kid or
thumbprint). Attacks: another holder key, a header jwk with another thumbprint, kid mismatches.

The SD-JWTs are made here with jwcrypto (an independent JOSE library, test extra), by the rules
of RFC 9901 §4, so that ``cnf`` can be anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from inspector.core import inspect_token

jwk_mod = pytest.importorskip("jwcrypto.jwk")
jws_mod = pytest.importorskip("jwcrypto.jws")

NOW = 1_750_000_000
AUD = "https://verifier.example"
NONCE = "n-4bc1"
ISSUER_KEY = jwk_mod.JWK.generate(kty="EC", crv="P-256")
HOLDER_KEY = jwk_mod.JWK.generate(kty="EC", crv="P-256", kid="holder-1")
OTHER_KEY = jwk_mod.JWK.generate(kty="EC", crv="P-256", kid="holder-1")  # same kid, another key
RSA_HOLDER = jwk_mod.JWK.generate(kty="RSA", size=2048, kid="holder-rsa")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign(key: Any, header: dict[str, Any], payload: dict[str, Any]) -> str:
    token = jws_mod.JWS(json.dumps(payload).encode())
    token.add_signature(key, alg=header["alg"], protected=json.dumps(header))
    return str(token.serialize(compact=True))


def public(key: Any) -> dict[str, Any]:
    return dict(key.export_public(as_dict=True))


def thumbprint(key: Any) -> str:
    return str(key.thumbprint())  # jwcrypto: RFC 7638, SHA-256, base64url


GIVEN = b64(json.dumps(["salt-1", "given_name", "Alice"]).encode())


def issue(cnf: dict[str, Any]) -> str:
    """An SD-JWT with one disclosure, its cnf as given, ending in '~' (no KB-JWT yet)."""
    digest = b64(hashlib.sha256(GIVEN.encode()).digest())
    payload = {"iss": "https://issuer.example", "_sd": [digest], "_sd_alg": "sha-256", "cnf": cnf}
    return sign(ISSUER_KEY, {"alg": "ES256", "typ": "dc+sd-jwt"}, payload) + f"~{GIVEN}~"


def bind(
    sd_jwt: str,
    key: Any = HOLDER_KEY,
    *,
    alg: str = "ES256",
    extra_header: dict[str, Any] | None = None,
    sd_hash: str | None = None,
) -> str:
    """``sd_jwt`` with a KB-JWT signed by ``key`` appended (RFC 9901 §4.3)."""
    header = {"alg": alg, "typ": "kb+jwt", **(extra_header or {})}
    payload = {
        "iat": NOW,
        "aud": AUD,
        "nonce": NONCE,
        "sd_hash": sd_hash or b64(hashlib.sha256(sd_jwt.encode()).digest()),
    }
    return sd_jwt + sign(key, header, payload)


def kb_of(text: str, **kw: Any) -> dict[str, Any]:
    d = inspect_token(
        text, ISSUER_KEY.export_public(), now=NOW, kb_audience=AUD, kb_nonce=NONCE, **kw
    ).to_dict()
    assert d["verification"]["status"] == "valid"  # the issuer's signature is not at stake
    kb = d["sd_jwt"]["key_binding"]
    invalid_finding = "sd-key-binding-invalid" in [f["id"] for f in d["findings"]]
    assert invalid_finding == (kb["status"] == "invalid")
    return dict(kb)


def assert_invalid(kb: dict[str, Any], *words: str) -> None:
    assert kb["status"] == "invalid", kb["reason"]
    for w in words:
        assert w in kb["reason"], kb["reason"]


# ------------------------------------------------------------------ cnf by kid


def test_cnf_by_kid_without_a_holder_key_names_the_kid_needed():
    kb = kb_of(bind(issue({"kid": "holder-1"})))
    assert kb["status"] == "unchecked"
    assert "kid 'holder-1'" in kb["reason"]
    assert "enter that public key as the holder key" in kb["reason"]
    assert kb["holder_key"] == "kid 'holder-1'"
    # The checks that need no key ran: they hold, and the reason says so.
    assert "sd_hash" in kb["reason"]


def test_cnf_by_kid_verifies_with_the_holder_key_given_as_a_jwk_pem_or_set():
    text = bind(issue({"kid": "holder-1"}))
    kb = kb_of(text, kb_key=HOLDER_KEY.export_public())
    assert kb["status"] == "valid", kb["reason"]
    assert "the holder key you gave" in kb["reason"]
    assert "by its kid" in kb["reason"]
    pem = HOLDER_KEY.export_to_pem().decode()
    kb = kb_of(text, kb_key=pem)
    assert kb["status"] == "valid", kb["reason"]
    assert "no kid to compare" in kb["reason"]
    other = jwk_mod.JWK.generate(kty="EC", crv="P-256", kid="holder-2")
    keys = {"keys": [public(other), public(HOLDER_KEY)]}
    kb = kb_of(text, kb_key=json.dumps(keys))
    assert kb["status"] == "valid", kb["reason"]


def test_attack_kb_jwt_signed_by_another_key_than_the_holder_key_given():
    # The attacker signs with a key of their own that carries the cnf's kid.
    text = bind(issue({"kid": "holder-1"}), OTHER_KEY)
    assert_invalid(kb_of(text, kb_key=HOLDER_KEY.export_public()), "does not verify")
    # ...and the user is handed the attacker's key with the right kid: the wrong holder key.
    text = bind(issue({"kid": "holder-1"}))
    assert_invalid(kb_of(text, kb_key=OTHER_KEY.export_public()), "does not verify")


def test_attack_kid_mismatch_between_the_key_given_and_the_cnf():
    text = bind(issue({"kid": "holder-1"}))
    renamed = {**public(HOLDER_KEY), "kid": "holder-2"}
    assert_invalid(kb_of(text, kb_key=json.dumps(renamed)), "kid 'holder-2'", "cnf's kid")
    keys = {"keys": [renamed]}
    assert_invalid(
        kb_of(text, kb_key=json.dumps(keys)),
        "no key in the holder key set you gave has the cnf's kid",
    )


def test_attack_kb_jwt_header_names_another_kid_than_the_cnf():
    text = bind(issue({"kid": "holder-1"}), extra_header={"kid": "attacker"})
    assert_invalid(kb_of(text, kb_key=HOLDER_KEY.export_public()), "header's kid 'attacker'")
    # Without a holder key too: that check needs no key.
    assert_invalid(kb_of(text), "header's kid 'attacker'")


def test_a_failing_check_that_needs_no_key_is_invalid_even_without_the_holder_key():
    text = bind(issue({"kid": "holder-1"}), sd_hash=b64(b"\0" * 32))
    assert_invalid(kb_of(text), "sd_hash")


# ------------------------------------------------------------------ cnf by jkt


def test_cnf_by_jkt_without_any_key_names_the_thumbprint_needed():
    jkt = thumbprint(HOLDER_KEY)
    kb = kb_of(bind(issue({"jkt": jkt})))
    assert kb["status"] == "unchecked"
    assert jkt in kb["reason"]
    assert "thumbprint" in kb["reason"]
    assert kb["holder_key"] == f"RFC 7638 thumbprint (cnf.jkt) '{jkt}'"


def test_cnf_by_jkt_verifies_with_the_header_jwk_it_pins():
    text = bind(issue({"jkt": thumbprint(HOLDER_KEY)}), extra_header={"jwk": public(HOLDER_KEY)})
    kb = kb_of(text)
    assert kb["status"] == "valid", kb["reason"]
    assert "pinned by the issuer-signed cnf.jkt" in kb["reason"]


def test_attack_a_header_jwk_with_another_thumbprint_is_not_trusted():
    # The attacker signs with their own key and brings it along in the header.
    text = bind(
        issue({"jkt": thumbprint(HOLDER_KEY)}), OTHER_KEY, extra_header={"jwk": public(OTHER_KEY)}
    )
    kb = kb_of(text)
    assert_invalid(kb, thumbprint(OTHER_KEY), "not the cnf.jkt", "trusted only when")


def test_attack_the_pinned_header_jwk_with_a_signature_by_another_key():
    # The header names the holder's (pinned) key, but the attacker signed.
    text = bind(
        issue({"jkt": thumbprint(HOLDER_KEY)}), OTHER_KEY, extra_header={"jwk": public(HOLDER_KEY)}
    )
    assert_invalid(kb_of(text), "does not verify with the jwk in its own header")


def test_attack_the_header_jwk_carries_extra_members_beside_the_pinned_ones():
    """Only the thumbprint's members are used: an RSA key that adds a certificate chain or
    another member cannot swap the key the thumbprint pins."""
    planted = {**public(RSA_HOLDER), "x5c": ["AAAA"], "use": "enc"}
    text = bind(
        issue({"jkt": thumbprint(RSA_HOLDER)}), RSA_HOLDER, alg="RS256",
        extra_header={"jwk": planted},
    )  # fmt: skip
    kb = kb_of(text)
    assert kb["status"] == "valid", kb["reason"]


def test_cnf_by_jkt_with_the_holder_key_given():
    text = bind(issue({"jkt": thumbprint(HOLDER_KEY)}))
    kb = kb_of(text, kb_key=HOLDER_KEY.export_to_pem().decode())
    assert kb["status"] == "valid", kb["reason"]
    assert "by its thumbprint" in kb["reason"]
    # A JWK Set is searched for the thumbprint.
    keys = {"keys": [public(OTHER_KEY), public(HOLDER_KEY)]}
    assert kb_of(text, kb_key=json.dumps(keys))["status"] == "valid"


def test_attack_wrong_holder_key_given_for_a_jkt():
    text = bind(issue({"jkt": thumbprint(HOLDER_KEY)}), OTHER_KEY)
    assert_invalid(
        kb_of(text, kb_key=OTHER_KEY.export_public()),
        f"has the thumbprint '{thumbprint(OTHER_KEY)}'",
        "not the cnf.jkt",
    )
    keys = {"keys": [public(OTHER_KEY)]}
    assert_invalid(kb_of(text, kb_key=json.dumps(keys)), "no key in the holder key set")


# ------------------------------------------------------------------ bad holder keys


def test_a_holder_key_that_is_a_shared_secret_or_unreadable_is_said_so():
    text = bind(issue({"kid": "holder-1"}))
    assert_invalid(kb_of(text, kb_key="a shared secret of some length"), "shared secret")
    kb = kb_of(text, kb_key="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
    assert kb["status"] == "unchecked"
    assert "the holder key you gave cannot be read" in kb["reason"]


def test_cnf_jwk_still_wins_over_a_holder_key_given():
    """The issuer-signed ``cnf.jwk`` is the holder key; a key the user gives does not replace it."""
    text = bind(issue({"jwk": public(HOLDER_KEY)}), OTHER_KEY)
    assert_invalid(kb_of(text, kb_key=OTHER_KEY.export_public()), "cnf.jwk")
    kb = kb_of(bind(issue({"jwk": public(HOLDER_KEY)})), kb_key=OTHER_KEY.export_public())
    assert kb["status"] == "valid"
    assert kb["holder_key"] is None


@pytest.mark.parametrize(
    "cnf",
    [{"jku": "https://holder.example/keys"}, {}, {"kid": 5}, "holder-1", ["x"], {"jkt": None}],
)
def test_a_cnf_that_names_no_usable_key_is_unchecked_with_its_reason(cnf: Any):
    kb = kb_of(bind(issue(cnf)), kb_key=HOLDER_KEY.export_public())
    assert kb["status"] == "unchecked", kb["reason"]
    assert "cnf" in kb["reason"]


# ------------------------------------------------------------------ hostile input never raises

HOSTILE_KB_KEYS = [
    "",
    "   ",
    "{",
    '{"keys": 5}',
    '{"keys": [{"kty": "EC"}]}',
    '{"keys": [5, "x", null]}',
    '{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "kid": "holder-1"}',
    '{"kty": "oct", "k": "c2VjcmV0", "kid": "holder-1"}',
    "\x00" * 64,
    "-----BEGIN CERTIFICATE-----\n" + "A" * 100 + "\n-----END CERTIFICATE-----",
    "x" * 2_000_000,
]
HOSTILE_HEADER_JWKS = [
    "not an object",
    5,
    {"kty": "EC"},
    {"kty": "RSA", "n": 5, "e": "AQAB"},
    {"kty": "oct", "k": "c2VjcmV0"},
    {"kty": "EC", "crv": "P-256", "x": "\ud800", "y": "AA"},
]


@pytest.mark.parametrize("kb_key", HOSTILE_KB_KEYS, ids=range(len(HOSTILE_KB_KEYS)))
def test_a_hostile_holder_key_gives_a_reason_never_an_exception(kb_key: str):
    for cnf in ({"kid": "holder-1"}, {"jkt": thumbprint(HOLDER_KEY)}):
        kb = kb_of(bind(issue(cnf)), kb_key=kb_key)
        assert kb["status"] in ("unchecked", "invalid"), kb["reason"]
        assert kb["reason"]


@pytest.mark.parametrize("jwk", HOSTILE_HEADER_JWKS, ids=range(len(HOSTILE_HEADER_JWKS)))
def test_attack_a_hostile_header_jwk_is_never_trusted(jwk: Any):
    kb = kb_of(bind(issue({"jkt": thumbprint(HOLDER_KEY)}), extra_header={"jwk": jwk}))
    assert_invalid(kb, "not the cnf.jkt")


@pytest.mark.parametrize(
    "cnf", [{"kid": "k" * 100_000}, {"jkt": "\u202e" * 50}, {"kid": "a", "jkt": "b"}]
)
def test_a_hostile_cnf_name_is_quoted_short(cnf: dict[str, Any]):
    kb = kb_of(bind(issue(cnf)))
    assert kb["status"] == "unchecked", kb["reason"]
    assert len(kb["reason"]) < 1_000


def test_attack_a_self_made_sd_jwt_binds_only_as_far_as_its_issuer_signature_verifies():
    """An attacker mints an SD-JWT pinning their own key (cnf.jkt) and binds it: the binding's
    signature holds, but without the issuer's key (or with another) the reason says that the
    cnf, hence the binding, is not the issuer's word."""
    attacker_issuer = jwk_mod.JWK.generate(kty="EC", crv="P-256")
    digest = b64(hashlib.sha256(GIVEN.encode()).digest())
    payload = {"_sd": [digest], "cnf": {"jkt": thumbprint(OTHER_KEY)}}
    forged = sign(attacker_issuer, {"alg": "ES256", "typ": "dc+sd-jwt"}, payload) + f"~{GIVEN}~"
    text = bind(forged, OTHER_KEY, extra_header={"jwk": public(OTHER_KEY)})
    for key in (None, ISSUER_KEY.export_public()):
        d = inspect_token(text, key, now=NOW).to_dict()
        assert d["verification"]["status"] != "valid"
        kb = d["sd_jwt"]["key_binding"]
        assert kb["status"] == "valid"  # the KB-JWT's own signature, with the pinned key
        assert "issuer's signature is not verified" in kb["reason"]
    # With the issuer's signature verified, no such caveat.
    kb = kb_of(
        bind(issue({"jkt": thumbprint(HOLDER_KEY)}), extra_header={"jwk": public(HOLDER_KEY)})
    )
    assert "not verified" not in kb["reason"]
