"""Encrypted tokens in the window (issue 14 item 4): a nested JWE (RSA-OAEP-256 + A256GCM
around an RS256 JWS) decrypts with the recipient's key in the key box, now titled "Decryption
key"; the banner says so with the inner token's verdict; a second box verifies the inner
token; a wrong key shows no plaintext anywhere."""

from __future__ import annotations

import sys
from functools import cache

import jwt
import pytest
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QPlainTextEdit

from inspector.core.encryption import encrypt_with_key
from inspector.ui.jobs import INNER_TITLE
from inspector.ui.window import InspectorWindow
from tests.core.jwetokens import PASSWORD, key_for, key_text, pem_private
from tests.core.keyfactory import private_pem, public_pem, rsa_key
from tests.ui.conftest import settle

CLAIMS = {"sub": "alice", "iss": "https://idp.example/", "exp": 4_102_444_800}
SECRET = "a-long-enough-secret-for-hs256-tests-0123456789"


@cache
def signer() -> object:
    return rsa_key(2048, 1)


@cache
def recipient() -> object:
    return rsa_key(2048, 0)


def inner_token(key: object | None = None) -> str:
    return jwt.encode(
        CLAIMS, private_pem(key or signer()), algorithm="RS256", headers={"kid": "sig-1"}
    )


def nested_jwe(inner: str | None = None) -> str:
    return encrypt_with_key(
        inner or inner_token(),
        recipient().public_key(),
        alg="RSA-OAEP-256",
        enc="A256GCM",
        header={"cty": "JWT", "kid": "enc-1"},
    )


def headline(window: InspectorWindow) -> str:
    return window.findChild(QLabel, "verificationStatus").text()


def pane(window: InspectorWindow, name: str) -> str:
    return window.findChild(QPlainTextEdit, name).toPlainText()


def titles(window: InspectorWindow) -> list[str]:
    view = window.findChild(QListWidget, "findingsView")
    return [view.item(i).text().split("\n")[0] for i in range(view.count())]


def inner_box(window: InspectorWindow) -> QGroupBox | None:
    return window.findChild(QGroupBox, "innerKeyPanel")


def show(qtbot, window: InspectorWindow, token: str, key: str) -> None:
    window.set_key_text(key, inspect=False)
    window.set_token_text(token)
    settle(qtbot, window)


def set_inner_key(qtbot, window: InspectorWindow, key: str) -> None:
    box = inner_box(window)
    assert box is not None
    box.findChild(QPlainTextEdit, "innerKeyEdit").setPlainText(key)
    settle(qtbot, window)


def test_a_nested_jwe_decrypts_and_its_inner_token_verifies_in_the_second_box(
    qtbot, window: InspectorWindow
) -> None:
    assert inner_box(window) is None  # nothing built before a nested JWE is shown
    show(qtbot, window, nested_jwe(), pem_private(recipient()))
    assert window.key_panel.title() == "Decryption key"
    kind = window.findChild(QLabel, "keyKind").text()
    assert "private key" in kind
    assert "decrypted the token" in kind
    # The inner token's claims fill the payload pane; both headers are in the header pane.
    payload = pane(window, "payloadView")
    assert '"sub": "alice"' in payload
    header = pane(window, "headerView")
    assert header.index('"alg": "RSA-OAEP-256"') < header.index('"alg": "RS256"')
    assert '"kid": "sig-1"' in header
    assert pane(window, "signatureView").startswith("Inner token's signature: RS256")
    # The recipient's private key decrypts; it does not verify the inner token.
    box = inner_box(window)
    assert box is not None
    assert box.isVisible()
    assert headline(window) == (
        "Decrypted (RSA-OAEP-256, A256GCM) \u2013 inner token: Not checked: enter a key"
    )
    assert window.verdict_banner.status == "unchecked"
    assert window.shown.nested.verification.status == "unchecked"
    set_inner_key(qtbot, window, public_pem(signer()))
    assert headline(window) == (
        "Decrypted (RSA-OAEP-256, A256GCM) \u2013 inner token: Signature verified"
    )
    assert window.verdict_banner.status == "valid"
    assert "public key" in box.findChild(QLabel, "innerKeyKind").text()
    request = window.state.result.request.options
    assert request.decryption_key == pem_private(recipient())
    assert request.key == public_pem(signer())
    # The inner token's findings are listed, marked as the inner token's.
    assert any(t.startswith(INNER_TITLE) for t in titles(window))


def test_a_wrong_decryption_key_shows_no_plaintext_anywhere(qtbot, window: InspectorWindow) -> None:
    show(qtbot, window, nested_jwe(), pem_private(rsa_key(2048, 2)))
    assert headline(window) == "Not decrypted (RSA-OAEP-256, A256GCM)"
    assert window.verdict_banner.status == "invalid"
    assert "not the recipient's key" in window.verdict_banner.detail.text()
    assert "did not decrypt" in window.findChild(QLabel, "keyKind").text()
    assert pane(window, "payloadView") == ""
    placeholder = window.findChild(QPlainTextEdit, "payloadView").placeholderText()
    assert "not the recipient's key" in placeholder
    for name in ("headerView", "payloadView", "signatureView"):
        assert "alice" not in pane(window, name)
        assert "RS256" not in pane(window, name)
    assert not any(t.startswith(INNER_TITLE) for t in titles(window))


def test_forging_the_inner_token_fails_inside_a_good_encryption(
    qtbot, window: InspectorWindow
) -> None:
    """Signed by another key and encrypted to the right recipient: the decryption succeeds,
    the issuer's key must still call the inner signature invalid."""
    forged = nested_jwe(inner_token(rsa_key(2048, 3)))
    show(qtbot, window, forged, pem_private(recipient()))
    set_inner_key(qtbot, window, public_pem(signer()))
    assert headline(window).startswith("Decrypted (RSA-OAEP-256, A256GCM) \u2013 inner token: ")
    assert "Signature verified" not in headline(window)
    assert window.shown.nested.verification.status == "invalid"
    assert window.verdict_banner.status == "invalid"


def test_the_recipient_key_never_verifies_the_inner_token_once_split(
    qtbot, window: InspectorWindow
) -> None:
    """An inner token signed with the recipient's own key: with the inner box empty it is not
    checked, though the key box holds a key that would verify it."""
    own = jwt.encode(CLAIMS, private_pem(recipient()), algorithm="RS256")
    show(qtbot, window, nested_jwe(own), pem_private(recipient()))
    assert window.shown.nested.verification.status == "unchecked"
    assert "Signature verified" not in headline(window)


def test_a_plain_jws_after_a_nested_jwe_is_verified_with_the_key_box(
    qtbot, window: InspectorWindow
) -> None:
    show(qtbot, window, nested_jwe(), pem_private(recipient()))
    set_inner_key(qtbot, window, "some inner key text that is not the secret")
    show(qtbot, window, jwt.encode({"sub": "bob"}, SECRET, algorithm="HS256"), SECRET)
    assert window.key_panel.title() == "Verify signature"
    assert inner_box(window).isHidden()
    assert headline(window) == "Signature verified"
    assert window.state.result.request.options.decryption_key is None


@pytest.mark.parametrize(
    ("alg", "enc", "colour_headline"),
    [
        ("RSA-OAEP", "A128CBC-HS256", "Decrypted (RSA-OAEP, A128CBC-HS256)"),
        ("A256KW", "A256GCM", "Decrypted (A256KW, A256GCM)"),
        ("PBES2-HS256+A128KW", "A128GCM", "Decrypted (PBES2-HS256+A128KW, A128GCM)"),
    ],
)
def test_an_encrypted_payload_without_a_token_inside(
    qtbot, window: InspectorWindow, alg: str, enc: str, colour_headline: str
) -> None:
    key = key_for(alg, enc)
    token = encrypt_with_key(b'{"sub": "carol"}', key, alg=alg, enc=enc)
    show(qtbot, window, token, PASSWORD if key == PASSWORD.encode() else key_text(key))
    assert headline(window) == colour_headline
    assert '"sub": "carol"' in pane(window, "payloadView")
    assert inner_box(window) is None or inner_box(window).isHidden()
    detail = window.verdict_banner.detail.text()
    if alg.startswith("RSA"):
        assert "not signed" in detail  # anyone with the public key could have made it
        assert window.verdict_banner.status == "unchecked"
    else:
        assert window.verdict_banner.status == "valid"


def test_the_decryption_module_is_not_loaded_before_setup() -> None:
    """Nothing new before the first frame: the window's first frame imports only what it
    imported before (the module is loaded by finish_setup)."""
    import os
    import subprocess

    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from inspector.ui.window import InspectorWindow\n"
        "w = InspectorWindow(theme='light')\n"
        "print('before', 'inspector.ui.decryption_panel' in sys.modules)\n"
        "w.finish_setup()\n"
        "print('after', 'inspector.ui.decryption_panel' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert "before False" in out.stdout, out.stdout + out.stderr
    assert "after True" in out.stdout, out.stdout + out.stderr


def test_an_empty_key_box_with_an_inner_key_settles_and_is_not_dimmed(
    qtbot, window: InspectorWindow
) -> None:
    """Split keys with the decryption key box emptied: the window still settles (its
    is-settled check reads the box's key from the decryption key, even when that is "")."""
    show(qtbot, window, nested_jwe(), pem_private(recipient()))
    set_inner_key(qtbot, window, public_pem(signer()))
    window.set_key_text("")
    settle(qtbot, window)
    assert not window.is_stale()
    assert headline(window) == "Not decrypted: enter the recipient's key"
    assert pane(window, "payloadView") == ""
