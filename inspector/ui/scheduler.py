"""``InspectionScheduler``: when the window inspects, and with what.

The controller between the inputs (token editor, key panel, validation panel) and the
runner (:class:`~inspector.ui.worker.InspectionRunner`): typing is debounced; a new inspection
that has not answered within :data:`STALE_MS` marks the panes stale (at once for huge input,
whose answer takes a while); while "Now" is ticked the same input is inspected again every
:data:`REFRESH_MS`. The clock is an attribute, ``clock`` (seconds since the epoch,
``time.time`` by default), so tests move time without sleeping.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from inspector.core.options import InspectOptions
from inspector.ui.token_editor import HUGE_CHARS

if TYPE_CHECKING:
    from collections.abc import Callable

    from inspector.ui.panels import KeyPanel, ValidationPanel
    from inspector.ui.state import InspectorState
    from inspector.ui.token_editor import TokenEditor
    from inspector.ui.worker import InspectionRunner

#: Typing pauses this long before the token is inspected again.
DEBOUNCE_MS = 150
#: While "Now" is ticked, relative times ("expires in 5 minutes") are refreshed this often.
REFRESH_MS = 30_000
#: The panes are dimmed as out of date when a new inspection has not answered within this
#: time (at once for huge input); typing, whose results arrive sooner, does not flicker.
STALE_MS = 250


class InspectionScheduler(QObject):
    """Submits the current inputs to ``runner`` and marks ``state`` stale while waiting."""

    def __init__(
        self,
        runner: InspectionRunner,
        state: InspectorState,
        token_edit: TokenEditor,
        key_panel: KeyPanel,
        validation_panel: ValidationPanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner, self.state = runner, state
        self.token_edit, self.key_panel, self.validation = token_edit, key_panel, validation_panel
        #: The wall clock, read when an inspection is asked for (tests replace it).
        self.clock: Callable[[], float] = time.time
        self._debounce = self._timer(DEBOUNCE_MS, self.inspect_now, single=True)
        self._refresh = self._timer(REFRESH_MS, self._on_refresh_timeout)
        self._refresh.start()
        self._stale_timer = self._timer(STALE_MS, self._on_stale_timer_timeout, single=True)

    def _timer(self, ms: int, slot: Callable[[], None], *, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def text(self) -> str:
        """The text inspected: the token editor's."""
        return self.token_edit.text()

    @Slot()
    def inspect_now(self) -> None:
        """Inspect the current text and key now (skipping the debounce)."""
        self._debounce.stop()
        self._schedule_stale_mark()
        vp = self.validation
        options = InspectOptions(
            key=self.key_panel.key_text() or None,
            secret_encoding=self.key_panel.encoding(),
            now=vp.judge_at(self.clock()),
            leeway=float(vp.leeway.value()),
            audience=vp.audience.text().strip() or None,
            issuer=vp.issuer.text().strip() or None,
        )
        self.runner.submit(self.text(), options)

    @Slot()
    def input_changed(self) -> None:
        """An input changed: inspect once the user pauses."""
        self._debounce.start()
        self._schedule_stale_mark()

    def is_settled(self) -> bool:
        """True when the state's result answers the current text and key, and no inspection
        is waiting or running."""
        r = self.state.result
        return (
            r is not None
            and not self._debounce.isActive()
            and not self.runner.is_busy()
            and r.request.generation == self.runner.generation
            and r.request.text == self.text()
            and (r.request.options.key or "") == self.key_panel.key_text()
        )

    def result_arrived(self) -> None:
        self._stale_timer.stop()

    def set_stale(self, stale: bool) -> None:
        """Dim the panes (and say "Inspecting…" in the banner) while they show the result
        of input that is no longer the current one (the state tells them)."""
        if not stale:
            self._stale_timer.stop()
        self.state.set_stale(stale)

    def _schedule_stale_mark(self) -> None:
        if not self.state.can_go_stale():
            return
        if len(self.text()) > HUGE_CHARS:
            self.set_stale(True)  # its inspection takes a while: say so at once
        elif not self._stale_timer.isActive():
            self._stale_timer.start()

    @Slot()
    def _on_stale_timer_timeout(self) -> None:
        if not self.is_settled():
            self.set_stale(True)

    @Slot()
    def _on_refresh_timeout(self) -> None:
        if (
            self.validation.uses_current_time()
            and not self.runner.is_busy()
            and len(self.text()) <= HUGE_CHARS
        ):
            self.inspect_now()

    def stop(self) -> None:
        """No more inspections (the window is closing)."""
        self._debounce.stop()
        self._refresh.stop()
        self._stale_timer.stop()
