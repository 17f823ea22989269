"""Every signature of a general JWS JSON serialization verified (RFC 7515 §7.2.1).

Cleaning inspects the first signature as the compact ``protected.payload.signature``; the
others used to be only counted. Here each of them is made into its own compact JWS (its own
protected header, the shared payload) and verified with the same options, so a JWK Set picks
each signature's key by its own ``kid``. The verdict keeps the first signature's status (the
token shown is that one) and its reason lists every signature with the key that verified it,
or why none did. Nothing from a signature's unprotected header is used.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_with

#: Signatures verified at most (each is a full verification); the rest are counted.
MAX_SIGNATURES = 20
#: Characters of a kid shown in the verdict.
SHOWN_KID = 60


def verify_every_signature(
    parsed: ParsedToken, options: InspectOptions, first: Verification
) -> Verification:
    """``first`` (the first signature's verdict) with every signature's listed in its reason;
    unchanged when the text is not a general JWS JSON with several signatures."""
    try:
        doc = json.loads(parsed.text.strip())
    except (ValueError, RecursionError):
        return first
    sigs = doc.get("signatures") if isinstance(doc, dict) else None
    payload = doc.get("payload") if isinstance(doc, dict) else None
    if not isinstance(sigs, list) or len(sigs) < 2 or not isinstance(payload, str):
        return first
    lines = [_line(1, parsed, first)]
    for i, entry in enumerate(sigs[1:MAX_SIGNATURES], start=2):
        protected = entry.get("protected") if isinstance(entry, dict) else None
        signature = entry.get("signature") if isinstance(entry, dict) else None
        if not isinstance(protected, str) or not isinstance(signature, str):
            lines.append(f"signature {i}: malformed (no protected header or signature text)")
            continue
        one = parse_token(f"{protected}.{payload}.{signature}")
        lines.append(_line(i, one, verify_with(one, options)))
    if len(sigs) > MAX_SIGNATURES:
        lines.append(f"{len(sigs) - MAX_SIGNATURES} more not checked")
    verified = sum(1 for line in lines if ": verified with " in line)
    summary = f" Of its {len(sigs)} signatures, {verified} verified: " + "; ".join(lines) + "."
    return replace(first, reason=first.reason + summary)


def _line(i: int, parsed: ParsedToken, v: Verification) -> str:
    header: dict[str, Any] = parsed.unverified_header or {}
    kid = header.get("kid")
    said = f"{v.algorithm or 'no alg'}" + (
        f", kid {str(kid)[:SHOWN_KID]!r}" if kid is not None else ""
    )
    if v.status == "valid":
        return f"signature {i} ({said}): verified with {v.key}"
    return f"signature {i} ({said}): {v.status} ({v.reason.rstrip('.')})"
