"""Signature verification: the key decides, not the token.

:func:`verify_token` checks a :class:`ParsedToken` against the key text a person entered and
returns a :class:`Verification` with a status, a one-sentence reason, a description of the key
really used, and findings. It never raises. Rules (RFC 8725 §3.1, §3.10):

* the header's ``alg`` must fit the key (type, curve, size, the JWK's own ``alg``, ``use`` and
  ``key_ops``); public-key material is never used as an HMAC secret. An HS* token whose
  signature is an HMAC made with the public key's own bytes (its text, DER or JWK) is a
  confirmed forgery (``key-confusion``); otherwise such a key simply does not fit;
* an Ed25519/Ed448 key of small order verifies anything and is refused; a certificate's
  keyUsage and validity (at the ``now`` passed in) are reported, the signature still checked;
* keys carried by the token (``jwk``, ``x5c``) or pointed to by it (``jku``, ``x5u``) are never
  used or fetched; ``alg: none`` is never valid;
* a valid verdict needs the token exactly as signed: strict base64url, no spaces inside it,
  and every ``crit`` extension understood.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from inspector.core.algorithms import ALGORITHMS, AlgSpec, ecdsa_signature_problem, verify
from inspector.core.dpop import (
    header_jwk,
    is_dpop_proof,
    private_members,
    public_jwk,
    symmetric_problem,
    thumbprint,
)
from inspector.core.findings import Finding, finding, json_pointer
from inspector.core.keys import (
    KeyCandidate,
    LoadedKey,
    decode_secret,
    load_key,
    normalise_key_text,
)
from inspector.core.model import SIGNED_FORMATS, ParsedToken, Verification
from inspector.core.options import InspectOptions
from inspector.core.outcome import Outcome
from inspector.core.parsing import JWS_JSON_NOT_AS_SIGNED
from inspector.core.paseto import verify_paseto

#: Header parameters naming a key the token brings along (never used) -> finding id.
TOKEN_KEY_HEADERS: Mapping[str, str] = MappingProxyType(
    {"jwk": "embedded-jwk", "x5c": "x5c-header", "jku": "jku-header", "x5u": "x5u-header"}
)
#: ``crit`` extensions this verifier understands (RFC 7797 unencoded payload).
UNDERSTOOD_CRIT = frozenset({"b64"})
#: Header parameters that RFC 7515 §4.1.11 forbids in ``crit``.
_REGISTERED = frozenset("alg jku jwk kid x5u x5c x5t x5t#S256 typ cty crit enc zip".split())
#: Parsing deviations after which the token is not the one that was signed.
_ENCODING_FINDINGS = {
    "padded-base64": "a segment carries '=' padding",
    "non-url-base64": "a segment uses the standard base64 alphabet ('+' or '/')",
    "non-canonical-base64": "a segment is not canonical base64url (non-zero padding bits)",
    **JWS_JSON_NOT_AS_SIGNED,
}
_INLINE_SPACE = re.compile(r"[ \t\f\v]+")

#: RSA keys shorter than this are weak (RFC 7518 §3.3).
MIN_RSA_BITS = 2048

#: Signature sizes (bytes) fixed by an EdDSA key's curve (RFC 8032 §5.1.6, §5.2.6).
EDDSA_SIGNATURE_BYTES: Mapping[str, int] = MappingProxyType({"Ed25519": 64, "Ed448": 114})
#: The other encodings a shared secret is tried in when it fails in the one chosen, in this
#: order (base64url first: JOSE's own, and what an ``oct`` JWK's ``k`` is written in).
HINT_ENCODINGS: tuple[str, ...] = ("base64url", "base64", "hex", "utf-8")
#: How a verdict names each secret encoding.
ENCODING_WORDS: Mapping[str, str] = MappingProxyType(
    {"utf-8": "UTF-8 text", "base64": "base64", "base64url": "base64url", "hex": "hex"}
)

MISMATCH_REASON = (
    "Signature does not match: the token was changed after signing, or this is not the key "
    "that signed it"
)


def verify_token(
    parsed: ParsedToken,
    key_text: str | None,
    *,
    secret_encoding: str = "utf-8",
    now: float | None = None,
) -> Verification:
    """Verify ``parsed`` with ``key_text``; never raises. ``now`` (seconds since the epoch)
    is the time a certificate's validity is judged at; ``None`` leaves it unjudged."""
    if parsed.format == "paseto":
        return verify_paseto(parsed, key_text, secret_encoding)
    header = parsed.unverified_header
    early: list[Finding] = _token_key_findings(header) if header else []
    carries_key = bool(early)  # (one finding per key header the token carries)
    alg = parsed.alg
    if parsed.format == "jwe":
        return Verification(
            status="unchecked",
            outcome=Outcome.ENCRYPTED,
            algorithm=alg,
            reason="This is an encrypted token (JWE): it has no signature of its own (see its "
            "decryption, and the nested token's verification).",
            findings=tuple(early),
        )
    spec = ALGORITHMS.get(alg) if alg is not None else None
    if alg is not None and spec is None and alg.lower() != "none":
        known = ", ".join(ALGORITHMS)
        early.append(
            finding(
                "unsupported-alg",
                f"The header's alg {alg!r} is not a JWS signature algorithm the inspector "
                f"knows (names are case-sensitive: {known}).",
                "/header/alg",
            )
        )
    if alg is not None and alg.lower() == "none":
        # Never valid; the analysis reports it once, as the critical `alg-none` finding.
        return Verification(
            status="invalid",
            outcome=Outcome.UNSECURED,
            algorithm=alg,
            reason=f"The token is unsecured (alg {alg!r}): it has no signature, and no server "
            "should accept it.",
            findings=tuple(early),
        )
    if key_text is None or not key_text.strip():
        reason = "No key given: enter a key to verify the signature."
        outcome = Outcome.NO_KEY
        if parsed.token is None:
            reason = "No token found, so there is nothing to verify."
            outcome = Outcome.NO_TOKEN
        elif parsed.format == "unknown":
            outcome = Outcome.MALFORMED
            n = len(parsed.parts)
            reason = (
                f"The token is incomplete or malformed ({n} segment{'s' * (n != 1)}; a signed "
                "token has 3), so there is no signature to check."
            )
        if parsed.format != "unknown" and carries_key:
            reason = (
                "No key given: enter a key you trust to verify the signature (the key the "
                "token carries or points to is never used)."
            )
        if not early and (alg is None or len(alg) <= _SHARED_ALG_CHARS):
            return _unchecked(outcome, alg, reason)
        return Verification(
            status="unchecked", outcome=outcome, algorithm=alg, reason=reason, findings=tuple(early)
        )
    return _Verifier(parsed, key_text, secret_encoding, early, now).run()


#: Verdicts without a key and without findings are one value per (outcome, alg, reason),
#: made once (:func:`_unchecked`) for an ``alg`` of at most this many characters.
_SHARED_ALG_CHARS = 32


@functools.lru_cache(maxsize=128)
def _unchecked(outcome: Outcome, alg: str | None, reason: str) -> Verification:
    """The verdict on a token when no key is given (most inspections of a log): a frozen
    value, shared rather than built and checked again for every token."""
    return Verification(status="unchecked", outcome=outcome, algorithm=alg, reason=reason)


#: The header members that carry or point to a key (TOKEN_KEY_HEADERS), as a set.
_TOKEN_KEY_HEADER_SET = frozenset(TOKEN_KEY_HEADERS)


@functools.lru_cache(maxsize=128)
def _verified(alg: str, key: str, carried: bool) -> Verification:
    """The verdict on a token whose signature verified with the public key described as
    ``key``, with nothing to add (no findings, no notes, no secret): one frozen value per
    algorithm and key, as :func:`_unchecked` is without a key (a log checked against one
    issuer's key gets the same verdict on every token)."""
    reason = f"{alg} signature verified with {key}"
    if carried:
        reason += " (the key you entered, not the one the token carries or points to)"
    return Verification(
        status="valid", outcome=Outcome.VERIFIED, algorithm=alg, key=key, reason=reason + "."
    )


def verify_with(parsed: ParsedToken, options: InspectOptions) -> Verification:
    """:func:`verify_token` with the settings as one value (``key``, ``secret_encoding``,
    ``now``; later the decryption key), as the facade calls it; never raises.

    A DPoP proof (header ``typ`` exactly ``dpop+jwt``) is the one exception to "the token's
    own key is never used": RFC 9449 defines it as signed by its header's ``jwk``, so it is
    checked with that key's public members (:func:`_verify_dpop_proof`)."""
    if is_dpop_proof(parsed):
        return _verify_dpop_proof(parsed, options)
    return verify_token(
        parsed, options.key, secret_encoding=options.secret_encoding, now=options.now
    )


def _verify_dpop_proof(parsed: ParsedToken, options: InspectOptions) -> Verification:
    """A DPoP proof verified with the public members of its header's ``jwk`` (RFC 9449 §4.3
    steps 5-7): never a symmetric key or algorithm, never a ``jwk`` that holds private
    members (anyone who saw one proof could sign more). A valid verdict says what it proves:
    possession of that key, not who holds it."""
    alg = parsed.alg
    entered = options.key is not None and bool(options.key.strip())
    note = (
        " The key you entered was not used: a DPoP proof is checked with the key in its own header."
        if entered
        else ""
    )
    jwk = header_jwk(parsed)
    if alg is None or alg.lower() == "none" or alg not in ALGORITHMS:
        v = verify_token(parsed, None, now=options.now)
        return replace(v, findings=_without_embedded_jwk(v.findings))
    problem = symmetric_problem(parsed)
    if problem is not None:
        return Verification(
            status="invalid",
            outcome=Outcome.KEY_REFUSED,
            algorithm=alg,
            reason=f"This DPoP proof cannot prove possession of a key: {problem}.{note}",
        )
    if jwk is None:
        return Verification(
            status="invalid",
            outcome=Outcome.MALFORMED,
            algorithm=alg,
            reason="A DPoP proof is verified with the 'jwk' in its header, and this one has no "
            f"'jwk' object, so there is nothing to verify it with.{note}",
        )
    if private_members(jwk):
        return Verification(
            status="invalid",
            outcome=Outcome.KEY_REFUSED,
            algorithm=alg,
            key="the proof's own jwk",
            reason="The proof's 'jwk' holds private key members: anyone who saw this proof can "
            f"sign new ones with that key, so its signature proves nothing.{note}",
        )
    v = verify_token(parsed, json.dumps(public_jwk(jwk)), now=options.now)
    jkt = thumbprint(jwk)
    label = f"the proof's own jwk ({v.key or 'unreadable'}; RFC 7638 thumbprint {jkt or 'none'})"
    if v.status == "valid":
        reason = (
            f"{alg} signature verified with the public key in the proof's own 'jwk' header"
            f"{f' (thumbprint {jkt})' if jkt else ''}: this proves the proof was made with "
            "that key, not who holds it; the access token's cnf.jkt must name the same "
            f"thumbprint.{note}"
        )
    else:
        reason = f"{v.reason.rstrip('.')} (checked with the key in the proof's own 'jwk').{note}"
    return replace(v, key=label, reason=reason, findings=_without_embedded_jwk(v.findings))


def _without_embedded_jwk(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(f for f in findings if f.id != "embedded-jwk")


def _token_key_findings(header: dict[str, object]) -> list[Finding]:
    if _TOKEN_KEY_HEADER_SET.isdisjoint(header):
        return []  # (most headers: one set test instead of a test per member)
    out = []
    for name, fid in TOKEN_KEY_HEADERS.items():
        if name in header:
            value = header[name]
            extra = f": {value[:120]!r}" if isinstance(value, str) else ""
            out.append(
                finding(
                    fid,
                    f"The header has '{name}'{extra}. The inspector never uses or fetches it; "
                    "only the key you enter is used.",
                    json_pointer("header", name),
                )
            )
    return out


def ecdsa_form_finding(spec: AlgSpec, signature: bytes, form: str | None) -> Finding | None:
    """The finding for an ECDSA signature whose form (``ecdsa_signature_problem``) shows
    without any key: ``psychic-signature`` (r or s zero) or ``der-ecdsa-signature``."""
    if form == "zero":
        return finding(
            "psychic-signature",
            f"The {spec.name} signature has r = 0 or s = 0, which no real signature has: it "
            "verifies on vulnerable verifiers whatever the key (CVE-2022-21449).",
        )
    if form == "der":
        return finding(
            "der-ecdsa-signature",
            f"The signature is a {len(signature)}-byte ASN.1 DER sequence; {spec.name} "
            f"needs r||s of exactly {2 * spec.size} bytes.",
        )
    return None


def signature_bytes(spec: AlgSpec, cand: KeyCandidate) -> int | None:
    """How many bytes ``spec.name``'s signatures with ``cand`` have: the HMAC's hash size,
    the RSA modulus size, twice the ECDSA curve size, 64 (Ed25519) or 114 (Ed448).
    ``None`` when the key does not say (an EdDSA key of another curve)."""
    if spec.family in ("RSA", "RSA-PSS"):
        return (cand.bits + 7) // 8 if cand.bits else None
    if spec.family == "ECDSA":
        return 2 * spec.size
    if spec.family == "EdDSA":
        return EDDSA_SIGNATURE_BYTES.get(cand.crv or "")
    return spec.size


def length_words(alg: str, actual: int, expected: int, with_key: str = "") -> tuple[str, str]:
    """``(finding detail, verdict reason)`` for a signature of ``actual`` bytes where ``alg``
    (``with_key``: " with this RSA 2048-bit key", when the key sets the size) makes
    ``expected``: shorter means the token was probably cut off."""
    made = f"{alg}{with_key} makes {expected}-byte signatures"
    if actual < expected:
        short = expected - actual
        why = f"{short} byte{'s' * (short != 1)} short: the token was probably cut off"
        ending = "the token was probably cut off (copy the whole token again)"
    else:
        long = actual - expected
        why = (
            f"{long} byte{'s' * (long != 1)} too long: it was made with another key or "
            "algorithm, or something was added to it"
        )
        ending = "it was not made with this key and algorithm, or something was added to it"
    detail = f"The signature is {actual} bytes; {made}. It is {why}."
    reason = f"The signature is {actual} bytes, but {made}: {ending}"
    return detail, reason


def _invalid(
    alg: str | None,
    key: str | None,
    reason: str,
    findings: Sequence[Finding],
    *,
    outcome: Outcome,
    hmac_secret: bytes | None = None,
    checked: bool = True,
) -> Verification:
    """``status="invalid"`` with ``outcome``. ``checked=False`` when the signature was never
    compared (the key may not be used, or the token is malformed): a specific finding says
    why, and no ``invalid-signature`` finding claims a mismatch that nobody measured."""
    return Verification(
        status="invalid",
        outcome=outcome,
        algorithm=alg,
        key=key,
        reason=reason + ".",
        hmac_secret=hmac_secret,
        findings=(*findings, finding("invalid-signature", reason + "."))
        if checked
        else tuple(findings),
    )


@dataclass(slots=True)
class _Choice:
    """The key chosen from what was entered, or why none could be."""

    cand: KeyCandidate | None
    label: str
    problem: Verification | None = None


class _Verifier:
    """One verification; collects findings as it goes."""

    def __init__(
        self,
        parsed: ParsedToken,
        key_text: str,
        encoding: str,
        early: list[Finding],
        now: float | None = None,
    ) -> None:
        self.parsed = parsed
        self.key_text = key_text
        self.encoding = encoding
        self.findings = early
        self.alg = parsed.alg
        self.now = now

    # -------------------------------------------------------------- token checks
    def _token_problem(self) -> tuple[Outcome, str] | None:
        """Why the token itself cannot be checked (its outcome and sentence), or ``None``."""
        p = self.parsed
        bad = Outcome.MALFORMED
        if p.token is None:
            return Outcome.NO_TOKEN, "There is no token to verify"
        if p.format not in SIGNED_FORMATS or len(p.parts) != 3:
            return bad, (
                f"This is not a compact JWS ({len(p.parts)} segments), so there is no "
                "signature to check"
            )
        if p.unverified_header is None:
            return bad, "The header cannot be read, so the signature cannot be checked"
        if "alg" not in p.unverified_header:
            return bad, "The header has no 'alg', so the signature cannot be checked"
        if self.alg is None:
            return bad, "The header's 'alg' is not a string, so the signature cannot be checked"
        if self.alg not in ALGORITHMS:
            return Outcome.UNSUPPORTED, (
                f"The algorithm {self.alg!r} is not supported, so the signature cannot be checked"
            )
        if p.signature is None:
            return bad, "The signature segment is not base64url, so it cannot be checked"
        if not p.signature:
            return bad, f"The signature is empty, but alg {self.alg} needs one"
        if p.payload_bytes is None:
            return bad, "The payload segment is not base64url, so the signature cannot be checked"
        if p.signing_input is None:
            signed = p.parts[0] + "." + p.parts[1]
            at = next((i for i, c in enumerate(signed) if "\ud800" <= c <= "\udfff"), 0)
            return bad, (
                f"The token holds a lone surrogate (U+{ord(signed[at]):04X}) at character {at} "
                "of its signed part, which is not text and has no UTF-8 bytes; nothing is "
                "replaced, so no signature can be checked over it"
            )
        return None

    def _exactness_problem(self) -> str | None:
        """Why the token as pasted is not exactly the token that was signed, or ``None``."""
        p = self.parsed
        for f in p.findings:
            why = _ENCODING_FINDINGS.get(f.id)
            if why is not None:
                return why
        if p.segments and p.token is not None:
            start, end = p.segments[0].start, p.segments[-1].end
            region = p.text[start:end]
            if (
                end - start != len(p.token)
                and _INLINE_SPACE.search(region)
                and "".join(region.split()) == p.token
            ):
                # Line breaks are a copy artifact (a wrapped token); spaces inside a line are not.
                for m in re.finditer(r"\s+", region):
                    if "\n" not in m.group() and "\r" not in m.group():
                        return "the pasted token has spaces inside it"
        if (p.unverified_header or {}).get("b64") is False and len(p.segments) == 3:
            seg = p.segments[1]
            if p.text[seg.start : seg.end] != p.parts[1]:
                # Every character of an unencoded payload is signed (RFC 7797 §3): a line
                # break or a percent escape that cleaning took out of it was part of it.
                return (
                    "its unencoded payload (b64: false) is not the text pasted (cleaning "
                    "removed line breaks or decoded percent escapes inside it, and every "
                    "character of an unencoded payload is signed)"
                )
        # "crit": null is there too (RFC 7515 §4.1.11: an array, never empty); PyJWT and
        # jwcrypto refuse it, and reading it as absent said "valid".
        if "crit" in (p.unverified_header or {}):
            crit = (p.unverified_header or {})["crit"]
            if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
                return "its 'crit' header is not a non-empty list of names"
            unknown = [c for c in crit if c not in UNDERSTOOD_CRIT]
            if unknown:
                names = ", ".join(map(repr, unknown))
                return (
                    "its 'crit' header requires extensions the inspector does not understand "
                    f"({names})"
                )
            bad = [c for c in crit if c in _REGISTERED or c not in (p.unverified_header or {})]
            if bad:
                return (
                    f"its 'crit' header lists {', '.join(map(repr, bad))}, which must not be there"
                )
        return None

    # -------------------------------------------------------------- key choice
    @staticmethod
    def misfit(cand: KeyCandidate, spec: AlgSpec) -> tuple[str, str] | None:
        """``(finding id, sentence)`` when ``cand`` may not verify ``spec.name``, else ``None``."""
        alg = spec.name
        if cand.use is not None and cand.use != "sig":
            return (
                "key-use-mismatch",
                f"The key's 'use' is {cand.use!r}, not 'sig', so it may not verify signatures",
            )
        if cand.key_ops is not None and "verify" not in cand.key_ops:
            ops = ", ".join(map(repr, cand.key_ops)) or "none"
            return ("key-use-mismatch", f"The key's 'key_ops' ({ops}) do not include 'verify'")
        if cand.kty != spec.key_type:
            what = "a shared secret" if cand.kty == "oct" else f"an {cand.label} key"
            return ("key-alg-mismatch", f"This is {what} but the token says {alg}")
        if spec.curves and cand.crv not in spec.curves:
            return (
                "key-alg-mismatch",
                f"This is an {cand.label} key but the token says {alg}, which needs "
                + " or ".join(spec.curves),
            )
        if cand.alg is not None and cand.alg != alg:
            return (
                "key-alg-mismatch",
                f"The key declares alg {cand.alg!r} but the token says {alg}",
            )
        return None

    def _public_for_hmac(self, spec: AlgSpec, lk: LoadedKey, label: str) -> Verification:
        """An HS* token and public-key material (never an HMAC secret). A confirmed forgery
        (``key-confusion``) when the signature is an HMAC made with the key's own bytes;
        otherwise a key that simply does not fit the token."""
        forged = self._forged_with(spec, lk)
        if forged is not None:
            self.findings.append(
                finding(
                    "key-confusion",
                    f"The token's {spec.name} signature is an HMAC made with {forged} as the "
                    f"secret: it was forged with the public key ({label}). The inspector never "
                    "uses a public key as an HMAC secret; a server that does accepts this token.",
                    "/header/alg",
                )
            )
            return _invalid(
                self.alg,
                label,
                f"The token was forged with the public key: its {spec.name} signature is an "
                f"HMAC with {forged} as the secret (algorithm confusion)",
                self.findings,
                outcome=Outcome.FORGED_WITH_PUBLIC_KEY,
                checked=False,
            )
        sentence = f"This key ({label}) cannot check an {spec.name} token"
        self.findings.append(
            finding(
                "key-alg-mismatch",
                f"{sentence}: {spec.name} needs a shared secret, and public-key material is "
                "never used as one.",
                "/header/alg",
            )
        )
        return _invalid(
            self.alg, label, sentence, self.findings, outcome=Outcome.KEY_MISFIT, checked=False
        )

    def _forged_with(self, spec: AlgSpec, lk: LoadedKey) -> str | None:
        """What public-key bytes the HS* signature is an HMAC with, or ``None``."""
        si, sig = self.parsed.signing_input, self.parsed.signature
        if si is None or not sig or len(sig) != spec.size:
            return None
        for what, secret in _public_key_secrets(self.key_text, lk):
            if verify(spec.name, secret, si, sig):
                return what
        return None

    def _refuse(self, fid: str, sentence: str, key: str, outcome: Outcome) -> Verification:
        self.findings.append(finding(fid, sentence + "."))
        return _invalid(self.alg, key, sentence, self.findings, outcome=outcome, checked=False)

    def _choose(self, lk: LoadedKey, spec: AlgSpec) -> _Choice:
        if lk.kind != "jwks":
            cand = lk.candidates[0]
            return _Choice(cand, cand.description)
        header = self.parsed.unverified_header or {}
        kid = header.get("kid")
        cands = lk.candidates
        if isinstance(kid, str):
            named = [c for c in cands if c.kid == kid]
            if not named and any(c.kid is None for c in cands):
                # Keys without a kid may be meant for any token: try those.
                unnamed = [c for c in cands if c.kid is None]
                why = f"no key has the token's kid {kid!r}, so those without a kid were tried"
                return self._choose_without_kid(lk, spec, unnamed, why)
            if not named:
                kids = [c.kid for c in cands if c.kid is not None]
                listed = ", ".join(map(repr, kids[:10])) if kids else "none"
                sentence = f"No key in the JWK Set has the token's kid {kid!r} (kids: {listed})"
                self.findings.append(finding("no-matching-key", sentence + ".", "/header/kid"))
                return self._no_key_chosen(lk, sentence, Outcome.KEY_MISFIT, checked=False)
            if len(named) > 1:
                matched = [
                    c
                    for c in named
                    if c.problem is None and self.misfit(c, spec) is None and self._check(c, spec)
                ]
                which = (
                    f"the signature matches key #{matched[0].index + 1}"
                    if matched and matched[0].index is not None
                    else "the signature matches none of them"
                )
                sentence = (
                    f"{len(named)} keys in the JWK Set share the token's kid {kid!r}, so it is "
                    f"ambiguous which one is meant ({which})"
                )
                return self._no_key_chosen(lk, sentence, Outcome.KEY_REFUSED)
            cand = named[0]
            return _Choice(cand, f"{cand.label} key from a JWK Set, matched kid {kid!r}")
        return self._choose_without_kid(lk, spec, list(cands), "the token has no kid")

    def _choose_without_kid(
        self, lk: LoadedKey, spec: AlgSpec, cands: list[KeyCandidate], why: str
    ) -> _Choice:
        if (
            spec.family == "HMAC"
            and lk.public_material
            and not any(c.kty == "oct" and c.problem is None for c in cands)
        ):
            return _Choice(None, lk.description, self._public_for_hmac(spec, lk, lk.description))
        usable = [c for c in cands if c.problem is None and self.misfit(c, spec) is None]
        if not usable:
            sentence = f"No key in the JWK Set fits {spec.name} ({why})"
            self.findings.append(finding("no-matching-key", sentence + "."))
            return self._no_key_chosen(lk, sentence, Outcome.KEY_MISFIT, checked=False)
        for c in usable:
            if self._check(c, spec):
                pos = f"key #{(c.index or 0) + 1}"
                name = f"kid {c.kid!r}" if c.kid is not None else f"{pos} (no kid)"
                return _Choice(c, f"{c.label} key from a JWK Set, matched {name}")
        n = len(usable)
        size = len(self.parsed.signature or b"")
        sizes = {signature_bytes(spec, c) for c in usable}
        if None not in sizes and size not in sizes and len(sizes) == 1:
            # Every key that fits makes signatures of another size: say which end is wrong.
            expected = sizes.pop()
            assert expected is not None
            what = f"the {n} key{'s' * (n != 1)} of the JWK Set that fit it"
            return _Choice(
                None,
                lk.description,
                self._wrong_length(spec, size, expected, what, lk.description),
            )
        sentence = (
            f"{MISMATCH_REASON} (tried the {n} key{'s' * (n != 1)} of the JWK Set that fit "
            f"{spec.name}; {why})"
        )
        return self._no_key_chosen(lk, sentence, Outcome.BAD_SIGNATURE)

    def _no_key_chosen(
        self, lk: LoadedKey, sentence: str, outcome: Outcome, *, checked: bool = True
    ) -> _Choice:
        """No key of ``lk`` is chosen: the verification is ``invalid`` for ``sentence``."""
        return _Choice(
            None,
            lk.description,
            _invalid(
                self.alg, lk.description, sentence, self.findings, outcome=outcome, checked=checked
            ),
        )

    def _check(self, cand: KeyCandidate, spec: AlgSpec) -> bool:
        p = self.parsed
        si, sig = p.signing_input, p.signature
        if si is None or sig is None:
            return False
        return verify(spec.name, cand.key, si, sig)

    # -------------------------------------------------------------- the run
    def run(self) -> Verification:
        alg = self.alg
        problem = self._token_problem()
        if problem is not None:
            outcome, sentence = problem
            if outcome is Outcome.NO_TOKEN:
                return Verification(
                    status="unchecked",
                    outcome=outcome,
                    algorithm=alg,
                    reason=sentence + ".",
                    findings=tuple(self.findings),
                )
            return _invalid(alg, None, sentence, self.findings, outcome=outcome, checked=False)
        assert alg is not None
        spec = ALGORITHMS[alg]
        lk = load_key(self.key_text, self.encoding)
        self.findings.extend(lk.findings)
        if lk.error is not None or not lk.candidates:
            if spec.family == "HMAC" and lk.public_material:
                forged = self._forged_with(spec, lk)
                if forged is not None:
                    return self._public_for_hmac(spec, lk, lk.description)
            error = lk.error or "The key text holds no usable key."
            self.findings.append(finding("key-error", error))
            return Verification(
                status="error",
                outcome=Outcome.KEY_UNREADABLE,
                algorithm=alg,
                key=lk.description,
                reason=error,
                findings=tuple(self.findings),
            )
        choice = self._choose(lk, spec)
        if choice.problem is not None:
            return choice.problem
        cand = choice.cand
        assert cand is not None
        if cand.problem is not None:
            self.findings.append(finding("key-error", cand.problem))
            return Verification(
                status="error",
                outcome=Outcome.KEY_UNREADABLE,
                algorithm=alg,
                key=choice.label,
                reason=cand.problem,
                findings=tuple(self.findings),
            )
        if spec.family == "HMAC" and cand.kty != "oct":
            return self._public_for_hmac(spec, lk, f"{cand.label} public key")
        misfit = self.misfit(cand, spec)
        if misfit is not None:
            return self._refuse(misfit[0], misfit[1], choice.label, Outcome.KEY_MISFIT)
        if cand.small_order:
            return self._refuse(
                "small-order-key",
                f"The {cand.label} public key is a point of small order: with it a signature "
                "verifies every message, so it proves nothing and was not used",
                choice.label,
                Outcome.KEY_REFUSED,
            )
        self._weak_key_findings(cand, spec)
        notes = self._certificate_findings(cand)
        secret = cand.key if cand.kty == "oct" else None
        if secret is not None and not secret:
            return _invalid(
                alg,
                choice.label,
                "The secret is empty: an empty HMAC key must not be used, since anyone can "
                "sign with it",
                self.findings,
                outcome=Outcome.KEY_REFUSED,
                hmac_secret=secret,
            )
        sig = self.parsed.signature or b""
        if spec.family == "ECDSA":
            form = ecdsa_signature_problem(spec, sig)
            if form is not None:
                return self._bad_ecdsa(form, spec, sig, choice.label)
        expected = signature_bytes(spec, cand)
        if expected is not None and len(sig) != expected:
            return self._wrong_length(
                spec, len(sig), expected, f"this {cand.label} key", choice.label, secret
            )
        ok = self._check(cand, spec)
        if not ok and secret and lk.kind == "secret":
            newline = self._newline_problem(spec, choice.label, secret)
            if newline is not None:
                return newline
            other = self._encoding_problem(spec, choice.label, secret)
            if other is not None:
                return other
        if not ok:
            reason = MISMATCH_REASON
            if not self.parsed.parts[1]:
                reason += (
                    " (the payload segment is empty: if this is a JWS with detached content, "
                    "RFC 7515 Appendix F, the signature covers a payload that is not in the token)"
                )
            return _invalid(
                alg,
                choice.label,
                reason,
                self.findings,
                outcome=Outcome.BAD_SIGNATURE,
                hmac_secret=secret,
            )
        if lk.mixed:
            return _invalid(
                alg,
                choice.label,
                "The signature matches, but the JWK Set mixes shared secrets and public keys, "
                "and a set like that must not be used to verify",
                self.findings,
                outcome=Outcome.KEY_REFUSED,
                hmac_secret=secret,
            )
        inexact = self._exactness_problem()
        if inexact is not None:
            return _invalid(
                alg,
                choice.label,
                f"The signature matches, but the token is not valid as pasted: {inexact}",
                self.findings,
                outcome=Outcome.NOT_AS_PASTED,
                hmac_secret=secret,
            )
        used = choice.label
        carried = not _TOKEN_KEY_HEADER_SET.isdisjoint(self.parsed.unverified_header or ())
        if secret is None and not notes and not self.findings:
            return _verified(alg, used, carried)
        reason = f"{alg} signature verified with {used}"
        if carried:
            reason += " (the key you entered, not the one the token carries or points to)"
        if notes:
            reason += ", but " + " and ".join(notes)
        return Verification(
            status="valid",
            outcome=Outcome.VERIFIED,
            algorithm=alg,
            key=used,
            reason=reason + ".",
            hmac_secret=secret,
            findings=tuple(self.findings),
        )

    def _wrong_length(
        self,
        spec: AlgSpec,
        actual: int,
        expected: int,
        key_label: str,
        label: str,
        secret: bytes | None = None,
    ) -> Verification:
        """A signature whose size does not fit the algorithm and key: no signature of that
        size can verify, so it is not compared, and the reason says which end is wrong.
        ``key_label`` ("this RSA 2048-bit key") is named where the key sets the size."""
        with_key = "" if spec.family in ("HMAC", "ECDSA") else f" with {key_label}"
        detail, reason = length_words(spec.name, actual, expected, with_key)
        self.findings.append(finding("signature-length", detail))
        return _invalid(
            self.alg,
            label,
            reason,
            self.findings,
            outcome=Outcome.BAD_SIGNATURE,
            hmac_secret=secret,
            checked=False,
        )

    def _encoding_problem(self, spec: AlgSpec, label: str, secret: bytes) -> Verification | None:
        """A shared secret that fails in the encoding chosen but verifies read in another
        (base64url, base64, hex or UTF-8): say which. The status stays invalid: the user
        switches the encoding (the window offers it as one click), nothing switches here."""
        si, sig = self.parsed.signing_input, self.parsed.signature
        if si is None or sig is None:
            return None
        for encoding in HINT_ENCODINGS:
            if encoding == self.encoding:
                continue
            try:
                other = decode_secret(self.key_text, encoding)
            except ValueError:
                continue
            if not other or other == secret or not verify(spec.name, other, si, sig):
                continue
            chosen, works = ENCODING_WORDS[self.encoding], ENCODING_WORDS[encoding]
            self.findings.append(
                finding(
                    "secret-encoding",
                    f"The signature does not match with the secret read as {chosen}; read as "
                    f"{works} it matches, so the signer's secret is written in {works}.",
                )
            )
            verification = _invalid(
                self.alg,
                label,
                f"Signature does not match with the secret read as {chosen}; read as {works} "
                f"it matches: switch the secret encoding to {encoding}",
                self.findings,
                outcome=Outcome.BAD_SIGNATURE,
                hmac_secret=secret,
                # The cause is known (the key is read the wrong way), so no finding claims
                # the token was changed after signing.
                checked=False,
            )
            return replace(verification, secret_encoding_hint=encoding)
        return None

    def _newline_problem(self, spec: AlgSpec, label: str, secret: bytes) -> Verification | None:
        """A UTF-8 secret ending in a newline (as a key file does) that fails, when the same
        text without that final newline verifies: say so. The status stays invalid."""
        text = self.key_text
        if self.encoding != "utf-8" or not text.endswith("\n"):
            return None
        bare = text[:-2] if text.endswith("\r\n") else text[:-1]
        si, sig = self.parsed.signing_input, self.parsed.signature
        if si is None or sig is None or not bare:
            return None
        try:
            bare_bytes = bare.encode("utf-8")
        except UnicodeEncodeError:  # pragma: no cover - the secret itself was encoded
            return None
        if not verify(spec.name, bare_bytes, si, sig):
            return None
        self.findings.append(
            finding(
                "secret-trailing-newline",
                "The secret ends with a newline, and the signature does not match with it; "
                "without that final newline it matches.",
            )
        )
        return _invalid(
            self.alg,
            label,
            "Signature does not match with the secret as given, which ends with a newline; "
            "it matches without that final newline, so the signer's secret has none",
            self.findings,
            outcome=Outcome.BAD_SIGNATURE,
            hmac_secret=secret,
        )

    def _certificate_findings(self, cand: KeyCandidate) -> list[str]:
        """Findings on the certificate the key came from (key usage, validity at ``now``);
        returns what the verdict's reason should add."""
        facts = cand.certificate
        if facts is None:
            return []
        notes = []
        if facts.signing_forbidden:
            usage = ", ".join(facts.key_usage or ()) or "nothing readable"
            self.findings.append(
                finding(
                    "certificate-key-usage",
                    f"The certificate's keyUsage ({usage}) does not include digitalSignature, "
                    "so its key must not verify signatures.",
                )
            )
            notes.append("the certificate's keyUsage does not allow signatures")
        now = self.now
        if now is not None and now > facts.not_after:
            self.findings.append(
                finding(
                    "certificate-expired",
                    f"The certificate expired at {_utc(facts.not_after)}, before the time the "
                    f"token is judged at ({_utc(now)}).",
                )
            )
            notes.append(f"the certificate expired at {_utc(facts.not_after)}")
        elif now is not None and now < facts.not_before:
            self.findings.append(
                finding(
                    "certificate-not-yet-valid",
                    f"The certificate is valid from {_utc(facts.not_before)}, after the time the "
                    f"token is judged at ({_utc(now)}).",
                )
            )
            notes.append(f"the certificate is not valid before {_utc(facts.not_before)}")
        return notes

    def _bad_ecdsa(self, form: str, spec: AlgSpec, sig: bytes, key: str) -> Verification:
        alg = spec.name
        form_finding = ecdsa_form_finding(spec, sig, form)
        if form_finding is not None:
            self.findings.append(form_finding)
        if form == "zero":
            return _invalid(
                alg,
                key,
                f"The {alg} signature has r = 0 or s = 0 ('psychic signature')",
                self.findings,
                outcome=Outcome.BAD_SIGNATURE,
                checked=False,
            )
        if form == "der":
            return _invalid(
                alg,
                key,
                f"The {alg} signature is DER-encoded, not the r||s that JWS requires",
                self.findings,
                outcome=Outcome.BAD_SIGNATURE,
                checked=False,
            )
        if form == "size":
            return self._wrong_length(spec, len(sig), 2 * spec.size, "this key", key)
        return _invalid(
            alg,
            key,
            f"The {alg} signature's r or s is not below the curve order",
            self.findings,
            outcome=Outcome.BAD_SIGNATURE,
        )

    def _weak_key_findings(self, cand: KeyCandidate, spec: AlgSpec) -> None:
        if cand.kty == "RSA":
            if cand.bits < MIN_RSA_BITS:
                self.findings.append(
                    finding(
                        "weak-rsa-key",
                        f"The RSA key has {cand.bits} bits; at least {MIN_RSA_BITS} are required.",
                    )
                )
            if cand.roca:
                self.findings.append(
                    finding(
                        "weak-rsa-key",
                        "The RSA modulus has the ROCA fingerprint (CVE-2017-15361, Infineon "
                        "RSALib): its private key can be computed from the public key.",
                    )
                )
        elif cand.kty == "oct":
            n = len(cand.key)
            if n == 0:
                self.findings.append(finding("empty-secret", "The HMAC secret is empty."))
            elif n < spec.hash_bytes:
                self.findings.append(
                    finding(
                        "short-hmac-secret",
                        f"The secret is {n} byte{'s' * (n != 1)}; {spec.name} needs at least "
                        f"{spec.hash_bytes}.",
                    )
                )


def _utc(seconds: float) -> str:
    try:
        when = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    except (OverflowError, ValueError, OSError):
        return f"{seconds:.0f} s after the epoch"
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _public_key_secrets(key_text: str, lk: LoadedKey) -> Iterator[tuple[str, bytes]]:
    """``(what, bytes)`` for every form of the public key an attacker may have used as the
    HMAC secret: the key text as given (with and without its final newline, stripped,
    normalised), the DER or SSH blob it was read from, and the key's own serialisations
    (SPKI and PKCS#1 DER and PEM, OpenSSH, raw bytes, its JWK's JSON text)."""
    seen: set[bytes] = set()

    def fresh(data: bytes) -> bool:
        if data in seen:
            return False
        seen.add(data)
        return True

    texts = [key_text, key_text + "\n", key_text.rstrip("\r\n")]
    if key_text.endswith("\n"):
        texts.append(key_text[:-1])
    norm = normalise_key_text(key_text)
    texts += [key_text.strip(), norm, norm + "\n"]
    for t in texts:
        try:
            data = t.encode("utf-8")
        except UnicodeEncodeError:
            continue
        if fresh(data):
            yield "the key text", data
    for m in lk.material:
        if fresh(m):
            yield "the key's DER bytes", m
    for cand in lk.candidates:
        if cand.key is None or cand.kty in (None, "oct"):
            continue
        for what, data in _serialisations(cand.key):
            if fresh(data):
                yield what, data
        if cand.jwk is not None:
            public = {
                k: v for k, v in cand.jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")
            }
            for doc in (cand.jwk, public):
                for kw in ({}, {"separators": (",", ":")}, {"sort_keys": True}, {"indent": 2}):
                    data = json.dumps(doc, **kw).encode("utf-8")
                    if fresh(data):
                        yield "the key's JWK text", data


def _serialisations(key: object) -> Iterator[tuple[str, bytes]]:
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, rsa

    formats: list[tuple[str, ser.Encoding, ser.PublicFormat]] = [
        ("the key's PEM text", ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo),
        ("the key's DER bytes", ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo),
        ("the key's OpenSSH text", ser.Encoding.OpenSSH, ser.PublicFormat.OpenSSH),
    ]
    if isinstance(key, rsa.RSAPublicKey):
        formats += [
            ("the key's PKCS#1 PEM text", ser.Encoding.PEM, ser.PublicFormat.PKCS1),
            ("the key's PKCS#1 DER bytes", ser.Encoding.DER, ser.PublicFormat.PKCS1),
        ]
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        formats.append(("the key's raw bytes", ser.Encoding.Raw, ser.PublicFormat.Raw))
    for what, encoding, fmt in formats:
        try:
            data = key.public_bytes(encoding, fmt)  # type: ignore[attr-defined]
        except (ValueError, TypeError):
            continue
        yield what, data
        if encoding == ser.Encoding.PEM or encoding == ser.Encoding.OpenSSH:
            yield what, data.rstrip(b"\n")
