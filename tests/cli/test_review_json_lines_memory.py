"""Review: ``inspect --json`` keeps the JSON text (and its bytes) of each token's *set* of
claim descriptions, up to 4096 sets (``json_lines._DESCRIBED``), with the ClaimInfo objects.
Every distinct namespaced claim (``"https://..."``) gets a description of its own, so a log
whose tokens carry many distinct namespaced claims makes every line a new, large entry: the
cache holds thousands of lines' descriptions at once (measured: 1,500 lines of 300 such claims,
``--jobs 1``: max RSS 449 MB on main at f9685f8, 41 MB at 0ab3c46, whose cache held one
description per entry), in each worker process. Failed on main at f9685f8 when written.
"""

from __future__ import annotations

import tracemalloc

from inspector.cli import json_lines
from inspector.core.inspection import inspect_with
from inspector.core.options import InspectOptions
from tests.core.tokens import CLEAN_NOW, hs256

#: What the cache may hold after the lines below (the 0ab3c46 design: 4096 single
#: descriptions of a few hundred bytes each, about 4 MB with the objects).
MAX_RETAINED = 16 * 1024 * 1024
LINES = 300
CLAIMS = 200


def test_descriptions_cache_stays_small_over_distinct_namespaced_claims() -> None:
    options = InspectOptions(now=float(CLEAN_NOW), check_weak_secrets=False)
    json_lines._DESCRIBED.clear()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(LINES):
            claims = {f"https://claims.example/{i}/{'n' * 100}/{j}": j for j in range(CLAIMS)}
            inspection = inspect_with(hs256({"alg": "HS256"}, claims), options)
            json_lines.json_line_bytes(inspection)
            del inspection
        retained = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        json_lines._DESCRIBED.clear()
    assert retained < MAX_RETAINED, f"{retained / 2**20:.0f} MB retained after {LINES} lines"
