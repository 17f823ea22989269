"""``VerdictBanner``: the coloured verdict at the top of the right column.

It subscribes to the window's state (:mod:`inspector.ui.state`): a result shows its verdict
(the words come from :mod:`inspector.presentation`), a stale result says "Inspecting…".
The banner is painted in the theme's colour for its status (``valid``, ``invalid``,
``error``, ``unchecked``); the status is also its ``status`` property, for stylesheets and
tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from inspector.ui.qtvalues import PLAIN_TEXT, TEXT_SELECTABLE_BY_MOUSE
from inspector.ui.theme import VERDICT_POINTS, Theme, set_colour, verdict_pixmap

if TYPE_CHECKING:
    from inspector.ui.state import InspectorState

#: A word longer than this in the verdict or key description (a long ``kid``) is shown
#: elided in the middle, the full text being in the tooltip.
LONG_WORD_CHARS = 28
#: The icon's accessible name for each status.
STATUS_NAMES = {"valid": "Verified", "invalid": "Invalid", "error": "Error"}


class VerdictBanner(QFrame):
    """The verdict: an icon, a headline (``verificationStatus``) and a detail line
    (``verdictDetail``), on the verdict's colour."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.setAutoFillBackground(True)  # in the verdict's colour: see paint
        self.setMinimumHeight(64)
        self.theme = theme
        self.status = "unchecked"
        hl = QHBoxLayout(self)
        hl.setContentsMargins(12, 8, 12, 8)
        hl.setSpacing(10)
        self.icon = QLabel(self)
        self.icon.setObjectName("verdictIcon")
        self.icon.setFixedSize(32, 32)
        self.icon.setScaledContents(True)
        icon_column = QVBoxLayout()  # keeps the icon at the top as the text wraps
        icon_column.addWidget(self.icon)
        icon_column.addStretch(1)
        hl.addLayout(icon_column)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.headline = QLabel("Not checked", self)
        self.headline.setObjectName("verificationStatus")
        self.headline.setAccessibleName("Signature verdict")
        self.headline.setWordWrap(True)
        self.headline.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(VERDICT_POINTS)
        self.headline.setFont(font)
        self.detail = QLabel("", self)
        self.detail.setObjectName("verdictDetail")
        self.detail.setWordWrap(True)
        self.detail.setProperty("textFormat", PLAIN_TEXT)
        texts.addWidget(self.headline)
        texts.addWidget(self.detail)
        hl.addLayout(texts, 1)

    def follow(self, state: InspectorState) -> None:
        """Say "Inspecting…" while ``state``'s result is stale."""
        state.subscribe("stale", self._on_state_stale)

    def _on_state_stale(self, stale: bool) -> None:
        if stale:
            self.show_stale()

    def show_verdict(self, status: str, headline: str, detail: str) -> None:
        self.headline.setText(headline)
        set_unbroken_text(self.detail, detail)
        self.detail.setVisible(bool(detail))
        self.status = status
        self.paint()

    def show_failure(self, failure: str) -> None:
        """Only a bug in the codec gets here: say so rather than show stale panes."""
        self.headline.setText("Not checked: the inspector failed on this input")
        self.detail.setText(failure)
        self.detail.setVisible(True)
        self.status = "error"
        self.paint()

    def show_stale(self) -> None:
        self.headline.setText("Inspecting…")
        self.detail.setText("The dimmed results below are for the previous input.")
        self.detail.setToolTip("")
        self.detail.setVisible(True)
        self.status = "unchecked"
        self.paint()

    def set_theme(self, theme: Theme, *, paint: bool = True) -> None:
        self.theme = theme
        if paint:
            self.paint()

    def paint(self) -> None:
        """The banner in its status's colour (its own palette: the labels inherit the text
        colour), and the status's icon."""
        from PySide6.QtGui import QColor, QPalette

        status = self.status
        self.setProperty("status", status)
        set_colour(self, QPalette.ColorRole.Window, self.theme.verdict(status))
        text = QColor(self.theme["verdict_text"])
        set_colour(self, QPalette.ColorRole.WindowText, text)
        self.icon.setPixmap(verdict_pixmap(status, text))
        self.icon.setAccessibleName(STATUS_NAMES.get(status, "Unchecked"))


def set_unbroken_text(label: QLabel, text: str) -> None:
    """Show ``text`` wrapping only between words: a hyphen inside a word (a ``kid`` such as
    ``mmRPNgI-K_ii…``) is not a place to break, and a word too long for a line is elided in
    the middle. When anything was elided, the tooltip holds the full text."""
    words = []
    elided = False
    for word in text.split(" "):
        if len(word) > LONG_WORD_CHARS:
            keep = (LONG_WORD_CHARS - 1) // 2
            word = word[:keep] + "…" + word[-keep:]
            elided = True
        # U+2011 NON-BREAKING HYPHEN: looks the same, but the line is not broken there.
        words.append(word.replace("-", "\u2011"))
    label.setText(" ".join(words))
    label.setToolTip(text if elided else "")
