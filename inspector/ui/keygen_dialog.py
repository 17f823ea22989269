"""The key generator: pick an algorithm and size, generate, and copy the private and public
halves as PEM or JWK, a public JWK Set and the RFC 7638 thumbprint. A second tab converts a
pasted key between PEM and JWK.

Generation runs on a worker thread (an RSA 4096 key takes a second or more) as a plain
function whose result comes back through :class:`~inspector.ui.gui_thread.Jobs`: the worker
holds no Qt object, so closing the dialog mid-generation destroys nothing off the GUI thread.
The dialog only shows what :mod:`inspector.core.keygen` returns. Nothing is written to disk.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QThreadPool, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector.core.keygen import (
    KEYGEN_ALGORITHMS,
    GeneratedKey,
    convert_key,
    generate_key,
    key_options,
)
from inspector.ui.gui_thread import Jobs


def _generate(alg: str, bits: int | None, crv: str | None) -> GeneratedKey | str:
    """Generate one key (on a pool thread): the key, or why it cannot be made."""
    try:
        return generate_key(alg, bits=bits, crv=crv)
    except ValueError as err:
        return str(err)


def _mono(name: str, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setReadOnly(True)
    edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    edit.setPlaceholderText(placeholder)
    return edit


class KeyGeneratorDialog(QDialog):
    """Generate signing keys and convert pasted ones.

    Signals:
        key_generated(object): a :class:`~inspector.core.keygen.GeneratedKey` is shown.
        signing_key_chosen(str, str): "Use as signing key" was clicked: the private JWK text
            (it carries ``kid`` and ``alg``) and the algorithm. Connect it to
            :meth:`inspector.ui.edit_panel.EditPanel.set_signing_key`.
    """

    key_generated = Signal(object)
    signing_key_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None, *, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyGeneratorDialog")
        self.setWindowTitle("Key generator")
        self._pool = pool or QThreadPool.globalInstance()
        self._key: GeneratedKey | None = None
        #: The generation under way (a job id of :attr:`_jobs`), if any.
        self._job: int | None = None
        self._jobs = Jobs(self)
        self._jobs.finished.connect(self._on_jobs_finished)
        self._jobs.failed.connect(self._on_jobs_failed)

        self.algCombo = QComboBox()
        self.algCombo.setObjectName("algCombo")
        self.algCombo.addItems(list(KEYGEN_ALGORITHMS))
        self.algCombo.setAccessibleName("Algorithm")
        self.sizeCombo = QComboBox()
        self.sizeCombo.setObjectName("sizeCombo")
        self.sizeCombo.setAccessibleName("Key size or curve")
        self.generateButton = QPushButton("Generate")
        self.generateButton.setObjectName("generateButton")
        self.generateButton.setDefault(True)
        self.statusLabel = QLabel("Choose an algorithm and click Generate.")
        self.statusLabel.setObjectName("keygenStatusLabel")
        self.statusLabel.setProperty("role", "muted")
        self.statusLabel.setWordWrap(True)

        self.thumbprintEdit = QLineEdit()
        self.thumbprintEdit.setObjectName("thumbprintEdit")
        self.thumbprintEdit.setReadOnly(True)
        self.thumbprintEdit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.thumbprintEdit.setAccessibleName("RFC 7638 thumbprint")
        self.copyThumbprintButton = QPushButton("Copy")
        self.copyThumbprintButton.setObjectName("copyThumbprintButton")

        self.privateJwkEdit = _mono("privateJwkEdit")
        self.privatePemEdit = _mono("privatePemEdit")
        self.publicJwkEdit = _mono("publicJwkEdit")
        self.publicPemEdit = _mono("publicPemEdit")
        self.jwkSetEdit = _mono("jwkSetEdit")
        self.outputTabs = QTabWidget()
        self.outputTabs.setObjectName("outputTabs")
        self.copyButtons: dict[str, QPushButton] = {}
        for title, edit in (
            ("Private JWK", self.privateJwkEdit),
            ("Private PEM", self.privatePemEdit),
            ("Public JWK", self.publicJwkEdit),
            ("Public PEM", self.publicPemEdit),
            ("Public JWK Set", self.jwkSetEdit),
        ):
            self.outputTabs.addTab(self._with_copy(edit, title), title)

        self.secretNoteLabel = QLabel(
            "An HMAC key is a shared secret: it has no public half and no PEM form, so only "
            "the secret itself (as a JWK) is shown. Whoever verifies the token needs this "
            "same secret."
        )
        self.secretNoteLabel.setObjectName("secretNoteLabel")
        self.secretNoteLabel.setProperty("role", "muted")
        self.secretNoteLabel.setWordWrap(True)
        self.secretNoteLabel.hide()

        self.useKeyButton = QPushButton("Use as signing key")
        self.useKeyButton.setObjectName("useKeyButton")
        self.useKeyButton.setEnabled(False)
        self.warningLabel = QLabel(
            "Private keys and secrets are shown here only and never saved. Copy them somewhere "
            "safe; publish only the public half."
        )
        self.warningLabel.setProperty("role", "muted")
        self.warningLabel.setWordWrap(True)

        # converter
        self.convertInput = QPlainTextEdit()
        self.convertInput.setObjectName("convertInput")
        self.convertInput.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.convertInput.setPlaceholderText("Paste a PEM key or a JWK")
        self.convertInput.setAccessibleName("Key to convert")
        self.convertPublicCheck = QCheckBox("Public half only")
        self.convertPublicCheck.setObjectName("convertPublicCheck")
        self.toJwkButton = QPushButton("To JWK")
        self.toJwkButton.setObjectName("toJwkButton")
        self.toPemButton = QPushButton("To PEM")
        self.toPemButton.setObjectName("toPemButton")
        self.convertOutput = _mono("convertOutput")
        self.convertErrorLabel = QLabel()
        self.convertErrorLabel.setObjectName("convertErrorLabel")
        self.convertErrorLabel.setWordWrap(True)
        # A bar on the highlight colour (theme.style_widgets), so that a refusal (such as
        # text that is no key at all) reads as a warning, not as a line of output.
        self.convertErrorLabel.setProperty("role", "notice")
        self.convertErrorLabel.setMargin(6)
        self.convertErrorLabel.hide()

        self._build_layout()
        self.algCombo.currentTextChanged.connect(self._on_alg_combo_changed)
        self.generateButton.clicked.connect(self._on_generate_button_clicked)
        self.useKeyButton.clicked.connect(self._on_use_key_button_clicked)
        self.copyThumbprintButton.clicked.connect(lambda: self._copy(self.thumbprintEdit.text()))
        self.toJwkButton.clicked.connect(lambda: self._convert("jwk"))
        self.toPemButton.clicked.connect(lambda: self._convert("pem"))
        self._on_alg_combo_changed(self.algCombo.currentText())
        self._show_key(None)

    # ------------------------------------------------------------------ layout

    def _with_copy(self, edit: QPlainTextEdit, title: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(edit)
        row = QHBoxLayout()
        row.addStretch(1)
        label = title.replace("Private", "private").replace("Public", "public")
        button = QPushButton(f"Copy {label}")
        button.setObjectName("copy" + title.title().replace(" ", "") + "Button")
        button.clicked.connect(lambda: self._copy(edit.toPlainText()))
        self.copyButtons[title] = button
        row.addWidget(button)
        layout.addLayout(row)
        return page

    def _build_layout(self) -> None:
        generate = QWidget()
        g = QVBoxLayout(generate)
        top = QHBoxLayout()
        top.addWidget(QLabel("Algorithm:"))
        top.addWidget(self.algCombo)
        top.addWidget(QLabel("Size:"))
        top.addWidget(self.sizeCombo, 1)
        top.addWidget(self.generateButton)
        g.addLayout(top)
        g.addWidget(self.statusLabel)
        thumb = QHBoxLayout()
        thumb.addWidget(QLabel("Thumbprint (kid):"))
        thumb.addWidget(self.thumbprintEdit, 1)
        thumb.addWidget(self.copyThumbprintButton)
        g.addLayout(thumb)
        g.addWidget(self.secretNoteLabel)
        g.addWidget(self.outputTabs, 1)
        g.addWidget(self.warningLabel)
        use = QHBoxLayout()
        use.addStretch(1)
        use.addWidget(self.useKeyButton)
        g.addLayout(use)

        convert = QWidget()
        c = QVBoxLayout(convert)
        c.addWidget(self.convertInput, 1)
        row = QHBoxLayout()
        row.addWidget(self.convertPublicCheck)
        row.addStretch(1)
        row.addWidget(self.toJwkButton)
        row.addWidget(self.toPemButton)
        c.addLayout(row)
        c.addWidget(self.convertErrorLabel)
        c.addWidget(self.convertOutput, 1)

        self.modeTabs = QTabWidget()
        self.modeTabs.setObjectName("modeTabs")
        self.modeTabs.addTab(generate, "Generate")
        self.modeTabs.addTab(convert, "Convert PEM ⇄ JWK")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.modeTabs, 1)
        outer.addWidget(buttons)
        # A fixed minimum instead of one recomputed from the content (as the main window
        # does): platforms without size hints (offscreen) are not asked for them.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(600, 460)
        self.resize(720, 560)

    # ------------------------------------------------------------------ slots

    @Slot(str)
    def _on_alg_combo_changed(self, alg: str) -> None:
        self.sizeCombo.clear()
        for option in key_options(alg):
            self.sizeCombo.addItem(option.label, option)
        self.sizeCombo.setEnabled(self.sizeCombo.count() > 1)
        self._show_tabs_for(secret=alg.startswith("HS"))

    def _show_tabs_for(self, *, secret: bool) -> None:
        """Only the Private JWK tab for a shared secret (the others make no sense for it)."""
        for index in range(1, self.outputTabs.count()):
            self.outputTabs.setTabVisible(index, not secret)
        if secret:
            self.outputTabs.setCurrentIndex(0)
        self.outputTabs.setTabText(0, "Secret (JWK)" if secret else "Private JWK")
        self.secretNoteLabel.setVisible(secret)

    @Slot()
    def _on_generate_button_clicked(self) -> None:
        if self._job is not None:
            return
        option = self.sizeCombo.currentData()
        alg = self.algCombo.currentText()
        bits, crv = getattr(option, "bits", None), getattr(option, "crv", None)
        self.generateButton.setEnabled(False)
        self.statusLabel.setText(f"Generating a {alg} key…")
        self._job = self._jobs.start(self._pool, partial(_generate, alg, bits, crv))

    @Slot(int, object)
    def _on_jobs_finished(self, job: int, outcome: object) -> None:
        if job != self._job:
            return
        self._job = None
        self.generateButton.setEnabled(True)
        if isinstance(outcome, GeneratedKey):
            self._show_key(outcome)
            self.key_generated.emit(outcome)
        else:
            self.statusLabel.setText(f"Cannot generate: {outcome}")

    @Slot(int, object)
    def _on_jobs_failed(self, job: int, _report: object) -> None:
        # A bug, not a refused option: the crash dialog shows it; this dialog stays usable.
        if job != self._job:
            return
        self._job = None
        self.generateButton.setEnabled(True)
        self.statusLabel.setText("Cannot generate: an unexpected error occurred.")

    @Slot()
    def _on_use_key_button_clicked(self) -> None:
        if self._key is not None:
            self.signing_key_chosen.emit(self._key.private_jwk, self._key.alg)

    # ------------------------------------------------------------------ helpers

    @property
    def key(self) -> GeneratedKey | None:
        """The key on show, if any."""
        return self._key

    def _show_key(self, key: GeneratedKey | None) -> None:
        self._key = key
        none = "A shared secret has no public half and no PEM form."
        if key is None:
            for edit in (
                self.privateJwkEdit,
                self.privatePemEdit,
                self.publicJwkEdit,
                self.publicPemEdit,
                self.jwkSetEdit,
            ):
                edit.clear()
            self.thumbprintEdit.clear()
            self.useKeyButton.setEnabled(False)
            return
        self.statusLabel.setText(f"{key.description} for {key.alg}. kid = thumbprint.")
        self.thumbprintEdit.setText(key.thumbprint)
        self.privateJwkEdit.setPlainText(key.private_jwk)
        self.privatePemEdit.setPlainText(key.private_pem or "")
        self.privatePemEdit.setPlaceholderText(none)
        self.publicJwkEdit.setPlainText(key.public_jwk or "")
        self.publicJwkEdit.setPlaceholderText(none)
        self.publicPemEdit.setPlainText(key.public_pem or "")
        self.publicPemEdit.setPlaceholderText(none)
        self.jwkSetEdit.setPlainText(key.jwk_set or "")
        self.jwkSetEdit.setPlaceholderText(none)
        self._show_tabs_for(secret=key.kty == "oct")
        self.useKeyButton.setEnabled(True)

    def _convert(self, to: str) -> None:
        result = convert_key(
            self.convertInput.toPlainText(),
            to="pem" if to == "pem" else "jwk",
            public=self.convertPublicCheck.isChecked(),
        )
        if result.text is None:
            self.convertErrorLabel.setText("Cannot convert: " + result.message)
            self.convertErrorLabel.show()
            self.convertOutput.clear()
            return
        self.convertErrorLabel.hide()
        self.convertOutput.setPlainText(result.text)

    @staticmethod
    def _copy(text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)
