"""The application icon (``resources/icons/``), set on every window.

Set on the application, so every top-level window (the main window, the key generator,
About, message boxes) shows it without each setting its own. Not part of the first frame:
building PySide's ``QIcon`` class costs ~3 ms at launch (see :mod:`inspector.ui.qtvalues`),
so :meth:`InspectorWindow.finish_setup` calls :func:`set_application_icon` just after it;
Qt then updates the windows already shown.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QGuiApplication, QIcon

from inspector import resources
from inspector.ui.desktop_entry import APP_ID, ICON_SIZES


@cache
def application_icon() -> QIcon:
    """Every PNG size of the icon (so no size is scaled from another; the SVG needs Qt's
    SVG icon engine, a plugin a minimal install may lack)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(resources.path(f"icons/{APP_ID}-{size}.png")))
    return icon


def set_application_icon() -> None:
    """The icon of every window of this application, present and future."""
    QGuiApplication.setWindowIcon(application_icon())
