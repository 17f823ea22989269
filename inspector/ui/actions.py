"""The window's menu entries, declared as data, and the one function that builds them.

Each entry names its menu, text, keyboard shortcut, object name and the window method it
calls (with an optional argument), so a new entry is one line here and a method on the
window. The menu titles are built with the window; the entries only by :func:`fill_menus`,
which the window calls just after the first frame (``InspectorWindow.finish_setup``):
building QActions and QKeySequences, and the ``Qt`` enums they bring, costs the first frame
time it does not need to spend (see :mod:`inspector.ui.qtvalues`). The declarations
themselves are plain data (no Qt import), so tests can read them without a window.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

#: The menu bar's titles, left to right (the Tools menu goes before Help once it has entries).
MENUS = ("&File", "&Edit", "&View", "&Help")
#: A submenu is named by its parent's title and its own, joined by this.
SUBMENU = "/"


class ActionSpec(NamedTuple):
    """One menu entry (a named tuple: the window imports this module for :data:`MENUS` while
    building its first frame, and a named tuple class is quicker to make than a dataclass)."""

    #: The menu's title (``"&View/&Theme"`` for the Theme submenu of View).
    menu: str
    text: str
    #: A portable key sequence (``QKeySequence`` reads it).
    shortcut: str
    #: The QAction's objectName (tests and accessibility tools find it by this).
    name: str
    #: The window's method the entry calls (dotted: a method of one of its parts, e.g.
    #: ``edit.clear`` for :class:`inspector.ui.edit_commands.EditCommands`).
    handler: str
    #: Passed to ``handler`` when set.
    argument: str | None = None
    #: A line above the entry.
    separator: bool = False
    #: Entries with the same group are exclusive check boxes (a QActionGroup).
    group: str | None = None


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "&File", "&Open token file...", "Ctrl+O", "openTokenAction", "open_file_dialog", "token"
    ),
    ActionSpec(
        "&File", "Open &key file...", "Ctrl+Shift+O", "openKeyAction", "open_file_dialog", "key"
    ),
    ActionSpec(
        "&File",
        "&Compare with...",
        "Ctrl+Shift+B",
        "compareAction",
        "workbench.open_compare",
        separator=True,
    ),
    ActionSpec(
        "&File",
        "&Export report...",
        "Ctrl+Shift+E",
        "exportReportAction",
        "workbench.export_report",
        "plain",
        separator=True,
    ),
    ActionSpec(
        "&File",
        "Export re&dacted report...",
        "Ctrl+Alt+E",
        "exportRedactedAction",
        "workbench.export_report",
        "redacted",
    ),
    ActionSpec("&File", "&Quit", "Ctrl+Q", "quitAction", "close", separator=True),
    ActionSpec("&Edit", "Copy &token", "Ctrl+Shift+C", "copyTokenAction", "edit.copy_token"),
    ActionSpec(
        "&Edit", "Copy &header JSON", "Ctrl+Shift+H", "copyHeaderAction", "edit.copy_header_json"
    ),
    ActionSpec(
        "&Edit", "Copy &payload JSON", "Ctrl+Shift+P", "copyPayloadAction", "edit.copy_payload_json"
    ),
    ActionSpec(
        "&Edit", "Copy &signature", "Ctrl+Shift+S", "copySignatureAction", "edit.copy_signature"
    ),
    ActionSpec(
        "&Edit",
        "Copy report as &Markdown",
        "Ctrl+Shift+M",
        "copyReportAction",
        "workbench.copy_report_markdown",
        separator=True,
    ),
    ActionSpec(
        "&Edit",
        "Copy re&dacted token",
        "Ctrl+Shift+D",
        "copyRedactedAction",
        "workbench.copy_redacted",
    ),
    ActionSpec("&Edit", "C&lear", "Ctrl+Shift+L", "clearAction", "edit.clear", separator=True),
    ActionSpec("&Edit", "&Undo Clear", "Ctrl+Z", "undoClearAction", "edit.undo_clear"),
    *(
        ActionSpec(
            "&View/&Theme",
            label,
            shortcut,
            f"theme{choice.title()}Action",
            "apply_theme_choice",
            argument=choice,
            group="theme",
        )
        for choice, label, shortcut in (
            ("system", "&System", "Ctrl+Alt+0"),
            ("light", "&Light", "Ctrl+Alt+1"),
            ("dark", "&Dark", "Ctrl+Alt+2"),
        )
    ),
    ActionSpec(
        "&View", "Show &full token text", "Ctrl+Shift+F", "showFullAction", "show_full_text"
    ),
    ActionSpec(
        "&View",
        "&Recent tokens...",
        "Ctrl+Shift+R",
        "recentTokensAction",
        "workbench.show_recent_tokens",
    ),
    ActionSpec("&Help", "&About JWT Inspector", "F1", "aboutAction", "show_about"),
)

#: The Tools menu's entries. Each tool adds its own once it is installed (after the first
#: frame), with :func:`make_action`; ``handler`` names a method of the tool's controller
#: (e.g. :class:`inspector.ui.edit_panel.SigningTools`), not of the window. Plain actions,
#: not check boxes: each opens its tool, which has its own close button.
TOOLS_MENU = "&Tools"
TOOL_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(TOOLS_MENU, "&Edit and sign…", "Ctrl+E", "editModeAction", "open_panel"),
    ActionSpec(TOOLS_MENU, "&Key generator…", "Ctrl+G", "keyGeneratorAction", "open_key_generator"),
)


def make_action(spec: ActionSpec, target: object, parent: QWidget) -> QAction:
    """One QAction as ``spec`` declares it (text, object name, shortcut), calling
    ``spec.handler`` on ``target`` (with ``spec.argument`` when set)."""
    from PySide6.QtGui import QAction, QKeySequence

    act = QAction(spec.text, parent)
    act.setObjectName(spec.name)
    act.setShortcut(QKeySequence(spec.shortcut))
    handler = attrgetter(spec.handler)(target)  # "edit.clear": a command of the window's
    if spec.argument is None:
        act.triggered.connect(handler)
    else:
        act.triggered.connect(lambda _=False, h=handler, a=spec.argument: h(a))
    return act


def fill_menus(window: QWidget, menus: dict[str, QMenu]) -> dict[str, QAction]:
    """Build :data:`ACTIONS` into ``menus`` (title -> menu; submenus are added to it),
    each calling its handler on ``window``. Returns object name -> QAction."""
    from PySide6.QtGui import QActionGroup

    actions: dict[str, QAction] = {}
    groups: dict[str, QActionGroup] = {}
    for spec in ACTIONS:
        menu = menus.get(spec.menu)
        if menu is None:
            parent, _, title = spec.menu.rpartition(SUBMENU)
            menu = menus[spec.menu] = menus[parent].addMenu(title)
        if spec.separator:
            menu.addSeparator()
        act = make_action(spec, window, window)
        if spec.group is not None:
            act.setCheckable(True)
            if spec.group not in groups:
                groups[spec.group] = QActionGroup(window)
            groups[spec.group].addAction(act)
        menu.addAction(act)
        actions[spec.name] = act
    return actions


def add_tools_menu(window: QMainWindow, *, before: QMenu) -> QMenu:
    """The Tools menu, hidden until a tool adds its entry (``InspectorWindow.add_tool_action``),
    put in the menu bar ahead of ``before``."""
    from PySide6.QtWidgets import QMenu

    menu = QMenu(TOOLS_MENU, window)
    menu.setObjectName("toolsMenu")
    menu.menuAction().setVisible(False)
    window.menuBar().insertMenu(before.menuAction(), menu)
    return menu
