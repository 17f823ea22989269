"""inspector.ui.pyside_hook answers PySide's per-module question ("does its source say
PySide6?") as PySide does, and is put in by the app's launch."""

from __future__ import annotations

import os
import subprocess
import sys
import types

import PySide6.QtWidgets  # noqa: F401 - loads PySide's import hook
import pytest

import inspector.ui.window  # noqa: F401 - the window's modules, loaded
from inspector.ui import pyside_hook


def pyside_check():
    """PySide's own check: its function while the app's is not installed in this process,
    else the same question asked as PySide asks it."""
    import inspect

    feature = sys.modules.get("shibokensupport.feature")
    check = getattr(feature, "_mod_uses_pyside", None)
    if callable(check) and not getattr(check, pyside_hook._INSTALLED, False):
        return check

    def original(module: types.ModuleType) -> bool:
        try:
            return "PySide6" in inspect.getsource(module)
        except (TypeError, OSError, SyntaxError):
            return False

    return original


def test_same_answer_as_pyside_for_every_loaded_module() -> None:
    original = pyside_check()
    modules = [m for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)]
    assert len(modules) > 300
    answers = {m.__name__: pyside_hook.uses_pyside(m, original) for m in modules}
    assert answers == {m.__name__: original(m) for m in modules}
    # Both answers occur: the window's modules use PySide6, the standard library does not.
    assert answers["inspector.ui.window"] is True
    assert answers["json"] is False
    assert answers["sys"] is False  # built in: no file, asked of PySide's check


def test_a_module_without_a_readable_file_is_asked_of_the_fallback(tmp_path) -> None:
    gone = types.ModuleType("gone")
    gone.__file__ = str(tmp_path / "missing.py")
    asked = []
    assert pyside_hook.uses_pyside(gone, lambda m: asked.append(m) or True) is True
    assert asked == [gone]
    here = tmp_path / "mentions.py"
    here.write_text("# imports PySide6 later\n", encoding="utf-8")
    mod = types.ModuleType("mentions")
    mod.__file__ = str(here)
    assert pyside_hook.uses_pyside(mod) is True


def test_install_replaces_the_hook_once(monkeypatch) -> None:
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        pytest.skip("this PySide has no per-module feature check")
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)
    assert pyside_hook.install() is True
    installed = feature._mod_uses_pyside
    assert pyside_hook.install() is True
    assert feature._mod_uses_pyside is installed
    assert installed(sys.modules["inspector.ui.window"]) is True
    assert installed(sys.modules["json"]) is False


def test_any_other_call_shape_goes_to_pysides_own_check(monkeypatch) -> None:
    """A later PySide that called its private check differently would get its own function's
    answer (or error), never a failed import because of the shortcut."""
    feature = types.ModuleType("feature")
    calls = []

    def original(*args, **kwargs):
        calls.append((args, kwargs))
        return "original"

    feature._mod_uses_pyside = original
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", feature)
    assert pyside_hook.install() is True
    check = feature._mod_uses_pyside
    assert check("json", strict=True) == "original"
    assert check(sys.modules["json"], sys.modules["os"]) == "original"
    assert calls == [(("json",), {"strict": True}), ((sys.modules["json"], sys.modules["os"]), {})]
    assert check(sys.modules["inspector.ui.window"]) is True  # the one shape it answers
    assert len(calls) == 2


def test_install_without_the_hook_changes_nothing(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", types.ModuleType("feature"))
    assert pyside_hook.install() is False


LAUNCH = r"""
import sys
seen = []
real_write = sys.stderr.write

def write(text):
    if text.startswith("first-inspection-shown") and not seen:
        check = getattr(sys.modules["shibokensupport.feature"], "_mod_uses_pyside", None)
        seen.append(check.__module__ if check is not None else "no hook in this PySide")
    return real_write(text)

sys.stderr.write = write
from inspector.ui.app import main
rc = main(["--smoke-exit"])
print("RC", rc, "CHECK", seen)
"""


def test_the_launch_installs_it() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    feature = sys.modules.get("shibokensupport.feature")
    if callable(getattr(feature, "_mod_uses_pyside", None)):
        assert "RC 0 CHECK ['inspector.ui.pyside_hook']" in out.stdout, out.stdout + out.stderr
    else:  # a PySide without the per-module check: nothing to answer, and the launch works
        assert "RC 0 CHECK ['no hook in this PySide']" in out.stdout, out.stdout + out.stderr
