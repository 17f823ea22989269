"""A read-only pane showing the decoded header or payload as pretty-printed JSON, in the colour
of its part (its ``part`` property: see ``theme.style_widgets``), with time claims annotated in
place, claim descriptions as tooltips, and the member a finding points at highlighted."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from inspector.ui.render import RenderedJson, Span, parent_pointers
from inspector.ui.text_marks import PositionTooltips, selection
from inspector.ui.theme import solid_brush


class JsonView(QPlainTextEdit):
    """Shows one :class:`RenderedJson`. ``part`` is ``header`` or ``payload``."""

    def __init__(self, part: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setObjectName(f"{part}View")
        self.setProperty("part", part)
        self.setReadOnly(True)
        self.setAccessibleName(f"Decoded {part}")
        self.setAccessibleDescription(f"The token's {part} as pretty-printed JSON")
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTabChangesFocus(True)
        self._rendered = RenderedJson(text="")
        self._tips: dict[str, str] = {}
        self._muted = QBrush()
        self._highlight = QBrush()
        self._highlighted: str | None = None
        self._base_selections: list[QTextEdit.ExtraSelection] = []
        self._tooltips: PositionTooltips | None = None

    @property
    def rendered(self) -> RenderedJson:
        return self._rendered

    def set_colours(self, muted: QColor, highlight: QColor) -> None:
        self._muted = solid_brush(muted)
        self._highlight = solid_brush(highlight)

    def show_json(self, rendered: RenderedJson, tips: Mapping[str, str]) -> None:
        """Show ``rendered``; ``tips`` maps JSON Pointers to hover text."""
        self._rendered = rendered
        self._tips = {p: t for p, t in tips.items() if p in rendered.spans}
        self._highlighted = None
        if rendered.text != self.toPlainText():
            self.setPlainText(rendered.text)
        fmt = QTextCharFormat()
        fmt.setForeground(self._muted)
        fmt.setFontItalic(True)
        fmt.setFontWeight(QFont.Weight.Normal)
        self._base_selections = [
            selection(self, a, b, fmt) for a, b in (*rendered.annotations, *rendered.notes)
        ]
        self.setExtraSelections(self._base_selections)

    def highlight(self, pointer: str | None) -> bool:
        """Highlight the member at ``pointer`` (or its nearest shown parent) and scroll to it.
        ``None`` clears. Returns whether something in this pane was highlighted. The pane's
        whole object (``/payload``: a claim that is missing, say) is not highlighted: a pane
        in the highlight colour tells no more than the finding's "At /payload", and outshouts
        the verdict beside it."""
        self._highlighted = None
        span: Span | None = None
        if pointer is not None:
            for p in parent_pointers(pointer):
                if p == f"/{self.part}":
                    break
                span = self._rendered.spans.get(p)
                if span is not None:
                    self._highlighted = p
                    break
        selections = list(self._base_selections)
        if span is not None:
            fmt = QTextCharFormat()
            fmt.setBackground(self._highlight)
            fmt.setFontWeight(QFont.Weight.Bold)
            # Highlight below the muted annotations so they stay readable.
            selections.insert(0, selection(self, span.key_start, span.end, fmt))
            cursor = QTextCursor(self.document())
            cursor.setPosition(span.key_start)
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.setExtraSelections(selections)
        return span is not None

    @property
    def highlighted(self) -> str | None:
        """The pointer currently highlighted, if any."""
        return self._highlighted

    def highlighted_text(self) -> str:
        if self._highlighted is None:
            return ""
        span = self._rendered.spans[self._highlighted]
        cursor = QTextCursor(self.document())
        cursor.setPosition(span.key_start)
        cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def install_tooltips(self) -> None:
        """Show claim descriptions on hover. A separate step, taken after the window's first
        frame: see :class:`PositionTooltips`."""
        if self._tooltips is None:
            self._tooltips = PositionTooltips(self, self.tip_at)

    def tip_at(self, position: int) -> str | None:
        """The description of the innermost described member at Qt ``position``."""
        best: tuple[int, str] | None = None
        for pointer, tip in self._tips.items():
            span = self._rendered.spans[pointer]
            if span.key_start <= position < span.end or (
                position == span.end and span.end > span.key_start
            ):
                size = span.end - span.key_start
                if best is None or size < best[0]:
                    best = (size, tip)
        return best[1] if best else None
