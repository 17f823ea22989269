"""``jwt-inspector-cli inspect --redact`` (issue 16 item 3), through the installed entry
point, and :func:`inspector.redact.redact` on its own."""

from __future__ import annotations

import base64
import json

import pytest

from inspector.core.parsing import parse_token
from inspector.redact import MARK_MEMBER, RedactError, redact
from tests.cli.workbench import cli
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, hs256

NOW = ["--now", str(CLEAN_NOW)]
SECRETS = {
    "email": "alice.private@example.org",
    "password": "Tr0ub4dor&3-horse",
    "card": "4111 1111 1111 1111",
    "address": {"street": "12 Hidden Lane", "zip": 90210, "verified": True},
    "phone_number": "+44 20 7946 0958",
}
CLAIMS = {**CLEAN_CLAIMS, **SECRETS, "tenant": "acme-internal", "roles": ["admin"]}


def _segment(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _leaks(text: str) -> list[str]:
    values = ["alice.private", "Tr0ub4dor", "4111 1111", "Hidden Lane", "90210", "7946"]
    return [v for v in values if v in text]


def test_redacted_token_keeps_shape_names_times_and_alg():
    copy = redact(parse_token(hs256(CLEAN_HEADER, CLAIMS)))
    header_part, payload_part, signature = copy.token.split(".")
    assert signature == ""  # the signature is removed
    header, payload = _segment(header_part), _segment(payload_part)
    assert header["alg"] == "HS256"
    assert MARK_MEMBER in header
    assert "not a real token" in header[MARK_MEMBER]
    assert list(payload) == list(CLAIMS)  # every claim name, in order
    for claim in ("iss", "sub", "aud", "iat", "nbf", "exp", "jti", "scope", "tenant", "roles"):
        assert payload[claim] == CLAIMS[claim], claim
    assert payload["email"] == "[redacted email]"
    assert payload["password"] == "[redacted password]"
    assert payload["card"] == "[redacted card]"
    # An object keeps its members and each value's type.
    assert payload["address"] == {"street": "[redacted street]", "zip": 0, "verified": False}
    assert _leaks(copy.token) == []
    assert _leaks(json.dumps(payload)) == []
    assert "/payload/email" in copy.paths
    assert "/payload/address" in copy.paths


def test_redact_claim_names_members_at_any_depth():
    claims = {**CLEAN_CLAIMS, "ctx": {"tenant": "acme", "list": [{"tenant": "x"}]}, "n": 7}
    copy = redact(parse_token(hs256(CLEAN_HEADER, claims)), ["tenant", "n", "sub"])
    payload = _segment(copy.token.split(".")[1])
    assert payload["ctx"]["tenant"] == "[redacted tenant]"
    assert payload["ctx"]["list"][0]["tenant"] == "[redacted tenant]"
    assert payload["n"] == 0
    assert payload["sub"] == "[redacted sub]"
    assert set(copy.paths) >= {"/payload/ctx/tenant", "/payload/ctx/list/0/tenant", "/payload/n"}


def test_nested_token_in_a_claim_is_redacted():
    inner = hs256({"alg": "HS256"}, {"email": "x@y.example", "sub": "inner"})
    copy = redact(parse_token(hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "act_token": inner})))
    assert inner not in copy.token
    assert _segment(copy.token.split(".")[1])["act_token"] == "[redacted act_token]"


@pytest.mark.parametrize(
    "text", ["hello", "eyJhbGciOiJIUzI1NiJ9.@@@.x", "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d"]
)
def test_what_cannot_be_redacted_says_so(text):
    with pytest.raises(RedactError):
        redact(parse_token(text))


def test_cli_redact_prints_the_copy_and_its_report_never_the_original():
    token = hs256(CLEAN_HEADER, CLAIMS)
    r = cli("inspect", token, "--redact", *NOW)
    assert r.returncode == 1, r.stderr  # the original carries a password: it still fails
    assert _leaks(r.stdout) == []
    assert token not in r.stdout
    assert token.split(".")[1] not in r.stdout
    first = r.stdout.splitlines()[1].strip()
    assert first.endswith(".")
    assert first.count(".") == 2
    copy = parse_token(first)
    assert copy.claims is not None
    assert copy.claims["email"] == "[redacted email]"
    assert "The original token's verification: Not checked" in r.stdout
    assert "Header" in r.stdout
    assert "[redacted password]" in r.stdout


@pytest.mark.parametrize("fmt", ["json", "md", "html", "text"])
def test_cli_redact_combines_with_every_format(fmt):
    token = hs256(CLEAN_HEADER, CLAIMS)
    r = cli("inspect", token, "--redact", "--redact-claim", "tenant", "--format", fmt, *NOW)
    assert r.returncode == 1, r.stderr
    assert _leaks(r.stdout) == []
    assert "acme-internal" not in r.stdout
    assert STRONG_SECRET.decode() not in r.stdout
    if fmt == "json":
        d = json.loads(r.stdout)
        assert d["redaction"]["token"] == d["token"]
        assert "/payload/tenant" in d["redaction"]["redacted"]
        assert d["payload"]["tenant"] == "[redacted tenant]"
        assert d["redaction"]["original_verification"]["status"] == "unchecked"
    else:
        assert "[redacted tenant]" in r.stdout


def test_cli_redact_with_a_key_keeps_the_original_verdict_only():
    token = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "email": "alice.private@example.org"})
    r = cli("inspect", token, "--redact", "--secret", STRONG_SECRET.decode(), "--json", *NOW)
    d = json.loads(r.stdout)
    assert d["redaction"]["original_verification"]["outcome"] == "verified"
    assert d["verification"]["outcome"] == "no-key"  # the copy is not verified: it has no sig
    assert STRONG_SECRET.decode() not in r.stdout
    assert r.returncode == 0  # the original verified and has nothing high


def test_cli_redact_claim_alone_implies_redact():
    token = hs256(CLEAN_HEADER, CLEAN_CLAIMS)
    r = cli("inspect", token, "--redact-claim", "sub", "--json", *NOW)
    assert json.loads(r.stdout)["payload"]["sub"] == "[redacted sub]"


def test_cli_redact_of_what_is_no_token_prints_no_input():
    r = cli("inspect", "AKIAIOSFODNN7EXAMPLE", "--redact", *NOW)
    assert r.returncode == 1
    assert "Cannot redact" in r.stdout
    assert "AKIAIOSFODNN7EXAMPLE" not in r.stdout


def test_peoples_names_are_redacted_though_the_scanner_leaves_them():
    claims = {**CLEAN_CLAIMS, "name": "Ada Lovelace", "profile": {"given_name": "Ada"}}
    copy = redact(parse_token(hs256(CLEAN_HEADER, claims)))
    payload = _segment(copy.token.split(".")[1])
    assert payload["name"] == "[redacted name]"
    assert payload["profile"]["given_name"] == "[redacted given_name]"
    assert "Ada" not in json.dumps(payload)


def test_cli_redact_a_log_in_worker_processes():
    token = hs256(CLEAN_HEADER, CLAIMS)
    r = cli("inspect", "--redact", "--json", "--jobs", "2", *NOW, stdin=f"{token}\n{token}\n")
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert json.loads(line)["payload"]["email"] == "[redacted email]"
    assert _leaks(r.stdout) == []
    assert r.returncode == 1  # the originals carry a password
