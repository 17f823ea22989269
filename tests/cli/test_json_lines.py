"""``inspector.cli.json_lines.json_line`` writes exactly ``json.dumps(to_dict(),
ensure_ascii=False, separators=(",", ":"))``: on every kind of input (JWS, JWE decrypted or
not, nested, SD-JWT, not a JWT, garbage, hostile headers), verified or not, and on generated
headers and payloads (strings with any character, floats, huge and negative numbers, time
claims of every type), whatever orjson, which writes it, would write otherwise."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.cli import json_lines
from inspector.cli.json_lines import json_line, json_line_bytes
from inspector.core import inspect_token
from tests.core.jwetokens import encrypt, key_for, key_text, signed_inner
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, b64, hs256

SECRET = STRONG_SECRET.decode()


def _dumps(value: Any) -> str:
    """The contract: the standard library's compact text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _same(text: str, **options: Any) -> None:
    inspection = inspect_token(text, now=CLEAN_NOW, check_weak_secrets=False, **options)
    expected = _dumps(inspection.to_dict())
    assert json_line(inspection) == expected
    assert json_line(inspection) == expected  # again: from the texts kept (descriptions...)


def _sd_jwt() -> str:
    disclosure = b64(json.dumps(["2GLC42sKQveCfGfryNRN9w", "given_name", "Jöhn"]).encode())
    digest = b64(hashlib.sha256(disclosure.encode()).digest())
    claims = {**CLEAN_CLAIMS, "_sd": [digest], "_sd_alg": "sha-256"}
    return hs256({"alg": "HS256", "typ": "dc+sd-jwt"}, claims) + f"~{disclosure}~bad~"


INPUTS = [
    hs256(CLEAN_HEADER, CLEAN_CLAIMS),
    hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "nonce": "n", "email": "a@b.c", "name": "Ünï ✓"}),
    hs256({"alg": "HS256", "kid": 'k\u2028"\\'}, {"exp": 1.5, "iat": True, "nbf": "soon"}),
    hs256({"alg": "none"}, {"exp": 10**30, "iat": -5, "auth_time": 1e300, "x": [1, {"y": None}]}),
    hs256({"alg": "HS256", "typ": "dpop+jwt", "jwk": {"kty": "oct"}}, {"htm": "GET"}),
    hs256(CLEAN_HEADER, {"sub": "\ud800 lone surrogate", "\x00": "\x1f\x7f"}),
    hs256(CLEAN_HEADER, "not an object"),
    hs256(CLEAN_HEADER, CLEAN_CLAIMS)[:-3] + "!!!",  # a signature that is no base64url
    "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",  # a payload that is no JSON
    "garbage",
    "",
    "v4.public.eyJzdWIiOiJhIn0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    '{"kty": "oct", "k": "c2VjcmV0"}',
    "Authorization: Bearer " + hs256(CLEAN_HEADER, CLEAN_CLAIMS),
    hs256(CLEAN_HEADER, {"token": hs256(CLEAN_HEADER, CLEAN_CLAIMS)}),
    _sd_jwt(),
]


def test_every_kind_of_input_unkeyed() -> None:
    for text in INPUTS:
        _same(text)


def test_every_kind_of_input_keyed_and_against_expectations() -> None:
    for text in INPUTS:
        _same(text, key=SECRET, audience="api://other", issuer="https://other/")
        _same(text, key="not a key at all")
        _same(text, key=SECRET.encode().hex(), secret_encoding="utf-8")  # an encoding hint


def test_jwe_decrypted_with_its_nested_token_and_not_decrypted() -> None:
    key = key_for("A256KW", "A256GCM")
    token = encrypt(signed_inner().encode(), "A256KW", "A256GCM", key, header={"cty": "JWT"})
    _same(token)
    _same(token, key=SECRET, decryption_key=key_text(key))
    _same(token, decryption_key=key_text(key_for("A256KW", "A256GCM", n=1)))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
_time_values = st.one_of(
    st.integers(-(10**12), 10**14), st.floats(allow_nan=False), st.text(max_size=5), st.none()
)


@settings(max_examples=150, deadline=None)
@given(
    header=st.dictionaries(st.text(max_size=6), _json_values, max_size=4),
    claims=st.dictionaries(st.text(max_size=8), _json_values, max_size=6),
    times=st.dictionaries(st.sampled_from(["exp", "iat", "nbf", "auth_time"]), _time_values),
)
def test_generated_headers_and_payloads(header, claims, times) -> None:
    payload = {**claims, **times}
    try:
        text = hs256({"alg": "HS256", **header}, payload)
    except (UnicodeEncodeError, ValueError):  # a lone surrogate: no UTF-8 bytes to sign
        return
    inspection = inspect_token(text, now=CLEAN_NOW, check_weak_secrets=False)
    assert json_line(inspection) == _dumps(inspection.to_dict())
    if not any(isinstance(v, float) and not math.isfinite(v) for v in times.values()):
        json.loads(json_line(inspection))  # (and it is JSON, as json.dumps writes it)


def test_the_bytes_are_the_line_encoded() -> None:
    """``json_line_bytes`` (descriptions encoded once each) is the line and its newline,
    encoded as the stream would have: a lone surrogate under backslashreplace too."""
    for text in INPUTS:
        inspection = inspect_token(text, now=CLEAN_NOW, check_weak_secrets=False)
        line = json_line(inspection)
        for errors in ("backslashreplace", "surrogatepass"):
            expected = (line + "\n").encode("utf-8", errors)
            assert json_line_bytes(inspection, "utf-8", errors) == expected
            assert json_line_bytes(inspection, "utf-8", errors) == expected  # (kept bytes)


def test_a_value_of_another_type_than_its_field_takes_the_exact_way() -> None:
    """The codec never puts a number where a finding's detail is text, but were it to, the
    line would still be what json.dumps writes (not an exception, not another text)."""
    from dataclasses import replace

    from inspector.core.findings import finding

    inspection = inspect_token(hs256(CLEAN_HEADER, CLEAN_CLAIMS), now=CLEAN_NOW)
    odd = replace(finding("token-size", "x"), detail=12.5)  # type: ignore[arg-type]
    odd_inspection = replace(inspection, analysis=replace(inspection.analysis, findings=(odd,)))
    expected = _dumps(odd_inspection.to_dict())
    assert '"detail":12.5' in expected
    assert json_line(odd_inspection) == expected
    assert json_line_bytes(odd_inspection, "utf-8", "strict") == (expected + "\n").encode()


def _kept_size() -> int:
    return sum(len(data) for _, _, data in json_lines._DESCRIBED.values())


def test_the_descriptions_kept_stay_within_their_budget(monkeypatch) -> None:
    """Sets of descriptions are kept by size: a log of distinct namespaced claims (each with
    a description of its own) never holds more than the budget, a set too large is not kept,
    and every line is still exactly json.dumps's text."""
    monkeypatch.setattr(json_lines, "_DESCRIBED", {})
    monkeypatch.setattr(json_lines, "_described_size", 0)
    monkeypatch.setattr(json_lines, "_DESCRIBED_MAX_SIZE", 64 * 1024)
    largest = 0
    for i in range(60):  # each set: ~5k characters, below _DESCRIBED_MAX_TEXT, kept
        claims = {f"https://claims.example/{i}/{j}": j for j in range(20)}
        inspection = inspect_token(hs256(CLEAN_HEADER, claims), now=CLEAN_NOW)
        expected = (_dumps(inspection.to_dict()) + "\n").encode()
        assert json_line_bytes(inspection) == expected
        assert json_line_bytes(inspection) == expected  # (kept bytes)
        assert json_lines._described_size == _kept_size() <= json_lines._DESCRIBED_MAX_SIZE
        largest = max(largest, len(json_lines._DESCRIBED))
    assert 1 < largest < 60  # kept, and cleared when full
    entries = dict(json_lines._DESCRIBED)
    claims = {f"https://claims.example/big/{j}": j for j in range(200)}
    inspection = inspect_token(hs256(CLEAN_HEADER, claims), now=CLEAN_NOW)
    described = _dumps([d.to_dict() for d in inspection.analysis.descriptions])
    assert len(described.encode()) > json_lines._DESCRIBED_MAX_TEXT
    expected = (_dumps(inspection.to_dict()) + "\n").encode()
    assert json_line_bytes(inspection) == expected
    assert json_line(inspection) == expected.decode()[:-1]
    assert json_lines._DESCRIBED == entries  # not kept


def test_the_same_claims_on_every_token_are_described_once(monkeypatch) -> None:
    """The common case stays cached: tokens carrying the same registered claims share one
    set of descriptions, encoded once."""
    monkeypatch.setattr(json_lines, "_DESCRIBED", {})
    monkeypatch.setattr(json_lines, "_described_size", 0)
    claims = {**CLEAN_CLAIMS, "nonce": "n", "email": "a@b.c", "name": "n", "azp": "a"}
    texts = set()
    for i in range(50):
        inspection = inspect_token(hs256(CLEAN_HEADER, {**claims, "sub": f"user-{i}"}))
        json_line_bytes(inspection)
        texts.add(id(json_lines._described(inspection.analysis.descriptions)))
    assert len(json_lines._DESCRIBED) == 1
    assert len(texts) == 1  # the same text object each time: kept, not written again


#: Payload texts (raw JSON) with what orjson would write otherwise than the standard library:
#: floats in its own shortest form (0.00001 for 1e-05), NaN and infinities (null), integers
#: beyond 64 bits (it refuses them); and nulls, near-misses in strings.
ODD_PAYLOADS = [
    b'{"a":1e-05,"b":[2.5e-07],"c":{"d":1e16}}',
    b'{"exp":1e-05,"iat":1.0,"nbf":-0.0}',
    b'{"exp":NaN,"iat":Infinity,"nbf":-Infinity,"x":[NaN]}',
    b'{"x":{"y":[1,{"z":-Infinity}]}}',
    b'{"big":18446744073709551616,"neg":-9223372036854775809,"exp":18446744073709551616}',
    b'{"ok":18446744073709551615,"low":-9223372036854775808}',
    b'{"n":null,"s":"1e-05 null NaN:1.5,[2.5]","e":""}',
    b'[1.5,"x"]',
    b"1e-05",
    b'"text"',
    b"null",
    b'{"a": 2, "a": 1e-05}',  # whitespace and a duplicate: the strict way's value
]


def test_values_orjson_writes_otherwise_take_the_exact_way() -> None:
    """Floats, NaN, infinities and integers beyond 64 bits, anywhere in the header, the
    payload or a time claim, are written as the standard library writes them: never null,
    never another float text, never an exception."""
    for payload in ODD_PAYLOADS:
        for header in (CLEAN_HEADER, b'{"alg":"HS256","x":1e-07,"y":NaN}'):
            inspection = inspect_token(hs256(header, payload), now=CLEAN_NOW)
            expected = _dumps(inspection.to_dict())
            assert json_line(inspection) == expected
            assert json_line_bytes(inspection) == (expected + "\n").encode()
            for needle in ("NaN", "Infinity", "1e-05", "18446744073709551616"):
                if needle.encode() in payload + (header if type(header) is bytes else b""):
                    assert needle in expected  # (what the test is about is in the line)


def test_the_usual_token_is_written_without_the_standard_library(monkeypatch) -> None:
    """The fast way is the one taken for a typical token (else the equality tests above
    would pass with the slow way alone): with the standard library's encoder and the
    whole-line fallback broken, its line is still exactly the contract's."""
    inspection = inspect_token(
        hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "nested": {"a": [1, "b", None, True]}}),
        now=CLEAN_NOW,
        check_weak_secrets=False,
    )
    expected = _dumps(inspection.to_dict())

    def broken(*_: object) -> str:
        raise AssertionError("the exact way was taken")

    monkeypatch.setattr(json_lines, "_encode", broken)
    monkeypatch.setattr(json_lines, "_slow", broken)
    assert json_line(inspection) == expected
    assert json_line_bytes(inspection) == (expected + "\n").encode()


def test_a_line_with_a_lone_surrogate_is_encoded_with_the_streams_handler() -> None:
    """A lone surrogate (a header written with a \\ud800 escape) cannot be UTF-8: orjson
    refuses it, and the line is json.dumps's text encoded with the error handler."""
    inspection = inspect_token(hs256(b'{"alg":"HS256","kid":"\\ud800"}', CLEAN_CLAIMS))
    expected = _dumps(inspection.to_dict())
    assert "\ud800" in expected
    assert json_line(inspection) == expected
    for errors in ("backslashreplace", "surrogatepass", "replace"):
        assert json_line_bytes(inspection, "utf-8", errors) == (expected + "\n").encode(
            "utf-8", errors
        )


def test_other_encodings_and_line_ends() -> None:
    inspection = inspect_token(
        hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "name": "Zoë ✓"}), now=CLEAN_NOW
    )
    expected = _dumps(inspection.to_dict())
    assert json_line_bytes(inspection, "UTF8", end="\r\n") == (expected + "\r\n").encode()
    for encoding in ("latin-1", "utf-16-le", "ascii"):
        assert json_line_bytes(inspection, encoding, "replace") == (expected + "\n").encode(
            encoding, "replace"
        )


def test_a_weak_secret_finding_is_written_and_never_kept() -> None:
    """The weak-secret finding names the secret: its line is exact, and neither it nor a
    list holding it stays in the kept texts after the line is written."""
    token = hs256(CLEAN_HEADER, CLEAN_CLAIMS, secret=b"secret")
    for _ in range(2):
        inspection = inspect_token(token, now=CLEAN_NOW)
        assert any(f.id == "weak-secret" for f in inspection.findings)
        assert json_line_bytes(inspection) == (_dumps(inspection.to_dict()) + "\n").encode()
    kept = [f for f, _ in json_lines._FINDINGS.values()]
    kept += [f for found, _ in json_lines._FINDING_LISTS.values() for f in found]
    assert kept  # (the other findings are kept)
    assert not any(f.id == "weak-secret" for f in kept)


def test_the_findings_kept_stay_within_their_budget(monkeypatch) -> None:
    """Findings and their lists are kept by size: a log whose every token has findings of
    its own (here: a distinct long 'kid' each, quoted in its detail) never holds more than
    the budget, and every line is still exactly json.dumps's text."""
    monkeypatch.setattr(json_lines, "_FINDINGS", {})
    monkeypatch.setattr(json_lines, "_FINDING_LISTS", {})
    monkeypatch.setattr(json_lines, "_findings_size", 0)
    monkeypatch.setattr(json_lines, "_FINDINGS_MAX_SIZE", 16 * 1024)
    for i in range(80):
        header = {"alg": "HS256", "kid": f"../../etc/{i}/" + "x" * 150, "jku": f"http://h/{i}"}
        inspection = inspect_token(hs256(header, CLEAN_CLAIMS), now=CLEAN_NOW)
        assert json_line_bytes(inspection) == (_dumps(inspection.to_dict()) + "\n").encode()
        kept = sum(len(text) for _, text in json_lines._FINDINGS.values())
        assert kept <= json_lines._findings_size <= json_lines._FINDINGS_MAX_SIZE
    assert json_lines._FINDING_LISTS  # (kept, and cleared when full)


def test_headers_are_written_once_by_their_text_and_stay_bounded(monkeypatch) -> None:
    """A header is kept by the JSON text it was decoded from: tokens with that text share the
    written header, a header that differs by one byte (or holds a float, or is too long to
    keep) is written on its own, every line is still json.dumps's text, and the cache never
    holds more than its limit."""
    monkeypatch.setattr(json_lines, "_HEADERS", {})
    monkeypatch.setattr(json_lines, "_HEADERS_LIMIT", 4)
    headers = [
        {"alg": "HS256", "typ": "JWT"},
        {"typ": "JWT", "alg": "HS256"},  # the same members in another order: another text
        {"alg": "HS256", "typ": "JWT", "x": 1.0},
        {"alg": "HS256", "typ": "JWT", "x": 1e-05},  # (orjson would write 1e-5)
        {"alg": "HS256", "kid": "k" * (json_lines._HEADERS_MAX_TEXT + 1)},
        *({"alg": "HS256", "kid": f"k{i}"} for i in range(8)),
    ]
    for round_ in range(2):
        for i, header in enumerate(headers):
            inspection = inspect_token(
                hs256(header, {**CLEAN_CLAIMS, "jti": f"{round_}-{i}"}), now=CLEAN_NOW
            )
            assert json_line(inspection) == _dumps(inspection.to_dict())
            assert len(json_lines._HEADERS) <= 4
            assert all(len(text) <= json_lines._HEADERS_MAX_TEXT for text in json_lines._HEADERS)
    first = inspect_token(hs256(headers[0], CLEAN_CLAIMS), now=CLEAN_NOW)
    json_line(first)
    kept = json_lines._HEADERS[first.parsed.header_bytes]
    other = inspect_token(hs256(headers[0], {**CLEAN_CLAIMS, "sub": "other"}), now=CLEAN_NOW)
    assert json_line(other) == _dumps(other.to_dict())
    assert json_lines._HEADERS[other.parsed.header_bytes] is kept
