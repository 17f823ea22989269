"""The time claims as shown, made on their own (claims.time_report, read by every inspection's
``times``) are what the full judging pass (claims.time_claims) shows, on generated and odd
values: the report-only path skips the judging and its findings, nothing else."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core import inspect_token
from inspector.core.claims import TIME_CLAIMS, numeric_date_problem, time_claims, time_report
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, hs256

NOW = 1_700_000_000
#: The last second every platform can format (9999-12-31T23:59:59Z).
DATE_MAX = 253_402_300_799

ODD_VALUES = [
    0, -1, 1.5, -0.0, float("nan"), float("inf"), -float("inf"), True, False, None, "1700000000",
    [], {}, [NOW], 10**11 - 1, 10**11, 10**14 - 1, 10**14, 10**400, DATE_MAX, DATE_MAX + 1,
    2**63, 1e300, NOW + 0.25,
]  # fmt: skip

values = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=0, max_value=4_102_444_800),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(ODD_VALUES),
    st.text(max_size=5),
    st.none(),
    st.booleans(),
)
claim_sets = st.dictionaries(
    st.sampled_from([*TIME_CLAIMS, "iss", "sub", "Exp"]), values, max_size=7
)
nows = st.one_of(st.none(), st.integers(min_value=0, max_value=4_102_444_800))
zones = st.sampled_from([None, UTC, timezone(timedelta(hours=-7, minutes=-30))])


def _shown(times):
    return [(t.claim, t.location, repr(t.value), t.utc, t.local, t.relative) for t in times]


@settings(max_examples=400, deadline=None)
@given(claims=claim_sets, now=nows, tz=zones, leeway=st.sampled_from([0, 60, 10**6]))
def test_report_only_is_what_the_judging_pass_shows(claims, now, tz, leeway):
    alone = time_report(claims, now=now, tz=tz)
    judged, findings = time_claims(claims, now=now, leeway=leeway, tz=tz)
    assert _shown(alone) == _shown(judged)
    # Independently of both: a claim shows texts exactly when it is a number that is a
    # NumericDate and a date every platform formats; otherwise its value alone, and the judging
    # pass reports it as a bad time claim.
    assert [t.claim for t in alone] == [n for n in TIME_CLAIMS if n in claims]
    bad = {f.location for f in findings if f.id == "bad-time-claim"}
    for t in alone:
        usable = numeric_date_problem(t.value) is None and 0 <= t.value <= DATE_MAX
        assert (t.location not in bad) == usable
        if usable:
            assert (t.utc is not None and t.local is not None) or t.value > 10**11
            assert (t.relative is None) == (now is None or t.utc is None)
        else:
            assert (t.utc, t.local, t.relative) == (None, None, None)
        assert t.value is claims[t.claim]


def test_every_odd_value_alone_and_among_others():
    for value in ODD_VALUES:
        for claims in ({"exp": value}, {"iat": NOW, "nbf": value, "exp": NOW + 60, "auth_time": 0}):
            assert _shown(time_report(claims, now=NOW)) == _shown(time_claims(claims, now=NOW)[0])


def test_an_inspection_shows_the_same_times_as_the_judging_pass():
    claims = {**CLEAN_CLAIMS, "auth_time": "yesterday", "updated_at": 2**70}
    result = inspect_token(hs256(CLEAN_HEADER, claims), now=CLEAN_NOW, check_weak_secrets=False)
    shown = _shown(result.analysis.times)
    assert shown == _shown(time_claims(claims, now=CLEAN_NOW)[0])
    assert [s[0] for s in shown] == [n for n in TIME_CLAIMS if n in claims]
    assert shown[-1][3:] == (None, None, None)
    assert shown[-2][3:] == (None, None, None)
    assert all(s[3] is not None for s in shown[:-2])
