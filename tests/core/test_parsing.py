"""Decoding: each structural finding fires on a crafted input and not on a clean token."""

from __future__ import annotations

import json
import re

import pytest

from inspector.core import inspect_token, parse_token
from inspector.core.findings import CATALOGUE
from tests.core.tokens import (
    CLEAN_CLAIMS,
    CLEAN_HEADER,
    CLEAN_NOW,
    b64,
    clean_token,
    hs256,
    segment,
)

SIG = b64(b"\x01" * 32)


def ids(text: str) -> list[str]:
    return [f.id for f in parse_token(text).findings]


def finding_for(text: str, fid: str):
    return next(f for f in parse_token(text).findings if f.id == fid)


def test_clean_token_decodes_without_structural_findings():
    p = parse_token(clean_token())
    assert p.format == "jws"
    assert p.unverified_header == CLEAN_HEADER
    assert p.unverified_payload == CLEAN_CLAIMS
    assert len(p.signature or b"") == 32
    # token-size is informational and always present for a token; nothing else fires.
    assert ids(clean_token()) == ["token-size"]


def test_segments_are_offsets_into_the_original_text():
    tok = clean_token()
    text = f"  Authorization: Bearer {tok}\n"
    p = parse_token(text)
    h, pl, s = tok.split(".")
    spans = {seg.name: text[seg.start : seg.end] for seg in p.segments}
    assert spans == {"header": h, "payload": pl, "signature": s}


def test_segments_map_through_line_breaks_and_percent_escapes():
    tok = clean_token()
    h, pl, s = tok.split(".")
    text = f"{h}%2E{pl[:20]}\n{pl[20:]}.{s}"
    p = parse_token(text)
    assert p.token == tok
    header, payload, sig = p.segments
    assert text[header.start : header.end] == h
    assert text[payload.start : payload.end] == f"{pl[:20]}\n{pl[20:]}"
    assert text[sig.start : sig.end] == s


CLEANING = [
    ("surrounding whitespace", lambda t: f"\n\t {t}  \n", "surrounding whitespace"),
    ("bearer", lambda t: f"Bearer {t}", "'Bearer ' prefix"),
    ("authorization header", lambda t: f"Authorization: Bearer {t}", "'Authorization: Bearer'"),
    ("quotes", lambda t: f'"{t}"', "surrounding quotes"),
    ("single quotes", lambda t: f"'{t}'", "surrounding quotes"),
    ("line breaks", lambda t: f"{t[:30]}\n{t[30:70]}\r\n{t[70:]}", "2 line breaks"),
    (
        "oauth response",
        lambda t: json.dumps({"token_type": "Bearer", "access_token": t, "id_token": t}),
        "'access_token' member",
    ),
    ("cookie header", lambda t: f"Cookie: theme=dark; session={t}; lang=en", "'Cookie:' header"),
    ("set-cookie", lambda t: f"Set-Cookie: jwt={t}; Path=/; HttpOnly", "'Set-Cookie:' header"),
    ("name=value", lambda t: f"token={t}", "value of 'token'"),
    ("url fragment", lambda t: f"https://app.example/cb#access_token={t}&x=1", "URL"),
    ("url query", lambda t: f"https://app.example/cb?id_token={t}", "'id_token' parameter"),
    ("percent-encoding", lambda t: t.replace(".", "%2E"), "percent-encoding"),
]


@pytest.mark.parametrize(
    ("wrap", "said"), [(c[1], c[2]) for c in CLEANING], ids=[c[0] for c in CLEANING]
)
def test_input_cleaned_finds_the_token_and_says_what_was_removed(wrap, said):
    tok = clean_token()
    p = parse_token(wrap(tok))
    assert p.token == tok
    assert p.unverified_payload == CLEAN_CLAIMS
    cleaned = [f for f in p.findings if f.id == "input-cleaned"]
    assert len(cleaned) == 1
    assert cleaned[0].severity == "info"
    assert said in cleaned[0].detail


def test_oauth_response_names_the_other_tokens():
    tok = clean_token()
    other = hs256(CLEAN_HEADER, {"sub": "x"})
    doc = json.dumps({"access_token": tok, "id_token": other, "refresh_token": "opaque"})
    p = parse_token(doc)
    assert p.token == tok
    detail = finding_for(doc, "input-cleaned").detail
    assert "'id_token'" in detail


@pytest.mark.parametrize("text", ["", "   ", "hello world", "www.example.com is a host", "{}"])
def test_not_a_token(text):
    p = parse_token(text)
    assert p.token is None
    assert p.format == "unknown"
    assert [f.id for f in p.findings] == ["not-a-token"]
    assert p.findings[0].severity == "error"


@pytest.mark.parametrize(("text", "count"), [("abc.def", 2), ("a.b.c.d", 4), ("a.b.c.d.e.f", 6)])
def test_malformed_segments(text, count):
    f = finding_for(text, "malformed-segments")
    assert f"{count} segments" in f.detail
    assert parse_token(text).format == "unknown"


def test_padded_base64_is_reported_and_still_decoded():
    h, p, s = clean_token().split(".")
    padded = f"{h}==.{p}.{s}" if len(h) % 4 == 2 else f"{h}=.{p}.{s}"
    parsed = parse_token(padded)
    assert "padded-base64" in [f.id for f in parsed.findings]
    assert parsed.unverified_header == CLEAN_HEADER


def test_non_url_base64_is_reported_and_still_decoded():
    payload = {"data": "\xff\xfe>>>???"}  # encodes with '-' and '_' in base64url
    tok = hs256(CLEAN_HEADER, payload)
    h, p, s = tok.split(".")
    assert "-" in p or "_" in p
    std = f"{h}.{p.replace('-', '+').replace('_', '/')}.{s}"
    parsed = parse_token(std)
    f = next(f for f in parsed.findings if f.id == "non-url-base64")
    assert "payload" in f.detail
    assert parsed.unverified_payload == payload


def test_non_canonical_trailing_bits():
    h, p, s = clean_token().split(".")
    assert len(s) % 4 == 3  # 32 bytes -> 43 chars; the last char carries 2 spare bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    bumped = alphabet[alphabet.index(s[-1]) | 1]
    parsed = parse_token(f"{h}.{p}.{s[:-1]}{bumped}")
    assert "non-canonical-base64" in [f.id for f in parsed.findings]
    assert parsed.signature is not None


def test_bad_base64_names_segment_and_offset():
    h, p, s = clean_token().split(".")
    broken = f"{h}.{p[:10]}…{p[11:]}.{s}"
    parsed = parse_token(broken)
    f = next(f for f in parsed.findings if f.id == "bad-base64")
    assert "payload" in f.detail
    assert "offset 10" in f.detail
    seg = next(x for x in parsed.segments if x.name == "payload")
    assert seg.error is not None
    assert "offset 10" in seg.error
    # the rest is still decoded
    assert parsed.unverified_header == CLEAN_HEADER


def test_bad_base64_impossible_length():
    h, p, s = clean_token().split(".")
    parsed = parse_token(f"{h}.{p}.{s}AB")  # 45 chars: 45 % 4 == 1
    assert any(f.id == "bad-base64" and "signature" in f.detail for f in parsed.findings)


@pytest.mark.parametrize(
    ("raw", "why"),
    [(b"[1,2]", "not an object"), (b"not json", "not JSON"), (b'"alg"', "not an object")],
)
def test_header_not_json(raw, why):
    tok = f"{b64(raw)}.{segment(CLEAN_CLAIMS)}.{SIG}"
    f = finding_for(tok, "header-not-json")
    assert f.severity == "error"
    assert why in f.detail
    assert f.location == "/header"
    # the payload still decodes
    assert parse_token(tok).unverified_payload == CLEAN_CLAIMS


def test_payload_not_json_is_shown_as_text():
    tok = f"{segment(CLEAN_HEADER)}.{b64(b'Payload')}.{SIG}"
    parsed = parse_token(tok)
    assert parsed.unverified_payload == "Payload"
    f = finding_for(tok, "payload-not-json")
    assert "'Payload'" in f.detail


def test_payload_json_array_is_not_a_claims_set():
    tok = f"{segment(CLEAN_HEADER)}.{b64(b'[1]')}.{SIG}"
    assert "payload-not-json" in ids(tok)


def test_duplicate_json_key_points_at_the_member():
    raw = b'{"sub":"alice","admin":false,"admin":true}'
    tok = f"{segment(CLEAN_HEADER)}.{b64(raw)}.{SIG}"
    f = finding_for(tok, "duplicate-json-key")
    assert f.severity == "high"
    assert "'admin'" in f.detail
    assert f.location == "/payload/admin"


def test_duplicate_key_in_header():
    raw = b'{"alg":"HS256","alg":"none"}'
    tok = f"{b64(raw)}.{segment(CLEAN_CLAIMS)}.{SIG}"
    assert finding_for(tok, "duplicate-json-key").location == "/header/alg"


@pytest.mark.parametrize("const", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_json(const):
    raw = f'{{"sub":"a","score":{const}}}'.encode()
    tok = f"{segment(CLEAN_HEADER)}.{b64(raw)}.{SIG}"
    assert const.lstrip("-") in finding_for(tok, "non-standard-json").detail


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"n":' + b"9" * 5000 + b"}",
        b'{"n":' + b"1" * 400 + b"}",
        b'{"f":1e999999}',
    ],
    ids=["deep-nesting", "int-over-python-limit", "long-int", "float-overflow"],
)
def test_absurd_json_is_a_finding_not_a_crash(raw):
    tok = f"{segment(CLEAN_HEADER)}.{b64(raw)}.{SIG}"
    inspection = inspect_token(tok, now=CLEAN_NOW)
    assert "json-too-complex" in [f.id for f in inspection.findings]
    json.dumps(inspection.to_dict())


def test_invalid_utf8_shown_with_replacement_characters():
    raw = b'{"name":"caf\xe9"}'
    tok = f"{segment(CLEAN_HEADER)}.{b64(raw)}.{SIG}"
    parsed = parse_token(tok)
    assert parsed.unverified_payload == {"name": "caf\ufffd"}
    assert "0xe9" in finding_for(tok, "invalid-utf8").detail


def test_nested_token_with_cty_jwt():
    inner = clean_token()
    tok = f"{segment({'alg': 'HS256', 'cty': 'JWT'})}.{b64(inner.encode())}.{SIG}"
    parsed = parse_token(tok)
    assert parsed.unverified_payload == inner
    f = finding_for(tok, "nested-token")
    assert inner[:60] in f.detail
    assert parse_token(parsed.unverified_payload).unverified_payload == CLEAN_CLAIMS


def test_jwe_header_decoded_and_parts_described():
    header = {"alg": "RSA-OAEP", "enc": "A256GCM"}
    parts = [segment(header), b64(b"k" * 256), b64(b"i" * 12), b64(b"c" * 100), b64(b"t" * 16)]
    tok = ".".join(parts)
    parsed = parse_token(tok)
    assert parsed.format == "jwe"
    assert parsed.unverified_header == header
    assert [s.name for s in parsed.segments] == [
        "header",
        "encrypted_key",
        "iv",
        "ciphertext",
        "tag",
    ]
    detail = finding_for(tok, "jwe-token").detail
    assert "encrypted key 256 bytes" in detail
    assert "ciphertext 100 bytes" in detail


def test_unsecured_token_format():
    tok = f"{segment({'alg': 'none'})}.{segment(CLEAN_CLAIMS)}."
    assert parse_token(tok).format == "unsecured"
    assert parse_token(tok).signature == b""


def test_missing_alg():
    tok = f"{segment({'typ': 'JWT'})}.{segment(CLEAN_CLAIMS)}.{SIG}"
    assert finding_for(tok, "missing-alg").severity == "error"


def test_missing_signature_when_alg_is_not_none():
    tok = f"{segment(CLEAN_HEADER)}.{segment(CLEAN_CLAIMS)}."
    f = finding_for(tok, "missing-signature")
    assert "HS256" in f.detail
    assert parse_token(tok).format == "jws"


@pytest.mark.parametrize(
    ("pad", "expected"),
    [(2500, []), (4200, ["oversize-cookie"]), (9000, ["oversize-header", "oversize-cookie"])],
)
def test_size_limits(pad, expected):
    tok = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "blob": "x" * pad})
    got = [i for i in ids(tok) if i.startswith("oversize")]
    assert got == expected


def test_size_reports_bytes_per_part_and_session_id_comparison():
    tok = clean_token()
    h, p, s = tok.split(".")
    d = inspect_token(tok, now=CLEAN_NOW).to_dict()
    assert d["size"] == {
        "token": len(tok),
        "header": len(h),
        "payload": len(p),
        "signature": len(s),
    }
    assert "32-byte session id" in finding_for(tok, "token-size").detail


def test_rfc7515_a3_payload_with_crlf_decodes():
    # RFC 7515 A.1 claims contain CRLF + space between members; they must decode as JSON.
    tok = (
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    )
    p = parse_token(tok)
    assert p.unverified_header == {"typ": "JWT", "alg": "HS256"}
    assert p.unverified_payload == {
        "iss": "joe",
        "exp": 1300819380,
        "http://example.com/is_root": True,
    }


def test_lone_header_is_decoded_and_called_incomplete():
    p = parse_token(segment(CLEAN_HEADER))
    assert p.unverified_header == CLEAN_HEADER
    assert "1 segment" in finding_for(segment(CLEAN_HEADER), "malformed-segments").detail


def test_several_tokens_on_several_lines_are_not_glued_together():
    a, b = clean_token(), hs256(CLEAN_HEADER, {"sub": "other"})
    p = parse_token(f"{a}\ngarbage\n{b}\n")
    assert p.token == a
    assert p.format == "jws"


def test_five_segments_without_enc_are_not_a_jwe():
    tok = f"{clean_token()}.{b64(b'x')}.{b64(b'y')}"
    p = parse_token(tok)
    assert p.format == "unknown"
    assert "no 'enc'" in finding_for(tok, "malformed-segments").detail
    assert "jwe-token" not in ids(tok)


def test_jwe_detail_never_shows_python_none():
    tok = ".".join([segment({"enc": "A256GCM"}), "", b64(b"i" * 12), b64(b"c"), b64(b"t" * 16)])
    detail = finding_for(tok, "jwe-token").detail
    assert "None" not in detail
    assert "alg missing" in detail


def test_no_size_comparison_for_text_that_is_not_a_token():
    assert "token-size" not in ids("abc.def")


def test_empty_payload_mentions_detached_content():
    tok = f"{segment(CLEAN_HEADER)}..{SIG}"
    assert "detached content" in finding_for(tok, "payload-not-json").detail


@pytest.mark.parametrize(
    "wrap",
    [
        lambda t: f"{t}\n-- sent from phone\n",
        lambda t: f"my token\n{t}",
        lambda t: f"JWT\n{t}",
        lambda t: f"hello world\n\n{t}",
        lambda t: f"garbage\n{t}\ngarbage2\n",
    ],
    ids=["signature-line", "words-before", "word-before", "paragraph-before", "lines-around"],
)
def test_text_lines_around_a_token_are_never_glued_into_it(wrap):
    tok = clean_token()
    assert parse_token(wrap(tok)).token == tok


def test_json_error_text_has_no_dangling_at():
    raw = b'{"alg\x0e":1}'
    tok = f"{b64(raw)}.{segment(CLEAN_CLAIMS)}.{SIG}"
    detail = finding_for(tok, "header-not-json").detail
    assert "at at" not in detail
    # The reason's wording and column are the json module's; ours is the sentence around them.
    match = re.search(r"The header is not JSON: (?P<reason>\S.*?) at line 1 column \d+\.", detail)
    assert match, detail
    assert not match["reason"].endswith(" at"), detail


def test_five_segments_with_a_jwe_alg_but_no_enc_say_so():
    parts = [segment({"alg": "RSA-OAEP"}), b64(b"k"), b64(b"i"), b64(b"c"), b64(b"t")]
    tok = ".".join(parts)
    assert "lost its 'enc'" in finding_for(tok, "malformed-segments").detail
    assert "bad-base64" not in ids(tok)


# ---------------------------------------------------------------- long runs without a token


def test_a_token_candidate_only_starts_where_a_run_of_token_characters_starts() -> None:
    """Retrying at every position inside a long run made the search quadratic: 150 KB of
    base64 with no dots kept the inspector busy for minutes."""
    from inspector.core.cleaning import _CANDIDATE

    run = "A" * 50 + ".B.C"
    assert _CANDIDATE.search(run).start() == 0
    assert _CANDIDATE.search(run, 1) is None  # not again from inside the run
    assert _CANDIDATE.search("x " + run).start() == 2
    token_like = "eyJ" + "Z" * 50 + ".B.C"
    assert _CANDIDATE.search("100%" + token_like).start() == 4  # "%e" is not an escape
    assert _CANDIDATE.search("%41" + token_like).start() == 0  # "%41" is part of the run


@pytest.mark.parametrize(
    "text",
    ["A" * 150_000, "A." * 75_000, "%41" * 50_000, "eyJ" * 50_000, "-" * 150_000],
    ids=["base64-run", "dots", "percent", "eyJ-run", "dashes"],
)
def test_long_text_without_a_token_is_reported_as_such(text: str) -> None:
    inspection = inspect_token(text)
    assert inspection.parsed.token is None or inspection.parsed.format == "unknown"
    assert inspection.findings


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("%20", ""),
        ("Bearer%20", ""),
        ("foo%3D", ""),
        ("%2F", ""),
        ("https://example.com/callback/", ""),
        ("https://example.com/callback/", "?state=1"),
        ("https%3A%2F%2Fexample.com%2Fcb%3Faccess_token%3D", ""),
        ("100%", ""),
    ],
)
def test_a_token_after_a_path_or_a_percent_escape_is_found(before: str, after: str) -> None:
    """The characters before such a token join its run (a "/" and "%XX" are token
    characters); the token is found where it starts inside that run."""
    token = hs256(CLEAN_HEADER, {"sub": "inside"})
    parsed = parse_token(before + token + after)
    assert parsed.token == token
    cleaned = next(f.detail for f in parsed.findings if f.id == "input-cleaned")
    if before.startswith("https://"):
        assert "a URL around it (the token was in its path)" in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "GET /static/e30.min.js.map 200 Authorization: Bearer {T}",
        "curl https://h/download/ewk.2024.01.zip -H 'Authorization: Bearer {T}'",
        "/home/u/eyA.x.y then {T}",
        "file%20ewo.a.b.c then token={T}",
    ],
)
def test_a_file_name_in_a_path_does_not_hide_the_token_after_it(text: str) -> None:
    token = hs256(CLEAN_HEADER, {"sub": "later"})
    assert parse_token(text.format(T=token)).token == token


def test_a_file_name_in_a_path_is_not_a_token() -> None:
    assert parse_token("see https://cdn.example.com/lib/e30.v2.min.js").token is None


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "The input is empty."),
        ("  \n\t", "The input holds only whitespace."),
        ("hello there", "The input (11 characters) holds no dot-separated base64url segments."),
        (
            "line one\nline two\n",
            "The input (18 characters on 3 lines) holds no dot-separated base64url segments.",
        ),
        (
            "token: eyJ??",
            "The input (12 characters) has 'eyJ', the usual start of an encoded header, but no "
            "complete token: the dots between the segments, or whole segments, are missing.",
        ),
    ],
)
def test_no_token_found_says_what_the_input_is_without_repeating_itself(
    text: str, detail: str
) -> None:
    """Issue 12 item 8: the window shows the finding's detail above the catalogue's
    explanation, and both said "Nothing in the input looks like a JWT ...". The detail now
    describes this input (never quoting it: it may be a secret) and the explanation says
    what a token looks like, once."""
    (found,) = parse_token(text).findings
    assert found.id == "not-a-token"
    assert found.detail == detail
    explanation = CATALOGUE["not-a-token"].explanation
    assert "Nothing in the input looks like a JWT" in explanation
    assert "Nothing in the input looks like a JWT" not in found.detail
    assert "base64url segments separated by dots" not in found.detail
    assert "hello" not in found.detail


def test_a_header_seen_before_decodes_the_same_and_is_not_shared():
    """Headers are remembered by their segment text (most tokens of an issuer share one):
    the second parse gives an equal header of its own, and a header with findings or with
    an object inside is decoded afresh every time."""
    from inspector.core.parsing import _parse

    clean = f"{segment({'alg': 'HS256', 'typ': 'JWT'})}.{segment({'sub': 'a'})}.c2ln"
    first, second = _parse(clean), _parse(clean.replace("c2ln", "c2lo"))
    assert first.unverified_header == second.unverified_header == {"alg": "HS256", "typ": "JWT"}
    assert first.unverified_header is not second.unverified_header
    assert first.header_bytes == second.header_bytes
    first.unverified_header["alg"] = "none"  # (a caller that writes into it harms no other)
    assert _parse(clean + "x").unverified_header == {"alg": "HS256", "typ": "JWT"}
    dup = b64(b'{"alg":"HS256","alg":"none"}')
    for _ in range(2):
        again = _parse(f"{dup}.{segment({'sub': 'a'})}.c2ln")
        assert "duplicate-json-key" in [f.id for f in again.findings]
    nested = f"{segment({'alg': 'HS256', 'crit': ['b64'], 'b64': True})}.{segment({})}.c2ln"
    a, b = _parse(nested), _parse(nested + "x")
    assert a.unverified_header["crit"] is not b.unverified_header["crit"]
