"""The facade: ``inspect_token`` turns whatever a person pasted into an :class:`Inspection`.

It never raises for any input text. Layers, each importing only those below it::

    encoding helpers (b64, jsontext) <- cleaning <- parsing <- keys/algorithms
        <- verification, analysis <- this facade
"""

from __future__ import annotations

import os

from inspector.core.analysis import analyse_token
from inspector.core.model import Inspection
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_token


def inspect_token(
    text: str,
    key: str | None = None,
    *,
    secret_encoding: str = "utf-8",
    now: float | None = None,
    leeway: float = 0,
    audience: str | None = None,
    issuer: str | None = None,
    check_weak_secrets: bool = True,
    wordlist: str | os.PathLike[str] | None = None,
) -> Inspection:
    """Decode, verify (when ``key`` is given) and analyse the token found in ``text``.

    ``now`` is the time the token is judged at (seconds since the epoch); ``None`` means the
    time-dependent checks report times without judging them against a clock... unless the
    caller passes one. Front ends pass ``time.time()``.
    """
    parsed = parse_token(text)
    verification = verify_token(parsed, key, secret_encoding=secret_encoding)
    analysis = analyse_token(
        parsed,
        verification,
        now=now,
        leeway=leeway,
        audience=audience,
        issuer=issuer,
        check_weak_secrets=check_weak_secrets,
        wordlist=wordlist,
    )
    return Inspection(parsed=parsed, verification=verification, analysis=analysis)
