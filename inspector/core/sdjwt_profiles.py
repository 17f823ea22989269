"""SD-JWT profiles (RFC 9901): ``sd-jwt-vc`` (``typ`` ``dc+sd-jwt`` or the older
``vc+sd-jwt``), ``sd-jwt`` (any other SD-JWT) and ``kb-jwt`` (a key-binding JWT pasted alone).

The SD-JWT's disclosures are decoded by the format handler (:mod:`inspector.core.sdjwt`) and
its key-binding JWT checked by :mod:`inspector.core.key_binding`; the rules here report what
those found: a key-bound SD-JWT (``cnf``) presented without a key-binding JWT, a key-binding
JWT that does not hold, and sensitive data in the disclosed claims (issue 4's scanner over
``disclosed_payload``, the claims the issuer's payload hides behind digests).
"""

from __future__ import annotations

from collections.abc import Iterable

from inspector.core.findings import Finding, finding
from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions
from inspector.core.profiles import RuleProfile, Triggers
from inspector.core.sensitive import scan_claims

#: ``typ`` values of an SD-JWT VC (SD-JWT-based Verifiable Credentials, draft 09 and before).
VC_TYPS = ("dc+sd-jwt", "vc+sd-jwt")
#: RFC 9901 §4.3: what a key-binding JWT's payload carries.
KB_CLAIMS = ("iat", "aud", "nonce", "sd_hash")


def _typ(parsed: ParsedToken) -> object:
    return (parsed.unverified_header or {}).get("typ")


def _detect_vc(parsed: ParsedToken) -> str | None:
    typ = _typ(parsed)
    if parsed.sd_jwt is not None and typ in VC_TYPS:
        return f"an SD-JWT whose typ is {typ!r} (SD-JWT VC)"
    return None


def _detect_sd_jwt(parsed: ParsedToken) -> str | None:
    if parsed.sd_jwt is not None and _typ(parsed) not in VC_TYPS:
        return "an issuer-signed JWT followed by '~'-separated disclosures (RFC 9901)"
    return None


def _detect_kb(parsed: ParsedToken) -> str | None:
    if parsed.sd_jwt is None and _typ(parsed) == "kb+jwt":
        return "typ is 'kb+jwt' (an SD-JWT key-binding JWT, pasted alone)"
    return None


def sd_jwt_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    sd = parsed.sd_jwt
    claims = parsed.claims
    if sd is None or claims is None:
        return []
    out: list[Finding] = []
    kb = sd.key_binding
    if "cnf" in claims and kb is None:
        out.append(
            finding(
                "sd-cnf-without-key-binding",
                "The issuer-signed payload binds the SD-JWT to a key ('cnf'), but the "
                "presentation has no key-binding JWT after its last '~'.",
                "/payload/cnf",
            )
        )
    if kb is not None and kb.status == "invalid":
        out.append(finding("sd-key-binding-invalid", kb.reason))
    disclosed = sd.disclosed_payload
    if disclosed is not None and any(d.location is not None for d in sd.disclosures):
        seen = {(f.id, f.location) for f in scan_claims(claims)}
        for f in scan_claims(disclosed):
            if (f.id, f.location) not in seen:
                out.append(
                    finding(
                        f.id,
                        f"In a disclosed claim: {f.detail}",
                        f.location,
                        severity=f.severity,
                        title=f.title,
                    )
                )
    return out


def _vc_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    out = list(sd_jwt_rules(parsed, verification, options))
    if parsed.claims is not None and "vct" not in parsed.claims:
        out.append(
            finding(
                "profile-missing-claim",
                "As an SD-JWT VC the token must carry 'vct', the credential's type "
                "(SD-JWT VC §3.2.2.1.1).",
                "/payload",
            )
        )
    return out


def _kb_rules(
    parsed: ParsedToken, verification: Verification, options: InspectOptions
) -> Iterable[Finding]:
    claims = parsed.claims or {}
    gone = [c for c in KB_CLAIMS if c not in claims]
    if not gone:
        return []
    return [
        finding(
            "profile-missing-claim",
            f"As a key-binding JWT the token must carry {', '.join(repr(c) for c in gone)} "
            "(RFC 9901 §4.3).",
            "/payload",
        )
    ]


SD_JWT_VC = RuleProfile("sd-jwt-vc", frozenset(), _detect_vc, _vc_rules, Triggers(sd_jwt=True))
SD_JWT = RuleProfile("sd-jwt", frozenset(), _detect_sd_jwt, sd_jwt_rules, Triggers(sd_jwt=True))
# A key-binding JWT lives seconds and is bound by its nonce and sd_hash, not an exp or jti.
KB_JWT = RuleProfile(
    "kb-jwt",
    frozenset({"missing-exp", "missing-jti"}),
    _detect_kb,
    _kb_rules,
    Triggers(typs=frozenset({"kb+jwt"})),
)
