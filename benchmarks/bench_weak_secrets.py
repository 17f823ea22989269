"""Weak-secret search speed against a bare loop of ``hmac.digest`` over the same words.

Target (issue 4): searching the 103,979-line wallarm list (``../shared/vectors/wallarm-jwt-
secrets/jwt.secrets.list``) costs at most 1.5x a bare ``for w in words: hmac.digest(w, msg,
"sha256") == sig`` loop. The token is signed with a secret that is not on the list, so every
word is tried. Both ways of calling :func:`find_weak_secret` are timed: plain (as the facade
calls it) and with progress and cancel callbacks (as the window's worker calls it).

Target (issue 17): the built-in list, searched for every HS* token, at most 1.2x a bare
``hmac.digest`` loop over the same list, per token.

Run: ``python benchmarks/bench_weak_secrets.py`` (``--quick`` for fewer repeats).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from inspector.core.weak_secrets import builtin_secrets, find_weak_secret, load_wordlist

ROOT = Path(__file__).resolve().parent.parent
VECTORS = Path(os.environ.get("JWT_INSPECTOR_VECTORS", ROOT.parent / "shared" / "vectors"))
WORDLIST = VECTORS / "wallarm-jwt-secrets" / "jwt.secrets.list"
SECRET = b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token_parts() -> tuple[bytes, bytes]:
    h = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    p = _b64(json.dumps({"sub": "user-4711", "exp": 1_800_000_900}).encode())
    msg = f"{h}.{p}".encode()
    return msg, hmac.new(SECRET, msg, hashlib.sha256).digest()


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    repeat = 3 if args.quick else 7
    if not WORDLIST.is_file():
        sys.exit(f"wordlist not found at {WORDLIST} (set JWT_INSPECTOR_VECTORS)")
    words = load_wordlist(WORDLIST)
    msg, sig = token_parts()

    def bare() -> bytes | None:
        digest = hmac.digest
        for w in words:
            if digest(w, msg, "sha256") == sig:
                return w
        return None

    progress_calls = []

    def with_callbacks() -> bytes | None:
        return find_weak_secret(
            "HS256",
            msg,
            sig,
            words,
            progress=progress_calls.append,
            should_stop=lambda: False,
        )

    assert bare() is None
    assert SECRET not in set(words)
    t_bare = best(bare, repeat)
    t_plain = best(lambda: find_weak_secret("HS256", msg, sig, words), repeat)
    t_cb = best(with_callbacks, repeat)
    builtin = builtin_secrets()

    def bare_builtin() -> bytes | None:
        digest = hmac.digest
        for w in builtin:
            if digest(w, msg, "sha256") == sig:
                return w
        return None

    # The built-in list is searched once per HS* token: time many tokens' worth.
    per_token = 50

    def builtin_search() -> None:
        for _ in range(per_token):
            find_weak_secret("HS256", msg, sig, builtin)

    def bare_builtin_search() -> None:
        for _ in range(per_token):
            bare_builtin()

    t_bare_builtin = t_builtin = float("inf")
    for _ in range(repeat):  # (interleaved)
        t_bare_builtin = min(t_bare_builtin, best(bare_builtin_search, 1) / per_token)
        t_builtin = min(t_builtin, best(builtin_search, 1) / per_token)
    n = len(words)
    print(f"wordlist: {n:,} words ({WORDLIST.name}); built-in list: {len(builtin_secrets())} words")
    print(f"{'bare hmac.digest loop':38} {t_bare * 1e3:8.1f} ms  ({t_bare / n * 1e9:.0f} ns/word)")
    print(f"{'find_weak_secret':38} {t_plain * 1e3:8.1f} ms  ratio {t_plain / t_bare:.2f}")
    print(
        f"{'find_weak_secret + progress/cancel':38} {t_cb * 1e3:8.1f} ms  ratio {t_cb / t_bare:.2f}"
    )
    worst = max(t_plain, t_cb) / t_bare
    print(f"worst ratio: {worst:.2f} (target <= 1.50: {'met' if worst <= 1.5 else 'NOT met'})")
    ratio = t_builtin / t_bare_builtin
    print(
        f"built-in list ({len(builtin)} words) per token: bare hmac.digest loop "
        f"{t_bare_builtin * 1e6:.0f} us, find_weak_secret {t_builtin * 1e6:.0f} us (precomputed "
        f"key states): ratio {ratio:.2f} (target <= 1.20: {'met' if ratio <= 1.2 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
