"""``jwt-inspector-cli findings``: print the catalogue of finding ids."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from inspector.core.findings import CATALOGUE, SEVERITY_RANK


def register(sub: Any) -> None:
    p = sub.add_parser(
        "findings",
        help="list every finding the inspector can report",
        description="List every finding id with its severity, title, explanation and reference.",
    )
    p.add_argument("--json", action="store_true", help="print the catalogue as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    specs = sorted(CATALOGUE.values(), key=lambda s: (SEVERITY_RANK[s.severity], s.id))
    out = sys.stdout
    if args.json:
        json.dump([s.to_dict() for s in specs], out, indent=2)
        out.write("\n")
        return 0
    for s in specs:
        out.write(f"{s.id}  [{s.severity}]  {s.title}\n")
        out.write(textwrap.fill(s.explanation, 88, initial_indent="    ", subsequent_indent="    "))
        out.write(f"\n    Reference: {s.reference}\n\n")
    return 0
