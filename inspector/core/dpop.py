"""DPoP proofs (RFC 9449): a JWT a client signs with the key in its own header.

A DPoP proof is the one kind of token that MUST be verified with the ``jwk`` it carries
(RFC 9449 §4.3 step 7): what it proves is possession of that key, not who holds it; a server
binds it to an access token by the key's RFC 7638 thumbprint (``cnf.jkt``). Everywhere else a
token's own key is never used (RFC 8725 §3.10; ``embedded-jwk``). So the exception is as narrow
as the specification: only a token whose header says exactly ``typ: dpop+jwt``
(:func:`is_dpop_proof`) is verified this way, by
:func:`inspector.core.verification.verify_with`, with the PUBLIC members of that ``jwk`` only,
and never with a symmetric key or algorithm.

This module holds what the verification and the profile share (detection, the public key,
the thumbprint) and the profile's rules: private key members, a symmetric ``alg``, the required
``jti``/``htm``/``htu``/``iat``, ``iat`` far from the time judged at, and, when the access token
was pasted with the proof, its ``ath`` and ``cnf.jkt``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from inspector.core.algorithms import ALGORITHMS
from inspector.core.findings import Finding, finding
from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions
from inspector.core.profiles import RuleProfile, Triggers, difference

#: The one ``typ`` a DPoP proof has (RFC 9449 §4.2). Compared exactly: a variant is not
#: treated as a proof, so no spelling makes an ordinary token verify with its own key.
DPOP_TYP = "dpop+jwt"
#: JWK members that are private (RSA, EC, OKP) or a shared secret (oct).
PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
#: The members an RFC 7638 thumbprint is computed over, per key type (§3.2).
THUMBPRINT_MEMBERS: Mapping[str, tuple[str, ...]] = {
    "RSA": ("e", "kty", "n"),
    "EC": ("crv", "kty", "x", "y"),
    "OKP": ("crv", "kty", "x"),
}
#: Claims every proof carries (RFC 9449 §4.2).
REQUIRED_CLAIMS = ("jti", "htm", "htu", "iat")
#: How far (seconds) a proof's ``iat`` may be from the time judged at before it is reported:
#: servers accept "a few seconds or minutes" (RFC 9449 §11.1); five minutes is common.
MAX_IAT_SKEW = 300


def is_dpop_proof(parsed: ParsedToken) -> bool:
    """Whether the header says ``typ: dpop+jwt`` exactly (a compact JWS, or an unsecured one,
    which is then never valid; not an SD-JWT)."""
    header = parsed.unverified_header
    return (
        header is not None
        and header.get("typ") == DPOP_TYP
        and parsed.format in ("jws", "unsecured")
        and parsed.sd_jwt is None
        and parsed.unprotected_header is None
        and "." in (parsed.token or "")
    )


def header_jwk(parsed: ParsedToken) -> dict[str, Any] | None:
    """The header's ``jwk`` when it is an object."""
    jwk = (parsed.unverified_header or {}).get("jwk")
    return jwk if isinstance(jwk, dict) else None


def private_members(jwk: Mapping[str, Any]) -> list[str]:
    """The private (or secret) members ``jwk`` holds."""
    return [m for m in PRIVATE_MEMBERS if m in jwk]


def public_jwk(jwk: Mapping[str, Any]) -> dict[str, Any]:
    """``jwk`` without its private members: the only form a proof is verified with."""
    return {k: v for k, v in jwk.items() if k not in PRIVATE_MEMBERS}


def symmetric_problem(parsed: ParsedToken) -> str | None:
    """Why the proof's ``alg`` or key cannot prove possession, or ``None``."""
    alg = parsed.alg
    spec = ALGORITHMS.get(alg or "")
    if alg is None or alg.lower() == "none":
        return f"its alg is {alg!r}: a proof must be signed with an asymmetric algorithm"
    if spec is not None and spec.family == "HMAC":
        return f"its alg {alg} is a MAC with a shared secret, not an asymmetric signature"
    jwk = header_jwk(parsed)
    if jwk is not None and (jwk.get("kty") == "oct" or "k" in jwk):
        return "its jwk is a shared secret (kty 'oct'), not a public key"
    return None


def thumbprint(jwk: Mapping[str, Any]) -> str | None:
    """The RFC 7638 SHA-256 thumbprint of ``jwk`` (base64url), ``None`` when its required
    members are missing or not strings."""
    kty = jwk.get("kty")
    members = THUMBPRINT_MEMBERS.get(kty) if isinstance(kty, str) else None
    if members is None:
        return None
    picked = {m: jwk.get(m) for m in members}
    if not all(isinstance(v, str) for v in picked.values()):
        return None
    text = json.dumps(picked, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    try:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
    except UnicodeEncodeError:
        return None
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str | None:
    """``ath``: base64url SHA-256 of the token's ASCII octets (RFC 9449 §4.2)."""
    try:
        data = token.encode("ascii")
    except UnicodeEncodeError:
        return None
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _detect(parsed: ParsedToken) -> str | None:
    return f"typ is {DPOP_TYP!r} (RFC 9449 DPoP proof)" if is_dpop_proof(parsed) else None


def _rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    out: list[Finding] = []
    jwk = header_jwk(parsed)
    claims = parsed.claims or {}
    jkt = thumbprint(jwk) if jwk is not None else None
    out.append(
        finding(
            "dpop-proof",
            "A DPoP proof: its signature is checked with the key in its own 'jwk' header, "
            "which proves possession of that key, not who holds it"
            + (f". The key's RFC 7638 thumbprint (cnf.jkt) is {jkt}." if jkt else "."),
            "/header/jwk" if jwk is not None else None,
        )
    )
    if jwk is not None and private_members(jwk):
        out.append(
            finding(
                "dpop-private-key",
                "The proof's jwk holds private members ("
                + ", ".join(repr(m) for m in private_members(jwk))
                + "): anyone who sees this proof can sign new ones with its key.",
                "/header/jwk",
            )
        )
    problem = symmetric_problem(parsed)
    if problem is not None:
        out.append(finding("dpop-symmetric-alg", f"The proof cannot prove possession: {problem}."))
    if jwk is None:
        out.append(
            finding(
                "dpop-missing-claim",
                "The header has no 'jwk' object, so there is no key to verify the proof with.",
                "/header",
            )
        )
    missing = [c for c in REQUIRED_CLAIMS if c not in claims]
    if missing:
        out.append(
            finding(
                "dpop-missing-claim",
                f"The payload lacks {', '.join(repr(c) for c in missing)}.",
                "/payload",
            )
        )
    iat = claims.get("iat")
    now = options.now
    gap = (
        difference(iat, now)
        if now is not None and isinstance(iat, (int, float)) and not isinstance(iat, bool)
        else 0.0
    )
    if abs(gap) > MAX_IAT_SKEW + options.leeway:
        when = "after" if gap > 0 else "before"
        out.append(
            finding(
                "dpop-iat-skew",
                f"The proof's iat is {_span(abs(gap))} {when} the time it is judged at; servers "
                f"accept a few minutes at most (this inspector reports beyond {MAX_IAT_SKEW} s).",
                "/payload/iat",
            )
        )
    out.extend(_sibling_rules(parsed, claims, jkt, options.context_text))
    return out


def _span(seconds: float) -> str:
    if seconds == float("inf"):
        return "practically forever"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def _sibling_rules(
    parsed: ParsedToken, claims: dict[str, Any], jkt: str | None, context_text: str | None = None
) -> list[Finding]:
    """``ath`` and ``cnf.jkt`` against the access token pasted with the proof."""
    ath = claims.get("ath")
    # (imported here: only a token of this profile reads the rest of the paste)
    from inspector.core.paste_context import paste_context

    context = paste_context(parsed, context_text)
    candidates = context.named("access_token", "Authorization") or tuple(
        s for s in context.tokens if not _is_proof_text(s.text)
    )
    if not candidates:
        return []
    out: list[Finding] = []
    if isinstance(ath, str):
        hits = [s for s in candidates if token_hash(s.text) == ath]
        if hits:
            out.append(
                finding(
                    "dpop-ath-match",
                    f"The proof's ath is the SHA-256 hash of the access token pasted with it "
                    f"({hits[0].where}).",
                    "/payload/ath",
                )
            )
        else:
            names = ", ".join(s.where for s in candidates[:5])
            out.append(
                finding(
                    "dpop-ath-mismatch",
                    f"The proof's ath {ath[:60]!r} is not the SHA-256 hash of the token pasted "
                    f"with it ({names}): the proof was made for another access token.",
                    "/payload/ath",
                )
            )
    for s in candidates:
        bound = _cnf_jkt(s.text)
        if bound is None:
            continue
        if jkt is not None and bound == jkt:
            out.append(
                finding(
                    "dpop-jkt-match",
                    f"The access token ({s.where}) is bound to cnf.jkt {bound}, the thumbprint "
                    "of the proof's jwk.",
                    "/header/jwk",
                )
            )
        else:
            out.append(
                finding(
                    "dpop-jkt-mismatch",
                    f"The access token ({s.where}) is bound to cnf.jkt {bound[:60]!r}, but the "
                    f"proof's jwk has the thumbprint {jkt or '(none: the jwk is incomplete)'}.",
                    "/header/jwk",
                )
            )
        break
    return out


def _segment_json(token: str, i: int) -> dict[str, Any] | None:
    parts = token.split("~", 1)[0].split(".")
    if len(parts) != 3:
        return None
    seg = parts[i]
    try:
        data = base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4))
        value = json.loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _is_proof_text(token: str) -> bool:
    header = _segment_json(token, 0)
    return header is not None and header.get("typ") == DPOP_TYP


def _cnf_jkt(token: str) -> str | None:
    """The ``cnf.jkt`` of a JWT access token (decoded, not verified), else ``None``."""
    claims = _segment_json(token, 1)
    cnf = claims.get("cnf") if claims is not None else None
    jkt = cnf.get("jkt") if isinstance(cnf, dict) else None
    return jkt if isinstance(jkt, str) else None


DPOP_PROFILE = RuleProfile(
    name="dpop-proof",
    # A proof has no exp (its iat is judged instead), carries its own jwk by design, and its
    # jti is required by this profile's own finding.
    suppresses=frozenset({"missing-exp", "embedded-jwk", "missing-jti"}),
    detect=_detect,
    rules=_rules,
    triggers=Triggers(typs=frozenset({DPOP_TYP})),
)
