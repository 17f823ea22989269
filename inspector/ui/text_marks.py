"""Shared pieces of the text views: coloured spans (extra selections over the user's own
text, which is never changed) and tooltips for a position in the text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


def selection(
    view: QPlainTextEdit, start: int, end: int, fmt: QTextCharFormat
) -> QTextEdit.ExtraSelection:
    """An extra selection that paints ``fmt`` over ``view``'s characters ``start..end``."""
    sel = QTextEdit.ExtraSelection()
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    sel.cursor = cursor  # type: ignore[misc]
    sel.format = fmt  # type: ignore[misc]
    return sel


class PositionTooltips(QObject):
    """Shows ``tip_at(position under the mouse)`` as the tooltip of a text view's viewport.

    An event filter rather than a ``viewportEvent`` override, installed once the window's
    first frame is shown (:meth:`InspectorWindow.finish_setup`): the first event that reaches
    a Python event handler makes PySide set up all of Qt's event classes (~6 ms), which the
    first frame does without. The event classes are imported here for the same reason."""

    def __init__(self, view: QPlainTextEdit, tip_at: Callable[[int], str | None]) -> None:
        from PySide6.QtCore import QEvent

        super().__init__(view)
        self.setObjectName("positionTooltips")
        self._view = view
        self._tip_at = tip_at
        self._tooltip_event = QEvent.Type.ToolTip
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != self._tooltip_event:
            return False
        return show_position_tooltip(self._view, event, self._tip_at)


def show_position_tooltip(
    view: QPlainTextEdit, event: QEvent, tip_at: Callable[[int], str | None]
) -> bool:
    """For a viewport tooltip event: show ``tip_at(position under the mouse)`` or hide the
    tooltip. Returns whether the event was handled (tooltip events always are)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
        return False
    tip = tip_at(view.cursorForPosition(event.pos()).position())
    if tip:
        QToolTip.showText(event.globalPos(), tip, view.viewport())
    else:
        QToolTip.hideText()
        event.ignore()
    return True
