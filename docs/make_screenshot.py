"""Regenerate docs/screenshot.png: the first-launch window (example token verified with its
secret), with the most telling finding selected so its claim is highlighted.

    QT_QPA_PLATFORM=offscreen python docs/make_screenshot.py [docs/screenshot.png] [light|dark]
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from inspector.ui.window import InspectorWindow


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"
    theme = sys.argv[2] if len(sys.argv) > 2 else "light"
    app = QApplication([])
    window = InspectorWindow(theme=theme)
    window.resize(1380, 860)
    window.show()
    saved: list[bool] = []

    def grab() -> None:
        view = window.findings_view
        titles = [view.item(i).text().split("\n")[0] for i in range(view.count())]
        if "Token has expired" in titles:
            view.setCurrentRow(titles.index("Token has expired"))
        view.setFocus()
        app.processEvents()
        saved.append(window.grab().save(out))
        app.quit()

    window.inspection_shown.connect(lambda _shown: QTimer.singleShot(150, grab))
    if window.shown is not None:
        QTimer.singleShot(150, grab)
    app.exec()
    return 0 if saved and saved[0] else 1


if __name__ == "__main__":
    raise SystemExit(main())
