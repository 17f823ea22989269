"""The workbench's window side (issue 16): tokens seen since launch, Compare with..., the
report exports and the report / redacted-token copies (:class:`Workbench`).

The words and the files are Qt-free (:mod:`inspector.report`, :mod:`inspector.redact`,
:mod:`inspector.diff`); this module only offers them in the window's menus. The recent
tokens live in memory only (:mod:`inspector.ui.recent`): nothing is written unless the user
chooses File > Export report... and a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMenu

from inspector.ui.clipboard import copy_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from inspector.ui.compare import ComparePanel
    from inspector.ui.recent import RecentTokens
    from inspector.ui.window import InspectorWindow
    from inspector.ui.worker import InspectionResult


class Workbench(QObject):
    """Recent tokens, Compare, Export and the report copies, for one window (the File, Edit
    and View entries named ``workbench.*`` in :mod:`inspector.ui.actions` call these)."""

    def __init__(self, window: InspectorWindow) -> None:
        super().__init__(window)
        self._window = window
        #: Tokens inspected since launch (View > Recent tokens), from :meth:`start` on.
        self.recent_tokens: RecentTokens | None = None
        self._recent_menu: QMenu | None = None
        #: File > Compare with... (built when first opened).
        self.compare_panel: ComparePanel | None = None
        self._compare_dock: QDockWidget | None = None

    def start(self) -> None:
        """Begin remembering the tokens shown (called by ``finish_setup``, after the first
        frame)."""
        from inspector.ui.recent import RecentTokens

        self.recent_tokens = RecentTokens()
        state = self._window.state
        state.subscribe("result", self._record_recent)
        if state.result is not None:
            self._record_recent(state.result)

    def _record_recent(self, result: InspectionResult, same_inputs: bool = False) -> None:
        """Keep the token of ``result`` in the recent list (memory only), when it decoded."""
        view = result.view
        if self.recent_tokens is None or view is None or view.format == "unknown":
            return
        from inspector.presentation import verdict
        from inspector.ui.recent import claims_of

        subject, issuer = claims_of(result.payload.full_json)
        words = verdict(view.verification, findings=view.findings).headline
        self.recent_tokens.record(result.request.text, subject, issuer, words)

    @Slot()
    def show_recent_tokens(self) -> None:
        """View > Recent tokens: :meth:`recent_tokens_menu`, popped up over the window."""
        w = self._window
        self.recent_tokens_menu().popup(w.mapToGlobal(w.rect().center()))

    def recent_tokens_menu(self) -> QMenu:
        """The tokens inspected since launch, newest first, as a menu; choosing one puts it
        back in the editor (and inspects it with the key entered now: keys are not kept)."""
        w = self._window
        w.finish_setup()
        assert self.recent_tokens is not None  # (finish_setup started it)
        menu = QMenu("Recent tokens", w)
        menu.setObjectName("recentTokensMenu")
        entries = self.recent_tokens.entries()
        if not entries:
            menu.addAction("No tokens inspected yet").setEnabled(False)
        for entry in entries:
            action = menu.addAction(entry.label())
            action.setToolTip(entry.text[:200])
            action.triggered.connect(lambda _=False, text=entry.text: w.set_token_text(text))
        if self._recent_menu is not None:
            self._recent_menu.deleteLater()
        self._recent_menu = menu
        return menu

    @Slot()
    def open_compare(self) -> None:
        """File > Compare with...: the compare tool, docked, the editor's token as A."""
        w = self._window
        if self.compare_panel is None:
            from inspector.ui.compare import ComparePanel

            panel = self.compare_panel = ComparePanel()
            self._compare_dock = w.add_tool_panel(panel, "Compare")
            w.state.subscribe(
                "result", lambda result, same=False: same or panel.set_a(result.request.text)
            )
        self.compare_panel.set_a(w.token_text())
        assert self._compare_dock is not None
        self._compare_dock.show()
        self.compare_panel.token_b.setFocus()

    def export_report(self, how: str) -> None:
        """File > Export report... (``how`` "plain") or Export redacted report... ("redacted")."""
        from inspector.ui.export import export_report

        export_report(self._window, redacted=how == "redacted")

    @Slot()
    def copy_report_markdown(self) -> None:
        """The inspection shown, as the CLI's ``--format md`` report (issue 16)."""
        inspection = self._window.inspection
        if inspection is None:
            return
        from inspector.report import markdown  # (the codec's side: not in the first frame)

        if copy_text(markdown(inspection)):
            self._window.statusBar().showMessage("Report copied as Markdown", 3000)

    @Slot()
    def copy_redacted(self) -> None:
        """A redacted copy of the token shown (``inspect --redact``), safe for a ticket."""
        inspection = self._window.inspection
        if inspection is None:
            return
        from inspector.redact import RedactError, redact

        try:
            copy = redact(inspection.parsed)
        except RedactError as err:
            self._window.statusBar().showMessage(f"Nothing copied: {err}", 5000)
            return
        if copy_text(copy.token):
            self._window.statusBar().showMessage("Redacted token copied (signature removed)", 3000)
