"""The encoder: JSON checking, alg/key/kid resolution, time helpers, and tokens that other
libraries verify.

Oracles: jwcrypto verifies every algorithm (it knows the fully-specified Ed25519/Ed448 names
of RFC 9864). PyJWT verifies every algorithm through ``jwt.decode`` except the names
``Ed25519`` and ``Ed448`` (it only knows ``EdDSA``), which are checked with PyJWT's own
``OKPAlgorithm.verify`` on the signing input instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws

from inspector.core.inspection import inspect_token
from inspector.core.keygen import GeneratedKey, export_key, generate_key
from inspector.core.parsing import parse_token
from inspector.core.signing import (
    SIGNING_ALGORITHMS,
    SignProblem,
    SignResult,
    apply_times,
    check_json_object,
    editable_json,
    read_signing_key,
    resolve_time,
    sign_signing_input,
    sign_token,
)

NOW = 1_700_000_000
PAYLOAD = '{"sub": "1234567890", "name": "Jane Doe", "admin": true}'


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture(scope="module")
def keys() -> dict[str, GeneratedKey]:
    """One key per algorithm; RSA 2048 is generated once and shared by RS* and PS*."""
    rsa = generate_key("RS256")
    out: dict[str, GeneratedKey] = {}
    for alg in SIGNING_ALGORITHMS:
        if alg[:2] in ("RS", "PS"):
            out[alg] = export_key(alg, rsa.key, rsa.description)
        else:
            out[alg] = generate_key(alg)
    return out


def _public_text(key: GeneratedKey) -> str:
    return key.public_jwk or key.private_jwk


def _verify_jwcrypto(token: str, key: GeneratedKey, alg: str) -> dict[str, Any]:
    obj = jwcrypto_jws.JWS()
    obj.deserialize(token)
    obj.allowed_algs = [alg]
    obj.verify(jwcrypto_jwk.JWK.from_json(_public_text(key)))
    return json.loads(obj.payload)


def _verify_pyjwt(token: str, key: GeneratedKey, alg: str) -> None:
    if alg in ("Ed25519", "Ed448"):
        algo = jwt.algorithms.OKPAlgorithm()
        pub = algo.from_jwk(_public_text(key))
        head, body, sig = token.split(".")
        assert algo.verify(f"{head}.{body}".encode(), pub, _b64d(sig))
        return
    if alg.startswith("HS"):
        verify_key: Any = key.key
    else:
        verify_key = jwt.PyJWK(json.loads(_public_text(key))).key
    jwt.decode(token, verify_key, algorithms=[alg], options={"verify_exp": False})


# ------------------------------------------------------------------------------ every alg


@pytest.mark.parametrize("alg", SIGNING_ALGORITHMS)
@pytest.mark.parametrize("form", ["jwk", "pem"])
def test_token_verifies_with_jwcrypto_and_pyjwt(
    keys: dict[str, GeneratedKey], alg: str, form: str
) -> None:
    key = keys[alg]
    key_text = key.private_jwk if form == "jwk" or key.private_pem is None else key.private_pem
    result = sign_token('{"typ": "JWT"}', PAYLOAD, key_text, alg=alg, now=NOW, exp="+1h")
    assert result.ok, result.message
    assert result.token is not None
    assert _verify_jwcrypto(result.token, key, alg) == {
        "sub": "1234567890",
        "name": "Jane Doe",
        "admin": True,
        "exp": NOW + 3600,
    }
    _verify_pyjwt(result.token, key, alg)
    header = json.loads(_b64d(result.token.split(".")[0]))
    assert header["alg"] == alg
    assert next(iter(header)) == "alg"
    if form == "jwk":
        assert header["kid"] == key.thumbprint
    else:
        assert "kid" not in header or alg.startswith("HS")


@pytest.mark.parametrize("alg", SIGNING_ALGORITHMS)
def test_token_verifies_with_our_verifier(keys: dict[str, GeneratedKey], alg: str) -> None:
    """Depends on inspector.core.verification (the verification helper's work)."""
    key = keys[alg]
    result = sign_token("", PAYLOAD, key.private_jwk, alg=alg)
    assert result.token is not None, result.message
    inspection = inspect_token(result.token, _public_text(key), now=NOW)
    assert inspection.verification.status == "valid", inspection.verification.reason
    if key.public_pem is not None:
        by_pem = inspect_token(result.token, key.public_pem, now=NOW)
        assert by_pem.verification.status == "valid", by_pem.verification.reason


def test_signatures_differ_for_a_changed_payload(keys: dict[str, GeneratedKey]) -> None:
    a = sign_token("", '{"a": 1}', keys["HS256"].private_jwk)
    b = sign_token("", '{"a": 2}', keys["HS256"].private_jwk)
    assert a.token is not None
    assert b.token is not None
    assert a.token.split(".")[2] != b.token.split(".")[2]


# ------------------------------------------------------------------------------ RFC vectors


def _rfc_case(vectors: Path, case_id: str) -> dict[str, Any]:
    data = json.loads((vectors / "rfc-examples/rfc7515_7519_8037_examples.json").read_text())
    return next(c for c in data["cases"] if c["id"] == case_id)


@pytest.mark.vectors
@pytest.mark.parametrize(
    ("case_id", "key_member"),
    [("rfc7515-A.1", "key"), ("rfc7515-A.2", "private_key"), ("rfc8037-A.4", "private_key")],
)
def test_rfc_signatures_reproduced_byte_for_byte(
    vectors: Path, case_id: str, key_member: str
) -> None:
    case = _rfc_case(vectors, case_id)
    head, body, sig = case["jws"].split(".")
    signature = sign_signing_input(
        f"{head}.{body}".encode("ascii"), json.dumps(case[key_member]), alg=case["alg"]
    )
    assert not isinstance(signature, SignProblem), signature
    assert signature == _b64d(sig)


@pytest.mark.vectors
def test_rfc8037_ed25519_token_reproduced_by_sign_token(vectors: Path) -> None:
    """The RFC 8037 A.4 header is compact JSON, so sign_token itself gives the RFC's token."""
    case = json.loads((vectors / "jose-cookbook/curve25519/jws.json").read_text())
    payload_json = '"Example of Ed25519 signing"'  # not an object: sign_token refuses it
    refused = sign_token('{"alg":"EdDSA"}', payload_json, json.dumps(case["input"]["key"]))
    assert [p.code for p in refused.problems] == ["not-an-object"]
    sig = sign_signing_input(
        case["signing"]["sig-input"].encode(), json.dumps(case["input"]["key"]), alg="EdDSA"
    )
    assert sig == _b64d(case["signing"]["sig"])


@pytest.mark.vectors
@pytest.mark.parametrize(
    "name", ["4_1.rsa_v15_signature.json", "4_4.hmac-sha2_integrity_protection.json"]
)
def test_rfc7520_deterministic_signatures_reproduced(vectors: Path, name: str) -> None:
    case = json.loads((vectors / "jose-cookbook/jws" / name).read_text())
    assert case["reproducible"] is True
    sig = sign_signing_input(
        case["signing"]["sig-input"].encode(),
        json.dumps(case["input"]["key"]),
        alg=case["input"]["alg"],
    )
    assert sig == _b64d(case["signing"]["sig"])


# ------------------------------------------------------------------------------ JSON input


@pytest.mark.parametrize(
    ("header", "payload", "code", "field", "line", "column", "words"),
    [
        ("{}", '{"a": 1,\n "a": 2}', "duplicate-member", "payload", 2, 2, "'a' a second time"),
        ('{"x": {"k": 1, "k": 2}}', "{}", "duplicate-member", "header", 1, 16, "'k'"),
        ("{}", "[1, 2]", "not-an-object", "payload", 1, 1, "an array"),
        ("{}", '  "text"', "not-an-object", "payload", 1, 3, "a string"),
        ("{}", "42", "not-an-object", "payload", 1, 1, "a number"),
        ("null", "{}", "not-an-object", "header", 1, 1, "null"),
        ("{}", '{"n": NaN}', "non-standard-json", "payload", None, None, "NaN"),
        ("{}", "", "invalid-json", "payload", None, None, "empty"),
        ("{}", "[" * 300 + "]" * 300, "json-too-complex", "payload", None, None, "200 levels"),
    ],
)
def test_bad_json_says_what_and_where(
    header: str,
    payload: str,
    code: str,
    field: str,
    line: int | None,
    column: int | None,
    words: str,
) -> None:
    result = sign_token(header, payload, "secret-key-of-32-bytes-length!!!", alg="HS256")
    assert result.token is None
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.code, problem.field, problem.line, problem.column) == (
        code,
        field,
        line,
        column,
    )
    assert words in problem.message
    assert field in problem.message


@pytest.mark.parametrize(
    ("header", "payload", "field", "line"),
    [
        ('{"alg": "HS256"', "{}", "header", 1),
        ("{}", '{\n  "a": 1,\n  "b": }', "payload", 3),
        ("{}", "{'a': 1}", "payload", 1),
        ("{}", '{"a": 1,}', "payload", 1),
    ],
)
def test_invalid_json_says_which_part_and_where(
    header: str, payload: str, field: str, line: int
) -> None:
    """The reason's wording and the exact column are the json module's, and differ between
    Python versions (3.13 puts a trailing comma's error on the comma, 3.11 after it): the test
    holds our message to the json module's position on this interpreter, not to a number."""
    result = sign_token(header, payload, "secret-key-of-32-bytes-length!!!", alg="HS256")
    assert result.token is None
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert (problem.code, problem.field) == ("invalid-json", field)
    bad = header if field == "header" else payload
    with pytest.raises(json.JSONDecodeError) as decoded:
        json.loads(bad)
    assert (problem.line, problem.column) == (line, decoded.value.colno)
    assert decoded.value.lineno == line
    assert 1 <= problem.column <= len(bad.split("\n")[line - 1]) + 1
    assert problem.message.startswith(f"The {field} is not valid JSON: ")
    assert problem.message.endswith(f" at line {line}, column {problem.column}.")


def test_every_json_problem_is_listed_not_just_the_first() -> None:
    result = sign_token('{"a": 1, "a": 2, "b": 1, "b": 2}', "[]", "k", alg="HS256")
    assert [p.code for p in result.problems] == [
        "duplicate-member",
        "duplicate-member",
        "not-an-object",
    ]
    assert "line 1, column 10" in result.problems[0].message
    assert "line 1, column 26" in result.problems[1].message


def test_duplicate_inside_nested_objects_only_counts_within_one_object() -> None:
    obj, problems = check_json_object('{"a": {"x": 1}, "b": {"x": 2}}', "payload")
    assert problems == ()
    assert obj == {"a": {"x": 1}, "b": {"x": 2}}


def test_empty_header_means_empty_object() -> None:
    result = sign_token("  \n", "{}", "a" * 32, alg="HS256")
    assert result.token is not None
    assert json.loads(_b64d(result.token.split(".")[0])) == {"alg": "HS256"}


def test_encoding_is_compact_utf8_in_the_given_order() -> None:
    result = sign_token('{"typ": "JWT", "alg": "HS256"}', '{"z": "é", "a": [1, 2]}', "a" * 32)
    assert result.token is not None
    head, body, _ = result.token.split(".")
    assert _b64d(head) == b'{"alg":"HS256","typ":"JWT"}'
    assert _b64d(body) == '{"z":"é","a":[1,2]}'.encode()


def test_header_members_must_be_usable() -> None:
    result = sign_token('{"alg": 5, "kid": [], "b64": false}', "{}", "k")
    assert [p.code for p in result.problems] == ["bad-header-member"] * 3


# ------------------------------------------------------------------------------ alg and key


@pytest.mark.parametrize("spelling", ["none", "None", "NONE", "nOnE"])
def test_unsecured_is_refused_unless_asked_for(spelling: str) -> None:
    by_param = sign_token("{}", "{}", None, alg=spelling)
    by_header = sign_token(json.dumps({"alg": spelling}), "{}", "some secret")
    for refused in (by_param, by_header):
        assert [p.code for p in refused.problems] == ["unsecured-refused"]
        assert "explicitly" in refused.message
    allowed = sign_token("{}", '{"admin": true}', None, alg=spelling, allow_unsecured=True)
    assert allowed.token is not None
    assert allowed.token.endswith(".")
    parsed = parse_token(allowed.token)
    assert parsed.format == "unsecured"
    assert parsed.unverified_header == {"alg": spelling}


def test_allow_unsecured_does_not_strip_a_real_signature(keys: dict[str, GeneratedKey]) -> None:
    result = sign_token("{}", "{}", keys["ES256"].private_jwk, allow_unsecured=True)
    assert result.alg == "ES256"
    assert result.token is not None
    assert not result.token.endswith(".")


def test_unsecured_ignores_a_key_and_says_so() -> None:
    result = sign_token("{}", "{}", "secret", alg="none", allow_unsecured=True)
    assert result.token is not None
    assert any("key was not used" in n for n in result.notes)


@pytest.mark.parametrize(
    ("alg", "expected"),
    [("HS256", "HS256"), ("RS384", "RS256"), ("ES512", "ES512"), ("ES256K", "ES256K")],
)
def test_alg_inferred_from_a_pem_key(
    keys: dict[str, GeneratedKey], alg: str, expected: str
) -> None:
    key = keys[alg]
    text = key.private_pem if key.private_pem is not None else "x" * 40
    result = sign_token("{}", "{}", text)
    assert result.alg == expected
    assert any("chosen to fit the key" in n for n in result.notes)


def test_alg_from_the_jwk_alg_member(keys: dict[str, GeneratedKey]) -> None:
    assert sign_token("{}", "{}", keys["PS512"].private_jwk).alg == "PS512"
    assert sign_token("{}", "{}", keys["Ed448"].private_jwk).alg == "Ed448"


def test_alg_parameter_overrides_the_header(keys: dict[str, GeneratedKey]) -> None:
    result = sign_token('{"alg": "HS256"}', "{}", keys["ES384"].private_pem, alg="ES384")
    assert result.alg == "ES384"
    assert result.header is not None
    assert result.header["alg"] == "ES384"


def test_unknown_alg_lists_the_supported_ones() -> None:
    result = sign_token("{}", "{}", "k", alg="hs256")
    assert [p.code for p in result.problems] == ["unsupported-alg"]
    assert "HS256" in result.message
    assert "case-sensitive" in result.message
    assert result.problems[0].field == "alg"


@pytest.mark.parametrize(
    ("key_alg", "alg", "words"),
    [
        ("RS256", "ES256", "ES256 needs an EC P-256 private key"),
        ("ES384", "ES256", "P-256"),
        ("Ed25519", "Ed448", "Ed448"),
        ("ES256", "HS256", "HS256 needs a shared secret"),
        ("HS256", "RS256", "RS256 needs an RSA private key"),
    ],
)
def test_key_that_does_not_fit_the_alg(
    keys: dict[str, GeneratedKey], key_alg: str, alg: str, words: str
) -> None:
    result = sign_token("{}", "{}", keys[key_alg].private_jwk, alg=alg)
    assert [p.code for p in result.problems] == ["key-alg-mismatch"]
    assert words in result.message
    assert result.problems[0].field == "key"


def test_jwk_alg_member_must_match(keys: dict[str, GeneratedKey]) -> None:
    result = sign_token("{}", "{}", keys["RS256"].private_jwk, alg="RS512")
    assert [p.code for p in result.problems] == ["key-alg-mismatch"]
    assert "RFC 7517 §4.4" in result.message


def test_jwk_not_for_signing_is_refused(keys: dict[str, GeneratedKey]) -> None:
    jwk = json.loads(keys["ES256"].private_jwk)
    jwk["use"] = "enc"
    result = sign_token("{}", "{}", json.dumps(jwk))
    assert "not a signing key" in result.message
    jwk["use"] = "sig"
    jwk["key_ops"] = ["verify"]
    assert "'sign'" in sign_token("{}", "{}", json.dumps(jwk)).message


@pytest.mark.parametrize("alg", ["RS256", "ES256", "Ed25519"])
def test_public_key_cannot_sign(keys: dict[str, GeneratedKey], alg: str) -> None:
    for text in (keys[alg].public_pem, keys[alg].public_jwk):
        assert text is not None
        result = sign_token("{}", "{}", text, alg=alg)
        assert [p.code for p in result.problems] == ["public-key"]
        assert "private" in result.message


def test_public_key_text_as_hmac_secret_is_the_confusion_attack(
    keys: dict[str, GeneratedKey],
) -> None:
    pem = keys["RS256"].public_pem
    assert pem is not None
    result = sign_token("{}", '{"admin": true}', pem, alg="HS256")
    assert result.token is not None
    assert any("Algorithm-confusion" in n for n in result.notes)
    head, body, sig = result.token.split(".")
    expected = hmac.new(pem.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    assert _b64d(sig) == expected


def test_missing_key() -> None:
    for key in (None, "", "  \n"):
        result = sign_token("{}", "{}", key, alg="HS256")
        assert [p.code for p in result.problems] == ["missing-key"]


@pytest.mark.parametrize(
    ("encoding", "text", "secret"),
    [
        ("utf-8", "pässword", "pässword".encode()),
        ("hex", "00ff10", b"\x00\xff\x10"),
        ("base64", "+/8=", b"\xfb\xff"),
        ("base64url", "-_8", b"\xfb\xff"),
    ],
)
def test_secret_encodings(encoding: str, text: str, secret: bytes) -> None:
    result = sign_token("{}", "{}", text, alg="HS256", secret_encoding=encoding)
    assert result.token is not None
    head, body, sig = result.token.split(".")
    assert _b64d(sig) == hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()


def test_short_secret_signs_with_a_warning() -> None:
    result = sign_token("{}", "{}", "short", alg="HS512")
    assert result.token is not None
    assert any("shorter than the HS512 hash (64 bytes)" in n for n in result.notes)


def test_bad_hex_secret_is_a_key_error() -> None:
    result = sign_token("{}", "{}", "abc", alg="HS256", secret_encoding="hex")
    assert [p.code for p in result.problems] == ["key-error"]
    assert "odd number" in result.message


def test_messages_hold_no_key_material(keys: dict[str, GeneratedKey]) -> None:
    jwk = json.loads(keys["ES256"].private_jwk)
    secret_d = jwk["d"]
    jwk["d"] = secret_d[:-4] + "!!!!"
    result = sign_token("{}", "{}", json.dumps(jwk))
    assert result.token is None
    assert secret_d[:-4] not in result.message
    pem = keys["RS256"].private_pem
    assert pem is not None
    broken = pem.replace(pem.splitlines()[5], "A" * 64)
    bad = sign_token("{}", "{}", broken, alg="RS256")
    assert bad.token is None
    for line in pem.splitlines()[1:-1]:
        assert line not in bad.message


# ------------------------------------------------------------------------------ kid


def test_kid_from_the_jwk_fills_the_header(keys: dict[str, GeneratedKey]) -> None:
    result = sign_token("{}", "{}", keys["ES256"].private_jwk)
    assert result.header is not None
    assert result.header["kid"] == keys["ES256"].thumbprint
    assert any("taken from the key" in n for n in result.notes)


def test_header_kid_is_kept_and_kid_parameter_wins(keys: dict[str, GeneratedKey]) -> None:
    text = keys["ES256"].private_jwk
    kept = sign_token('{"kid": "mine"}', "{}", text)
    assert kept.header is not None
    assert kept.header["kid"] == "mine"
    forced = sign_token('{"kid": "mine"}', "{}", text, kid="cli")
    assert forced.header is not None
    assert forced.header["kid"] == "cli"


def test_pem_key_adds_no_kid(keys: dict[str, GeneratedKey]) -> None:
    result = sign_token("{}", "{}", keys["ES256"].private_pem)
    assert result.header is not None
    assert "kid" not in result.header


def test_jwk_set_key_is_picked_by_kid(keys: dict[str, GeneratedKey]) -> None:
    a = json.loads(keys["ES256"].private_jwk)
    b = json.loads(keys["Ed25519"].private_jwk)
    jwks = json.dumps({"keys": [a, b]})
    ambiguous = sign_token("{}", "{}", jwks)
    assert "2 keys that could sign" in ambiguous.message
    chosen = sign_token(json.dumps({"kid": b["kid"]}), "{}", jwks)
    assert chosen.alg == "Ed25519"
    by_alg = sign_token("{}", "{}", jwks, alg="ES256")
    assert by_alg.header is not None
    assert by_alg.header["kid"] == a["kid"]
    missing = sign_token('{"kid": "nope"}', "{}", jwks)
    assert "kid 'nope'" in missing.message


@pytest.mark.parametrize(
    "text", ["{", "{}", '{"keys": 5}', '{"keys": []}', "-----BEGIN PRIVATE KEY-----\nAAAA", "\x00"]
)
def test_odd_key_text_is_a_problem_for_rs256(text: str) -> None:
    result = sign_token("{}", "{}", text, alg="RS256")
    assert result.token is None
    assert result.problems[0].field == "key"


def test_read_signing_key_reads_other_text_as_a_secret() -> None:
    key = read_signing_key("{", alg="HS256")
    assert not isinstance(key, SignProblem)
    assert (key.kty, key.key) == ("oct", b"{")


# ------------------------------------------------------------------------------ times


@pytest.mark.parametrize(
    ("spec", "value"),
    [
        ("+15m", NOW + 900),
        ("+1h", NOW + 3600),
        ("+1d", NOW + 86400),
        ("+90s", NOW + 90),
        ("-5m", NOW - 300),
        ("+2w", NOW + 2 * 604800),
        ("+30", NOW + 30),
        ("10m", NOW + 600),
        ("+1.5h", NOW + 5400),
        (" now ", NOW),
        ("1700000000", 1_700_000_000),
        ("1234.9", 1234),
    ],
)
def test_resolve_time(spec: str, value: int) -> None:
    assert resolve_time(spec, now=NOW + 0.75) == value


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ("tomorrow", "is not a time"),
        ("+1y", "is not a time"),
        ("", "is not a time"),
        ("1700000000000", "not milliseconds"),
        ("-1800000000", "outside 1970 to 9999"),
        ("+" + "9" * 50, "at most 40 characters"),
    ],
)
def test_resolve_time_problems(spec: str, words: str) -> None:
    result = resolve_time(spec, now=NOW, claim="nbf")
    assert isinstance(result, SignProblem)
    assert (result.code, result.field) == ("bad-time", "nbf")
    assert words in result.message
    assert "'nbf'" in result.message


def test_sign_token_sets_times_from_the_injected_now() -> None:
    result = sign_token("{}", '{"exp": 1}', "k" * 32, now=NOW, iat=True, nbf="-5m", exp="+15m")
    assert result.payload is not None
    assert dict(result.payload) == {"exp": NOW + 900, "iat": NOW, "nbf": NOW - 300}


def test_time_without_now_is_a_caller_mistake() -> None:
    with pytest.raises(TypeError, match="now="):
        sign_token("{}", "{}", "k", exp="+1h")


def test_bad_time_is_reported_with_json_problems() -> None:
    result = sign_token("{}", "[]", "k", now=NOW, exp="soon")
    assert [p.code for p in result.problems] == ["not-an-object", "bad-time"]


def test_apply_times_rewrites_the_payload_text() -> None:
    edit = apply_times('{"sub": "x", "exp": 5}', now=NOW, iat=True, exp="+1d")
    assert edit.text is not None
    assert json.loads(edit.text) == {"sub": "x", "exp": NOW + 86400, "iat": NOW}
    assert dict(edit.values) == {"iat": NOW, "exp": NOW + 86400}
    assert apply_times("[]", now=NOW, exp="+1h").problems[0].code == "not-an-object"


# ------------------------------------------------------------------------------ values


def test_result_invariants() -> None:
    with pytest.raises(ValueError, match="token or problems"):
        SignResult(token=None)
    problem = SignProblem(code="missing-key", message="m", field="key")
    with pytest.raises(ValueError, match="token or problems"):
        SignResult(token="a.b.c", problems=(problem,))
    with pytest.raises(ValueError, match="line and column"):
        SignProblem(code="invalid-json", message="m", field="header", line=1)


def test_result_mappings_are_read_only(keys: dict[str, GeneratedKey]) -> None:
    result = sign_token("{}", '{"a": 1}', keys["HS256"].private_jwk)
    assert result.payload is not None
    with pytest.raises(TypeError):
        result.payload["a"] = 2  # type: ignore[index]


def test_editable_json_round_trips_what_parse_token_decoded(
    keys: dict[str, GeneratedKey],
) -> None:
    token = sign_token('{"typ": "JWT"}', PAYLOAD, keys["HS256"].private_jwk).token
    assert token is not None
    parsed = parse_token(token)
    again = sign_token(
        editable_json(parsed.unverified_header),
        editable_json(parsed.unverified_payload),
        keys["HS256"].private_jwk,
    )
    assert again.token == token


@settings(max_examples=150, deadline=None)
@given(
    header=st.text(max_size=40),
    payload=st.one_of(st.text(max_size=60), st.just('{"a": 1}')),
    key=st.one_of(st.none(), st.text(max_size=40)),
    alg=st.one_of(st.none(), st.sampled_from([*SIGNING_ALGORITHMS, "none", "x"])),
    encoding=st.sampled_from(["utf-8", "hex", "base64", "base64url"]),
    unsecured=st.booleans(),
)
def test_sign_token_never_raises(
    header: str,
    payload: str,
    key: str | None,
    alg: str | None,
    encoding: str,
    unsecured: bool,
) -> None:
    result = sign_token(
        header, payload, key, alg=alg, secret_encoding=encoding, allow_unsecured=unsecured
    )
    assert result.ok == (result.token is not None)
    for problem in result.problems:
        assert problem.message


def test_eddsa_with_an_ed448_key_verifies_in_pyjwt() -> None:
    key = generate_key("EdDSA", crv="Ed448")
    result = sign_token("{}", '{"sub": "x"}', key.private_pem)
    assert result.alg == "EdDSA"
    assert result.token is not None
    assert key.public_jwk is not None
    public = jwt.PyJWK(json.loads(key.public_jwk)).key
    assert jwt.decode(result.token, public, algorithms=["EdDSA"]) == {"sub": "x"}


def test_escaped_duplicate_member_names_are_found() -> None:
    result = sign_token("{}", '{"\\u0061": 1, "a": 2}', "k" * 32)
    assert [p.code for p in result.problems] == ["duplicate-member"]
    assert (result.problems[0].line, result.problems[0].column) == (1, 15)


@pytest.mark.parametrize("fmt", ["pkcs8", "traditional", "openssh"])
def test_private_key_pem_formats(keys: dict[str, GeneratedKey], fmt: str) -> None:
    key = keys["ES256"].key
    encoding = serialization.Encoding.PEM
    private_format = {
        "pkcs8": serialization.PrivateFormat.PKCS8,
        "traditional": serialization.PrivateFormat.TraditionalOpenSSL,
        "openssh": serialization.PrivateFormat.OpenSSH,
    }[fmt]
    pem = key.private_bytes(encoding, private_format, serialization.NoEncryption()).decode()
    if fmt == "traditional":  # what `openssl ecparam -genkey` writes: parameters first
        pem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + pem
    result = sign_token("{}", "{}", pem)
    assert result.alg == "ES256", result.message
    assert result.token is not None
    assert keys["ES256"].public_pem is not None
    assert inspect_token(result.token, keys["ES256"].public_pem).verification.status == "valid"


def test_encrypted_private_key_says_how_to_decrypt(keys: dict[str, GeneratedKey]) -> None:
    pem = keys["ES256"].key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    )
    result = sign_token("{}", "{}", pem.decode())
    assert [p.code for p in result.problems] == ["key-error"]
    assert "encrypted" in result.message
    assert "does not ask for passphrases" in result.message


def test_now_past_9999_is_refused_like_any_time() -> None:
    """Found by the property below: 'now' skipped the 1970-9999 range check."""
    result = resolve_time("now", now=253_402_300_800.0)
    assert not isinstance(result, int)
    assert result.code == "bad-time"
    assert resolve_time("NOW", now=1_700_000_000.9) == 1_700_000_000


@settings(max_examples=200, deadline=None)
@given(spec=st.text(max_size=50), now=st.floats(allow_nan=True, allow_infinity=True))
def test_resolve_time_never_raises(spec: str, now: float) -> None:
    result = resolve_time(spec, now=now)
    if isinstance(result, int):
        assert 0 <= result <= 253_402_300_799
    else:
        assert result.code == "bad-time"


@settings(max_examples=100, deadline=None)
@given(payload=st.text(max_size=60), exp=st.text(max_size=12))
def test_apply_times_never_raises(payload: str, exp: str) -> None:
    edit = apply_times(payload, now=NOW, iat=True, exp=exp or None)
    assert edit.ok == (edit.text is not None)
    if edit.text is not None:
        assert json.loads(edit.text)["iat"] == NOW


@pytest.mark.parametrize(
    ("field", "header", "payload", "escape"),
    [
        ("payload", '{"alg":"HS256"}', '{"a":"x\\ud800"}', "\\ud800"),
        ("payload", '{"alg":"HS256"}', '{"a":"\\udc00\\ud800"}', "\\udc00"),
        ("header", '{"alg":"HS256","kid":"\\udfff"}', '{"a":1}', "\\udfff"),
    ],
)
def test_a_lone_surrogate_escape_is_a_problem_not_a_crash(field, header, payload, escape):
    # json.loads accepts the escape, UTF-8 cannot encode it: signing used to raise
    # UnicodeEncodeError from the encoder.
    result = sign_token(header, payload, "k" * 40, secret_encoding="utf-8")
    assert result.token is None
    (problem,) = result.problems
    assert problem.code == "not-utf-8"
    assert problem.field == field
    assert escape in problem.message
    assert problem.line == 1
    text = payload if field == "payload" else header
    assert text[problem.column - 1 :].startswith(escape)


def test_a_surrogate_pair_escape_still_signs():
    result = sign_token('{"alg":"HS256"}', '{"a":"\\ud83d\\ude00"}', "k" * 40)
    assert result.problems == ()
    assert result.token is not None
