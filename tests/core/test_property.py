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
