"""RFC 7515 A.1-A.5 and RFC 8037 compact tokens decode to the RFCs' header and payload."""

from __future__ import annotations

import base64
import json

import pytest

from inspector.core import parse_token
from tests.conftest import VECTORS, load_vector_json

pytestmark = pytest.mark.vectors


def _b64d(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _compact_cases():
    path = VECTORS / "rfc-examples" / "rfc7515_7519_8037_examples.json"
    if not path.is_file():  # the `vectors` fixture skips (or fails under CI) with the reason
        return [pytest.param(None, id="vectors-missing")]
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [pytest.param(c, id=c["id"]) for c in doc["cases"] if c["serialization"] == "compact"]


@pytest.mark.parametrize("case", _compact_cases())
def test_rfc_compact_token_decodes_to_the_rfc_values(case, vectors):
    assert case is not None
    tok = case["jws"]
    h, p, s = tok.split(".")
    parsed = parse_token(tok)
    assert parsed.token == tok
    assert parsed.unverified_header == json.loads(_b64d(h))
    raw_payload = _b64d(p)
    try:
        expected_payload = json.loads(raw_payload)
    except ValueError:
        expected_payload = raw_payload.decode()
    assert parsed.unverified_payload == expected_payload
    assert parsed.signature == _b64d(s)
    assert parsed.format == ("unsecured" if case["alg"] == "none" else "jws")


def test_the_rfc_cases_are_all_there(vectors):
    doc = load_vector_json("rfc-examples/rfc7515_7519_8037_examples.json")
    compact = {c["id"] for c in doc["cases"] if c["serialization"] == "compact"}
    assert {
        "rfc7515-A.1",
        "rfc7515-A.2",
        "rfc7515-A.3",
        "rfc7515-A.4",
        "rfc7515-A.5",
        "rfc8037-A.4",
    } <= compact


def test_rfc7515_a4_payload_is_text():
    tok = load_vector_json("rfc-examples/rfc7515_7519_8037_examples.json")["cases"][3]["jws"]
    parsed = parse_token(tok)
    assert parsed.unverified_header == {"alg": "ES512"}
    assert parsed.unverified_payload == "Payload"
    assert len(parsed.signature or b"") == 132


def test_rfc8037_ed25519_example_payload():
    case = next(
        c
        for c in load_vector_json("rfc-examples/rfc7515_7519_8037_examples.json")["cases"]
        if c["id"] == "rfc8037-A.4"
    )
    parsed = parse_token(case["jws"])
    assert parsed.unverified_header == {"alg": "EdDSA"}
    assert parsed.unverified_payload == "Example of Ed25519 signing"


@pytest.mark.parametrize("case_id", ["rfc7515-A.6", "rfc7515-A.7"])
def test_jws_json_serialization_is_inspected_as_compact(case_id, vectors):
    from inspector.core import inspect_token

    doc = load_vector_json("rfc-examples/rfc7515_7519_8037_examples.json")
    case = next(c for c in doc["cases"] if c["id"] == case_id)
    text = json.dumps(case["jws"], indent=2)
    key = json.dumps(case.get("key") or next(iter(case["keys"].values())))
    inspection = inspect_token(text, key)
    assert inspection.verification.status == "valid", inspection.verification.reason
    first = case["jws"].get("signatures", [case["jws"]])[0]
    spans = {s.name: text[s.start : s.end] for s in inspection.parsed.segments}
    assert spans == {
        "header": first["protected"],
        "payload": case["jws"]["payload"],
        "signature": first["signature"],
    }
    cleaned = next(f for f in inspection.findings if f.id == "input-cleaned")
    assert "JWS JSON serialization" in cleaned.detail
