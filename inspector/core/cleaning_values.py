"""What a JWS or JWE JSON serialization holds besides the compact token it is inspected as
(:mod:`inspector.core.cleaning` finds them). A module of their own so that importing the
codec does not build their dataclasses (~2 ms of every import, the launch's forked child
among them): cleaning imports it when a text is such a serialization, and gives its names to
anyone who asks ``inspector.core.cleaning`` for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from inspector.core.frozen import value_class


@value_class(kw_only=True)
class JwsJson:
    """What a JWS JSON serialization (RFC 7515 §7.2) holds besides the compact token it is
    inspected as, so that parsing can hold it to the RFC's rules.

    ``header`` is the unprotected ``header`` member of the signature inspected, as parsed
    (any JSON value; ``None`` when absent, which ``has_header`` tells apart from ``null``).
    It is never used to verify anything.
    """

    form: Literal["flattened", "general"]
    has_header: bool
    header: Any = None
    #: How many signatures the general form carries (1 for the flattened form).
    signatures: int = 1
    #: Members of the general form that belong to the flattened one ("protected", "header",
    #: "signature" next to "signatures"): parsers disagree about which wins.
    mixed: tuple[str, ...] = ()
    #: Whether the general form's signatures disagree about ``b64`` (RFC 7797 §3: it must be
    #: the same for all of them), so that they sign different payload texts.
    b64_mixed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class JweJson:
    """What a JWE JSON serialization (RFC 7516 §7.2) holds besides the compact token it is
    inspected as: the shared ``unprotected`` header, the first recipient's ``header``, and
    the ``aad`` (as its base64url text), which decryption needs (RFC 7516 §5.2 steps 4, 14)."""

    form: Literal["flattened", "general"]
    unprotected: Any = None
    header: Any = None
    aad: str | None = None
    #: How many recipients the general form has (1 for the flattened form).
    recipients: int = 1
