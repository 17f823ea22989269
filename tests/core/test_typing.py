"""The codec type-checks under mypy strict (``[tool.mypy]`` in pyproject.toml: inspector/core).

Run inside the suite, as ruff is, so a change that only a type checker notices cannot land
unseen: the value classes once declared ``init=False`` for a faster import, and mypy then
saw no ``__init__`` on any of them (310 errors) while every test passed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mypy_strict_passes_on_the_core(tmp_path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    if "No module named mypy" in r.stderr:
        raise AssertionError(
            "mypy is part of the test extra; install with pip install -e '.[test]'"
        )
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "Success" in r.stdout
