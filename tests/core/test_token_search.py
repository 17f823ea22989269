"""Every token in a pasted text, named by where it was found (inspector.core.token_search, for
the window's token chooser, issue 12 item 5)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.cleaning import extract_token
from inspector.core.token_search import MAX_FOUND, FoundToken, find_tokens
from tests.core import hostile
from tests.core.test_linear_time import MAX_RATIO, growth
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, hs256

ACCESS = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": "access"})
ID = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": "id"})
REFRESH = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": "refresh"})


def named(text: str) -> list[tuple[str, str]]:
    return [(f.where, text[f.start : f.end]) for f in find_tokens(text)]


def test_a_token_response_names_its_members() -> None:
    text = json.dumps(
        {"access_token": ACCESS, "token_type": "Bearer", "id_token": ID, "expires_in": 300},
        indent=2,
    )
    assert named(text) == [("access_token", ACCESS), ("id_token", ID)]


def test_nested_json_members_are_named_by_their_path() -> None:
    text = json.dumps({"data": {"tokens": [ACCESS, ID]}, "refresh_token": REFRESH})
    assert named(text) == [
        ("data.tokens[0]", ACCESS),
        ("data.tokens[1]", ID),
        ("refresh_token", REFRESH),
    ]


def test_the_same_token_twice_in_json_is_found_at_each_place() -> None:
    text = json.dumps({"access_token": ACCESS, "id_token": ACCESS})
    found = find_tokens(text)
    assert [f.where for f in found] == ["access_token", "id_token"]
    assert found[0].start < found[1].start


def test_a_log_names_each_token_by_its_line() -> None:
    text = f"12:00 INFO login ok {ACCESS}\n12:01 DEBUG nothing here\n12:02 Bearer {ID}\n"
    assert named(text) == [("line 1", ACCESS), ("line 3", ID)]


def test_names_before_an_equals_sign_win_over_lines() -> None:
    cookie = f"Cookie: session={ACCESS}; theme=dark; refresh={REFRESH}"
    assert named(cookie) == [("session", ACCESS), ("refresh", REFRESH)]
    url = f"https://app.example/cb#access_token={ACCESS}&id_token={ID}&state=x"
    assert named(url) == [("access_token", ACCESS), ("id_token", ID)]


def test_tokens_on_one_line_are_numbered_and_repeated_names_counted() -> None:
    assert named(f"{ACCESS} {ID}") == [("token 1", ACCESS), ("token 2", ID)]
    assert named(f"token={ACCESS}\ntoken={ID}") == [("token", ACCESS), ("token (2)", ID)]


def test_what_is_not_a_jwt_is_not_listed() -> None:
    for text in ("", "   ", "example.com.au and v1.2.3", "a.b.c", "{}", "[1, 2]", "eyJ.x"):
        assert find_tokens(text) == (), text


def test_a_jwe_counts_and_the_listing_is_capped() -> None:
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn"
    assert named(f"{jwe}\n{ACCESS}") == [("line 1", jwe), ("line 2", ACCESS)]
    many = "\n".join([ACCESS] * (MAX_FOUND + 10))
    assert len(find_tokens(many)) == MAX_FOUND


def test_the_token_an_inspection_picks_is_among_those_found() -> None:
    for text in (
        json.dumps({"id_token": ID, "access_token": ACCESS}),
        f"Authorization: Bearer {ACCESS}\nX-Other: {ID}",
        f"session={ID}; other={ACCESS}",
    ):
        picked = extract_token(text).token
        assert picked in [text[f.start : f.end] for f in find_tokens(text)]


def test_a_found_token_checks_its_span() -> None:
    with pytest.raises(ValueError, match="start < end"):
        FoundToken("x", 5, 5)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('eyJ.abc=\n "{}[]:,_-%2E'), max_size=200))
def test_any_text_gives_spans_of_jwt_shaped_text_and_never_raises(text: str) -> None:
    for f in find_tokens(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end].startswith(("eyJ", "ewo", "ew0", "eyA", "ewk", "e30"))


def _non_jwt_words(n: int) -> str:
    return hostile._rep("abc.def.ghi ", n)


def _names_before(n: int) -> str:
    return hostile._rep("a_b.c-d", n) + "=" + ACCESS


def _long_sd_jwt_tail(n: int) -> str:
    return ACCESS + hostile._rep("~ab", n)


SHAPES = (
    *hostile.SHAPES,
    ("an SD-JWT with a long tail of disclosures", _long_sd_jwt_tail),
    ("dotted words, none a JWT", _non_jwt_words),
    ("a long name before the token", _names_before),
)


@pytest.mark.parametrize(("name", "build"), SHAPES, ids=[n for n, _ in SHAPES])
def test_finding_tokens_takes_time_linear_in_the_text(name, build) -> None:
    ratio = growth(build, find_tokens)
    assert ratio < MAX_RATIO, f"{name}: 10x the input took {ratio:.0f}x the time"


def test_a_token_is_found_whatever_its_signature() -> None:
    # The search reads text only: no key, no verification (a forged token is listed too).
    forged = ACCESS[:-4] + "AAAA"
    assert named(f"a={forged}") == [("a", forged)]


def test_an_sd_jwt_keeps_its_disclosures() -> None:
    sd_jwt = f"{ACCESS}~WyJzYWx0IiwiZW1haWwiLCJhQGIuYyJd~"
    assert named(f"a={sd_jwt}\nb={ID}") == [("a", sd_jwt), ("b", ID)]
