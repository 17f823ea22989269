"""``jwt-inspector-cli inspect`` and ``findings``: output, JSON contract and exit status."""

from __future__ import annotations

import io
import json
import subprocess
import sys

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
