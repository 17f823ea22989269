"""The SD-JWT values live in their own module, imported only when a text is an SD-JWT; asked
for by their old names (``inspector.core.sdjwt.SdJwt``), they are the same classes."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from inspector.core import sdjwt, sdjwt_values


def test_the_old_names_give_the_same_classes() -> None:
    from inspector.core.sdjwt import Disclosure, KeyBinding, SdJwt

    assert Disclosure is sdjwt_values.Disclosure
    assert KeyBinding is sdjwt_values.KeyBinding
    assert SdJwt is sdjwt_values.SdJwt
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = sdjwt.Nothing  # type: ignore[attr-defined]
    d = Disclosure(index=0, text="WyJzIiwgImEiLCAxXQ", start=1, end=19)
    assert pickle.loads(pickle.dumps(d)) == d


def test_only_an_sd_jwt_imports_them() -> None:
    code = (
        "import sys\n"
        "from inspector.core import inspect_token\n"
        "from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN\n"
        "inspect_token(EXAMPLE_TOKEN, key=EXAMPLE_SECRET)\n"
        "print('inspector.core.sdjwt_values' in sys.modules)\n"
        "r = inspect_token(EXAMPLE_TOKEN + '~WyJzIiwgImEiLCAxXQ~')\n"
        "print('inspector.core.sdjwt_values' in sys.modules, r.parsed.sd_jwt is not None)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True", "True"]
