"""The edit mode: header and payload as editable JSON, a signing key, an algorithm, time
presets and a Sign button that hands the new token to whoever listens.

The panel never parses JSON, decodes keys or signs: it calls
:func:`inspector.core.signing.sign_token` and :func:`~inspector.core.signing.apply_times` and
shows what they return. The clock is a constructor argument (tests pin it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence, QPalette, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector.core.keygen import convert_key
from inspector.core.model import Inspection
from inspector.core.signing import (
    DEFAULT_HEADER_JSON,
    DEFAULT_PAYLOAD_JSON,
    EXP_PRESETS,
    SIGNING_ALGORITHMS,
    SignProblem,
    apply_times,
    editable_json,
    sign_token,
)
from inspector.ui.keygen_dialog import KeyGeneratorDialog
from inspector.ui.panels import SECRET_ENCODINGS

#: Text colours for the attack-tool warning and errors, on light and on dark windows
#: (both reach WCAG AA against the theme's base colours).
_DANGER_LIGHT = "#cf222e"
_DANGER_DARK = "#ff7b72"
_AUTO_ALG = "Auto (header's alg, else from the key)"
#: The Edit and sign dock opens at this share of the window's height.
DOCK_HEIGHT_SHARE = 0.33


def _danger_colour(widget: QWidget) -> str:
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return _DANGER_DARK if dark else _DANGER_LIGHT


def _json_editor(name: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return edit


def _title(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "paneTitle")
    label.setBuddy(buddy)
    return label


class EditPanel(QWidget):
    """Edit a header and payload and sign them into a token.

    Signals:
        token_signed(str): a new compact token was made (the window puts it in its token
            editor, where it is inspected like any other).
        verification_key_made(str, str): emitted just before ``token_signed``: the key that
            verifies the new token (the shared secret, or the public half of the private
            key) and the secret encoding (the core's name, e.g. ``"utf-8"``).
        key_generator_requested(): the user asked for the key generator; the panel also opens
            its own :class:`~inspector.ui.keygen_dialog.KeyGeneratorDialog` unless it was
            made with ``open_generator_itself=False``.
        current_token_requested(): the user asked to start from the token on show; the host
            answers with :meth:`load_inspection`.
    """

    token_signed = Signal(str)
    verification_key_made = Signal(str, str)
    key_generator_requested = Signal()
    current_token_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
        open_generator_itself: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editPanel")
        self._clock = clock
        self._open_generator_itself = open_generator_itself
        self._dialog: KeyGeneratorDialog | None = None

        self.headerEdit = _json_editor("headerEdit", '{"alg": "HS256", "typ": "JWT"}')
        self.payloadEdit = _json_editor("payloadEdit", '{"sub": "1234567890"}')
        self.headerEdit.setPlainText(DEFAULT_HEADER_JSON)
        self.payloadEdit.setPlainText(DEFAULT_PAYLOAD_JSON)

        self.fromTokenButton = QPushButton("Start from current token")
        self.fromTokenButton.setObjectName("fromTokenButton")
        self.fromTokenButton.setToolTip("Copy the header and payload of the token on show")
        self.fromTokenButton.clicked.connect(self.current_token_requested)

        # time presets
        self.iatNowButton = QPushButton("iat = now")
        self.iatNowButton.setObjectName("iatNowButton")
        self.iatNowButton.setToolTip("Set 'iat' (issued at) to the current time")
        self.nbfNowButton = QPushButton("nbf = now")
        self.nbfNowButton.setObjectName("nbfNowButton")
        self.nbfNowButton.setToolTip("Set 'nbf' (not before) to the current time")
        self.expPresetButtons: list[QPushButton] = []
        for label, spec in EXP_PRESETS:
            button = QPushButton(f"exp {label}")
            button.setObjectName(f"expPreset{spec.strip('+')}Button")
            button.setToolTip(f"Set 'exp' to now {label} (and 'iat' to now)")
            button.clicked.connect(lambda _=False, s=spec: self._set_times(exp=s, iat=True))
            self.expPresetButtons.append(button)
        self.timeClaimCombo = QComboBox()
        self.timeClaimCombo.setObjectName("timeClaimCombo")
        self.timeClaimCombo.addItems(["exp", "nbf", "iat"])
        self.timeClaimCombo.setAccessibleName("Time claim to set")
        self.timeSpecEdit = QLineEdit()
        self.timeSpecEdit.setObjectName("timeSpecEdit")
        self.timeSpecEdit.setPlaceholderText("+15m, -5m, now, 1700000000")
        self.timeSpecEdit.setToolTip(
            "Relative (+15m, +1h, +1d, -5m), now, or seconds since 1970 (1700000000)"
        )
        self.timeSpecEdit.setMinimumWidth(
            self.timeSpecEdit.fontMetrics().horizontalAdvance(self.timeSpecEdit.placeholderText())
            + 24
        )
        self.timeSpecEdit.setAccessibleName("Time")
        self.setTimeButton = QPushButton("Set")
        self.setTimeButton.setObjectName("setTimeButton")
        self.iatNowButton.clicked.connect(lambda: self._set_times(iat=True))
        self.nbfNowButton.clicked.connect(lambda: self._set_times(nbf="now"))
        self.setTimeButton.clicked.connect(self._on_set_time_button_clicked)
        self.timeSpecEdit.returnPressed.connect(self._on_set_time_button_clicked)

        # signing
        self.algCombo = QComboBox()
        self.algCombo.setObjectName("algCombo")
        self.algCombo.addItem(_AUTO_ALG, None)
        for alg in SIGNING_ALGORITHMS:
            self.algCombo.addItem(alg, alg)
        self.algCombo.setAccessibleName("Signing algorithm")
        self.signingKeyEdit = QPlainTextEdit()
        self.signingKeyEdit.setObjectName("signingKeyEdit")
        self.signingKeyEdit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.signingKeyEdit.setPlaceholderText(
            "HMAC secret, private key PEM, or private JWK / JWK Set"
        )
        self.signingKeyEdit.setTabChangesFocus(True)
        self.signingKeyEdit.setAccessibleName("Signing key")
        self.secretEncodingCombo = QComboBox()
        self.secretEncodingCombo.setObjectName("secretEncodingCombo")
        for label, value in SECRET_ENCODINGS.items():
            self.secretEncodingCombo.addItem(label, value)
        self.secretEncodingCombo.setToolTip("How an HMAC secret is written")
        self.secretEncodingCombo.setAccessibleName("Secret encoding")
        self.generateKeyButton = QPushButton("Generate key…")
        self.generateKeyButton.setObjectName("generateKeyButton")
        self.generateKeyButton.clicked.connect(self._on_generate_key_button_clicked)
        self.unsecuredCheck = QCheckBox("⚠ ATTACK TOOL: unsecured token (alg: none, no signature)")
        self.unsecuredCheck.setObjectName("unsecuredCheck")
        self.unsecuredCheck.setToolTip(
            "Makes a token without a signature, to test that a server rejects it. "
            "Anyone can forge such a token: never use it for real."
        )
        self.unsecuredCheck.toggled.connect(self._on_unsecured_check_toggled)

        self.signButton = QPushButton("Sign")
        self.signButton.setObjectName("signButton")
        self.signButton.setDefault(True)
        self.signButton.clicked.connect(self._on_sign_button_clicked)
        self.errorLabel = QLabel()
        self.errorLabel.setObjectName("signErrorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errorLabel.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.errorLabel.hide()
        self.noteLabel = QLabel()
        self.noteLabel.setObjectName("signNoteLabel")
        self.noteLabel.setProperty("role", "muted")
        self.noteLabel.setWordWrap(True)
        self.noteLabel.hide()

        self._build_layout()
        self._restyle()

    # ------------------------------------------------------------------ layout

    def _build_layout(self) -> None:
        # Two columns, so the panel fits a bottom dock: the JSON on the left, signing on the
        # right.
        outer = QHBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        # The minimum comes from the size hints of the parts, not from a constraint re-applied
        # on every relayout: platforms without size hints (offscreen) are not asked for them.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

        left = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(_title("Header (JSON)", self.headerEdit), 1)
        top.addWidget(self.fromTokenButton)
        left.addLayout(top)
        left.addWidget(self.headerEdit, 1)
        left.addWidget(_title("Payload (JSON)", self.payloadEdit))
        left.addWidget(self.payloadEdit, 2)
        times = QHBoxLayout()
        times.addWidget(self.iatNowButton)
        times.addWidget(self.nbfNowButton)
        for button in self.expPresetButtons:
            times.addWidget(button)
        times.addSpacing(8)
        times.addWidget(self.timeClaimCombo)
        times.addWidget(self.timeSpecEdit, 1)
        times.addWidget(self.setTimeButton)
        left.addLayout(times)
        outer.addLayout(left, 3)

        group = QGroupBox("Signing")
        right = QVBoxLayout(group)
        form = QFormLayout()
        form.addRow(_title("Algorithm", self.algCombo), self.algCombo)
        form.addRow(_title("Secret encoding", self.secretEncodingCombo), self.secretEncodingCombo)
        right.addLayout(form)
        key_title = QHBoxLayout()
        key_title.addWidget(_title("Key", self.signingKeyEdit), 1)
        key_title.addWidget(self.generateKeyButton)
        right.addLayout(key_title)
        right.addWidget(self.signingKeyEdit, 1)
        right.addWidget(self.unsecuredCheck)
        right.addWidget(self.errorLabel)
        right.addWidget(self.noteLabel)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.signButton)
        right.addLayout(bottom)
        outer.addLayout(right_column := QVBoxLayout(), 2)
        right_column.addWidget(group)

    def _restyle(self) -> None:
        colour = _danger_colour(self)
        self.unsecuredCheck.setStyleSheet(
            f"QCheckBox#unsecuredCheck {{ color: {colour}; font-weight: 700; }}"
        )
        self.errorLabel.setStyleSheet(f"QLabel#signErrorLabel {{ color: {colour}; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()

    # ------------------------------------------------------------------ public API

    def load(self, header_json: str, payload_json: str) -> None:
        """Start editing from this header and payload text (e.g. the current token's, from
        :func:`inspector.core.signing.editable_json`)."""
        self.headerEdit.setPlainText(header_json)
        self.payloadEdit.setPlainText(payload_json)
        self._loaded = (header_json, payload_json)
        self._show_problems(())

    def has_edits(self) -> bool:
        """Whether the header or payload text differs from what was last loaded."""
        loaded = getattr(self, "_loaded", None)
        current = (self.headerEdit.toPlainText(), self.payloadEdit.toPlainText())
        return loaded is not None and current != loaded

    def load_inspection(self, inspection: Inspection | None) -> None:
        """Start editing from an inspected token's header and payload (as decoded, unverified)."""
        parsed = inspection.parsed if inspection is not None else None
        if parsed is None or parsed.unverified_header is None:
            self.errorLabel.setText("There is no decoded token to start from.")
            self.errorLabel.show()
            return
        self.load(editable_json(parsed.unverified_header), editable_json(parsed.unverified_payload))

    @Slot(str)
    @Slot(str, str)
    def set_signing_key(self, key_text: str, alg: str = "") -> None:
        """Use ``key_text`` to sign; select ``alg`` too when given (the key generator does)."""
        self.signingKeyEdit.setPlainText(key_text)
        self.secretEncodingCombo.setCurrentIndex(self.secretEncodingCombo.findData("utf-8"))
        if alg:
            index = self.algCombo.findData(alg)
            if index >= 0:
                self.algCombo.setCurrentIndex(index)
        self.unsecuredCheck.setChecked(False)

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        unsecured = self.unsecuredCheck.isChecked()
        alg = "none" if unsecured else self.algCombo.currentData()
        key_text = None if unsecured else self.signingKeyEdit.toPlainText()
        result = sign_token(
            self.headerEdit.toPlainText(),
            self.payloadEdit.toPlainText(),
            key_text,
            alg=alg,
            secret_encoding=self.secret_encoding(),
            allow_unsecured=unsecured,
        )
        if result.token is None:
            self._show_problems(result.problems)
            return
        self._show_problems(())
        # Show the header that was signed (alg and kid may have been filled in or replaced),
        # so that the editor never disagrees with the token it produced.
        self.headerEdit.setPlainText(editable_json(dict(result.header)))
        note = f"Signed with {result.alg}." if not unsecured else "Unsecured token made."
        if result.notes:
            note += " " + " ".join(result.notes)
        self.noteLabel.setText(note)
        self.noteLabel.show()
        if key_text is not None:
            verification = self._verification_key(key_text, result.alg or "")
            if verification is not None:
                self.verification_key_made.emit(*verification)
        self.token_signed.emit(result.token)

    def secret_encoding(self) -> str:
        """How an HMAC secret is written, as the core names it (``"utf-8"``, ``"hex"``...)."""
        return str(self.secretEncodingCombo.currentData())

    def _verification_key(self, key_text: str, alg: str) -> tuple[str, str] | None:
        """The key that verifies a token signed with ``key_text``: a shared secret (or an
        ``oct`` JWK) as it is, with its encoding; a private key's public half as PEM, else
        as a public JWK Set (a private set of several keys). ``None`` when neither works."""
        encoding = self.secret_encoding()
        if alg.startswith("HS"):
            return key_text, encoding
        for to in ("pem", "jwks"):
            converted = convert_key(key_text, to=to, public=True, secret_encoding=encoding)
            if converted.text is not None:
                return converted.text, "utf-8"
        return None

    @Slot()
    def _on_set_time_button_clicked(self) -> None:
        claim = self.timeClaimCombo.currentText()
        spec = self.timeSpecEdit.text()
        if claim == "iat":
            self._set_times(iat=spec or "now")
        elif claim == "nbf":
            self._set_times(nbf=spec or "now")
        else:
            self._set_times(exp=spec or "+1h")

    @Slot(bool)
    def _on_unsecured_check_toggled(self, checked: bool) -> None:
        for widget in (self.algCombo, self.signingKeyEdit, self.secretEncodingCombo):
            widget.setEnabled(not checked)
        self.signButton.setText("Make unsecured token" if checked else "Sign")

    @Slot()
    def _on_generate_key_button_clicked(self) -> None:
        self.key_generator_requested.emit()
        if not self._open_generator_itself:
            return
        if self._dialog is None:
            dialog = KeyGeneratorDialog(self)
            dialog.signing_key_chosen.connect(self.set_signing_key)
            self._dialog = dialog
        self._dialog.show()
        self._dialog.activateWindow()

    # ------------------------------------------------------------------ helpers

    def _set_times(
        self, *, iat: bool | str = False, nbf: str | None = None, exp: str | None = None
    ) -> None:
        edit = apply_times(
            self.payloadEdit.toPlainText(), now=self._clock(), iat=iat, nbf=nbf, exp=exp
        )
        if edit.text is None:
            self._show_problems(edit.problems)
            return
        self._show_problems(())
        self.payloadEdit.setPlainText(edit.text)

    def _show_problems(self, problems: tuple[SignProblem, ...]) -> None:
        self.noteLabel.hide()
        if not problems:
            self.errorLabel.clear()
            self.errorLabel.hide()
            return
        lines = "\n".join(f"• {p.message}" for p in problems)
        self.errorLabel.setText(f"Cannot sign:\n{lines}")
        self.errorLabel.show()
        first = problems[0]
        editor = {
            "header": self.headerEdit,
            "payload": self.payloadEdit,
            "key": self.signingKeyEdit,
            "alg": self.algCombo,
            "iat": self.timeSpecEdit,
            "nbf": self.timeSpecEdit,
            "exp": self.timeSpecEdit,
        }.get(first.field)
        if isinstance(editor, QPlainTextEdit) and first.line is not None:
            self._place_cursor(editor, first.line, first.column or 1)

    @staticmethod
    def _place_cursor(editor: QPlainTextEdit, line: int, column: int) -> None:
        block = editor.document().findBlockByNumber(line - 1)
        if not block.isValid():
            return
        prefix = block.text()[: max(column - 1, 0)]
        offset = len(prefix.encode("utf-16-le")) // 2  # Qt counts UTF-16 code units
        cursor = editor.textCursor()
        cursor.setPosition(block.position() + offset)
        cursor.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)


class SigningHost(Protocol):
    """What :func:`install_signing_tools` needs from the main window."""

    @property
    def inspection(self) -> Inspection | None: ...

    def set_token_text(self, text: str) -> None: ...

    def set_key_text(
        self, text: str, *, encoding: str | None = None, inspect: bool = True
    ) -> None: ...

    def add_tool_panel(self, widget: QWidget, title: str) -> QDockWidget: ...

    def add_tool_action(self, action: QAction) -> None: ...


def install_signing_tools(window: SigningHost) -> tuple[EditPanel, KeyGeneratorDialog]:
    """Add the signing panel (a hidden dock with a Tools entry) and the key generator (a Tools
    entry) to ``window``, wired together: a signed token goes to the token editor, "Start
    from current token" loads the inspected token, "Use as signing key" fills the panel."""
    parent = window if isinstance(window, QWidget) else None
    panel = EditPanel(parent, open_generator_itself=False)
    dialog = KeyGeneratorDialog(parent)
    # The verifying key goes in first (without inspecting), then the token is inspected with it.
    panel.verification_key_made.connect(
        lambda key, encoding: window.set_key_text(key, encoding=encoding, inspect=False)
    )
    panel.token_signed.connect(window.set_token_text)
    panel.current_token_requested.connect(lambda: panel.load_inspection(window.inspection))
    panel.key_generator_requested.connect(dialog.show)
    dialog.signing_key_chosen.connect(panel.set_signing_key)
    dock = window.add_tool_panel(panel, "Edit and sign")
    toggle = dock.toggleViewAction()
    toggle.setText("&Edit and sign…")
    toggle.setObjectName("editModeAction")
    toggle.setShortcut(QKeySequence("Ctrl+E"))

    def _on_dock_visibility_changed(visible: bool) -> None:
        # Entering edit mode starts from the token on screen, unless edits are under way.
        if visible and not panel.has_edits():
            panel.load_inspection(window.inspection)

    dock.visibilityChanged.connect(_on_dock_visibility_changed)

    def _on_toggle_triggered(checked: bool) -> None:
        # Opened by the user: a modest height, so the findings above stay readable, and the
        # cursor in the payload, what one usually edits.
        if not checked:
            return
        panel.payloadEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        # After the dock's first layout (which would otherwise size it by its hint).
        QTimer.singleShot(0, panel, _resize_dock)

    def _resize_dock() -> None:
        if isinstance(window, QMainWindow) and dock.isVisible() and not dock.isFloating():
            height = round(window.height() * DOCK_HEIGHT_SHARE)
            window.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    toggle.triggered.connect(_on_toggle_triggered)
    action = QAction("&Key generator…", parent)
    action.setObjectName("keyGeneratorAction")
    action.setShortcut(QKeySequence("Ctrl+G"))
    action.triggered.connect(dialog.show)
    window.add_tool_action(action)
    return panel, dialog
