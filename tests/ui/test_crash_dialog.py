"""An unexpected exception never kills the app: a dialog shows it, scrubbed, and the window
stays usable.

pytest-qt normally catches exceptions raised in slots and Qt virtuals itself (and fails the
test); the tests that raise in a slot are marked ``qt_no_exception_capture`` so the exception
reaches ``sys.excepthook``, which is the crash dialog's hook here, as in the app.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from inspector.core.keygen import generate_key
from inspector.ui import crash_dialog
from inspector.ui.crash_dialog import (
    CrashDialog,
    CrashHandler,
    describe_exception,
    install_crash_dialog,
    scrub_message,
    uninstall_crash_dialog,
)
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle

KEY = generate_key("ES256")
assert KEY.private_pem is not None
PEM = KEY.private_pem
SECRET = "correct-horse-battery-staple-9f2c"
#: Longer than the dialog's refresh interval, so that queued reports have been handled.
REFRESH_WAIT_MS = crash_dialog.REFRESH_MS * 3


def _secret_pieces() -> list[str]:
    """Every piece of user data the tests put in exception messages, as it could appear:
    the token and each of its segments, the PEM key's body lines, the JWK's values."""
    pieces = [EXAMPLE_TOKEN, *EXAMPLE_TOKEN.split("."), EXAMPLE_SECRET, SECRET]
    pieces += [line for line in PEM.splitlines() if line and not line.startswith("-----")]
    pieces += re.findall(r'"[a-z]+":\s*"([A-Za-z0-9_-]{16,})"', KEY.private_jwk)
    return [p for p in pieces if len(p) >= 8]


def _assert_no_secret(text: str) -> None:
    for piece in _secret_pieces():
        assert piece not in text, f"user data leaked into the report: {piece[:12]}…"


@pytest.fixture
def handler(qapp: QApplication, window: InspectorWindow) -> Iterator[CrashHandler]:
    """The crash dialog as the app installs it (over the window); hooks restored after."""
    saved = (sys.excepthook, threading.excepthook)
    h = install_crash_dialog(qapp, window)
    yield h
    if h.dialog is not None:
        h.dialog.close()
    uninstall_crash_dialog()
    assert (sys.excepthook, threading.excepthook) == saved


def _dialog_shown(handler: CrashHandler) -> bool:
    return handler.dialog is not None and handler.dialog.isVisible()


class _Emitter(QObject):
    fired = Signal(str)


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_a_scrubbed_dialog_and_the_window_goes_on(
    qtbot, window: InspectorWindow, handler: CrashHandler
) -> None:
    def _on_key_edit_text_changed() -> None:
        # A bug whose message quotes what the user typed: the token, the key, the secret.
        raise ValueError(
            f"cannot use {EXAMPLE_TOKEN!r} with key {PEM} (jwk {KEY.private_jwk}) or {SECRET}"
        )

    edit = window.key_panel.key_edit
    edit.textChanged.connect(_on_key_edit_text_changed)
    edit.selectAll()
    qtbot.keyClicks(edit, "x")  # a real widget's signal, from a real key press
    qtbot.waitUntil(lambda: _dialog_shown(handler), timeout=5_000)
    edit.textChanged.disconnect(_on_key_edit_text_changed)

    dialog = handler.dialog
    assert isinstance(dialog, CrashDialog)
    assert dialog.objectName() == "crashDialog"
    for name in ("crashMessageLabel", "crashDetailsEdit", "crashCopyButton", "crashCloseButton"):
        assert dialog.findChild(QObject, name) is not None, name
    details = dialog.details()
    assert "ValueError" in details
    assert "_on_key_edit_text_changed" in details  # the frame where it happened
    assert re.search(r'File "tests/ui/test_crash_dialog\.py", line \d+', details)
    assert "hidden]" in details  # the message was scrubbed, not dropped
    assert "[PEM block hidden]" in details
    _assert_no_secret(details)
    assert "still usable" in dialog.messageLabel.text()

    qtbot.mouseClick(dialog.copyButton, _left())
    assert QApplication.clipboard().text() == details
    qtbot.mouseClick(dialog.closeButton, _left())
    assert not dialog.isVisible()

    # The window still inspects.
    window.set_key_text(EXAMPLE_SECRET)
    settle(qtbot, window)
    assert window.shown is not None
    assert window.shown.verification.status == "valid"


@pytest.mark.qt_no_exception_capture
def test_repeated_exceptions_make_one_dialog_that_counts_them(qtbot, handler: CrashHandler) -> None:
    emitter = _Emitter()

    def _on_fired(text: str) -> None:
        raise RuntimeError(f"broken on {text}")

    emitter.fired.connect(_on_fired)
    for _ in range(40):
        emitter.fired.emit(EXAMPLE_TOKEN)
    qtbot.waitUntil(lambda: _dialog_shown(handler), timeout=5_000)
    qtbot.waitUntil(lambda: "40 errors" in handler.dialog.repeatLabel.text(), timeout=5_000)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]
    assert len([d for d in dialogs if d.isVisible()]) == 1
    details = handler.dialog.details()
    assert details.count("Traceback") == 1  # the same error, listed once ...
    assert "40 times]" in details  # ... with how often it came
    _assert_no_secret(details)
    # Closed, the next error starts a fresh count in the same dialog.
    handler.dialog.close()
    emitter.fired.emit("again")
    qtbot.waitUntil(lambda: _dialog_shown(handler), timeout=5_000)
    assert not handler.dialog.repeatLabel.isVisible()
    emitter.fired.disconnect(_on_fired)


def test_a_dialog_that_fails_to_show_stops_trying(
    qtbot, handler: CrashHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def broken(self: CrashDialog, reports: object, total: int) -> None:
        calls.append(total)
        raise RuntimeError("the dialog itself is broken")

    monkeypatch.setattr(CrashDialog, "show_reports", broken)
    try:
        raise ValueError("first")
    except ValueError as err:
        report = describe_exception(err)
    for _ in range(3):
        handler.report(report)
    qtbot.wait(REFRESH_WAIT_MS)
    assert calls == [1]  # tried once, then reports only go to standard error
    assert handler.dialog is None or not handler.dialog.isVisible()


def test_exception_in_a_thread_is_shown_on_the_gui_thread(qtbot, handler: CrashHandler) -> None:
    def work() -> None:
        raise KeyError(SECRET)

    t = threading.Thread(target=work, name="helper")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: _dialog_shown(handler), timeout=5_000)
    details = handler.dialog.details()
    assert "[thread helper]" in details
    assert "KeyError" in details
    _assert_no_secret(details)


def test_exception_in_an_inspection_job_shows_the_dialog_and_the_window_recovers(
    qtbot, window: InspectorWindow, handler: CrashHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector.ui import worker

    real = worker.run_request_anywhere

    def broken(request: object) -> object:
        raise TypeError(f"unexpected input {request.text}")  # type: ignore[attr-defined]

    monkeypatch.setattr(worker, "run_request_anywhere", broken)
    window.set_token_text(EXAMPLE_TOKEN + "x")
    qtbot.waitUntil(lambda: _dialog_shown(handler), timeout=10_000)
    settle(qtbot, window)
    details = handler.dialog.details()
    assert "TypeError" in details
    assert "[thread worker]" in details
    _assert_no_secret(details)
    _assert_no_secret(window.verdict_detail.text())  # the verdict says it failed, scrubbed
    assert "TypeError" in window.verdict_detail.text()

    monkeypatch.setattr(worker, "run_request_anywhere", real)
    window.set_token_text(EXAMPLE_TOKEN)
    window.set_key_text(EXAMPLE_SECRET)
    settle(qtbot, window)
    assert window.shown is not None
    assert window.shown.verification.status == "valid"


# ------------------------------------------------------------------ scrubbing, without Qt events
def test_report_keeps_where_and_what_but_not_the_input() -> None:
    def parse(text: str) -> None:
        value = None
        try:
            value.strip()  # type: ignore[attr-defined]
        except AttributeError as err:
            raise ValueError(f"bad token {text} (key {KEY.private_jwk})") from err

    with pytest.raises(ValueError, match="bad token") as caught:
        parse(EXAMPLE_TOKEN)
    report = describe_exception(caught.value, thread="MainThread")
    text = report.text()
    assert report.kind == "ValueError"
    assert "'NoneType' object has no attribute 'strip'" in text  # names the code uses stay
    assert "direct cause" in text
    assert text.count("Traceback (most recent call last):") == 2
    assert re.search(r"line \d+, in parse", text)
    _assert_no_secret(text)


def test_source_lines_only_for_our_own_code() -> None:
    import json

    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads("{" + EXAMPLE_TOKEN)
    report = describe_exception(caught.value)
    ours = [f for f in report.frames if f.file.startswith("inspector/")]
    theirs = [f for f in report.frames if not f.file.startswith("inspector/")]
    assert theirs
    assert all(f.source is None for f in theirs)  # no source from the test or json
    assert not ours
    assert all(not f.file.startswith("/") for f in report.frames)  # no home folder


@pytest.mark.parametrize(
    ("message", "kept", "gone"),
    [
        ("Expecting value: line 1 column 5 (char 4)", "line 1 column 5 (char 4)", None),
        ("'utf-8' codec can't decode byte 0xff in position 3", "'utf-8' codec can't", None),
        (f"invalid literal for int() with base 10: '{SECRET}'", "base 10: '[", SECRET),
        (f"bad {PEM} here", "[PEM block hidden]", PEM.splitlines()[1]),
        (f"token {EXAMPLE_TOKEN} rejected", "rejected", EXAMPLE_TOKEN.split(".")[2]),
        ("secret hunter2 refused", "refused", "hunter2"),
        (f"b'{SECRET}' is not valid", "is not valid", SECRET),
    ],
    ids=["json", "codec", "quoted-secret", "pem", "token", "bare-word", "bytes"],
)
def test_scrub_message(message: str, kept: str, gone: str | None) -> None:
    scrubbed = scrub_message(message)
    assert kept in scrubbed
    if gone is not None:
        assert gone not in scrubbed


def test_scrubbed_message_is_capped() -> None:
    scrubbed = scrub_message("word " * 1_000)
    assert len(scrubbed) < crash_dialog.MAX_MESSAGE_CHARS + 40
    assert scrubbed.endswith("cut]")


def _left() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
