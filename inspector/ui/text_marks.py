"""Shared pieces of the text views: coloured spans (extra selections over the user's own
text, which is never changed) and tooltips for a position in the text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip


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


def show_position_tooltip(
    view: QPlainTextEdit, event: QEvent, tip_at: Callable[[int], str | None]
) -> bool:
    """For a viewport tooltip event: show ``tip_at(position under the mouse)`` or hide the
    tooltip. Returns whether the event was handled (tooltip events always are)."""
    if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
        return False
    tip = tip_at(view.cursorForPosition(event.pos()).position())
    if tip:
        QToolTip.showText(event.globalPos(), tip, view.viewport())
    else:
        QToolTip.hideText()
        event.ignore()
    return True
