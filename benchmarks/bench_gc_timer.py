"""What the GUI thread's garbage collector (inspector.ui.gui_thread) costs the event loop.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gc_timer.py [--seconds 20]

Builds the window as the app does (signing tools installed), installs the collector with the
app's settings, then edits and inspects tokens for --seconds while a 2 ms QTimer records the
longest gap between its ticks. Prints:

- the tracked objects (what a full collection walks);
- one check that finds nothing due (the cost of most ticks), in microseconds;
- generation 0, 1 and 2 collections as forced one at a time (median of 7), in milliseconds,
  before and after the one-off collect-and-freeze the app does after launch (its cost too);
- what the collector's own timer did during the workload: collections per generation, their
  mean and longest duration;
- the longest event-loop gap during the workload, with the collector and, for comparison, in
  a second run with automatic collection instead (``--automatic``, run by this script in a
  fresh process).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _median_ms(fn: object, n: int = 7) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(seconds: float, *, automatic: bool) -> dict[str, object]:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest

    from inspector.ui.edit_panel import install_signing_tools
    from inspector.ui.example import EXAMPLE_TOKEN
    from inspector.ui.gui_thread import install_gui_thread_policy
    from inspector.ui.theme import new_application
    from inspector.ui.window import InspectorWindow

    app = new_application("bench")
    window = InspectorWindow(theme="light")
    window.show()
    window.finish_setup()
    install_signing_tools(window)
    while not window.is_settled():
        QTest.qWait(5)
    out: dict[str, object] = {"tracked_objects": len(gc.get_objects())}
    collector = None
    if automatic:
        gc.enable()
    else:
        collector = install_gui_thread_policy(app)
        gc.collect()
        started = time.perf_counter()
        for _ in range(10_000):
            collector.collect_due()
        out["idle_check_us"] = (time.perf_counter() - started) / 10_000 * 1e6
        threshold0 = gc.get_threshold()[0]

        def generation(n: int) -> None:
            junk = [[] for _ in range(threshold0)]
            gc.collect(n)
            del junk

        out["forced_ms"] = {f"gen{n}": _median_ms(lambda n=n: generation(n)) for n in (0, 1, 2)}
        out["freeze_once_ms"] = collector.freeze() * 1000  # as the app does, FREEZE_AFTER_MS in
        out["forced_after_freeze_ms"] = {
            f"gen{n}": _median_ms(lambda n=n: generation(n)) for n in (0, 1, 2)
        }
        collector.timings = [[0, 0.0, 0.0] for _ in range(3)]

    longest = [0.0]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        longest[0] = max(longest[0], now - last[0])
        last[0] = now

    meter = QTimer()
    meter.setInterval(2)
    meter.timeout.connect(tick)
    edits = 0
    deadline = time.perf_counter() + seconds
    meter.start()
    last[0] = time.perf_counter()
    while time.perf_counter() < deadline:
        window.set_token_text(EXAMPLE_TOKEN[: len(EXAMPLE_TOKEN) - edits % 40])
        while not window.is_settled():
            QTest.qWait(1)
        QTest.qWait(20)  # a user's pace: the loop idles between edits
        edits += 1
    meter.stop()
    out["edits"] = edits
    out["longest_gap_ms"] = longest[0] * 1000
    if collector is not None:
        out["timer"] = {
            f"gen{n}": {
                "collections": int(count),
                "mean_ms": (total / count * 1000) if count else 0.0,
                "longest_ms": worst * 1000,
            }
            for n, (count, total, worst) in enumerate(collector.timings)
        }
    else:
        out["automatic_collections"] = [s["collections"] for s in gc.get_stats()]
    window.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--automatic", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.automatic:
        print(json.dumps(run(args.seconds, automatic=True)))
        return 0
    with_timer = run(args.seconds, automatic=False)
    print("collector on the GUI thread:", json.dumps(with_timer, indent=1))
    proc = subprocess.run(
        [sys.executable, __file__, "--seconds", str(args.seconds), "--automatic"],
        capture_output=True,
        text=True,
        check=True,
    )
    print("automatic collection (before):", proc.stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
