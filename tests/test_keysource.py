"""The key source seam (issue 18 item 6): pasted text, a file, a fetched JWK Set all become
key text for the one key reader, which serves verification and signing alike."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from inspector import keysource
from inspector.core.inspection import inspect_with
from inspector.core.options import InspectOptions
from inspector.core.signing import sign_token
from tests.core import keyfactory as kf
from tests.core.tokens import CLEAN_NOW

KEY = kf.ec_key("ES256")
OTHER = kf.ec_key("ES256", 1)
PAYLOAD = '{"sub": "user-4711"}'


def _signed(private_text: str, kid: str | None = None) -> str:
    result = sign_token('{"alg": "ES256"}', PAYLOAD, private_text, kid=kid)
    assert result.token is not None, result.problems
    return result.token


def _status(token: str, source: keysource.KeySource) -> str:
    options = source.options(InspectOptions(now=CLEAN_NOW))
    return inspect_with(token, options).verification.status


def test_a_private_key_file_signs_and_its_public_key_file_verifies(tmp_path: Path) -> None:
    private = tmp_path / "key.pem"
    private.write_text(kf.private_pem(KEY))
    public = tmp_path / "key.pub.pem"
    public.write_text(kf.public_pem(KEY))
    signer = keysource.from_file(str(private))
    assert (signer.origin, signer.where) == ("file", str(private))
    token = _signed(signer.text)
    assert _status(token, keysource.from_file(str(public))) == "valid"
    other = tmp_path / "other.pub.pem"
    other.write_text(kf.public_pem(OTHER))
    assert _status(token, keysource.from_file(str(other))) == "invalid"


def test_a_binary_der_file_is_handed_on_as_base64_der(tmp_path: Path) -> None:
    der = KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path = tmp_path / "key.der"
    path.write_bytes(der)
    source = keysource.from_file(str(path))
    assert source.secret_encoding == "utf-8"
    token = _signed(kf.private_pem(KEY))
    assert _status(token, source) == "valid"
    # Changed bytes in the token: the same file refuses it.
    head, payload, sig = token.split(".")
    forged = f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{sig}"
    assert _status(forged, source) == "invalid"


def test_raw_secret_bytes_are_handed_on_as_hex(tmp_path: Path) -> None:
    secret = bytes(range(200, 232))
    path = tmp_path / "secret.bin"
    path.write_bytes(secret)
    source = keysource.from_file(str(path))
    assert (source.text, source.secret_encoding) == (secret.hex(), "hex")
    with pytest.raises(keysource.KeySourceError, match="binary"):
        keysource.from_file(str(path), "base64")
    with pytest.raises(keysource.KeySourceError, match="not UTF-8 text"):
        keysource.from_file(str(path), binary=False)


def test_unusable_files_are_refused_saying_which_and_why(tmp_path: Path) -> None:
    with pytest.raises(keysource.KeySourceError, match="is a directory"):
        keysource.from_file(str(tmp_path))
    empty = tmp_path / "empty.pem"
    empty.write_text("  \n")
    with pytest.raises(keysource.KeySourceError, match="is empty"):
        keysource.from_file(str(empty))
    with pytest.raises(keysource.KeySourceError, match="cannot read key file"):
        keysource.from_file(str(tmp_path / "missing.pem"))
    big = tmp_path / "big.pem"
    with big.open("wb") as fh:
        fh.truncate(keysource.MAX_KEY_FILE_BYTES + 1)
    with pytest.raises(keysource.KeySourceError, match="larger than"):
        keysource.from_file(str(big))


def test_a_fetched_jwk_set_verifies_by_kid_and_only_with_its_own_key() -> None:
    jwks = json.dumps({"keys": [kf.jwk_dict(OTHER, kid="old"), kf.jwk_dict(KEY, kid="current")]})
    source = keysource.fetched_jwks(jwks, "https://issuer.example/jwks")
    assert (source.origin, source.where) == ("fetched", "https://issuer.example/jwks")
    private = kf.private_pem(KEY)
    assert _status(_signed(private, kid="current"), source) == "valid"
    # A token naming the other key's kid does not verify with this one's signature.
    assert _status(_signed(private, kid="old"), source) != "valid"


def test_the_key_text_stays_out_of_repr_and_options_keep_the_rest() -> None:
    source = keysource.pasted("correct horse battery staple", "utf-8")
    assert "correct horse" not in repr(source)
    base = InspectOptions(audience="api://orders", now=CLEAN_NOW)
    options = source.options(base)
    assert options.key == "correct horse battery staple"
    assert (options.audience, options.now) == ("api://orders", CLEAN_NOW)
    assert keysource.pasted("00ff", "hex").options().secret_encoding == "hex"


def test_importing_it_loads_neither_qt_nor_the_key_reader() -> None:
    """The window may import it before its first frame: no Qt, no ``cryptography``, no
    key reader until a binary file has to be told apart (checked in a fresh interpreter)."""
    code = (
        "import sys, inspector.keysource; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'cryptography') or m == 'inspector.core.keys'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


def test_a_fetched_jwk_set_over_the_cap_is_refused_and_one_at_the_cap_is_read() -> None:
    """Issue 13's 1 MB cap on what a fetch may bring: a set one byte over it is refused with
    a message naming the URL and the limit; one exactly at it is handed on whole."""
    member = json.dumps({"keys": [kf.jwk_dict(KEY, kid="current")]})
    pad = keysource.MAX_FETCHED_JWKS_BYTES - len(member) - len(', "x": ""')
    at_cap = member[:-1] + ', "x": "' + "a" * pad + '"}'
    assert len(at_cap.encode()) == keysource.MAX_FETCHED_JWKS_BYTES
    source = keysource.fetched_jwks(at_cap, "https://issuer.example/jwks")
    assert source.text == at_cap
    assert _status(_signed(kf.private_pem(KEY), kid="current"), source) == "valid"
    over = at_cap[:-2] + 'a"}'
    with pytest.raises(keysource.KeySourceError) as err:
        keysource.fetched_jwks(over, "https://issuer.example/jwks")
    message = str(err.value)
    assert "https://issuer.example/jwks" in message
    assert f"{keysource.MAX_FETCHED_JWKS_BYTES:,} bytes" in message
    # Counted in UTF-8 bytes, not characters: 'é' is two bytes.
    wide = at_cap[:-3] + 'é"}'
    assert len(wide) == keysource.MAX_FETCHED_JWKS_BYTES < len(wide.encode())
    with pytest.raises(keysource.KeySourceError):
        keysource.fetched_jwks(wide, "https://issuer.example/jwks")


def test_the_fetch_cap_is_the_key_readers_cap() -> None:
    from inspector.core.keys import MAX_KEY_TEXT

    assert keysource.MAX_FETCHED_JWKS_BYTES == MAX_KEY_TEXT
