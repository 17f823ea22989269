"""``jwt-inspector-cli inspect --jobs N``: a log of tokens inspected in N worker processes
(through ``inspector.batch.inspect_many``) gives the same output, in the same order, and the
same exit status as one process."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import batch
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


# ------------------------------------------------ streaming, the default --jobs, progress


class _CountingStdin:
    """Standard input over bytes (its ``buffer`` is itself) that counts the lines read."""

    def __init__(self, data: bytes) -> None:
        self.buffer = self
        self._lines = io.BytesIO(data)
        self.lines_read = 0

    def __iter__(self):
        for line in self._lines:
            self.lines_read += 1
            yield line


def _tokens(n: int) -> list[str]:
    return [hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": f"user-{i}"}) for i in range(n)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_log_is_streamed_not_read_whole(jobs, monkeypatch) -> None:
    """The first report is written when only a few chunks of the log have been read."""
    n = 3000
    stdin = _CountingStdin(("\n".join(_tokens(n)) + "\n").encode())
    read_at_first_write: list[int] = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            if not read_at_first_write:
                read_at_first_write.append(stdin.lines_read)
            return super().write(text)

    out = Out()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", out)
    code = main(["inspect", "-", "--json", "--no-weak-secrets", *NOW, "--jobs", jobs])
    assert code == 0
    assert len(out.getvalue().splitlines()) == n
    assert stdin.lines_read == n
    # jobs 1: one line beyond the two that tell a log from a document; jobs 2: the chunks
    # in flight (2 workers x 2 chunks of CHUNK_TEXTS texts) and the one being cut
    in_flight = (2 * batch.AHEAD_PER_WORKER + 1) * batch.CHUNK_TEXTS + 8
    assert read_at_first_write[0] <= (3 if jobs == "1" else in_flight) < n / 4


def test_a_line_that_is_not_utf8_stops_a_streamed_log(monkeypatch, capsys) -> None:
    lines = [t.encode() for t in _tokens(5)]
    lines[3] = b"\xff" + lines[3]
    data = b"\n".join(lines) + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["inspect", "-", "--json", "--no-weak-secrets", *NOW, "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 2
    assert len(out.splitlines()) == 3  # the lines before it were inspected and printed
    offset = sum(len(line) + 1 for line in lines[:3])
    assert f"not UTF-8 text (byte 0xff at offset {offset})" in err


@pytest.mark.parametrize(("n", "expected"), [(3, 1), (255, 1), (256, 7), (600, 7)])
def test_jobs_default_is_one_per_cpu_for_a_long_log(n, expected, monkeypatch, capsys) -> None:
    import inspector.cli.inspect_cmd as cmd

    seen: list[int] = []
    real = cmd.map_ordered

    def spy(fn, tasks, jobs=1, **kw):
        seen.append(jobs)
        return real(fn, tasks, 1, **kw)  # (run here: only the choice is tested)

    monkeypatch.setattr(cmd, "map_ordered", spy)
    monkeypatch.setattr(cmd, "cpu_count", lambda: 7)
    code, out = _run(
        ["inspect", "-", "--json", "--no-weak-secrets", *NOW], "\n".join(_tokens(n)), monkeypatch,
        capsys,
    )  # fmt: skip
    assert code == 0
    assert len(out.splitlines()) == n
    assert seen == [expected]


def test_jobs_given_is_used_as_given(monkeypatch, capsys) -> None:
    import inspector.cli.inspect_cmd as cmd

    seen: list[int] = []
    real = cmd.map_ordered
    monkeypatch.setattr(
        cmd, "map_ordered", lambda f, t, jobs=1, **kw: seen.append(jobs) or real(f, t, 1, **kw)
    )
    _run(["inspect", "-", "--json", *NOW, "--jobs", "3"], "\n".join(_tokens(3)), monkeypatch,
         capsys)  # fmt: skip
    assert seen == [3]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _progress_run(tmp_path, monkeypatch, *, stderr_tty: bool, from_file: bool):
    import inspector.cli.inspect_cmd as cmd

    monkeypatch.setattr(cmd, "PROGRESS_EVERY", 0.0)
    log = tmp_path / "tokens.log"
    log.write_text("\n".join(_tokens(20)) + "\n")
    if from_file:
        stdin = open(log, encoding="utf-8")  # closed below
    else:
        stdin = io.TextIOWrapper(io.BytesIO(log.read_bytes()))
    err = _Tty() if stderr_tty else io.StringIO()
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    try:
        code = main(["inspect", "-", "--json", "--no-weak-secrets", *NOW, "--jobs", "1"])
    finally:
        stdin.close()
    return code, out.getvalue(), err.getvalue()


def test_progress_line_on_a_terminal_for_a_log_read_from_a_file(tmp_path, monkeypatch) -> None:
    code, out, err = _progress_run(tmp_path, monkeypatch, stderr_tty=True, from_file=True)
    assert code == 0
    assert len(out.splitlines()) == 20
    # (redrawn as each block of lines is reported: the first two lines, then the rest)
    first = re.match(r"\rjwt-inspector-cli inspect: (\d+) tokens?, (\d+)% of standard input", err)
    assert first is not None, err
    assert 0 < int(first[1]) < 20
    assert int(first[2]) < 100
    assert "20 tokens, 100% of standard input read" in err
    assert err.endswith("\r\x1b[K")  # the line is taken away at the end
    assert "\n" not in err


@pytest.mark.parametrize(("stderr_tty", "from_file"), [(False, True), (True, False)])
def test_no_progress_line_without_a_terminal_or_a_file(
    stderr_tty, from_file, tmp_path, monkeypatch
) -> None:
    code, out, err = _progress_run(
        tmp_path, monkeypatch, stderr_tty=stderr_tty, from_file=from_file
    )
    assert code == 0
    assert len(out.splitlines()) == 20
    assert err == ""


@pytest.mark.parametrize(
    "claims",
    [
        CLEAN_CLAIMS,
        {},
        {"sub": "ünïcødé ✓", "https://example.com/roles": ["a"], "email": "a@b.c", "x": None},
        {"custom": 1},
    ],
)
def test_json_line_is_json_dumps_of_to_dict(claims) -> None:
    """The CLI's JSON line (descriptions encoded once each) is exactly json.dumps(to_dict),
    compact."""
    from inspector.cli.inspect_cmd import json_line
    from inspector.core import inspect_token

    for text in (hs256(CLEAN_HEADER, claims), "garbage", hs256({"alg": "HS256"}, claims)):
        inspection = inspect_token(text, now=CLEAN_NOW)
        expected = json.dumps(inspection.to_dict(), ensure_ascii=False, separators=(",", ":"))
        assert json_line(inspection) == expected
        assert json_line(inspection) == expected  # (again: from the encoded descriptions)


# ------------------------------------------ bytes written as made, forked workers, imports


def _odd_log() -> str:
    lines = _log().splitlines()
    lines[5] = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "name": "Zoë \ud800 ✓"})  # lone surrogate
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fmt", [["--json"], [], ["--format", "md"], ["--format", "html"]])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reports_encoded_where_made_are_what_the_text_stream_writes(
    fmt, jobs, monkeypatch, capsys
) -> None:
    """capsys's stdout is a text stream over bytes: the reports are encoded where they are
    made (a worker) and written as bytes. A StringIO has no bytes beneath: written as text.
    Both give the same output, a lone surrogate escaped alike."""
    argv = ["inspect", "-", "--secret", STRONG_SECRET.decode(), *NOW, "--jobs", jobs, *fmt]
    log = _odd_log()
    capsys.readouterr()
    sys.stdout.reconfigure(errors="backslashreplace")  # (as main's use_safe_output does)
    as_bytes = _run(argv, log, monkeypatch, capsys)
    text = io.StringIO()
    monkeypatch.setattr(sys, "stdout", text)
    monkeypatch.setattr(sys, "stdin", io.StringIO(log))
    code = main(argv)
    assert as_bytes == (code, text.getvalue().encode("utf-8", "backslashreplace").decode())
    assert "\\ud800" in as_bytes[1]


def _buffered() -> dict[str, str]:
    """The environment, with standard output buffered as it is by default."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def test_forked_workers_do_not_write_what_was_buffered_before_them() -> None:
    """The HTML head is written before the workers start: forked, each would copy it in its
    buffer and write it again as it exits, were it not flushed first (multiprocessing does
    so before it forks)."""
    run = subprocess.run(
        [sys.executable, "-m", "inspector.cli", "inspect", "-", "--format", "html", *NOW,
         "--no-weak-secrets", "--jobs", "2"],
        input="\n".join(_tokens(300)) + "\n", capture_output=True, text=True, timeout=120,
        cwd=ROOT, env=_buffered(),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("<html") == 1
    assert run.stdout.count("</html>") == 1
    assert run.stdout.count("<section") == 300


def test_workers_are_forked_on_linux_and_spawned_elsewhere(monkeypatch) -> None:
    """The command line's workers (map_ordered with fork=True): forked and fed through pipes
    on Linux; elsewhere an InspectionPool's, spawned."""
    from inspector import batch, forked_workers

    used: list[str] = []
    monkeypatch.setattr(
        forked_workers, "map_forked", lambda fn, tasks, jobs: used.append("forked") or iter(())
    )
    monkeypatch.setattr(batch, "_ordered", lambda fn, tasks, pool, own: used.append("pool") or [])
    for platform in ("linux", "darwin", "win32"):
        monkeypatch.setattr(batch.sys, "platform", platform)
        list(batch.map_ordered(str, [(1,)], 2, fork=True))
    assert used == ["forked", "pool", "pool"]


def test_inspect_json_imports_neither_the_other_commands_nor_the_fetcher() -> None:
    """A log audit's start-up: only the inspect command's own modules (each module imported
    is paid for again by every process)."""
    code = (
        "import sys\n"
        "from inspector.cli import main\n"
        f"main(['inspect', {hs256(CLEAN_HEADER, CLEAN_CLAIMS)!r}, '--json', '--now', '1'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('inspector.') and m in {\n"
        "    'inspector.cli.encode_cmd', 'inspector.cli.diff_cmd', 'inspector.cli.findings_cmd',\n"
        "    'inspector.fetching', 'inspector.report', 'inspector.redact', 'inspector.diff',\n"
        "    'inspector.presentation', 'inspector.core.keygen', 'inspector.core.signing'}),\n"
        "    'socket' in sys.modules, 'ssl' in sys.modules, file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert run.stderr.strip() == "[] False False", run.stderr


def test_passes_judges_every_finding_without_sorting_them() -> None:
    """passes() looks at every finding where it is kept (no sorted copy): the same verdict
    as the rule over Inspection.findings, on tokens that pass and tokens that fail."""
    from inspector.cli.inspect_cmd import passes
    from inspector.core import inspect_token
    from inspector.core.findings import FAILING_SEVERITIES

    texts = [
        hs256(CLEAN_HEADER, CLEAN_CLAIMS),
        hs256({"alg": "none"}, CLEAN_CLAIMS),
        hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "exp": 1}),
        hs256(CLEAN_HEADER, CLEAN_CLAIMS)[:-4] + "AAAA",
        "garbage",
    ]
    verdicts = set()
    for text in texts:
        for key in (None, "wrong secret of enough length here!"):
            inspection = inspect_token(text, now=CLEAN_NOW, key=key)
            expected = inspection.format != "unknown" and not any(
                f.severity in FAILING_SEVERITIES for f in inspection.findings
            )
            if key is not None and inspection.verification.status != "valid":
                expected = False
            assert passes(inspection, key_given=key is not None) == expected, text
            verdicts.add(expected)
    assert verdicts == {True, False}
