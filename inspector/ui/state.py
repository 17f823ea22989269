"""``InspectorState``: what the window shows, kept apart from how it is shown.

The model of the window in plain Python, as napari keeps its ``components`` apart from its
``_qt`` widgets: the inputs (token text and key text), the result currently shown, whether
that result is out of date (stale), and the example-key rule. It imports neither Qt nor the
codec, so it is tested without either (``tests/ui/test_state.py`` checks that importing it
loads no PySide6), and it costs the first frame next to nothing.

Panes and panels subscribe to it (:meth:`InspectorState.subscribe`) and are told of each
change; the window only feeds it the user's edits and the runner's results. The observer
list is a plain list of callables, not a Qt signal: callbacks run at once, in the thread that
changed the state, which is always the GUI thread (the runner's results reach the window
through a queued signal first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN

if TYPE_CHECKING:
    from collections.abc import Callable

    from inspector.ui.jobs import InspectionResult

#: What a subscriber can be told of, and with what:
#:
#: - ``result``: ``(result, same_inputs)``, a new result is current (``same_inputs``: it
#:   answers the same text and options as the one before, only the clock moved);
#: - ``stale``: ``(stale,)``, the current result stopped (or started again) matching the input;
#: - ``key_cleared``: ``()``, the example's secret was taken away (the example-key rule);
#: - ``selection``: ``(finding,)``, the finding the user selected (``None``: none is).
Event = Literal["result", "stale", "key_cleared", "selection"]
EVENTS: tuple[Event, ...] = ("result", "stale", "key_cleared", "selection")

#: The example's signature: while the token text still holds it, the example secret stays.
EXAMPLE_SIGNATURE = EXAMPLE_TOKEN.rsplit(".", 1)[1]


class InspectorState:
    """The window's state; see the module docstring."""

    def __init__(self) -> None:
        self.token_text = ""
        self.key_text = ""
        #: The result shown (``None`` before the first one arrives).
        self.result: InspectionResult | None = None
        self.stale = False
        #: The key box holds the example secret put there at launch, untouched by the user.
        self.example_key = False
        #: The finding selected in the findings list (a plain ``FindingView``), or ``None``.
        self.selected: Any = None
        #: The token chosen among several in the text, ``(where, start, end)``: what is
        #: inspected is ``token_text[start:end]``. ``None``: the text, as the codec picks.
        self.chosen: tuple[str, int, int] | None = None
        self._subscribers: dict[str, list[Callable[..., object]]] = {e: [] for e in EVENTS}

    # ------------------------------------------------------------------ observers
    def subscribe(self, event: Event, callback: Callable[..., object]) -> None:
        """Call ``callback`` on each ``event`` (see :data:`Event` for its arguments)."""
        if event not in self._subscribers:
            raise ValueError(f"unknown state event {event!r}; known: {', '.join(EVENTS)}")
        self._subscribers[event].append(callback)

    def _emit(self, event: Event, *args: Any) -> None:
        for callback in tuple(self._subscribers[event]):
            callback(*args)

    # ------------------------------------------------------------------ inputs
    def start(self, token: str | None, key: str | None) -> tuple[str, str]:
        """The first inputs: ``token``/``key`` as given, or the example and its secret when
        no token is given. Returns the ``(token, key)`` to put in the editors."""
        if token is None:
            token, key = EXAMPLE_TOKEN, (EXAMPLE_SECRET if key is None else key)
        self.token_text, self.key_text = token, key or ""
        self.example_key = key == EXAMPLE_SECRET and token == EXAMPLE_TOKEN
        return self.token_text, self.key_text

    def token_edited(self, text: str) -> None:
        """The user changed the token text. The example-key rule: once the example token is
        replaced, its secret would only call the user's token's signature invalid, so it is
        cleared (``key_cleared``); while the example's signature is still in the text (a
        tampered example, say) it stays, and a key the user typed is never cleared."""
        self.token_text = text
        self.chosen = None  # its offsets were into the text before
        if not self.example_key:
            return
        if self.key_text != EXAMPLE_SECRET:
            self.example_key = False
            return
        if EXAMPLE_SIGNATURE in text:
            return
        self.example_key = False
        self.key_text = ""
        self._emit("key_cleared")

    def choose(self, found: tuple[str, int, int] | None) -> None:
        """Inspect ``token_text[start:end]`` of ``found`` from now on (``None``: the text)."""
        self.chosen = found

    def key_edited(self, key: str) -> None:
        """The user (or a tool) changed the key text: unless it is still the example's
        secret, it is theirs, never cleared for them."""
        self.key_text = key
        if key != EXAMPLE_SECRET:
            self.example_key = False

    def key_set(self, key: str) -> None:
        """A key was put in the box on purpose (a file, a tool): never the example's."""
        self.example_key = False
        self.key_text = key

    # ------------------------------------------------------------------ results
    def show_result(self, result: InspectionResult) -> bool:
        """Make ``result`` current and tell the subscribers; it is no longer stale. Returns
        whether it answers the same inputs as the previous result (the clock aside)."""
        previous, self.result = self.result, result
        same = previous is not None and previous.request.same_inputs(result.request)
        self.set_stale(False)
        self._emit("result", result, same)
        return same

    def set_stale(self, stale: bool) -> None:
        """Mark the current result as out of date (or current again); tells ``stale``
        subscribers only on a change."""
        if stale == self.stale:
            return
        self.stale = stale
        self._emit("stale", stale)

    def select_finding(self, finding: Any) -> None:
        """The user selected ``finding`` (or none): the panes that explain or locate it are
        told (``selection``), even when it is the same one again (a new result re-selects)."""
        self.selected = finding
        self._emit("selection", finding)

    def can_go_stale(self) -> bool:
        """Whether there is a current, fresh result that new input would make stale."""
        return self.result is not None and not self.stale
