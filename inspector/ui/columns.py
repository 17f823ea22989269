"""The window's outer columns, each following the window's state (:mod:`inspector.ui.state`):

- :class:`TokenColumn` (left): the encoded token, coloured part by part, the huge-input
  notice, and the key panel with what the key was read as;
- :class:`VerdictColumn` (right): the verdict banner, the findings
  (:class:`~inspector.ui.result_panes.FindingsPanel`) and the validation settings;
- :class:`StatusLine`: the token's size and "Inspecting…" in the status bar.

The middle column is :class:`~inspector.ui.result_panes.DecodedPanes`. Each column is a
plain object owning its ``widget`` (see :mod:`~inspector.ui.result_panes` for why not a
subclass), built without a parent: the window styles it, then puts it in its splitter (see
``InspectorWindow._assemble``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from inspector.presentation import decryption_key_words, size_text, token_verdict
from inspector.ui.jobs import Plain
from inspector.ui.panels import KeyPanel, ValidationPanel
from inspector.ui.render import utf16_mapper
from inspector.ui.result_panes import FindingsPanel, titled_with_copy, vbox
from inspector.ui.theme import Theme, monospace_font, style_widgets
from inspector.ui.token_editor import HugeBar, TokenEditor
from inspector.ui.verdict_banner import VerdictBanner, set_unbroken_text

if TYPE_CHECKING:
    from inspector.ui.jobs import InspectionResult, SegmentView
    from inspector.ui.state import InspectorState
    from inspector.ui.worker import InspectionRunner

#: The key box's title: for a JWE's key (which decrypts), and for any other token's.
KEY_TITLES = {True: "Decryption key", False: "Verify signature"}
#: How the left column's height is shared when the key's text needs room: the key box up to
#: five sixths (a two-key RSA JWK Set, pretty-printed, fits at 1600x1000), the token the rest.
TOKEN_STRETCH, KEY_STRETCH = 1, 5
#: The token editor keeps at least this height (px): about six lines.
TOKEN_MIN_HEIGHT = 110

#: The token's part colours from the theme, by part name.
PART_COLOURS = ("header", "payload", "signature", "dot", "error")


def shifted(segment: SegmentView, by: int) -> SegmentView:
    """``segment`` moved ``by`` characters along the text."""
    return Plain(**{**vars(segment), "start": segment.start + by, "end": segment.end + by})


class TokenColumn:
    """The token editor above the key panel, in :attr:`widget`."""

    def __init__(self, state: InspectorState) -> None:
        self.state = state
        self.widget = w = QWidget()
        self._layout = layout = vbox(w)
        self.token_edit = TokenEditor(w)
        self.token_edit.setFont(monospace_font())
        row, self.copy_button = titled_with_copy("&Encoded token", w, self.token_edit, "the token")
        self.copy_button.setObjectName("copyTokenButton")
        layout.addLayout(row)
        self._above_editor = layout.count()  # see add_above_editor
        self.huge_bar = HugeBar(self.token_edit, w)
        layout.addWidget(self.huge_bar)
        layout.addWidget(self.token_edit, TOKEN_STRETCH)
        self.token_edit.setMinimumHeight(TOKEN_MIN_HEIGHT)
        # The key box takes up to its share of the column's height when its text needs it
        # (KeyPanel.fit_to_text caps it at what the text needs), the token editor the rest.
        self.key_panel = KeyPanel(w)
        layout.addWidget(self.key_panel, KEY_STRETCH)
        state.subscribe("result", self._on_state_result)
        state.subscribe("key_cleared", self.key_panel.key_edit.clear)

    def tab_chain(self) -> list[QWidget]:
        """Its controls in the order the Tab key visits them."""
        kp = self.key_panel
        return [
            self.huge_bar.button,
            self.token_edit,
            kp.key_edit,
            kp.secret_encoding,
            kp.open_button,
        ]

    def add_above_editor(self, widget: QWidget, focus: QWidget, theme: Theme) -> None:
        """Put ``widget`` (a capability such as the token chooser) just above the token
        editor, in ``theme``'s look, with ``focus`` visited by Tab just before the editor."""
        style_widgets(widget, theme)
        self._layout.insertWidget(self._above_editor, widget)
        QWidget.setTabOrder(self.huge_bar.button, focus)
        QWidget.setTabOrder(focus, self.token_edit)

    def reveal(self, start: int) -> None:
        """Scroll the token editor to the character at ``start`` of the text (a token chosen
        further down), putting the cursor there; not in the elided preview of huge input,
        nor while the user is typing in the editor (the cursor is theirs then)."""
        if self.token_edit.is_elided() or self.token_edit.hasFocus():
            return
        cursor = self.token_edit.textCursor()
        cursor.setPosition(utf16_mapper(self.token_edit.text())(start))
        self.token_edit.setTextCursor(cursor)
        self.token_edit.ensureCursorVisible()

    def _on_state_result(self, result: InspectionResult, _same_inputs: bool) -> None:
        view = result.view
        if view is None:
            return
        text, segments, chosen = result.request.text, view.segments, self.state.chosen
        full = self.token_edit.text()
        if chosen is not None and full[chosen[1] : chosen[2]] == text:
            # A token chosen in the text: its parts are coloured where they stand in it.
            segments = tuple(shifted(s, chosen[1]) for s in segments)
            text = full
        self.token_edit.show_segments(segments, text)
        v, d, kp = view.verification, view.decryption, self.key_panel
        if kp.title() != KEY_TITLES[d is not None]:
            kp.setTitle(KEY_TITLES[d is not None])  # a JWE's key decrypts (issue 14)
        if d is not None:
            kind = decryption_key_words(d, key_entered=bool(kp.key_text().strip()))
        elif v.key:
            kind = f"Detected: {v.key}"
        elif self.key_panel.key_text().strip():
            kind = "Key not used" + (f": {v.reason}" if v.status == "unchecked" else "")
        else:
            kind = "No key entered"
        set_unbroken_text(self.key_panel.key_kind, kind)

    def set_theme(self, t: Theme) -> None:
        self.token_edit.set_part_colours({n: t.qcolor(n) for n in PART_COLOURS})
        if self.state.result is not None:
            self._on_state_result(self.state.result, True)


class VerdictColumn:
    """The verdict, the findings and the validation settings, in :attr:`widget`."""

    def __init__(self, state: InspectorState, theme: Theme) -> None:
        self.state = state
        self.widget = w = QWidget()
        layout = vbox(w)
        self.verdict_banner = VerdictBanner(theme, w)
        layout.addWidget(self.verdict_banner)
        self.findings = FindingsPanel(state, theme, w, layout)
        self.validation_panel = ValidationPanel(w)
        layout.addWidget(self.validation_panel)
        state.subscribe("result", self._on_state_result)
        self.verdict_banner.follow(state)  # "Inspecting…" while stale

    def tab_chain(self) -> list[QWidget]:
        """Its controls in the order the Tab key visits them."""
        vp = self.validation_panel
        return [
            self.findings.findings_view,
            self.findings.finding_detail,
            vp.now_check,
            vp.when_widget(),
            vp.leeway,
            vp.audience,
            vp.issuer,
        ]

    def _on_state_result(self, result: InspectionResult, _same_inputs: bool) -> None:
        view = result.view
        if view is None:
            # Only a bug in the codec gets here: say so rather than show stale panes.
            self.verdict_banner.show_failure(result.failure or "")
            return
        has_key = bool((result.request.options.key or "").strip())
        words = token_verdict(view, has_key=has_key)
        self.verdict_banner.show_verdict(*words)

    def set_theme(self, t: Theme, *, paint_verdict: bool = True) -> None:
        r = self.state.result
        self.verdict_banner.set_theme(t, paint=paint_verdict and (r is None or r.view is None))
        self.findings.set_theme(t)
        if r is not None and r.view is not None:
            self._on_state_result(r, True)
        if self.state.stale:
            self.verdict_banner.show_stale()  # in the new colours: still out of date


class StatusLine(QObject):
    """The token's size (``sizeLabel``), and "Inspecting…" while the runner is busy."""

    def __init__(self, bar: QStatusBar, state: InspectorState, runner: InspectionRunner) -> None:
        super().__init__(bar)
        self.size_label = QLabel("", bar)
        self.size_label.setObjectName("sizeLabel")
        self.size_label.setAccessibleName("Token size")
        self.size_label.setProperty("role", "muted")
        self.busy_label = QLabel("", bar)
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setProperty("role", "muted")
        bar.addWidget(self.size_label, 1)
        bar.addPermanentWidget(self.busy_label)
        state.subscribe("result", self._on_state_result)
        runner.busy_changed.connect(self._on_runner_busy_changed)

    def _on_state_result(self, result: InspectionResult, _same_inputs: bool) -> None:
        if result.view is not None:
            self.size_label.setText(size_text(result.view.token_size, result.limits))

    @Slot(bool)
    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("Inspecting…" if busy else "")
