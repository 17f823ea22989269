"""The signing tools in the window: the Edit and sign panel in a bottom dock, and the key
generator, wired to the window and to each other, behind two Tools entries (plain actions
declared in :data:`inspector.ui.actions.TOOL_ACTIONS`).

The window knows nothing of signing: it offers a dock, a Tools menu, its token and key boxes
and the inspection on show (:class:`SigningHost`); this controller does the rest.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QMainWindow, QWidget

from inspector.core.model import Inspection
from inspector.ui.actions import TOOL_ACTIONS, make_action
from inspector.ui.edit_panel import EditPanel
from inspector.ui.keygen_dialog import KeyGeneratorDialog

#: The Edit and sign dock opens at this share of the window's height (or taller, when the
#: panel needs more to show everything: see :meth:`SigningTools.open_panel`).
DOCK_HEIGHT_SHARE = 0.33
#: What the panel's message area says while there is nothing to report.
IDLE_NOTE = (
    "Sign puts the new token in Encoded token, and the key that verifies it in Verify signature."
)


class SigningHost(Protocol):
    """What :class:`SigningTools` needs from the main window."""

    @property
    def inspection(self) -> Inspection | None: ...

    def set_token_text(self, text: str) -> None: ...

    def set_key_text(
        self, text: str, *, encoding: str | None = None, inspect: bool = True
    ) -> None: ...

    def add_tool_panel(self, widget: QWidget, title: str) -> QDockWidget: ...

    def add_tool_action(self, action: QAction) -> None: ...


class SigningTools(QObject):
    """The signing panel in a bottom dock and the key generator, wired to the window: a
    signed token goes to the token editor (its verifying key to the key box first), "Start
    from current token" loads the inspected token, "Use as signing key" fills the panel.
    Their Tools entries are plain actions declared in :data:`inspector.ui.actions.TOOL_ACTIONS`
    calling :meth:`open_panel` and :meth:`open_key_generator`."""

    def __init__(self, window: SigningHost) -> None:
        parent = window if isinstance(window, QWidget) else None
        super().__init__(parent)
        self._window = window
        #: The token the window showed last (its error in the panel goes when it changes).
        self._shown_token: str | None = None
        self.panel = EditPanel(parent, open_generator_itself=False)
        self.panel.set_idle_note(IDLE_NOTE)
        self.dialog = KeyGeneratorDialog(parent)
        if parent is None:
            self.setParent(self.panel)  # lives as long as the panel
        panel = self.panel
        # The verifying key goes in first (without inspecting), then the token is inspected.
        panel.verification_key_made.connect(self._on_panel_verification_key_made)
        panel.token_signed.connect(window.set_token_text)
        panel.current_token_requested.connect(self._on_panel_current_token_requested)
        panel.key_generator_requested.connect(self.open_key_generator)
        panel.messages_changed.connect(self._on_panel_messages_changed)
        self.dialog.signing_key_chosen.connect(panel.set_signing_key)
        shown = getattr(window, "inspection_shown", None)
        if shown is not None:  # (the window's; a bare host may not tell)
            shown.connect(self._on_window_inspection_shown)
        self.dock = window.add_tool_panel(panel, "Edit and sign")
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        owner = parent if parent is not None else panel
        self.actions = {spec.name: make_action(spec, self, owner) for spec in TOOL_ACTIONS}
        for action in self.actions.values():
            window.add_tool_action(action)

    @Slot()
    def open_panel(self) -> None:
        """Show the panel (or bring it forward) with the cursor in the payload, what one
        usually edits; opened the first time, at a height that shows all of it."""
        dock = self.dock
        first = dock.isHidden()
        dock.show()
        if dock.isFloating():
            dock.raise_()  # perhaps behind the window
        self.panel.payloadEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if first:
            # After the dock's first layout (which would otherwise size it by its hint).
            QTimer.singleShot(0, self, self._resize_dock)

    @Slot()
    def open_key_generator(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def _resize_dock(self) -> None:
        """A modest height, so the findings above stay readable: a share of the window's,
        but never less than the panel needs to show every control without scrolling."""
        window, dock = self._window, self.dock
        if not isinstance(window, QMainWindow) or not dock.isVisible() or dock.isFloating():
            return
        height = max(round(window.height() * DOCK_HEIGHT_SHARE), self._needed_dock_height())
        window.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    @Slot()
    def fit_dock(self) -> None:
        """Make the dock taller when the panel no longer fits it (a message of several lines
        appeared), as far as the window allows; never shorter: the user's height stays."""
        window, dock = self._window, self.dock
        if not isinstance(window, QMainWindow) or not dock.isVisible() or dock.isFloating():
            return
        needed = self._needed_dock_height()
        if needed > dock.height():
            window.resizeDocks([dock], [needed], Qt.Orientation.Vertical)

    def _needed_dock_height(self) -> int:
        """The dock's height at which the panel shows everything at its present width."""
        dock, panel = self.dock, self.panel
        scroll = dock.widget()
        viewport = scroll.viewport() if isinstance(scroll, QAbstractScrollArea) else scroll
        chrome = max(dock.height() - viewport.height(), 0)
        return panel.heightForWidth(viewport.width()) + chrome

    @Slot(bool)
    def _on_dock_visibility_changed(self, visible: bool) -> None:
        # Opened again: last time's messages are gone, and editing starts from the token on
        # screen unless edits are under way.
        if not visible:
            return
        self.panel.clear_messages()
        if not self.panel.has_edits():
            self.panel.load_inspection(self._window.inspection, quiet=True)

    @Slot()
    def _on_panel_messages_changed(self) -> None:
        # After the panel's relayout, which tells the height it needs.
        QTimer.singleShot(0, self, self.fit_dock)

    @Slot(object)
    def _on_window_inspection_shown(self, view: object) -> None:
        token = getattr(view, "token", None)  # an InspectionView's
        if token != self._shown_token:
            self.panel.token_changed()
        self._shown_token = token

    @Slot()
    def _on_panel_current_token_requested(self) -> None:
        self.panel.load_inspection(self._window.inspection)

    @Slot(str, str)
    def _on_panel_verification_key_made(self, key: str, encoding: str) -> None:
        self._window.set_key_text(key, encoding=encoding, inspect=False)


def install_signing_tools(window: SigningHost) -> tuple[EditPanel, KeyGeneratorDialog]:
    """Add the signing tools (:class:`SigningTools`) to ``window``; returns the panel and
    the key generator (the controller is kept alive as the window's child)."""
    tools = SigningTools(window)
    return tools.panel, tools.dialog
