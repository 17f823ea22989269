"""The launched app gets its Tools menu (edit mode, key generator) after the first frame."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import inspector.ui.window as window_module

original_show = window_module.InspectorWindow.show
started = time.monotonic()

def show(self):
    original_show(self)

    def poll():
        menu = self.tools_menu  # None until the menus are filled, after the first frame
        names = [a.objectName() for a in menu.actions()] if menu is not None else []
        if "editModeAction" in names or time.monotonic() - started > 20:
            print("TOOLS", sorted(n for n in names if n))
            QApplication.quit()
        else:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)

window_module.InspectorWindow.show = show
from inspector.ui.app import main
raise SystemExit(main([]))
"""


def test_launched_app_installs_the_signing_tools():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr[-2000:]
    line = next(x for x in r.stdout.splitlines() if x.startswith("TOOLS"))
    assert "editModeAction" in line
    assert "keyGeneratorAction" in line


SCRIPT_WITH_TOKEN = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import inspector.ui.window as window_module

original_show = window_module.InspectorWindow.show

def show(self):
    original_show(self)

    def report(_shown=None):
        print("TEXT", self.token_text())
        print("KEY", repr(self.key_panel.key_text()))
        QApplication.quit()

    if self.shown is not None:
        QTimer.singleShot(0, report)
    else:
        self.inspection_shown.connect(report)

window_module.InspectorWindow.show = show
from inspector.ui.app import main
raise SystemExit(main([sys.argv[1]]))
"""


def test_a_token_argument_prefills_the_editor_instead_of_the_example():
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcmcifQ." + "A" * 43
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT_WITH_TOKEN, token],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    assert f"TEXT {token}" in r.stdout.splitlines()
    assert "KEY ''" in r.stdout.splitlines()  # the example's secret is not used for it
