"""The one catalogue of finding ids, and the ``Finding`` value every part of the codec emits.

Every problem the inspector reports is a :class:`Finding` made by :func:`finding`, which refuses
ids that are not in :data:`CATALOGUE`. The catalogue gives each id its default severity, a title,
a paragraph on why it matters and what to do, and a reference (RFC section or CVE).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

Severity = Literal["error", "critical", "high", "medium", "low", "info"]

#: Most severe first. ``error`` means the token (or key) could not be read as such.
SEVERITIES: tuple[Severity, ...] = ("error", "critical", "high", "medium", "low", "info")
SEVERITY_RANK: Mapping[str, int] = MappingProxyType({s: i for i, s in enumerate(SEVERITIES)})

#: Severities that make ``jwt-inspector-cli inspect`` exit with status 1.
FAILING_SEVERITIES = frozenset({"error", "critical", "high"})


@dataclass(frozen=True, slots=True, kw_only=True)
class FindingSpec:
    """One catalogue entry: what a finding id means."""

    id: str
    severity: Severity
    title: str
    explanation: str
    reference: str

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "explanation": self.explanation,
            "reference": self.reference,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One problem found in one token. ``location`` is a JSON Pointer into
    ``{"header": ..., "payload": ...}`` (RFC 6901), or ``None`` for the token as a whole."""

    id: str
    severity: Severity
    title: str
    detail: str
    location: str | None = None

    def __post_init__(self) -> None:
        if self.id not in CATALOGUE:
            raise ValueError(f"finding id {self.id!r} is not in the catalogue")
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.location is not None and not self.location.startswith("/"):
            raise ValueError(f"location {self.location!r} is not a JSON Pointer")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "detail": self.detail,
            "location": self.location,
        }


def finding(
    id: str,
    detail: str,
    location: str | None = None,
    *,
    severity: Severity | None = None,
    title: str | None = None,
) -> Finding:
    """Make a finding for catalogue entry ``id``; severity and title default to the catalogue's.

    A finding is a frozen value, so one with the catalogue's severity and title and a short
    detail is made once and handed out again (:data:`_MADE`): most tokens get the same few
    (their size, 'missing-jti', an e-mail claim), and building and checking a new one each
    time was a tenth of the cost of inspecting a typical token.
    """
    remember = severity is None and title is None and len(detail) <= _MEMO_DETAIL
    if remember:
        made = _MADE.get((id, detail, location))
        if made is not None:
            return made
    spec = CATALOGUE.get(id)
    if spec is None:
        raise ValueError(f"finding id {id!r} is not in the catalogue")
    made = Finding(
        id=id,
        severity=severity or spec.severity,
        title=title or spec.title,
        detail=detail,
        location=location,
    )
    if remember and id not in _NOT_REMEMBERED:
        if len(_MADE) >= _MEMO_SIZE:
            _MADE.clear()
        _MADE[id, detail, location] = made
    return made


#: Findings made by :func:`finding`, by (id, detail, location): at most :data:`_MEMO_SIZE`
#: (cleared when full), each with a detail of at most :data:`_MEMO_DETAIL` characters.
_MADE: dict[tuple[str, str, str | None], Finding] = {}
_MEMO_SIZE = 4096
_MEMO_DETAIL = 240
#: Never remembered: their detail names a secret (kept no longer than the inspection).
_NOT_REMEMBERED = frozenset({"weak-secret"})


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first; ties keep the order in which they were found."""
    return sorted(findings, key=lambda f: SEVERITY_RANK[f.severity])


def json_pointer(*parts: str | int) -> str:
    """``json_pointer("payload", "a/b", 0)`` -> ``"/payload/a~1b/0"`` (RFC 6901 escaping)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _spec(
    id: str,
    severity: Severity,
    title: str,
    explanation: str,
    reference: str,
) -> FindingSpec:
    return FindingSpec(
        id=id, severity=severity, title=title, explanation=explanation, reference=reference
    )


_ENTRIES: tuple[FindingSpec, ...] = (
    # ---------------------------------------------------------------- input and structure
    _spec(
        "input-cleaned",
        "info",
        "Input was cleaned before decoding",
        "The pasted text held more than the compact token (whitespace, line breaks, a Bearer "
        "prefix, quotes, a JSON or cookie wrapper, a URL or percent-encoding). The inspector "
        "took the token out of it; your text is left as it was. A server given the same text "
        "may not be so forgiving.",
        "RFC 7515 §7.1; RFC 6750 §2.1",
    ),
    _spec(
        "not-a-token",
        "error",
        "No token found",
        "Nothing in the input looks like a JWT: a compact token is three (JWS) or five (JWE) "
        "base64url segments separated by dots, usually starting with 'eyJ'.",
        "RFC 7519 §3; RFC 7515 §7.1",
    ),
    _spec(
        "malformed-segments",
        "error",
        "Wrong number of segments",
        "A compact JWS has exactly three dot-separated segments (header.payload.signature) and "
        "a compact JWE five. Any other count is not a token a library will accept; a segment "
        "was probably lost or added while copying.",
        "RFC 7515 §7.1; RFC 7516 §7.1",
    ),
    _spec(
        "padded-base64",
        "low",
        "Base64 padding in a segment",
        "Base64url in JOSE is unpadded: '=' characters are not allowed. The segment was decoded "
        "anyway, but strict libraries reject it, and padding changes the signing input.",
        "RFC 7515 §2 (Base64url Encoding), Appendix C",
    ),
    _spec(
        "non-url-base64",
        "medium",
        "Standard base64 alphabet used",
        "The segment contains '+' or '/', which belong to standard base64, not base64url. It "
        "was decoded anyway, but the token was produced by a non-conforming encoder and strict "
        "verifiers reject it. Two encodings of the same bytes also means two different tokens "
        "with one signature.",
        "RFC 7515 §2; RFC 4648 §5",
    ),
    _spec(
        "non-canonical-base64",
        "low",
        "Non-canonical base64url",
        "The last character of the segment carries bits that must be zero. Decoders that "
        "ignore them accept several different strings for the same bytes, which lets a token "
        "be altered without changing its decoded content or signature.",
        "RFC 4648 §3.5; RFC 7515 §2",
    ),
    _spec(
        "bad-base64",
        "error",
        "Segment is not base64url",
        "The segment holds characters outside the base64url alphabet (A-Z a-z 0-9 - _) or has "
        "an impossible length, so it cannot be decoded. Look at the offset named: copy-paste "
        "often brings in an ellipsis, a quote or a stray character.",
        "RFC 7515 §2; RFC 4648 §5",
    ),
    _spec(
        "header-not-json",
        "error",
        "Header is not a JSON object",
        "The JOSE header must be a JSON object. Without it nothing about the token (its "
        "algorithm, its key id) can be trusted or even read.",
        "RFC 7515 §4; RFC 7519 §7.2 step 4",
    ),
    _spec(
        "payload-not-json",
        "medium",
        "Payload is not a JSON object",
        "A JWT's payload is a JSON object of claims. This payload is something else (shown as "
        "text). That is legal for a plain JWS, but a JWT library will reject it.",
        "RFC 7519 §7.2 step 10",
    ),
    _spec(
        "duplicate-json-key",
        "high",
        "Duplicate member name in JSON",
        "The same name appears twice in one JSON object. Parsers disagree about which value "
        "wins (first or last), so a signing service and a verifying service can read different "
        "claims from the same signed token. RFC 7515 and 7519 require rejection.",
        "RFC 7515 §5.2 step 4; RFC 7519 §4; RFC 8259 §4",
    ),
    _spec(
        "non-standard-json",
        "medium",
        "Non-standard JSON",
        "The JSON uses NaN, Infinity or -Infinity, which are not JSON. Some parsers accept "
        "them and others fail, so services may disagree about this token.",
        "RFC 8259 §6",
    ),
    _spec(
        "json-too-complex",
        "error",
        "JSON too deeply nested or with absurd numbers",
        "The JSON is nested deeper, or holds numbers longer, than any real token needs. Such "
        "input is a denial-of-service probe against parsers; the inspector stopped parsing "
        "that part.",
        "RFC 8725 §3.1; RFC 8259 §9",
    ),
    _spec(
        "invalid-utf8",
        "medium",
        "Invalid UTF-8",
        "The decoded bytes are not valid UTF-8, which JSON in JOSE requires. Invalid bytes are "
        "shown as U+FFFD replacement characters.",
        "RFC 7515 §5.2 step 3; RFC 8259 §8.1",
    ),
    _spec(
        "nested-token",
        "info",
        "Token inside the token",
        "A JWT is carried inside this one (as the payload with 'cty: JWT', or as a claim's "
        "value). It can be inspected on its own; its signature is not checked by the outer one.",
        "RFC 7519 §5.2, §7.1 step 5",
    ),
    _spec(
        "jwe-token",
        "info",
        "Encrypted token (JWE)",
        "This is a JWE: its content is encrypted, so only the protected header can be read. "
        "The parts are described with their sizes; decrypting needs the recipient's key.",
        "RFC 7516 §7.1",
    ),
    _spec(
        "missing-alg",
        "error",
        "Header has no 'alg'",
        "Every JWS and JWE header must name its algorithm in 'alg'. Without it the signature "
        "cannot be verified, and libraries that guess are open to confusion attacks.",
        "RFC 7515 §4.1.1",
    ),
    _spec(
        "missing-signature",
        "high",
        "Signature is empty",
        "The header names a signing algorithm but the signature segment is empty. A verifier "
        "that accepts this is accepting an unsigned token.",
        "RFC 7515 §5.2; RFC 8725 §3.1",
    ),
    _spec(
        "oversize-cookie",
        "medium",
        "Too large for a cookie",
        "At more than 4096 bytes the token no longer fits in one browser cookie: browsers "
        "drop or truncate it silently, which looks like a random logout.",
        "RFC 6265 §6.1",
    ),
    _spec(
        "oversize-header",
        "high",
        "Too large for an HTTP header",
        "At more than 8192 bytes the token exceeds the default limit many servers and proxies "
        "set for one request header (nginx, Apache, Node.js); requests carrying it fail with "
        "400 or 431.",
        "RFC 9110 §5.4; RFC 6585 §5",
    ),
    _spec(
        "token-size",
        "info",
        "What statelessness costs",
        "The token travels with every request. An opaque 32-byte session id would do the same "
        "job for a fraction of the bytes, at the price of a lookup on the server.",
        "RFC 8725 §2",
    ),
    # ---------------------------------------------------------------- verification
    _spec(
        "unsupported-alg",
        "error",
        "Algorithm not supported",
        "The header's 'alg' is not a JWS algorithm the inspector can verify (or is not a JWS "
        "algorithm at all). Check for typos and case: algorithm names are case-sensitive.",
        "RFC 7518 §3.1; RFC 8037 §3.1",
    ),
    _spec(
        "invalid-signature",
        "critical",
        "Signature does not verify",
        "The signature was checked with the key you gave and does not match: the token was "
        "changed after signing, or another key signed it. A server must reject this token.",
        "RFC 7515 §5.2 step 8",
    ),
    _spec(
        "key-error",
        "error",
        "Key cannot be used",
        "The key text could not be read or does not fit this token. The detail says what is "
        "wrong and where.",
        "RFC 7517 §4; RFC 7518 §6",
    ),
    _spec(
        "key-confusion",
        "critical",
        "Token forged with the public key (algorithm confusion)",
        "The token asks for HMAC (HS*) and its signature is an HMAC made with the public key "
        "itself (its PEM, DER or JWK text) as the secret. Anyone can make such a token, since "
        "the public key is public; a server that HMAC-verifies with its public key accepts "
        "it. The key, not the token, must decide the algorithm.",
        "RFC 8725 §2.1, §3.1; CVE-2015-9235; CVE-2016-10555",
    ),
    _spec(
        "signature-length",
        "high",
        "Signature has the wrong size",
        "Every algorithm and key makes signatures of one size: an HMAC its hash size (32, 48 "
        "or 64 bytes), RSA the modulus size (256 bytes for a 2048-bit key), ECDSA twice the "
        "curve size (64, 96 or 132 bytes), Ed25519 64 bytes and Ed448 114. A signature of "
        "another size cannot verify. A shorter one usually means the token was cut off while "
        "copying (a terminal, a log line or a form field with a length limit); a longer one, "
        "that it was made with another key or algorithm, or that text was added to it.",
        "RFC 7518 §3.2, §3.3, §3.4, §3.5; RFC 8037 §3.1; RFC 8017 §8.2.2",
    ),
    _spec(
        "psychic-signature",
        "critical",
        "ECDSA signature with r = 0 or s = 0",
        "An ECDSA signature with a zero component is always invalid, yet some verifiers "
        "(Java 15-18) accepted it for any message and key: 'psychic signatures'.",
        "CVE-2022-21449; SEC 1 v2 §4.1.4",
    ),
    _spec(
        "der-ecdsa-signature",
        "high",
        "ECDSA signature in DER form",
        "JWS ECDSA signatures are the raw concatenation r||s of fixed size; this one is an "
        "ASN.1 DER sequence, as produced by a general crypto library without conversion. "
        "Conforming verifiers reject it.",
        "RFC 7518 §3.4",
    ),
    _spec(
        "embedded-jwk",
        "high",
        "Token carries its own key ('jwk' header)",
        "The header embeds a public key. A verifier that uses it checks the token against a "
        "key the attacker chose, so any token verifies. The inspector never uses it; verify "
        "with a key you trust.",
        "RFC 7515 §4.1.3; RFC 8725 §3.10; CVE-2018-0114",
    ),
    _spec(
        "x5c-header",
        "medium",
        "Token carries a certificate chain ('x5c')",
        "The header carries certificates. They are only trustworthy after validating the chain "
        "to a trusted root and checking the certificate's name; the inspector does not use "
        "them to verify.",
        "RFC 7515 §4.1.6; RFC 8725 §3.10",
    ),
    _spec(
        "jku-header",
        "high",
        "Token points to a key URL ('jku')",
        "The header tells the verifier where to download a key set. A server that follows it "
        "fetches the attacker's keys (and may be led into SSRF). Only fetch keys from URLs on "
        "an allow-list. The inspector never fetches it.",
        "RFC 7515 §4.1.2; RFC 8725 §3.10",
    ),
    _spec(
        "x5u-header",
        "high",
        "Token points to a certificate URL ('x5u')",
        "The header tells the verifier where to download a certificate. Following it lets the "
        "token choose its own key and can be abused for SSRF. The inspector never fetches it.",
        "RFC 7515 §4.1.5; RFC 8725 §3.10",
    ),
    _spec(
        "weak-rsa-key",
        "high",
        "RSA key shorter than 2048 bits",
        "RSA keys below 2048 bits are too weak for signatures today and are refused by RFC 7518.",
        "RFC 7518 §3.3; NIST SP 800-131A",
    ),
    _spec(
        "short-hmac-secret",
        "high",
        "HMAC secret shorter than the hash",
        "An HMAC key must be at least as long as the hash output (32 bytes for HS256). Short "
        "secrets can be brute-forced offline from any one token.",
        "RFC 7518 §3.2",
    ),
    _spec(
        "empty-secret",
        "critical",
        "Empty HMAC secret",
        "The secret is empty: anyone can sign tokens that this key accepts.",
        "RFC 7518 §3.2",
    ),
    _spec(
        "private-key-pasted",
        "info",
        "A private key was pasted",
        "Verification only needs the public key; its public half was used. Avoid pasting "
        "private keys into tools you do not control.",
        "RFC 7517 §9.2",
    ),
    _spec(
        "key-alg-mismatch",
        "high",
        "Key does not fit the algorithm",
        "The key's type, curve, size or declared 'alg' does not fit the token's algorithm, so "
        "it must not be used for this token.",
        "RFC 7517 §4.4; RFC 8725 §3.1",
    ),
    _spec(
        "key-use-mismatch",
        "high",
        "Key is not for signature verification",
        "The JWK's 'use' is not 'sig' or its 'key_ops' do not include 'verify', so its owner "
        "declared it must not be used to verify signatures.",
        "RFC 7517 §4.2, §4.3",
    ),
    # ---------------------------------------------------------------- keys that must not be
    # trusted: they verify anything, their certificate forbids it, or the secret is off by a
    # newline
    _spec(
        "small-order-key",
        "critical",
        "EdDSA public key of small order",
        "The Ed25519/Ed448 public key is a point of small order (such as the neutral element, "
        "x = 01 00...00). With it, a signature made of that point and S = 0 verifies every "
        "message on verifiers that do not reject such keys, so the key proves nothing. It "
        "was not used.",
        "RFC 8032 §5.1.7; 'Taming the many EdDSAs' (Brendel et al., SSR 2020)",
    ),
    _spec(
        "certificate-key-usage",
        "high",
        "Certificate does not allow signatures",
        "The certificate has a keyUsage extension without digitalSignature, so its key must "
        "not be used to verify signatures. The signature was still checked.",
        "RFC 5280 §4.2.1.3",
    ),
    _spec(
        "certificate-expired",
        "medium",
        "Certificate has expired",
        "The certificate's validity period (notAfter) ended before the time the token is "
        "judged at. A verifier that validates the certificate rejects its key. The signature "
        "was still checked.",
        "RFC 5280 §4.1.2.5; RFC 7515 §4.1.6",
    ),
    _spec(
        "certificate-not-yet-valid",
        "medium",
        "Certificate is not yet valid",
        "The certificate's validity period (notBefore) starts after the time the token is "
        "judged at. A verifier that validates the certificate rejects its key. The signature "
        "was still checked.",
        "RFC 5280 §4.1.2.5; RFC 7515 §4.1.6",
    ),
    _spec(
        "secret-trailing-newline",
        "medium",
        "Secret ends with a newline the signer did not use",
        "The secret you gave ends with a line break (a key file usually does) and the "
        "signature does not match with it, but it matches without that final newline. The "
        "signer's secret is the text without it: remove the newline (or use the file "
        "without one).",
        "RFC 7518 §3.2",
    ),
    _spec(
        "secret-encoding",
        "medium",
        "Secret read in the wrong encoding",
        "A shared secret is bytes, and it can be written as text (UTF-8) or as bytes encoded "
        "in base64, base64url or hex; many identity providers hand out secrets in base64url. "
        "The signature does not match the secret read the way the encoding setting says, but "
        "it does match the same text read in another encoding. Read the secret that way: the "
        "inspector never switches by itself, since a different reading is a different key.",
        "RFC 7518 §3.2; RFC 7517 §6.4.1",
    ),
    _spec(
        "duplicate-kid",
        "medium",
        "Several keys share one 'kid'",
        "The key set holds more than one key with the same 'kid', so a verifier cannot tell "
        "which one is meant.",
        "RFC 7517 §4.5",
    ),
    _spec(
        "mixed-key-types",
        "medium",
        "Key set mixes symmetric and public keys",
        "The key set holds both shared secrets and public keys. Publishing a set like this "
        "leaks the secret, and verifiers choosing by 'alg' can be confused.",
        "RFC 7517 §5; RFC 8725 §3.1",
    ),
    _spec(
        "no-matching-key",
        "high",
        "No key in the set fits",
        "No key in the key set matches the token's 'kid' and algorithm.",
        "RFC 7517 §5; RFC 7515 §4.1.4",
    ),
    # ---------------------------------------------------------------- time claims
    _spec(
        "expired",
        "high",
        "Token has expired",
        "The 'exp' time has passed (with the leeway allowed). A server must reject it; the "
        "client should refresh the token.",
        "RFC 7519 §4.1.4",
    ),
    _spec(
        "not-yet-valid",
        "high",
        "Token is not yet valid",
        "The 'nbf' time is still in the future (with the leeway allowed). Often this is clock "
        "skew between the issuer and the server.",
        "RFC 7519 §4.1.5",
    ),
    _spec(
        "issued-in-future",
        "medium",
        "Issued in the future",
        "The 'iat' time is in the future, which points to clock skew or a forged token.",
        "RFC 7519 §4.1.6",
    ),
    _spec(
        "nbf-after-exp",
        "high",
        "Never valid: 'nbf' is after 'exp'",
        "The token becomes valid only after it expires, so no server can ever accept it.",
        "RFC 7519 §4.1.4, §4.1.5",
    ),
    _spec(
        "missing-exp",
        "medium",
        "No expiry",
        "Without 'exp' a stolen token is valid forever, unless the server keeps state to revoke "
        "it. Give access tokens a short lifetime.",
        "RFC 7519 §4.1.4; RFC 8725 §3.10",
    ),
    _spec(
        "long-lifetime",
        "low",
        "Long lifetime",
        "The token is valid for a long time (exp - iat). The longer it lives, the longer a "
        "stolen copy can be used. Access tokens usually live minutes to hours. Reported as "
        "low above 24 hours and medium above 30 days; the detail gives the span.",
        "RFC 8725 §3.10; RFC 9068 §5",
    ),
    _spec(
        "bad-time-claim",
        "medium",
        "Time claim is not a valid NumericDate",
        "Time claims hold seconds since 1970 as a JSON number. This one is not a number, is "
        "negative, or is so large it is probably in milliseconds; libraries disagree on how to "
        "treat it.",
        "RFC 7519 §2 (NumericDate), §4.1.4",
    ),
    # ---------------------------------------------------------------- audience, issuer, id
    _spec(
        "aud-mismatch",
        "high",
        "Audience does not match",
        "The token's 'aud' does not include the expected audience: it was issued for another "
        "service and must be rejected here.",
        "RFC 7519 §4.1.3; RFC 8725 §3.9",
    ),
    _spec(
        "iss-mismatch",
        "high",
        "Issuer does not match",
        "The token's 'iss' is not the expected issuer: another authorization server (or "
        "another tenant of the same one) issued it, so its keys and its claims are not the ones "
        "this service trusts. Reject it.",
        "RFC 7519 §4.1.1; RFC 8725 §3.8",
    ),
    _spec(
        "missing-jti",
        "info",
        "No token id ('jti')",
        "Without a 'jti' the token cannot be put on a deny-list or checked for replay: "
        "revocation needs state.",
        "RFC 7519 §4.1.7",
    ),
    # ---------------------------------------------------------------- sensitive data
    _spec(
        "sensitive-claim",
        "high",
        "Secret in the token",
        "A claim named like a password or secret holds a value. Tokens are encoded, not "
        "encrypted: anyone who sees the token (logs, browser storage, proxies) can read it. "
        "Remove it, or use JWE.",
        "RFC 8725 §3.6; RFC 7519 §12",
    ),
    _spec(
        "pii-claim",
        "low",
        "Personal data in the token",
        "The token carries personal data. OpenID Connect ID tokens do so on purpose, but "
        "access tokens rarely need it, and everything in a token is readable by whoever holds it.",
        "RFC 7519 §12; OpenID Connect Core §5.1; GDPR Art. 5(1)(c)",
    ),
    _spec(
        "sensitive-value",
        "high",
        "Credential or regulated data in a claim",
        "A claim's value looks like a card number, national id, IBAN, private key, password "
        "hash or API credential. Anyone who sees the token can read it. Rotate the credential "
        "and stop putting it in tokens.",
        "RFC 8725 §3.6; PCI DSS 3.4",
    ),
    # ---------------------------------------------------------------- header lints
    _spec(
        "alg-none",
        "critical",
        "Unsecured token ('alg: none')",
        "The token has no signature at all. A server that accepts 'none' lets anyone forge "
        "any token. Libraries must reject it unless explicitly configured otherwise.",
        "RFC 7518 §3.6; RFC 8725 §3.2; CVE-2015-9235",
    ),
    _spec(
        "kid-injection",
        "high",
        "Suspicious 'kid'",
        "The key id holds path traversal, a device file, SQL or shell syntax. Servers that "
        "use 'kid' to build a file path, query or command can be made to sign-check with a "
        "key the attacker chose.",
        "RFC 8725 §3.10; RFC 7515 §4.1.4",
    ),
    _spec(
        "crit-header",
        "high",
        "Critical header parameters",
        "The 'crit' header lists extensions that a verifier must understand, or else reject "
        "the token. Unknown or malformed entries make conforming verifiers refuse it.",
        "RFC 7515 §4.1.11",
    ),
    _spec(
        "b64-false",
        "medium",
        "Unencoded payload ('b64': false)",
        "The payload is not base64url-encoded (RFC 7797). Most JWT libraries do not support "
        "this, and without 'b64' in 'crit' verifiers will compute a different signing input.",
        "RFC 7797 §3, §6",
    ),
    _spec(
        "deprecated-alg-name",
        "info",
        "Deprecated algorithm name",
        "'EdDSA' is deprecated in favour of the fully-specified 'Ed25519' and 'Ed448', which "
        "say which curve is meant without looking at the key.",
        "RFC 9864 §2",
    ),
    _spec(
        "typ-mismatch",
        "info",
        "Unusual 'typ'",
        "The 'typ' header does not fit the token's contents (for example 'at+jwt' on a token "
        "without access-token claims, or an unknown media type). Explicit typing stops one "
        "kind of token being accepted as another.",
        "RFC 8725 §3.11; RFC 9068 §2.1; RFC 7519 §5.1",
    ),
    _spec(
        "weak-secret",
        "critical",
        "Signed with a guessable secret",
        "The HMAC secret is on a list of common, default or tutorial secrets. Anyone can sign "
        "tokens this server accepts. Replace the secret with at least 32 random bytes.",
        "RFC 8725 §3.5; RFC 7518 §3.2",
    ),
    _spec(
        "wordlist-error",
        "error",
        "Wordlist cannot be read",
        "The wordlist file given for the weak-secret search could not be opened or read (the "
        "detail says which file and why), so it was not searched. The built-in list of "
        "common secrets was still tried. Check the path and the file's permissions.",
        "RFC 8725 §3.5",
    ),
    # ------------------------------------------------------- JWS JSON serialization (issue 10)
    _spec(
        "jws-json-header-duplicate",
        "error",
        "Header parameter both protected and unprotected",
        "A JWS in JSON serialization names the same header parameter in its protected header "
        "and in its unprotected 'header' member. RFC 7515 requires the two to be disjoint; "
        "verifiers that merge them disagree about which value wins, which is how an attacker "
        "slips in a different 'alg' or key. The token is not valid as sent.",
        "RFC 7515 §7.2.1",
    ),
    _spec(
        "jws-json-unprotected-crit",
        "error",
        "Protected-only 'crit' or 'b64' left unprotected",
        "'crit' (which lists extensions a verifier must understand) and 'b64' (which says how "
        "the payload is encoded) must be integrity protected. In the unprotected header anyone "
        "can add, change or remove them without breaking the signature, so the token is not "
        "valid as sent.",
        "RFC 7515 §4.1.11; RFC 7797 §6",
    ),
    _spec(
        "jws-json-b64-mixed",
        "error",
        "Signatures disagree about 'b64'",
        "In a general JWS JSON serialization every signature's protected header must give "
        "'b64' the same value. When some say b64: false and others do not, one set of "
        "verifiers reads the payload as base64url and the other as plain text: they verify "
        "different contents, so the token is not valid as sent.",
        "RFC 7797 §3",
    ),
    _spec(
        "jws-json-unprotected-alg",
        "high",
        "Algorithm named in the unprotected header",
        "The algorithm is named in the unprotected header, which the signature does not "
        "cover: anyone can change it (to 'none', or to HS256 with a public key as secret) "
        "without breaking the signature. The inspector only ever takes 'alg' from the "
        "protected header; a verifier that reads it from the unprotected one can be fooled.",
        "RFC 7515 §7.2.1; RFC 8725 §3.1",
    ),
    _spec(
        "jws-json-header-not-object",
        "error",
        "Unprotected header is not an object",
        "The unprotected 'header' member of a JWS JSON serialization must be a JSON object. "
        "Verifiers handle anything else differently (ignore it, crash, or refuse the token), "
        "so the token is not valid as sent.",
        "RFC 7515 §7.2.1",
    ),
    _spec(
        "jws-json-signatures",
        "medium",
        "Several signatures",
        "A JWS in general JSON serialization carries several signatures over the same payload. "
        "The inspector shows the first one's header and verifies every one with the key "
        "given, listing which key verified which. A verifier that accepts the token when any "
        "one signature verifies is only as strong as the weakest of them: decide which "
        "signers must have signed.",
        "RFC 7515 §7.2.1; RFC 7515 §7.2.2",
    ),
    _spec(
        "jws-json-mixed",
        "error",
        "General and flattened JSON serialization mixed",
        "The JWS has a 'signatures' member and also the flattened form's 'protected', "
        "'header' or 'signature' at its top level. RFC 7515 allows one form or the other; "
        "parsers pick different signatures from such a document, so the token is not valid "
        "as sent.",
        "RFC 7515 §7.2.2",
    ),
    # ------------------------------------------------------- JWE decryption (issue 14)
    _spec(
        "jwe-decryption-failed",
        "critical",
        "Token does not decrypt",
        "The token was decrypted with the key you gave and its content does not authenticate: "
        "this is not the recipient's key, or the token was changed after it was encrypted. "
        "No payload is shown. On purpose the reason is the same whatever check failed (key "
        "unwrap, padding or authentication tag), as it must be in a server: telling them apart "
        "is the padding oracle Bleichenbacher's and Vaudenay's attacks need.",
        "RFC 7516 §5.2, §11.5; RFC 7518 §5.2.2.2",
    ),
    _spec(
        "jwe-malformed",
        "error",
        "Encrypted token is malformed",
        "A part of the JWE does not have the shape its algorithms require (an IV or tag of "
        "the wrong length, a missing or unreadable header member, an encrypted key where "
        "there must be none), so it cannot be decrypted. The detail says which part.",
        "RFC 7516 §5.2; RFC 7518 §4-5",
    ),
    _spec(
        "jwe-unsupported-alg",
        "error",
        "Unknown JWE algorithm",
        "The header's 'alg' (key management), 'enc' (content encryption) or 'zip' is not one "
        "the inspector knows, or 'crit' lists an extension it does not understand, so the "
        "token cannot be decrypted. Names are case-sensitive.",
        "RFC 7516 §4.1; RFC 7518 §4.1, §5.1",
    ),
    _spec(
        "jwe-key-misfit",
        "high",
        "Key does not fit the encryption",
        "The key's type, curve, size, declared 'alg', 'use' or 'key_ops' does not fit the "
        "token's 'alg'/'enc' (an RSA key for A128KW, an AES key-wrap key for A128GCMKW, a "
        "signing key for decryption), so it was not used. Using one key with several "
        "algorithms is how cross-algorithm attacks start.",
        "RFC 7517 §4.2-4.4; RFC 8725 §3.1",
    ),
    _spec(
        "jwe-dir-key-size",
        "high",
        "Direct encryption key of the wrong size",
        "With alg 'dir' the key you give is the content encryption key itself, so it must be "
        "exactly the size 'enc' needs (128 bits for A128GCM, 256 for A128CBC-HS256, 512 for "
        "A256CBC-HS512...). A key of another size is not the sender's key.",
        "RFC 7518 §4.5, §5",
    ),
    _spec(
        "jwe-rsa1-5",
        "high",
        "RSA1_5 key transport (Bleichenbacher)",
        "The content key is encrypted with RSAES-PKCS1-v1_5. A recipient that lets a sender "
        "tell a padding failure from any other failure (by message, timing or behaviour) is a "
        "Bleichenbacher oracle: with enough crafted tokens the attacker decrypts the content "
        "key, and so the token. Use RSA-OAEP-256 (or ECDH-ES) instead. The inspector follows "
        "RFC 7516 §11.5: a failed unwrap continues with a random key, so both fail alike.",
        "RFC 8725 §3.2; RFC 7516 §11.5",
    ),
    _spec(
        "jwe-pbes2-low-count",
        "medium",
        "Few PBES2 iterations",
        "The token's content key is derived from a password with fewer than 1,000 PBKDF2 "
        "iterations ('p2c'), so a captured token lets an attacker try passwords cheaply. Use "
        "hundreds of thousands of iterations, or a random key instead of a password.",
        "RFC 7518 §4.8.1.2; RFC 8725 §3.5",
    ),
    _spec(
        "jwe-pbes2-count-refused",
        "high",
        "PBES2 iteration count refused (denial of service)",
        "The header asks for more than 1,000,000 PBKDF2 iterations ('p2c'). The sender picks "
        "the count and the recipient pays for it, so one such token can hold a server's CPU "
        "for seconds: a denial-of-service token. It was refused before any work.",
        "RFC 7518 §4.8.1.2; RFC 8725 §3.4; CVE-2022-36083",
    ),
    _spec(
        "jwe-invalid-curve",
        "high",
        "Ephemeral key not on its curve (invalid-curve attack)",
        "The ECDH-ES ephemeral public key ('epk') is not a point on the curve it names, or is "
        "of small order. A recipient that agrees a key with such a point leaks its private "
        "key a few bits per token (the invalid-curve attack), or agrees an all-zero secret. "
        "It was refused before any key agreement.",
        "RFC 8725 §3.4; RFC 7748 §6",
    ),
    _spec(
        "jwe-zip-bomb",
        "high",
        "Compressed content too large (zip bomb)",
        "The token's content is compressed ('zip': 'DEF') and inflates to more than the "
        "inspector's limit. A few kilobytes of DEFLATE can expand to gigabytes and exhaust a "
        "recipient's memory; the content was refused. Compression before encryption can also "
        "leak the plaintext's length patterns (CRIME-style attacks).",
        "RFC 7516 §4.1.3; RFC 8725 §3.6; CVE-2024-28180",
    ),
    # ------------------------------------------------------ keys fetched from the issuer (13)
    _spec(
        "discovery-issuer-mismatch",
        "high",
        "Keys discovered for another issuer",
        "The keys were found through an OpenID Connect (or RFC 8414) discovery document whose "
        "'issuer' is not exactly the token's 'iss', or not exactly the issuer it was fetched "
        "for. A signature those keys verify says who signed, not that this issuer did: a "
        "relying party must compare the strings exactly (no trailing-slash or case leniency) "
        "and reject the token otherwise.",
        "OpenID Connect Discovery 1.0 §4.3; RFC 8414 §3.3",
    ),
    _spec(
        "published-private-keys",
        "critical",
        "The issuer publishes private keys",
        "The JWK Set fetched from the issuer holds private key members ('d', 'p', 'q', 'dp', "
        "'dq', 'qi', 'oth') or shared secrets ('k'). Anyone who can read the set can sign "
        "tokens the issuer's relying parties accept, so a valid signature proves nothing. "
        "The issuer must rotate those keys and publish only public keys.",
        "RFC 7517 §9.2; RFC 7517 §5",
    ),
    # ---------------------------------------------------------------- SD-JWT (RFC 9901)
    _spec(
        "sd-jwt",
        "info",
        "SD-JWT with selective disclosures",
        "The token is an SD-JWT: an issuer-signed JWT followed by '~'-separated disclosures "
        "(each a salt, a claim name and a value) and, in a presentation bound to a key, a "
        "key-binding JWT. The issuer's signature covers only the digests of the disclosures "
        "in its payload, so a disclosure counts only when its digest is there and the "
        "signature verifies.",
        "RFC 9901 §4, §7.1",
    ),
    _spec(
        "sd-disclosure-malformed",
        "error",
        "Malformed disclosure",
        "A disclosure must be the base64url encoding of a JSON array [salt, claim name, value] "
        "(an object property) or [salt, value] (an array element), referenced from the place "
        "that fits its form. A verifier must reject an SD-JWT with a disclosure it cannot "
        "read.",
        "RFC 9901 §4.2.1, §4.2.2, §7.1",
    ),
    _spec(
        "sd-unreferenced-disclosure",
        "high",
        "Disclosure not referenced by the signed payload",
        "The digest of this disclosure appears nowhere in the issuer-signed payload or in "
        "another disclosure, so the issuer never vouched for it: it was forged, changed, or "
        "taken from another token. A verifier must reject the SD-JWT; its claim is left out "
        "of the disclosed payload.",
        "RFC 9901 §7.1 (step 3.d)",
    ),
    _spec(
        "sd-duplicate-digest",
        "error",
        "Digest or disclosure repeated",
        "A digest appears more than once in the SD-JWT, or the same disclosure is sent twice. "
        "RFC 9901 requires a verifier to reject it: a repeated digest lets one disclosure "
        "fill two places.",
        "RFC 9901 §7.1 (steps 3.c.ii.4, 4)",
    ),
    _spec(
        "sd-reserved-name",
        "error",
        "Disclosure with a reserved or existing claim name",
        "A disclosure may not name the claim '_sd' or '...', nor a claim the object it fills "
        "already has in clear: either would let it overwrite what the issuer signed.",
        "RFC 9901 §4.2.1, §7.1 (step 3.c.ii.3)",
    ),
    _spec(
        "sd-unknown-hash-alg",
        "error",
        "Unknown '_sd_alg'",
        "The payload's '_sd_alg' names a hash function the inspector does not know (it must "
        "be a name from the IANA Named Information Hash Algorithm registry, such as "
        "'sha-256'), so no disclosure can be matched to its digest.",
        "RFC 9901 §4.1.1",
    ),
    # ---------------------------------------------------------------- token profiles (issue 15)
    _spec(
        "sd-cnf-without-key-binding",
        "medium",
        "Key-bound SD-JWT presented without a key-binding JWT",
        "The issuer bound this SD-JWT to the holder's key ('cnf'), yet the presentation ends "
        "without a key-binding JWT. Whoever copied it can present it as their own: a verifier "
        "that requires key binding must reject it.",
        "RFC 9901 §4.3, §7.3",
    ),
    _spec(
        "sd-key-binding-invalid",
        "high",
        "Key-binding JWT does not hold",
        "The key-binding JWT must be signed with the key in the issuer-signed 'cnf', have "
        "'typ' 'kb+jwt', an 'iat', and an 'sd_hash' over exactly this presentation (and the "
        "expected 'aud' and 'nonce'). One of these fails, so the presentation does not prove "
        "that its holder presented it: it may be replayed, re-assembled or forged.",
        "RFC 9901 §4.3, §7.3",
    ),
    _spec(
        "dpop-proof",
        "info",
        "DPoP proof",
        "A DPoP proof (typ 'dpop+jwt') is signed with the key in its own 'jwk' header: a valid "
        "signature proves that whoever made it holds that key's private half, not who that is. "
        "A resource server binds it to an access token by the key's RFC 7638 thumbprint "
        "('cnf.jkt') and checks 'htm', 'htu', 'iat', 'jti' and 'ath'.",
        "RFC 9449 §4.2, §4.3",
    ),
    _spec(
        "dpop-private-key",
        "critical",
        "DPoP proof carries a private key",
        "The proof's 'jwk' header holds private key members (or a shared secret). Anyone who "
        "sees one proof can make new ones for every request, so the proof proves nothing. "
        "The client must put only its public key in the header.",
        "RFC 9449 §4.2; RFC 7517 §9.2",
    ),
    _spec(
        "dpop-symmetric-alg",
        "critical",
        "DPoP proof with a symmetric or missing algorithm",
        "A DPoP proof must be signed with an asymmetric algorithm ('alg' not 'none' and no "
        "MAC): a shared secret cannot prove possession of a key, since the server would have "
        "to know it too.",
        "RFC 9449 §4.2, §4.3 (step 5)",
    ),
    _spec(
        "dpop-missing-claim",
        "high",
        "DPoP proof lacks a required member",
        "A DPoP proof needs 'jwk' in its header and 'jti', 'htm', 'htu' and 'iat' in its "
        "payload: without them it cannot be bound to a key, a request or a moment, and can be "
        "replayed. A server must reject it.",
        "RFC 9449 §4.2, §4.3",
    ),
    _spec(
        "dpop-iat-skew",
        "medium",
        "DPoP proof made far from now",
        "A DPoP proof is made for one request and checked at once: servers accept an 'iat' "
        "within seconds or minutes of their clock. A proof issued long before (or after) the "
        "time it is judged at is stale, pre-made or from a wrong clock.",
        "RFC 9449 §4.3 (step 11), §11.1",
    ),
    _spec(
        "dpop-ath-mismatch",
        "high",
        "DPoP proof's 'ath' does not match the access token",
        "'ath' is the base64url SHA-256 hash of the access token the proof is sent with. It "
        "does not match the access token pasted with it: the proof was made for another "
        "token, and a server must reject the request.",
        "RFC 9449 §4.2, §4.3 (step 12), §7.1",
    ),
    _spec(
        "dpop-ath-match",
        "info",
        "DPoP proof's 'ath' matches the access token",
        "The proof's 'ath' is the SHA-256 hash of the access token pasted with it, so the "
        "proof was made for that token. It still proves only possession of the proof's key: "
        "the access token's 'cnf.jkt' must name the same key.",
        "RFC 9449 §4.2, §7.1",
    ),
    _spec(
        "dpop-jkt-mismatch",
        "high",
        "Access token bound to another key than the DPoP proof's",
        "The access token pasted with the proof is bound ('cnf.jkt') to a key whose RFC 7638 "
        "thumbprint is not that of the proof's 'jwk': the proof was made by someone else than "
        "the client the token was issued to. A server must reject it.",
        "RFC 9449 §6.1, §7.1; RFC 7638 §3",
    ),
    _spec(
        "dpop-jkt-match",
        "info",
        "Access token bound to the DPoP proof's key",
        "The access token pasted with the proof names ('cnf.jkt') the RFC 7638 thumbprint of "
        "the proof's 'jwk', so the proof's key is the key the token was bound to.",
        "RFC 9449 §6.1; RFC 7638 §3",
    ),
    _spec(
        "at-hash-mismatch",
        "high",
        "ID token's 'at_hash' or 'c_hash' does not match",
        "'at_hash' ('c_hash') is the left half of the hash, named by the ID token's 'alg', of "
        "the access token (authorization code) returned with it. It does not match the one "
        "pasted with it: the two were not issued together, or one was swapped (token "
        "substitution). A client must reject the response.",
        "OpenID Connect Core 1.0 §3.1.3.6, §3.3.2.10, §3.3.2.11",
    ),
    _spec(
        "at-hash-match",
        "info",
        "ID token's 'at_hash' or 'c_hash' matches",
        "The left half of the hash of the access token (or code) pasted with the ID token is "
        "its 'at_hash' ('c_hash'): the two were issued together, as far as the ID token's "
        "signature can be trusted.",
        "OpenID Connect Core 1.0 §3.1.3.6, §3.3.2.11",
    ),
    _spec(
        "profile-missing-claim",
        "medium",
        "Claim required by the token's profile is missing",
        "The token was recognised as a kind of JWT (an RFC 9068 access token, an OpenID "
        "Connect ID or logout token, an RFC 7523 client assertion) whose specification "
        "requires this claim. A conforming receiver rejects the token without it.",
        "RFC 9068 §2.2; OpenID Connect Core 1.0 §2; OpenID Back-Channel Logout 1.0 §2.4; "
        "RFC 7523 §3",
    ),
    _spec(
        "id-token-azp",
        "medium",
        "ID token for several audiences without 'azp'",
        "An ID token whose 'aud' names several clients should say which of them it was issued "
        "to ('azp'); a client must check that 'azp' is its own client id. Without it any of "
        "the audiences may pass it off as issued to itself.",
        "OpenID Connect Core 1.0 §2, §3.1.3.7 (steps 4, 5)",
    ),
    _spec(
        "logout-token-invalid",
        "high",
        "Logout token breaks its rules",
        "A back-channel logout token must carry 'events' with the member "
        "'http://schemas.openid.net/event/backchannel-logout' (an object), a 'sub' or a "
        "'sid', and must not carry a 'nonce' (which would let it pass as an ID token). A "
        "relying party must reject it otherwise.",
        "OpenID Back-Channel Logout 1.0 §2.4, §2.6",
    ),
    _spec(
        "client-assertion-invalid",
        "high",
        "Client assertion breaks its rules",
        "A JWT used for client authentication (RFC 7523) must have 'iss' and 'sub' both equal "
        "to the client id, an 'aud' naming the authorization server, an 'exp' and, for replay "
        "protection, a 'jti'. Otherwise a server must reject it.",
        "RFC 7523 §3; RFC 7521 §5.2",
    ),
    _spec(
        "client-assertion-long-lifetime",
        "medium",
        "Client assertion lives long",
        "A client assertion is made for one token request: a lifetime of minutes is usual. "
        "One that lives longer can be replayed by whoever captures it, for that long.",
        "RFC 7523 §3 (items 4, 7); RFC 7521 §8.2",
    ),
    _spec(
        "kubernetes-legacy-token",
        "high",
        "Legacy Kubernetes service account token",
        "A secret-based Kubernetes service account token (issuer 'kubernetes/serviceaccount') "
        "has no expiry and no audience: a leaked copy works until the secret is deleted. Use "
        "bound, projected service account tokens (TokenRequest API), which expire and name "
        "their audience.",
        "RFC 7519 §4.1.4; RFC 8725 §3.10 (Kubernetes service account tokens)",
    ),
    _spec(
        "github-actions-oidc",
        "info",
        "GitHub Actions OIDC token",
        "A token GitHub Actions issues to a workflow run. The issuer alone says only that some "
        "workflow on GitHub asked for it: a relying party must pin 'sub' (or 'repository', "
        "'repository_owner_id', 'ref', 'environment') and 'aud', or any repository's workflow "
        "can use its trust.",
        "OpenID Connect Core 1.0 §2; RFC 7519 §4.1.2, §4.1.3 (GitHub OIDC hardening)",
    ),
    # ---------------------------------------------------------------- not a JWT
    _spec(
        "not-a-jwt",
        "error",
        "Not a JWT",
        "The input is something else that is often pasted where a JWT is expected: another "
        "token format (PASETO, Fernet, a macaroon, a framework's session cookie, SAML), a "
        "key (a JWK, a JWK Set, a PEM block), an API key or an opaque token. The detail says "
        "what it looks like and what to do with it; it is not decoded as a JWT.",
        "RFC 7519 §3",
    ),
    # ---------------------------------------------------------------- not JWTs (issue 16)
    _spec(
        "paseto-expired",
        "high",
        "PASETO token expired",
        "The PASETO token's 'exp' claim (an RFC 3339 date-time) is in the past: a server must "
        "reject it. Get a fresh token from the issuer.",
        "PASETO specification, Payload Processing (registered claims: exp); RFC 3339",
    ),
    _spec(
        "paseto-not-yet-valid",
        "medium",
        "PASETO token not valid yet",
        "The PASETO token's 'nbf' claim is in the future: a server must reject it until then. "
        "A clock out of step between issuer and server is the usual cause.",
        "PASETO specification, Payload Processing (registered claims: nbf); RFC 3339",
    ),
    _spec(
        "saml-unsigned",
        "high",
        "SAML message without a signature",
        "The SAML response or assertion carries no XML signature. A service provider must "
        "refuse an unsigned assertion: anyone can write one naming any user.",
        "SAML 2.0 Profiles §4.1.3.5; SAML 2.0 Core §5; RFC 7522 §3",
    ),
)

CATALOGUE: Mapping[str, FindingSpec] = MappingProxyType({e.id: e for e in _ENTRIES})
if len(CATALOGUE) != len(_ENTRIES):  # pragma: no cover - guards edits of this file
    raise RuntimeError("duplicate id in the finding catalogue")
