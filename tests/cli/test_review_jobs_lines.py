"""Review: with ``--jobs 2`` a log line that is not UTF-8 stopped the run before any report
of the lines above it was written (failed on main at f9685f8): the chunks in flight
(2 workers x AHEAD_PER_WORKER chunks of CHUNK_TEXTS texts) had been read, inspected and
then dropped, so the output lost up to ~500 reports that ``--jobs 1`` prints. The error and
exit status 2 are right; the reports before the bad line should be written as with one job.
"""

from __future__ import annotations

import io
import sys

import pytest

from inspector.cli import main
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, hs256

NOW = ["--now", str(CLEAN_NOW)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reports_before_a_line_that_is_not_utf8_are_written(jobs, monkeypatch, capsys) -> None:
    n_before = 300
    lines = [
        hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": f"user-{i}"}).encode()
        for i in range(n_before + 5)
    ]
    lines[n_before] = b"\xff" + lines[n_before]
    data = b"\n".join(lines) + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["inspect", "-", "--json", "--no-weak-secrets", *NOW, "--jobs", jobs])
    out, err = capsys.readouterr()
    assert code == 2
    assert "not UTF-8" in err
    assert len(out.splitlines()) == n_before
