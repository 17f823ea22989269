"""Guard against PySide6 releases that abort after thousands of void calls.

PySide6-Essentials 6.12.0 on CPython 3.11 dropped a reference to None on every Qt call that
returns nothing, and the interpreter aborted after about 5,000 such calls
(``Fatal Python error: none_dealloc``). pyproject.toml keeps 3.11 below 6.12; this test makes
20,000 void calls in a fresh process so a future release with the same fault fails here first.
"""

from __future__ import annotations

import os
import subprocess
import sys

CODE = r"""
import sys
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit
app = QApplication([])
label = QLabel()
edit = QPlainTextEdit()
for i in range(10_000):
    label.setText("x")          # returns None
    edit.setReadOnly(i % 2 == 0)  # returns None
print("survived", 20_000)
"""


def test_twenty_thousand_void_qt_calls_do_not_abort():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, env=env, timeout=300
    )
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr[-2000:]}"
    assert "survived 20000" in r.stdout
