"""Guessable HMAC secrets: a built-in list of common, default and tutorial secrets, wordlist
files, and a cancellable search with progress that a window can run off its GUI thread.

The search is a tight loop of ``hmac.digest(candidate, signing_input, hash)`` compared with
``==`` against the signature (timing does not matter offline); progress and cancellation are
only looked at every :data:`CHECK_EVERY` candidates, so the loop costs little more than the
HMACs themselves.

Wordlist files are read as bytes, one candidate per line; a trailing ``\\r`` (CRLF files) is
dropped and the line's bytes are used as they are (no decoding, no other stripping).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import islice

from inspector import resources

#: The built-in list, one secret per line, in resources/. Lines starting with "#" are comments;
#: the empty secret is always included.
BUILTIN_LIST = "weak_secrets.txt"
#: HMAC algorithms and their hash names.
HMAC_HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
_DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64}
#: Progress and cancellation are checked once per this many candidates.
CHECK_EVERY = 4096


@cache
def builtin_secrets() -> tuple[bytes, ...]:
    """The built-in list (read once), the empty secret first, without duplicates."""
    seen: dict[bytes, None] = {b"": None}
    for line in resources.read_text(BUILTIN_LIST).splitlines():
        if line.startswith("#") or not line:
            continue
        seen[line.encode("utf-8")] = None
    return tuple(seen)


@cache
def _builtin_set() -> frozenset[bytes]:
    return frozenset(builtin_secrets())


def is_builtin_weak(secret: bytes) -> bool:
    """Whether ``secret`` is on the built-in list."""
    return secret in _builtin_set()


def iter_wordlist(path: str | os.PathLike[str]) -> Iterator[bytes]:
    """The candidates of a wordlist file, streamed. The file is opened at once, so an
    unreadable file raises ``OSError`` here, not on the first ``next()`` (reading may still
    raise ``OSError`` later)."""
    f = open(path, "rb")  # closed by the generator below

    def lines() -> Iterator[bytes]:
        with f:
            for line in f:
                if line.endswith(b"\n"):
                    line = line[:-1]
                if line.endswith(b"\r"):
                    line = line[:-1]
                yield line

    return lines()


def load_wordlist(path: str | os.PathLike[str]) -> list[bytes]:
    """All candidates of a wordlist file (see :func:`iter_wordlist`); raises ``OSError``."""
    return list(iter_wordlist(path))


def find_weak_secret(
    alg: str,
    signing_input: bytes,
    signature: bytes,
    candidates: Iterable[bytes],
    *,
    progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> bytes | None:
    """The first candidate that HMAC-signs ``signing_input`` to ``signature`` with ``alg``
    (HS256/HS384/HS512), or ``None``: none matched, or ``should_stop()`` returned true.

    ``progress(n)`` is called with the number of candidates tried so far every
    :data:`CHECK_EVERY` candidates and once at the end. ``ValueError`` for another ``alg``
    (a caller mistake: check :data:`HMAC_HASHES` first).
    """
    hash_name = HMAC_HASHES.get(alg)
    if hash_name is None:
        raise ValueError(f"{alg!r} is not an HMAC algorithm")
    digest = hmac.digest
    msg = bytes(signing_input)
    sig = bytes(signature)
    if len(sig) != _DIGEST_SIZES[hash_name]:
        return None
    it = iter(candidates)
    if progress is None and should_stop is None:
        for candidate in it:
            if digest(candidate, msg, hash_name) == sig:
                return candidate
        return None
    done = 0
    while True:
        if should_stop is not None and should_stop():
            return None
        chunk = list(islice(it, CHECK_EVERY))
        for candidate in chunk:
            if digest(candidate, msg, hash_name) == sig:
                return candidate
        done += len(chunk)
        if progress is not None:
            progress(done)
        if len(chunk) < CHECK_EVERY:
            return None


def shown_secret(secret: bytes) -> str:
    """How a found secret is named in a finding."""
    if not secret:
        return "the empty secret"
    try:
        return repr(secret.decode("utf-8"))
    except UnicodeDecodeError:
        return f"the bytes {secret.hex()} (hex)"
