"""``jwt-inspector-cli diff A B`` (issue 16 item 1), through the installed entry point."""

from __future__ import annotations

import json

import pytest

from inspector.core.parsing import parse_token
from inspector.diff import diff_tokens
from inspector.presentation import duration_words
from tests.cli.workbench import cli
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, clean_token, hs256


def _changed(**claims: object) -> str:
    return hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, **claims})


def test_equal_tokens_exit_0():
    r = cli("diff", clean_token(), clean_token())
    assert r.returncode == 0, r.stderr
    assert "same" in r.stdout


def test_signature_alone_is_not_a_difference():
    # Same header and payload, another secret: the signatures differ, the contents do not.
    other = hs256(CLEAN_HEADER, CLEAN_CLAIMS, secret=b"another secret of enough length!!")
    assert other != clean_token()
    assert cli("diff", clean_token(), other).returncode == 0


def test_added_removed_changed_as_json_pointers():
    a = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "roles": ["a", "b"], "ctx": {"x/y": 1}})
    b_claims = {**CLEAN_CLAIMS, "roles": ["a", "c", "d"], "ctx": {"x/y": 2}, "new": True}
    del b_claims["jti"]
    b = hs256(CLEAN_HEADER, b_claims)
    r = cli("diff", a, b, "--json")
    assert r.returncode == 1, r.stderr
    got = {(c["op"], c["path"]) for c in json.loads(r.stdout)["changes"]}
    assert got == {
        ("removed", "/payload/jti"),
        ("changed", "/payload/roles/1"),
        ("added", "/payload/roles/2"),
        ("changed", "/payload/ctx/x~1y"),
        ("added", "/payload/new"),
    }


def test_time_claims_as_durations_and_alg_kid_iss_first():
    a = hs256(CLEAN_HEADER, CLEAN_CLAIMS)
    b = hs256(
        {**CLEAN_HEADER, "alg": "HS384", "kid": "k2"},
        {**CLEAN_CLAIMS, "exp": CLEAN_CLAIMS["exp"] + 6000, "iss": "https://other/"},
    )
    r = cli("diff", a, b, "--json")
    assert r.returncode == 1
    changes = json.loads(r.stdout)["changes"]
    assert [c["path"] for c in changes[:3]] == ["/header/alg", "/header/kid", "/payload/iss"]
    exp = next(c for c in changes if c["path"] == "/payload/exp")
    assert exp["note"] == "exp +1 h 40 min"
    text = cli("diff", a, b).stdout
    assert "exp +1 h 40 min" in text
    assert text.index("/header/alg") < text.index("/payload/exp")


def test_true_is_not_one():
    a, b = _changed(flag=True), _changed(flag=1)
    assert [c.path for c in diff_tokens(parse_token(a), parse_token(b)).changes] == [
        "/payload/flag"
    ]
    assert diff_tokens(parse_token(_changed(n=1)), parse_token(_changed(n=1.0))).equal


def test_stdin_and_file_sides(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text("Bearer " + _changed(scope="orders:write") + "\n")
    r = cli("diff", "-", f"@{f}", stdin=clean_token())
    assert r.returncode == 1, r.stderr
    assert '/payload/scope: "orders:read" -> "orders:write"' in r.stdout


@pytest.mark.parametrize(
    ("argv", "stdin", "said"),
    [
        (["not-a-token-at-all!", "B"], None, "A has no header"),
        ([clean_token(), "eyJhbGciOiJIUzI1NiJ9.@@@.x"], None, "B has no payload"),
        (["-", "-"], "x", "only one of A and B"),
        ([clean_token(), "@/nonexistent/file"], None, "cannot read B"),
        (
            [
                clean_token(),
                "v4.public.eyJzdWIiOiJhIn0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            ],
            None,
            "B is not a JWT",
        ),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(argv, stdin, said):
    r = cli("diff", *argv, stdin=stdin)
    assert r.returncode == 2
    assert r.stderr.startswith("jwt-inspector-cli diff: error: ")
    assert said in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_argument_is_a_usage_error():
    assert cli("diff", clean_token()).returncode == 2


def test_huge_time_values_have_no_note_and_do_not_crash():
    a, b = _changed(exp=10**400), _changed(exp=1)
    (change,) = diff_tokens(parse_token(a), parse_token(b)).changes
    assert change.path == "/payload/exp"
    assert change.note is None


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(6000, "+1 h 40 min"), (-90061, "-1 d 1 h"), (0, "0 s"), (45, "+45 s"), (3605, "+1 h")],
)
def test_duration_words(seconds, words):
    assert duration_words(seconds) == words
