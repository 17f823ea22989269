"""Compare with... (issue 16 item 1 in the window): a second token beside the one shown, with
the differences highlighted in both panes, from :func:`inspector.diff.diff_tokens` (the CLI's
``diff``). Removed members are marked on the left (A, the token in the editor), added ones on
the right (B, pasted here), changed ones on both; the list of changes reads as ``diff`` prints.

A docked tool, built when first opened (see :mod:`inspector.ui.tool_docks`); it follows the
window's token through the state's ``result`` event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from inspector.core.model import ParsedToken
from inspector.core.parsing import parse_token
from inspector.diff import Change, DiffError, diff_tokens
from inspector.ui.render import render_json

if TYPE_CHECKING:
    from inspector.ui.render import RenderedJson

#: Highlight colours (translucent, so they read on the light and the dark theme alike).
COLOURS = {
    "removed": QColor(230, 60, 60, 70),
    "added": QColor(40, 170, 70, 70),
    "changed": QColor(230, 170, 20, 80),
}
#: What the panes say before a second token is pasted.
EMPTY = "Paste a second token above to compare it with the one in the editor."


class ComparePanel(QWidget):
    """Token B's editor, the changes in words, and A and B side by side, highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePanel")
        self._a: ParsedToken | None = None
        self.token_b = QPlainTextEdit(self)
        self.token_b.setObjectName("compareTokenEdit")
        self.token_b.setPlaceholderText("Token B: paste the token to compare with")
        self.token_b.setMaximumHeight(70)
        self.token_b.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.summary = QLabel(EMPTY, self)
        self.summary.setObjectName("compareSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.left = self._pane("compareLeft")
        self.right = self._pane("compareRight")
        panes = QHBoxLayout()
        panes.addWidget(self.left)
        panes.addWidget(self.right)
        layout = QVBoxLayout(self)
        layout.addWidget(self.token_b)
        layout.addWidget(self.summary)
        layout.addLayout(panes)
        self.token_b.textChanged.connect(self.refresh)
        self.changes: tuple[Change, ...] = ()

    def _pane(self, name: str) -> QPlainTextEdit:
        pane = QPlainTextEdit(self)
        pane.setObjectName(name)
        pane.setReadOnly(True)
        pane.setMinimumHeight(160)
        pane.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        return pane

    def set_a(self, text: str) -> None:
        """The token A (the window's editor text) changed."""
        self._a = parse_token(text)
        self.refresh()

    def set_b(self, text: str) -> None:
        self.token_b.setPlainText(text)

    def refresh(self) -> None:
        """Diff A and B again and show it."""
        b_text = self.token_b.toPlainText()
        self.changes = ()
        if self._a is None or not b_text.strip():
            self._show(self.left, self._a, ())
            self._show(self.right, None, ())
            self.summary.setText(EMPTY)
            return
        b = parse_token(b_text)
        try:
            result = diff_tokens(self._a, b)
        except DiffError as err:
            self.summary.setText(f"Cannot compare: {err}.")
            self._show(self.left, self._a, ())
            self._show(self.right, b, ())
            return
        self.changes = result.changes
        self.summary.setText(result.text().rstrip("\n"))
        self._show(self.left, self._a, [c for c in result.changes if c.op != "added"])
        self._show(self.right, b, [c for c in result.changes if c.op != "removed"])

    def _show(self, pane: QPlainTextEdit, parsed: ParsedToken | None, marks: Any) -> None:
        if parsed is None or parsed.unverified_header is None:
            pane.setPlainText("")
            pane.setExtraSelections([])
            return
        parts: list[tuple[str, RenderedJson]] = [
            ("header", render_json(parsed.unverified_header, "header"))
        ]
        if parsed.unverified_payload is not None:
            parts.append(("payload", render_json(parsed.unverified_payload, "payload")))
        text = ""
        spans: dict[str, tuple[int, int]] = {}
        for title, rendered in parts:
            heading = f"{title}\n"
            offset = len((text + heading).encode("utf-16-le")) // 2
            for pointer, span in rendered.spans.items():
                spans[pointer] = (offset + span.key_start, offset + span.end)
            text += heading + rendered.text + "\n\n"
        pane.setPlainText(text.rstrip("\n"))
        selections = []
        for change in marks:
            where = spans.get(change.path)
            if where is None:
                continue
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(COLOURS[change.op])
            selection.format = fmt  # type: ignore[misc]
            cursor = QTextCursor(pane.document())
            cursor.setPosition(where[0])
            cursor.setPosition(where[1], QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[misc]
            selections.append(selection)
        pane.setExtraSelections(selections)
