"""The time claims' UTC and local texts, written from cached pieces (a minute's texts, a
day's date, an hour's offsets: ``claims._format_int``), are exactly what the C library's
``gmtime``/``localtime`` and ``strftime`` write (``claims._format_slow``), in zones with
daylight saving time (a 30-minute one on Lord Howe), with half- and three-quarter-hour
offsets, with an old local mean time's odd seconds, with leap seconds (``right/UTC``),
around every change of offset from 1970 to 2040, before 1970 in local time, and in the far
future."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector.core import claims

ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Chatham",
    "Africa/Monrovia",  # -0:44:30 until 1972
    "right/UTC",  # leap seconds
]
_DAY = 86_400
_END = 2_208_988_800  # 2040-01-01


def _slow(value: int) -> tuple[str, str]:
    return claims._format_slow.__wrapped__(value, None)


@pytest.fixture
def zone(request, monkeypatch) -> Iterator[str]:
    name = request.param
    if not Path("/usr/share/zoneinfo", name).exists():
        pytest.skip(f"no zone file for {name} on this system")
    monkeypatch.setenv("TZ", name)
    time.tzset()
    try:
        yield name
    finally:
        monkeypatch.undo()
        time.tzset()


def _changes() -> list[int]:
    """Every second at which the local offset (or the C library's fields) changes, 1970 to
    2040 (found day by day, then bisected)."""
    found = []

    def key(t: int) -> tuple[int, int]:
        loc = time.localtime(t)
        return loc.tm_gmtoff, claims._seconds(loc) - t

    previous = key(0)
    for day in range(1, _END // _DAY + 1):
        now = key(day * _DAY)
        if now != previous:
            lo, hi = (day - 1) * _DAY, day * _DAY  # key(lo) == previous != key(hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if key(mid) == previous:
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        previous = now
    return found


@pytest.mark.parametrize("zone", ZONES, indirect=True)
def test_texts_are_the_c_librarys_around_every_change_of_offset(zone) -> None:
    changes = _changes()
    if zone not in ("UTC", "Asia/Kolkata"):  # (Kolkata: +05:30 since 1945)
        assert changes, f"{zone}: no change of offset found (the test would prove nothing)"
    rng = random.Random(zone)
    values = [0, 1, 3599, 3600, _DAY - 1, _DAY, 1_800_000_000, _END]
    for change in changes:
        values += [change + d for d in (-3601, -3600, -1801, -1800, -1, 0, 1, 1799, 1800, 3599)]
        values += [change + rng.randrange(-2 * 3600, 2 * 3600) for _ in range(20)]
    values += [rng.randrange(0, 253_402_300_800) for _ in range(2_000)]
    for value in values:
        claims._clear_time_caches()  # (each value also on its own, as well as cached)
        assert claims._format(value, None) == _slow(value), (zone, value)
    for value in values:  # and again, from what the first pass kept
        assert claims._format(value, None) == _slow(value), (zone, value)


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"], indirect=True)
def test_before_1970_in_local_time_and_the_last_second_of_9999(zone) -> None:
    for value in (0, 1, 3600 * 5 - 1, 3600 * 5, 253_402_300_799, 253_402_300_799 - 3600):
        assert claims._format(value, None) == _slow(value), value
    assert claims._format(0, None)[1].startswith(
        "1969-12-31T19:00:00-05:00" if zone == "America/New_York" else "1970-01-01T05:30:00+05:30"
    )


def test_a_new_zone_clears_what_was_kept(monkeypatch) -> None:
    """Texts kept for one zone are not handed out in another (time.tzset() after TZ
    changes, as a test or a long-running window may do)."""
    value = 1_800_000_000
    try:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        assert claims._format(value, None)[1].endswith("+00:00")
        monkeypatch.setenv("TZ", "Asia/Kolkata")
        time.tzset()
        assert claims._format(value, None) == _slow(value)
        assert claims._format(value, None)[1].endswith("+05:30")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert os.environ.get("TZ") != "Asia/Kolkata"
