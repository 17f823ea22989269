"""A faster answer to the question PySide's import hook asks of every module imported after it.

Once PySide6 is loaded, every ``import`` statement goes through its hook
(``shibokensupport.feature.feature_imported``, for ``from __feature__ import ...``), which asks
of each module it has not seen yet whether its source contains the word ``PySide6``, with
``inspect.getsource``: the file read through ``linecache``, line by line, plus
``inspect.getmodule``'s bookkeeping over all of ``sys.modules``. The window imports about 40
modules after Qt (its own and the standard library's), and that question cost 4.5-10 ms of
the launch, measured by timing ``inspect.getsource`` there (against 0.7 ms for a bare
window's four).

:func:`install` puts in the same question, answered from the file's bytes: the same module
source, the same word, the same answer (``tests/ui/test_pyside_hook.py`` compares the two on
every module loaded), in about a tenth of the time. Where PySide has no such hook (another
version), nothing changes. The app never uses ``__feature__``, so the answer only decides
whether PySide switches features per module: it would not change what the app does even
if it were wrong.

Imports nothing but :mod:`sys`, so :func:`inspector.ui.app.main` loads it before Qt.
"""

from __future__ import annotations

import sys
from types import ModuleType

#: What PySide's check looks for in a module's source.
WORD = b"PySide6"
_INSTALLED = "_jwt_inspector_fast_check"


def uses_pyside(module: ModuleType, fallback: object = None) -> bool:
    """Whether ``module``'s source file contains :data:`WORD` (PySide's own test). A module
    without a ``.py`` file is asked of ``fallback`` (PySide's original check) when given."""
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return WORD in source.read()
        except OSError:
            pass
    if callable(fallback):
        return bool(fallback(module))
    return False


def install() -> bool:
    """Answer PySide's per-module question with :func:`uses_pyside` from now on (call it
    right after importing PySide6). Returns whether it was put in (False when this PySide
    has no such hook); calling it again changes nothing."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if getattr(original, _INSTALLED, False):
        return True

    def _mod_uses_pyside(*args: object, **kwargs: object) -> object:
        # Only the call this PySide makes (one module) is answered here; any other shape
        # (a later PySide changing its private check) goes to the original untouched, so an
        # import can never fail because of this shortcut.
        if len(args) == 1 and not kwargs and isinstance(args[0], ModuleType):
            return uses_pyside(args[0], original)
        return original(*args, **kwargs)

    setattr(_mod_uses_pyside, _INSTALLED, True)
    feature._mod_uses_pyside = _mod_uses_pyside  # type: ignore[attr-defined]
    return True
