"""Sensitive data in claims: by name, by value, nested anywhere, with exact JSON Pointers; and no
false alarms on the tokens real identity providers issue."""

from __future__ import annotations

import pytest

from inspector.core import inspect_token
from inspector.core.sensitive import (
    card_brand,
    classify_name,
    iban_ok,
    luhn_ok,
    scan_claims,
    ssn_ok,
)
from tests.core.tokens import b64, segment

NOW = 1_700_000_000
SENSITIVE_IDS = {"sensitive-claim", "pii-claim", "sensitive-value", "nested-token"}
HIGH = {"error", "critical", "high"}


def rs256(payload, header=None):
    """A token shaped like a provider's RS256 token (the signature is not checked here)."""
    head = header or {"alg": "RS256", "typ": "JWT", "kid": "nOo3ZDrODXEK1jKWhXslHR_KXEg"}
    return f"{segment(head)}.{segment(payload)}.{b64(bytes(range(256)))}"


def findings(payload):
    return [
        f
        for f in inspect_token(rs256(payload), now=NOW, check_weak_secrets=False).findings
        if f.id in SENSITIVE_IDS
    ]


def hits(payload):
    return {(f.id, f.location) for f in findings(payload)}


# ------------------------------------------------------------------------------ by name


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "Password",
        "passwd",
        "pwd",
        "secret",
        "client_secret",
        "clientSecret",
        "api_key",
        "apiKey",
        "x-api-key",
        "private_key",
        "db_password",
        "aws_secret_access_key",
        "passphrase",
        "access_key",
        "refresh_token",
        "auth_token",
        "https://example.com/claims/password",
    ],
)
def test_secret_names_are_sensitive_claims(name):
    (f,) = [f for f in findings({name: "hunter2!"}) if f.id == "sensitive-claim"]
    assert f.severity == "high"
    assert f.location == "/payload/" + name.replace("~", "~0").replace("/", "~1")
    assert "hunter2" not in f.detail  # the finding says where, it does not repeat the secret


def test_numbers_count_for_secret_names():
    assert ("sensitive-claim", "/payload/pin") in hits({"pin": 1234})
    assert ("sensitive-claim", "/payload/password") in hits({"password": 123456})


def test_timestamps_under_secret_names_are_not_secrets():
    assert not hits({"pwd": 1_700_000_000, "secret": 1_700_000_000.5})


@pytest.mark.parametrize("value", [True, False, None, "", "   ", [], {}])
def test_empty_and_boolean_values_are_not_secrets(value):
    assert not findings({"password": value, "email": value})


@pytest.mark.parametrize(
    "name",
    ["email", "phone_number", "address", "birthdate", "ssn", "national_id", "passport_number"],
)
def test_personal_data_names_are_pii(name):
    (f,) = [f for f in findings({name: "x-value-1"}) if f.id == "pii-claim"]
    assert f.severity == "low"
    assert f.location == f"/payload/{name}"


def test_oidc_address_object_is_pii():
    got = hits({"address": {"street_address": "1 Main St", "locality": "Springfield"}})
    assert ("pii-claim", "/payload/address") in got


def test_nested_objects_and_arrays_point_at_the_exact_claim():
    payload = {
        "user": {"profile": {"password": "p4ss"}, "email": "a@example.com"},
        "integrations": [{"name": "x"}, {"client_secret": "abc", "note": "ok"}],
        "a/b": {"secret": "s"},
    }
    got = hits(payload)
    assert ("sensitive-claim", "/payload/user/profile/password") in got
    assert ("pii-claim", "/payload/user/email") in got
    assert ("sensitive-claim", "/payload/integrations/1/client_secret") in got
    assert ("sensitive-claim", "/payload/a~1b/secret") in got


@pytest.mark.parametrize(
    "payload",
    [
        {"email_verified": True},
        {"phone_number_verified": False},
        {"pwd_last_set": 1700000000},
        {"password_changed_at": 1700000000},
        {"pwd_exp": "1209600"},
        {"pwd_url": "https://portal.microsoftonline.com/ChangePassword.aspx"},
        {"sub": "1234567890"},
        {"jti": "0f8fad5b-d9cb-469f-a165-70867728950e"},
        {"has_secret": True},
        {"client_secret_expires_at": 0},
        {"secret_version": None},
        {"nonce": "n-0S6_WzA2Mj"},
    ],
)
def test_ordinary_claims_raise_nothing_high(payload):
    assert not [f for f in findings(payload) if f.severity in HIGH]


def test_classify_name():
    assert classify_name("client_secret")[1] == "secret"
    assert classify_name("user-email")[1] == "pii"
    assert classify_name("pwd_last_set")[1] is None
    assert classify_name("email_verified")[1] is None
    assert classify_name("https://example.com/roles")[1] is None


# ------------------------------------------------------------------------------ by value

# Test card numbers published by the card schemes and payment processors (they pass Luhn).
CARDS = {
    "4111111111111111": "Visa",
    "4012888888881881": "Visa",
    "5555555555554444": "Mastercard",
    "2223003122003222": "Mastercard",
    "378282246310005": "American Express",
    "6011111111111117": "Discover",
    "3530111333300000": "JCB",
    "30569309025904": "Diners Club",
}


@pytest.mark.parametrize(("number", "brand"), CARDS.items())
def test_card_numbers_pass_luhn_and_are_recognised(number, brand):
    assert luhn_ok(number)
    assert card_brand(number) == brand
    (f,) = [f for f in findings({"note": number}) if f.id == "sensitive-value"]
    assert f.location == "/payload/note"
    assert brand in f.detail
    assert number not in f.detail  # masked


@pytest.mark.parametrize(
    "text",
    ["4111 1111 1111 1111", "4111-1111-1111-1111", "card on file: 5555 5555 5555 4444 (exp 12/29)"],
)
def test_card_numbers_with_separators_or_inside_text(text):
    assert ("sensitive-value", "/payload/memo") in hits({"memo": text})


def test_card_number_as_json_number():
    assert ("sensitive-value", "/payload/pan_n") in hits({"pan_n": 4111111111111111})


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111112",  # fails Luhn
        "1234567812345670",  # passes Luhn, no card scheme starts with 1
        "110169484474386276334",  # Google 'sub': 21 digits
        "00000003-0000-0000-c000-000000000000",  # Microsoft Graph app id
        "2023-11-14 22:13:20",
    ],
)
def test_digit_strings_that_are_not_cards(text):
    assert not [f for f in findings({"v": text}) if f.id == "sensitive-value"]


@pytest.mark.parametrize("ssn", ["123-45-6789", "078-05-1120", "123 45 6789"])
def test_us_ssn_by_value_whatever_the_name(ssn):
    assert ("sensitive-value", "/payload/ref") in hits({"ref": ssn})


@pytest.mark.parametrize("bad", ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567"])
def test_impossible_ssns(bad):
    assert not ssn_ok(bad)
    assert ("sensitive-value", "/payload/ref") not in hits({"ref": bad})


def test_bare_ssn_digits_need_an_ssn_name():
    assert ("sensitive-value", "/payload/ssn") in hits({"ssn": "123456789"})
    assert ("sensitive-value", "/payload/ssn") in hits({"ssn": 123456789})
    assert ("sensitive-value", "/payload/account") not in hits({"account": "123456789"})


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013000",
        "GB82WEST12345698765432",
        "NL91ABNA0417164300",
        "FR1420041010050500013M02606",
        "DE89 3704 0044 0532 0130 00",
    ],
)
def test_iban_passing_mod_97(iban):
    assert iban_ok(iban.replace(" ", ""))
    assert ("sensitive-value", "/payload/payout") in hits({"payout": iban})


def test_iban_failing_mod_97_is_ignored():
    assert not iban_ok("DE89370400440532013001")
    assert ("sensitive-value", "/payload/payout") not in hits({"payout": "DE89370400440532013001"})


PEM = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "-----END PRIVATE KEY-----\n"
)

VALUES = {
    "pem": PEM,
    "rsa-pem": PEM.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
    "ec-pem": PEM.replace("PRIVATE KEY", "EC PRIVATE KEY"),
    "openssh": PEM.replace("PRIVATE KEY", "OPENSSH PRIVATE KEY"),
    "bcrypt": "$2b$12$KIXQJ1gZ4Sg3gVQwMcbN3eN0nW3a1m5Ue4F9s6mJ2d2bQj1nYQ8xG",
    "bcrypt-2y": "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a",
    "argon2": "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
    "sha512crypt": "$6$rounds=5000$saltsalt$" + "a" * 86,
    "md5crypt": "$1$abcdefgh$" + "B" * 22,
    "django": "pbkdf2_sha256$260000$abcdefgh12345678$" + "Q" * 43 + "=",
    "ldap-ssha": "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
    "aws": "AKIAIOSFODNN7EXAMPLE",
    "aws-inline": "key=AKIAIOSFODNN7EXAMPLE;",
    "github": "ghp_" + "a1B2c3D4e5" * 3 + "f6G7h8",
    "github-pat": "github_pat_11ABCDEFG0123456789_" + "abcdefghij" * 6,
    "slack": "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "slack-refresh": "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAxMi0xMjM0NTY3ODkwMTIzLTEy",
    "slack-webhook": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "stripe": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "stripe-test": "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "google": "AIza" + "SyA-1234567890abcdefghijklmnopqrstu",
    "google-oauth-secret": "GOCSPX-" + "a" * 28,
}


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_credential_formats_by_value(value):
    (f,) = [f for f in findings({"meta": {"blob": value}}) if f.id == "sensitive-value"]
    assert f.severity == "high"
    assert f.location == "/payload/meta/blob"


def test_details_do_not_repeat_the_credential():
    for value in (VALUES["ldap-ssha"], VALUES["bcrypt"], VALUES["stripe"]):
        (f,) = [f for f in findings({"v": value}) if f.id == "sensitive-value"]
        assert value not in f.detail


def test_absurd_nested_header_is_not_decoded():
    deep = b64(b"[" * 2500)
    assert not [f for f in findings({"v": f"eyJ{deep}.e30.sig"}) if f.id == "nested-token"]


def test_private_jwk_in_a_claim():
    jwk = {"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"}
    assert ("sensitive-value", "/payload/keys/0") in hits({"keys": [jwk]})
    assert ("sensitive-value", "/payload/cnf/jwk") not in hits(
        {"cnf": {"jwk": {"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}}}
    )


def test_value_in_an_array():
    assert ("sensitive-value", "/payload/notes/2") in hits({"notes": ["a", "b", "SSN 123-45-6789"]})


def test_stripe_publishable_keys_are_public():
    pk = "pk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    assert not [f for f in findings({"pk": pk}) if f.severity in HIGH]


def test_nested_token_in_a_claim():
    inner = rs256({"sub": "inner"})
    (f,) = [f for f in findings({"act": {"token": inner}}) if f.id == "nested-token"]
    assert f.severity == "info"
    assert f.location == "/payload/act/token"


def test_nested_jwe_in_a_claim():
    header = segment({"alg": "RSA-OAEP", "enc": "A256GCM"})
    jwe = ".".join([header, b64(b"k" * 16), b64(b"i" * 12), b64(b"c" * 8), b64(b"t" * 16)])
    assert ("nested-token", "/payload/wrapped") in hits({"wrapped": jwe})


def test_eyj_text_that_is_not_a_token():
    assert not [f for f in findings({"v": "eyJhbG.not.a-token"}) if f.id == "nested-token"]


def test_a_secret_name_holding_a_credential_reports_both():
    got = hits({"password": VALUES["bcrypt"]})
    assert ("sensitive-claim", "/payload/password") in got
    assert ("sensitive-value", "/payload/password") in got


def test_scan_claims_directly():
    out = scan_claims({"a": [{"b": {"secret": "x"}}]})
    assert [(f.id, f.location) for f in out] == [("sensitive-claim", "/payload/a/0/b/secret")]


# ------------------------------------------------------------------------------ real tokens

GOOGLE_ID_TOKEN = {
    "iss": "https://accounts.google.com",
    "azp": "407408718192.apps.googleusercontent.com",
    "aud": "407408718192.apps.googleusercontent.com",
    "sub": "110169484474386276334",
    "hd": "example.com",
    "email": "jane.doe@example.com",
    "email_verified": True,
    "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
    "nonce": "0394852-3190485-2490358",
    "name": "Jane Doe",
    "picture": "https://lh3.googleusercontent.com/a/ACg8ocJ0xYz1234567890abcdefghijk=s96-c",
    "given_name": "Jane",
    "family_name": "Doe",
    "locale": "en",
    "iat": 1699996400,
    "exp": 1700000000 + 3000,
    "jti": "b1f6c2f0a9e84a5db4f1c0d2e3f4a5b6c7d8e9f0",
}

ENTRA_ACCESS_TOKEN = {
    "aud": "00000003-0000-0000-c000-000000000000",
    "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
    "iat": 1699999000,
    "nbf": 1699999000,
    "exp": 1700003916,
    "acct": 0,
    "acr": "1",
    "acrs": ["urn:user:registersecurityinfo", "c1"],
    "aio": "AVQAq/8VAAAAjnn6QzJDJzG2H+5Q/UJd4Qmqj6Dqk0zD3JE7WDnxPQ0cD1Bq3mj5AWWyxd3xQFvAHVnKq1"
    "cXkKvRJbW0l4dVH8mN5iPvGBwKtbVsl9A2c9o=",
    "amr": ["pwd", "mfa"],
    "app_displayname": "Graph Explorer",
    "appid": "de8bc8b5-d9f9-48b1-a8ad-b748da725064",
    "appidacr": "0",
    "family_name": "Doe",
    "given_name": "Jane",
    "idtyp": "user",
    "ipaddr": "203.0.113.42",
    "name": "Jane Doe",
    "oid": "6e8b7e31-4b62-4d9b-9c3e-21f3f3a5c0b2",
    "platf": "3",
    "puid": "10032000C6F7B0A1",
    "rh": "0.AXYAv4j5cvGGr0GRqy180BHbRwMAAAAAAAAAwAAAAAAAAAB2AGI.",
    "scp": "openid profile User.Read email",
    "signin_state": ["kmsi"],
    "sub": "g2QlGh4vA4x3F0H2iyE3zI1Q7lBTYb0sxc9AyRNaMUk",
    "tenant_region_scope": "WW",
    "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
    "unique_name": "jane.doe@contoso.com",
    "upn": "jane.doe@contoso.com",
    "uti": "fqiBqXLPj0eQa82S-IYFAA",
    "ver": "1.0",
    "wids": ["b79fbf4d-3ef9-4689-8143-76b194e85509"],
    "xms_st": {"sub": "ylR8mQ9Jk0Ws6L1tHqP3cVb7nXzA4eDfGhIjKlMnOpQ"},
    "xms_tcdt": 1289241547,
    "xms_tdbr": "WW",
}

AUTH0_ACCESS_TOKEN = {
    "https://example.com/roles": ["admin", "billing"],
    "https://example.com/email": "jane@example.com",
    "iss": "https://example.eu.auth0.com/",
    "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
    "aud": ["https://api.example.com", "https://example.eu.auth0.com/userinfo"],
    "iat": 1699999000,
    "exp": 1700085400,
    "scope": "openid profile email read:messages",
    "azp": "z2bgKiWoq3M4Fa0FT3PDc9Y8pBPsJvLd",
    "gty": "password",
    "permissions": ["read:messages", "write:messages"],
    "org_id": "org_9ybsU1dN2dKfDkBi",
}

KEYCLOAK_ACCESS_TOKEN = {
    "exp": 1700000300,
    "iat": 1700000000,
    "auth_time": 1699999990,
    "jti": "onrtac:5c1e7d3a-2b9f-4c1e-8f7a-0d3b6e9a1c42",
    "iss": "https://sso.example.com/realms/acme",
    "aud": ["account", "orders-api"],
    "sub": "f3b8c2d4-9a1e-4f6b-8c7d-2e5a9b0c1d3e",
    "typ": "Bearer",
    "azp": "web-portal",
    "sid": "7a9d4c2e-1b3f-4e5a-9c8d-6f0b2a4e8c1d",
    "acr": "1",
    "allowed-origins": ["https://portal.example.com"],
    "realm_access": {"roles": ["offline_access", "uma_authorization", "default-roles-acme"]},
    "resource_access": {
        "account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}
    },
    "scope": "openid email profile",
    "email_verified": True,
    "name": "Jane Doe",
    "preferred_username": "jdoe",
    "given_name": "Jane",
    "family_name": "Doe",
    "email": "jane.doe@example.com",
}

OKTA_ACCESS_TOKEN = {
    "ver": 1,
    "jti": "AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE",
    "iss": "https://dev-123456.okta.com/oauth2/default",
    "aud": "api://default",
    "iat": 1700000000,
    "exp": 1700003600,
    "cid": "0oa1g2h3i4J5k6L7m8N9",
    "uid": "00u1a2b3c4D5e6F7g8H9",
    "scp": ["openid", "profile", "email", "offline_access"],
    "auth_time": 1699999950,
    "sub": "jane.doe@example.com",
}

PROVIDERS = {
    "google-id": GOOGLE_ID_TOKEN,
    "entra-access": ENTRA_ACCESS_TOKEN,
    "auth0-access": AUTH0_ACCESS_TOKEN,
    "keycloak-access": KEYCLOAK_ACCESS_TOKEN,
    "okta-access": OKTA_ACCESS_TOKEN,
}


@pytest.mark.parametrize("payload", PROVIDERS.values(), ids=PROVIDERS.keys())
def test_provider_tokens_raise_no_high_finding(payload):
    inspection = inspect_token(rs256(payload), now=NOW, check_weak_secrets=False)
    high = [(f.id, f.location) for f in inspection.findings if f.severity in HIGH]
    assert high == []
    assert not [f for f in inspection.findings if f.id in {"sensitive-value", "sensitive-claim"}]


def test_provider_email_claims_are_reported_as_pii_only():
    assert hits(GOOGLE_ID_TOKEN) == {("pii-claim", "/payload/email")}
    assert ("pii-claim", "/payload/https:~1~1example.com~1email") in hits(AUTH0_ACCESS_TOKEN)


@pytest.mark.parametrize("value", VALUES.values(), ids=VALUES.keys())
def test_credential_formats_inside_long_text(value):
    # long values take another screening path; it must find the same things
    filler = "lorem ipsum dolor sit amet " * 200
    (f,) = [
        f for f in findings({"doc": filler + value + " " + filler}) if f.id == "sensitive-value"
    ]
    assert f.location == "/payload/doc"


@pytest.mark.parametrize("value", ["4111 1111 1111 1111", "123-45-6789", "DE89370400440532013000"])
def test_regulated_numbers_inside_long_text(value):
    filler = "x" * 5000
    assert ("sensitive-value", "/payload/doc") in hits({"doc": f"{filler} {value} {filler}"})


def test_nested_token_inside_long_text():
    inner = rs256({"sub": "inner"})
    assert ("nested-token", "/payload/doc") in hits({"doc": "y" * 5000 + " " + inner})


# ------------------------------------------- the screen and the NUL between joined values


def test_url_screen_does_not_join_an_issuer_and_a_later_email():
    # Screened as one text joined with NULs, "https://..." in one value and "@" in a later
    # one once looked like a URL with a user in it (harmless, but every ID token then went
    # through the full patterns); the screen must still find each real one.
    claims = {"iss": "https://accounts.example.com", "sub": "10000042", "email": "a@example.com"}
    assert [f.id for f in scan_claims(claims)] == ["pii-claim"]
    claims["db"] = "postgres://admin:hunter2@db.example.com/app"
    found = [(f.id, f.location) for f in scan_claims(claims)]
    assert ("sensitive-value", "/payload/db") in found


def test_a_value_holding_nul_is_still_screened_for_urls_with_passwords():
    # A value's own NUL (JSON "\u0000") is no separator: the URL inside it is still found.
    claims = {"iss": "https://example.com", "db": "postgres://ad\x00min:hunter2@db/app"}
    found = [(f.id, f.location) for f in scan_claims(claims)]
    assert ("sensitive-value", "/payload/db") in found
