"""The Qt-free runner: ``inspect_many`` (issue 18 item 2).

Ordered results, lazy reading of the input, a bounded number of chunks in flight, worker
processes started once and reused, and the same answers as inspecting one text at a time.
The ``finish`` helpers below are module-level so that they pickle to the worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest

from inspector import batch
from inspector.batch import AHEAD_PER_WORKER, InspectionPool, inspect_many
from inspector.core.inspection import inspect_with
from inspector.core.model import Inspection
from inspector.core.options import InspectOptions
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, hs256

OPTIONS = InspectOptions(key=STRONG_SECRET.decode(), now=CLEAN_NOW, audience="api://orders")


def _mix() -> list[str]:
    """Valid, forged, malformed, huge, odd: one of each, then repeated with variations."""
    huge = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "blob": "x" * 300_000})
    one = [
        hs256(CLEAN_HEADER, CLEAN_CLAIMS),
        hs256(CLEAN_HEADER, CLEAN_CLAIMS, secret=b"not the secret"),
        "",
        "garbage",
        "a.b",
        "eyJhbGciOiJub25lIn0.e30.",
        huge,
        "eyJ" + "\ud800" * 10,
        "Bearer " + hs256(CLEAN_HEADER, {"sub": "bearer"}),
        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
    ]
    return one + [hs256(CLEAN_HEADER, {"sub": f"user-{i}"}) for i in range(30)] + one


def _expected(texts: list[str]) -> list[dict[str, Any]]:
    return [inspect_with(t, OPTIONS).to_dict() for t in texts]


def _pid(text: str, inspection: Inspection) -> tuple[int, str]:
    return os.getpid(), inspection.verification.status


def _die_on(marker: str, parent: int, text: str, inspection: Inspection) -> str:
    """Kill the worker process on ``marker`` (never the test's own process)."""
    if text == marker and os.getpid() != parent:
        os._exit(1)
    return inspection.verification.status


def _die_on_any(parent: int, text: str, inspection: Inspection) -> str:
    if os.getpid() != parent:
        os._exit(1)
    return inspection.verification.status


class Recorder:
    """An input that counts how far it has been read."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for text in self.texts:
            self.read += 1
            yield text


@pytest.fixture
def one_per_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """One text per task (chunks are formed in this process, so patching here suffices)."""
    monkeypatch.setattr(batch, "CHUNK_TEXTS", 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_input_order_and_equal_inspecting_one_at_a_time(jobs: int) -> None:
    texts = _mix()
    got = [i.to_dict() for i in inspect_many(texts, OPTIONS, jobs=jobs)]
    assert got == _expected(texts)
    assert got[0]["verification"]["status"] == "valid"
    assert got[1]["verification"]["status"] == "invalid"


def test_a_pool_given_is_used_even_with_one_worker_and_left_running() -> None:
    """The window's huge-input path: one worker process, reused, kept after the call."""
    texts = _mix()[:12]
    with InspectionPool(1) as pool:
        first = list(inspect_many(texts, OPTIONS, finish=_pid, pool=pool))
        second = list(inspect_many(texts, OPTIONS, finish=_pid, pool=pool))
        assert len(multiprocessing.active_children()) == 1
    pids = {pid for pid, _ in first + second}
    assert len(pids) == 1
    assert os.getpid() not in pids
    assert [s for _, s in first] == [i["verification"]["status"] for i in _expected(texts)]
    assert multiprocessing.active_children() == []  # closed with the pool


def test_workers_are_started_once_and_reused(one_per_chunk: None) -> None:
    texts = [hs256(CLEAN_HEADER, {"sub": f"u{i}"}) for i in range(60)]
    results = list(inspect_many(texts, OPTIONS, jobs=2, finish=_pid))
    pids = {pid for pid, _ in results}
    assert len(results) == 60
    assert 1 <= len(pids) <= 2, pids
    assert os.getpid() not in pids
    assert multiprocessing.active_children() == []  # its own pool is stopped at the end


def test_jobs_1_runs_here_without_any_process() -> None:
    results = list(inspect_many(_mix()[:5], OPTIONS, jobs=1, finish=_pid))
    assert {pid for pid, _ in results} == {os.getpid()}
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_first_result_does_not_wait_for_the_whole_input(jobs: int) -> None:
    source = Recorder([hs256(CLEAN_HEADER, {"sub": f"u{i}"}) for i in range(2_000)])
    results = inspect_many(source, OPTIONS, jobs=jobs)
    assert source.read == 0  # nothing is read before the first result is asked for
    first = next(results)
    assert first.to_dict() == inspect_with(source.texts[0], OPTIONS).to_dict()
    bound = 1 if jobs == 1 else jobs * AHEAD_PER_WORKER * batch.CHUNK_TEXTS + 1
    assert 1 <= source.read <= bound < len(source.texts)
    results.close()
    assert multiprocessing.active_children() == []


class _UnreadableError(Exception):
    """What the input below raises (as the command line's reader does on a line that is
    not UTF-8)."""


def _status(text: str, inspection: Inspection) -> tuple[str, str]:
    return text, inspection.verification.status


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("n_before", [0, 1, 300, 700])
def test_an_input_that_raises_yields_every_text_read_before_it_then_the_same_error(
    jobs: int, n_before: int
) -> None:
    """With 2 workers, up to 2 x AHEAD_PER_WORKER chunks of CHUNK_TEXTS texts are read
    ahead: none of them is lost when the input then raises, the error is the input's own,
    and no worker process is left behind."""
    error = _UnreadableError("line 301 is not UTF-8")
    texts = [hs256(CLEAN_HEADER, {"sub": f"u{i}"}) for i in range(n_before)]

    def source() -> Iterator[str]:
        yield from texts
        raise error

    got = []
    results = inspect_many(source(), OPTIONS, jobs=jobs, finish=_status)
    with pytest.raises(_UnreadableError) as raised:
        got.extend(results)
    assert raised.value is error
    assert [text for text, _ in got] == texts  # all of them, in input order
    assert [status for _, status in got] == ["valid"] * n_before
    assert multiprocessing.active_children() == []


def test_chunks_in_flight_stay_bounded(one_per_chunk: None) -> None:
    """However long the input, at most jobs * AHEAD_PER_WORKER texts are read ahead of what
    has been yielded (so memory does not grow with the input)."""
    jobs = 2
    source = Recorder([hs256(CLEAN_HEADER, {"sub": f"u{i}"}) for i in range(200)])
    ahead: list[int] = []
    for consumed, _ in enumerate(inspect_many(source, OPTIONS, jobs=jobs), start=1):
        ahead.append(source.read - consumed)
    assert len(ahead) == 200
    assert max(ahead) <= jobs * AHEAD_PER_WORKER
    assert max(ahead) >= 1  # it does read ahead (the workers are kept busy)


def test_a_worker_that_dies_costs_time_not_answers(one_per_chunk: None) -> None:
    texts = [hs256(CLEAN_HEADER, {"sub": f"u{i}"}) for i in range(12)]
    finish = partial(_die_on, texts[5], os.getpid())
    got = list(inspect_many(texts, OPTIONS, jobs=2, finish=finish))
    assert got == ["valid"] * 12


def test_workers_that_cannot_work_are_not_restarted_for_every_chunk(one_per_chunk: None) -> None:
    """Every worker dies (as when they cannot even start): the call falls back to this
    process for the rest of its input instead of starting a new pool per chunk."""
    texts = [hs256(CLEAN_HEADER, {"sub": f"u{i}"}) for i in range(12)]
    pool = InspectionPool(2)
    started: list[int] = []
    real_get = pool._get

    def counting_get() -> Any:
        executor = real_get()
        if id(executor) not in started:
            started.append(id(executor))
        return executor

    pool._get = counting_get  # type: ignore[method-assign]
    finish = partial(_die_on_any, os.getpid())
    try:
        got = list(inspect_many(texts, OPTIONS, finish=finish, pool=pool))
    finally:
        pool.close()
    assert got == ["valid"] * 12
    assert len(started) == 1


def test_results_cross_the_process_boundary_intact() -> None:
    for text in _mix()[:10]:
        inspection = inspect_with(text, OPTIONS)
        back = pickle.loads(pickle.dumps(inspection, pickle.HIGHEST_PROTOCOL))
        assert back.to_dict() == inspection.to_dict()
        assert back.analysis.times == inspection.analysis.times


def test_the_clock_is_read_once_for_the_whole_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(1_800_000_300, 1_800_009_999))
    monkeypatch.setattr(batch.time, "time", lambda: float(next(ticks)))
    token = hs256(CLEAN_HEADER, {"exp": 1_800_000_301})
    got = list(inspect_many([token] * 3, InspectOptions(now=None), jobs=1))
    # Judged at 1_800_000_300 each time: not expired (a clock read per token would expire it).
    assert ["expired" in {f.id for f in i.findings} for i in got] == [False, False, False]


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2"])
def test_a_bad_jobs_count_is_refused_at_the_call(jobs: Any) -> None:
    with pytest.raises(ValueError, match="jobs must be a whole number >= 1"):
        inspect_many(["x"], OPTIONS, jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_options_per_text_are_decided_here_and_travel_with_each_text(jobs: int) -> None:
    """``--discover``: each token gets its own issuer's options, in any mix, in order."""
    other = InspectOptions(key="another secret that signed nothing here", now=OPTIONS.now)
    texts = _mix()
    chosen = [OPTIONS if i % 3 else other for i in range(len(texts))]
    by_text = dict(zip(texts, chosen, strict=False))  # (the mix repeats a few texts)
    asked: list[str] = []

    def options_for(text: str) -> InspectOptions:
        asked.append(text)
        return by_text[text]

    got = [i.to_dict() for i in inspect_many(texts, options_for, jobs=jobs)]
    assert got == [inspect_with(t, by_text[t]).to_dict() for t in texts]
    assert asked == texts  # once per text, in this process
    statuses = {g["verification"]["status"] for g in got}
    assert {"valid", "invalid"} <= statuses


def test_options_per_text_share_the_batchs_one_instant(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(1_800_000_300, 1_800_009_999))
    monkeypatch.setattr(batch.time, "time", lambda: float(next(ticks)))
    token = hs256(CLEAN_HEADER, {"exp": 1_800_000_301})
    got = list(inspect_many([token] * 3, lambda text: InspectOptions(now=None), jobs=1))
    assert ["expired" in {f.id for f in i.findings} for i in got] == [False, False, False]
