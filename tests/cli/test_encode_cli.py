"""``jwt-inspector-cli encode`` and ``keygen``: tokens that verify, keys that load, exit 2 with
a clear message for usage errors."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jwt
import pytest
from jwcrypto import jwk as jwcrypto_jwk

from inspector.cli import encode_cmd, main
from inspector.core.inspection import inspect_token

NOW = 1_700_000_000
SECRET = "a-strong-secret-that-is-long-enough-for-HS512-which-wants-64-bytes"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(encode_cmd.time, "time", lambda: NOW + 0.5)

    def _run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def _claims(token: str) -> dict[str, Any]:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_encode_with_a_secret_verifies_in_pyjwt(run: Any) -> None:
    code, out, err = run(
        "encode", '{"sub": "42"}', "--secret", SECRET, "--alg", "HS384", "--exp", "+1h", "--iat"
    )
    assert code == 0, err
    token = out.strip()
    assert out.endswith("\n")
    assert out.count("\n") == 1
    claims = jwt.decode(
        token, SECRET, algorithms=["HS384"], options={"verify_exp": False, "verify_iat": False}
    )
    assert claims == {"sub": "42", "iat": NOW, "exp": NOW + 3600}


def test_payload_from_stdin_and_header_option(run: Any) -> None:
    code, out, _ = run(
        "encode", "--secret", SECRET, "--header", '{"typ": "at+jwt"}', stdin='{"a": [1]}\n'
    )
    assert code == 0
    assert jwt.get_unverified_header(out.strip()) == {"alg": "HS256", "typ": "at+jwt"}
    assert _claims(out.strip()) == {"a": [1]}


def test_times_nbf_and_absolute(run: Any) -> None:
    code, out, _ = run(
        "encode", "{}", "--secret", SECRET, "--nbf=-5m", "--exp", "1800000000", "--iat"
    )
    assert code == 0
    assert _claims(out.strip()) == {"nbf": NOW - 300, "exp": 1_800_000_000, "iat": NOW}


@pytest.mark.parametrize("alg", ["RS256", "PS512", "ES256K", "Ed448"])
def test_encode_with_a_generated_key_file(run: Any, tmp_path: Path, alg: str) -> None:
    code, pem, _ = run("keygen", "--alg", alg)
    assert code == 0
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    key_file = tmp_path / "key.pem"
    key_file.write_text(pem)
    code, pub, _ = run("keygen", "--from", str(key_file), "--public", "--jwk")
    assert code == 0
    code, out, err = run("encode", '{"sub": "x"}', "--key", str(key_file), "--alg", alg)
    assert code == 0, err
    token = out.strip()
    from jwcrypto import jws

    obj = jws.JWS()
    obj.deserialize(token)
    obj.allowed_algs = [alg]
    obj.verify(jwcrypto_jwk.JWK.from_json(pub))
    assert inspect_token(token, pub, now=NOW).verification.status == "valid"


def test_kid_option_and_kid_from_a_jwk(run: Any, tmp_path: Path) -> None:
    code, jwk_text, _ = run("keygen", "--alg", "ES256", "--jwk")
    assert code == 0
    key_file = tmp_path / "key.json"
    key_file.write_text(jwk_text)
    kid = json.loads(jwk_text)["kid"]
    _, out, err = run("encode", "{}", "--key", str(key_file))
    assert jwt.get_unverified_header(out.strip())["kid"] == kid
    assert f"kid '{kid}' taken from the key" in err
    _, out, _ = run("encode", "{}", "--key", str(key_file), "--kid", "mine")
    assert jwt.get_unverified_header(out.strip())["kid"] == "mine"


def test_none_is_explicit(run: Any) -> None:
    code, out, err = run("encode", '{"admin": true}', "--none")
    assert code == 0
    assert out.strip().endswith(".")
    assert jwt.get_unverified_header(out.strip()) == {"alg": "none"}
    assert "Unsecured token" in err
    code, out, err = run("encode", "{}", "--alg", "none", "--secret", SECRET)
    assert code == 2
    assert out == ""
    assert "only made when asked for explicitly" in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["encode", '{"a": 1,}', "--secret", SECRET], "not valid JSON"),
        (["encode", '{"a": 1, "a": 2}', "--secret", SECRET], "'a' a second time"),
        (["encode", "[]", "--secret", SECRET], "must be a JSON object"),
        (["encode", "{}", "--header", "{", "--secret", SECRET], "The header is not valid JSON"),
        (["encode", "{}", "--key", "/nonexistent/key.pem"], "cannot read key file"),
        (["encode", "{}", "--secret", SECRET, "--exp", "soon"], "'exp': 'soon' is not a time"),
        (["encode", "{}", "--secret", SECRET, "--alg", "HS999"], "Unknown algorithm 'HS999'"),
        (["encode", "{}"], "No signing key"),
        (["encode", "{}", "--none", "--secret", SECRET], "leave out --key and --secret"),
        (["encode", "{}", "--none", "--alg", "HS256"], "cannot use --alg HS256"),
        (["keygen"], "choose an algorithm with --alg"),
        (["keygen", "--alg", "RS256", "--bits", "1024"], "not 1024"),
        (["keygen", "--alg", "ES256", "--bits", "256"], "fixed size"),
        (["keygen", "--alg", "XS256"], "cannot generate a key for 'XS256'"),
        (["keygen", "--alg", "HS256", "--pem"], "no public half and no PEM form"),
        (["keygen", "--alg", "HS256", "--public"], "no public half"),
        (["keygen", "--from", "/nonexistent"], "cannot read key file"),
    ],
)
def test_usage_errors_exit_2_with_a_message(run: Any, argv: list[str], words: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert words in err
    assert err.startswith(f"jwt-inspector-cli {argv[0]}: error: ")


#: Our message around the json module's reason: what is wrong, then where. The reason's wording
#: and the exact column are the json module's and differ between Python versions (3.13 reports a
#: trailing comma at the comma, column 8; 3.11 after it, column 9), so only the shape is ours.
BAD_JSON = re.compile(
    r"The (?P<field>payload|header) is not valid JSON: (?P<reason>\S.*?) "
    r"at line (?P<line>\d+), column (?P<column>\d+)\.$"
)


def _json_position(text: str) -> tuple[int, int]:
    """Where this interpreter's json module places the error in ``text``."""
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return err.lineno, err.colno
    raise AssertionError(f"{text!r} is valid JSON")


@pytest.mark.parametrize("payload", ['{"a": 1,}', '{"sub": }', '{\n  "a": 1,\n  "b": }'])
def test_bad_json_payload_says_where(run: Any, payload: str) -> None:
    code, out, err = run("encode", payload, "--secret", SECRET)
    assert code == 2
    assert out == ""
    line = err.strip().splitlines()[-1]
    match = BAD_JSON.search(line)
    assert match, line
    assert match["field"] == "payload"
    where = int(match["line"]), int(match["column"])
    assert where == _json_position(payload)
    # The place is inside the text: the line exists and the column is on it (or just past it).
    lines = payload.split("\n")
    assert where[0] == len(lines)
    assert 1 <= where[1] <= len(lines[where[0] - 1]) + 1


def test_key_that_does_not_fit_exits_2(run: Any, tmp_path: Path) -> None:
    _, pem, _ = run("keygen", "--alg", "ES384")
    key_file = tmp_path / "k.pem"
    key_file.write_text(pem)
    code, _, err = run("encode", "{}", "--key", str(key_file), "--alg", "RS256")
    assert code == 2
    assert "RS256 needs an RSA private key" in err
    assert pem.splitlines()[1] not in err


def test_binary_key_file_is_a_usage_error(run: Any, tmp_path: Path) -> None:
    key_file = tmp_path / "k.der"
    key_file.write_bytes(b"\x30\x82\xff\xfe")
    code, _, err = run("encode", "{}", "--key", str(key_file))
    assert code == 2
    assert "not UTF-8 text" in err


def test_argparse_rejects_unknown_options_with_2(run: Any) -> None:
    with pytest.raises(SystemExit) as raised:
        run("encode", "{}", "--bogus")
    assert raised.value.code == 2


@pytest.mark.parametrize(
    ("argv", "check"),
    [
        (["--alg", "HS512"], lambda o: len(base64.urlsafe_b64decode(o["k"] + "==")) == 64),
        (["--alg", "HS256", "--bits", "512"], lambda o: len(o["k"]) == 86),
        (["--alg", "ES512", "--jwk"], lambda o: o["crv"] == "P-521" and "d" in o),
        (["--alg", "EdDSA", "--crv", "Ed448", "--jwk", "--public"], lambda o: "d" not in o),
        (["--alg", "PS256", "--jwks"], lambda o: "d" not in o["keys"][0]),
    ],
)
def test_keygen_jwk_output(run: Any, argv: list[str], check: Any) -> None:
    code, out, _ = run("keygen", *argv)
    assert code == 0
    assert check(json.loads(out))


def test_keygen_pem_public_and_thumbprint(run: Any, tmp_path: Path) -> None:
    code, pub, _ = run("keygen", "--alg", "Ed25519", "--public")
    assert code == 0
    assert pub.startswith("-----BEGIN PUBLIC KEY-----")
    key_file = tmp_path / "pub.pem"
    key_file.write_text(pub)
    _, thumb, _ = run("keygen", "--from", str(key_file), "--thumbprint")
    assert thumb.strip() == jwcrypto_jwk.JWK.from_pem(pub.encode()).thumbprint()
    _, thumb2, _ = run("keygen", "--alg", "ES256", "--thumbprint")
    assert len(thumb2.strip()) == 43


def test_keygen_from_refuses_generation_options(run: Any, tmp_path: Path) -> None:
    key_file = tmp_path / "k.pem"
    key_file.write_text("x")
    code, _, err = run("keygen", "--from", str(key_file), "--alg", "ES256")
    assert code == 2
    assert "leave out --alg" in err


def test_keygen_from_a_file_that_holds_no_key_says_so(run: Any, tmp_path: Path) -> None:
    """Issue 12 item 8: text that is no key is refused, not printed back as an 'oct' JWK."""
    key_file = tmp_path / "notes.txt"
    key_file.write_text("remember to rotate the keys\n")
    code, out, err = run("keygen", "--from", str(key_file), "--jwk")
    assert code == 2
    assert out == ""
    assert "This is not a key" in err
    assert "rotate" not in err


def test_real_process_exit_codes() -> None:
    script = "import sys; from inspector.cli import main; sys.exit(main())"
    ok = subprocess.run(
        [sys.executable, "-c", script, "encode", "--secret", SECRET],
        input='{"sub": "1"}',
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert jwt.decode(ok.stdout.strip(), SECRET, algorithms=["HS256"]) == {"sub": "1"}
    bad = subprocess.run(
        [sys.executable, "-c", script, "encode", "--secret", SECRET],
        input='{"sub": }',
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    match = BAD_JSON.search(bad.stderr.strip())
    assert match, bad.stderr
    assert (int(match["line"]), int(match["column"])) == _json_position('{"sub": }')


def test_iat_is_a_flag_so_it_does_not_swallow_the_payload(run: Any) -> None:
    code, out, _ = run("encode", "--iat", '{"a": 1}', "--secret", SECRET)
    assert code == 0
    assert _claims(out.strip()) == {"a": 1, "iat": NOW}
