"""Issue 12 items 1 and 3 in the window: the verdict banner says both when a verified token
must still be rejected (in the worse colour), explains a cut-off signature, and offers the
secret encoding that verifies as one click, which nothing presses for the user."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from PySide6.QtCore import QDateTime
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QPushButton

from inspector.presentation import REJECTIONS
from inspector.ui.window import InspectorWindow
from tests.core import keyfactory as kf
from tests.test_presentation import _NOW, REJECTED
from tests.ui.conftest import settle

SECRET = "Vq3m9Zr1xT7cKp4LwN8bYh2sJd6fGa0eRu5tQiOyMvXzClPk"
#: The colour of each rejection's verdict: the worse of "verified" and its severity.
EXPECTED_STATUS = {
    "certificate-expired": "error",
    "certificate-not-yet-valid": "error",
    "issued-in-future": "error",
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs(secret: bytes, claims: dict | None = None) -> str:
    si = (
        b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps(claims or {"sub": "1"}).encode())
    )
    return f"{si}.{b64(hmac.new(secret, si.encode(), hashlib.sha256).digest())}"


def banner_colour(window: InspectorWindow) -> str:
    """The banner's background as its palette holds it (the Window role)."""
    banner = window.verdict_banner
    return banner.palette().color(QPalette.ColorRole.Window).name()


def show(qtbot, window: InspectorWindow, token: str, key: str, **settings: object) -> None:
    """Inspect ``token`` with ``key``, judged at ``_NOW`` with the validation settings."""
    vp = window.validation_panel
    vp.now_check.setChecked(False)
    vp.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(settings.get("now", _NOW))))
    vp.leeway.setValue(int(settings.get("leeway", 0)))
    vp.audience.setText(str(settings.get("audience", "")))
    vp.issuer.setText(str(settings.get("issuer", "")))
    window.set_token_text(token)
    window.set_key_text(key)
    settle(qtbot, window)


@pytest.mark.parametrize("finding_id", list(REJECTED))
def test_a_verified_token_a_server_rejects_says_both_in_the_worse_colour(
    qtbot, window: InspectorWindow, finding_id: str
) -> None:
    token, kwargs = REJECTED[finding_id]
    settings = dict(kwargs)
    key = str(settings.pop("key"))
    show(qtbot, window, token, key, **settings)
    assert window.shown is not None
    assert window.shown.verification.outcome == "verified"
    text = window.verification_status.text()
    assert text.startswith("Signature verified \u2013 but ")
    assert REJECTIONS[finding_id] in text
    status = EXPECTED_STATUS.get(finding_id, "invalid")
    assert window.verdict_banner.property("status") == status
    assert banner_colour(window) == window.theme.verdict(status).name()
    assert banner_colour(window) != window.theme.verdict("valid").name()


def test_a_clean_verified_token_stays_green(qtbot, window: InspectorWindow) -> None:
    show(qtbot, window, hs(SECRET.encode(), {"sub": "1", "jti": "j", "exp": _NOW + 600}), SECRET)
    assert window.verification_status.text() == "Signature verified"
    assert banner_colour(window) == window.theme.verdict("valid").name()


def test_the_dark_theme_colours_the_rejection_too(qtbot, window: InspectorWindow) -> None:
    token, kwargs = REJECTED["expired"]
    show(qtbot, window, token, str(kwargs["key"]))
    window.apply_theme_choice("dark")
    assert window.theme.variant == "dark"
    assert banner_colour(window) == window.theme.verdict("invalid").name()
    assert window.verification_status.text() == "Signature verified \u2013 but the token is expired"


def test_a_cut_off_token_says_so_in_the_banner(qtbot, window: InspectorWindow) -> None:
    key = kf.rsa_key()
    token = jwt.encode({"sub": "1", "exp": _NOW + 600}, key, algorithm="RS256")
    show(qtbot, window, token[:-40], kf.public_pem(key))
    assert window.verification_status.text() == "Invalid signature"
    detail = window.verdict_detail.text().replace("\u2011", "-")
    assert "the token was probably cut off" in detail
    assert "changed after signing" not in detail
    assert "Signature has the wrong size" in [
        window.findings_view.item(i).text().split("\n")[0]
        for i in range(window.findings_view.count())
    ]


def _switch(window: InspectorWindow) -> QPushButton | None:
    return window.verdict_banner.findChild(QPushButton, "switchEncodingButton")


def test_the_encoding_hint_is_one_click_and_only_a_click(qtbot, window: InspectorWindow) -> None:
    raw = bytes(range(7, 39))
    token = hs(raw, {"sub": "1", "jti": "j", "exp": _NOW + 600})
    show(qtbot, window, token, b64(raw))
    # Offered, not applied: the verdict stays invalid and the encoding unchanged.
    assert window.verification_status.text() == "Invalid signature: the secret is base64url"
    assert window.verdict_banner.property("status") == "invalid"
    assert window.key_panel.encoding() == "utf-8"
    button = _switch(window)
    assert button is not None
    assert button.isVisible()
    assert button.text() == "Read the secret as base64url"
    # Waiting changes nothing: no timer or re-inspection presses it.
    qtbot.wait(300)
    assert window.key_panel.encoding() == "utf-8"
    assert window.shown.verification.status == "invalid"
    with qtbot.waitSignal(window.verdict_banner.secret_encoding_chosen) as chosen:
        button.click()
    assert chosen.args == ["base64url"]
    settle(qtbot, window)
    assert window.key_panel.encoding() == "base64url"
    assert window.verification_status.text() == "Signature verified"
    assert banner_colour(window) == window.theme.verdict("valid").name()
    assert not button.isVisible()


def test_the_hint_goes_away_with_another_key(qtbot, window: InspectorWindow) -> None:
    raw = bytes(range(7, 39))
    show(qtbot, window, hs(raw), raw.hex())
    button = _switch(window)
    assert button is not None
    assert button.isVisible()
    assert button.text() == "Read the secret as hex"
    window.set_key_text("not it at all, and long enough to be a secret")
    settle(qtbot, window)
    assert window.verification_status.text() == "Invalid signature"
    assert not button.isVisible()


def test_attack_no_hint_for_a_public_key(qtbot, window: InspectorWindow) -> None:
    """An HS256 token HMAC-ed with the base64 decoding of a PEM's body: the PEM is a public
    key, never a secret, so no encoding is offered (and nothing verifies)."""
    pem = kf.public_pem(kf.rsa_key())
    body = "".join(pem.splitlines()[1:-1])
    show(qtbot, window, hs(base64.b64decode(body)), pem)
    assert not window.verification_status.text().startswith("Signature verified")
    assert "the secret is" not in window.verification_status.text()
    button = _switch(window)
    assert button is None or not button.isVisible()


def test_the_button_is_not_made_for_the_first_frame(window: InspectorWindow) -> None:
    """Nothing new in the first frame: the switch button is made when first offered."""
    assert window.shown is not None  # the example, inspected and shown
    assert window.verdict_banner.switch_button is None
    assert _switch(window) is None


def test_no_token_found_is_explained_once(qtbot, window: InspectorWindow) -> None:
    """Issue 12 item 8: the finding's detail and the catalogue's explanation, one under the
    other, both said "Nothing in the input looks like a JWT ..."."""
    window.set_token_text("hello there")
    settle(qtbot, window)
    shown = window.finding_detail.toPlainText()
    assert "No token found" in shown
    assert shown.count("Nothing in the input looks like a JWT") == 1
    assert "The input (11 characters) holds no dot-separated base64url segments." in shown
