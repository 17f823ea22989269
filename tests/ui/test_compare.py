"""File > Compare with... (issue 16 item 1 in the window): token B beside the editor's token,
the differences highlighted in both panes."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget

from inspector.ui.compare import COLOURS, ComparePanel
from inspector.ui.window import InspectorWindow
from tests.core.tokens import hs256
from tests.ui.conftest import settle

A = hs256({"alg": "HS256", "kid": "k1"}, {"sub": "alice", "exp": 1_800_000_000, "old": 1})
B = hs256({"alg": "HS256", "kid": "k2"}, {"sub": "alice", "exp": 1_800_006_000, "new": True})


def _marked(pane) -> dict[str, str]:
    """Highlighted text -> the change it is coloured as."""
    names = {c.rgba(): op for op, c in COLOURS.items()}
    out = {}
    for sel in pane.extraSelections():
        out[sel.cursor.selectedText()] = names[sel.format.background().color().rgba()]
    return out


def test_compare_highlights_both_panes(qtbot, window: InspectorWindow) -> None:
    window.set_token_text(A)
    settle(qtbot, window)
    window.actions_by_name["compareAction"].trigger()
    panel = window.findChild(ComparePanel, "comparePanel")
    assert panel is not None
    dock = window.findChild(QDockWidget, "comparePanelDock")
    assert dock is not None
    assert dock.isVisible()
    panel.set_b(B)
    summary = panel.summary.text()
    assert summary.index("/header/kid") < summary.index("/payload/exp")
    assert "exp +1 h 40 min" in summary
    left, right = _marked(panel.left), _marked(panel.right)
    assert left == {'"kid": "k1"': "changed", '"exp": 1800000000': "changed", '"old": 1': "removed"}
    assert right == {
        '"kid": "k2"': "changed",
        '"exp": 1800006000': "changed",
        '"new": true': "added",
    }


def test_compare_follows_the_editor_and_says_what_cannot_be_compared(
    qtbot, window: InspectorWindow
) -> None:
    window.workbench.open_compare()
    panel = window.workbench.compare_panel
    assert panel is not None
    panel.set_b(A)
    window.set_token_text(A)
    settle(qtbot, window)
    assert panel.changes == ()
    assert "same" in panel.summary.text()
    window.set_token_text(B)
    settle(qtbot, window)
    assert len(panel.changes) == 4
    panel.set_b("not a token at all")
    assert panel.summary.text().startswith("Cannot compare: B ")
    assert panel.right.extraSelections() == []
