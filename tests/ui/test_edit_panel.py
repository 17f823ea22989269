"""The edit panel: type JSON, pick an algorithm, click Sign, get a token that verifies."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDockWidget

from inspector.core.inspection import inspect_token
from inspector.core.keygen import GeneratedKey, generate_key
from inspector.core.parsing import parse_token
from inspector.ui.edit_panel import EditPanel, install_signing_tools
from inspector.ui.keygen_dialog import KeyGeneratorDialog
from tests.ui.conftest import settle

NOW = 1_700_000_000
SECRET = "a-strong-secret-that-is-long-enough-for-HS256!"


@pytest.fixture
def panel(qtbot: Any) -> EditPanel:
    widget = EditPanel(clock=lambda: NOW + 0.25, open_generator_itself=False)
    qtbot.addWidget(widget)
    widget.resize(760, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture(scope="module")
def es256() -> GeneratedKey:
    return generate_key("ES256")


def _type(qtbot: Any, edit: Any, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def _sign(qtbot: Any, panel: EditPanel) -> str:
    with qtbot.waitSignal(panel.token_signed, timeout=5000) as blocker:
        qtbot.mouseClick(panel.signButton, Qt.MouseButton.LeftButton)
    return str(blocker.args[0])


def _verify(token: str, public_jwk: str, alg: str) -> dict[str, Any]:
    obj = jwcrypto_jws.JWS()
    obj.deserialize(token)
    obj.allowed_algs = [alg]
    obj.verify(jwcrypto_jwk.JWK.from_json(public_jwk))
    return json.loads(obj.payload)


def test_type_pick_alg_sign(qtbot: Any, panel: EditPanel, es256: GeneratedKey) -> None:
    _type(qtbot, panel.headerEdit, '{"typ": "JWT"}')
    _type(qtbot, panel.payloadEdit, '{"sub": "alice", "role": "admin"}')
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("ES256"))
    panel.signingKeyEdit.setPlainText(es256.private_pem or "")
    token = _sign(qtbot, panel)
    assert es256.public_jwk is not None
    assert _verify(token, es256.public_jwk, "ES256") == {"sub": "alice", "role": "admin"}
    inspection = inspect_token(token, es256.public_pem, now=NOW)
    assert inspection.verification.status == "valid", inspection.verification.reason
    assert panel.errorLabel.isHidden()
    assert panel.noteLabel.isVisible()
    assert panel.noteLabel.text().startswith("Signed with ES256.")


def test_secret_with_auto_alg_uses_the_header(qtbot: Any, panel: EditPanel) -> None:
    panel.load('{"alg": "HS512"}', '{"n": 1}')
    qtbot.keyClicks(panel.signingKeyEdit, SECRET)
    token = _sign(qtbot, panel)
    assert parse_token(token).alg == "HS512"
    assert inspect_token(token, SECRET).verification.status == "valid"


def test_secret_encoding_combo_is_used(qtbot: Any, panel: EditPanel) -> None:
    panel.load("{}", "{}")
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("HS256"))
    panel.signingKeyEdit.setPlainText("00" * 32)
    panel.secretEncodingCombo.setCurrentText("hex")
    token = _sign(qtbot, panel)
    assert inspect_token(token, "00" * 32, secret_encoding="hex").verification.status == "valid"


def test_bad_json_shows_what_and_where_and_moves_the_cursor(qtbot: Any, panel: EditPanel) -> None:
    panel.load('{"alg": "HS256"}', '{\n  "sub": "x",\n  "sub": "y"\n}')
    panel.signingKeyEdit.setPlainText(SECRET)
    with qtbot.assertNotEmitted(panel.token_signed):
        qtbot.mouseClick(panel.signButton, Qt.MouseButton.LeftButton)
    assert panel.errorLabel.isVisible()
    text = panel.errorLabel.text()
    assert text.startswith("Cannot sign:")
    assert "'sub' a second time at line 3, column 3" in text
    cursor = panel.payloadEdit.textCursor()
    assert cursor.blockNumber() == 2
    assert cursor.selectedText() == '"'
    assert cursor.selectionStart() - cursor.block().position() == 2


def test_each_problem_is_listed(qtbot: Any, panel: EditPanel) -> None:
    panel.load('{"alg": ', "[]")
    with qtbot.assertNotEmitted(panel.token_signed):
        panel.signButton.click()
    text = panel.errorLabel.text()
    assert "The header is not valid JSON" in text
    assert "The payload must be a JSON object" in text


def test_alg_none_in_the_header_is_refused_without_the_checkbox(
    qtbot: Any, panel: EditPanel
) -> None:
    panel.load('{"alg": "none"}', "{}")
    with qtbot.assertNotEmitted(panel.token_signed):
        panel.signButton.click()
    assert "only made when asked for explicitly" in panel.errorLabel.text()


def test_unsecured_checkbox_is_marked_as_an_attack_tool(qtbot: Any, panel: EditPanel) -> None:
    check = panel.unsecuredCheck
    assert "ATTACK TOOL" in check.text()
    assert "alg: none" in check.text()
    assert "font-weight: 700" in check.styleSheet()
    assert "color:" in check.styleSheet()
    assert not check.isChecked()
    check.click()
    assert not panel.signingKeyEdit.isEnabled()
    assert not panel.algCombo.isEnabled()
    assert panel.signButton.text() == "Make unsecured token"
    panel.load('{"typ": "JWT"}', '{"admin": true}')
    token = _sign(qtbot, panel)
    assert token.endswith(".")
    parsed = parse_token(token)
    assert parsed.format == "unsecured"
    assert parsed.unverified_header == {"alg": "none", "typ": "JWT"}
    check.click()
    assert panel.signingKeyEdit.isEnabled()
    assert panel.signButton.text() == "Sign"


def test_time_presets_use_the_injected_clock(qtbot: Any, panel: EditPanel) -> None:
    panel.load("{}", '{"sub": "x"}')
    hour = next(b for b in panel.expPresetButtons if b.text() == "exp +1h")
    qtbot.mouseClick(hour, Qt.MouseButton.LeftButton)
    assert json.loads(panel.payloadEdit.toPlainText()) == {
        "sub": "x",
        "exp": NOW + 3600,
        "iat": NOW,
    }
    qtbot.mouseClick(panel.nbfNowButton, Qt.MouseButton.LeftButton)
    assert json.loads(panel.payloadEdit.toPlainText())["nbf"] == NOW
    panel.timeClaimCombo.setCurrentText("exp")
    qtbot.keyClicks(panel.timeSpecEdit, "-5m")
    qtbot.mouseClick(panel.setTimeButton, Qt.MouseButton.LeftButton)
    assert json.loads(panel.payloadEdit.toPlainText())["exp"] == NOW - 300
    labels = [b.text() for b in panel.expPresetButtons]
    assert labels == ["exp +15m", "exp +1h", "exp +1d"]


def test_bad_custom_time_is_shown(qtbot: Any, panel: EditPanel) -> None:
    before = panel.payloadEdit.toPlainText()
    qtbot.keyClicks(panel.timeSpecEdit, "tomorrow")
    qtbot.keyClick(panel.timeSpecEdit, Qt.Key.Key_Return)
    assert "'exp': 'tomorrow' is not a time" in panel.errorLabel.text()
    assert panel.payloadEdit.toPlainText() == before


def test_key_errors_are_shown(qtbot: Any, panel: EditPanel, es256: GeneratedKey) -> None:
    panel.load("{}", "{}")
    panel.signingKeyEdit.setPlainText(es256.public_pem or "")
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("ES256"))
    with qtbot.assertNotEmitted(panel.token_signed):
        panel.signButton.click()
    assert "signing needs the private key" in panel.errorLabel.text()


def test_set_signing_key_from_the_generator(qtbot: Any, panel: EditPanel) -> None:
    dialog = KeyGeneratorDialog(panel)
    qtbot.addWidget(dialog)
    dialog.signing_key_chosen.connect(panel.set_signing_key)
    dialog.algCombo.setCurrentText("Ed448")
    with qtbot.waitSignal(dialog.key_generated, timeout=10000):
        dialog.generateButton.click()
    dialog.useKeyButton.click()
    assert panel.algCombo.currentData() == "Ed448"
    key = dialog.key
    assert key is not None
    assert panel.signingKeyEdit.toPlainText() == key.private_jwk
    panel.load("{}", '{"sub": "x"}')
    token = _sign(qtbot, panel)
    assert parse_token(token).unverified_header == {"alg": "Ed448", "kid": key.thumbprint}
    assert key.public_jwk is not None
    assert inspect_token(token, key.public_jwk).verification.status == "valid"


def test_generate_button_asks_for_the_generator(qtbot: Any, panel: EditPanel) -> None:
    with qtbot.waitSignal(panel.key_generator_requested, timeout=1000):
        panel.generateKeyButton.click()


def test_generate_button_can_open_the_dialog_itself(qtbot: Any) -> None:
    widget = EditPanel()
    qtbot.addWidget(widget)
    widget.show()
    widget.generateKeyButton.click()
    dialogs = widget.findChildren(KeyGeneratorDialog)
    assert len(dialogs) == 1
    assert dialogs[0].isVisible()
    dialogs[0].close()


def test_panel_has_its_object_names_and_grabs(qtbot: Any, panel: EditPanel) -> None:
    assert panel.objectName() == "editPanel"
    for name in ("headerEdit", "payloadEdit", "signingKeyEdit", "algCombo", "signButton"):
        assert getattr(panel, name).objectName() == name
    assert panel.algCombo.itemText(0).startswith("Auto")
    assert panel.algCombo.findData("Ed448") > 0
    panel.signingKeyEdit.setPlainText("x")
    panel.load("{", "{}")
    panel.signButton.click()
    image = panel.grab()
    assert not image.isNull()
    assert image.save("/tmp/edit_panel.png")


def test_start_from_current_token_needs_one(qtbot: Any, panel: EditPanel) -> None:
    with qtbot.waitSignal(panel.current_token_requested, timeout=1000):
        panel.fromTokenButton.click()
    panel.load_inspection(None)
    assert "no decoded token" in panel.errorLabel.text()
    panel.load_inspection(inspect_token("not a token"))
    assert "no decoded token" in panel.errorLabel.text()


def test_installed_in_the_real_window(qtbot: Any, window: Any) -> None:
    """install_signing_tools against the lead's InspectorWindow (tests/ui/conftest.py)."""
    panel, dialog = install_signing_tools(window)
    inspection = window.inspection
    assert inspection is not None
    panel.fromTokenButton.click()
    assert json.loads(panel.headerEdit.toPlainText()) == inspection.parsed.unverified_header
    assert json.loads(panel.payloadEdit.toPlainText()) == inspection.parsed.unverified_payload
    actions = {a.objectName(): a for a in window.tools_menu.actions()}
    assert "keyGeneratorAction" in actions
    dock_action = actions["editModeAction"]
    assert dock_action.shortcut().toString() == "Ctrl+E"
    assert not panel.isVisible()
    dock_action.trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    actions["keyGeneratorAction"].trigger()
    assert dialog.isVisible()
    dialog.algCombo.setCurrentText("ES384")
    with qtbot.waitSignal(dialog.key_generated, timeout=10000):
        dialog.generateButton.click()
    dialog.useKeyButton.click()
    dialog.close()
    panel.load('{"typ": "JWT"}', '{"sub": "signed-here"}')
    token = _sign(qtbot, panel)
    assert window.token_text() == token
    key = dialog.key
    assert key is not None
    assert key.public_jwk is not None
    window.set_key_text(key.public_jwk)
    settle(qtbot, window)
    shown = window.inspection
    assert shown is not None
    assert shown.parsed.unverified_payload == {"sub": "signed-here"}
    assert shown.verification.status == "valid", shown.verification.reason


def test_attack_tool_colour_follows_a_dark_palette(panel: EditPanel) -> None:
    light = panel.unsecuredCheck.styleSheet()
    palette = panel.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#17181b"))
    panel.setPalette(palette)
    dark = panel.unsecuredCheck.styleSheet()
    assert "#cf222e" in light
    assert "#ff7b72" in dark
    assert "font-weight: 700" in dark


def test_edit_mode_starts_from_the_token_on_screen(qtbot: Any, window: Any) -> None:
    """Ctrl+E opens the edit panel holding the inspected token's header and payload; edits
    under way are kept when it is closed and opened again."""
    panel, _dialog = install_signing_tools(window)
    action = {a.objectName(): a for a in window.tools_menu.actions()}["editModeAction"]
    action.trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    shown = window.inspection
    assert json.loads(panel.headerEdit.toPlainText()) == shown.parsed.unverified_header
    assert json.loads(panel.payloadEdit.toPlainText()) == shown.parsed.unverified_payload
    panel.payloadEdit.setPlainText('{"sub": "edited"}')
    window.findChild(QDockWidget, "editPanelDock").close()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    action.trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    assert panel.payloadEdit.toPlainText() == '{"sub": "edited"}'


def test_header_editor_shows_the_header_that_was_signed(
    qtbot: Any, panel: EditPanel, es256: GeneratedKey
) -> None:
    panel.load('{"alg": "HS256", "typ": "JWT"}', '{"sub": "a"}')
    panel.set_signing_key(es256.private_pem)
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("ES256"))
    token = _sign(qtbot, panel)
    header = json.loads(panel.headerEdit.toPlainText())
    assert header["alg"] == "ES256"
    first = token.split(".")[0]
    assert header == json.loads(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))


# ---------------------------------------------------------------- which alg, and why


def test_auto_says_it_uses_the_headers_alg_and_follows_edits(qtbot: Any, panel: EditPanel) -> None:
    panel.load('{"alg": "HS512"}', "{}")
    panel.update_alg_note()
    assert panel.algCombo.currentData() is None
    assert panel.algNoteLabel.text() == "Auto: HS512, the header's alg."
    panel.headerEdit.setPlainText('{"alg": "HS384"}')  # debounced: said shortly after
    qtbot.waitUntil(lambda: panel.algNoteLabel.text() == "Auto: HS384, the header's alg.")
    panel.headerEdit.setPlainText('{"alg": ')
    qtbot.waitUntil(lambda: "once the header is valid JSON" in panel.algNoteLabel.text())


def test_auto_never_changes_the_headers_alg(
    qtbot: Any, panel: EditPanel, es256: GeneratedKey
) -> None:
    """An HS256 header and an EC key: Auto keeps HS256 and Sign says the key does not fit,
    rather than signing ES256 behind the user's back."""
    panel.load('{"alg": "HS256"}', '{"sub": "x"}')
    panel.signingKeyEdit.setPlainText(es256.private_pem or "")
    panel.update_alg_note()
    assert panel.algNoteLabel.text() == "Auto: HS256, the header's alg."
    with qtbot.assertNotEmitted(panel.token_signed):
        panel.signButton.click()
    assert "HS256 needs a shared secret" in panel.errorLabel.text()
    assert json.loads(panel.headerEdit.toPlainText()) == {"alg": "HS256"}


def test_auto_says_what_it_chose_for_a_header_without_alg(
    qtbot: Any, panel: EditPanel, es256: GeneratedKey
) -> None:
    panel.load('{"typ": "JWT"}', '{"sub": "x"}')
    panel.update_alg_note()
    assert "the header has no alg; one that fits the key" in panel.algNoteLabel.text()
    panel.signingKeyEdit.setPlainText(es256.private_pem or "")
    panel.update_alg_note()
    note = panel.algNoteLabel.text()
    assert note.startswith("Auto: ES256, which fits the key (")
    assert note.endswith("so ES256 is written into it.")
    token = _sign(qtbot, panel)
    assert parse_token(token).alg == "ES256"
    assert "alg ES256 chosen to fit the key" in panel.noteLabel.text()
    assert json.loads(panel.headerEdit.toPlainText())["alg"] == "ES256"


def test_an_algorithm_chosen_in_the_list_says_it_replaces_the_headers(
    qtbot: Any, panel: EditPanel, es256: GeneratedKey
) -> None:
    panel.load('{"alg": "HS256", "typ": "JWT"}', '{"sub": "x"}')
    panel.signingKeyEdit.setPlainText(es256.private_pem or "")
    index = panel.algCombo.findData("ES256")
    panel.algCombo.setCurrentIndex(index)
    panel.algCombo.activated.emit(index)  # what a user's pick sends
    assert panel.algNoteLabel.text() == (
        "ES256, chosen in the list: it replaces the header's alg 'HS256'."
    )
    _sign(qtbot, panel)
    panel.update_alg_note()
    assert panel.algNoteLabel.text() == "ES256, chosen in the list."


def test_use_as_signing_key_sets_the_alg_and_says_so(qtbot: Any, panel: EditPanel) -> None:
    key = generate_key("ES384")
    panel.load('{"alg": "HS256", "typ": "JWT"}', '{"sub": "x"}')
    panel.set_signing_key(key.private_jwk or "", "ES384")
    assert panel.algCombo.currentData() == "ES384"
    assert panel.algNoteLabel.text() == (
        "ES384, the key generator's choice: it replaces the header's alg 'HS256'."
    )
    token = _sign(qtbot, panel)
    assert parse_token(token).unverified_header["alg"] == "ES384"
    assert key.public_jwk is not None
    assert inspect_token(token, key.public_jwk).verification.status == "valid"


def test_the_unsecured_check_says_alg_none(panel: EditPanel) -> None:
    panel.unsecuredCheck.click()
    assert panel.algNoteLabel.text().startswith("alg: none")
    panel.unsecuredCheck.click()
    assert panel.algNoteLabel.text().startswith("Auto")


def test_start_from_current_token_brings_back_auto(
    qtbot: Any, window: Any, es256: GeneratedKey
) -> None:
    """An algorithm chosen for another key does not outlive "Start from current token":
    the token's header decides again (Auto), and the note says so."""
    panel, _dialog = install_signing_tools(window)
    panel.set_signing_key(es256.private_pem or "", "ES256")
    assert panel.algCombo.currentData() == "ES256"
    panel.fromTokenButton.click()
    assert panel.algCombo.currentData() is None
    assert panel.algNoteLabel.text() == "Auto: HS256, the header's alg."
    panel.set_signing_key(window.key_panel.key_text())  # the example's secret, no alg
    assert panel.algCombo.currentData() is None
    token = _sign(qtbot, panel)
    assert parse_token(token).alg == "HS256"
    settle(qtbot, window)
    assert window.inspection.verification.status == "valid"


def _takes_tab(widget: Any) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def test_tab_goes_from_the_json_to_the_key_to_sign(panel: EditPanel) -> None:
    order = []
    widget = panel.fromTokenButton
    for _ in range(20):
        order.append(widget.objectName())
        widget = widget.nextInFocusChain()
        while not _takes_tab(widget) or widget.parentWidget() is not panel:
            widget = widget.nextInFocusChain()
        if widget is panel.fromTokenButton:
            break
    reading = ["fromTokenButton", "headerEdit", "payloadEdit", "iatNowButton"]
    assert order[:4] == reading
    assert order.index("setTimeButton") < order.index("signingKeyEdit")
    assert order.index("signingKeyEdit") < order.index("algCombo") < order.index("signButton")
    assert order[-1] == "signButton"


def test_the_note_for_a_header_alg_none_and_for_a_key_that_cannot_choose(
    panel: EditPanel,
) -> None:
    panel.load('{"alg": "none"}', "{}")
    panel.update_alg_note()
    assert "made only with the attack tool" in panel.algNoteLabel.text()
    two = [generate_key("ES256").private_jwk, generate_key("ES256").private_jwk]
    panel.load('{"typ": "JWT"}', "{}")
    panel.signingKeyEdit.setPlainText('{"keys": [' + ", ".join(k or "" for k in two) + "]}")
    panel.update_alg_note()
    assert panel.algNoteLabel.text().startswith("Auto: the header has no alg, and none can be")
    panel.signButton.click()
    assert "put the kid of the one to use in the header" in panel.errorLabel.text()
