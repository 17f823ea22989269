"""``ClipboardBar``: the offer, across the top of the window, to inspect the token on the
clipboard, and the copy helpers the Edit menu uses.

The offer is made when the clipboard holds a token other than the one shown (looked at when
the window is activated, and again whenever the clipboard changes); it never replaces the
user's text by itself. It is withdrawn as soon as it is no longer true: once its token is the
one shown (inspected from the bar, or pasted), or the clipboard changes to plain text. Text
that only looks like dotted words ("example.com.au", "1.2.3") is not a token: a token's
header decodes to JSON. A dismissed token is not offered again. Only clipboard text up to
:data:`CLIPBOARD_MAX_CHARS` is looked at, and it is read, never kept beyond the dismissed
token's text (which is already on the user's clipboard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import QEvent

    from inspector.ui.jobs import InspectionResult
    from inspector.ui.state import InspectorState
    from inspector.ui.worker import InspectionRunner

#: Clipboard text longer than this is not looked at when the window is activated.
CLIPBOARD_MAX_CHARS = 1_000_000


class ClipboardBar(QFrame):
    """The offer (hidden until there is one).

    Signals:
        inspect_requested(str): the user asked to inspect the clipboard's text.
    """

    inspect_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clipboardBar")
        self.setProperty("role", "notice")
        self._dismissed: str | None = None
        hl = QHBoxLayout(self)
        hl.setContentsMargins(8, 4, 4, 4)
        label = QLabel("The clipboard holds a different token from the one shown here.", self)
        hl.addWidget(label, 1)
        self.inspect_button = button("Inspect the token on the clipboard", self)
        self.inspect_button.setObjectName("clipboardInspectButton")
        self.inspect_button.setAccessibleName("Inspect the token on the clipboard")
        self.inspect_button.clicked.connect(self._on_inspect_button_clicked)
        hl.addWidget(self.inspect_button)
        dismiss = button("Dismiss", self)
        dismiss.setObjectName("clipboardDismissButton")
        dismiss.setAccessibleName("Dismiss the clipboard offer")
        dismiss.clicked.connect(self._on_dismiss_button_clicked)
        hl.addWidget(dismiss)
        self.hide()

    def offer(self, shown_token: str | None, shown_text: str = "") -> bool:
        """Show the offer when the clipboard holds a token that is not ``shown_token`` (and
        not all of ``shown_text``, the text it was found in), and was not dismissed; hide it
        otherwise. Returns whether it is shown. Needs the codec (to find the token)."""
        text = clipboard_text()
        token = clipboard_token(text)
        offer = (
            token is not None
            and token != shown_token
            and token != self._dismissed
            and text.strip() != shown_text.strip()
        )
        self.setVisible(offer)
        return offer

    @Slot()
    def _on_inspect_button_clicked(self) -> None:
        self.inspect_requested.emit(clipboard_text())

    @Slot()
    def _on_dismiss_button_clicked(self) -> None:
        self._dismissed = clipboard_token()
        self.hide()


class ClipboardWatch(QObject):
    """When to look at the clipboard: each time ``window`` is activated (an event filter on
    the window, not a ``changeEvent`` override, which the first frame's events would already
    reach), and once the codec is ready in this process. Made by the window after its first
    frame (``InspectorWindow.finish_setup``): Qt's event classes cost the first frame ~6 ms."""

    def __init__(
        self,
        window: QWidget,
        bar: ClipboardBar,
        runner: InspectionRunner,
        state: InspectorState,
        editor_text: Callable[[], str],
    ) -> None:
        super().__init__(window)
        from PySide6.QtCore import QEvent

        self._activation = QEvent.Type.ActivationChange
        self.window, self.bar, self.runner, self.state = window, bar, runner, state
        self.editor_text = editor_text
        window.installEventFilter(self)
        runner.core_ready.connect(self._on_runner_core_ready)
        QGuiApplication.clipboard().dataChanged.connect(self._on_clipboard_data_changed)
        state.subscribe("result", self._on_state_result)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.window
            and event.type() == self._activation
            and self.window.isActiveWindow()
        ):
            self.check()
        return False

    def check(self) -> bool:
        """Offer the clipboard's token when it differs from the one shown. Never replaces."""
        if not self.runner.core_is_ready():
            # A worker may be importing the codec right now; importing it here at the same
            # time could see it half-initialised. core_ready calls this again.
            return False
        view = self.state.result.view if self.state.result is not None else None
        return self.bar.offer(view.token if view is not None else None, self.editor_text())

    @Slot()
    def _on_runner_core_ready(self) -> None:
        if self.window.isActiveWindow():
            self.check()

    @Slot()
    def _on_clipboard_data_changed(self) -> None:
        # While the user is elsewhere (copying in a browser), a new offer waits for them to
        # come back (activation); one on show is withdrawn at once if no longer true.
        if self.window.isActiveWindow() or self.bar.isVisible():
            self.check()

    def _on_state_result(self, _result: InspectionResult, _same_inputs: bool) -> None:
        if self.bar.isVisible():
            self.check()  # the offered token may be the one shown now


def clipboard_text() -> str:
    """The clipboard's text, all of it."""
    return QGuiApplication.clipboard().text()


def clipboard_token(text: str | None = None) -> str | None:
    """The token in ``text`` (default: on the clipboard), or ``None``: none, the text is
    too long to look at, or what was found is not a token (its header is not JSON: dotted
    words such as a host name or a version number)."""
    if text is None:
        text = QGuiApplication.clipboard().text()
    if not text or len(text) > CLIPBOARD_MAX_CHARS:
        return None
    from inspector.core.parsing import parse_token

    parsed = parse_token(text)
    return parsed.token if parsed.unverified_header is not None else None


def copy_text(text: str | None) -> bool:
    """Put ``text`` on the clipboard, if there is any; returns whether it did."""
    if not text:
        return False
    QGuiApplication.clipboard().setText(text)
    return True


def button(text: str, parent: QWidget) -> QPushButton:
    """``QPushButton(text, parent)``, built so that PySide does not weigh the (icon, text)
    overload: telling the two apart builds its QIcon class (~3 ms at launch; the first
    frame shows no icon from a QIcon). See also :mod:`inspector.ui.qtvalues`."""
    result = QPushButton(parent=parent)
    result.setText(text)
    return result
