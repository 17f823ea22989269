"""The encoded-token editor: shows exactly what the user pasted, with the recognised token's
parts coloured in place (extra selections at the core's segment offsets; the document itself
is never reformatted or altered).

Huge input (more than :data:`HUGE_CHARS` characters) is not put into the document, whose
layout of one enormous line would freeze the window: the full text is kept in memory and
inspected, and the editor shows a read-only ``head … tail`` preview until the user asks for
the full text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QTextCharFormat, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from inspector.ui.render import python_index, utf16_mapper
from inspector.ui.text_marks import PositionTooltips, selection
from inspector.ui.theme import solid_brush

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QKeyEvent

    from inspector.core.model import Segment

#: Above this many characters the editor shows an elided preview instead of the text.
HUGE_CHARS = 100_000
#: Characters of the start and end of huge input shown in the preview.
PREVIEW_HEAD = 3_000
PREVIEW_TAIL = 1_000
#: Files larger than this are not read (no token is anywhere near).
MAX_FILE_BYTES = 64 * 1024 * 1024

_PART_TITLES = {
    "header": "Header",
    "payload": "Payload",
    "signature": "Signature",
    "encrypted_key": "Encrypted key",
    "iv": "Initialisation vector",
    "ciphertext": "Ciphertext",
    "tag": "Authentication tag",
}


class _Preview(NamedTuple):
    """``text[:head] + marker + text[-tail:]`` of an input of ``total`` characters."""

    text: str
    head: int
    tail: int
    total: int
    marker: int

    @classmethod
    def of(cls, full: str) -> _Preview:
        hidden = len(full) - PREVIEW_HEAD - PREVIEW_TAIL
        marker = f"\n\n… {hidden:,} characters not shown …\n\n"
        return cls(
            full[:PREVIEW_HEAD] + marker + full[len(full) - PREVIEW_TAIL :],
            PREVIEW_HEAD,
            PREVIEW_TAIL,
            len(full),
            len(marker),
        )

    def ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        """The visible pieces of ``full[start:end]``, as offsets into the preview text."""
        out = []
        if start < self.head:
            out.append((start, min(end, self.head)))
        tail_start = self.total - self.tail
        if end > tail_start:
            shift = self.head + self.marker - tail_start
            out.append((max(start, tail_start) + shift, end + shift))
        return out


def read_text_file(path: str | Path) -> str:
    """A dropped or opened file's text (UTF-8; undecodable bytes become U+FFFD)."""
    p = Path(path)
    if p.stat().st_size > MAX_FILE_BYTES:
        raise ValueError(f"{p.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    return p.read_bytes().decode("utf-8", errors="replace")


class TokenEditor(QPlainTextEdit):
    """Plain-text editor for the encoded token.

    Signals:
        text_edited(): the user's text changed (typed, pasted, dropped or set).
        huge_mode_changed(bool): the editor switched to (True) or from the elided preview.
        file_failed(str): a dropped file could not be read; the message says why.
    """

    text_edited = Signal()
    huge_mode_changed = Signal(bool)
    file_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenEdit")
        self.setAccessibleName("Encoded token")
        self.setAccessibleDescription(
            "Paste, type or drop a token. Header, payload and signature are coloured."
        )
        self.setPlaceholderText("Paste a token here (or drop a file)")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self.setTabChangesFocus(True)
        self._full: str | None = None
        self._preview: _Preview | None = None
        self._quiet = False
        self._colours: dict[str, QColor] = {}
        self._brushes: dict[str, QBrush] = {}
        self._tips: list[tuple[int, int, str]] = []
        self._tooltips: PositionTooltips | None = None
        self.textChanged.connect(self._on_text_changed)

    # ----------------------------------------------------------------- text in and out
    def text(self) -> str:
        """The user's full text (also when only a preview is shown)."""
        return self._full if self._full is not None else self.toPlainText()

    def is_elided(self) -> bool:
        return self._full is not None

    def set_text(self, text: str) -> None:
        """Replace the text (elided preview when huge). Emits ``text_edited``."""
        if len(text) > HUGE_CHARS:
            self._show_preview(text)
            return
        was_elided = self._full is not None
        self._full = self._preview = None
        self.setReadOnly(False)
        self._quiet = True
        try:
            self.setPlainText(text)
        finally:
            self._quiet = False
        if was_elided:
            self.huge_mode_changed.emit(False)
        self.text_edited.emit()

    def show_full_text(self) -> None:
        """Leave the preview: put the whole huge text in the document (slow, on request)."""
        if self._full is None:
            return
        full = self._full
        self._full = self._preview = None
        self._quiet = True
        try:
            self.setPlainText(full)
        finally:
            self._quiet = False
        self.setReadOnly(False)
        self.huge_mode_changed.emit(False)

    def _show_preview(self, text: str) -> None:
        self._full = text
        self._preview = _Preview.of(text)
        self.setExtraSelections([])
        self._quiet = True
        try:
            self.setPlainText(self._preview.text)
        finally:
            self._quiet = False
        self.setReadOnly(True)
        self.huge_mode_changed.emit(True)
        self.text_edited.emit()

    def _on_text_changed(self) -> None:
        if not self._quiet:
            self.text_edited.emit()

    # ----------------------------------------------------------------- paste and drop
    def keyPressEvent(self, e: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Imported here: the first frame does without them (see inspector.ui.qtvalues).
        from PySide6.QtGui import QGuiApplication, QKeySequence

        if self._full is not None and e.matches(QKeySequence.StandardKey.Paste):
            # The preview is read-only; pasting replaces the whole huge input.
            mime = QGuiApplication.clipboard().mimeData()
            if mime is not None and (mime.hasText() or mime.hasUrls()):
                self._full = self._preview = None
                self._quiet = True
                try:
                    self.setPlainText("")
                finally:
                    self._quiet = False
                self.setReadOnly(False)
                self.insertFromMimeData(mime)
                if self._full is None:
                    self.huge_mode_changed.emit(False)
            e.accept()
            return
        super().keyPressEvent(e)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 - Qt override
        return source.hasUrls() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        files = (
            [u.toLocalFile() for u in source.urls() if u.isLocalFile()] if source.hasUrls() else []
        )
        if files:
            try:
                self.set_text(read_text_file(files[0]))
            except (OSError, ValueError) as err:
                self.file_failed.emit(f"Could not read {Path(files[0]).name}: {err}")
            return
        if not source.hasText():
            return
        pasted = source.text()
        cursor = self.textCursor()
        selected = cursor.selectionEnd() - cursor.selectionStart()
        if len(pasted) + self.document().characterCount() - selected > HUGE_CHARS:
            # Compose the new text without handing a huge line to the layout engine.
            current = self.toPlainText()
            start = python_index(current, cursor.selectionStart())
            end = python_index(current, cursor.selectionEnd())
            self.set_text(current[:start] + pasted + current[end:])
            return
        super().insertFromMimeData(source)

    # ----------------------------------------------------------------- colouring
    def set_part_colours(self, colours: dict[str, QColor]) -> None:
        """``header``, ``payload``, ``signature``, ``dot`` and ``error`` colours."""
        self._colours = dict(colours)
        self._brushes = {name: solid_brush(colour) for name, colour in colours.items()}

    def show_segments(self, segments: Sequence[Segment], text: str) -> None:
        """Colour the parts of the token found in ``text`` (must be the current text)."""
        if text != self.text():
            return  # stale: the user has typed since
        shown = self._preview.text if self._preview is not None else text
        to16 = utf16_mapper(shown)
        preview = self._preview

        def visible(start: int, end: int) -> list[tuple[int, int]]:
            pieces = preview.ranges(start, end) if preview is not None else [(start, end)]
            return [(to16(a), to16(b)) for a, b in pieces if b > a]

        selections: list[QTextEdit.ExtraSelection] = []
        tips: list[tuple[int, int, str]] = []
        colours, brushes = self._colours, self._brushes
        jwe_colours = {
            "encrypted_key": "payload",
            "iv": "dot",
            "ciphertext": "payload",
            "tag": "signature",
        }
        for i, seg in enumerate(segments):
            brush = brushes.get(seg.name) or brushes.get(jwe_colours.get(seg.name, ""))
            fmt = QTextCharFormat()
            if brush is not None:
                fmt.setForeground(brush)
            title = _PART_TITLES.get(seg.name, seg.name)
            tip = f"{title}: {seg.end - seg.start:,} characters"
            if seg.error:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(colours.get("error", QColor("red")))
                tip = f"{title} cannot be decoded: {seg.error}"
            for a, b in visible(seg.start, seg.end):
                selections.append(selection(self, a, b, fmt))
                tips.append((a, b, tip))
            if i + 1 < len(segments):
                dot = QTextCharFormat()
                if "dot" in brushes:
                    dot.setForeground(brushes["dot"])
                dot.setFontWeight(700)
                for a, b in visible(seg.end, segments[i + 1].start):
                    selections.append(selection(self, a, b, dot))
        self._tips = tips
        self.setExtraSelections(selections)

    def clear_segments(self) -> None:
        self._tips = []
        self.setExtraSelections([])

    def install_tooltips(self) -> None:
        """Say what each part is (and why a broken one is broken) on hover. A separate step,
        taken after the window's first frame: see :class:`PositionTooltips`."""
        if self._tooltips is None:
            self._tooltips = PositionTooltips(self, self.segment_tip_at)

    def segment_tip_at(self, position: int) -> str | None:
        """The tooltip for the character at Qt ``position`` (what is shown on hover)."""
        for a, b, tip in self._tips:
            if a <= position < b:
                return tip
        return None


class HugeBar(QFrame):
    """The notice above a :class:`TokenEditor` in huge mode: how much input there is, that
    only its start and end are shown, and a button to show all of it."""

    def __init__(self, editor: TokenEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setObjectName("hugeBar")
        self.setProperty("role", "notice")
        hl = QHBoxLayout(self)
        hl.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel("", self)
        self.label.setObjectName("hugeLabel")
        self.label.setWordWrap(True)
        hl.addWidget(self.label, 1)
        # Built without the (icon, text) overload: see inspector.ui.clipboard.button.
        self.button = QPushButton(parent=self)
        self.button.setText("Show full text")
        self.button.setObjectName("showFullButton")
        self.button.setAccessibleName("Show the full token text")
        self.button.clicked.connect(editor.show_full_text)
        hl.addWidget(self.button)
        self.hide()
        editor.huge_mode_changed.connect(self._on_editor_huge_mode_changed)

    def _on_editor_huge_mode_changed(self, huge: bool) -> None:
        self.setVisible(huge)
        if huge:
            self.label.setText(
                f"{size_words(len(self.editor.text()))} of input: only its start and end are "
                "shown here; all of it is inspected."
            )


def size_words(n: int) -> str:
    """``n`` characters as a rounded size (``1.2 MB``, ``300 KB``, ``12 bytes``)."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} KB"
    return f"{n} bytes"
