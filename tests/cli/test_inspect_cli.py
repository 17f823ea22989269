"""``jwt-inspector-cli inspect`` and ``findings``: output, JSON contract and exit status."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.core import CATALOGUE
from tests.core.tokens import (
    CLEAN_CLAIMS,
    CLEAN_HEADER,
    CLEAN_NOW,
    clean_token,
)

NOW = ["--now", str(CLEAN_NOW)]
ROOT = Path(__file__).resolve().parents[2]


def run(argv, stdin: str | None = None, monkeypatch=None, capsys=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_is_the_inspection_dict(capsys, monkeypatch):
    code, out, _ = run(
        ["inspect", clean_token(), "--json", *NOW], capsys=capsys, monkeypatch=monkeypatch
    )
    d = json.loads(out)
    assert d["token"] == clean_token()
    assert d["header"] == CLEAN_HEADER
    assert d["payload"] == CLEAN_CLAIMS
    assert set(d) >= {
        "token",
        "format",
        "segments",
        "header",
        "payload",
        "signature",
        "verification",
        "findings",
        "size",
    }
    assert d["verification"]["status"] == "unchecked"
    assert code == 0


def test_human_output_is_plain_when_piped(capsys, monkeypatch):
    code, out, _ = run(
        ["inspect", f"Bearer {clean_token()}", *NOW], capsys=capsys, monkeypatch=monkeypatch
    )
    assert "\x1b[" not in out
    assert "Header" in out
    assert '"alg": "HS256"' in out
    assert "Not checked" in out
    assert "[input-cleaned]" in out
    assert code == 0


def test_colour_always_colours_the_parts(capsys, monkeypatch):
    _, out, _ = run(
        ["inspect", clean_token(), "--color", "always", *NOW],
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    h = clean_token().split(".")[0]
    assert f"\x1b[1;31m{h}\x1b[0m" in out


def test_stdin_with_several_tokens_prints_one_json_object_per_line(capsys, monkeypatch):
    good = clean_token()
    bad = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."
    code, out, _ = run(
        ["inspect", "--json", *NOW],
        stdin=f"{good}\n\n{bad}\n{good}\n",
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    lines = out.splitlines()
    assert [json.loads(line)["token"] for line in lines] == [good, bad, good]
    assert code == 1  # the alg=none token fails the run


def test_stdin_dash_reads_one_multiline_document(capsys, monkeypatch):
    doc = json.dumps({"access_token": clean_token(), "token_type": "Bearer"}, indent=2)
    _code, out, _ = run(
        ["inspect", "-", "--json", *NOW], stdin=doc, capsys=capsys, monkeypatch=monkeypatch
    )
    assert len(out.splitlines()) == 1
    assert json.loads(out)["token"] == clean_token()


def test_exit_1_for_not_a_token(capsys, monkeypatch):
    code, out, _ = run(["inspect", "hello", *NOW], capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert "not-a-token" in out


def test_exit_1_for_a_high_finding(capsys, monkeypatch):
    raw_dup = '{"sub":"a","sub":"b"}'
    import base64

    seg = base64.urlsafe_b64encode(raw_dup.encode()).rstrip(b"=").decode()
    tok = clean_token().split(".")
    code, _, _ = run(
        ["inspect", f"{tok[0]}.{seg}.{tok[2]}", *NOW], capsys=capsys, monkeypatch=monkeypatch
    )
    assert code == 1


def test_exit_2_for_unreadable_key_file(capsys, monkeypatch, tmp_path):
    code, _, err = run(
        ["inspect", clean_token(), "--key", str(tmp_path / "missing.pem")],
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    assert code == 2
    assert "cannot read key file" in err
    assert "missing.pem" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["inspect", "x", "--secret-encoding", "rot13"],
        ["inspect", "x", "--now", "yesterday"],
        ["inspect", "x", "--secret", "a", "--key", "f"],
        ["inspect", "--bogus"],
    ],
)
def test_exit_2_for_bad_options(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_findings_lists_the_whole_catalogue(capsys):
    assert main(["findings", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {e["id"] for e in listed} == set(CATALOGUE)
    assert all(e["explanation"] and e["reference"] for e in listed)
    assert main(["findings"]) == 0
    text = capsys.readouterr().out
    assert "key-confusion  [critical]" in text
    assert "Reference: " in text


def test_console_script_runs_as_a_module():
    r = subprocess.run(
        [sys.executable, "-m", "inspector.cli", "inspect", clean_token(), "--json", *NOW],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["payload"] == CLEAN_CLAIMS


def test_a_log_with_a_garbage_line_gives_one_object_per_line(capsys, monkeypatch):
    good = clean_token()
    code, out, _ = run(
        ["inspect", "--json", *NOW],
        stdin=f"{good}\ngarbage\n{good}\n",
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    formats = [json.loads(line)["format"] for line in out.splitlines()]
    assert formats == ["jws", "unknown", "jws"]
    assert code == 1


def test_exit_2_for_an_empty_key_file(capsys, monkeypatch, tmp_path):
    empty = tmp_path / "e.key"
    empty.write_text("\n")
    code, _, err = run(
        ["inspect", clean_token(), "--key", str(empty)], capsys=capsys, monkeypatch=monkeypatch
    )
    assert code == 2
    assert "is empty" in err


def test_exit_2_for_a_directory_as_key_or_wordlist(capsys, monkeypatch, tmp_path):
    assert (
        run(
            ["inspect", clean_token(), "--key", str(tmp_path)],
            capsys=capsys,
            monkeypatch=monkeypatch,
        )[0]
        == 2
    )
    assert (
        run(
            ["inspect", clean_token(), "--wordlist", str(tmp_path)],
            capsys=capsys,
            monkeypatch=monkeypatch,
        )[0]
        == 2
    )


def test_binary_der_public_key_file_is_read_as_a_key(capsys, monkeypatch, tmp_path):
    import jwt as pyjwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path = tmp_path / "pub.der"
    path.write_bytes(der)
    tok = pyjwt.encode({"sub": "1"}, key, algorithm="ES256")
    _code, out, _ = run(
        ["inspect", tok, "--key", str(path), "--json", "--no-weak-secrets"],
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    d = json.loads(out)
    assert d["verification"]["status"] == "valid"
    assert "EC P-256" in d["verification"]["key"]


def test_now_accepts_iso_8601_and_leeway_must_not_be_negative(capsys, monkeypatch):
    tok = clean_token()
    iso = "2027-01-15T08:05:00Z"  # = CLEAN_NOW
    _, out_iso, _ = run(
        ["inspect", tok, "--json", "--now", iso], capsys=capsys, monkeypatch=monkeypatch
    )
    _, out_num, _ = run(["inspect", tok, "--json", *NOW], capsys=capsys, monkeypatch=monkeypatch)
    assert json.loads(out_iso)["times"] == json.loads(out_num)["times"]
    code, _, err = run(["inspect", tok, "--leeway", "-5"], capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2
    assert ">= 0" in err


def test_exit_status_survives_a_closed_pipe():
    bad = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."
    r = subprocess.run(
        f"{sys.executable} -m inspector.cli inspect {bad} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0  # head's status
    r = subprocess.run(
        [
            "/bin/bash",
            "-o",
            "pipefail",
            "-c",
            f"{sys.executable} -m inspector.cli inspect {bad} | head -1",
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr


def test_a_file_name_given_as_token_gets_a_hint(capsys, monkeypatch, tmp_path):
    f = tmp_path / "t.txt"
    f.write_text(clean_token())
    code, _, err = run(["inspect", str(f)], capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert "is a file" in err
    assert "inspect - <" in err


@pytest.mark.parametrize(
    "argv",
    [["--now", "1e400"], ["--now", "nan"], ["--leeway", "nan"], ["--leeway", "inf"]],
)
def test_non_finite_times_are_usage_errors(argv, capsys, monkeypatch):
    try:
        code = main(["inspect", clean_token(), *argv])
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert "finite" in capsys.readouterr().err


def test_a_full_disk_is_one_line_not_a_traceback():
    r = subprocess.run(
        f"{sys.executable} -m inspector.cli inspect {clean_token()} > /dev/full",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 2
    assert "cannot write the output" in r.stderr
    assert "Traceback" not in r.stderr


def test_a_verified_but_expired_token_says_both_in_red(capsys, monkeypatch):
    """Issue 12 item 1: the CLI's verdict line is the window's headline, in the worse
    colour; the encoding hint reaches the text report and the JSON."""
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    secret = b"Vq3m9Zr1xT7cKp4LwN8bYh2sJd6fGa0eRu5tQiOyMvXzClPk"
    claims = {"sub": "1", "jti": "j", "exp": CLEAN_NOW - 60}
    si = b64(b'{"alg":"HS256"}') + "." + b64(json.dumps(claims).encode())
    token = f"{si}.{b64(hmac.new(secret, si.encode(), hashlib.sha256).digest())}"
    argv = ["inspect", token, "--secret", secret.decode(), *NOW, "--color", "always"]
    code, out, _ = run(argv, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    lines = out.splitlines()
    verdict_line = lines[lines.index("\x1b[1mVerification\x1b[0m") + 1]
    assert verdict_line == "  \x1b[1;31mSignature verified \u2013 but the token is expired\x1b[0m"
    # The secret written in base64url but read as UTF-8 text: the report names the encoding
    # that works, and the verdict stays invalid (exit status 1).
    argv = ["inspect", token, "--secret", b64(secret), *NOW, "--color", "never"]
    code, out, _ = run(argv, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1
    assert "  Invalid signature: the secret is base64url\n" in out
    assert "switch the secret encoding to base64url" in out
    code, out, _ = run([*argv[:-2], "--json"], capsys=capsys, monkeypatch=monkeypatch)
    assert json.loads(out)["verification"]["secret_encoding_hint"] == "base64url"
    assert json.loads(out)["verification"]["status"] == "invalid"
    argv = ["inspect", token, "--secret", b64(secret), "--secret-encoding", "base64url", *NOW]
    code, out, _ = run([*argv, "--json"], capsys=capsys, monkeypatch=monkeypatch)
    assert json.loads(out)["verification"]["status"] == "valid"
    assert json.loads(out)["verification"]["secret_encoding_hint"] is None
