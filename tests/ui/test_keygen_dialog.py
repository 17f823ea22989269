"""The key generator dialog: generate, show every export, copy, use as signing key, convert."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from jwcrypto import jwk as jwcrypto_jwk
from PySide6.QtGui import QGuiApplication

from inspector.core.inspection import inspect_token
from inspector.core.keygen import KEYGEN_ALGORITHMS, generate_key
from inspector.core.signing import sign_token
from inspector.ui.keygen_dialog import KeyGeneratorDialog


@pytest.fixture
def dialog(qtbot: Any) -> KeyGeneratorDialog:
    widget = KeyGeneratorDialog()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _generate(qtbot: Any, dialog: KeyGeneratorDialog, alg: str, size: int = 0) -> Any:
    dialog.algCombo.setCurrentText(alg)
    dialog.sizeCombo.setCurrentIndex(size)
    with qtbot.waitSignal(dialog.key_generated, timeout=20000) as blocker:
        dialog.generateButton.click()
    return blocker.args[0]


def test_size_choices_follow_the_algorithm(dialog: KeyGeneratorDialog) -> None:
    assert [dialog.algCombo.itemText(i) for i in range(dialog.algCombo.count())] == list(
        KEYGEN_ALGORITHMS
    )
    dialog.algCombo.setCurrentText("PS256")
    sizes = [dialog.sizeCombo.itemText(i) for i in range(dialog.sizeCombo.count())]
    assert sizes == ["RSA 2048 bits", "RSA 3072 bits", "RSA 4096 bits"]
    assert dialog.sizeCombo.isEnabled()
    dialog.algCombo.setCurrentText("ES384")
    assert dialog.sizeCombo.currentText() == "curve P-384"
    assert not dialog.sizeCombo.isEnabled()
    dialog.algCombo.setCurrentText("EdDSA")
    assert dialog.sizeCombo.count() == 2


def test_generate_ec_key_shows_every_export(qtbot: Any, dialog: KeyGeneratorDialog) -> None:
    key = _generate(qtbot, dialog, "ES256K")
    assert dialog.key is key
    assert dialog.thumbprintEdit.text() == key.thumbprint
    assert "EC secp256k1 key pair for ES256K" in dialog.statusLabel.text()
    private_pem = dialog.privatePemEdit.toPlainText()
    serialization.load_pem_private_key(private_pem.encode(), password=None)
    public_pem = dialog.publicPemEdit.toPlainText()
    assert jwcrypto_jwk.JWK.from_pem(public_pem.encode()).thumbprint() == key.thumbprint
    priv = jwcrypto_jwk.JWK.from_json(dialog.privateJwkEdit.toPlainText())
    assert priv.has_private
    pub = json.loads(dialog.publicJwkEdit.toPlainText())
    assert "d" not in pub
    assert pub["kid"] == key.thumbprint
    assert json.loads(dialog.jwkSetEdit.toPlainText()) == {"keys": [pub]}
    for edit in (dialog.privatePemEdit, dialog.privateJwkEdit, dialog.jwkSetEdit):
        assert edit.isReadOnly()
    assert all(dialog.outputTabs.isTabEnabled(i) for i in range(5))
    assert dialog.generateButton.isEnabled()


def test_generated_key_signs_tokens_our_verifier_accepts(
    qtbot: Any, dialog: KeyGeneratorDialog
) -> None:
    _generate(qtbot, dialog, "PS384")
    token = sign_token("{}", '{"a": 1}', dialog.privatePemEdit.toPlainText(), alg="PS384")
    assert token.token is not None
    verdict = inspect_token(token.token, dialog.publicJwkEdit.toPlainText())
    assert verdict.verification.status == "valid", verdict.verification.reason


def test_hmac_secret_has_no_pem_or_public_tabs(qtbot: Any, dialog: KeyGeneratorDialog) -> None:
    key = _generate(qtbot, dialog, "HS384", size=1)
    jwk = json.loads(dialog.privateJwkEdit.toPlainText())
    assert jwk["kty"] == "oct"
    assert len(key.key) == 96
    assert dialog.outputTabs.currentIndex() == 0
    tabs = dialog.outputTabs
    assert [tabs.isTabVisible(i) for i in range(5)] == [True] + [False] * 4
    assert tabs.tabText(0) == "Secret (JWK)"
    assert dialog.privatePemEdit.toPlainText() == ""
    assert "no public half" in dialog.publicPemEdit.placeholderText()


def test_choosing_an_hmac_algorithm_hides_the_public_and_pem_tabs_and_says_why(
    qtbot: Any, dialog: KeyGeneratorDialog
) -> None:
    tabs = dialog.outputTabs
    dialog.algCombo.setCurrentText("RS256")
    assert [tabs.tabText(i) for i in range(5) if tabs.isTabVisible(i)] == [
        "Private JWK",
        "Private PEM",
        "Public JWK",
        "Public PEM",
        "Public JWK Set",
    ]
    assert not dialog.secretNoteLabel.isVisible()

    dialog.algCombo.setCurrentText("HS256")  # before anything is generated
    assert [tabs.tabText(i) for i in range(5) if tabs.isTabVisible(i)] == ["Secret (JWK)"]
    assert dialog.secretNoteLabel.isVisible()
    assert "no public half and no PEM form" in dialog.secretNoteLabel.text()

    dialog.algCombo.setCurrentText("ES256")
    assert all(tabs.isTabVisible(i) for i in range(5))
    assert not dialog.secretNoteLabel.isVisible()


def test_copy_buttons_fill_the_clipboard(qtbot: Any, dialog: KeyGeneratorDialog) -> None:
    key = _generate(qtbot, dialog, "Ed25519")
    clipboard = QGuiApplication.clipboard()
    dialog.copyButtons["Public PEM"].click()
    assert clipboard.text() == key.public_pem
    dialog.copyThumbprintButton.click()
    assert clipboard.text() == key.thumbprint
    dialog.copyButtons["Private JWK"].click()
    assert clipboard.text() == key.private_jwk
    clipboard.clear()


def test_use_as_signing_key_emits_the_private_jwk(qtbot: Any, dialog: KeyGeneratorDialog) -> None:
    assert not dialog.useKeyButton.isEnabled()
    key = _generate(qtbot, dialog, "ES512")
    with qtbot.waitSignal(dialog.signing_key_chosen, timeout=1000) as blocker:
        dialog.useKeyButton.click()
    assert blocker.args == [key.private_jwk, "ES512"]


@pytest.mark.parametrize(("public", "marker"), [(False, '"d"'), (True, None)])
def test_convert_pem_to_jwk_and_back(
    dialog: KeyGeneratorDialog, public: bool, marker: str | None
) -> None:
    key = generate_key("ES384")
    assert key.private_pem is not None
    dialog.modeTabs.setCurrentIndex(1)
    dialog.convertInput.setPlainText(key.private_pem)
    dialog.convertPublicCheck.setChecked(public)
    dialog.toJwkButton.click()
    out = dialog.convertOutput.toPlainText()
    assert json.loads(out)["kid"] == key.thumbprint
    assert (marker in out) if marker else ('"d"' not in out)
    dialog.convertInput.setPlainText(out)
    dialog.convertPublicCheck.setChecked(False)
    dialog.toPemButton.click()
    expected = key.public_pem if public else key.private_pem
    assert dialog.convertOutput.toPlainText() == expected
    assert dialog.convertErrorLabel.isHidden()


def test_convert_errors_are_shown(dialog: KeyGeneratorDialog) -> None:
    dialog.modeTabs.setCurrentIndex(1)
    dialog.convertInput.setPlainText("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
    dialog.toPemButton.click()
    assert dialog.convertErrorLabel.isVisible()
    assert "could not be read" in dialog.convertErrorLabel.text()
    assert dialog.convertOutput.toPlainText() == ""


@pytest.mark.parametrize("button", ["toJwkButton", "toPemButton"])
def test_text_that_is_no_key_is_warned_about_not_made_an_oct_jwk(
    dialog: KeyGeneratorDialog, button: str
) -> None:
    """Issue 12 item 8: "To JWK" turned any word into {"kty": "oct", ...}."""
    dialog.modeTabs.setCurrentIndex(1)
    dialog.convertOutput.setPlainText("left over from before")
    dialog.convertInput.setPlainText("my shared secret")
    getattr(dialog, button).click()
    assert dialog.convertErrorLabel.isVisible()
    assert "This is not a key" in dialog.convertErrorLabel.text()
    assert "my shared secret" not in dialog.convertErrorLabel.text()
    assert dialog.convertOutput.toPlainText() == ""


def test_dialog_grab(qtbot: Any, dialog: KeyGeneratorDialog) -> None:
    assert dialog.objectName() == "keyGeneratorDialog"
    _generate(qtbot, dialog, "RS256")
    image = dialog.grab()
    assert not image.isNull()
    assert image.save("/tmp/keygen_dialog.png")
