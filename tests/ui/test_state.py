"""The window's Qt-free state model (inspector.ui.state): the example-key rule, the stale
flag, results and the subscribers told of each. No window, no Qt: the requests and results
are the plain named tuples the runner hands over."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from inspector.core.options import InspectOptions
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.jobs import InspectionRequest, InspectionResult, run_request
from inspector.ui.state import EXAMPLE_SIGNATURE, InspectorState


def result(text: str, key: str | None = None, generation: int = 0) -> InspectionResult:
    options = InspectOptions(key=key, now=time.time())
    return run_request(InspectionRequest(generation, text, options))


def recorder(state: InspectorState) -> list[tuple]:
    events: list[tuple] = []
    for event in ("result", "stale", "key_cleared"):
        state.subscribe(event, lambda *args, e=event: events.append((e, *args)))
    return events


def test_importing_the_state_loads_neither_qt_nor_the_codec() -> None:
    # In a subprocess: pytest-qt has imported PySide6 into this one already.
    code = (
        "import sys, inspector.ui.state\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6',"
        " 'cryptography')) or (m.startswith('inspector.core.')"
        " and m != 'inspector.core.options'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_example_is_the_default_with_its_secret() -> None:
    state = InspectorState()
    assert state.start(None, None) == (EXAMPLE_TOKEN, EXAMPLE_SECRET)
    assert state.example_key


def test_a_given_token_comes_without_the_example_key() -> None:
    state = InspectorState()
    assert state.start("abc", None) == ("abc", "")
    assert not state.example_key
    # Even the example token, with another key, keeps that key as the user's.
    assert state.start(EXAMPLE_TOKEN, "mine") == (EXAMPLE_TOKEN, "mine")
    assert not state.example_key


def test_replacing_the_example_token_clears_its_secret_once() -> None:
    state = InspectorState()
    state.start(None, None)
    events = recorder(state)
    state.token_edited(EXAMPLE_TOKEN[:-3] + "xyz")  # its signature is no longer the example's
    assert events == [("key_cleared",)]
    assert state.key_text == ""
    assert not state.example_key
    state.token_edited("something else")
    assert events == [("key_cleared",)]  # told once


def test_a_tampered_example_keeps_its_secret() -> None:
    state = InspectorState()
    state.start(None, None)
    events = recorder(state)
    header, payload, signature = EXAMPLE_TOKEN.split(".")
    assert signature == EXAMPLE_SIGNATURE
    state.token_edited(f"{header}.{payload}x.{signature}")
    assert events == []
    assert state.example_key
    assert state.key_text == EXAMPLE_SECRET


def test_a_key_the_user_typed_is_never_cleared() -> None:
    state = InspectorState()
    state.start(None, None)
    events = recorder(state)
    state.key_edited("my own secret")
    state.token_edited("another token")
    assert events == []
    assert state.key_text == "my own secret"
    assert not state.example_key


def test_a_key_set_by_a_tool_is_never_the_examples() -> None:
    state = InspectorState()
    state.start(None, None)
    events = recorder(state)
    state.key_set(EXAMPLE_SECRET)  # the same text, but put there on purpose
    state.token_edited("another token")
    assert events == []
    assert state.key_text == EXAMPLE_SECRET


def test_stale_is_told_on_changes_only() -> None:
    state = InspectorState()
    events = recorder(state)
    assert not state.can_go_stale()  # nothing shown yet
    state.set_stale(False)
    assert events == []
    first = result(EXAMPLE_TOKEN, EXAMPLE_SECRET)
    assert state.show_result(first) is False
    assert events == [("result", first, False)]
    assert state.can_go_stale()
    state.set_stale(True)
    state.set_stale(True)
    assert events[1:] == [("stale", True)]
    assert not state.can_go_stale()


def test_a_result_ends_staleness_and_says_whether_its_inputs_are_the_same() -> None:
    state = InspectorState()
    state.show_result(result(EXAMPLE_TOKEN, EXAMPLE_SECRET))
    state.set_stale(True)
    events = recorder(state)
    again = result(EXAMPLE_TOKEN, EXAMPLE_SECRET, generation=1)  # only the clock moved
    assert state.show_result(again) is True
    assert events == [("stale", False), ("result", again, True)]
    other = result(EXAMPLE_TOKEN, "another key", generation=2)
    assert state.show_result(other) is False
    assert state.result is other
    assert not state.stale


def test_an_unknown_event_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown state event"):
        InspectorState().subscribe("results", print)  # type: ignore[arg-type]


def test_a_chosen_token_is_forgotten_when_the_text_changes() -> None:
    state = InspectorState()
    state.start("a eyJ.b.c eyJ.d.e", "")
    state.choose(("token 2", 10, 17))
    assert state.chosen == ("token 2", 10, 17)
    state.token_edited("a eyJ.b.c eyJ.d.ef")  # the offsets were into the old text
    assert state.chosen is None


def test_each_selection_is_told_even_the_same_again() -> None:
    state = InspectorState()
    told: list[object] = []
    state.subscribe("selection", told.append)
    finding = object()
    state.select_finding(finding)
    state.select_finding(finding)  # a new result re-selects the same finding
    state.select_finding(None)
    assert told == [finding, finding, None]
    assert state.selected is None
