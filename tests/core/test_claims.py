"""Time claims, audience, issuer and jti: judged against an injected clock (RFC 7519 §4.1)."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core import inspect_token
from inspector.core.analysis import analyse_token
from inspector.core.claims import (
    audience_issuer,
    numeric_date_problem,
    relative_words,
    span_words,
    time_claims,
)
from inspector.core.model import Verification
from inspector.core.parsing import parse_token
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, clean_token, hs256

NOW = 1_700_000_000
HOUR = 3600
DAY = 86400

TIME_IDS = {
    "expired",
    "not-yet-valid",
    "issued-in-future",
    "nbf-after-exp",
    "missing-exp",
    "long-lifetime",
    "bad-time-claim",
}


def ids(claims, *, now=NOW, leeway=0, header=None, **kw):
    tok = hs256(header or CLEAN_HEADER, claims)
    return {f.id for f in inspect_token(tok, now=now, leeway=leeway, **kw).findings}


def found(claims, fid, *, now=NOW, **kw):
    tok = hs256(CLEAN_HEADER, claims)
    return [f for f in inspect_token(tok, now=now, **kw).findings if f.id == fid]


def test_clean_token_has_no_time_or_audience_findings():
    got = {
        f.id
        for f in inspect_token(
            clean_token(), now=CLEAN_NOW, audience="api://orders", issuer=CLEAN_CLAIMS["iss"]
        ).findings
    }
    assert got.isdisjoint(TIME_IDS | {"aud-mismatch", "iss-mismatch", "missing-jti"})


# ------------------------------------------------------------------------------ expired


def test_expired_token():
    (f,) = found({"sub": "a", "iat": NOW - 4 * HOUR, "exp": NOW - 3 * HOUR - 12 * 60}, "expired")
    assert f.severity == "high"
    assert f.location == "/payload/exp"
    assert "3 h 12 min ago" in f.detail


def test_expiry_boundary_follows_rfc_7519():
    # "on or after" exp the token must not be accepted
    assert "expired" in ids({"exp": NOW})
    assert "expired" not in ids({"exp": NOW + 1})


def test_leeway_forgives_small_skew_both_ways():
    assert "expired" not in ids({"exp": NOW - 30}, leeway=60)
    assert "expired" in ids({"exp": NOW - 61}, leeway=60)
    assert "not-yet-valid" not in ids({"exp": NOW + HOUR, "nbf": NOW + 30}, leeway=60)
    assert "issued-in-future" not in ids({"exp": NOW + HOUR, "iat": NOW + 30}, leeway=60)


def test_not_yet_valid():
    (f,) = found({"nbf": NOW + 14 * 60, "exp": NOW + HOUR}, "not-yet-valid")
    assert f.location == "/payload/nbf"
    assert "14 min" in f.detail


def test_issued_in_future():
    (f,) = found({"iat": NOW + 2 * DAY, "exp": NOW + 2 * DAY + HOUR}, "issued-in-future")
    assert f.severity == "medium"
    assert f.location == "/payload/iat"


def test_nbf_after_exp_is_never_valid_whatever_the_clock():
    claims = {"nbf": NOW + 2 * HOUR, "exp": NOW + HOUR}
    assert "nbf-after-exp" in ids(claims)
    assert "nbf-after-exp" in ids(claims, now=None)
    assert "nbf-after-exp" not in ids({"nbf": NOW, "exp": NOW + HOUR})


def test_missing_exp():
    (f,) = found({"sub": "a", "iat": NOW}, "missing-exp")
    assert f.severity == "medium"
    assert "missing-exp" not in ids({"exp": NOW + 60})


def test_long_lifetime_low_above_a_day_medium_above_thirty_days():
    assert "long-lifetime" not in ids({"iat": NOW, "exp": NOW + DAY})
    (low,) = found({"iat": NOW, "exp": NOW + DAY + HOUR}, "long-lifetime")
    assert low.severity == "low"
    assert "1 day 1 h" in low.detail
    (medium,) = found({"iat": NOW, "exp": NOW + 90 * DAY}, "long-lifetime")
    assert medium.severity == "medium"
    assert "90 days" in medium.detail
    (years,) = found({"iat": NOW, "exp": NOW + 3 * 365 * DAY}, "long-lifetime")
    assert "3 years" in years.detail


def test_long_lifetime_falls_back_to_nbf():
    assert "long-lifetime" in ids({"nbf": NOW, "exp": NOW + 40 * DAY})


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("1700000000", "not a number"),
        (True, "not a number"),
        (None, "not a number"),
        ([1700000000], "not a number"),
        (-5, "negative"),
        (1_700_000_000_000, "milliseconds"),
        (10**30, "too large"),
    ],
)
@pytest.mark.parametrize("claim", ["exp", "nbf", "iat", "auth_time", "updated_at"])
def test_bad_time_claim(claim, value, why):
    claims = {"exp": NOW + 60, claim: value}
    inspection = inspect_token(hs256(CLEAN_HEADER, claims), now=NOW)
    bad = [f for f in inspection.findings if f.id == "bad-time-claim"]
    assert [f.location for f in bad] == [f"/payload/{claim}"]
    assert why in bad[0].detail
    # a bad value is shown but not judged or formatted
    (shown,) = [t for t in inspection.analysis.times if t.claim == claim]
    assert shown.utc is None
    assert shown.relative is None
    assert not {"expired", "not-yet-valid", "issued-in-future"} & {
        f.id for f in inspection.findings if f.location == f"/payload/{claim}"
    }


def test_float_numeric_dates_are_fine():
    assert "bad-time-claim" not in ids({"exp": NOW + 60.5, "iat": NOW - 0.25})


def test_now_none_skips_clock_judgements_but_never_raises():
    # the facade reads the clock when given None; the analysis layer itself must cope
    parsed = parse_token(hs256(CLEAN_HEADER, {"iat": NOW + DAY, "nbf": NOW + DAY, "exp": 1}))
    analysis = analyse_token(parsed, Verification(), now=None, check_weak_secrets=False)
    got = {f.id for f in analysis.findings}
    assert not {"expired", "not-yet-valid", "issued-in-future"} & got
    assert "nbf-after-exp" in got
    assert all(t.relative is None and t.utc for t in analysis.times)


# ------------------------------------------------------------------------------ display


def test_times_are_shown_in_utc_local_and_relative():
    claims = {
        "iat": NOW - 5 * 60,
        "exp": NOW + 14 * 60,
        "auth_time": NOW - 2 * DAY,
        "updated_at": NOW - 3 * HOUR - 12 * 60,
    }
    times, _ = time_claims(claims, now=NOW, tz=timezone(timedelta(hours=2)))
    by = {t.claim: t for t in times}
    assert set(by) == set(claims)
    assert by["exp"].utc == "2023-11-14T22:27:20Z"
    assert by["exp"].local == "2023-11-15T00:27:20+02:00"
    assert by["exp"].relative == "valid for another 14 min"
    assert by["iat"].relative == "issued 5 min ago"
    assert by["auth_time"].relative == "authenticated 2 days ago"
    assert by["updated_at"].relative == "updated 3 h 12 min ago"
    assert by["exp"].location == "/payload/exp"


def test_local_time_defaults_to_the_machine_zone():
    times, _ = time_claims({"exp": NOW}, now=NOW)
    assert times[0].local is not None
    assert times[0].local.startswith("2023-11-1")
    assert times[0].local[-6] in "+-"


def test_expired_relative_wording():
    assert relative_words("exp", NOW - 3 * HOUR - 12 * 60, NOW) == "expired 3 h 12 min ago"
    assert relative_words("nbf", NOW + 5 * 60, NOW) == "not valid for another 5 min"
    assert relative_words("iat", NOW + 2 * DAY, NOW) == "issued 2 days in the future"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (14 * 60 + 10, "14 min"),
        (3 * HOUR, "3 h"),
        (3 * HOUR + 12 * 60, "3 h 12 min"),
        (DAY, "1 day"),
        (2 * DAY + 5 * HOUR, "2 days 5 h"),
        (40 * DAY + 5 * HOUR, "40 days"),
        (365 * DAY, "1 year"),
        (2 * 365 * DAY + 10 * DAY, "2 years 10 days"),
        (-90, "1 min"),
    ],
)
def test_span_words(seconds, words):
    assert span_words(seconds) == words


def test_span_words_remembered_are_the_words_written_afresh(monkeypatch):
    """The texts kept by key (seconds, minutes, hours or days by range) are those written for
    each span, on both sides of every boundary, however the spans come in."""
    from inspector.core import claims

    spans = [0, 1, 59, 60, 61, 3599, 3600, 3660, DAY - 1, DAY, DAY + 59, DAY + HOUR - 1]
    spans += [DAY + HOUR, 7 * DAY - 1, 7 * DAY, 7 * DAY + HOUR, 365 * DAY - 1, 365 * DAY]
    spans += [365 * DAY + DAY - 1, 365 * DAY + DAY, 3 * 365 * DAY + 100 * DAY + 7 * HOUR]
    spans += [i * 7919 for i in range(20_000)] + [i * 86_351 for i in range(5_000)]
    for order in (spans, spans[::-1]):
        monkeypatch.setattr(claims, "_SPANS", {})
        for s in order:
            assert span_words(s) == claims._span_text(s), s
            assert span_words(-s - 0.4) == claims._span_text(s), s
        assert len(claims._SPANS) <= claims._SPANS_MAX


def test_numeric_date_problem_accepts_ordinary_dates():
    assert numeric_date_problem(0) is None
    assert numeric_date_problem(NOW) is None
    assert numeric_date_problem(NOW + 0.5) is None
    assert numeric_date_problem(float("nan")) is not None
    assert numeric_date_problem(float("inf")) is not None


# ------------------------------------------------------------------------------ aud / iss / jti


@pytest.mark.parametrize(
    ("aud", "expected", "mismatch"),
    [
        ("api://orders", "api://orders", False),
        (["x", "api://orders"], "api://orders", False),
        ("api://billing", "api://orders", True),
        (["x", "y"], "api://orders", True),
        ([], "api://orders", True),
        (42, "api://orders", True),
        (["api://orders", 7], "api://orders", True),
        ("API://ORDERS", "api://orders", True),
    ],
)
def test_aud_mismatch(aud, expected, mismatch):
    claims = {"exp": NOW + 60, "aud": aud}
    assert ("aud-mismatch" in ids(claims, audience=expected)) is mismatch


def test_aud_missing_when_an_audience_is_expected():
    (f,) = found({"exp": NOW + 60}, "aud-mismatch", audience="api://orders")
    assert "no 'aud'" in f.detail


def test_aud_and_iss_are_not_judged_without_expected_values():
    got = ids({"exp": NOW + 60, "aud": "other", "iss": "other"})
    assert not {"aud-mismatch", "iss-mismatch"} & got
    assert not {"aud-mismatch", "iss-mismatch"} & ids(
        {"exp": NOW + 60, "aud": "x"}, audience="", issuer=""
    )


def test_iss_mismatch():
    claims = {"exp": NOW + 60, "iss": "https://evil.example/"}
    (f,) = found(claims, "iss-mismatch", issuer="https://auth.example.com/")
    assert f.location == "/payload/iss"
    assert f.severity == "high"
    assert "iss-mismatch" in ids({"exp": NOW + 60}, issuer="https://auth.example.com/")
    assert "iss-mismatch" not in ids(
        {"exp": NOW + 60, "iss": "https://auth.example.com/"}, issuer="https://auth.example.com/"
    )


def test_missing_jti_is_info():
    (f,) = found({"exp": NOW + 60}, "missing-jti")
    assert f.severity == "info"
    assert "missing-jti" not in ids({"exp": NOW + 60, "jti": "abc"})


def test_non_object_payloads_are_not_judged():
    tok = hs256(CLEAN_HEADER, b"just text")
    got = {f.id for f in inspect_token(tok, now=NOW, audience="a", issuer="b").findings}
    assert not (TIME_IDS | {"aud-mismatch", "iss-mismatch", "missing-jti"}) & got


# ------------------------------------------------------------------------------ never raises

_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=25,
)
_names = st.sampled_from(
    ["exp", "nbf", "iat", "auth_time", "updated_at", "aud", "iss", "jti", "password", "email",
     "kid", "crit", "typ", "alg", "b64", "x"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    header=st.dictionaries(_names, _json, max_size=6),
    claims=st.dictionaries(_names | st.text(max_size=10), _json, max_size=8),
    now=st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.integers(0, 10**11),
    leeway=st.integers(0, 10**6),
)
def test_analysis_never_raises(header, claims, now, leeway):
    parsed = parse_token(hs256(header, claims))
    analysis = analyse_token(
        parsed,
        Verification(),
        now=now,
        leeway=leeway,
        audience="a",
        issuer="i",
        check_weak_secrets=False,
    )
    assert all(f.location is None or f.location.startswith("/") for f in analysis.findings)


@pytest.mark.parametrize(
    ("claims", "audience", "issuer", "fid", "which"),
    [
        (
            {"iss": "https://login.example.org/"},
            None,
            "https://login.example.org",
            "iss",
            "token's",
        ),
        (
            {"iss": "https://login.example.org"},
            None,
            "https://login.example.org/",
            "iss",
            "expected",
        ),
        ({"aud": "https://api.example.org/"}, "https://api.example.org", None, "aud", "token's"),
        ({"aud": ["x", "https://api.example.org"]}, "https://api.example.org/", None, "aud", "exp"),
    ],
)
def test_a_trailing_slash_difference_is_said_so(
    claims: dict, audience: str | None, issuer: str | None, fid: str, which: str
) -> None:
    """Issue 12 item 8: "https://a/" and "https://a" are different issuers to a server
    (exact string comparison); the finding says that this is all that differs."""
    (found,) = [
        f
        for f in audience_issuer(claims, audience=audience, issuer=issuer)
        if f.id == f"{fid}-mismatch"
    ]
    assert "only by a trailing '/'" in found.detail
    assert f"which the {which}" in found.detail
    assert "compared as exact strings" in found.detail


def test_a_real_difference_says_nothing_of_slashes() -> None:
    found = audience_issuer(
        {"iss": "https://evil.example/", "aud": "https://api.example.org/x"},
        audience="https://api.example.org",
        issuer="https://login.example.org",
    )
    details = [f.detail for f in found if f.id in ("iss-mismatch", "aud-mismatch")]
    assert len(details) == 2
    assert not any("trailing" in d for d in details)
    # Equal values (a slash on both sides) are no mismatch at all.
    same = audience_issuer({"iss": "https://a/"}, audience=None, issuer="https://a/")
    assert [f.id for f in same] == ["missing-jti"]
