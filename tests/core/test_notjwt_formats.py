"""Issue 16 item 4 beyond PASETO: CBOR Web Tokens recognised and described, SAML messages
described (issuer, subject, conditions, signed) without any XML parser, API keys and opaque
tokens with their own ``format``, and hostile shapes that cost linear time."""

from __future__ import annotations

import base64
import json
import time
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core import inspect_token, notjwt, parse_token
from tests.cli.workbench import cli

#: RFC 8392 Appendix A.3: the example signed CWT (COSE_Sign1, ES256).
RFC8392_SIGNED = (
    "d28443a10126a104524173796d6d657472696345434453413235365850a70175636f61703a2f2f61732e6578"
    "616d706c652e636f6d02656572696b77037818636f61703a2f2f6c696768742e6578616d706c652e636f6d04"
    "1a5612aeb0051a5610d9f0061a5610d9f007420b7158405427c1ff28d23fbad1f29c4c7c6a555e601d6fa29f"
    "9179bc3d7438bacaca5acd08c8d4d4f96131680c429a01f85951ecee743a52b9b63632c57209120e1c9e30"
)
RFC8392_CLAIMS = {
    "iss": "coap://as.example.com",
    "sub": "erikw",
    "aud": "coap://light.example.com",
    "exp": 1444064944,
    "nbf": 1443944944,
    "iat": 1443944944,
    "cti": "0b71",
}
NOW = 1_800_000_000.0


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "text",
    [
        RFC8392_SIGNED,
        RFC8392_SIGNED.upper(),
        _b64url(bytes.fromhex(RFC8392_SIGNED)),
        base64.b64encode(bytes.fromhex(RFC8392_SIGNED)).decode(),
        # Inside the CWT tag (61, RFC 8392 §6): 0xd8 0x3d.
        "d83d" + RFC8392_SIGNED,
    ],
    ids=["hex", "HEX", "base64url", "base64", "cwt-tag"],
)
def test_rfc8392_cwt_is_recognised_and_described(text):
    i = inspect_token(text, now=NOW)
    assert i.format == "cwt"
    assert i.token is None
    nj = i.to_dict()["not_jwt"]
    assert nj["kind"] == "cwt"
    assert nj["details"]["structure"] == "COSE_Sign1"
    assert nj["details"]["alg"] == "ES256"
    assert nj["details"]["claims"] == RFC8392_CLAIMS
    assert nj["details"]["cwt tag"] == text.startswith("d83d")
    assert [f.id for f in i.findings] == ["not-a-jwt"]


@pytest.mark.parametrize(
    "raw",
    [
        bytes.fromhex(RFC8392_SIGNED)[:-1],  # truncated
        bytes.fromhex(RFC8392_SIGNED) + b"\x00",  # bytes after the item
        b"\xd2" + b"\x81" * 5000 + b"\x00",  # deeper than the decoder goes
        b"\xd2\x9b" + b"\xff" * 8,  # an array of 2**64-1 elements
        b"\xd2\x5b" + b"\x7f" * 8 + b"x" * 20,  # a byte string longer than the data
        b"\xd2\x9f\x40\xa0\x40\x40\xff" + b"\x00" * 10,  # indefinite length
        b"\xd2\x84\x40\xa1\x81\x00\x00\x40\x40" + b"\x00" * 10,  # an array as a map key
        b"\xd5\x84\x40\xa0\x40\x40" + b"\x00" * 10,  # tag 21 is no COSE tag
    ],
)
def test_malformed_or_hostile_cbor_is_no_cwt_and_never_raises(raw):
    for text in (raw.hex(), _b64url(raw)):
        p = parse_token(text)
        assert p.format != "cwt"


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=8, max_size=200))
def test_no_bytes_make_the_cwt_recogniser_raise(raw):
    for text in ("d2" + raw.hex(), _b64url(b"\xd2\x84" + raw)):
        assert notjwt.Cwt().recognise(text) is None or parse_token(text).format == "cwt"


def test_a_jwt_is_never_a_cwt():
    from tests.core.tokens import clean_token

    assert parse_token(clean_token()).format == "jws"


# ------------------------------------------------------------------------------ SAML

SAML = (
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1">'
    '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example/'
    '</saml:Issuer><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
    '<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:'
    'emailAddress">alice@example.org</saml:NameID></saml:Subject>'
    '<saml:Conditions NotBefore="2024-05-20T21:00:00Z" NotOnOrAfter="2024-05-20T21:05:00Z">'
    "</saml:Conditions></saml:Assertion></samlp:Response>"
)
SIGNATURE = (
    '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>AAAA'
    "</ds:SignatureValue></ds:Signature>"
)


def _deflated(xml: str) -> str:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(c.compress(xml.encode()) + c.flush()).decode()


@pytest.mark.parametrize(
    "encode", [str, lambda x: base64.b64encode(x.encode()).decode(), _deflated]
)
def test_saml_is_described_issuer_subject_conditions_signed(encode):
    i = inspect_token(encode(SAML), now=NOW)
    assert i.format == "saml"
    d = i.to_dict()["not_jwt"]["details"]
    assert d["issuer"] == "https://idp.example/"
    assert d["subject"] == "alice@example.org"
    assert d["NotBefore"] == "2024-05-20T21:00:00Z"
    assert d["NotOnOrAfter"] == "2024-05-20T21:05:00Z"
    assert d["signed"] is False
    assert "saml-unsigned" in {f.id for f in i.findings}
    signed = SAML.replace("</saml:Issuer>", "</saml:Issuer>" + SIGNATURE)
    j = inspect_token(encode(signed), now=NOW)
    assert j.to_dict()["not_jwt"]["details"]["signed"] is True
    assert "saml-unsigned" not in {f.id for f in j.findings}


def test_an_unsigned_authn_request_is_not_flagged():
    request = SAML.replace("samlp:Response", "samlp:AuthnRequest")
    i = inspect_token(request, now=NOW)
    assert i.format == "saml"
    assert "saml-unsigned" not in {f.id for f in i.findings}


def test_entities_are_never_expanded():
    """A billion-laughs and an external entity: recognised, the DTD named, nothing expanded
    (no XML parser runs, so '&lol9;' and '&xxe;' stay the text they are)."""
    dtd = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
            for n in range(1, 10)
        )
        + '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    xml = dtd + SAML.replace("alice@example.org", "&lol9;&xxe;")
    i = inspect_token(xml, now=NOW)
    d = i.to_dict()["not_jwt"]["details"]
    assert "DTD" in d
    assert d["subject"] == "&lol9;&xxe;"
    assert "lollol" not in str(i.to_dict())
    assert "root:" not in str(i.to_dict())


def _best_of(func, arg, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func(arg)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "shape",
    [
        # An opened NameID/Conditions/Issuer that never closes, over and over.
        lambda n: "<samlp:Response urn:oasis:names:tc:SAML:" + "<NameID <Conditions <Issuer " * n,
        # CBOR: a long array of small integers under a COSE tag, as hex.
        lambda n: "d2" + "9a" + (n * 4).to_bytes(4, "big").hex() + "01" * (n * 4),
    ],
    ids=["saml", "cbor"],
)
def test_hostile_shapes_cost_linear_time(shape):
    small, large = shape(50_000 // 28), shape(500_000 // 28)
    ratio = _best_of(notjwt.recognise, large) / _best_of(notjwt.recognise, small)
    assert ratio < 25, ratio


def test_cli_names_the_format_of_what_is_not_a_jwt():
    for text, fmt in (
        (RFC8392_SIGNED, "cwt"),
        ("ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "api-key"),
        ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "opaque"),
    ):
        r = cli("inspect", text, "--json", "--now", str(NOW))
        assert r.returncode == 1
        d = json.loads(r.stdout)
        assert d["format"] == fmt
        assert d["not_jwt"]["kind"] == fmt
