"""The clipboard bar tells the truth (issue 12 item 6): it follows the clipboard as it changes,
is withdrawn once its token is the one shown, and never calls plain text or the token just
pasted "a different token"."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication, QWidget

from inspector.ui.window import InspectorWindow
from tests.ui.conftest import SETTLE_MS, settle
from tests.ui.test_token_chooser import choose
from tests.ui.test_window import hs256


def bar(window: InspectorWindow) -> QWidget:
    return window.findChild(QWidget, "clipboardBar")


def copy(text: str) -> None:
    QApplication.clipboard().setText(text)


def test_a_new_token_on_the_clipboard_is_offered_as_it_is_copied(qtbot, window) -> None:
    assert window.isActiveWindow()
    copy(hs256({"sub": "copied while the window is active"}))
    qtbot.waitUntil(bar(window).isVisible, timeout=SETTLE_MS)  # no activation needed


def test_plain_text_withdraws_the_offer_and_is_never_one(qtbot, window) -> None:
    copy(hs256({"sub": "offered"}))
    qtbot.waitUntil(bar(window).isVisible, timeout=SETTLE_MS)
    # Dotted words look like a token's three parts, but their "header" is not JSON.
    for text in ("example.com.au", "v1.2.3", "see docs.python.org/3/library", "hello"):
        copy(text)
        qtbot.waitUntil(lambda: not bar(window).isVisible(), timeout=SETTLE_MS)
        assert window.check_clipboard() is False, text


def test_the_token_just_pasted_is_no_longer_offered(qtbot, window) -> None:
    token = hs256({"sub": "pasted"})
    copy(f"Bearer {token}\n")
    qtbot.waitUntil(bar(window).isVisible, timeout=SETTLE_MS)
    editor = window.token_edit
    editor.setFocus()
    editor.selectAll()
    editor.paste()  # the user pastes instead of pressing the bar's button
    settle(qtbot, window)
    assert window.shown.token == token
    assert not bar(window).isVisible()
    assert window.check_clipboard() is False


def test_copying_the_shown_token_or_its_json_makes_no_offer(qtbot, window) -> None:
    window.edit.copy_token()
    assert QApplication.clipboard().text() == window.shown.token
    assert not bar(window).isVisible()
    window.edit.copy_payload_json()
    assert not bar(window).isVisible()
    assert window.check_clipboard() is False


def test_the_text_shown_is_not_offered_back_whichever_of_its_tokens_is_shown(qtbot, window) -> None:
    access, id_token = hs256({"sub": "access"}), hs256({"sub": "id"})
    response = json.dumps({"access_token": access, "id_token": id_token, "token_type": "Bearer"})
    window.set_token_text(response)
    settle(qtbot, window)
    copy(response)
    assert window.check_clipboard() is False
    choose(qtbot, window, "id_token")  # the response's other token is shown now
    assert window.shown.token == id_token
    assert window.check_clipboard() is False
    copy(access)  # its first token alone, though, is not the one shown
    assert window.check_clipboard() is True
    # Another token is another matter.
    copy(hs256({"sub": "another"}))
    assert window.check_clipboard() is True
