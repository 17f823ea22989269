"""One catalogue: every finding id comes from it, and each entry explains itself."""

from __future__ import annotations

import re

import pytest

from inspector.core import CATALOGUE, inspect_token
from inspector.core.findings import SEVERITIES, Finding, finding


def test_unknown_ids_are_refused():
    with pytest.raises(ValueError, match="not in the catalogue"):
        finding("made-up-id", "x")
    with pytest.raises(ValueError, match="not in the catalogue"):
        Finding(id="made-up-id", severity="info", title="t", detail="d")


def test_locations_must_be_json_pointers():
    with pytest.raises(ValueError, match="JSON Pointer"):
        finding("expired", "x", "payload/exp")


@pytest.mark.parametrize("spec", list(CATALOGUE.values()), ids=list(CATALOGUE))
def test_every_entry_explains_itself(spec):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.id)
    assert spec.severity in SEVERITIES
    assert spec.title and spec.title[0].isupper()
    assert len(spec.explanation) >= 60, "a paragraph on why it matters and what to do"
    assert re.search(r"RFC \d+|CVE-\d{4}-\d+|OpenID|NIST|PCI|SEC 1|GDPR", spec.reference)


def test_findings_are_sorted_most_severe_first():
    tok = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwic3ViIjoiYiJ9."
    sev = [f.severity for f in inspect_token(tok, now=0).findings]
    assert sev == sorted(sev, key=SEVERITIES.index)
