"""Issue 12 item 8, the small things users reach for, driven in the real window: Copy buttons
on the panes, Clear undoable with Ctrl+Z, a key box that grows with its text and the window,
no encrypted token's text left after Clear; and the other bullets checked as a user meets
them (an issuer differing by a trailing '/')."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from inspector.ui.columns import TOKEN_MIN_HEIGHT
from inspector.ui.edit_panel import install_signing_tools
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.panels import KEY_MIN_LINES
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle

SECRET = "a-long-enough-secret-for-hs256-tests-0123456789"


def status_message(window: InspectorWindow) -> str:
    return window.statusBar().currentMessage()


def click_copy(qtbot, window: InspectorWindow, name: str) -> None:
    copy = window.findChild(QPushButton, name)
    assert copy is not None, name  # (clicking None would abort the test run)
    assert copy.isVisible()
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)


# ---------------------------------------------------------------- Copy buttons


@pytest.mark.parametrize(
    ("button", "expected", "said"),
    [
        ("copyTokenButton", lambda w: EXAMPLE_TOKEN, "Copied the token"),
        ("copyHeaderButton", lambda w: w.state.result.header.full_json, "Copied the header JSON"),
        (
            "copyPayloadButton",
            lambda w: w.state.result.payload.full_json,
            "Copied the payload JSON",
        ),
        ("copySignatureButton", lambda w: w.signature_view.toPlainText(), "Copied the signature"),
    ],
)
def test_each_pane_has_a_copy_button_that_says_what_it_copied(
    qtbot, window: InspectorWindow, button: str, expected, said: str
) -> None:
    QApplication.clipboard().setText("something else")
    click_copy(qtbot, window, button)
    copied = QApplication.clipboard().text()
    assert copied == expected(window)
    assert copied
    assert copied != "something else"
    assert status_message(window) == said
    assert EXAMPLE_SECRET not in status_message(window)  # never the key


def test_header_and_payload_copy_the_json_not_the_annotated_text(
    qtbot, window: InspectorWindow
) -> None:
    # The payload pane shows time notes ("// 2024-05-20 ... local"); the copy is JSON.
    click_copy(qtbot, window, "copyPayloadButton")
    payload = json.loads(QApplication.clipboard().text())
    assert payload["name"] == "Ada Lovelace"
    assert "//" in window.payload_view.toPlainText()  # what the pane shows is not JSON
    click_copy(qtbot, window, "copyHeaderButton")
    assert json.loads(QApplication.clipboard().text()) == {"alg": "HS256", "typ": "JWT"}


def test_the_copy_buttons_sit_on_their_pane_titles_right_edges(window: InspectorWindow) -> None:
    panes = {
        "copyTokenButton": window.token_edit,
        "copyHeaderButton": window.header_view,
        "copyPayloadButton": window.payload_view,
        "copySignatureButton": window.signature_view,
    }
    for name, pane in panes.items():
        copy = window.findChild(QPushButton, name)
        assert copy is not None, name
        box = copy.parentWidget()
        title = next(
            label
            for label in box.findChildren(QLabel)
            if label.property("role") == "paneTitle" and label.buddy() is pane
        )
        copy_rect = copy.geometry()
        title_rect = title.geometry()
        pane_rect = pane.geometry()
        # On the title's line (centred on it within a few pixels), above the pane...
        assert abs(copy_rect.center().y() - title_rect.center().y()) <= 3, name
        assert copy_rect.bottom() < pane_rect.top(), name
        # ... and flush with the pane's right edge, not making the title row taller.
        assert copy_rect.right() == pane_rect.right(), name
        assert copy_rect.height() <= title_rect.height() + 4, name


def test_copying_with_nothing_shown_says_so(qtbot, window: InspectorWindow) -> None:
    window.clear()
    settle(qtbot, window)
    QApplication.clipboard().setText("kept")
    click_copy(qtbot, window, "copyTokenButton")
    assert QApplication.clipboard().text() == "kept"
    assert status_message(window) == "No token to copy"


# ---------------------------------------------------------------- Clear and Undo Clear


def test_ctrl_z_after_clear_restores_the_token_and_key(qtbot, window: InspectorWindow) -> None:
    token = jwt.encode({"sub": "undo", "exp": 4_102_444_800}, bytes.fromhex("ab" * 32))
    window.set_token_text(token)
    window.set_key_text("ab" * 32, encoding="hex")
    settle(qtbot, window)
    assert window.verification_status.text().startswith("Signature verified")
    undo = window.findChild(QAction, "undoClearAction")
    assert not undo.isEnabled()  # nothing cleared yet
    window.findChild(QAction, "clearAction").trigger()
    settle(qtbot, window)
    assert window.token_text() == ""
    assert window.key_panel.key_text() == ""
    assert undo.isEnabled()
    assert "Ctrl+Z" in status_message(window)
    assert "ab" * 32 not in status_message(window)
    # Ctrl+Z with the focus in the (empty) token editor, whose own undo would take it.
    window.activateWindow()
    window.token_edit.setFocus()
    qtbot.waitUntil(window.token_edit.hasFocus, timeout=5000)
    QTest.keyClick(window.token_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert window.token_text() == token
    assert window.key_panel.key_text() == "ab" * 32
    assert window.key_panel.encoding() == "hex"
    assert window.verification_status.text().startswith("Signature verified")
    assert not undo.isEnabled()


def test_typing_after_clear_gives_ctrl_z_back_to_the_editor(qtbot, window: InspectorWindow) -> None:
    window.clear()
    settle(qtbot, window)
    window.activateWindow()
    window.token_edit.setFocus()
    qtbot.waitUntil(window.token_edit.hasFocus, timeout=5000)
    QTest.keyClicks(window.token_edit, "abc")
    assert not window.findChild(QAction, "undoClearAction").isEnabled()
    QTest.keyClick(window.token_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The editor's own undo took it: the example did not come back.
    assert EXAMPLE_TOKEN not in window.token_text()
    assert window.key_panel.key_text() == ""


def test_clear_twice_still_undoes_to_what_was_there(qtbot, window: InspectorWindow) -> None:
    window.clear()
    window.clear()
    settle(qtbot, window)
    window.findChild(QAction, "undoClearAction").trigger()
    settle(qtbot, window)
    assert window.token_text() == EXAMPLE_TOKEN
    assert window.key_panel.key_text() == EXAMPLE_SECRET


# ---------------------------------------------------------------- the key box grows


def two_key_jwks() -> tuple[str, str]:
    """An RS256 token and its issuer's JWK Set of two 2048-bit keys, pretty-printed as
    issuers serve them (kty, use, alg, kid, n, e)."""
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]
    entries = []
    for i, key in enumerate(keys):
        jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
        entries.append(
            {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": f"k{i}", "n": jwk["n"], "e": "AQAB"}
        )
    token = jwt.encode(
        {"iss": "https://login.example.com/", "sub": "248289761001", "aud": "api://orders"},
        keys[0],
        algorithm="RS256",
        headers={"kid": "k0"},
    )
    return token, json.dumps({"keys": entries}, indent=2)


@pytest.fixture(scope="module")
def jwks_case() -> tuple[str, str]:
    return two_key_jwks()


def show_at(qtbot, window: InspectorWindow, size: tuple[int, int], token: str, key: str) -> None:
    window.resize(*size)
    window.set_token_text(token)
    window.set_key_text(key)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.key_panel.key_edit.height() > 0, timeout=5000)
    QApplication.processEvents()


def test_a_jwk_set_needs_no_scrolling_at_1600x1000(qtbot, window, jwks_case) -> None:
    token, jwks = jwks_case
    show_at(qtbot, window, (1600, 1000), token, jwks)
    assert window.verification_status.text().startswith("Signature verified")
    edit = window.key_panel.key_edit
    qtbot.waitUntil(lambda: edit.verticalScrollBar().maximum() == 0, timeout=5000)
    # Its last line is in view, and the token editor kept room of its own.
    last = edit.document().lastBlock()
    assert edit.blockBoundingGeometry(last).bottom() <= edit.viewport().height()
    assert window.token_edit.height() >= TOKEN_MIN_HEIGHT


def test_at_1024x700_both_boxes_stay_usable(qtbot, window, jwks_case) -> None:
    token, jwks = jwks_case
    show_at(qtbot, window, (1024, 700), token, jwks)
    line = window.key_panel.key_edit.fontMetrics().lineSpacing()
    assert window.token_edit.height() >= TOKEN_MIN_HEIGHT
    assert window.key_panel.key_edit.height() >= 8 * line  # scrolls, but shows a good part
    # Every control of the key panel is still in the window.
    for widget in (window.key_panel.secret_encoding, window.key_panel.open_button):
        bottom = widget.mapTo(window, widget.rect().bottomLeft()).y()
        assert bottom < window.statusBar().mapTo(window, window.statusBar().rect().topLeft()).y()


def test_a_short_secret_leaves_the_room_to_the_token(qtbot, window) -> None:
    token = jwt.encode({"sub": "1"}, SECRET)
    show_at(qtbot, window, (1600, 1000), token, SECRET)
    line = window.key_panel.key_edit.fontMetrics().lineSpacing()
    assert window.key_panel.key_edit.height() <= (KEY_MIN_LINES + 2) * line
    assert window.token_edit.height() > window.key_panel.key_edit.height() * 3


# ---------------------------------------------------------------- nothing of a JWE after Clear


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


JWE_WORDS = ("JWE", "ncrypt", "RSA-OAEP", "A256GCM")


def _encrypt_option(widget: QWidget) -> bool:
    """Whether ``widget`` is (in) the edit panel's Encrypt (JWE) option (issue 14)."""
    w: QWidget | None = widget
    while w is not None:
        if w.objectName() in ("encryptCheck", "encryptRow"):
            return True
        w = w.parentWidget()
    return False


def texts_about_a_jwe(window: InspectorWindow) -> dict[str, str]:
    """Every text a widget of the window (docks included) shows or tells on hover that
    speaks of the encrypted token."""
    found = {}
    for widget in window.findChildren(QWidget):
        if _encrypt_option(widget):
            continue  # the edit panel's fixed "Encrypt (JWE)" controls speak of no token
        for getter in ("text", "toPlainText", "toolTip", "placeholderText", "currentText"):
            method = getattr(widget, getter, None)
            if not callable(method):
                continue
            try:
                value = method()
            except TypeError:
                continue
            if isinstance(value, str) and any(w in value for w in JWE_WORDS):
                found[f"{widget.objectName() or type(widget).__name__}.{getter}"] = value
    return found


def test_no_text_of_an_encrypted_token_is_left_after_clear(qtbot, window) -> None:
    header = _b64(json.dumps({"alg": "RSA-OAEP", "enc": "A256GCM"}).encode())
    jwe = ".".join([header, _b64(b"k" * 256), _b64(b"i" * 12), _b64(b"c" * 40), _b64(b"t" * 16)])
    panel, _dialog = install_signing_tools(window)
    window.findChild(QAction, "editModeAction").trigger()
    window.set_token_text(jwe)
    settle(qtbot, window)
    # The user asks the signing panel to start from it: it cannot, and says why.
    qtbot.mouseClick(panel.fromTokenButton, Qt.MouseButton.LeftButton)
    assert "encrypted" in panel.errorLabel.text()
    assert '"RSA-OAEP"' not in panel.headerEdit.toPlainText()
    assert texts_about_a_jwe(window)  # the check sees the JWE while it is shown
    window.clear()
    settle(qtbot, window)
    assert texts_about_a_jwe(window) == {}


# ---------------------------------------------------------------- an issuer's trailing '/'


def test_an_issuer_differing_by_a_trailing_slash_is_said_so(qtbot, window) -> None:
    token = jwt.encode({"sub": "1", "iss": "https://idp.example.com"}, SECRET)
    window.set_token_text(token)
    window.set_key_text(SECRET)
    qtbot.keyClicks(window.validation_panel.issuer, "https://idp.example.com/")
    settle(qtbot, window)
    view = window.findings_view
    titles = [view.item(i).text().split("\n")[0] for i in range(view.count())]
    row = next(i for i, t in enumerate(titles) if "ssuer" in t)
    view.setCurrentRow(row)
    assert "trailing '/'" in window.finding_detail.toPlainText()


# ---------------------------------------------------------------- the first impression


def test_first_launch_is_verified_without_a_pane_in_the_highlight_colour(window) -> None:
    """The example has no 'exp' (like jwt.io's): verified, green, and its first finding, "No
    expiry", is about the whole payload, which is not painted in the highlight colour (a
    missing claim has nothing to point at); a finding on a claim still highlights it."""
    assert window.verification_status.text() == "Signature verified"
    assert window.shown.verification.status == "valid"
    first = window.findings_view.current_finding()
    assert first.id == "missing-exp"
    assert first.location == "/payload"
    assert window.payload_view.highlighted is None
    bold = [s for s in window.payload_view.extraSelections() if s.format.fontWeight() > 400]
    assert bold == []  # (a highlight is drawn bold on the highlight colour)
    assert "No expiry" in window.finding_detail.toPlainText()
    titles = [window.findings_view.item(i).text().split("\n")[0] for i in range(4)]
    window.findings_view.setCurrentRow(titles.index("Personal data in the token"))
    assert window.payload_view.highlighted == "/payload/email"
