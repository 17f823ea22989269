"""What the CLI subcommands share: the usage error, reading a key file and standard input,
checking that arguments are text, output that cannot fail to encode, a silenced stdout.

On Linux, argument bytes that are not UTF-8 reach Python as lone surrogates ("surrogate
escapes", PEP 383), and standard input may hold any bytes. None of that may end in a
traceback: text that must be JSON or a token is refused with a message saying which argument
and which byte; a secret is taken as the exact bytes given.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from inspector import keysource
from inspector.core.keys import SECRET_ENCODINGS
from inspector.keysource import MAX_KEY_FILE_BYTES as MAX_KEY_FILE_BYTES


class UsageError(Exception):
    """A bad option value or an unreadable file: exit status 2."""


def add_key_options(
    parser: argparse.ArgumentParser, *, key_help: str, secret_help: str, encoding_help: str
) -> Any:
    """``--key FILE`` or ``--secret TEXT`` (not both), and ``--secret-encoding``. Returns the
    group of key sources (``inspect`` adds its fetched ones there)."""
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key", metavar="FILE", help=key_help)
    key.add_argument("--secret", metavar="TEXT", help=secret_help)
    parser.add_argument(
        "--secret-encoding", choices=SECRET_ENCODINGS, default="utf-8", help=encoding_help
    )
    return key


def read_key_file(
    path: str, secret_encoding: str = "utf-8", *, binary: bool = True
) -> tuple[str, str]:
    """The key text in the file at ``path`` and the secret encoding to read it with, read by
    :func:`inspector.keysource.from_file` (which says what it refuses); a refusal is a
    :class:`UsageError`."""
    try:
        source = keysource.from_file(path, secret_encoding, binary=binary)
    except keysource.KeySourceError as err:
        raise UsageError(str(err)) from err.__cause__
    return source.text, source.secret_encoding


def silence_stdout() -> None:
    """Point stdout at the null device: the reader left, or what is buffered cannot be written."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def use_safe_output() -> None:
    """Write what cannot be encoded (a lone surrogate, any non-ASCII text under ``LANG=C``)
    as a backslash escape instead of raising ``UnicodeEncodeError``."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
                pass


def _bad_byte(raw: bytes) -> str:
    """Which byte of ``raw`` is not UTF-8, as a message ends it."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"byte 0x{raw[err.start]:02x} at offset {err.start}"
    return "a character that is not text"  # pragma: no cover - only called on bad input


def text_argument(value: str, what: str) -> str:
    """``value`` when it is UTF-8 text; a :class:`UsageError` naming ``what`` otherwise (an
    argument whose bytes were not UTF-8 arrives with surrogate escapes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(value) if _escaped_only(value) else value.encode("utf-8", "replace")
        raise UsageError(f"{what} is not UTF-8 text ({_bad_byte(raw)})") from None
    return value


def _escaped_only(value: str) -> bool:
    """Whether every surrogate in ``value`` is a surrogate escape of one byte (U+DC80-DCFF)."""
    return all(not "\ud800" <= c <= "\udfff" or "\udc80" <= c <= "\udcff" for c in value)


def secret_argument(value: str, encoding: str) -> tuple[str, str]:
    """``--secret`` and the encoding to read it with. Bytes that are not UTF-8 are the secret
    as given (handed on losslessly as hex); with another ``--secret-encoding`` they cannot be
    what it names, so they are refused."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        if encoding != "utf-8" or not _escaped_only(value):
            # A surrogate that is no escape of a byte (main() called with a str holding
            # "\ud800") has no bytes to show: it is shown as UTF-8 would replace it.
            raw = os.fsencode(value) if _escaped_only(value) else value.encode("utf-8", "replace")
            raise UsageError(
                f"--secret is not UTF-8 text ({_bad_byte(raw)}), so it cannot "
                f"be {encoding}: write the secret's bytes in hex with --secret-encoding hex, or "
                "give them as they are with the default --secret-encoding utf-8"
            ) from None
        return os.fsencode(value).hex(), "hex"
    return value, encoding


def read_stdin(what: str, limit: int | None = None) -> str:
    """Standard input as UTF-8 text (read as bytes, so the locale does not matter); a
    :class:`UsageError` when it is not UTF-8 or holds more than ``limit`` bytes."""
    stdin = sys.stdin
    if stdin is None:
        raise UsageError(f"no {what} given and nothing on standard input")
    buffer = getattr(stdin, "buffer", None)
    if buffer is None:  # a text stream without bytes beneath (tests hand in io.StringIO)
        text: str = stdin.read() if limit is None else stdin.read(limit + 1)
        if limit is not None and len(text) > limit:
            raise UsageError(f"the {what} on standard input is larger than {limit:,} bytes")
        return text_argument(text, f"the {what} on standard input")
    raw: bytes = buffer.read() if limit is None else buffer.read(limit + 1)
    if limit is not None and len(raw) > limit:
        raise UsageError(f"the {what} on standard input is larger than {limit:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"the {what} on standard input is not UTF-8 text ({_bad_byte(raw)})"
        ) from None
