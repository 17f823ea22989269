"""The edit panel's "Encrypt (JWE)" option (issue 14 item 4): sign-then-encrypt or the payload
alone, for a recipient's public key or a shared secret/password; checked by decrypting here
and in jwcrypto; a key that does not fit says so and emits nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from inspector.core.inspection import inspect_token
from inspector.ui.edit_panel import EditPanel
from inspector.ui.window import InspectorWindow
from tests.core.jwetokens import PASSWORD, key_for, key_text
from tests.core.keyfactory import public_pem
from tests.ui.conftest import settle

NOW = 1_700_000_000
SECRET = "a-strong-secret-that-is-long-enough-for-HS256!"


@pytest.fixture
def panel(qtbot: Any) -> EditPanel:
    widget = EditPanel(clock=lambda: NOW + 0.25, open_generator_itself=False)
    qtbot.addWidget(widget)
    widget.resize(900, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _click_sign(qtbot: Any, panel: EditPanel) -> str:
    with qtbot.waitSignal(panel.token_signed, timeout=5000) as blocker:
        qtbot.mouseClick(panel.signButton, Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def _encrypt_to(panel: EditPanel, alg: str, enc: str, key: str, what: str) -> None:
    panel.encryption.check.setChecked(True)
    panel.encryption.alg_combo.setCurrentText(alg)
    panel.encryption.enc_combo.setCurrentText(enc)
    panel.encryption.what_combo.setCurrentText(what)
    panel.encryption.key_edit.setPlainText(key)


def test_the_row_shows_only_while_ticked(panel: EditPanel) -> None:
    assert panel.encryption.row.isHidden()
    panel.encryption.check.setChecked(True)
    assert panel.encryption.row.isVisible()
    panel.encryption.check.setChecked(False)
    assert panel.encryption.row.isHidden()


def test_sign_then_encrypt_to_an_rsa_public_key(qtbot: Any, panel: EditPanel) -> None:
    recipient = key_for("RSA-OAEP-256", "A256GCM")
    panel.signingKeyEdit.setPlainText(SECRET)
    _encrypt_to(panel, "RSA-OAEP-256", "A256GCM", public_pem(recipient), "signed token")
    emitted: list[tuple[str, str]] = []
    panel.verification_key_made.connect(lambda k, e: emitted.append((k, e)))
    token = _click_sign(qtbot, panel)
    assert token.count(".") == 4
    d = inspect_token(token, SECRET, decryption_key=key_text(recipient), now=NOW).to_dict()
    assert d["header"]["cty"] == "JWT"
    assert d["decryption"]["status"] == "decrypted"
    assert d["nested"]["verification"]["status"] == "valid"
    assert d["nested"]["payload"]["sub"] == "1234567890"
    assert emitted == []  # the panel has no private key to put in the key box
    assert "recipient's private key" in panel.noteLabel.text()
    theirs = jwcrypto_jwe.JWE()
    theirs.deserialize(token, key=jwcrypto_jwk.JWK.from_pem(key_text(recipient).encode()))
    assert theirs.payload.decode().count(".") == 2  # the signed token inside


@pytest.mark.parametrize(
    ("alg", "enc"), [("A128KW", "A128CBC-HS256"), ("PBES2-HS256+A128KW", "A128GCM")]
)
def test_the_payload_alone_to_a_shared_key(
    qtbot: Any, panel: EditPanel, alg: str, enc: str
) -> None:
    key = key_for(alg, enc)
    text = PASSWORD if key == PASSWORD.encode() else key_text(key)
    _encrypt_to(panel, alg, enc, text, "payload only")
    emitted: list[tuple[str, str]] = []
    panel.verification_key_made.connect(lambda k, e: emitted.append((k, e)))
    token = _click_sign(qtbot, panel)
    d = inspect_token(token, decryption_key=text, now=NOW).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert "cty" not in d["header"]
    assert d["payload"] == {"sub": "1234567890", "name": "Jane Doe"}
    assert d["nested"] is None
    assert emitted == [(text, "utf-8")]  # the same text decrypts: it goes to the key box


@pytest.mark.parametrize(
    ("alg", "key", "says"),
    [
        ("RSA-OAEP", "a shared secret", "RSA public key"),
        ("A256KW", "", "recipient's key"),
        ("dir", "too short", "256 bits"),
    ],
)
def test_a_key_that_cannot_encrypt_is_explained(
    qtbot: Any, panel: EditPanel, alg: str, key: str, says: str
) -> None:
    panel.signingKeyEdit.setPlainText(SECRET)
    _encrypt_to(panel, alg, "A256GCM", key, "signed token")
    emitted: list[str] = []
    panel.token_signed.connect(emitted.append)
    qtbot.mouseClick(panel.signButton, Qt.MouseButton.LeftButton)
    assert emitted == []
    assert panel.errorLabel.isVisible()
    assert panel.errorLabel.text().startswith("Cannot encrypt: ")
    assert says in panel.errorLabel.text()
    if key:
        assert key not in panel.errorLabel.text()


def test_the_window_shows_what_the_panel_encrypted(qtbot: Any, window: InspectorWindow) -> None:
    from inspector.ui.signing_tools import install_signing_tools

    panel, _dialog = install_signing_tools(window)
    key = key_for("A256GCMKW", "A256GCM")
    _encrypt_to(panel, "A256GCMKW", "A256GCM", key_text(key), "payload only")
    panel.payloadEdit.setPlainText('{"sub": "dave"}')
    _click_sign(qtbot, panel)
    settle(qtbot, window)
    assert window.findChild(QLabel, "verificationStatus").text() == (
        "Decrypted (A256GCMKW, A256GCM)"
    )
    payload = window.findChild(QPlainTextEdit, "payloadView").toPlainText()
    assert json.loads(payload) == {"sub": "dave"}


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nothing_is_clipped_with_encrypt_ticked(
    qtbot: Any, window: InspectorWindow, theme: str
) -> None:
    from tests.ui.test_edit_panel_fit import _clipping, _open, _settle_panel

    window.apply_theme_choice(theme)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1024, 700), timeout=5000)
    panel, _dock = _open(qtbot, window)
    panel.encryption.check.click()
    _settle_panel(qtbot, panel)
    assert panel.encryption.row.isVisible()
    assert _clipping(panel) == []
