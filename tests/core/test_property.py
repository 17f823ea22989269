"""Hypothesis: no text makes the facade raise, and its dict always survives json.dumps."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core import CATALOGUE, inspect_token
from tests.core.tokens import CLEAN_NOW, b64, clean_token

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str, key: str | None = None) -> None:
    inspection = inspect_token(text, key, now=CLEAN_NOW, check_weak_secrets=False)
    d = inspection.to_dict()
    json.dumps(d)
    assert {f["id"] for f in d["findings"]} <= set(CATALOGUE)
    for seg in d["segments"]:
        assert 0 <= seg["start"] <= seg["end"] <= len(text)


@SETTINGS
@given(st.text())
def test_arbitrary_text_never_raises(text):
    _check(text)


_TOKENISH = st.text(alphabet="eyJAZaz09-_+/=.%\n \"'{}:;,&?#", max_size=200)


@SETTINGS
@given(_TOKENISH)
def test_token_shaped_text_never_raises(text):
    _check(text)
    _check("Bearer " + text)


@SETTINGS
@given(
    st.binary(max_size=300),
    st.binary(max_size=300),
    st.binary(max_size=80),
    st.sampled_from([0, 1, 2]),
)
def test_well_formed_tokens_with_arbitrary_bytes_never_raise(header, payload, sig, which):
    parts = [b64(header), b64(payload), b64(sig)]
    if which == 0:
        parts[0] = b64(
            b'{"alg":"HS256","x":' + json.dumps(header.decode("latin-1")).encode() + b"}"
        )
    _check(".".join(parts))
    _check(".".join(parts), key="some secret")


@SETTINGS
@given(st.integers(min_value=0, max_value=200), st.characters())
def test_one_character_changed_anywhere_never_raises(pos, char):
    tok = clean_token()
    pos = min(pos, len(tok) - 1)
    _check(tok[:pos] + char + tok[pos + 1 :])


@SETTINGS
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_arbitrary_json_claims_never_raise(claims):
    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    payload = b64(json.dumps({"c": claims}, allow_nan=True).encode())
    _check(f"{header}.{payload}.{b64(b'x' * 32)}")


# ---------------------------------------------------------------- hostile shapes (issue 10)
#: Literals from the codec's patterns (cleaning, lints, sensitive): repeated, each once made
#: a search quadratic or would if written the obvious way (tests/core/hostile.py times them).
_HOSTILE_UNITS = (
    "a", "1", ".", "-", "=", "%", " ", "\n", "a.", "a-", "a=", "%2E", "a%2E", "%20eyJ", "/eyJ",
    "eyJ.", "eyJa.", "eyJ-", "e30.", "bearer ", "authorization: ", "cookie:", "#access_token=",
    "select ", "select from ", "or a=", "..", "%2e%2e", "--", "$2a$10$", "$y$a$", "{SSHA}",
    "-----BEGIN ", "sk-", "ya29.", "SG.a.", "xoxb-", "a://b:", "1 ", "1-", "AA11 ", "\\ud800",
)  # fmt: skip
_HOSTILE_RUN = st.builds(
    lambda units, n: "".join(units) * n,
    st.lists(st.sampled_from(_HOSTILE_UNITS), min_size=1, max_size=3),
    st.integers(min_value=1, max_value=400),
)
_PLACES = (
    lambda run, tok: run,
    lambda run, tok: run + " " + tok,
    lambda run, tok: tok + " " + run,
    lambda run, tok: run + tok,
    lambda run, tok: "Bearer " + run + tok,
    lambda run, tok: run.replace(".", "%2E") + tok.replace(".", "%2E"),
)


@SETTINGS
@given(_HOSTILE_RUN, st.sampled_from(range(len(_PLACES))))
def test_hostile_runs_around_a_token_never_raise(run, place):
    _check(_PLACES[place](run, clean_token()))


@SETTINGS
@given(_HOSTILE_RUN, st.sampled_from(["kid", "typ", "crit", "jku", "note"]))
def test_hostile_runs_in_a_header_or_claim_never_raise(run, where):
    from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, hs256

    if where == "note":
        _check(hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "note": run, run[:50]: run}))
    else:
        _check(hs256({**CLEAN_HEADER, where: run}, CLEAN_CLAIMS), key="some secret")


# ---------------------------------------------------------------- JWS JSON serialization
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)
_HEADER_NAMES = st.sampled_from(["alg", "crit", "b64", "kid", "jwk", "jku", "x5u", "x5c", "typ"])
_UNPROTECTED = (
    st.dictionaries(_HEADER_NAMES | st.text(max_size=5), _JSON, max_size=5)
    | _JSON
    | st.just(_MISSING := object())
)


@SETTINGS
@given(_UNPROTECTED, st.integers(min_value=1, max_value=3), st.booleans(), st.booleans())
def test_a_jws_json_serialization_is_never_valid_when_it_breaks_the_rfc(
    header, count, general, mixed
):
    """Whatever the unprotected header holds, the token signed over its protected header is
    ``valid`` exactly when no JSON-serialization rule is broken, and nothing raises."""
    from inspector.core.parsing import JWS_JSON_NOT_AS_SIGNED
    from tests.core.tokens import STRONG_SECRET

    protected, payload, signature = clean_token().split(".")
    sig: dict = {"protected": protected, "signature": signature}
    if header is not _MISSING:
        sig["header"] = header
    if general:
        doc: dict = {"payload": payload, "signatures": [sig] * count}
        if mixed:
            doc["signature"] = signature
    else:
        doc = {"payload": payload, **sig}
    text = json.dumps(doc)
    _check(text)
    got = inspect_token(text, STRONG_SECRET.decode(), now=CLEAN_NOW, check_weak_secrets=False)
    broken = {f.id for f in got.findings} & set(JWS_JSON_NOT_AS_SIGNED)
    assert (got.verification.status == "valid") == (not broken)
    if isinstance(header, dict) and "alg" in header:
        assert got.verification.algorithm == "HS256"  # the unprotected alg decides nothing
