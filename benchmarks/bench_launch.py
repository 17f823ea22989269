"""Launch time: process start to the window shown with the example token inspected, as a
ratio to a minimal PySide6 script (a QMainWindow with three QPlainTextEdit panes, shown, then
quit) measured in the same run.

    python benchmarks/bench_launch.py [--runs 21]

The app is started the way the README starts it, with the ``jwt-inspector`` launcher that
installing the package puts beside the interpreter (``python -m inspector`` when there is
none; the benchmark says which), plus ``--smoke-exit``: it writes
``first-inspection-shown`` on stderr as soon as the first inspection (the example token,
verified with its secret) is shown and painted, then quits; the baseline writes
``first-frame-shown`` after its first paint. Each run is timed from process start to that
line (shutdown is not counted for either). Runs of the two alternate; the ratio of the
medians is the figure judged (target: <= 1.5). This machine's timings come in bursts of noise
that only ever add time, so two more figures are printed: the median of the ratios of runs
made one after the other (each pair sees about the same conditions) and the ratio of the best
runs (the cost without noise).

``--instructions`` (a breakdown, not the judged figure): the instructions each process
executes from its start to its line, counted once each under valgrind's callgrind, for the
app's process and for the child it forks. The count does not depend on what else the machine
runs, so it shows on a noisy day whether a change made the launch cheaper; it leaves out what
timing sees besides (page faults, cache misses, the child competing for a busy core).
Needs ``valgrind``; about a minute.

Before measuring, the package's bytecode caches are written (as installing the wheel does;
PySide6's own are in site-packages already). Otherwise, with ``PYTHONDONTWRITEBYTECODE=1`` or
after an edit, every launch would also compile the UI modules from source (~30 ms here), which
measures the checkout rather than the app.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time

BASELINE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMainWindow, QPlainTextEdit, QWidget
app = QApplication(sys.argv)
window = QMainWindow()
central = QWidget()
layout = QHBoxLayout(central)
for text in ("token", "header", "payload"):
    layout.addWidget(QPlainTextEdit(text))
window.setCentralWidget(central)
window.resize(1380, 860)
window.show()
def done():
    window.repaint()
    sys.stderr.write("first-frame-shown\n")
    sys.stderr.flush()
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def timed(
    cmd: list[str],
    env: dict[str, str],
    marker: bytes | None = None,
    phases: dict[str, list[float]] | None = None,
) -> float:
    """Seconds from starting ``cmd`` until it writes ``marker`` on stderr (or exits).
    The app's ``launch-phases`` line, if any, is added to ``phases`` (name -> ms)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    elapsed = None
    for line in proc.stderr:
        if marker is not None and line.startswith(marker):
            elapsed = time.perf_counter() - started
            break
    rest = proc.communicate()[1]
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed with {proc.returncode}")
    for line in rest.splitlines():
        if phases is not None and line.startswith(b"launch-phases "):
            for item in line.split()[1:]:
                name, ms = item.decode().split("=")
                phases.setdefault(name, []).append(float(ms))
    return elapsed if elapsed is not None else time.perf_counter() - started


#: Runs a command's Python code (``BASELINE``, or the launcher as ``__main__``) and ends the
#: process with ``os._exit`` as soon as it writes its line, so that only the launch is counted.
UNTIL_LINE = r"""
import os, runpy, sys
marker, target = sys.argv[1], sys.argv[2]
real_write = sys.stderr.write

def write(text):
    written = real_write(text)
    if text.startswith(marker):
        sys.stderr.flush()
        os._exit(0)
    return written

sys.stderr.write = write
if target == "-c":
    sys.argv = ["-c"]
    exec(compile(BASELINE, "<baseline>", "exec"), {"__name__": "__main__"})
elif target == "-m":
    sys.argv = [sys.argv[3], *sys.argv[4:]]
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
else:
    sys.argv = [target, *sys.argv[3:]]
    runpy.run_path(target, run_name="__main__")
"""


def instructions(cmd: list[str], marker: str, env: dict[str, str]) -> list[int]:
    """Instructions executed by ``cmd`` (``[python, launcher_or_-c, args...]``) until it
    writes ``marker``, per process under valgrind's callgrind: its own first, then any child
    it forked."""
    code = f"BASELINE = {BASELINE!r}\n" + UNTIL_LINE
    run = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        cmd[0],
        "-c",
        code,
        marker,
        *cmd[1:],
    ]
    out = subprocess.run(run, env=env, capture_output=True, text=True).stderr
    pids = re.findall(r"^==(\d+)== ", out, re.MULTILINE)
    counts = dict(re.findall(r"^==(\d+)== Collected : (\d+)", out, re.MULTILINE))
    if not pids or pids[0] not in counts:
        raise RuntimeError(f"no instruction count from callgrind for {cmd}:\n{out[-2000:]}")
    first = pids[0]
    return [int(counts[first]), *(int(n) for pid, n in counts.items() if pid != first)]


def count_instructions(app_cmd: list[str], env: dict[str, str]) -> int:
    """The ``--instructions`` breakdown (see the module docstring)."""
    if shutil.which("valgrind") is None:
        print("--instructions needs valgrind (apt-get install valgrind)")
        return 1
    base = instructions([sys.executable, "-c"], "first-frame-shown", env)
    app = instructions(app_cmd, "first-inspection-shown", env)
    print(f"minimal PySide6 window : {base[0] / 1e6:8.1f} M instructions to its first frame")
    print(f"jwt-inspector, example : {app[0] / 1e6:8.1f} M instructions to the first inspection")
    for n in app[1:]:
        print(f"  its forked child     : {n / 1e6:8.1f} M instructions (on another core)")
    print(f"ratio {app[0] / base[0]:.2f} in instructions (the judged figure is the timed one)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions under valgrind instead of timing (see the docstring)",
    )
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    launcher = os.path.join(sysconfig.get_path("scripts"), "jwt-inspector")
    if os.path.exists(launcher):
        app_cmd = [sys.executable, launcher, "--smoke-exit"]
    else:
        app_cmd = [sys.executable, "-m", "inspector", "--smoke-exit"]
    base_cmd = [sys.executable, "-c", BASELINE]
    package = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "inspector")
    compileall.compile_dir(package, quiet=1)
    if args.instructions:
        return count_instructions(app_cmd, env)
    # Warm the file cache once for both.
    timed(base_cmd, env)
    timed(app_cmd, env)
    base, app, core, bare = [], [], [], []
    phases: dict[str, list[float]] = {}
    core_cmd = [sys.executable, "-c", "import inspector.core"]
    bare_cmd = [sys.executable, "-c", "pass"]
    for _ in range(args.runs):
        base.append(timed(base_cmd, env, b"first-frame-shown"))
        app.append(timed(app_cmd, env, b"first-inspection-shown", phases))
        core.append(timed(core_cmd, env))
        bare.append(timed(bare_cmd, env))
    b, a = statistics.median(base), statistics.median(app)
    print(
        f"minimal PySide6 window : median {b * 1000:6.0f} ms  (runs: "
        + ", ".join(f"{x * 1000:.0f}" for x in base)
        + ")"
    )
    print(
        f"jwt-inspector, example : median {a * 1000:6.0f} ms  (runs: "
        + ", ".join(f"{x * 1000:.0f}" for x in app)
        + ")"
    )
    print(f"ratio {a / b:.2f} (target <= 1.5)   [app started as: {' '.join(app_cmd[1:])}]")
    paired = statistics.median(x / y for x, y in zip(app, base, strict=True))
    print(f"median of the ratios of runs made side by side: {paired:.2f}")
    best_a, best_b = min(app), min(base)
    print(f"best runs: {best_a * 1000:.0f} ms / {best_b * 1000:.0f} ms = {best_a / best_b:.2f}")
    if phases:
        # Each step's median duration (from the end of the step before, inside main()).
        steps, previous = [], 0.0
        for name, ends in phases.items():
            end = statistics.median(ends)
            steps.append(f"{name} {end - previous:.0f}")
            previous = end
        print("app steps, median ms inside main(): " + ", ".join(steps))
    c, p = statistics.median(core), statistics.median(bare)
    print(
        f"for scale: bare interpreter {p * 1000:.0f} ms; 'import inspector.core' alone adds "
        f"{(c - p) * 1000:.0f} ms (on Linux the app imports it in a child forked at launch, "
        "in parallel with Qt; elsewhere in a worker thread, where it competes for the GIL)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
