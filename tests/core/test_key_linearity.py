"""Hostile key text takes linear time (issue 10, item 3: a key text of repeated
``-----BEGIN A-----`` took 0.06 s / 3.4 s / over 60 s at 10 KB / 100 KB / 1 MB).

Each shape is timed at 50 KB and 500 KB in one run, through the whole facade (key loading,
the last guard, and the check whether an HS256 token was forged with the text), and the
ratio must stay near 10. No wall-clock limit: only the ratio, the minimum of a few repeats,
in this process's CPU time (time spent waiting for a busy machine's cores does not count).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable

import pytest

from inspector.core import inspect_token
from inspector.core.keys import clear_key_cache
from inspector.core.model import Inspection

SMALL = 50_000
LARGE = 500_000
#: 10x the text should take about 10x the time; quadratic would be 100x.
MAX_RATIO = 25
REPEATS = 3
#: A shared, busy machine can slow one measurement down: a shape gets this many tries to show
#: a ratio under the limit. Quadratic code (x100) fails every one of them.
ATTEMPTS = 5


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda size: unit * (size // len(unit) + 1)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


#: name -> how to make the hostile key text of (about) a given size.
SHAPES: dict[str, Callable[[int], str]] = {
    "repeated BEGIN lines": _repeat("-----BEGIN A-----\n"),
    "repeated BEGIN lines without newlines": _repeat("-----BEGIN A-----"),
    "BEGIN/END pairs of mismatched labels": _repeat("-----BEGIN A-----\n-----END B-----\n"),
    "BEGIN/END pairs of one label": _repeat(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    ),
    "lower-case 4-dash armour": _repeat("---- begin ssh2 public key ----\n"),
    "open BEGIN words": _repeat("-----BEGIN "),
    "dash then BEGIN": _repeat("- BEGIN "),
    "BEGIN words without dashes": _repeat("BEGIN "),
    "lots of dashes": _repeat("-"),
    "dashes then spaces": lambda n: "-" * (n // 2) + " " * (n // 2) + "BEGIN",
    "a cut-off PEM body": lambda n: "-----BEGIN PUBLIC KEY-----\n" + "A" * n,
    "RFC 4716 header continuations": lambda n: (
        "---- BEGIN SSH2 PUBLIC KEY ----\n" + "Comment: x\\\n" * (n // 12)
    ),
    "a huge JSON array": lambda n: "[" + "1," * (n // 2) + "1]",
    "a huge JSON array of strings": lambda n: "[" + '"MIIB",' * (n // 7) + '"MIIB"]',
    "a huge JSON array of JWKs": lambda n: (
        "[" + '{"kty":"OKP","crv":"Ed25519","x":"AA"},' * (n // 40) + "{}]"
    ),
    "nested brackets": lambda n: "[" * (n // 2) + "]" * (n // 2),
    "open brackets": _repeat("["),
    "quotes": _repeat('"'),
    "repeated kty members": _repeat('{"kty":'),
    "long runs of ssh-rsa": _repeat("ssh-rsa "),
    "ssh-rsa lines with blobs": _repeat("ssh-rsa AAAAB3NzaC1yc2E= x\n"),
    "cert type names": _repeat("ssh-ed25519-cert-v01@openssh.com "),
    "base64 of a DER start": _repeat("MIIB"),
    "base64 with spaces": _repeat("MIIB "),
    "hex of a DER start": _repeat("30"),
    "hex with colons": lambda n: "30" + ":30" * (n // 3),
    "zero-width spaces": lambda n: "\u200b" * n + "k",
    "escaped newlines": _repeat("MIIB\\n"),
    "look-alike dashes": _repeat("\u2013BEGIN "),
    "a byte-order mark before every letter": _repeat("\ufeffa"),
    "many short fields": _repeat("a, "),
    "a plain long secret": _repeat("s3cr3t"),
    "JWK n members without e": _repeat('"n": "AAAAAAAAAAAAAAAAAAAA", '),
    "JWK x members without crv": _repeat("x: AAAAAAAAAAAAAAAAAAAA\n"),
    "escaped letters": _repeat("\\u0074"),
    "base64 of base64 of a DER start": _repeat("TUlJQ"),
    "name lines": _repeat("key:\n"),
    "percent-encoded JWK members": _repeat("%22n%22%3A%22"),
    "base64 of JWK members": _repeat(base64.b64encode(b'"n": "AAAAAAAAAAAAAAAAAAAA", ').decode()),
}


def _token() -> str:
    header = _b64(json.dumps({"alg": "HS256"}).encode())
    si = f"{header}.{_b64(b'{}')}"
    return f"{si}.{_b64(hmac.new(b'k' * 32, si.encode(), hashlib.sha256).digest())}"


def _seconds(text: str, token: str) -> tuple[float, Inspection]:
    """The fastest of :data:`REPEATS` inspections (the key cache cleared before each), and
    the inspection."""
    best = float("inf")
    for _ in range(REPEATS):
        clear_key_cache()
        start = time.process_time()
        result = inspect_token(token, text, check_weak_secrets=False, now=0)
        best = min(best, time.process_time() - start)
    return best, result


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_hostile_key_text_is_linear(shape: str) -> None:
    token = _token()
    small = SHAPES[shape](SMALL)[:SMALL]
    large = SHAPES[shape](LARGE)[:LARGE]
    seen = []
    for _ in range(ATTEMPTS):
        t_small, _ = _seconds(small, token)
        t_large, result = _seconds(large, token)
        # Read as something (an error, a key that does not fit, a wrong secret), never valid.
        assert result.verification.status in ("invalid", "error")
        ratio = t_large / max(t_small, 1e-6)
        seen.append(f"{t_small:.4f} s -> {t_large:.4f} s (x{ratio:.1f})")
        if ratio < MAX_RATIO:
            break
    else:
        pytest.fail(f"{shape} is not linear: {'; '.join(seen)}")
