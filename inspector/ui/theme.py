"""Colours, palette, stylesheet and painted icons, all from ``resources/theme.json`` and
``resources/app.qss``. The light or dark variant follows the system colour scheme unless the
View menu forces one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QApplication

from inspector import resources

Variant = Literal["light", "dark"]
ThemeChoice = Literal["system", "light", "dark"]

#: Words shown with each severity, so colour and shape are never the only carriers.
SEVERITY_WORDS = {
    "error": "Error",
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    "info": "Info",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    """One variant of ``theme.json``: flat colour names plus ``verdict`` and ``severity`` maps."""

    variant: Variant
    colours: dict[str, Any]

    def __getitem__(self, name: str) -> str:
        value = self.colours[name]
        if not isinstance(value, str):
            raise KeyError(name)
        return value

    def qcolor(self, name: str) -> QColor:
        return QColor(self[name])

    def verdict(self, status: str) -> QColor:
        return QColor(self.colours["verdict"].get(status, self.colours["verdict"]["unchecked"]))

    def severity(self, severity: str) -> QColor:
        return QColor(self.colours["severity"].get(severity, self["muted"]))


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.read_text("theme.json"))
    return data


def load_theme(variant: Variant) -> Theme:
    return Theme(variant=variant, colours=_data()[variant])


def system_variant() -> Variant:
    """``dark`` when the platform says so, else ``light`` (also when it does not know)."""
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def resolve(choice: ThemeChoice) -> Variant:
    return system_variant() if choice == "system" else choice


def palette(theme: Theme) -> QPalette:
    p = QPalette()
    c = theme.qcolor
    roles = {
        QPalette.ColorRole.Window: c("window"),
        QPalette.ColorRole.WindowText: c("text"),
        QPalette.ColorRole.Base: c("base"),
        QPalette.ColorRole.AlternateBase: c("alternate"),
        QPalette.ColorRole.Text: c("text"),
        QPalette.ColorRole.Button: c("button"),
        QPalette.ColorRole.ButtonText: c("text"),
        QPalette.ColorRole.Highlight: c("selection"),
        QPalette.ColorRole.HighlightedText: c("text"),
        QPalette.ColorRole.ToolTipBase: c("base"),
        QPalette.ColorRole.ToolTipText: c("text"),
        QPalette.ColorRole.PlaceholderText: c("muted"),
        QPalette.ColorRole.Link: c("accent"),
        QPalette.ColorRole.BrightText: c("error"),
    }
    for role, colour in roles.items():
        p.setColor(QPalette.ColorGroup.All, role, colour)
    muted = c("muted")
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return p


def stylesheet(theme: Theme) -> str:
    qss = resources.read_text("app.qss")
    for name, value in theme.colours.items():
        if isinstance(value, str):
            qss = qss.replace(f"@{name}@", value)
    for part in ("header", "payload", "signature"):
        qss += f'\nQPlainTextEdit[part="{part}"] {{ color: {theme[part]}; }}'
    return qss


#: Fusion draws from the palette on every platform, so both variants look as designed.
STYLE = "Fusion"
_STYLED = "jwtInspectorStyled"


def new_application(program: str) -> QApplication:
    """A ``QApplication`` started with :data:`STYLE` (``-style``), so :func:`apply_theme` does
    not switch styles: ``setStyle`` hands the new style to Python, and PySide then builds
    Python enums for all of ``QStyle`` (~5 ms at launch)."""
    app = QApplication([program, "-style", STYLE])
    app.setProperty(_STYLED, True)
    return app


def apply_theme(app: QApplication, theme: Theme) -> None:
    # (Set by name without asking app.style() first: creating the native style costs ~10 ms.)
    if app.property(_STYLED) is not True:
        app.setStyle(STYLE)
        app.setProperty(_STYLED, True)
    app.setPalette(palette(theme))
    app.setStyleSheet(stylesheet(theme))


def monospace_font() -> QFont:
    from PySide6.QtGui import QFontDatabase

    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    return font


# ------------------------------------------------------------------------- painted icons
_SIZE = 32  # drawn at 2x and scaled down by Qt, so it stays crisp on HiDPI screens


def _canvas() -> tuple[QPixmap, QPainter]:
    pm = QPixmap(_SIZE, _SIZE)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pm, painter


def _glyph(painter: QPainter, glyph: str, colour: QColor, rect: QRectF) -> None:
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(rect.height() * 0.62))
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)


def severity_icon(severity: str, theme: Theme) -> QIcon:
    """Shape says the class (octagon: error/critical, triangle: high, diamond: medium,
    circle: low/info), colour follows the theme, glyph adds a second cue."""
    pm, p = _canvas()
    colour = theme.severity(severity)
    p.setPen(Qt.PenStyle.NoPen)
    # The colour itself, not QBrush(colour): building a QBrush from Python makes PySide set up
    # QGradient, QImage and their enums first (~2 ms at launch).
    p.setBrush(colour)
    s = float(_SIZE)
    body = QRectF(2, 2, s - 4, s - 4)
    if severity in ("error", "critical"):
        k = 0.29 * body.width()
        x0, y0, x1, y1 = body.left(), body.top(), body.right(), body.bottom()
        oct_ = QPolygonF(
            [
                QPointF(x0 + k, y0),
                QPointF(x1 - k, y0),
                QPointF(x1, y0 + k),
                QPointF(x1, y1 - k),
                QPointF(x1 - k, y1),
                QPointF(x0 + k, y1),
                QPointF(x0, y1 - k),
                QPointF(x0, y0 + k),
            ]
        )
        p.drawPolygon(oct_)
        glyph, glyph_rect = ("×" if severity == "error" else "!"), body
    elif severity == "high":
        tri = QPolygonF([QPointF(s / 2, 1), QPointF(s - 1, s - 3), QPointF(1, s - 3)])
        p.drawPolygon(tri)
        glyph, glyph_rect = "!", QRectF(0, s * 0.22, s, s * 0.72)
    elif severity == "medium":
        dia = QPolygonF(
            [QPointF(s / 2, 1), QPointF(s - 1, s / 2), QPointF(s / 2, s - 1), QPointF(1, s / 2)]
        )
        p.drawPolygon(dia)
        glyph, glyph_rect = "!", body
    else:
        p.drawEllipse(body)
        glyph, glyph_rect = ("i" if severity == "info" else "·"), body
    _glyph(p, glyph, QColor(theme["base"]), glyph_rect)
    p.end()
    return QIcon(pm)


def verdict_pixmap(status: str, colour: QColor) -> QPixmap:
    """A white glyph for the verdict banner: tick, cross, key or warning sign."""
    pm, p = _canvas()
    pen = QPen(
        colour, 3.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
    )
    p.setPen(pen)
    s = float(_SIZE)
    if status == "valid":
        path = QPainterPath(QPointF(s * 0.2, s * 0.52))
        path.lineTo(s * 0.42, s * 0.74)
        path.lineTo(s * 0.8, s * 0.28)
        p.drawPath(path)
    elif status == "invalid":
        p.drawLine(QPointF(s * 0.25, s * 0.25), QPointF(s * 0.75, s * 0.75))
        p.drawLine(QPointF(s * 0.75, s * 0.25), QPointF(s * 0.25, s * 0.75))
    elif status == "error":
        p.drawPolygon(QPolygonF([QPointF(s / 2, 3), QPointF(s - 3, s - 4), QPointF(3, s - 4)]))
        _glyph(p, "!", colour, QRectF(0, s * 0.25, s, s * 0.7))
    else:
        p.drawEllipse(QRectF(4, 4, s - 8, s - 8))
        _glyph(p, "?", colour, QRectF(4, 4, s - 8, s - 8))
    p.end()
    return pm
