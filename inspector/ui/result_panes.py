"""``ResultPanes``: the window's panes following its state (:mod:`inspector.ui.state`).

A new result is shown in every pane at once (token colouring, header, payload, signature,
verdict, findings, size); a stale one is dimmed (disabled panes are drawn in the theme's
muted colour: ``theme.set_colour`` leaves the disabled state to the application palette);
the example-key rule may empty the key box; the selected finding is explained and its place
highlighted. The words come from :mod:`inspector.presentation`; the panes themselves are
built and laid out by the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from inspector.presentation import findings_summary, size_text, verdict
from inspector.ui.theme import Theme, set_colour
from inspector.ui.verdict_banner import set_unbroken_text

if TYPE_CHECKING:
    from inspector.ui.jobs import FindingView, InspectionResult, InspectionView
    from inspector.ui.state import InspectorState
    from inspector.ui.window import InspectorWindow

#: What the explanation pane says before any token is entered.
EMPTY_DETAIL = (
    "Paste a token on the left (or drop a file): what is wrong with it, and why it matters, "
    "appears here."
)


class ResultPanes(QObject):
    """Subscribes ``window``'s panes to ``state`` (a QObject only so that its slot can be
    connected to the findings list's signal, and lives as long as the window)."""

    def __init__(self, window: InspectorWindow, state: InspectorState) -> None:
        super().__init__(window)
        self.w = window
        self.state = state
        state.subscribe("result", self._on_state_result)
        for pane in (
            window.header_view,
            window.payload_view,
            window.signature_view,
            window.findings_view,
            window.finding_detail,
            window.findings_summary,
        ):
            state.subscribe("stale", lambda stale, pane=pane: pane.setEnabled(not stale))
        window.verdict_banner.follow(state)
        state.subscribe("key_cleared", window.key_panel.key_edit.clear)
        window.findings_view.finding_selected.connect(self._on_findings_view_finding_selected)

    def _on_state_result(self, result: InspectionResult, same_inputs: bool) -> None:
        if result.view is None:
            # Only a bug in the codec gets here: say so rather than show stale panes.
            self.w.verdict_banner.show_failure(result.failure or "")
            return
        # The same input again (the clock ticked, a tool asked): keep the user's selection;
        # a new token or key: explain its most severe finding.
        self.show(result, keep_selection=same_inputs)

    def show(self, result: InspectionResult, *, keep_selection: bool = True) -> None:
        w, view = self.w, result.view
        assert view is not None
        # Nothing entered yet: a calm empty state, not an error about the missing token.
        empty = not result.request.text.strip()
        w.token_edit.show_segments(view.segments, result.request.text)
        w.header_view.show_json(result.header, view.tips)
        w.payload_view.show_json(result.payload, view.tips)
        for pane in (w.header_view, w.payload_view):
            pane.setPlaceholderText(view.empty_reasons.get(pane.part, ""))
        w.signature_view.setPlainText(view.signature_text)
        self._show_verdict(view)
        findings = () if empty else view.findings
        w.findings_view.show_findings(findings, keep_selection=keep_selection)
        self._show_findings_summary(findings, empty=empty)
        w.size_label.setText(size_text(view.token_size, result.limits))

    def _show_verdict(self, view: InspectionView) -> None:
        v = view.verification
        key_text = self.w.key_panel.key_text().strip()
        words = verdict(v, has_key=bool(key_text), findings=view.findings)
        self.w.verdict_banner.show_verdict(*words)
        if v.key:
            kind = f"Detected: {v.key}"
        elif key_text:
            kind = "Key not used" + (f": {v.reason}" if v.status == "unchecked" else "")
        else:
            kind = "No key entered"
        set_unbroken_text(self.w.key_panel.key_kind, kind)

    def _show_findings_summary(self, findings: tuple[FindingView, ...], *, empty: bool) -> None:
        # The worst severity colours the count when it is error, critical or high (its word is
        # in the text too); otherwise the summary is muted like the other pane titles.
        from PySide6.QtGui import QPalette

        theme = self.w.theme
        worst = findings[0].severity if findings and not empty else ""
        colour = (
            theme.severity(worst)
            if worst in ("error", "critical", "high")
            else theme.qcolor("muted")
        )
        summary = self.w.findings_summary
        set_colour(summary, QPalette.ColorRole.WindowText, colour)
        summary.setText("Paste a token…" if empty else findings_summary(findings))

    @Slot(object)
    def _on_findings_view_finding_selected(self, finding: FindingView | None) -> None:
        w, r = self.w, self.state.result
        if finding is None:
            if r is not None and not r.request.text.strip():
                w.finding_detail.show_message(EMPTY_DETAIL)
            else:
                w.finding_detail.show_finding(None, "", "")
            w.header_view.highlight(None)
            w.payload_view.highlight(None)
            return
        explanation, reference = (r.explanations if r else {}).get(finding.id, ("", ""))
        w.finding_detail.show_finding(finding, explanation, reference)
        loc = finding.location or ""
        w.header_view.highlight(loc if loc.startswith("/header") else None)
        w.payload_view.highlight(loc if loc.startswith("/payload") else None)

    def set_theme(self, t: Theme, *, paint_verdict: bool = True) -> None:
        """The panes in ``t``'s colours, and the current result shown again in them."""
        w = self.w
        w.token_edit.set_part_colours(
            {n: t.qcolor(n) for n in ("header", "payload", "signature", "dot", "error")}
        )
        for view in (w.header_view, w.payload_view):
            view.set_colours(t.qcolor("muted"), t.qcolor("highlight"))
        w.findings_view.set_theme(t)
        w.finding_detail.set_theme(t)
        r = self.state.result
        w.verdict_banner.set_theme(t, paint=paint_verdict and (r is None or r.view is None))
        if r is not None and r.view is not None:
            self.show(r)
            self._on_findings_view_finding_selected(w.findings_view.current_finding())
            if self.state.stale:
                w.verdict_banner.show_stale()  # in the new colours: still out of date
