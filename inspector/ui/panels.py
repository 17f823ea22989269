"""Input panels beside the token: the key to verify with, and the validation settings."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpacerItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from inspector.ui.theme import monospace_font

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QDateTimeEdit

    from inspector.core.options import InspectOptions
    from inspector.fetching import FetchedJWKS

#: The key box shows at least this many lines, however short the key.
KEY_MIN_LINES = 4
#: A key text longer than this is not measured line by line: the box just grows.
KEY_FIT_MAX_CHARS = 200_000
#: Qt's QWIDGETSIZE_MAX: no maximum.
QWIDGETSIZE_MAX = 16_777_215
#: How the time to judge at is shown (Qt's format), and the same for ``time.strftime``.
WHEN_FORMAT = "yyyy-MM-dd HH:mm:ss"
WHEN_FORMAT_PY = "%Y-%m-%d %H:%M:%S"

#: Combo text -> the core's ``secret_encoding`` value.
SECRET_ENCODINGS = {
    "UTF-8": "utf-8",
    "base64": "base64",
    "base64url": "base64url",
    "hex": "hex",
}


class KeyPanel(QGroupBox):
    """The key (secret, PEM, certificate, JWK or JWK Set) and how a secret is encoded.

    Signals:
        key_edited(): the key text or the secret encoding changed.
        open_file_requested(): the user pressed "Open key file...".
    """

    key_edited = Signal()
    open_file_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Verify signature", parent)
        self.setObjectName("keyPanel")
        self.key_edit = QPlainTextEdit(self)
        self.key_edit.setObjectName("keyEdit")
        self.key_edit.setAccessibleName("Key")
        self.key_edit.setAccessibleDescription(
            "Secret, PEM public key or certificate, JWK or JWK Set used to verify the signature"
        )
        self.key_edit.setPlaceholderText("Secret, PEM public key or certificate, JWK or JWK Set")
        self.key_edit.setFont(monospace_font())
        self.key_edit.setTabChangesFocus(True)
        # Keys are base64 and hex runs: broken anywhere, not at a '-' or before a long value
        # (which leaves half-empty lines, and a JWK Set needing more of them).
        self.key_edit.setWordWrapMode(self.key_edit.wordWrapMode().WrapAnywhere)
        self.key_edit.setMinimumHeight(KEY_MIN_LINES * self.key_edit.fontMetrics().lineSpacing())

        self.key_kind = QLabel("No key entered", self)
        self.key_kind.setObjectName("keyKind")
        self.key_kind.setAccessibleName("Detected key")
        self.key_kind.setWordWrap(True)
        self.key_kind.setProperty("role", "muted")
        # No taller than its text (the panel is as tall as its key box needs, see below).
        self.key_kind.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.secret_encoding = QComboBox(self)
        self.secret_encoding.setObjectName("secretEncoding")
        self.secret_encoding.setAccessibleName("Secret encoding")
        self.secret_encoding.addItems(list(SECRET_ENCODINGS))
        self.secret_encoding.setToolTip("How a shared secret is written: as text or as bytes")
        encoding_label = QLabel("Secret &encoding", self)
        encoding_label.setBuddy(self.secret_encoding)
        encoding_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.open_button = QPushButton(parent=self)  # not (text, parent): see window._button
        self.open_button.setText("Open key file...")
        self.open_button.setObjectName("openKeyButton")
        self.open_button.setAccessibleName("Open key file")

        row = QHBoxLayout()
        row.addWidget(encoding_label)
        row.addWidget(self.secret_encoding)
        # A spacer that only grows sideways (addStretch's grows down too, and would let the
        # panel grow past what its key box needs: blank space between its rows).
        row.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed))
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.key_edit)
        layout.addWidget(self.key_kind)
        layout.addLayout(row)
        # The panel is no taller than its key box lets it be (see fit_to_text): the column
        # gives the rest to the token editor, rather than blank space inside the panel.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMaximumSize)
        #: A JWK Set fetched from an issuer or URL (issue 13), set by
        #: :mod:`inspector.ui.issuer_keys`; it counts while the key box holds its text.
        self.fetched: FetchedJWKS | None = None
        #: Splits the key into a decryption key (this box) and the inner token's verification
        #: key (issue 14), set by :mod:`inspector.ui.decryption_panel`; ``None`` until then.
        self.split_keys: Callable[[InspectOptions], InspectOptions] | None = None

        self.key_edit.textChanged.connect(self.key_edited)
        # The box grows with its text (as far as the column lets it: see TokenColumn), and
        # again when a narrower box wraps the text onto more lines (the range then changes).
        self.key_edit.textChanged.connect(self.fit_to_text)
        self.key_edit.verticalScrollBar().rangeChanged.connect(self.fit_to_text)
        self.secret_encoding.currentIndexChanged.connect(self.key_edited)
        self.open_button.clicked.connect(self.open_file_requested)

    def key_text(self) -> str:
        return self.key_edit.toPlainText()

    @Slot()
    def fit_to_text(self) -> None:
        """Let the key box be as tall as its text needs, no taller: the column gives it room
        (a JWK Set is read without scrolling when the window is tall enough) and the token
        editor keeps the rest. The height is the text's as the box lays it out (wrapped at
        its width), plus half a line so the end never hides under the frame."""
        edit = self.key_edit
        line = edit.fontMetrics().lineSpacing()
        if len(edit.toPlainText()) > KEY_FIT_MAX_CHARS:
            edit.setMaximumHeight(QWIDGETSIZE_MAX)  # far more than a window shows: just grow
            return
        document = edit.document()
        block, text_height = document.begin(), 0.0
        while block.isValid():
            text_height += edit.blockBoundingRect(block).height()
            block = block.next()
        chrome = 2 * (edit.frameWidth() + document.documentMargin())
        needed = max(KEY_MIN_LINES * line, text_height + line // 2) + chrome
        edit.setMaximumHeight(min(int(needed) + 1, QWIDGETSIZE_MAX))

    def encoding(self) -> str:
        return SECRET_ENCODINGS[self.secret_encoding.currentText()]

    def key_options(self, base: InspectOptions) -> InspectOptions:
        """``base``, verifying with the fetched JWK Set and judged against where it came from
        (``fetched.options``: issuer mismatch, published private keys) while the key box
        holds that set's text unchanged; ``base`` as it is otherwise. Then the keys are
        split, while a nested JWE's inner key box is shown (:attr:`split_keys`)."""
        if self.split_keys is not None:
            return self.split_keys(self._fetched_options(base))
        return self._fetched_options(base)

    def _fetched_options(self, base: InspectOptions) -> InspectOptions:
        fetched = self.fetched
        if fetched is None or base.key != fetched.text:
            return base
        return fetched.options(base)

    def add_row(self, widget: QWidget) -> None:
        """Put ``widget`` (a tool's row, built after the first frame) under the key's
        description, above the secret encoding."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.key_kind) + 1, widget)

    def set_encoding(self, encoding: str) -> None:
        """Select the secret encoding by the core's name (``"utf-8"``, ``"hex"``...)."""
        for label, value in SECRET_ENCODINGS.items():
            if value == encoding.lower():
                self.secret_encoding.setCurrentText(label)
                return


class ValidationPanel(QGroupBox):
    """When to judge the token ("now" or a chosen time), leeway, expected audience and issuer.

    Signals:
        settings_changed(): any setting changed.
    """

    settings_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Validation", parent)
        self.setObjectName("validationPanel")
        self.now_check = QCheckBox("Now", self)
        self.now_check.setObjectName("nowCheck")
        self.now_check.setAccessibleName("Judge at the current time")
        self.now_check.setChecked(True)
        self.now_check.setToolTip("Untick to ask: was the token valid at another time?")
        # Until "Now" is unticked (or the editor is asked for), the first frame shows a
        # disabled, editable combo box with the time in the editor's format: drawn as the
        # disabled date-time editor with its calendar button is. The editor itself is made
        # on first use: its Python classes and Qt's local-time range for it (38 mktime
        # calls) cost the first frame ~2 ms.
        self._when: QDateTimeEdit | None = None
        self._when_stand_in = QComboBox(self)
        self._when_stand_in.setObjectName("validationTime")
        self._when_stand_in.setAccessibleName("Judge at this date and time")
        self._when_stand_in.setEditable(True)
        self._when_stand_in.addItem(time.strftime(WHEN_FORMAT_PY))
        self._when_stand_in.setEnabled(False)
        self._when_row = when_row = QHBoxLayout()
        when_row.addWidget(self.now_check)
        when_row.addWidget(self._when_stand_in, 1)

        self.leeway = QSpinBox(self)
        self.leeway.setObjectName("leewaySpin")
        self.leeway.setAccessibleName("Leeway in seconds")
        self.leeway.setRange(0, 7 * 24 * 3600)
        self.leeway.setSuffix(" s")
        self.leeway.setToolTip("Clock skew allowed on exp, nbf and iat")
        self.audience = QLineEdit(self)
        self.audience.setObjectName("audienceEdit")
        self.audience.setAccessibleName("Expected audience")
        self.audience.setPlaceholderText("not checked")
        self.issuer = QLineEdit(self)
        self.issuer.setObjectName("issuerEdit")
        self.issuer.setAccessibleName("Expected issuer")
        self.issuer.setPlaceholderText("not checked")

        # The editor's size: as high as a spin box (the same line edit in the same frame, a
        # pixel more than a combo box's), and as wide as its text plus a space and 2 pixels
        # for the cursor (QDateTimeEdit::sizeHint), which a combo box leaves out.
        stand_in = self._when_stand_in
        stand_in.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        stand_in.setFixedHeight(self.leeway.sizeHint().height())
        stand_in.setMinimumWidth(
            stand_in.sizeHint().width() + stand_in.fontMetrics().horizontalAdvance(" ") + 2
        )

        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 8)
        form.addRow("Judge at", when_row)
        form.addRow("&Leeway", self.leeway)
        form.addRow("&Audience", self.audience)
        form.addRow("&Issuer", self.issuer)

        self.now_check.toggled.connect(self._on_now_check_toggled)
        self.leeway.valueChanged.connect(self.settings_changed)
        self.audience.textChanged.connect(self.settings_changed)
        self.issuer.textChanged.connect(self.settings_changed)

    @property
    def when(self) -> QDateTimeEdit:
        """The editor of the time to judge at (made on first use, see ``__init__``)."""
        if self._when is None:
            self._when = self._make_when()
        return self._when

    def when_widget(self) -> QWidget:
        """What stands in the "Judge at" row now: the editor, or its stand-in until then."""
        return self._when if self._when is not None else self._when_stand_in

    def _make_when(self) -> QDateTimeEdit:
        from PySide6.QtCore import QDateTime
        from PySide6.QtWidgets import QDateTimeEdit

        when = QDateTimeEdit(QDateTime.currentDateTime(), self)
        when.setObjectName("validationTime")
        when.setAccessibleName("Judge at this date and time")
        when.setCalendarPopup(True)
        when.setDisplayFormat(WHEN_FORMAT)
        when.setEnabled(not self.now_check.isChecked())
        stand_in = self._when_stand_in
        self._when_row.replaceWidget(stand_in, when)
        stand_in.hide()
        stand_in.deleteLater()
        QWidget.setTabOrder(self.now_check, when)
        QWidget.setTabOrder(when, self.leeway)
        when.dateTimeChanged.connect(self.settings_changed)
        return when

    @Slot(bool)
    def _on_now_check_toggled(self, checked: bool) -> None:
        self.when.setEnabled(not checked)
        self.settings_changed.emit()

    def judge_at(self, current: float) -> float:
        """The time to judge at: ``current`` when "Now" is ticked, else the chosen time."""
        if self.now_check.isChecked():
            return current
        return self.when.dateTime().toSecsSinceEpoch()

    def uses_current_time(self) -> bool:
        return self.now_check.isChecked()
