"""Analysis beyond the signature (issue 4 fills this in)."""

from __future__ import annotations

import os

from inspector.core.model import Analysis, ParsedToken, Verification


def analyse_token(
    parsed: ParsedToken,
    verification: Verification,
    *,
    now: float | None,
    leeway: float = 0,
    audience: str | None = None,
    issuer: str | None = None,
    check_weak_secrets: bool = True,
    wordlist: str | os.PathLike[str] | None = None,
) -> Analysis:
    """Time claims, audience/issuer, sensitive data, header lints, weak secrets; never raises."""
    return Analysis()
