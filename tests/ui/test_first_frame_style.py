"""The first frame styles only the widgets the program made (``theme.made_widgets``, from
shiboken's table of live wrappers) instead of every widget Qt built inside them: the look
must be exactly what styling every widget gives."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QWidget

from inspector.ui import theme as theme_module
from inspector.ui.theme import FRAMED, style_widgets
from inspector.ui.window import InspectorWindow

GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
ROLES = (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window, QPalette.ColorRole.Text)


def look(window: InspectorWindow) -> list[tuple[object, ...]]:
    """What styling can change, for the window and every widget in it."""
    looks = []
    for w in (window, *window.findChildren(QWidget)):
        frame = (w.frameShape().name, w.frameShadow().name) if isinstance(w, QFrame) else None
        colours = tuple(w.palette().color(g, r).name() for g in GROUPS for r in ROLES)
        looks.append(
            (
                type(w).__name__,
                w.objectName(),
                w.font().toString(),
                colours,
                w.autoFillBackground(),
                frame,
                w.property(FRAMED),
            )
        )
    return looks


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_first_frame_looks_as_if_every_widget_was_styled(qtbot, variant: str) -> None:
    window = InspectorWindow(theme=variant)
    qtbot.addWidget(window)
    first = look(window)
    style_widgets(window, window.theme)  # every widget, found by findChildren
    assert look(window) == first
    # Something to see: titles, muted notes, the parts' colours and framed panes.
    assert sum(1 for item in first if item[6]) >= 7  # token, key, 3 parts, findings, detail


def test_the_comparison_sees_a_widget_left_unstyled(qtbot, monkeypatch) -> None:
    """With the first frame styling only the roots, the same comparison fails."""
    monkeypatch.setattr(theme_module, "made_widgets", lambda root: [root])
    window = InspectorWindow(theme="light")
    qtbot.addWidget(window)
    first = look(window)
    style_widgets(window, window.theme)
    assert look(window) != first


def test_made_widgets_stays_in_the_root_s_window(qtbot) -> None:
    window = InspectorWindow(theme="light")
    qtbot.addWidget(window)
    made = theme_module.made_widgets(window)
    assert made[0] is window
    assert window.token_edit in made
    assert window.findings_view in made
    assert all(w is window or window.isAncestorOf(w) for w in made)
    other = QWidget()
    qtbot.addWidget(other)
    assert other not in made
