"""``VerdictBanner``: the coloured verdict at the top of the right column.

It subscribes to the window's state (:mod:`inspector.ui.state`): a result shows its verdict
(the words come from :mod:`inspector.presentation`), a stale result says "Inspecting…".
The banner is painted in the theme's colour for its status (``valid``, ``invalid``,
``error``, ``unchecked``); the status is also its ``status`` property, for stylesheets and
tests. A verified signature on a token a server must reject takes the worse colour (the
words and the status come from :func:`inspector.presentation.verdict`).

When a shared secret verifies only when read in another encoding, the banner offers that
encoding as one button (``switchEncodingButton``, made when first needed: nothing new in the
first frame); pressing it emits :attr:`VerdictBanner.secret_encoding_chosen`, and the window
switches its secret encoding. Nothing switches without that press.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inspector.ui.qtvalues import PLAIN_TEXT, TEXT_SELECTABLE_BY_MOUSE
from inspector.ui.theme import VERDICT_POINTS, Theme, set_colour, verdict_pixmap

if TYPE_CHECKING:
    from inspector.ui.state import InspectorState

#: A word longer than this in the verdict or key description (a long ``kid``) is shown
#: elided in the middle, the full text being in the tooltip.
LONG_WORD_CHARS = 28
#: A headline longer than this ("Signature verified – but the token is expired and the
#: audience does not match") is set at :data:`LONG_HEADLINE_POINTS`, so that at 1024 pixels
#: it takes four lines rather than five and the findings stay in view.
LONG_HEADLINE_CHARS = 48
LONG_HEADLINE_POINTS = 12.0
#: The icon's accessible name for each status.
STATUS_NAMES = {"valid": "Verified", "invalid": "Invalid", "error": "Error"}
#: The switch button's words for each secret encoding (the core's names).
ENCODING_BUTTON_WORDS = {
    "utf-8": "Read the secret as UTF-8 text",
    "base64": "Read the secret as base64",
    "base64url": "Read the secret as base64url",
    "hex": "Read the secret as hex",
}


class VerdictBanner(QFrame):
    """The verdict: an icon, a headline (``verificationStatus``) and a detail line
    (``verdictDetail``), on the verdict's colour.

    Signals:
        secret_encoding_chosen(str): the user pressed the offer to read the secret in
            another encoding (the core's name: ``"base64url"``, ``"hex"``...).
    """

    secret_encoding_chosen = Signal(str)

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
        self._texts = texts
        #: The offered secret encoding (the core's name), while one is offered.
        self.offered_encoding: str | None = None
        #: "Read the secret as ..." (made when first offered).
        self.switch_button: QPushButton | None = None

    def follow(self, state: InspectorState) -> None:
        """Say "Inspecting…" while ``state``'s result is stale."""
        state.subscribe("stale", self._on_state_stale)

    def _on_state_stale(self, stale: bool) -> None:
        if stale:
            self.show_stale()

    def show_verdict(
        self, status: str, headline: str, detail: str, secret_encoding: str | None = None
    ) -> None:
        """Show a verdict (:class:`inspector.presentation.Verdict`'s fields, in order):
        ``secret_encoding`` is the encoding to offer as one click, if any."""
        self._set_headline(headline)
        set_unbroken_text(self.detail, detail)
        self.detail.setVisible(bool(detail))
        self.status = status
        self._offer(secret_encoding)
        self.paint()

    def _set_headline(self, text: str) -> None:
        points = LONG_HEADLINE_POINTS if len(text) > LONG_HEADLINE_CHARS else VERDICT_POINTS
        font = self.headline.font()
        if font.pointSizeF() != points:
            font.setPointSizeF(points)
            self.headline.setFont(font)
        self.headline.setText(text)

    def _offer(self, encoding: str | None) -> None:
        """Offer reading the secret as ``encoding`` (``None``: offer nothing)."""
        words = ENCODING_BUTTON_WORDS.get(encoding or "")
        self.offered_encoding = encoding if words else None
        if words is None:
            if self.switch_button is not None:
                self.switch_button.hide()
            return
        button = self.switch_button
        if button is None:
            button = self.switch_button = QPushButton(parent=self)
            button.setObjectName("switchEncodingButton")
            button.clicked.connect(self._on_switch_button_clicked)
            row = QHBoxLayout()
            row.setContentsMargins(0, 4, 0, 0)
            row.addWidget(button)
            row.addStretch(1)
            self._texts.addLayout(row)
        button.setText(words)
        button.setAccessibleName(words)
        button.setToolTip(
            "The signature matches the secret read this way: switch the secret encoding"
        )
        button.show()

    @Slot()
    def _on_switch_button_clicked(self) -> None:
        encoding = self.offered_encoding
        if encoding is None:
            return
        self._offer(None)
        self.secret_encoding_chosen.emit(encoding)

    def show_failure(self, failure: str) -> None:
        """Only a bug in the codec gets here: say so rather than show stale panes."""
        self._offer(None)
        self._set_headline("Not checked: the inspector failed on this input")
        self.detail.setText(failure)
        self.detail.setVisible(True)
        self.status = "error"
        self.paint()

    def show_stale(self) -> None:
        self._offer(None)
        self._set_headline("Inspecting…")
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
