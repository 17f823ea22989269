"""One inspection as one line of JSON, for ``inspect --json`` over a log of tokens.

:func:`json_line` returns exactly ``json.dumps(inspection.to_dict(), ensure_ascii=False)``:
:meth:`~inspector.core.model.Inspection.to_dict` stays the contract, and this is the same
text written with two fifths of the work, which a log of a million tokens notices (issue 17:
building the dictionaries, walking them again to encode them and encoding the line cost a
token ~450k instructions, about a whole PyJWT decode; this, ~180k; callgrind, the times
already rendered).

How: the members whose shape the result values fix (segments, signature, verification,
findings, size, times, profile) are written straight from the values, every string through
the encoder's own string function (a value of another type than its field declares, which
the codec never makes, sends the whole line the slow, exact way), and only values of
unknown shape (the header, the payload, a time claim that is no integer, the rare JWE,
SD-JWT and not-JWT members) go through the C encoder, called directly (each ``json.dumps``
call first builds an encoder).
The claim descriptions, the same few objects for every token and half of the text, are
encoded once for each set of claims (kept while the sets kept stay within a few megabytes:
see ``_DESCRIBED_MAX_SIZE``); so is the last verification (every token checked
without a key shares one). ``tests/cli/test_json_lines.py`` compares the two texts on every
kind of token and on generated headers and payloads.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, get_args

from inspector.core.model import SegmentName

if TYPE_CHECKING:
    from inspector.core.model import ClaimInfo, Inspection, Segment, Verification

__all__ = ["json_line", "json_line_bytes"]

#: What ``json.dumps(..., ensure_ascii=False)`` writes a string as (the C function when the
#: interpreter has it).
_string: Callable[[str], str] = json.encoder.encode_basestring
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _make_encode() -> Callable[[Any], str]:
    """``_ENCODER.encode`` without building an encoder on each call: the C encoder
    ``JSONEncoder.iterencode`` makes, made once. Without the circular-reference check: every
    value here was decoded from JSON text or built by the codec, so none holds itself (and
    the output is the same either way)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - an interpreter without the C accelerator
        return _ENCODER.encode
    try:
        chunks = make(None, _ENCODER.default, _string, None, ": ", ", ", False, False, True)
    except TypeError:  # pragma: no cover - a future signature: the public way
        return _ENCODER.encode
    join = "".join

    def encode(value: Any) -> str:
        if type(value) is str:
            return _string(value)
        return join(chunks(value, 0))

    return encode


_encode = _make_encode()

#: The JSON text of a token's claim descriptions (its list's items, joined) and that text's
#: encodings (by encoding and error handler), by the ids of its ClaimInfo objects: the
#: dictionary hands out one object per known claim, and a log's tokens carry the same few
#: sets of claims (hashing the values themselves would cost more than encoding them). The
#: objects are kept with the text, so that no id in a key can be reused by another; cleared
#: when full (by count or by size).
_DESCRIBED: dict[
    tuple[int, ...], tuple[tuple[ClaimInfo, ...], str, dict[tuple[str, str], bytes]]
] = {}
_DESCRIBED_LIMIT = 4096
#: Only a set whose text is at most this many characters is kept (a token's registered
#: claims: ~1.6k for 10 claims, ~5.4k for 30). Every distinct namespaced claim
#: (``"https://..."``) has a description of its own, so a log of such claims makes every
#: line a new set: kept whole, 4096 sets of 300 claims held hundreds of megabytes.
_DESCRIBED_MAX_TEXT = 16 * 1024
#: ... and the cache is cleared before the characters and bytes it holds pass this many:
#: memory stays bounded whatever the log.
_DESCRIBED_MAX_SIZE = 4 * 1024 * 1024
#: The characters and bytes the cache holds.
_described_size = 0
#: The last verification written and its text.
_last_verification: tuple[Verification | None, str] = (None, "")
#: The last plain tail written (see :func:`_plain_tail`): its profile's name and reason, and
#: its text.
_last_tail: tuple[object, object, str] = (object(), object(), "")
#: A segment's object up to its start, by the segment's name.
_SEGMENT_OPEN = {name: f'{{"name": {_string(name)}, "start": ' for name in get_args(SegmentName)}


def _text(value: Any) -> str:
    """A member that is a string or ``None`` (or, were it ever anything else, that)."""
    if type(value) is str:
        return _string(value)
    return "null" if value is None else _encode(value)


def _number(value: Any) -> str:
    """A member that is an ``int`` (or, were it ever anything else, that)."""
    return int.__repr__(value) if type(value) is int else _encode(value)


def _segment(s: Segment) -> str:
    error = "" if s.error is None else f', "error": {_text(s.error)}'
    return (
        f'{{"name": {_text(s.name)}, "start": {_number(s.start)}, "end": {_number(s.end)}{error}}}'
    )


def _verification(v: Verification) -> str:
    global _last_verification
    last, text = _last_verification
    if last is v:
        return text
    text = (
        f'{{"status": {_text(v.status)}, "outcome": {_text(v.outcome.value)}, '
        f'"algorithm": {_text(v.algorithm)}, "key": {_text(v.key)}, '
        f'"reason": {_text(v.reason)}, "secret_encoding_hint": {_text(v.secret_encoding_hint)}}}'
    )
    _last_verification = (v, text)
    return text


def _described(infos: tuple[ClaimInfo, ...]) -> tuple[str, dict[tuple[str, str], bytes] | None]:
    """The descriptions' JSON text (the list's items), and its encodings made so far
    (``None``: the text is not kept, nor are its encodings)."""
    global _described_size
    key = tuple(map(id, infos))
    known = _DESCRIBED.get(key)
    if known is not None:  # (its objects are these: they are alive, and so are those)
        return known[1], known[2]
    text = ", ".join([_encode(info.to_dict()) for info in infos])
    if len(text) > _DESCRIBED_MAX_TEXT:
        return text, None
    if len(_DESCRIBED) >= _DESCRIBED_LIMIT or _described_size + len(text) > _DESCRIBED_MAX_SIZE:
        _DESCRIBED.clear()
        _described_size = 0
    encoded: dict[tuple[str, str], bytes] = {}
    _DESCRIBED[key] = (infos, text, encoded)
    _described_size += len(text)
    return text, encoded


def json_line(inspection: Inspection) -> str:
    """``json.dumps(inspection.to_dict(), ensure_ascii=False)``, the same text (see the
    module)."""
    try:
        head, described, tail = _line(inspection)
    except (TypeError, ValueError):  # a value of another type than its field says: the
        return json.dumps(inspection.to_dict(), ensure_ascii=False)  # slow, exact way
    return f"{head}{_described(described)[0]}{tail}"


def json_line_bytes(
    inspection: Inspection, encoding: str = "utf-8", errors: str = "strict", end: str = "\n"
) -> bytes:
    """``(json_line(inspection) + end).encode(encoding, errors)``, the same bytes, with the
    descriptions' bytes kept (a stateless ``encoding`` such as UTF-8: one that writes
    no byte order mark). Encoding the whole line cost as much as writing it: the
    descriptions' section signs (RFC 7519 §4.1.1) make every line non-ASCII text."""
    try:
        head, described, tail = _line(inspection)
    except (TypeError, ValueError):  # (as in json_line)
        return (json.dumps(inspection.to_dict(), ensure_ascii=False) + end).encode(encoding, errors)
    global _described_size
    text, encoded = _described(described)
    data = None if encoded is None else encoded.get((encoding, errors))
    if data is None:
        data = text.encode(encoding, errors)
        # Kept with its text, if they fit (else written again next time: the next new set
        # clears the cache when full).
        if encoded is not None and _described_size + len(data) <= _DESCRIBED_MAX_SIZE:
            encoded[encoding, errors] = data
            _described_size += len(data)
    return b"".join((head.encode(encoding, errors), data, (tail + end).encode(encoding, errors)))


def _line(inspection: Inspection) -> tuple[str, tuple[ClaimInfo, ...], str]:
    """The line up to the descriptions' list, the descriptions, and the rest: the members in
    the order ``to_dict`` gives them.

    Written for the common case without a call per member: a segment's object from its
    name's opening (:data:`_SEGMENT_OPEN`) and its two numbers, a time claim from its
    attributes, the tail of a plain token (no profile, decryption, nested token, SD-JWT or
    not-JWT member) kept once (:func:`_tail`). Every string still goes through the
    encoder's string function, which refuses anything else; a number is written as it is
    only when it is an ``int`` (a ``bool`` or ``float`` goes through the encoder)."""
    p = inspection.parsed
    analysis = inspection.analysis
    sig = p.signature
    size = p.size()
    string = _string
    segments = []
    for s in p.segments:
        name, start, end, error = s
        opening = _SEGMENT_OPEN.get(name) if type(name) is str else None
        if opening is None or error is not None or type(start) is not int or type(end) is not int:
            segments.append(_segment(s))
        else:
            segments.append(f'{opening}{start}, "end": {end}}}')
    findings = []
    for f in inspection.findings:
        location = f.location
        findings.append(
            f'{{"id": {string(f.id)}, "severity": {string(f.severity)}, '
            f'"title": {string(f.title)}, "detail": {string(f.detail)}, '
            f'"location": {"null" if location is None else string(location)}}}'
        )
    times = []
    for t in analysis.times:
        utc, local, relative = t.texts()
        value = t.value
        times.append(
            f'{{"claim": {string(t.claim)}, "location": {string(t.location)}, '
            f'"value": {value if type(value) is int else _encode(value)}, '
            f'"utc": {"null" if utc is None else string(utc)}, '
            f'"local": {"null" if local is None else string(local)}, '
            f'"relative": {"null" if relative is None else string(relative)}}}'
        )
    token = p.token
    head = "".join(
        (
            '{"token": ',
            "null" if token is None else string(token),
            ', "format": ',
            string(p.format),
            ', "segments": [',
            ", ".join(segments),
            '], "header": ',
            _encode(p.unverified_header),
            ', "payload": ',
            _encode(p.unverified_payload),
            ', "signature": ',
            "null" if sig is None else f'{{"bytes": {len(sig)}, "hex": "{sig.hex()}"}}',
            ', "verification": ',
            _verification(inspection.verification),
            ', "findings": [',
            ", ".join(findings),
            '], "size": {"token": ',
            _number(size["token"]),
            ', "header": ',
            _number(size["header"]),
            ', "payload": ',
            _number(size["payload"]),
            ', "signature": ',
            _number(size["signature"]),
            '}, "times": [',
            ", ".join(times),
            '], "descriptions": [',
        )
    )
    if (
        inspection.decryption is None
        and inspection.nested is None
        and p.sd_jwt is None
        and p.not_jwt is None
        and not analysis.profiles
    ):
        return head, analysis.descriptions, _plain_tail(inspection)
    profile = inspection.profile()
    decryption = inspection.decryption
    nested = inspection.nested
    tail = "".join(
        (
            f'], "profile": {{"name": {_text(profile["name"])}, '
            f'"reason": {string(profile["reason"])}}}, "decryption": ',
            "null" if decryption is None else _encode(decryption.to_dict()),
            ', "nested": ',
            "null" if nested is None else json_line(nested),
            "" if p.sd_jwt is None else f', "sd_jwt": {_encode(p.sd_jwt.to_dict())}',
            "" if p.not_jwt is None else f', "not_jwt": {_encode(p.not_jwt.to_dict())}',
            "}",
        )
    )
    return head, analysis.descriptions, tail


def _plain_tail(inspection: Inspection) -> str:
    """The tail of a token without profile, decryption, nested token, SD-JWT or not-JWT
    member: its profile's text (no profile, and why) is the same for every such token with
    a token, so the last one is kept."""
    global _last_tail
    profile = inspection.profile()
    name, reason = profile["name"], profile["reason"]
    last_name, last_reason, text = _last_tail
    if name is last_name and reason is last_reason:
        return text
    text = (
        f'], "profile": {{"name": {_text(name)}, "reason": {_string(reason)}}}, '
        '"decryption": null, "nested": null}'
    )
    _last_tail = (name, reason, text)
    return text
