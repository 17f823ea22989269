"""``jwt-inspector-cli inspect --decrypt-key FILE / --decrypt-secret TEXT`` (issue 14 item 4):
a JWE decrypts, the token inside is verified with --key, and the exit status is 1 whenever
decryption fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector.cli import main
from tests.core.jwetokens import (
    CLAIMS,
    PASSWORD,
    encrypt,
    flip,
    key_for,
    key_text,
    pem_private,
    secret,
    signed_inner,
)
from tests.core.keyfactory import rsa_key
from tests.core.tokens import STRONG_SECRET

NOW = ["--now", "1800000000"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def rsa_file(tmp_path: Path) -> str:
    path = tmp_path / "recipient.pem"
    path.write_text(pem_private(rsa_key(2048, 0)))
    return str(path)


def test_decrypt_key_file_decrypts_and_the_json_says_so(
    rsa_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    token = encrypt(CLAIMS, "RSA-OAEP-256", "A256GCM")
    code, out, _ = run(["inspect", token, "--decrypt-key", rsa_file, "--json", *NOW], capsys)
    d = json.loads(out)
    assert d["decryption"]["status"] == "decrypted"
    assert d["payload"] == CLAIMS
    assert code == 0


def test_a_failed_decryption_exits_1_and_shows_no_payload(
    rsa_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    token = flip(encrypt(CLAIMS, "RSA-OAEP-256", "A256GCM"), 4)
    code, out, _ = run(["inspect", token, "--decrypt-key", rsa_file, *NOW], capsys)
    assert code == 1
    assert "Not decrypted" in out
    assert "alice" not in out


def test_a_key_that_cannot_decrypt_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    token = encrypt(CLAIMS, "A128KW", "A128GCM")
    code, out, _ = run(["inspect", token, "--decrypt-secret", "not the key", "--json"], capsys)
    assert code == 1
    assert json.loads(out)["decryption"]["status"] == "failed"


def test_decrypt_secret_takes_a_pbes2_password(capsys: pytest.CaptureFixture[str]) -> None:
    token = encrypt(CLAIMS, "PBES2-HS256+A128KW", "A128GCM", header={"p2c": 1000})
    code, out, _ = run(["inspect", token, "--decrypt-secret", PASSWORD, "--json", *NOW], capsys)
    assert json.loads(out)["payload"] == CLAIMS
    assert code == 0


def test_decrypt_secret_honours_the_secret_encoding(capsys: pytest.CaptureFixture[str]) -> None:
    key = secret(16)
    token = encrypt(CLAIMS, "A128KW", "A128GCM", key=key)
    argv = ["inspect", token, "--decrypt-secret", key.hex(), "--secret-encoding", "hex", *NOW]
    code, out, _ = run([*argv, "--json"], capsys)
    assert json.loads(out)["decryption"]["status"] == "decrypted"
    assert code == 0


def test_the_nested_token_is_verified_with_key(
    rsa_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    token = encrypt(signed_inner(), "RSA-OAEP", "A128GCM", header={"cty": "JWT"})
    base = ["inspect", token, "--decrypt-key", rsa_file, *NOW]
    code, out, _ = run([*base, "--secret", STRONG_SECRET.decode()], capsys)
    assert "Nested token" in out
    assert "Decrypted" in out
    assert code == 0
    code, out, _ = run([*base, "--secret", "a different secret, long enough to be one"], capsys)
    assert code == 1  # decrypted, but the token inside does not verify


def test_key_alone_decrypts_when_no_decrypt_key_is_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = key_for("A256KW", "")
    token = encrypt(CLAIMS, "A256KW", "A128CBC-HS256")
    code, out, _ = run(["inspect", token, "--secret", key_text(key), "--json", *NOW], capsys)
    assert json.loads(out)["decryption"]["status"] == "decrypted"
    assert code == 0


def test_decrypt_key_and_decrypt_secret_exclude_each_other(
    rsa_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    token = encrypt(CLAIMS, "A128KW", "A128GCM")
    with pytest.raises(SystemExit) as exit_:
        main(["inspect", token, "--decrypt-key", rsa_file, "--decrypt-secret", "x"])
    assert exit_.value.code == 2


def test_an_unreadable_decrypt_key_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = encrypt(CLAIMS, "A128KW", "A128GCM")
    code, _, err = run(["inspect", token, "--decrypt-key", str(tmp_path / "nope.pem")], capsys)
    assert code == 2
    assert "nope.pem" in err


def test_a_jwe_without_any_key_still_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["inspect", encrypt(CLAIMS, "A128KW", "A128GCM"), *NOW], capsys)
    assert "Not decrypted: no key given" in out
    assert code == 0
