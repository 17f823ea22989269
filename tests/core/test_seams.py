"""The core's extension points (issue 18 item 6): analysis passes, token profiles, format
handlers. Each test plugs a capability in the way a new module would, and unplugs it after."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from inspector.core import analysis, keys, parsing, profiles, signing
from inspector.core.findings import Finding, finding
from inspector.core.inspection import inspect_token
from inspector.core.model import JWS_SEGMENTS, ParsedToken, ProfileMatch, Verification
from inspector.core.options import InspectOptions
from inspector.core.parsing import TokenReader, parse_token
from inspector.core.signing import sign_token
from inspector.core.verification import verify_token, verify_with
from tests.core import keyfactory as kf
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_NOW, STRONG_SECRET, clean_token, hs256

#: The claims of a token with no expiry (a general ``missing-exp`` finding).
NO_EXP = {k: v for k, v in CLEAN_CLAIMS.items() if k != "exp"}


@dataclass(frozen=True)
class ExampleProfile:
    """A made-up kind of token, recognised by its ``typ``, for which a missing expiry is by
    design; its own rule: the ``scope`` claim must be absent."""

    name: str = "example proof"
    suppresses: frozenset[str] = frozenset({"missing-exp"})

    def detect(self, parsed: ParsedToken) -> str | None:
        header = parsed.unverified_header or {}
        return "typ is 'example+jwt'" if header.get("typ") == "example+jwt" else None

    def findings(
        self, parsed: ParsedToken, verification: Verification, options: InspectOptions
    ) -> Iterable[Finding]:
        if parsed.claims is not None and "scope" in parsed.claims:
            yield finding("typ-mismatch", "An example proof carries no 'scope'.", "/payload/scope")


@pytest.fixture
def example_profile() -> Iterator[ExampleProfile]:
    profile = ExampleProfile()
    profiles.register(profile)
    try:
        yield profile
    finally:
        profiles.unregister(profile)
    assert profile not in profiles.REGISTRY


def _ids(text: str) -> list[str]:
    return [f.id for f in inspect_token(text, STRONG_SECRET.decode(), now=CLEAN_NOW).findings]


def test_the_builtin_profiles_are_registered_and_an_unknown_kind_is_none() -> None:
    from inspector.core.builtin_profiles import BUILTIN

    assert profiles.REGISTRY == list(BUILTIN)
    result = inspect_token(hs256({"alg": "HS256", "typ": "example+jwt"}, NO_EXP), now=CLEAN_NOW)
    assert result.analysis.profiles == ()
    assert result.to_dict()["profile"]["name"] is None
    assert "missing-exp" in [f.id for f in result.findings]


def test_a_registered_profile_adds_and_suppresses_findings(example_profile: object) -> None:
    token = hs256({"alg": "HS256", "typ": "example+jwt"}, NO_EXP)
    result = inspect_token(token, STRONG_SECRET.decode(), now=CLEAN_NOW)
    assert result.analysis.profiles == (
        ProfileMatch(name="example proof", reason="typ is 'example+jwt'"),
    )
    ids = [f.id for f in result.findings]
    assert "missing-exp" not in ids
    added = [f for f in result.findings if f.id == "typ-mismatch"]
    assert [f.detail for f in added] == ["An example proof carries no 'scope'."]
    assert result.verification.status == "valid"


def test_a_registered_profile_leaves_other_tokens_alone(example_profile: object) -> None:
    token = hs256({"alg": "HS256", "typ": "JWT"}, NO_EXP)
    result = inspect_token(token, STRONG_SECRET.decode(), now=CLEAN_NOW)
    assert result.analysis.profiles == ()
    assert "missing-exp" in [f.id for f in result.findings]
    assert "typ-mismatch" not in [f.id for f in result.findings]


def test_registering_twice_runs_the_profile_once(example_profile: ExampleProfile) -> None:
    profiles.register(example_profile)
    assert profiles.REGISTRY.count(example_profile) == 1
    token = hs256({"alg": "HS256", "typ": "example+jwt"}, NO_EXP)
    assert _ids(token).count("typ-mismatch") == 1


def test_the_passes_are_declared_and_a_new_one_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = hs256({"alg": "HS256", "typ": "JWT"}, CLEAN_CLAIMS)
    before = _ids(token)
    assert analysis.header_pass in analysis.PASSES
    assert analysis.claims_pass in analysis.PASSES
    assert analysis.weak_secret_pass in analysis.PASSES

    seen: list[ParsedToken] = []

    def extra_pass(
        parsed: ParsedToken, verification: Verification, options: InspectOptions
    ) -> Iterable[Finding]:
        seen.append(parsed)
        return [finding("typ-mismatch", "from the extra pass")]

    monkeypatch.setattr(analysis, "PASSES", (*analysis.PASSES, extra_pass))
    after = inspect_token(token, STRONG_SECRET.decode(), now=CLEAN_NOW).findings
    assert [f.detail for f in after if f.id == "typ-mismatch"] == ["from the extra pass"]
    assert len(seen) == 1
    assert seen[0].token == token
    monkeypatch.undo()
    assert _ids(token) == before


def test_without_the_passes_only_parsing_and_verification_speak(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = hs256({"alg": "HS256"}, NO_EXP)
    assert "missing-exp" in _ids(token)
    monkeypatch.setattr(analysis, "PASSES", ())
    assert "missing-exp" not in _ids(token)


class FourPartFormat:
    """A made-up serialization of four dot-separated segments, read as header + three."""

    name = "unknown"

    def accepts(self, token: str, segments: int) -> bool:
        return segments == 4

    def parse(self, reader: TokenReader, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        header, header_bytes = reader.header(parts[0], errors)
        reader.findings.append(finding("not-a-token", "A four-part example token."))
        return reader.result("unknown", parts, JWS_SEGMENTS, errors, header, header_bytes)


def test_the_built_in_formats_are_registered_in_order() -> None:
    assert [h.name for h in parsing.FORMAT_HANDLERS] == ["sd-jwt", "jwe", "jws"]
    assert parse_token(clean_token()).format == "jws"


def test_a_registered_format_handler_reads_its_tokens() -> None:
    text = clean_token() + ".AAAA"
    assert "malformed-segments" in [f.id for f in parse_token(text).findings]
    handler = FourPartFormat()
    parsing.register_format(handler)
    try:
        parsed = parse_token(text)  # the same text again: the cache was cleared
        ids = [f.id for f in parsed.findings]
        assert "malformed-segments" not in ids
        assert [f.detail for f in parsed.findings if f.id == "not-a-token"] == [
            "A four-part example token."
        ]
        assert parsed.unverified_header == {"alg": "HS256", "typ": "JWT"}
        assert parse_token(clean_token()).format == "jws"  # the others still read theirs
    finally:
        parsing.unregister_format(handler)
    assert handler not in parsing.FORMAT_HANDLERS
    assert "malformed-segments" in [f.id for f in parse_token(text).findings]


def test_verification_takes_the_options_whole() -> None:
    token = clean_token()
    parsed = parse_token(token)
    options = InspectOptions(key=STRONG_SECRET.hex(), secret_encoding="hex", now=CLEAN_NOW)
    assert verify_with(parsed, options) == verify_token(
        parsed, STRONG_SECRET.hex(), secret_encoding="hex", now=CLEAN_NOW
    )
    assert verify_with(parsed, options).status == "valid"
    # The encoding travels with the key: the same text read as UTF-8 is another secret.
    assert verify_with(parsed, replace(options, secret_encoding="utf-8")).status == "invalid"


@pytest.mark.parametrize("as_set", [False, True])
def test_signing_reads_a_jwk_once_through_the_one_key_reader(
    monkeypatch: pytest.MonkeyPatch, as_set: bool
) -> None:
    """One key reader serves verification and signing: the signer uses the JWK as
    :func:`load_key` read it, and what it signs verifies with the same text."""
    private = kf.jwk_text(kf.ec_key("ES256"), private=True, kid="k1")
    text = json.dumps({"keys": [json.loads(private)]}) if as_set else private
    calls: list[object] = []
    real = keys.load_jwk

    def counting(jwk: Any) -> Any:
        calls.append(jwk)
        return real(jwk)

    monkeypatch.setattr(keys, "load_jwk", counting)
    keys.clear_key_cache()
    signed = sign_token('{"alg": "ES256"}', '{"sub": "a"}', text)
    assert signed.token is not None
    assert len(calls) == 1
    assert not hasattr(signing, "load_jwk")
    assert inspect_token(signed.token, text, now=CLEAN_NOW).verification.status == "valid"
    assert len(calls) == 1  # verification reused the same reading (cached by text)
