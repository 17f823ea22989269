"""The layering of issue 13, proved in fresh interpreters: the core never loads the network
modules (it judges fetched keys from plain values), and the fetcher loads no Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NETWORK = ("socket", "ssl", "http.client", "urllib.request", "inspector.fetching")


def _modules(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return ast.literal_eval(out.stdout.strip())  # the module names the child printed


def test_the_core_judges_fetched_keys_without_network_modules() -> None:
    loaded = _modules(
        "import sys\n"
        "from inspector.core import inspect_token\n"
        "from inspector.core.fetched_keys import FetchedKeys\n"
        "fk = FetchedKeys(url='https://i/k', discovered_for='https://i/', issuer='https://j/',"
        " private_keys=(\"kid 'a': d\",))\n"
        "i = inspect_token('eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln', 'k' * 32, "
        "fetched_keys=fk)\n"
        "assert {'discovery-issuer-mismatch', 'published-private-keys'} <= "
        "{f.id for f in i.findings}\n"
        f"print([m for m in {NETWORK!r} if m in sys.modules])\n"
    )
    assert loaded == []


def test_the_fetcher_and_the_cli_load_no_qt() -> None:
    loaded = _modules(
        "import sys, inspector.fetching, inspector.cli.fetch_keys\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    assert loaded == []


def test_only_the_fetcher_imports_socket_modules() -> None:
    """No other module of the app names socket, ssl, http.client or urllib.request."""
    offenders = []
    for path in sorted((ROOT / "inspector").rglob("*.py")):
        if "fetching" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.strip().split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                if words[1].split(",")[0] in ("socket", "ssl", "http.client", "urllib.request"):
                    offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []
