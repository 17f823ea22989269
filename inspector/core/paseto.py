"""Verifying a public PASETO token (issue 16 item 4): v4.public and v2.public with an Ed25519
key, v3.public with a P-384 key, v1.public with an RSA key (RSA-PSS, SHA-384).

:mod:`inspector.core.notjwt` recognises the token and reads its claims; verification asks
this module when the parsed text is a PASETO token. The key is read by the one key reader,
:func:`inspector.core.keys.load_key` (PEM, JWK, JWK Set...), and, as for a JWS, the key
decides: a key of another type or curve than the version needs is a misfit, never tried.

What is signed (PASETO specification, "Protocol Versions" and "Common": PAE, pre-
authentication encoding): v1/v2 sign ``PAE(h, m, f)``, v4 ``PAE(h, m, f, i)`` and v3
``PAE(pk, h, m, f, i)`` with ``pk`` the compressed public point, where ``h`` is
``"vN.public."``, ``m`` the message, ``f`` the footer and ``i`` the implicit assertion (empty:
the inspector has none). The signature is the last 256 (v1), 64 (v2, v4) or 96 (v3, r||s)
bytes of the decoded body.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from inspector.core.keys import KeyCandidate, load_key
from inspector.core.lazy_re import LazyPattern
from inspector.core.model import ParsedToken, Verification
from inspector.core.outcome import Outcome

_TOKEN = LazyPattern(r"(v[1-4])\.(local|public)\.([A-Za-z0-9_-]++)(?:\.([A-Za-z0-9_-]*+))?")
#: Bytes of signature at the end of a public token's body, by version.
SIGNATURE_BYTES = {"v1": 256, "v2": 64, "v3": 96, "v4": 64}
#: The key each version needs: (kty, curve or None), and its name in words.
_NEEDS: dict[str, tuple[str, str | None, str]] = {
    "v1": ("RSA", None, "an RSA public key (RSA-PSS with SHA-384)"),
    "v2": ("OKP", "Ed25519", "an Ed25519 public key"),
    "v3": ("EC", "P-384", "a P-384 (secp384r1) public key"),
    "v4": ("OKP", "Ed25519", "an Ed25519 public key"),
}


def pae(*pieces: bytes) -> bytes:
    """PASETO's pre-authentication encoding: the count, then each piece's length and bytes,
    lengths as 64-bit little-endian with the top bit clear."""
    out = [_le64(len(pieces))]
    for piece in pieces:
        out += [_le64(len(piece)), piece]
    return b"".join(out)


def _le64(n: int) -> bytes:
    return (n & 0x7FFF_FFFF_FFFF_FFFF).to_bytes(8, "little")


def _b64url(text: str) -> bytes | None:
    """Unpadded base64url as PASETO writes it; ``None`` for anything else."""
    if len(text) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    # Canonical only: the same bytes must encode back to the same text.
    return raw if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == text else None


def _fits(candidate: KeyCandidate, version: str) -> bool:
    kty, crv, _ = _NEEDS[version]
    if candidate.key is None or candidate.kty != kty:
        return False
    return crv is None or candidate.crv == crv


def verify_paseto(parsed: ParsedToken, key_text: str | None, secret_encoding: str) -> Verification:
    """The verification of the PASETO token ``parsed`` holds (``parsed.not_jwt`` of kind
    ``paseto``) with ``key_text``; never raises."""
    nj = parsed.not_jwt
    m = _TOKEN.fullmatch(parsed.text[nj.start : nj.end]) if nj is not None else None
    if m is None:
        return Verification(
            status="unchecked",
            outcome=Outcome.MALFORMED,
            reason="The PASETO token could not be read, so there is no signature to check.",
        )
    version, purpose, body_text, footer_text = m.groups()
    algorithm = f"PASETO {version}.{purpose}"
    if purpose == "local":
        return Verification(
            status="unchecked",
            outcome=Outcome.ENCRYPTED,
            algorithm=algorithm,
            reason="A local PASETO token is encrypted with a shared key; decrypting it is not "
            "supported, so there is no signature to check.",
        )
    need = _NEEDS[version][2]
    body = _b64url(body_text)
    footer = _b64url(footer_text or "")
    size = SIGNATURE_BYTES[version]
    if body is None or footer is None or len(body) < size:
        why = "its footer is not base64url" if footer is None else "its body is too short"
        if body is None:
            why = "its body is not canonical base64url"
        return Verification(
            status="invalid" if key_text else "unchecked",
            outcome=Outcome.MALFORMED,
            algorithm=algorithm,
            reason=f"The PASETO token is malformed ({why}), so there is no signature to check.",
        )
    if key_text is None or not key_text.strip():
        return Verification(
            status="unchecked",
            outcome=Outcome.NO_KEY,
            algorithm=algorithm,
            reason=f"No key given: a {version}.public token is verified with {need}.",
        )
    loaded = load_key(key_text, secret_encoding)
    if loaded.error is not None:
        return Verification(
            status="error",
            outcome=Outcome.KEY_UNREADABLE,
            algorithm=algorithm,
            key=loaded.description,
            reason=loaded.error,
        )
    fitting = [c for c in loaded.candidates if _fits(c, version)]
    if not fitting:
        return Verification(
            status="invalid",
            outcome=Outcome.KEY_MISFIT,
            algorithm=algorithm,
            key=loaded.description,
            reason=f"A {version}.public token is verified with {need}; the key is "
            f"{loaded.description}, so nothing was compared.",
        )
    usable = [c for c in fitting if not c.small_order]
    if not usable:
        return Verification(
            status="invalid",
            outcome=Outcome.KEY_REFUSED,
            algorithm=algorithm,
            key=fitting[0].description,
            reason="The Ed25519 public key is a point of small order, with which some "
            "signature verifies every message: it must not be used.",
        )
    fitting = usable
    message, signature = body[:-size], body[-size:]
    header = f"{version}.public.".encode()
    for candidate in fitting:
        if _verified(version, candidate.key, header, message, footer, signature):
            return Verification(
                status="valid",
                outcome=Outcome.VERIFIED,
                algorithm=algorithm,
                key=candidate.description,
                reason=f"The {version}.public signature verified with {candidate.description}.",
            )
    return Verification(
        status="invalid",
        outcome=Outcome.BAD_SIGNATURE,
        algorithm=algorithm,
        key=fitting[0].description,
        reason=f"The {version}.public signature does not match this key.",
    )


def _verified(
    version: str, key: Any, header: bytes, message: bytes, footer: bytes, signature: bytes
) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    try:
        if version in ("v2", "v4"):
            signed = (
                pae(header, message, footer)
                if version == "v2"
                else pae(header, message, footer, b"")
            )
            key.verify(signature, signed)
        elif version == "v3":
            point = key.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )
            signed = pae(point, header, message, footer, b"")
            r = int.from_bytes(signature[:48], "big")
            s = int.from_bytes(signature[48:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA384()))
        else:
            signed = pae(header, message, footer)
            key.verify(
                signature,
                signed,
                padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48),
                hashes.SHA384(),
            )
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
