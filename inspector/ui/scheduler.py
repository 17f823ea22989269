"""``InspectionScheduler``: when the window inspects, and with what.

The controller between the inputs (token editor, key panel, validation panel) and the
runner (:class:`~inspector.ui.worker.InspectionRunner`): typing is debounced; a new inspection
that has not answered within :data:`STALE_MS` marks the panes stale (at once for huge input,
whose answer takes a while); while "Now" is ticked the clock is followed (see
:meth:`InspectionScheduler.follow_clock`). The clock is an attribute, ``clock`` (seconds
since the epoch, ``time.time`` by default), so tests move time without sleeping.

Following the clock: after each result, the next moment its verdict or its relative texts
change is worked out (the token expires, becomes valid, its ``iat`` stops being in the
future; or, failing those, the next refresh of "valid for another 5 min"), and a timer
inspects the same input again then. So a token that expires while it is shown is judged
expired at that second, not at the next refresh. Unticking "Now" starts "Judge at" at the
current time (a time in the past would judge an expired token valid).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

from inspector.core.options import InspectOptions
from inspector.ui.token_editor import HUGE_CHARS

if TYPE_CHECKING:
    from collections.abc import Callable

    from inspector.ui.jobs import InspectionResult
    from inspector.ui.panels import KeyPanel, ValidationPanel
    from inspector.ui.state import InspectorState
    from inspector.ui.token_editor import TokenEditor
    from inspector.ui.worker import InspectionRunner

#: Typing pauses this long before the token is inspected again.
DEBOUNCE_MS = 150
#: While "Now" is ticked, relative times ("expires in 5 minutes") are refreshed this often...
REFRESH_MS = 30_000
#: ...and every second while a time claim is this near (its relative text counts seconds).
NEAR_S = 60
#: The claims whose moment changes the verdict, and how the leeway moves that moment.
VERDICT_MOMENTS = {"exp": +1, "nbf": -1, "iat": -1}
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
        #: Panels built later add to the options here (the disclosures list's holder key).
        self.option_hooks: list[Callable[[InspectOptions], InspectOptions]] = []
        #: When the clock is next followed (seconds since the epoch), or ``None``.
        self.next_clock_check: float | None = None
        self._debounce = self._timer(DEBOUNCE_MS, self.inspect_now, single=True)
        self._refresh = self._timer(REFRESH_MS, self.follow_clock, single=True)
        self._stale_timer = self._timer(STALE_MS, self._on_stale_timer_timeout, single=True)
        validation_panel.now_check.toggled.connect(self._on_now_check_toggled)
        state.subscribe("result", self._on_state_result)

    def _timer(self, ms: int, slot: Callable[[], None], *, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def text(self) -> str:
        """The text inspected: the token editor's, or the token chosen in it."""
        full, chosen = self.token_edit.text(), self.state.chosen
        return full[chosen[1] : chosen[2]] if chosen is not None else full

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
            # A token chosen among several is inspected with the paste around it, so an ID
            # token's at_hash and a DPoP proof's ath still meet the access token beside them.
            context_text=self.token_edit.text() if self.state.chosen is not None else None,
        )
        options = self.key_panel.key_options(options)  # fetched keys' provenance (issue 13)
        for hook in self.option_hooks:
            options = hook(options)
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
            and self._box_key(r.request.options) == self.key_panel.key_text()
        )

    @staticmethod
    def _box_key(options: InspectOptions) -> str:
        """The key box's text an inspection was made with: its decryption key while the keys
        are split (a nested JWE's inner key box is shown), else its key."""
        split = options.decryption_key is not None
        return (options.decryption_key if split else options.key) or ""

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

    # ------------------------------------------------------------------ the clock
    def _on_state_result(self, result: InspectionResult, _same_inputs: bool) -> None:
        self._refresh.stop()
        self.next_clock_check = None
        if result.view is None or not self.validation.uses_current_time():
            return
        now = self.clock()
        leeway = result.request.options.leeway
        times = {c: v for c, v in result.view.times.items() if math.isfinite(v)}
        near = any(abs(v - now) < NEAR_S for v in times.values())
        moments = [now + (1 if near else REFRESH_MS / 1000)]
        moments += (times[c] + sign * leeway for c, sign in VERDICT_MOMENTS.items() if c in times)
        self.next_clock_check = min(m for m in moments if m > now)
        self._arm(self.next_clock_check - now)

    def _arm(self, seconds: float) -> None:
        self._refresh.setInterval(max(1, min(REFRESH_MS, math.ceil(seconds * 1000))))
        self._refresh.start()

    @Slot()
    def follow_clock(self) -> None:
        """Inspect the same input again at the current time, if "Now" is ticked and the
        moment worked out after the last result has come (what the clock timer calls)."""
        if not self.validation.uses_current_time():
            return
        due = self.next_clock_check
        if due is not None and self.clock() < due:
            self._arm(due - self.clock())  # a coarse timer may fire a little early
            return
        if self.runner.is_busy() or len(self.text()) > HUGE_CHARS:
            self._arm(REFRESH_MS / 1000)  # the running inspection's result re-arms it
            return
        self.inspect_now()

    @Slot(bool)
    def _on_now_check_toggled(self, now: bool) -> None:
        if not now:
            # Imported here: the first frame has no date-time editor (ValidationPanel.when)
            from PySide6.QtCore import QDateTime

            when = QDateTime.fromSecsSinceEpoch(int(self.clock()))
            self.validation.when.setDateTime(when)

    def stop(self) -> None:
        """No more inspections (the window is closing)."""
        self._debounce.stop()
        self._refresh.stop()
        self._stale_timer.stop()
