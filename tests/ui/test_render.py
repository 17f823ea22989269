"""The Qt-free layout of the panes: spans by JSON Pointer, annotations, UTF-16 positions."""

from __future__ import annotations

import json

import pytest

from inspector.presentation import time_annotation
from inspector.ui.render import (
    MAX_SCALAR_CHARS,
    parent_pointers,
    render_json,
    utf16_mapper,
)


def test_spans_point_at_each_member() -> None:
    value = {"sub": "1", "a/b": {"c~d": [10, 20]}, "exp": 1716239022}
    r = render_json(value, "payload")
    assert json.loads(r.text) == value
    span = r.spans["/payload/exp"]
    assert r.text[span.key_start : span.end] == '"exp": 1716239022'
    inner = r.spans["/payload/a~1b/c~0d/1"]
    assert r.text[inner.key_start : inner.end] == "20"
    assert r.spans["/payload"].end == len(r.text)


def test_time_annotations_go_on_their_own_line_under_the_claim() -> None:
    r = render_json({"iat": 1, "exp": 2}, "payload", {"/payload/exp": "in 3 days"})
    lines = r.text.splitlines()
    assert lines[2] == '  "exp": 2'
    assert lines[3] == "  // in 3 days"
    (a, b) = r.annotations[0]
    assert r.text[a:b] == "// in 3 days"
    assert json.loads(r.full_json) == {"iat": 1, "exp": 2}


def test_time_annotation_text() -> None:
    assert (
        time_annotation("2024-05-20T21:03:42+02:00", "expired 3 days ago")
        == "2024-05-20 21:03 local, expired 3 days ago"
    )
    assert time_annotation(None, "in 5 minutes") == "in 5 minutes"
    assert time_annotation("yesterday", None) == "yesterday local"


def test_long_values_are_cut_but_copied_in_full() -> None:
    value = {"blob": "x" * 50_000}
    r = render_json(value, "payload")
    assert len(r.text) < MAX_SCALAR_CHARS + 200
    assert "more characters]" in r.text
    assert json.loads(r.full_json) == value
    (a, b) = r.notes[0]
    assert r.text[a:b].startswith(" [")


def test_positions_are_utf16_like_qt() -> None:
    value = {"emoji": "😀😀", "after": 1}
    r = render_json(value, "payload")
    span = r.spans["/payload/after"]
    # Two astral characters before it: Qt counts each as two code units.
    py_index = r.text.index('"after"')
    assert span.key_start == py_index + 2
    assert utf16_mapper("a😀b")(2) == 3
    assert utf16_mapper("abc")(2) == 2


def test_text_payload_and_missing_header() -> None:
    assert render_json(None, "header").text == ""
    r = render_json("plain text, not JSON", "payload")
    assert r.text == "plain text, not JSON"
    assert r.full_json == "plain text, not JSON"


def test_parent_pointers() -> None:
    assert list(parent_pointers("/payload/a/0")) == ["/payload/a/0", "/payload/a", "/payload"]


def test_python_index_inverts_utf16_positions() -> None:
    from inspector.ui.render import python_index

    text = "a😀b😀c"
    to16 = utf16_mapper(text)
    for i in range(len(text) + 1):
        assert python_index(text, to16(i)) == i
    assert python_index("plain", 3) == 3


# ---------------------------------------------------------------- results cross processes


@pytest.mark.parametrize(
    "text",
    [
        "garbage",
        "eyJhbGciOiJIUzI1NiJ9",
        "",
        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
    ],
    ids=["garbage", "lone-header", "empty", "jwe"],
)
def test_results_with_empty_panes_travel_pickled(text: str) -> None:
    """What the child forked at launch (and the process for huge input) send back."""
    import pickle

    from inspector.core.options import InspectOptions
    from inspector.ui.jobs import InspectionRequest, InspectionResult, first_inspection_bytes
    from inspector.ui.render import RenderedJson

    request = InspectionRequest(generation=0, text=text, options=InspectOptions(now=0.0))
    result = pickle.loads(first_inspection_bytes(request))
    assert isinstance(result, InspectionResult)
    assert result.view is not None
    assert result.failure is None
    assert pickle.loads(pickle.dumps(RenderedJson(text=""))) == RenderedJson(text="")
