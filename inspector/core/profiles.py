"""Token profiles: kinds of JWT with rules of their own (issue 15: SD-JWT, KB-JWT, DPoP proofs,
``at+jwt`` access tokens, ID tokens, logout tokens, client assertions, Kubernetes service
account tokens, GitHub OIDC tokens...).

A profile is a module with one object meeting :class:`Profile`, registered with
:func:`register`. The analysis asks every registered profile whether the token is of its kind
(:meth:`Profile.detect`, from the parsed token alone); each that says yes adds its own findings
and may suppress general findings its kind makes moot (a DPoP proof has no ``exp`` by design,
so ``missing-exp`` says nothing about it). What was recognised, and why, is kept on
:attr:`inspector.core.model.Analysis.profiles` for the front ends to show.

The built-in profiles are registered by :mod:`inspector.core.builtin_profiles` (imported by
the analysis): DPoP proofs (:mod:`inspector.core.dpop`), SD-JWTs and KB-JWTs
(:mod:`inspector.core.sdjwt_profiles`), OAuth and OpenID Connect tokens
(:mod:`inspector.core.oauth_profiles`) and workload tokens (Kubernetes, GitHub Actions, in
the same module). Findings a profile adds use ids from the one catalogue,
:mod:`inspector.core.findings`, like every other finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from inspector.core.findings import Finding
from inspector.core.model import ParsedToken, ProfileMatch, Verification
from inspector.core.options import InspectOptions


class Profile(Protocol):
    """One kind of token; its methods never raise."""

    @property
    def name(self) -> str:
        """Short name shown to the user ("dpop-proof", "sd-jwt")."""
        ...

    @property
    def suppresses(self) -> frozenset[str]:
        """Finding ids that say nothing about a token of this kind, left out when it is
        detected."""
        ...

    def detect(self, parsed: ParsedToken) -> str | None:
        """Why ``parsed`` is of this kind (one sentence: "typ is 'dpop+jwt'"), else ``None``."""
        ...

    def findings(
        self, parsed: ParsedToken, verification: Verification, options: InspectOptions
    ) -> Iterable[Finding]:
        """What this kind's own rules say about ``parsed`` (called only once detected)."""
        ...


#: The registered profiles, in registration order (the order of their findings).
REGISTRY: list[Profile] = []


def register(profile: Profile) -> Profile:
    """Add ``profile`` to the analysis (once; registering it again changes nothing)."""
    if profile not in REGISTRY:
        REGISTRY.append(profile)
    return profile


def unregister(profile: Profile) -> None:
    """Take ``profile`` out of the analysis (no error if it was not registered)."""
    if profile in REGISTRY:
        REGISTRY.remove(profile)


def apply(
    parsed: ParsedToken,
    verification: Verification,
    options: InspectOptions,
    findings: Sequence[Finding],
) -> tuple[list[Finding], tuple[ProfileMatch, ...]]:
    """``findings`` with each detected profile's suppressions taken out and its own findings
    added, and the profiles detected (name and why)."""
    matched: list[ProfileMatch] = []
    added: list[Finding] = []
    suppressed: set[str] = set()
    for profile in tuple(REGISTRY):
        reason = profile.detect(parsed)
        if reason is None:
            continue
        matched.append(ProfileMatch(name=profile.name, reason=reason))
        suppressed.update(profile.suppresses)
        added.extend(profile.findings(parsed, verification, options))
    if not matched:
        return list(findings), ()
    kept = [f for f in findings if f.id not in suppressed]
    return kept + added, tuple(matched)


def difference(a: float, b: float) -> float:
    """``a - b`` for claim values that may be huge JSON integers (``10**400 - 1.5`` overflows
    a float): infinity with the sign of the integer's side instead of an exception."""
    try:
        return float(a - b)
    except OverflowError:
        return math.inf if a > b else -math.inf


Detector = Callable[[ParsedToken], "str | None"]
Rules = Callable[[ParsedToken, Verification, InspectOptions], Iterable[Finding]]


@dataclass(frozen=True, slots=True, eq=False)
class RuleProfile:
    """A :class:`Profile` made of two functions (most profiles need no state of their own).

    ``detect`` is the detector itself, not a method calling it: every registered profile's
    detector runs on every token, and one call less per profile was measurable."""

    name: str
    suppresses: frozenset[str]
    detect: Detector
    rules: Rules

    def findings(
        self, parsed: ParsedToken, verification: Verification, options: InspectOptions
    ) -> Iterable[Finding]:
        return self.rules(parsed, verification, options)
