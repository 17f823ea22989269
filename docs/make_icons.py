"""Render the application icon's PNG sizes from ``resources/icons/jwt-inspector.svg``.

    python docs/make_icons.py

Writes ``resources/icons/jwt-inspector-<size>.png`` for each of :data:`SIZES` with Qt's own
SVG renderer (QtSvg ships with PySide6-Essentials), so the PNGs are exactly the SVG. The
window sets them as its icon (``inspector/ui/icon.py``); ``jwt-inspector
--install-desktop-entry`` copies them into the user's icon theme folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "jwt-inspector.svg"))
    if not renderer.isValid():
        sys.stderr.write("jwt-inspector.svg: not a valid SVG\n")
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        out = ICONS / f"jwt-inspector-{size}.png"
        if not image.save(str(out)):
            sys.stderr.write(f"{out}: could not be written\n")
            return 1
        sys.stdout.write(f"{out.relative_to(ICONS.parent.parent)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
