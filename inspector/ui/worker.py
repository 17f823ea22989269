"""Inspection off the GUI thread.

:class:`InspectionRunner` hands each request to a one-thread ``QThreadPool``. Every request gets
a generation number; only the result of the newest one is delivered (``inspected``), so a slow
inspection of old text never overwrites a newer one. Requests that arrive while a job runs are
coalesced: only the latest waits, older ones are dropped unstarted.

Where a job runs (this thread, the helper process for huge input, or the child forked at
launch for the first inspection) is decided in :mod:`inspector.ui.jobs`. The worker also lays
out the header and payload text, so the GUI thread only sets ready-made text.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

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

__all__ = ["InspectionRequest", "InspectionResult", "InspectionRunner"]

#: After a launch-time result from the forked child, the codec is imported in the background
#: this much later, once the first frame is on screen.
CORE_IMPORT_DELAY_MS = 300
#: How long the first request waits for the answer of the child forked at launch (its
#: window is not shown yet) before going on without it and taking the answer when it comes.
FORKED_WAIT_S = 0.25


class _JobSignals(QObject):
    finished = Signal(object)
    core_imported = Signal()


class _Job(QRunnable):
    def __init__(
        self,
        request: InspectionRequest,
        signals: _JobSignals,
        forked: ForkedInspection | None = None,
    ) -> None:
        super().__init__()
        self.request = request
        self.signals = signals
        self.forked = forked
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = adopt(self.forked, self.request) if self.forked is not None else None
            if result is None:
                result = run_request_anywhere(self.request)
        except Exception:  # noqa: BLE001 - the core never raises; never let the GUI hang on a bug
            result = InspectionResult(
                request=self.request,
                view=None,
                inspection=None,
                header=RenderedJson(text=""),
                payload=RenderedJson(text=""),
                seconds=0.0,
                failure=traceback.format_exc(limit=3).splitlines()[-1],
            )
        self.signals.finished.emit(result)


class _CoreImport(QRunnable):
    """Imports the codec off the GUI thread after launch (when the first inspection ran in
    the forked child), so the GUI can later use it (clipboard check) without a stall."""

    def __init__(self, signals: _JobSignals) -> None:
        super().__init__()
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            import_core()
        finally:
            self.signals.core_imported.emit()


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
        self._signals = _JobSignals(self)
        self._signals.finished.connect(self._on_job_finished)
        self._signals.core_imported.connect(self._on_core_imported)
        self._core_announced = False
        self._core_import_started = False
        self._forked: ForkedInspection | None = None
        self._generation = 0
        self._running: _Job | None = None
        self._pending: InspectionRequest | None = None
        self._closed = False

    @property
    def generation(self) -> int:
        return self._generation

    def submit(
        self,
        text: str,
        *,
        key: str | None,
        secret_encoding: str,
        now: float,
        leeway: float,
        audience: str | None,
        issuer: str | None,
    ) -> int:
        """Queue an inspection; returns its generation. Older queued work is dropped."""
        self._generation += 1
        request = InspectionRequest(
            generation=self._generation,
            text=text,
            key=key,
            secret_encoding=secret_encoding,
            now=now,
            leeway=leeway,
            audience=audience,
            issuer=issuer,
        )
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
        self._running = _Job(request, self._signals, forked)
        self._pool.start(self._running)

    @Slot(object)
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
            self._pool.start(_CoreImport(self._signals))

    @Slot()
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
