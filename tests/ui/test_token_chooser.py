"""Several tokens in one paste (issue 12 item 5): the ``tokenChooser`` names each by where it
was found, and choosing one inspects it without altering what the user pasted."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from PySide6.QtWidgets import QComboBox, QLabel

from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle
from tests.ui.test_window import SECRET, finding_titles, hs256

ACCESS = hs256({"sub": "user-1", "scope": "read write", "aud": "api"}, kid="access-key")
ID = hs256({"sub": "user-1", "email": "ada@example.com", "nonce": "n-0S6"}, kid="id-key")
RESPONSE = json.dumps(
    {"access_token": ACCESS, "token_type": "Bearer", "expires_in": 300, "id_token": ID},
    indent=2,
)


def chooser(window: InspectorWindow) -> QComboBox | None:
    return window.findChild(QComboBox, "tokenChooser")


def names(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def choose(qtbot, window: InspectorWindow, name: str) -> None:
    combo = chooser(window)
    index = combo.findText(name)
    assert index >= 0, names(combo)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a user's click in the list sends
    settle(qtbot, window)


def paste(qtbot, window: InspectorWindow, text: str) -> None:
    window.set_key_text(SECRET, inspect=False)
    window.set_token_text(text)
    settle(qtbot, window)


def test_one_token_needs_no_chooser(qtbot, window) -> None:
    assert chooser(window) is None  # not even built for the example
    paste(qtbot, window, f"Authorization: Bearer {ACCESS}")
    assert chooser(window) is None


def test_a_token_response_offers_both_tokens_and_inspects_the_one_chosen(qtbot, window) -> None:
    paste(qtbot, window, RESPONSE)
    combo = chooser(window)
    assert combo is not None
    assert combo.isVisible()
    assert names(combo) == ["access_token", "id_token"]
    assert combo.currentText() == "access_token"  # what the codec picks, shown first
    assert window.shown.token == ACCESS
    label = window.findChild(QLabel, "tokenChooserLabel")
    assert label.text() == "2 tokens in this text:"

    choose(qtbot, window, "id_token")
    assert window.shown.token == ID
    assert window.token_text() == RESPONSE  # what was pasted is untouched
    assert '"email": "ada@example.com"' in window.payload_view.toPlainText()
    assert '"kid": "id-key"' in window.header_view.toPlainText()
    assert window.findChild(QLabel, "verificationStatus").text().startswith("Signature verified")
    assert window.inspection.token == ID  # tools (Edit and sign) get the chosen one
    # The chosen token's parts are coloured where they stand in the pasted text.
    start = RESPONSE.index(ID)
    spans = sorted(
        (s.cursor.selectionStart(), s.cursor.selectionEnd())
        for s in window.token_edit.extraSelections()
    )
    assert spans[0][0] == start
    assert spans[-1][1] == start + len(ID)
    assert combo.currentText() == "id_token"  # still listed, still chosen

    choose(qtbot, window, "access_token")
    assert window.shown.token == ACCESS


def test_a_log_names_its_tokens_by_line_and_a_cookie_by_name(qtbot, window) -> None:
    log = f"12:00:01 INFO login {ACCESS}\n12:00:02 DEBUG -\n12:00:03 INFO refresh {ID}\n"
    paste(qtbot, window, log)
    assert names(chooser(window)) == ["line 1", "line 3"]
    choose(qtbot, window, "line 3")
    assert window.shown.token == ID

    paste(qtbot, window, f"Cookie: session={ID}; csrf=abc; remember={ACCESS}")
    assert names(chooser(window)) == ["session", "remember"]
    assert chooser(window).currentText() == "session"


def test_the_choice_survives_an_edit_and_goes_with_another_text(qtbot, window) -> None:
    paste(qtbot, window, RESPONSE)
    choose(qtbot, window, "id_token")
    # Editing the text (here: another expires_in) keeps the id_token chosen.
    window.token_edit.set_text(RESPONSE.replace('"expires_in": 300', '"expires_in": 600'))
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.is_settled() and window.shown.token == ID, timeout=5000)
    assert chooser(window).currentText() == "id_token"
    # One token alone: the chooser goes away.
    paste(qtbot, window, ACCESS)
    assert not chooser(window).isVisible()
    assert window.shown.token == ACCESS
    # Another response: the codec's pick first again.
    paste(qtbot, window, json.dumps({"id_token": ID, "access_token": ACCESS, "extra": 1}))
    assert chooser(window).isVisible()
    assert chooser(window).currentText() == "access_token"
    assert window.shown.token == ACCESS


def test_choosing_a_token_further_down_scrolls_to_it(qtbot, window) -> None:
    window.resize(1024, 700)
    padding = "\n".join(f'  "note_{i}": "padding line {i}",' for i in range(60))
    text = f'{{\n  "access_token": "{ACCESS}",\n{padding}\n  "id_token": "{ID}"\n}}'
    paste(qtbot, window, text)
    bar = window.token_edit.verticalScrollBar()
    window.token_edit.verticalScrollBar().setValue(0)
    chooser(window).setFocus()
    choose(qtbot, window, "id_token")
    assert bar.value() > 0
    assert window.token_edit.textCursor().position() == text.index(ID)


def _id_token_for(access_token: str) -> str:
    """An ID token whose at_hash is that of ``access_token`` (HS256: SHA-256's left half)."""
    digest = hashlib.sha256(access_token.encode()).digest()[:16]
    at_hash = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    claims = {"sub": "user-1", "nonce": "n-0S6", "at_hash": at_hash}
    return hs256(claims, kid="id-key")


@pytest.mark.parametrize("matching", [True, False])
def test_the_chosen_id_token_is_checked_against_the_access_token_beside_it(
    qtbot, window, matching: bool
) -> None:
    """Issue 15: the chosen token is inspected alone, with the whole paste as its context, so
    its at_hash meets the access token of the same response (as when the whole text is)."""
    other = hs256({"sub": "user-2", "scope": "admin", "aud": "api"}, kid="access-key")
    idt = _id_token_for(ACCESS if matching else other)
    response = json.dumps({"access_token": ACCESS, "token_type": "Bearer", "id_token": idt})
    paste(qtbot, window, response)
    assert window.shown.token == ACCESS  # the codec's pick: no at_hash to compare
    assert not [t for t in finding_titles(window) if "at_hash" in t]
    choose(qtbot, window, "id_token")
    assert window.shown.token == idt
    assert window.token_text() == response
    titles = finding_titles(window)
    if matching:
        assert "ID token's 'at_hash' matches" in titles
        assert "at-hash-mismatch" not in {f.id for f in window.inspection.findings}
    else:
        assert "ID token's 'at_hash' does not match" in titles
        assert "at-hash-match" not in {f.id for f in window.inspection.findings}
