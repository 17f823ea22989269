"""``DisclosuresPanel``: an SD-JWT's disclosures (RFC 9901), listed beside the payload.

Each row is one disclosure as the holder presented it: the claim it opens (``name = value``,
or ``[n] = value`` for an array element) and where it lands in the disclosed payload (a JSON
Pointer). Selecting a row highlights that place in the payload pane, which shows the disclosed
payload for an SD-JWT (:func:`inspector.ui.jobs.shown_payload`); its title says how many
claims were put in place. A disclosure that fills nothing (forged, foreign or malformed) is
marked with its finding's severity icon and id, and is not in that payload. The header line
gives the count and the key binding's status (its reason in the line below and the tooltip).
When the issuer's ``cnf`` names the holder's key (by ``kid`` or thumbprint) instead of carrying
it, a "Holder key…" button under the reason opens a small key box: its text is the
``kb_key`` of each inspection (:meth:`DisclosuresPanel.holder_options`, one of the scheduler's
``option_hooks``), so the key-binding JWT is verified with the key the user enters. Whenever
there is a key-binding JWT, "Expected aud, nonce…" beside it opens two fields: the verifier's
identifier and the nonce it sent, which the KB-JWT's ``aud`` and ``nonce`` must equal
(``kb_audience``, ``kb_nonce``: the verifier's checks of RFC 9901); left empty, they
are not compared, as the reason says.

Made on the first SD-JWT shown (the window's first frame never builds it: see
:mod:`inspector.ui.qtvalues`), then it follows the window's state by itself, like the panes of
:mod:`inspector.ui.result_panes`, and hides for any other token. It puts itself beside the
payload pane, in a splitter that takes the pane's place in its box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QWidget,
)

from inspector.ui.qtvalues import DECORATION_ROLE
from inspector.ui.result_panes import vbox
from inspector.ui.theme import (
    SEVERITY_WORDS,
    Theme,
    monospace_font,
    severity_icon,
    style_widgets,
)

if TYPE_CHECKING:
    from inspector.core.options import InspectOptions
    from inspector.ui.jobs import DisclosureView, InspectionResult, SdJwtView
    from inspector.ui.result_panes import DecodedPanes
    from inspector.ui.state import InspectorState

#: The payload pane's and the list's shares of the height, the list under the pane: beside
#: it, at 1024 pixels wide, both were too narrow to read a claim and its pointer on one line.
PAYLOAD_STRETCH, LIST_STRETCH = 3, 2
#: Severity icons in the list are this many pixels wide (as in the findings list).
ICON_SIZE = 16
#: What the list's header line calls each key-binding status.
KEY_BINDING_WORDS = {
    "valid": "key binding verified",
    "invalid": "key binding INVALID",
    "absent": "no key binding",
    "unchecked": "key binding not checked",
}
PAYLOAD_TITLE = "&Payload"
#: Characters of a claim name shown in a row.
NAME_CHARS = 100
#: The holder key button's words, the key box closed and open.
HOLDER_KEY_OPEN, HOLDER_KEY_CLOSE = "Holder key…", "Hide holder key"
#: The holder key box's height range (pixels): a JWK or a PEM public key in a few lines.
HOLDER_KEY_HEIGHTS = (44, 80)
#: The expected aud/nonce button's words, the fields closed and open.
EXPECT_OPEN, EXPECT_CLOSE = "Expected aud, nonce…", "Hide aud, nonce"
#: The list's least height (pixels): one disclosure's two lines, so that at 1024x700 the key
#: binding's reason and the holder key box fit under it.
LIST_MIN_HEIGHT = 40
#: The payload pane keeps at least this many pixels when the list grows to show the key
#: binding's reason and the holder key row whole (:meth:`DisclosuresPanel._fit`).
PAYLOAD_MIN = 100


def payload_title(sd: SdJwtView | None) -> str:
    """The payload pane's title: for an SD-JWT, what it shows (short: the middle column is
    about 250 pixels wide at 1024; :func:`payload_tip` says it in full)."""
    if sd is None:
        return PAYLOAD_TITLE
    if not sd.payload_disclosed:
        return f"{PAYLOAD_TITLE} (as signed)"
    n = sum(1 for d in sd.disclosures if d.location is not None)
    return f"{PAYLOAD_TITLE} ({n} disclosed)"


def payload_tip(sd: SdJwtView | None) -> str:
    """The payload pane title's tooltip: what the pane shows, in full."""
    if sd is None:
        return ""
    if not sd.payload_disclosed:
        return (
            "The payload as the issuer signed it: the disclosures could not be put in place "
            "(the findings say why)."
        )
    n = sum(1 for d in sd.disclosures if d.location is not None)
    return (
        f"The disclosed payload: the signed payload with the {n} disclosed "
        f"claim{'s' * (n != 1)} whose digests it holds put in place, and the digests "
        "('_sd', '...') removed. A disclosure whose digest is not there is left out."
    )


def shown_name(name: str) -> str:
    """A claim name (or pointer) as the list shows it: as it is when printable, else quoted
    with the unprintable characters escaped, so a newline or a bidirectional override in a
    hostile name cannot fake another row's text."""
    if name.isprintable():
        shown = name
    else:
        escaped = (c if c.isprintable() else c.encode("unicode_escape").decode() for c in name)
        shown = '"' + "".join(escaped) + '"'

    return shown if len(shown) <= NAME_CHARS else shown[:NAME_CHARS] + "…"


def row_text(d: DisclosureView) -> str:
    """A disclosure's row: the claim and its value, then where it lands or why it does not."""
    if d.finding_id == "sd-disclosure-malformed":
        what = f"Disclosure {d.number}"
    else:
        what = shown_name(d.name) if d.name is not None else "[array element]"
    first = f"{what} = {d.value}" if d.value else f"{what}"
    if d.problem:
        word = SEVERITY_WORDS.get(d.severity, d.severity)
        tag = f" ({d.finding_id}, {word})" if d.finding_id and word else ""
        return f"{first}\nLeft out: {d.problem}{tag}"
    return f"{first}\n→ {shown_name(d.location or '')}"


class DisclosuresPanel:
    """The disclosures list beside the payload pane of ``panes``, following ``state``."""

    def __init__(
        self, state: InspectorState, panes: DecodedPanes, theme: Theme, result: InspectionResult
    ) -> None:
        """Made when ``result`` (an SD-JWT's) is shown, which it shows at once."""
        self.state = state
        self.panes = panes
        self.theme = theme
        self.widget = w = QWidget()
        w.setObjectName("disclosuresPanel")
        layout = vbox(w, spacing=2)
        self.list = QListWidget(w)
        self.list.setObjectName("disclosuresList")
        self.list.setAccessibleName("Disclosures")
        self.list.setAccessibleDescription(
            "The SD-JWT's disclosures; selecting one highlights where it lands in the payload"
        )
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setMinimumHeight(LIST_MIN_HEIGHT)
        self.title = QLabel("Disclosures", w)
        self.title.setObjectName("disclosuresTitle")
        self.title.setProperty("role", "paneTitle")
        self.title.setBuddy(self.list)
        self.title.setWordWrap(True)
        self.key_binding = QLabel("", w)
        self.key_binding.setObjectName("keyBindingReason")
        self.key_binding.setProperty("role", "muted")
        self.key_binding.setWordWrap(True)
        self.key_binding.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.holder_button = QToolButton(w)
        self.holder_button.setObjectName("holderKeyButton")
        self.holder_button.setText(HOLDER_KEY_OPEN)
        self.holder_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        holder_row = QHBoxLayout()
        holder_row.setContentsMargins(0, 0, 0, 0)
        holder_row.addWidget(self.holder_button)
        self.expect_button = QToolButton(w)
        self.expect_button.setObjectName("kbExpectButton")
        self.expect_button.setText(EXPECT_OPEN)
        self.expect_button.setToolTip(
            "The values the key-binding JWT's aud (your verifier's identifier) and nonce (the "
            "one you sent the holder) must equal; empty fields are not compared"
        )
        self.expect_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        holder_row.addWidget(self.expect_button)
        holder_row.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.key_binding)
        layout.addLayout(holder_row)
        self._layout = layout
        #: The holder key box, built when the button is first pressed.
        self.holder_edit: QPlainTextEdit | None = None
        #: Called when the holder key or the expected aud/nonce change (the re-inspection).
        self.holder_key_edited: Callable[[], object] | None = None
        self._holder_needed: str | None = None
        #: The expected aud and nonce fields, built when their button is first pressed.
        self.expect_row: QWidget | None = None
        self.kb_audience_edit: QLineEdit | None = None
        self.kb_nonce_edit: QLineEdit | None = None
        self.holder_button.hide()
        self.expect_button.hide()
        self.holder_button.clicked.connect(self._on_holder_button_clicked)
        self.expect_button.clicked.connect(self._on_expect_button_clicked)
        self._rows: tuple[DisclosureView, ...] = ()
        self._place_beside_payload()
        style_widgets(w, theme)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        panes.theme_followers.append(self.set_theme)
        state.subscribe("result", self._on_state_result)
        state.subscribe("stale", self._on_state_stale)
        self._on_state_result(result, False)

    def _place_beside_payload(self) -> None:
        """Put a splitter where the payload pane is in its box: the pane, then this list."""
        view = self.panes.payload_view
        box = view.parentWidget()
        self.splitter = QSplitter(Qt.Orientation.Vertical, box)
        self.splitter.setObjectName("payloadSplitter")
        self.splitter.setChildrenCollapsible(False)
        box.layout().replaceWidget(view, self.splitter)
        self.splitter.addWidget(view)
        self.splitter.addWidget(self.widget)
        self.splitter.setStretchFactor(0, PAYLOAD_STRETCH)
        self.splitter.setStretchFactor(1, LIST_STRETCH)
        # The first split too (the stretch shares only what is added later): sizes given
        # as weights share the splitter's height as they do.
        self.splitter.setSizes([PAYLOAD_STRETCH * 100, LIST_STRETCH * 100])
        # Shown now: a layout shows a widget it adopts only once the event loop runs again.
        self.splitter.show()

    # ------------------------------------------------------------------ state
    def _on_state_result(self, result: InspectionResult, same_inputs: bool) -> None:
        view = result.view
        if view is None:
            return
        sd = view.sd_jwt
        self.panes.titles["payload"].setText(payload_title(sd))
        self.panes.titles["payload"].setToolTip(payload_tip(sd))
        if sd is None:
            self.widget.hide()
            self._rows = ()
            self.list.clear()
            return
        kept = self.list.currentRow() if same_inputs else -1
        self._rows = sd.disclosures
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for d in sd.disclosures:
                item = QListWidgetItem(row_text(d))
                tip = f"Disclosure {d.number}\nsalt {d.salt!r}\ndigest {d.digest}"
                if d.problem:
                    tip += f"\n\nLeft out of the payload: {d.problem}. Its finding says why."
                item.setToolTip(tip)
                if d.problem:
                    # Its finding's icon, not struck-through text: the reason must stay legible.
                    icon = severity_icon(d.severity or "high", self.theme, ICON_SIZE)
                    item.setData(DECORATION_ROLE, icon)
                self.list.addItem(item)
        finally:
            self.list.blockSignals(False)
        n = len(sd.disclosures)
        opened = sum(1 for d in sd.disclosures if d.location is not None)
        words = KEY_BINDING_WORDS.get(sd.key_binding, sd.key_binding)
        self.title.setText(f"&Disclosures ({n}) · {words}")
        self.title.setToolTip(sd.key_binding_reason)
        counts = [f"{opened} of {n} in the payload"]
        if sd.undisclosed:
            counts.append(f"{sd.undisclosed} digest{'s' * (sd.undisclosed != 1)} withheld")
        self.key_binding.setText(f"{', '.join(counts)}. {sd.key_binding_reason}")
        self._show_holder_key(sd)
        self.widget.show()
        if 0 <= kept < self.list.count():
            self.list.setCurrentRow(kept)  # re-highlights (the pane was shown again)

    def _on_state_stale(self, stale: bool) -> None:
        self.widget.setEnabled(not stale)

    @Slot(int)
    def _on_list_current_row_changed(self, row: int) -> None:
        d = self._rows[row] if 0 <= row < len(self._rows) else None
        self.panes.payload_view.highlight(d.location if d is not None else None)

    # ------------------------------------------------------------------ the holder key
    def _show_holder_key(self, sd: SdJwtView) -> None:
        """The holder key button (and the box, if open) while the cnf names a key it does not
        carry; the expected aud/nonce button (and the fields, if open) while there is a
        key-binding JWT to compare them with."""
        bound = sd.key_binding != "absent"
        self.expect_button.setVisible(bound)
        if self.expect_row is not None:
            self.expect_row.setVisible(bound and self.expect_button.text() == EXPECT_CLOSE)
        needed = sd.holder_key if bound else None
        self._holder_needed = needed
        if needed is None:
            self.holder_button.hide()
            if self.holder_edit is not None:
                self.holder_edit.hide()
            if bound:
                self._fit()
            return
        self.holder_button.setToolTip(
            f"The issuer's cnf names the holder's key by {needed} without carrying it: enter "
            "that public key (PEM, JWK, or a JWK Set searched by the kid or thumbprint) to "
            "verify the key-binding JWT"
        )
        self.holder_button.show()
        if self.holder_edit is not None:
            self.holder_edit.setPlaceholderText(self._placeholder(needed))
            self.holder_edit.setVisible(self.holder_button.text() == HOLDER_KEY_CLOSE)
        self._fit()

    def _fit(self) -> None:
        """Grow the list's share of the splitter until the reason and the holder key row (and
        its box) fit whole, as far as the payload pane keeps :data:`PAYLOAD_MIN` pixels: the
        reason is what says which key is needed, and a clipped line says nothing."""
        width = self.widget.width()
        if width <= 0:
            return
        shown = [
            x
            for x in (
                self.title,
                self.list,
                self.key_binding,
                self.holder_button,
                self.holder_edit,
                self.expect_row,
            )
            if x is not None and not x.isHidden()
        ]
        want = sum(
            x.heightForWidth(width)
            if x.hasHeightForWidth()
            else x.minimumHeight() or x.minimumSizeHint().height()
            for x in shown
        )
        want += self._layout.spacing() * (len(shown) - 1)
        top, bottom = self.splitter.sizes()
        total = top + bottom
        if bottom >= want or total <= PAYLOAD_MIN:
            return
        bottom = min(want, total - PAYLOAD_MIN)
        self.splitter.setSizes([total - bottom, bottom])

    @staticmethod
    def _placeholder(needed: str) -> str:
        return f"The holder's public key ({needed}): PEM, JWK or JWK Set"

    @Slot()
    def _on_holder_button_clicked(self) -> None:
        edit = self.holder_edit
        if edit is None:
            edit = self.holder_edit = QPlainTextEdit(self.widget)
            edit.setObjectName("holderKeyEdit")
            edit.setAccessibleName("Holder key")
            edit.setAccessibleDescription(
                "The holder's public key that verifies the SD-JWT's key-binding JWT"
            )
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(HOLDER_KEY_HEIGHTS[0])
            edit.setMaximumHeight(HOLDER_KEY_HEIGHTS[1])
            edit.setFont(monospace_font())
            style_widgets(edit, self.theme)
            self._layout.addWidget(edit)
            edit.textChanged.connect(self._on_binding_input_changed)
        opening = edit.isHidden()
        edit.setPlaceholderText(self._placeholder(self._holder_needed or "named by the cnf"))
        edit.setVisible(opening)
        self.holder_button.setText(HOLDER_KEY_CLOSE if opening else HOLDER_KEY_OPEN)
        if opening:
            edit.setFocus()
            self._fit()

    @Slot()
    def _on_binding_input_changed(self) -> None:
        if self.holder_key_edited is not None:
            self.holder_key_edited()

    @Slot()
    def _on_expect_button_clicked(self) -> None:
        row = self.expect_row
        if row is None:
            row = self.expect_row = QWidget(self.widget)
            row.setObjectName("kbExpectRow")
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            self.kb_audience_edit = self._expect_edit(
                row, line, "&aud", "kbAudienceEdit", "your verifier's identifier"
            )
            self.kb_nonce_edit = self._expect_edit(
                row, line, "n&once", "kbNonceEdit", "the nonce you sent"
            )
            style_widgets(row, self.theme)
            self._layout.addWidget(row)
        opening = row.isHidden()
        row.setVisible(opening)
        self.expect_button.setText(EXPECT_CLOSE if opening else EXPECT_OPEN)
        if opening and self.kb_audience_edit is not None:
            self.kb_audience_edit.setFocus()
            self._fit()

    def _expect_edit(
        self, row: QWidget, line: QHBoxLayout, label: str, name: str, placeholder: str
    ) -> QLineEdit:
        """One labelled field of the expected aud/nonce row, re-inspecting as it changes."""
        edit = QLineEdit(row)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(f"Expected key-binding {label.replace('&', '')}")
        caption = QLabel(label, row)
        caption.setBuddy(edit)
        line.addWidget(caption)
        line.addWidget(edit, 1)
        edit.textChanged.connect(self._on_binding_input_changed)
        return edit

    def expected_binding(self) -> tuple[str | None, str | None]:
        """The expected aud and nonce typed in their fields (``None`` for an empty one, which
        is not compared; surrounding spaces are not part of a value)."""
        fields = (self.kb_audience_edit, self.kb_nonce_edit)
        values = tuple((f.text().strip() or None) if f is not None else None for f in fields)
        return values[0], values[1]

    def holder_key_text(self) -> str:
        """The holder key box's text (``""`` before it is opened)."""
        return self.holder_edit.toPlainText() if self.holder_edit is not None else ""

    def holder_options(self, base: InspectOptions) -> InspectOptions:
        """``base`` with the holder key box's text as ``kb_key`` when it holds one, and the
        expected aud and nonce (``kb_audience``, ``kb_nonce``) when they are typed."""
        text = self.holder_key_text()
        if text.strip():
            base = replace(base, kb_key=text)
        audience, nonce = self.expected_binding()
        if audience is not None or nonce is not None:
            base = replace(base, kb_audience=audience, kb_nonce=nonce)
        return base

    # ------------------------------------------------------------------ queries and theme
    def selected(self) -> DisclosureView | None:
        row = self.list.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        style_widgets(self.widget, theme)
        for row, d in enumerate(self._rows):
            if d.problem:
                icon = severity_icon(d.severity or "high", theme, ICON_SIZE)
                self.list.item(row).setData(DECORATION_ROLE, icon)
