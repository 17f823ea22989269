"""Registered claims judged against a clock and against what the caller expects.

Time claims (``exp``, ``nbf``, ``iat``, ``auth_time``, ``updated_at``) are NumericDates (RFC 7519
§2): seconds since 1970 as a JSON number. :func:`time_claims` shows each one as people read it and
judges it against an injected ``now`` with a ``leeway``; :func:`audience_issuer` compares ``aud``
and ``iss`` with expected values. Nothing here reads the wall clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from typing import Any

from inspector.core.findings import Finding, finding
from inspector.core.frozen import builder
from inspector.core.model import TimeClaim, TimeTexts

#: Time claims shown and checked, in display order.
TIME_CLAIMS: tuple[str, ...] = ("iat", "nbf", "exp", "auth_time", "updated_at")
#: A NumericDate at or above this (year 5138) is taken to be in milliseconds, or nonsense.
MAX_SECONDS = 100_000_000_000
#: Lifetimes (exp - iat) above these are reported as ``long-lifetime`` low / medium.
LONG_LIFETIME = 24 * 3600
VERY_LONG_LIFETIME = 30 * 24 * 3600

_ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
_ISO_LOCAL = "%Y-%m-%dT%H:%M:%S"
_MINUTE = 60
_HOUR = 3600
_DAY = 86400
_WEEK = 7 * _DAY
_YEAR = 365 * _DAY

#: How each claim reads relative to now: (in the past, in the future); "{}" is the span.
_RELATIVE: Mapping[str, tuple[str, str]] = {
    "exp": ("expired {} ago", "valid for another {}"),
    "nbf": ("valid since {} ago", "not valid for another {}"),
    "iat": ("issued {} ago", "issued {} in the future"),
    "auth_time": ("authenticated {} ago", "authenticated {} in the future"),
    "updated_at": ("updated {} ago", "updated {} in the future"),
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


#: :func:`span_words`' texts, by a key that decides the text: the seconds (under a minute),
#: or minus the minutes (under a day), the hours (under a week: days and hours) or the days
#: (beyond: days, or years and days), each range apart. Written as they are met, at most
#: :data:`_SPANS_MAX`. Every time claim of a log audit has one written (its relative text),
#: and writing it (divisions, numbers to text, a format) cost more than the rest of the
#: claim's texts; a log read today holds tokens issued within minutes or days of each other.
_SPANS: dict[int, str] = {}
_SPANS_MAX = 4096


def span_words(seconds: float) -> str:
    """A duration as people say it: ``"45 s"``, ``"14 min"``, ``"3 h 12 min"``,
    ``"2 days 5 h"``, ``"40 days"``, ``"2 years 10 days"``."""
    s = round(abs(seconds))
    if s < _MINUTE:
        key = s
    elif s < _DAY:
        key = -(s // _MINUTE)
    elif s < _WEEK:
        key = -_DAY - s // _HOUR
    else:
        key = -2 * _DAY - s // _DAY  # (a year is a whole number of days)
    text = _SPANS.get(key)
    if text is None:
        text = _span_text(s)
        if len(_SPANS) < _SPANS_MAX:
            _SPANS[key] = text
    return text


def _span_text(s: int) -> str:
    """:func:`span_words` of a whole number of seconds >= 0."""
    if s < _MINUTE:
        return f"{s} s"
    if s < _HOUR:
        return f"{s // _MINUTE} min"
    if s < _DAY:
        h, m = divmod(s // _MINUTE, 60)
        return f"{h} h {m} min" if m else f"{h} h"
    if s < _YEAR:
        d, rest = divmod(s, _DAY)
        h = rest // _HOUR
        return f"{_plural(d, 'day')} {h} h" if h and s < _WEEK else _plural(d, "day")
    y, rest = divmod(s, _YEAR)
    d = rest // _DAY
    return f"{_plural(y, 'year')} {_plural(d, 'day')}" if d else _plural(y, "year")


#: _RELATIVE split around "{}" once: claim -> ((past prefix, suffix), (future prefix, suffix)).
def _around(template: str) -> tuple[str, str]:
    pre, _, post = template.partition("{}")
    return pre, post


_RELATIVE_PARTS: Mapping[str, tuple[tuple[str, str], tuple[str, str]]] = {
    name: (_around(past), _around(future)) for name, (past, future) in _RELATIVE.items()
}
_RELATIVE_DEFAULT = (("", " ago"), ("in ", ""))


def relative_words(claim: str, value: float, now: float) -> str:
    past, future = _RELATIVE_PARTS.get(claim, _RELATIVE_DEFAULT)
    delta = value - now
    pre, post = future if delta > 0 else past
    return f"{pre}{span_words(delta)}{post}"


def numeric_date_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable NumericDate, or ``None`` if it is one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is not a number (it is {_json_type(value)} {_shown(value)})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"is not a finite number ({value})"
    if value < 0:
        return f"is negative ({value}), a time before 1970"
    if value >= MAX_SECONDS:
        if value < MAX_SECONDS * 1000:
            as_ms = datetime.fromtimestamp(value / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
            return (
                f"is {value}, which is beyond the year 5000 in seconds; read as milliseconds "
                f"it would be {as_ms} UTC. NumericDate counts seconds"
            )
        return f"is {value}, far too large for a time in seconds"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _format(value: float, tz: tzinfo | None) -> tuple[str, str]:
    """(UTC ISO-8601 with 'Z', local ISO-8601 with offset). May raise for odd values.

    A whole number of seconds in the machine's zone (every time claim of a log audit) is
    written from cached pieces (:func:`_format_int`); anything else as before, by the C
    library (:func:`_format_slow`, memoised: the window re-inspects the same token on every
    edit of the key or options)."""
    if tz is None and type(value) is int:
        try:
            texts = _format_int(value)
        except (ValueError, OverflowError, OSError):  # beyond what dates hold: the C way
            texts = None
        if texts is not None:
            return texts
    return _format_slow(value, tz)


@lru_cache(maxsize=1024)
def _format_slow(value: float, tz: tzinfo | None) -> tuple[str, str]:
    utc = time.strftime(_ISO_UTC, time.gmtime(value))
    if tz is not None:
        return utc, datetime.fromtimestamp(value, UTC).astimezone(tz).isoformat(timespec="seconds")
    local = time.localtime(value)
    return utc, time.strftime(_ISO_LOCAL, local) + _offset_text(local.tm_gmtoff or 0)


def _offset_text(off: int) -> str:
    """``+HH:MM`` for an offset in seconds (seconds of an old local mean time dropped)."""
    sign = "-" if off < 0 else "+"
    h, m = divmod(abs(off) // 60, 60)
    return f"{sign}{h:02d}:{m:02d}"


#: "00" to "59".
_TWO = tuple(f"{i:02d}" for i in range(60))
#: ``YYYY-MM-DD`` by day number since 1970-01-01 (a log's claims span a few days).
_DAY_TEXTS: dict[int, str] = {}
#: What turns a time in an hour (by its number since 1970) into its UTC and local fields:
#: (seconds added to get the UTC fields, seconds added to get the local fields, the local
#: offset's text), kept only for an hour at whose first and last second the C library
#: gives the same three (no change of offset within it: zones change offsets at the turn
#: of a quarter or half hour, at most once an hour); for the zone of :data:`_ZONE`.
_HOURS: dict[int, tuple[int, int, str] | None] = {}
#: The texts of a minute (by its number since 1970) up to its seconds (see
#: :func:`_minute_texts`).
_MINUTES: dict[int, tuple[str, str, str]] = {}
#: Each cache is cleared when it holds this many entries.
_TIME_CACHE_LIMIT = 4096
#: ``time.tzname`` when the caches were filled: ``time.tzset()`` (a new ``TZ``) makes a new
#: tuple, and the caches are cleared.
_zone: object = None
#: Days from 0001-01-01 (proleptic Gregorian, day 1) to 1970-01-01.
_EPOCH_ORDINAL = 719_163


def _day_text(day: int) -> str:
    text = _DAY_TEXTS.get(day)
    if text is None:
        if len(_DAY_TEXTS) >= _TIME_CACHE_LIMIT:
            _DAY_TEXTS.clear()
        d = date.fromordinal(day + _EPOCH_ORDINAL)
        text = _DAY_TEXTS[day] = f"{d.year:04d}-{_TWO[d.month]}-{_TWO[d.day]}"
    return text


def _shifts(t: int) -> tuple[int, int, str]:
    """The C library's UTC and local fields of second ``t`` as shifts from ``t`` (see
    :data:`_HOURS`; a leap second of a ``right/`` zone shows as a shift too)."""
    g = time.gmtime(t)
    loc = time.localtime(t)
    return (
        _seconds(g) - t,
        _seconds(loc) - t,
        _offset_text(loc.tm_gmtoff or 0),
    )


def _seconds(st: time.struct_time) -> int:
    """Seconds since 1970 of a struct_time's fields, read as UTC."""
    days = date(st.tm_year, st.tm_mon, st.tm_mday).toordinal() - _EPOCH_ORDINAL
    return days * _DAY + st.tm_hour * _HOUR + st.tm_min * _MINUTE + st.tm_sec


def _format_int(value: int) -> tuple[str, str] | None:
    """:func:`_format_slow`'s texts for whole seconds in the machine's zone, from the
    minute's texts up to the seconds (cached: a log's claims fall in a few minutes, or a few
    thousand), or ``None`` when the hour changes offset."""
    if time.tzname is not _zone:
        _clear_time_caches()
    minute, sec = divmod(value, _MINUTE)
    known = _MINUTES.get(minute)
    if known is None:
        known = _minute_texts(minute)
        if known is None:
            return _hour_texts(value)
    utc, local, offset = known
    two = _TWO[sec]
    return f"{utc}{two}Z", f"{local}{two}{offset}"


def _clear_time_caches() -> None:
    global _zone
    _DAY_TEXTS.clear()
    _HOURS.clear()
    _MINUTES.clear()
    _zone = time.tzname


def _hour_shifts(hour: int) -> tuple[int, int, str] | None:
    """:data:`_HOURS`' entry for ``hour``, worked out when missing."""
    if hour in _HOURS:
        return _HOURS[hour]
    start = hour * _HOUR
    first = _shifts(start)
    shifts = first if _shifts(start + _HOUR - 1) == first else None
    if len(_HOURS) >= _TIME_CACHE_LIMIT:
        _HOURS.clear()
    _HOURS[hour] = shifts
    return shifts


def _minute_texts(minute: int) -> tuple[str, str, str] | None:
    """The UTC and local texts of a minute up to its seconds (``YYYY-MM-DDTHH:MM:``) and the
    local offset's text, kept in :data:`_MINUTES`; ``None`` when the hour's shifts are not
    whole minutes (an old local mean time, a leap second's count) or change."""
    shifts = _hour_shifts(minute // _MINUTE)
    if shifts is None or shifts[0] % _MINUTE or shifts[1] % _MINUTE:
        return None
    to_utc, to_local, offset = shifts
    two = _TWO
    start = minute * _MINUTE
    day, rest = divmod(start + to_utc, _DAY)
    h, m = divmod(rest // _MINUTE, _MINUTE)
    utc = f"{_day_text(day)}T{two[h]}:{two[m]}:"
    day, rest = divmod(start + to_local, _DAY)
    h, m = divmod(rest // _MINUTE, _MINUTE)
    known = (utc, f"{_day_text(day)}T{two[h]}:{two[m]}:", offset)
    if len(_MINUTES) >= _TIME_CACHE_LIMIT:
        _MINUTES.clear()
    _MINUTES[minute] = known
    return known


def _hour_texts(value: int) -> tuple[str, str] | None:
    """The texts from the hour's shifts (any seconds), or ``None`` when it changes offset."""
    shifts = _hour_shifts(value // _HOUR)
    if shifts is None:
        return None
    to_utc, to_local, offset = shifts
    two = _TWO
    day, rest = divmod(value + to_utc, _DAY)
    minutes, sec = divmod(rest, _MINUTE)
    h, m = divmod(minutes, _MINUTE)
    utc = f"{_day_text(day)}T{two[h]}:{two[m]}:{two[sec]}Z"
    day, rest = divmod(value + to_local, _DAY)
    minutes, sec = divmod(rest, _MINUTE)
    h, m = divmod(minutes, _MINUTE)
    return utc, f"{_day_text(day)}T{two[h]}:{two[m]}:{two[sec]}{offset}"


#: The NumericDates every platform can format (1970 to the year 9999).
_EPOCH_MIN = 0
_DATE_MAX = 253_402_300_799


def _texts(name: str, value: float, now: float | None, tz: tzinfo | None) -> TimeTexts:
    """(UTC, local, relative) for a claim already known to be a good NumericDate."""
    if tz is None and type(value) is int and time.tzname is _zone:
        # The usual case, a minute already written (see _format_int), without the calls.
        minute, sec = divmod(value, _MINUTE)
        known = _MINUTES.get(minute)
        if known is not None:
            two = _TWO[sec]
            return (
                f"{known[0]}{two}Z",
                f"{known[1]}{two}{known[2]}",
                relative_words(name, value, now) if now is not None else None,
            )
    try:
        utc, local = _format(value, tz)
    except (OverflowError, OSError, ValueError):
        return None, None, None
    return utc, local, relative_words(name, value, now) if now is not None else None


def _date_problem(value: Any) -> str | None:
    """Why ``value`` cannot be shown and judged as a date, or ``None`` (a usable NumericDate,
    1970 to the year 9999)."""
    problem = numeric_date_problem(value)
    if problem is None and not _EPOCH_MIN <= value <= _DATE_MAX:
        problem = f"is {value}, which cannot be read as a date"
    return problem


def time_report(
    claims: Mapping[str, Any], *, now: float | None, tz: tzinfo | None = None
) -> list[TimeClaim]:
    """The time claims of a claims set as shown (no judging, no findings): what
    :func:`time_claims` gives first. Reading an inspection's ``times`` (every ``--json`` line
    of the command line does) needs only this; judging again and making findings that are
    thrown away cost about three times as much (issue 17, bulk audit). A claim that is not a
    usable date is shown with its value and no texts.

    The texts are written here, with the list: whoever reads an inspection's ``times`` (the
    window's panes, every report, every ``--json`` line) shows them, and the list itself is
    made only when first read (``Analysis.times``). Writing them later, on first read of each
    claim's texts, cost a callable and a call per claim more."""
    times: list[TimeClaim] = []
    make = _time_claim or _make_time_claim()
    set_texts = _set_texts
    for name, loc in _TIME_LOCATIONS:
        if name in claims:
            value = claims[name]
            claim = make(name, loc, value, None)
            if (type(value) is int and 0 <= value < MAX_SECONDS) or _date_problem(value) is None:
                set_texts(claim, _texts(name, value, now, tz))
            times.append(claim)
    return times


#: Sets a TimeClaim's texts (its slot's own setter: the field is frozen and not an argument).
_set_texts = TimeClaim.__dict__["_texts"].__set__


#: Each time claim's name and location, in display order.
_TIME_LOCATIONS = tuple((name, "/payload/" + name) for name in TIME_CLAIMS)
#: TimeClaim(claim=..., location=..., value=..., render=...), positionally: every token with
#: a payload makes two or three (keywords cost as much again). Made on first use (compiling
#: it costs ~0.1 ms, which the window's launch would pay before its first inspection).
_time_claim: Callable[[str, str, Any, Callable[[], TimeTexts] | None], TimeClaim] | None = None


def _make_time_claim() -> Callable[[str, str, Any, Callable[[], TimeTexts] | None], TimeClaim]:
    global _time_claim
    _time_claim = builder(TimeClaim, "claim", "location", "value", "render")
    return _time_claim


def time_claims(
    claims: Mapping[str, Any],
    *,
    now: float | None,
    leeway: float = 0,
    tz: tzinfo | None = None,
    report: bool = True,
) -> tuple[list[TimeClaim], list[Finding]]:
    """Show and judge the time claims of a claims set. ``now`` ``None`` skips judging against a
    clock (structural checks still run). ``tz`` is the local zone (default: the machine's).
    ``report=False`` only judges (the list of time claims comes back empty); the list alone
    is :func:`time_report`."""
    findings: list[Finding] = []
    exp = claims.get("exp")
    nbf = claims.get("nbf")
    iat = claims.get("iat")
    if not (
        ((type(exp) is int and 0 <= exp < MAX_SECONDS) or (exp is None and "exp" not in claims))
        and ((type(nbf) is int and 0 <= nbf < MAX_SECONDS) or (nbf is None and "nbf" not in claims))
        and ((type(iat) is int and 0 <= iat < MAX_SECONDS) or (iat is None and "iat" not in claims))
        and "auth_time" not in claims
        and "updated_at" not in claims
    ):
        # (not the usual claims: absent or whole seconds of 1970-5138, and no other time
        # claim; a claim present as null is no date either)
        good: dict[str, float] = {}
        for name in TIME_CLAIMS:
            if name not in claims:
                continue
            value = claims[name]
            if type(value) is int and 0 <= value < MAX_SECONDS:
                good[name] = value
                continue
            problem = _date_problem(value)
            if problem is not None:
                findings.append(
                    finding("bad-time-claim", f"'{name}' {problem}.", "/payload/" + name)
                )
            else:
                good[name] = value
        exp = good.get("exp")
        nbf = good.get("nbf")
        iat = good.get("iat")
    times = time_report(claims, now=now, tz=tz) if report else []
    if "exp" not in claims:
        findings.append(
            finding(
                "missing-exp",
                "The token has no 'exp' claim, so it never expires.",
                "/payload",
            )
        )
    if now is not None and (
        (exp is not None and now >= exp + leeway)
        or (nbf is not None and nbf > now + leeway)
        or (iat is not None and iat > now + leeway)
    ):
        findings.extend(_judge(now, leeway, exp, nbf, iat))
    if exp is not None and nbf is not None and nbf >= exp:
        findings.append(
            finding(
                "nbf-after-exp",
                f"'nbf' ({utc_text(nbf)}) is not before 'exp' ({utc_text(exp)}): the token is "
                "never valid.",
                "/payload/nbf",
            )
        )
    start, start_name = (iat, "iat") if iat is not None else (nbf, "nbf")
    if exp is not None and start is not None and exp - start > LONG_LIFETIME:
        life = exp - start
        findings.append(
            finding(
                "long-lifetime",
                f"The token is valid for {span_words(life)} (exp - {start_name})"
                + (
                    ", more than 30 days." if life > VERY_LONG_LIFETIME else ", more than 24 hours."
                ),
                "/payload/exp",
                severity="medium" if life > VERY_LONG_LIFETIME else None,
            )
        )
    elif exp is not None and start is None and now is not None and exp - now > LONG_LIFETIME:
        # Without 'iat' or 'nbf' the lifetime is unknown, but it is at least what is left.
        left = exp - now
        findings.append(
            finding(
                "long-lifetime",
                f"The token has no 'iat' or 'nbf' and is still valid for {span_words(left)}"
                + (", more than 30 days." if left > VERY_LONG_LIFETIME else ", more than a day."),
                "/payload/exp",
                severity="medium" if left > VERY_LONG_LIFETIME else None,
            )
        )
    return times, findings


def utc_text(value: float) -> str:
    return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _leeway_note(leeway: float) -> str:
    return f" (leeway {leeway:g} s)" if leeway else ""


def _judge(
    now: float, leeway: float, exp: float | None, nbf: float | None, iat: float | None
) -> Iterable[Finding]:
    if exp is not None and now >= exp + leeway:
        yield finding(
            "expired",
            f"Expired {span_words(now - exp)} ago, at {utc_text(exp)}{_leeway_note(leeway)}.",
            "/payload/exp",
        )
    if nbf is not None and nbf > now + leeway:
        yield finding(
            "not-yet-valid",
            f"Not valid for another {span_words(nbf - now)}, until {utc_text(nbf)}"
            f"{_leeway_note(leeway)}.",
            "/payload/nbf",
        )
    if iat is not None and iat > now + leeway:
        yield finding(
            "issued-in-future",
            f"'iat' is {span_words(iat - now)} in the future ({utc_text(iat)})"
            f"{_leeway_note(leeway)}.",
            "/payload/iat",
        )


def _slash(actual: object, expected: str, subject: str = "they differ") -> str:
    """What to add when ``actual`` and ``expected`` differ only by a trailing ``/`` (the
    values are compared as exact strings, RFC 7519 §4.1.1 and §4.1.3: ``https://a/`` is
    not ``https://a``)."""
    if not isinstance(actual, str) or actual == expected:
        return ""
    if actual.rstrip("/") != expected.rstrip("/"):
        return ""
    which = "the token's value has" if len(actual) > len(expected) else "the expected one has"
    return (
        f" ({subject} only by a trailing '/', which {which}; the values are compared as "
        "exact strings, so a server rejects it)"
    )


def _slash_in(values: list[str], expected: str) -> str:
    """:func:`_slash` for the member of an ``aud`` list that differs only by a ``/``."""
    for value in values:
        note = _slash(value, expected, f"{value!r} differs")
        if note:
            return note
    return ""


def audience_issuer(
    claims: Mapping[str, Any], *, audience: str | None, issuer: str | None
) -> list[Finding]:
    """``aud-mismatch`` / ``iss-mismatch`` when expected values are given (``None`` or empty
    means "not given"), and ``missing-jti``."""
    out: list[Finding] = []
    if audience:
        aud = claims.get("aud")
        if "aud" not in claims:
            out.append(
                finding(
                    "aud-mismatch",
                    f"The token has no 'aud' claim; expected {audience!r}.",
                    "/payload",
                )
            )
        elif isinstance(aud, str):
            if aud != audience:
                out.append(
                    finding(
                        "aud-mismatch",
                        f"'aud' is {_shown(aud)}; expected {audience!r}{_slash(aud, audience)}.",
                        "/payload/aud",
                    )
                )
        elif isinstance(aud, list) and all(isinstance(a, str) for a in aud):
            if audience not in aud:
                shown = ", ".join(repr(a) for a in aud[:5]) + (", ..." if len(aud) > 5 else "")
                out.append(
                    finding(
                        "aud-mismatch",
                        f"'aud' lists [{shown}], which does not include {audience!r}"
                        f"{_slash_in(aud, audience)}."
                        if aud
                        else f"'aud' is an empty list; expected {audience!r}.",
                        "/payload/aud",
                    )
                )
        else:
            out.append(
                finding(
                    "aud-mismatch",
                    f"'aud' must be a string or an array of strings, not {_json_type(aud)}; "
                    f"expected {audience!r}.",
                    "/payload/aud",
                )
            )
    if issuer:
        if "iss" not in claims:
            out.append(
                finding(
                    "iss-mismatch",
                    f"The token has no 'iss' claim; expected {issuer!r}.",
                    "/payload",
                )
            )
        elif claims["iss"] != issuer:
            out.append(
                finding(
                    "iss-mismatch",
                    f"'iss' is {_shown(claims['iss'])}; expected {issuer!r}"
                    f"{_slash(claims['iss'], issuer)}.",
                    "/payload/iss",
                )
            )
    if "jti" not in claims:
        out.append(finding("missing-jti", "The token has no 'jti' claim.", "/payload"))
    return out
