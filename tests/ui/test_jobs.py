"""The window's Qt-free job module over the shared options and runner (issue 18 items 1, 2)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.options import InspectOptions
from inspector.ui import jobs
from inspector.ui.jobs import PROCESS_CHARS, InspectionRequest, run_request_anywhere
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, hs256


def test_huge_input_is_inspected_and_laid_out_in_the_helper_process() -> None:
    token = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "blob": "x" * PROCESS_CHARS})
    assert len(token) > PROCESS_CHARS
    options = InspectOptions(key=STRONG_SECRET.decode(), now=CLEAN_NOW, audience="api://other")
    request = InspectionRequest(generation=7, text=token, options=options)
    try:
        result = run_request_anywhere(request)
        pool = jobs._process_pool
        assert pool is not None
        executor = pool._executor
        assert executor is not None
        workers = set(executor._processes)  # started by inspect_many for this request
        assert len(workers) == 1
        again = run_request_anywhere(request._replace(generation=8))
        assert set(executor._processes) == workers  # reused, not restarted
        assert again.request.generation == 8
    finally:
        jobs.shutdown_process_pool()
    assert result.request == request  # the text was not sent twice, and comes back whole
    assert result.view is not None
    assert result.inspection is not None
    assert result.inspection.token == token
    assert result.view.verification.status == "valid"
    assert "aud-mismatch" in {f.id for f in result.view.findings}  # the options travelled
    assert '"blob"' in result.payload.text
    assert result.seconds > 0


def test_requests_compare_by_text_and_options_not_the_clock() -> None:
    a = InspectionRequest(0, "t", InspectOptions(key="k", now=1.0))
    assert a.same_inputs(InspectionRequest(5, "t", InspectOptions(key="k", now=2.0)))
    assert not a.same_inputs(InspectionRequest(0, "u", InspectOptions(key="k", now=1.0)))
    changed = dataclasses.replace(a.options, leeway=1.0)
    assert not a.same_inputs(a._replace(options=changed))


FORK = r"""
import sys
from inspector.core.options import InspectOptions
from inspector.ui.jobs import InspectionRequest, fork_first_inspection
from tests.core.tokens import CLEAN_HEADER, CLEAN_CLAIMS, CLEAN_NOW, STRONG_SECRET, hs256
import base64

options = InspectOptions(
    key=base64.b64encode(STRONG_SECRET).decode(), secret_encoding="base64", now=CLEAN_NOW,
    leeway=5.0, audience="api://other", issuer="https://auth.example.com/",
    check_weak_secrets=False)
request = InspectionRequest(generation=0, text=hs256(CLEAN_HEADER, CLEAN_CLAIMS), options=options)
forked = fork_first_inspection(request)
assert forked is not None, "fork refused"
result = forked.result()
assert result is not None
assert result.request == request, (result.request, request)
assert result.view.verification.status == "valid"
ids = {f.id for f in result.view.findings}
assert "aud-mismatch" in ids and "iss-mismatch" not in ids, ids
print("ok")
"""


def test_options_travel_through_the_launch_fork_and_back() -> None:
    """The child forked at launch gets the options as built (every field), and its answer
    carries them back: a base64 secret, audience, issuer and leeway all applied."""
    out = subprocess.run(
        [sys.executable, "-c", FORK],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_every_secret_encoding_the_window_offers_is_a_valid_option() -> None:
    from inspector.core.options import SECRET_ENCODINGS
    from inspector.ui.panels import SECRET_ENCODINGS as OFFERED

    assert sorted(OFFERED.values()) == sorted(SECRET_ENCODINGS)
    for encoding in OFFERED.values():
        InspectOptions(secret_encoding=encoding)  # raises for an unknown one


# ---------------------------------------------------------------- one result shape
def test_the_view_carries_every_field_the_codec_declares_but_no_secret() -> None:
    """The view's records are derived from the codec's (one declaration): each public field
    of Segment, Finding and Verification is there, by the same name, as a plain value."""
    import dataclasses
    import pickle
    import time

    from inspector.core.options import InspectOptions
    from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
    from inspector.ui.jobs import InspectionRequest, run_request

    options = InspectOptions(key=EXAMPLE_SECRET, now=time.time())
    result = run_request(InspectionRequest(0, EXAMPLE_TOKEN, options))
    inspection, view = result.inspection, result.view
    v = inspection.verification
    shown = {f.name for f in dataclasses.fields(v) if f.repr}
    assert set(vars(view.verification)) == shown
    assert view.verification.outcome == v.outcome.value
    assert "hmac_secret" not in vars(view.verification)  # the secret stays in the codec
    assert v.hmac_secret  # (there is one to leave out)
    finding = inspection.findings[0]
    assert vars(view.findings[0]) == {
        f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)
    }
    assert vars(view.segments[0]) == inspection.parsed.segments[0]._asdict()
    assert pickle.loads(pickle.dumps(view)) == view


def test_a_new_codec_field_reaches_the_view_without_being_named_again() -> None:
    import dataclasses
    import enum

    from inspector.ui.jobs import plain

    class Colour(enum.Enum):
        RED = "red"

    @dataclasses.dataclass(frozen=True)
    class Grown:
        id: str
        added_later: int
        colour: Colour = Colour.RED
        secret: bytes = dataclasses.field(default=b"k", repr=False)

    assert vars(plain(Grown("x", 3))) == {"id": "x", "added_later": 3, "colour": "red"}


def test_a_codec_class_without_a_plain_form_is_refused() -> None:
    import dataclasses

    from inspector.ui.jobs import plain

    @dataclasses.dataclass(frozen=True)
    class Holder:
        thing: object

    with pytest.raises(TypeError, match="no plain form"):
        plain(Holder(object()))
