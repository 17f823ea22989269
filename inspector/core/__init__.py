"""The Qt-free token codec. Public facade: :func:`inspect_token` -> :class:`Inspection`
(or :func:`inspect_with` and one :class:`InspectOptions`).

The names below are loaded on first use (PEP 562), so that importing one light module such
as ``inspector.core.findings`` or ``inspector.core.model`` does not import every layer and
``cryptography`` with it (the window's first frame needs only those).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inspector.core.findings import CATALOGUE, Finding, FindingSpec
    from inspector.core.inspection import inspect_token, inspect_with
    from inspector.core.model import Inspection, ParsedToken, Verification
    from inspector.core.options import InspectOptions
    from inspector.core.outcome import Outcome
    from inspector.core.parsing import parse_token

_HOMES = {
    "CATALOGUE": "inspector.core.findings",
    "Finding": "inspector.core.findings",
    "FindingSpec": "inspector.core.findings",
    "Inspection": "inspector.core.model",
    "InspectOptions": "inspector.core.options",
    "Outcome": "inspector.core.outcome",
    "ParsedToken": "inspector.core.model",
    "Verification": "inspector.core.model",
    "inspect_token": "inspector.core.inspection",
    "inspect_with": "inspector.core.inspection",
    "parse_token": "inspector.core.parsing",
}

__all__ = [
    "CATALOGUE",
    "Finding",
    "FindingSpec",
    "InspectOptions",
    "Inspection",
    "Outcome",
    "ParsedToken",
    "Verification",
    "inspect_token",
    "inspect_with",
    "parse_token",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'inspector.core' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
