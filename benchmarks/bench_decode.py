"""Decode cost of ``inspect_token`` against the floor and against PyJWT, in one run.

Targets (issue 2, and issues 4 and 17 for the whole analysis with weak-secret checks off):
  * typical tokens (300-400 bytes, 6-10 claims) of three shapes, each token distinct (an
    access token, an ID token with e-mail and name, a token with nested objects and arrays):
    ``inspect_token(..., check_weak_secrets=False)`` at most 1.3x PyJWT's
    ``jwt.decode(..., options={"verify_signature": False})``, in every run;
  * a 1 MB token: decoding (``parse_token``) at most 1.5x the floor
    (``base64.urlsafe_b64decode`` + ``json.loads`` of the same parts), the best of seven or
    more interleaved rounds of each (a call takes milliseconds: one pause of the machine's
    could double a single timing).

The shapes are timed interleaved: each round runs PyJWT and then ``inspect_token`` over the
same slice of 100 distinct tokens, so load from other processes falls on both alike; the
ratio is of the best round of each (and the median round's ratio is printed beside it).

Run: ``python benchmarks/bench_decode.py`` (``--quick`` for fewer repeats).
Prints a table of microseconds per call (best of several repeats) and the ratios.

``--stages`` prints instead where an inspection's time goes, per shape (issue 17 item 1): each
stage timed on its own over the same distinct tokens, interleaved with PyJWT's decode, as a
multiple of it. The stages: cleaning (recognising what is not a JWT, finding the token),
base64 (the three segments), JSON (UTF-8 and JSON of header and payload), the whole parse,
building the options, verification without a key, each analysis pass and the profiles, the
whole analysis, and ``to_dict``. Stages overlap (the parse holds cleaning, base64 and JSON),
so they do not add up to the whole: each stage timed alone keeps its code hot, and the whole
inspection runs more code per token than the processor's caches and branch predictors hold
(under callgrind, midway through this work, an ID token's inspection ran 1.25x PyJWT's
instructions but had 2x its instruction-cache misses and indirect-branch mispredictions and
3x its conditional-branch mispredictions). ``--stages --quick`` back to back on this machine
(load 1.3, other sessions running) for main at b04a71e (after the parse's fast path) and
after speed7 (the options of a call with a key built without ``__init__``, an inspection's
``times`` made without judging the claims again), as multiples of PyJWT (access / ID /
nested). The two columns differ by no more than the noise: PyJWT itself took 58/59/44 us in
the first run and 42/42/39 us in the second. ``to_dict`` reads ``times`` once per
inspection and then keeps them, so the best round does not show the cheaper first read
(timed on its own, reading ``analysis.times`` of fresh inspections: 7.1/4.9/7.9 us ->
5.5/4.4/5.8 us, best of 20 interleaved rounds).

=========================  ==================  ==================
stage                      main (b04a71e)      speed7
=========================  ==================  ==================
inspect_token (whole)      1.12 / 1.37 / 1.58  1.21 / 1.46 / 1.45
cleaning                   0.13 / 0.12 / 0.12  0.12 / 0.12 / 0.12
base64 (3 segments)        0.16 / 0.16 / 0.19  0.15 / 0.14 / 0.15
JSON (header, payload)     0.16 / 0.16 / 0.18  0.14 / 0.14 / 0.17
parse (whole, uncached)    0.28 / 0.28 / 0.34  0.28 / 0.27 / 0.30
options (InspectOptions)   0.10 / 0.10 / 0.09  0.09 / 0.09 / 0.09
verification setup         0.04 / 0.04 / 0.04  0.04 / 0.04 / 0.04
pass header_pass           0.05 / 0.06 / 0.04  0.04 / 0.05 / 0.04
pass claims_pass           0.22 / 0.31 / 0.34  0.21 / 0.30 / 0.33
the three other passes     0.00 each           0.00 each
profiles                   0.12 / 0.16 / 0.11  0.11 / 0.16 / 0.10
analyse_token (whole)      0.45 / 0.70 / 0.61  0.45 / 0.73 / 0.57
to_dict                    0.89 / 0.79 / 0.84  0.88 / 0.72 / 0.73
=========================  ==================  ==================

Before issue 17's work (0ab3c46) the same run gave, for the whole inspection, 1.97 / 2.39 /
2.19, the parse 0.63 / 0.60 / 0.65, claims_pass 0.24 / 0.36 / 0.38, profiles 0.11 / 0.25 /
0.11 and analyse_token 0.47 / 0.96 / 0.66.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import statistics
import sys
import time
import timeit
from collections.abc import Callable

import jwt

from inspector.core import inspect_token, parse_token

SECRET = b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa"
NOW = 1_800_000_300.0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(claims: dict) -> str:
    h = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    p = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(SECRET, f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{_b64(sig)}"


#: A typical access token: about 300 bytes encoded.
TYPICAL = {
    "iss": "https://auth.example.com/",
    "sub": "user-4711",
    "aud": "api://orders",
    "iat": 1_800_000_000,
    "nbf": 1_800_000_000,
    "exp": 1_800_000_900,
    "jti": "9b2f6c1e-7d43-4a8e-b1f0-3c5d2e8a7f64",
    "scope": "orders:read orders:write",
}


def _token(header: dict, claims: dict) -> str:
    h = _b64(json.dumps(header, separators=(",", ":")).encode())
    p = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(SECRET, f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{_b64(sig)}"


#: Token ``i`` of a shape was issued ``300 + i % ISSUED_SPREAD`` seconds before NOW: spread
#: out, and every token still valid at NOW (the shortest lifetime below is an hour; issued
#: ``i`` seconds back, the 8,000 tokens of a full run had expired from the 3,300th on, and the
#: check that a shape has no error finding stopped the run).
ISSUED_SPREAD = 3000


def access_token(i: int) -> str:
    """A bare access token (8 claims, ~350 bytes)."""
    iat = int(NOW) - 300 - i % ISSUED_SPREAD
    return _token(
        {"alg": "HS256", "typ": "JWT"},
        {
            "iss": "https://auth.example.com/",
            "sub": f"user-{i}",
            "aud": "api://orders",
            "iat": iat,
            "nbf": iat,
            "exp": iat + 7200,
            "jti": f"{i:08x}-7d43-4a8e-b1f0-3c5d2e8a7f64",
            "scope": "orders:read orders:write",
        },
    )


def id_token(i: int) -> str:
    """An OpenID Connect ID token with e-mail and name (9 claims, ~380 bytes)."""
    iat = int(NOW) - 300 - i % ISSUED_SPREAD
    return _token(
        {"alg": "HS256", "typ": "JWT", "kid": "k1"},
        {
            "iss": "https://accounts.example.com",
            "sub": f"10{i:09d}",
            "aud": "client-7f3a9c",
            "iat": iat,
            "exp": iat + 3600,
            "email": f"user{i}@example.com",
            "email_verified": True,
            "name": "Alice Example",
            "nonce": f"n-{i:06d}abc",
        },
    )


def nested_token(i: int) -> str:
    """A token with nested objects and arrays (8 claims, ~380 bytes)."""
    iat = int(NOW) - 300 - i % ISSUED_SPREAD
    return _token(
        {"alg": "HS256", "typ": "JWT"},
        {
            "iss": "https://auth.example.com/",
            "sub": f"user-{i}",
            "aud": ["api://orders", "api://billing"],
            "iat": iat,
            "exp": iat + 3600,
            "jti": f"t{i:08x}",
            "roles": ["user", "admin"],
            "resource_access": {"orders": {"roles": ["read", "write"]}},
        },
    )


SHAPES: dict[str, Callable[[int], str]] = {
    "access token": access_token,
    "ID token": id_token,
    "nested claims": nested_token,
}


def interleaved(
    fns: dict[str, Callable[[str], object]], pool: list[str], rounds: int, size: int = 100
) -> dict[str, list[float]]:
    """Seconds per call of each function in each round; a round runs every function, one
    after the other, over the same ``size`` tokens of ``pool`` (the next slice each round)."""
    out: dict[str, list[float]] = {name: [] for name in fns}
    for r in range(rounds):
        lo = (r * size) % len(pool)
        chunk = pool[lo : lo + size]
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for tok in chunk:
                fn(tok)
            out[name].append((time.perf_counter() - t0) / len(chunk))
    return out


def shape_rows(rounds: int) -> list[tuple[str, int, float, float, float]]:
    """(shape, bytes, PyJWT, inspect_token, median round ratio) per shape: best rounds."""
    opts = {"verify_signature": False}
    rows = []
    for name, make in SHAPES.items():
        pool = [make(i) for i in range(rounds * 100)]
        assert not [
            f.id
            for f in inspect_token(pool[-1], now=NOW, check_weak_secrets=False).findings
            if f.severity in ("error", "critical", "high")
        ]
        t = interleaved(
            {
                "PyJWT": lambda tok: jwt.decode(tok, options=opts),
                "inspect": lambda tok: inspect_token(tok, now=NOW, check_weak_secrets=False),
            },
            pool,
            rounds,
        )
        median = statistics.median(a / b for a, b in zip(t["inspect"], t["PyJWT"], strict=True))
        rows.append((name, len(pool[0]), min(t["PyJWT"]), min(t["inspect"]), median))
    return rows


def big_claims(target_bytes: int, kind: str) -> dict:
    if kind == "blob":
        return {**TYPICAL, "blob": "x" * int(target_bytes * 0.75)}
    # A fat token: thousands of group objects, as some directories emit.
    groups = []
    size = 0
    i = 0
    while size < target_bytes * 0.75:
        g = {"id": f"grp-{i:07d}", "name": f"Group number {i}", "role": "member"}
        groups.append(g)
        size += 55
        i += 1
    return {**TYPICAL, "groups": groups}


def floor_decode(token: str) -> None:
    h, p, s = token.split(".")
    json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))
    json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def per_call(fn: Callable[[str], object], pool: list[str], repeat: int) -> float:
    """Best seconds per call over ``repeat`` passes through ``pool`` (distinct tokens, so no
    cache anywhere can answer from a previous call)."""

    def run() -> None:
        for tok in pool:
            fn(tok)

    return min(timeit.repeat(run, number=1, repeat=repeat)) / len(pool)


def typical_pool(n: int) -> list[str]:
    """Distinct typical tokens, all valid at NOW (issued up to ``n`` seconds earlier)."""
    return [
        make_token(
            {
                **TYPICAL,
                "sub": f"user-{i}",
                "jti": f"{i:08x}-7d43-4a8e-b1f0-3c5d2e8a7f64",
                "iat": TYPICAL["iat"] - i,
                "nbf": TYPICAL["nbf"] - i,
                "exp": TYPICAL["iat"] - i + 7200,
            }
        )
        for i in range(n)
    ]


def big_pool(kind: str, n: int) -> list[str]:
    return [
        make_token({**big_claims(1_000_000, kind), "exp": TYPICAL["exp"] + i, "sub": f"u{i}"})
        for i in range(n)
    ]


def stage_rows(rounds: int) -> list[tuple[str, dict[str, float]]]:
    """(stage, {shape: best seconds per call}) for each stage of an inspection."""
    out: dict[str, dict[str, float]] = {}
    for shape, make in SHAPES.items():
        for name, best in _shape_stages([make(i) for i in range(rounds * 100)], rounds).items():
            out.setdefault(name, {})[shape] = best
    return list(out.items())


def _shape_stages(pool: list[str], rounds: int) -> dict[str, float]:
    """Best seconds per call of each stage over ``pool``; each round runs every stage, one
    after the other, over the same slice of 100 distinct tokens."""
    from inspector.core import analysis, notjwt, profiles
    from inspector.core.b64 import decode_b64url
    from inspector.core.cleaning import extract_token
    from inspector.core.jsontext import decode_utf8, parse_json
    from inspector.core.options import InspectOptions
    from inspector.core.parsing import _parse as parse_uncached
    from inspector.core.verification import verify_with

    opts = {"verify_signature": False}
    options = InspectOptions(now=NOW, check_weak_secrets=False)
    parsed = {t: parse_uncached(t) for t in pool}
    verified = {t: verify_with(p, options) for t, p in parsed.items()}
    inspected = {t: inspect_token(t, now=NOW, check_weak_secrets=False) for t in pool}
    parts = {t: t.split(".") for t in pool}
    texts = {t: (p.header_bytes or b"", p.payload_bytes or b"") for t, p in parsed.items()}

    def json_stage(t: str) -> None:
        h, p = texts[t]
        parse_json(decode_utf8(h, "header")[0], "header")
        parse_json(decode_utf8(p, "payload")[0], "payload")

    stages: dict[str, Callable[[str], object]] = {
        "PyJWT jwt.decode": lambda t: jwt.decode(t, options=opts),
        "inspect_token (whole)": lambda t: inspect_token(t, now=NOW, check_weak_secrets=False),
        "cleaning": lambda t: (notjwt.recognise(t), extract_token(t)),
        "base64 (3 segments)": lambda t: [decode_b64url(x, "segment") for x in parts[t]],
        "JSON (header, payload)": json_stage,
        "parse (whole, uncached)": parse_uncached,
        "options": lambda t: InspectOptions(now=NOW, check_weak_secrets=False),
        "verification setup": lambda t: verify_with(parsed[t], options),
    }
    for run_pass in analysis.PASSES:
        stages[f"pass {run_pass.__name__}"] = lambda t, f=run_pass: f(  # type: ignore[misc]
            parsed[t], verified[t], options
        )
    stages["profiles"] = lambda t: profiles.apply(parsed[t], verified[t], options, [])
    stages["analyse_token (whole)"] = lambda t: analysis.analyse_token(
        parsed[t], verified[t], options
    )
    stages["to_dict"] = lambda t: inspected[t].to_dict()
    return {name: min(times) for name, times in interleaved(stages, pool, rounds).items()}


def print_stages(rounds: int) -> None:
    rows = stage_rows(rounds)
    pyjwt = rows[0][1]
    shapes = list(SHAPES)
    print(f"{'stage (distinct tokens)':<26}" + "".join(f"{s:>22}" for s in shapes))
    for name, by_shape in rows:
        print(
            f"{name:<26}"
            + "".join(
                f"{by_shape[s] * 1e6:>10.1f} us {by_shape[s] / pyjwt[s]:>5.2f}x" for s in shapes
            )
        )
    print(
        "(best round of 100 distinct tokens per stage, all stages interleaved; 'x' is the "
        "multiple of PyJWT's decode of the same tokens. Stages overlap: the parse holds "
        "cleaning, base64 and JSON; the whole inspection holds the parse, the options, the "
        "verification and the analysis; to_dict is not part of inspect_token.)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--stages", action="store_true", help="where the time goes, per stage")
    args = ap.parse_args(argv)
    if args.stages:
        print_stages(30 if args.quick else 80)
        return 0
    repeat = 5 if args.quick else 9
    opts = {"verify_signature": False}
    typical = typical_pool(1000 if args.quick else 4000)
    cases = [
        ("typical", typical),
        ("typical, same token again", [typical[0]] * len(typical)),
        ("1MB blob", big_pool("blob", 3)),
        ("1MB groups", big_pool("groups", 3)),
    ]
    rows = []
    for name, pool in cases:
        # The floor, PyJWT, the parse and the inspection in interleaved rounds (load from
        # other processes falls on all alike), the best round of each; a 1 MB row takes a
        # few milliseconds a call, so a pause of the machine's can double one round: it
        # gets seven rounds or more, not fewer.
        r = repeat if len(pool[0]) < 10_000 else max(7, repeat)
        timed = interleaved(
            {
                "floor": floor_decode,
                "PyJWT": lambda t: jwt.decode(t, options=opts),
                "parse": parse_token,
                "inspect": lambda t: inspect_token(t, now=NOW, check_weak_secrets=False),
            },
            pool,
            r,
            size=len(pool),
        )
        floor, pyjwt, parse, full = (min(times) for times in timed.values())
        r_ws = repeat if len(pool[0]) < 10_000 else max(3, repeat // 2)
        full_ws = per_call(lambda t: inspect_token(t, now=NOW), pool, r_ws)
        rows.append((name, len(pool[0]), floor, pyjwt, parse, full, full_ws))

    print(
        f"{'token':<27}{'bytes':>10}{'floor':>10}{'PyJWT':>10}{'parse':>10}"
        f"{'inspect':>10}{'+weak':>10}  inspect/PyJWT  parse/floor  inspect/floor"
    )
    for name, size, floor, pyjwt, parse, full, full_ws in rows:
        print(
            f"{name:<27}{size:>10,}{floor * 1e6:>10.1f}{pyjwt * 1e6:>10.1f}{parse * 1e6:>10.1f}"
            f"{full * 1e6:>10.1f}{full_ws * 1e6:>10.1f}  {full / pyjwt:>13.2f}"
            f"  {parse / floor:>11.2f}  {full / floor:>13.2f}"
        )
    print(
        "(microseconds per call, best of interleaved rounds over distinct tokens (seven or "
        "more for the 1 MB rows); 'parse' = parse_token, "
        "the decoding; 'inspect' = inspect_token with check_weak_secrets=False, the whole "
        "analysis; '+weak' = with the built-in weak-secret list. 'same token again' is what the "
        "window does when only the key or a setting changes: parsed tokens are cached by text. "
        "The typical target is judged on the shapes below, the 1 MB one on these rows: "
        "parse/floor.)"
    )
    shapes = shape_rows(30 if args.quick else 80)
    print()
    print(
        f"{'shape (distinct tokens)':<27}{'bytes':>10}{'PyJWT':>10}{'inspect':>10}  ratio  median"
    )
    for name, size, pyjwt, full, median in shapes:
        print(
            f"{name:<27}{size:>10,}{pyjwt * 1e6:>10.1f}{full * 1e6:>10.1f}  {full / pyjwt:>5.2f}"
            f"  {median:>6.2f}"
        )
    print(
        "(interleaved rounds of 100 distinct tokens; microseconds per call in the best round "
        "of each; 'median' is the median round's ratio)"
    )
    print(
        "target: each shape, whole analysis <= 1.3x PyJWT: "
        + ", ".join(
            f"{name} {'met' if full / pyjwt <= 1.3 else 'NOT met'} ({full / pyjwt:.2f}x)"
            for name, _, pyjwt, full, _ in shapes
        )
    )
    print(
        "target: 1 MB token, decoding <= 1.5x the floor: "
        + ", ".join(
            f"{r[0]} {'met' if r[4] / r[2] <= 1.5 else 'NOT met'} ({r[4] / r[2]:.2f}x)"
            for r in rows[2:]
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
