"""The Qt-free token codec. Public facade: :func:`inspect_token` -> :class:`Inspection`."""

from inspector.core.findings import CATALOGUE, Finding, FindingSpec
from inspector.core.inspection import inspect_token
from inspector.core.model import Inspection, ParsedToken, Verification
from inspector.core.parsing import parse_token

__all__ = [
    "CATALOGUE",
    "Finding",
    "FindingSpec",
    "Inspection",
    "ParsedToken",
    "Verification",
    "inspect_token",
    "parse_token",
]
