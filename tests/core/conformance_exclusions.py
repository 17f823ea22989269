"""Conformance cases set aside, each with the reason. The ONLY place cases are excluded.

Keys are ``(file, case id)`` as :mod:`tests.core.test_conformance` names them. Every entry is a
data quirk or policy difference that SOURCES.md (../shared/vectors/SOURCES.md) names. The
conformance test also checks that each excluded case still disagrees, so this list cannot rot.
"""

from __future__ import annotations

_WYCHEPROOF_QUIRKS = {
    "367": "labelled invalid ('invalidBase64Padding') but byte-identical to the valid tcId 357",
    "370": "labelled invalid ('invalidBase64PaddingInPayload') but byte-identical to tcId 357",
    "372": "contains a '?' inside the header segment yet is labelled valid",
    "373": "contains a '?' inside the payload segment yet is labelled valid",
    "346": "RFC 7520 Figure 20: the group's key says alg 'PS256' but the token is PS384; "
    "a JWK's alg must equal the header's (RFC 7517 §4.4)",
    "350": "as tcId 346 (key alg 'PS256', token PS384)",
    "347": "RFC 7520 Figure 27: the group's key says alg 'ES521', which is not a JWA name, "
    "for an ES512 token",
    "351": "as tcId 347 (key alg 'ES521', token ES512)",
}

_SHORT_SECRET = (
    "HMAC secret shorter than the hash (RFC 7518 §3.2 forbids it): the verdict is 'valid' with "
    "a short-hmac-secret finding, which the harness counts as a rejection, as Wycheproof's "
    "json_web_key_test requires"
)

EXCLUDED: dict[tuple[str, str], str] = {
    **{("wycheproof/json_web_signature_test.json", k): v for k, v in _WYCHEPROOF_QUIRKS.items()},
    ("wycheproof/json_web_crypto_test.json", "17"): "a JWS in JSON serialization, which "
    "Wycheproof expects a compact-only verifier to reject: Wycheproof policy, not an RFC rule "
    "(SOURCES.md). The inspector reads RFC 7515 §7.2 JSON serialization and verifies it",
    ("joserfc/fixtures/jws_examples.json", "HS256"): _SHORT_SECRET + " (secret 'rfc')",
    ("joserfc/fixtures/jws_examples.json", "HS384"): _SHORT_SECRET + " (secret 'rfc')",
    ("joserfc/fixtures/jws_examples.json", "HS512"): _SHORT_SECRET + " (secret 'rfc')",
    ("joserfc/fixtures/jwt_use_jws.json", "HS256"): _SHORT_SECRET + " (secret 'secret')",
    ("joserfc/fixtures/jwt_use_jws.json", "HS384"): _SHORT_SECRET + " (secret 'secret')",
    ("joserfc/fixtures/jwt_use_jws.json", "HS512"): _SHORT_SECRET + " (secret 'secret')",
    ("joserfc/fixtures/jws_rfc7797.json", "4.2 HS256 with b64=false"): "detached content: the "
    "compact form leaves the payload out, and the inspector is given no payload to put back",
    ("jose-cookbook/jws", "4_5.signature_with_detached_content.json"): "detached content "
    "(RFC 7520 §4.5): the compact form has an empty payload segment",
    ("golang-jwt/golang-jwt_verify_tables.json", "Basic PS256 (valid)"): "maximum-length PSS salt; "
    "RFC 7518 §3.5 requires salt length = hash length (Go auto-detects the salt)",
    (
        "golang-jwt/golang-jwt_verify_tables.json",
        "Basic PS384 (valid)",
    ): "maximum-length PSS salt, as 'Basic PS256'",
    (
        "golang-jwt/golang-jwt_verify_tables.json",
        "Basic PS512 (valid)",
    ): "maximum-length PSS salt, as 'Basic PS256'",
    (
        "golang-jwt/golang-jwt_verify_tables.json",
        "Basic Ed25519 (valid)",
    ): "header alg 'ED25519' is not a JWA name (names are case-sensitive: 'EdDSA' or 'Ed25519')",
}


_JWE_JSON_POLICY = (
    "a JWE in JSON serialization, which Wycheproof expects a compact-only decrypter to "
    "reject: Wycheproof policy, not an RFC rule (as tcId 17 of the JWS file). The inspector "
    "reads RFC 7516 §7.2 JSON serialization and decrypts it"
)

#: JWE cases set aside (tests/core/test_jwe_conformance.py), keyed as ``(file, case id)``.
JWE_EXCLUDED: dict[tuple[str, str], str] = {
    ("wycheproof/json_web_encryption_test.json", "22"): _JWE_JSON_POLICY,
    ("wycheproof/json_web_crypto_test.json", "66"): _JWE_JSON_POLICY,
}
