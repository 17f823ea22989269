"""Inspecting with a shared secret does not import ``cryptography`` (see
inspector/core/lazy_crypto.py); anything that needs it still gets it."""

from __future__ import annotations

import subprocess
import sys

HMAC_ONLY = r"""
import base64, json, sys
from inspector.core import inspect_token
from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN

k = base64.urlsafe_b64encode(EXAMPLE_SECRET.encode()).decode().rstrip("=")
oct_jwk = json.dumps({"kty": "oct", "k": k})

results = [
    inspect_token(EXAMPLE_TOKEN, EXAMPLE_SECRET).verification.status,
    inspect_token(EXAMPLE_TOKEN, "not the secret").verification.status,
    inspect_token(EXAMPLE_TOKEN).verification.status,
    inspect_token(EXAMPLE_TOKEN, oct_jwk).verification.status,
    inspect_token("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln", "k").verification.status,
    inspect_token("not a token at all").verification.status,
]
print(results, "cryptography" in sys.modules)
inspect_token(EXAMPLE_TOKEN, "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----")
print("after a PEM key:", "cryptography" in sys.modules)
"""


def test_an_hmac_inspection_leaves_cryptography_unimported() -> None:
    out = subprocess.run(
        [sys.executable, "-c", HMAC_ONLY], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.splitlines()
    assert first == "['valid', 'invalid', 'unchecked', 'valid', 'invalid', 'unchecked'] False"
    assert second == "after a PEM key: True"
