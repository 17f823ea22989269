"""Bulk audit: ``jwt-inspector-cli inspect --json`` over a log of tokens against a plain PyJWT
loop, in one run, the runs interleaved round by round.

Targets (issue 17 item 3), 20,000 distinct HS256 tokens of three shapes (an access token, an
ID token with e-mail and name, a token with nested objects and arrays), one per line:

* ``--json --no-weak-secrets --jobs 1``: at most 1.5x the PyJWT loop;
* ``--json --no-weak-secrets --jobs 2``: at most 1.0x the PyJWT loop;
* with the weak-secret check on (the built-in list), the cost per token at most 1.2x a bare
  loop of ``hmac.digest`` over the built-in list for each token (on ``--weak-tokens``
  tokens, fewer: the bare loop alone takes about a millisecond per token).

The PyJWT loop reads the same log and prints each token's header and payload as one JSON
line (``jwt.decode_complete`` without verifying, ``json.dumps``). Every command is a fresh
process, so interpreter start and imports count for all alike. Each round runs every command
once, in the same order; the script prints every round's ratios and the medians.

The checkout's modules are byte-compiled first, as an installed package's are (PyJWT's,
in site-packages, are): where ``PYTHONDONTWRITEBYTECODE`` is set, a module edited since it
was last compiled would otherwise be compiled again by every run, and counted as start-up.

``--million`` instead writes a 1,000,000-token log, runs the CLI once with ``--jobs 2`` and
reports the largest resident size of the CLI process and of each worker (sampled from
``/proc`` every 0.2 s): each must stay under 100 MB whatever the log's length (streaming).

Run: ``python benchmarks/bench_bulk.py`` (``--rounds 5``, ``--tokens 20000``,
``--weak-tokens 2000``, ``--million``; ``--breakdown`` first prints where a report's time goes
per token, stage by stage, measured in one process, then the whole path at once, and
``--rounds 0`` only that). The log is
written to a temporary directory that is removed afterwards (tokens signed with a benchmark
secret, nothing else).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_decode import SHAPES

ROOT = Path(__file__).resolve().parent.parent
NOW = 1_800_000_300  # bench_decode.NOW: the tokens are valid then
#: The typical token shapes, made as bench_decode.py makes them (signed with a secret that is not
#: on the built-in list, so the weak-secret check tries every word).
_SHAPES = tuple(SHAPES.values())

PYJWT_LOOP = """
import json, sys
import jwt
out = sys.stdout.write
opts = {"verify_signature": False}
for line in sys.stdin:
    line = line.strip()
    if line:
        d = jwt.decode_complete(line, options=opts)
        out(json.dumps({"header": d["header"], "payload": d["payload"]}) + "\\n")
"""

BARE_HMAC_LOOP = """
import base64, hmac, sys
from inspector.core.weak_secrets import builtin_secrets
words = builtin_secrets()
digest = hmac.digest
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    h, p, s = line.split(".")
    msg = f"{h}.{p}".encode()
    sig = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    for w in words:
        if digest(w, msg, "sha256") == sig:
            break
"""


def shaped_token(i: int) -> str:
    """Token ``i`` of the log: the three shapes of ``bench_decode.py`` in turn (an access token,
    an ID token, nested claims), each distinct, all valid at NOW."""
    return _SHAPES[i % len(_SHAPES)](i)


def write_log(path: Path, n: int) -> None:
    with open(path, "w", encoding="ascii") as f:
        for i in range(n):
            f.write(shaped_token(i) + "\n")


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "inspector.cli", "inspect", "-", "--json", "--now", str(NOW),
            *args]  # fmt: skip


def timed(argv: list[str], log: Path) -> float:
    with open(log, "rb") as stdin:
        t0 = time.perf_counter()
        r = subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           cwd=ROOT)  # fmt: skip
        elapsed = time.perf_counter() - t0
    if r.returncode not in (0, 1):
        sys.exit(f"{argv} failed ({r.returncode}): {r.stderr.decode()[-2000:]}")
    return elapsed


def _tree_rss(pid: int) -> dict[int, int]:
    """Resident bytes of ``pid`` and its descendants, from /proc."""
    out: dict[int, int] = {}
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        out[p] = int(line.split()[1]) * 1024
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return out


def million(tmp: Path, n: int) -> None:
    log = tmp / "million.log"
    t0 = time.perf_counter()
    write_log(log, n)
    size, took = log.stat().st_size / 1e6, time.perf_counter() - t0
    print(f"wrote {n:,} tokens ({size:.0f} MB) in {took:.0f} s")
    peak: dict[int, int] = {}
    with open(log, "rb") as stdin:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cli("--no-weak-secrets", "--jobs", "2"), stdin=stdin,
                                stdout=subprocess.DEVNULL, cwd=ROOT)  # fmt: skip
        while proc.poll() is None:
            for pid, rss in _tree_rss(proc.pid).items():
                peak[pid] = max(peak.get(pid, 0), rss)
            time.sleep(0.2)
        elapsed = time.perf_counter() - t0
    print(f"--jobs 2 over {n:,} tokens: {elapsed:.0f} s, exit status {proc.returncode}")
    for pid, rss in sorted(peak.items()):
        role = "CLI" if pid == proc.pid else "worker"
        print(f"  {role:6} pid {pid}: largest resident size {rss / 2**20:.0f} MB")
    worst = max(peak.values()) / 2**20
    print(f"target every process < 100 MB: {'met' if worst < 100 else 'NOT met'} ({worst:.0f} MB)")


BREAKDOWN_TOKENS = 3_000


def breakdown(tokens: int, repeats: int = 5) -> None:
    """Where a ``--json --no-weak-secrets`` report's time goes, per token, measured in this
    process on the log's first tokens (the best of ``repeats`` runs of each stage, each on
    fresh inspections where the stage fills a lazy value), beside a PyJWT loop's decode and
    ``json.dumps``; and each kind of process's start (the CLI on one token, ``import jwt``)."""
    import json
    import time as clock

    import jwt

    from inspector.cli.inspect_cmd import passes
    from inspector.cli.json_lines import json_line_bytes
    from inspector.core.inspection import inspect_with
    from inspector.core.options import InspectOptions

    texts = [shaped_token(i) for i in range(tokens)]
    options = InspectOptions(now=NOW, check_weak_secrets=False)
    opts = {"verify_signature": False}

    def pyjwt(text: str) -> None:
        d = jwt.decode_complete(text, options=opts)
        json.dumps({"header": d["header"], "payload": d["payload"]})

    def texts_of_times(i: Any) -> None:
        for t in i.analysis.times:
            t.texts()

    stages: list[tuple[str, Callable[[Any], object], bool]] = [
        ("PyJWT decode_complete + json.dumps", pyjwt, False),
        ("inspect_with (inspect_token)", lambda t: inspect_with(t, options), False),
        ("analysis.times (TimeClaim objects)", lambda i: i.analysis.times, True),
        ("time texts (utc, local, relative)", texts_of_times, True),
        ("analysis.descriptions", lambda i: i.analysis.descriptions, True),
        ("passes (exit status)", lambda i: passes(i, key_given=False), True),
        ("json_line_bytes (the rest made)", lambda i: json_line_bytes(i), True),
    ]
    print(f"per token, best of {repeats} runs over {tokens:,} tokens, in one process:")
    for name, fn, on_inspections in stages:
        best = float("inf")
        for _ in range(repeats):
            if on_inspections:
                xs: list[Any] = [inspect_with(t, options) for t in texts]
                for i in xs:  # (what each stage before this one filled)
                    for prior_name, prior, _ in stages[2:]:
                        if prior_name == name:
                            break
                        prior(i)
            else:
                xs = texts
            t0 = clock.perf_counter()
            for x in xs:
                fn(x)
            best = min(best, clock.perf_counter() - t0)
        print(f"  {name:<38} {best / tokens * 1e6:7.1f} us")
    # The stages above run one at a time, each over every token (its code and data warm);
    # the command line inspects a block of lines stage by stage (inspection.inspect_all) and
    # then makes each report, which still costs more than the sum above (one token at a time
    # through every stage cost more again: ~90 us a token against a sum of ~65 us, measured
    # before inspect_all on 2026-12-05): the whole path, as --jobs 1 runs it.
    from functools import partial

    from inspector.cli.inspect_cmd import _report, report_block

    finish = partial(
        _report, output="json", colour=False, key_given=False, encoding=("utf-8", "strict")
    )
    block = "".join(t + "\n" for t in texts).encode()
    best = float("inf")
    for _ in range(repeats):
        t0 = clock.perf_counter()
        report_block(block, 0, options, finish=finish, separator=b"")
        best = min(best, clock.perf_counter() - t0)
    print(f"  {'whole path (report_block, all stages)':<38} {best / tokens * 1e6:7.1f} us")
    one = shaped_token(0)
    for name, argv_ in (
        (
            "start: CLI on one token",
            [
                sys.executable,
                "-m",
                "inspector.cli",
                "inspect",
                one,
                "--json",
                "--now",
                str(NOW),
                "--no-weak-secrets",
            ],
        ),
        ("start: python -c 'import jwt, json'", [sys.executable, "-c", "import jwt, json"]),
    ):
        best = float("inf")
        for _ in range(repeats):
            t0 = clock.perf_counter()
            subprocess.run(argv_, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            best = min(best, clock.perf_counter() - t0)
        print(f"  {name:<38} {best * 1e3:7.1f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--tokens", type=int, default=20_000)
    ap.add_argument("--weak-tokens", type=int, default=2_000)
    ap.add_argument("--million", action="store_true")
    ap.add_argument(
        "--breakdown",
        action="store_true",
        help="also print where a report's time goes per token (stages measured in-process)",
    )
    args = ap.parse_args(argv)
    compileall.compile_dir(ROOT / "inspector", quiet=1)
    env_note = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.million:
            million(tmp, 1_000_000)
            return 0
        log, weak_log = tmp / "tokens.log", tmp / "weak.log"
        write_log(log, args.tokens)
        write_log(weak_log, args.weak_tokens)
        if args.breakdown:
            breakdown(min(args.tokens, BREAKDOWN_TOKENS))
            if args.rounds == 0:
                return 0
        commands = {
            "PyJWT loop": ([sys.executable, "-c", PYJWT_LOOP], log),
            "--jobs 1": (cli("--no-weak-secrets", "--jobs", "1"), log),
            "--jobs 2": (cli("--no-weak-secrets", "--jobs", "2"), log),
            "bare hmac": ([sys.executable, "-c", BARE_HMAC_LOOP], weak_log),
            "weak --jobs 1": (cli("--jobs", "1"), weak_log),
            "weak --jobs 2": (cli("--jobs", "2"), weak_log),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        print(f"{args.tokens:,} tokens ({args.weak_tokens:,} for the weak-secret rows); {env_note}")
        print(f"{'round':<7}" + "".join(f"{name:>15}" for name in commands)
              + "   j1/PyJWT  j2/PyJWT  weak-j1/hmac  weak-j2/hmac")  # fmt: skip
        for rnd in range(args.rounds):
            for name, (argv_, path) in commands.items():
                times[name].append(timed(argv_, path))
            t = {name: v[-1] for name, v in times.items()}
            print(
                f"{rnd + 1:<7}" + "".join(f"{t[n]:>14.2f}s" for n in commands)
                + f"   {t['--jobs 1'] / t['PyJWT loop']:>8.2f}"
                f"  {t['--jobs 2'] / t['PyJWT loop']:>8.2f}"
                f"  {t['weak --jobs 1'] / t['bare hmac']:>12.2f}"
                f"  {t['weak --jobs 2'] / t['bare hmac']:>12.2f}"
                f"   (load {os.getloadavg()[0]:.2f})"
            )  # fmt: skip
        med = {name: statistics.median(v) for name, v in times.items()}
        print("median " + "".join(f"{med[n]:>14.2f}s" for n in commands))
        per = {n: med[n] / (args.tokens if "weak" not in n and n != "bare hmac" else
                            args.weak_tokens) * 1e6 for n in commands}  # fmt: skip
        print("us/token " + ", ".join(f"{n} {per[n]:.0f}" for n in commands))
        for label, num, den, target in (
            ("--jobs 1 / PyJWT loop", "--jobs 1", "PyJWT loop", 1.5),
            ("--jobs 2 / PyJWT loop", "--jobs 2", "PyJWT loop", 1.0),
            ("weak check --jobs 1 / bare hmac.digest loop", "weak --jobs 1", "bare hmac", 1.2),
            ("weak check --jobs 2 / bare hmac.digest loop", "weak --jobs 2", "bare hmac", 1.2),
        ):
            ratios = [a / b for a, b in zip(times[num], times[den], strict=True)]
            ratio = med[num] / med[den]
            every = all(r <= target for r in ratios)
            print(
                f"target {label} <= {target}: {'met' if ratio <= target else 'NOT met'} "
                f"(medians {ratio:.2f}x; every round: {'yes' if every else 'no'}, worst "
                f"{max(ratios):.2f}x)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
