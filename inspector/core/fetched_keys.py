"""Judging a token against keys fetched from its issuer (issue 13), without fetching anything.

The fetch happens outside the core (:mod:`inspector.fetching`), once per issuer or JWK Set
URL; what it learnt arrives as a :class:`FetchedKeys` in ``InspectOptions.fetched_keys``.
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inspector.core.findings import Finding, finding

if TYPE_CHECKING:
    from inspector.core.model import ParsedToken, Verification
    from inspector.core.options import InspectOptions

#: Values quoted in a finding's detail are cut to this many characters.
SHOWN_CHARS = 80


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchedKeys:
    """Where a JWK Set in :attr:`InspectOptions.key` was fetched from (issue 13).

    The fetch itself happens outside the core (:mod:`inspector.fetching`); what it learnt
    travels in ``InspectOptions.fetched_keys`` as plain values, so the core can judge each
    token against it without opening a socket: a token whose ``iss`` is not the issuer the
    discovery document names (OpenID Connect Discovery 4.3), and a set that publishes private
    keys, are findings. Defined here, not in :mod:`inspector.core.options`, which the window
    imports before its first frame (this class is imported only when keys are fetched).
    """

    #: The JWK Set URL the keys were read from (after any redirect).
    url: str
    #: The issuer whose discovery document named that URL; ``None``: the JWK Set URL was
    #: given directly, so no issuer is known and none is checked.
    discovered_for: str | None = None
    #: The discovery document's ``issuer`` member (``None`` when it had none, or not text).
    issuer: str | None = None
    #: The set's keys that carry private members, each described for the user (as
    #: ``"kid 'a': d, p, q"``); empty when the set is public only.
    private_keys: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("discovered_for", "issuer"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be text or None, not {type(value).__name__}")
        if not isinstance(self.url, str):
            raise TypeError(f"url must be text, not {type(self.url).__name__}")
        if not isinstance(self.private_keys, tuple) or not all(
            isinstance(k, str) for k in self.private_keys
        ):
            raise TypeError("private_keys must be a tuple of text")


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
