"""One catalogue: every finding id comes from it, and each entry explains itself."""

from __future__ import annotations

import re

import pytest

from inspector.core import CATALOGUE, inspect_token
from inspector.core.findings import SEVERITIES, Finding, finding
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, hs256


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
    assert spec.title
    assert spec.title[0].isupper()
    assert len(spec.explanation) >= 60, "a paragraph on why it matters and what to do"
    assert re.search(r"RFC \d+|CVE-\d{4}-\d+|OpenID|NIST|PCI|SEC 1|GDPR", spec.reference)


def test_findings_are_sorted_most_severe_first():
    tok = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIiwic3ViIjoiYiJ9."
    sev = [f.severity for f in inspect_token(tok, now=0).findings]
    assert sev == sorted(sev, key=SEVERITIES.index)


# ---------------------------------------------------------------- analysis ids (issue 4)
# Each analysis id fires on a token crafted for it and not on the clean control.

_NOW = CLEAN_NOW
_CLEAN_HEADER = CLEAN_HEADER
_CLEAN = CLEAN_CLAIMS
_STRONG = STRONG_SECRET


def _tok(header=None, claims=None, secret=_STRONG, drop=()):
    c = {k: v for k, v in {**_CLEAN, **(claims or {})}.items() if k not in drop}
    return hs256({**_CLEAN_HEADER, **(header or {})}, c, secret)


_CASES = {
    "expired": ({"claims": {"exp": _NOW - 10}}, {}),
    "not-yet-valid": ({"claims": {"nbf": _NOW + 600}}, {}),
    "issued-in-future": ({"claims": {"iat": _NOW + 600}}, {}),
    "nbf-after-exp": ({"claims": {"nbf": 1_800_001_000}}, {}),
    "missing-exp": ({"drop": ("exp",)}, {}),
    "long-lifetime": ({"claims": {"exp": 1_800_000_000 + 40 * 86400}}, {}),
    "bad-time-claim": ({"claims": {"iat": "yesterday"}}, {}),
    "aud-mismatch": ({}, {"audience": "api://billing"}),
    "iss-mismatch": ({}, {"issuer": "https://evil.example/"}),
    "missing-jti": ({"drop": ("jti",)}, {}),
    "sensitive-claim": ({"claims": {"client_secret": "s3cr3t-value"}}, {}),
    "pii-claim": ({"claims": {"email": "jane@example.com"}}, {}),
    "sensitive-value": ({"claims": {"note": "4111 1111 1111 1111"}}, {}),
    "nested-token": ({"claims": {"id_token": "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."}}, {}),
    "alg-none": ({"header": {"alg": "NoNe"}}, {}),
    "kid-injection": ({"header": {"kid": "../../../dev/null"}}, {}),
    "crit-header": ({"header": {"crit": ["x-ext"], "x-ext": 1}}, {}),
    "b64-false": ({"header": {"b64": False, "crit": ["b64"]}}, {}),
    "deprecated-alg-name": ({"header": {"alg": "EdDSA"}}, {}),
    "typ-mismatch": ({"header": {"typ": "at+jwt"}}, {}),
    "weak-secret": ({"secret": b"your-256-bit-secret"}, {}),
}
_EXPECTED = {"audience": "api://orders", "issuer": "https://auth.example.com/"}


def test_clean_control_raises_no_analysis_id():
    got = {f.id for f in inspect_token(_tok(), now=_NOW, **_EXPECTED).findings}
    assert not got & set(_CASES)


@pytest.mark.parametrize("fid", list(_CASES))
def test_each_analysis_id_fires_on_its_crafted_token(fid):
    assert fid in CATALOGUE
    crafted, options = _CASES[fid]
    got = {
        f.id for f in inspect_token(_tok(**crafted), now=_NOW, **{**_EXPECTED, **options}).findings
    }
    assert fid in got
