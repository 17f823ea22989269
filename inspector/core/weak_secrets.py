"""Guessable HMAC secrets: a built-in list of common, default and tutorial secrets, wordlist
files, and a cancellable search with progress that a window can run off its GUI thread.

The search is a tight loop of ``hmac.digest(candidate, signing_input, hash)`` compared with
``==`` against the signature (timing does not matter offline); progress and cancellation are
only looked at every :data:`CHECK_EVERY` candidates, so the loop costs little more than the
HMACs themselves. The built-in list, searched for every HS* token, goes faster still: each
secret's HMAC key schedule (the hash states after ``key ^ ipad`` and ``key ^ opad``, RFC 2104)
is computed once per hash and copied per token, which halves the cost of a bare
``hmac.digest`` loop (that one sets up OpenSSL's HMAC and hashes both pads on every call).

Wordlist files are read as bytes, one candidate per line; a trailing ``\\r`` (CRLF files) is
dropped and the line's bytes are used as they are (no decoding, no other stripping).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any

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


#: RFC 2104's inner and outer pads, as translation tables: ``key.translate(_IPAD)`` is
#: ``key ^ 0x36`` byte by byte.
_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))


@cache
def _builtin_key_states(hash_name: str) -> tuple[tuple[bytes, Any, Any], ...]:
    """``(secret, inner, outer)`` for each built-in secret: the ``hash_name`` states after
    the key's inner and outer pad (RFC 2104 §2), made once, so that a token costs each
    secret two state copies, the message and the outer block; no key schedule."""
    new = getattr(hashlib, hash_name)
    block = new().block_size
    out = []
    for secret in builtin_secrets():
        key = (new(secret).digest() if len(secret) > block else secret).ljust(block, b"\0")
        out.append((secret, new(key.translate(_IPAD)), new(key.translate(_OPAD))))
    return tuple(out)


def _find_builtin(hash_name: str, msg: bytes, sig: bytes) -> bytes | None:
    """:func:`find_weak_secret` over :func:`builtin_secrets`, from the precomputed states."""
    for secret, inner, outer in _builtin_key_states(hash_name):
        h = inner.copy()
        h.update(msg)
        o = outer.copy()
        o.update(h.digest())
        if o.digest() == sig:
            return secret
    return None


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
    if progress is None and should_stop is None and candidates is builtin_secrets():
        return _find_builtin(hash_name, msg, sig)
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
