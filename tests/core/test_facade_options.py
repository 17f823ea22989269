"""``inspect_token`` builds its options without re-checking the defaults for the usual call
(every setting but ``now`` and ``check_weak_secrets`` at its default, issue 17): the value it
hands down must be the one ``InspectOptions`` builds, and every wrong value must still be
refused as ``InspectOptions`` refuses it."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from inspector.core import inspection
from inspector.core.frozen import builder
from inspector.core.model import ParsedToken
from inspector.core.options import InspectOptions
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, hs256

TOKEN = hs256(CLEAN_HEADER, CLEAN_CLAIMS)


def _options_used(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> InspectOptions:
    seen: list[InspectOptions] = []
    real = inspection._inspect

    def spy(text: str, options: InspectOptions, depth: int) -> Any:
        seen.append(options)
        return real(text, options, depth)

    monkeypatch.setattr(inspection, "_inspect", spy)
    inspection.inspect_token(TOKEN, **kwargs)
    assert len(seen) == 1
    return seen[0]


def _fields(options: InspectOptions) -> list[tuple[str, type, Any]]:
    return [
        (f.name, type(getattr(options, f.name)), getattr(options, f.name))
        for f in dataclasses.fields(options)
    ]


@pytest.mark.parametrize("now", [1_800_000_000, 1_800_000_000.5, 0, -5.0])
@pytest.mark.parametrize("weak", [True, False])
@pytest.mark.parametrize("key", [None, "secret", "", "-----BEGIN PUBLIC KEY-----\n"])
def test_the_usual_call_hands_down_what_inspect_options_builds(
    monkeypatch: pytest.MonkeyPatch, now: float, weak: bool, key: str | None
) -> None:
    used = _options_used(monkeypatch, key=key, now=now, check_weak_secrets=weak)
    expected = InspectOptions(key=key, now=now, leeway=0, check_weak_secrets=weak)
    assert _fields(used) == _fields(expected)
    assert used == expected
    assert hash(used) == hash(expected)


def test_without_now_the_clock_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspection.time, "time", lambda: 1_234.5)
    assert _options_used(monkeypatch).now == 1_234.5


@pytest.mark.parametrize(
    "kwargs",
    [
        {"key": "secret", "audience": "api"},
        {"key": "secret", "leeway": 1},
        {"audience": "api"},
        {"leeway": 5},
        {"leeway": 0.0},
        {"secret_encoding": "hex"},
        {"context_text": TOKEN},
        {"kb_nonce": "n"},
    ],
)
def test_any_other_setting_is_built_and_checked_by_inspect_options(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, Any]
) -> None:
    used = _options_used(monkeypatch, now=10, **kwargs)
    assert _fields(used) == _fields(InspectOptions(now=10, **{"leeway": 0, **kwargs}))


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"now": math.nan}, ValueError),
        ({"now": math.inf}, ValueError),
        ({"now": "soon"}, TypeError),
        ({"now": True}, TypeError),
        ({"check_weak_secrets": 1}, TypeError),
        ({"check_weak_secrets": None}, TypeError),
        ({"leeway": -1}, ValueError),
        ({"secret_encoding": "rot13"}, ValueError),
        ({"key": b"bytes"}, TypeError),
        ({"key": 5}, TypeError),
        ({"key": ["secret"]}, TypeError),
        ({"key": "secret", "now": math.nan}, ValueError),
        ({"key": "secret", "check_weak_secrets": "yes"}, TypeError),
    ],
)
def test_wrong_values_are_refused_as_before(kwargs: dict[str, Any], error: type) -> None:
    with pytest.raises(error):
        InspectOptions(**kwargs)
    with pytest.raises(error):
        inspection.inspect_token(TOKEN, **kwargs)


def test_a_builder_sets_every_field_and_checks_unless_told_not_to() -> None:
    assert builder(InspectOptions)() == InspectOptions()
    build = builder(InspectOptions, "now", "audience")
    assert _fields(build(3.0, "a")) == _fields(InspectOptions(now=3.0, audience="a"))
    with pytest.raises(ValueError, match="leeway"):
        builder(InspectOptions, "leeway")(-1)
    # (what the checks would refuse: an unchecked builder is only for values its caller
    # checked)
    assert builder(InspectOptions, "leeway", check=False)(-1).leeway == -1
    with pytest.raises(TypeError):
        builder(dict)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="no init fields"):
        builder(InspectOptions, "nonsense")
    with pytest.raises(TypeError, match="no default"):
        builder(ParsedToken, "text")  # (format has no default: it must be named)
