"""Help > About (versions, copyable) and the application icon on every window."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import cryptography
import orjson
import PySide6
import pytest
from PySide6.QtCore import QSize, qVersion
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton

from inspector import __version__, resources
from inspector.ui.about_dialog import AboutDialog
from inspector.ui.desktop_entry import ICON_SIZES
from inspector.ui.keygen_dialog import KeyGeneratorDialog
from inspector.ui.window import InspectorWindow

# What the offscreen platform cannot do for dialogs.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")


def _open_about(qtbot, window: InspectorWindow) -> AboutDialog:
    """Through the menu entry, as a user would."""
    from PySide6.QtGui import QAction

    window.findChild(QAction, "aboutAction").trigger()
    dialog = window.findChild(AboutDialog, "aboutDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_help_about_lists_every_version(qtbot, window: InspectorWindow) -> None:
    dialog = _open_about(qtbot, window)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "About JWT Inspector"
    text = dialog.findChild(QPlainTextEdit, "aboutVersions").toPlainText()
    assert text == dialog.text()
    lines = text.splitlines()
    assert f"JWT Inspector: {__version__}" in lines
    assert f"Python: {platform.python_version()} ({platform.python_implementation()})" in lines
    assert f"Qt: {qVersion()} (runtime)" in lines
    assert f"PySide6: {PySide6.__version__}" in lines
    assert f"cryptography: {cryptography.__version__}" in lines
    assert f"orjson: {orjson.__version__}" in lines
    assert f"OS: {platform.platform()}" in lines
    assert f"Qt platform: {QGuiApplication.platformName()}" in lines
    assert dialog.findChild(QLabel, "aboutTitle").text().count(__version__) == 1
    licences = dialog.findChild(QLabel, "aboutLicences").text()
    assert "MIT" in licences
    assert "LGPL" in licences
    # Nothing about the token or key in it.
    assert window.token_text() not in text
    # Opening it again shows the same dialog, not a second one.
    assert window.show_about() is dialog
    assert len(window.findChildren(AboutDialog)) == 1


def test_the_copy_button_copies_the_versions_as_plain_text(qtbot, window) -> None:
    dialog = _open_about(qtbot, window)
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.findChild(QPushButton, "aboutCopyButton"), _left())
    assert QApplication.clipboard().text() == dialog.text()
    assert QApplication.clipboard().text().startswith(f"JWT Inspector: {__version__}\n")
    assert dialog.findChild(QLabel, "aboutStatus").text() == "Copied."
    qtbot.mouseClick(dialog.findChild(QPushButton, "aboutCloseButton"), _left())
    assert not dialog.isVisible()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_about_dialog_grabs_to_a_readable_picture(qtbot, window, tmp_path) -> None:
    dialog = _open_about(qtbot, window)
    picture = dialog.grab()
    assert not picture.isNull()
    assert picture.width() >= 400
    assert picture.height() >= 200
    out = tmp_path / "about.png"
    assert picture.save(str(out))
    # The icon is drawn in it (the label holds its pixmap).
    assert not dialog.findChild(QLabel, "aboutIcon").pixmap().isNull()


def test_every_window_has_the_icon_after_setup(qtbot, window: InspectorWindow) -> None:
    """The main window, the key generator and About: all top-level windows."""
    keygen = KeyGeneratorDialog(window)
    keygen.show()
    qtbot.waitExposed(keygen)
    about = _open_about(qtbot, window)
    expected = QImage(str(resources.path("icons/jwt-inspector-32.png")))
    for top in (window, keygen, about):
        assert top.isWindow()
        icon = top.windowIcon()
        assert not icon.isNull(), top.objectName()
        assert {s.width() for s in icon.availableSizes()} >= set(ICON_SIZES)
        assert (
            icon.pixmap(QSize(32, 32)).toImage().convertToFormat(expected.format()) == expected
        ), top.objectName()
    keygen.close()


def test_each_png_is_the_size_its_name_says() -> None:
    for size in ICON_SIZES:
        image = QImage(str(resources.path(f"icons/jwt-inspector-{size}.png")))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        # Transparent corners (a rounded square), an opaque middle.
        assert image.pixelColor(0, 0).alpha() < 32
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


# At the first inspection shown: the desktop file name is set (docks match the window to
# the desktop entry by it) and the application icon not yet (QIcon waits for finish_setup).
LAUNCH = r"""
import sys
seen = {}
real_write = sys.stderr.write

def write(text):
    if text.startswith("first-inspection-shown") and not seen:
        import PySide6.QtGui as gui
        seen["desktop"] = gui.QGuiApplication.desktopFileName()
        seen["icon-built"] = "QIcon" in vars(gui)
    return real_write(text)

sys.stderr.write = write
from inspector.ui.app import main
rc = main(["--smoke-exit"])
print("RC", rc, seen["desktop"], seen["icon-built"])
"""


def test_the_launcher_names_its_desktop_file_before_the_first_window() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "RC 0 jwt-inspector False" in out.stdout, out.stdout + out.stderr
