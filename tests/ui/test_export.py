"""File > Export report... and Export redacted report... (issue 16 items 2 and 3)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from inspector.ui import export
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.window import InspectorWindow


def _save_to(monkeypatch, path, chosen=export.HTML_FILTER):
    monkeypatch.setattr(export.QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), chosen))


def test_export_html_report(qtbot, window: InspectorWindow, tmp_path, monkeypatch) -> None:
    target = tmp_path / "report.html"
    _save_to(monkeypatch, target)
    window.actions_by_name["exportReportAction"].trigger()
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert EXAMPLE_TOKEN.split(".")[1] in html
    assert "Ada Lovelace" in html  # the plain report shows the payload as it is
    assert EXAMPLE_SECRET not in html  # never the key
    HTMLParser().feed(html)
    assert "Report exported to" in window.statusBar().currentMessage()


def test_export_redacted_markdown(qtbot, window: InspectorWindow, tmp_path, monkeypatch) -> None:
    target = tmp_path / "report.md"
    _save_to(monkeypatch, target, export.MARKDOWN_FILTER)
    window.actions_by_name["exportRedactedAction"].trigger()
    md = target.read_text(encoding="utf-8")
    assert md.startswith("# JWT Inspector report \\(redacted copy\\)")
    assert "ada@example.com" not in md
    assert "Ada Lovelace" not in md
    assert EXAMPLE_TOKEN.split(".")[1] not in md
    assert EXAMPLE_SECRET not in md
    assert "The original token" in md


def test_cancelled_or_failing_export_writes_nothing(
    qtbot, window: InspectorWindow, tmp_path, monkeypatch
) -> None:
    _save_to(monkeypatch, "")
    window.workbench.export_report("plain")
    assert list(tmp_path.iterdir()) == []
    _save_to(monkeypatch, tmp_path / "missing-dir" / "r.html")
    window.workbench.export_report("plain")
    assert "Could not write the report" in window.statusBar().currentMessage()


@pytest.mark.parametrize("text", ["hello", "AKIAIOSFODNN7EXAMPLE"])
def test_redacted_export_of_no_token_says_so(
    qtbot, window: InspectorWindow, tmp_path, monkeypatch, text
) -> None:
    from tests.ui.conftest import settle

    window.set_token_text(text)
    settle(qtbot, window)
    _save_to(monkeypatch, tmp_path / "r.html")
    window.workbench.export_report("redacted")
    assert not (tmp_path / "r.html").exists()
    assert "Nothing exported" in window.statusBar().currentMessage()
