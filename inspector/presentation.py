"""The words the inspector says about a result, in one place: verdict lines, size texts, time
texts and finding summaries. The window, the CLI (and the reports, diffs and redaction to come)
all word a result through here, so one verdict reads the same everywhere.

Beside the codec, not in it, and importing nothing from it: the window's first frame words
its verdict with this module while the codec is still being imported in a child process (see
:mod:`inspector.ui.jobs`), and the launch test holds that ``inspector.core`` is not even in
``sys.modules`` then. So outcomes are matched by their values (an ``Outcome`` is a ``str``
equal to its value; ``tests/test_presentation.py`` checks every one is worded). It reads plain
attributes, so it serves the codec's own results and the window's plain views of them alike.
The verdict follows ``Verification.outcome``; a verified signature is qualified by the
findings a server must reject the token for (:data:`REJECTIONS`, ids from the codec's
catalogue), and coloured by the worse of the two, so a valid signature on an expired token
never reads as plain success.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # (protocols cost import time, and the first frame imports this module)
    from typing import Protocol

    class VerdictSource(Protocol):
        """What wording a verdict needs: the codec's ``Verification`` or the window's view of it.
        ``outcome`` is an ``Outcome`` or its value (the view carries plain strings)."""

        @property
        def status(self) -> str: ...
        @property
        def outcome(self) -> str: ...
        @property
        def algorithm(self) -> str | None: ...
        @property
        def key(self) -> str | None: ...
        @property
        def reason(self) -> str: ...

    class DecryptionSource(Protocol):
        """A JWE's decryption, the codec's ``Decryption`` or the window's view of it."""

        @property
        def status(self) -> str: ...
        @property
        def algorithm(self) -> str | None: ...
        @property
        def encryption(self) -> str | None: ...
        @property
        def key(self) -> str | None: ...
        @property
        def reason(self) -> str: ...

    class _Graded(Protocol):
        @property
        def severity(self) -> str: ...

    class _Finding(Protocol):
        @property
        def id(self) -> str: ...
        @property
        def severity(self) -> str: ...


#: The size of an opaque session id the token's size is compared with, and the limits it
#: may exceed, as :mod:`inspector.core.parsing` defines them (the defaults of
#: :func:`size_words`; the window and the CLI pass the codec's own values, and
#: ``tests/test_presentation.py`` checks these agree with them).
SESSION_ID_BYTES = 32
COOKIE_LIMIT = 4096
HEADER_LIMIT = 8192


class Verdict(NamedTuple):
    """A verdict in words. ``status`` (valid, invalid, unchecked, error) picks its colour;
    ``headline`` says it in a few words; ``detail`` is the sentence under it.
    ``secret_encoding``: the secret encoding with which the signature verifies, when the one
    chosen does not (the window offers it as one click; nothing switches by itself)."""

    status: str
    headline: str
    detail: str
    secret_encoding: str | None = None


#: The headline of each outcome (by its value). Only a signature that was checked and does
#: not match is called a bad signature; where nothing was compared, the headline says why.
HEADLINES: dict[str, str] = {
    "verified": "Signature verified",
    "bad-signature": "Invalid signature",
    "not-as-pasted": "Invalid: the token is not the one that was signed",
    "key-misfit": "Invalid: this key does not fit the token",
    "key-refused": "Invalid: this key must not be used to verify",
    "forged-with-public-key": "Invalid: forged with the public key",
    "unsecured": "Invalid: unsecured token (no signature)",
    "unsupported": "Invalid: unsupported algorithm",
    "malformed": "Invalid token: incomplete or malformed",
    "key-unreadable": "Key error",
    "no-key": "Not checked: enter a key",
    "no-token": "Not checked: no token",
    "encrypted": "Not checked: encrypted token (JWE)",
}
#: A malformed token is invalid when a key was given, and this when none was.
MALFORMED_UNCHECKED = "Not checked: incomplete token"
#: No key in the result, but one in the key box now (the window re-inspects on its way).
KEY_PENDING = "Not checked"
#: For an outcome this module does not know (a newer codec): its status in words.
_BY_STATUS = {
    "valid": "Signature verified",
    "invalid": "Invalid",
    "unchecked": "Not checked",
    "error": "Key error",
}
#: What the detail line says when there is no token at all.
NO_TOKEN_DETAIL = "Paste a token on the left."

#: The findings after which a server must reject the token although its signature verified,
#: as the verdict words them ("Signature verified \u2013 but the token is expired"). Ids of
#: the codec's one catalogue (``tests/test_presentation.py`` checks each is there); the
#: colour follows each finding's own severity (:data:`SEVERITY_STATUS`).
REJECTIONS: dict[str, str] = {
    "expired": "the token is expired",
    "not-yet-valid": "the token is not valid yet",
    "nbf-after-exp": "the token is never valid (nbf is after exp)",
    "issued-in-future": "the token was issued in the future",
    "aud-mismatch": "the audience does not match",
    "iss-mismatch": "the issuer does not match",
    "weak-secret": "the secret is guessable (anyone can sign)",
    "empty-secret": "the secret is empty (anyone can sign)",
    "short-hmac-secret": "the secret is too short",
    "weak-rsa-key": "the RSA key is too weak",
    "alg-none": "the token is unsecured (alg none)",
    "certificate-key-usage": "the key's certificate does not allow signing",
    "certificate-expired": "the key's certificate has expired",
    "certificate-not-yet-valid": "the key's certificate is not valid yet",
}
#: The banner colour a rejection of each severity gives a verified signature: the worse of
#: "valid" and the finding (``error`` is the amber of a warning).
SEVERITY_STATUS: dict[str, str] = {
    "error": "invalid",
    "critical": "invalid",
    "high": "invalid",
    "medium": "error",
}
#: The codec's severities, most severe first (``tests/test_presentation.py`` checks them).
SEVERITIES = ("error", "critical", "high", "medium", "low", "info")
#: Between "Signature verified" and the reasons a server rejects the token anyway.
BUT = " \u2013 but "
#: Up to this many reasons are all named in a headline; of more, only the most severe is
#: named and the rest counted ("... but the secret is guessable and 2 more problems"), so the
#: headline stays short enough for the banner at 1024 pixels (the findings list them all).
NAMED_REJECTIONS = 2
#: How the verdict names each secret encoding (as the codec's reasons do: a test keeps them
#: equal to ``inspector.core.verification.ENCODING_WORDS``).
ENCODING_NAMES = {"utf-8": "UTF-8 text", "base64": "base64", "base64url": "base64url", "hex": "hex"}


def verdict(
    verification: VerdictSource,
    *,
    has_key: bool = False,
    findings: Iterable[_Finding] = (),
) -> Verdict:
    """The verdict on ``verification`` in words. ``has_key``: whether a key is entered now
    (the window's key box may already hold one the result was not made with). ``findings``:
    the inspection's findings (most severe first), of which those in :data:`REJECTIONS`
    qualify a verified signature and may darken its colour."""
    status, outcome, reason = verification.status, verification.outcome, verification.reason
    headline = HEADLINES.get(outcome) or _BY_STATUS.get(status, "Not checked")
    if outcome == "verified":
        detail = verification.key or ""
        if verification.algorithm:
            detail = verification.algorithm + (f" with {detail}" if detail else "")
        rejected = rejections(findings)
        if rejected:
            headline += BUT + _listed([REJECTIONS[f.id] for f in rejected])
            status = _worse(status, rejected)
        return Verdict(status, headline, detail)
    hint = getattr(verification, "secret_encoding_hint", None)
    if outcome == "bad-signature" and hint in ENCODING_NAMES:
        return Verdict(status, f"{headline}: the secret is {ENCODING_NAMES[hint]}", reason, hint)
    if outcome == "key-unreadable":
        return Verdict(status, f"{headline}: {reason}", verification.key or "")
    if outcome == "no-token":
        return Verdict(status, headline, NO_TOKEN_DETAIL)
    if outcome == "malformed" and status == "unchecked":
        headline = MALFORMED_UNCHECKED
    elif outcome == "no-key" and has_key:
        headline = KEY_PENDING
    return Verdict(status, headline, reason)


def rejections(findings: Iterable[_Finding]) -> list[_Finding]:
    """The findings a server must reject the token for (:data:`REJECTIONS`), most severe
    first, each id once."""
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.id in REJECTIONS and f.id not in seen:
            seen.add(f.id)
            out.append(f)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(out, key=lambda f: rank.get(f.severity, len(rank)))


def _worse(status: str, rejected: Sequence[_Finding]) -> str:
    """The worse of ``status`` and the statuses the rejecting findings' severities give."""
    order = ("valid", "unchecked", "error", "invalid")
    worst = status
    for f in rejected:
        other = SEVERITY_STATUS.get(f.severity, status)
        if order.index(other) > order.index(worst):
            worst = other
    return worst


def _listed(phrases: list[str]) -> str:
    """``a``, ``a and b``, ``a and 2 more problems``."""
    if len(phrases) <= NAMED_REJECTIONS:
        return " and ".join(phrases)
    more = len(phrases) - 1
    return f"{phrases[0]} and {more} more problem{'s' * (more != 1)}"


#: A JWE's decryption in words, by its status (``decrypted`` names its algorithms instead).
DECRYPTION_HEADLINES: dict[str, str] = {
    "failed": "Not decrypted",
    "unchecked": "Not decrypted: enter the recipient's key",
    "error": "Not decrypted: the key cannot be used",
}
#: Between a decrypted JWE and the verdict on the token inside it.
INNER = " \u2013 inner token: "
#: Key management with which anyone holding the recipient's *public* key can encrypt: a
#: decrypted content proves nothing about who made it unless a signature is inside.
PUBLIC_KEY_ENCRYPTION = ("RSA", "ECDH-ES")
#: What a decrypted but unsigned JWE's detail says when its key is a public one's.
UNSIGNED_PUBLIC = (
    "The content is not signed: anyone with the recipient's public key can make such a token."
)


def decryption_verdict(
    decryption: DecryptionSource,
    *,
    inner: Verdict | None = None,
    findings: Iterable[_Finding] = (),
) -> Verdict:
    """The verdict on a JWE: ``Decrypted (RSA-OAEP-256, A256GCM) \u2013 inner token: Signature
    verified``, or why it was not decrypted. ``inner``: the verdict on the token inside (a
    nested JWS), which then decides the colour; ``findings``: the JWE's own, whose rejections
    qualify a decrypted content that is not a token (``... \u2013 but the token is expired``).
    A content encrypted to a public key and not signed is not called valid: it proves only
    that someone had the recipient's public key."""
    status = decryption.status
    algs = ", ".join(a for a in (decryption.algorithm, decryption.encryption) if a)
    named = f" ({algs})" if algs else ""
    if status == "decrypted":
        headline = f"Decrypted{named}"
        if inner is not None:
            return Verdict(
                inner.status, headline + INNER + inner.headline, inner.detail, inner.secret_encoding
            )
        public = (decryption.algorithm or "").startswith(PUBLIC_KEY_ENCRYPTION)
        colour = "unchecked" if public else "valid"
        detail = UNSIGNED_PUBLIC if public else decryption.reason
        rejected = rejections(findings)
        if rejected:
            headline += BUT + _listed([REJECTIONS[f.id] for f in rejected])
            colour = _worse(colour, rejected)
        return Verdict(colour, headline, detail)
    if status == "unchecked":
        return Verdict("unchecked", DECRYPTION_HEADLINES["unchecked"], decryption.reason)
    if status == "error":
        return Verdict("error", DECRYPTION_HEADLINES["error"], decryption.reason)
    return Verdict("invalid", DECRYPTION_HEADLINES["failed"] + named, decryption.reason)


def token_verdict(view: Any, *, has_key: bool = False) -> Verdict:
    """The verdict the window's banner shows for ``view`` (its plain view of an inspection,
    with ``verification``, ``findings``, ``decryption`` and ``nested``): a JWE's decryption
    with the verdict on the token inside it, else the signature's :func:`verdict`."""
    findings = getattr(view, "findings", ())
    decryption = getattr(view, "decryption", None)
    if decryption is None:
        return verdict(view.verification, has_key=has_key, findings=findings)
    nested = getattr(view, "nested", None)
    inner = (
        verdict(nested.verification, has_key=has_key, findings=nested.findings)
        if nested is not None
        else None
    )
    return decryption_verdict(decryption, inner=inner, findings=findings)


def decryption_key_words(decryption: DecryptionSource, *, key_entered: bool) -> str:
    """What the key box says under a JWE's decryption key: the key read and what it did."""
    if not key_entered:
        return "No key entered: paste the recipient's private key, secret or password"
    said = {"decrypted": "decrypted the token", "failed": "did not decrypt the token"}
    if decryption.key:
        return f"Detected: {decryption.key} \u00b7 " + said.get(decryption.status, "not used")
    return f"Key not used: {decryption.reason}"


def verdict_lines(
    verification: VerdictSource, findings: Iterable[_Finding] = ()
) -> tuple[str, ...]:
    """The verdict as a text report writes it: the headline, then the reason (unless the
    headline already says it), then the key that was used. ``findings`` as for
    :func:`verdict`."""
    words = verdict(verification, findings=findings)
    lines = [words.headline]
    if verification.reason and verification.reason not in words.headline:
        lines.append(verification.reason)
    if verification.key:
        lines.append(f"Key: {verification.key}")
    return tuple(lines)


# ---------------------------------------------------------------------- sizes
def size_words(
    size: int,
    *,
    session_id_bytes: int = SESSION_ID_BYTES,
    cookie_limit: int = COOKIE_LIMIT,
    header_limit: int = HEADER_LIMIT,
) -> str:
    """``237 bytes, 7.4× a 32-byte session id`` (and the limit it is over, if any)."""
    text = f"{size:,} bytes, {size / session_id_bytes:,.1f}× a {session_id_bytes}-byte session id"
    if size > header_limit:
        text += f" · over the {header_limit:,}-byte HTTP header limit"
    elif size > cookie_limit:
        text += f" · over the {cookie_limit:,}-byte cookie limit"
    return text


def size_text(size: int, limits: tuple[int, int, int] | None = None) -> str:
    """The window's status-bar text: ``Token: …`` (see :func:`size_words`), or ``No token``.
    ``limits`` is ``(cookie limit, header limit, session id bytes)``."""
    if not size:
        return "No token"
    cookie, header, session = limits or (COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES)
    words = size_words(size, session_id_bytes=session, cookie_limit=cookie, header_limit=header)
    return f"Token: {words}"


# ---------------------------------------------------------------------- times
#: An ISO 8601 date-time, to the minute. A pattern text, not a compiled pattern: ``re`` compiles
#: and caches it on first use (in the inspection worker), not while the first frame imports this.
_ISO_MINUTES = r"^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$"


def time_annotation(local: str | None, relative: str | None) -> str:
    """``2024-05-20 21:03 local, expired 3 days ago`` from a time claim's readable forms
    (an ISO 8601 local time is shown to the minute; anything else as given)."""
    parts: list[str] = []
    if local:
        m = re.match(_ISO_MINUTES, local)
        shown = f"{m.group(1)} {m.group(2)}" if m else local
        parts.append(shown if "local" in shown.lower() else f"{shown} local")
    if relative:
        parts.append(relative)
    return ", ".join(parts)


def time_words(utc: str | None, local: str | None, relative: str | None) -> str:
    """A time claim in full, for text reports: UTC, then the window's annotation (local
    time to the minute and how long ago)."""
    return ", ".join(x for x in (utc, time_annotation(local, relative)) if x)


# ---------------------------------------------------------------------- findings
def findings_summary(findings: Sequence[_Graded]) -> str:
    """``4 findings: 1 high, 1 low, 2 info`` (findings most severe first, as an inspection
    lists them), or ``No findings``."""
    if not findings:
        return "No findings"
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun}: {_counts(counts.items())}"


def _counts(items: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{n} {severity}" for severity, n in items)


# ---------------------------------------------------------------------- durations
#: The units a duration is worded in, largest first (a year is not a fixed number of days,
#: so days are the largest unit: "400 d 2 h").
_DURATION_UNITS = (("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1))
#: A duration names at most this many units ("+1 d 2 h", not "+1 d 2 h 3 min 4 s").
DURATION_PARTS = 2


def duration_words(seconds: float, *, signed: bool = True) -> str:
    """``+1 h 40 min``, ``-3 d 2 h``, ``0 s``: a difference between two times, to the second,
    in its two largest units (``signed``: with a ``+`` or ``-`` in front)."""
    whole = round(seconds)
    sign = "-" if whole < 0 else "+"
    left = abs(whole)
    parts: list[str] = []
    for unit, size in _DURATION_UNITS:
        if left >= size and len(parts) < DURATION_PARTS:
            parts.append(f"{left // size:,} {unit}")
            left %= size
        elif parts:
            break  # "1 d 0 h 5 min" would read as more precise than it is
    text = " ".join(parts) or "0 s"
    return f"{sign}{text}" if signed and whole else text
