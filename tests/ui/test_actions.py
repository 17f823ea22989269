"""Menu entries declared as data (inspector.ui.actions): every declaration is in the
window's menus, under its menu, with its shortcut, calling its handler."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from inspector.ui.actions import ACTIONS, MENUS, SUBMENU
from inspector.ui.edit_commands import EditCommands
from inspector.ui.window import InspectorWindow
from inspector.ui.workbench import Workbench


def menu_path(window: InspectorWindow, action: QAction) -> str | None:
    """The titles of the menus holding ``action``, outermost first (``"&View/&Theme"``)."""

    def search(menu: QMenu, prefix: str) -> str | None:
        for a in menu.actions():
            if a is action:
                return prefix
            sub = a.menu()
            if sub is not None and (found := search(sub, f"{prefix}{SUBMENU}{sub.title()}")):
                return found
        return None

    for top in window.menuBar().actions():
        if top.menu() is not None and (found := search(top.menu(), top.menu().title())):
            return found
    return None


def test_the_declarations_are_well_formed() -> None:
    names = [spec.name for spec in ACTIONS]
    assert len(names) == len(set(names)), "object names must be unique"
    shortcuts = [spec.shortcut for spec in ACTIONS]
    assert len(shortcuts) == len(set(shortcuts)), "shortcuts must be unique"
    for spec in ACTIONS:
        assert spec.menu.split(SUBMENU)[0] in MENUS, spec
        owner, _, method = spec.handler.rpartition(".")
        # A dotted handler is a method of one of the window's parts (Edit's: EditCommands;
        # the workbench's: Workbench).
        parts = {"": InspectorWindow, "edit": EditCommands, "workbench": Workbench}
        assert owner in parts, spec
        assert hasattr(parts[owner], method), spec
        assert not QKeySequence(spec.shortcut).isEmpty(), spec


def test_menus_have_no_entries_before_setup_only_titles(qtbot) -> None:
    window = InspectorWindow(theme="light")
    qtbot.addWidget(window)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == list(MENUS)
    assert window.findChild(QAction, ACTIONS[0].name) is None
    window.finish_setup()
    assert window.findChild(QAction, ACTIONS[0].name) is not None


def test_every_declared_action_is_in_its_menu_with_its_shortcut(qtbot, window) -> None:
    for spec in ACTIONS:
        action = window.findChild(QAction, spec.name)
        assert action is not None, spec.name
        assert action.text() == spec.text
        assert action.shortcut() == QKeySequence(spec.shortcut), spec.name
        assert menu_path(window, action) == spec.menu, spec.name
        assert action.isCheckable() == (spec.group is not None)


def test_a_declared_action_calls_its_handler_with_its_argument(qtbot, window) -> None:
    dark = next(s for s in ACTIONS if s.argument == "dark")
    window.findChild(QAction, dark.name).trigger()
    assert window.theme.variant == "dark"
    assert window.findChild(QAction, dark.name).isChecked()
    light = next(s for s in ACTIONS if s.argument == "light")
    window.findChild(QAction, light.name).trigger()
    assert window.theme.variant == "light"
    assert not window.findChild(QAction, dark.name).isChecked()
