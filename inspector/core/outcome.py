"""What a verification concluded, as a typed value: :class:`Outcome`.

Code that must act on a verdict (the window's banner, the CLI's words, reports to come) reads
``Verification.outcome``, never the ids of the findings that came with it: a finding explains,
an outcome decides. Every return path of :func:`inspector.core.verification.verify_token` sets
exactly one.

Its own module, importing nothing but :mod:`enum`, so that the window's first frame can word a
verdict (:mod:`inspector.core.presentation`) without importing the codec.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """Why the verification ended as it did. The values are stable names (JSON output)."""

    #: The signature matches the key entered, and the token is exactly as signed.
    VERIFIED = "verified"
    #: The signature was checked and does not match (or is not a valid signature at all).
    BAD_SIGNATURE = "bad-signature"
    #: The signature matches, but the token as pasted is not the token that was signed
    #: (non-canonical base64url, spaces inside it, a ``crit`` it may not carry...).
    NOT_AS_PASTED = "not-as-pasted"
    #: The key may not check this token (type, curve, ``alg``, ``use`` or ``key_ops``, no key
    #: of a JWK Set fits or has the token's ``kid``): nothing was compared.
    KEY_MISFIT = "key-misfit"
    #: The key fits but must not be used to verify anything (a small-order point, an empty
    #: secret, a JWK Set mixing secrets and public keys, a ``kid`` shared by several keys).
    KEY_REFUSED = "key-refused"
    #: An HS* token whose signature is an HMAC made with the public key's own bytes
    #: (algorithm confusion, CVE-2016-10555).
    FORGED_WITH_PUBLIC_KEY = "forged-with-public-key"
    #: ``alg: none``: there is no signature, and the token is never valid.
    UNSECURED = "unsecured"
    #: The header's ``alg`` is not a JWS algorithm the inspector knows.
    UNSUPPORTED = "unsupported"
    #: The token is incomplete or malformed, so there is no signature to check.
    MALFORMED = "malformed"
    #: The key text could not be read as a key.
    KEY_UNREADABLE = "key-unreadable"
    #: No key was given.
    NO_KEY = "no-key"
    #: The input holds no token.
    NO_TOKEN = "no-token"
    #: An encrypted token (JWE): it has no signature of its own (see Inspection.decryption).
    ENCRYPTED = "encrypted"


#: The statuses each outcome may come with (``Verification.__post_init__`` checks it).
#: Only a malformed token has two: ``unchecked`` without a key, ``invalid`` with one.
OUTCOME_STATUSES: dict[Outcome, frozenset[str]] = {
    Outcome.VERIFIED: frozenset({"valid"}),
    Outcome.BAD_SIGNATURE: frozenset({"invalid"}),
    Outcome.NOT_AS_PASTED: frozenset({"invalid"}),
    Outcome.KEY_MISFIT: frozenset({"invalid"}),
    Outcome.KEY_REFUSED: frozenset({"invalid"}),
    Outcome.FORGED_WITH_PUBLIC_KEY: frozenset({"invalid"}),
    Outcome.UNSECURED: frozenset({"invalid"}),
    Outcome.UNSUPPORTED: frozenset({"invalid"}),
    Outcome.MALFORMED: frozenset({"invalid", "unchecked"}),
    Outcome.KEY_UNREADABLE: frozenset({"error"}),
    Outcome.NO_KEY: frozenset({"unchecked"}),
    Outcome.NO_TOKEN: frozenset({"unchecked"}),
    Outcome.ENCRYPTED: frozenset({"unchecked"}),
}
