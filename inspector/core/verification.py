"""Signature verification (issue 3 fills this in)."""

from __future__ import annotations

from inspector.core.model import ParsedToken, Verification


def verify_token(
    parsed: ParsedToken, key_text: str | None, *, secret_encoding: str = "utf-8"
) -> Verification:
    """Verify ``parsed`` with ``key_text``; never raises."""
    return Verification(algorithm=parsed.alg)
