"""Judging a token against keys fetched from its issuer (issue 13), without fetching anything.

The fetch happens outside the core (:mod:`inspector.fetching`), once per issuer or JWK Set
URL; what it learnt arrives as :class:`~inspector.core.options.FetchedKeys` in the options.
This pass compares it with each token, because the same fetched set is used for many tokens
(a log on the command line, the window's next paste) and only the token says which issuer it
claims:

- ``discovery-issuer-mismatch``: the discovery document's ``issuer`` is not exactly the
  token's ``iss``, or not exactly the issuer it was fetched for (OpenID Connect Discovery
  4.3, RFC 8414 3.3: exact string comparison, no normalising of slashes or case).
- ``published-private-keys``: the set holds private members; every token it verifies could
  have been signed by anyone who read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from inspector.core.findings import Finding, finding
from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions

#: Values quoted in a finding's detail are cut to this many characters.
SHOWN_CHARS = 80


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def fetched_keys_pass(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    """Findings about the fetched keys in ``options`` as they bear on this token."""
    fetched = options.fetched_keys
    if fetched is None:
        return ()
    found: list[Finding] = []
    if fetched.private_keys:
        found.append(
            finding(
                "published-private-keys",
                f"The JWK Set at {fetched.url} holds private key material: "
                + "; ".join(fetched.private_keys)
                + ".",
            )
        )
    if fetched.discovered_for is None:
        return found  # a JWK Set URL given directly: no issuer to hold the token to
    named = fetched.issuer
    if named is None:
        found.append(
            finding(
                "discovery-issuer-mismatch",
                f"The discovery document for {fetched.discovered_for!r} names no issuer "
                "('issuer' is missing or not text), so the keys cannot be tied to the token's "
                "'iss'.",
            )
        )
        return found
    if named != fetched.discovered_for:
        found.append(
            finding(
                "discovery-issuer-mismatch",
                f"The discovery document fetched for {_shown(fetched.discovered_for)} says its "
                f"issuer is {_shown(named)}.",
            )
        )
    claims = parsed.claims
    if claims is None:
        return found  # no claims to read (not a token, an encrypted or non-JSON payload)
    if "iss" not in claims:
        found.append(
            finding(
                "discovery-issuer-mismatch",
                f"The token has no 'iss' claim; the keys are those of the issuer {_shown(named)}.",
                "/payload",
            )
        )
    elif claims["iss"] != named:
        found.append(
            finding(
                "discovery-issuer-mismatch",
                f"'iss' is {_shown(claims['iss'])}; the keys were discovered for the issuer "
                f"{_shown(named)}.",
                "/payload/iss",
            )
        )
    return found
