"""Strict base64url (RFC 7515 §2): decode, and report every deviation instead of repairing it
silently. The lowest layer of the codec, with :mod:`inspector.core.jsontext`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_STD_TO_URL = str.maketrans("+/", "-_")
_URL_TO_STD = bytes.maketrans(b"-_", b"+/")


@dataclass(frozen=True, slots=True)
class Deviation:
    """One way a segment departs from strict base64url. ``id`` is a finding id."""

    id: str
    detail: str
    offset: int | None = None


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url, as JOSE writes it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _canonical(text: str) -> bool:
    """Whether the unused low bits of the last character are zero (RFC 4648 §3.5)."""
    rem = len(text) % 4
    if rem == 0 or not text:
        return True
    last = _VALUE.get(text[-1], 0)
    return last & (0x0F if rem == 2 else 0x03) == 0


_PADDING = (b"", b"", b"==", b"=")
_a2b_base64 = binascii.a2b_base64
_NO_DEVIATIONS: tuple[Deviation, ...] = ()


def decode_b64url(text: str, name: str) -> tuple[bytes | None, Sequence[Deviation]]:
    """Decode one segment. Returns ``(bytes or None, deviations)``; ``None`` means the segment
    could not be decoded at all (a ``bad-base64`` deviation says why and where)."""
    rem = len(text) % 4
    if rem != 1 and text.isascii():
        # C-speed checks only: memchr for the characters base64url never contains (in the
        # text: a bytes needle in bytes costs some twenty times more, ~0.45 us on a 300-byte
        # segment, measured), then binascii in strict mode (which rejects anything outside
        # the alphabet).
        if "+" not in text and "/" not in text and "=" not in text:
            raw = text.encode("ascii")
            try:
                data = binascii.a2b_base64(
                    raw.translate(_URL_TO_STD) + _PADDING[rem], strict_mode=True
                )
            except binascii.Error:
                pass
            else:
                # The unused low bits of the last character must be zero (RFC 4648 §3.5).
                if not rem or not _VALUE[text[-1]] & (0x0F if rem == 2 else 0x03):
                    return data, _NO_DEVIATIONS
                return data, [_noncanonical(text, name)]
    return _decode_lenient(text, name)


def decode_plain(part: str) -> bytes | None:
    """``part`` decoded when it is base64url with nothing to report, for a caller that has
    already seen it is ASCII without '=', '+' or '/' (the parse's fast path,
    :func:`inspector.core.parsing._plain_jws`, looks at the whole token at once: looking at
    each segment again cost a tenth of the decoding). Given that, the same test as
    :func:`decode_b64url`'s first branch: a length an encoding has, only base64url
    characters (binascii's strict mode), zero padding bits. ``None`` for anything else:
    :func:`decode_b64url` then says what deviates. The caller's look matters: a padded or
    standard-alphabet part would decode here without a word."""
    rem = len(part) % 4
    if rem == 1:
        return None
    try:
        data = _a2b_base64(part.encode().translate(_URL_TO_STD) + _PADDING[rem], strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    if rem and _VALUE[part[-1]] & (0x0F if rem == 2 else 0x03):
        return None
    return data


def _noncanonical(text: str, name: str) -> Deviation:
    return Deviation(
        "non-canonical-base64",
        f"The {name}'s last character {text[-1]!r} carries non-zero padding bits; a canonical "
        "encoder never writes it.",
        len(text) - 1,
    )


def _decode_lenient(text: str, name: str) -> tuple[bytes | None, list[Deviation]]:
    deviations: list[Deviation] = []
    body = text.rstrip("=")
    pad = len(text) - len(body)
    if pad:
        deviations.append(
            Deviation(
                "padded-base64",
                f"The {name} ends with {pad} '=' padding character{'s' * (pad > 1)}; "
                "base64url in JOSE is unpadded.",
                len(body),
            )
        )
    std = [i for i, c in enumerate(body) if c in "+/"]
    if std:
        deviations.append(
            Deviation(
                "non-url-base64",
                f"The {name} uses the standard base64 alphabet ('+' or '/', first at offset "
                f"{std[0]}) instead of base64url ('-' and '_').",
                std[0],
            )
        )
        body = body.translate(_STD_TO_URL)
    for i, c in enumerate(body):
        if c not in _VALUE:
            what = "'='" if c == "=" else repr(c)
            return None, [
                *deviations,
                Deviation(
                    "bad-base64",
                    f"The {name} has {what} at offset {i}, which is not a base64url character.",
                    i,
                ),
            ]
    if len(body) % 4 == 1:
        return None, [
            *deviations,
            Deviation(
                "bad-base64",
                f"The {name} is {len(body)} character{'s' * (len(body) != 1)} long, which no "
                "base64 encoding can be "
                "(a character is missing or one too many).",
                len(body),
            ),
        ]
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as err:  # pragma: no cover - excluded above
        return None, [*deviations, Deviation("bad-base64", f"The {name}: {err}.", None)]
    if not _canonical(body):
        deviations.append(_noncanonical(body, name))
    return data, deviations
