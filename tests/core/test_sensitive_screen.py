"""The sensitive-data screen built from the gate literals a text holds (issue 17) finds every
credential the one alternation of every screen part found before.

The screen only decides which values get the full credential patterns, so a value it missed
would be a credential never reported. Hypothesis builds values out of the fragments the
screen parts are made of (and the characters around their edges: NULs inside values, ':',
'/', '@', whitespace), in short and long texts.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from hypothesis import example, given, settings
from hypothesis import strategies as st

from inspector.core import sensitive
from inspector.core.findings import json_pointer

FRAGMENTS = [
    "$", "{", "_", "@", "://", "https://", "user:pw@", "-----BEGIN", "eyJ", "xox", "hooks.slack",
    "GOCSPX-", "ya29.", "glpat-", "SG.", "sk-", "Key=", "AKIA", "AIza", "ASIA", "k_live_",
    "k_test_", "whsec_", "npm_", "hf_", "ghp_", "gho_", "github_pat_", "\x00", " ", "/", ":",
    "a", "Z", "7", "x" * 50, "9999", "k_", "A",
    # whole credentials of each format, so that a screen part lost loses a finding
    "hf_" + "a" * 34, "ghp_" + "A" * 36, "xoxb-1234567890", "sk-ant-" + "a" * 32,
    "AKIA" + "A" * 16, "$2b$12$" + "a" * 53, "-----BEGIN PRIVATE KEY-----",
    "SG." + "a" * 22 + "." + "b" * 43, "AccountKey=" + "a" * 20, "glpat-" + "a" * 20,
    "ya29." + "a" * 20, "GOCSPX-" + "a" * 28, "sk_live_" + "a" * 16, "whsec_" + "a" * 24,
    "npm_" + "a" * 36, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
    "https://hooks.slack.com/services/T1/B1/" + "a" * 16, "{SSHA}" + "a" * 16,
    "https://u:p@h.example", "AIza" + "a" * 35,
]  # fmt: skip


#: The one screen used before (the literal starts of every pattern in
#: ``sensitive._CREDENTIALS``), written out again here as the reference.
WHOLE_SCREEN = (
    r"-----BEGIN|\$|\{|xox|hooks\.slack|k_live_|k_test_|whsec_|GOCSPX-|ya29\.|glpat-|npm_|SG\."
    r"|sk-|hf_|Key=|://[^\s/@\x00]+@|eyJ|gh[pousr]_|github_pat_"
    r"|A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA|Iza)"
)


def full_screen(nul_inside: bool) -> re.Pattern[str]:
    if nul_inside:
        return re.compile(WHOLE_SCREEN.replace(r"://[^\s/@\x00]+@", r"://[^\s/@]+@"))
    return re.compile(WHOLE_SCREEN)


#: The gate before it: a long text tested each multi-character literal only when this
#: character of it occurs (the literals whose patterns need that character anyway).
OLD_LONG_PAIRS = (
    ("-", "-----BEGIN"), ("J", "eyJ"), ("-", "xox"), ("k", "hooks.slack"), ("X", "GOCSPX-"),
    ("9", "ya29."), ("-", "glpat-"), ("G", "SG."), ("-", "sk-"), ("@", "://"), ("=", "Key="),
)  # fmt: skip


def old_gate(joined: str) -> bool:
    if re.search(r"A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA|Iza)", joined):
        return True
    if len(joined) < sensitive._LONG_TEXT:
        return any(lit in joined for lit in sensitive._GATE_LITERALS)
    return any(c in joined for c in "${_") or any(
        c in joined and lit in joined for c, lit in OLD_LONG_PAIRS
    )


def reference_hits(values: list[str]) -> set[int]:
    """Values a search with every screen part finds a match starting in, behind the gate."""
    joined = "\x00".join(values)
    if not old_gate(joined):
        return set()
    screen = full_screen(joined.count("\x00") != len(values) - 1)
    starts = sensitive._starts(values)
    hits = set()
    m = screen.search(joined)
    while m is not None:
        k = bisect_right(starts, m.start()) - 1
        hits.add(k)
        m = screen.search(joined, starts[k + 1] if k + 1 < len(starts) else len(joined))
    return hits


def credentials(vals: list[str], hits: set[int]) -> list[object]:
    return [f for k in sorted(hits) for f in sensitive.value_findings(vals[k], "v", "/v", ["cred"])]


values = st.lists(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map("".join),
    min_size=1,
    max_size=6,
)


@settings(max_examples=600, deadline=None)
@given(values, st.booleans())
@example(["https://accounts.example.com", "user1@example.com"], False)
@example(["https://u:p@h.example", "x"], False)
@example(["https://u", "p@h"], False)
@example(["https://u\x00p@h"], False)
@example(["AKIAABCDEFGHIJKLMNOP"], True)
@example(["x", "https://u\x00:p@h.example"], False)
@example(["x", "https://u\x00:p@h.example"], True)
def test_the_screen_for_the_literals_found_points_at_what_the_whole_screen_does(
    vals: list[str], long: bool
) -> None:
    if long:  # past the long-text gate (single characters are tested first there)
        vals = [*vals, "q" * sensitive._LONG_TEXT]
    got = {k for k, families in sensitive._screen(vals).items() if "cred" in families}
    reference = reference_hits(vals)
    # The same credentials found (a value the old screen pointed at for a literal whose
    # pattern cannot match there, as "xox" in a long text without any "-", may be skipped) ...
    assert credentials(vals, got) == credentials(vals, reference)
    # ... and never a value more to try the full patterns on.
    assert got <= reference


def test_every_whole_credential_alone_is_screened() -> None:
    for fragment in FRAGMENTS[FRAGMENTS.index("hf_" + "a" * 34) :]:
        vals = ["https://issuer.example", fragment]
        assert credentials(vals, {1}), fragment
        assert 1 in sensitive._screen(vals), fragment


def test_a_text_with_only_an_e_mail_address_gets_no_credential_screen() -> None:
    # An issuer URL and an e-mail address are two values: the "@" part cannot match there.
    assert sensitive._fired("https://accounts.example.com\x00user@example.com", False) == ()
    assert sensitive._fired("user@example.com\x00Alice Example", False) == ()
    assert sensitive._screen(["https://accounts.example.com", "user@example.com"]) == {}
    # One value with both, in that order, gets it; with a NUL inside a value, across values.
    assert sensitive._fired("x\x00https://u:p@h.example", False) == ("@",)
    assert sensitive._fired("u@h\x00https://h.example", False) == ()
    assert sensitive._fired("https://h.example\x00u@h", True) == ("@",)
    assert sensitive._screen(["https://accounts.example.com", "https://u:pw@h.example"]) == {
        1: {"cred"}
    }


@given(
    st.lists(st.sampled_from(["payload", "disclosed", "a/b", "t~x", 0, 3]), min_size=1, max_size=3),
    st.sampled_from(["email", "pass/word", "x~1", "", "ünï", 0, 7]),
)
def test_the_quick_pointer_is_the_json_pointer(path: list[str | int], key: str | int) -> None:
    assert sensitive._pointer(tuple(path), key) == json_pointer(*path, key)


#: The digit needles before " " and "-" were one class, written out as the reference.
OLD_CLASS_NEEDLES = (
    (r"[0-9]{13}", "card"),
    (r"[0-9]{4} [0-9]{4}", "card"),
    (r"[0-9]{4}-[0-9]{4}", "card"),
    (r"[0-9]{3}-[0-9]{2}-[0-9]{4}", "ssn"),
    (r"[0-9]{3} [0-9]{2} [0-9]{4}", "ssn"),
    (r"[A-Z]{2}[0-9]{2}", "iban"),
)


def old_class_families(value: str) -> set[str]:
    return {family for pattern, family in OLD_CLASS_NEEDLES if re.search(pattern, value)}


#: Values just inside and just outside the separated-group gate and each digit needle.
GATE_EDGES = [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "1234 5678", "1234-5678",
    "123 5678", "1234 567", "123-45-6789", "123 45 6789", "123-45 6789", "12-45-6789",
    "123-45-678", "1234567890123", "123456789012", "9-9999", "a-9999", "9 999a",
    "00000bb8-7d43-4a8e-b1f0-3c5d2e8a7f64", "2024-01-15", "DE89 3704 0044 0532 0130 00",
    "DE8", "user-3000", "10000003001", "+1 555 0100 2000",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*GATE_EDGES, "x", " ", "-", "7", "A"]), min_size=1, max_size=5))
def test_the_digit_needles_point_where_the_separate_space_and_dash_needles_did(
    parts: list[str],
) -> None:
    # Whatever value the old needles pointed at for a family is still pointed at for it
    # (the merged separator may point at a little more: the full patterns tell them apart),
    # and the card, SSN and IBAN findings are those of the old screen's families.
    vals = [*GATE_EDGES, "".join(parts)]
    got = sensitive._screen(vals)
    for k, value in enumerate(vals):
        old = old_class_families(value)
        new = got.get(k, set()) - {"cred"}
        assert old <= new, (value, old, new)
        assert sensitive.value_findings(value, "v", "/v", sorted(new)) == (
            sensitive.value_findings(value, "v", "/v", sorted(old))
        ), value


def test_card_and_ssn_values_at_the_separated_gate_are_still_found() -> None:
    found = sensitive.scan_claims(
        {"a": "4111 1111 1111 1111", "b": "note 123-45-6789", "c": "00000bb8-7d43-4a8e"}
    )
    assert [(f.id, f.location) for f in found] == [
        ("sensitive-value", "/payload/a"),
        ("sensitive-value", "/payload/b"),
    ]
    assert "Visa" in found[0].detail
    assert "6789" in found[1].detail
