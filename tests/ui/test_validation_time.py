"""The "Judge at" editor is made when first needed: until "Now" is unticked the first frame
shows a disabled stand-in of the same size and text format, not a QDateTimeEdit (whose Python
classes and local-time range cost the first frame ~2 ms)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit

from inspector.ui.panels import WHEN_FORMAT, WHEN_FORMAT_PY
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle
from tests.ui.test_window import finding_titles


def test_the_first_frame_has_a_stand_in_not_the_editor(qtbot, window: InspectorWindow) -> None:
    vp = window.validation_panel
    assert window.findChildren(QDateTimeEdit) == []
    stand_in = vp.when_widget()
    assert isinstance(stand_in, QComboBox)
    assert not stand_in.isEnabled()
    assert stand_in.objectName() == "validationTime"
    assert stand_in.accessibleName() == "Judge at this date and time"
    shown = datetime.strptime(stand_in.currentText(), WHEN_FORMAT_PY)
    assert abs(shown.timestamp() - time.time()) < 3600  # the local time at launch


def test_unticking_now_puts_the_editor_in_its_place(qtbot, window: InspectorWindow) -> None:
    vp = window.validation_panel
    stand_in = vp.when_widget()
    geometry = stand_in.geometry()
    panel_hint = (vp.sizeHint(), vp.minimumSizeHint())
    vp.now_check.setChecked(False)
    editor = vp.when_widget()
    assert isinstance(editor, QDateTimeEdit)
    assert editor is vp.when
    assert editor.isEnabled()
    assert editor.displayFormat() == WHEN_FORMAT
    assert editor.calendarPopup()
    assert editor.objectName() == "validationTime"
    assert window.findChildren(QDateTimeEdit) == [editor]
    assert stand_in.isHidden()
    qtbot.waitUntil(lambda: editor.geometry() == geometry, timeout=2000)  # same place, size
    assert (vp.sizeHint(), vp.minimumSizeHint()) == panel_hint
    assert vp.now_check.nextInFocusChain() is editor
    # the editor works as before: a chosen time is judged
    settle(qtbot, window)
    editor.setDateTime(QDateTime.fromSecsSinceEpoch(1716235422 - 60))  # before the token's iat
    settle(qtbot, window)
    assert vp.judge_at(0.0) == 1716235422 - 60
    assert "Issued in the future" in finding_titles(window)
    vp.now_check.setChecked(True)
    assert not editor.isEnabled()


def test_asking_for_the_editor_makes_it_disabled_while_now_is_ticked(qtbot) -> None:
    w = InspectorWindow(theme="light")
    qtbot.addWidget(w)
    vp = w.validation_panel
    editor = vp.when
    assert vp.now_check.isChecked()
    assert not editor.isEnabled()
    assert vp.when is editor  # made once


# At the moment the app reports the first inspection shown: whether PySide has built its
# classes for dates (a class appears in its module's namespace once built; test_qtvalues
# shows that this detection sees a built class).
LAUNCH = r"""
import sys
seen = {}
real_write = sys.stderr.write

def write(text):
    if text.startswith("first-inspection-shown") and not seen:
        import PySide6.QtCore as core, PySide6.QtWidgets as widgets
        seen["QDateTime"] = "QDateTime" in vars(core)
        seen["QDateTimeEdit"] = "QDateTimeEdit" in vars(widgets)
        seen["QComboBox"] = "QComboBox" in vars(widgets)
    return real_write(text)

sys.stderr.write = write
from inspector.ui.app import main
rc = main(["--smoke-exit"])
print("RC", rc, "SEEN", sorted(k for k, v in seen.items() if v))
"""


def test_the_first_frame_builds_no_date_classes() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    # QComboBox (the stand-in, the key's encoding) is built: the detection works here
    assert "RC 0 SEEN ['QComboBox']" in out.stdout, out.stdout + out.stderr
