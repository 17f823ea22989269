"""The panes follow the window's state by themselves (inspector.ui.result_panes, columns): fed
a state and nothing else, they show its result, dim when it goes stale and highlight the
selected finding's claim. And the window's menu entries open files through file_open."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QFileDialog

from inspector.core.options import InspectOptions
from inspector.ui.columns import TokenColumn, VerdictColumn
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.jobs import InspectionRequest, run_request
from inspector.ui.result_panes import DecodedPanes
from inspector.ui.state import InspectorState
from inspector.ui.theme import use_theme
from tests.ui.conftest import settle


def result(text: str, key: str | None = None):
    return run_request(InspectionRequest(0, text, InspectOptions(key=key, now=time.time())))


def test_the_columns_follow_a_state_without_a_window(qtbot) -> None:
    theme = use_theme("light")
    state = InspectorState()
    left, middle, right = TokenColumn(state), DecodedPanes(state), VerdictColumn(state, theme)
    for column in (left, middle, right):
        qtbot.addWidget(column.widget)
    left.token_edit.set_text(EXAMPLE_TOKEN)
    left.key_panel.key_edit.setPlainText(EXAMPLE_SECRET)
    state.show_result(result(EXAMPLE_TOKEN, EXAMPLE_SECRET))
    assert '"name": "Ada Lovelace"' in middle.payload_view.toPlainText()
    assert '"alg": "HS256"' in middle.header_view.toPlainText()
    assert "HS256" in middle.signature_view.toPlainText()
    headline = right.verdict_banner.headline.text()
    assert headline == "Signature verified"  # the example has no 'exp': it stays valid
    assert right.findings.findings_view.count() > 0
    assert left.key_panel.key_kind.text().startswith("Detected:")
    assert left.token_edit.extraSelections()  # the token's parts coloured

    # The most severe finding was selected: its claim (if any) is highlighted, its text shown.
    first = right.findings.findings_view.current_finding()
    assert state.selected is first
    assert first.title in right.findings.finding_detail.toPlainText()

    state.set_stale(True)
    assert not middle.payload_view.isEnabled()
    assert not right.findings.findings_view.isEnabled()
    assert right.verdict_banner.headline.text() == "Inspecting…"
    state.set_stale(False)
    assert middle.payload_view.isEnabled()


def test_selecting_a_finding_with_a_claim_highlights_it_in_its_pane(qtbot) -> None:
    state = InspectorState()
    middle = DecodedPanes(state)
    qtbot.addWidget(middle.widget)
    state.show_result(result(EXAMPLE_TOKEN))
    finding = next(
        f for f in state.result.view.findings if (f.location or "").startswith("/payload/")
    )
    state.select_finding(finding)
    assert middle.payload_view.highlighted == finding.location
    assert middle.header_view.highlighted is None
    state.select_finding(None)
    assert middle.payload_view.highlighted is None


def test_the_file_menu_opens_a_key_file_through_the_dialog(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    path = tmp_path / "key.txt"
    path.write_text("a-secret-from-a-file-long-enough-0123456789")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.actions_by_name["openKeyAction"].trigger()
    assert window.key_panel.key_text() == "a-secret-from-a-file-long-enough-0123456789"
    settle(qtbot, window)
    token = tmp_path / "token.txt"
    token.write_text("not a token")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(token), ""))
    window.actions_by_name["openTokenAction"].trigger()
    assert window.token_text() == "not a token"
    # Cancelled: nothing changes.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    window.actions_by_name["openTokenAction"].trigger()
    assert window.token_text() == "not a token"
