"""Knowing what is not a JWT (issue 16 item 4, the text-level list of issue 18 item 6): what is
pasted instead of a JWT is named, with what to do with it, in one ``not-a-jwt`` finding, and
no JWT is ever taken for something else.

Every sample is made the way its real issuer makes it (PASETO v4.public signed with Ed25519
over the spec's PAE, Fernet by ``cryptography``, cookies by each framework's recipe), with no
library of those formats in between."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import zlib
from typing import Any

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core import inspect_token, notjwt, parse_token
from inspector.core.outcome import Outcome
from tests.core import keyfactory as kf
from tests.core.test_corpus import ROWS
from tests.core.tokens import CLEAN_NOW, b64, clean_token, hs256


def _pae(*pieces: bytes) -> bytes:
    """PASETO's pre-authentication encoding (PASETO spec, "PAE")."""
    out = struct.pack("<Q", len(pieces))
    for p in pieces:
        out += struct.pack("<Q", len(p)) + p
    return out


def paseto_v4_public(claims: dict[str, Any], footer: bytes = b"") -> str:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    message = json.dumps(claims).encode()
    sig = key.sign(_pae(b"v4.public.", message, footer, b""))
    token = "v4.public." + b64(message + sig)
    return token + ("." + b64(footer) if footer else "")


SAML_RESPONSE = (
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0">'
    '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example/'
    "</saml:Issuer><saml:Assertion><saml:Subject>alice</saml:Subject></saml:Assertion>"
    "</samlp:Response>"
)
SIGNED_SAML = SAML_RESPONSE.replace(
    "</saml:Issuer>",
    '</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
    "<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>",
)


def _deflated(text: str) -> str:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(text.encode()) + c.flush()).decode()


def _macaroon_v1() -> str:
    packets = b""
    for k, v in ((b"location", b"https://svc.example"), (b"identifier", b"key-1")):
        body = k + b" " + v + b"\n"
        packets += b"%04x" % (len(body) + 4) + body
    return base64.urlsafe_b64encode(packets + b"0026signature " + bytes(32) + b"\n").decode()


def _flask_cookie(session: dict[str, Any]) -> str:
    data = b64(json.dumps(session, separators=(",", ":")).encode())
    ts = b64(struct.pack(">I", 1_800_000_000))
    sig = b64(hmac.new(b"k", f"{data}.{ts}".encode(), hashlib.sha1).digest())
    return f"{data}.{ts}.{sig}"


def _flask_compressed(session: dict[str, Any]) -> str:
    data = b64(zlib.compress(json.dumps(session).encode()))
    ts = b64(struct.pack(">I", 1_800_000_000))
    sig = b64(hmac.new(b"k", f".{data}.{ts}".encode(), hashlib.sha1).digest())
    return f".{data}.{ts}.{sig}"


SAMPLES: list[tuple[str, str, str]] = [
    # (id, text, kind)
    ("paseto-v4-public", paseto_v4_public({"sub": "alice"}, b'{"kid":"k1"}'), "paseto"),
    ("paseto-v2-local", "v2.local." + b64(bytes(range(60))), "paseto"),
    ("paseto-v3-public", "v3.public." + b64(b'{"a":1}' + bytes(96)), "paseto"),
    ("fernet", Fernet(Fernet.generate_key()).encrypt(b"secret data").decode(), "fernet"),
    ("jwk", kf.jwk_text(kf.ec_key("ES256"), kid="k1"), "jwk"),
    ("jwk-private", kf.jwk_text(kf.ec_key("ES256"), private=True), "jwk"),
    (
        "jwks",
        json.dumps(
            {"keys": [kf.jwk_dict(kf.ec_key("ES256"), kid="a"), kf.jwk_dict(kf.okp_key("Ed25519"))]}
        ),
        "jwks",
    ),
    ("pem-public", kf.public_pem(kf.ec_key("ES256")), "pem"),
    ("pem-private", kf.private_pem(kf.ec_key("ES256")), "pem"),
    ("pem-certificate", kf.certificate_pem(kf.ec_key("ES256")), "pem"),
    ("saml-xml", SAML_RESPONSE, "saml"),
    ("saml-base64", base64.b64encode(SIGNED_SAML.encode()).decode(), "saml"),
    ("saml-deflated", _deflated(SAML_RESPONSE), "saml"),
    ("macaroon-v1", _macaroon_v1(), "macaroon"),
    (
        "macaroon-v2",
        base64.urlsafe_b64encode(b"\x02\x01\x0bsvc.example\x02\x05key-1").decode(),
        "macaroon",
    ),
    ("flask-session", _flask_cookie({"user_id": 42, "csrf": "x"}), "session-cookie"),
    (
        "flask-compressed",
        _flask_compressed({"user_id": 42, "cart": [1, 2, 3] * 20}),
        "session-cookie",
    ),
    ("django-signed", "eyJ1IjoxfQ:1qZt3x:" + b64(hashlib.sha256(b"d").digest()), "session-cookie"),
    (
        "express-session",
        "s:Zm9vYmFyYmF6." + base64.b64encode(hashlib.sha256(b"e").digest()).decode().rstrip("="),
        "session-cookie",
    ),
    (
        "rails-signed",
        base64.b64encode(b'{"session_id":"abc"}').decode() + "--" + hashlib.sha1(b"r").hexdigest(),
        "session-cookie",
    ),
    ("github-pat", "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "api-key"),
    ("stripe", "sk_live_" + "51HbQ2eKx9ZqW3rT7yU8iO0pL", "api-key"),
    ("aws-key-id", "AKIAIOSFODNN7EXAMPLE", "api-key"),
    ("opaque-hex", hashlib.sha256(b"o").hexdigest(), "opaque"),
    ("opaque-base64url", b64(hashlib.sha256(b"p").digest()), "opaque"),
]


@pytest.mark.parametrize(
    ("text", "kind"), [(t, k) for _, t, k in SAMPLES], ids=[i for i, _, _ in SAMPLES]
)
def test_each_kind_is_named_not_decoded_as_a_broken_jwt(text: str, kind: str) -> None:
    result = inspect_token(text, now=CLEAN_NOW)
    p = result.parsed
    assert p.not_jwt is not None, [f.detail for f in result.findings]
    assert p.not_jwt.kind == kind
    # Issue 16: the kinds that are token formats of their own say so; keys, cookies,
    # Fernet and macaroons stay "unknown".
    expected = kind if kind in ("paseto", "saml", "cwt", "api-key", "opaque") else "unknown"
    assert (p.token, p.format) == (None, expected)
    ids = [f.id for f in result.findings]
    unsigned = kind == "saml" and not p.not_jwt.details["signed"]
    assert ids == ["not-a-jwt", *(["saml-unsigned"] if unsigned else [])]
    detail = result.findings[0].detail
    assert detail.startswith("This is not a JWT: it looks like ")
    assert p.not_jwt.label in detail
    # A PASETO token is verified by inspector.core.paseto: without a key, a public one is
    # not checked for want of a key and a local one is encrypted.
    outcome = {"public": Outcome.NO_KEY, "local": Outcome.ENCRYPTED}.get(
        p.not_jwt.details.get("purpose", ""), Outcome.NO_TOKEN
    )
    assert result.verification.outcome is outcome
    assert result.to_dict()["not_jwt"]["kind"] == kind


def test_what_can_be_read_without_a_key_is_shown() -> None:
    p = parse_token(
        paseto_v4_public({"sub": "alice", "exp": "2030-01-01T00:00:00Z"}, b'{"kid":"k1"}')
    )
    assert p.not_jwt is not None
    assert p.not_jwt.details["claims"] == {"sub": "alice", "exp": "2030-01-01T00:00:00Z"}
    assert p.not_jwt.details["footer"] == {"kid": "k1"}
    assert p.not_jwt.details["version"] == "v4"
    local = parse_token("v4.local." + b64(bytes(80))).not_jwt
    assert local is not None
    assert "claims" not in local.details
    assert "encrypted" in local.advice
    jwks = parse_token(SAMPLES[6][1]).not_jwt
    assert jwks is not None
    assert jwks.details["keys"] == 2
    assert jwks.details["kids"] == "a"
    private = parse_token(kf.jwk_text(kf.ec_key("ES256"), private=True)).not_jwt
    assert private is not None
    assert "PRIVATE" in private.advice
    saml = parse_token(base64.b64encode(SIGNED_SAML.encode()).decode()).not_jwt
    assert saml is not None
    assert saml.details["issuer"] == "https://idp.example/"
    assert saml.details["message"] == "Response"
    assert saml.details["signed"] is True
    unsigned = parse_token(SAML_RESPONSE).not_jwt
    assert unsigned is not None
    assert unsigned.details["signed"] is False
    assert "no XML signature" in unsigned.advice
    flask = parse_token(_flask_cookie({"user_id": 42})).not_jwt
    assert flask is not None
    assert flask.details["session"] == {"user_id": 42}
    assert (
        "rotate it"
        in (
            parse_token(SAMPLES[20][1]).not_jwt or notjwt.NotJwt(kind="", label="", advice="")
        ).advice
    )


def test_offsets_point_into_the_users_text() -> None:
    token = paseto_v4_public({"sub": "alice"})
    text = '  Authorization: Bearer "' + token + '"\n'
    found = parse_token(text).not_jwt
    assert found is not None
    assert text[found.start : found.end] == token


def test_a_saml_bomb_is_inflated_no_further_than_the_cap() -> None:
    bomb = _deflated("<x>" + " " * (50 * notjwt.MAX_INFLATED) + "</x>")
    assert len(bomb) < notjwt.MAX_INFLATED // 10
    assert parse_token(bomb).not_jwt is None  # not SAML: no SAML namespace in what was read


def _jwt_texts() -> list[Any]:
    texts = [
        clean_token(),
        hs256({"alg": "HS256"}, {"sub": "1"}),
        hs256({"alg": "none"}, {"sub": "1"}).rsplit(".", 1)[0] + ".",
        "Bearer " + clean_token(),
        json.dumps({"access_token": clean_token(), "token_type": "Bearer"}),
        clean_token() + "~",
    ]
    texts += [p.values[0] for p in ROWS if "not-a-jwt" not in p.values[3]]
    return texts


def test_no_jwt_is_ever_taken_for_something_else() -> None:
    """Every token of the corpus (about 300 JWT texts, clean and hostile) and the usual
    wrappings stay JWTs: no recogniser claims them."""
    texts = _jwt_texts()
    assert len(texts) > 200
    claimed = [(t[:60], found.kind) for t in texts if (found := notjwt.recognise(t)) is not None]
    assert claimed == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world",
        "password123",
        "not a token at all, just a sentence with words.",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "12345678901234567890",
        "<html><body>hi</body></html>",
        '{"sub": "1"}',
        "v5.public.AAAA",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n",  # no END line
    ],
)
def test_plain_text_is_not_claimed(text: str) -> None:
    assert notjwt.recognise(text) is None


def test_a_registered_recogniser_is_asked_first_and_can_be_taken_out() -> None:
    class Custom:
        kind = "custom"

        def recognise(self, text: str) -> notjwt.NotJwt | None:
            if text.startswith("cst_"):
                return notjwt.NotJwt(kind="custom", label="a custom token", advice="")
            return None

    text = "cst_" + hashlib.sha256(b"c").hexdigest()
    assert parse_token(text).not_jwt is not None  # an opaque token so far
    assert parse_token(text).not_jwt.kind == "opaque"  # type: ignore[union-attr]
    custom = Custom()
    notjwt.register(custom)
    try:
        found = parse_token(text).not_jwt  # the same text again: the parse cache was cleared
        assert found is not None
        assert found.kind == "custom"
    finally:
        notjwt.unregister(custom)
    assert parse_token(text).not_jwt.kind == "opaque"  # type: ignore[union-attr]


def test_a_recogniser_that_raises_does_not_break_the_parse() -> None:
    class Broken:
        kind = "broken"

        def recognise(self, text: str) -> notjwt.NotJwt | None:
            raise ValueError("boom")

    broken = Broken()
    notjwt.register(broken)
    try:
        assert parse_token(clean_token()).format == "jws"
        assert parse_token(paseto_v4_public({"a": 1})).not_jwt is not None
    finally:
        notjwt.unregister(broken)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(
        [
            "",
            "v4.public.",
            "v2.local.",
            "gAAAAA",
            "{",
            "-----BEGIN ",
            "<",
            "MDA",
            "AgE",
            "s:",
            "ghp_",
            "eyJ",
            ".eJ",
            "PHNhbWxw",
        ]
    ),
    st.text(max_size=80),
)
def test_recognising_never_raises_and_places_what_it_finds(prefix: str, rest: str) -> None:
    text = prefix + rest
    found = notjwt.recognise(text)
    if found is not None:
        assert 0 <= found.start <= found.end <= len(text)
        assert found.message().startswith("This is not a JWT")
    inspect_token(text, now=CLEAN_NOW)
