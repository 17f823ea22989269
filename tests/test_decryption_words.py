"""How a JWE's decryption is worded (:func:`inspector.presentation.decryption_verdict`,
``token_verdict``, ``decryption_key_words``) and laid out for the window (the nested view in
:mod:`inspector.ui.jobs`, :func:`inspector.ui.render.join_rendered`): no Qt here."""

from __future__ import annotations

import json
from types import SimpleNamespace

import jwt
import pytest

from inspector.core.encryption import encrypt_with_key
from inspector.core.inspection import inspect_token
from inspector.presentation import (
    INNER,
    UNSIGNED_PUBLIC,
    Verdict,
    decryption_key_words,
    decryption_verdict,
    token_verdict,
)
from inspector.ui.jobs import INNER_TITLE, InspectionRequest, build_view, lay_out
from inspector.ui.render import join_rendered, render_json
from tests.core.jwetokens import key_for, key_text, pem_private
from tests.core.keyfactory import private_pem, public_pem, rsa_key

NOW = 1_800_000_000.0
CLAIMS = {"sub": "alice", "exp": int(NOW) - 60}  # expired: the inner token must say so


def dec(status: str, alg: str = "RSA-OAEP-256", **kw: object) -> SimpleNamespace:
    base = {"algorithm": alg, "encryption": "A256GCM", "key": None, "reason": "why"}
    return SimpleNamespace(status=status, **{**base, **kw})


@pytest.mark.parametrize(
    ("status", "colour", "headline"),
    [
        ("failed", "invalid", "Not decrypted (RSA-OAEP-256, A256GCM)"),
        ("unchecked", "unchecked", "Not decrypted: enter the recipient's key"),
        ("error", "error", "Not decrypted: the key cannot be used"),
    ],
)
def test_each_status_not_decrypted_is_worded(status: str, colour: str, headline: str) -> None:
    assert decryption_verdict(dec(status)) == Verdict(colour, headline, "why")


def test_a_decrypted_token_takes_the_inner_verdict_and_its_colour() -> None:
    inner = Verdict("invalid", "Invalid signature", "RS256 with ...")
    words = decryption_verdict(dec("decrypted"), inner=inner)
    assert words.headline == "Decrypted (RSA-OAEP-256, A256GCM)" + INNER + "Invalid signature"
    assert words.status == "invalid"
    assert words.detail == "RS256 with ..."


def test_unsigned_content_is_valid_only_for_a_shared_key() -> None:
    """Anyone with the recipient's public key can encrypt: no signature, no 'valid'."""
    for alg in ("RSA-OAEP", "RSA1_5", "ECDH-ES", "ECDH-ES+A128KW"):
        words = decryption_verdict(dec("decrypted", alg))
        assert (words.status, words.detail) == ("unchecked", UNSIGNED_PUBLIC)
    for alg in ("A128KW", "dir", "PBES2-HS256+A128KW", "A256GCMKW"):
        assert decryption_verdict(dec("decrypted", alg)).status == "valid"


def test_a_rejection_qualifies_decrypted_content() -> None:
    expired = SimpleNamespace(id="expired", severity="high")
    words = decryption_verdict(dec("decrypted", "A128KW"), findings=[expired])
    assert words.headline.endswith("but the token is expired")
    assert words.status == "invalid"


def test_key_words() -> None:
    d = dec("decrypted", key="RSA 2048-bit private key")
    assert decryption_key_words(d, key_entered=True).endswith("decrypted the token")
    d = dec("failed", key="RSA 2048-bit private key")
    assert decryption_key_words(d, key_entered=True).endswith("did not decrypt the token")
    assert decryption_key_words(dec("error"), key_entered=True) == "Key not used: why"
    assert decryption_key_words(dec("unchecked"), key_entered=False).startswith("No key")


def test_join_keeps_each_member_where_it_is_shown() -> None:
    outer = render_json({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, "header")
    inner = render_json({"alg": "RS256", "kid": "k\U0001f511"}, "nested/header")
    joined = join_rendered(outer, "// inner token (JWS), header:", inner)
    utf16 = joined.text.encode("utf-16-le")

    def at(pointer: str) -> str:
        span = joined.spans[pointer]
        return utf16[span.key_start * 2 : span.end * 2].decode("utf-16-le")

    assert at("/header/alg") == '"alg": "RSA-OAEP-256"'
    assert at("/nested/header/alg") == '"alg": "RS256"'
    assert at("/nested/header/kid") == '"kid": "k\U0001f511"'
    (a, b) = joined.notes[-1]
    assert utf16[a * 2 : b * 2].decode("utf-16-le") == "// inner token (JWS), header:"
    assert json.loads(joined.full_json) == {"alg": "RSA-OAEP-256", "enc": "A256GCM"}


def nested_inspection(verify_with: str | None) -> object:
    signer, recipient = rsa_key(2048, 1), rsa_key(2048, 0)
    inner = jwt.encode(CLAIMS, private_pem(signer), algorithm="RS256")
    token = encrypt_with_key(
        inner, recipient.public_key(), alg="RSA-OAEP-256", enc="A256GCM", header={"cty": "JWT"}
    )
    key = public_pem(signer) if verify_with == "signer" else verify_with
    return inspect_token(token, key, decryption_key=pem_private(recipient), now=NOW)


def test_the_view_of_a_nested_jwe_carries_the_inner_token() -> None:
    inspection = nested_inspection("signer")
    view = build_view(inspection)
    assert view.decryption.status == "decrypted"
    assert not hasattr(view.decryption, "plaintext")  # never in the view
    assert view.nested.verification.status == "valid"
    inner = [f for f in view.findings if f.title.startswith(INNER_TITLE)]
    assert any(f.id == "expired" and f.location == "/payload/exp" for f in inner)
    assert view.times["exp"] == CLAIMS["exp"]  # the window follows the inner token's clock
    words = token_verdict(view, has_key=True)
    assert words.headline == (
        "Decrypted (RSA-OAEP-256, A256GCM)" + INNER + "Signature verified \u2013 but the token "
        "is expired"
    )
    assert words.status == "invalid"


def test_the_panes_of_a_nested_jwe() -> None:
    inspection = nested_inspection(None)
    request = InspectionRequest(0, inspection.token, None)  # type: ignore[arg-type]
    result = lay_out(request, inspection.token, inspection)
    assert json.loads(result.payload.full_json) == CLAIMS
    assert '"alg": "RS256"' in result.header.text
    assert "/nested/header/alg" in result.header.spans
    assert token_verdict(result.view).headline.endswith(INNER + "Not checked: enter a key")


def test_a_failed_decryption_lays_out_no_plaintext() -> None:
    alg, enc = "A256KW", "A256GCM"
    token = encrypt_with_key(
        b'{"secret": "PLAINTEXT-MARKER-42"}', key_for(alg, enc), alg=alg, enc=enc
    )
    inspection = inspect_token(token, key_text(key_for(alg, enc, n=1)), now=NOW)
    request = InspectionRequest(0, token, None)  # type: ignore[arg-type]
    result = lay_out(request, token, inspection)
    assert result.payload.text == ""
    assert "PLAINTEXT-MARKER-42" not in repr(result._replace(request=None))
    assert result.view.empty_reasons["payload"] == inspection.decryption.reason
    assert token_verdict(result.view).status == "invalid"
