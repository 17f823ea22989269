"""The parse's fast path for the usual token (``parsing._plain_jws``) against the general path.

The fast path may only ever give what the general path gives for the same text, or step
aside (``None``). Each test parses a text the general way first (which also memoises its
header, as a first sight of an issuer's header does) and then the way ``parse_token`` does,
and compares every field and finding. The texts: generated tokens of many shapes, every
compact token in the third-party vectors, and hostile near misses of the usual token
(whitespace, a Bearer prefix, quotes, two or four segments, padding, the standard alphabet,
non-canonical last characters, non-ASCII, empty and nested payloads, JSON a strict parser
refuses, a Flask session cookie's shape).
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core import inspect_token, notjwt, parsing
from inspector.core.model import ParsedToken
from inspector.core.parsing import _parse, _parse_general, _plain_jws
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, b64, hs256, segment

_COMPACT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=+/-]*")


def _same(text: str) -> bool:
    """Whether the fast path gives what the general one does for ``text``, and whether it
    took ``text`` at all (``False``: it stepped aside)."""
    general = _parse_general(text)
    again = _parse_general(text)  # (memoised header: what a second sight of it gives)
    assert _fields(again) == _fields(general)
    fast = _plain_jws(text)
    if fast is not None:
        assert _fields(fast) == _fields(general)
        assert fast.signing_input == general.signing_input
    assert _fields(_parse(text)) == _fields(general)
    return fast is not None


def _fields(parsed: ParsedToken) -> list[str]:
    """Every field of ``parsed`` as its repr (a NaN in a payload is not equal to itself)."""
    return [repr(getattr(parsed, f.name)) for f in dataclasses.fields(parsed)]


def test_the_usual_tokens_take_the_fast_path_and_give_the_same() -> None:
    for i in range(50):
        claims = {**CLEAN_CLAIMS, "sub": f"user-{i}", "n": i, "x": [i, {"y": None}]}
        assert _same(hs256(CLEAN_HEADER, claims))
    ident = hs256({"alg": "RS256", "kid": "k1"}, {"email": "a@example.com", "name": "Ä"})
    assert _same(ident)


def _near_misses() -> list[str]:
    good = hs256(CLEAN_HEADER, CLEAN_CLAIMS)
    h, p, s = good.split(".")
    unicode = hs256(CLEAN_HEADER, {"name": "Zoë", "emoji": "\U0001f600"})

    def mid(payload: bytes) -> str:
        return f"{h}.{segment(payload)}.{s}"

    out = [
        " " + good,
        good + "\n",
        "Bearer " + good,
        "Authorization: Bearer " + good,
        f'"{good}"',
        f"'{good}'",
        f"{h}.{p}",
        f"{h}.{p}.{s}.{s}",
        f"{h}.{p}.{s}.{s}.{s}",
        f"{h}.{p}.",
        f"{h}..{s}",
        f"{h}.{p}.{s}~",
        f"{h}.{p}.{s}~WyJhIiwiYiIsImMiXQ~",
        f"{h}=.{p}.{s}",
        f"{h}.{p}=.{s}",
        f"{h}.{p}.{s}=",
        f"{h}.{p}.{s[:-1]}",  # a length no base64 has, or changed padding bits
        f"{h}.{p}.{s}A",
        f"{h}.{p}.{s[:-1]}B",
        f"{h}.{p[:-1]}.{s}",
        f"{h}.{p[:-1]}Z.{s}",
        f"{h}.{p.replace('-', '+')}.{s}",
        f"{h}.{p}.{s.replace('_', '/')}",
        f"{h}.{p}\u00e9.{s}",
        f"{h}.{p}.{s}\u200b",
        f"\ufeff{good}",
        f"{h}.{p}%2E.{s}",
        f"{h}.{b64(b'abcd')}.{s}",  # the middle segment of a Flask session cookie
        mid(b""),
        mid(b"  "),
        f"{h}.{segment(good.encode())}.{s}",  # a nested token
        f"{h}.{segment(b' ' + good.encode())}.{s}",
        mid(b"[1, 2]"),
        mid(b"42"),
        mid(b"not json"),
        mid(b'{"a": 1, "a": 2}'),
        mid(b'{"a": NaN}'),
        mid(b'{"a": 1e999}'),
        mid(b'{"a": "\\xff"}'),
        mid(b'{"a": ' + b"9" * 400 + b"}"),
        mid(b'{"a": ' + b"[" * 250 + b"]" * 250 + b"}"),
        mid(b'{"a": 1} '),
        mid(b'{"a": 1} x'),
        f"{segment({'typ': 'JWT'})}.{p}.{s}",  # no alg
        f"{segment({'alg': 'none'})}.{p}.{s}",
        f"{segment({'alg': 'HS256', 'b64': False})}.{p}.{s}",
        f"{segment({'alg': 'HS256', 'cty': 'JWT'})}.{segment(good.encode())}.{s}",
        f"{segment({'alg': 'HS256', 'jwk': {'kty': 'oct', 'k': 'AA'}})}.{p}.{s}",
        segment(b'{"alg":"HS256","alg":"none"}') + f".{p}.{s}",
        f"{segment(b'[1]')}.{p}.{s}",
        f"{segment({'alg': 'HS256', 'crit': ['b64']})}.{p}.{s}",
        unicode,
        good + "." * 3,
        good + "x" * 5000,  # beyond the cookie limit
    ]
    return out


@pytest.mark.parametrize("text", _near_misses())
def test_a_near_miss_gives_the_same_either_way(text: str) -> None:
    _same(text)
    _same(text)  # (its header now memoised, if it had one)


def test_near_misses_that_must_go_the_general_way_do() -> None:
    good = hs256(CLEAN_HEADER, CLEAN_CLAIMS)
    h, p, s = good.split(".")
    _parse_general(good)  # the header memoised

    def mid(payload: bytes) -> str:
        return f"{h}.{segment(payload)}.{s}"

    for text in (
        f"{h}.{p}=.{s}",
        f"{h}.{p}.{s[:-1]}B",
        f"{h}.{b64(b'abcd')}.{s}",
        mid(b'{"a": 1, "a": 2}'),
        f"{h}.{segment(good.encode())}.{s}",
        mid(b"[1, 2]"),
    ):
        assert _plain_jws(text) is None, text
    # ...while the token itself takes it.
    assert _plain_jws(good) is not None


def test_a_registered_recogniser_or_format_sends_every_token_the_general_way() -> None:
    good = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": "recogniser"})
    _parse_general(good)
    assert _plain_jws(good) is not None

    class Everything:
        kind = "test-everything"
        label = "anything at all"
        jwt_like = True

        def recognise(self, text: str) -> notjwt.NotJwt | None:
            return notjwt.NotJwt(kind=self.kind, label=self.label, advice="", start=0, end=0)

    rec = Everything()
    notjwt.register(rec)
    try:
        assert _plain_jws(good) is None
        assert inspect_token(good, now=0).parsed.not_jwt is not None
    finally:
        notjwt.unregister(rec)
    assert _plain_jws(good) is not None

    class First:
        name = "jws"

        def accepts(self, token: str, segments: int) -> bool:
            return True

        def parse(self, reader: Any, parts: list[str], errors: dict[int, str]) -> Any:
            return reader.parse_jws(parts, errors)

    handler = First()
    parsing.register_format(handler)
    try:
        assert _plain_jws(good) is None
    finally:
        parsing.unregister_format(handler)
    assert _plain_jws(good) is not None


_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.dictionaries(st.sampled_from(["alg", "typ", "kid", "cty", "b64", "x"]), _json_values),
    claims=_json_values,
    sig=st.binary(max_size=70),
    edit=st.sampled_from(["", " ", "=", "+", "/", "é", "\n", ".", "~", "A", "-"]),
    where=st.integers(min_value=0, max_value=400),
)
def test_generated_tokens_give_the_same_either_way(
    header: dict[str, Any], claims: Any, sig: bytes, edit: str, where: int
) -> None:
    text = f"{segment(header)}.{segment(json.dumps(claims).encode())}.{b64(sig)}"
    _same(text)
    if edit:
        where %= len(text) + 1
        _same(text[:where] + edit + text[where:])
        _same(text[:where] + text[where + 1 :])


def test_every_compact_token_in_the_vectors_gives_the_same_either_way(vectors: Any) -> None:
    found: set[str] = set()
    for path in sorted(vectors.rglob("*")):
        if not path.is_file() or path.stat().st_size > 4_000_000:
            continue
        text = path.read_text("utf-8", "replace")
        found.update(_COMPACT.findall(text))
    assert len(found) > 20  # (the vectors hold JOSE tokens; a wrong path would find none)
    fast = sum(_same(t) for t in sorted(found))
    assert fast > 0  # some vectors are plain tokens that take the fast path


def test_the_same_text_again_is_not_parsed_again_and_only_the_same_text() -> None:
    """What the window relies on (it inspects the same token again on every key stroke):
    the usual token is remembered by ``_plain_jws``, any other text by the lru cache; and
    neither gives one text's parse for another, even one with the same signature."""
    good = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": "remembered"})
    _parse_general(good)  # (the header memoised)
    h, _, s = good.split(".")
    first = parsing.parse_token(good)
    assert first.format == "jws"
    assert parsing._RECENT[s] is first
    assert parsing.parse_token("".join(list(good))) is first  # (another str, same text)
    other_payload = f"{h}.{segment({**CLEAN_CLAIMS, 'sub': 'someone else'})}.{s}"
    other = parsing.parse_token(other_payload)
    assert other is not first
    assert other.claims is not None
    assert other.claims["sub"] == "someone else"
    assert _fields(other) == _fields(_parse_general(other_payload))
    unusual = " " + good
    assert parsing.parse_token(unusual) is parsing.parse_token("".join(list(unusual)))
    assert unusual not in [known.text for known in parsing._RECENT.values()]


def test_a_str_subclass_that_says_it_equals_anything_gets_its_own_parse() -> None:
    class Liar(str):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = str.__hash__

    good = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": "first"})
    _parse_general(good)  # (the header memoised)
    parsing.parse_token(good)
    parsing.parse_token(" " + good)
    h, _, s = good.split(".")
    assert parsing._RECENT[s].text == good
    for text in (f"{h}.{segment({'sub': 'liar'})}.{s}", " " + good[:-2] + "xy"):
        liar = parsing.parse_token(Liar(text))
        assert _fields(liar) == _fields(_parse_general(text))


def test_the_memo_of_usual_tokens_stays_bounded() -> None:
    for i in range(3 * parsing._RECENT_SIZE):
        parsing.parse_token(hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": f"many-{i}"}))
        assert len(parsing._RECENT) <= parsing._RECENT_SIZE
