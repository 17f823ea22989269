"""The panes that show a result, each following the window's state (:mod:`inspector.ui.state`)
by itself, as napari's ``_qt`` widgets follow their models:

- :class:`DecodedPanes`, the middle column: the header, payload and signature; it highlights
  the claim of the selected finding;
- :class:`FindingsPanel`: the findings' count, their list (most severe first) and the
  explanation of the selected one.

A new result is shown as it arrives; a stale one is dimmed (disabled panes are drawn in the
theme's muted colour: ``theme.set_colour`` leaves the disabled state to the application
palette). The words come from :mod:`inspector.presentation`. Nothing here is told what to
show by the window: it subscribes in its constructor and reads ``state.result``.

Each is a plain Python object owning plain Qt widgets, not a subclass of one: every virtual
call Qt makes on a Python subclass (size hints, events: hundreds while the window is laid
out) first looks for a Python override, which cost the first frame ~2 ms in all.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.presentation import findings_summary
from inspector.ui.clipboard import button
from inspector.ui.findings_view import FindingDetail, FindingsView
from inspector.ui.json_view import JsonView
from inspector.ui.qtvalues import VERTICAL
from inspector.ui.theme import Theme, monospace_font, set_colour

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from inspector.ui.jobs import FindingView, InspectionResult
    from inspector.ui.state import InspectorState

#: What the explanation pane says before any token is entered.
EMPTY_DETAIL = (
    "Paste a token on the left (or drop a file): what is wrong with it, and why it matters, "
    "appears here."
)


def pane_title(text: str, parent: QWidget, buddy: QWidget) -> QLabel:
    """A pane's title (its mnemonic moves the focus to ``buddy``)."""
    label = QLabel(text, parent)
    label.setProperty("role", "paneTitle")
    label.setBuddy(buddy)
    return label


def titled_with_copy(
    text: str, parent: QWidget, buddy: QWidget, what: str
) -> tuple[QHBoxLayout, QPushButton]:
    """A pane's title with a small "Copy" button at its right end, on one row (the window
    connects the button: it copies ``what``, e.g. "the header JSON"). Returns the row and the
    button."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(6)
    title = pane_title(text, parent, buddy)
    row.addWidget(title, 1)
    copy = button("Copy", parent)
    copy.setProperty("role", "paneButton")
    copy.setToolTip(f"Copy {what} to the clipboard")
    copy.setAccessibleName(f"Copy {what}")
    # As tall as the title's line, so the row (and the pane under it) does not grow for it;
    # by its size policy, not the title's measured height: measuring a widget before the
    # window styles it styles it twice (see InspectorWindow._assemble).
    copy.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
    row.addWidget(copy)
    return row, copy


def vbox(widget: QWidget, spacing: int = 6) -> QVBoxLayout:
    """A vertical layout on ``widget`` without margins."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    return layout


@contextmanager
def kept_place(pane: QPlainTextEdit) -> Iterator[None]:
    """Keep ``pane``'s scroll position and selection (clamped to its new text) across a
    change of its text."""
    bar, cursor = pane.verticalScrollBar(), pane.textCursor()
    scroll, anchor, position = bar.value(), cursor.anchor(), cursor.position()
    yield
    end = max(0, pane.document().characterCount() - 1)
    cursor = pane.textCursor()
    cursor.setPosition(min(anchor, end))
    cursor.setPosition(min(position, end), cursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    bar.setValue(scroll)


class DecodedPanes:
    """The header, payload and signature, one above the other in :attr:`widget` (a splitter).

    Built without its boxes: :meth:`assemble` adds them, when the window is ready to be
    measured (a splitter measures, and so styles, what it is given)."""

    def __init__(self, state: InspectorState) -> None:
        self.widget = QSplitter()  # not QSplitter(parent): see qtvalues
        self.widget.setProperty("orientation", VERTICAL)  # not Qt.Orientation: see qtvalues
        self.widget.setObjectName("decodedPanes")
        self.widget.setChildrenCollapsible(False)
        self.state = state
        self.header_view = JsonView("header")
        self.payload_view = JsonView("payload")
        self.signature_view = sig = QPlainTextEdit()
        sig.setObjectName("signatureView")
        sig.setProperty("part", "signature")
        sig.setReadOnly(True)
        sig.setAccessibleName("Signature")
        sig.setTabChangesFocus(True)
        sig.setWordWrapMode(sig.wordWrapMode().WrapAtWordBoundaryOrAnywhere)
        #: Each pane in a box with its title, and the box's stretch in the column.
        self.boxes: list[tuple[QWidget, int]] = []
        #: The "Copy" buttons by part (the window connects them to its copy actions).
        self.copy_buttons: dict[str, QPushButton] = {}
        #: The panes' titles by part; followers of the theme (a panel made later: disclosures).
        self.titles: dict[str, QLabel] = {}
        self.theme_followers: list[Callable[[Theme], object]] = []
        for title, view, stretch, part, what in (
            ("&Header", self.header_view, 2, "header", "the header JSON"),
            ("&Payload", self.payload_view, 5, "payload", "the payload JSON"),
            ("&Signature", self.signature_view, 2, "signature", "the signature as shown"),
        ):
            view.setFont(monospace_font())
            box = QWidget()
            bv = vbox(box, spacing=2)
            row, self.copy_buttons[part] = titled_with_copy(title, box, view, what)
            self.copy_buttons[part].setObjectName(f"copy{part.title()}Button")
            self.titles[part] = row.itemAt(0).widget()
            bv.addLayout(row)
            bv.addWidget(view, 1)
            self.boxes.append((box, stretch))
        state.subscribe("result", self._on_state_result)
        state.subscribe("stale", self._on_state_stale)
        state.subscribe("selection", self._on_state_selection)

    def assemble(self) -> None:
        splitter = self.widget
        for box, stretch in self.boxes:
            splitter.addWidget(box)
            splitter.setStretchFactor(splitter.count() - 1, stretch)

    def panes(self) -> tuple[QPlainTextEdit, ...]:
        return (self.header_view, self.payload_view, self.signature_view)

    def _on_state_result(self, result: InspectionResult, same_inputs: bool) -> None:
        view = result.view
        if view is None:
            return  # the banner says why
        for pane, rendered in (
            (self.header_view, result.header),
            (self.payload_view, result.payload),
        ):
            if same_inputs:
                # The clock moved ("valid for another 9 s"): the user's place stays.
                with kept_place(pane):
                    pane.show_json(rendered, view.tips)
            else:
                pane.show_json(rendered, view.tips)
        for pane in (self.header_view, self.payload_view):
            pane.setPlaceholderText(view.empty_reasons.get(pane.part, ""))
        self.signature_view.setPlainText(view.signature_text)
        name, why = view.profile  # the token's profile (issue 15) by the header's title
        self.titles["header"].setText(f"&Header · {name}" if name else "&Header")
        self.titles["header"].setToolTip(f"Profile: {name}, {why}" if name else why)

    def _on_state_stale(self, stale: bool) -> None:
        for pane in self.panes():
            pane.setEnabled(not stale)

    def _on_state_selection(self, finding: FindingView | None) -> None:
        loc = (finding.location or "") if finding is not None else ""
        self.header_view.highlight(loc if loc.startswith(("/header", "/nested")) else None)
        self.payload_view.highlight(loc if loc.startswith("/payload") else None)

    def set_theme(self, t: Theme) -> None:
        for view in (self.header_view, self.payload_view):
            view.set_colours(t.qcolor("muted"), t.qcolor("highlight"))
        for follow in self.theme_followers:
            follow(t)
        if self.state.result is not None:
            self._on_state_result(self.state.result, True)


class FindingsPanel:
    """The findings' count (``findingsSummary``), their list and the selected one explained,
    added to ``layout`` (on ``parent``); selecting a finding is told to the state (the decoded
    panes highlight its claim)."""

    def __init__(
        self, state: InspectorState, theme: Theme, parent: QWidget, layout: QVBoxLayout
    ) -> None:
        self.state = state
        self.theme = theme
        self.findings_view = FindingsView(parent)
        self.summary = QLabel("Findings", parent)
        self.summary.setObjectName("findingsSummary")
        self.summary.setProperty("role", "paneTitle")
        self.summary.setBuddy(self.findings_view)
        layout.addWidget(self.summary)
        layout.addWidget(self.findings_view, 3)
        self.finding_detail = FindingDetail(parent)
        layout.addWidget(self.finding_detail, 2)
        state.subscribe("result", self._on_state_result)
        state.subscribe("stale", self._on_state_stale)
        self.findings_view.finding_selected.connect(self._on_findings_view_finding_selected)

    def _on_state_result(self, result: InspectionResult, same_inputs: bool) -> None:
        view = result.view
        if view is None:
            return
        # Nothing entered yet: a calm empty state, not an error about the missing token.
        empty = not result.request.text.strip()
        findings = () if empty else view.findings
        # The same input again (the clock ticked, a tool asked): keep the user's selection;
        # a new token or key: explain its most severe finding.
        self.findings_view.show_findings(findings, keep_selection=same_inputs)
        self._show_summary(findings, empty=empty)

    def _show_summary(self, findings: tuple[FindingView, ...], *, empty: bool) -> None:
        # The worst severity colours the count when it is error, critical or high (its word is
        # in the text too); otherwise the summary is muted like the other pane titles.
        from PySide6.QtGui import QPalette

        theme = self.theme
        worst = findings[0].severity if findings and not empty else ""
        colour = (
            theme.severity(worst)
            if worst in ("error", "critical", "high")
            else theme.qcolor("muted")
        )
        set_colour(self.summary, QPalette.ColorRole.WindowText, colour)
        self.summary.setText("Paste a token…" if empty else findings_summary(findings))

    def _on_state_stale(self, stale: bool) -> None:
        for pane in (self.findings_view, self.finding_detail, self.summary):
            pane.setEnabled(not stale)

    def _on_findings_view_finding_selected(self, finding: FindingView | None) -> None:
        r = self.state.result
        if finding is None:
            if r is not None and not r.request.text.strip():
                self.finding_detail.show_message(EMPTY_DETAIL)
            else:
                self.finding_detail.show_finding(None, "", "")
        else:
            explanation, reference = (r.explanations if r else {}).get(finding.id, ("", ""))
            self.finding_detail.show_finding(finding, explanation, reference)
        self.state.select_finding(finding)

    def set_theme(self, t: Theme) -> None:
        self.theme = t
        self.findings_view.set_theme(t)
        self.finding_detail.set_theme(t)
        r = self.state.result
        if r is not None and r.view is not None:
            self._on_state_result(r, True)
            self._on_findings_view_finding_selected(self.findings_view.current_finding())
