"""``scan_claims`` screens a list of text under a name of no kind (``aud``, ``roles``) in
one step (issue 17): it must find exactly what visiting it item by item finds, in the same
order, for any claims set."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.core import sensitive
from inspector.core.findings import Finding


def _general(payload: Any, root: str = "payload") -> list[Finding]:
    """What the scan finds with every node visited item by item (the shortcut for a list of
    text under a name of no kind turned off)."""
    shortcut = sensitive._STR_ONLY
    sensitive._STR_ONLY = frozenset()
    try:
        return sensitive.scan_claims(payload, root)
    finally:
        sensitive._STR_ONLY = shortcut


_NAMES = st.sampled_from(
    [
        "password", "email", "emails", "ssn", "api_key", "secrets", "address", "phone_number",
        "sub", "iss", "exp", "name", "card", "pin", "x/y~z", "https://example.com/claims/ssn",
        "dob", "iban", "token", "",
    ]
)  # fmt: skip
_TEXTS = st.sampled_from(
    [
        "", " ", "true", "4111 1111 1111 1111", "4111111111111111", "123-45-6789", "123456789",
        "078-05-1120", "DE89 3704 0044 0532 0130 00", "AKIAIOSFODNN7EXAMPLE",
        "https://user:pass@example.com/", "user@example.com", "https://accounts.example.com",
        "ghp_" + "a" * 36, "-----BEGIN PRIVATE KEY-----", "$2b$12$" + "a" * 53,
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "short", "a" * 40,
    ]
) | st.text(max_size=20)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    _TEXTS,
    st.sampled_from(
        [0, 5, 123456789, 10**12, 4222222222222, 4111111111111111, 1_800_000_000, -1, 10**19]
    ),
    st.integers(),
    st.floats(allow_nan=False),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(_NAMES | st.text(max_size=5), inner)
    ),
    max_leaves=10,
)


@settings(max_examples=400, deadline=None)
@given(payload=st.dictionaries(_NAMES | st.text(max_size=8), _VALUES, max_size=8))
def test_the_list_shortcut_finds_what_visiting_each_item_finds(payload: dict[str, Any]) -> None:
    assert sensitive.scan_claims(payload) == _general(payload)
    assert sensitive.scan_claims(payload, "doc") == _general(payload, "doc")


def test_the_usual_claims_sets_find_the_same() -> None:
    for payload in (
        {"iss": "https://accounts.example.com", "email": "a@example.com", "name": "A"},
        {"password": "hunter22", "card": "4111 1111 1111 1111", "n": 4111111111111111},
        {"secrets": {"db": "x" * 12}, "emails": ["a@example.com"], "address": {"c": "X"}},
        {"ssn": "078-05-1120", "pin": 1234, "iat": 1_800_000_000},
        {"n": 4222222222222},
        {"aud": ["x", "4111 1111 1111 1111"], "roles": {"r": ["https://u:p@h.example/"]}},
    ):
        found = sensitive.scan_claims(payload)
        assert found == _general(payload)
        assert found  # each of these holds something the scan reports
