"""``cryptography``, imported where it is first needed.

Inspecting a token signed with a shared secret (HS256 and the like) needs nothing from
``cryptography``: :mod:`hmac` does it. Importing ``cryptography`` takes about as long as the
rest of the codec together (~25 ms here), and the desktop app's first inspection and every
command-line run would wait for it. So the modules that handle public keys import it inside the
functions that need it, and their catch-all guards name its exception through
:func:`unsupported_algorithm`, which an ``except`` clause only evaluates when something was
raised. ``tests/core/test_lazy_crypto.py`` checks that an HMAC inspection leaves it unimported.
"""

from __future__ import annotations


def unsupported_algorithm() -> type[Exception]:
    """``cryptography.exceptions.UnsupportedAlgorithm`` (importing it on first use)."""
    from cryptography.exceptions import UnsupportedAlgorithm

    return UnsupportedAlgorithm
