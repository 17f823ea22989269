"""Shared test configuration. Qt runs headless: set before any QApplication exists."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
#: Third-party vectors live beside the checkout, never inside it.
VECTORS = Path(os.environ.get("JWT_INSPECTOR_VECTORS", ROOT.parent / "shared" / "vectors"))


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Once the UI tests have turned automatic collection off (inspector.ui.gui_thread), tests
    that run no event loop still get their garbage collected, on this (the GUI) thread."""
    gui_thread = sys.modules.get("inspector.ui.gui_thread")
    if gui_thread is not None:
        gui_thread.collect_due_now()


def _vectors_dir() -> Path:
    if VECTORS.is_dir():
        return VECTORS
    reason = f"third-party vectors not found at {VECTORS} (set JWT_INSPECTOR_VECTORS)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; under CI=true vector tests must not skip")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vectors() -> Path:
    """The ``../shared/vectors`` folder; skips with a reason when absent (fails under CI=true)."""
    return _vectors_dir()


def load_vector_json(rel: str) -> Any:
    return json.loads((_vectors_dir() / rel).read_text(encoding="utf-8"))
