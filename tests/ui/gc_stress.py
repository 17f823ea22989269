"""Stress the thread rule of :mod:`inspector.ui`: no Qt object destroyed off the GUI thread.

Run in a fresh process (``tests/ui/test_gc_stress.py`` does, with the interpreter running the
suite)::

    python -m tests.ui.gc_stress [--rounds N] [--threshold 1,1,1] [--no-policy]

Python's cyclic collector runs in whichever thread allocates when a threshold trips. Here the
thresholds are tiny (``gc.set_threshold``) and everything loaded at start is frozen
(``gc.freeze``: full collections then walk only what the rounds made, so they come often and
cheaply), so collections trip all the time, and the worker threads allocate plenty (key
generation serialises JSON, inspection builds its result). Meanwhile each round makes garbage
that holds Qt objects, as a user does: a window with its signing tools opened, used (keys
generated and used to sign, tokens inspected, the generator closed and reopened) and
closed; then, while that window's remains wait to be collected, more keys generated in a key
generator that is closed and dropped while its last key is still being made.

Every collection is recorded with the thread it ran on, and Qt's warnings about threads
(an object destroyed, a timer stopped from the wrong thread) are collected. The script fails
(exit 1) if a collection ran off the GUI thread or Qt warned; a crash (``Fatal Python error:
Segmentation fault``, the fault this guards against) fails it too. ``--no-policy`` leaves
automatic collection on, as it was before the rule: the way to show that this script catches
the fault (the suite never uses it).

Prints ``gc-stress <rounds> rounds <keys> keys <inspections> inspections, collections: <n>
on the GUI thread, <m> on other threads`` and exits 0 when every round completed with m = 0.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Key algorithms generated while the window is open: fast ones, so many fit in seconds.
ALGORITHMS = ("ES256", "Ed25519", "HS256", "ES384", "EdDSA", "HS512", "ES256K")
#: Keys generated after the window is closed, while its remains wait for the collector.
AFTER_CLOSE = ("ES256", "Ed25519", "HS384", "ES512")
#: How long any one wait may take before the script gives up (a hang is a failure too).
WAIT_S = 120.0
#: The collector's tick while stressed (the app's is inspector.ui.gui_thread.TICK_MS).
STRESS_TICK_MS = 2


class CollectionLog:
    """Counts collections by the thread they ran on (a ``gc.callbacks`` entry)."""

    def __init__(self) -> None:
        self.by_thread: Counter[str] = Counter()
        self._gui = threading.get_ident()

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gui = threading.get_ident() == self._gui
            self.by_thread["gui" if gui else "other"] += 1


class QtMessages:
    """Qt's own warnings about threads (an object destroyed, a timer stopped or an event sent
    from the wrong thread), collected through ``qInstallMessageHandler``."""

    def __init__(self) -> None:
        self.about_threads: list[str] = []

    def __call__(self, kind: object, context: object, message: str) -> None:
        if "thread" in message.lower():
            self.about_threads.append(message)


def _wait_until(predicate: Callable[[], bool], what: str) -> None:
    """Run the event loop until ``predicate()`` (as ``qtbot.waitUntil`` does: ``qWait`` also
    deletes what ``deleteLater`` marked)."""
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + WAIT_S
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"gc-stress: timed out waiting for {what}")
        QTest.qWait(1)


def _generate(dialog: object, alg: str) -> object:
    got: list[object] = []
    dialog.algCombo.setCurrentText(alg)  # type: ignore[attr-defined]
    dialog.key_generated.connect(got.append)  # type: ignore[attr-defined]
    dialog.generateButton.click()  # type: ignore[attr-defined]
    _wait_until(lambda: bool(got), f"a {alg} key")
    return got[0]


def run(rounds: int, *, policy: bool) -> tuple[int, int]:
    """Open, use and close windows and key generators ``rounds`` times; return how many keys
    were generated and inspections shown."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from inspector.ui.edit_panel import install_signing_tools
    from inspector.ui.keygen_dialog import KeyGeneratorDialog
    from inspector.ui.window import InspectorWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    if policy:
        from inspector.ui.gui_thread import install_gui_thread_policy

        install_gui_thread_policy(app, tick_ms=STRESS_TICK_MS, full_every_s=0.0)
    keys = inspections = 0
    for n in range(rounds):
        window = InspectorWindow(theme="light")
        window.show()
        window.finish_setup()
        _wait_until(window.is_settled, "the first inspection")
        panel, dialog = install_signing_tools(window)
        dialog.show()
        for alg in ALGORITHMS:
            _generate(dialog, alg)
            keys += 1
            dialog.useKeyButton.click()  # the panel signs with it ...
            panel.load("{}", f'{{"sub": "round {n} {alg}"}}')
            panel.signButton.click()  # ... and the window inspects the token
            _wait_until(window.is_settled, "an inspection")
            inspections += 1
            window.set_token_text(window.token_text() + "x")  # a broken token, inspected too
            _wait_until(window.is_settled, "an inspection")
            inspections += 1
            dialog.close()  # closed and reopened, as from the Tools menu
            dialog.show()
        dialog.close()
        window.close()
        window.deleteLater()
        del window, panel, dialog
        QTest.qWait(1)  # the window is deleted; its Python remains are garbage now
        loose = KeyGeneratorDialog()
        loose.show()
        for alg in AFTER_CLOSE:
            _generate(loose, alg)
            keys += 1
        loose.algCombo.setCurrentText("RS256")
        loose.generateButton.click()  # closed and dropped while this key is being made
        loose.close()
        loose.deleteLater()
        del loose
        QTest.qWait(1)
    pool = QThreadPool.globalInstance()
    _wait_until(lambda: pool.activeThreadCount() == 0, "the pool")
    QTest.qWait(50)  # what the last jobs left is collected
    return keys, inspections


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threshold", default="1,1,1", help="gc.set_threshold(...) values")
    parser.add_argument(
        "--no-policy", action="store_true", help="leave automatic collection on (pre-fix)"
    )
    args = parser.parse_args(argv)
    import faulthandler

    faulthandler.enable()
    # Everything the rounds need is loaded first, then frozen out of the collector's sight.
    import inspector.core
    import inspector.ui.edit_panel
    import inspector.ui.window  # noqa: F401

    gc.collect()
    gc.freeze()
    gc.set_threshold(*(int(v) for v in args.threshold.split(",")))
    from PySide6.QtCore import qInstallMessageHandler

    messages = QtMessages()
    qInstallMessageHandler(messages)
    log = CollectionLog()
    gc.callbacks.append(log)
    keys, inspections = run(args.rounds, policy=not args.no_policy)
    gc.callbacks.remove(log)
    for message in messages.about_threads:
        print(f"Qt: {message}", flush=True)
    print(
        f"gc-stress {args.rounds} rounds {keys} keys {inspections} inspections, collections: "
        f"{log.by_thread['gui']} on the GUI thread, {log.by_thread['other']} on other threads; "
        f"{len(messages.about_threads)} Qt warnings about threads",
        flush=True,
    )
    return 1 if log.by_thread["other"] or messages.about_threads else 0


if __name__ == "__main__":
    sys.exit(main())
