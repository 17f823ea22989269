"""Clear, undoably: Edit > Clear empties the token and the key; Edit > Undo Clear (Ctrl+Z)
puts both back, with the secret encoding, until the user types something new.

Ctrl+Z is also the text editors' own undo, and an editor with the focus takes the key before
any menu shortcut. Right after a Clear an editor has nothing of its own to undo (the texts
were replaced, not typed), so while a Clear can be undone :class:`ClearUndo` lets Ctrl+Z
through to the window's action from the token and key editors (an event filter, installed
after the first frame by ``InspectorWindow.finish_setup``: a Python event handler makes PySide
build Qt's event classes, which the first frame does without).

The saved inputs live only in memory, in this object, as the editors' texts do: nothing is
written anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

    from inspector.ui.window import InspectorWindow


class ClearedInputs(NamedTuple):
    """What a Clear took away (its ``repr`` hides the token and key, for crash reports)."""

    token: str
    key: str
    encoding: str

    def __repr__(self) -> str:
        return f"ClearedInputs(token=<{len(self.token)} chars>, key=<hidden>, ...)"


class ClearUndo(QObject):
    """Clears the window's inputs, remembering them until the next edit.

    Signals:
        available_changed(bool): whether Undo Clear has something to restore.
    """

    available_changed = Signal(bool)

    def __init__(self, window: InspectorWindow) -> None:
        super().__init__(window)
        self._window = window
        self._saved: ClearedInputs | None = None
        #: Set while this object itself changes the editors (not an edit of the user's).
        self._busy = False

    def available(self) -> bool:
        return self._saved is not None

    def clear(self) -> None:
        """Empty the token and the key (a second Clear on empty inputs keeps what the first
        one saved)."""
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

    def undo(self) -> bool:
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
            self.available_changed.emit(saved is not None)

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
