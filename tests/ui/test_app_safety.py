"""The launched app (inspector.ui.app.main) keeps the thread rule and survives a bug: after the
first frame, automatic collection is off with the GUI thread collecting instead, the crash
dialog is the exception hook, and faulthandler is on."""

from __future__ import annotations

import os
import subprocess
import sys

from inspector.ui.example import EXAMPLE_TOKEN

SCRIPT = r"""
import faulthandler, gc, sys, time
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication
import inspector.ui.window as window_module
from inspector.ui.example import EXAMPLE_TOKEN

original_show = window_module.InspectorWindow.show
started = time.monotonic()


class Emitter(QObject):
    fired = Signal()


def show(self):
    original_show(self)
    print("AT-SHOW gc-enabled", gc.isenabled(), "faulthandler", faulthandler.is_enabled())
    emitter = Emitter(self)

    def broken():
        raise ValueError(f"bug while reading {EXAMPLE_TOKEN}")

    emitter.fired.connect(broken)

    def poll():
        from inspector.ui import crash_dialog, gui_thread

        app = QApplication.instance()
        collector = app.findChild(gui_thread.GarbageCollector)
        handler = crash_dialog._HANDLER[0] if crash_dialog._HANDLER else None
        if collector is None or handler is None:
            if time.monotonic() - started < 30:
                QTimer.singleShot(50, poll)
                return
            print("NOT-INSTALLED"); app.quit(); return
        hooked = sys.excepthook == handler._on_excepthook
        print("INSTALLED gc-enabled", gc.isenabled(), "hook", hooked)
        emitter.fired.emit()  # a bug in a slot
        QTimer.singleShot(500, lambda: after(handler))

    def after(handler):
        dialog = handler.dialog
        print("DIALOG", dialog is not None and dialog.isVisible())
        print("DETAILS-HAVE-TOKEN", EXAMPLE_TOKEN in dialog.details() if dialog else None)
        self.set_token_text(EXAMPLE_TOKEN)
        QTimer.singleShot(0, lambda: wait_settled())

    def wait_settled():
        if self.is_settled():
            print("STILL-INSPECTS", self.shown.verification.status)
            QApplication.quit()
        else:
            QTimer.singleShot(20, wait_settled)

    QTimer.singleShot(0, poll)


window_module.InspectorWindow.show = show
from inspector.ui.app import main
raise SystemExit(main([]))
"""


def test_launched_app_installs_its_safety_nets_and_survives_a_bug_in_a_slot() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr[-2000:]
    lines = r.stdout.splitlines()
    assert "AT-SHOW gc-enabled False faulthandler True" in lines
    assert "INSTALLED gc-enabled False hook True" in lines
    assert "DIALOG True" in lines
    assert "DETAILS-HAVE-TOKEN False" in lines
    assert "STILL-INSPECTS valid" in lines
    # What went to standard error is the scrubbed report, not the raw traceback.
    assert "ValueError" in r.stderr
    assert EXAMPLE_TOKEN not in r.stderr
    assert EXAMPLE_TOKEN.split(".")[1] not in r.stderr
