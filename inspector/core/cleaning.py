"""Find the compact token inside whatever was pasted, and remember where each of its characters
came from, so the view can colour the user's own text (which is never altered).

Recognised wrappers: surrounding whitespace and quotes, line breaks inside the token,
``Bearer`` / ``Authorization: Bearer``, a JSON document holding tokens (an OAuth token
response), ``Cookie:`` / ``Set-Cookie:`` headers and ``name=value`` pairs, URLs and fragments
with ``access_token=`` / ``id_token=``, and percent-encoding. An SD-JWT (RFC 9901,
``JWT~disclosure~...~[KB-JWT]``) is kept whole in all of these; a token with other text glued
to a '~' after it is read as before.
"""

from __future__ import annotations

import base64
import bisect
import functools
import json
import re
from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any, NamedTuple

from inspector.core.frozen import value_class
from inspector.core.lazy_re import LazyPattern

if TYPE_CHECKING:
    # Re-exported for type checkers (at run time, __getattr__ below gives them).
    from inspector.core.cleaning_values import JweJson as JweJson
    from inspector.core.cleaning_values import JwsJson as JwsJson

# Possessive (*+, ++) where nothing could be given back to the rest of the pattern: a regex
# that may backtrack keeps a frame for every dot or escape it passed, so a 500 KB run took
# megabytes of stack and several times longer per character than a 50 KB one.
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-+/]*+={0,2}(?:\.[A-Za-z0-9_\-+/]*+={0,2})++")
_LONE_SEGMENT = LazyPattern(r"[A-Za-z0-9_\-]+={0,2}")
_BROKEN = LazyPattern(r"[A-Za-z0-9_\-+/=.%~\s]*")
_PREFIX = LazyPattern(r"(?:(?P<auth>authorization)\s*:\s*)?(?P<bearer>bearer)\s+", re.IGNORECASE)
_QUOTES = "\"'`"
# A candidate: base64url-ish runs joined by (possibly percent-encoded) dots, 2 or 4 of them.
# A run of plain characters is taken whole (++): what follows a segment ('=', '.', an escape)
# is never one of them, so giving one back could not help a match, and a backtracking frame
# per character made 500 KB of letters take 0.4 s.
_SEG = r"(?:[A-Za-z0-9_\-+/]++|%[0-9A-Fa-f]{2})+(?:=|%3[Dd]){0,2}"
_SEG_OPT = r"(?:(?:[A-Za-z0-9_\-+/]++|%[0-9A-Fa-f]{2})+(?:=|%3[Dd]){0,2})?"
_DOT = r"(?:\.|%2[Ee])"
# Only where a run of token characters begins (a "%" starts one only as an escape: "100%"
# before a token ends there): retried at every position inside a long run, the search would
# be quadratic (150 KB of base64 with no dots took minutes).
_CANDIDATE = LazyPattern(
    rf"(?:(?<![A-Za-z0-9_\-+/%])|(?<=%)(?![0-9A-Fa-f]{{2}})){_SEG}(?:{_DOT}{_SEG_OPT}){{2,4}}"
)
_JWT_START = ("eyJ", "ewo", "ew0", "eyA", "ewk", "e30")
#: Inside a candidate: where a token starts after a "/" (a URL path) or a percent escape
#: ("Bearer%20eyJ..."), the characters before it having joined its run. Only the usual start
#: ('{"'): "e30.min.js" in a path is a file name, not the empty header "{}".
_INNER_START = LazyPattern(r"(?:(?<=/)|(?<=%[0-9A-Fa-f]{2}))(?=eyJ)")
#: A candidate from a given position on (no condition on what comes before it).
_CANDIDATE_AT = LazyPattern(rf"{_SEG}(?:{_DOT}{_SEG_OPT}){{2,4}}")
_PCT = LazyPattern(r"%[0-9A-Fa-f]{2}")
#: Above this many characters the fast path does not scan every character with a regex.
_SCAN_LIMIT = 64 * 1024
_TOKEN_FIELDS = ("access_token", "id_token", "refresh_token", "token", "jwt")
#: What follows an SD-JWT's issuer-signed JWT (RFC 9901 §4): '~', disclosures each ended by
#: '~', then nothing or a key-binding JWT. Possessive throughout (linear on any run).
_SD_TAIL = r"~(?:[A-Za-z0-9_\-]*+~)*+(?:[A-Za-z0-9_\-]++\.[A-Za-z0-9_\-]*+\.[A-Za-z0-9_\-]*+)?"
_SD_TAIL_AT = LazyPattern(_SD_TAIL)
#: A whole compact SD-JWT.
_SD_JWT = LazyPattern(r"[A-Za-z0-9_\-]++\.[A-Za-z0-9_\-]*+\.[A-Za-z0-9_\-]*+" + _SD_TAIL)
#: Characters that, right after an SD-JWT's tail, say it was not one (the '~' led into text).
_SD_GLUED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~+/=")


class Piece(NamedTuple):
    """``clean[clean_off:clean_off+clean_len]`` came from ``text[orig_off:orig_off+orig_len]``."""

    clean_off: int
    orig_off: int
    clean_len: int
    orig_len: int


#: ``_piece((clean_off, orig_off, clean_len, orig_len))`` is a :class:`Piece` without the named
#: tuple's Python-level ``__new__`` (one per pasted token on the usual path).
_piece = functools.partial(tuple.__new__, Piece)


#: The values (in :mod:`inspector.core.cleaning_values`) that callers import from here.
_VALUES = frozenset({"JwsJson", "JweJson"})


def __getattr__(name: str) -> Any:
    """``JwsJson`` and ``JweJson``, imported when first asked for (PEP 562): only a JSON
    serialization makes one, and importing the codec need not build their dataclasses."""
    if name in _VALUES:
        from inspector.core import cleaning_values

        return getattr(cleaning_values, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@value_class()
class Extraction:
    """The token found in a text (or ``None``), how to map its offsets back to the text, and
    what was removed around it; ``jws_json`` when it came out of a JWS JSON serialization."""

    token: str | None
    pieces: tuple[Piece, ...] = ()
    removed: tuple[str, ...] = ()
    jws_json: JwsJson | None = None
    #: Set when the token came out of a JWE JSON serialization.
    jwe_json: JweJson | None = None
    #: ``clean_off`` of every piece, for the bisection in :meth:`original_span` (made once:
    #: made on every call, mapping each segment of a token with thousands of escapes was
    #: quadratic).
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pieces = self.pieces
        starts = (
            (pieces[0].clean_off,) if len(pieces) == 1 else tuple([p.clean_off for p in pieces])
        )
        object.__setattr__(self, "_starts", starts)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``token[start:end]`` to a span of the original text."""
        pieces = self.pieces
        if len(pieces) == 1 and pieces[0].clean_len == pieces[0].orig_len:
            off = pieces[0].orig_off
            return off + start, off + end
        starts = self._starts

        def at(i: int) -> tuple[Piece, int]:
            k = max(0, bisect.bisect_right(starts, i) - 1)
            return pieces[k], i - pieces[k].clean_off

        def orig_start(i: int) -> int:
            if not pieces:
                return 0
            if i >= pieces[-1].clean_off + pieces[-1].clean_len:
                last = pieces[-1]
                return last.orig_off + last.orig_len
            p, d = at(i)
            return p.orig_off + (d if p.clean_len == p.orig_len else 0)

        if end <= start:
            s = orig_start(start)
            return s, s
        p, d = at(end - 1)
        e = p.orig_off + (d + 1 if p.clean_len == p.orig_len else p.orig_len)
        return orig_start(start), e


def _contiguous(text: str, start: int, end: int, removed: list[str]) -> Extraction:
    token = text[start:end]
    pieces = (Piece(0, start, len(token), len(token)),)
    return _percent_decode(Extraction(token, pieces, tuple(removed)), text)


def extract_token(text: str) -> Extraction:
    """Find the token in ``text``. Never raises."""
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    # Fast path: the whole input is one token (possibly with surrounding whitespace). Large
    # inputs skip the character scan: the strict base64url decoder reports stray characters.
    if (
        len(stripped) > _SCAN_LIMIT
        and stripped.startswith(_JWT_START)
        and "." in stripped
        and not any(ws in stripped for ws in " \n\r\t")
    ) or _TOKEN_CHARS.fullmatch(stripped):
        trimmed = ("surrounding whitespace",) if len(stripped) != len(text) else ()
        size = len(stripped)
        return Extraction(stripped, (_piece((0, lead, size, size)),), trimmed)
    if stripped[:1] in "{[":
        found = _from_json(text, stripped)
        if found is not None:
            return found
    removed: list[str] = []
    body_start, body_end = lead, lead + len(stripped)
    m = _PREFIX.match(text, body_start)
    if m:
        removed.append(
            "the 'Authorization: Bearer' prefix" if m["auth"] else "the 'Bearer ' prefix"
        )
        body_start = m.end()
    if (
        body_end - body_start >= 2
        and text[body_start] in _QUOTES
        and text[body_end - 1] == text[body_start]
    ):
        removed.append("surrounding quotes")
        body_start += 1
        body_end -= 1
    body = text[body_start:body_end]
    if lead or len(stripped) != len(text):
        removed.insert(0, "surrounding whitespace")
    # A token broken over several lines (from a terminal, an e-mail, a log).
    if "." in body and _BROKEN.fullmatch(body) and not _TOKEN_CHARS.fullmatch(body):
        chunks = body.split()
        joined = "".join(chunks)
        # A wrapped token starts like a token and has no spaces inside its lines; several
        # complete tokens one after another are a list, and words are text around a token.
        complete = sum(1 for c in chunks if c.startswith(_JWT_START) and c.count(".") >= 2)
        wrapped = all(len(line.split()) <= 1 for line in body.splitlines())
        if complete < 2 and wrapped and joined.startswith(_JWT_START) and joined.count(".") <= 4:
            return _join_lines(text, body_start, body, removed)
    if _TOKEN_CHARS.fullmatch(body) or (
        body.startswith(_JWT_START) and len(body) >= 8 and _LONE_SEGMENT.fullmatch(body)
    ):
        # (A lone segment that starts like a JSON header is a token that lost its other parts.)
        return _contiguous(text, body_start, body_end, removed)
    # One "word" that starts like a token: keep it whole, so that a stray character inside
    # is reported where it is instead of cutting the token in two.
    if body.startswith(_JWT_START) and body.count(".") >= 2 and not any(c.isspace() for c in body):
        return _contiguous(text, body_start, body_end, removed)
    return _search(text, removed)


def _join_lines(text: str, body_start: int, body: str, removed: list[str]) -> Extraction:
    pieces: list[Piece] = []
    out: list[str] = []
    clean = 0
    for m in re.finditer(r"[^\s]+", body):
        chunk = m.group()
        pieces.append(Piece(clean, body_start + m.start(), len(chunk), len(chunk)))
        out.append(chunk)
        clean += len(chunk)
    breaks = len(pieces) - 1
    if breaks:
        removed.append(
            f"{breaks} line break{'s' * (breaks > 1)} or space{'s' * (breaks > 1)} inside the token"
        )
    return _percent_decode(Extraction("".join(out), tuple(pieces), tuple(removed)), text)


#: Characters of a parameter or cookie name ("access_token" in "...&access_token=eyJ...").
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def _name_before(before: str) -> str | None:
    """The ``name`` of a ``name=`` that ``before`` ends with, or ``None``.

    Read backwards from the '=': a regex search for ``([A-Za-z0-9_.-]+)=$`` restarts at every
    letter of a long run and reads the run to its end each time (quadratic; 100 KB of letters
    before a token took 40 s).
    """
    if before.endswith("\n"):  # as the regex's "$" did, allow one line break after the '='
        before = before[:-1]
    if not before.endswith("="):
        return None
    end = len(before) - 1
    start = end
    while start and before[start - 1] in _NAME_CHARS:
        start -= 1
    return before[start:end] or None


def _ends_with_words(low: str, *words: str) -> bool:
    """Whether ``low`` ends with ``words``, each followed by optional whitespace (and the
    first ones by a ':' as in "authorization: bearer"). Read from the end, in linear time."""
    rest = low.rstrip()
    for i, word in enumerate(reversed(words)):
        if not rest.endswith(word):
            return False
        rest = rest[: -len(word)]
        if i < len(words) - 1:
            rest = rest.rstrip()
            if not rest.endswith(":"):
                return False
            rest = rest[:-1].rstrip()
    return True


def _describe_context(before: str, after: str) -> list[str]:
    notes: list[str] = []
    low = before.lower()
    if "set-cookie:" in low:
        notes.append("a 'Set-Cookie:' header around it")
    elif "cookie:" in low:
        notes.append("a 'Cookie:' header around it")
    elif _ends_with_words(low, "authorization", "bearer"):
        notes.append("the 'Authorization: Bearer' prefix")
    elif _ends_with_words(low, "bearer"):
        notes.append("the 'Bearer ' prefix")
    name = _name_before(before)
    if "://" in before or (
        name in ("access_token", "id_token")
        and before.rstrip("\n")[-len(name) - 2 : -len(name) - 1] in ("#", "?", "&")
    ):
        notes.append(
            f"a URL around it (the token was its '{name}' parameter)"
            if name
            else "a URL around it (the token was in its path)"
        )
    elif name and not notes:
        notes.append(f"a name=value pair (the token was the value of '{name}')")
    elif name:
        notes.append(f"the cookie name '{name}'")
    if not notes:
        if before.strip():
            notes.append(f"{len(before)} character{'s' * (len(before) != 1)} of text before it")
    if after.strip():
        notes.append(f"{len(after)} character{'s' * (len(after) != 1)} of text after it")
    return notes


def _sd_jwt_end(text: str, end: int) -> int:
    """Where an SD-JWT ends whose issuer-signed JWT ends at ``end``: past its disclosures and
    key-binding JWT when ``text[end]`` is '~' and they stand there whole (followed by the end
    of the text or a character no token holds); else ``end`` (a token with '~' text glued to
    it stays read as before)."""
    if text[end : end + 1] != "~":
        return end
    m = _SD_TAIL_AT.match(text, end)
    if m is None or (m.end() < len(text) and text[m.end()] in _SD_GLUED):
        return end
    return m.end()


def _search(text: str, removed: list[str]) -> Extraction:
    span = _find_candidate(text)
    if span is None:
        return Extraction(None)
    start, end = span
    end = _sd_jwt_end(text, end)
    notes = _describe_context(text[:start], text[end:])
    if not notes and (start or end != len(text)):
        notes = ["surrounding whitespace"]
    return _contiguous(text, start, end, notes)


def _find_candidate(text: str) -> tuple[int, int] | None:
    """Where the token is inside other text: the first candidate that starts like a JSON
    header; failing that, the first part of one that does after a "/" or a percent escape."""
    others: list[tuple[int, int]] = []
    for c in _CANDIDATE.finditer(text):
        if c.group().startswith(_JWT_START):
            return c.span()
        others.append(c.span())
    for start, end in others:
        # Try only starts with two dots still after them: each try then succeeds at once,
        # so a long candidate is not searched again from every position (quadratic).
        last = text.rfind(".", start, end)
        limit = text.rfind(".", start, last) if last > 0 else -1
        for inner in _INNER_START.finditer(text, start + 1, max(limit, start)):
            m = _CANDIDATE_AT.match(text, inner.start(), end)
            if m is not None:
                return m.span()
    return None


def _percent_decode(ex: Extraction, text: str) -> Extraction:
    token = ex.token
    if token is None or "%" not in token or not _PCT.search(token):
        return ex
    # Rebuild pieces: every %XX becomes one character that maps to three original ones.
    out: list[str] = []
    pieces: list[Piece] = []
    clean = 0
    for p in ex.pieces:
        orig = text[p.orig_off : p.orig_off + p.orig_len]
        pos = 0
        for m in _PCT.finditer(orig):
            if m.start() > pos:
                chunk = orig[pos : m.start()]
                pieces.append(Piece(clean, p.orig_off + pos, len(chunk), len(chunk)))
                out.append(chunk)
                clean += len(chunk)
            out.append(chr(int(m.group()[1:], 16)))
            pieces.append(Piece(clean, p.orig_off + m.start(), 1, 3))
            clean += 1
            pos = m.end()
        if pos < len(orig):
            chunk = orig[pos:]
            pieces.append(Piece(clean, p.orig_off + pos, len(chunk), len(chunk)))
            out.append(chunk)
            clean += len(chunk)
    n = sum(1 for p in pieces if p.clean_len != p.orig_len)
    removed = (*ex.removed, f"percent-encoding ({n} escape{'s' * (n > 1)} decoded)")
    return Extraction("".join(out), tuple(pieces), removed)


def json_strings(
    doc: Any, accept: Callable[[str], bool], *, max_depth: int, limit: int
) -> list[tuple[str, str]]:
    """The strings of the JSON value ``doc`` (stripped) that ``accept`` takes, each with its
    path (``data.tokens[1]``), in document order: at most ``limit`` of them, from at most
    ``max_depth`` levels down."""
    found: list[tuple[str, str]] = []

    def walk(node: Any, path: str, depth: int) -> None:
        if depth > max_depth or len(found) >= limit:
            return
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else str(k), depth + 1)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]", depth + 1)
        elif isinstance(node, str):
            s = node.strip()
            if accept(s):
                found.append((path, s))

    walk(doc, "", 0)
    return found


def _is_token_string(s: str) -> bool:
    """Whether the JSON string ``s`` is a whole compact token (JWS, JWE or SD-JWT)."""
    return s.startswith(_JWT_START) and bool(
        (s.count(".") in (2, 4) and _TOKEN_CHARS.fullmatch(s))
        or ("~" in s and _SD_JWT.fullmatch(s))
    )


def _from_json(text: str, stripped: str) -> Extraction | None:
    try:
        doc = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    if isinstance(doc, dict) and isinstance(doc.get("ciphertext"), str):
        encrypted = _from_jwe_json(text, doc)
        if encrypted is not None:
            return encrypted
    if isinstance(doc, dict) and isinstance(doc.get("payload"), str):
        serialized = _from_jws_json(text, doc)
        if serialized is not None:
            return serialized
    found = json_strings(doc, _is_token_string, max_depth=20, limit=21)
    if not found:
        return None
    # Prefer the conventional names in the conventional order.
    order = {name: i for i, name in enumerate(_TOKEN_FIELDS)}
    found.sort(key=lambda f: order.get(f[0].rsplit(".", 1)[-1], len(order)))
    path, token = found[0]
    start = text.find(token)
    if start < 0:  # the string had escapes in the JSON text; fall back to a search
        return None
    others = tuple(p for p, _ in found[1:])
    removed = [f"a JSON document around it (the token is its '{path}' member)"]
    if others:
        removed.append("other tokens it holds: " + ", ".join(f"'{o}'" for o in others))
    return Extraction(token, (Piece(0, start, len(token), len(token)),), tuple(removed))


def _member_span(text: str, name: str, value: str, after: int = 0) -> int | None:
    """Where the string ``value`` of member ``name`` starts in ``text`` (base64url strings
    need no JSON escapes, so they stand in the text as they are)."""
    for m in re.finditer(rf'"{re.escape(name)}"\s*:\s*"', text[after:]):
        start = after + m.end()
        if text.startswith(value, start) and text.startswith('"', start + len(value)):
            return start
    return None


def _sd_jwt_json_tail(text: str, header: Any, clean: int, pieces: list[Piece]) -> str | None:
    """An SD-JWT in JSON serialization (RFC 9901 §8) keeps its disclosures and key-binding
    JWT in ``header`` (its unprotected header): ``"~d1~d2~...~kb"`` to append to the compact
    token, with a piece for each (appended to ``pieces``; the '~' stand nowhere in the text),
    or ``None`` when it holds no such parts or they cannot all be found in the text."""
    if not isinstance(header, dict) or not isinstance(header.get("disclosures"), list):
        return None
    disclosures = header["disclosures"]
    kb = header.get("kb_jwt", "")
    if not all(isinstance(d, str) for d in disclosures) or not isinstance(kb, str):
        return None
    m = re.search(r'"disclosures"\s*:\s*\[', text)
    if m is None:
        return None
    added: list[Piece] = []
    out: list[str] = []
    at = m.end()
    for d in disclosures:
        start = text.find(f'"{d}"', at) + 1
        if start <= 0:
            return None
        added.append(Piece(clean, start, 1, 0))
        added.append(Piece(clean + 1, start, len(d), len(d)))
        clean += 1 + len(d)
        out += ("~", d)
        at = start + len(d) + 1
    added.append(Piece(clean, at, 1, 0))
    clean += 1
    out.append("~")
    if kb:
        kb_start = _member_span(text, "kb_jwt", kb)
        if kb_start is None:
            return None
        added.append(Piece(clean, kb_start, len(kb), len(kb)))
        out.append(kb)
    pieces.extend(added)
    return "".join(out)


def _unencoded(entry: Any) -> bool | None:
    """Whether one signature of a general JWS JSON serialization says ``b64: false`` in its
    protected header; ``None`` when that header cannot be read."""
    protected = entry.get("protected") if isinstance(entry, dict) else None
    if not isinstance(protected, str):
        return False if isinstance(entry, dict) and "protected" not in entry else None
    try:
        header = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))
    except (ValueError, RecursionError):
        return None
    return isinstance(header, dict) and header.get("b64") is False


def _from_jws_json(text: str, doc: dict[str, Any]) -> Extraction | None:
    """A JWS in JSON serialization (RFC 7515 §7.2): take protected.payload.signature (of the
    first signature, for the general form) as the compact token, mapped to where each part
    stands in the text."""
    sigs = doc.get("signatures")
    first: Any = sigs[0] if isinstance(sigs, list) and sigs else doc
    if not isinstance(first, dict):
        return None
    protected, signature, payload = first.get("protected"), first.get("signature"), doc["payload"]
    if not isinstance(protected, str) or not isinstance(signature, str):
        return None
    spans = []
    after = 0
    if first is not doc:
        # Search the first signature's members after the "signatures" key.
        m = re.search(r'"signatures"\s*:\s*\[', text)
        after = m.end() if m else 0
    for name, value, where in (
        ("protected", protected, after),
        ("payload", payload, 0),
        ("signature", signature, after),
    ):
        start = _member_span(text, name, value, where)
        if start is None:
            return None
        spans.append((start, value))
    pieces: list[Piece] = []
    clean = 0
    for i, (start, value) in enumerate(spans):
        if i:
            pieces.append(Piece(clean, start, 1, 0))  # the dot: not in the text
            clean += 1
        pieces.append(Piece(clean, start, len(value), len(value)))
        clean += len(value)
    general = first is not doc
    removed = [
        f"a JWS JSON serialization ({'general' if general else 'flattened'}, RFC 7515 §7.2), "
        "inspected as the compact protected.payload.signature"
    ]
    # RFC 9901 §8.1 puts them in the unprotected header; drafts up to 08 (and the reference
    # implementation of 2024) put them at the top level of a flattened JWS.
    tail = _sd_jwt_json_tail(text, first.get("header"), clean, pieces)
    if tail is None and not general:
        tail = _sd_jwt_json_tail(text, doc, clean, pieces)
    if tail is not None:
        removed.append(
            "its unprotected header's 'disclosures' and 'kb_jwt', read as an SD-JWT's "
            "'~' parts (RFC 9901 §8)"
        )
    if "header" in first:
        removed.append("its unprotected 'header' member (not covered by the signature)")
    count = len(sigs) if general and isinstance(sigs, list) else 1
    if count > 1:
        removed.append(f"{count - 1} more signature{'s' * (count > 2)} (the first is used)")
    token = f"{protected}.{payload}.{signature}" + (tail or "")
    said = {_unencoded(entry) for entry in sigs} if general and isinstance(sigs, list) else set()
    b64_mixed = {True, False} <= said
    from inspector.core.cleaning_values import JwsJson

    info = JwsJson(
        b64_mixed=b64_mixed,
        form="general" if general else "flattened",
        has_header="header" in first,
        header=first.get("header"),
        signatures=count,
        # A flattened one beside a 'signatures' member (an empty array, not an array, an
        # array whose first entry is no object) is as mixed: a general parser finds no
        # signature where a flattened one finds this one.
        mixed=tuple(m for m in ("protected", "header", "signature") if m in doc)
        if general
        else ("signatures",)
        if "signatures" in doc
        else (),
    )
    return Extraction(token, tuple(pieces), tuple(removed), info)


def _from_jwe_json(text: str, doc: dict[str, Any]) -> Extraction | None:
    """A JWE in JSON serialization (RFC 7516 §7.2): take protected.encrypted_key.iv.
    ciphertext.tag (the first recipient's key, for the general form) as the compact token,
    mapped to where each part stands in the text; a member that is absent is empty."""
    recipients = doc.get("recipients")
    general = isinstance(recipients, list)
    first: Any = recipients[0] if general and recipients else doc
    if not isinstance(first, dict):
        return None
    after = 0
    if general:
        m = re.search(r'"recipients"\s*:\s*\[', text)
        after = m.end() if m else 0
    members = (
        ("protected", doc.get("protected", ""), 0),
        ("encrypted_key", first.get("encrypted_key", ""), after),
        ("iv", doc.get("iv", ""), 0),
        ("ciphertext", doc["ciphertext"], 0),
        ("tag", doc.get("tag", ""), 0),
    )
    if not all(isinstance(value, str) for _, value, _ in members):
        return None
    spans: list[tuple[int, str]] = []
    for name, value, where in members:
        start = _member_span(text, name, value, where) if value else None
        if value and start is None:
            return None
        spans.append((start if start is not None else -1, value))
    at = next(start for start, _ in spans if start >= 0)  # the ciphertext, at least
    pieces: list[Piece] = []
    clean = 0
    for i, (start, value) in enumerate(spans):
        if start < 0:
            start = at  # an absent member: an empty segment, placed at its neighbour
        else:
            at = start + len(value)
        if i:
            pieces.append(Piece(clean, start, 1, 0))  # the dot: not in the text
            clean += 1
        if value:
            pieces.append(Piece(clean, start, len(value), len(value)))
            clean += len(value)
    count = len(recipients) if general and isinstance(recipients, list) else 1
    removed = [
        f"a JWE JSON serialization ({'general' if general else 'flattened'}, RFC 7516 §7.2), "
        "inspected as the compact protected.encrypted_key.iv.ciphertext.tag"
    ]
    if "unprotected" in doc or "header" in first:
        removed.append("its unprotected header members (not integrity protected)")
    if count > 1:
        removed.append(f"{count - 1} more recipient{'s' * (count > 2)} (the first is used)")
    aad = doc.get("aad")
    from inspector.core.cleaning_values import JweJson

    info = JweJson(
        form="general" if general else "flattened",
        unprotected=doc.get("unprotected"),
        header=first.get("header"),
        aad=aad if isinstance(aad, str) else None,
        recipients=count,
    )
    token = ".".join(value for _, value in spans)
    return Extraction(token, tuple(pieces), tuple(removed), jwe_json=info)
