"""The words module (:mod:`inspector.presentation`): every outcome worded, the codec's limits
agreed with, nothing heavy imported, and no front end choosing a verdict from finding ids."""

from __future__ import annotations

import pathlib
import subprocess
import sys
from typing import NamedTuple

import pytest

from inspector.core import parsing
from inspector.core.outcome import OUTCOME_STATUSES, Outcome
from inspector.presentation import (
    COOKIE_LIMIT,
    ENCODING_NAMES,
    HEADER_LIMIT,
    HEADLINES,
    REJECTIONS,
    SESSION_ID_BYTES,
    SEVERITIES,
    SEVERITY_STATUS,
    findings_summary,
    size_text,
    size_words,
    time_words,
    verdict,
    verdict_lines,
)

ROOT = pathlib.Path(__file__).resolve().parents[1]


class _V(NamedTuple):
    status: str
    outcome: str
    algorithm: str | None = "HS256"
    key: str | None = "256-bit shared secret (utf-8)"
    reason: str = "Why, in a sentence."


class _F(NamedTuple):
    severity: str


def test_every_outcome_has_its_own_headline() -> None:
    assert set(HEADLINES) == {o.value for o in Outcome}
    assert len(set(HEADLINES.values())) == len(HEADLINES)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_headline_colour_and_words_agree(outcome: Outcome) -> None:
    """A headline never says "verified" unless the outcome is; "Invalid" only when invalid."""
    for status in OUTCOME_STATUSES[outcome]:
        words = verdict(_V(status, outcome))
        assert words.status == status
        assert ("verified" in words.headline.lower()) == (outcome is Outcome.VERIFIED)
        assert words.headline.startswith("Invalid") == (status == "invalid")


def test_verdict_details() -> None:
    ok = verdict(_V("valid", Outcome.VERIFIED))
    assert ok == ("valid", "Signature verified", "HS256 with 256-bit shared secret (utf-8)", None)
    error = verdict(_V("error", Outcome.KEY_UNREADABLE, key="SPKI PEM"))
    assert error == ("error", "Key error: Why, in a sentence.", "SPKI PEM", None)
    assert verdict(_V("unchecked", Outcome.MALFORMED)).headline == "Not checked: incomplete token"
    assert verdict(_V("invalid", Outcome.MALFORMED)).headline == (
        "Invalid token: incomplete or malformed"
    )
    assert verdict(_V("unchecked", Outcome.NO_KEY)).headline == "Not checked: enter a key"
    assert verdict(_V("unchecked", Outcome.NO_KEY), has_key=True).headline == "Not checked"


def test_an_unknown_outcome_is_worded_by_its_status() -> None:
    assert verdict(_V("invalid", "from-a-newer-codec")).headline == "Invalid"
    assert verdict(_V("valid", "from-a-newer-codec")).headline == "Signature verified"


def test_verdict_lines_for_a_text_report() -> None:
    assert verdict_lines(_V("invalid", Outcome.BAD_SIGNATURE)) == (
        "Invalid signature",
        "Why, in a sentence.",
        "Key: 256-bit shared secret (utf-8)",
    )
    # The reason is said once: the key error's headline already holds it.
    assert verdict_lines(_V("error", Outcome.KEY_UNREADABLE, key=None)) == (
        "Key error: Why, in a sentence.",
    )


def test_the_limits_are_the_codecs() -> None:
    assert (COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES) == (
        parsing.COOKIE_LIMIT,
        parsing.HEADER_LIMIT,
        parsing.SESSION_ID_BYTES,
    )


def test_size_texts() -> None:
    assert size_text(0) == "No token"
    assert size_text(237) == "Token: 237 bytes, 7.4× a 32-byte session id"
    assert (
        size_words(5000)
        == "5,000 bytes, 156.2× a 32-byte session id · over the 4,096-byte cookie limit"
    )
    assert size_words(9000).endswith(" · over the 8,192-byte HTTP header limit")
    assert size_text(100, (50, 80, 10)) == (
        "Token: 100 bytes, 10.0× a 10-byte session id · over the 80-byte HTTP header limit"
    )


def test_time_words() -> None:
    assert time_words(
        "2024-05-20T21:03:42Z", "2024-05-20T23:03:42+02:00", "expired 3 days ago"
    ) == ("2024-05-20T21:03:42Z, 2024-05-20 23:03 local, expired 3 days ago")
    assert time_words(None, None, "in 5 minutes") == "in 5 minutes"


def test_findings_summary() -> None:
    assert findings_summary([]) == "No findings"
    assert findings_summary([_F("high")]) == "1 finding: 1 high"
    found = [_F("high"), _F("low"), _F("info"), _F("info")]
    assert findings_summary(found) == "4 findings: 1 high, 1 low, 2 info"


def test_importing_it_loads_neither_the_codec_nor_qt() -> None:
    """The window's first frame words its verdict while the codec is imported elsewhere."""
    code = (
        "import sys, inspector.presentation\n"
        "bad = [m for m in sys.modules if m.startswith(('inspector.core', 'PySide6', "
        "'cryptography'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


@pytest.mark.parametrize("front_end", ["ui", "cli"])
def test_no_front_end_chooses_a_verdict_from_finding_ids(front_end: str) -> None:
    """Verdicts follow ``Verification.outcome``; the ids of verification's findings (which
    explain, not decide) appear nowhere in the window's or the CLI's code."""
    deciding = ("invalid-signature", "key-alg-mismatch", "key-use-mismatch", "no-matching-key",
                "key-confusion", "finding_ids", "KEY_MISFIT")  # fmt: skip
    for path in sorted((ROOT / "inspector" / front_end).glob("*.py")):
        text = path.read_text(encoding="utf-8")
        used = [word for word in deciding if word in text]
        assert not used, f"{path.name} mentions {used}"


# ------------------------------------------------------------ one honest headline (issue 12)
class _Found(NamedTuple):
    id: str
    severity: str


def test_the_encodings_are_named_as_the_codec_names_them() -> None:
    from inspector.core.options import SECRET_ENCODINGS
    from inspector.core.verification import ENCODING_WORDS

    assert ENCODING_NAMES == dict(ENCODING_WORDS)
    assert set(ENCODING_NAMES) == set(SECRET_ENCODINGS)


def test_every_rejection_is_a_catalogue_finding() -> None:
    from inspector.core.findings import CATALOGUE
    from inspector.core.findings import SEVERITIES as CORE_SEVERITIES

    assert set(REJECTIONS) <= set(CATALOGUE)
    assert SEVERITIES == CORE_SEVERITIES
    # Only findings a server acts on: their catalogue severity darkens the banner.
    assert all(CATALOGUE[i].severity in SEVERITY_STATUS for i in REJECTIONS)


def test_a_verified_signature_with_a_rejection_says_both() -> None:
    ok = _V("valid", Outcome.VERIFIED)
    words = verdict(ok, findings=[_Found("missing-jti", "info"), _Found("expired", "high")])
    assert words.headline == "Signature verified \u2013 but the token is expired"
    assert words.status == "invalid"  # the worse of the two
    assert words.detail == "HS256 with 256-bit shared secret (utf-8)"
    medium = verdict(ok, findings=[_Found("certificate-expired", "medium")])
    assert medium.headline.endswith("but the key's certificate has expired")
    assert medium.status == "error"
    # Findings that explain but do not make a server reject leave the success alone.
    plain = verdict(ok, findings=[_Found("missing-jti", "info"), _Found("jku-header", "high")])
    assert plain == verdict(ok)
    assert plain.headline == "Signature verified"
    assert plain.status == "valid"


def test_several_rejections_are_named_most_severe_first_then_counted() -> None:
    ok = _V("valid", Outcome.VERIFIED)
    two = [_Found("aud-mismatch", "high"), _Found("weak-secret", "critical")]
    assert verdict(ok, findings=two).headline == (
        "Signature verified \u2013 but the secret is guessable (anyone can sign) and "
        "the audience does not match"
    )
    four = [
        *two,
        _Found("expired", "high"),
        _Found("expired", "high"),
        _Found("iss-mismatch", "high"),
    ]
    assert verdict(ok, findings=four).headline == (
        "Signature verified \u2013 but the secret is guessable (anyone can sign) and 3 more "
        "problems"
    )
    assert verdict_lines(ok, four)[0] == verdict(ok, findings=four).headline


def test_rejections_qualify_only_a_verified_signature() -> None:
    """An invalid or unchecked verdict already says the token is not to be trusted; its
    headline stays as the outcome words it."""
    expired = [_Found("expired", "high")]
    for outcome in Outcome:
        if outcome is Outcome.VERIFIED:
            continue
        for status in OUTCOME_STATUSES[outcome]:
            assert verdict(_V(status, outcome), findings=expired) == verdict(_V(status, outcome))


def test_the_encoding_hint_is_worded_and_offered_only_for_a_bad_signature() -> None:
    class _H(NamedTuple):
        status: str
        outcome: str
        secret_encoding_hint: str | None
        algorithm: str | None = "HS256"
        key: str | None = "256-bit shared secret (utf-8)"
        reason: str = "Why."

    words = verdict(_H("invalid", "bad-signature", "base64url"))
    assert words == ("invalid", "Invalid signature: the secret is base64url", "Why.", "base64url")
    assert verdict(_H("invalid", "bad-signature", None)).secret_encoding == None  # noqa: E711
    # A hint on any other outcome (a newer codec, a hostile pickle) is not offered.
    assert verdict(_H("invalid", "key-misfit", "hex")).secret_encoding is None
    assert verdict(_H("invalid", "bad-signature", "rot13")).secret_encoding is None


# Real inspections, one per rejection reason: the codec makes the findings, this module
# words them. The signature verifies in every one.
_SECRET = "Vq3m9Zr1xT7cKp4LwN8bYh2sJd6fGa0eRu5tQiOyMvXzClPk"
_NOW = 1_750_000_000


def _hs(claims: dict, secret: str = _SECRET) -> str:
    """Signed by hand (PyJWT refuses an empty secret and warns about short ones)."""
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    si = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps(claims).encode())
    return f"{si}.{b64(hmac.new(secret.encode(), si.encode(), hashlib.sha256).digest())}"


def _rejected_cases() -> dict[str, tuple[str, dict]]:
    """id -> (token, inspect_token keywords)."""
    import datetime
    import warnings

    import jwt

    from tests.core import keyfactory as kf

    base = {"sub": "1", "jti": "j", "iat": _NOW - 60, "exp": _NOW + 600}
    rsa1024 = kf.rsa_key(1024)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weak_rsa = jwt.encode(base, rsa1024, algorithm="RS256")
    ec = kf.ec_key("ES256")
    es = jwt.encode(base, ec, algorithm="ES256")
    at = datetime.datetime.fromtimestamp(_NOW, datetime.UTC)
    day = datetime.timedelta(days=1)
    return {
        "expired": (_hs({**base, "exp": _NOW - 60}), {"key": _SECRET}),
        "not-yet-valid": (_hs({**base, "nbf": _NOW + 600}), {"key": _SECRET}),
        "nbf-after-exp": (
            _hs({**base, "nbf": _NOW - 10, "exp": _NOW - 20}),
            {"key": _SECRET, "leeway": 60},
        ),
        "issued-in-future": (_hs({**base, "iat": _NOW + 3600}), {"key": _SECRET}),
        "aud-mismatch": (_hs({**base, "aud": "a"}), {"key": _SECRET, "audience": "b"}),
        "iss-mismatch": (
            _hs({**base, "iss": "https://a.example/"}),
            {"key": _SECRET, "issuer": "https://a.example"},
        ),
        "weak-secret": (
            _hs(base, "your-256-bit-secret"),
            {"key": "your-256-bit-secret"},
        ),
        "short-hmac-secret": (_hs(base, "Zq8#kLm2pR"), {"key": "Zq8#kLm2pR"}),
        "weak-rsa-key": (weak_rsa, {"key": kf.public_pem(rsa1024)}),
        "certificate-key-usage": (
            es,
            {"key": kf.certificate_with(ec, not_before=at - day, days=30, digital_signature=False)},
        ),
        "certificate-expired": (
            es,
            {"key": kf.certificate_with(ec, not_before=at - 40 * day, days=30)},
        ),
        "certificate-not-yet-valid": (
            es,
            {"key": kf.certificate_with(ec, not_before=at + day, days=30)},
        ),
    }


REJECTED = _rejected_cases()


@pytest.mark.parametrize("finding_id", list(REJECTED))
def test_every_reject_reason_in_a_real_inspection(finding_id: str) -> None:
    from inspector.core import inspect_token
    from inspector.core.findings import CATALOGUE

    token, kwargs = REJECTED[finding_id]
    inspection = inspect_token(token, now=_NOW, **kwargs)
    v = inspection.verification
    assert v.outcome is Outcome.VERIFIED, v.reason
    found = [f.id for f in inspection.findings]
    assert finding_id in found
    words = verdict(v, findings=inspection.findings)
    assert words.headline.startswith("Signature verified \u2013 but ")
    assert REJECTIONS[finding_id] in words.headline
    worst = min(
        (f for f in inspection.findings if f.id in REJECTIONS),
        key=lambda f: SEVERITIES.index(f.severity),
    )
    assert words.status == SEVERITY_STATUS[worst.severity] != "valid"
    assert CATALOGUE[finding_id].severity in SEVERITY_STATUS
    # The CLI's verdict line is the same sentence.
    assert verdict_lines(v, inspection.findings)[0] == words.headline


def test_every_rejection_has_a_real_case_or_is_never_verified() -> None:
    """alg none and an empty secret never verify, so they never qualify a success; every
    other rejection is exercised above."""
    from inspector.core import inspect_token

    assert set(REJECTIONS) - set(REJECTED) == {"alg-none", "empty-secret"}
    unsecured = inspect_token("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", key=_SECRET, now=_NOW)
    assert unsecured.verification.outcome is Outcome.UNSECURED
    empty = inspect_token(_hs({"sub": "1"}, ""), key="=", secret_encoding="base64", now=_NOW)
    assert empty.verification.status == "invalid"
    for ins in (unsecured, empty):
        headline = verdict(ins.verification, findings=ins.findings).headline
        assert not headline.startswith("Signature verified")


def test_the_trailing_slash_issuer_is_said_so() -> None:
    token, kwargs = REJECTED["iss-mismatch"]
    from inspector.core import inspect_token

    (iss,) = [
        f for f in inspect_token(token, now=_NOW, **kwargs).findings if f.id == "iss-mismatch"
    ]
    assert "differ only by a trailing '/'" in iss.detail
