"""``InspectorWindow``: the encoded token on the left, the decoded parts in the middle, the
verdict and findings on the right. Everything updates as the user types (debounced), and the
inspection runs off the GUI thread (:mod:`inspector.ui.worker`).

The window assembles and wires; it decides little itself. What it shows is the Qt-free
:class:`~inspector.ui.state.InspectorState` (the inputs, the current result, the stale flag,
the example-key rule), to which the panes subscribe. The verdict banner, the clipboard offer
and the menu entries (declared as data) each live in their own module
(:mod:`~inspector.ui.verdict_banner`, :mod:`~inspector.ui.clipboard`,
:mod:`~inspector.ui.actions`); the words come from :mod:`inspector.presentation`.

Private by construction: nothing here writes the token or key anywhere (no QSettings, no
history files) and nothing makes a network request.
"""

from __future__ import annotations

import itertools
import pickle
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLayout,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inspector.core.options import InspectOptions
from inspector.ui.clipboard import ClipboardBar, clipboard_text, copy_text
from inspector.ui.findings_view import FindingDetail, FindingsView
from inspector.ui.json_view import JsonView
from inspector.ui.panels import KeyPanel, ValidationPanel
from inspector.ui.qtvalues import VERTICAL
from inspector.ui.result_panes import ResultPanes
from inspector.ui.state import InspectorState
from inspector.ui.theme import (
    FRAMED,
    Theme,
    ThemeChoice,
    frame_colour,
    monospace_font,
    resolve,
    style_widgets,
    use_theme,
)
from inspector.ui.token_editor import HUGE_CHARS, HugeBar, TokenEditor, read_text_file
from inspector.ui.verdict_banner import VerdictBanner
from inspector.ui.worker import InspectionResult, InspectionRunner

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QDockWidget

    from inspector.core.model import Inspection
    from inspector.ui.about_dialog import AboutDialog
    from inspector.ui.jobs import ForkedInspection, InspectionView

#: Typing pauses this long before the token is inspected again.
DEBOUNCE_MS = 150
#: What the first frame can do without is set up this long after the window is built.
FINISH_SETUP_MS = 300
#: While "Now" is ticked, relative times ("expires in 5 minutes") are refreshed this often.
REFRESH_MS = 30_000
#: The panes are dimmed as out of date when a new inspection has not answered within this
#: time (at once for huge input); typing, whose results arrive sooner, does not flicker.
STALE_MS = 250


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
        self._set_up = False

        self._runner = InspectionRunner(self)
        self._runner.inspected.connect(self._on_runner_inspected)
        self._runner.busy_changed.connect(self._on_runner_busy_changed)
        self._runner.core_ready.connect(self._on_runner_core_ready)
        self._runner.adopt_forked(forked)
        self._debounce = self._timer(DEBOUNCE_MS, self.inspect_now, single=True)
        self._refresh = self._timer(REFRESH_MS, self._on_refresh_timeout)
        self._refresh.start()
        self._stale_timer = self._timer(STALE_MS, self._on_stale_timer_timeout, single=True)

        # A fixed minimum instead of one recomputed from the content on every relayout: the
        # window stays usable, and platforms without size hints (offscreen) are not asked.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(960, 600)
        self._build_panes()
        self._build_menus()
        self._build_status_bar()
        self.panes = ResultPanes(self, self.state)
        self.state.subscribe("result", self._on_state_result)  # after the panes: shown first
        # The banner is painted with the first result, just below (or as "not checked" if that
        # result is still on its way): painting it twice costs the first frame ~1.5 ms.
        self._apply_theme_to_panes(paint_verdict=False)

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

        QTimer.singleShot(FINISH_SETUP_MS, self.finish_setup)

    # ================================================================== construction
    def finish_setup(self) -> None:
        """What the first frame does without, done just after it (a timer calls this
        :data:`FINISH_SETUP_MS` after the window is built; opening a menu calls it sooner;
        calling it again does nothing): the application icon, the menus' entries and their
        keyboard shortcuts (so shortcuts work from then on), hover tooltips on the text
        panes, the clipboard offer on activation, and following the system's colour scheme.

        Each of these makes PySide build Python classes the first frame does not need: the
        ``Qt`` namespace's enums (~25 ms; see :mod:`inspector.ui.qtvalues`), Qt's event
        classes (~6 ms, on the first event a Python handler sees), QAction's and
        QKeySequence's."""
        if self._set_up:
            return
        self._set_up = True
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QGuiApplication

        from inspector.ui.actions import fill_menus
        from inspector.ui.app_icon import set_application_icon

        self._activation_change = QEvent.Type.ActivationChange
        set_application_icon()
        self.actions_by_name = fill_menus(self, self._menus)
        self._theme_actions = {
            c: self.actions_by_name[f"theme{c.title()}Action"] for c in ("system", "light", "dark")
        }
        self._theme_actions[self._theme_choice].setChecked(True)
        self.show_full_action = self.actions_by_name["showFullAction"]
        self.show_full_action.setEnabled(self.token_edit.is_elided())
        self.tools_menu = QMenu("&Tools", self)
        self.tools_menu.setObjectName("toolsMenu")
        self.tools_menu.menuAction().setVisible(False)
        self.menuBar().insertMenu(self._menus["&Help"].menuAction(), self.tools_menu)
        for view in (self.token_edit, self.header_view, self.payload_view):
            view.install_tooltips()
        self.installEventFilter(self)  # activation: see eventFilter
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        if self.isActiveWindow():
            self.check_clipboard()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
        if self._theme_choice == "system" and resolve("system") != self._theme.variant:
            self.apply_theme_choice("system")

    def is_set_up(self) -> bool:
        """Whether :meth:`finish_setup` has run."""
        return self._set_up

    def _timer(self, ms: int, slot: object, *, single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def _build_panes(self) -> None:
        """The three columns, built loose; :meth:`_assemble` puts them in their splitters."""
        #: The header, payload and signature boxes with their stretch in the middle column.
        self._boxes: list[tuple[QWidget, int]] = []
        central = QWidget(self)
        central.setObjectName("central")
        self.setCentralWidget(central)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(10, 8, 10, 4)
        outer.setSpacing(6)
        # Across the top: the offer of the clipboard's token (hidden until there is one).
        self.clipboard_bar = ClipboardBar(central)
        self.clipboard_button = self.clipboard_bar.inspect_button
        self.clipboard_bar.inspect_requested.connect(self.set_token_text)
        outer.addWidget(self.clipboard_bar)
        # parent= by keyword: passed by position, PySide would test it against the
        # Qt.Orientation overload and build the Qt enums (see qtvalues).
        columns = QSplitter(parent=central)  # horizontal
        columns.setObjectName("columns")
        columns.setChildrenCollapsible(False)
        columns.setHandleWidth(10)
        outer.addWidget(columns, 1)

        # ---- left: the encoded token and the key
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.setSpacing(6)
        self.token_edit = TokenEditor(left)
        self.token_edit.setFont(monospace_font())
        lv.addWidget(_title("&Encoded token", left, self.token_edit))
        self.huge_bar = HugeBar(self.token_edit, left)
        self.huge_label, self.show_full_button = self.huge_bar.label, self.huge_bar.button
        lv.addWidget(self.huge_bar)
        lv.addWidget(self.token_edit, 1)
        self.key_panel = KeyPanel(left)
        lv.addWidget(self.key_panel)
        self.token_edit.text_edited.connect(self._on_token_edit_text_edited)
        self.token_edit.huge_mode_changed.connect(self._on_token_edit_huge_mode_changed)
        self.token_edit.file_failed.connect(self._on_file_failed)
        self.key_panel.key_edited.connect(self._on_key_panel_key_edited)
        self.key_panel.open_file_requested.connect(self.open_key_file_dialog)

        # ---- middle: header, payload, signature
        middle = QSplitter()
        middle.setProperty("orientation", VERTICAL)  # not Qt.Orientation: see qtvalues
        middle.setObjectName("decodedPanes")
        middle.setChildrenCollapsible(False)
        self.header_view = JsonView("header")
        self.payload_view = JsonView("payload")
        self.signature_view = QPlainTextEdit()
        self.signature_view.setObjectName("signatureView")
        self.signature_view.setProperty("part", "signature")
        self.signature_view.setReadOnly(True)
        self.signature_view.setAccessibleName("Signature")
        self.signature_view.setTabChangesFocus(True)
        self.signature_view.setWordWrapMode(
            self.signature_view.wordWrapMode().WrapAtWordBoundaryOrAnywhere
        )
        for title, view, stretch in (
            ("&Header", self.header_view, 2),
            ("&Payload", self.payload_view, 5),
            ("&Signature", self.signature_view, 2),
        ):
            view.setFont(monospace_font())
            box = QWidget()
            bv = QVBoxLayout(box)
            bv.setContentsMargins(0, 0, 0, 0)
            bv.setSpacing(2)
            bv.addWidget(_title(title, box, view))
            bv.addWidget(view, 1)
            self._boxes.append((box, stretch))

        # ---- right: verdict, findings, validation settings
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.setSpacing(6)
        self.verdict_banner = VerdictBanner(self._theme, right)
        self.verdict_icon = self.verdict_banner.icon
        self.verification_status = self.verdict_banner.headline
        self.verdict_detail = self.verdict_banner.detail
        rv.addWidget(self.verdict_banner)
        # The banner's one-click offer of the secret encoding that verifies.
        self.verdict_banner.secret_encoding_chosen.connect(self.key_panel.set_encoding)
        self.findings_view = FindingsView(right)
        self.findings_summary = QLabel("Findings", right)
        self.findings_summary.setObjectName("findingsSummary")
        self.findings_summary.setProperty("role", "paneTitle")
        self.findings_summary.setBuddy(self.findings_view)
        rv.addWidget(self.findings_summary)
        rv.addWidget(self.findings_view, 3)
        self.finding_detail = FindingDetail(right)
        rv.addWidget(self.finding_detail, 2)
        self.validation_panel = ValidationPanel(right)
        rv.addWidget(self.validation_panel)
        self.validation_panel.settings_changed.connect(self._on_input_changed)

        self._parts = (left, middle, right)
        self._columns = columns

    def _assemble(self) -> None:
        """Put the columns built by :meth:`_build_panes` into the splitters. A splitter
        measures the widgets it is given, and measuring a widget styles it first."""
        middle = self._parts[1]
        for box, stretch in self._boxes:
            middle.addWidget(box)
            middle.setStretchFactor(middle.count() - 1, stretch)
        columns = self._columns
        for i, (part, stretch) in enumerate(zip(self._parts, (34, 36, 30), strict=True)):
            columns.addWidget(part)
            columns.setStretchFactor(i, stretch)
        columns.setSizes([430, 540, 410])

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

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.size_label = QLabel("", status)
        self.size_label.setObjectName("sizeLabel")
        self.size_label.setAccessibleName("Token size")
        self.size_label.setProperty("role", "muted")
        self.busy_label = QLabel("", status)
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setProperty("role", "muted")
        status.addWidget(self.size_label, 1)
        status.addPermanentWidget(self.busy_label)

    def _set_tab_order(self) -> None:
        kp, vp = self.key_panel, self.validation_panel
        chain: list[QWidget] = [
            self.clipboard_button,
            self.show_full_button,
            self.token_edit,
            kp.key_edit,
            kp.secret_encoding,
            kp.open_button,
            self.header_view,
            self.payload_view,
            self.signature_view,
            self.findings_view,
            self.finding_detail,
            vp.now_check,
            vp.when,
            vp.leeway,
            vp.audience,
            vp.issuer,
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
        self._debounce.stop()
        self._schedule_stale_mark()
        vp = self.validation_panel
        options = InspectOptions(
            key=self.key_panel.key_text() or None,
            secret_encoding=self.key_panel.encoding(),
            now=vp.judge_at(time.time()),
            leeway=float(vp.leeway.value()),
            audience=vp.audience.text().strip() or None,
            issuer=vp.issuer.text().strip() or None,
        )
        self._runner.submit(self.token_edit.text(), options)

    def is_settled(self) -> bool:
        """True when the panes show the inspection of the current text and key, and no
        inspection is waiting or running (what tests and accessibility tools wait for)."""
        r = self.state.result
        return (
            r is not None
            and not self._debounce.isActive()
            and not self._runner.is_busy()
            and r.request.generation == self._runner.generation
            and r.request.text == self.token_edit.text()
            and (r.request.options.key or "") == self.key_panel.key_text()
        )

    # ================================================================== menu actions
    # (declared in inspector.ui.actions, which names these methods)
    @Slot()
    def open_token_file_dialog(self) -> None:
        if path := self._ask_file("Open token file"):
            self.open_token_file(path)

    def open_token_file(self, path: str) -> None:
        try:
            self.set_token_text(read_text_file(path))
        except (OSError, ValueError) as err:
            self._on_file_failed(f"Could not read the token file: {err}")

    @Slot()
    def open_key_file_dialog(self) -> None:
        if path := self._ask_file("Open key file"):
            self.open_key_file(path)

    def open_key_file(self, path: str) -> None:
        """Read the key through the one key-file reader (:func:`inspector.keysource.from_file`,
        as the CLI does): text as UTF-8 without a byte-order mark; a binary DER key or
        certificate as base64 DER; other binary content as the secret's bytes in hex."""
        from inspector.keysource import KeySourceError, from_file

        try:
            source = from_file(path)
        except KeySourceError as err:
            self._on_file_failed(f"Could not read the key file: {err}")
            return
        binary_secret = source.secret_encoding != "utf-8"
        self.set_key_text(source.text, encoding=source.secret_encoding if binary_secret else None)

    def _ask_file(self, title: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getOpenFileName(self, title)[0]

    @Slot()
    def copy_token(self) -> None:
        if copy_text(self.shown.token if self.shown is not None else None):
            self.statusBar().showMessage("Token copied", 3000)

    @Slot()
    def copy_header_json(self) -> None:
        r = self.state.result
        if copy_text(r.header.full_json if r is not None else None):
            self.statusBar().showMessage("Header JSON copied", 3000)

    @Slot()
    def copy_payload_json(self) -> None:
        r = self.state.result
        if copy_text(r.payload.full_json if r is not None else None):
            self.statusBar().showMessage("Payload JSON copied", 3000)

    @Slot()
    def clear(self) -> None:
        """Empty the token and the key."""
        self.key_panel.key_edit.clear()
        self.set_token_text("")

    @Slot()
    def show_full_text(self) -> None:
        self.token_edit.show_full_text()

    @Slot()
    def show_about(self) -> AboutDialog:
        """Help > About: versions of the app, Python, Qt, PySide6 and cryptography, with a
        button that copies them for a bug report."""
        from inspector.ui.about_dialog import AboutDialog

        if self._about is None:
            self._about = AboutDialog(self)
        if self._about.isVisible():
            self._about.raise_()  # already open, perhaps behind the window
        else:
            self._about.show()
        self._about.activateWindow()
        return self._about

    def apply_theme_choice(self, choice: ThemeChoice) -> None:
        """Use the system's colour scheme, or force light or dark."""
        self._theme_choice = choice
        if hasattr(self, "_theme_actions"):
            self._theme_actions[choice].setChecked(True)
        self._theme = use_theme(choice)
        self._apply_theme_to_panes()

    # ================================================================== clipboard
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Installed on the window itself by :meth:`finish_setup` (not a ``changeEvent``
        override, which the first frame's events would already reach): when the window is
        activated, offer the clipboard's token."""
        if watched is self and event.type() == self._activation_change and self.isActiveWindow():
            self.check_clipboard()
        return False

    def check_clipboard(self) -> bool:
        """Offer the clipboard's token when it differs from the one shown. Never replaces."""
        if not self._runner.core_is_ready():
            # A worker may be importing the codec right now; importing it here at the same
            # time could see it half-initialised. core_ready calls this again.
            return False
        return self.clipboard_bar.offer(self.shown.token if self.shown is not None else None)

    @Slot()
    def inspect_clipboard(self) -> None:
        self.set_token_text(clipboard_text())

    # ================================================================== slots
    @Slot()
    def _on_token_edit_text_edited(self) -> None:
        self.state.token_edited(self.token_edit.text())  # may clear the example's key
        self._debounce.start()
        self._schedule_stale_mark()

    @Slot()
    def _on_key_panel_key_edited(self) -> None:
        self.state.key_edited(self.key_panel.key_text())
        self._on_input_changed()

    @Slot()
    def _on_input_changed(self) -> None:
        self._debounce.start()
        self._schedule_stale_mark()

    def _schedule_stale_mark(self) -> None:
        if not self.state.can_go_stale():
            return
        if len(self.token_edit.text()) > HUGE_CHARS:
            self._set_stale(True)  # its inspection takes a while: say so at once
        elif not self._stale_timer.isActive():
            self._stale_timer.start()

    @Slot()
    def _on_stale_timer_timeout(self) -> None:
        if not self.is_settled():
            self._set_stale(True)

    def _set_stale(self, stale: bool) -> None:
        """Dim the panes (and say "Inspecting…" in the banner) while they show the result
        of input that is no longer the current one (the state tells them)."""
        if not stale:
            self._stale_timer.stop()
        self.state.set_stale(stale)

    @Slot()
    def _on_refresh_timeout(self) -> None:
        if (
            self.validation_panel.uses_current_time()
            and not self._runner.is_busy()
            and len(self.token_edit.text()) <= HUGE_CHARS
        ):
            self.inspect_now()

    @Slot(bool)
    def _on_token_edit_huge_mode_changed(self, huge: bool) -> None:
        if self.show_full_action is not None:
            self.show_full_action.setEnabled(huge)

    @Slot(str)
    def _on_file_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    @Slot(bool)
    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.busy_label.setText("Inspecting…" if busy else "")

    @Slot(object)
    def _on_runner_inspected(self, result: InspectionResult) -> None:
        self._stale_timer.stop()
        self.state.show_result(result)

    def _on_state_result(self, result: InspectionResult, _same_inputs: bool) -> None:
        if result.view is None:
            self.statusBar().showMessage(f"Inspection failed: {result.failure}", 10000)
        else:
            self.inspection_shown.emit(result.view)

    @Slot()
    def _on_runner_core_ready(self) -> None:
        if self.isActiveWindow():
            self.check_clipboard()

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
    def _apply_theme_to_panes(self, *, paint_verdict: bool = True) -> None:
        # (The columns and boxes too while they are not in the window yet: see _assemble.)
        loose = (*self._parts, *(box for box, _stretch in self._boxes))
        for root in (self, *(w for w in loose if w.parentWidget() is None)):
            style_widgets(root, self._theme)
        self.panes.set_theme(self._theme, paint_verdict=paint_verdict)

    # ================================================================== closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self._debounce.stop()
        self._refresh.stop()
        self._runner.shutdown()
        super().closeEvent(event)


def _title(text: str, parent: QWidget, buddy: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "paneTitle")
    label.setBuddy(buddy)
    return label
