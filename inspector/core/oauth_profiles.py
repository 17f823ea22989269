"""OAuth and OpenID Connect token profiles, and the workload tokens people paste most.

- ``access-token``: an RFC 9068 JWT access token (``typ`` ``at+jwt``); its required claims.
- ``logout-token``: an OpenID back-channel logout token (``events`` with the back-channel
  logout member); ``events``, ``sub``/``sid``, no ``nonce``.
- ``kubernetes-service-account``: a Kubernetes service account token; a legacy secret-based
  one never expires.
- ``github-actions-oidc``: a GitHub Actions workflow's OIDC token; what a relying party pins.
- ``id-token``: an OpenID Connect ID token (``nonce``, ``at_hash``, ``c_hash`` or
  ``auth_time``); required claims, ``azp`` with several audiences, ``auth_time``, and
  ``at_hash``/``c_hash`` against the access token and code pasted with it
  (:mod:`inspector.core.paste_context`).
- ``client-assertion``: an RFC 7523 client authentication JWT (``typ``
  ``client-authentication+jwt``, pasted as ``client_assertion``, or ``iss`` equal to ``sub``
  with an ``aud``); ``iss`` = ``sub``, ``aud``, ``exp``, ``jti``, a short lifetime.

Detection reads the decoded header and claims only; the claims-based kinds (ID token, client
assertion) stand back when an explicit ``typ`` or a more specific kind matched, so a token
gets one profile.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeGuard

from inspector.core.findings import Finding, finding, json_pointer
from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions
from inspector.core.profiles import RuleProfile, Triggers, difference, normalised_typ

#: RFC 9068 §2.2: claims every JWT access token carries.
ACCESS_TOKEN_CLAIMS = ("iss", "exp", "aud", "sub", "client_id", "iat", "jti")
#: OpenID Connect Core §2: claims every ID token carries.
ID_TOKEN_CLAIMS = ("iss", "sub", "aud", "exp", "iat")
#: Claims only an ID token has (any one of them marks a token as one).
ID_TOKEN_MARKS = ("nonce", "at_hash", "c_hash", "auth_time")
#: OpenID Back-Channel Logout 1.0 §2.4.
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LOGOUT_TOKEN_CLAIMS = ("iss", "aud", "iat", "jti")
#: RFC 7523 §3: what a client assertion carries.
CLIENT_ASSERTION_CLAIMS = ("iss", "sub", "aud", "exp", "jti")
#: A client assertion living longer than this (seconds) is reported: one is made per request.
MAX_ASSERTION_LIFETIME = 3600
KUBERNETES_LEGACY_ISSUER = "kubernetes/serviceaccount"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
#: The hash of ``at_hash``/``c_hash`` by the ID token's ``alg`` (OpenID Connect Core
#: §3.1.3.6: the hash of the JWS algorithm; SHA-512 for Ed25519, as the OpenID errata say).
_HASHES: dict[str, Callable[[bytes], Any]] = {
    "256": hashlib.sha256,
    "384": hashlib.sha384,
    "512": hashlib.sha512,
}
#: ``typ`` values that name a profile of their own (a claims-based kind stands back).
_EXPLICIT_TYPS = frozenset(
    {"at+jwt", "logout+jwt", "dpop+jwt", "kb+jwt", "dc+sd-jwt", "vc+sd-jwt", "secevent+jwt"}
)


def _typ(parsed: ParsedToken) -> str | None:
    return normalised_typ(parsed.unverified_header)


def _claims(parsed: ParsedToken) -> dict[str, Any]:
    p = parsed.unverified_payload  # (ParsedToken.claims, without a property call)
    return p if isinstance(p, dict) else {}


def _missing(parsed: ParsedToken, names: Iterable[str], kind: str, ref: str) -> list[Finding]:
    claims = _claims(parsed)
    gone = [n for n in names if n not in claims]
    if not gone:
        return []
    return [
        finding(
            "profile-missing-claim",
            f"As {kind}, the token must carry {', '.join(repr(n) for n in gone)} ({ref}).",
            "/payload",
        )
    ]


# ------------------------------------------------------------------ RFC 9068 access token
def _detect_access_token(parsed: ParsedToken) -> str | None:
    return "typ is 'at+jwt' (RFC 9068 JWT access token)" if _typ(parsed) == "at+jwt" else None


def _access_token_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    return _missing(parsed, ACCESS_TOKEN_CLAIMS, "an RFC 9068 access token", "RFC 9068 §2.2")


# ------------------------------------------------------------------ logout token
def _detect_logout(parsed: ParsedToken) -> str | None:
    if _typ(parsed) == "logout+jwt":
        return "typ is 'logout+jwt' (OpenID back-channel logout token)"
    events = _claims(parsed).get("events")
    if isinstance(events, dict) and LOGOUT_EVENT in events:
        return "its 'events' claim holds the back-channel logout event"
    return None


def _logout_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    claims = _claims(parsed)
    out: list[Finding] = []
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(LOGOUT_EVENT), dict):
        out.append(
            finding(
                "logout-token-invalid",
                f"'events' must be an object whose member {LOGOUT_EVENT!r} is an object.",
                "/payload/events",
            )
        )
    if "sub" not in claims and "sid" not in claims:
        out.append(
            finding(
                "logout-token-invalid",
                "The logout token has neither 'sub' nor 'sid': it names no session or user.",
                "/payload",
            )
        )
    if "nonce" in claims:
        out.append(
            finding(
                "logout-token-invalid",
                "A logout token must not carry 'nonce' (it would let it pass as an ID token).",
                "/payload/nonce",
            )
        )
    out += _missing(parsed, LOGOUT_TOKEN_CLAIMS, "a logout token", "Back-Channel Logout §2.4")
    return out


# ------------------------------------------------------------------ Kubernetes
def _detect_kubernetes(parsed: ParsedToken) -> str | None:
    claims = _claims(parsed)
    if claims.get("iss") == KUBERNETES_LEGACY_ISSUER:
        return f"iss is {KUBERNETES_LEGACY_ISSUER!r} (legacy service account token)"
    if isinstance(claims.get("kubernetes.io"), dict):
        return "it carries the 'kubernetes.io' claim (bound service account token)"
    return None


def _kubernetes_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    claims = _claims(parsed)
    if claims.get("iss") != KUBERNETES_LEGACY_ISSUER or "exp" in claims:
        return []
    account = claims.get("kubernetes.io/serviceaccount/service-account.name")
    return [
        finding(
            "kubernetes-legacy-token",
            "A secret-based service account token"
            + (f" for {account!r}" if isinstance(account, str) else "")
            + ": it has no 'exp' and no 'aud', so it never expires and any API server of the "
            "cluster accepts it.",
            "/payload/iss",
        )
    ]


# ------------------------------------------------------------------ GitHub Actions
def _detect_github(parsed: ParsedToken) -> str | None:
    iss = _claims(parsed).get("iss")
    if iss == GITHUB_ISSUER or (isinstance(iss, str) and iss.startswith(GITHUB_ISSUER + "/")):
        return f"iss is {GITHUB_ISSUER!r} (GitHub Actions OIDC token)"
    return None


def _github_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    claims = _claims(parsed)
    said = [
        f"{n} {claims[n]!r}"
        for n in ("sub", "repository", "ref", "environment", "aud")
        if isinstance(claims.get(n), str)
    ]
    return [
        finding(
            "github-actions-oidc",
            "Issued by GitHub Actions to a workflow run"
            + (f" ({'; '.join(said)[:300]})" if said else "")
            + ". Pin 'sub' (or the repository and ref) and 'aud' in the trust policy.",
            "/payload/iss",
        )
    ]


# ------------------------------------------------------------------ ID token
#: Issuers (prefixes) that one of the more specific kinds (Kubernetes, GitHub) is detected by.
_SPECIFIC_ISSUERS = (KUBERNETES_LEGACY_ISSUER, GITHUB_ISSUER)


def _claims_kind_allowed(parsed: ParsedToken) -> bool:
    """Whether a claims-based kind may match: no explicit typ, no more specific kind."""
    header = parsed.unverified_header
    typ = header.get("typ") if header else None
    if parsed.sd_jwt is not None or (
        typ is not None and typ != "JWT" and _typ(parsed) in _EXPLICIT_TYPS
    ):
        return False
    claims = _claims(parsed)
    iss = claims.get("iss")
    if (
        "events" not in claims  # (the claims a more specific kind, logout or Kubernetes,
        and "kubernetes.io" not in claims  # is detected by)
        and not (isinstance(iss, str) and iss.startswith(_SPECIFIC_ISSUERS))
    ):
        return True  # (what the detectors below need is not there: they would all say no)
    return (
        _detect_logout(parsed) is None
        and _detect_kubernetes(parsed) is None
        and _detect_github(parsed) is None
    )


def _detect_id_token(parsed: ParsedToken) -> str | None:
    claims = _claims(parsed)
    marks = tuple([m for m in ID_TOKEN_MARKS if m in claims])
    if not marks or not _claims_kind_allowed(parsed):
        return None
    return _id_token_reason(marks)


@functools.lru_cache(maxsize=16)
def _id_token_reason(marks: tuple[str, ...]) -> str:
    """Why a token carrying ``marks`` (some of ID_TOKEN_MARKS, in that order) is an ID token:
    one sentence per set of marks, made once."""
    return f"it carries {', '.join(repr(m) for m in marks)}, claims of an OpenID Connect ID token"


_ID_TOKEN_CLAIM_SET = frozenset(ID_TOKEN_CLAIMS)


def _id_token_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    claims = _claims(parsed)
    # (the usual ID token, with every claim and no hash claim, decided by set operations)
    out = (
        []
        if claims.keys() >= _ID_TOKEN_CLAIM_SET
        else _missing(parsed, ID_TOKEN_CLAIMS, "an ID token", "OpenID Connect Core §2")
    )
    if "nonce" not in claims:
        out.append(
            finding(
                "profile-missing-claim",
                "The ID token has no 'nonce': a client that sent one in its authentication "
                "request must reject it, and without one a captured ID token can be replayed.",
                "/payload",
                severity="low",
            )
        )
    aud, azp = claims.get("aud"), claims.get("azp")
    if isinstance(aud, list) and len(aud) > 1 and azp is None:
        out.append(
            finding(
                "id-token-azp",
                f"'aud' names {len(aud)} audiences and there is no 'azp' saying which client "
                "the ID token was issued to.",
                "/payload/aud",
            )
        )
    elif (
        isinstance(azp, str)
        and aud is not None
        and azp not in (aud if isinstance(aud, list) else [aud])
    ):
        out.append(
            finding(
                "id-token-azp",
                f"'azp' {azp[:120]!r} is not one of the audiences in 'aud'.",
                "/payload/azp",
            )
        )
    auth_time, iat = claims.get("auth_time"), claims.get("iat")
    # (an auth_time that is no NumericDate is the time claims' bad-time-claim already)
    if (
        auth_time is not None
        and _is_number(auth_time)
        and _is_number(iat)
        and difference(auth_time, iat) > options.leeway
    ):
        out.append(
            finding(
                "bad-time-claim",
                "'auth_time' is after 'iat': the user authenticated after the ID token was "
                "issued, which cannot be.",
                "/payload/auth_time",
            )
        )
    if "at_hash" in claims or "c_hash" in claims:
        out += _hash_claims(parsed, claims, options.context_text)
    return out


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def half_hash(alg: str | None, value: str) -> str | None:
    """The ``at_hash``/``c_hash`` of ``value`` for an ID token signed with ``alg``: base64url
    of the left half of its hash; ``None`` when ``alg`` names no hash."""
    if alg is None:
        return None
    if alg in ("EdDSA", "Ed25519"):
        hasher: Callable[[bytes], Any] | None = hashlib.sha512
    else:
        hasher = _HASHES.get(alg[-3:]) if alg[:2] in ("RS", "PS", "ES", "HS") else None
    if hasher is None:
        return None
    try:
        data = value.encode("ascii")
    except UnicodeEncodeError:
        return None
    digest = hasher(data).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")


def _hash_claims(
    parsed: ParsedToken, claims: dict[str, Any], context_text: str | None = None
) -> list[Finding]:
    """``at_hash`` and ``c_hash`` against the access token and code pasted with the ID token."""
    if "at_hash" not in claims and "c_hash" not in claims:
        return []  # (most ID tokens carry neither)
    wanted = [(n, claims[n]) for n in ("at_hash", "c_hash") if isinstance(claims.get(n), str)]
    if not wanted:
        return []
    # (imported here: only a token of this profile reads the rest of the paste)
    from inspector.core.paste_context import paste_context

    context = paste_context(parsed, context_text)
    out: list[Finding] = []
    for name, expected in wanted:
        if name == "at_hash":
            values = [(s.where, s.text) for s in context.named("access_token", "Authorization")]
        else:
            values = [("code", context.code)] if context.code is not None else []
        if not values:
            continue
        what = "access token" if name == "at_hash" else "authorization code"
        # Every one pasted is tried: a paste of several token responses holds several access
        # tokens, and the ID token's own may be any of them.
        hashed = [(w, g) for w, v in values if (g := half_hash(parsed.alg, v)) is not None]
        if not hashed:
            continue
        match = next((w for w, g in hashed if g == expected), None)
        if match is not None:
            out.append(
                finding(
                    "at-hash-match",
                    f"'{name}' is the left half of the {parsed.alg} hash of the {what} pasted "
                    f"with it ({match}).",
                    json_pointer("payload", name),
                    title=f"ID token's '{name}' matches",
                )
            )
            continue
        where, got = hashed[0]
        pasted = (
            f"the {what} pasted with it ({where}) hashes to {got!r}"
            if len(hashed) == 1
            else f"none of the {len(hashed)} {what}s pasted with it hashes to that (the first, "
            f"{where}, hashes to {got!r})"
        )
        out.append(
            finding(
                "at-hash-mismatch",
                f"'{name}' is {expected[:60]!r}, but {pasted} under {parsed.alg}: they were not "
                "issued together.",
                json_pointer("payload", name),
                title=f"ID token's '{name}' does not match",
            )
        )
    return out


# ------------------------------------------------------------------ client assertion
#: What stands just before a token pasted as a client assertion: ``client_assertion=`` in a
#: form body, ``"client_assertion": "`` in JSON.
_CLIENT_ASSERTION_NAME = re.compile(r"client_assertion[\"']?[ \t]*[=:][ \t]*[\"']?\Z")
#: How many places of the token in the paste are looked at, and how far before each.
_NAME_LOOKS, _NAME_WINDOW = 8, 40


def _pasted_as_client_assertion(token: str, paste: str) -> bool:
    """Whether ``token`` stands in ``paste`` under the name ``client_assertion``. Where it
    is not found as it is (cleaned out of a paste broken over lines), the paste naming a
    client assertion anywhere is taken for it."""
    if "client_assertion" not in paste:
        return False  # (every way below needs the name: most pastes are the token alone)
    at = paste.find(token)
    if at < 0:
        return True  # (the name is in the paste, checked above)
    for _ in range(_NAME_LOOKS):
        if at < 0:
            return False
        if _CLIENT_ASSERTION_NAME.search(paste, max(0, at - _NAME_WINDOW), at):
            return True
        at = paste.find(token, at + 1)
    return False


def _detect_client_assertion(parsed: ParsedToken, paste: str | None = None) -> str | None:
    """An RFC 7523 client assertion by its typ, its claims, or the name it was pasted under
    in ``paste`` (default: the token's own text)."""
    if _typ(parsed) == "client-authentication+jwt":
        return "typ is 'client-authentication+jwt' (client assertion)"
    claims = parsed.claims
    if claims is None:
        return None
    iss = claims.get("iss")
    if isinstance(iss, str) and iss == claims.get("sub") and "aud" in claims and "jti" in claims:
        reason = (
            "its iss equals its sub and it has an aud and a jti, as an RFC 7523 client assertion"
        )
    elif parsed.token is not None and _pasted_as_client_assertion(
        parsed.token, parsed.text if paste is None else paste
    ):
        reason = "it was pasted as a client_assertion (RFC 7523)"
    else:
        return None
    # Cheap tests first: the claims-based kinds are asked of every token.
    if not _claims_kind_allowed(parsed) or _detect_id_token(parsed) is not None:
        return None
    return reason


def _client_assertion_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    claims = _claims(parsed)
    out: list[Finding] = []
    gone = [n for n in CLIENT_ASSERTION_CLAIMS if n not in claims]
    if gone:
        out.append(
            finding(
                "client-assertion-invalid",
                f"The client assertion lacks {', '.join(repr(n) for n in gone)}.",
                "/payload",
            )
        )
    iss, sub = claims.get("iss"), claims.get("sub")
    if "iss" in claims and "sub" in claims and iss != sub:
        out.append(
            finding(
                "client-assertion-invalid",
                f"'iss' ({str(iss)[:80]!r}) and 'sub' ({str(sub)[:80]!r}) must both be the "
                "client id.",
                "/payload/sub",
            )
        )
    exp, iat = claims.get("exp"), claims.get("iat")
    start = iat if _is_number(iat) else options.now
    lifetime = difference(exp, start) if _is_number(exp) and start is not None else 0.0
    if lifetime > MAX_ASSERTION_LIFETIME:
        out.append(
            finding(
                "client-assertion-long-lifetime",
                f"The assertion is valid for {lifetime:,.0f} s after "
                f"{'its iat' if _is_number(iat) else 'the time judged at'}; more than "
                f"{MAX_ASSERTION_LIFETIME} s is reported.",
                "/payload/exp",
            )
        )
    return out


# Each profile's triggers (inspector.core.profiles.Triggers) are what its detector needs to
# say yes: it is asked only about tokens that show one of them.
ACCESS_TOKEN = RuleProfile(
    "access-token",
    frozenset({"missing-jti"}),
    _detect_access_token,
    _access_token_rules,
    Triggers(typs=frozenset({"at+jwt"})),
)
LOGOUT_TOKEN = RuleProfile(
    "logout-token",
    frozenset(),
    _detect_logout,
    _logout_rules,
    Triggers(typs=frozenset({"logout+jwt"}), claims=frozenset({"events"})),
)
KUBERNETES = RuleProfile(
    # A legacy token's missing exp is said by kubernetes-legacy-token, with what to do.
    "kubernetes-service-account",
    frozenset({"missing-exp"}),
    _detect_kubernetes,
    _kubernetes_rules,
    Triggers(claims=frozenset({"kubernetes.io"}), issuers=(KUBERNETES_LEGACY_ISSUER,)),
)
GITHUB_ACTIONS = RuleProfile(
    "github-actions-oidc",
    frozenset(),
    _detect_github,
    _github_rules,
    Triggers(issuers=(GITHUB_ISSUER,)),
)
ID_TOKEN = RuleProfile(
    "id-token",
    frozenset(),
    _detect_id_token,
    _id_token_rules,
    Triggers(claims=frozenset(ID_TOKEN_MARKS)),
)
CLIENT_ASSERTION = RuleProfile(
    "client-assertion",
    frozenset(),
    _detect_client_assertion,
    _client_assertion_rules,
    # (its claims test needs a jti, among others; otherwise only the typ or the paste say so)
    Triggers(
        typs=frozenset({"client-authentication+jwt"}),
        claims=frozenset({"jti"}),
        text=("client_assertion",),
    ),
    _detect_client_assertion,
)
