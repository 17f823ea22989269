"""``TokenChooser``: when the text holds several tokens (a token response, a log, a cookie
header), a row above the token editor names each by where it was found (``access_token``,
``id_token``, ``line 3``, a cookie's name) and inspects the one chosen.

Choosing never alters what the user pasted: the window inspects ``text[start:end]`` of the
chosen token (the state's ``chosen``), and the editor colours its parts where they stand.
The list comes from the inspection of the whole text (``InspectionView.found``, made by
:func:`inspector.core.token_search.find_tokens` where the inspection ran); a choice is kept
by its name when the text is edited, as long as the text holds tokens of the same names.

Built by the window only when a text first holds several tokens (the first frame has no
use for it), and talks to the window through :attr:`TokenChooser.token_chosen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QWidget

if TYPE_CHECKING:
    from inspector.ui.jobs import InspectionResult
    from inspector.ui.state import InspectorState

Found = tuple[str, int, int]


class TokenChooser(QFrame):
    """The row: "N tokens in this text:" and the combo box (``tokenChooser``).

    Signals:
        token_chosen(object): inspect this ``(where, start, end)`` of the text, or ``None``:
            the whole text, as the codec picks from it (the combo's first choice).
    """

    token_chosen = Signal(object)

    def __init__(self, state: InspectorState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenChooserBar")
        self.state = state
        self._found: tuple[Found, ...] = ()
        #: The index of the token the codec picks from the whole text (-1: none of these).
        self._default = -1
        #: The name of the token the user chose, kept across edits of the text.
        self._wanted: str | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("", self)
        self.label.setObjectName("tokenChooserLabel")
        self.label.setProperty("role", "muted")
        self.combo = QComboBox(self)
        self.combo.setObjectName("tokenChooser")
        self.combo.setAccessibleName("Token to inspect")
        self.combo.setToolTip("This text holds several tokens: choose the one to inspect")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.label.setBuddy(self.combo)
        row.addWidget(self.label)
        row.addWidget(self.combo)
        row.addStretch(1)
        self.combo.activated.connect(self._on_combo_activated)
        state.subscribe("result", self.show_result)
        self.hide()

    def names(self) -> list[str]:
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def choose(self, where: str) -> bool:
        """Choose the token named ``where`` (as the user would); returns whether there is one."""
        index = self.combo.findText(where)
        if index < 0:
            return False
        self.combo.setCurrentIndex(index)
        self._on_combo_activated(index)
        return True

    def show_result(self, result: InspectionResult, _same_inputs: bool = False) -> None:
        """A result of the whole text lists its tokens; one of a chosen token changes
        nothing (the list is the text's)."""
        view = result.view
        if view is None or self.state.chosen is not None:
            return
        found = tuple(view.found)
        if len(found) < 2:
            self._found, self._default = (), -1
            self.hide()
            return
        same_tokens = [w for w, _s, _e in found] == [w for w, _s, _e in self._found]
        if not same_tokens:
            self._wanted = None  # another text: the codec's pick first
        self._found = found
        # The codec's pick: the found token holding the parts it coloured.
        segs = view.segments
        self._default = next(
            (
                i
                for i, (_w, start, end) in enumerate(found)
                if segs and start <= segs[0].start and segs[-1].end <= end
            ),
            -1,
        )
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItems([where for where, _s, _e in found])
            self.combo.setCurrentIndex(self._default)
        finally:
            self.combo.blockSignals(False)
        self.label.setText(f"{len(found)} tokens in this text:")
        self.show()
        wanted = self.combo.findText(self._wanted) if self._wanted is not None else -1
        if wanted >= 0 and wanted != self._default:
            self.choose(self._wanted)  # the text was edited: stay on the user's token

    @Slot(int)
    def _on_combo_activated(self, index: int) -> None:
        if not 0 <= index < len(self._found):
            return
        self._wanted = self._found[index][0]
        self.token_chosen.emit(None if index == self._default else self._found[index])
