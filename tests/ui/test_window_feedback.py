"""What the window tells a new user: the example secret leaving with the example token, the
key that verifies a token just signed, dimmed out-of-date panes, the empty state, the finding
explained first, and verdicts for input that no key can check. Driven as a user would."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from inspector.ui.edit_panel import install_signing_tools
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle

SECRET = "a-long-enough-secret-for-hs256-tests-0123456789"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def rs256(key: rsa.RSAPrivateKey, claims: dict | None = None) -> str:
    return jwt.encode(claims or {"sub": "alice", "exp": 4_102_444_800}, key, algorithm="RS256")


def status(window: InspectorWindow) -> str:
    return window.findChild(QLabel, "verificationStatus").text()


def detail(window: InspectorWindow) -> QLabel:
    return window.findChild(QLabel, "verdictDetail")


def key_box(window: InspectorWindow) -> QPlainTextEdit:
    return window.findChild(QPlainTextEdit, "keyEdit")


def findings(window: InspectorWindow) -> QListWidget:
    return window.findChild(QListWidget, "findingsView")


def paste_token(qtbot, window: InspectorWindow, token: str) -> None:
    """Select all in the token editor and paste from the clipboard, as a user would."""
    QApplication.clipboard().setText(token)
    window.token_edit.setFocus()
    window.token_edit.selectAll()
    qtbot.keySequence(window.token_edit, QKeySequence.StandardKey.Paste)
    settle(qtbot, window)


def type_key(qtbot, window: InspectorWindow, key: str) -> None:
    key_box(window).clear()
    qtbot.keyClicks(key_box(window), key)
    settle(qtbot, window)


# ---------------------------------------------------------------- 1. the example's secret


def test_pasting_an_own_token_clears_the_untouched_example_secret(
    qtbot, window: InspectorWindow, rsa_key
) -> None:
    assert key_box(window).toPlainText() == EXAMPLE_SECRET
    paste_token(qtbot, window, rs256(rsa_key))
    # Not a red "Invalid signature" for a valid token: the example key simply went away.
    assert status(window) == "Not checked: enter a key"
    assert key_box(window).toPlainText() == ""
    assert window.findChild(QLabel, "keyKind").text() == "No key entered"


@pytest.mark.parametrize("how", ["typed", "set_token_text", "open file", "clipboard bar"])
def test_every_way_of_replacing_the_example_clears_its_secret(
    qtbot, window: InspectorWindow, how: str, tmp_path
) -> None:
    token = jwt.encode({"sub": "mine"}, SECRET, algorithm="HS256")
    if how == "typed":
        window.token_edit.clear()
        qtbot.keyClicks(window.token_edit, token)
    elif how == "set_token_text":
        window.set_token_text(token)
    elif how == "open file":
        path = tmp_path / "token.txt"
        path.write_text(token)
        window.open_token_file(str(path))
    else:
        QApplication.clipboard().setText(token)
        assert window.check_clipboard()
        window.findChild(QPushButton, "clipboardInspectButton").click()
    settle(qtbot, window)
    assert window.token_text() == token
    assert key_box(window).toPlainText() == ""
    assert status(window) == "Not checked: enter a key"


def test_a_key_the_user_typed_is_never_cleared(qtbot, window: InspectorWindow, rsa_key) -> None:
    type_key(qtbot, window, SECRET)
    paste_token(qtbot, window, jwt.encode({"sub": "1"}, SECRET, algorithm="HS256"))
    assert key_box(window).toPlainText() == SECRET
    assert status(window) == "Signature verified"
    paste_token(qtbot, window, rs256(rsa_key))
    assert key_box(window).toPlainText() == SECRET


def test_tampering_with_the_example_keeps_its_secret_and_shows_the_broken_signature(
    qtbot, window: InspectorWindow
) -> None:
    head, _payload, sig = EXAMPLE_TOKEN.split(".")
    claims = {"sub": "1234567890", "name": "Ada Lovelace", "role": "superuser"}
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    window.set_token_text(f"{head}.{forged}.{sig}")
    settle(qtbot, window)
    assert key_box(window).toPlainText() == EXAMPLE_SECRET
    assert status(window) == "Invalid signature"


# ---------------------------------------------------------------- 2. signing in the dock


def _open_dock(qtbot, window: InspectorWindow):
    panel, _dialog = install_signing_tools(window)
    action = window.findChild(QAction, "editModeAction")
    action.trigger()
    dock = window.findChild(QDockWidget, "editPanelDock")
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    return panel, dock


def test_signing_with_a_private_key_puts_its_public_half_in_the_key_box(
    qtbot, window: InspectorWindow, rsa_key
) -> None:
    panel, _dock = _open_dock(qtbot, window)
    pem = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    panel.signingKeyEdit.setPlainText(pem)
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("RS256"))
    panel.signButton.click()
    settle(qtbot, window)
    # Signed from the example's claims, which do not expire.
    assert status(window) == "Signature verified"
    key_text = key_box(window).toPlainText()
    assert "BEGIN PUBLIC KEY" in key_text
    assert "PRIVATE" not in key_text
    public = serialization.load_pem_public_key(key_text.encode())
    assert public.public_numbers() == rsa_key.public_key().public_numbers()


def test_signing_with_a_hex_secret_puts_the_secret_and_its_encoding_in_the_key_box(
    qtbot, window: InspectorWindow
) -> None:
    panel, _dock = _open_dock(qtbot, window)
    secret_hex = bytes(range(32)).hex()
    panel.signingKeyEdit.setPlainText(secret_hex)
    panel.secretEncodingCombo.setCurrentText("hex")
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("HS256"))
    panel.signButton.click()
    settle(qtbot, window)
    # Signed from the example's claims, which do not expire.
    assert status(window) == "Signature verified"
    assert key_box(window).toPlainText() == secret_hex
    assert window.findChild(QComboBox, "secretEncoding").currentText() == "hex"


# ---------------------------------------------------------------- 3. out-of-date panes


def test_panes_are_dimmed_while_they_show_the_previous_token(
    qtbot, window: InspectorWindow
) -> None:
    big = jwt.encode({"sub": "big", "blob": "x" * 300_000}, SECRET, algorithm="HS256")
    window.set_token_text(big)
    # Until the new result arrives, the old one is visibly out of date.
    assert window.is_stale()
    assert status(window) == "Inspecting…"
    assert "previous input" in detail(window).text()
    window.apply_theme_choice("dark")  # re-coloured while waiting: still out of date
    assert status(window) == "Inspecting…"
    for name in ("headerView", "payloadView", "signatureView", "findingsView"):
        assert not window.findChild(QWidget, name).isEnabled(), name
    assert '"name": "Ada Lovelace"' in window.payload_view.toPlainText()  # the old payload

    settle(qtbot, window)
    assert not window.is_stale()
    assert status(window) == "Not checked: enter a key"
    assert window.payload_view.isEnabled()
    assert window.findings_view.isEnabled()
    assert '"sub": "big"' in window.payload_view.toPlainText()


def test_a_slow_answer_to_a_small_change_dims_the_panes_too(qtbot, window: InspectorWindow) -> None:
    # Hold the answer back: the runner reports nothing until released.
    held: list[object] = []
    window.runner.inspected.disconnect(window._on_runner_inspected)
    window.runner.inspected.connect(held.append)
    type_key_no_wait = key_box(window)
    type_key_no_wait.setPlainText("another-secret-that-is-long-enough-0123456789")
    assert not window.is_stale()  # no flicker for answers that come quickly
    qtbot.waitUntil(window.is_stale, timeout=5000)
    assert status(window) == "Inspecting…"
    qtbot.waitUntil(lambda: bool(held), timeout=5000)
    window.runner.inspected.disconnect(held.append)
    window.runner.inspected.connect(window._on_runner_inspected)
    window._on_runner_inspected(held[-1])
    assert not window.is_stale()
    assert status(window) == "Invalid signature"


# ---------------------------------------------------------------- 4. empty editor


def test_an_empty_editor_is_a_calm_empty_state(qtbot, window: InspectorWindow) -> None:
    window.token_edit.setFocus()
    window.token_edit.selectAll()
    qtbot.keyClick(window.token_edit, Qt.Key.Key_Delete)
    settle(qtbot, window)
    summary = window.findChild(QLabel, "findingsSummary")
    assert summary.text() == "Paste a token…"
    assert findings(window).count() == 0
    shown_colour = summary.palette().color(QPalette.ColorRole.WindowText).name()
    assert shown_colour == window.theme["muted"]
    assert status(window) == "Not checked: no token"
    assert window.payload_view.toPlainText() == ""
    assert window.header_view.toPlainText() == ""
    assert "Paste a token" in window.finding_detail.toPlainText()

    window.apply_theme_choice("dark")  # re-shown in the other theme: still calm
    assert summary.text() == "Paste a token…"
    assert "Paste a token" in window.finding_detail.toPlainText()


# ---------------------------------------------------------------- 5. the finding explained


def test_a_new_token_explains_its_most_severe_finding(qtbot, window: InspectorWindow) -> None:
    view = findings(window)
    assert view.count() >= 2
    view.setCurrentRow(view.count() - 1)  # the user reads the last, least severe one
    kept = view.currentItem().text()
    window.inspect_now()  # the same token again (the clock ticked): the choice stays
    settle(qtbot, window)
    assert view.currentItem().text() == kept

    token = jwt.encode({"sub": "no expiry"}, SECRET, algorithm="HS256")
    paste_token(qtbot, window, token)
    assert view.currentRow() == 0
    first_title = view.item(0).text().split("\n")[0]
    assert window.finding_detail.toPlainText().startswith(first_title)


# ---------------------------------------------------------------- 6. nothing a key could check


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_an_encrypted_token_says_why_it_is_not_checked(qtbot, window: InspectorWindow) -> None:
    header = _b64(json.dumps({"alg": "RSA-OAEP", "enc": "A256GCM"}).encode())
    jwe = ".".join([header, _b64(b"k" * 256), _b64(b"i" * 12), _b64(b"c" * 40), _b64(b"t" * 16)])
    window.set_token_text(jwe)
    settle(qtbot, window)
    # Issue 14: a JWE is decrypted, not verified; without a key it says which key it needs.
    assert status(window) == "Not decrypted: enter the recipient's key"
    assert "recipient's key" in detail(window).toolTip() + detail(window).text()
    assert window.key_panel.title() == "Decryption key"


def test_text_without_a_token_says_no_token(qtbot, window: InspectorWindow) -> None:
    window.set_token_text("hello, this is not a token")
    settle(qtbot, window)
    assert status(window) == "Not checked: no token"


# ---------------------------------------------------------------- 7. the Edit and sign dock


def test_edit_dock_opens_at_a_modest_height_with_the_cursor_in_the_payload(
    qtbot, window: InspectorWindow
) -> None:
    window.activateWindow()
    panel, dock = _open_dock(qtbot, window)
    qtbot.waitUntil(lambda: 0 < dock.height() <= window.height() * 0.45, timeout=5000)
    # The layout settles over a few events after the dock is resized.
    qtbot.waitUntil(
        lambda: findings(window).height() >= 3 * findings(window).sizeHintForRow(0), timeout=5000
    )
    qtbot.waitUntil(panel.payloadEdit.hasFocus, timeout=5000)

    main_combo = window.findChild(QComboBox, "secretEncoding")
    main_labels = [main_combo.itemText(i) for i in range(main_combo.count())]
    dock_labels = [
        panel.secretEncodingCombo.itemText(i) for i in range(panel.secretEncodingCombo.count())
    ]
    assert dock_labels == main_labels == ["UTF-8", "base64", "base64url", "hex"]

    edit = panel.timeSpecEdit
    shown = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    assert shown <= edit.width() - 8, "the time placeholder is cut"


# ---------------------------------------------------------------- 9. long kid in the banner


def test_a_long_kid_is_not_broken_mid_word_and_is_whole_in_the_tooltip(
    qtbot, window: InspectorWindow
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    kid = "mmRPNgI-K_iiesv1bh9PSPJKXsFdznKG2Y1fCQkRIo4"
    jwk = {**json.loads(ECAlgorithm.to_jwk(key.public_key())), "kid": kid, "alg": "ES256"}
    token = jwt.encode({"sub": "7"}, key, algorithm="ES256", headers={"kid": kid})
    window.set_token_text(token)
    window.set_key_text(json.dumps({"keys": [jwk]}))
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    label = detail(window)
    assert kid not in label.text()  # too long for a line: elided in the middle...
    assert "mmRPNgI\u2011K_ii…" in label.text()  # ...and its hyphen does not break the line
    assert kid in label.toolTip()  # the whole kid, for whoever needs it
    assert kid in window.findChild(QLabel, "keyKind").toolTip()


def test_a_key_that_does_not_fit_is_not_called_a_bad_signature(
    qtbot, window: InspectorWindow
) -> None:
    """An EC key for an HS256 token: nothing was compared, so the banner says the key does
    not fit, never that the signature is bad."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    window.set_key_text(pem.decode())
    settle(qtbot, window)
    assert status(window) == "Invalid: this key does not fit the token"
    findings = window.findChild(QListWidget, "findingsView")
    titles = [findings.item(i).text() for i in range(findings.count())]
    assert not any("Signature does not verify" in t for t in titles)


def _hs256_forged_with(secret: bytes, claims: dict) -> str:
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    sig = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


def test_a_leftover_public_key_is_a_misfit_for_a_new_hs256_token_not_an_attack(
    qtbot, window: InspectorWindow, rsa_key
) -> None:
    """Issue 12 item 2: verify an RS256 token with its PEM, then paste an HS256 token: the
    PEM left in the key box does not fit it; no critical "algorithm confusion" finding."""
    pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    paste_token(qtbot, window, rs256(rsa_key))
    window.set_key_text(pem.decode())  # keyClicks cannot type a line break
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    paste_token(qtbot, window, jwt.encode({"sub": "bob"}, SECRET, algorithm="HS256"))
    assert status(window) == "Invalid: this key does not fit the token"
    assert "cannot check an HS256 token" in detail(window).text()
    titles = [findings(window).item(i).text() for i in range(findings(window).count())]
    assert not any("Critical" in t for t in titles), titles
    assert window.inspection is not None
    ids = {f.id for f in window.inspection.findings}
    assert "key-confusion" not in ids


def test_an_hs256_token_forged_with_the_public_key_text_is_called_forged(
    qtbot, window: InspectorWindow, rsa_key
) -> None:
    """The attack itself (CVE-2016-10555): HS256 signed with the PEM text as the secret."""
    pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    paste_token(qtbot, window, _hs256_forged_with(pem, {"sub": "mallory", "admin": True}))
    window.set_key_text(pem.decode())
    settle(qtbot, window)
    # The headline follows the outcome: nothing was compared with the key, so not "Invalid
    # signature" but what it is (the same words the CLI prints: inspector.presentation).
    assert status(window) == "Invalid: forged with the public key"
    assert "forged with the public key" in detail(window).text()
    titles = [findings(window).item(i).text() for i in range(findings(window).count())]
    assert any("Critical" in t for t in titles), titles
    assert window.inspection is not None
    assert window.inspection.verification.status == "invalid"
    assert "key-confusion" in {f.id for f in window.inspection.findings}


# ------------------------------------------------- key files: the one key-file reader


def test_a_binary_der_key_file_opens_and_verifies(
    qtbot, window: InspectorWindow, rsa_key, tmp_path
):
    """'Open key file...' reads through inspector.keysource, as the CLI does: a DER public key
    (binary) used to arrive as U+FFFD soup and never verify."""
    der = rsa_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path = tmp_path / "public.der"
    path.write_bytes(der)
    paste_token(qtbot, window, rs256(rsa_key))
    window.open_key_file(str(path))
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    assert base64.b64decode(key_box(window).toPlainText()) == der


def test_a_raw_secret_file_opens_as_hex_and_verifies(qtbot, window: InspectorWindow, tmp_path):
    secret = bytes(range(256))[::7] + b"\xff\xfe\x00" * 4  # not UTF-8, not DER
    path = tmp_path / "secret.bin"
    path.write_bytes(secret)
    paste_token(qtbot, window, jwt.encode({"sub": "alice"}, secret, algorithm="HS256"))
    window.open_key_file(str(path))
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    assert window.findChild(QComboBox, "secretEncoding").currentText().lower() == "hex"
    assert bytes.fromhex(key_box(window).toPlainText()) == secret


def test_a_pem_key_file_with_a_byte_order_mark_verifies(
    qtbot, window: InspectorWindow, rsa_key, tmp_path
):
    pem = rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path = tmp_path / "public.pem"
    path.write_bytes(b"\xef\xbb\xbf" + pem)
    paste_token(qtbot, window, rs256(rsa_key))
    window.open_key_file(str(path))
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    assert not key_box(window).toPlainText().startswith("\ufeff")


def test_a_key_file_that_cannot_be_read_says_so_and_keeps_the_key(
    qtbot, window: InspectorWindow, tmp_path
):
    before = key_box(window).toPlainText()
    window.open_key_file(str(tmp_path))  # a directory
    assert "Could not read the key file" in window.statusBar().currentMessage()
    assert "directory" in window.statusBar().currentMessage()
    assert key_box(window).toPlainText() == before
