"""Cost of the whole inspection (analysis included, weak-secret search off) against PyJWT's
unverified decode of the same typical token, in one run.

Target (issue 4): ``inspect_token(token, check_weak_secrets=False, now=...)`` at most 1.3x
``jwt.decode(token, options={"verify_signature": False})`` on a typical ~400-byte token.

The target is judged on 2,000 distinct tokens (nothing about one token reused). Also printed,
to show where the time goes: the same token again (parsed tokens are cached by text, as the
window re-inspects on every edit of the key or options), and ``analyse_token`` alone on an
already-parsed token. Only static data is cached between calls (the claim dictionary, the
normalised claim names) plus the date formatting of each time value (a pure function,
memoised because the window re-inspects the same token on every edit). A second run cycles
through 2,000 tokens with distinct times and ids, so nothing about one token is reused.

Run: ``python benchmarks/bench_analysis.py`` (``--quick`` for fewer repeats).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import timeit
from collections.abc import Callable

import jwt

from inspector.core import inspect_token, parse_token
from inspector.core.analysis import analyse_token
from inspector.core.verification import verify_token

SECRET = b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa"
NOW = 1_800_000_300.0

#: A typical OAuth access token (Auth0-like): about 430 bytes encoded.
TYPICAL = {
    "iss": "https://auth.example.com/",
    "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
    "aud": "https://api.example.com",
    "iat": 1_800_000_000,
    "exp": 1_800_003_600,
    "azp": "z2bgKiWoq3M4Fa0FT3PDc9Y8pBPsJvLd",
    "scope": "openid profile email read:messages",
    "jti": "9b2f6c1e-7d43-4a8e-b1f0-3c5d2e8a7f64",
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_token(claims: dict) -> str:
    h = _b64(
        json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}, separators=(",", ":")).encode()
    )
    p = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = hmac.new(SECRET, f"{h}.{p}".encode(), hashlib.sha256).digest()
    return f"{h}.{p}.{_b64(sig)}"


def per_call(fn: Callable[[], object], number: int, repeat: int) -> float:
    """Best microseconds per call over ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    number, repeat = (2000, 3) if args.quick else (10000, 7)

    token = make_token(TYPICAL)
    parsed = parse_token(token)
    verification = verify_token(parsed, None)
    pyjwt = per_call(lambda: jwt.decode(token, options={"verify_signature": False}), number, repeat)
    parse = per_call(lambda: parse_token(token), number, repeat)
    analysis = per_call(
        lambda: analyse_token(parsed, verification, now=NOW, check_weak_secrets=False),
        number,
        repeat,
    )
    inspect = per_call(
        lambda: inspect_token(token, now=NOW, check_weak_secrets=False), number, repeat
    )
    # distinct but still valid at NOW (no extra findings): iat earlier, exp later
    pool = [
        make_token(
            {**TYPICAL, "iat": TYPICAL["iat"] - i, "exp": TYPICAL["exp"] + i, "jti": f"t{i}"}
        )
        for i in range(2000)
    ]
    it_a = iter(pool * (number * repeat // len(pool) + 2))
    it_b = iter(pool * (number * repeat // len(pool) + 2))
    pyjwt_pool = per_call(
        lambda: jwt.decode(next(it_a), options={"verify_signature": False}), number, repeat
    )
    inspect_pool = per_call(
        lambda: inspect_token(next(it_b), now=NOW, check_weak_secrets=False), number, repeat
    )
    print(f"token: {len(token)} bytes")
    print(f"{'PyJWT jwt.decode (unverified)':44} {pyjwt:8.1f} us")
    print(f"{'parse_token, same token (cached by text)':44} {parse:8.1f} us")
    print(f"{'analyse_token (parsed, no weak secrets)':44} {analysis:8.1f} us")
    print(f"{'inspect_token, same token again':44} {inspect:8.1f} us  ({inspect / pyjwt:.2f}x)")
    ratio = inspect_pool / pyjwt_pool
    verdict = "met" if ratio <= 1.3 else "NOT met"
    print(
        f"distinct tokens: PyJWT {pyjwt_pool:.1f} us, inspect_token {inspect_pool:.1f} us: "
        f"ratio {ratio:.2f} (target <= 1.30: {verdict})"
    )


if __name__ == "__main__":
    main()
