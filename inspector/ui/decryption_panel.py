"""Encrypted tokens in the window (issue 14 item 4): the inner token's verification key.

For a JWE the key box is the *decryption* key (the key column titles it so, and says what
the key did: :func:`inspector.presentation.decryption_key_words`); the banner says
"Decrypted (RSA-OAEP-256, A256GCM) \u2013 inner token: Signature verified"
(:func:`inspector.presentation.token_verdict`); the payload pane shows the decrypted
content, or the inner token's claims, and the header pane the inner token's header under
the JWE's, whose findings join the list marked "Inner token:" (:func:`inspector.ui.jobs.
build_view`). What this module adds is the second key: when a decrypted JWE holds a signed
token (sign-then-encrypt), :class:`InnerKeyPanel` appears under the key box, and from then
on the key box's text is the ``decryption_key`` and this box's the ``key`` that verifies the
inner token (the contract of ``inspect_token``). Before it appears, the one key is tried for
both, as the codec does when no decryption key is given.

Nothing here exists before the first frame: :func:`install` (from the window's
``finish_setup``) only connects to ``inspection_shown``; the box is built when a nested JWE
is first shown. It talks to the window by signals and the key panel's ``split_keys`` hook,
which :class:`~inspector.ui.scheduler.InspectionScheduler` applies to each inspection's
options (through :meth:`KeyPanel.key_options`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from inspector.ui.theme import monospace_font, style_widgets
from inspector.ui.verdict_banner import set_unbroken_text

if TYPE_CHECKING:
    from inspector.core.options import InspectOptions
    from inspector.ui.jobs import InspectionView
    from inspector.ui.window import InspectorWindow

#: The inner token's key box title.
INNER_KEY_TITLE = "Verify inner token's signature"


class InnerKeyPanel(QGroupBox):
    """The key that verifies the token inside a JWE (secret, PEM, certificate, JWK, JWK Set).

    Signals:
        key_edited(): its text changed.
    """

    key_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INNER_KEY_TITLE, parent)
        self.setObjectName("innerKeyPanel")
        self.key_edit = QPlainTextEdit(self)
        self.key_edit.setObjectName("innerKeyEdit")
        self.key_edit.setAccessibleName("Inner token key")
        self.key_edit.setAccessibleDescription(
            "Secret, PEM public key or certificate, JWK or JWK Set that verifies the signed "
            "token inside the encrypted one"
        )
        self.key_edit.setPlaceholderText("The issuer's key: secret, PEM, certificate, JWK or set")
        self.key_edit.setFont(monospace_font())
        self.key_edit.setTabChangesFocus(True)
        self.key_edit.setMinimumHeight(44)
        self.key_edit.setMaximumHeight(80)
        self.key_kind = QLabel("No key entered", self)
        self.key_kind.setObjectName("innerKeyKind")
        self.key_kind.setAccessibleName("Detected inner token key")
        self.key_kind.setWordWrap(True)
        self.key_kind.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.key_edit)
        layout.addWidget(self.key_kind)
        self.key_edit.textChanged.connect(self.key_edited)

    def key_text(self) -> str:
        return self.key_edit.toPlainText()

    def show_inner(self, inner: InspectionView | None) -> None:
        """Say what the key did to the inner token (``None``: the JWE was not decrypted)."""
        entered = bool(self.key_text().strip())
        if inner is None:
            kind = "Used once the token is decrypted" if entered else "No key entered"
        elif inner.verification.key:
            kind = f"Detected: {inner.verification.key}"
        elif entered:
            kind = f"Key not used: {inner.verification.reason}"
        else:
            kind = "No key entered: paste the issuer's key to verify the inner token"
        set_unbroken_text(self.key_kind, kind)


class DecryptionPanel(QObject):
    """Shows :class:`InnerKeyPanel` while a JWE with a token inside is shown, and splits the
    keys while it does (see the module docstring)."""

    def __init__(self, window: InspectorWindow) -> None:
        super().__init__(window)
        self.window = window
        #: The inner token's key box, built when a nested JWE is first shown.
        self.inner_panel: InnerKeyPanel | None = None
        window.key_panel.split_keys = self.split_keys

    def active(self) -> bool:
        """Whether the keys are split (the inner key box is shown)."""
        return self.inner_panel is not None and not self.inner_panel.isHidden()

    def split_keys(self, base: InspectOptions) -> InspectOptions:
        """``base`` with the key box's text as the decryption key and the inner box's as the
        verification key, while the inner box is shown; ``base`` otherwise."""
        if not self.active():
            return base
        assert self.inner_panel is not None
        return replace(base, decryption_key=base.key or "", key=self.inner_panel.key_text() or None)

    @Slot(object)
    def on_inspection_shown(self, view: InspectionView | None) -> None:
        """A result is shown: show or hide the inner key box, and re-inspect when the keys
        the result was made with are not the ones the boxes now stand for."""
        result = self.window.state.result
        if view is None or result is None:
            return
        split = result.request.options.decryption_key is not None
        d = view.decryption
        if d is None:
            if self.active():
                self.inner_panel.hide()  # type: ignore[union-attr]
            if split:
                self._inspect_again()  # the inner box's key verified a token that is no JWE
            return
        panel = self.inner_panel
        if view.nested is not None and (panel is None or panel.isHidden()):
            panel = self._show_panel()
        elif panel is not None and d.status == "decrypted" and view.nested is None:
            panel.hide()  # decrypted, nothing inside to verify
        if panel is not None and not panel.isHidden():
            panel.show_inner(view.nested)
            if not split:
                self._inspect_again()  # the one key was tried for both; now each has its box

    def _show_panel(self) -> InnerKeyPanel:
        if self.inner_panel is None:
            kp = self.window.key_panel
            column = kp.parentWidget()
            layout = column.layout() if column is not None else None
            assert isinstance(layout, QVBoxLayout)
            panel = InnerKeyPanel(column)
            style_widgets(panel, self.window.theme)
            layout.insertWidget(layout.indexOf(kp) + 1, panel)
            QWidget.setTabOrder(kp.open_button, panel.key_edit)
            panel.key_edited.connect(self.window.scheduler.input_changed)
            self.inner_panel = panel
        self.inner_panel.show()
        return self.inner_panel

    def _inspect_again(self) -> None:
        self.window.scheduler.set_stale(True)  # "Inspecting…", not a verdict on other keys
        self.window.inspect_now()


def install(window: InspectorWindow) -> DecryptionPanel:
    """Build the controller for ``window`` (after its first frame) and follow what it shows;
    the box itself waits for the first nested JWE (perhaps the one shown already)."""
    controller = DecryptionPanel(window)
    window.inspection_shown.connect(controller.on_inspection_shown)
    result = window.state.result
    if result is not None and result.view is not None:
        controller.on_inspection_shown(result.view)
    return controller
