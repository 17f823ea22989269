"""Header lints from RFC 8725 (JWT Best Current Practices) and friends.

``alg-none``, ``kid-injection``, ``crit-header``, ``b64-false``, ``deprecated-alg-name`` and
``typ-mismatch``, each pointing at the header member concerned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from inspector.core.findings import Finding, finding
from inspector.core.lazy_re import LazyPattern

#: Header parameters defined by RFC 7515 / RFC 7516 / RFC 7518, which 'crit' must not name
#: (RFC 7515 §4.1.11).
REGISTERED_HEADER_PARAMS = frozenset(
    {
        "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit",
        "enc", "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
    }
)  # fmt: skip
#: Extensions the inspector understands (RFC 7797 unencoded payload).
UNDERSTOOD_CRITICAL = frozenset({"b64"})

#: Suspicious 'kid' contents; each group names what it found. Compiled on first use: ~1 ms,
#: and a token without an unusual 'kid' never needs it.
_KID = LazyPattern(
    r"""
    (?P<traversal>\.\.[/\\]|[/\\]\.\.|^\.\.$|%2e%2e|\.\.%2f|\.\.%5c|%252e|%c0%af)
  | (?P<path>^(?:/(?:dev|etc|proc|sys|tmp|var|usr|bin|boot|home|root|opt|lib|run|srv|mnt)(?:/|$)
        |[A-Za-z]:[\\/]|\\\\|file:))
  | (?P<nul>\x00|%00)
  | (?P<sql>['"`]|--(?:\s|$)|/\*|\bunion\b|\b(?:or|and)\b\s+\S+\s*=)
  | (?P<shell>\$\(|\$\{|[|&;<>\n\r])
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: SELECT ... FROM, looked for in two steps: as one pattern (``select.*from``) the search
#: restarts at every "select" and reads to the end of the text each time, which is quadratic
#: (a 1 MB kid of repeated "select " took over a minute).
_SELECT = re.compile(r"\bselect\b", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\b", re.IGNORECASE)
#: How far past SELECT another kid pattern is looked for (each is at most ~16 characters).
_WINDOW = 64
#: Most key ids (base64url, hex, UUIDs, colon-separated names): nothing to look at.
_PLAIN_KID = re.compile(r"[A-Za-z0-9_=+:]+(?:-[A-Za-z0-9_=+:]+)*")
_KID_TEXT = {
    "traversal": "path traversal ('..')",
    "path": "an absolute file path",
    "nul": "a NUL byte",
    "sql": "SQL syntax (quotes, comments, UNION or a boolean condition)",
    "shell": "shell metacharacters (; | & < > $( or a line break)",
}

#: Media types seen in 'typ' that need no remark (compared lower-case, "application/" removed).
_KNOWN_TYP = frozenset(
    {
        "jwt", "jose", "jose+json", "jws", "jwe", "at+jwt", "secevent+jwt", "logout+jwt",
        "dpop+jwt", "token-introspection+jwt", "oauth-authz-req+jwt", "entity-statement+jwt",
        "trust-mark+jwt", "vc+jwt", "vp+jwt", "vc+sd-jwt", "dc+sd-jwt", "sd-jwt", "kb+jwt",
        "jwk-set+jwt", "txn+jwt", "openid4vci-proof+jwt", "wallet-attestation+jwt",
        "client-authentication+jwt", "passport", "rp-attestation+jwt", "status-list+jwt",
        "jwt-bearer", "access_token",
    }
)  # fmt: skip
#: Claims RFC 9068 §2.2 requires in a JWT access token.
_AT_CLAIMS = ("iss", "exp", "aud", "sub", "client_id", "iat", "jti")
#: Claims each explicitly typed token needs, so a typ that promises them can be checked.
_TYP_NEEDS: Mapping[str, tuple[str, ...]] = {
    "at+jwt": _AT_CLAIMS,
    "secevent+jwt": ("events",),
    "logout+jwt": ("events",),
    "dpop+jwt": ("htm", "htu", "iat", "jti"),
}


def header_lints(header: Mapping[str, Any], claims: Mapping[str, Any] | None) -> list[Finding]:
    out: list[Finding] = []
    alg = header.get("alg")
    if isinstance(alg, str):
        low = alg.lower()
        if low == "none" or ("none" in low and low.strip() == "none"):
            out.append(
                finding(
                    "alg-none",
                    f"The header says alg {alg!r}: the token is not signed"
                    + ("" if alg == "none" else ", and the odd spelling is a filter-bypass trick")
                    + ".",
                    "/header/alg",
                )
            )
        elif alg == "EdDSA":
            out.append(
                finding(
                    "deprecated-alg-name",
                    "alg 'EdDSA' is deprecated; use 'Ed25519' (or 'Ed448') instead.",
                    "/header/alg",
                )
            )
    elif "alg" in header:
        # parsing reports an absent 'alg'; one that is null, a number or an object names no
        # algorithm either, and verifiers treat it anywhere from "none" to a crash
        out.append(
            finding(
                "missing-alg",
                f"'alg' is {_json_kind(alg)}, not an algorithm name: the header names no "
                "algorithm.",
                "/header/alg",
            )
        )
    if "kid" in header:
        kid_finding = _kid(header["kid"])
        if kid_finding is not None:
            out.append(kid_finding)
    if "crit" in header:
        out.extend(_crit(header))
    b64 = header.get("b64")
    if b64 is False:
        crit = header.get("crit")
        listed = isinstance(crit, list) and "b64" in crit
        out.append(
            finding(
                "b64-false",
                "The payload is not base64url-encoded (b64: false)"
                + ("." if listed else ", and 'b64' is not listed in 'crit' as RFC 7797 requires."),
                "/header/b64",
            )
        )
    elif "b64" in header and b64 is not True:
        out.append(
            finding(
                "b64-false",
                f"'b64' must be true or false, not {b64!r}; verifiers will disagree about how "
                "the payload is encoded.",
                "/header/b64",
            )
        )
    if "typ" in header:
        typ_finding = _typ(header["typ"], claims)
        if typ_finding is not None:
            out.append(typ_finding)
    return out


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return "an array" if isinstance(value, list) else "an object"


def _kid(kid: Any) -> Finding | None:
    if type(kid) is not str:
        if type(kid) is dict or type(kid) is list:
            # A key id is a string (RFC 7515 §4.1.4); an object such as {"$ne": ""} is NoSQL
            # operator injection against servers that look the kid up in a document store.
            what = "an object" if type(kid) is dict else "an array"
            return finding(
                "kid-injection",
                f"'kid' is {what}, not a string: a server that passes it to a database query "
                '(NoSQL operators such as {"$ne": ""}) can be made to pick any key.',
                "/header/kid",
            )
        return None
    if _PLAIN_KID.fullmatch(kid):
        return None
    select = _SELECT.search(kid)
    if select is not None and _FROM.search(kid, select.end()) is not None:
        # SELECT ... FROM, unless another pattern matches further left. Every pattern but the
        # (SQL) boolean condition is shorter than the window, so searching just past SELECT
        # decides it, without reading the rest of a long kid.
        m = _KID.search(kid[: select.start() + _WINDOW])
        group = (m.lastgroup or "sql") if m is not None and m.start() < select.start() else "sql"
    else:
        m = _KID.search(kid)
        if m is None:
            return None
        group = m.lastgroup or "sql"
    shown = kid if len(kid) <= 60 else kid[:57] + "..."
    what = _KID_TEXT[group]
    return finding("kid-injection", f"'kid' {shown!r} contains {what}.", "/header/kid")


def _crit(header: Mapping[str, Any]) -> list[Finding]:
    crit = header["crit"]
    loc = "/header/crit"
    if not isinstance(crit, list):
        return [finding("crit-header", f"'crit' must be an array of names, not {crit!r}.", loc)]
    if not crit:
        return [finding("crit-header", "'crit' is an empty array, which RFC 7515 forbids.", loc)]
    out: list[Finding] = []
    seen: set[str] = set()
    for name in crit:
        if not isinstance(name, str):
            out.append(finding("crit-header", f"'crit' lists {name!r}, which is not a name.", loc))
        elif name in seen:
            out.append(finding("crit-header", f"'crit' lists {name!r} twice.", loc))
        elif name in REGISTERED_HEADER_PARAMS:
            out.append(
                finding(
                    "crit-header",
                    f"'crit' lists {name!r}, a parameter of the JWS/JWE specifications, which it "
                    "must not name.",
                    loc,
                )
            )
        elif name not in header:
            out.append(
                finding(
                    "crit-header",
                    f"'crit' lists {name!r}, but the header has no {name!r} parameter.",
                    loc,
                )
            )
        elif name not in UNDERSTOOD_CRITICAL:
            out.append(
                finding(
                    "crit-header",
                    f"'crit' marks {name!r} as critical: a verifier that does not understand "
                    f"{name!r} must reject the token.",
                    loc,
                )
            )
        if isinstance(name, str):
            seen.add(name)
    return out


def _typ(typ: Any, claims: Mapping[str, Any] | None) -> Finding | None:
    if typ == "JWT":
        return None
    loc = "/header/typ"
    if not isinstance(typ, str):
        return finding("typ-mismatch", f"'typ' should be a media type string, not {typ!r}.", loc)
    norm = typ.lower()
    if norm.startswith("application/"):
        norm = norm[len("application/") :]
    needs = _TYP_NEEDS.get(norm)
    if needs is not None and claims is not None:
        missing = [c for c in needs if c not in claims]
        if missing:
            return finding(
                "typ-mismatch",
                f"'typ' is {typ!r}, but the payload lacks {', '.join(missing)}, which that "
                "type of token carries.",
                loc,
            )
        return None
    if norm in _KNOWN_TYP or norm.endswith(("+jwt", "+sd-jwt")):
        return None
    return finding(
        "typ-mismatch",
        f"'typ' {typ!r} is not a JWT media type (expected 'JWT' or an explicit type such as "
        "'at+jwt').",
        loc,
    )
