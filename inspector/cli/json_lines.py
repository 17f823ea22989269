"""One inspection as one line of JSON, for ``inspect --json`` over a log of tokens.

The line is compact JSON, exactly ``json.dumps(inspection.to_dict(), ensure_ascii=False,
separators=(",", ":"))``, byte for byte: :meth:`~inspector.core.model.Inspection.to_dict`
stays the contract, and this is the same text written with a fraction of the work, which a
log of a million tokens notices (issue 17: building the dictionaries and walking them again
to encode them cost a token about as much as a whole PyJWT decode).

How: orjson writes the line (UTF-8 bytes, compact; its strings are the standard library's
``ensure_ascii=False`` strings), from values laid out in ``to_dict``'s order. It would write
some values otherwise than the standard library, so none of those reaches it:

- a float (orjson has its own shortest form: ``0.00001`` where Python writes ``1e-05``; and
  which form depends on orjson's version), NaN or an infinity (orjson writes ``null``; Python
  ``NaN``/``Infinity``): a header or payload that holds a float anywhere (:func:`_no_float`
  looks at its members' types) and a time claim's value that is not an ``int`` are written
  by the standard library's encoder;
- an integer beyond 64 bits, a lone surrogate, a key that is no string, a subclass: orjson
  refuses them (it raises) and the value, or the whole line, goes the exact way.

The members that are the same for many tokens are written once and kept as bytes, by the
identity of the value they come from: a finding (the codec hands out the same object for
the same finding), the last verification, the claim descriptions (the same few sets of
claims for every token of a log, half of the line: see ``_DESCRIBED_MAX_SIZE``) and the
last profile member. ``tests/cli/test_json_lines.py`` compares the line with ``json.dumps`` on
every kind of token and on generated headers and payloads.
"""

from __future__ import annotations

import codecs
import json
import json.encoder
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from inspector.core.findings import Finding
    from inspector.core.model import (
        ClaimInfo,
        Inspection,
        Segment,
        TimeClaim,
        Verification,
    )

__all__ = ["SEPARATORS", "json_line", "json_line_bytes"]

#: The line's separators (compact), as ``json.dumps`` takes them.
SEPARATORS = (",", ":")

_dumps = orjson.dumps
_Fragment = orjson.Fragment
#: orjson refuses (raises ``TypeError``, which sends the value the exact way) what the
#: standard library would write another way or refuse: subclasses of str, int, dict and
#: list, dataclasses, dates.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
)
_LINE_OPTIONS = _OPTIONS | orjson.OPT_APPEND_NEWLINE
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=SEPARATORS)


def _make_encode() -> Callable[[Any], str]:
    """The standard library's compact text of a value: ``_ENCODER.encode`` without building
    an encoder on each call (the C encoder ``JSONEncoder.iterencode`` makes, made once).
    Without the circular-reference check: every value here was decoded from JSON text or
    built by the codec, so none holds itself (and the output is the same either way)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - an interpreter without the C accelerator
        return _ENCODER.encode
    string = json.encoder.encode_basestring
    try:
        chunks = make(None, _ENCODER.default, string, None, ":", ",", False, False, True)
    except TypeError:  # pragma: no cover - a future signature: the public way
        return _ENCODER.encode
    join = "".join

    def encode(value: Any) -> str:
        if type(value) is str:
            return string(value)
        return join(chunks(value, 0))

    return encode


_encode = _make_encode()


def _exact(value: Any) -> Any:
    """``value`` as the standard library writes it, for orjson to put in the line as it is
    (a lone surrogate in it makes orjson raise: the whole line goes the exact way)."""
    return _Fragment(_encode(value))


def _value(value: Any) -> Any:
    """A header or payload: orjson's text when it holds no float (see the module), else the
    standard library's."""
    if _no_float(value):
        try:
            return _Fragment(_dumps(value, option=_OPTIONS))
        except TypeError:  # an integer beyond 64 bits, a lone surrogate...
            pass
    return _exact(value)


#: The types orjson writes as the standard library does (an int within 64 bits: it raises
#: for a longer one)...
_LEAVES = frozenset((str, int, bool, type(None)))
#: ... and the containers that hold them.
_LEAVES_AND_CONTAINERS = _LEAVES | {dict, list}


def _no_float(value: Any) -> bool:
    """Whether ``value`` (decoded JSON) holds no float, nor any type but JSON's own (a
    subclass, ...): one look at the types of a container's members (a flat claims set: one
    call in C), and a loop only over a container that holds containers."""
    t = type(value)
    if t is dict:
        value = value.values()
    elif t is not list:
        return t in _LEAVES
    if _LEAVES.issuperset(map(type, value)):
        return True
    for v in value:
        t = type(v)
        if t is dict or t is list:
            if not _no_float(v):
                return False
        elif t not in _LEAVES:
            return False
    return True


def _header(header: dict[str, Any], text: bytes | None) -> Any:
    """:func:`_value` of a header, kept by the JSON text it was decoded from
    (``ParsedToken.header_bytes``: the same text decodes to the same value): a log's tokens
    have a few headers. Bounded like the other caches."""
    if text is None or len(text) > _HEADERS_MAX_TEXT:
        return _value(header)
    known = _HEADERS.get(text)
    if known is None:
        if len(_HEADERS) >= _HEADERS_LIMIT:
            _HEADERS.clear()
        known = _HEADERS[text] = _value(header)
    return known


#: Headers written (see :func:`_header`): at most this many, of at most this many bytes each.
_HEADERS: dict[bytes, Any] = {}
_HEADERS_LIMIT = 256
_HEADERS_MAX_TEXT = 1024

#: Integers orjson writes (as Python does); any other goes the exact way.
_INT_MIN = -(2**63)
_INT_END = 2**64

#: The JSON text of a token's claim descriptions (the list, as bytes), by the ids of its
#: ClaimInfo objects: the dictionary hands out one object per known claim, and a log's
#: tokens carry the same few sets of claims (hashing the values themselves would cost more
#: than writing them). The objects are kept with the text, so that no id in a key can be
#: reused by another; cleared when full (by count or by size).
_DESCRIBED: dict[tuple[int, ...], tuple[tuple[ClaimInfo, ...], Any, bytes]] = {}
_DESCRIBED_LIMIT = 4096
#: Only a set whose text is at most this many bytes is kept (a token's registered claims:
#: ~1.6k for 10 claims, ~5.4k for 30). Every distinct namespaced claim (``"https://..."``)
#: has a description of its own, so a log of such claims makes every line a new set: kept
#: whole, 4096 sets of 300 claims held hundreds of megabytes.
_DESCRIBED_MAX_TEXT = 16 * 1024
#: ... and the cache is cleared before the bytes it holds pass this many: memory stays
#: bounded whatever the log.
_DESCRIBED_MAX_SIZE = 4 * 1024 * 1024
#: The bytes the cache holds.
_described_size = 0

#: Findings written (their text, with the finding kept so that its id is not reused), by
#: id: the codec hands out one object for the same finding (``findings.finding``), so a
#: log's tokens share a few dozen. Cleared when full (and so is :data:`_FINDING_LISTS`).
_FINDINGS: dict[int, tuple[Finding, bytes]] = {}
#: The findings' lists written, by the ids of the findings as found (see :func:`_findings`).
_FINDING_LISTS: dict[tuple[int, ...], tuple[tuple[Finding, ...], Any]] = {}
_FINDINGS_LIMIT = 4096
#: Only a text of at most this many bytes is kept (a usual finding: ~150; a usual list:
#: ~600), and both caches are cleared before the texts they hold pass
#: :data:`_FINDINGS_MAX_SIZE`: a log whose every token has findings of its own (details
#: quoting its values) keeps a bounded amount, however long the details.
_FINDINGS_MAX_TEXT = 4096
_FINDINGS_MAX_SIZE = 2 * 1024 * 1024
#: The bytes of text the two caches hold.
_findings_size = 0
#: Never kept: their detail names a secret (kept no longer than the inspection).
_FINDINGS_NOT_KEPT = frozenset({"weak-secret"})
#: The last verification written and its text.
_last_verification: tuple[Verification | None, Any] = (None, None)
#: The last profile member written: its name and reason, and its text.
_last_profile: tuple[object, object, Any] = (object(), object(), None)
_STRING_OR_NONE = frozenset((str, type(None)))


def _finding(f: Finding) -> bytes:
    known = _FINDINGS.get(id(f))
    if known is not None:
        return known[1]
    d = f.to_dict()
    if _STRING_OR_NONE.issuperset(map(type, d.values())):
        text = _dumps(d)
    else:  # (a value of another type than its field says: the codec makes none)
        text = _encode(d).encode("utf-8")
    if f.id not in _FINDINGS_NOT_KEPT and _room_for_findings(len(text)):
        _FINDINGS[id(f)] = (f, text)
    return text


def _room_for_findings(size: int) -> bool:
    """Whether a text of ``size`` bytes may be kept (see :data:`_FINDINGS_MAX_TEXT`),
    clearing both caches when either is full; counted as kept when it may."""
    global _findings_size
    if size > _FINDINGS_MAX_TEXT:
        return False
    if (
        len(_FINDINGS) >= _FINDINGS_LIMIT
        or len(_FINDING_LISTS) >= _FINDINGS_LIMIT
        or _findings_size + size > _FINDINGS_MAX_SIZE
    ):
        _FINDINGS.clear()
        _FINDING_LISTS.clear()
        _findings_size = 0
    _findings_size += size
    return True


def _findings(inspection: Inspection) -> Any:
    """The findings' list, most severe first (``Inspection.findings``), kept by the ids of
    the findings as found: a log's tokens have the same few lists, and a list kept is
    neither sorted nor joined again."""
    p = inspection.parsed
    decryption = inspection.decryption
    found = (
        *p.findings,
        *(() if decryption is None else decryption.findings),
        *inspection.verification.findings,
        *inspection.analysis.findings,
    )
    key = tuple(map(id, found))
    known = _FINDING_LISTS.get(key)
    if known is not None:  # (its findings are these: they are alive, and so are those)
        return known[1]
    data = b"[" + b",".join([_finding(f) for f in inspection.findings]) + b"]"
    text = _Fragment(data)
    if not any(f.id in _FINDINGS_NOT_KEPT for f in found) and _room_for_findings(len(data)):
        _FINDING_LISTS[key] = (found, text)
    return text


def _verification(v: Verification) -> Any:
    global _last_verification
    last, text = _last_verification
    if last is v:
        return text
    d = v.to_dict()
    text = _Fragment(_dumps(d) if _STRING_OR_NONE.issuperset(map(type, d.values())) else _encode(d))
    _last_verification = (v, text)
    return text


def _profile(inspection: Inspection) -> Any:
    global _last_profile
    profile = inspection.profile()
    name, reason = profile["name"], profile["reason"]
    last_name, last_reason, text = _last_profile
    if name is last_name and reason is last_reason:
        return text
    text = _Fragment(_dumps(profile, option=_OPTIONS))
    _last_profile = (name, reason, text)
    return text


def _described(infos: tuple[ClaimInfo, ...]) -> Any:
    """The descriptions' JSON text, kept when small enough (see :data:`_DESCRIBED`)."""
    global _described_size
    key = tuple(map(id, infos))
    known = _DESCRIBED.get(key)
    if known is not None:  # (its objects are these: they are alive, and so are those)
        return known[1]
    dicts = [info.to_dict() for info in infos]
    if all(_STRING_OR_NONE.issuperset(map(type, d.values())) for d in dicts):
        data = _dumps(dicts)
    else:  # (the dictionary's values are text: never here)
        data = _encode(dicts).encode("utf-8", "surrogatepass")
    text = _Fragment(data)
    if len(data) > _DESCRIBED_MAX_TEXT:
        return text
    if len(_DESCRIBED) >= _DESCRIBED_LIMIT or _described_size + len(data) > _DESCRIBED_MAX_SIZE:
        _DESCRIBED.clear()
        _described_size = 0
    _DESCRIBED[key] = (infos, text, data)
    _described_size += len(data)
    return text


def _time(t: TimeClaim) -> dict[str, Any]:
    utc, local, relative = t.texts()
    value = t.value
    return {
        "claim": t.claim,
        "location": t.location,
        "value": value if type(value) is int and _INT_MIN <= value < _INT_END else _exact(value),
        "utc": utc,
        "local": local,
        "relative": relative,
    }


def _segments(segments: tuple[Segment, ...]) -> Any:
    """The segments' list, kept by the segments themselves (names and offsets: the tokens
    of a log have few distinct layouts)."""
    known = _SEGMENTS.get(segments)
    if known is not None:
        return known
    text = _Fragment(_dumps([s.to_dict() for s in segments], option=_OPTIONS))
    if len(_SEGMENTS) >= _SEGMENTS_LIMIT:
        _SEGMENTS.clear()
    _SEGMENTS[segments] = text
    return text


#: The segments' lists written, by the segments (see :func:`_segments`); cleared when full.
_SEGMENTS: dict[tuple[Segment, ...], Any] = {}
_SEGMENTS_LIMIT = 4096


def _members(inspection: Inspection) -> dict[str, Any]:
    """The line's members in ``to_dict``'s order, each a value orjson writes as the standard
    library would, or a fragment of text already written."""
    p = inspection.parsed
    analysis = inspection.analysis
    sig = p.signature
    header = p.unverified_header
    payload = p.unverified_payload
    decryption = inspection.decryption
    nested = inspection.nested
    members: dict[str, Any] = {
        "token": p.token,
        "format": p.format,
        "segments": _segments(p.segments),
        "header": None if header is None else _header(header, p.header_bytes),
        "payload": None if payload is None else _value(payload),
        "signature": None if sig is None else {"bytes": len(sig), "hex": sig.hex()},
        "verification": _verification(inspection.verification),
        "findings": _findings(inspection),
        "size": p.size(),
        "times": [_time(t) for t in analysis.times],
        "descriptions": _described(analysis.descriptions),
        "profile": _profile(inspection),
        "decryption": None if decryption is None else _exact(decryption.to_dict()),
        "nested": None if nested is None else _Fragment(_line_bytes(nested, newline=False)),
    }
    if p.sd_jwt is not None:
        members["sd_jwt"] = _exact(p.sd_jwt.to_dict())
    if p.not_jwt is not None:
        members["not_jwt"] = _exact(p.not_jwt.to_dict())
    return members


def _line_bytes(inspection: Inspection, *, newline: bool) -> bytes:
    """The line as UTF-8 bytes (raises ``TypeError`` for what orjson refuses: a lone
    surrogate, an integer beyond 64 bits...)."""
    return _dumps(_members(inspection), option=_LINE_OPTIONS if newline else _OPTIONS)


def _slow(inspection: Inspection) -> str:
    """The line the exact way (what the fast way refuses)."""
    return json.dumps(inspection.to_dict(), ensure_ascii=False, separators=SEPARATORS)


def json_line(inspection: Inspection) -> str:
    """``json.dumps(inspection.to_dict(), ensure_ascii=False, separators=(",", ":"))``, the
    same text (see the module)."""
    try:
        return _line_bytes(inspection, newline=False).decode("utf-8")
    except (TypeError, ValueError):  # what orjson refuses: the exact way
        return _slow(inspection)


@lru_cache(maxsize=16)
def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def json_line_bytes(
    inspection: Inspection, encoding: str = "utf-8", errors: str = "strict", end: str = "\n"
) -> bytes:
    """``(json_line(inspection) + end).encode(encoding, errors)``, the same bytes, written
    as bytes by orjson when ``encoding`` is UTF-8 (the line is then valid UTF-8 whatever
    ``errors`` says: a line holding a lone surrogate goes the exact way, encoded with
    ``errors``)."""
    if _is_utf8(encoding):
        try:
            if end == "\n":
                return _line_bytes(inspection, newline=True)
            return _line_bytes(inspection, newline=False) + end.encode(encoding, errors)
        except (TypeError, ValueError):
            pass
    return (json_line(inspection) + end).encode(encoding, errors)
