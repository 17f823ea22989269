"""What shapes an inspection, as one value: :class:`InspectOptions`.

Every front end (the window, its worker thread and helper process, the child forked at launch,
the command line, :func:`inspector.batch.inspect_many`) builds one of these and hands it down;
the layers below read the fields they need. A new setting (the decryption key, fetched keys)
is a new field here and nowhere else on the way down.

This module is imported by the window before its first frame (the launch fork builds the first
request before Qt loads), so it imports nothing beyond ``dataclasses``, ``math`` and ``os``:
not the codec, not ``cryptography``. That is also why :data:`SECRET_ENCODINGS` is written here
rather than imported from :mod:`inspector.core.keys` (a test keeps the two equal).
"""

from __future__ import annotations

import math
import operator
import os
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector.core.fetched_keys import FetchedKeys

#: How a shared secret may be written (the same tuple as ``inspector.core.keys``).
SECRET_ENCODINGS: tuple[str, ...] = ("utf-8", "base64", "base64url", "hex")


def is_finite(value: int | float) -> bool:
    """``math.isfinite``, but ``False`` for an integer too large for a float (which
    ``math.isfinite`` answers with ``OverflowError``): ``now=10**400`` is refused as not a
    finite time, with the message the other refusals have, not a crash."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def is_finite_number(value: object) -> bool:
    """Whether ``value`` is an ``int`` or ``float`` (not a bool) and finite: the quick test of
    a usual ``now`` or ``leeway``, here and in the facade's quick check of the usual call."""
    return type(value) in _NUMBER_TYPES and is_finite(value)  # type: ignore[arg-type]


def _shown_number(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}... ({len(text)} digits)"


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_fetched_keys(value: object) -> bool:
    # Imported only when fetched keys are given: the class stays out of the window's launch
    # path (one more dataclass here cost 1.8 ms to import, measured).
    from inspector.core.fetched_keys import FetchedKeys

    return isinstance(value, FetchedKeys)


#: The fields of :class:`InspectOptions` that hold text or ``None``. A field added to the class
#: is either one of these or one of :data:`_OTHER_FIELDS`, each checked in ``__post_init__``
#: (``tests/core/test_options.py`` keeps every field in exactly one of the two).
_TEXT_FIELDS = (
    "key", "decryption_key", "audience", "issuer", "kb_audience", "kb_nonce", "kb_key",
    "context_text",
)  # fmt: skip
#: The other fields, each tested by name in ``__post_init__``.
_OTHER_FIELDS = (
    "secret_encoding", "now", "leeway", "check_weak_secrets", "wordlist", "fetched_keys"
)  # fmt: skip
#: The text fields' values as one tuple (read in C: ``operator.attrgetter``).
_texts = operator.attrgetter(*_TEXT_FIELDS)
#: Types of the values that pass the quick check in ``InspectOptions.__post_init__``.
_TEXT_OR_NONE = frozenset({str, type(None)})
_NUMBER_TYPES = frozenset({int, float})


@dataclass(frozen=True, slots=True)
class InspectOptions:
    """Everything besides the text that decides what an inspection says.

    Frozen, hashable and picklable: it travels to worker threads, helper processes and the
    child forked at launch unchanged. Change one field with ``dataclasses.replace``.
    Invalid values raise at construction (``TypeError`` for a wrong type, ``ValueError`` for
    a wrong value), so no layer below has to check them again.
    """

    #: The key text as the user gave it (PEM, JWK, JWK Set, or a shared secret); ``None``:
    #: no key, the signature is not checked. Left out of ``repr`` (crash reports, logs).
    key: str | None = field(default=None, repr=False)
    #: The key that decrypts a JWE (a private key in any form ``key`` accepts, a shared
    #: secret, or a PBES2 password); ``None``: ``key`` is tried for decryption. Left out of
    #: ``repr``, like ``key``.
    decryption_key: str | None = field(default=None, repr=False)
    #: How a shared secret is written: one of :data:`SECRET_ENCODINGS`.
    secret_encoding: str = "utf-8"
    #: The time the token is judged at (seconds since the epoch); ``None``: the current time,
    #: read once by the facade (the layers below are given the clock, never read it).
    now: float | None = None
    #: Clock skew (seconds, finite, >= 0) allowed on ``exp``/``nbf``/``iat``.
    leeway: float = 0.0
    #: The audience the token must be for (checked when given).
    audience: str | None = None
    #: The issuer the token must come from (checked when given).
    issuer: str | None = None
    #: Try the built-in list of common HMAC secrets on HS* tokens.
    check_weak_secrets: bool = True
    #: A file of more candidate secrets, one per line (read by the analysis, which turns an
    #: unreadable file into a ``wordlist-error`` finding).
    wordlist: str | os.PathLike[str] | None = None
    #: Where the JWK Set in ``key`` was fetched from (issue 13); ``None`` for a key pasted or
    #: read from a file. Set by the fetcher (:mod:`inspector.fetching`), judged by
    #: :mod:`inspector.core.fetched_keys`.
    fetched_keys: FetchedKeys | None = None
    #: The ``aud`` an SD-JWT's key-binding JWT must carry (the verifier's own identifier);
    #: ``None``: not compared, and the key binding's reason says so.
    kb_audience: str | None = None
    #: The ``nonce`` an SD-JWT's key-binding JWT must carry (the one the verifier sent).
    kb_nonce: str | None = None
    #: The holder's public key for an SD-JWT's key-binding JWT, when the payload's ``cnf``
    #: names it by ``kid`` or ``jkt`` instead of carrying it (any form ``key`` accepts; a JWK
    #: Set is searched for the cnf's kid or thumbprint). Left out of ``repr``, like ``key``.
    kb_key: str | None = field(default=None, repr=False)
    #: The whole text the token was taken from, when it is one of several (the window's token
    #: chooser inspects the one chosen): the paste around it (:mod:`inspector.core.
    #: paste_context`: the access token beside an ID token or a DPoP proof) is read from this
    #: text instead of the token's own. ``None``: the text inspected is the whole paste.
    context_text: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # The usual values (text or None, finite numbers, a bool, no wordlist or fetched keys)
        # pass one test per field: an inspection of a log builds one of these per token.
        # Anything else takes the checks below, which say what is wrong.
        now, leeway = self.now, self.leeway
        if (
            _TEXT_OR_NONE.issuperset(map(type, _texts(self)))
            and type(self.secret_encoding) is str
            and self.secret_encoding in SECRET_ENCODINGS
            and (now is None or is_finite_number(now))
            and is_finite_number(leeway)
            and leeway >= 0
            and type(self.check_weak_secrets) is bool
            and self.wordlist is None
            and self.fetched_keys is None
        ):
            return
        self._check()

    def _check(self) -> None:
        for name in _TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be text or None, not {type(value).__name__}")
        if not isinstance(self.secret_encoding, str):
            raise TypeError(
                f"secret_encoding must be text, not {type(self.secret_encoding).__name__}"
            )
        if self.secret_encoding not in SECRET_ENCODINGS:
            raise ValueError(
                f"Unknown secret encoding {self.secret_encoding!r}; "
                f"use one of {', '.join(SECRET_ENCODINGS)}."
            )
        if self.now is not None:
            if not _is_number(self.now):
                raise TypeError(
                    f"now must be seconds since the epoch (a number) or None, "
                    f"not {type(self.now).__name__}"
                )
            if not is_finite(self.now):
                raise ValueError(
                    "now must be a finite time (seconds since the epoch), "
                    f"not {_shown_number(self.now)}"
                )
        if not _is_number(self.leeway):
            raise TypeError(f"leeway must be a number of seconds, not {type(self.leeway).__name__}")
        if not is_finite(self.leeway) or self.leeway < 0:
            raise ValueError(
                f"leeway must be a finite number of seconds >= 0, not {_shown_number(self.leeway)}"
            )
        if not isinstance(self.check_weak_secrets, bool):
            raise TypeError(
                f"check_weak_secrets must be True or False, "
                f"not {type(self.check_weak_secrets).__name__}"
            )
        if self.wordlist is not None and not isinstance(self.wordlist, (str, os.PathLike)):
            raise TypeError(
                f"wordlist must be a file path or None, not {type(self.wordlist).__name__}"
            )
        if self.fetched_keys is not None and not _is_fetched_keys(self.fetched_keys):
            raise TypeError(
                f"fetched_keys must be FetchedKeys or None, not {type(self.fetched_keys).__name__}"
            )

    def same_inputs(self, other: InspectOptions) -> bool:
        """Whether ``other`` asks the same of a token, the clock aside: the result of one may
        stand for the other, re-judged only because time passed. Every field but ``now``
        counts, so a field added later counts without a change here."""
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in fields(self) if f.name != "now"
        )
