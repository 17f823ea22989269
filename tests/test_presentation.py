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
    HEADER_LIMIT,
    HEADLINES,
    SESSION_ID_BYTES,
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
    assert ok == ("valid", "Signature verified", "HS256 with 256-bit shared secret (utf-8)")
    error = verdict(_V("error", Outcome.KEY_UNREADABLE, key="SPKI PEM"))
    assert error == ("error", "Key error: Why, in a sentence.", "SPKI PEM")
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
