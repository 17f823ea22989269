"""The findings list (most severe first, severity icon and word with each title) and the
explanation pane that shows the selected finding with its catalogue entry."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal, Slot
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QTextBrowser, QWidget

from inspector.ui.qtvalues import ACCESSIBLE_TEXT_ROLE, DECORATION_ROLE, USER_ROLE
from inspector.ui.render import escape_html
from inspector.ui.theme import SEVERITY_WORDS, Theme, severity_icon

if TYPE_CHECKING:
    from inspector.ui.jobs import FindingView as Finding

_ROLE = USER_ROLE
#: Severity icons are this many device-independent pixels wide.
ICON_SIZE = 18


class FindingsView(QListWidget):
    """Signals:
    finding_selected(object): the selected ``Finding``, or ``None`` when nothing is selected.
    """

    finding_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsView")
        self.setAccessibleName("Findings")
        self.setAccessibleDescription("Problems found in the token, most severe first")
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setSpacing(3)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setAlternatingRowColors(False)
        self._theme: Theme | None = None
        self._findings: list[Finding] = []
        self.currentItemChanged.connect(self._on_current_item_changed)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for i in range(self.count()):
            item = self.item(i)
            f = item.data(_ROLE)
            item.setData(DECORATION_ROLE, severity_icon(f.severity, theme, ICON_SIZE))

    def show_findings(self, findings: Sequence[Finding], *, keep_selection: bool = True) -> None:
        """Replace the list. With ``keep_selection`` (the same token shown again) the selection
        stays on the same finding id and location; otherwise, or when that finding is gone,
        the most severe finding (the first row) is selected."""
        current = self.current_finding() if keep_selection else None
        keep = (current.id, current.location) if current is not None else None
        self.blockSignals(True)
        try:
            self.clear()
            self._findings = list(findings)
            restore = None
            for f in self._findings:
                word = SEVERITY_WORDS.get(f.severity, f.severity)
                item = QListWidgetItem(
                    f"{f.title}\n{word}" + (f" · {f.location}" if f.location else "")
                )
                item.setData(_ROLE, f)
                item.setToolTip(f"{word}: {f.detail}")
                item.setData(ACCESSIBLE_TEXT_ROLE, f"{word}: {f.title}")
                if self._theme is not None:
                    item.setData(DECORATION_ROLE, severity_icon(f.severity, self._theme, ICON_SIZE))
                self.addItem(item)
                if keep == (f.id, f.location) and restore is None:
                    restore = item
            # Keep the user's choice; otherwise explain the most severe finding straight away.
            if restore is None and self.count():
                restore = self.item(0)
            if restore is not None:
                self.setCurrentItem(restore)
        finally:
            self.blockSignals(False)
        self.finding_selected.emit(self.current_finding())

    def current_finding(self) -> Finding | None:
        item = self.currentItem()
        return item.data(_ROLE) if item is not None else None

    def titles(self) -> list[str]:
        return [f.title for f in self._findings]

    def select_finding(self, finding_id: str) -> bool:
        for i in range(self.count()):
            if self.item(i).data(_ROLE).id == finding_id:
                self.setCurrentRow(i)
                return True
        return False

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self.finding_selected.emit(current.data(_ROLE) if current is not None else None)


class FindingDetail(QTextBrowser):
    """The selected finding: title, severity, detail, why it matters, reference."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingDetail")
        self.setAccessibleName("Finding explanation")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._theme: Theme | None = None

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme

    def show_message(self, text: str) -> None:
        """A calm note instead of a finding (e.g. before any token is entered)."""
        muted = self._theme["muted"] if self._theme else "gray"
        self.setHtml(f"<p style='color:{muted}'>{escape_html(text)}</p>")

    def show_finding(self, finding: Finding | None, explanation: str, reference: str) -> None:
        if finding is None:
            self.setHtml(
                "<p style='color:%s'>Select a finding to see why it matters and where it is.</p>"
                % (self._theme["muted"] if self._theme else "gray")
            )
            return
        esc = escape_html
        word = SEVERITY_WORDS.get(finding.severity, finding.severity)
        colour = self._theme.severity(finding.severity).name() if self._theme else "black"
        muted = self._theme["muted"] if self._theme else "gray"
        where = (
            f"<p style='color:{muted}'>At <code>{esc(finding.location)}</code></p>"
            if finding.location
            else ""
        )
        self.setHtml(
            f"<p style='margin-bottom:4px'><b>{esc(finding.title)}</b> "
            f"<span style='color:{colour}; font-weight:600'>({esc(word)})</span></p>"
            f"<p>{esc(finding.detail)}</p>"
            f"{where}"
            f"<p>{esc(explanation)}</p>"
            f"<p style='color:{muted}'>Reference: {esc(reference)}</p>"
        )
