"""Where a key comes from: :class:`KeySource`, the one way key text reaches an inspection.

A key is pasted, read from a file, or (issue 13) a JWK Set fetched from an issuer. Whatever
the source, what the core is handed is the same: key text and the secret encoding to read it
with (:class:`~inspector.core.options.InspectOptions` ``key``/``secret_encoding``), read by the
one key reader, :func:`inspector.core.keys.load_key`, for verification and signing alike.

This module sits beside the core, not in it: reading a file is talking to the world, and the
codec stays a pure function of text, keys and a clock. It is Qt-free, so the window, the CLI
and the fetcher of issue 13 share it. It imports the codec only when a binary file must be
told apart (a DER key or raw secret bytes), so the window may import it before its first frame.
"""

from __future__ import annotations

import base64
import os
import stat
from dataclasses import dataclass, field, replace
from typing import Literal

from inspector.core.options import InspectOptions

#: Key files larger than this are refused: no key is that big, and it guards memory.
MAX_KEY_FILE_BYTES = 4 * 1024 * 1024
#: A fetched JWK Set larger than this is refused (issue 13's cap on what a fetch may bring):
#: real issuers' sets are a few kilobytes, and a hostile or broken endpoint must not be able
#: to hand the key reader megabytes of JSON to parse on every inspection. The same 1 MB as
#: the key reader's own cap (``inspector.core.keys.MAX_KEY_TEXT``), so a set that passes here
#: is one the key reader reads.
MAX_FETCHED_JWKS_BYTES = 1_000_000

KeyOrigin = Literal["pasted", "file", "fetched"]


class KeySourceError(ValueError):
    """A key that cannot be taken from its source; the message says which and why."""


@dataclass(frozen=True, slots=True)
class KeySource:
    """Key text as the core reads it, and where it came from (for the user, never used to
    decide anything)."""

    #: The key text: PEM, JWK, JWK Set, base64 DER, or a shared secret. Never shown in ``repr``.
    text: str = field(repr=False)
    #: How a shared secret in ``text`` is written (one of ``SECRET_ENCODINGS``).
    secret_encoding: str = "utf-8"
    #: Pasted by the user, read from a file, or fetched from an issuer (issue 13).
    origin: KeyOrigin = "pasted"
    #: The file path or URL it came from (``None`` when pasted).
    where: str | None = None

    def options(self, base: InspectOptions | None = None) -> InspectOptions:
        """``base`` (default options when ``None``) with this key in it."""
        return replace(
            base if base is not None else InspectOptions(),
            key=self.text,
            secret_encoding=self.secret_encoding,
        )


def pasted(text: str, secret_encoding: str = "utf-8") -> KeySource:
    """Key text typed or pasted by the user."""
    return KeySource(text=text, secret_encoding=secret_encoding)


def fetched_jwks(text: str, url: str) -> KeySource:
    """A JWK Set's text as fetched from ``url`` by an adapter outside the core (issue 13).

    The text is handed on as it came: the core reads a JWK Set like a pasted one (picking by
    ``kid``), and reports what it cannot read as it does for pasted keys. Text of more than
    :data:`MAX_FETCHED_JWKS_BYTES` (counted as UTF-8) is refused with :class:`KeySourceError`.
    """
    # Characters first (each is at least one byte): text far over the cap is refused without
    # encoding megabytes of it.
    size = len(text) if len(text) > MAX_FETCHED_JWKS_BYTES else len(text.encode("utf-8", "replace"))
    if size > MAX_FETCHED_JWKS_BYTES:
        raise KeySourceError(
            f"the JWK Set fetched from {url!r} is {size:,} bytes or more, larger than the "
            f"{MAX_FETCHED_JWKS_BYTES:,} bytes a key set may take; it was not read"
        )
    return KeySource(text=text, origin="fetched", where=url)


def from_file(path: str, secret_encoding: str = "utf-8", *, binary: bool = True) -> KeySource:
    """The key in the file at ``path``.

    Refuses (:class:`KeySourceError`) a directory, a file larger than
    :data:`MAX_KEY_FILE_BYTES`, an unreadable or empty one. Text is read as UTF-8 without a
    leading byte-order mark. A file that is not UTF-8 text is, with ``binary``, a DER public
    key or certificate (handed on as base64 DER, which the core reads) or else raw secret bytes
    (handed on losslessly as hex, with the encoding ``"hex"``); without ``binary`` it is
    refused.
    """
    if os.path.isdir(path):
        raise KeySourceError(f"key file {path!r} is a directory")
    try:
        with open(path, "rb") as fh:
            regular = stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
            # Never more than the cap, whatever the file claims: /dev/zero or a pipe has no
            # size (a device or pipe is read up to the cap, then refused if it gives more),
            # and a regular file may grow while it is read.
            data = fh.read(MAX_KEY_FILE_BYTES + 1)
    except OSError as err:
        raise KeySourceError(f"cannot read key file {path!r}: {err.strerror or err}") from err
    if len(data) > MAX_KEY_FILE_BYTES:
        what = "is larger than" if regular else "is not a regular file and gives more than"
        raise KeySourceError(
            f"key file {path!r} {what} {MAX_KEY_FILE_BYTES:,} bytes; no key is that large"
        )
    if not data.strip():
        raise KeySourceError(f"key file {path!r} is empty")
    try:
        # "utf-8-sig": a byte-order mark (as some editors write) is not part of the key.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return KeySource(text=text, secret_encoding=secret_encoding, origin="file", where=path)
    if not binary:
        raise KeySourceError(
            f"key file {path!r} is not UTF-8 text; give a PEM or JWK file"
            " (or the secret with --secret and --secret-encoding)"
        )
    if secret_encoding != "utf-8":
        raise KeySourceError(
            f"key file {path!r} is binary; --secret-encoding {secret_encoding} expects text"
        )
    from inspector.core.keys import load_key  # (only for binary files: keeps imports light)

    as_der = base64.b64encode(data).decode("ascii")
    if load_key(as_der, "utf-8").kind != "secret":
        return KeySource(text=as_der, origin="file", where=path)
    return KeySource(text=data.hex(), secret_encoding="hex", origin="file", where=path)
