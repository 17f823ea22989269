"""The first frame does without PySide's Python classes for the ``Qt`` namespace, QIcon and
Qt's events (building them costs ~25 ms, ~3 ms and ~6 ms at launch; see
inspector/ui/qtvalues.py),
and the plain integers it uses instead are the real enum values."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter

from inspector.ui import qtvalues


def test_each_value_is_the_enum_it_stands_for(qtbot) -> None:
    assert qtvalues.VERTICAL == Qt.Orientation.Vertical.name
    assert qtvalues.TEXT_SELECTABLE_BY_MOUSE == Qt.TextInteractionFlag.TextSelectableByMouse.name
    assert qtvalues.PLAIN_TEXT == Qt.TextFormat.PlainText.name
    splitter, label = QSplitter(), QLabel()
    qtbot.addWidget(splitter)
    qtbot.addWidget(label)
    assert splitter.setProperty("orientation", qtvalues.VERTICAL)
    assert splitter.orientation() == Qt.Orientation.Vertical
    assert label.setProperty("textInteractionFlags", qtvalues.TEXT_SELECTABLE_BY_MOUSE)
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    assert label.setProperty("textFormat", qtvalues.PLAIN_TEXT)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert qtvalues.USER_ROLE == Qt.ItemDataRole.UserRole.value
    assert qtvalues.ACCESSIBLE_TEXT_ROLE == Qt.ItemDataRole.AccessibleTextRole.value
    assert qtvalues.DECORATION_ROLE == Qt.ItemDataRole.DecorationRole.value


# Records, at the moment the app reports the first inspection shown, which of PySide's lazily
# built classes exist (a class appears in its module's namespace once PySide has built it).
LAUNCH = r"""
import sys
seen = {}
real_write = sys.stderr.write

def write(text):
    if text.startswith("first-inspection-shown") and not seen:
        import PySide6.QtCore as core, PySide6.QtGui as gui
        seen["Qt"] = "Qt" in vars(core)
        seen["QEvent"] = "QEvent" in vars(core)
        seen["QKeyEvent"] = "QKeyEvent" in vars(gui)
        seen["QIcon"] = "QIcon" in vars(gui)
    return real_write(text)

sys.stderr.write = write
from inspector.ui.app import main
rc = main(["--smoke-exit"])
print("RC", rc, "SEEN", sorted(k for k, v in seen.items() if v), len(seen))
"""


def test_the_first_frame_builds_neither_the_qt_namespace_nor_the_event_classes() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "first-inspection-shown" in out.stderr
    # 4 classes looked at, none of them built yet when the first inspection was shown.
    assert "RC 0 SEEN [] 4" in out.stdout, out.stdout + out.stderr


def test_the_checks_above_can_see_a_built_namespace() -> None:
    """The same detection, in a process that does build them, says so (so the test above
    cannot pass by looking in the wrong place)."""
    code = (
        "import PySide6.QtCore as core\n"
        "before = 'Qt' in vars(core)\n"
        "from PySide6.QtCore import Qt, QEvent\n"
        "print(before, 'Qt' in vars(core), 'QEvent' in vars(core))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "True", "True"]
