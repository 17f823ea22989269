"""The JWE compact serialization (RFC 7516 §7.1): five segments, the first a header naming how
the content is encrypted. A format handler (:class:`inspector.core.parsing.FormatHandler`).

The token is described (algorithms, segment sizes) and its binary segments kept decoded
(``ParsedToken.encrypted``); parsing needs no key, so it decrypts nothing.
:mod:`inspector.core.decryption` does, with the options' key, and the decrypted payload (a
claims set, or a nested JWS under ``cty: JWT``) becomes the parsed token's payload.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from inspector.core.findings import finding
from inspector.core.model import JWE_SEGMENTS, ParsedToken

if TYPE_CHECKING:
    from inspector.core.cleaning import JweJson
    from inspector.core.parsing import TokenReader

#: JWE key-management algorithms (RFC 7518 §4.1), to recognise a JWE that lost its 'enc'.
JWE_KEY_ALGORITHMS = frozenset(
    {
        "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "A128KW",
        "A192KW", "A256KW", "dir", "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW",
        "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW", "PBES2-HS256+A128KW",
        "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
    }
)  # fmt: skip


#: The four binary segments' names as the findings say them.
_NAMES = tuple(name.replace("_", " ") for name in JWE_SEGMENTS[1:])


def _said(value: object) -> str:
    """A header value as the detail text shows it ('missing' rather than Python's None)."""
    return "missing" if value is None else repr(value)


class JweCompact:
    """Five segments whose header says how the content is encrypted (``enc``)."""

    name = "jwe"

    def accepts(self, token: str, segments: int) -> bool:
        return segments == 5

    def parse(self, reader: TokenReader, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        serialized = reader.ex.jwe_json
        header: dict[str, Any] | None
        header_bytes: bytes | None
        if serialized is not None and not parts[0]:
            header, header_bytes = {}, b""  # JSON serialization without a protected header
        else:
            header, header_bytes = reader.header(parts[0], errors)
        joint = header
        if serialized is not None:
            unprotected = _unprotected(serialized, reader)
            if unprotected is not None:
                reader.unprotected = MappingProxyType(unprotected)
                joint = {**unprotected, **header} if header is not None else None
        enc = joint.get("enc") if joint else None
        alg = joint.get("alg") if joint else None
        if joint is not None and "enc" not in joint:
            # Five segments alone do not make a JWE: its header must say how it is encrypted.
            hint = (
                f" Its alg {alg!r} is a JWE key-management algorithm, so this looks like a JWE "
                "whose header lost its 'enc'."
                if isinstance(alg, str) and alg in JWE_KEY_ALGORITHMS
                else " (A JWS has 3 segments; tokens pasted together lose the break between them.)"
            )
            reader.findings.append(
                finding(
                    "malformed-segments",
                    "The token has 5 segments like a JWE, but its header has no 'enc', so it is "
                    "not one." + hint,
                )
            )
            return reader.result("unknown", parts, JWE_SEGMENTS, errors, header, header_bytes)
        decoded = tuple(
            reader.decode(parts[i], i, name, errors) for i, name in enumerate(_NAMES, start=1)
        )
        if header is not None:
            reader.findings.append(
                finding(
                    "jwe-token",
                    f"Encrypted with alg {_said(alg)}, enc {_said(enc)}; "
                    + ", ".join(
                        f"{name} {len(data) if data is not None else '?'} bytes"
                        for name, data in zip(_NAMES, decoded, strict=True)
                    )
                    + ".",
                )
            )
        parsed = reader.result(
            "jwe", parts, JWE_SEGMENTS, errors, header, header_bytes, encrypted=decoded
        )
        if serialized is not None and serialized.aad is not None:
            return replace(parsed, jwe_aad=serialized.aad)
        return parsed


def _unprotected(serialized: JweJson, reader: TokenReader) -> dict[str, Any] | None:
    """The shared and the first recipient's unprotected headers together (RFC 7516 §7.2.1:
    with the protected header they make the JOSE header), or ``None`` when there are none; a
    member that is not an object is reported and left out."""
    out: dict[str, Any] = {}
    found = False
    for name, value in (("unprotected", serialized.unprotected), ("header", serialized.header)):
        if value is None:
            continue
        if not isinstance(value, dict):
            reader.findings.append(
                finding(
                    "jwe-malformed",
                    f"The JWE JSON serialization's '{name}' member is not a JSON object.",
                )
            )
            continue
        found = True
        for key, member in value.items():
            if key in out:
                reader.findings.append(
                    finding(
                        "jwe-malformed",
                        f"The header parameter {key!r} is both in 'unprotected' and in the "
                        "recipient's 'header'; RFC 7516 §7.2.1 requires them disjoint.",
                    )
                )
            out[key] = member
    return out if found else None


JWE = JweCompact()
