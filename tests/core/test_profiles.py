"""Token profiles (issue 15): detection, each profile's findings firing and not firing, the
DPoP proof verified with its own key (and nothing else ever so), OIDC hash claims against the
tokens pasted with them.

Tokens are signed with jwcrypto (an independent implementation); thumbprints are checked
against jwcrypto's and RFC 9449's own values.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from jwcrypto import jwk, jwt

from inspector.core import inspect_token
from inspector.core.dpop import thumbprint
from inspector.core.oauth_profiles import half_hash
from tests.core.keyfactory import ec_key, jwk_dict, rsa_key
from tests.core.tokens import STRONG_SECRET, hs256

NOW = 1_800_000_000

# RFC 9449 Figure 12: a DPoP proof sent with the access token "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~
# zsPE_NeO.gxU" (its 'ath'); the key's thumbprint is RFC 9449 §6.1's cnf.jkt.
RFC9449_PROOF = (
    "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik"
    "VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR"
    "nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE"
    "QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIj"
    "oiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0Z"
    "WRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNF"
    "c05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71E"
    "OptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA"
)
RFC9449_ACCESS_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
RFC9449_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
RFC9449_IAT = 1562262618


def sign(header: dict[str, Any], claims: dict[str, Any], key: Any) -> str:
    """A compact JWS made by jwcrypto with ``key`` (a pyca private key)."""
    token = jwt.JWT(header=header, claims=claims)
    token.make_signed_token(jwk.JWK.from_pyca(key))
    return str(token.serialize())


def proof(
    key: Any = None,
    *,
    header: dict[str, Any] | None = None,
    claims: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
) -> str:
    key = key or ec_key("ES256")
    h = {"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk_dict(key), **(header or {})}
    c = {"jti": "j-1", "htm": "GET", "htu": "https://rs.example/r", "iat": NOW, **(claims or {})}
    return sign(h, {k: v for k, v in c.items() if k not in drop}, key)


def ids(text: str, key: str | None = None, **kw: Any) -> list[str]:
    return [f.id for f in inspect_token(text, key, now=kw.pop("now", NOW), **kw).findings]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# ------------------------------------------------------------------ detection
@pytest.mark.parametrize(
    ("header", "claims", "name"),
    [
        ({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a"}, "access-token"),
        ({"alg": "HS256", "typ": "application/at+jwt"}, {"sub": "a"}, "access-token"),
        ({"alg": "HS256", "typ": "JWT"}, {"iss": "i", "sub": "s", "nonce": "n"}, "id-token"),
        (
            {"alg": "HS256"},
            {"events": {"http://schemas.openid.net/event/backchannel-logout": {}}},
            "logout-token",
        ),
        ({"alg": "HS256"}, {"iss": "c", "sub": "c", "aud": "as", "jti": "1"}, "client-assertion"),
        ({"alg": "HS256", "typ": "client-authentication+jwt"}, {}, "client-assertion"),
        ({"alg": "HS256"}, {"iss": "kubernetes/serviceaccount"}, "kubernetes-service-account"),
        ({"alg": "HS256"}, {"kubernetes.io": {"namespace": "x"}}, "kubernetes-service-account"),
        (
            {"alg": "HS256"},
            {"iss": "https://token.actions.githubusercontent.com", "sub": "repo:o/r"},
            "github-actions-oidc",
        ),
        ({"alg": "HS256", "typ": "kb+jwt"}, {"iat": 1}, "kb-jwt"),
        ({"alg": "HS256", "typ": "JWT"}, {"sub": "a", "exp": NOW + 60}, None),
    ],
)
def test_profiles_are_detected(header: dict[str, Any], claims: dict[str, Any], name: str | None):
    d = inspect_token(hs256(header, claims), now=NOW).to_dict()
    assert d["profile"]["name"] == name
    assert d["profile"]["reason"]


def test_no_token_has_no_profile():
    d = inspect_token("hello", now=NOW).to_dict()
    assert d["profile"] == {"name": None, "reason": "There is no token."}


# ------------------------------------------------------------------ DPoP
def test_rfc9449_example_proof_verifies_with_its_own_key_and_matches_its_access_token():
    r = inspect_token(RFC9449_PROOF, now=RFC9449_IAT)
    assert r.to_dict()["profile"]["name"] == "dpop-proof"
    assert r.verification.status == "valid"
    assert "proves" in r.verification.reason
    assert "not who holds it" in r.verification.reason
    assert RFC9449_JKT in r.verification.reason
    got = [f.id for f in r.findings]
    assert "embedded-jwk" not in got
    assert "missing-exp" not in got
    assert "dpop-proof" in got
    request = (
        "GET /protectedresource HTTP/1.1\nHost: resource.example.org\n"
        f"Authorization: DPoP {RFC9449_ACCESS_TOKEN}\nDPoP: {RFC9449_PROOF}\n"
    )
    r = inspect_token(request, now=RFC9449_IAT)
    assert r.token == RFC9449_PROOF
    assert "dpop-ath-match" in [f.id for f in r.findings]
    other = request.replace(RFC9449_ACCESS_TOKEN, "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxV")
    got = [f.id for f in inspect_token(other, now=RFC9449_IAT).findings]
    assert "dpop-ath-mismatch" in got
    assert "dpop-ath-match" not in got


def test_thumbprint_is_rfc7638_and_agrees_with_jwcrypto():
    header = json.loads(base64.urlsafe_b64decode(RFC9449_PROOF.split(".")[0] + "=="))
    assert thumbprint(header["jwk"]) == RFC9449_JKT
    for key in (ec_key("ES384"), rsa_key()):
        d = jwk_dict(key)
        assert thumbprint(d) == jwk.JWK(**d).thumbprint()
    assert thumbprint({"kty": "EC", "crv": "P-256", "x": "a"}) is None
    assert thumbprint({"kty": "RSA", "n": 1, "e": "AQAB"}) is None
    assert thumbprint({"kty": "oct", "k": "abc"}) is None


def test_a_changed_proof_is_invalid():
    good = proof()
    assert inspect_token(good, now=NOW).verification.status == "valid"
    h, p, s = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(p + "=="))
    claims["htm"] = "POST"
    forged = f"{h}.{b64(json.dumps(claims).encode())}.{s}"
    r = inspect_token(forged, now=NOW)
    assert r.verification.status == "invalid"
    assert "proof's own 'jwk'" in r.verification.reason


def test_a_proof_re_signed_by_another_key_but_carrying_the_first_keys_jwk_is_invalid():
    victim, attacker = ec_key("ES256", 0), ec_key("ES256", 1)
    forged = proof(attacker, header={"jwk": jwk_dict(victim)})
    assert inspect_token(forged, now=NOW).verification.status == "invalid"


def test_the_entered_key_is_not_used_for_a_proof_and_the_verdict_says_so():
    other = ec_key("ES256", 1)
    r = inspect_token(proof(), json.dumps(jwk_dict(other)), now=NOW)
    assert r.verification.status == "valid"
    assert "key you entered was not used" in r.verification.reason


@pytest.mark.parametrize("typ", ["JWT", "DPoP+JWT", "dpop+jwt ", "dpop", None, "at+jwt"])
def test_attack_a_token_carrying_its_own_jwk_is_never_verified_by_it_unless_a_dpop_proof(typ):
    """The jwk is trusted for 'dpop+jwt' exactly; every other token that carries its own key
    (signed by that key, a classic CVE-2018-0114 forgery) stays unchecked without a key and
    invalid with another key."""
    key = ec_key("ES256", 2)
    header: dict[str, Any] = {"alg": "ES256", "jwk": jwk_dict(key)}
    if typ is not None:
        header["typ"] = typ
    token = sign(header, {"sub": "admin", "jti": "1", "htm": "GET", "htu": "x", "iat": NOW}, key)
    r = inspect_token(token, now=NOW)
    assert r.verification.status == "unchecked"
    assert "embedded-jwk" in [f.id for f in r.findings]
    r = inspect_token(token, json.dumps(jwk_dict(ec_key("ES256", 3))), now=NOW)
    assert r.verification.status == "invalid"
    assert r.to_dict()["profile"]["name"] != "dpop-proof"


def test_attack_a_jws_json_or_sd_jwt_with_dpop_typ_is_not_verified_by_its_jwk():
    key = ec_key("ES256", 2)
    token = proof(key)
    sd = token + "~"  # an SD-JWT shape around a proof: not a DPoP proof
    r = inspect_token(sd, now=NOW)
    assert r.verification.status != "valid"


def test_attack_jws_json_with_dpop_typ_and_jwk_in_its_unprotected_header_is_not_a_proof():
    key = ec_key("ES256", 2)
    token = sign({"alg": "ES256"}, {"jti": "1", "htm": "GET", "htu": "x", "iat": NOW}, key)
    h, p, s = token.split(".")
    doc = {
        "payload": p,
        "protected": h,
        "header": {"typ": "dpop+jwt", "jwk": jwk_dict(key)},
        "signature": s,
    }
    r = inspect_token(json.dumps(doc), now=NOW)
    assert r.verification.status != "valid"
    assert r.to_dict()["profile"]["name"] != "dpop-proof"


def test_attack_a_symmetric_proof_never_verifies():
    secret = STRONG_SECRET
    header = {"typ": "dpop+jwt", "alg": "HS256", "jwk": {"kty": "oct", "k": b64(secret)}}
    token = hs256(header, {"jti": "1", "htm": "GET", "htu": "x", "iat": NOW}, secret)
    r = inspect_token(token, secret.decode(), now=NOW)
    assert r.verification.status == "invalid"
    assert "dpop-symmetric-alg" in [f.id for f in r.findings]
    # ES256 named, but the jwk is a shared secret.
    h2 = {**header, "alg": "ES256"}
    r = inspect_token(hs256(h2, {"iat": NOW}, secret), now=NOW)
    assert r.verification.status == "invalid"
    assert "dpop-symmetric-alg" in [f.id for f in r.findings]


def test_alg_none_proof_is_invalid():
    header = {"typ": "dpop+jwt", "alg": "none", "jwk": jwk_dict(ec_key("ES256"))}
    segs = [b64(json.dumps(x).encode()) for x in (header, {"iat": NOW})]
    r = inspect_token(".".join(segs) + ".", now=NOW)
    assert r.verification.status == "invalid"
    assert "dpop-symmetric-alg" in [f.id for f in r.findings]


def test_private_key_in_the_proof_is_critical_and_refused():
    key = ec_key("ES256")
    token = proof(key, header={"jwk": jwk_dict(key, private=True)})
    r = inspect_token(token, now=NOW)
    assert r.verification.status == "invalid"
    f = next(f for f in r.findings if f.id == "dpop-private-key")
    assert f.severity == "critical"
    assert "'d'" in f.detail


def test_proof_without_jwk_is_invalid_and_said():
    key = ec_key("ES256")
    token = sign({"typ": "dpop+jwt", "alg": "ES256"}, {"jti": "1", "iat": NOW}, key)
    r = inspect_token(token, now=NOW)
    assert r.verification.status == "invalid"
    assert "dpop-missing-claim" in [f.id for f in r.findings]


@pytest.mark.parametrize("claim", ["jti", "htm", "htu", "iat"])
def test_missing_proof_claims(claim: str):
    assert "dpop-missing-claim" in ids(proof(drop=(claim,)))


def test_a_complete_fresh_proof_has_no_rule_findings():
    got = ids(proof())
    assert not {
        "dpop-missing-claim",
        "dpop-iat-skew",
        "dpop-private-key",
        "dpop-symmetric-alg",
        "missing-exp",
        "missing-jti",
        "embedded-jwk",
    } & set(got)


@pytest.mark.parametrize(
    ("offset", "fires"), [(0, False), (200, False), (3600, True), (-901, True)]
)
def test_iat_far_from_now(offset: int, fires: bool):
    assert ("dpop-iat-skew" in ids(proof(claims={"iat": NOW + offset}))) is fires


def test_cnf_jkt_compared_with_an_access_token_pasted_with_the_proof():
    key = ec_key("ES256", 4)
    jkt = jwk.JWK.from_pyca(key).thumbprint()
    at = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a", "cnf": {"jkt": jkt}})
    ath = b64(hashlib.sha256(at.encode()).digest())
    p = proof(key, claims={"ath": ath})
    request = f"Authorization: DPoP {at}\nDPoP: {p}\n"
    r = inspect_token(request, now=NOW)
    assert r.token == p or r.token == at
    # The proof is the token of interest when pasted alone after the access token:
    got = ids(f"DPoP: {p}\nAuthorization: DPoP {at}\n")
    assert "dpop-jkt-match" in got
    assert "dpop-ath-match" in got
    other = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a", "cnf": {"jkt": "x" * 43}})
    got = ids(f"DPoP: {p}\nAuthorization: DPoP {other}\n")
    assert "dpop-jkt-mismatch" in got
    assert "dpop-ath-mismatch" in got


# ------------------------------------------------------------------ OIDC hash claims
def _id_token(access_token: str | None = None, code: str | None = None, **extra: Any) -> str:
    claims: dict[str, Any] = {
        "iss": "https://op.example",
        "sub": "u",
        "aud": "client",
        "exp": NOW + 300,
        "iat": NOW,
        "nonce": "n-1",
        **extra,
    }
    if access_token is not None:
        claims["at_hash"] = b64(hashlib.sha256(access_token.encode()).digest()[:16])
    if code is not None:
        claims["c_hash"] = b64(hashlib.sha256(code.encode()).digest()[:16])
    return sign({"alg": "RS256", "kid": "k"}, claims, rsa_key())


def test_half_hash_follows_the_alg():
    assert half_hash("RS256", "abc") == b64(hashlib.sha256(b"abc").digest()[:16])
    assert half_hash("ES384", "abc") == b64(hashlib.sha384(b"abc").digest()[:24])
    assert half_hash("EdDSA", "abc") == b64(hashlib.sha512(b"abc").digest()[:32])
    assert half_hash("none", "abc") is None


# OpenID Connect Core §A.4 example: access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
# has at_hash "77QmUPtjPfzWtF2AnpK9RQ" under RS256 (SHA-256).
def test_openid_example_at_hash():
    assert half_hash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y") == (
        "77QmUPtjPfzWtF2AnpK9RQ"
    )


def test_token_response_with_right_and_wrong_at_hash():
    at = "SlAV32hkKG"
    idt = _id_token(at)
    response = json.dumps({"access_token": at, "token_type": "Bearer", "id_token": idt})
    r = inspect_token(response, now=NOW)
    assert r.token == idt
    assert r.to_dict()["profile"]["name"] == "id-token"
    assert "at-hash-match" in [f.id for f in r.findings]
    swapped = json.dumps({"access_token": "SlAV32hkKH", "id_token": idt})
    got = [f for f in inspect_token(swapped, now=NOW).findings if f.id.startswith("at-hash")]
    assert [f.id for f in got] == ["at-hash-mismatch"]
    assert got[0].severity == "high"


def test_jwt_access_token_and_code_in_a_fragment():
    at = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a"})
    code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
    idt = _id_token(at, code)
    url = f"https://client.example/cb#id_token={idt}&access_token={at}&code={code}&state=s"
    got = ids(url)
    assert got.count("at-hash-match") == 2
    assert "at-hash-mismatch" not in got
    got = ids(url.replace(f"code={code}", "code=other"))
    assert "at-hash-mismatch" in got
    assert "at-hash-match" in got


def test_a_token_chosen_out_of_a_paste_is_compared_with_the_rest_of_it():
    """The window's token chooser inspects the chosen token alone, with the whole paste as
    ``context_text``: an ID token's at_hash is still compared with the access token beside it
    (right and wrong), and a DPoP proof's ath with the access token it was sent with."""
    at = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a"})
    idt = _id_token(at)
    response = json.dumps({"access_token": at, "token_type": "Bearer", "id_token": idt})
    alone = [f.id for f in inspect_token(idt, now=NOW).findings]
    assert not [i for i in alone if i.startswith("at-hash")]
    r = inspect_token(idt, now=NOW, context_text=response)
    assert r.parsed.text == idt  # the text inspected is the chosen token; only the context grew
    match = [f for f in r.findings if f.id == "at-hash-match"]
    assert len(match) == 1
    assert "access_token" in match[0].detail
    other = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "b"})
    wrong = json.dumps({"access_token": other, "id_token": idt})
    got = [f.id for f in inspect_token(idt, now=NOW, context_text=wrong).findings]
    assert "at-hash-mismatch" in got
    assert "at-hash-match" not in got
    # The access token chosen out of the same paste has no hash claim to compare.
    got = [f.id for f in inspect_token(at, now=NOW, context_text=response).findings]
    assert not [i for i in got if i.startswith("at-hash")]
    # A DPoP proof chosen out of a request.
    p = proof(claims={"ath": b64(hashlib.sha256(at.encode()).digest())})
    request = f"Authorization: DPoP {at}\nDPoP: {p}\n"
    assert "dpop-ath-match" in [
        f.id for f in inspect_token(p, now=NOW, context_text=request).findings
    ]
    request = f"Authorization: DPoP {other}\nDPoP: {p}\n"
    got = [f.id for f in inspect_token(p, now=NOW, context_text=request).findings]
    assert "dpop-ath-mismatch" in got


def test_a_context_too_long_to_search_is_not_searched():
    from inspector.core.paste_context import MAX_CONTEXT_CHARS

    at = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a"})
    idt = _id_token(at)
    huge = json.dumps({"access_token": at, "id_token": idt, "pad": "x" * MAX_CONTEXT_CHARS})
    got = [f.id for f in inspect_token(idt, now=NOW, context_text=huge).findings]
    assert not [i for i in got if i.startswith("at-hash")]


def test_an_id_token_alone_has_no_hash_finding():
    got = ids(_id_token("x"))
    assert "at-hash-match" not in got
    assert "at-hash-mismatch" not in got


# ------------------------------------------------------------------ other profiles' rules
def _hs(header: dict[str, Any], claims: dict[str, Any]) -> list[str]:
    return ids(hs256(header, claims), STRONG_SECRET.decode())


FULL_AT = {
    "iss": "https://as",
    "exp": NOW + 60,
    "aud": "rs",
    "sub": "u",
    "client_id": "c",
    "iat": NOW,
    "jti": "1",
}


def test_access_token_required_claims():
    assert "profile-missing-claim" not in _hs({"alg": "HS256", "typ": "at+jwt"}, FULL_AT)
    for claim in FULL_AT:
        c = {k: v for k, v in FULL_AT.items() if k != claim}
        assert "profile-missing-claim" in _hs({"alg": "HS256", "typ": "at+jwt"}, c), claim


ID_CLAIMS = {"iss": "i", "sub": "s", "aud": "c", "exp": NOW + 60, "iat": NOW, "nonce": "n"}


def test_id_token_rules():
    assert not {"profile-missing-claim", "id-token-azp"} & set(_hs({"alg": "HS256"}, ID_CLAIMS))
    got = _hs({"alg": "HS256"}, {**ID_CLAIMS, "aud": ["c", "d"]})
    assert "id-token-azp" in got
    assert "id-token-azp" not in _hs({"alg": "HS256"}, {**ID_CLAIMS, "aud": ["c", "d"], "azp": "c"})
    assert "id-token-azp" in _hs({"alg": "HS256"}, {**ID_CLAIMS, "azp": "x"})
    no_nonce = {k: v for k, v in ID_CLAIMS.items() if k != "nonce"}
    assert "profile-missing-claim" in _hs({"alg": "HS256"}, {**no_nonce, "auth_time": NOW})
    assert "bad-time-claim" in _hs({"alg": "HS256"}, {**ID_CLAIMS, "auth_time": NOW + 100})
    assert "bad-time-claim" not in _hs({"alg": "HS256"}, {**ID_CLAIMS, "auth_time": NOW - 100})


LOGOUT = {
    "iss": "i",
    "aud": "c",
    "iat": NOW,
    "exp": NOW + 60,
    "jti": "1",
    "sid": "s",
    "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
}


def test_logout_token_rules():
    assert "logout-token-invalid" not in _hs({"alg": "HS256", "typ": "logout+jwt"}, LOGOUT)
    assert "logout-token-invalid" in _hs({"alg": "HS256"}, {**LOGOUT, "nonce": "n"})
    no_sid = {k: v for k, v in LOGOUT.items() if k != "sid"}
    assert "logout-token-invalid" in _hs({"alg": "HS256"}, no_sid)
    assert "logout-token-invalid" in _hs(
        {"alg": "HS256", "typ": "logout+jwt"}, {**LOGOUT, "events": {}}
    )
    # A logout token's nonce does not make it an ID token.
    d = inspect_token(hs256({"alg": "HS256"}, {**LOGOUT, "nonce": "n"}), now=NOW).to_dict()
    assert d["profile"]["name"] == "logout-token"


ASSERTION = {"iss": "c", "sub": "c", "aud": "https://as/token", "exp": NOW + 60, "jti": "1"}


def test_client_assertion_rules():
    typ = {"alg": "HS256", "typ": "client-authentication+jwt"}
    assert not {"client-assertion-invalid", "client-assertion-long-lifetime"} & set(
        _hs(typ, {**ASSERTION, "iat": NOW})
    )
    assert "client-assertion-invalid" in _hs(typ, {**ASSERTION, "sub": "d"})
    assert "client-assertion-invalid" in _hs(
        typ, {k: v for k, v in ASSERTION.items() if k != "jti"}
    )
    assert "client-assertion-long-lifetime" in _hs(
        typ, {**ASSERTION, "iat": NOW, "exp": NOW + 86400}
    )
    pasted = "client_assertion_type=x&client_assertion=" + hs256({"alg": "HS256"}, ASSERTION)
    assert inspect_token(pasted, now=NOW).to_dict()["profile"]["name"] == "client-assertion"


def test_kubernetes_legacy_token():
    legacy = {"iss": "kubernetes/serviceaccount", "sub": "system:serviceaccount:d:s"}
    got = _hs({"alg": "HS256"}, legacy)
    assert "kubernetes-legacy-token" in got
    assert "missing-exp" not in got
    bound = {"iss": "https://k8s", "kubernetes.io": {"namespace": "d"}, "exp": NOW + 60}
    assert "kubernetes-legacy-token" not in _hs({"alg": "HS256"}, bound)


def test_github_actions_token():
    got = _hs(
        {"alg": "HS256"},
        {"iss": "https://token.actions.githubusercontent.com", "sub": "repo:o/r:ref:main"},
    )
    assert "github-actions-oidc" in got
    assert "github-actions-oidc" not in _hs({"alg": "HS256"}, {"iss": "https://github.com"})


@pytest.mark.parametrize("now", [0, NOW, 1e300])
def test_huge_time_values_never_raise(now: float):
    """A JSON integer of 400 digits cannot become a float: every profile's time rule copes
    (found by a fuzz run: a DPoP proof's iat of 10**400 judged at now=0 raised)."""
    huge = 10**400
    key = ec_key("ES256")
    texts = [
        proof(key, claims={"iat": huge}),
        hs256({"alg": "HS256", "typ": "client-authentication+jwt"}, {**ASSERTION, "exp": huge}),
        hs256({"alg": "HS256"}, {**ID_CLAIMS, "auth_time": huge, "iat": -huge}),
    ]
    for text in texts:
        d = inspect_token(text, now=now).to_dict()
        assert d["profile"]["name"] is not None
    assert "dpop-iat-skew" in ids(texts[0], now=now)


_CONTEXT_SHAPES = {
    "access_token params": lambda n: "access_token=" + "a&access_token=" * (n // 15),
    "Authorization lines": lambda n: "Authorization: Bearer abc\n" * (n // 26),
    "token-like words": lambda n: "eyJa.eyJb.c " * (n // 12),
    "unclosed JSON": lambda n: '{"access_token": "' + "x" * n,
}


@pytest.mark.parametrize("shape", list(_CONTEXT_SHAPES))
def test_a_hostile_context_text_costs_linear_time(shape: str):
    """The paste around a chosen ID token (``context_text``) is searched in linear time:
    timed at 50 KB and 500 KB in one run (tests/core/test_linear_time.py's measure)."""
    from tests.core.test_linear_time import MAX_RATIO, growth

    idt = _id_token("SlAV32hkKG")

    def run(text: str) -> None:
        inspect_token(idt, now=NOW, check_weak_secrets=False, context_text=text)

    ratio = growth(_CONTEXT_SHAPES[shape], run)
    assert ratio < MAX_RATIO, f"{shape}: 10x the context took {ratio:.0f}x the time"


def test_pasted_as_a_client_assertion_only_under_that_name() -> None:
    from inspector.core.oauth_profiles import _pasted_as_client_assertion as pasted

    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjIn0.sig"
    assert not pasted(token, token)  # (the usual paste: the token alone)
    assert pasted(token, "client_assertion=" + token)
    assert pasted(token, '{"client_assertion": "' + token + '"}')
    assert not pasted(token, "access_token=" + token)
    assert not pasted(token, "client_assertion=x&" + "y" * 60 + "&other=" + token)
    # the token not found as it is (cleaned out of a broken paste): the name anywhere counts
    assert pasted(token, "client_assertion=eyJhbGciOiJIUzI1NiJ9.\neyJzdWIiOiJjIn0.sig")
    assert not pasted(token, "assertion=eyJhbGciOiJIUzI1NiJ9.\neyJzdWIiOiJjIn0.sig")
