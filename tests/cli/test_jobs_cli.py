"""``jwt-inspector-cli inspect --jobs N``: a log of tokens inspected in N worker processes
(through ``inspector.batch.inspect_many``) gives the same output, in the same order, and the
same exit status as one process."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.cli import main
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, hs256

NOW = ["--now", str(CLEAN_NOW)]
ROOT = Path(__file__).resolve().parents[2]


def _log() -> str:
    lines = [hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": f"user-{i}"}) for i in range(40)]
    lines[3] = "garbage"
    lines[7] = hs256(CLEAN_HEADER, CLEAN_CLAIMS, secret=b"forged with another secret")
    lines[11] = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "blob": "x" * 150_000})
    return "\n".join(lines) + "\n"


def _run(argv: list[str], stdin: str, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    return code, capsys.readouterr().out


@pytest.mark.parametrize("fmt", [["--json"], []])
def test_jobs_2_prints_what_jobs_1_prints(fmt, monkeypatch, capsys) -> None:
    argv = ["inspect", "-", "--secret", STRONG_SECRET.decode(), *NOW, *fmt]
    log = _log()
    one = _run([*argv, "--jobs", "1"], log, monkeypatch, capsys)
    two = _run([*argv, "--jobs", "2"], log, monkeypatch, capsys)
    assert two == one
    assert one[0] == 1  # the garbage line and the forged token fail the run
    if fmt:
        assert len(one[1].splitlines()) == 40


def test_jobs_runs_from_python_dash_m() -> None:
    """Worker processes are spawned: the module run with -m must not run again in them."""
    log = _log()
    argv = ["inspect", "-", "--json", "--secret", STRONG_SECRET.decode(), *NOW]
    runs = [
        subprocess.run(
            [sys.executable, "-m", "inspector.cli", *argv, "--jobs", jobs],
            input=log,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        for jobs in ("1", "2")
    ]
    assert runs[1].returncode == runs[0].returncode == 1, runs[1].stderr
    assert runs[1].stdout == runs[0].stdout
    assert len(runs[1].stdout.splitlines()) == 40
    assert runs[1].stderr == ""


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_jobs_count_is_a_usage_error(value, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["inspect", "x", "--jobs", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--jobs" in err
    assert "error:" in err
