"""The Edit menu's commands, and the panes' Copy buttons (:class:`EditCommands`).

Copy: the token, the header or payload JSON, the signature as shown; the status bar says
what was copied (never the key: it has no copy command, and its text is never in a message).

Clear, undoably: Edit > Clear empties the token and the key; Edit > Undo Clear (Ctrl+Z)
puts both back, with the secret encoding, until the user types something new.

Ctrl+Z is also the text editors' own undo, and an editor with the focus takes the key before
any menu shortcut. Right after a Clear an editor has nothing of its own to undo (the texts
were replaced, not typed), so while a Clear can be undone Ctrl+Z goes through to the window's
action from the token and key editors (an event filter). Made after the first frame
(``InspectorWindow.finish_setup``): a Python event handler makes PySide build Qt's event
classes, which the first frame does without.

The saved inputs live only in memory, in this object, as the editors' texts do: nothing is
written anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal, Slot

from inspector.ui.clipboard import copy_text

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QAction

    from inspector.ui.window import InspectorWindow


class ClearedInputs(NamedTuple):
    """What a Clear took away (its ``repr`` hides the token and key, for crash reports)."""

    token: str
    key: str
    encoding: str

    def __repr__(self) -> str:
        return f"ClearedInputs(token=<{len(self.token)} chars>, key=<hidden>, ...)"


class EditCommands(QObject):
    """Copy and Clear for the window (its Edit menu's entries call these; the panes' Copy
    buttons are connected here).

    Signals:
        undo_available(bool): whether Undo Clear has something to restore.
    """

    undo_available = Signal(bool)

    def __init__(self, window: InspectorWindow) -> None:
        super().__init__(window)
        self._window = window
        self._saved: ClearedInputs | None = None
        #: Set while this object itself changes the editors (not an edit of the user's).
        self._busy = False
        for button, command in (
            (window.left.copy_button, self.copy_token),
            (window.middle.copy_buttons["header"], self.copy_header_json),
            (window.middle.copy_buttons["payload"], self.copy_payload_json),
            (window.middle.copy_buttons["signature"], self.copy_signature),
        ):
            button.clicked.connect(command)
        for editor in (window.token_edit, window.key_panel.key_edit):
            editor.installEventFilter(self)  # Ctrl+Z after a Clear

    def bind_undo_action(self, action: QAction) -> None:
        """Enable ``action`` (Edit > Undo Clear) while there is a Clear to undo."""
        action.setEnabled(self.available())
        self.undo_available.connect(action.setEnabled)

    # ------------------------------------------------------------------ copy
    @Slot()
    def copy_token(self) -> None:
        shown = self._window.shown
        self._copy("token", shown.token if shown is not None else None)

    @Slot()
    def copy_header_json(self) -> None:
        r = self._window.state.result
        self._copy("header JSON", r.header.full_json if r is not None else None)

    @Slot()
    def copy_payload_json(self) -> None:
        r = self._window.state.result
        self._copy("payload JSON", r.payload.full_json if r is not None else None)

    @Slot()
    def copy_signature(self) -> None:
        self._copy("signature", self._window.signature_view.toPlainText())

    def _copy(self, what: str, text: str | None) -> None:
        done = copy_text(text)
        message = f"Copied the {what}" if done else f"No {what} to copy"
        self._window.statusBar().showMessage(message, 3000)

    # ------------------------------------------------------------------ clear
    def available(self) -> bool:
        return self._saved is not None

    @Slot()
    def clear(self) -> None:
        """Empty the token and the key (a second Clear on empty inputs keeps what the first
        one saved); the status bar says Ctrl+Z puts them back."""
        w = self._window
        token, key = w.token_text(), w.key_panel.key_text()
        self._busy = True  # emptying the editors is not the user's next edit
        try:
            w.key_panel.key_edit.clear()
            w.set_token_text("")
        finally:
            self._busy = False
        if token or key:
            self._set_saved(ClearedInputs(token, key, w.key_panel.encoding()))
        if self._saved is not None:
            w.statusBar().showMessage("Cleared the token and key (Ctrl+Z puts them back)", 8000)

    @Slot()
    def undo_clear(self) -> bool:
        """Put back what the last Clear took away; returns whether there was anything."""
        saved = self._saved
        if saved is None:
            return False
        self._busy = True
        try:
            self._window.set_key_text(saved.key, encoding=saved.encoding, inspect=False)
            self._window.set_token_text(saved.token)
        finally:
            self._busy = False
        self._set_saved(None)
        self._window.statusBar().showMessage("Restored the token and key", 3000)
        return True

    def input_edited(self) -> None:
        """The token or key changed: once either holds something new, the Clear is no
        longer the last thing done, and Ctrl+Z is the editors' own again."""
        w = self._window
        if self._saved is not None and not self._busy:
            if w.token_text() or w.key_panel.key_text():
                self._set_saved(None)

    def _set_saved(self, saved: ClearedInputs | None) -> None:
        was = self._saved is not None
        self._saved = saved
        if was != (saved is not None):
            self.undo_available.emit(saved is not None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """In the token and key editors, Ctrl+Z is left to the window's Undo Clear while
        there is a Clear to undo (the editor would otherwise take it, with nothing to undo)."""
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeySequence

        if (
            self._saved is not None
            and event.type() == QEvent.Type.ShortcutOverride
            and event.matches(QKeySequence.StandardKey.Undo)  # type: ignore[attr-defined]
        ):
            event.ignore()  # not the editor's: the shortcut goes to the window's action
            return True
        return False
