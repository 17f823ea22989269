"""The README's two commands stay the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_ci_runs_the_readme_test_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_lines = [b.strip() for b in _sh_blocks(readme) if "pytest" in b and "\n" not in b.strip()]
    assert len(test_lines) == 1, test_lines
    ci_lines = [line for line in ci.splitlines() if not line.lstrip().startswith("#")]
    # The README's line, verbatim, once; and it is the first thing there that runs the tests
    # (the other interpreters' runs come after it).
    assert ci_lines.count(test_lines[0]) == 1
    assert next(line for line in ci_lines if "pytest" in line) == test_lines[0]


def test_readme_has_one_line_install_and_launch():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    launch = [b.strip() for b in _sh_blocks(readme) if b.strip().endswith("jwt-inspector")]
    assert len(launch) == 1
    assert "\n" not in launch[0]
    assert "pip install ." in launch[0]


def test_readme_names_the_qt_runtime_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for pkg in (
        "libgl1",
        "libegl1",
        "libfontconfig1",
        "libdbus-1-3",
        "libglib2.0-0",
        "libxkbcommon0",
    ):
        assert pkg in readme
