"""The edit mode: header and payload as editable JSON, a signing key, an algorithm, time
presets and a Sign button that hands the new token to whoever listens.

The panel never parses JSON, decodes keys or signs: it calls
:func:`inspector.core.signing.sign_token` and :func:`~inspector.core.signing.apply_times` and
shows what they return, and says beforehand which algorithm Sign will use and why (from
:func:`~inspector.core.signing.check_json_object`, :func:`~inspector.core.signing.read_signing_key`
and :func:`~inspector.core.signing.infer_alg`, the steps ``sign_token`` takes). The clock is a
constructor argument (tests pin it).

:mod:`inspector.ui.signing_tools` puts the panel in a dock of the window, with the key
generator, behind their Tools entries.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QPalette, QResizeEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector.core.encryption import EncryptionError
from inspector.core.keygen import convert_key
from inspector.core.model import Inspection
from inspector.core.signing import (
    DEFAULT_HEADER_JSON,
    DEFAULT_PAYLOAD_JSON,
    EXP_PRESETS,
    SIGNING_ALGORITHMS,
    SignProblem,
    apply_times,
    check_json_object,
    editable_json,
    infer_alg,
    read_signing_key,
    sign_token,
)
from inspector.ui.encrypt_options import EncryptOptions
from inspector.ui.keygen_dialog import KeyGeneratorDialog
from inspector.ui.panels import SECRET_ENCODINGS
from inspector.ui.theme import Theme, load_theme

if TYPE_CHECKING:
    from inspector.ui.signing_tools import SigningHost

_AUTO_ALG = "Auto"
#: The header, payload and key editors show at least this many lines (a typical header's).
MIN_EDITOR_LINES = 4
#: The algorithm note is worked out this long after the header, key or choice last changed
#: (reading a key on every keystroke would be wasted work).
ALG_NOTE_DEBOUNCE_MS = 150


def _panel_theme(widget: QWidget) -> Theme:
    """The theme the window shows, told by its palette (the panel has no window of its
    own to ask, and works outside one in tests)."""
    dark = widget.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return load_theme("dark" if dark else "light")


def _tool_button(text: str, name: str, tip: str) -> QToolButton:
    """A compact button (a QPushButton is at least 80 pixels wide in Fusion, too wide for
    the row of time presets at 1024 pixels)."""
    button = QToolButton()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return button


class _Editor(QPlainTextEdit):
    """A text editor that asks for no more height than its minimum: the panel's rows of
    buttons and messages get theirs first, and the editors share what is left (a plain
    QPlainTextEdit asks for 192 pixels, and a dock shorter than the sum of the asks gives
    every row a share of the shortfall, the messages' rows too, leaving gaps)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumHeight())


class _Message(QLabel):
    """A word-wrapped label that asks for the height of its text at the width it has.
    (QLabel asks for the height at a width of its own choosing, a narrow one: five lines
    for one that the panel shows on one, and the rows below it gaped.)"""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        # The columns decide the width; the text only the height.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        height = self.heightForWidth(self.width()) if self.width() > 0 else -1
        return QSize(hint.width(), height) if height > 0 else hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the height it asks for depends on the width


def _json_editor(name: str, placeholder: str) -> QPlainTextEdit:
    edit = _Editor()
    edit.setObjectName(name)
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    _at_least_lines(edit, MIN_EDITOR_LINES)
    return edit


def _at_least_lines(edit: QPlainTextEdit, lines: int) -> None:
    """Never shorter than ``lines`` lines of its font (a typical header, ``{``, ``alg``,
    ``typ``, ``}``, is four) and room for the horizontal scroll bar a long line brings:
    squeezed by a short dock, an editor would cut its last line."""
    margin = round(edit.document().documentMargin())
    edit.setMinimumHeight(
        (lines + 1) * edit.fontMetrics().lineSpacing() + 2 * margin + 2 * edit.frameWidth()
    )


def _title(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "paneTitle")
    label.setBuddy(buddy)
    return label


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
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
        messages_changed(): an error or note was shown or cleared, or the algorithm note
            changed (the panel may need more height: see
            :meth:`inspector.ui.signing_tools.SigningTools.fit_dock`).
    """

    token_signed = Signal(str)
    verification_key_made = Signal(str, str)
    key_generator_requested = Signal()
    current_token_requested = Signal()
    messages_changed = Signal()

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
        #: The error about the token on show, while it is shown (see token_changed).
        self._token_error = ""

        self.headerEdit = _json_editor("headerEdit", '{"alg": "HS256", "typ": "JWT"}')
        self.payloadEdit = _json_editor("payloadEdit", '{"sub": "1234567890"}')
        self.headerEdit.setPlainText(DEFAULT_HEADER_JSON)
        self.payloadEdit.setPlainText(DEFAULT_PAYLOAD_JSON)

        self.fromTokenButton = QPushButton("Start from current token")
        self.fromTokenButton.setObjectName("fromTokenButton")
        self.fromTokenButton.setToolTip("Copy the header and payload of the token on show")
        self.fromTokenButton.clicked.connect(self.current_token_requested)

        # time presets
        self.iatNowButton = _tool_button(
            "iat = now", "iatNowButton", "Set 'iat' (issued at) to the current time"
        )
        self.nbfNowButton = _tool_button(
            "nbf = now", "nbfNowButton", "Set 'nbf' (not before) to the current time"
        )
        self.expPresetButtons: list[QToolButton] = []
        for label, spec in EXP_PRESETS:
            # Labelled in the syntax the time box below takes ("exp +1h"), which teaches it
            # and keeps the row narrow enough for a 1024-pixel window.
            button = _tool_button(
                f"exp {spec}",
                f"expPreset{spec.strip('+')}Button",
                f"Set 'exp' to now {label} (and 'iat' to now)",
            )
            button.clicked.connect(lambda _=False, s=spec: self._set_times(exp=s, iat=True))
            self.expPresetButtons.append(button)
        self.timeClaimCombo = QComboBox()
        self.timeClaimCombo.setObjectName("timeClaimCombo")
        self.timeClaimCombo.addItems(["exp", "nbf", "iat"])
        self.timeClaimCombo.setAccessibleName("Time claim to set")
        self.timeSpecEdit = QLineEdit()
        self.timeSpecEdit.setObjectName("timeSpecEdit")
        self.timeSpecEdit.setPlaceholderText("e.g. +2h")
        self.timeSpecEdit.setToolTip(
            "Relative (+15m, +1h, +1d, -5m), now, or seconds since 1970 (1700000000)"
        )
        # Room for a unix time (the longest form) and the frame.
        self.timeSpecEdit.setMinimumWidth(
            self.timeSpecEdit.fontMetrics().horizontalAdvance("1700000000") + 24
        )
        self.timeSpecEdit.setAccessibleName("Time")
        self.setTimeButton = _tool_button("Set", "setTimeButton", "Set the chosen claim")
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
        self.algCombo.setToolTip(
            "Auto signs with the header's alg; when the header has none, with the one that "
            "fits the key. The note beside says which, and why."
        )
        self.algCombo.activated.connect(self._on_alg_combo_activated)
        #: Who chose the algorithm, for the note ("" when the user did, in the list).
        self._alg_source = ""
        self.algNoteLabel = _Message("algNoteLabel")
        self.algNoteLabel.setProperty("role", "muted")
        self._alg_note_timer = QTimer(self)
        self._alg_note_timer.setSingleShot(True)
        self._alg_note_timer.setInterval(ALG_NOTE_DEBOUNCE_MS)
        self._alg_note_timer.timeout.connect(self.update_alg_note)
        self.signingKeyEdit = _Editor()
        self.signingKeyEdit.setObjectName("signingKeyEdit")
        self.signingKeyEdit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.signingKeyEdit.setPlaceholderText(
            "HMAC secret, private key PEM, or private JWK / JWK Set"
        )
        self.signingKeyEdit.setTabChangesFocus(True)
        self.signingKeyEdit.setAccessibleName("Signing key")
        _at_least_lines(self.signingKeyEdit, MIN_EDITOR_LINES)
        self.secretEncodingCombo = QComboBox()
        self.secretEncodingCombo.setObjectName("secretEncodingCombo")
        for label, value in SECRET_ENCODINGS.items():
            self.secretEncodingCombo.addItem(label, value)
        self.secretEncodingCombo.setToolTip("How an HMAC secret is written")
        self.secretEncodingCombo.setAccessibleName("Secret encoding")
        self.generateKeyButton = QPushButton("Generate key…")
        self.generateKeyButton.setObjectName("generateKeyButton")
        self.generateKeyButton.clicked.connect(self._on_generate_key_button_clicked)
        self.unsecuredCheck = QCheckBox("⚠ ATTACK TOOL: alg: none")
        self.unsecuredCheck.setObjectName("unsecuredCheck")
        self.unsecuredCheck.setToolTip(
            "Makes an unsecured token (alg: none, no signature), to test that a server "
            "rejects it. Anyone can forge such a token: never use it for real."
        )
        self.unsecuredCheck.toggled.connect(self._on_unsecured_check_toggled)

        #: "Encrypt (JWE)": a check box in the Sign row and the row it shows (issue 14).
        self.encryption = EncryptOptions()
        # Its row takes height: the dock fits the panel again, as after a message.
        self.encryption.check.toggled.connect(lambda _on: self.messages_changed.emit())

        self.signButton = QPushButton("Sign")
        self.signButton.setObjectName("signButton")
        self.signButton.setDefault(True)
        self.signButton.clicked.connect(self._on_sign_button_clicked)
        self.errorLabel = _Message("signErrorLabel")
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.errorLabel.hide()
        self.noteLabel = _Message("signNoteLabel")
        self.noteLabel.setProperty("role", "muted")
        self.noteLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._idle_note = ""
        self._note_is_idle = True
        self.noteLabel.hide()

        for edit in (self.headerEdit, self.signingKeyEdit):
            edit.textChanged.connect(self._alg_note_timer.start)
        self.secretEncodingCombo.currentIndexChanged.connect(self._alg_note_timer.start)
        self.algCombo.currentIndexChanged.connect(self._alg_note_timer.start)

        self._build_layout()
        self._restyle()
        self.update_alg_note()

    # ------------------------------------------------------------------ layout

    def _build_layout(self) -> None:
        """Three columns that share their rows, so the panel fits a bottom dock a third of a
        1024x700 window high: header, payload and signing key side by side (their titles on
        one line, their editors on the next, taking what height there is), the time presets
        under the JSON beside the algorithm, and the messages under them beside the Sign
        button. A message takes room below the editors, never the Sign button's place."""
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 6)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(5)
        # The minimum comes from the size hints of the parts, not from a constraint re-applied
        # on every relayout: platforms without size hints (offscreen) are not asked for them.
        grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

        payload_title = QHBoxLayout()
        payload_title.addWidget(_title("Payload (JSON)", self.payloadEdit), 1)
        payload_title.addWidget(self.fromTokenButton)
        key_title = QHBoxLayout()
        key_title.addWidget(_title("Signing key", self.signingKeyEdit), 1)
        key_title.addWidget(self.encryption.check)  # (the Sign row has no room at 1024 px)
        key_title.addWidget(self.generateKeyButton)
        grid.addWidget(_title("Header (JSON)", self.headerEdit), 0, 0)
        grid.addLayout(payload_title, 0, 1)
        grid.addLayout(key_title, 0, 2)

        grid.addWidget(self.headerEdit, 1, 0)
        grid.addWidget(self.payloadEdit, 1, 1)
        grid.addWidget(self.signingKeyEdit, 1, 2)

        times = QHBoxLayout()
        times.setSpacing(4)
        times.addWidget(self.iatNowButton)
        times.addWidget(self.nbfNowButton)
        for button in self.expPresetButtons:
            times.addWidget(button)
        times.addSpacing(8)
        times.addWidget(self.timeClaimCombo)
        times.addWidget(self.timeSpecEdit, 1)
        times.addWidget(self.setTimeButton)
        grid.addLayout(times, 2, 0, 1, 2)
        choice = QHBoxLayout()
        choice.addWidget(_label("Algorithm", self.algCombo))
        choice.addWidget(self.algCombo, 1)
        choice.addSpacing(8)
        choice.addWidget(_label("Secret encoding", self.secretEncodingCombo))
        choice.addWidget(self.secretEncodingCombo)
        grid.addLayout(choice, 2, 2)

        messages = QVBoxLayout()
        messages.setSpacing(2)
        # Shown while "Encrypt" is ticked, above the messages: a row of its own would not fit
        # a dock a third of a 1024x700 window high.
        messages.addWidget(self.encryption.row)
        messages.addWidget(self.errorLabel)
        messages.addWidget(self.noteLabel)
        grid.addLayout(messages, 3, 0, 2, 2)
        grid.addWidget(self.algNoteLabel, 3, 2)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.unsecuredCheck)
        sign_row.addStretch(1)
        sign_row.addWidget(self.signButton)
        grid.addLayout(sign_row, 4, 2)

        # Tab goes as one reads what is to be signed and then how: the JSON and its times,
        # the key and the algorithm, then Sign (not in the grid's order of creation).
        chain: list[QWidget] = [
            self.fromTokenButton,
            self.headerEdit,
            self.payloadEdit,
            self.iatNowButton,
            self.nbfNowButton,
            *self.expPresetButtons,
            self.timeClaimCombo,
            self.timeSpecEdit,
            self.setTimeButton,
            self.signingKeyEdit,
            self.generateKeyButton,
            self.algCombo,
            self.secretEncodingCombo,
            self.unsecuredCheck,
            *self.encryption.tab_chain(),
            self.signButton,
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        grid.setRowStretch(1, 1)
        for column, stretch in enumerate((2, 3, 3)):
            grid.setColumnStretch(column, stretch)

    def _restyle(self) -> None:
        """The attack tool and the errors in the theme's error colour. The check box's
        indicator is drawn here too: Fusion outlines it in the window colour darkened, which
        on the dark theme's near-black window is all but invisible (WCAG 1.4.11 asks 3:1 for
        a control's boundary)."""
        theme = _panel_theme(self)
        danger, base = theme["error"], theme["base"]
        self.unsecuredCheck.setStyleSheet(
            f"QCheckBox#unsecuredCheck {{ color: {danger}; font-weight: 700; }}"
            f"QCheckBox#unsecuredCheck::indicator {{ width: 11px; height: 11px;"
            f" border: 1px solid {danger}; border-radius: 2px; background: {base}; }}"
            f"QCheckBox#unsecuredCheck::indicator:checked {{ background: {danger};"
            f" background-clip: content; padding: 2px; width: 7px; height: 7px; }}"
        )
        self.errorLabel.setStyleSheet(f"QLabel#signErrorLabel {{ color: {danger}; }}")

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        """The least height the panel can have at ``width`` (the word-wrapped messages at
        their full height, the editors at their smallest). The dock's scroll area makes a
        widget whose layout depends on its width as tall as this says: the preferred height
        (Qt's default) would overflow a dock a third of a 1024x700 window high and scroll
        the Sign button and the messages out of view."""
        layout = self.layout()
        return layout.totalMinimumHeightForWidth(width) if layout is not None else -1

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

    def load_inspection(self, inspection: Inspection | None, *, quiet: bool = False) -> None:
        """Start editing from an inspected token's header and payload (as decoded,
        unverified), signing with the header's alg ("Auto", said in the note): the
        algorithm follows the token loaded. ``quiet``: when there is no decoded token, keep
        what is being edited and say nothing (the panel was opened, not asked)."""
        parsed = inspection.parsed if inspection is not None else None
        if parsed is None or parsed.unverified_header is None:
            if not quiet:
                self._show_token_error("There is no decoded token to start from.")
            return
        if parsed.format == "jwe":
            # Its header names an encryption (RSA-OAEP...), not a signature, and its payload is
            # ciphertext: loaded, the editors would keep an encrypted token's text, signable
            # with no algorithm, long after the token is gone (cleared, replaced).
            if not quiet:
                self._show_token_error(
                    "The token on show is encrypted (JWE): there is no payload to edit and "
                    "sign. Paste a signed token (JWS) to start from it."
                )
            return
        self.load(editable_json(parsed.unverified_header), editable_json(parsed.unverified_payload))
        self._choose_alg(None)

    def _show_token_error(self, text: str) -> None:
        self._show_error(text)
        self._token_error = text

    def token_changed(self) -> None:
        """The window shows another token (or none): an error about the token that was on
        show is out of date, and goes."""
        if self._token_error and self.errorLabel.text() == self._token_error:
            self.clear_messages()
        self._token_error = ""

    def clear_messages(self) -> None:
        """Forget the last error or note (the panel was closed and opened again)."""
        self._show_problems(())

    def set_idle_note(self, text: str) -> None:
        """What the message area says while there is no error or note to show."""
        self._idle_note = text
        if self._note_is_idle:
            self._show_note(text, idle=True)

    @Slot(str)
    @Slot(str, str)
    def set_signing_key(self, key_text: str, alg: str = "") -> None:
        """Use ``key_text`` to sign; select ``alg`` too when given (the key generator does):
        the algorithm follows the key chosen, and the note says so."""
        self.signingKeyEdit.setPlainText(key_text)
        self.secretEncodingCombo.setCurrentIndex(self.secretEncodingCombo.findData("utf-8"))
        if alg:
            self._choose_alg(alg, "the key generator's")
        self.unsecuredCheck.setChecked(False)
        self.update_alg_note()

    def alg_note(self) -> str:
        """What the Sign button will sign with, and why (shown in ``algNoteLabel``)."""
        if self.unsecuredCheck.isChecked():
            return "alg: none: the token gets no signature (the key is not used)."
        header, _problems = check_json_object(self.headerEdit.toPlainText(), "header")
        header_alg = header.get("alg") if header is not None else None
        chosen = self.algCombo.currentData()
        if chosen is not None:
            said = f"{chosen}, {self._alg_source or 'chosen in the list'}"
            if header is None or header_alg == chosen:
                return f"{said}."
            if isinstance(header_alg, str):
                return f"{said}: it replaces the header's alg {header_alg!r}."
            return f"{said}: it is written into the header."
        if header is None:
            return "Auto: the header's alg, once the header is valid JSON."
        if isinstance(header_alg, str):
            if header_alg.lower() == "none":
                return (
                    "Auto: the header's alg is none, made only with the attack tool below; "
                    "or choose an algorithm."
                )
            return f"Auto: {header_alg}, the header's alg."
        if header_alg is not None:
            return "Auto: the header's alg must be a string."
        key_text = self.signingKeyEdit.toPlainText()
        if not key_text.strip():
            return "Auto: the header has no alg; one that fits the key will be chosen."
        key = read_signing_key(key_text, secret_encoding=self.secret_encoding())
        if isinstance(key, SignProblem):  # Sign will say what is wrong
            return (
                "Auto: the header has no alg, and none can be chosen from this key (Sign says why)."
            )
        alg = infer_alg(key)
        return (
            f"Auto: {alg}, which fits the key ({key.description}); the header has no alg, "
            f"so {alg} is written into it."
        )

    @Slot()
    def update_alg_note(self) -> None:
        """Say now what the algorithm will be (otherwise done shortly after each change)."""
        self._alg_note_timer.stop()
        note = self.alg_note()
        if note != self.algNoteLabel.text():
            self.algNoteLabel.setText(note)
            self.messages_changed.emit()

    # ------------------------------------------------------------------ slots

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        if self.encryption.wanted() and not self.encryption.signs_first():
            self._encrypt_payload()
            return
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
        if self.encryption.wanted():
            self.update_alg_note()
            self._finish_encrypted(result.token, note)
            return
        self._show_note(note)
        self.update_alg_note()
        if key_text is not None:
            verification = self._verification_key(key_text, result.alg or "")
            if verification is not None:
                self.verification_key_made.emit(*verification)
        self.token_signed.emit(result.token)

    def _encrypt_payload(self) -> None:
        """ "Encrypt the payload only": the payload JSON (compact) in a JWE, unsigned."""
        payload, problems = check_json_object(self.payloadEdit.toPlainText(), "payload")
        if payload is None or problems:
            self._show_problems(tuple(problems))
            return
        compact = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        self._finish_encrypted(compact, "")

    def _finish_encrypted(self, plaintext: str, note: str) -> None:
        """Encrypt ``plaintext`` as the encryption row says and hand on the JWE; the key box
        gets the key that decrypts it when the panel has it (a shared secret or password)."""
        try:
            made = self.encryption.encrypt(plaintext, self.secret_encoding())
        except EncryptionError as err:
            self._show_error(f"Cannot encrypt: {err}")
            return
        self._show_problems(())
        self._show_note(f"{note} {made.note}".strip())
        if made.decryption_key is not None:
            self.verification_key_made.emit(made.decryption_key, self.secret_encoding())
        self.token_signed.emit(made.token)

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
        self.update_alg_note()

    @Slot(int)
    def _on_alg_combo_activated(self, _index: int) -> None:
        self._alg_source = "chosen in the list"
        self.update_alg_note()

    def _choose_alg(self, alg: str | None, whose: str = "") -> None:
        """Select ``alg`` (``None``: Auto) as the program, not the user, chose it; ``whose``
        names the chooser for the note (e.g. "the key generator's")."""
        index = self.algCombo.findData(alg) if alg is not None else 0
        if index < 0:
            return
        self.algCombo.setCurrentIndex(index)
        self._alg_source = f"{whose} choice" if whose else ""  # ("": Auto, or the user's)
        self.update_alg_note()

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
        if not problems:
            self.errorLabel.clear()
            self.errorLabel.hide()
            self._show_note(self._idle_note, idle=True)
            return
        if len(problems) == 1:
            self._show_error(f"Cannot sign: {problems[0].message}")
        else:
            lines = "\n".join(f"• {p.message}" for p in problems)
            self._show_error(f"Cannot sign:\n{lines}")
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

    def _show_error(self, text: str) -> None:
        self._note_is_idle = False
        self.noteLabel.hide()
        self.errorLabel.setText(text)
        self.errorLabel.show()
        self.messages_changed.emit()

    def _show_note(self, text: str, *, idle: bool = False) -> None:
        self._note_is_idle = idle
        self.noteLabel.setText(text)
        self.noteLabel.setVisible(bool(text))
        self.messages_changed.emit()

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


def install_signing_tools(window: SigningHost) -> tuple[EditPanel, KeyGeneratorDialog]:
    """Add the signing tools to ``window`` (see :mod:`inspector.ui.signing_tools`, where
    this lives; kept here for the callers that import it from the panel's module)."""
    from inspector.ui.signing_tools import install_signing_tools as install

    return install(window)
