"""The core and the CLI never load Qt: proved in a fresh interpreter and by ruff's banned-api."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_core_and_cli_import_without_qt_in_a_subprocess():
    code = (
        "import sys, inspector.core, inspector.cli, inspector.resources\n"
        "import inspector.core.inspection\n"
        "from inspector.core import inspect_token\n"
        "inspect_token('eyJhbGciOiJIUzI1NiJ9.e30.' + 'A' * 43, 'k' * 32)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(qt)\n"
        "raise SystemExit(1 if qt else 0)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "[]"


def test_every_core_module_imports_only_stdlib_cryptography_and_orjson():
    allowed_third_party = {"cryptography", "orjson"}
    stdlib = set(sys.stdlib_module_names)
    offenders = []
    for path in sorted((ROOT / "inspector" / "core").rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if s.startswith(("import ", "from ")):
                top = s.split()[1].split(".")[0]
                if top not in stdlib | allowed_third_party | {"inspector", "__future__"}:
                    offenders.append(f"{path.name}: {s}")
                if s.startswith(("from inspector.ui", "import inspector.ui")):
                    offenders.append(f"{path.name}: {s}")
    assert offenders == []


def _ruff() -> list[str]:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.fail("ruff is part of the test extra; install with pip install -e '.[test]'")
    return [exe]


def test_ruff_banned_api_rule_catches_qt_in_core():
    r = subprocess.run(
        [
            *_ruff(),
            "check",
            "--select",
            "TID251",
            "--stdin-filename",
            "inspector/core/sneaky.py",
            "-",
        ],
        input="from PySide6.QtCore import QObject\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 1
    assert "TID251" in r.stdout
    assert "inspector/ui only" in r.stdout


def test_ruff_banned_api_rule_allows_qt_in_ui():
    r = subprocess.run(
        [*_ruff(), "check", "--select", "TID251", "--stdin-filename", "inspector/ui/fine.py", "-"],
        input="from PySide6.QtCore import QObject\n\nQObject()\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout


def test_the_tree_passes_the_banned_api_rule():
    r = subprocess.run(
        [*_ruff(), "check", "--select", "TID251", "inspector", "tests/core", "tests/cli"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stdout


def test_the_whole_tree_passes_ruff():
    """The lint rules in pyproject.toml hold everywhere (style, imports, the Qt ban)."""
    r = subprocess.run([*_ruff(), "check", "."], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:]
