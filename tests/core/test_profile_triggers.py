"""The profile triggers (issue 17): asking only the profiles a token triggers finds exactly
what asking every registered profile finds, on tokens built to sit on each trigger's edge.

The triggers are necessary conditions of each built-in detector's "yes"; a trigger that left
one out would silently drop a profile (and its findings) from some tokens. Hypothesis draws
headers and claims from the vocabulary the detectors read (every typ, claim name and issuer
they test, in other cases and with ``application/``), plus SD-JWTs and pasted context.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from inspector.core import builtin_profiles, profiles
from inspector.core.inspection import inspect_token
from inspector.core.options import InspectOptions
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_with
from tests.core.tokens import hs256

NOW = 1_800_000_000
OPTIONS = InspectOptions(now=NOW, check_weak_secrets=False)

TYPS = [
    "JWT", "jwt", "at+jwt", "AT+JWT", "application/at+jwt", "Application/AT+jwt", "dpop+jwt",
    "DPoP+JWT", "kb+jwt", "KB+jwt", "logout+jwt", "application/logout+jwt", "dc+sd-jwt",
    "vc+sd-jwt", "client-authentication+jwt", "application/client-authentication+jwt",
    "secevent+jwt", "example+jwt", "",
]  # fmt: skip
ISSUERS = [
    "https://token.actions.githubusercontent.com",
    "https://token.actions.githubusercontent.com/octo-org",
    "https://token.actions.githubusercontent.comx",
    "kubernetes/serviceaccount",
    "kubernetes/serviceaccount/x",
    "https://accounts.example.com",
    "client-1",
]
CLAIM_VALUES: dict[str, Any] = {
    "sub": st.sampled_from(["client-1", "user-1"]),
    "aud": st.sampled_from(["api://x", ["a", "b"]]),
    "jti": st.just("j-1"),
    "exp": st.integers(NOW - 10, NOW + 100_000),
    "iat": st.integers(NOW - 100_000, NOW + 10),
    "nonce": st.just("n"),
    "at_hash": st.just("abc"),
    "c_hash": st.just("abc"),
    "auth_time": st.integers(NOW - 10, NOW + 10),
    "azp": st.just("c"),
    "events": st.sampled_from(
        [{"http://schemas.openid.net/event/backchannel-logout": {}}, {"other": {}}, []]
    ),
    "sid": st.just("s"),
    "kubernetes.io": st.sampled_from([{"namespace": "default"}, "text"]),
    "htm": st.just("GET"),
    "htu": st.just("https://rs.example/r"),
    "client_id": st.just("c"),
    "_sd_alg": st.just("sha-256"),
    "cnf": st.just({"jkt": "x"}),
}


@st.composite
def tokens(draw: st.DrawFn) -> str:
    header: dict[str, Any] = {"alg": "HS256"}
    typ = draw(st.none() | st.sampled_from(TYPS) | st.integers(0, 3))
    if typ is not None:
        header["typ"] = typ
    claims: dict[str, Any] = {}
    iss = draw(st.none() | st.sampled_from(ISSUERS) | st.just(7))
    if iss is not None:
        claims["iss"] = iss
    for name in draw(st.sets(st.sampled_from(sorted(CLAIM_VALUES)), max_size=8)):
        claims[name] = draw(CLAIM_VALUES[name])
    token = hs256(header, claims)
    if draw(st.booleans()):
        token += "~" + draw(st.sampled_from(["", "WyJzYWx0IiwiZW1haWwiLCJhQGIuYyJd~"]))
    around = draw(
        st.sampled_from(["{}", "client_assertion={}", "Bearer {}", "{} client_assertion"])
    )
    return around.format(token)


def _every_profile_asked() -> list[profiles.Profile]:
    return [
        dataclasses.replace(p, triggers=None) if isinstance(p, profiles.RuleProfile) else p
        for p in profiles.REGISTRY
    ]


#: One token of each kind, besides what Hypothesis draws (some need several claims at once).
KINDS = [
    hs256({"alg": "HS256"}, {"iss": "client-1", "sub": "client-1", "aud": "a", "jti": "j"}),
    hs256({"alg": "HS256", "typ": "dpop+jwt"}, {"jti": "j", "htm": "GET", "iat": NOW}),
    hs256({"alg": "HS256", "typ": "kb+jwt"}, {"iat": NOW, "aud": "a", "nonce": "n"}),
    hs256({"alg": "HS256", "typ": "dc+sd-jwt"}, {"_sd_alg": "sha-256"}) + "~",
    hs256({"alg": "HS256"}, {"iss": "kubernetes/serviceaccount", "sub": "system:x"}),
    hs256({"alg": "HS256"}, {"iss": "https://token.actions.githubusercontent.com"}),
    hs256({"alg": "HS256"}, {"events": {"http://schemas.openid.net/event/backchannel-logout": {}}}),
    hs256({"alg": "HS256"}, {"iss": "i", "sub": "s", "auth_time": NOW}),
]


@settings(max_examples=400, deadline=None)
@given(tokens())
@example(KINDS[0])
@example(KINDS[1])
@example(KINDS[2])
@example(KINDS[3])
@example(KINDS[4])
@example(KINDS[5])
@example(KINDS[6])
@example(KINDS[7])
def test_the_triggers_ask_every_profile_that_would_say_yes(text: str) -> None:
    parsed = parse_token(text)
    verification = verify_with(parsed, OPTIONS)
    findings = list(parsed.findings)
    with_triggers = profiles.apply(parsed, verification, OPTIONS, findings)
    assert len(profiles.REGISTRY) >= len(builtin_profiles.BUILTIN)
    registered = profiles.REGISTRY[:]
    try:
        profiles.REGISTRY[:] = _every_profile_asked()
        asking_all = profiles.apply(parsed, verification, OPTIONS, findings)
    finally:
        profiles.REGISTRY[:] = registered
    assert with_triggers == asking_all


def test_a_profile_without_triggers_is_asked_about_every_token() -> None:
    asked: list[str] = []

    class Counting:
        name = "counting"
        suppresses: frozenset[str] = frozenset()

        def detect(self, parsed: Any) -> None:
            asked.append(parsed.text)

        def findings(self, *args: Any) -> list[Any]:
            return []

    counting = profiles.register(Counting())
    try:
        for text in (hs256({"alg": "HS256"}, {"sub": "a"}), "not a token", "{}"):
            parsed = parse_token(text)
            profiles.apply(parsed, verify_with(parsed, OPTIONS), OPTIONS, [])
    finally:
        profiles.unregister(counting)
    assert len(asked) == 3


def test_the_builtin_profiles_are_registered_and_all_declare_triggers() -> None:
    # (so that the property above compares the built-in profiles, not an empty registry)
    assert set(builtin_profiles.BUILTIN) <= set(profiles.REGISTRY)
    # A built-in profile without triggers would be asked about every token again: slower,
    # never wrong; this keeps the speed from eroding unnoticed.
    assert all(isinstance(p.triggers, profiles.Triggers) for p in builtin_profiles.BUILTIN)


def test_the_normalised_typ_drops_case_and_the_media_type_prefix() -> None:
    assert profiles.normalised_typ({"typ": "Application/AT+JWT"}) == "at+jwt"
    assert profiles.normalised_typ({"typ": "dpop+jwt"}) == "dpop+jwt"
    assert profiles.normalised_typ({"typ": 3}) is None
    assert profiles.normalised_typ(None) is None
    assert profiles.normalised_typ({}) is None


LOGOUT_EVENT = {"http://schemas.openid.net/event/backchannel-logout": {}}


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"events": LOGOUT_EVENT}, ["logout-token"]),
        ({"events": {"other": {}}}, ["id-token"]),
        ({"iss": "kubernetes/serviceaccount"}, ["kubernetes-service-account"]),
        ({"kubernetes.io": {"namespace": "d"}}, ["kubernetes-service-account"]),
        ({"kubernetes.io": "text"}, ["id-token"]),
        ({"iss": "https://token.actions.githubusercontent.com"}, ["github-actions-oidc"]),
        ({"iss": "https://token.actions.githubusercontent.com/o"}, ["github-actions-oidc"]),
        ({"iss": "https://token.actions.githubusercontent.comx"}, ["id-token"]),
        ({"iss": "https://accounts.example.com"}, ["id-token"]),
    ],
)
def test_an_id_token_stands_back_for_a_more_specific_kind_only(
    claims: dict[str, Any], expected: list[str]
) -> None:
    token = hs256({"alg": "HS256"}, {"sub": "s", "aud": "a", "nonce": "n", **claims})
    got = inspect_token(token, now=NOW, check_weak_secrets=False).analysis.profiles
    assert [p.name for p in got] == expected


@settings(max_examples=300, deadline=None)
@given(tokens(), st.sampled_from([None, "client_assertion=", "x"]))
def test_a_remembered_shape_asks_what_working_it_out_asks(text: str, paste: str | None) -> None:
    index = profiles._current_index()
    parsed = parse_token(text)
    where = parsed.text if paste is None else paste + parsed.text
    expected = index._asked(parsed, where)
    assert index.asked(parsed, where) == expected
    assert index.asked(parsed, where) == expected  # (its shape remembered by now)


def test_the_text_triggers_are_looked_for_in_each_paste_of_a_remembered_shape() -> None:
    index = profiles._current_index()
    claims = {"iss": "client-9", "sub": "client-9", "aud": "a", "jti": "j"}
    token = hs256({"alg": "HS256"}, claims)
    other = hs256({"alg": "HS256"}, {**claims, "jti": "k"})  # the same shape
    client_assertion = next(i for i, p in enumerate(index.profiles) if p.name == "client-assertion")
    plain = parse_token(other)
    assert index.asked(parse_token(token)) == index.asked(plain)
    assert "client_assertion" not in plain.text
    pasted = parse_token("client_assertion=" + other)
    assert client_assertion in index.asked(pasted)
    # and a shape that triggers nothing but the text
    bare = parse_token(hs256({"alg": "HS256"}, {"x": 1}))
    assert client_assertion not in index.asked(bare)
    assert client_assertion in index.asked(bare, "client_assertion=" + bare.text)


def test_a_huge_token_s_shape_is_not_kept() -> None:
    index = profiles._current_index()
    index._by_shape.clear()
    small = parse_token(hs256({"alg": "HS256"}, {"iss": "i", "sub": "s"}))
    huge = parse_token(hs256({"alg": "HS256"}, {"iss": "i" * profiles.SHAPE_TEXT, "sub": "s"}))
    assert index.asked(small) == index._asked(small, small.text)
    assert index.asked(huge) == index._asked(huge, huge.text)
    assert len(index._by_shape) == 1  # (the small one's)


def test_a_profile_with_two_text_triggers_in_the_paste_is_asked_once() -> None:
    twice = profiles.RuleProfile(
        "two-needles",
        frozenset(),
        lambda parsed: None,
        lambda parsed, verification, options: [],
        profiles.Triggers(text=("needle-a", "needle-b")),
    )
    registered = profiles.REGISTRY[:]
    try:
        profiles.REGISTRY.append(twice)
        index = profiles._current_index()
        position = len(index.profiles) - 1
        parsed = parse_token(hs256({"alg": "HS256"}, {"sub": "s"}))
        for _ in range(2):  # worked out, then remembered
            asked = index.asked(parsed, "needle-a needle-b " + parsed.text)
            assert asked.count(position) == 1
            assert asked == sorted(set(asked))
    finally:
        profiles.REGISTRY[:] = registered
