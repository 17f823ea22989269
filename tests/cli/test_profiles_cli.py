"""The CLI's human report names the token's profile and lists an SD-JWT's disclosures with
where each lands and the key binding's status; --kb-aud/--kb-nonce reach the check."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest

from inspector.cli import main
from tests.core.test_profiles import RFC9449_IAT, RFC9449_PROOF


def run(argv: list[str], stdin: str, monkeypatch: Any, capsys: Any) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, _err = capsys.readouterr()
    return code, out


def test_dpop_proof_report_names_its_profile_and_what_the_signature_proves(monkeypatch, capsys):
    _code, out = run(
        ["inspect", "--now", str(RFC9449_IAT), "-"], RFC9449_PROOF, monkeypatch, capsys
    )
    assert "Profile: dpop-proof" in out
    assert "typ is 'dpop+jwt'" in out
    assert "not who holds it" in out
    assert "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" in out


def test_sd_jwt_report_lists_disclosures_and_key_binding(monkeypatch, capsys, tmp_path):
    pytest.importorskip("sd_jwt")
    from tests.core.test_key_binding import AUD, ISSUER_KEY, NONCE, kb_iat, present

    presentation = present()
    key = tmp_path / "issuer.jwk"
    key.write_text(ISSUER_KEY.export_public())
    argv = ["inspect", "--key", str(key), "--now", str(kb_iat(presentation))]
    argv += ["--kb-aud", AUD, "--kb-nonce", NONCE, "-"]
    _code, out = run(argv, presentation, monkeypatch, capsys)
    assert "Profile: sd-jwt" in out
    assert "Disclosures (2, sha-256)" in out
    assert 'given_name = "Alice"  -> /payload/given_name' in out
    assert 'family_name = "Smith"  -> /payload/family_name' in out
    assert "1 digest(s) left undisclosed" in out
    assert "Key binding: valid" in out
    _code, out = run([*argv[:-2], "wrong", "-"], presentation, monkeypatch, capsys)
    assert "Key binding: invalid" in out
    assert "nonce" in out


def test_kb_key_gives_the_holder_key_a_cnf_names_by_kid(monkeypatch, capsys, tmp_path):
    """--kb-key FILE: the holder's public key for a cnf that names it (kid); without it the
    report says which key is needed, with the wrong one the key binding is invalid."""
    from tests.core.test_key_binding_holder_key import (
        AUD,
        HOLDER_KEY,
        ISSUER_KEY,
        NONCE,
        NOW,
        OTHER_KEY,
        bind,
        issue,
    )

    presentation = bind(issue({"kid": "holder-1"}))
    issuer = tmp_path / "issuer.jwk"
    issuer.write_text(ISSUER_KEY.export_public())
    argv = ["inspect", "--key", str(issuer), "--now", str(NOW), "--kb-aud", AUD]
    argv += ["--kb-nonce", NONCE]
    _code, out = run([*argv, "-"], presentation, monkeypatch, capsys)
    assert "Key binding: unchecked" in out
    assert "kid 'holder-1'" in out
    holder = tmp_path / "holder.pem"
    holder.write_bytes(HOLDER_KEY.export_to_pem())
    _code, out = run([*argv, "--kb-key", str(holder), "-"], presentation, monkeypatch, capsys)
    assert "Key binding: valid" in out
    wrong = tmp_path / "other.jwk"
    wrong.write_text(OTHER_KEY.export_public())
    _code, out = run([*argv, "--kb-key", str(wrong), "-"], presentation, monkeypatch, capsys)
    assert "Key binding: invalid" in out


def test_kb_key_that_cannot_be_read_is_a_usage_error_naming_the_option(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a.b.c"))
    assert main(["inspect", "--kb-key", "/nonexistent/holder.pem", "-"]) == 2
    _out, err = capsys.readouterr()
    assert "--kb-key" in err
