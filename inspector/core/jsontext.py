"""Strict JSON for JOSE: decode UTF-8 and JSON, and report what strict parsers would refuse
(duplicate names, NaN/Infinity, invalid UTF-8, absurd nesting or numbers) without raising.

The usual text (compact JSON as JWT libraries write it) is parsed by orjson and proved
ordinary by writing the value back: when orjson's own compact text of the value is the text
itself, the text has no duplicate names, no NaN, no whitespace, no number Python would read
differently, so the strict parser below would give the same value and no issue. Any other
text (or a failed parse) goes to the standard library's decoder with the hooks that see what
orjson cannot report (``tests/core/test_jsontext.py`` compares the two ways).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

#: Deeper JSON than this is reported and not parsed (no real token comes close).
MAX_JSON_DEPTH = 200
#: Longer texts skip the bracket-depth pre-scan; the C parser's RecursionError guards them.
BIG_JSON = 64 * 1024
#: Integers with more digits than this are reported (Python refuses above 4300 anyway).
MAX_INT_DIGITS = 300


@dataclass(frozen=True, slots=True)
class JsonIssue:
    """One problem with a JSON text. ``id`` is a finding id; ``key`` names a member if known."""

    id: str
    detail: str
    key: str | None = None


class _Collector:
    """Hooks for the JSON decoder that remember what they saw. One per thread, reused: building
    a decoder costs as much as parsing a typical token. ``reset()`` before each parse."""

    __slots__ = ("constants", "decoder", "duplicates", "huge_floats")

    def __init__(self) -> None:
        self.duplicates: list[str] = []
        self.constants: list[str] = []
        self.huge_floats: list[str] = []
        duplicates = self.duplicates

        def pairs(
            pairs: list[tuple[str, Any]], dict: type[dict[str, Any]] = dict
        ) -> dict[str, Any]:
            d = dict(pairs)
            if len(d) != len(pairs):
                seen: set[str] = set()
                for k, _ in pairs:
                    if k in seen and k not in duplicates:
                        duplicates.append(k)
                    seen.add(k)
            return d

        self.decoder = json.JSONDecoder(
            object_pairs_hook=pairs, parse_constant=self.constant, parse_float=self.float_
        )

    def reset(self) -> None:
        if self.duplicates:
            self.duplicates.clear()
        if self.constants:
            self.constants.clear()
        if self.huge_floats:
            self.huge_floats.clear()

    def constant(self, name: str) -> float:
        self.constants.append(name)
        return float(name.replace("Infinity", "inf"))

    def float_(self, text: str) -> float:
        value = float(text)
        if math.isinf(value):
            self.huge_floats.append(text if len(text) < 40 else text[:37] + "...")
        return value


_local = threading.local()


def _collector() -> _Collector:
    try:
        c: _Collector = _local.collector
    except AttributeError:
        c = _local.collector = _Collector()
    c.reset()
    return c


def _too_deep(text: str) -> bool:
    """A cheap upper bound: nesting can only be deep if there are many brackets."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    depth = top = 0
    in_str = esc = False
    for c in text:
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "[{":
            depth += 1
            if depth > top:
                top = depth
                if top > MAX_JSON_DEPTH:
                    return True
        elif c in "]}":
            depth -= 1
    return False


_NO_ISSUES: tuple[JsonIssue, ...] = ()


def decode_utf8(data: bytes, name: str) -> tuple[str, Sequence[JsonIssue]]:
    """Text of ``data``; invalid bytes become U+FFFD with an ``invalid-utf8`` issue."""
    try:
        return data.decode("utf-8"), _NO_ISSUES
    except UnicodeDecodeError as err:
        return data.decode("utf-8", "replace"), [
            JsonIssue(
                "invalid-utf8",
                f"The {name} is not valid UTF-8 (first bad byte 0x{data[err.start]:02x} at byte "
                f"{err.start}); invalid bytes are shown as U+FFFD.",
            )
        ]


def _decode(decoder: json.JSONDecoder, text: str) -> Any:
    """``decoder.decode(text)``, minus its two whitespace regexes in the usual case: a text
    that starts with its value and ends with it (or with whitespace)."""
    try:
        value, end = decoder.scan_once(text, 0)  # type: ignore[attr-defined]
    except StopIteration:
        return decoder.decode(text)  # raises the JSONDecodeError that says where
    if end != len(text) and text[end:].strip():
        return decoder.decode(text)
    return value


def _json_reason(msg: str) -> str:
    """Python's JSON error text without its dangling 'at' ("Invalid control character at")."""
    return msg[:-3].lower() if msg.endswith(" at") else msg[:1].lower() + msg[1:]


def parse_json(text: str, name: str) -> tuple[Any, bool, list[JsonIssue]]:
    """Parse ``text``. Returns ``(value, ok, issues)``; ``ok`` is False when it is not JSON."""
    value = _canonical(text)
    if value is not _NOT_CANONICAL:
        return value, True, []
    return _parse_strict(text, name)


_NOT_CANONICAL: Any = object()
#: A text longer than BIG_JSON with fewer quotes than one per this many characters is mostly
#: long strings (a blob claim): the strict way reads it faster.
_CHARS_PER_QUOTE = 64
_orjson_loads = orjson.loads
_orjson_dumps = orjson.dumps
_OrjsonError = orjson.JSONDecodeError


def _canonical(text: str) -> Any:
    """The value of ``text`` when it is exactly orjson's compact text of that value, else
    :data:`_NOT_CANONICAL`. Such a text is one strict JSON reading would take unchanged: an
    object written back from a dict has each name once; NaN and infinities do not parse (and
    are written back as null); an integer beyond 64 bits comes back as a float, written back
    with a point or an exponent; a float is written back as the shortest text of the same
    double; whitespace, escapes other than orjson's own and ``-0`` are written back
    differently. Nesting deeper than :data:`MAX_JSON_DEPTH` is the strict way's to report
    (or, in a text longer than :data:`BIG_JSON`, to parse as it does); with that many
    brackets, a text up to that size goes the strict way, which measures its depth, and a
    longer one's value is measured here (a fat token's thousands of small objects)."""
    big = len(text) > BIG_JSON
    if big and (not text.isascii() or text.count('"') * _CHARS_PER_QUOTE < len(text)):
        # (orjson reads a long non-ASCII text several times slower than the standard
        # library, and long strings about twice as slow: it wins on many small members)
        return _NOT_CANONICAL
    many = text.count("[") + text.count("{") > MAX_JSON_DEPTH
    if many and not big:
        return _NOT_CANONICAL
    try:
        value = _orjson_loads(text)
    except _OrjsonError:
        return _NOT_CANONICAL
    try:
        if _orjson_dumps(value) != text.encode():
            return _NOT_CANONICAL
    except (TypeError, UnicodeEncodeError):  # (a lone surrogate in text: not written)
        return _NOT_CANONICAL
    if many and _deeper_than(value, MAX_JSON_DEPTH):
        return _NOT_CANONICAL
    return value


#: Valid JSON nesting more than MAX_JSON_DEPTH levels holds at least this many brackets (an
#: opening and a closing one per level): a shorter text need not count them.
_DEEP_JSON_CHARS = 2 * (MAX_JSON_DEPTH + 1)


def plain_object(data: bytes) -> dict[str, Any] | None:
    """The object ``data`` holds when ``data`` is exactly orjson's compact UTF-8 text of a
    JSON object (the usual payload), else ``None``. Such bytes are valid UTF-8 (orjson writes
    nothing else) and a text :func:`parse_json` reads as :func:`_canonical` does: that object,
    no issue. With more brackets than :data:`MAX_JSON_DEPTH`, ``None`` (the strict way
    measures the depth). Reading the bytes themselves spares the parse's fast path the UTF-8
    decoding and the encoding back that the text's way costs (issue 17)."""
    if len(data) >= _DEEP_JSON_CHARS and data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH:
        return None
    try:
        value = _orjson_loads(data)
        if type(value) is dict and _orjson_dumps(value) == data:
            return value
    except (_OrjsonError, TypeError):  # (TypeError: nothing orjson reads, kept to be safe)
        pass
    return None


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests objects and arrays more than ``limit`` levels deep (a walk
    level by level, each object and array once)."""
    level = [value]
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below = []
        for node in level:
            for item in node.values() if type(node) is dict else node:
                if type(item) is dict or type(item) is list:
                    below.append(item)
        level = below
    return False


def _parse_strict(text: str, name: str) -> tuple[Any, bool, list[JsonIssue]]:
    """:func:`parse_json` by the standard library's decoder, which reports every issue."""
    if (
        MAX_JSON_DEPTH < len(text) <= BIG_JSON
        and text.count("[") + text.count("{") > MAX_JSON_DEPTH
        and _too_deep(text)
    ):
        return (
            None,
            False,
            [
                JsonIssue(
                    "json-too-complex",
                    f"The {name} nests JSON more than {MAX_JSON_DEPTH} levels deep; "
                    "it was not parsed.",
                )
            ],
        )
    hooks = _collector()
    try:
        value = _decode(hooks.decoder, text)
    except RecursionError:
        return (
            None,
            False,
            [JsonIssue("json-too-complex", f"The {name} nests JSON too deeply to parse.")],
        )
    except json.JSONDecodeError as err:
        return (
            None,
            False,
            [
                JsonIssue(
                    "not-json",
                    f"The {name} is not JSON: {_json_reason(err.msg)} at line {err.lineno} "
                    f"column {err.colno}.",
                )
            ],
        )
    except ValueError as err:  # int() digit limit
        return (
            None,
            False,
            [
                JsonIssue(
                    "json-too-complex",
                    f"The {name} holds a number too long to parse ({err}).",
                )
            ],
        )
    issues: list[JsonIssue] = []
    if hooks.duplicates:
        issues.extend(
            JsonIssue(
                "duplicate-json-key",
                f"The {name} has the member name {k!r} more than once; parsers disagree about "
                "which value wins (this view shows the last one).",
                k,
            )
            for k in hooks.duplicates
        )
    if hooks.constants:
        names = ", ".join(sorted(set(hooks.constants)))
        issues.append(
            JsonIssue("non-standard-json", f"The {name} uses {names}, which JSON does not allow.")
        )
    if hooks.huge_floats:
        issues.append(
            JsonIssue(
                "json-too-complex",
                f"The {name} holds a number too large for a double ({hooks.huge_floats[0]}); "
                "parsers turn it into infinity or fail.",
            )
        )
    if len(text) > MAX_INT_DIGITS and _has_huge_int(value):
        issues.append(
            JsonIssue(
                "json-too-complex",
                f"The {name} holds an integer of more than {MAX_INT_DIGITS} digits.",
            )
        )
    return value, True, issues


def _has_huge_int(value: Any) -> bool:
    # Only top-level members and one level down: the deep scan belongs to the analysis walk,
    # and a huge int deeper than that is still shown faithfully.
    limit = 10**MAX_INT_DIGITS
    items: Iterable[Any]
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) >= limit
    for v in items:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= limit:
            return True
    return False
