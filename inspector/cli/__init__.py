"""``jwt-inspector-cli``: the text front end over the same core facade as the window.

Subcommands are registered by modules exposing ``register(subparsers)``; each sets
``func=run(args) -> int`` on its parser. Exit status: 0 ok, 1 the token has a problem,
2 usage error (argparse's own convention).

Only the module of the command being run is imported (:data:`COMMANDS`): ``inspect`` over a
log of tokens need not load the encoder, the differ and what they import (the encoder's
algorithms, ``cryptography``), which cost a log audit about as much start-up time as the
codec itself (issue 17).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from inspector import __version__
from inspector.cli.common import silence_stdout, use_safe_output

#: The module that registers each subcommand, in the order ``--help`` lists them.
COMMANDS = {
    "inspect": "inspector.cli.inspect_cmd",
    "diff": "inspector.cli.diff_cmd",
    "findings": "inspector.cli.findings_cmd",
    "encode": "inspector.cli.encode_cmd",
    "keygen": "inspector.cli.encode_cmd",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or only of ``command`` when it is one (the command
    line's first argument: the others cannot be run, so their modules are not imported)."""
    parser = argparse.ArgumentParser(
        prog="jwt-inspector-cli",
        description="Decode, verify and explain JSON Web Tokens, offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for module in wanted:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is None:  # started with 2>&-: messages go nowhere rather than fail
        sys.stderr = open(os.devnull, "w")  # open for as long as the process runs
    use_safe_output()
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    if sys.stdout is None:  # started with >&-
        sys.stderr.write("jwt-inspector-cli: error: cannot write the output: stdout is closed\n")
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `... | head` before any verdict was reached
        return 0
    except OSError as err:  # a full disk, a closed terminal
        sys.stderr.write(
            f"jwt-inspector-cli: error: cannot write the output: {err.strerror or err}\n"
        )
        # What is still buffered cannot be written either: drop it instead of failing again
        # when the interpreter flushes at exit.
        silence_stdout()
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
