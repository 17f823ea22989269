"""The JWE compact serialization (RFC 7516 §7.1): five segments, the first a header naming how
the content is encrypted. A format handler (:class:`inspector.core.parsing.FormatHandler`).

The token is described (algorithms, segment sizes) and its binary segments kept decoded
(``ParsedToken.encrypted``); parsing needs no key, so it decrypts nothing.
:mod:`inspector.core.decryption` does, with the options' key, and the decrypted payload (a
claims set, or a nested JWS under ``cty: JWT``) becomes the parsed token's payload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.core.findings import finding
from inspector.core.model import JWE_SEGMENTS, ParsedToken

if TYPE_CHECKING:
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
        header, header_bytes = reader.header(parts[0], errors)
        enc = header.get("enc") if header else None
        alg = header.get("alg") if header else None
        if header is not None and "enc" not in header:
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
        return reader.result(
            "jwe", parts, JWE_SEGMENTS, errors, header, header_bytes, encrypted=decoded
        )


JWE = JweCompact()
