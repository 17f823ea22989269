"""What the linear-time rewrites (issue 10) keep doing: each rewritten pattern or loop still
finds what it found before, and its documented limits are where the comments say."""

from __future__ import annotations

import pytest

from inspector.core import inspect_token, parse_token
from inspector.core.cleaning import extract_token
from inspector.core.lints import header_lints
from inspector.core.parsing import MAX_PARTS
from inspector.core.sensitive import value_findings
from tests.core.tokens import CLEAN_NOW, clean_token


def _kid_text(kid: str) -> str | None:
    found = [f for f in header_lints({"alg": "HS256", "kid": kid}, None) if f.id == "kid-injection"]
    return found[0].detail if found else None


@pytest.mark.parametrize(
    ("kid", "what"),
    [
        ("1 select * from keys", "SQL syntax"),
        ("SELECT k FROM keys", "SQL syntax"),
        ("select\nfrom", "SQL syntax"),  # the line break is shell syntax, but SELECT comes first
        ("selected from", None),
        ("select only", None),
        ("from x select y", None),
        ("../select from", "path traversal"),
        ("select from ../x", "SQL syntax"),
        ("k;select * from t", "shell metacharacters"),
        ("/etc/select from", "an absolute file path"),
        ("a" * 100 + "..\\select from", "path traversal"),
        ("select " * 10_000, None),
        ("select " * 10_000 + "from", "SQL syntax"),
    ],
)
def test_kid_select_from(kid, what):
    text = _kid_text(kid)
    if what is None:
        assert text is None
    else:
        assert text is not None
        assert what in text


@pytest.mark.parametrize(
    ("before", "note"),
    [
        ("access_token=", "a name=value pair (the token was the value of 'access_token')"),
        ("session.id-2=", "a name=value pair (the token was the value of 'session.id-2')"),
        ("x=\n", "a name=value pair (the token was the value of 'x')"),
        ("https://app.example/cb#access_token=", "its 'access_token' parameter"),
        ("see ?id_token=", "its 'id_token' parameter"),
        ("Cookie: sid=", "the cookie name 'sid'"),
        ("Authorization:\tBearer   ", "the 'Authorization: Bearer' prefix"),
        ("x bearer ", "the 'Bearer ' prefix"),
        ("a" * 100_000 + " ", "100001 characters of text before it"),
        ("a" * 100_000 + "=", "the value of '" + "a" * 100_000 + "'"),
    ],
)
def test_the_text_before_a_token_is_described(before, note):
    ex = extract_token(before + clean_token())
    assert ex.token == clean_token()
    assert any(note in r for r in ex.removed), ex.removed


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("postgres://admin:hunter2@db.internal:5432/app", True),
        ("see.https://u:p@host/x", True),
        ("a" * 63 + "://u:p@host", True),
        ("a" * 70 + "://u:p@host", False),  # a scheme is at most 64 characters here
        ("sk-proj-" + "A" * 20 + "T3BlbkFJ" + "B" * 20, True),
        ("sk-" + "A" * 256 + "T3BlbkFJ" + "B" * 20, True),
        ("sk-" + "A" * 257 + "T3BlbkFJ" + "B" * 20, False),  # OpenAI prefixes are far shorter
        ("key=sk-" + "A" * 20 + "T3BlbkFJ" + "B" * 20, True),
        ("eyJ-" * 1000, False),
        ("sk-" * 1000, False),
        ("eyJa." * 1000, False),
    ],
)
def test_credential_patterns_after_the_bounds(value, found):
    ids = {f.id for f in value_findings(value, "note", "/payload/note")}
    assert ("sensitive-value" in ids) is found


def test_a_nested_jwt_still_found_where_a_run_starts():
    inner = clean_token()
    for text, found in ((f"token {inner}", True), (f"x={inner}", True), (f"x-{inner}", False)):
        ids = {f.id for f in value_findings(text, "note", "/payload/note")}
        assert ("nested-token" in ids) is found, text


def test_a_token_of_many_dots_is_cut_into_at_most_max_parts():
    text = "." * 100_000
    parsed = parse_token(text)
    assert len(parsed.parts) == MAX_PARTS
    assert parsed.segments[-1].end == len(text)
    malformed = next(f for f in parsed.findings if f.id == "malformed-segments")
    assert "100001 segments (100000 dots)" in malformed.detail
    inspect_token(text, now=CLEAN_NOW).to_dict()  # and the whole inspection survives it
