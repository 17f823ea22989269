"""File > Export report... and Export redacted report... (issue 16 items 2 and 3): the
inspection shown, as the CLI's ``--format html`` or ``md`` report, written where the user
chooses (the only file the app writes besides the desktop entry, and only when asked).

The redacted export is the report of the redacted copy (:mod:`inspector.redact`), judged at
the same moment with no key (the copy has no signature), under the original's verdict, as
``inspect --redact`` prints it. Imported when the user first exports.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

if TYPE_CHECKING:
    from inspector.core.model import Inspection
    from inspector.ui.window import InspectorWindow

#: The save dialog's filters; the first is the default.
HTML_FILTER = "HTML report (*.html)"
MARKDOWN_FILTER = "Markdown report (*.md)"
#: How long a message stays in the status bar.
MESSAGE_MS = 8000


def report_text(inspection: Inspection, *, markdown: bool, redacted: bool) -> str:
    """The report of ``inspection`` (or of its redacted copy) as Markdown or one HTML file.
    A :class:`inspector.redact.RedactError` when a redacted copy cannot be made."""
    from inspector import report
    from inspector.core import inspect_token
    from inspector.presentation import verdict_lines
    from inspector.redact import redact

    if not redacted:
        return report.markdown(inspection) if markdown else report.html_document(inspection)
    copy = redact(inspection.parsed)
    shown = inspect_token(copy.token, now=time.time(), check_weak_secrets=False)
    preface = (
        f"Redacted token: {copy.token}",
        f"Redacted: {', '.join(copy.paths) or 'nothing (no sensitive value found)'}",
        "The original token's verification: "
        + verdict_lines(inspection.verification, inspection.findings)[0],
    )
    title = "JWT Inspector report (redacted copy)"
    if markdown:
        return report.markdown(shown, title=title, preface=preface)
    return (
        report.html_head(title) + report.html_section(shown, preface=preface) + report.html_tail()
    )


def export_report(window: InspectorWindow, *, redacted: bool) -> None:
    """Ask where, then write the report; every failure is said in the status bar."""
    from inspector.redact import RedactError

    inspection = window.inspection
    if inspection is None:
        window.statusBar().showMessage("Nothing to export: no token inspected yet", MESSAGE_MS)
        return
    name = "jwt-report-redacted.html" if redacted else "jwt-report.html"
    path, chosen = QFileDialog.getSaveFileName(
        window, "Export report", name, f"{HTML_FILTER};;{MARKDOWN_FILTER}"
    )
    if not path:
        return
    markdown = path.lower().endswith(".md") or chosen == MARKDOWN_FILTER
    try:
        text = report_text(inspection, markdown=markdown, redacted=redacted)
    except RedactError as err:
        window.statusBar().showMessage(f"Nothing exported: {err}", MESSAGE_MS)
        return
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as err:
        window.statusBar().showMessage(
            f"Could not write the report: {err.strerror or err}", MESSAGE_MS
        )
        return
    window.statusBar().showMessage(f"Report exported to {path}", MESSAGE_MS)
