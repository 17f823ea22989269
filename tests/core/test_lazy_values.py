"""The SD-JWT values and the JSON serializations' values live in modules of their own,
imported only when a text is an SD-JWT or a JSON serialization; asked for by their old names
(``inspector.core.sdjwt.SdJwt``, ``inspector.core.cleaning.JwsJson``), they are the same
classes."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from inspector.core import cleaning, cleaning_values, sdjwt, sdjwt_values


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


def test_the_json_serializations_values_by_their_old_names() -> None:
    from inspector.core.cleaning import JweJson, JwsJson

    assert JwsJson is cleaning_values.JwsJson
    assert JweJson is cleaning_values.JweJson
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = cleaning.Nothing  # type: ignore[attr-defined]


def test_only_a_json_serialization_imports_them() -> None:
    code = (
        "import json, sys\n"
        "from inspector.core import inspect_token\n"
        "from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN\n"
        "inspect_token(EXAMPLE_TOKEN, key=EXAMPLE_SECRET)\n"
        "print('inspector.core.cleaning_values' in sys.modules)\n"
        "h, p, s = EXAMPLE_TOKEN.split('.')\n"
        "doc = json.dumps({'protected': h, 'payload': p, 'signature': s})\n"
        "r = inspect_token(doc, key=EXAMPLE_SECRET)\n"
        "print('inspector.core.cleaning_values' in sys.modules, r.verification.status)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True", "valid"]
