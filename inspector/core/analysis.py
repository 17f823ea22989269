"""Analysis beyond the signature: time claims, audience and issuer, sensitive data, header
lints (RFC 8725), guessable HMAC secrets, and what each known claim means.

Each concern lives in its own module (:mod:`claims`, :mod:`sensitive`, :mod:`lints`,
:mod:`weak_secrets`, :mod:`dictionary`); this one runs them over a parsed token.

An unreadable wordlist file does not stop the analysis: it becomes a ``wordlist-error``
finding saying which file and why, and the built-in list is still searched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, Protocol

from inspector.core import builtin_profiles as _builtin_profiles  # noqa: F401 (registers)
from inspector.core import profiles as _profiles
from inspector.core.algorithms import ALGORITHMS, ecdsa_signature_problem
from inspector.core.claims import audience_issuer, time_claims, time_report
from inspector.core.dictionary import describe
from inspector.core.fetched_keys import fetched_keys_pass
from inspector.core.findings import Finding, finding
from inspector.core.frozen import builder
from inspector.core.lints import header_lints
from inspector.core.model import SIGNED_FORMATS, Analysis, ParsedToken, TimeClaim, Verification
from inspector.core.notjwt_checks import not_jwt_pass
from inspector.core.options import InspectOptions
from inspector.core.sensitive import scan_claims
from inspector.core.verification import ecdsa_form_finding, length_words
from inspector.core.weak_secrets import (
    HMAC_HASHES,
    builtin_secrets,
    find_weak_secret,
    is_builtin_weak,
    iter_wordlist,
    shown_secret,
)


class AnalysisPass(Protocol):
    """One concern of the analysis: findings about a parsed token; never raises."""

    def __call__(
        self, parsed: ParsedToken, verification: Verification, options: InspectOptions
    ) -> Iterable[Finding]: ...


def analyse_token(
    parsed: ParsedToken,
    verification: Verification,
    options: InspectOptions | None = None,
    **settings: Any,
) -> Analysis:
    """Time claims, audience/issuer, sensitive data, header lints, weak secrets; never raises.

    The settings come as ``options``, or as its fields given as keywords (``now=...``,
    ``leeway=...``), not both. ``now`` ``None`` shows the time claims without judging them
    against a clock (the facade has read the clock before this point).
    """
    if options is None:
        options = InspectOptions(**settings)
    elif settings:
        raise TypeError("give the options or their fields as keywords, not both")
    findings: list[Finding] = []
    for run_pass in PASSES:
        findings.extend(run_pass(parsed, verification, options))
    return _analysis_of(parsed, verification, options, findings)


def analyse_all(
    tokens: Sequence[tuple[ParsedToken, Verification]], options: InspectOptions
) -> list[Analysis]:
    """``[analyse_token(parsed, verification, options) for parsed, verification in tokens]``,
    the same analyses, made pass by pass: each pass over every token, then the profiles of
    each (see ``inspection.inspect_all``: a pass's code stays in the processor's caches)."""
    found: list[list[Finding]] = [[] for _ in tokens]
    for run_pass in PASSES:
        for findings, (parsed, verification) in zip(found, tokens, strict=True):
            findings.extend(run_pass(parsed, verification, options))
    return [
        _analysis_of(parsed, verification, options, findings)
        for findings, (parsed, verification) in zip(found, tokens, strict=True)
    ]


def _analysis_of(
    parsed: ParsedToken,
    verification: Verification,
    options: InspectOptions,
    findings: list[Finding],
) -> Analysis:
    """The analysis of a token whose passes found ``findings``: the profiles applied, the
    times and descriptions to be made when first read."""
    claims = parsed.claims
    if _profiles.REGISTRY:
        findings, profiles = _profiles.apply(parsed, verification, options, findings)
    else:
        profiles = ()
    return _analysis(
        tuple(findings),
        partial(_time_report, claims, options.now, options.leeway) if claims is not None else None,
        partial(describe, parsed.unverified_header, claims),
        profiles,
    )


#: Analysis(findings=..., report_times=..., describe=..., profiles=...), made once a token.
_analysis = builder(Analysis, "findings", "report_times", "describe", "profiles")


def header_pass(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    """RFC 8725 header lints, and an ECDSA signature's form when verification did not say."""
    header = parsed.unverified_header
    if header is None:
        return ()
    found = _lints_of(parsed, header)
    if parsed.signature and verification.status != "valid":
        # (a signature that verified has its algorithm's size and form)
        alg = header.get("alg")
        if type(alg) is str and alg[:2] == "ES":
            found += _ecdsa_form(parsed, verification)  # (a fresh list: ours to extend)
        found += _signature_size(parsed, verification)
    return found


def claims_pass(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    """Time claims judged at ``options.now``, audience and issuer, sensitive data."""
    claims = parsed.claims
    if claims is None:
        return ()
    # Added to the fresh list time_claims made: no new list per token.
    found = time_claims(claims, now=options.now, leeway=options.leeway, report=False)[1]
    found += audience_issuer(claims, audience=options.audience, issuer=options.issuer)
    found += scan_claims(claims)
    return found


def weak_secret_pass(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    """Guessable HMAC secrets: the built-in list and the user's wordlist, when asked for."""
    if not options.check_weak_secrets and options.wordlist is None:
        return ()
    return _weak_secret(parsed, verification, options.check_weak_secrets, options.wordlist)


#: The analysis passes, run in this order by :func:`analyse_token`; each gets the parsed
#: token, its verification and the options and gives findings (never raises). A new concern
#: is a module with one such function plus a line here. The order is the order of the
#: findings (the tests and the window's list rely on it).
PASSES: tuple[AnalysisPass, ...] = (
    header_pass,
    claims_pass,
    weak_secret_pass,
    fetched_keys_pass,
    not_jwt_pass,
)


#: The header lints of compact JWS headers whose lints read no claim, by the header's JSON
#: bytes (at most :data:`_LINTED_SIZE` headers, cleared when full; none longer than
#: :data:`_LINTED_BYTES`): every token of an issuer carries one of a few headers.
_LINTED: dict[bytes, tuple[Finding, ...]] = {}
_LINTED_SIZE = 256
_LINTED_BYTES = 512


def _lints_of(parsed: ParsedToken, header: dict[str, Any]) -> list[Finding]:
    """``header_lints(header, parsed.claims)``, from :data:`_LINTED` when it can be: a compact
    JWS's header is the JSON of its bytes, and its lints read the claims only for a ``typ``
    string other than "JWT" (what claims that type promises)."""
    raw = parsed.header_bytes
    typ = header.get("typ")
    if (
        parsed.format != "jws"
        or type(raw) is not bytes
        or len(raw) > _LINTED_BYTES
        or (type(typ) is str and typ != "JWT")
    ):
        return header_lints(header, parsed.claims)
    lints = _LINTED.get(raw)
    if lints is None:
        if len(_LINTED) >= _LINTED_SIZE:
            _LINTED.clear()
        lints = _LINTED[raw] = tuple(header_lints(header, None))
    return list(lints)


def _ecdsa_form(parsed: ParsedToken, verification: Verification) -> list[Finding]:
    """A zero (psychic) or DER-encoded ECDSA signature shows without any key: report it when
    verification did not (no key given, or the key could not be used)."""
    spec = ALGORITHMS.get(parsed.alg or "")
    if (
        spec is None
        or spec.family != "ECDSA"
        or parsed.format not in SIGNED_FORMATS
        or not parsed.signature
    ):
        return []
    form = ecdsa_signature_problem(spec, parsed.signature)
    found = ecdsa_form_finding(spec, parsed.signature, form)
    if found is None or any(f.id == found.id for f in verification.findings):
        return []
    return [found]


def _signature_size(parsed: ParsedToken, verification: Verification) -> list[Finding]:
    """A signature of another size than its algorithm alone fixes (HMAC, ECDSA, Ed25519,
    Ed448) shows without any key: report it when verification did not (no key given, or
    the key could not be used). A DER-encoded ECDSA signature has its own finding."""
    spec = ALGORITHMS.get(parsed.alg or "")
    sig = parsed.signature
    if spec is None or not spec.size or parsed.format not in SIGNED_FORMATS or not sig:
        return []
    expected = 2 * spec.size if spec.family == "ECDSA" else spec.size
    if len(sig) == expected:
        return []
    if spec.family == "ECDSA" and ecdsa_signature_problem(spec, sig) == "der":
        return []
    if any(f.id == "signature-length" for f in verification.findings):
        return []
    return [finding("signature-length", length_words(spec.name, len(sig), expected)[0])]


def _time_report(claims: dict[str, Any], now: float | None, leeway: float) -> tuple[TimeClaim, ...]:
    """The time claims as shown, made when first read: only the list, not the judging (the
    claims pass has judged them; ``leeway`` plays no part in what is shown)."""
    return tuple(time_report(claims, now=now))


def _weak_secret(
    parsed: ParsedToken,
    verification: Verification,
    builtin: bool,
    wordlist: str | os.PathLike[str] | None,
) -> list[Finding]:
    alg = parsed.alg
    if alg not in HMAC_HASHES or parsed.format not in SIGNED_FORMATS:
        return []
    out: list[Finding] = []
    sources: list[tuple[str, Iterable[bytes]]] = []
    if builtin:
        sources.append(("the built-in list of common secrets", builtin_secrets()))
    if wordlist is not None:
        try:
            sources.append((f"the wordlist {os.fspath(wordlist)!r}", iter_wordlist(wordlist)))
        except OSError as err:
            out.append(_wordlist_error(wordlist, err))
    key = verification.hmac_secret
    try:
        if key is not None:
            out.extend(_lookup(key, sources))
        elif parsed.signing_input is not None and parsed.signature:
            for where, candidates in sources:
                hit = find_weak_secret(alg, parsed.signing_input, parsed.signature, candidates)
                if hit is not None:
                    out.append(
                        finding(
                            "weak-secret",
                            f"The token was signed with {shown_secret(hit)}, found in {where}.",
                            "/header/alg",
                        )
                    )
                    break
    except OSError as err:
        if wordlist is not None:
            out.append(_wordlist_error(wordlist, err))
    return out


def _lookup(key: bytes, sources: list[tuple[str, Iterable[bytes]]]) -> list[Finding]:
    """Look the user's own secret up instead of searching (the empty secret is reported by
    verification as ``empty-secret``)."""
    if not key:
        return []
    for where, candidates in sources:
        found = (
            is_builtin_weak(key)
            if candidates is builtin_secrets()
            else any(c == key for c in candidates)
        )
        if found:
            return [
                finding(
                    "weak-secret",
                    f"The secret you gave, {shown_secret(key)}, is in {where}.",
                    "/header/alg",
                )
            ]
    return []


def _wordlist_error(path: str | os.PathLike[str], err: OSError) -> Finding:
    why = err.strerror or type(err).__name__
    return finding(
        "wordlist-error",
        f"The wordlist {os.fspath(path)!r} cannot be read ({why}); it was not searched.",
    )
