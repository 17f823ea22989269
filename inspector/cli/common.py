"""What the CLI subcommands share: the usage error, reading a key file, a silenced stdout."""

from __future__ import annotations

import argparse
import base64
import os
import sys

from inspector.core.keys import SECRET_ENCODINGS, load_key

#: Key files larger than this are refused: no key is that big, and it guards memory.
MAX_KEY_FILE_BYTES = 4 * 1024 * 1024


class UsageError(Exception):
    """A bad option value or an unreadable file: exit status 2."""


def add_key_options(
    parser: argparse.ArgumentParser, *, key_help: str, secret_help: str, encoding_help: str
) -> None:
    """``--key FILE`` or ``--secret TEXT`` (not both), and ``--secret-encoding``."""
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--key", metavar="FILE", help=key_help)
    key.add_argument("--secret", metavar="TEXT", help=secret_help)
    parser.add_argument(
        "--secret-encoding", choices=SECRET_ENCODINGS, default="utf-8", help=encoding_help
    )


def read_key_file(
    path: str, secret_encoding: str = "utf-8", *, binary: bool = True
) -> tuple[str, str]:
    """The key text in the file at ``path`` and the secret encoding to read it with.

    Refuses (:class:`UsageError`) a directory, a file larger than :data:`MAX_KEY_FILE_BYTES`,
    an unreadable or empty one. Text is read as UTF-8 without a leading byte-order mark. A
    file that is not UTF-8 text is, with ``binary``, a DER public key or certificate (handed
    on as base64 DER, which the core reads) or else raw secret bytes (handed on losslessly as
    hex, with the encoding ``"hex"``); without ``binary`` it is refused.
    """
    if os.path.isdir(path):
        raise UsageError(f"key file {path!r} is a directory")
    try:
        size = os.path.getsize(path)
        if size > MAX_KEY_FILE_BYTES:
            raise UsageError(f"key file {path!r} is {size:,} bytes; no key is that large")
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise UsageError(f"cannot read key file {path!r}: {err.strerror or err}") from err
    if not data.strip():
        raise UsageError(f"key file {path!r} is empty")
    try:
        # "utf-8-sig": a byte-order mark (as some editors write) is not part of the key.
        return data.decode("utf-8-sig"), secret_encoding
    except UnicodeDecodeError:
        pass
    if not binary:
        raise UsageError(
            f"key file {path!r} is not UTF-8 text; give a PEM or JWK file"
            " (or the secret with --secret and --secret-encoding)"
        )
    if secret_encoding != "utf-8":
        raise UsageError(
            f"key file {path!r} is binary; --secret-encoding {secret_encoding} expects text"
        )
    as_der = base64.b64encode(data).decode("ascii")
    if load_key(as_der, "utf-8").kind != "secret":
        return as_der, "utf-8"
    return data.hex(), "hex"


def silence_stdout() -> None:
    """Point stdout at the null device: the reader left, or what is buffered cannot be written."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
