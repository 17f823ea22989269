"""``InspectorWindow``: the encoded token on the left, the decoded parts in the middle, the
verdict and findings on the right. Everything updates as the user types (debounced), and the
inspection runs off the GUI thread (:mod:`inspector.ui.worker`).

The window assembles and wires; it decides little itself. What it shows is the Qt-free
:class:`~inspector.ui.state.InspectorState` (the inputs, the current result, the stale flag,
the example-key rule), which each column follows by itself (:mod:`inspector.ui.columns`,
:mod:`inspector.ui.result_panes`); when to inspect is :mod:`inspector.ui.scheduler`'s; the
clipboard offer, the file dialogs and the menu entries (declared as data) each live in their
own module (:mod:`~inspector.ui.clipboard`, :mod:`~inspector.ui.file_open`,
:mod:`~inspector.ui.actions`); the words come from :mod:`inspector.presentation`.

Private by construction: nothing here writes the token or key anywhere (no QSettings, no
history files) and nothing makes a network request.
"""

from __future__ import annotations

import itertools
import pickle
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QLayout,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.ui.clipboard import ClipboardBar
from inspector.ui.columns import StatusLine, TokenColumn, VerdictColumn
from inspector.ui.result_panes import DecodedPanes
from inspector.ui.scheduler import InspectionScheduler
from inspector.ui.state import InspectorState
from inspector.ui.theme import (
    FRAMED,
    Theme,
    ThemeChoice,
    frame_colour,
    resolve,
    style_widgets,
    use_theme,
)
from inspector.ui.worker import InspectionResult, InspectionRunner

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QDockWidget

    from inspector.core.model import Inspection
    from inspector.ui.about_dialog import AboutDialog
    from inspector.ui.clipboard import ClipboardWatch
    from inspector.ui.decryption_panel import DecryptionPanel
    from inspector.ui.edit_commands import EditCommands
    from inspector.ui.issuer_keys import IssuerKeys
    from inspector.ui.jobs import ForkedInspection, InspectionView
    from inspector.ui.token_chooser import TokenChooser
    from inspector.ui.workbench import Workbench

#: What the first frame can do without is set up this long after the window is built.
FINISH_SETUP_MS = 300
#: The columns' share of the window's width, left to right, and their first widths.
#: The token and key column is the widest: a key (a JWK Set) is read there too.
COLUMN_STRETCH = (50, 28, 22)
COLUMN_WIDTHS = [470, 510, 400]


class InspectorWindow(QMainWindow):
    """The main window.

    Signals:
        inspection_shown(object): an inspection was shown in every pane (its
            ``InspectionView``; ``window.inspection`` gives the codec's ``Inspection``).
    """

    inspection_shown = Signal(object)

    def __init__(
        self,
        *,
        token: str | None = None,
        key: str | None = None,
        theme: ThemeChoice = "system",
        forked: ForkedInspection | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``token``/``key`` pre-fill the editors (default: the example and its secret);
        ``forked`` is the first inspection already running in a child (see ``app.main``)."""
        super().__init__(parent)
        self.setWindowTitle("JWT Inspector")
        self.setObjectName("inspectorWindow")
        self.resize(1380, 860)
        self._theme_choice: ThemeChoice = theme
        # The first frame reads the system's light or dark from its palette; the colour scheme
        # itself is asked by finish_setup. The palette goes on the application before any
        # widget exists (set later, every widget built so far would be restyled); fonts and
        # colours beyond it are set on the widgets themselves (theme.style_widgets).
        self._theme: Theme = use_theme(theme, first_frame=True)
        self.state = InspectorState()
        self._tool_docks: list[QDockWidget] = []
        self._about: AboutDialog | None = None
        self._clipboard_watch: ClipboardWatch | None = None
        self.token_chooser: TokenChooser | None = None
        self.issuer_keys: IssuerKeys | None = None  # made by finish_setup
        self.decryption_panel: DecryptionPanel | None = None  # made by finish_setup
        self._setup_steps_done = 0  # (of _SETUP_STEPS, by finish_setup)

        self._runner = InspectionRunner(self)
        self._runner.inspected.connect(self._on_runner_inspected)
        self._runner.adopt_forked(forked)

        # A fixed minimum instead of one recomputed from the content on every relayout: the
        # window stays usable, and platforms without size hints (offscreen) are not asked.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(960, 600)
        self._build_columns()
        self._build_menus()
        self.status_line = StatusLine(self.statusBar(), self.state, self._runner)
        self.size_label = self.status_line.size_label
        self.scheduler = InspectionScheduler(
            self._runner, self.state, self.token_edit, self.key_panel, self.validation_panel, self
        )
        self._wire()
        self.state.subscribe("result", self._on_state_result)  # after the panes: shown first
        # The banner is painted with the first result, just below (or as "not checked" if that
        # result is still on its way): painting it twice costs the first frame ~1.5 ms.
        self._apply_theme_to_panes(paint_verdict=False, first_frame=True)

        token, key = self.state.start(token, key)
        self.key_panel.key_edit.setPlainText(key)
        self.token_edit.set_text(token)
        self.inspect_now()
        if self.state.result is None:
            self.verdict_banner.paint()
        # Only now the columns go into their splitters, which is when Qt first measures, and
        # so styles, each widget: once, with its fonts and colours set.
        self._assemble()
        self._set_tab_order()

        QTimer.singleShot(FINISH_SETUP_MS, self._finish_setup_by_turns)

    # ================================================================== construction
    def finish_setup(self) -> None:
        """What the first frame does without, done now (a timer starts it
        :data:`FINISH_SETUP_MS` after the window is built and does one step per turn of the
        event loop; opening a menu does the rest at once; calling it again does nothing): the
        application icon, the menus' entries and their keyboard shortcuts (so shortcuts work
        from then on), hover tooltips on the text panes, the clipboard offer on activation,
        following the system's colour scheme, fetching keys from an issuer, a JWE's inner
        key.

        Each of these makes PySide build Python classes the first frame does not need: the
        ``Qt`` namespace's enums (~25 ms; see :mod:`inspector.ui.qtvalues`), Qt's event
        classes (~6 ms, on the first event a Python handler sees), QAction's and
        QKeySequence's."""
        while self._setup_steps_done < len(_SETUP_STEPS):
            self._setup_step()

    def _finish_setup_by_turns(self) -> None:
        """The timer's :meth:`finish_setup`: one step now and the next on the event loop's
        next turn. Done in one go they held the loop ~90 ms (~175 ms on a busy machine), a
        stall that a paste or key press just after launch felt. Nothing for a window whose
        Qt object is gone (closed and deleted before its timer came)."""
        from shiboken6 import isValid

        if isValid(self) and self._setup_steps_done < len(_SETUP_STEPS):
            self._setup_step()
            QTimer.singleShot(0, self._finish_setup_by_turns)

    def _setup_step(self) -> None:
        step = _SETUP_STEPS[self._setup_steps_done]
        self._setup_steps_done += 1
        step(self)

    def _set_up_icon(self) -> None:
        """The application icon, and PySide's enums of the ``Qt`` namespace (built at the
        first touch of any of them, ~25 ms: see :mod:`inspector.ui.qtvalues`), a step of
        their own so that the menus' step is not held up by them."""
        from PySide6.QtCore import Qt

        from inspector.ui.app_icon import set_application_icon

        set_application_icon()
        Qt.Key  # noqa: B018 - (the touch that builds them)

    def _set_up_menus(self) -> None:
        """The menus' entries and their shortcuts."""
        from inspector.ui.actions import add_tools_menu, fill_menus

        self.actions_by_name = fill_menus(self, self._menus)
        self._theme_actions = {
            c: self.actions_by_name[f"theme{c.title()}Action"] for c in ("system", "light", "dark")
        }
        self._theme_actions[self._theme_choice].setChecked(True)
        self.show_full_action = self.actions_by_name["showFullAction"]
        self.show_full_action.setEnabled(self.token_edit.is_elided())
        self.tools_menu = add_tools_menu(self, before=self._menus["&Help"])
        self.edit.bind_undo_action(self.actions_by_name["undoClearAction"])

    def _set_up_watchers(self) -> None:
        """Tooltips, the clipboard offer, the recent tokens, the system's colour scheme."""
        from PySide6.QtGui import QGuiApplication

        from inspector.ui.clipboard import ClipboardWatch

        for view in (self.token_edit, self.header_view, self.payload_view):
            view.install_tooltips()
        self._clipboard_watch = ClipboardWatch(
            self, self.clipboard_bar, self._runner, self.state, self.token_edit.text
        )
        self.workbench.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        if self.isActiveWindow():
            self.check_clipboard()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
        if self._theme_choice == "system" and resolve("system") != self._theme.variant:
            self.apply_theme_choice("system")

    def _set_up_keys_from_elsewhere(self) -> None:
        """Keys from the issuer (issue 13) and a JWE's inner key (issue 14)."""
        from inspector.ui.decryption_panel import install as install_decryption
        from inspector.ui.issuer_keys import install as install_issuer_keys

        self.issuer_keys = install_issuer_keys(self)
        self.decryption_panel = install_decryption(self)

    def is_set_up(self) -> bool:
        """Whether :meth:`finish_setup` has run (every step of it)."""
        return self._setup_steps_done == len(_SETUP_STEPS)

    def _build_columns(self) -> None:
        """The three columns, built loose (each following the state by itself);
        :meth:`_assemble` puts them in their splitter. Their widgets are named here too."""
        central = QWidget(self)
        central.setObjectName("central")
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 4)
        outer.setSpacing(6)
        # Across the top: the offer of the clipboard's token (hidden until there is one).
        self.clipboard_bar = ClipboardBar(central)
        outer.addWidget(self.clipboard_bar)
        # parent= by keyword: passed by position, PySide would test it against the
        # Qt.Orientation overload and build the Qt enums (see qtvalues).
        self._columns = QSplitter(parent=central)  # horizontal
        self._columns.setObjectName("columns")
        self._columns.setChildrenCollapsible(False)
        self._columns.setHandleWidth(10)
        outer.addWidget(self._columns, 1)

        self.left = left = TokenColumn(self.state)
        self.middle = middle = DecodedPanes(self.state)
        self.right = right = VerdictColumn(self.state, self._theme)
        self._parts: tuple[QWidget, ...] = (left.widget, middle.widget, right.widget)
        self.token_edit, self.key_panel = left.token_edit, left.key_panel
        self.huge_bar = left.huge_bar
        self.header_view, self.payload_view = middle.header_view, middle.payload_view
        self.signature_view = middle.signature_view
        self.verdict_banner = right.verdict_banner
        self.verification_status = self.verdict_banner.headline
        self.verdict_detail = self.verdict_banner.detail
        self.findings_view = right.findings.findings_view
        self.findings_summary = right.findings.summary
        self.finding_detail = right.findings.finding_detail
        self.validation_panel = right.validation_panel

    def _wire(self) -> None:
        """The inputs to the scheduler; the other signals to their slots here."""
        self.clipboard_bar.inspect_requested.connect(self.set_token_text)
        self.token_edit.text_edited.connect(self._on_token_edit_text_edited)
        self.token_edit.huge_mode_changed.connect(self._on_token_edit_huge_mode_changed)
        self.token_edit.file_failed.connect(self._on_file_failed)
        self.key_panel.key_edited.connect(self._on_key_panel_key_edited)
        self.key_panel.open_file_requested.connect(lambda: self.open_file_dialog("key"))
        # The banner's one-click offer of the secret encoding that verifies.
        self.verdict_banner.secret_encoding_chosen.connect(self.key_panel.set_encoding)
        self.validation_panel.settings_changed.connect(self.scheduler.input_changed)

    def _assemble(self) -> None:
        """Put the columns built by :meth:`_build_columns` into the splitters. A splitter
        measures the widgets it is given, and measuring a widget styles it first."""
        self.middle.assemble()
        columns = self._columns
        for i, (part, stretch) in enumerate(zip(self._parts, COLUMN_STRETCH, strict=True)):
            columns.addWidget(part)
            columns.setStretchFactor(i, stretch)
        columns.setSizes(COLUMN_WIDTHS)

    def _build_menus(self) -> None:
        """The menu titles; their entries (:mod:`inspector.ui.actions`) are added by
        :meth:`finish_setup`, or as soon as a menu is opened, if that comes first."""
        from inspector.ui.actions import MENUS

        bar = self.menuBar()
        self._menus = {title: bar.addMenu(title) for title in MENUS}
        for menu in self._menus.values():
            menu.aboutToShow.connect(self.finish_setup)
        #: Where other tools (signing panel, key generator) add their actions.
        self.tools_menu: QMenu | None = None
        self.show_full_action: QAction | None = None

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.clipboard_bar.inspect_button,
            *self.left.tab_chain(),
            *self.middle.panes(),
            *self.right.tab_chain(),
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    # ================================================================== public API
    def token_text(self) -> str:
        """The user's full text in the token editor."""
        return self.token_edit.text()

    def set_token_text(self, text: str) -> None:
        """Put ``text`` in the token editor (e.g. a token signed by a tool) and inspect it."""
        self.clipboard_bar.hide()
        self.token_edit.set_text(text)
        self.inspect_now()

    def set_key_text(self, text: str, *, encoding: str | None = None, inspect: bool = True) -> None:
        """Put ``text`` in the key box; ``encoding`` (the core's name, e.g. ``"utf-8"``)
        selects how a shared secret is read."""
        self.state.key_set(text)
        self.key_panel.key_edit.setPlainText(text)
        if encoding is not None:
            self.key_panel.set_encoding(encoding)
        if inspect:
            self.inspect_now()

    def is_stale(self) -> bool:
        """Whether the panes are dimmed as showing the previous input's result."""
        return self.state.stale

    @property
    def inspection(self) -> Inspection | None:
        """The codec's inspection currently shown (for tools such as the signing panel)."""
        r = self.state.result
        if r is None:
            return None
        if r.inspection is None and r.inspection_pickle is not None:
            # Shown from the child forked at launch: unpickling needs the codec here.
            self._runner.ensure_core()
            r = r._replace(inspection=pickle.loads(r.inspection_pickle), inspection_pickle=None)
            self.state.result = r
        return r.inspection

    @property
    def shown(self) -> InspectionView | None:
        """What the panes show, as plain values."""
        return self.state.result.view if self.state.result else None

    @property
    def runner(self) -> InspectionRunner:
        return self._runner

    @property
    def theme(self) -> Theme:
        return self._theme

    def add_tool_action(self, action: QAction) -> None:
        """Add an entry to the Tools menu (shown once it has one)."""
        self.finish_setup()  # the menus' entries, Tools among them
        assert self.tools_menu is not None
        self.tools_menu.addAction(action)
        self.tools_menu.menuAction().setVisible(True)

    def add_tool_panel(self, widget: QWidget, title: str) -> QDockWidget:
        """Dock ``widget`` (e.g. the signing panel) at the bottom, hidden; the tool adds a
        Tools entry that opens it (see :func:`inspector.ui.tool_docks.dock_tool`)."""
        from inspector.ui.tool_docks import dock_tool

        dock = dock_tool(self, widget, title)
        self._apply_theme_to_panes()  # the tool's titles, notes and editors (and its dialogs)
        self._tool_docks.append(dock)
        return dock

    @Slot()
    def inspect_now(self) -> None:
        """Inspect the current text and key now (skipping the debounce)."""
        self.scheduler.inspect_now()

    def is_settled(self) -> bool:
        """True when the panes show the inspection of the current text and key, and no
        inspection is waiting or running (what tests and accessibility tools wait for)."""
        return self.scheduler.is_settled()

    # ================================================================== menu actions
    # (declared in inspector.ui.actions, which names these methods; files: file_open)
    def open_file_dialog(self, what: str) -> None:
        """Ask for a ``"token"`` or ``"key"`` file and open it."""
        from inspector.ui.file_open import ask_and_open

        ask_and_open(self, what)

    def open_token_file(self, path: str) -> None:
        from inspector.ui.file_open import open_token_file

        open_token_file(self, path)

    def open_key_file(self, path: str) -> None:
        from inspector.ui.file_open import open_key_file

        open_key_file(self, path)

    @cached_property
    def edit(self) -> EditCommands:
        """Copy and Clear (:mod:`inspector.ui.edit_commands`), made on first use."""
        from inspector.ui.edit_commands import EditCommands

        return EditCommands(self)

    @cached_property
    def workbench(self) -> Workbench:
        """Recent tokens, Compare, Export, report copies (:mod:`inspector.ui.workbench`)."""
        from inspector.ui.workbench import Workbench

        return Workbench(self)

    @Slot()
    def clear(self) -> None:
        """Empty the token and the key; Edit > Undo Clear (Ctrl+Z) puts them back."""
        self.edit.clear()

    @Slot()
    def show_full_text(self) -> None:
        self.token_edit.show_full_text()

    @Slot()
    def show_about(self) -> AboutDialog:
        """Help > About: versions of the app, Python, Qt, PySide6, cryptography and orjson, with a
        button that copies them for a bug report."""
        from inspector.ui.about_dialog import AboutDialog

        if self._about is None:
            self._about = AboutDialog(self)
        return self._about.bring_up()

    def apply_theme_choice(self, choice: ThemeChoice) -> None:
        """Use the system's colour scheme, or force light or dark."""
        self._theme_choice = choice
        if hasattr(self, "_theme_actions"):
            self._theme_actions[choice].setChecked(True)
        self._theme = use_theme(choice)
        self._apply_theme_to_panes()

    # ================================================================== clipboard
    def check_clipboard(self) -> bool:
        """Offer the clipboard's token when it differs from the one shown (see
        :class:`~inspector.ui.clipboard.ClipboardWatch`, which calls this on activation)."""
        if self._clipboard_watch is None:
            return False
        return self._clipboard_watch.check()

    # ================================================================== slots
    @Slot()
    def _on_token_edit_text_edited(self) -> None:
        self.state.token_edited(self.token_edit.text())  # may clear the example's key
        self._input_edited()

    def _input_edited(self) -> None:
        if "edit" in self.__dict__:  # (made: cached_property)
            self.edit.input_edited()  # something new: a Clear is no longer undoable
        self.scheduler.input_changed()

    @Slot()
    def _on_key_panel_key_edited(self) -> None:
        self.state.key_edited(self.key_panel.key_text())
        self._input_edited()

    @Slot(bool)
    def _on_token_edit_huge_mode_changed(self, huge: bool) -> None:
        if self.show_full_action is not None:
            self.show_full_action.setEnabled(huge)

    @Slot(str)
    def _on_file_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    @Slot(object)
    def _on_runner_inspected(self, result: InspectionResult) -> None:
        self.scheduler.result_arrived()
        self.state.show_result(result)

    def _on_state_result(self, result: InspectionResult, _same_inputs: bool) -> None:
        if result.view is None:
            self.statusBar().showMessage(f"Inspection failed: {result.failure}", 10000)
            return
        if self.token_chooser is None and len(result.view.found) > 1:
            # The first text holding several tokens: the chooser goes above the editor.
            from inspector.ui.token_chooser import TokenChooser

            self.token_chooser = TokenChooser(self.state)
            self.token_chooser.token_chosen.connect(self._on_token_chooser_token_chosen)
            self.left.add_above_editor(self.token_chooser, self.token_chooser.combo, self._theme)
            self.token_chooser.show_result(result)
        if result.view.sd_jwt is not None and "disclosures" not in self.__dict__:
            from inspector.ui.disclosures_panel import DisclosuresPanel  # on the first SD-JWT

            self.disclosures = DisclosuresPanel(self.state, self.middle, self._theme, result)
            self.disclosures.holder_key_edited = self.scheduler.input_changed
            self.scheduler.option_hooks.append(self.disclosures.holder_options)
        self.inspection_shown.emit(result.view)

    @Slot(object)
    def _on_token_chooser_token_chosen(self, found: tuple[str, int, int] | None) -> None:
        self.state.choose(found)
        self.inspect_now()
        if found is not None:
            self.left.reveal(found[1])

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """The focused text pane or list shows it in its frame's colour (also in this
        window's dialogs, such as the key generator)."""
        for widget in (old, new):
            if widget is not None and widget.property(FRAMED):
                frame_colour(widget, self._theme, focused=widget is new)

    @Slot()
    def _on_color_scheme_changed(self) -> None:
        if self._theme_choice == "system":
            self.apply_theme_choice("system")

    # ================================================================== theme
    def _apply_theme_to_panes(
        self, *, paint_verdict: bool = True, first_frame: bool = False
    ) -> None:
        # (The columns and boxes too while they are not in the window yet: see _assemble.)
        # For the first frame, the window has no dialogs or tools yet: only the widgets made
        # here need a look (theme.made_widgets); later calls reach every widget.
        loose = (*self._parts, *(box for box, _stretch in self.middle.boxes))
        for root in (self, *(w for w in loose if w.parentWidget() is None)):
            style_widgets(root, self._theme, made_here=first_frame)
        self.left.set_theme(self._theme)
        self.middle.set_theme(self._theme)
        self.right.set_theme(self._theme, paint_verdict=paint_verdict)

    # ================================================================== closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.scheduler.stop()
        self._runner.shutdown()
        super().closeEvent(event)


#: The steps of :meth:`InspectorWindow.finish_setup`, in order (each one turn of the event
#: loop when the launch timer runs them: each 10-45 ms here, 90 ms in one piece).
_SETUP_STEPS: tuple[Callable[[InspectorWindow], None], ...] = (
    InspectorWindow._set_up_icon,
    InspectorWindow._set_up_menus,
    InspectorWindow._set_up_watchers,
    InspectorWindow._set_up_keys_from_elsewhere,
)
