"""The claim and header dictionary in resources/claims.json, and how the analysis uses it."""

from __future__ import annotations

import json

import pytest

from inspector import resources
from inspector.core import inspect_token
from inspector.core.dictionary import describe, dictionary
from tests.core.tokens import CLEAN_NOW, b64, segment

REGISTERED_CLAIMS = [
    # RFC 7519
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
    # OpenID Connect Core
    "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "name", "given_name",
    "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale",
    "phone_number", "phone_number_verified", "address", "updated_at", "sub_jwk", "sid",
    # RFC 8693, RFC 9068, RFC 8417, RFC 7800, RFC 9396, RFC 9449
    "act", "scope", "client_id", "may_act", "roles", "groups", "entitlements", "events", "toe",
    "txn", "cnf", "authorization_details", "htm", "htu", "ath",
]  # fmt: skip
PROVIDER_CLAIMS = [
    "oid", "tid", "upn", "roles", "scp", "wids", "appid", "azp", "realm_access",
    "resource_access", "preferred_username", "gty", "uid", "cid",
]  # fmt: skip
HEADER_PARAMS = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c", "b64", "url", "nonce", "ppt",
]  # fmt: skip


def test_file_is_valid_json_with_two_tables():
    data = json.loads(resources.read_text("claims.json"))
    assert set(data) >= {"header", "claims"}
    for table in ("header", "claims"):
        for name, entry in data[table].items():
            assert set(entry) == {"description", "source"}, name
            assert entry["description"].strip(), name
            assert "\n" not in entry["description"], name
            assert entry["source"].strip(), name


@pytest.mark.parametrize("name", sorted(set(REGISTERED_CLAIMS + PROVIDER_CLAIMS)))
def test_claims_are_described(name):
    assert name in dictionary()["claims"]


@pytest.mark.parametrize("name", HEADER_PARAMS)
def test_header_params_are_described(name):
    assert name in dictionary()["header"]


def test_sources_name_their_spec():
    claims = dictionary()["claims"]
    assert "RFC 7519" in claims["exp"]["source"]
    assert "OpenID Connect Core" in claims["auth_time"]["source"]
    assert "RFC 7800" in claims["cnf"]["source"]
    assert "RFC 9396" in claims["authorization_details"]["source"]
    assert "Microsoft" in claims["oid"]["source"]
    assert "Keycloak" in claims["realm_access"]["source"]
    assert "Okta" in claims["cid"]["source"]
    assert "Auth0" in claims["gty"]["source"]
    assert "RFC 7797" in dictionary()["header"]["b64"]["source"]


def test_inspection_carries_descriptions_with_locations():
    header = {"alg": "HS256", "typ": "JWT", "x-custom": 1}
    claims = {
        "sub": "a",
        "exp": 1_800_000_900,
        "realm_access": {"roles": ["r"]},
        "https://example.com/roles": ["admin"],
        "my_own_claim": 1,
    }
    tok = f"{segment(header)}.{segment(claims)}.{b64(b'x' * 32)}"
    infos = inspect_token(tok, now=CLEAN_NOW, check_weak_secrets=False).analysis.descriptions
    by_loc = {i.location: i for i in infos}
    assert list(by_loc) == [
        "/header/alg",
        "/header/typ",
        "/payload/sub",
        "/payload/exp",
        "/payload/realm_access",
        "/payload/https:~1~1example.com~1roles",
    ]
    assert by_loc["/payload/exp"].name == "exp"
    assert "Expiration" in by_loc["/payload/exp"].description
    assert "Auth0" in by_loc["/payload/https:~1~1example.com~1roles"].source


def test_describe_without_header_or_claims():
    assert describe(None, None) == ()
    assert [i.location for i in describe({"kid": "k"}, None)] == ["/header/kid"]


def test_same_name_in_header_and_payload_gets_each_meaning():
    (h, p) = describe({"nonce": "n"}, {"nonce": "n"})
    assert "ACME" in h.description
    assert "ACME" not in p.description


def test_describe_remembers_sets_of_names_and_answers_the_same():
    """A set of names described once is answered from the memo: the same descriptions, in
    the order of the names given, for the header and the claims apart (the same names the
    other way round are another set)."""
    from inspector.core import dictionary as d

    d._described.clear()
    first = describe({"alg": "HS256", "kid": "k"}, {"sub": "a", "email": "e", "mine": 1})
    again = describe({"kid": "x", "alg": "RS256"}, {"sub": "b", "email": "f", "mine": 2})
    assert [i.location for i in first] == [
        "/header/alg", "/header/kid", "/payload/sub", "/payload/email",
    ]  # fmt: skip
    assert [i.location for i in again] == [
        "/header/kid", "/header/alg", "/payload/sub", "/payload/email",
    ]  # fmt: skip
    assert describe({"alg": "none", "kid": "z"}, {"sub": "c", "email": "g", "mine": 3}) is first
    swapped = describe({"sub": "a", "email": "e"}, {"alg": "HS256", "kid": "k"})
    assert [i.location for i in swapped] == ["/header/sub"]  # (what the tables hold)


def test_describe_memo_stays_bounded():
    """Many names, long names or many sets are answered right and never grow the memo past
    its limits."""
    from inspector.core import dictionary as d

    d._described.clear()
    many = {f"c{i}": i for i in range(d._DESCRIBED_NAMES + 1)} | {"sub": "s"}
    assert [i.name for i in describe(None, many)] == ["sub"]
    assert not d._described
    long_names = {"x" * d._DESCRIBED_CHARS: 1, "iss": "i"}
    assert [i.name for i in describe(None, long_names)] == ["iss"]
    assert not d._described
    for i in range(d._DESCRIBED_SIZE + 10):
        assert [x.name for x in describe(None, {"exp": 1, f"n{i}": 1})] == ["exp"]
        assert len(d._described) <= d._DESCRIBED_SIZE
