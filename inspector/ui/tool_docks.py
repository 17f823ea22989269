"""Tools (the signing panel, and the workbench, key sources and reports to come) docked at
the bottom of the window, each behind an entry in its Tools menu.

Imported only when the first tool is added, after the first frame: docks and scroll areas
need the ``Qt`` namespace's enums (see :mod:`inspector.ui.qtvalues`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget


def dock_tool(window: QMainWindow, widget: QWidget, title: str) -> QDockWidget:
    """A hidden dock at the bottom of ``window`` holding ``widget``, which scrolls rather
    than squeezes when the window is small (nothing is cut off)."""
    name = widget.objectName() or "tool"
    dock = QDockWidget(title, window)
    dock.setObjectName(f"{name}Dock")
    scroll = QScrollArea(dock)
    scroll.setObjectName(f"{name}Scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(widget)
    dock.setWidget(scroll)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    return dock
