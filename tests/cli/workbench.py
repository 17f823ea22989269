"""Running the installed ``jwt-inspector-cli`` (the console script beside this Python) for the
workbench tests (issue 16): what a user types, in a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: The entry point pip installed for this environment.
CLI = Path(sys.executable).with_name("jwt-inspector-cli")


def cli(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert CLI.exists(), f"{CLI} is not installed (pip install -e .)"
    return subprocess.run(
        [str(CLI), *argv],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
