"""``jwt-inspector-cli encode --encrypt-alg ALG --enc ENC --encrypt-key FILE`` (issue 14 item 4):
a payload, or a signed token (sign-then-encrypt, ``cty: "JWT"``), encrypted for every key
management family, run through the installed console script and decrypted both here and by
jwcrypto (an independent implementation); bad options exit 2 with a message that says why."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jwcrypto import jwe as jwcrypto_jwe
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jwt as jwcrypto_jwt

from inspector.core.inspection import inspect_token
from tests.core.jwetokens import PASSWORD, key_for, key_text
from tests.core.keyfactory import public_pem
from tests.core.tokens import STRONG_SECRET

#: The console script pip installed beside this interpreter (the entry point users run).
CLI = Path(sys.executable).with_name("jwt-inspector-cli")
CLAIMS = {"sub": "alice", "iss": "https://idp.example/"}
NOW = "1800000000"
SIGNING_SECRET = STRONG_SECRET.decode()


def cli(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert CLI.exists(), f"the console script is not installed at {CLI}"
    return subprocess.run(
        [str(CLI), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def recipient_files(tmp_path: Path, alg: str, enc: str) -> tuple[Any, list[str], str]:
    """The recipient's key object, the encode options naming it (a public PEM for RSA and EC,
    the secret as an oct JWK file, the password as --encrypt-secret) and the private text."""
    key = key_for(alg, enc)
    private = key_text(key)
    if key == PASSWORD.encode():
        return key, ["--encrypt-secret", PASSWORD], private
    path = tmp_path / "recipient"
    path.write_text(private if isinstance(key, bytes) else public_pem(key))
    return key, ["--encrypt-key", str(path)], private


def jwcrypto_key(key: Any) -> Any:
    if isinstance(key, bytes):
        if key == PASSWORD.encode():
            return jwcrypto_jwk.JWK.from_password(PASSWORD)
        return jwcrypto_jwk.JWK(**json.loads(key_text(key)))
    return jwcrypto_jwk.JWK.from_pem(key_text(key).encode())


#: One algorithm of every key-management family, each with a different content encryption.
FAMILIES = [
    ("RSA-OAEP-256", "A256GCM"),
    ("RSA-OAEP", "A128CBC-HS256"),
    ("RSA1_5", "A128GCM"),
    ("A128KW", "A192CBC-HS384"),
    ("A256GCMKW", "A256CBC-HS512"),
    ("dir", "A192GCM"),
    ("ECDH-ES", "A256GCM"),
    ("ECDH-ES+A192KW", "A128CBC-HS256"),
    ("PBES2-HS256+A128KW", "A128GCM"),
]


@pytest.mark.parametrize(("alg", "enc"), FAMILIES)
def test_a_payload_encrypted_by_the_cli_decrypts_here_and_in_jwcrypto(
    tmp_path: Path, alg: str, enc: str
) -> None:
    key, options, private = recipient_files(tmp_path, alg, enc)
    r = cli("encode", json.dumps(CLAIMS), "--encrypt-alg", alg, "--enc", enc, *options)
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    assert token.count(".") == 4
    d = inspect_token(token, decryption_key=private, now=float(NOW)).to_dict()
    assert d["decryption"]["status"] == "decrypted", d["decryption"]
    assert (d["decryption"]["algorithm"], d["decryption"]["encryption"]) == (alg, enc)
    assert d["payload"] == CLAIMS
    assert d["nested"] is None
    theirs = jwcrypto_jwe.JWE()
    theirs.allowed_algs = [alg, enc]
    theirs.deserialize(token, key=jwcrypto_key(key))
    assert json.loads(theirs.payload) == CLAIMS


@pytest.mark.parametrize(("alg", "enc"), [FAMILIES[0], FAMILIES[4], FAMILIES[7], FAMILIES[8]])
def test_sign_then_encrypt_round_trips_through_encode_and_inspect(
    tmp_path: Path, alg: str, enc: str
) -> None:
    key, options, private = recipient_files(tmp_path, alg, enc)
    r = cli(
        "encode",
        *("--secret", SIGNING_SECRET, "--alg", "HS256", "--exp", "+1h"),
        *("--encrypt-alg", alg, "--enc", enc, *options),
        stdin=json.dumps(CLAIMS),
    )
    assert r.returncode == 0, r.stderr
    token = r.stdout.strip()
    dec_file = tmp_path / "private"
    dec_file.write_text(private)
    seen = cli(
        "inspect",
        token,
        *("--decrypt-key", str(dec_file), "--secret", SIGNING_SECRET, "--json", "--now", NOW),
    )
    d = json.loads(seen.stdout)
    assert d["header"]["cty"] == "JWT"
    assert d["decryption"]["status"] == "decrypted"
    inner = d["nested"]
    assert inner is not None
    assert inner["header"]["alg"] == "HS256"
    assert inner["verification"]["status"] == "valid", inner["verification"]
    assert {k: inner["payload"][k] for k in CLAIMS} == CLAIMS
    assert isinstance(inner["payload"]["exp"], int)
    # jwcrypto agrees: the outer token decrypts, the inner one verifies with the secret.
    outer = jwcrypto_jwe.JWE()
    outer.allowed_algs = [alg, enc]
    outer.deserialize(token, key=jwcrypto_key(key))
    hs = jwcrypto_jwk.JWK.from_password(SIGNING_SECRET)
    checked = jwcrypto_jwt.JWT(jwt=outer.payload.decode(), key=hs, algs=["HS256"])
    assert json.loads(checked.claims)["sub"] == "alice"


def test_a_wrong_signing_secret_does_not_verify_inside_a_good_encryption(tmp_path: Path) -> None:
    """Forging through: the outer decryption succeeding must not make the inner token pass."""
    _, options, private = recipient_files(tmp_path, "A256KW", "A256GCM")
    r = cli(
        "encode",
        "{}",
        *("--secret", SIGNING_SECRET, "--encrypt-alg", "A256KW", *options),
    )
    assert r.returncode == 0, r.stderr
    d = inspect_token(
        r.stdout.strip(), key="another-secret-of-sufficient-length-000000", decryption_key=private
    ).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert d["nested"]["verification"]["status"] == "invalid"


def test_zip_and_extra_header_members(tmp_path: Path) -> None:
    _, options, private = recipient_files(tmp_path, "PBES2-HS256+A128KW", "A128GCM")
    r = cli(
        "encode",
        json.dumps({"note": "x" * 400}),
        *("--encrypt-alg", "PBES2-HS256+A128KW", "--zip", *options),
        *("--encrypt-header", '{"kid": "k1", "p2c": 2000}'),
    )
    assert r.returncode == 0, r.stderr
    d = inspect_token(r.stdout.strip(), decryption_key=private).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert d["header"]["zip"] == "DEF"
    assert (d["header"]["kid"], d["header"]["p2c"], d["header"]["enc"]) == ("k1", 2000, "A256GCM")
    assert d["payload"] == {"note": "x" * 400}
    assert len(r.stdout) < 400  # compressed


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--encrypt-alg", "RSA-OAEP"], "needs the recipient's key"),
        (["--encrypt-alg", "rsa-oaep", "--encrypt-secret", "s"], "not a JWE key management"),
        (["--encrypt-alg", "HS256", "--encrypt-secret", "s"], "not a JWE key management"),
        (["--encrypt-alg", "dir", "--enc", "A256CTR", "--encrypt-secret", "s"], "content enc"),
        (["--enc", "A256GCM"], "only used with --encrypt-alg"),
        (["--encrypt-secret", "s"], "only used with --encrypt-alg"),
        (["--encrypt-alg", "dir", "--encrypt-secret", "short"], "256 bits"),
        (["--encrypt-alg", "A128KW", "--encrypt-secret", "x", "--encrypt-header", "[1]"], "obj"),
        (
            ["--encrypt-alg", "A128KW", "--encrypt-secret", "x", "--encrypt-header", '{"enc": 1}'],
            "--enc",
        ),
        (["--encrypt-alg", "dir", "--encrypt-secret", "s", "--kid", "k"], "--kid belongs to"),
        (["--encrypt-alg", "RSA-OAEP", "--encrypt-secret", "a shared secret"], "RSA public key"),
        (["--encrypt-alg", "ECDH-ES", "--encrypt-key", "/nonexistent/key.pem"], "key.pem"),
        (
            [
                "--encrypt-alg",
                "PBES2-HS256+A128KW",
                "--encrypt-secret",
                "pw",
                "--encrypt-header",
                '{"p2c": 0}',
            ],
            "p2c",
        ),
    ],
)
def test_bad_encryption_options_exit_2_and_say_why(argv: list[str], says: str) -> None:
    r = cli("encode", '{"sub": "1"}', *argv)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.startswith("jwt-inspector-cli encode: error: ")
    assert says in r.stderr
    assert "Traceback" not in r.stderr


def test_a_key_that_cannot_encrypt_stops_before_anything_is_signed(tmp_path: Path) -> None:
    """A signed-but-not-encrypted token is never printed when the encryption part is bad."""
    r = cli("encode", "{}", "--secret", SIGNING_SECRET, "--encrypt-alg", "RSA-OAEP-256")
    assert r.returncode == 2
    assert r.stdout == ""
    rsa = tmp_path / "rsa.pem"
    rsa.write_text(key_text(key_for("RSA-OAEP", "A128GCM")))
    r = cli(
        "encode",
        "{}",
        "--secret",
        SIGNING_SECRET,
        "--encrypt-alg",
        "A128KW",
        "--encrypt-key",
        str(rsa),
    )
    assert r.returncode == 2
    assert r.stdout == ""
    assert "shared secret" in r.stderr
