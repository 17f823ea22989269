"""Qt-free text layout for the panes: pretty-printed JSON with the span of every member, time
claims annotated in place, and UTF-16 offset mapping for Qt's text positions.

Runs in the inspection worker, so the GUI thread only sets text and formats. This serialises
values the core already decoded; it never parses JSON or decodes base64.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

#: A string value longer than this is shown cut, with the count of hidden characters.
MAX_SCALAR_CHARS = 2_000
#: A pane stops rendering members after this many characters (Edit > Copy gives the full JSON).
MAX_VIEW_CHARS = 200_000

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def escape_html(text: str) -> str:
    """``html.escape(text)``, without importing :mod:`html` (and ``html.entities``, ~2 ms) at
    launch: the window's finding text and the forked child's tooltips both use it."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def utf16_mapper(text: str) -> Callable[[int], int]:
    """A function mapping a Python (code point) offset in ``text`` to a Qt (UTF-16) position."""
    astral = [m.start() for m in _ASTRAL.finditer(text)] if not text.isascii() else []
    if not astral:
        return lambda i: i
    return lambda i: i + bisect.bisect_left(astral, i)


def python_index(text: str, qt_position: int) -> int:
    """The inverse of :func:`utf16_mapper`: a Qt (UTF-16) position in ``text`` as a Python
    index (a position inside a surrogate pair maps to its character)."""
    if text.isascii():
        return qt_position
    for k, m in enumerate(_ASTRAL.finditer(text)):
        if m.start() + k >= qt_position:
            return qt_position - k
        if m.start() + k + 1 == qt_position:
            return m.start()
    return qt_position - len(_ASTRAL.findall(text))


class Span(NamedTuple):
    """A JSON member: ``key_start`` (its name, or its value for array items and the root) to
    ``end`` (end of the value, annotation excluded). Offsets are UTF-16 positions."""

    key_start: int
    value_start: int
    end: int


class RenderedJson(NamedTuple):
    """One pane's text and where things are in it (UTF-16 positions, as Qt counts)."""

    text: str
    #: JSON Pointer (e.g. ``/payload/exp``) -> span of that member.
    #: (The empty default is one dict shared by all; nothing mutates it.)
    spans: Mapping[str, Span] = {}
    #: (start, end) of each time annotation, drawn muted.
    annotations: tuple[tuple[int, int], ...] = ()
    #: (start, end) of the notes about cut values, drawn muted.
    notes: tuple[tuple[int, int], ...] = ()
    #: The full JSON, for Edit > Copy (not cut).
    full_json: str = ""
    truncated: bool = False


def _pointer_token(key: str | int) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _scalar(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        return json.dumps(repr(value), ensure_ascii=False)


class _Writer:
    def __init__(self, annotations: Mapping[str, str]) -> None:
        self.out: list[str] = []
        self.pos = 0
        self.spans: dict[str, tuple[int, int, int]] = {}
        self.annotation_at: Mapping[str, str] = annotations
        self.annotations: list[tuple[int, int]] = []
        self.notes: list[tuple[int, int]] = []
        self.truncated = False

    def write(self, s: str) -> None:
        self.out.append(s)
        self.pos += len(s)

    def note(self, s: str) -> None:
        start = self.pos
        self.write(s)
        self.notes.append((start, self.pos))

    def value(self, value: Any, pointer: str, indent: int) -> None:
        if isinstance(value, dict):
            self.container(list(value.items()), pointer, indent, "{", "}")
        elif isinstance(value, list):
            self.container(list(enumerate(value)), pointer, indent, "[", "]")
        else:
            text = _scalar(value)
            if len(text) > MAX_SCALAR_CHARS:
                self.write(text[: MAX_SCALAR_CHARS - 1] + "…")
                self.note(f" [{len(text) - MAX_SCALAR_CHARS + 1:,} more characters]")
            else:
                self.write(text)

    def container(
        self, items: list[tuple[Any, Any]], pointer: str, indent: int, open_: str, close: str
    ) -> None:
        if not items:
            self.write(open_ + close)
            return
        self.write(open_ + "\n")
        pad = "  " * (indent + 1)
        is_object = open_ == "{"
        for n, (key, item) in enumerate(items):
            if self.pos > MAX_VIEW_CHARS:
                self.truncated = True
                self.note(f"{pad}… {len(items) - n:,} more not shown (Edit > Copy gives all)\n")
                break
            self.write(pad)
            child = f"{pointer}/{_pointer_token(key)}"
            key_start = self.pos
            if is_object:
                self.write(_scalar(str(key)) + ": ")
            value_start = self.pos
            self.value(item, child, indent + 1)
            self.spans[child] = (key_start, value_start, self.pos)
            if n < len(items) - 1:
                self.write(",")
            self.write("\n")
            note = self.annotation_at.get(child)
            if note:
                # On its own line under the member: long annotations would otherwise wrap
                # in the middle of the JSON.
                self.write(pad)
                start = self.pos
                self.write("// " + note)
                self.annotations.append((start, self.pos))
                self.write("\n")
        self.write("  " * indent + close)


def render_json(
    value: Any, root: str, annotations: Mapping[str, str] | None = None
) -> RenderedJson:
    """Pretty-print ``value`` (the decoded header or payload) with spans keyed by JSON Pointer
    under ``/root``; ``annotations`` maps pointers to text shown after that member."""
    if value is None:
        return RenderedJson(text="")
    w = _Writer(annotations or {})
    if isinstance(value, str):
        # A payload that is not JSON (or a nested token): shown as the text it is.
        if len(value) > MAX_VIEW_CHARS:
            w.write(value[:MAX_VIEW_CHARS])
            w.note(f"\n… {len(value) - MAX_VIEW_CHARS:,} more characters (Edit > Copy gives all)")
            w.truncated = True
        else:
            w.write(value)
    else:
        w.value(value, f"/{root}", 0)
    text = "".join(w.out)
    w.spans[f"/{root}"] = (0, 0, len(text))
    to16 = utf16_mapper(text)
    spans = {
        p: Span(key_start=to16(a), value_start=to16(b), end=to16(c))
        for p, (a, b, c) in w.spans.items()
    }
    if isinstance(value, str):
        full = value
    else:
        try:
            full = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=True)
        except (TypeError, ValueError):
            full = text
    return RenderedJson(
        text=text,
        spans=spans,
        annotations=tuple((to16(a), to16(b)) for a, b in w.annotations),
        notes=tuple((to16(a), to16(b)) for a, b in w.notes),
        full_json=full,
        truncated=w.truncated,
    )


def parent_pointers(pointer: str) -> Iterable[str]:
    """``/payload/a/0`` -> ``/payload/a/0``, ``/payload/a``, ``/payload``."""
    p = pointer
    while p.count("/") >= 1 and p:
        yield p
        p = p.rsplit("/", 1)[0]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def join_rendered(first: RenderedJson, label: str, second: RenderedJson) -> RenderedJson:
    """``first``, then ``label`` (drawn muted, as a note) and ``second`` below it, in one
    pane: a nested token's header under the JWE's. ``second``'s spans must be keyed under
    another root than ``first``'s; its positions are moved down. Edit > Copy gives
    ``first``'s JSON (the token's own header)."""
    head = first.text + "\n\n"
    label_at = _utf16_len(head)
    label_end = label_at + _utf16_len(label)
    shift = label_end + 1  # the label's line break

    def moved(pairs: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
        return tuple((a + shift, b + shift) for a, b in pairs)

    spans = dict(first.spans)
    for pointer, span in second.spans.items():
        spans[pointer] = Span(span.key_start + shift, span.value_start + shift, span.end + shift)
    return RenderedJson(
        text=f"{head}{label}\n{second.text}",
        spans=spans,
        annotations=(*first.annotations, *moved(second.annotations)),
        notes=(*first.notes, (label_at, label_end), *moved(second.notes)),
        full_json=first.full_json,
        truncated=first.truncated or second.truncated,
    )
