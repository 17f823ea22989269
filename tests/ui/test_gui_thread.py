"""The thread rule (inspector.ui): Qt objects are destroyed on the GUI thread only.

Python's cyclic collector would run in whichever thread allocates; the policy turns automatic
collection off and collects from the GUI thread's event loop instead, and jobs hand the pool
plain data only. The stress test drives the real window, key generator and runner in a fresh
process with thresholds that make collections trip constantly (see tests/ui/gc_stress.py).
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QThreadPool

from inspector.ui.gui_thread import GarbageCollector, Jobs, install_gui_thread_policy
from tests.ui import gc_stress

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_thresholds() -> Iterator[None]:
    """Every allocation makes a collection due (restored afterwards). Counts start at zero:
    a generation-1 count left over from earlier tests (two generation-0 collections since
    the last generation-1 one) would otherwise make generation 1 due at once."""
    saved = gc.get_threshold()
    gc.collect()
    gc.set_threshold(1, 1, 1)
    yield
    gc.set_threshold(*saved)


class _Cycle:
    """A plain object that refers to itself, holding a Qt object."""

    def __init__(self, obj: QObject) -> None:
        self.obj = obj
        self.me = self


def test_policy_is_installed_for_the_tests_and_once(qapp) -> None:
    assert not gc.isenabled()
    collector = install_gui_thread_policy(qapp)
    assert isinstance(collector, GarbageCollector)
    assert install_gui_thread_policy(qapp) is collector
    assert qapp.findChildren(GarbageCollector) == [collector]


def test_cyclic_garbage_holding_a_qt_object_dies_on_the_gui_thread(
    qtbot, tiny_thresholds: None
) -> None:
    died_on: list[int] = []
    obj = QObject()
    obj.destroyed.connect(
        lambda: died_on.append(threading.get_ident()), Qt.ConnectionType.DirectConnection
    )
    _Cycle(obj)
    del obj  # now only the cycle holds it: garbage for the cyclic collector

    def allocate() -> None:  # a worker allocating: with automatic collection, it would collect
        keep = [{"n": i} for i in range(50_000)]
        del keep

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join()
    assert died_on == []  # nothing was collected on the worker
    qtbot.waitUntil(lambda: bool(died_on), timeout=5_000)  # the GUI thread's timer collects
    assert died_on == [threading.get_ident()]


def test_collector_collects_the_oldest_due_generation_and_defers_full_ones(
    qapp, tiny_thresholds: None
) -> None:
    """As the interpreter would (thresholds from gc.get_threshold), except that a full
    collection waits full_every_s after the last one."""
    deferring = GarbageCollector(None, tick_ms=3_600_000, full_every_s=3_600.0)
    eager = GarbageCollector(None, tick_ms=3_600_000, full_every_s=0.0)
    try:
        keep = []
        done = []
        for _ in range(8):
            keep.append([[] for _ in range(10)])  # generation 0 over its threshold
            done.append(deferring.collect_due())
        assert done[0] == 0
        assert 1 in done  # generation-0 collections made generation 1 due
        assert 2 not in done
        assert gc.get_count()[2] > gc.get_threshold()[2]  # a full one is due by count...
        assert deferring.timings[2][0] == 0  # ...and waits
        keep.append([[] for _ in range(10)])
        assert eager.collect_due() == 2
        assert eager.timings[2][0] == 1
        keep.append([[] for _ in range(10)])
        assert deferring.collect_due() == 0  # counts start again after the full one
    finally:
        for collector in (deferring, eager):
            collector.stop()
            collector.deleteLater()


def test_freeze_collects_then_hides_what_is_left(qapp) -> None:
    """What the app does once after launch: full collections then skip launch objects."""
    collector = GarbageCollector(None, tick_ms=3_600_000)
    died: list[int] = []
    obj = QObject()
    obj.destroyed.connect(lambda: died.append(1), Qt.ConnectionType.DirectConnection)
    _Cycle(obj)
    del obj
    try:
        collector.freeze()
        assert died == [1]  # the garbage was collected first ...
        assert gc.get_freeze_count() > 1_000  # ... and the live objects frozen
    finally:
        gc.unfreeze()
        collector.stop()
        collector.deleteLater()


def test_job_outcome_and_failure_come_back_on_the_gui_thread(qtbot) -> None:
    jobs = Jobs()
    pool = QThreadPool()
    got: list[tuple[str, int, object, int]] = []
    jobs.finished.connect(lambda job, out: got.append(("ok", job, out, threading.get_ident())))
    jobs.failed.connect(lambda job, rep: got.append(("failed", job, rep, threading.get_ident())))
    first = jobs.start(pool, partial(sum, [1, 2, 3]))
    second = jobs.start(pool, partial(int, "not a number"))
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5_000)
    pool.waitForDone()
    by_job = {g[1]: g for g in got}
    assert by_job[first][0] == "ok"
    assert by_job[first][2] == 6
    failed = by_job[second]
    assert failed[0] == "failed"
    assert failed[2].kind == "ValueError"  # a CrashReport: plain, scrubbed text
    assert "not a number" not in failed[2].text()
    assert {g[3] for g in got} == {threading.get_ident()}
    assert jobs.running() == 0
    jobs.deleteLater()


def test_a_job_holds_no_qt_object() -> None:
    """What the pool's thread may release: the runnable's own attributes."""
    from inspector.ui import gui_thread

    job = gui_thread._PlainJob(1, partial(sum, [1]), gui_thread._relay())
    qt_attrs = {
        name
        for name, value in vars(job).items()
        if isinstance(value, QObject) and value is not gui_thread._relay()
    }
    assert qt_attrs == set()
    assert job.autoDelete()


def test_stress_no_collection_or_qt_warning_off_the_gui_thread() -> None:
    """Keys generated, tokens signed and inspected through the real dialog, panel, window and
    runner; windows and generators closed and dropped (one mid-generation): in a fresh process
    under this interpreter, with gc thresholds (1, 1, 1)."""
    rounds = 2
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.gc_stress", "--rounds", str(rounds)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Fatal Python error" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    m = re.search(
        r"(\d+) keys (\d+) inspections, collections: (\d+) on the GUI thread, (\d+) on other",
        proc.stdout,
    )
    assert m is not None, proc.stdout
    keys, inspections, on_gui, elsewhere = map(int, m.groups())
    assert keys == rounds * (len(gc_stress.ALGORITHMS) + len(gc_stress.AFTER_CLOSE))
    assert inspections == rounds * 2 * len(gc_stress.ALGORITHMS)
    assert on_gui > 100  # collections did trip, constantly ...
    assert elsewhere == 0  # ... and only ever on the GUI thread
