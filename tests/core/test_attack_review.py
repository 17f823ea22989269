"""Key texts an adversarial review of issue 10 slipped past the recogniser into the HMAC
secret fallback, each named after the attack. For every one, an HS256 token HMAC-signed with
exactly the pasted text verified ("valid") before the fix: the public key, in a form a person
really pastes (a JWK copied out of a set with its trailing comma, a PEM body under a config
name, a key cut off by one line), was used as a shared secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from inspector.core import inspect_token
from inspector.core.keys import load_key
from tests.core import keyfactory as kf

NOW = 1_780_272_000.0
KEYS = {
    "RSA": kf.rsa_key(2048),
    "EC": kf.ec_key("ES256"),
    "Ed25519": kf.okp_key("Ed25519"),
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_with(text: str) -> str:
    header, payload = b'{"alg":"HS256","typ":"JWT"}', b'{"sub":"admin","role":"root"}'
    si = f"{b64(header)}.{b64(payload)}"
    mac = hmac.new(text.encode("utf-8"), si.encode(), hashlib.sha256).digest()
    return f"{si}.{b64(mac)}"


def assert_never_a_secret(text: str) -> None:
    lk = load_key(text)
    assert lk.kind != "secret", lk.description
    assert lk.public_material
    v = inspect_token(forged_with(text), text, now=NOW, check_weak_secrets=False).verification
    assert v.status != "valid", v.reason
    assert v.hmac_secret is None


def spki_der(key: Any) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def body_lines(der: bytes) -> list[str]:
    text = base64.b64encode(der).decode()
    return [text[i : i + 64] for i in range(0, len(text), 64)]


# ------------------------------------------------------------ a JWK that is not quite JSON


def _escaped_kty(key: Any) -> str:
    return kf.jwk_text(key).replace('"kty"', '"k\\u0074y"')


@pytest.mark.parametrize("name", list(KEYS))
@pytest.mark.parametrize(
    "shape",
    [
        "{jwk},",  # copied out of a JWK Set's array, with the comma after it
        "// the signing key\n{jwk}",  # JSON with a comment
        "const key = {jwk};",  # a JavaScript assignment
        "{jwk}\n]}",  # the end of the set came along
    ],
)
def test_jwk_with_an_escaped_kty_that_is_not_json_is_never_a_secret(name: str, shape: str) -> None:
    """'kty' written as the JSON escape "k\\u0074y": the last guard looked for the word kty
    in the raw text only, so a JWK that is not valid JSON on its own became a secret."""
    assert_never_a_secret(shape.replace("{jwk}", _escaped_kty(KEYS[name])))


@pytest.mark.parametrize(
    "text_of",
    [
        lambda jwk: json.dumps({k: v for k, v in jwk.items() if k != "kty"}) + ",",
        lambda jwk: "\n".join(f"{k}: {v}" for k, v in jwk.items() if k != "kty"),
    ],
    ids=["json-without-kty-with-comma", "yaml-members"],
)
@pytest.mark.parametrize("name", list(KEYS))
def test_jwk_public_members_without_kty_are_never_a_secret(name: str, text_of: Any) -> None:
    """An RSA JWK's n and e, or an EC/OKP JWK's crv and x, are the public key itself."""
    assert_never_a_secret(text_of(json.loads(kf.jwk_text(KEYS[name]))))


def _percent_encoded(text: str) -> str:
    return "".join(c if c.isalnum() else f"%{ord(c):02X}" for c in text)


@pytest.mark.parametrize("name", list(KEYS))
@pytest.mark.parametrize(
    "text_of",
    [
        lambda jwk: base64.b64encode(jwk.replace('"kty"', '"k\\u0074y"').encode()).decode(),
        lambda jwk: b64(jwk.replace('"kty"', '"k\\u0074y"').encode()),
        lambda jwk: base64.b64encode(
            json.dumps({k: v for k, v in json.loads(jwk).items() if k != "kty"}).encode()
        ).decode(),
        _percent_encoded,
    ],
    ids=["base64-escaped-kty", "base64url-escaped-kty", "base64-without-kty", "percent-encoded"],
)
def test_an_encoded_jwk_the_recogniser_cannot_read_is_never_a_secret(
    name: str, text_of: Any
) -> None:
    """A JWK in base64 whose 'kty' is escaped or missing, or a percent-encoded JWK (as a URL
    query carries it: '%22kty%22', where the 'kty' after a digit read as chance base64)."""
    assert_never_a_secret(text_of(kf.jwk_text(KEYS[name])))


# ------------------------------------------------------------ DER cut off or under a name


def _der_forms() -> list[Any]:
    rsa = KEYS["RSA"]
    return [pytest.param(spki_der(k), id=f"spki-{name}") for name, k in KEYS.items()] + [
        pytest.param(
            rsa.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.PKCS1
            ),
            id="pkcs1-RSA",
        ),
        pytest.param(
            base64.b64decode(kf.certificate_x5c(KEYS["EC"])),
            id="certificate-EC",
        ),
        pytest.param(
            base64.b64decode(kf.certificate_x5c(rsa)),
            id="certificate-RSA",
        ),
    ]


@pytest.mark.parametrize("der", _der_forms())
@pytest.mark.parametrize(
    "cut",
    ["last-line-missing", "last-8-chars-missing", "first-line-only"],
)
def test_a_truncated_der_key_body_is_never_a_secret(der: bytes, cut: str) -> None:
    """A PEM body pasted without its armour and cut off (the last line not selected): the
    DER no longer has its declared length, so nothing recognised it and the text, a public
    key's first lines, was used as a secret."""
    lines = body_lines(der)
    if cut == "last-line-missing":
        if len(lines) < 2:
            pytest.skip("one line only")
        text = "\n".join(lines[:-1])
    elif cut == "last-8-chars-missing":
        text = "\n".join(lines)[:-8]
    else:
        text = lines[0]
    assert_never_a_secret(text)


@pytest.mark.parametrize("der", _der_forms())
@pytest.mark.parametrize(
    "prefix",
    ["public_key =\n  ", "key: |\n  ", "key:\n", "JWT_KEY=\\\n"],
    ids=["ini", "yaml-block", "name-line", "env-continued"],
)
def test_a_der_key_body_under_a_config_name_is_never_a_secret(der: bytes, prefix: str) -> None:
    """A PEM body (several lines) under a configuration name: the name made the whole text
    undecodable, and each line alone is no whole DER sequence."""
    indent = prefix[-2:] if prefix.endswith("  ") else ""
    assert_never_a_secret(prefix + f"\n{indent}".join(body_lines(der)))


@pytest.mark.parametrize("name", list(KEYS))
@pytest.mark.parametrize("sep", [":", ": ", "="])
def test_der_after_a_name_and_colon_is_read_as_the_key(name: str, sep: str) -> None:
    """'key:MIIB...' (no space after the colon) was a secret; 'key=MIIB...' was read."""
    key = KEYS[name]
    text = "public_key" + sep + base64.b64encode(spki_der(key)).decode()
    assert_never_a_secret(text)
    lk = load_key(text)
    assert lk.error is None
    assert lk.candidates[0].kty != "oct"


@pytest.mark.parametrize("name", list(KEYS))
def test_der_in_base64_twice_is_read_as_the_key(name: str) -> None:
    """base64 of the base64 DER (a Kubernetes secret of a key body): read through both."""
    text = base64.b64encode(base64.b64encode(spki_der(KEYS[name]))).decode()
    assert_never_a_secret(text)
    lk = load_key(text)
    assert lk.error is None
    assert lk.candidates[0].kty != "oct"


@pytest.mark.parametrize(
    "secret",
    [
        "n: 12\ne: yes",  # short values are not a modulus
        "crv is a word, x marks the spot",
        "MIIBq3ktyZ8wPbN5mR2vX7cL0aT4hJ9eY6uK1sD3fG8iO5pWq3ktyZ8wPbN5mR2vX7",
        "my-secret:q3ktyZ8wPbN5mR2vX7cL0aT4hJ9eY6uK1sD3fG8iO5pW",
    ],
)
def test_secrets_near_the_new_shapes_stay_secrets(secret: str) -> None:
    assert load_key(secret).kind == "secret", load_key(secret).error


# ------------------------------------------------------------ cleaning inside an unencoded payload

_SECRET = b"k" * 32
_UNENCODED = b64(b'{"alg":"HS256","b64":false,"crit":["b64"]}')


def _mac(si: str) -> str:
    return b64(hmac.new(_SECRET, si.encode("utf-8"), hashlib.sha256).digest())


@pytest.mark.parametrize(
    ("pasted", "signed"),
    [
        ("hello\nworld", "helloworld"),
        ("hello\r\nworld", "helloworld"),
        ("%41dmin", "Admin"),
        ("role%3Droot", "role=root"),
    ],
    ids=["line-break", "crlf", "percent-escape", "percent-escaped-equals"],
)
def test_cleaning_inside_an_unencoded_payload_is_never_verified(pasted: str, signed: str) -> None:
    """b64: false makes every character of the payload signed text (RFC 7797 §3). Cleaning
    joined a wrapped token's lines and decoded percent escapes inside that payload too, so a
    signature over "helloworld" verified the pasted "hello<newline>world": the bytes
    verified were not the bytes pasted."""
    token = f"{_UNENCODED}.{pasted}.{_mac(f'{_UNENCODED}.{signed}')}"
    v = inspect_token(token, _SECRET.decode(), now=NOW, check_weak_secrets=False).verification
    assert v.status == "invalid", v.reason
    assert "unencoded payload" in v.reason


def test_an_unencoded_payload_pasted_as_signed_still_verifies() -> None:
    token = f"{_UNENCODED}.hello.{_mac(f'{_UNENCODED}.hello')}"
    for text in (token, f'"{token}"', f"Bearer {token}", f"  {token}\n"):
        v = inspect_token(text, _SECRET.decode(), now=NOW, check_weak_secrets=False).verification
        assert v.status == "valid", (text, v.reason)


# ------------------------------------------------ JWS JSON: flattened beside 'signatures'


@pytest.mark.parametrize("signatures", [[], {}, "x", None], ids=repr)
def test_flattened_jws_json_beside_a_signatures_member_is_not_valid(signatures: Any) -> None:
    """A flattened serialization with a 'signatures' member that a general parser reads as
    no signature at all (an empty array, not an array): RFC 7515 §7.2.2 forbids the mix,
    and the inspector said "valid" (the mix was only caught when 'signatures' held one)."""
    protected = b64(b'{"alg":"HS256"}')
    payload = b64(b'{"sub":"admin"}')
    doc = {
        "payload": payload,
        "signatures": signatures,
        "protected": protected,
        "signature": _mac(f"{protected}.{payload}"),
    }
    got = inspect_token(json.dumps(doc), _SECRET.decode(), now=NOW, check_weak_secrets=False)
    assert got.verification.status == "invalid", got.verification.reason
    assert "jws-json-mixed" in {f.id for f in got.findings}


# ------------------------------------------------------------ a mixed JWK Set in disguise


@pytest.mark.parametrize(
    "other",
    [
        {"kty": "rsa", "n": "AQAB", "e": "AQAB"},
        {"kty": "AKP", "alg": "ML-DSA-44", "pub": "AAAA"},
        {"kty": "RSA "},
    ],
    ids=["lower-case-rsa", "post-quantum-AKP", "RSA-with-a-space"],
)
def test_a_set_mixing_a_secret_with_an_unreadable_public_key_is_still_mixed(
    other: dict[str, str],
) -> None:
    """A set of one oct key and one public key is never used to verify ('mixed-key-types'),
    but a public key the inspector cannot read (a kty it does not know) left only 'oct' in
    the set's types, and the oct key verified: "valid" from a mixed set."""
    jwks = json.dumps(
        {"keys": [{**other, "kid": "p"}, {"kty": "oct", "k": b64(_SECRET), "kid": "s"}]}
    )
    header, payload = b64(b'{"alg":"HS256","kid":"s"}'), b64(b'{"sub":"admin"}')
    token = f"{header}.{payload}.{_mac(f'{header}.{payload}')}"
    got = inspect_token(token, jwks, now=NOW, check_weak_secrets=False)
    assert got.verification.status == "invalid", got.verification.reason
    assert "mixed-key-types" in {f.id for f in got.findings}


# ------------------------------------------------------------ crit: null


@pytest.mark.parametrize("crit", [None, [], "b64", {}, [1]], ids=repr)
def test_a_crit_that_is_not_a_list_of_names_is_never_valid(crit: Any) -> None:
    """'crit': null was read as no 'crit' at all, so the token said "valid" where PyJWT and
    jwcrypto both refuse it (RFC 7515 §4.1.11: 'crit' is a non-empty array of names)."""
    header = b64(json.dumps({"alg": "HS256", "crit": crit}).encode())
    payload = b64(b'{"sub":"admin"}')
    token = f"{header}.{payload}.{_mac(f'{header}.{payload}')}"
    v = inspect_token(token, _SECRET.decode(), now=NOW, check_weak_secrets=False).verification
    assert v.status == "invalid", v.reason
    assert "crit" in v.reason


# ------------------------------------------------ JWS JSON: signatures that disagree about b64


@pytest.mark.parametrize("first_unencoded", [True, False])
def test_general_jws_json_whose_signatures_disagree_about_b64_is_not_valid(
    first_unencoded: bool,
) -> None:
    """RFC 7797 §3: 'b64' must be the same for every signature. With the first signature
    b64: false and another without it, verifiers of the other read the payload as base64url:
    the signatures cover different contents. jwcrypto refuses the document; the inspector
    checked the first signature only and said "valid"."""
    unencoded = b64(b'{"alg":"HS256","b64":false,"crit":["b64"]}')
    encoded = b64(b'{"alg":"HS256"}')
    payload = "abc"
    first, other = (unencoded, encoded) if first_unencoded else (encoded, unencoded)
    doc = {
        "payload": payload,
        "signatures": [
            {"protected": first, "signature": _mac(f"{first}.{payload}")},
            {"protected": other, "signature": _mac(f"{other}.{payload}")},
        ],
    }
    got = inspect_token(json.dumps(doc), _SECRET.decode(), now=NOW, check_weak_secrets=False)
    assert got.verification.status == "invalid", got.verification.reason
    assert "jws-json-b64-mixed" in {f.id for f in got.findings}


def test_general_jws_json_whose_signatures_agree_about_b64_still_verifies() -> None:
    unencoded = b64(b'{"alg":"HS256","b64":false,"crit":["b64"]}')
    doc = {
        "payload": "abc",
        "signatures": [{"protected": unencoded, "signature": _mac(f"{unencoded}.abc")}] * 2,
    }
    got = inspect_token(json.dumps(doc), _SECRET.decode(), now=NOW, check_weak_secrets=False)
    assert got.verification.status == "valid", got.verification.reason
