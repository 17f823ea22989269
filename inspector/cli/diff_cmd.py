"""``jwt-inspector-cli diff A B``: what changed between two tokens (see :mod:`inspector.diff`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from inspector.cli.common import UsageError, read_stdin, text_argument
from inspector.core.parsing import parse_token
from inspector.diff import DiffError, diff_tokens

#: A token file (``@FILE``) larger than this is refused (no token is anywhere near it).
MAX_TOKEN_FILE_BYTES = 16 * 1024 * 1024


def register(sub: Any) -> None:
    p = sub.add_parser(
        "diff",
        help="compare the header and payload of two tokens",
        description=(
            "Compare two tokens: header and payload members added, removed and changed, as "
            "JSON Pointers; time claims as durations; alg, kid and iss changes first. Each of "
            "A and B is a token, '-' for standard input (one of them), or @FILE. Signatures are "
            "not compared. Exit status: 0 when header and payload are equal, 1 when they "
            "differ, 2 for a usage error (a side that is no decodable token)."
        ),
    )
    p.add_argument("a", metavar="A", help="the first token, '-' or @FILE")
    p.add_argument("b", metavar="B", help="the second token, '-' or @FILE")
    p.add_argument("--json", action="store_true", help="print the differences as JSON")
    p.set_defaults(func=run)


def _side(value: str, name: str) -> str:
    """The text of side ``name`` ("A" or "B") given as ``value``."""
    if value == "-":
        return read_stdin(f"token {name}", MAX_TOKEN_FILE_BYTES)
    if value.startswith("@"):
        path = value[1:]
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_TOKEN_FILE_BYTES + 1)
        except OSError as err:
            raise UsageError(f"cannot read {name} from {path!r}: {err.strerror or err}") from None
        if len(raw) > MAX_TOKEN_FILE_BYTES:
            raise UsageError(f"{name}: {path!r} is larger than {MAX_TOKEN_FILE_BYTES:,} bytes")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise UsageError(
                f"{name}: {path!r} is not UTF-8 text (byte 0x{raw[err.start]:02x} "
                f"at offset {err.start})"
            ) from None
    return text_argument(value, f"token {name}")


def run(args: argparse.Namespace) -> int:
    try:
        if args.a == "-" and args.b == "-":
            raise UsageError("only one of A and B can be read from standard input ('-')")
        a = parse_token(_side(args.a, "A"))
        b = parse_token(_side(args.b, "B"))
        result = diff_tokens(a, b)
    except (UsageError, DiffError) as err:
        sys.stderr.write(f"jwt-inspector-cli diff: error: {err}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(result.text())
    return 0 if result.equal else 1
