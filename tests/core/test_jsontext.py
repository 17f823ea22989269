"""``parse_json``'s two ways: orjson for a text that is exactly orjson's compact writing of its
value, the standard library's strict decoder (with the hooks that report duplicates, NaN,
huge numbers) for every other text. The first way may only ever give what the second gives.

The texts: values of every JSON kind (huge integers, floats of every size, NaN and the
infinities, escapes, lone surrogates, non-ASCII, deep nesting) written by orjson, by the
standard library compact, spaced and ASCII-only, and with a member repeated.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core import jsontext
from inspector.core.jsontext import (
    MAX_JSON_DEPTH,
    _canonical,
    _parse_strict,
    parse_json,
    plain_object,
)


def _agree(text: str) -> bool:
    """parse_json(text) is the strict parse of ``text`` (value, ok and issues); whether the
    orjson way took it. ``plain_object`` of its UTF-8 bytes (the parse's fast path) takes
    exactly the texts the orjson way takes that are objects with at most MAX_JSON_DEPTH
    brackets, and reads them as the strict parse does."""
    fast = _canonical(text)
    assert repr(parse_json(text, "payload")) == repr(_parse_strict(text, "payload"))
    try:
        data = text.encode()
    except UnicodeEncodeError:  # (a lone surrogate: no UTF-8 bytes to give)
        pass
    else:
        plain = plain_object(data)
        brackets = text.count("[") + text.count("{")
        took = fast is not jsontext._NOT_CANONICAL and type(fast) is dict
        if len(text) <= jsontext.BIG_JSON:  # (beyond, the orjson way leaves more to the strict)
            counted = len(data) >= 2 * (MAX_JSON_DEPTH + 1)  # (shorter: not that deep)
            assert (plain is not None) == (took and (brackets <= MAX_JSON_DEPTH or not counted))
        if plain is not None:
            strict, ok, issues = _parse_strict(text, "payload")
            assert ok
            assert not issues
            assert repr(plain) == repr(strict)
            assert _types(plain) == _types(strict)
    if fast is not jsontext._NOT_CANONICAL:
        value, ok, issues = _parse_strict(text, "payload")
        assert ok
        assert not issues
        assert repr(fast) == repr(value)
        assert _types(fast) == _types(value)
        return True
    return False


def _types(value: Any) -> Any:
    """The value with every leaf replaced by its type (1 and 1.0 and True differ)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value)


def test_a_compact_payload_takes_the_orjson_way() -> None:
    claims = {"iss": "https://a.example/", "sub": "é", "n": 1, "f": 1.5, "x": [None, True]}
    for text in (
        json.dumps(claims, separators=(",", ":"), ensure_ascii=False),
        orjson.dumps(claims).decode(),
        '{"a":18446744073709551615}',
        '{"a":"\\n\\u0001\\"\\\\"}',
    ):
        assert _agree(text), text


def test_what_a_strict_parser_reports_goes_the_strict_way() -> None:
    for text, issue in (
        ('{"a":1,"a":2}', "duplicate-json-key"),
        ('{"a":{"b":1,"b":1}}', "duplicate-json-key"),
        ('{"a":NaN}', "non-standard-json"),
        ('{"a":-Infinity}', "non-standard-json"),
        ('{"a":1e400}', "json-too-complex"),
        ('{"a":' + "1" * 400 + "}", "json-too-complex"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "json-too-complex"),
    ):
        assert not _agree(text), text
        assert issue in [i.id for i in parse_json(text, "payload")[2]], text


def test_texts_written_otherwise_go_the_strict_way_and_read_the_same() -> None:
    # (not '1e16': orjson before 3.11.7 writes 1e16 where later ones write 1e+16, so which way
    # it goes depends on the version; both read it the same, as the float tests check)
    for text in (
        '{"a": 1}',
        '{"a":123456789012345678901234567890}',  # (orjson reads it as a float)
        '{"a":18446744073709551616}',
        '{"a":-0}',
        '{"a":1E5}',
        '{"a":"\\u00e9"}',
        '{"a":"\\/"}',
        '"\\ud800"',  # a lone surrogate, escaped
        '"\ud800"',  # and raw in the text
        "[1,2]\n",
        "not json",
        "",
    ):
        assert not _agree(text), text


_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_values = st.recursive(
    _leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _writings(value: Any) -> list[str]:
    texts = [
        json.dumps(value, separators=(",", ":"), ensure_ascii=False),
        json.dumps(value),
        json.dumps(value, separators=(",", ":")),
    ]
    try:
        texts.append(orjson.dumps(value).decode())
    except (TypeError, orjson.JSONEncodeError):
        pass  # (an integer beyond 64 bits, a lone surrogate)
    return texts


@settings(max_examples=400, deadline=None)
@given(_values)
def test_every_writing_of_any_value_reads_as_the_strict_parse_does(value: Any) -> None:
    for text in _writings(value):
        _agree(text)
        if text.startswith("{") and len(text) > 2:
            # the first member again at the end: a duplicate name
            first = text[1:].split(",", 1)[0] if "," in text else text[1:-1]
            doubled = text[:-1] + "," + first + "}"
            _agree(doubled)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_read_by_either_way_are_the_same_double(x: float) -> None:
    text = orjson.dumps({"x": x}).decode()
    value, ok, issues = parse_json(text, "payload")
    assert ok
    assert not issues
    assert value["x"] == x
    assert _agree(text)


def test_a_long_text_of_many_small_objects_takes_the_orjson_way() -> None:
    groups = [{"id": f"grp-{i:07d}", "name": f"Group {i}", "role": "member"} for i in range(3000)]
    text = orjson.dumps({"sub": "u", "groups": groups}).decode()
    assert len(text) > jsontext.BIG_JSON
    assert _agree(text)


def test_deep_nesting_goes_the_strict_way_at_any_length() -> None:
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    assert jsontext._deeper_than(orjson.loads(deep), MAX_JSON_DEPTH)
    assert not jsontext._deeper_than(orjson.loads(deep[1:-1]), MAX_JSON_DEPTH)
    members = jsontext.BIG_JSON // 8  # (many small members: long strings go strict anyway)
    padding = "".join(f',"p{i}":"x"' for i in range(members)) + "}"
    long_deep = '{"a":' + deep + padding
    long_shallow = '{"a":' + deep[2:-2] + padding  # (200 levels with the object)
    assert not _agree(long_deep)  # (the strict way parses it, as it always did)
    assert _agree(long_shallow)
    # up to BIG_JSON, that many brackets always go the strict way, which reports the depth
    assert not _agree(deep)
    assert "json-too-complex" in [i.id for i in parse_json(deep, "payload")[2]]


def test_plain_object_takes_only_valid_utf8_of_an_object() -> None:
    assert plain_object(b'{"a":"\xc3\xa9"}') == {"a": "\u00e9"}
    for data in (
        b'{"a":"\xff"}',  # invalid UTF-8
        b'{"a":"\xed\xa0\x80"}',  # an encoded surrogate
        b'{"a":"\xc3"}',  # a sequence cut short
        b'\xef\xbb\xbf{"a":1}',  # a byte order mark
        b"[1]",
        b"1",
        b'"a"',
        b"",
        b"{}\n",
        b'{"a":1}\x00',
    ):
        assert plain_object(data) is None, data


def test_plain_object_leaves_deep_nesting_to_the_strict_way() -> None:
    for levels in (MAX_JSON_DEPTH - 2, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 5):
        text = '{"a":' + "[" * levels + "]" * levels + "}"
        value, ok, issues = parse_json(text, "payload")
        plain = plain_object(text.encode())
        if levels + 1 > MAX_JSON_DEPTH:  # (the object is a level too)
            assert plain is None
            assert "json-too-complex" in [i.id for i in issues]
        else:
            assert plain == value
            assert ok
            assert not issues
    # Brackets inside strings are not nesting. Text too short to hold more levels than the
    # limit (each needs an opening and a closing bracket) is read without counting them;
    # longer text with that many goes the strict way, which reads it the same.
    for n in (MAX_JSON_DEPTH + 1, 2 * MAX_JSON_DEPTH + 2):
        text = '{"a":"' + "[" * n + '"}'
        assert parse_json(text, "payload") == ({"a": "[" * n}, True, [])
        short = len(text) < 2 * (MAX_JSON_DEPTH + 1)
        assert plain_object(text.encode()) == ({"a": "[" * n} if short else None)


def test_long_strings_go_the_strict_way() -> None:
    # (the standard library reads them faster; both ways read them the same)
    assert not _agree(orjson.dumps({"name": "é" * jsontext.BIG_JSON}).decode())
    assert not _agree(orjson.dumps({"blob": "e" * jsontext.BIG_JSON}).decode())
    many = [f"member {i}" for i in range(jsontext.BIG_JSON // 8)]
    assert _agree(orjson.dumps({"names": many}).decode())
