"""View > Recent tokens (issue 16 item 5): the last 20 tokens inspected since launch, in
memory only, each with its subject, issuer and verdict; choosing one reopens it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from inspector.ui.recent import MAX_RECENT, RecentTokens, claims_of
from inspector.ui.window import InspectorWindow
from tests.core.tokens import hs256
from tests.ui.conftest import settle


def test_newest_first_each_once_at_most_twenty():
    recent = RecentTokens()
    for n in range(MAX_RECENT + 5):
        recent.record(f"token-{n:02d}", f"sub-{n}", None, "Not checked")
    assert len(recent) == MAX_RECENT
    assert [e.text for e in recent.entries()][:2] == ["token-24", "token-23"]
    assert "token-04" not in [e.text for e in recent.entries()]
    recent.record("token-10", "sub-10", None, "Signature verified")
    assert recent.entries()[0].text == "token-10"
    assert [e.text for e in recent.entries()].count("token-10") == 1


def test_typing_on_replaces_and_cutting_back_keeps_the_token():
    recent = RecentTokens()
    recent.record("other-token", None, None, "x")
    recent.record("abc.def.g", None, None, "x")
    recent.record("abc.def.gh", None, None, "x")
    assert [e.text for e in recent.entries()] == ["abc.def.gh", "other-token"]
    recent.record("abc.def.g", None, None, "x")  # a character deleted
    assert [e.text for e in recent.entries()] == ["abc.def.gh", "other-token"]


def test_label_and_claims():
    assert claims_of(json.dumps({"sub": "alice", "iss": "https://idp/"})) == (
        "alice",
        "https://idp/",
    )
    assert claims_of("[1, 2]") == (None, None)
    assert claims_of("{not json") == (None, None)
    recent = RecentTokens()
    recent.record("t", "alice", None, "Signature verified")
    assert recent.entries()[0].label() == "alice · (no iss) · Signature verified"


def _recent_menu(window: InspectorWindow) -> QMenu:
    return window.workbench.recent_tokens_menu()


def test_window_lists_tokens_and_reopens_one(qtbot, window: InspectorWindow) -> None:
    first = hs256({"alg": "HS256"}, {"sub": "first-user", "iss": "https://one.example/"})
    second = hs256({"alg": "HS256"}, {"sub": "second-user", "iss": "https://two.example/"})
    for token in (first, second):
        window.set_token_text(token)
        settle(qtbot, window)
    labels = [a.text() for a in _recent_menu(window).actions()]
    assert labels[0].startswith("second-user · https://two.example/ · ")
    assert labels[1].startswith("first-user · https://one.example/ · ")
    assert len(labels) == 3  # and the example token shown at launch
    _recent_menu(window).actions()[1].trigger()
    settle(qtbot, window)
    assert window.token_text() == first
    assert '"sub": "first-user"' in window.payload_view.toPlainText()


# Qt's offscreen platform cannot raise a popup or grab the keyboard, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_view_menu_entry_pops_the_list_up(qtbot, window: InspectorWindow) -> None:
    window.actions_by_name["recentTokensAction"].trigger()
    menu = window.findChild(QMenu, "recentTokensMenu")
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    assert menu.actions()[0].text().startswith("1234567890 · (no iss) · ")
    menu.close()


def test_recent_tokens_are_in_memory_only(qtbot, window: InspectorWindow, tmp_path) -> None:
    """Nothing about them is in the application's settings (the only store it has)."""
    from PySide6.QtCore import QSettings

    token = hs256({"alg": "HS256"}, {"sub": "kept-in-memory"})
    window.set_token_text(token)
    settle(qtbot, window)
    assert window.workbench.recent_tokens is not None
    assert window.workbench.recent_tokens.entries()[0].text == token
    settings = QSettings()
    assert all(token not in str(settings.value(k)) for k in settings.allKeys())
    assert QApplication.instance() is not None
