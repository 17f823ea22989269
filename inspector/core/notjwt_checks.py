"""Findings about what is not a JWT (issue 16 item 4): an analysis pass over the
:class:`~inspector.core.notjwt.NotJwt` a parse kept. A PASETO token's ``exp`` and ``nbf``
(RFC 3339 date-times, judged at ``options.now`` with ``options.leeway``), and a SAML response
or assertion that carries no XML signature.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from inspector.core.findings import Finding, finding
from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions

#: The SAML messages that must be signed to be trusted (a request need not be).
SIGNED_MESSAGES = frozenset({"Response", "Assertion"})


def _moment(value: object) -> float | None:
    """Seconds since the epoch of an RFC 3339 date-time with an offset, else ``None``."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    if when.tzinfo is None:
        return None  # RFC 3339 requires an offset; a local time is no moment
    return when.timestamp()


def not_jwt_pass(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    nj = parsed.not_jwt
    if nj is None:
        return ()
    found: list[Finding] = []
    if nj.kind == "paseto" and options.now is not None:
        claims = nj.details.get("claims")
        if isinstance(claims, dict):
            exp, nbf = _moment(claims.get("exp")), _moment(claims.get("nbf"))
            if exp is not None and options.now > exp + options.leeway:
                found.append(
                    finding(
                        "paseto-expired",
                        f"'exp' is {claims['exp']}, before the time it was judged at.",
                    )
                )
            if nbf is not None and options.now < nbf - options.leeway:
                found.append(
                    finding(
                        "paseto-not-yet-valid",
                        f"'nbf' is {claims['nbf']}, after the time it was judged at.",
                    )
                )
    if (
        nj.kind == "saml"
        and nj.details.get("signed") is False
        and nj.details.get("message") in SIGNED_MESSAGES
    ):
        found.append(
            finding(
                "saml-unsigned",
                f"The SAML {nj.details['message']} holds no XML signature (no "
                "ds:SignatureValue in the xmldsig namespace).",
            )
        )
    return found
