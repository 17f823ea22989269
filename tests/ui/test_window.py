"""Drive the real InspectorWindow as a user would, and read what the user would read."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import jwt
import pytest
import shiboken6
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QKeySequence, QPalette, QPixmap, QTextCharFormat
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from inspector.core.findings import CATALOGUE
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.token_editor import HUGE_CHARS
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import SETTLE_MS, settle

#: The example's verdict: its signature verifies and, like jwt.io's example, it has no 'exp',
#: so a first launch shows the app working rather than a red "expired" banner.
EXAMPLE_VERDICT = "Signature verified"
#: The example as first shipped: the same claims and secret, but it expired in May 2024.
EXPIRED_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImVtYWlsIjoiYWRhQGV4YW1wbGUuY29t"
    "Iiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzE2MjM1NDIyLCJleHAiOjE3MTYyMzkwMjJ9"
    ".jVsxk0l0Mc_MhRxaFfkT33yzQgIuJJo9b7ZPixWZB1o"
)
#: Its verdict (issue 12: a token a server must reject never reads as plain success).
EXPIRED_VERDICT = "Signature verified \u2013 but the token is expired"

SECRET = "a-long-enough-secret-for-hs256-tests-0123456789"


def hs256(claims: dict, secret: str = SECRET, **headers: str) -> str:
    return jwt.encode(claims, secret, algorithm="HS256", headers=headers or None)


def status(window: InspectorWindow) -> str:
    return window.findChild(QLabel, "verificationStatus").text()


def finding_titles(window: InspectorWindow) -> list[str]:
    view = window.findChild(QListWidget, "findingsView")
    return [view.item(i).text().split("\n")[0] for i in range(view.count())]


def show_expired(qtbot, window: InspectorWindow) -> None:
    """Show :data:`EXPIRED_TOKEN` verified with the example's secret."""
    window.set_token_text(EXPIRED_TOKEN)
    window.set_key_text(EXAMPLE_SECRET)  # (a new token empties the example's key box)
    settle(qtbot, window)
    assert status(window) == EXPIRED_VERDICT


def type_token(qtbot, window: InspectorWindow, token: str) -> None:
    editor = window.findChild(QPlainTextEdit, "tokenEdit")
    editor.clear()
    qtbot.keyClicks(editor, token)
    settle(qtbot, window)


def type_key(qtbot, window: InspectorWindow, key: str) -> None:
    key_edit = window.findChild(QPlainTextEdit, "keyEdit")
    key_edit.clear()
    qtbot.keyClicks(key_edit, key)
    settle(qtbot, window)


# ---------------------------------------------------------------- first launch


def test_first_launch_shows_the_example_verified_with_findings(window: InspectorWindow) -> None:
    # Depends on the real verifier (issue 3) and analysis (issue 4).
    assert window.token_text() == EXAMPLE_TOKEN
    assert window.findChild(QPlainTextEdit, "keyEdit").toPlainText() == EXAMPLE_SECRET
    assert status(window) == EXAMPLE_VERDICT
    assert "shared secret" in window.findChild(QLabel, "keyKind").text()
    payload = window.findChild(QPlainTextEdit, "payloadView").toPlainText()
    assert '"name": "Ada Lovelace"' in payload
    header = window.findChild(QPlainTextEdit, "headerView").toPlainText()
    assert '"alg": "HS256"' in header
    assert window.shown.verification.status == "valid"
    # Its findings teach without alarming: no expiry (medium), an e-mail address (low).
    assert finding_titles(window)[0] == "No expiry"
    assert "Personal data in the token" in finding_titles(window)
    assert "Token has expired" not in finding_titles(window)
    assert not any("HMAC secret" in t for t in finding_titles(window))
    signature = window.findChild(QPlainTextEdit, "signatureView").toPlainText()
    assert signature.startswith("HS256 · 32 bytes")
    assert "aa 2a a7 d7" in signature
    assert "215 bytes" in window.size_label.text()


def test_token_parts_are_coloured_in_place_without_altering_the_text(
    window: InspectorWindow,
) -> None:
    editor = window.token_edit
    colours = {
        (s.cursor.selectionStart(), s.cursor.selectionEnd()): s.format.foreground().color().name()
        for s in editor.extraSelections()
    }
    h_end = EXAMPLE_TOKEN.index(".")
    p_end = EXAMPLE_TOKEN.rindex(".")
    theme = window.theme
    assert colours[(0, h_end)] == theme["header"]
    assert colours[(h_end, h_end + 1)] == theme["dot"]
    assert colours[(h_end + 1, p_end)] == theme["payload"]
    assert colours[(p_end + 1, len(EXAMPLE_TOKEN))] == theme["signature"]
    assert editor.toPlainText() == EXAMPLE_TOKEN


def test_pasted_text_around_the_token_is_kept_and_only_the_token_coloured(
    qtbot, window: InspectorWindow
) -> None:
    text = f"Authorization: Bearer {EXAMPLE_TOKEN}\n"
    window.set_token_text(text)
    settle(qtbot, window)
    assert window.token_edit.toPlainText() == text
    starts = sorted(s.cursor.selectionStart() for s in window.token_edit.extraSelections())
    assert starts[0] == len("Authorization: Bearer ")
    assert status(window) == EXAMPLE_VERDICT
    assert "Input was cleaned before decoding" in finding_titles(window)


# ---------------------------------------------------------------- typing and keys


def test_typed_token_and_right_then_wrong_key(qtbot, window: InspectorWindow) -> None:
    # Depends on the real verifier (issue 3).
    token = hs256({"sub": "42", "role": "reader", "exp": 4_102_444_800})
    type_token(qtbot, window, token)
    assert '"role": "reader"' in window.payload_view.toPlainText()
    # The example's secret went with the example token: nothing to check against yet.
    assert status(window) == "Not checked: enter a key"
    assert window.findChild(QPlainTextEdit, "keyEdit").toPlainText() == ""

    type_key(qtbot, window, SECRET)
    assert status(window) == "Signature verified"
    assert "shared secret" in window.findChild(QLabel, "keyKind").text()

    type_key(qtbot, window, "this-is-not-the-right-secret-but-long-enough")
    assert status(window) == "Invalid signature"
    assert "Signature does not verify" in finding_titles(window)

    window.findChild(QPlainTextEdit, "keyEdit").clear()
    settle(qtbot, window)
    assert status(window) == "Not checked: enter a key"
    assert window.findChild(QLabel, "keyKind").text() == "No key entered"


def test_secret_encoding_changes_how_the_secret_is_read(qtbot, window: InspectorWindow) -> None:
    # Depends on the real verifier (issue 3).
    raw = bytes(range(32))
    token = jwt.encode({"sub": "1"}, raw, algorithm="HS256")
    window.set_token_text(token)
    type_key(qtbot, window, raw.hex())
    # Read as UTF-8 text it fails; the verdict names the encoding that works.
    assert status(window) == "Invalid signature: the secret is hex"
    combo = window.findChild(QComboBox, "secretEncoding")
    combo.setCurrentText("hex")
    settle(qtbot, window)
    assert status(window) == "Signature verified"


def test_jwk_set_names_the_key_that_matched(qtbot, window: InspectorWindow) -> None:
    # Depends on the real verifier (issue 3).
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(2)]

    def public_jwk(key: ec.EllipticCurvePrivateKey, kid: str) -> dict:
        d = json.loads(ECAlgorithm.to_jwk(key.public_key()))
        return {**d, "kid": kid, "use": "sig", "alg": "ES256"}

    jwks = json.dumps({"keys": [public_jwk(keys[0], "first"), public_jwk(keys[1], "second")]})
    token = jwt.encode({"sub": "7"}, keys[1], algorithm="ES256", headers={"kid": "second"})
    window.set_token_text(token)
    window.set_key_text(jwks)
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    kind = window.findChild(QLabel, "keyKind").text()
    assert "JWK Set" in kind
    assert "second" in kind


def test_key_error_is_said_in_words(qtbot, window: InspectorWindow) -> None:
    # Depends on the real verifier (issue 3).
    window.set_key_text("-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----")
    settle(qtbot, window)
    text = status(window)
    assert text.startswith(("Key error: ", "Invalid signature")), text


# ---------------------------------------------------------------- decode errors


def test_undecodable_segment_is_underlined_with_the_reason(qtbot, window: InspectorWindow) -> None:
    head, payload, sig = EXAMPLE_TOKEN.split(".")
    broken = f"{head}.{payload[:10]}!!{payload[12:]}.{sig}"
    window.set_token_text(broken)
    settle(qtbot, window)
    wavy = [
        s
        for s in window.token_edit.extraSelections()
        if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    ]
    assert wavy, "the broken payload is not underlined"
    start = wavy[0].cursor.selectionStart()
    assert start == len(head) + 1
    tip = window.token_edit.segment_tip_at(start + 1)
    assert tip is not None
    assert tip.startswith("Payload cannot be decoded:")
    assert "Segment is not base64url" in finding_titles(window)


# ---------------------------------------------------------------- findings and the panes


def test_selecting_a_finding_explains_it_and_highlights_its_claim(
    qtbot, window: InspectorWindow
) -> None:
    # Depends on the analysis (issue 4) reporting 'expired' at /payload/exp.
    show_expired(qtbot, window)
    view = window.findChild(QListWidget, "findingsView")
    row = finding_titles(window).index("Token has expired")
    view.setCurrentRow(row)
    assert window.payload_view.highlighted == "/payload/exp"
    assert window.payload_view.highlighted_text().startswith('"exp": 1716239022')
    assert window.header_view.highlighted is None
    detail = window.finding_detail.toPlainText()
    assert CATALOGUE["expired"].explanation[:40] in detail
    assert "RFC 7519 §4.1.4" in detail

    view.setCurrentRow(finding_titles(window).index("Personal data in the token"))
    assert window.payload_view.highlighted == "/payload/email"


def test_findings_are_most_severe_first_with_the_severity_in_words(
    window: InspectorWindow,
) -> None:
    view = window.findChild(QListWidget, "findingsView")
    order = ["error", "critical", "high", "medium", "low", "info"]
    severities = [view.item(i).data(Qt.ItemDataRole.UserRole).severity for i in range(view.count())]
    assert severities == sorted(severities, key=order.index)
    first = view.item(0)
    assert first.text().split("\n")[1].startswith("Medium")
    icon = first.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QPixmap)
    assert not icon.isNull()
    assert icon.deviceIndependentSize().width() == view.iconSize().width()
    assert window.findings_summary.text().startswith(f"{view.count()} findings: 1 medium")


def test_time_claims_are_annotated_in_place_with_descriptions_on_hover(
    qtbot, window: InspectorWindow
) -> None:
    # Depends on the analysis (issue 4) filling times and descriptions.
    show_expired(qtbot, window)
    lines = window.payload_view.toPlainText().splitlines()
    exp = lines.index('  "exp": 1716239022')
    note = lines[exp + 1].strip()
    assert note.startswith("// 2024-05-2")
    assert "local" in note
    assert "expired" in note
    rendered = window.payload_view.rendered
    email = rendered.spans["/payload/email"]
    tip = window.payload_view.tip_at(email.key_start + 2)
    assert tip is not None
    assert "e-mail" in tip


def test_validation_time_in_the_past_makes_the_token_valid_then(
    qtbot, window: InspectorWindow
) -> None:
    # Depends on the analysis (issue 4).
    from PySide6.QtCore import QDateTime

    show_expired(qtbot, window)
    window.validation_panel.now_check.setChecked(False)
    window.validation_panel.when.setDateTime(QDateTime.fromSecsSinceEpoch(1716237000))
    settle(qtbot, window)
    assert "Token has expired" not in finding_titles(window)
    window.validation_panel.now_check.setChecked(True)
    settle(qtbot, window)
    assert "Token has expired" in finding_titles(window)


def test_expected_audience_is_checked(qtbot, window: InspectorWindow) -> None:
    # Depends on the analysis (issue 4).
    window.set_token_text(hs256({"sub": "1", "aud": "api://orders", "exp": 4_102_444_800}))
    window.set_key_text(SECRET)
    qtbot.keyClicks(window.validation_panel.audience, "api://billing")
    settle(qtbot, window)
    assert "Audience does not match" in finding_titles(window)


# ---------------------------------------------------------------- theme


def test_view_menu_switches_theme_and_recolours_the_token(qtbot, window: InspectorWindow) -> None:
    dark_action = window.findChild(type(window.show_full_action), "themeDarkAction")
    dark_action.trigger()
    assert window.theme.variant == "dark"
    base = QApplication.palette().color(QApplication.palette().ColorRole.Base).name()
    assert base == window.theme["base"]
    colours = {s.format.foreground().color().name() for s in window.token_edit.extraSelections()}
    assert window.theme["payload"] in colours
    # The new palette reaches the widgets as the event loop runs (a moment later).
    editor = window.token_edit
    qtbot.waitUntil(
        lambda: (
            editor.palette().color(editor.palette().ColorRole.Base).name() == window.theme["base"]
        ),
        timeout=SETTLE_MS,
    )
    image = window.grab().toImage()
    centre = window.token_edit.mapTo(window, window.token_edit.rect().bottomLeft())
    pixel = image.pixelColor(centre.x() + 20, centre.y() - 20).name()
    assert pixel == window.theme["base"]
    window.findChild(type(dark_action), "themeLightAction").trigger()
    assert window.theme.variant == "light"
    assert status(window) == EXAMPLE_VERDICT


# ---------------------------------------------------------------- clipboard


def test_clipboard_token_is_offered_not_taken(qtbot, window: InspectorWindow) -> None:
    other = hs256({"sub": "clipboard"})
    QApplication.clipboard().setText(other)
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    window.check_clipboard()
    bar = window.findChild(QWidget, "clipboardBar")
    assert bar.isVisible()
    assert window.token_text() == EXAMPLE_TOKEN  # nothing replaced without a click
    qtbot.mouseClick(
        window.findChild(QPushButton, "clipboardInspectButton"), Qt.MouseButton.LeftButton
    )
    settle(qtbot, window)
    assert window.token_text() == other
    assert not bar.isVisible()
    assert window.check_clipboard() is False  # same token now


def test_clipboard_without_a_token_or_with_the_same_token_is_not_offered(
    window: InspectorWindow,
) -> None:
    QApplication.clipboard().setText("just some words. Not. A token")
    assert window.check_clipboard() is False
    QApplication.clipboard().setText(f"Bearer {EXAMPLE_TOKEN}")
    assert window.check_clipboard() is False


def test_dismissed_clipboard_token_is_not_offered_again(qtbot, window: InspectorWindow) -> None:
    QApplication.clipboard().setText(hs256({"sub": "dismiss me"}))
    assert window.check_clipboard() is True
    qtbot.mouseClick(
        window.findChild(QPushButton, "clipboardDismissButton"), Qt.MouseButton.LeftButton
    )
    assert window.check_clipboard() is False


# ---------------------------------------------------------------- files, menus, copy


def test_open_token_file_and_drop_a_file(qtbot, window: InspectorWindow, tmp_path) -> None:
    token = hs256({"sub": "from a file"})
    path = tmp_path / "token.txt"
    path.write_text(token + "\n", encoding="utf-8")
    window.open_token_file(str(path))
    settle(qtbot, window)
    assert '"sub": "from a file"' in window.payload_view.toPlainText()

    other = hs256({"sub": "dropped"})
    path.write_text(other, encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert window.token_edit.canInsertFromMimeData(mime)
    window.token_edit.insertFromMimeData(mime)
    settle(qtbot, window)
    assert '"sub": "dropped"' in window.payload_view.toPlainText()


def test_edit_menu_copies_token_and_json_and_clears(qtbot, window: InspectorWindow) -> None:
    window.edit.copy_token()
    assert QApplication.clipboard().text() == EXAMPLE_TOKEN
    window.edit.copy_payload_json()
    assert json.loads(QApplication.clipboard().text())["name"] == "Ada Lovelace"
    window.edit.copy_header_json()
    assert json.loads(QApplication.clipboard().text()) == {"alg": "HS256", "typ": "JWT"}
    window.clear()
    settle(qtbot, window)
    assert window.token_text() == ""
    assert window.findChild(QPlainTextEdit, "keyEdit").toPlainText() == ""
    assert status(window) == "Not checked: no token"
    assert finding_titles(window) == []  # a calm empty state, not an error
    assert window.findChild(QLabel, "findingsSummary").text() == "Paste a token…"


def test_every_menu_action_has_a_shortcut(window: InspectorWindow) -> None:
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for act in menu.actions():
            if act.isSeparator():
                continue
            if act.menu() is not None:
                for sub in act.menu().actions():
                    assert not sub.shortcut().isEmpty(), sub.text()
                continue
            assert not act.shortcut().isEmpty(), act.text()


def test_tools_menu_is_ready_for_other_panels(qtbot, window: InspectorWindow) -> None:
    assert not window.tools_menu.menuAction().isVisible()
    panel = QLabel("signing panel")
    panel.setObjectName("editPanel")
    dock = window.add_tool_panel(panel, "Sign")
    # The tool adds its own entry, a plain action (not the dock's check box).
    assert dock.toggleViewAction() not in window.tools_menu.actions()
    window.add_tool_action(QAction("&Sign…", window))
    assert window.tools_menu.menuAction().isVisible()
    token = hs256({"sub": "signed by a tool"})
    window.set_token_text(token)
    settle(qtbot, window)
    assert window.token_text() == token


# ---------------------------------------------------------------- accessibility


def test_every_control_has_an_accessible_name(window: InspectorWindow) -> None:
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in window.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not w.accessibleName()
        and w.isVisibleTo(window)
        and type(w).__name__
        not in (
            "QScrollBar",
            "QWidget",
            "QSplitterHandle",
            "QMenuBar",
            "QMenu",
            "QTabBar",
            "QAbstractButton",
            "QToolButton",
        )
        and not type(w).__name__.startswith("QCalendar")
        and w.parent() is not None
        and type(w.parent()).__name__ not in ("QSpinBox", "QDateTimeEdit", "QComboBox")
    ]
    assert unnamed == []


def test_tab_order_follows_the_layout(window: InspectorWindow) -> None:
    names = []
    w = window.token_edit
    for _ in range(14):
        names.append(w.objectName())
        w = w.nextInFocusChain()
        while w.focusPolicy() & Qt.FocusPolicy.TabFocus != Qt.FocusPolicy.TabFocus or not (
            w.isVisibleTo(window)
        ):
            w = w.nextInFocusChain()
    expected = [
        "tokenEdit",
        "keyEdit",
        "secretEncoding",
        "openKeyButton",
        "headerView",
        "payloadView",
        "signatureView",
        "findingsView",
        "findingDetail",
        "nowCheck",
    ]
    assert [n for n in names if n in expected][: len(expected)] == expected


# ---------------------------------------------------------------- privacy


def test_nothing_is_written_to_settings(qtbot, window: InspectorWindow) -> None:
    window.set_key_text(SECRET)
    window.set_token_text(hs256({"sub": "private"}))
    settle(qtbot, window)
    window.findChild(type(window.show_full_action), "themeDarkAction").trigger()
    window.close()
    for settings in (QSettings(), QSettings("JWT Inspector", "JWT Inspector")):
        values = [str(settings.value(k)) for k in settings.allKeys()]
        assert not any(SECRET in v or "eyJ" in v for v in values)
        assert settings.allKeys() == []


def test_the_window_makes_no_network_requests(tmp_path) -> None:
    """Run the app (first launch, then a huge token inspected in the helper process) under an
    audit hook that records every socket, URL and HTTP event."""
    import os

    code = """
import sys
events = []
sys.addaudithook(lambda ev, args: events.append(ev) if ev.startswith(
    ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")) else None)
from inspector.ui.app import main
rc = main(["--smoke-exit"])
from PySide6.QtWidgets import QApplication
from inspector.core.options import InspectOptions
from inspector.ui.jobs import InspectionRequest, run_request_anywhere
big = "eyJhbGciOiJIUzI1NiJ9." + "eyJhIjoi" + "QUFB" * 60_000 + "In0.c2ln"
r = run_request_anywhere(InspectionRequest(generation=1, text=big,
    options=InspectOptions(key="k" * 32, now=0.0)))
assert r.inspection is not None and r.inspection.token
print("rc", rc, "events", events, "qtnetwork", "PySide6.QtNetwork" in sys.modules)
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "rc 0 events [] qtnetwork False"


# ---------------------------------------------------------------- huge input and threading


def _big_token(size: int) -> str:
    filler = "x" * size
    return hs256({"sub": "big", "blob": filler})


def test_pasting_5_mb_stays_responsive_and_is_inspected_in_full(
    qtbot, window: InspectorWindow
) -> None:
    token = _big_token(3_700_000)
    assert len(token) > 4_900_000
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    type_key(qtbot, window, "not-the-secret-that-signed-the-big-token")
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    QApplication.clipboard().setText(token)
    last[0] = time.perf_counter()
    window.token_edit.selectAll()
    window.token_edit.paste()
    settle(qtbot, window)
    qtbot.wait(50)
    timer.stop()
    assert max(gaps) < 1.0, f"event loop stalled for {max(gaps):.3f} s"
    assert window.token_edit.is_elided()
    assert window.findChild(QWidget, "hugeBar").isVisible()
    assert len(window.token_edit.toPlainText()) < 10_000
    assert window.token_text() == token
    assert "over the 8,192-byte HTTP header limit" in window.size_label.text()
    assert status(window) == "Invalid signature"  # a wrong key vs SECRET: checked in full
    payload = window.payload_view.toPlainText()
    assert "more characters]" in payload
    assert len(payload) < 10_000
    assert window.token_edit.extraSelections(), "the preview is coloured too"

    window.findChild(QPushButton, "showFullButton").click()
    assert not window.token_edit.is_elided()
    assert window.token_edit.toPlainText() == token


def test_pasting_over_the_elided_preview_replaces_the_huge_input(
    qtbot, window: InspectorWindow
) -> None:
    window.set_token_text(_big_token(300_000))
    settle(qtbot, window)
    assert window.token_edit.is_elided()
    small = hs256({"sub": "small again"})
    QApplication.clipboard().setText(small)
    window.token_edit.setFocus()
    qtbot.keySequence(window.token_edit, QKeySequence.StandardKey.Paste)
    settle(qtbot, window)
    assert not window.token_edit.is_elided()
    assert window.token_text() == small
    assert not window.findChild(QWidget, "hugeBar").isVisible()
    assert '"sub": "small again"' in window.payload_view.toPlainText()


def test_typing_below_the_threshold_stays_in_the_editor(qtbot, window: InspectorWindow) -> None:
    token = _big_token(HUGE_CHARS // 2)
    window.set_token_text(token)
    settle(qtbot, window)
    assert not window.token_edit.is_elided()
    assert window.token_edit.toPlainText() == token


def test_stale_results_are_dropped(qtbot, window: InspectorWindow) -> None:
    shown: list[str] = []
    window.runner.inspected.connect(lambda r: shown.append(r.request.text))
    first = _big_token(2_000_000)
    second = hs256({"sub": "newest"})
    window.set_token_text(first)
    window.set_token_text(second)
    settle(qtbot, window)
    qtbot.wait(100)
    assert shown == [second]
    assert '"sub": "newest"' in window.payload_view.toPlainText()


# ---------------------------------------------------------------- pictures and entry point


def test_window_grabs_to_png(window: InspectorWindow, tmp_path) -> None:
    window.findChild(QListWidget, "findingsView").setCurrentRow(0)
    path = tmp_path / "window.png"
    assert window.grab().save(str(path))
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 20_000  # a real picture, not a blank one


@pytest.mark.slow
def test_smoke_exit_launches_and_quits_after_the_first_inspection() -> None:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "inspector", "--smoke-exit"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "first-inspection-shown" in out.stderr


FORKED_LAUNCH = r"""
import os, sys, time
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.core.options import InspectOptions
from inspector.ui.jobs import CORE_READY, InspectionRequest, fork_first_inspection

def request(text):
    return InspectionRequest(generation=0, text=text,
                             options=InspectOptions(key=EXAMPLE_SECRET, now=time.time()))

# Codec modules imported here (the options module, which the request needs, and the lazy
# package around it are not the codec).
def codec_loaded():
    return sorted(m for m in sys.modules if m.startswith("inspector.core.")
                  and m != "inspector.core.options") + sorted(
                  m for m in sys.modules if m.startswith("cryptography"))

forked = fork_first_inspection(request(EXAMPLE_TOKEN))
stale = fork_first_inspection(request(EXAMPLE_TOKEN + "x"))
assert forked is not None and stale is not None, "fork refused before Qt was loaded"
assert codec_loaded() == [], codec_loaded()

from PySide6.QtWidgets import QApplication
app = QApplication([])
assert fork_first_inspection(request(EXAMPLE_TOKEN)) is None, "fork allowed after Qt loaded"
from inspector.ui.window import InspectorWindow

window = InspectorWindow(theme="light", forked=forked)
window.show()
deadline = time.time() + 30
while window.shown is None and time.time() < deadline:
    app.processEvents()
    time.sleep(0.005)
assert window.shown.verification.status == "valid"
assert window.verification_status.text() == "Signature verified"
# Shown from the child: the codec's Inspection is still pickled, and the codec not imported.
assert window.state.result.inspection_pickle is not None
assert codec_loaded() == [], codec_loaded()
while not CORE_READY.is_set() and time.time() < deadline:
    app.processEvents()
    time.sleep(0.005)
assert window.inspection.verification.status == "valid"
assert window.inspection.token == EXAMPLE_TOKEN

# A second window whose first request differs does not use the child's stale answer.
other = InspectorWindow(theme="light", forked=stale)
while not other.is_settled() and time.time() < deadline:
    app.processEvents()
    time.sleep(0.005)
assert other.shown.token == EXAMPLE_TOKEN
assert other.state.result.inspection_pickle is None
for w in (window, other):
    w.close()
try:
    os.waitpid(-1, os.WNOHANG)
except ChildProcessError:
    pass
else:
    raise AssertionError("a forked child was left behind")
print("ok")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the launch fork is Linux-only")
def test_first_inspection_from_the_launch_fork_is_adopted_without_the_codec(tmp_path) -> None:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", FORKED_LAUNCH],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "ok"


# ---------------------------------------------------------------- after the first frame


def test_the_window_finishes_its_setup_by_itself_after_launch(qtbot) -> None:
    """Menu entries with their shortcuts, hover tooltips and the activation hook are added
    by a timer once the first frame is up (the ``window`` fixture calls finish_setup at once
    instead)."""
    w = InspectorWindow(theme="light")
    qtbot.addWidget(w)
    w.show()
    assert not w.is_set_up()
    assert w.findChild(QAction, "openTokenAction") is None
    assert [a.text() for a in w.menuBar().actions()] == ["&File", "&Edit", "&View", "&Help"]
    qtbot.waitUntil(w.is_set_up, timeout=SETTLE_MS)
    open_action = w.findChild(QAction, "openTokenAction")
    assert open_action.shortcut().toString() == "Ctrl+O"
    w.finish_setup()  # a second call changes nothing
    assert len(w.findChildren(QAction, "openTokenAction")) == 1
    w.close()


def test_the_timer_does_the_setup_one_step_per_turn_of_the_event_loop(qtbot) -> None:
    """Done in one go, the setup held the event loop ~90 ms (~175 ms on a busy machine): a
    paste just after launch stalled that long (bench_ui_stall.py). The timer's way does one
    step and leaves the next to the loop's next turn; a direct call still does them all."""
    from inspector.ui import window as window_module

    steps = len(window_module._SETUP_STEPS)
    assert steps >= 3
    w = InspectorWindow(theme="light")
    qtbot.addWidget(w)
    w._finish_setup_by_turns()  # (what the timer calls)
    assert w._setup_steps_done == 1
    assert not w.is_set_up()
    qtbot.waitUntil(w.is_set_up, timeout=SETTLE_MS)  # the rest, on later turns
    assert w.issuer_keys is not None
    assert w.decryption_panel is not None
    other = InspectorWindow(theme="light")
    qtbot.addWidget(other)
    other.finish_setup()
    assert other.is_set_up()
    assert other.issuer_keys is not None
    w.close()
    other.close()


def test_the_setup_timer_of_a_deleted_window_does_nothing(qtbot) -> None:
    w = InspectorWindow(theme="light")
    finish = w._finish_setup_by_turns  # (what the timers hold)
    w.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(w), timeout=SETTLE_MS)
    finish()  # raised "Internal C++ object (InspectorWindow) already deleted" before


def test_opening_a_menu_before_the_timer_fills_it(qtbot) -> None:
    w = InspectorWindow(theme="light")
    qtbot.addWidget(w)
    w.show()
    file_menu = w.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()  # what opening it does first
    assert w.is_set_up()
    assert "openTokenAction" in [a.objectName() for a in file_menu.actions()]
    w.close()


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: tooltip window
def test_hovering_a_claim_shows_its_description(qtbot, window: InspectorWindow) -> None:
    """Through the real tooltip event on the payload pane's viewport."""
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    view = window.payload_view
    email = view.rendered.spans["/payload/email"]
    cursor = view.textCursor()
    cursor.setPosition(email.key_start + 2)
    pos = view.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QCoreApplication.sendEvent(view.viewport(), event)
    assert "e-mail" in QToolTip.text()
    QToolTip.hideText()


def test_activating_the_window_offers_the_clipboard_token(qtbot, window: InspectorWindow) -> None:
    # The user is in another window while copying: the offer waits for them to come back.
    elsewhere = QWidget()
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=SETTLE_MS)
    QApplication.clipboard().setText(hs256({"sub": "activation"}))
    bar = window.findChild(QWidget, "clipboardBar")
    assert not bar.isVisible()
    window.activateWindow()
    qtbot.waitActive(window)
    QCoreApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    qtbot.waitUntil(bar.isVisible, timeout=SETTLE_MS)
    assert window.token_text() == EXAMPLE_TOKEN


def test_the_banner_and_the_findings_count_take_their_colours_from_the_theme(
    qtbot, window: InspectorWindow
) -> None:
    """Colours set from the theme for the banner's status and the count's worst
    severity; read back from what is drawn."""

    def banner_colour() -> str:
        image = window.verdict_banner.grab().toImage()
        return image.pixelColor(image.width() - 12, image.height() // 2).name()

    def summary_colour() -> str:
        summary = window.findings_summary
        return summary.palette().color(summary.foregroundRole()).name()

    # The example verifies and its worst finding is medium: green banner, muted count.
    assert banner_colour() == window.theme.verdict("valid").name()
    assert summary_colour() == window.theme["muted"]
    # Verified but expired: the worse of the two colours the banner; the count is high's.
    show_expired(qtbot, window)
    assert banner_colour() == window.theme.verdict("invalid").name()
    assert summary_colour() == window.theme.severity("high").name()
    fresh = jwt.encode({"sub": "1", "jti": "j", "exp": 4_102_444_800}, EXAMPLE_SECRET)
    window.set_token_text(fresh)
    settle(qtbot, window)
    assert status(window) == "Signature verified"
    assert banner_colour() == window.theme.verdict("valid").name()
    window.set_key_text("not the secret")
    settle(qtbot, window)
    assert banner_colour() == window.theme.verdict("invalid").name()
    window.apply_theme_choice("dark")
    assert banner_colour() == window.theme.verdict("invalid").name()


LAUNCH_COLOURS = r"""
import sys
seen = []
real_write = sys.stderr.write

def write(text):
    if text.startswith("first-inspection-shown") and not seen:
        from PySide6.QtWidgets import QApplication  # not before main(): it forks without Qt
        from inspector.ui.window import InspectorWindow
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, InspectorWindow))
        image = window.verdict_banner.grab().toImage()
        summary = window.findings_summary
        seen.append((
            "inspector.core.inspection" in sys.modules,  # no: the forked child inspected
            window.verification_status.text(),
            image.pixelColor(image.width() - 12, image.height() // 2).name(),
            window.theme.verdict("valid").name(),
            summary.palette().color(summary.foregroundRole()).name(),
            window.theme["muted"],
        ))
    return real_write(text)

sys.stderr.write = write
from inspector.ui.app import main
main(["--smoke-exit"])
print("SEEN", "|".join(map(str, seen[0])))
"""


@pytest.mark.slow
def test_the_launched_window_shows_its_verdict_in_colour_from_the_first_frame() -> None:
    """The real launch (first result from the forked child, shown before the window is):
    the banner is in the verdict's colour (green: the example verifies and nothing makes a
    server reject it) and the findings count muted (its worst finding is medium) when the
    first inspection is shown."""
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH_COLOURS], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("SEEN"))
    here, status, banner, valid, summary, muted = line.removeprefix("SEEN ").split("|")
    assert here == "False"  # the first result came from the child forked at launch
    assert status == EXAMPLE_VERDICT
    assert banner == valid
    assert summary == muted


def test_the_focused_text_pane_shows_it_in_its_frame(qtbot, window: InspectorWindow) -> None:
    def frame(widget) -> str:
        palette = widget.palette()
        return palette.color(palette.ColorGroup.Active, palette.ColorRole.WindowText).name()

    window.activateWindow()
    window.payload_view.setFocus()
    qtbot.waitUntil(lambda: frame(window.payload_view) == window.theme["accent"], timeout=5000)
    assert frame(window.header_view) == window.theme["border"]
    window.header_view.setFocus()
    qtbot.waitUntil(lambda: frame(window.header_view) == window.theme["accent"], timeout=5000)
    assert frame(window.payload_view) == window.theme["border"]


def test_out_of_date_results_are_drawn_muted(qtbot, window: InspectorWindow) -> None:
    window.scheduler.set_stale(True)
    muted = window.theme["muted"]
    for pane, role in (
        (window.header_view, QPalette.ColorRole.Text),
        (window.payload_view, QPalette.ColorRole.Text),
        (window.findings_summary, QPalette.ColorRole.WindowText),
    ):
        assert not pane.isEnabled()
        assert pane.palette().color(QPalette.ColorGroup.Disabled, role).name() == muted
    # ...with a frame no louder than live panes have.
    frame = window.header_view.palette().color(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText
    )
    assert frame.name() == window.theme["border"]
    window.scheduler.set_stale(False)
    assert window.payload_view.isEnabled()


def test_installing_the_signing_tools_keeps_the_findings_count_colour(
    qtbot, window: InspectorWindow
) -> None:
    from inspector.ui.edit_panel import install_signing_tools

    window.set_key_text("not the secret")  # a critical finding: the count turns red
    settle(qtbot, window)
    summary = window.findings_summary
    critical = window.theme.severity("critical").name()
    assert summary.palette().color(summary.foregroundRole()).name() == critical
    _panel, dialog = install_signing_tools(window)
    assert summary.palette().color(summary.foregroundRole()).name() == critical
    # The key generator's panes are framed too, and show the focus (another window).
    dialog.show()
    dialog.activateWindow()
    dialog.privateJwkEdit.setFocus()
    edit = dialog.privateJwkEdit

    def frame() -> str:
        active, role = QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText
        return edit.palette().color(active, role).name()

    qtbot.waitUntil(lambda: frame() == window.theme["accent"], timeout=5000)
    dialog.close()


def test_edit_menu_copies_a_markdown_report_and_a_redacted_token(
    qtbot, window: InspectorWindow
) -> None:
    """Issue 16: Edit > Copy report as Markdown, Edit > Copy redacted token."""
    import base64

    window.workbench.copy_report_markdown()
    report = QApplication.clipboard().text()
    assert report.startswith("# JWT Inspector report")
    assert "## Verification" in report
    assert EXAMPLE_TOKEN.split(".")[1] in report
    window.workbench.copy_redacted()
    copied = QApplication.clipboard().text()
    header, payload, signature = copied.split(".")
    assert signature == ""
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    # The example's name is personal data: replaced, its claim name kept.
    assert decoded["name"] == "[redacted name]"
    assert "Ada Lovelace" not in copied
    assert "redacted" in json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    assert "Redacted token copied" in window.statusBar().currentMessage()
