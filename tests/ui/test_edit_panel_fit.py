"""The Edit and sign panel in the window, as a user sees it: at 1024x700 and 1380x860, light
and dark, nothing in it is clipped, elided or scrolled out of view (before and after an error
message), old errors go when it is reopened, its Tools entry is a plain action, and the
attack-tool check box is readable on the dark theme (measured on the rendered pixels)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDockWidget,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from inspector.ui.actions import TOOL_ACTIONS, TOOLS_MENU
from inspector.ui.edit_panel import MIN_EDITOR_LINES, EditPanel
from inspector.ui.signing_tools import DOCK_HEIGHT_SHARE, SigningTools, install_signing_tools
from inspector.ui.window import InspectorWindow
from tests.ui.colour_science import contrast_ratio
from tests.ui.conftest import settle

SIZES = [(1024, 700), (1380, 860)]
#: WCAG 2.x AA for text, and 1.4.11 for a control's boundary.
TEXT_CONTRAST = 4.5
BOUNDARY_CONTRAST = 3.0
PUBLIC_PEM = "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----"


def _settle_panel(qtbot: Any, panel: EditPanel) -> None:
    """Let the algorithm note catch up (it is debounced), then queued calls, zero-time
    timers and relayouts run (the dock is sized after its first layout, and again after a
    message appears)."""
    qtbot.waitUntil(lambda: panel.algNoteLabel.text() == panel.alg_note(), timeout=5000)
    for _ in range(5):
        QApplication.processEvents()


def _open(qtbot: Any, window: InspectorWindow) -> tuple[EditPanel, QDockWidget]:
    panel, _dialog = install_signing_tools(window)
    window.findChild(QAction, "editModeAction").trigger()
    dock = window.findChild(QDockWidget, "editPanelDock")
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    wanted = round(window.height() * DOCK_HEIGHT_SHARE) - 2
    qtbot.waitUntil(lambda: dock.height() >= wanted, timeout=5000)
    _settle_panel(qtbot, panel)
    return panel, dock


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def sized(qtbot: Any, window: InspectorWindow, request: Any) -> InspectorWindow:
    window.resize(*request.param)
    qtbot.waitUntil(lambda: window.size().toTuple() == request.param, timeout=5000)
    return window


def _controls(panel: EditPanel) -> list[QWidget]:
    """The panel's own visible labels, buttons, combos and editors (not their insides)."""
    kinds = (QLabel, QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit)
    return [
        w
        for w in panel.findChildren(QWidget)
        if w.parentWidget() is panel and isinstance(w, kinds) and w.isVisible()
    ]


def _clipping(panel: EditPanel) -> list[str]:
    """Every way in which something in ``panel`` is out of view or cut, as sentences."""
    scroll = panel.parentWidget().parentWidget()
    assert isinstance(scroll, QScrollArea)
    viewport = scroll.viewport()
    problems = []
    if scroll.verticalScrollBar().isVisible() or scroll.horizontalScrollBar().isVisible():
        problems.append("the dock scrolls")
    controls = _controls(panel)
    assert len(controls) >= 20, [w.objectName() for w in controls]
    for w in controls:
        name = w.objectName() or f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
        shown = QRect(w.mapTo(viewport, QPoint(0, 0)), w.size())
        if not viewport.rect().contains(shown):
            problems.append(f"{name} at {shown} is outside the dock's view {viewport.rect()}")
        if not panel.rect().contains(w.geometry()):
            problems.append(f"{name} is outside the panel")
        if w.height() < w.minimumSizeHint().height():
            problems.append(f"{name} is squeezed to {w.height()} px high")
        if isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                if w.heightForWidth(w.width()) > w.height():
                    problems.append(f"{name} cuts its wrapped text")
            elif w.fontMetrics().horizontalAdvance(w.text()) > w.contentsRect().width():
                problems.append(f"{name} cuts {w.text()!r}")
        if isinstance(w, QAbstractButton | QComboBox) and w.sizeHint().width() > w.width():
            problems.append(f"{name} is {w.width()} px wide, its text needs {w.sizeHint().width()}")
    for edit in (panel.headerEdit, panel.payloadEdit, panel.signingKeyEdit):
        lines = edit.viewport().height() // edit.fontMetrics().lineSpacing()
        if lines < MIN_EDITOR_LINES:
            problems.append(f"{edit.objectName()} shows {lines} lines")
    header = panel.headerEdit
    last = header.document().lastBlock()
    bottom = header.blockBoundingGeometry(last).translated(header.contentOffset()).bottom()
    if bottom > header.viewport().height():
        problems.append(f"the header's last line ends at {bottom}, below its editor")
    return problems


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nothing_is_clipped_when_opened(qtbot: Any, sized: InspectorWindow, theme: str) -> None:
    sized.apply_theme_choice(theme)
    panel, _dock = _open(qtbot, sized)
    assert panel.headerEdit.document().blockCount() == 4  # the example token's header
    assert panel.algNoteLabel.isVisible()
    assert panel.signButton.isVisible()
    assert _clipping(panel) == []


@pytest.mark.parametrize(
    ("header", "payload", "problems"),
    [
        ('{"alg": "HS256"}', '{\n  "sub": "1",\n  "sub": "2"\n}', 1),
        ('{"alg": ', "[1, 2]", 2),
    ],
    ids=["one-problem", "two-problems"],
)
def test_nothing_is_clipped_after_an_error(
    qtbot: Any, sized: InspectorWindow, header: str, payload: str, problems: int
) -> None:
    panel, _dock = _open(qtbot, sized)
    panel.signingKeyEdit.setPlainText(PUBLIC_PEM)
    panel.algCombo.setCurrentIndex(panel.algCombo.findData("RS256"))
    panel.load(header, payload)
    with qtbot.assertNotEmitted(panel.token_signed):
        panel.signButton.click()
    _settle_panel(qtbot, panel)
    assert panel.errorLabel.isVisible()
    assert panel.errorLabel.text().startswith("Cannot sign:")
    assert panel.errorLabel.text().count("• ") == (problems if problems > 1 else 0)
    assert _clipping(panel) == []


def test_a_long_note_after_signing_keeps_everything_in_view(
    qtbot: Any, sized: InspectorWindow
) -> None:
    """A short secret and a kid from the key: the longest notes signing gives."""
    panel, _dock = _open(qtbot, sized)
    panel.load('{"typ": "JWT"}', '{"sub": "x"}')
    panel.signingKeyEdit.setPlainText('{"kty": "oct", "k": "c2hvcnQ", "kid": "short-one"}')
    with qtbot.waitSignal(panel.token_signed, timeout=5000):
        panel.signButton.click()
    _settle_panel(qtbot, panel)
    assert "brute-forced" in panel.noteLabel.text()
    assert _clipping(panel) == []


def test_the_squeezed_layout_is_what_the_check_catches(qtbot: Any, window: Any) -> None:
    """The check above can fail: a dock squeezed to 120 pixels is reported."""
    panel, dock = _open(qtbot, window)
    window.resizeDocks([dock], [120], Qt.Orientation.Vertical)
    _settle_panel(qtbot, panel)
    assert any("scrolls" in p or "outside" in p for p in _clipping(panel))


# ---------------------------------------------------------------- reopening


def test_old_errors_are_cleared_when_the_panel_reopens(qtbot: Any, window: Any) -> None:
    panel, dock = _open(qtbot, window)
    panel.payloadEdit.setPlainText("[]")  # an edit under way, kept across closing
    panel.signButton.click()
    assert panel.errorLabel.isVisible()
    dock.close()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    window.findChild(QAction, "editModeAction").trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    assert panel.errorLabel.isHidden()
    assert panel.errorLabel.text() == ""
    assert panel.payloadEdit.toPlainText() == "[]"
    assert panel.noteLabel.isVisible()  # the idle note, where the error was
    assert "Encoded token" in panel.noteLabel.text()


def test_opening_with_no_token_says_nothing_and_keeps_the_editors(qtbot: Any, window: Any) -> None:
    window.clear()
    settle(qtbot, window)
    panel, _dock = _open(qtbot, window)
    assert panel.errorLabel.isHidden()
    assert panel.headerEdit.toPlainText().strip()  # the default header, still there
    # Asked for explicitly, it does say why nothing was loaded.
    panel.fromTokenButton.click()
    assert "no decoded token" in panel.errorLabel.text()


# ---------------------------------------------------------------- the Tools entries


def test_edit_and_sign_is_a_plain_action_declared_as_data(qtbot: Any, window: Any) -> None:
    tools = SigningTools(window)
    entries = {a.objectName(): a for a in window.tools_menu.actions()}
    for spec in TOOL_ACTIONS:
        assert spec.menu == TOOLS_MENU
        action = entries[spec.name]
        assert action.text() == spec.text
        assert action.shortcut() == QKeySequence(spec.shortcut)
        assert not action.isCheckable(), spec.name
        assert callable(getattr(tools, spec.handler))
    assert not any(a.isCheckable() for a in window.tools_menu.actions())
    edit = entries["editModeAction"]
    assert edit.text() == "&Edit and sign…"
    assert edit.shortcut().toString() == "Ctrl+E"
    edit.trigger()
    qtbot.waitUntil(tools.panel.isVisible, timeout=5000)
    edit.trigger()  # opens, never closes: it is not a toggle
    _settle_panel(qtbot, tools.panel)
    assert tools.panel.isVisible()
    entries["keyGeneratorAction"].trigger()
    assert tools.dialog.isVisible()
    tools.dialog.close()


# ---------------------------------------------------------------- the attack tool, dark


def _rendered_colours(widget: QWidget) -> tuple[str, str]:
    """(background, text) as rendered: the commonest colour, and the commonest of the
    colours furthest from it (the solid cores of the glyphs, not their anti-aliased edges)."""
    image = widget.grab().toImage()
    counts: Counter[str] = Counter(
        QColor(image.pixel(x, y)).name()
        for x in range(image.width())
        for y in range(image.height())
    )
    background = counts.most_common(1)[0][0]
    far = [(c, n) for c, n in counts.items() if contrast_ratio(c, background) > 2 and n >= 8]
    text = max(far, key=lambda cn: cn[1])[0]
    return background, text


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_attack_tool_is_readable(qtbot: Any, window: Any, theme: str) -> None:
    window.apply_theme_choice(theme)
    panel, _dock = _open(qtbot, window)
    check = panel.unsecuredCheck
    background, text = _rendered_colours(check)
    assert background == window.theme["window"]
    assert contrast_ratio(text, background) >= TEXT_CONTRAST, (text, background)
    assert contrast_ratio(text, window.theme["error"]) < 1.2  # it is the danger colour
    # The box itself stands out from the window (its left edge, half-way down).
    option = QStyleOptionButton()
    option.initFrom(check)
    box = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check)
    image = check.grab().toImage()
    edge = QColor(image.pixel(box.left(), box.center().y())).name()
    assert contrast_ratio(edge, background) >= BOUNDARY_CONTRAST, (edge, background)


def test_nothing_is_clipped_with_the_attack_tool_ticked(qtbot: Any, sized: InspectorWindow) -> None:
    """Ticked, the Sign button says "Make unsecured token", a longer text."""
    panel, _dock = _open(qtbot, sized)
    panel.unsecuredCheck.click()
    _settle_panel(qtbot, panel)
    assert panel.signButton.text() == "Make unsecured token"
    assert panel.algNoteLabel.text().startswith("alg: none")
    assert _clipping(panel) == []


def test_tool_actions_do_not_clash_with_the_windows() -> None:
    from inspector.ui.actions import ACTIONS

    every = (*ACTIONS, *TOOL_ACTIONS)
    assert len({s.name for s in every}) == len(every)
    assert len({QKeySequence(s.shortcut).toString() for s in every}) == len(every)
    for spec in TOOL_ACTIONS:
        assert hasattr(SigningTools, spec.handler), spec
