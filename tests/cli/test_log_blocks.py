"""A log on standard input travels in blocks of whole lines (``StdinLines.blocks``), decoded
and split where they are inspected (``block_texts``): whatever the blocks' size and however
the bytes arrive (a pipe gives a few at a time), the reports are those of the log's lines
one at a time, in order, and a byte that is not UTF-8 stops the run after the reports of the
lines before it, named with its offset in the whole input."""

from __future__ import annotations

import io
import json
import sys

import pytest

import inspector.cli.inspect_cmd as cmd
from inspector.cli import main
from inspector.core import inspect_token
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, hs256

NOW = ["--now", str(CLEAN_NOW)]


class _Trickle(io.RawIOBase):
    """Raw bytes that come at most ``step`` at a time, as from a pipe being written."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = data
        self._pos = 0
        self._step = step

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        n = min(len(b), self._step, len(self._data) - self._pos)
        b[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


def _log_bytes() -> bytes:
    """Tokens with what a log holds besides: blank lines, CRLF and lone CR line ends, a line
    of text that is no token, non-ASCII, a line far longer than a block, no final newline."""
    lines = []
    for i in range(60):
        token = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": f"üser-{i}"})
        lines.append(token + ("\r" if i % 5 == 0 else ""))
        if i % 7 == 0:
            lines.append("   ")
        if i % 9 == 0:
            lines.append(token + "\r" + token)  # two lines to str.splitlines
        if i == 30:
            lines.append(hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "blob": "x" * 5000}))
            lines.append("not a token ✓ \u2028 after a line separator")
    return "\n".join(lines).encode()


def _expected(data: bytes) -> list[dict]:
    texts = [piece for piece in data.decode().splitlines() if piece.strip()]
    return [inspect_token(t, now=CLEAN_NOW, check_weak_secrets=False).to_dict() for t in texts]


def _run(stdin, monkeypatch, capsys, jobs: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", stdin)
    code = main(["inspect", "-", "--json", "--no-weak-secrets", *NOW, "--jobs", jobs])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(("block", "step"), [(64, 10**9), (1000, 7), (64 * 1024, 10**9)])
def test_any_block_size_and_any_arrival_give_the_reports_of_the_lines(
    block, step, jobs, monkeypatch, capsys
) -> None:
    data = _log_bytes()
    monkeypatch.setattr(cmd, "BLOCK_BYTES", block)
    stdin = io.TextIOWrapper(io.BufferedReader(_Trickle(data, step)), encoding="utf-8")
    code, out, err = _run(stdin, monkeypatch, capsys, jobs)
    assert err == ""
    assert code == 1  # the line that is no token fails the run
    assert [json.loads(line) for line in out.splitlines()] == _expected(data)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("block", [64, 4096])
@pytest.mark.parametrize("bad_line", [40, 61])
def test_a_byte_that_is_not_utf8_in_a_block(block, bad_line, jobs, monkeypatch, capsys) -> None:
    """Its offset in the whole input, the reports of every line before it, none after."""
    lines = [hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "sub": f"user-{i}"}).encode() for i in range(80)]
    lines[bad_line] = lines[bad_line][:20] + b"\xe2\x82" + lines[bad_line][20:]
    data = b"\n".join(lines) + b"\n"
    monkeypatch.setattr(cmd, "BLOCK_BYTES", block)
    stdin = io.TextIOWrapper(io.BufferedReader(_Trickle(data, 333)), encoding="utf-8")
    code, out, err = _run(stdin, monkeypatch, capsys, jobs)
    assert code == 2
    offset = sum(len(line) + 1 for line in lines[:bad_line]) + 20
    assert f"not UTF-8 text (byte 0xe2 at offset {offset})" in err
    assert [json.loads(line) for line in out.splitlines()] == _expected(
        b"\n".join(lines[:bad_line])
    )


def test_block_texts_is_the_lines_one_at_a_time() -> None:
    data = _log_bytes()
    texts, error = cmd.block_texts(data, 0)
    assert error is None
    assert texts == list(cmd._texts_of(data.decode().splitlines(keepends=True)))
    texts, error = cmd.block_texts(b"a\nb\xffc\nd\n", 100)
    assert texts == ["a"]
    assert error is not None
    assert "byte 0xff at offset 103" in error
    assert cmd.block_texts(["x", "y"], 0) == (["x", "y"], None)  # (texts already read)
