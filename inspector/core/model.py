"""Result values shared by the codec layers: a parsed token and the whole inspection.

All are frozen; nothing in here decodes or verifies. Parsing fills :class:`ParsedToken`,
verification fills :class:`Verification`, analysis fills :class:`Analysis`, and the facade
(:mod:`inspector.core.inspection`) puts them together into an :class:`Inspection`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from inspector.core.findings import Finding, sort_findings
from inspector.core.frozen import value_class
from inspector.core.options import SECRET_ENCODINGS
from inspector.core.outcome import OUTCOME_STATUSES, Outcome

if TYPE_CHECKING:
    from inspector.core.notjwt import NotJwt
    from inspector.core.sdjwt_values import SdJwt

TokenFormat = Literal[
    "jws",
    "sd-jwt",
    "unsecured",
    "jwe",
    "unknown",
    # Not JWTs, recognised by inspector.core.notjwt (issue 16): ``token`` is then ``None``
    # and ``not_jwt`` says what was read.
    "paseto",
    "saml",
    "cwt",
    "api-key",
    "opaque",
]
#: The formats of a JWT (a JWS, unsecured or encrypted), as opposed to what is not one.
JWT_FORMATS: tuple[TokenFormat, ...] = ("jws", "sd-jwt", "unsecured", "jwe")
#: The ``format`` of each kind of :class:`~inspector.core.notjwt.NotJwt` that has one of its
#: own; other kinds (keys, Fernet, macaroons, session cookies) keep ``"unknown"``.
NOT_JWT_FORMATS: dict[str, TokenFormat] = {
    "paseto": "paseto",
    "saml": "saml",
    "cwt": "cwt",
    "api-key": "api-key",
    "opaque": "opaque",
}
#: Formats whose ``parts`` are a compact JWS's three segments, signed as any JWS (an SD-JWT's
#: are its issuer-signed JWT's).
SIGNED_FORMATS: tuple[TokenFormat, ...] = ("jws", "sd-jwt")
SegmentName = Literal[
    "header",
    "payload",
    "signature",
    "encrypted_key",
    "iv",
    "ciphertext",
    "tag",
    # An SD-JWT's parts after its issuer-signed JWT (inspector.core.sdjwt).
    "disclosure",
    "key_binding",
]
VerificationStatus = Literal["valid", "invalid", "unchecked", "error"]
DecryptionStatus = Literal["decrypted", "failed", "unchecked", "error"]

JWS_SEGMENTS: tuple[SegmentName, ...] = ("header", "payload", "signature")
JWE_SEGMENTS: tuple[SegmentName, ...] = ("header", "encrypted_key", "iv", "ciphertext", "tag")


class Segment(NamedTuple):
    """Where one part of the token stands in the ORIGINAL input text (``text[start:end]``).

    ``error`` says why the segment could not be decoded, or is ``None``. A named tuple rather
    than a frozen dataclass: every parse makes three or five, and a tuple is built four
    times faster; it is just as immutable.
    """

    name: SegmentName
    start: int
    end: int
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "start": self.start, "end": self.end}
        if self.error is not None:
            d["error"] = self.error
        return d


@value_class(kw_only=True)
class ParsedToken:
    """A token as decoded, before anything is verified (hence ``unverified_`` names).

    ``parts`` are the encoded segments of the cleaned token; ``signing_input`` is the UTF-8
    bytes of ``parts[0] + "." + parts[1]`` for a JWS, as the signer computed it (the payload
    part is any text when the header says ``b64: false``, RFC 7797 §3).
    """

    text: str
    token: str | None
    format: TokenFormat
    parts: tuple[str, ...] = ()
    segments: tuple[Segment, ...] = ()
    unverified_header: dict[str, Any] | None = None
    unverified_payload: dict[str, Any] | str | None = None
    header_bytes: bytes | None = None
    payload_bytes: bytes | None = None
    signature: bytes | None = None
    #: A JWS JSON serialization's unprotected header (read-only), when it had one that is an
    #: object. Not covered by the signature: shown and checked, never used to verify.
    unprotected_header: Mapping[str, Any] | None = None
    findings: tuple[Finding, ...] = ()
    #: A JWE's four binary segments as decoded (encrypted key, IV, ciphertext, tag; ``None``
    #: for one that is not base64url), so that decryption does not decode them again.
    encrypted: tuple[bytes | None, ...] = field(default=(), repr=False, compare=False)
    #: A JWE JSON serialization's ``aad`` member (base64url text, authenticated with the
    #: protected header, RFC 7516 §5.2 step 14), when it had one.
    jwe_aad: str | None = None
    #: An SD-JWT's disclosures and key-binding JWT (``inspector.core.sdjwt``), when the token
    #: is one; the fields above then describe its issuer-signed JWT (``parts`` are its three
    #: segments, ``token`` the whole SD-JWT as cleaned).
    sd_jwt: SdJwt | None = None
    #: What the input is when it is recognisably not a JWT (``inspector.core.notjwt``: a
    #: PASETO token, a JWK, a PEM block...); ``token`` is then ``None``.
    not_jwt: NotJwt | None = None

    @property
    def alg(self) -> str | None:
        """The header's ``alg`` when it is a string."""
        h = self.unverified_header
        a = h.get("alg") if h is not None else None
        return a if isinstance(a, str) else None

    @property
    def signing_input(self) -> bytes | None:
        """The exact bytes the signature covers, or ``None`` when there are none: not a JWS,
        or text that has no UTF-8 bytes (a lone surrogate). Nothing is ever replaced: a
        replaced character would let a signature over other text verify."""
        if self.format not in ("jws", "sd-jwt", "unsecured") or len(self.parts) != 3:
            return None
        try:
            return (self.parts[0] + "." + self.parts[1]).encode("utf-8")
        except UnicodeEncodeError:
            return None

    @property
    def claims(self) -> dict[str, Any] | None:
        """The payload when it is a JSON object (the JWT claims set), else ``None``."""
        p = self.unverified_payload
        return p if isinstance(p, dict) else None

    def size(self) -> dict[str, int]:
        p = self.parts
        if self.format == "jwe":
            return {
                "token": len(self.token or ""),
                "header": len(p[0]),
                "payload": len(p[3]),
                "signature": len(p[4]),
            }
        return {
            "token": len(self.token or ""),
            "header": len(p[0]) if len(p) > 0 else 0,
            "payload": len(p[1]) if len(p) > 1 else 0,
            "signature": len(p[2]) if len(p) > 2 else 0,
        }


@value_class(kw_only=True)
class Verification:
    """The verdict on the signature. ``key`` describes the key actually used.

    ``outcome`` says why, as a value to act on (:class:`Outcome`); ``status`` is its colour
    (valid, invalid, unchecked, error) and must agree with it.
    """

    status: VerificationStatus = "unchecked"
    outcome: Outcome = Outcome.NO_KEY
    algorithm: str | None = None
    key: str | None = None
    reason: str = "No key given: enter a key to verify the signature."
    #: The HMAC secret bytes that were used (only for HS* with a shared secret), so the
    #: weak-secret check can look the user's own key up. Never serialised.
    hmac_secret: bytes | None = field(default=None, repr=False)
    findings: tuple[Finding, ...] = ()
    #: The secret encoding (one of ``SECRET_ENCODINGS``) with which the signature does
    #: verify, when the one chosen does not; only with ``bad-signature``. A hint for the
    #: user to act on: the verdict stays invalid until the secret is read that way.
    secret_encoding_hint: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.outcome, Outcome):
            raise TypeError(f"outcome must be an Outcome, not {self.outcome!r}")
        if self.secret_encoding_hint is not None and (
            self.outcome is not Outcome.BAD_SIGNATURE
            or self.secret_encoding_hint not in SECRET_ENCODINGS
        ):
            raise ValueError(
                f"secret_encoding_hint {self.secret_encoding_hint!r} needs outcome "
                "'bad-signature' and one of " + ", ".join(SECRET_ENCODINGS)
            )
        allowed = OUTCOME_STATUSES[self.outcome]
        if self.status not in allowed:
            raise ValueError(
                f"status {self.status!r} contradicts outcome {self.outcome.value!r} "
                f"(allowed: {', '.join(sorted(allowed))})"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "outcome": self.outcome.value,
            "algorithm": self.algorithm,
            "key": self.key,
            "reason": self.reason,
            "secret_encoding_hint": self.secret_encoding_hint,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Decryption:
    """What became of decrypting a JWE (:mod:`inspector.core.decryption`).

    ``status``: ``decrypted`` (the content authenticated with the key given), ``failed`` (it
    did not, or the token was refused or does not fit the key), ``unchecked`` (no key given)
    or ``error`` (the key text cannot be read, or holds nothing that can decrypt). ``key``
    describes the key used, as for verification. ``plaintext`` is the decrypted content, set
    only when ``decrypted``; never serialised.
    """

    status: DecryptionStatus = "unchecked"
    algorithm: str | None = None
    encryption: str | None = None
    key: str | None = None
    reason: str = "No key given: enter the recipient's key to decrypt the token."
    plaintext: bytes | None = field(default=None, repr=False)
    findings: tuple[Finding, ...] = ()

    def __post_init__(self) -> None:
        if (self.plaintext is not None) != (self.status == "decrypted"):
            raise ValueError("plaintext is set exactly when the status is 'decrypted'")

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "algorithm": self.algorithm,
            "encryption": self.encryption,
            "key": self.key,
            "reason": self.reason,
        }


TimeTexts = tuple[str | None, str | None, str | None]


@value_class(kw_only=True)
class TimeClaim:
    """One time claim as people read it: UTC ISO-8601, local time, relative to now.

    The three texts are either given with the claim (``claims.time_report`` writes them
    as it makes the list, which an inspection makes only when its ``times`` are first read:
    judging a token needs only the numbers) or written when first read, by ``render``.
    """

    claim: str
    location: str
    value: Any
    render: Callable[[], TimeTexts] | None = field(default=None, repr=False, compare=False)
    _texts: TimeTexts | None = field(default=None, init=False, repr=False, compare=False)

    def texts(self) -> TimeTexts:
        """``(utc, local, relative)`` at once (what serialising needs: one call, not three)."""
        texts = self._texts
        if texts is None:
            texts = self.render() if self.render is not None else (None, None, None)
            object.__setattr__(self, "_texts", texts)
        return texts

    @property
    def utc(self) -> str | None:
        return self.texts()[0]

    @property
    def local(self) -> str | None:
        return self.texts()[1]

    @property
    def relative(self) -> str | None:
        return self.texts()[2]

    def to_dict(self) -> dict[str, Any]:
        utc, local, relative = self.texts()
        return {
            "claim": self.claim,
            "location": self.location,
            "value": self.value,
            "utc": utc,
            "local": local,
            "relative": relative,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimInfo:
    """What a known header parameter or claim means (from the dictionary in resources/)."""

    location: str
    name: str
    description: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {
            "location": self.location,
            "name": self.name,
            "description": self.description,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileMatch:
    """A token profile (:mod:`inspector.core.profiles`) the token was recognised as."""

    #: The profile's name ("DPoP proof").
    name: str
    #: Why, in one sentence ("typ is 'dpop+jwt'").
    reason: str


@value_class(kw_only=True)
class Analysis:
    """What the analysis layer found beyond the signature.

    ``times`` and ``descriptions`` are made when first read (``report_times`` and
    ``describe`` make them): judging a token needs neither, and the window re-inspects as
    the user types.
    """

    findings: tuple[Finding, ...] = ()
    #: The token profiles the token was recognised as (none while none is registered).
    profiles: tuple[ProfileMatch, ...] = ()
    report_times: Callable[[], tuple[TimeClaim, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    describe: Callable[[], tuple[ClaimInfo, ...]] | None = field(
        default=None, repr=False, compare=False
    )
    _times: tuple[TimeClaim, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _descriptions: tuple[ClaimInfo, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def times(self) -> tuple[TimeClaim, ...]:
        """The time claims as people read them (made when first read, like the texts)."""
        found = self._times
        if found is None:
            found = self.report_times() if self.report_times is not None else ()
            object.__setattr__(self, "_times", found)
        return found

    @property
    def descriptions(self) -> tuple[ClaimInfo, ...]:
        found = self._descriptions
        if found is None:
            found = self.describe() if self.describe is not None else ()
            object.__setattr__(self, "_descriptions", found)
        return found


@value_class(kw_only=True)
class Inspection:
    """Everything the inspector knows about one input text. ``to_dict()`` is the JSON contract
    (what ``jwt-inspector-cli inspect --json`` prints)."""

    parsed: ParsedToken
    verification: Verification
    analysis: Analysis = Analysis()
    #: For a JWE: what decrypting it gave (``None`` for any other token). When decrypted,
    #: ``parsed`` carries the plaintext as its payload.
    decryption: Decryption | None = None
    #: The inspection of the token carried inside this one (a decrypted JWE's plaintext, or
    #: a JWS payload, that is itself a compact JWT), verified with the same ``key``.
    nested: Inspection | None = None

    @property
    def token(self) -> str | None:
        return self.parsed.token

    @property
    def format(self) -> TokenFormat:
        return self.parsed.format

    @property
    def findings(self) -> list[Finding]:
        """All findings, most severe first."""
        decrypted = self.decryption.findings if self.decryption is not None else ()
        return sort_findings(
            [
                *self.parsed.findings,
                *decrypted,
                *self.verification.findings,
                *self.analysis.findings,
            ]
        )

    def profile(self) -> dict[str, str | None]:
        """The token's profile (the first one recognised): ``{"name", "reason"}``, the name
        ``None`` when the token is of no known kind."""
        matched = self.analysis.profiles
        if matched:
            return {"name": matched[0].name, "reason": matched[0].reason}
        if self.parsed.token is None:
            return {"name": None, "reason": "There is no token."}
        return {
            "name": None,
            "reason": "Its typ, structure and claims fit none of the known profiles (SD-JWT, "
            "KB-JWT, DPoP proof, access token, ID token, logout token, client assertion, "
            "Kubernetes, GitHub Actions).",
        }

    def to_dict(self) -> dict[str, Any]:
        p = self.parsed
        sig = p.signature
        return {
            "token": p.token,
            "format": p.format,
            "segments": [s.to_dict() for s in p.segments],
            "header": p.unverified_header,
            "payload": p.unverified_payload,
            "signature": None if sig is None else {"bytes": len(sig), "hex": sig.hex()},
            "verification": self.verification.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
            "size": p.size(),
            "times": [t.to_dict() for t in self.analysis.times],
            "descriptions": [d.to_dict() for d in self.analysis.descriptions],
            "profile": self.profile(),
            "decryption": None if self.decryption is None else self.decryption.to_dict(),
            "nested": None if self.nested is None else self.nested.to_dict(),
            **({"sd_jwt": p.sd_jwt.to_dict()} if p.sd_jwt is not None else {}),
            **({"not_jwt": p.not_jwt.to_dict()} if p.not_jwt is not None else {}),
        }
