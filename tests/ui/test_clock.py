"""Time that follows the clock (issue 12 item 4): unticking "Now" judges from the current time,
and while "Now" is ticked a token is judged again when its verdict changes with the clock.

The window's clock is injected (``window.scheduler.clock``), so no test waits for real time
to pass: the clock is moved, and the timer that follows it is either fired by the test or
armed for well under a second."""

from __future__ import annotations

import time

import jwt
from PySide6.QtWidgets import QLabel

from inspector.ui.scheduler import REFRESH_MS
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import SETTLE_MS, settle
from tests.ui.test_window import SECRET, finding_titles, hs256

EXPIRED = "Token has expired"
NOT_YET = "Token is not yet valid"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def with_clock(window: InspectorWindow, now: float) -> FakeClock:
    clock = FakeClock(float(int(now)))  # whole seconds: "10 min" is not 9 min 59.7 s
    window.scheduler.clock = clock
    return clock


def status(window: InspectorWindow) -> str:
    return window.findChild(QLabel, "verificationStatus").text()


def show(qtbot, window: InspectorWindow, token: str) -> None:
    window.set_key_text(SECRET, inspect=False)
    window.set_token_text(token)
    settle(qtbot, window)


def test_unticking_now_starts_judge_at_at_the_current_time(qtbot, window) -> None:
    # An hour after the window was built: judged at the launch time instead, this token
    # (expired a minute ago) would read "valid for another 59 min".
    clock = with_clock(window, time.time() + 3600)
    show(qtbot, window, hs256({"sub": "a", "exp": int(clock.now) - 60}))
    assert EXPIRED in finding_titles(window)
    window.validation_panel.now_check.setChecked(False)
    assert window.validation_panel.when.dateTime().toSecsSinceEpoch() == int(clock.now)
    settle(qtbot, window)
    assert EXPIRED in finding_titles(window)
    assert "expired 1 min ago" in window.payload_view.toPlainText()
    assert "valid for another" not in window.payload_view.toPlainText()


def test_a_token_that_expires_while_shown_is_judged_again(qtbot, window) -> None:
    clock = with_clock(window, time.time())
    exp = int(clock.now) + 600
    show(qtbot, window, hs256({"sub": "a", "exp": exp}))
    assert EXPIRED not in finding_titles(window)
    assert "valid for another 10 min" in window.payload_view.toPlainText()
    # Nothing changes before the regular refresh: the next look is REFRESH_MS away.
    assert window.scheduler.next_clock_check == clock.now + REFRESH_MS / 1000

    clock.now = exp + 1  # ten minutes later
    window.scheduler.follow_clock()  # what the timer calls
    settle(qtbot, window)
    assert EXPIRED in finding_titles(window)
    assert status(window).startswith("Signature verified")  # the signature is still good
    assert "expired 1 s ago" in window.payload_view.toPlainText()


def test_the_timer_fires_at_the_moment_of_expiry(qtbot, window) -> None:
    clock = with_clock(window, time.time())
    exp = clock.now + 0.3  # expires 0.3 s after it is shown
    token = jwt.encode({"sub": "a", "exp": exp}, SECRET, algorithm="HS256")
    show(qtbot, window, token)
    assert EXPIRED not in finding_titles(window)
    # The next look is the moment of expiry, not the refresh 30 s away.
    assert window.scheduler.next_clock_check == exp
    clock.now = exp + 5
    qtbot.waitUntil(lambda: EXPIRED in finding_titles(window), timeout=SETTLE_MS)


def test_the_leeway_moves_the_moment_and_nbf_is_followed_too(qtbot, window) -> None:
    clock = with_clock(window, time.time())
    window.validation_panel.leeway.setValue(60)
    nbf = int(clock.now) + 80
    show(qtbot, window, hs256({"sub": "a", "nbf": nbf, "exp": nbf + 3600}))
    assert NOT_YET in finding_titles(window)
    # Valid 60 s early, by the leeway: sooner than the next refresh (30 s away).
    assert window.scheduler.next_clock_check == nbf - 60
    clock.now = nbf - 59
    window.scheduler.follow_clock()
    settle(qtbot, window)
    assert NOT_YET not in finding_titles(window)


def test_an_early_timer_waits_for_its_moment_and_a_chosen_time_stays_still(qtbot, window) -> None:
    clock = with_clock(window, time.time())
    exp = int(clock.now) + 10
    show(qtbot, window, hs256({"sub": "a", "exp": exp}))
    assert "valid for another 10 s" in window.payload_view.toPlainText()
    # Seconds count in the text now: it is refreshed every second.
    assert window.scheduler.next_clock_check == clock.now + 1
    generation = window.runner.generation
    clock.now += 0.5  # the timer fired early: nothing is inspected yet
    window.scheduler.follow_clock()
    assert window.runner.generation == generation
    clock.now += 0.5
    window.scheduler.follow_clock()
    settle(qtbot, window)
    assert "valid for another 9 s" in window.payload_view.toPlainText()

    window.validation_panel.now_check.setChecked(False)  # judged at a chosen time
    settle(qtbot, window)
    assert window.scheduler.next_clock_check is None
    generation = window.runner.generation
    clock.now = exp + 100
    window.scheduler.follow_clock()
    assert window.runner.generation == generation
    assert EXPIRED not in finding_titles(window)


def test_following_the_clock_keeps_the_users_place_in_the_payload(qtbot, window) -> None:
    window.resize(1024, 700)
    clock = with_clock(window, time.time())
    claims = {f"claim_{i:02}": f"value {i}" for i in range(60)}
    show(qtbot, window, hs256({**claims, "exp": int(clock.now) + 30}))
    pane = window.payload_view
    bar = pane.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    cursor = pane.textCursor()
    start = pane.toPlainText().index('"claim_30"')
    cursor.setPosition(start)
    cursor.setPosition(start + len('"claim_30"'), cursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)
    bar.setValue(bar.maximum() // 2)
    before = pane.toPlainText()

    clock.now += 1  # a second later: "valid for another 29 s"
    window.scheduler.follow_clock()
    settle(qtbot, window)
    assert pane.toPlainText() != before
    assert "valid for another 29 s" in pane.toPlainText()
    assert bar.value() == bar.maximum() // 2
    assert pane.textCursor().selectedText() == '"claim_30"'
