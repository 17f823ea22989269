"""Inspection off the GUI thread.

:class:`InspectionRunner` hands each request to a one-thread ``QThreadPool``. Every request gets
a generation number; only the result of the newest one is delivered (``inspected``), so a slow
inspection of old text never overwrites a newer one. Requests that arrive while a job runs are
coalesced: only the latest waits, older ones are dropped unstarted.

Where a job runs (this thread, the helper process for huge input, or the child forked at
launch for the first inspection) is decided in :mod:`inspector.ui.jobs`. The worker also lays
out the header and payload text, so the GUI thread only sets ready-made text.

A job is a plain function over the plain request (:class:`~inspector.ui.gui_thread.Jobs`):
nothing Qt goes to the pool's thread, so nothing Qt can be released there. An exception in a
job (a bug: the core never raises) shows the crash dialog, and the window shows the failure
in its verdict and stays usable.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from inspector.ui.gui_thread import Jobs
from inspector.ui.jobs import (
    CORE_READY,
    ForkedInspection,
    InspectionRequest,
    InspectionResult,
    adopt,
    import_core,
    run_request_anywhere,
)
from inspector.ui.render import RenderedJson

if TYPE_CHECKING:
    from inspector.core.options import InspectOptions
    from inspector.ui.crash_dialog import CrashReport

__all__ = ["InspectionRequest", "InspectionResult", "InspectionRunner"]

#: After a launch-time result from the forked child, the codec is imported in the background
#: this much later, once the first frame is on screen.
CORE_IMPORT_DELAY_MS = 300
#: How long the first request waits for the answer of the child forked at launch (its
#: window is not shown yet) before going on without it and taking the answer when it comes.
FORKED_WAIT_S = 0.25


def _inspect(request: InspectionRequest, forked: ForkedInspection | None) -> InspectionResult:
    """One inspection (on the pool's thread): plain data in, plain data out."""
    result = adopt(forked, request) if forked is not None else None
    return run_request_anywhere(request) if result is None else result


def _failed(request: InspectionRequest, report: CrashReport | str) -> InspectionResult:
    """What the panes show when inspecting raised (a bug: the core never raises)."""
    return InspectionResult(
        request=request,
        view=None,
        inspection=None,
        header=RenderedJson(text=""),
        payload=RenderedJson(text=""),
        seconds=0.0,
        failure=report if isinstance(report, str) else report.headline,
    )


class InspectionRunner(QObject):
    """Runs the newest request off the GUI thread and reports its result.

    Signals:
        inspected(InspectionResult): the result of the newest request (stale ones are dropped).
        busy_changed(bool): a job started (True) or the queue drained (False).
        core_ready(): the codec is imported in this process; the GUI thread may use it.
    """

    inspected = Signal(object)
    busy_changed = Signal(bool)
    core_ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # Jobs carry plain data only and report through an object that outlives them (see
        # inspector.ui.gui_thread); this one delivers their outcomes on the GUI thread.
        self._jobs = Jobs(self)
        self._jobs.finished.connect(self._on_jobs_finished)
        self._jobs.failed.connect(self._on_jobs_failed)
        self._core_job: int | None = None
        self._core_announced = False
        self._core_import_started = False
        self._forked: ForkedInspection | None = None
        self._generation = 0
        #: The running inspection: its job id and request.
        self._running: tuple[int, InspectionRequest] | None = None
        self._pending: InspectionRequest | None = None
        self._closed = False

    @property
    def generation(self) -> int:
        return self._generation

    def submit(self, text: str, options: InspectOptions) -> int:
        """Queue an inspection of ``text`` with ``options`` (its ``now`` set: the window reads
        the clock when it asks); returns its generation. Older queued work is dropped."""
        self._generation += 1
        request = InspectionRequest(generation=self._generation, text=text, options=options)
        forked, self._forked = self._forked, None
        if forked is not None and not forked.request.same_inputs(request):
            forked.discard()
            forked = None
        if forked is not None and self._running is None and forked.done(FORKED_WAIT_S):
            # The launch-time child has answered (or did within a moment, while the window
            # was not shown yet): show it at once, so the first frame is the finished one.
            result = adopt(forked, request)
            if result is not None:
                self._after_result(result)
                return self._generation
        if self._running is None:
            self._start(request, forked)
            self.busy_changed.emit(True)
        else:
            self._pending = request
        return self._generation

    def is_busy(self) -> bool:
        return self._running is not None

    def adopt_forked(self, forked: ForkedInspection | None) -> None:
        """Use the launch-time child's result for the next request if it has the same inputs."""
        self._forked = forked

    def core_is_ready(self) -> bool:
        return CORE_READY.is_set()

    def ensure_core(self) -> None:
        """Make the codec importable from the GUI thread: wait for the background import if
        one is under way (a few tens of ms at most), else import it here."""
        if CORE_READY.is_set():
            return
        if self._core_import_started and CORE_READY.wait(10):
            return
        import_core()

    def _start(self, request: InspectionRequest, forked: ForkedInspection | None = None) -> None:
        job = self._jobs.start(self._pool, partial(_inspect, request, forked))
        self._running = (job, request)

    @Slot(int, object)
    def _on_jobs_finished(self, job: int, outcome: object) -> None:
        if job == self._core_job:
            self._on_core_imported()
        elif self._running is not None and job == self._running[0]:
            assert isinstance(outcome, InspectionResult)
            self._on_job_finished(outcome)

    @Slot(int, object)
    def _on_jobs_failed(self, job: int, report: object) -> None:
        # The crash dialog has the report; the window shows the failure and stays usable.
        if job == self._core_job:
            self._on_core_imported()
        elif self._running is not None and job == self._running[0]:
            self._on_job_finished(_failed(self._running[1], report))  # type: ignore[arg-type]

    def _on_job_finished(self, result: InspectionResult) -> None:
        self._running = None
        if self._closed:
            return
        if self._pending is not None:
            request, self._pending = self._pending, None
            self._start(request)
        else:
            self.busy_changed.emit(False)
        self._after_result(result)

    def _after_result(self, result: InspectionResult) -> None:
        if result.request.generation == self._generation:
            self.inspected.emit(result)
        if not CORE_READY.is_set() and not self._closed and not self._core_import_started:
            # The first result came from the forked child: load the codec here too, in the
            # background, once the first frame is painted (not competing with it for the GIL).
            self._core_import_started = True
            QTimer.singleShot(CORE_IMPORT_DELAY_MS, self._start_core_import)
        elif not self._core_announced:
            self._core_announced = True
            self.core_ready.emit()

    @Slot()
    def _start_core_import(self) -> None:
        if not self._closed:
            self._core_job = self._jobs.start(self._pool, import_core)

    def _on_core_imported(self) -> None:
        if not self._core_announced and CORE_READY.is_set():
            self._core_announced = True
            self.core_ready.emit()

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Drop queued work and wait for the running job (called when the window closes)."""
        self._closed = True
        self._pending = None
        if self._forked is not None:
            self._forked.discard()
            self._forked = None
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
