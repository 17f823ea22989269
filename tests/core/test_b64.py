"""``decode_plain`` (the parse's fast path) against ``decode_b64url`` (the general way).

For a segment that is ASCII without '=', '+' or '/' (what the fast path has already seen of
the whole token), ``decode_plain`` gives bytes exactly when the general decoder gives bytes
and no deviation, and then the same bytes; ``None`` otherwise.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core.b64 import _ALPHABET, b64url_encode, decode_b64url, decode_plain


def _agrees(part: str) -> None:
    data, deviations = decode_b64url(part, "payload")
    plain = decode_plain(part)
    if data is not None and not deviations:
        assert plain == data
    else:
        assert plain is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_every_encoding_decodes_to_its_bytes(data: bytes) -> None:
    assert decode_plain(b64url_encode(data)) == data


#: Characters the fast path lets through to the decoder: base64url's and some it must refuse
#: (the dot, whitespace, '%', '~', a non-ASCII letter, a lone surrogate).
_SOME = _ALPHABET + ". \t\n%~\u00e9\ud800"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_SOME, max_size=40))
def test_any_part_decodes_as_the_general_way_does(part: str) -> None:
    _agrees(part)


def test_near_misses_are_refused() -> None:
    good = b64url_encode(b"any payload at all!")  # (19 bytes: 26 characters, rem 2)
    assert decode_plain(good) == b"any payload at all!"
    for part in (
        good[:-1],  # a length no encoding has is refused, as is...
        good[:-1] + "B",  # ...a last character with padding bits set
        good[:-1] + "h",
        good + "A",  # rem 3: another byte, 'A' canonical
        good[:5] + " " + good[5:],
        good[:5] + "%" + good[5:],
        good[:5] + "\u00e9" + good[5:],
        good[:5] + "\ud800" + good[5:],
        good + ".",
        "",
    ):
        _agrees(part)
    assert decode_plain(good[:-1] + "B") is None
    assert decode_plain(good + " ") is None
    assert decode_plain("\ud800AAA") is None
