"""Colours, palette, fonts and painted icons, all from ``resources/theme.json``. The light or
dark variant follows the system colour scheme unless the View menu forces one."""

from __future__ import annotations

import itertools
import json
import math
from functools import cache
from typing import Any, Literal

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPalette,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QListWidget,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

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


class Theme:
    """One variant of ``theme.json``: flat colour names plus ``verdict`` and ``severity`` maps."""

    __slots__ = ("colours", "variant")

    def __init__(self, *, variant: Variant, colours: dict[str, Any]) -> None:
        self.variant: Variant = variant
        self.colours = colours

    def __repr__(self) -> str:
        return f"Theme(variant={self.variant!r})"

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


def system_variant(*, first_frame: bool = False) -> Variant:
    """``dark`` when the platform's colour scheme says so, ``light`` when it says light; when
    it does not know, the platform's palette decides (a dark window colour means dark).

    ``first_frame``: read the palette only. Asking for the colour scheme makes PySide build
    the ``Qt`` namespace's enums (see :mod:`inspector.ui.qtvalues`); platforms that know their
    scheme give a palette that matches it, and the window asks again after its first frame."""
    if not first_frame:
        from PySide6.QtCore import Qt

        scheme = QGuiApplication.styleHints().colorScheme()
        if scheme != Qt.ColorScheme.Unknown:
            return "dark" if scheme == Qt.ColorScheme.Dark else "light"
    # The application palette as the platform set it, before apply_theme replaced it.
    window = _platform_palette().color(QPalette.ColorRole.Window)
    return "dark" if window.lightness() < 128 else "light"


def _platform_palette() -> QPalette:
    return _platform[0] if _platform else QGuiApplication.palette()


def resolve(choice: ThemeChoice, *, first_frame: bool = False) -> Variant:
    return system_variant(first_frame=first_frame) if choice == "system" else choice


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


def style_widgets(root: QWidget, theme: Theme, *, made_here: bool = False) -> None:
    """Give ``root`` and every widget in it the theme's look beyond the palette, by the
    properties the widgets carry: ``role`` ``paneTitle`` (semi-bold, larger, muted),
    ``muted`` (muted text) and ``notice`` (a bar on the highlight colour); ``part`` (the text
    in that part's colour: header, payload, signature).

    Fonts and palettes, not a stylesheet: while an application has a stylesheet, Qt styles
    every widget through it, which made building the window ~7 ms slower whatever the rules
    (measured with one trivial rule too). Call it again after a theme change. Text panes and
    lists get a plain frame in the border colour, in the accent colour while focused (the
    window calls :func:`frame_colour` as the focus moves).

    ``made_here``: look only at the widgets this program made (see :func:`made_widgets`),
    not at every widget Qt made inside them; what the window's first frame does."""
    muted = theme.qcolor("muted")
    widgets = made_widgets(root) if made_here else (root, *root.findChildren(QWidget))
    for widget in widgets:
        role = widget.property("role")
        if role == "paneTitle":
            font = widget.font()
            font.setWeight(QFont.Weight.DemiBold)
            font.setPointSizeF(TITLE_POINTS)
            widget.setFont(font)
            set_colour(widget, QPalette.ColorRole.WindowText, muted)
        elif role == "muted":
            set_colour(widget, QPalette.ColorRole.WindowText, muted)
        elif role == "notice":
            widget.setAutoFillBackground(True)
            set_colour(widget, QPalette.ColorRole.Window, theme.qcolor("highlight"))
        part = widget.property("part")
        if part in ("header", "payload", "signature"):
            set_colour(widget, QPalette.ColorRole.Text, theme.qcolor(part))
        if is_framed(widget) and widget.frameShape() != QFrame.Shape.NoFrame:
            # A plain frame drawn in WindowText (which text panes do not use for their text):
            # Fusion's own frame is its window colour darkened, nearly invisible in dark.
            widget.setFrameShape(QFrame.Shape.Box)
            widget.setFrameShadow(QFrame.Shadow.Plain)
            widget.setProperty(FRAMED, True)
            frame_colour(widget, theme, focused=widget.hasFocus())


def made_widgets(root: QWidget) -> list[QWidget]:
    """``root`` and the widgets in its window that Python made or touched: the ones that
    can carry a ``role`` or ``part`` property, or be a text pane or list (every one of them
    is made here), so the only ones :func:`style_widgets` changes.

    Taken from shiboken's table of live wrappers rather than ``findChildren``, which hands
    every child to Python: the scroll bars, viewports and editors Qt builds inside each
    widget, each wrapped and its class initialised with its Python enums on first sight
    (~7 ms in the window's first frame, against ~0.3 ms here). Only what is in ``root``'s
    own window (``isAncestorOf``): dialogs and floating docks are reached by
    ``findChildren`` in later calls."""
    from shiboken6 import getAllValidWrappers

    return [root] + [
        w
        for w in getAllValidWrappers()
        if isinstance(w, QWidget) and w is not root and root.isAncestorOf(w)
    ]


def set_colour(widget: QWidget, role: QPalette.ColorRole, colour: QColor) -> None:
    """``widget``'s palette ``role``, which its children inherit, while it is enabled;
    disabled (out-of-date results), the application palette's muted colour shows."""
    p = widget.palette()
    p.setColor(QPalette.ColorGroup.Active, role, colour)
    p.setColor(QPalette.ColorGroup.Inactive, role, colour)
    widget.setPalette(p)


def frame_colour(widget: QWidget, theme: Theme, *, focused: bool) -> None:
    """The 1-pixel frame of a text pane or list: the theme's border colour, or its accent
    colour while the pane has the keyboard focus (see :func:`style_widgets`). The same when
    the pane is disabled: dimmed results keep a quiet frame."""
    p = widget.palette()
    p.setColor(QPalette.ColorRole.WindowText, theme.qcolor("accent" if focused else "border"))
    widget.setPalette(p)


def is_framed(widget: QWidget) -> bool:
    """Text panes and lists, which :func:`style_widgets` gives a plain 1-pixel frame."""
    return isinstance(widget, QPlainTextEdit | QTextBrowser | QListWidget)


#: Property set on the widgets :func:`style_widgets` framed (their frame follows the focus).
FRAMED = "jwtInspectorFramed"


#: Point sizes of pane titles and of the verdict's headline.
TITLE_POINTS = 11.0
VERDICT_POINTS = 14.0


#: Fusion draws from the palette on every platform, so both variants look as designed.
STYLE = "Fusion"
_STYLED = "jwtInspectorStyled"
#: The application palette the platform gave, kept when the theme's first replaces it.
_platform: list[QPalette] = []


def new_application(program: str) -> QApplication:
    """A ``QApplication`` started with :data:`STYLE` (``-style``), so :func:`apply_theme` does
    not switch styles: ``setStyle`` hands the new style to Python, and PySide then builds
    Python enums for all of ``QStyle`` (~5 ms at launch)."""
    app = QApplication([program, "-style", STYLE])
    app.setProperty(_STYLED, True)
    return app


def apply_theme(app: QApplication, theme: Theme) -> None:
    """The style (if the application was not started with it) and the theme's palette;
    :func:`style_widgets` does the rest, widget by widget."""
    # (Set by name without asking app.style() first: creating the native style costs ~10 ms.)
    if app.property(_STYLED) is not True:
        app.setStyle(STYLE)
        app.setProperty(_STYLED, True)
    if not _platform:
        _platform.append(QGuiApplication.palette())
    app.setPalette(palette(theme))


def use_theme(choice: ThemeChoice, *, first_frame: bool = False) -> Theme:
    """The theme for ``choice`` (see :func:`resolve` for ``first_frame``), its palette put on
    the application (when there is one): what switching themes does, in one place."""
    theme = load_theme(resolve(choice, first_frame=first_frame))
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, theme)
    return theme


def solid_brush(colour: QColor) -> QBrush:
    """A solid brush of ``colour``, for text formats and painting.

    Made by way of a palette: ``QBrush(colour)``, and passing a colour where a brush is
    expected, make PySide weigh overloads taking ``Qt`` namespace enums and so build that
    whole namespace (~25 ms; see :mod:`inspector.ui.qtvalues`)."""
    source = QPalette()
    source.setColor(QPalette.ColorRole.Window, colour)
    return source.brush(QPalette.ColorRole.Window)


@cache
def monospace_font() -> QFont:
    from PySide6.QtGui import QFontDatabase

    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    return font


# ------------------------------------------------------------------------- painted icons
# Every icon is made of shapes filled with a brush taken from a palette: setPen(), setBrush(),
# QBrush(colour) and fillPath(path, colour) all have overloads that take a ``Qt`` namespace
# enum, and PySide builds that whole namespace (~25 ms) to choose between them. The icons are
# in the first frame, which does without it (see :mod:`inspector.ui.qtvalues`).
_SIZE = 32  # drawn at 2x and scaled down by Qt, so it stays crisp on HiDPI screens


def _canvas() -> tuple[QPixmap, QPainter]:
    pm = QPixmap(_SIZE, _SIZE)
    pm.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pm, painter


def _fill(painter: QPainter, shape: QPainterPath, colour: QColor) -> None:
    painter.fillPath(shape, solid_brush(colour))


def _glyph(glyph: str, rect: QRectF) -> QPainterPath:
    """``glyph`` in bold, centred in ``rect`` as one line of text is, as a shape."""
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(rect.height() * 0.62))
    metrics = QFontMetricsF(font)
    x = rect.center().x() - metrics.horizontalAdvance(glyph) / 2
    baseline = rect.center().y() - (metrics.ascent() + metrics.descent()) / 2 + metrics.ascent()
    shape = QPainterPath()
    shape.addText(QPointF(x, baseline), font, glyph)
    return shape


def _polygon(points: list[tuple[float, float]]) -> QPainterPath:
    shape = QPainterPath()
    shape.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    shape.closeSubpath()
    return shape


def severity_icon(severity: str, theme: Theme, size: int = _SIZE) -> QPixmap:
    """Shape says the class (octagon: error/critical, triangle: high, diamond: medium,
    circle: low/info), colour follows the theme, glyph adds a second cue.

    Drawn :data:`_SIZE` pixels wide and shown ``size`` device-independent pixels wide (sharp
    up to a 1.75x screen scale at the default 18). A pixmap, for an item's decoration role,
    rather than a QIcon: the first frame does without PySide's QIcon class (~3 ms)."""
    pm, p = _canvas()
    s = float(_SIZE)
    body = QRectF(2, 2, s - 4, s - 4)
    if severity in ("error", "critical"):
        k = 0.29 * body.width()
        x0, y0, x1, y1 = body.left(), body.top(), body.right(), body.bottom()
        shape = _polygon(
            [
                (x0 + k, y0),
                (x1 - k, y0),
                (x1, y0 + k),
                (x1, y1 - k),
                (x1 - k, y1),
                (x0 + k, y1),
                (x0, y1 - k),
                (x0, y0 + k),
            ]
        )
        glyph, glyph_rect = ("×" if severity == "error" else "!"), body
    elif severity == "high":
        shape = _polygon([(s / 2, 1), (s - 1, s - 3), (1, s - 3)])
        glyph, glyph_rect = "!", QRectF(0, s * 0.22, s, s * 0.72)
    elif severity == "medium":
        shape = _polygon([(s / 2, 1), (s - 1, s / 2), (s / 2, s - 1), (1, s / 2)])
        glyph, glyph_rect = "!", body
    else:
        shape = QPainterPath()
        shape.addEllipse(body)
        glyph, glyph_rect = ("i" if severity == "info" else "·"), body
    _fill(p, shape, theme.severity(severity))
    _fill(p, _glyph(glyph, glyph_rect), QColor(theme["base"]))
    p.end()
    pm.setDevicePixelRatio(_SIZE / size)
    return pm


def verdict_pixmap(status: str, colour: QColor) -> QPixmap:
    """A white glyph for the verdict banner: tick, cross, warning sign or question mark."""
    pm, p = _canvas()
    s = float(_SIZE)
    width = 3.6
    if status == "valid":
        shapes = _stroke([(0.2, 0.52), (0.42, 0.74), (0.8, 0.28)], width)
    elif status == "invalid":
        shapes = _stroke([(0.25, 0.25), (0.75, 0.75)], width)
        shapes += _stroke([(0.75, 0.25), (0.25, 0.75)], width)
    elif status == "error":
        corners = [(0.5, 3 / s), (1 - 3 / s, 1 - 4 / s), (3 / s, 1 - 4 / s)]
        shapes = _stroke([*corners, corners[0]], width)
        shapes.append(_glyph("!", QRectF(0, s * 0.25, s, s * 0.7)))
    else:
        centre, radius = QPointF(s / 2, s / 2), s / 2 - 4
        ring = QPainterPath()
        ring.addEllipse(centre, radius + width / 2, radius + width / 2)
        ring.addEllipse(centre, radius - width / 2, radius - width / 2)  # odd-even: a hole
        shapes = [ring, _glyph("?", QRectF(4, 4, s - 8, s - 8))]
    for shape in shapes:
        _fill(p, shape, colour)
    p.end()
    return pm


def _stroke(points: list[tuple[float, float]], width: float) -> list[QPainterPath]:
    """A line through ``points`` (fractions of the canvas), ``width`` wide, with round ends
    and corners (what a round-capped pen draws), as shapes to fill: one per segment and one
    per point. They overlap, so each is filled on its own (a single path would leave the
    overlaps empty under its odd-even rule)."""
    s = float(_SIZE)
    r = width / 2
    pts = [QPointF(x * s, y * s) for x, y in points]
    shapes = []
    for a, b in itertools.pairwise(pts):
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy)
        ox, oy = -dy / length * r, dx / length * r
        shapes.append(
            _polygon(
                [
                    (a.x() + ox, a.y() + oy),
                    (b.x() + ox, b.y() + oy),
                    (b.x() - ox, b.y() - oy),
                    (a.x() - ox, a.y() - oy),
                ]
            )
        )
    for pt in pts:
        dot = QPainterPath()
        dot.addEllipse(pt, r, r)
        shapes.append(dot)
    return shapes
