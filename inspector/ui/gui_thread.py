"""The thread rule, enforced: Qt objects are destroyed on the GUI thread only.

Two things could destroy one elsewhere, and both are designed out here (the rule itself is
written down in :mod:`inspector.ui`):

- **Python's cyclic collector.** It runs in whichever thread happens to allocate when a
  threshold trips, and frees whatever garbage it finds there, Qt objects made on the GUI
  thread included. :func:`install_gui_thread_policy` turns automatic collection off for the
  app's lifetime and runs the same collections from a timer on the GUI thread
  (:class:`GarbageCollector`), as long-lived PySide and PyQt applications do.
- **A worker dropping the last reference.** Work runs through :class:`Jobs`: the runnable holds
  a plain callable and its plain arguments, never a Qt object, and reports through
  one relay object that lives as long as the application, so the QObjects that receive
  results (and their Python wrappers) are only ever released by the GUI thread.

An exception escaping a job is reported back to the GUI thread as plain data (a
:class:`~inspector.ui.crash_dialog.CrashReport`) instead of being printed by the worker.
"""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from shiboken6 import isValid

__all__ = ["GarbageCollector", "Jobs", "install_gui_thread_policy"]

#: How often the GUI thread checks whether a collection is due. A check that finds nothing
#: due costs a few microseconds; a generation-0 collection well under a millisecond.
TICK_MS = 200
#: A full (generation 2) collection walks every tracked object, so it runs at most this often
#: even when Python's own counts say it is due.
FULL_EVERY_S = 30.0
#: The app's launch objects (PySide's classes, the codec, the window: ~40,000 tracked
#: objects, 10-25 ms per full collection measured) are collected once and then frozen out of
#: the collector's sight (``gc.freeze``) this long after the collector starts, once the tools
#: are built; full collections then walk only what came after (well under a millisecond).
FREEZE_AFTER_MS = 3_000


class GarbageCollector(QObject):
    """Python's cyclic collector, run from the GUI thread's event loop.

    Each tick collects the oldest generation whose count is over its threshold, as the
    interpreter itself would (``gc.get_threshold()``, so ``gc.set_threshold`` still tunes it),
    except that a full collection waits :data:`FULL_EVERY_S` after the last one.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        tick_ms: int = TICK_MS,
        full_every_s: float = FULL_EVERY_S,
        freeze_after_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("garbageCollector")
        #: (collections, total seconds, longest seconds) per generation, for measuring.
        self.timings: list[list[float]] = [[0, 0.0, 0.0] for _ in range(3)]
        self._full_every_s = full_every_s
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setObjectName("garbageCollectorTimer")
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()
        if freeze_after_ms is not None:
            QTimer.singleShot(freeze_after_ms, self, self.freeze)

    @Slot()
    def freeze(self) -> float:
        """Collect everything once, then freeze what is left (long-lived by now) so that
        later full collections skip it; returns the seconds it took."""
        started = time.perf_counter()
        gc.collect()
        gc.freeze()
        self._last_full = time.monotonic()
        return time.perf_counter() - started

    @Slot()
    def collect_due(self) -> int:
        """Collect the oldest generation that is due; return it, or -1 when none was."""
        if QThread.currentThread() is not self.thread():
            return -1  # never here: collections belong to the GUI thread
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] <= thresholds[generation]:
                continue
            if generation == 2 and time.monotonic() - self._last_full < self._full_every_s:
                continue
            started = time.perf_counter()
            gc.collect(generation)
            took = time.perf_counter() - started
            timing = self.timings[generation]
            timing[0] += 1
            timing[1] += took
            timing[2] = max(timing[2], took)
            if generation == 2:
                self._last_full = time.monotonic()
            return generation
        return -1

    def stop(self) -> None:
        """Stop collecting from the timer (automatic collection stays off)."""
        self._timer.stop()


def install_gui_thread_policy(
    app: QCoreApplication,
    *,
    tick_ms: int = TICK_MS,
    full_every_s: float = FULL_EVERY_S,
    freeze_after_ms: int | None = None,
) -> GarbageCollector:
    """Turn automatic collection off for good and collect from ``app``'s thread instead.

    Called by :func:`inspector.ui.app.main` after the first frame and by the test
    configuration on pytest-qt's application; calling it again returns the same collector.
    The app passes ``freeze_after_ms`` (:data:`FREEZE_AFTER_MS`); tests do not, since
    freezing would keep earlier tests' garbage forever. ``tick_ms`` and ``full_every_s``
    are for stress tests and measurements.
    """
    if _COLLECTOR and isValid(_COLLECTOR[0]) and _COLLECTOR[0].parent() is app:
        gc.disable()
        return _COLLECTOR[0]
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("install_gui_thread_policy must be called on the GUI thread")
    _relay()  # made now, on this thread, before any worker can need it
    _COLLECTOR[:] = [
        GarbageCollector(
            app, tick_ms=tick_ms, full_every_s=full_every_s, freeze_after_ms=freeze_after_ms
        )
    ]
    return _COLLECTOR[0]


def collect_due_now() -> int:
    """Run the installed collector's check now (on the GUI thread), e.g. between tests that
    run no event loop; -1 when nothing was due or no collector is installed."""
    return _COLLECTOR[0].collect_due() if _COLLECTOR and isValid(_COLLECTOR[0]) else -1


_COLLECTOR: list[GarbageCollector] = []


# ------------------------------------------------------------------ jobs off the GUI thread
class _Relay(QObject):
    """The one object workers emit on; made on the GUI thread, alive as long as the app."""

    finished = Signal(int, object)  # job id, the work's return value (plain data)
    failed = Signal(int, object)  # job id, CrashReport


_RELAY: list[_Relay] = []
_JOB_IDS = itertools.count(1)


def _relay() -> _Relay:
    if not _RELAY or not isValid(_RELAY[0]):
        _RELAY.clear()
        app = QCoreApplication.instance()
        if app is None or QThread.currentThread() is not app.thread():
            raise RuntimeError("the job relay must be made on the GUI thread, after the app")
        # Parented to the application: Qt waits for the global pool's threads before it
        # deletes the application's children, and each other pool is waited for by its owner.
        _RELAY.append(_Relay(app))
        _RELAY[0].setObjectName("jobRelay")
    return _RELAY[0]


class _PlainJob(QRunnable):
    """Runs ``work()`` on a pool thread. Holds an int, a plain callable and the relay, nothing
    else: the pool deletes this runnable on its own thread after ``run`` (auto-delete; a
    QRunnable is not a QObject and has no thread), and whatever it releases there is plain
    data."""

    def __init__(self, job_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._id = job_id
        self._work: Callable[[], Any] | None = work
        self._relay = relay

    def run(self) -> None:
        work, self._work = self._work, None
        assert work is not None
        try:
            outcome = work()
        except Exception as err:  # noqa: BLE001 - reported to the GUI thread, never lost
            self._relay.failed.emit(self._id, _report(err))
            return
        self._relay.finished.emit(self._id, outcome)


def _report(err: Exception) -> object:
    """A scrubbed report of ``err`` (plain data), or at least its type's name."""
    try:
        # Imported only when a job fails: the crash dialog is not needed before the first frame.
        from inspector.ui.crash_dialog import describe_exception

        return describe_exception(err, thread="worker")
    except Exception:  # noqa: BLE001 - the owner must hear back whatever happens here
        return type(err).__name__


class Jobs(QObject):
    """Starts work on a thread pool and delivers each outcome on the GUI thread.

    Parent it to the widget or object that owns the work: when that is destroyed (on the GUI
    thread) this goes with it, and outcomes still on their way are dropped.

    Signals:
        finished(int, object): job id and what the work returned.
        failed(int, object): job id and a :class:`~inspector.ui.crash_dialog.CrashReport`
            (or, should describing the exception fail too, its type's name); the report is
            also handed to the crash dialog, if one is installed.
    """

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobs")
        self._mine: set[int] = set()
        relay = _relay()
        relay.finished.connect(self._on_relay_finished)
        relay.failed.connect(self._on_relay_failed)

    def start(self, pool: QThreadPool, work: Callable[[], Any]) -> int:
        """Run ``work()`` (a plain callable over plain data: no Qt object in it) on ``pool``;
        return the job's id."""
        job_id = next(_JOB_IDS)
        self._mine.add(job_id)
        pool.start(_PlainJob(job_id, work, _relay()))
        return job_id

    def running(self) -> int:
        """How many of this object's jobs have not reported yet."""
        return len(self._mine)

    @Slot(int, object)
    def _on_relay_finished(self, job_id: int, outcome: object) -> None:
        if job_id in self._mine:
            self._mine.discard(job_id)
            self.finished.emit(job_id, outcome)

    @Slot(int, object)
    def _on_relay_failed(self, job_id: int, report: object) -> None:
        if job_id in self._mine:
            self._mine.discard(job_id)
            from inspector.ui.crash_dialog import report_crash

            report_crash(report)
            self.failed.emit(job_id, report)
