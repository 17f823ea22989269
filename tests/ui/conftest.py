"""Fixtures for driving the real window with pytest-qt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from inspector.ui.gui_thread import install_gui_thread_policy
from inspector.ui.window import InspectorWindow

#: Generous: an inspection takes milliseconds; CI machines are shared.
SETTLE_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def _gui_thread_policy(qapp: QApplication) -> None:
    """The app's thread rule holds in tests too: pytest-qt makes the QApplication, so the
    policy :func:`inspector.ui.app.main` installs is installed here (cyclic collection on
    the GUI thread only, see inspector.ui.gui_thread)."""
    install_gui_thread_policy(qapp)


def settle(qtbot, window: InspectorWindow) -> None:
    """Wait until the panes show the inspection of the current text and key."""
    qtbot.waitUntil(window.is_settled, timeout=SETTLE_MS)


@pytest.fixture
def window(qtbot) -> Iterator[InspectorWindow]:
    """The window as on first launch (example token and secret), light theme."""
    w = InspectorWindow(theme="light")
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    # What a timer does shortly after launch (shortcuts, tooltips...), done now rather than
    # waited for in every test; test_window checks that the timer does it by itself.
    w.finish_setup()
    settle(qtbot, w)
    yield w
    w.close()
    QApplication.clipboard().clear()
