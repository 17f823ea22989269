"""Small helpers for building test tokens by hand (no library in between)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

#: A secret long enough for HS256 and on no weak-secret list.
STRONG_SECRET = b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def segment(value: Any) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value, separators=(",", ":")).encode()
    return b64(raw)


def hs256(header: Any, payload: Any, secret: bytes = STRONG_SECRET) -> str:
    """A compact HS256 token over whatever header/payload bytes are given."""
    signing_input = f"{segment(header)}.{segment(payload)}"
    sig = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(sig)}"


CLEAN_HEADER = {"alg": "HS256", "typ": "JWT"}
CLEAN_CLAIMS = {
    "iss": "https://auth.example.com/",
    "sub": "user-4711",
    "aud": "api://orders",
    "iat": 1_800_000_000,
    "nbf": 1_800_000_000,
    "exp": 1_800_000_900,
    "jti": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "scope": "orders:read",
}
#: A moment inside the clean token's validity window.
CLEAN_NOW = 1_800_000_300.0


def clean_token() -> str:
    return hs256(CLEAN_HEADER, CLEAN_CLAIMS)
