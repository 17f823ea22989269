"""The SD-JWT disclosures list beside the payload (issue 15, item 2, the window's part), and the
token's profile by the header pane's title: pasted into the real window, the list shows each
disclosure's claim, value and where it lands, selecting one highlights that place in the
payload pane (which shows the disclosed payload), a forged disclosure is marked with its
finding and kept out of that payload, and any other token hides the list."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QListWidget

from inspector.ui.jobs import InspectionRequest, run_request
from inspector.ui.qtvalues import DECORATION_ROLE
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle

#: 48 random-looking bytes, on no list (as tests/core/test_corpus.py's STRONG).
STRONG = "Vq3m9Zr1xT7cKp4LwN8bYh2sJd6fGa0eRu5tQiOyMvXzClPk"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def enc(part: Any) -> str:
    return b64u(json.dumps(part, separators=(",", ":")).encode())


def hs256(header: dict[str, Any], payload: dict[str, Any], secret: str = STRONG) -> str:
    si = f"{enc(header)}.{enc(payload)}"
    return f"{si}.{b64u(hmac.new(secret.encode(), si.encode(), hashlib.sha256).digest())}"


def _disclosure(*members: Any) -> str:
    return b64u(json.dumps(list(members)).encode())


def _digest(disclosure: str) -> str:
    return b64u(hashlib.sha256(disclosure.encode()).digest())


GIVEN = _disclosure("salt-1", "given_name", "Alice")
LOCALITY = _disclosure("salt-2", "locality", "Oxford")
NATIONALITY = _disclosure("salt-3", "DE")
#: Never issued: its digest is in no payload (a holder adding a claim of their own).
FORGED = _disclosure("salt-x", "is_admin", True)


def sd_jwt(*disclosures: str) -> str:
    """An HS256 SD-JWT (issued now, for an hour) whose payload holds the digests of GIVEN
    (top level), LOCALITY (inside 'address') and NATIONALITY (an array element), and one
    decoy; followed by ``disclosures``."""
    now = int(time.time())
    payload = {
        "iss": "https://issuer.example",
        "iat": now,
        "exp": now + 3600,
        "_sd_alg": "sha-256",
        "_sd": [_digest(GIVEN), _digest(_disclosure("decoy", "x", 1))],
        "address": {"country": "UK", "_sd": [_digest(LOCALITY)]},
        "nationalities": [{"...": _digest(NATIONALITY)}, "FR"],
    }
    issuer = hs256({"alg": "HS256", "typ": "dc+sd-jwt"}, payload)
    return issuer + "~" + "".join(d + "~" for d in disclosures)


def paste(qtbot, window: InspectorWindow, token: str) -> None:
    window.set_key_text(STRONG, encoding="utf-8", inspect=False)
    window.set_token_text(token)
    settle(qtbot, window)


def disclosures_list(window: InspectorWindow) -> QListWidget | None:
    return window.findChild(QListWidget, "disclosuresList")


def rows(window: InspectorWindow) -> list[str]:
    lst = disclosures_list(window)
    assert lst is not None
    return [lst.item(i).text() for i in range(lst.count())]


def test_no_list_until_an_sd_jwt_is_shown(qtbot, window) -> None:
    assert disclosures_list(window) is None  # the example: nothing built for it
    paste(qtbot, window, hs256({"alg": "HS256", "typ": "JWT"}, {"sub": "a"}))
    assert disclosures_list(window) is None
    assert "disclosures" not in window.__dict__


def test_the_list_shows_each_disclosure_and_where_it_lands(qtbot, window) -> None:
    paste(qtbot, window, sd_jwt(GIVEN, LOCALITY, NATIONALITY))
    assert window.shown.format == "sd-jwt"
    assert window.verification_status.text() == "Signature verified"
    lst = disclosures_list(window)
    assert lst is not None
    assert lst.isVisibleTo(window)
    assert rows(window) == [
        'given_name = "Alice"\n→ /payload/given_name',
        'locality = "Oxford"\n→ /payload/address/locality',
        '[array element] = "DE"\n→ /payload/nationalities/0',
    ]
    title = window.findChild(QLabel, "disclosuresTitle").text()
    assert title == "&Disclosures (3) · no key binding"  # the key binding's status
    assert "no key-binding JWT" in window.findChild(QLabel, "keyBindingReason").text()
    assert "1 digest withheld" in window.findChild(QLabel, "keyBindingReason").text()
    # The payload pane shows the disclosed payload, and its title says so.
    payload = window.payload_view.toPlainText()
    assert '"given_name": "Alice"' in payload
    assert '"locality": "Oxford"' in payload
    assert '"_sd"' not in payload
    assert '"..."' not in payload
    assert window.middle.titles["payload"].text() == "&Payload (3 disclosed)"
    # The profile by the header's title.
    assert window.middle.titles["header"].text() == "&Header · SD-JWT VC"
    assert "dc+sd-jwt" in window.middle.titles["header"].toolTip()


def test_selecting_a_disclosure_highlights_where_it_lands(qtbot, window) -> None:
    paste(qtbot, window, sd_jwt(GIVEN, LOCALITY, NATIONALITY))
    lst = disclosures_list(window)
    lst.setCurrentRow(1)
    assert window.payload_view.highlighted == "/payload/address/locality"
    assert window.payload_view.highlighted_text() == '"locality": "Oxford"'
    lst.setCurrentRow(2)
    assert window.payload_view.highlighted == "/payload/nationalities/0"
    assert window.payload_view.highlighted_text() == '"DE"'
    lst.setCurrentRow(0)
    assert window.payload_view.highlighted_text() == '"given_name": "Alice"'
    # The clock ticks (same input again): the pane is shown again and the highlight stays.
    window.inspect_now()
    settle(qtbot, window)
    assert window.payload_view.highlighted == "/payload/given_name"


def test_a_forged_disclosure_is_marked_and_kept_out_of_the_payload(qtbot, window) -> None:
    paste(qtbot, window, sd_jwt(GIVEN, FORGED))
    forged_row = rows(window)[1]
    assert forged_row.startswith("is_admin = true\nLeft out: not issued with this token")
    assert "sd-unreferenced-disclosure, High" in forged_row
    assert "sd-unreferenced-disclosure" in [f.id for f in window.shown.findings]
    assert "is_admin" not in window.payload_view.toPlainText()
    assert window.middle.titles["payload"].text() == "&Payload (1 disclosed)"
    lst = disclosures_list(window)
    icon = lst.item(1).data(DECORATION_ROLE)  # its finding's severity icon
    assert isinstance(icon, QPixmap)
    assert not icon.isNull()
    assert lst.item(0).data(DECORATION_ROLE) is None  # a disclosure that counts has none
    lst.setCurrentRow(1)
    assert window.payload_view.highlighted is None  # it lands nowhere
    assert window.disclosures.selected().location is None
    title = window.findChild(QLabel, "disclosuresTitle").text()
    assert title.startswith("&Disclosures (2)")
    assert "1 of 2 in the payload" in window.findChild(QLabel, "keyBindingReason").text()


def test_a_wrong_key_does_not_hide_the_disclosures_but_the_verdict_says_so(qtbot, window) -> None:
    window.set_key_text("another secret of a good length, but not the issuer's", inspect=False)
    window.set_token_text(sd_jwt(GIVEN))
    settle(qtbot, window)
    assert window.verification_status.text() != "Signature verified"
    assert rows(window) == ['given_name = "Alice"\n→ /payload/given_name']


def test_any_other_token_hides_the_list_and_restores_the_titles(qtbot, window) -> None:
    paste(qtbot, window, sd_jwt(GIVEN))
    lst = disclosures_list(window)
    assert lst.isVisibleTo(window)
    paste(qtbot, window, hs256({"alg": "HS256", "typ": "JWT"}, {"sub": "a"}))
    assert not window.disclosures.widget.isVisibleTo(window)
    assert lst.count() == 0
    assert window.middle.titles["payload"].text() == "&Payload"
    assert window.middle.titles["header"].text() == "&Header"  # no known profile
    paste(qtbot, window, sd_jwt(LOCALITY))  # and back: the same list, shown again
    assert disclosures_list(window) is lst
    assert lst.isVisibleTo(window)
    assert rows(window) == ['locality = "Oxford"\n→ /payload/address/locality']


def test_a_dpop_proof_shows_its_profile_by_the_header(qtbot, window) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    nums = key.public_key().public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64u(nums.x.to_bytes(32, "big")),
        "y": b64u(nums.y.to_bytes(32, "big")),
    }
    # The signature does not matter for the profile: it is told by typ and claims.
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}
    claims = {"jti": "x", "htm": "POST", "htu": "https://s.example/t", "iat": int(time.time())}
    window.set_token_text(f"{enc(header)}.{enc(claims)}.{b64u(bytes(64))}")
    settle(qtbot, window)
    assert window.middle.titles["header"].text() == "&Header · DPoP proof"
    assert disclosures_list(window) is None


def test_the_view_is_plain_data_and_the_payload_is_the_disclosed_one(qtbot) -> None:
    """jobs.build_view lays the disclosures out where the inspection ran (no codec class)."""
    from inspector.core.options import InspectOptions

    r = run_request(
        InspectionRequest(0, sd_jwt(GIVEN, FORGED), InspectOptions(key=STRONG, now=time.time()))
    )
    sd = r.view.sd_jwt
    assert [(d.name, d.location, d.finding_id) for d in sd.disclosures] == [
        ("given_name", "/payload/given_name", ""),
        ("is_admin", None, "sd-unreferenced-disclosure"),
    ]
    assert sd.undisclosed == 3
    assert sd.key_binding == "absent"
    assert r.view.profile[0] == "SD-JWT VC"
    assert "/payload/given_name" in r.payload.spans
    assert "/payload/_sd" not in r.payload.spans
    import pickle

    assert pickle.loads(pickle.dumps(r.view)) == r.view  # plain values travel


def test_a_duplicated_and_a_malformed_disclosure_are_marked(qtbot, window) -> None:
    paste(qtbot, window, sd_jwt(GIVEN, GIVEN, "not*base64"))
    assert rows(window)[0] == 'given_name = "Alice"\n→ /payload/given_name'
    # The copy fills nothing more (the claim is in the payload once).
    assert rows(window)[1].startswith('given_name = "Alice"\nLeft out: a copy of disclosure 1')
    assert "sd-duplicate-digest" in rows(window)[1]
    assert rows(window)[2].startswith("Disclosure 3\nLeft out: malformed:")
    assert "sd-disclosure-malformed" in rows(window)[2]
    assert window.payload_view.toPlainText().count('"given_name"') == 1
    assert window.middle.titles["payload"].text() == "&Payload (1 disclosed)"
    disclosures_list(window).setCurrentRow(1)
    assert window.payload_view.highlighted is None


def test_an_unknown_sd_alg_leaves_the_payload_as_signed(qtbot, window) -> None:
    payload = {"iss": "https://issuer.example", "_sd_alg": "md5", "_sd": [_digest(GIVEN)]}
    paste(qtbot, window, hs256({"alg": "HS256"}, payload) + "~" + GIVEN + "~")
    assert window.middle.titles["payload"].text() == "&Payload (as signed)"
    assert '"_sd"' in window.payload_view.toPlainText()
    row = rows(window)[0]
    assert row.startswith('given_name = "Alice"\nLeft out: its digest could not be matched')
    assert "sd-unknown-hash-alg" in row


def test_a_hostile_claim_name_cannot_fake_a_row(qtbot, window) -> None:
    """A name with a newline (or a right-to-left override) is shown escaped, on its line."""
    fake = _disclosure("s", "x\n→ /payload/given_name\u202e", "v")
    now = int(time.time())
    payload = {"iss": "https://i.example", "iat": now, "_sd": [_digest(fake)]}
    paste(qtbot, window, hs256({"alg": "HS256"}, payload) + "~" + fake + "~")
    row = rows(window)[0]
    assert row.count("\n") == 1  # two lines: the claim, then where it lands
    assert "\u202e" not in row
    first_line, second_line = row.split("\n")
    assert first_line == '"x\\n→ /payload/given_name\\u202e" = "v"'
    assert second_line.startswith("→ ")
    assert "\\n" in second_line  # the pointer, escaped too


def _holder_key_binding(presentation: str, *, signer: Any) -> str:
    """``presentation`` (ending in '~') followed by a KB-JWT over it signed (ES256) with
    ``signer``."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    sd_hash = b64u(hashlib.sha256(presentation.encode()).digest())
    kb = {"iat": int(time.time()), "aud": "https://verifier.example", "nonce": "n-1"}
    si = f"{enc({'alg': 'ES256', 'typ': 'kb+jwt'})}.{enc({**kb, 'sd_hash': sd_hash})}"
    r, s = decode_dss_signature(signer.sign(si.encode(), ec.ECDSA(hashes.SHA256())))
    return presentation + f"{si}.{b64u(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def _public_jwk(key: Any) -> dict[str, str]:
    nums = key.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64u(nums.x.to_bytes(32, "big")),
        "y": b64u(nums.y.to_bytes(32, "big")),
    }


def _vc_presentation(cnf: dict[str, Any]) -> str:
    """An SD-JWT VC (HS256, valid for ten minutes) disclosing GIVEN, its ``cnf`` naming the
    holder's key as ``cnf`` says, presented without a key-binding JWT (ending in '~')."""
    now = int(time.time())
    payload = {"iss": "https://i.example", "iat": now, "exp": now + 600, "_sd": [_digest(GIVEN)]}
    payload["cnf"] = cnf
    return hs256({"alg": "HS256", "typ": "dc+sd-jwt"}, payload) + "~" + GIVEN + "~"


def test_the_key_binding_status_is_in_the_header_line(qtbot, window) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    holder, intruder = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    presentation = _vc_presentation({"jwk": _public_jwk(holder)})
    title = lambda: window.findChild(QLabel, "disclosuresTitle").text()  # noqa: E731
    paste(qtbot, window, _holder_key_binding(presentation, signer=holder))
    assert window.shown.sd_jwt.key_binding == "valid"
    assert title() == "&Disclosures (1) · key binding verified"
    # Signed by someone else than the key the issuer bound: invalid, and said so.
    paste(qtbot, window, _holder_key_binding(presentation, signer=intruder))
    assert window.shown.sd_jwt.key_binding == "invalid"
    assert title() == "&Disclosures (1) · key binding INVALID"
    reason = window.findChild(QLabel, "keyBindingReason").text()
    assert window.shown.sd_jwt.key_binding_reason in reason


def test_a_holder_key_the_cnf_names_by_kid_is_entered_under_the_reason(qtbot, window) -> None:
    """Issue 15: the cnf names the holder's key (kid) without carrying it. The reason says which
    key is needed; "Holder key…" opens a box whose key verifies the KB-JWT; another key with
    the same kid does not; a cnf that carries its key shows no button."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from PySide6.QtWidgets import QPlainTextEdit, QToolButton

    holder, intruder = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    presentation = _vc_presentation({"kid": "holder-1"})
    title = lambda: window.findChild(QLabel, "disclosuresTitle").text()  # noqa: E731
    reason = lambda: window.findChild(QLabel, "keyBindingReason").text()  # noqa: E731
    paste(qtbot, window, _holder_key_binding(presentation, signer=holder))
    assert window.shown.sd_jwt.key_binding == "unchecked"
    assert title() == "&Disclosures (1) · key binding not checked"
    assert "kid 'holder-1'" in reason()
    button = window.findChild(QToolButton, "holderKeyButton")
    assert button.isVisible()
    assert "kid 'holder-1'" in button.toolTip()
    assert window.findChild(QPlainTextEdit, "holderKeyEdit") is None  # built when asked for
    button.click()
    edit = window.findChild(QPlainTextEdit, "holderKeyEdit")
    assert edit.isVisible()
    assert "kid 'holder-1'" in edit.placeholderText()
    assert button.text() == "Hide holder key"

    edit.setPlainText(json.dumps({**_public_jwk(holder), "kid": "holder-1"}))
    qtbot.waitUntil(
        lambda: window.is_settled() and window.shown.sd_jwt.key_binding == "valid", timeout=5000
    )
    assert title() == "&Disclosures (1) · key binding verified"
    assert "the holder key you gave" in reason()
    assert window.key_panel.key_text() == STRONG  # the issuer's key box is not touched

    # The wrong holder key (an intruder's, under the cnf's kid): invalid.
    edit.setPlainText(json.dumps({**_public_jwk(intruder), "kid": "holder-1"}))
    qtbot.waitUntil(
        lambda: window.is_settled() and window.shown.sd_jwt.key_binding == "invalid", timeout=5000
    )
    assert title() == "&Disclosures (1) · key binding INVALID"
    assert "does not verify" in reason()

    # A cnf that carries the key: no button, no box.
    presentation = _vc_presentation({"jwk": _public_jwk(holder)})
    paste(qtbot, window, _holder_key_binding(presentation, signer=holder))
    assert window.shown.sd_jwt.key_binding == "valid"
    assert not button.isVisible()
    assert not edit.isVisible()


def test_the_expected_aud_and_nonce_are_typed_under_the_reason(qtbot, window) -> None:
    """Issue 15: the key-binding JWT's aud and nonce are compared when the user types the values
    the verifier expects ("Expected aud, nonce…"): a wrong nonce or audience makes the binding
    invalid and the reason says which; the right ones make it valid with nothing left
    uncompared; emptied fields are not compared again. No KB-JWT, no button."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from PySide6.QtWidgets import QLineEdit, QToolButton

    holder = ec.generate_private_key(ec.SECP256R1())
    presentation = _vc_presentation({"jwk": _public_jwk(holder)})
    reason = lambda: window.findChild(QLabel, "keyBindingReason").text()  # noqa: E731
    paste(qtbot, window, _holder_key_binding(presentation, signer=holder))
    assert window.shown.sd_jwt.key_binding == "valid"
    assert "were not compared" in reason()
    button = window.findChild(QToolButton, "kbExpectButton")
    assert button.isVisible()
    assert window.findChild(QLineEdit, "kbAudienceEdit") is None  # built when asked for
    button.click()
    audience = window.findChild(QLineEdit, "kbAudienceEdit")
    nonce = window.findChild(QLineEdit, "kbNonceEdit")
    assert audience.isVisible()
    assert nonce.isVisible()
    assert button.text() == "Hide aud, nonce"

    def settled_on(status: str) -> None:
        qtbot.waitUntil(
            lambda: window.is_settled() and window.shown.sd_jwt.key_binding == status,
            timeout=5000,
        )

    nonce.setText("n-2")  # not the nonce the verifier sent: a replayed presentation
    settled_on("invalid")
    assert "its nonce is 'n-1', not the expected one" in reason()
    nonce.setText("n-1")
    audience.setText("https://other-verifier.example")
    settled_on("invalid")
    assert "not the expected 'https://other-verifier.example'" in reason()
    audience.setText(" https://verifier.example ")  # spaces around a pasted value
    settled_on("valid")
    assert "were not compared" not in reason()
    audience.clear()
    nonce.clear()
    settled_on("valid")
    assert "were not compared" in reason()
    assert window.key_panel.key_text() == STRONG  # the issuer's key box is not touched

    # An SD-JWT without a key-binding JWT: nothing to compare, no button, no fields.
    paste(qtbot, window, presentation)
    assert window.shown.sd_jwt.key_binding != "valid"
    assert not button.isVisible()
    assert not audience.isVisible()


def test_a_theme_change_repaints_the_list(qtbot, window) -> None:
    from PySide6.QtGui import QPalette

    paste(qtbot, window, sd_jwt(GIVEN, FORGED))
    lst = disclosures_list(window)
    light_icon = lst.item(1).data(DECORATION_ROLE).toImage()
    window.apply_theme_choice("dark")
    dark_icon = lst.item(1).data(DECORATION_ROLE).toImage()
    assert dark_icon != light_icon  # the severity icon in the dark theme's colours
    title = window.findChild(QLabel, "disclosuresTitle")
    colour = title.palette().color(QPalette.ColorRole.WindowText)
    assert colour == window.theme.qcolor("muted")
    window.apply_theme_choice("light")
