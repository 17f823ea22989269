"""JWS JSON serialization by RFC 7515 §7.2 (issue 10, item 4): the unprotected header is
carried, shown and checked, and never decides anything; a serialization that breaks the RFC's
rules is never ``valid``, whatever its signature says."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

from inspector.core import inspect_token, parse_token
from inspector.core.parsing import JWS_JSON_NOT_AS_SIGNED
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_NOW, STRONG_SECRET, b64, segment

SECRET = STRONG_SECRET.decode()
ATTACKER = b"attacker-chosen-secret-0123456789abcdef"


def _sign(protected: dict[str, Any], payload: Any = CLEAN_CLAIMS, secret: bytes = STRONG_SECRET):
    p, pl = segment(protected), segment(payload)
    sig = hmac.new(secret, f"{p}.{pl}".encode(), hashlib.sha256).digest()
    return p, pl, b64(sig)


def flattened(header: Any = None, protected: dict[str, Any] | None = None, **extra: Any) -> str:
    p, pl, sig = _sign({"alg": "HS256"} if protected is None else protected)
    doc: dict[str, Any] = {"payload": pl, "protected": p, "signature": sig}
    if header is not None:
        doc["header"] = header
    doc.update(extra)
    return json.dumps(doc)


def general(*signatures: dict[str, Any], payload: str | None = None, **extra: Any) -> str:
    pl = payload if payload is not None else segment(CLEAN_CLAIMS)
    return json.dumps({"payload": pl, "signatures": list(signatures), **extra})


def sig_entry(protected: dict[str, Any], secret: bytes = STRONG_SECRET, **extra: Any):
    p, _, sig = _sign(protected, secret=secret)
    return {"protected": p, "signature": sig, **extra}


def inspect(text: str, key: str | None = SECRET):
    return inspect_token(text, key, now=CLEAN_NOW, check_weak_secrets=False)


def ids(inspection) -> set[str]:
    return {f.id for f in inspection.findings}


def test_issue_reproducer_alg_none_and_crit_unprotected_is_not_valid():
    """The literal case from issue 10: valid, with only an input-cleaned note, before."""
    text = flattened({"alg": "none", "crit": ["exp"]})
    got = inspect(text)
    assert got.verification.status != "valid"
    assert "not valid as pasted" in got.verification.reason
    assert {
        "jws-json-header-duplicate",
        "jws-json-unprotected-crit",
        "jws-json-unprotected-alg",
    } <= ids(got)
    # The unprotected 'none' decided nothing: the protected HS256 was the algorithm checked.
    assert got.verification.algorithm == "HS256"
    assert "alg-none" not in ids(got)


def test_the_same_token_without_unprotected_header_is_valid():
    """The control: the signature itself is good, so only the JSON rules make it invalid."""
    got = inspect(flattened())
    assert got.verification.status == "valid"
    assert not ids(got) & set(JWS_JSON_NOT_AS_SIGNED)


@pytest.mark.parametrize("name", ["alg", "kid", "typ", "x-custom"])
def test_a_name_in_both_headers_is_an_error(name):
    protected = {"alg": "HS256", "kid": "k1", "typ": "JWT", "x-custom": 1}
    got = inspect(flattened({name: "other"}, protected=protected))
    dup = [f for f in got.findings if f.id == "jws-json-header-duplicate"]
    assert len(dup) == 1
    assert dup[0].severity == "error"
    assert dup[0].location == f"/header/{name}"
    assert "'other'" in dup[0].detail
    assert got.verification.status == "invalid"
    assert "both its protected and its unprotected header" in got.verification.reason


@pytest.mark.parametrize(
    ("header", "listed"),
    [
        ({"crit": ["exp"]}, "crit"),
        ({"b64": False}, "b64"),
        ({"b64": True}, "b64"),
        ({"crit": ["b64"], "b64": False}, "crit"),
    ],
)
def test_crit_and_b64_must_be_protected(header, listed):
    got = inspect(flattened(header))
    found = [f for f in got.findings if f.id == "jws-json-unprotected-crit"]
    assert found
    assert any(f"'{listed}'" in f.detail for f in found)
    assert got.verification.status == "invalid"
    assert "unprotected header" in got.verification.reason


def test_unprotected_b64_false_does_not_change_how_the_payload_is_read():
    """'b64' from the unprotected header is never used: the payload is still base64url."""
    got = inspect(flattened({"b64": False}))
    assert got.parsed.claims == CLEAN_CLAIMS


def test_alg_only_in_the_unprotected_header_cannot_verify_and_says_why():
    p, pl, _ = _sign({"typ": "JWT"})
    sig = b64(hmac.new(STRONG_SECRET, f"{p}.{pl}".encode(), hashlib.sha256).digest())
    text = json.dumps({"payload": pl, "protected": p, "signature": sig, "header": {"alg": "HS256"}})
    got = inspect(text)
    assert got.verification.status != "valid"
    missing = next(f for f in got.findings if f.id == "missing-alg")
    assert "unprotected" in missing.detail
    assert "cannot be checked" in missing.detail
    alg = next(f for f in got.findings if f.id == "jws-json-unprotected-alg")
    assert "names no algorithm" in alg.detail
    assert got.parsed.alg is None  # the unprotected 'alg' is not the token's algorithm


@pytest.mark.parametrize(
    ("value", "kind"),
    [(["alg", "none"], "an array"), ("alg", "the string"), (None, "null"), (7, "the number")],
)
def test_an_unprotected_header_that_is_not_an_object(value, kind):
    p, pl, sig = _sign({"alg": "HS256"})
    text = json.dumps({"payload": pl, "protected": p, "signature": sig, "header": value})
    got = inspect(text)
    bad = next(f for f in got.findings if f.id == "jws-json-header-not-object")
    assert kind in bad.detail
    assert got.parsed.unprotected_header is None
    assert got.verification.status == "invalid"


@pytest.mark.parametrize(
    ("name", "fid"),
    [("jwk", "embedded-jwk"), ("jku", "jku-header"), ("x5u", "x5u-header"), ("x5c", "x5c-header")],
)
def test_token_carried_keys_in_the_unprotected_header_are_reported_and_never_used(name, fid):
    """Signed with the attacker's secret, carrying the attacker's key unprotected: the key the
    user entered decides, and the carried key is reported."""
    attacker_jwk = {"kty": "oct", "k": base64.urlsafe_b64encode(ATTACKER).decode().rstrip("=")}
    value = {
        "jwk": attacker_jwk,
        "jku": "https://attacker.example/jwks",
        "x5u": "https://attacker.example/cert.pem",
        "x5c": ["MIIB"],
    }[name]
    p, pl, sig = _sign({"alg": "HS256"}, secret=ATTACKER)
    text = json.dumps({"payload": pl, "protected": p, "signature": sig, "header": {name: value}})
    got = inspect(text)
    assert got.verification.status == "invalid"
    carried = next(f for f in got.findings if f.id == fid)
    assert "unprotected header" in carried.detail
    # With the attacker's own secret it verifies: the carried key changed nothing either way.
    assert inspect(text, ATTACKER.decode()).verification.status == "valid"


def test_a_huge_unprotected_header_is_read_and_cut_in_the_details():
    huge = "select " * 150_000  # about 1 MB
    got = inspect(flattened({"alg": "none", "kid": huge}))
    assert "jws-json-header-duplicate" in ids(got)
    assert all(len(f.detail) < 1000 for f in got.findings)
    assert got.parsed.unprotected_header is not None
    assert got.parsed.unprotected_header["kid"] == huge


def test_the_unprotected_header_is_carried_read_only():
    parsed = parse_token(flattened({"kid": "k1"}))
    assert parsed.unprotected_header == {"kid": "k1"}
    with pytest.raises(TypeError):
        parsed.unprotected_header["alg"] = "none"  # type: ignore[index]
    assert parse_token(flattened()).unprotected_header is None
    compact = ".".join(_sign({"alg": "HS256"}))
    assert parse_token(compact).unprotected_header is None


def test_a_kid_in_the_unprotected_header_alone_is_fine():
    got = inspect(flattened({"kid": "2024-05"}))
    assert got.verification.status == "valid"
    assert not {f.id for f in got.findings if f.id.startswith("jws-json")}


# ----------------------------------------------------------- the general serialization


def test_several_signatures_each_is_verified_and_the_verdict_lists_them():
    first = sig_entry({"alg": "HS256", "kid": "a"})
    forged = sig_entry({"alg": "HS256", "kid": "b"}, secret=ATTACKER)
    got = inspect(general(first, forged))
    assert got.verification.status == "valid"
    several = next(f for f in got.findings if f.id == "jws-json-signatures")
    assert "2 signatures" in several.detail
    assert "each signature is verified" in several.detail
    reason = got.verification.reason
    assert "Of its 2 signatures, 1 verified" in reason
    assert "signature 1 (HS256, kid 'a'): verified with" in reason
    assert "signature 2 (HS256, kid 'b'): invalid" in reason


def test_a_jwk_set_verifies_each_signature_with_the_key_its_kid_names():
    other = b"second-signer-secret-0123456789abcdefgh"
    entries = general(
        sig_entry({"alg": "HS256", "kid": "a"}), sig_entry({"alg": "HS256", "kid": "b"}, other)
    )
    jwks = json.dumps(
        {
            "keys": [
                {"kty": "oct", "kid": "a", "k": b64(STRONG_SECRET)},
                {"kty": "oct", "kid": "b", "k": b64(other)},
            ]
        }
    )
    reason = inspect(entries, jwks).verification.reason
    assert "Of its 2 signatures, 2 verified" in reason
    assert "signature 2 (HS256, kid 'b'): verified with" in reason
    # Without key b in the set the second is not verified, whatever it claims.
    only_a = json.dumps({"keys": [{"kty": "oct", "kid": "a", "k": b64(STRONG_SECRET)}]})
    reason = inspect(entries, only_a).verification.reason
    assert "Of its 2 signatures, 1 verified" in reason


def test_a_good_second_signature_does_not_rescue_a_forged_first():
    forged = sig_entry({"alg": "HS256", "kid": "a"}, secret=ATTACKER)
    good = sig_entry({"alg": "HS256", "kid": "b"})
    got = inspect(general(forged, good))
    assert got.verification.status == "invalid"
    assert "jws-json-signatures" in ids(got)


def test_one_signature_in_the_general_form_is_not_reported_as_several():
    got = inspect(general(sig_entry({"alg": "HS256"})))
    assert got.verification.status == "valid"
    assert "jws-json-signatures" not in ids(got)


def test_the_general_form_checks_the_first_signatures_unprotected_header():
    entry = sig_entry({"alg": "HS256"}, header={"alg": "none"})
    got = inspect(general(entry))
    assert "jws-json-header-duplicate" in ids(got)
    assert got.verification.status == "invalid"


def test_general_and_flattened_members_together_are_an_error():
    entry = sig_entry({"alg": "HS256"})
    p, _, sig = _sign({"alg": "none"})
    got = inspect(general(entry, protected=p, signature=sig))
    mixed = next(f for f in got.findings if f.id == "jws-json-mixed")
    assert "'protected'" in mixed.detail
    assert got.verification.status == "invalid"


def test_every_reason_names_a_catalogued_error():
    from inspector.core.findings import CATALOGUE

    for fid in JWS_JSON_NOT_AS_SIGNED:
        assert CATALOGUE[fid].severity == "error"
