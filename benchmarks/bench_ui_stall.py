"""Longest event-loop stall while a huge token is pasted into the window and inspected.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui_stall.py [--sizes 1,5,10] [--no-baseline]

For each size (MB of token text) a fresh InspectorWindow gets the token pasted through the
clipboard (select all + paste, as a user would), and a 2 ms QTimer on the GUI thread records
the longest gap between its ticks until the panes show the inspection of the pasted text.
Baseline in the same run: a paste into a bare QPlainTextEdit (what the window avoids by showing
an elided preview), measured the same way, at --baseline-mb (default 0.2 MB: a bare editor
takes about 90 s for 1 MB on a 2-core machine, so bigger baselines are impractical). Also
prints the one-off cost of "Show full text" (a deliberate click) for the largest size.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit


def make_token(n_bytes: int) -> str:
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    blob = "x" * int(n_bytes * 3 / 4)
    payload = b64(json.dumps({"sub": "big", "exp": 4102444800, "blob": blob}).encode())
    signing_input = f"{header}.{payload}".encode()
    sig = hmac.new(b"k" * 32, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(sig)}"


class StallMeter:
    """Longest gap between ticks of a 2 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self.last = time.perf_counter()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self) -> None:
        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest


def run_until(app: QApplication, done, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while not done():
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() - started > timeout:
            raise TimeoutError("did not settle")
    return time.perf_counter() - started


def measure_window(app: QApplication, token: str) -> tuple[float, float, object]:
    from inspector.ui.window import InspectorWindow

    window = InspectorWindow(theme="light")
    window.show()
    run_until(app, window.is_settled)
    meter = StallMeter()
    app.clipboard().setText(token)
    meter.start()
    started = time.perf_counter()
    window.token_edit.selectAll()
    window.token_edit.paste()
    run_until(app, lambda: window.is_settled() and window.token_text() == token)
    total = time.perf_counter() - started
    # Let the repaint after the last update happen inside the measurement.
    end = time.perf_counter() + 0.1
    while time.perf_counter() < end:
        app.processEvents()
    return meter.stop(), total, window


def measure_bare(app: QApplication, token: str) -> float:
    edit = QPlainTextEdit()
    edit.resize(500, 600)
    edit.show()
    app.processEvents()
    meter = StallMeter()
    app.clipboard().setText(token)
    meter.start()
    edit.selectAll()
    edit.paste()
    end = time.perf_counter() + 0.2
    while time.perf_counter() < end:
        app.processEvents()
    stall = meter.stop()
    edit.close()
    edit.deleteLater()
    app.processEvents()
    return stall


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,5,10", help="token sizes in MB, comma-separated")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-mb", type=float, default=0.2)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    sizes = [float(s) for s in args.sizes.split(",")]
    bare = float("nan")
    if not args.no_baseline:
        bare = measure_bare(app, make_token(int(args.baseline_mb * 1_000_000)))
        print(
            f"baseline: bare QPlainTextEdit, paste of {args.baseline_mb} MB: "
            f"longest stall {bare * 1000:.0f} ms"
        )
    print(f"{'size':>6}  {'window stall':>12}  {'settled in':>10}  baseline/stall")
    last_window = None
    for mb in sizes:
        token = make_token(int(mb * 1_000_000))
        stall, total, window = measure_window(app, token)
        if last_window is not None:
            last_window.close()
        last_window = window
        ratio = bare / stall if stall else float("inf")
        print(
            f"{len(token) / 1e6:5.1f}M  {stall * 1000:9.1f} ms  {total * 1000:7.0f} ms  "
            f"{ratio:10.1f}x"
        )
    if last_window is not None:
        started = time.perf_counter()
        last_window.token_edit.show_full_text()
        last_window.repaint()
        app.processEvents()
        print(
            f"'Show full text' on the last size (a deliberate click): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms"
        )
        last_window.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
