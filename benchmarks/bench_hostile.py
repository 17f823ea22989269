"""Time ``inspect_token`` on hostile input shapes at two sizes and print the ratio.

Linear code takes about 10x as long for 10x the input; a ratio near 100 is quadratic.

Run from the checkout: ``python benchmarks/bench_hostile.py`` (the shapes of
``tests/core/hostile.py`` at 50 KB and 500 KB, each in a child process with a time limit, so
a quadratic shape reports "> LIMIT" instead of running for an hour), or
``python benchmarks/bench_hostile.py --explore`` (the audit: every short literal of the
codec's patterns, repeated, in every place a token text reaches; prints the shapes whose
time grows faster than their size).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspector.core import inspect_token
from tests.core import hostile
from tests.core.test_linear_time import forget

NOW = 1_800_000_300.0


def best_of(text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        forget()
        t0 = time.perf_counter()
        inspect_token(text, now=NOW, check_weak_secrets=False)
        best = min(best, time.perf_counter() - t0)
    return best


def _child(name: str, size: int, repeats: int) -> None:
    build = dict(hostile.SHAPES)[name]
    text = build(size)
    print(f"{best_of(text, repeats):.6f}")


def _table(sizes: tuple[int, int], limit: float, repeats: int, only: str | None) -> None:
    print(f"{'shape':44} {sizes[0] // 1000:>6} KB {sizes[1] // 1000:>6} KB  ratio")
    for name, _ in hostile.SHAPES:
        if only and only not in name:
            continue
        times: list[float | None] = []
        for size in sizes:
            try:
                out = subprocess.run(
                    [sys.executable, __file__, "--child", name, str(size), str(repeats)],
                    capture_output=True,
                    text=True,
                    timeout=limit,
                    check=True,
                )
                times.append(float(out.stdout))
            except subprocess.TimeoutExpired:
                times.append(None)
        shown = [f"{t:8.3f} s" if t is not None else f"> {limit:.0f} s".rjust(10) for t in times]
        a, b = times
        ratio = f"{b / a:6.1f}" if a and b else "     -"
        print(f"{name:44} {shown[0]} {shown[1]} {ratio}", flush=True)


#: Short strings from the codec's patterns (cleaning, lints, sensitive, claims), and
#: every character class.
LITERALS = (
    "a", "A", "1", ".", "-", "_", "=", "+", "/", "%", " ", "\n", "\t", '"', "'", "\\", "{", "}",
    "[", "]", ":", ",", "@", "$", "#", "?", "&", ";", "*", "\x00", "é", "\u200b",
    "a.", "a=", "a-", "a/", "a%", "eyJ", "eyJ.", "eyJa.", "/eyJ", "%2E", "a%2E", "%20eyJ",
    "%2", "%3D", "a==.", "e30.", "ewo", "bearer ", "authorization:", "cookie:", "set-cookie:",
    "://", "#access_token=", "?id_token=", "&", "a=b;", "..", "../", "%2e%2e", "%c0%af",
    "%00", "file:", "C:\\", "/etc/", "select ", "select from ", "union", "or a=", "and ",
    "--", "/*", "$(", "${", "1 ", "1-", "11 ", "111-11-", "AA11", "AA11 ", "AKIA", "AIza",
    "ghp_", "github_pat_", "xoxb-", "xoxe.xoxb-", "sk_live_", "whsec_", "GOCSPX-", "ya29.",
    "glpat-", "npm_", "SG.", "SG.a.", "sk-", "sk-ant-", "hf_", "AccountKey=", "a://b:",
    "a://b:c@", "$2a$10$", "$argon2id$", "$argon2id$m=1,t=1,p=1$", "$1$", "$1$a$", "$y$a",
    "$y$a$", "$7$", "$scrypt$ln=1,r=1,p=1$", "$pbkdf2$1$", "pbkdf2_sha1$1$", "{SSHA}",
    "-----BEGIN ", "-----BEGIN A ", "PRIVATE ", "https://hooks.slack.com/services/T",
    "T3BlbkFJ", "1e", "1.5", "-1", "\\u0000", "\\ud800",
)  # fmt: skip

CONTEXTS = {
    "alone": hostile._alone,
    "before": hostile._before,
    "after": hostile._after,
    "claim": hostile._claim,
    "kid": lambda u: hostile._header("kid", u),
    "typ": lambda u: hostile._header("typ", u),
    "payload bytes": hostile._raw_payload,
    "claim names": hostile._claim_names,
    "bearer": lambda u: lambda n: "Bearer " + hostile._rep(u, n),
    "jws json": hostile._jws_json_header,
}


def _explore(small: int, factor: int, budget: float, contexts: str | None) -> None:
    flagged = 0
    for ctx, make in CONTEXTS.items():
        if contexts and ctx not in contexts.split(","):
            continue
        for unit in LITERALS:
            build = make(unit)
            print(f"        {ctx:14} {unit!r}", file=sys.stderr, flush=True)
            try:
                t_small = best_of(build(small), 3)
            except Exception as err:  # noqa: BLE001 - the audit reports every failure
                print(f"RAISES  {ctx:14} {unit!r}: {type(err).__name__}: {err}", flush=True)
                flagged += 1
                continue
            if t_small > budget:
                print(f"SLOW    {ctx:14} {unit!r}: {t_small:.3f} s at {small}", flush=True)
                flagged += 1
                continue
            t_big = best_of(build(small * factor), 3)
            ratio = t_big / max(t_small, 1e-6)
            if ratio > 2.5 * factor and t_big > 0.05:
                print(
                    f"GROWS   {ctx:14} {unit!r}: {t_small:.4f} s -> {t_big:.4f} s "
                    f"(x{ratio:.0f} for x{factor})",
                    flush=True,
                )
                flagged += 1
    print(f"{flagged} shape(s) flagged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("NAME", "SIZE", "REPEATS"))
    parser.add_argument("--explore", action="store_true")
    parser.add_argument("--small", type=int, default=50_000)
    parser.add_argument("--big", type=int, default=500_000)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per child")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", help="shapes whose name contains this")
    parser.add_argument("--explore-size", type=int, default=5_000)
    parser.add_argument("--contexts", help="with --explore: these places only (comma-separated)")
    args = parser.parse_args()
    if args.child:
        name, size, repeats = args.child
        _child(name, int(size), int(repeats))
    elif args.explore:
        _explore(args.explore_size, 10, budget=0.5, contexts=args.contexts)
    else:
        _table((args.small, args.big), args.limit, args.repeats, args.only)


if __name__ == "__main__":
    main()
