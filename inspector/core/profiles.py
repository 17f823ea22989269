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

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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


@dataclass(frozen=True, slots=True)
class Triggers:
    """What a token must show for a profile's :meth:`~Profile.detect` to be asked at all: a
    necessary condition of its "yes", never a sufficient one (``detect`` still decides).

    The analysis asks every registered profile about every token; most tokens are of no
    special kind, and calling ten detectors to hear ten "no"s was a fifth of the whole
    analysis of a typical token (issue 17). With triggers, :func:`apply` looks the token's
    ``typ`` and claim names up once in an index of all profiles' triggers and asks only the
    profiles that one of them names. A profile without triggers (``triggers`` absent or
    ``None``) is asked about every token, as before.

    A profile is asked when any one holds: the header's ``typ`` (a string, lower-cased,
    without ``application/``) is in ``typs``; the claims have a member named in ``claims``;
    the ``iss`` claim is a string starting with one of ``issuers``; the token is an SD-JWT
    and ``sd_jwt`` is set; the pasted text contains one of ``text``.
    """

    typs: frozenset[str] = frozenset()
    claims: frozenset[str] = frozenset()
    issuers: tuple[str, ...] = ()
    sd_jwt: bool = False
    text: tuple[str, ...] = ()


def normalised_typ(header: Any) -> str | None:
    """The header's ``typ`` lower-cased without a leading ``application/`` (RFC 7515 §4.1.9:
    a media type, compared case-insensitively, the prefix may be omitted); ``None`` when the
    header has no string ``typ``."""
    typ = header.get("typ") if header else None
    if type(typ) is not str:
        return None
    typ = typ.lower()
    return typ[12:] if typ.startswith("application/") else typ


class _Index:
    """The triggers of the registered profiles, arranged for one lookup per token."""

    __slots__ = ("_by_shape", "always", "by_claim", "by_issuer", "by_text", "by_typ",
                 "claim_names", "issuers", "profiles", "sd_jwt")  # fmt: skip

    def __init__(self, registered: tuple[Profile, ...]) -> None:
        self.profiles = registered
        #: Positions of the profiles asked about every token.
        self.always: frozenset[int] = frozenset()
        self.by_typ: dict[str, set[int]] = {}
        self.by_claim: dict[str, set[int]] = {}
        self.by_issuer: list[tuple[str, int]] = []
        self.by_text: list[tuple[str, int]] = []
        self.sd_jwt: frozenset[int] = frozenset()
        always: set[int] = set()
        sd: set[int] = set()
        for i, profile in enumerate(registered):
            t = getattr(profile, "triggers", None)
            if not isinstance(t, Triggers):
                always.add(i)
                continue
            for typ in t.typs:
                self.by_typ.setdefault(typ, set()).add(i)
            for name in t.claims:
                self.by_claim.setdefault(name, set()).add(i)
            self.by_issuer += [(prefix, i) for prefix in t.issuers]
            self.by_text += [(needle, i) for needle in t.text]
            if t.sd_jwt:
                sd.add(i)
        self.always, self.sd_jwt = frozenset(always), frozenset(sd)
        self.claim_names = frozenset(self.by_claim)
        self.issuers = tuple(prefix for prefix, _ in self.by_issuer)
        #: :meth:`asked` without the text triggers, by the token's shape (see there).
        self._by_shape: dict[tuple[Any, ...], tuple[int, ...]] = {}

    def asked(self, parsed: ParsedToken, paste: str | None = None) -> list[int]:
        """Positions of the profiles to ask about ``parsed``, in registration order; ``paste``
        is the text the ``text`` triggers are looked for in (default: the token's own).

        What the header and claims trigger depends only on the ``typ`` string, the ``iss``
        string and the claim names: that part is remembered by those three (the tokens of one
        issuer share them), for tokens of up to :data:`SHAPE_CLAIMS` claims that are no
        SD-JWT, pasted in at most :data:`SHAPE_TEXT` characters (what a shape holds is then
        that small), at most :data:`SHAPES_KEPT` shapes (forgotten when full). The text
        triggers are looked for in each paste."""
        base = self._remembered(parsed)
        if base is None:
            base = self._from_token(parsed)
        return self._with_text(base, parsed.text if paste is None else paste)

    def _asked(self, parsed: ParsedToken, paste: str) -> list[int]:
        """:meth:`asked` worked out, nothing remembered (what the tests compare it with)."""
        return self._with_text(self._from_token(parsed), paste)

    def _remembered(self, parsed: ParsedToken) -> tuple[int, ...] | None:
        """:meth:`_from_token` by the token's shape, or ``None`` for a token whose shape is
        not kept (see :meth:`asked`)."""
        header = parsed.unverified_header
        claims = parsed.unverified_payload
        if (
            parsed.sd_jwt is not None
            or type(header) is not dict
            or type(claims) is not dict
            or len(claims) > SHAPE_CLAIMS
            or len(parsed.text) > SHAPE_TEXT
        ):
            return None
        typ = header.get("typ")
        iss = claims.get("iss")
        if not ((typ is None or type(typ) is str) and (iss is None or type(iss) is str)):
            return None
        shape = (typ, iss, *claims)
        base = self._by_shape.get(shape)
        if base is None:
            if len(self._by_shape) >= SHAPES_KEPT:
                self._by_shape.clear()
            base = self._by_shape[shape] = self._from_token(parsed)
        return base

    def _from_token(self, parsed: ParsedToken) -> tuple[int, ...]:
        """Positions (in order) of the profiles the header's typ, the claims' names and iss
        and an SD-JWT trigger."""
        asked = set(self.always)
        typ = normalised_typ(parsed.unverified_header)
        if typ is not None:
            hit = self.by_typ.get(typ)
            if hit:
                asked |= hit
        claims = parsed.unverified_payload
        if type(claims) is dict and claims:
            for name in self.claim_names.intersection(claims):
                asked |= self.by_claim[name]
            iss = claims.get("iss")
            if type(iss) is str and iss.startswith(self.issuers):
                asked.update(i for prefix, i in self.by_issuer if iss.startswith(prefix))
        if self.sd_jwt and parsed.sd_jwt is not None:
            asked |= self.sd_jwt
        return tuple(sorted(asked))

    def _with_text(self, base: tuple[int, ...], paste: str) -> list[int]:
        """``base`` and the profiles whose ``text`` triggers ``paste`` holds, in order."""
        extra = {i for needle, i in self.by_text if i not in base and needle in paste}
        return sorted((*base, *extra)) if extra else list(base)


_index: _Index | None = None
#: Tokens with more claims than this work out which profiles to ask each time.
SHAPE_CLAIMS = 64
#: Shapes remembered by an index (cleared when full).
SHAPES_KEPT = 512
#: Tokens pasted in more characters than this work it out each time too (a shape holds the
#: token's typ, iss and claim names).
SHAPE_TEXT = 16 * 1024


@functools.lru_cache(maxsize=256)
def _match(name: str, reason: str) -> ProfileMatch:
    """The frozen :class:`ProfileMatch` for ``name`` and ``reason``, made once: most tokens of
    one kind are recognised for the same reason."""
    return ProfileMatch(name=name, reason=reason)


def _current_index() -> _Index:
    global _index
    registered = tuple(REGISTRY)
    if _index is None or _index.profiles != registered:
        _index = _Index(registered)
    return _index


def apply(
    parsed: ParsedToken,
    verification: Verification,
    options: InspectOptions,
    findings: Sequence[Finding],
) -> tuple[list[Finding], tuple[ProfileMatch, ...]]:
    """``findings`` with each detected profile's suppressions taken out and its own findings
    added, and the profiles detected (name and why). Only the profiles the token triggers
    (:class:`Triggers`) are asked."""
    index = _current_index()
    # The paste the token came from: its own text, or the whole paste a token chosen in it was
    # taken from (InspectOptions.context_text): "pasted as a client_assertion" is said there.
    paste = parsed.text if options.context_text is None else options.context_text
    asked = index.asked(parsed, paste)
    if not asked:
        return list(findings), ()
    matched: list[ProfileMatch] = []
    added: list[Finding] = []
    suppressed: set[str] = set()
    for i in asked:
        profile = index.profiles[i]
        in_paste = getattr(profile, "detect_in_paste", None)
        reason = profile.detect(parsed) if in_paste is None else in_paste(parsed, paste)
        if reason is None:
            continue
        matched.append(_match(profile.name, reason))
        suppressed.update(profile.suppresses)
        added.extend(profile.findings(parsed, verification, options))
    if not matched:
        return list(findings), ()
    kept = [f for f in findings if f.id not in suppressed] if suppressed else list(findings)
    return kept + added, tuple(matched)


def difference(a: float, b: float) -> float:
    """``a - b`` for claim values that may be huge JSON integers (``10**400 - 1.5`` overflows
    a float): infinity with the sign of the integer's side instead of an exception."""
    try:
        return float(a - b)
    except OverflowError:
        return math.inf if a > b else -math.inf


Detector = Callable[[ParsedToken], "str | None"]
PasteDetector = Callable[[ParsedToken, str], "str | None"]
Rules = Callable[[ParsedToken, Verification, InspectOptions], Iterable[Finding]]


@dataclass(frozen=True, slots=True, eq=False)
class RuleProfile:
    """A :class:`Profile` made of two functions (most profiles need no state of their own).

    ``detect`` is the detector itself, not a method calling it: one call less per profile
    asked was measurable. ``triggers`` (:class:`Triggers`) says which tokens it is asked
    about; ``None``: every token."""

    name: str
    suppresses: frozenset[str]
    detect: Detector
    rules: Rules
    triggers: Triggers | None = None
    #: A detector that also reads the paste the token came from (the token's own text, or the
    #: whole paste it was chosen in); asked instead of ``detect`` when set.
    detect_in_paste: PasteDetector | None = None

    def findings(
        self, parsed: ParsedToken, verification: Verification, options: InspectOptions
    ) -> Iterable[Finding]:
        return self.rules(parsed, verification, options)
