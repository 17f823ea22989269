"""Decode cost of ``inspect_token`` against the floor and against PyJWT, in one run.

Targets (issue 2, and issue 4 for the whole analysis with weak-secret checks off):
  * a typical ~300-byte token: ``inspect_token`` at most 1.3x PyJWT's unverified decode;
  * a 1 MB token: ``inspect_token`` at most 1.5x the floor
    (``base64.urlsafe_b64decode`` + ``json.loads`` of the same parts).

Run: ``python benchmarks/bench_decode.py`` (``--quick`` for fewer repeats).
Prints a table of microseconds per call (best of several repeats) and the ratios.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import sys
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


def best(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Best seconds per call over ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    repeat = 5 if args.quick else 9
    rows = []
    cases = [
        ("typical", make_token(TYPICAL), 2000 if args.quick else 10000),
        ("1MB blob", make_token(big_claims(1_000_000, "blob")), 10 if args.quick else 30),
        ("1MB groups", make_token(big_claims(1_000_000, "groups")), 5 if args.quick else 15),
    ]
    opts = {"verify_signature": False}
    for name, tok, number in cases:
        floor = best(lambda tok=tok: floor_decode(tok), number, repeat)
        pyjwt = best(lambda tok=tok: jwt.decode(tok, options=opts), number, repeat)
        parse = best(lambda tok=tok: parse_token(tok), number, repeat)
        full = best(
            lambda tok=tok: inspect_token(tok, now=NOW, check_weak_secrets=False), number, repeat
        )
        full_ws = best(lambda tok=tok: inspect_token(tok, now=NOW), number, repeat)
        rows.append((name, len(tok), floor, pyjwt, parse, full, full_ws))

    print(
        f"{'token':<11}{'bytes':>9}{'floor':>10}{'PyJWT':>10}{'parse':>10}"
        f"{'inspect':>10}{'+weak':>10}   inspect/PyJWT  inspect/floor"
    )
    for name, size, floor, pyjwt, parse, full, full_ws in rows:
        print(
            f"{name:<11}{size:>9,}{floor * 1e6:>10.1f}{pyjwt * 1e6:>10.1f}{parse * 1e6:>10.1f}"
            f"{full * 1e6:>10.1f}{full_ws * 1e6:>10.1f}   {full / pyjwt:>13.2f}"
            f"  {full / floor:>13.2f}"
        )
    print(
        "(microseconds per call, best of repeats; 'inspect' = inspect_token with "
        "check_weak_secrets=False, '+weak' = with the built-in weak-secret list)"
    )
    typical = rows[0]
    ok_typical = typical[5] / typical[3] <= 1.3
    ok_big = all(r[5] / r[2] <= 1.5 for r in rows[1:])
    print(
        f"target typical <= 1.3x PyJWT: {'met' if ok_typical else 'NOT met'} "
        f"({typical[5] / typical[3]:.2f}x)"
    )
    print(
        f"target 1 MB <= 1.5x floor: {'met' if ok_big else 'NOT met'} "
        f"({', '.join(f'{r[0]} {r[5] / r[2]:.2f}x' for r in rows[1:])})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
