"""The JWS JSON serialization (RFC 7515 §7.2, general and flattened), held to its rules.

:func:`~inspector.core.cleaning.extract_token` finds a JWS JSON document in the pasted text and
flattens its first signature to ``protected.payload.signature`` (with offsets into the user's
own text), so the compact JWS handler decodes it; this module checks what the flattening set
aside (the unprotected header, mixed forms, extra signatures). Nothing in the unprotected
header is ever used to verify.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from inspector.core.findings import Finding, finding, json_pointer

if TYPE_CHECKING:
    from inspector.core.cleaning_values import JwsJson

#: Findings about a JWS JSON serialization after which the token, as pasted, is not one that
#: RFC 7515 lets a verifier accept, whatever its signature says -> why, as verification's
#: verdict words it ("... not valid as pasted: <why>").
JWS_JSON_NOT_AS_SIGNED: Mapping[str, str] = MappingProxyType(
    {
        "jws-json-header-duplicate": "a header parameter is in both its protected and its "
        "unprotected header (RFC 7515 §7.2.1)",
        "jws-json-unprotected-crit": "'crit' or 'b64' is in its unprotected header, which the "
        "signature does not cover (RFC 7515 §4.1.11, RFC 7797 §6)",
        "jws-json-header-not-object": "its unprotected 'header' member is not a JSON object "
        "(RFC 7515 §7.2.1)",
        "jws-json-mixed": "its JSON serialization mixes the general and the flattened form "
        "(RFC 7515 §7.2.2)",
        "jws-json-b64-mixed": "its signatures disagree about 'b64', so they sign different "
        "payload texts (RFC 7797 §3)",
    }
)
#: Header parameters that must be integrity protected: in the unprotected header they are
#: an error (RFC 7515 §4.1.11 for 'crit', RFC 7797 §6 for 'b64').
PROTECTED_ONLY = ("crit", "b64")
#: Unprotected header parameters naming a key the token brings along or points to (never
#: used) -> finding id (the ids verification uses for the protected header).
UNPROTECTED_KEY_HEADERS: Mapping[str, str] = MappingProxyType(
    {"jwk": "embedded-jwk", "x5c": "x5c-header", "jku": "jku-header", "x5u": "x5u-header"}
)
#: Values from the unprotected header shown in a finding's detail are cut to this length.
SHOWN_VALUE = 120


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 3] + "..."


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {_cut(repr(value))}"
    if isinstance(value, str):
        return f"the string {_cut(repr(value))}"
    return "an array"


def check_jws_json(
    info: JwsJson, header: dict[str, Any] | None, add: Callable[[Finding], None]
) -> Mapping[str, Any] | None:
    """Hold a JWS JSON serialization to RFC 7515 §7.2 (and RFC 7797 §6); the unprotected
    header, read-only, when it is an object. Nothing in it is ever used to verify."""
    if info.mixed and info.form == "flattened":
        add(
            finding(
                "jws-json-mixed",
                "The flattened JWS JSON serialization also has a 'signatures' member (empty, "
                "or not an array of objects), which only the general form has; "
                "a general parser finds no signature there where a flattened one finds "
                "this one. The top-level signature is inspected.",
            )
        )
    elif info.mixed:
        names = ", ".join(f"'{m}'" for m in info.mixed)
        add(
            finding(
                "jws-json-mixed",
                f"The general JWS JSON serialization also has the flattened form's {names} "
                "at its top level; parsers disagree about which signature counts. The "
                "first of 'signatures' is inspected.",
            )
        )
    if info.b64_mixed:
        add(
            finding(
                "jws-json-b64-mixed",
                "Some signatures' protected headers say b64: false and others do not; "
                "RFC 7797 §3 requires the same 'b64' for all of them, so "
                "the JWS is not valid as sent, whatever the first signature says.",
            )
        )
    if info.signatures > 1:
        add(
            finding(
                "jws-json-signatures",
                f"The JWS carries {info.signatures} signatures; the header shown is the "
                f"first's. With a key, each signature is verified (a JWK Set picks each one's "
                "key by its kid) and the verdict lists which key verified which; which of "
                "them must verify is the application's rule (RFC 7515 §7.2.1).",
            )
        )
    if not info.has_header:
        return None
    raw = info.header
    if not isinstance(raw, dict):
        add(
            finding(
                "jws-json-header-not-object",
                f"The unprotected 'header' member is {_json_kind(raw)}, not a JSON object; "
                "RFC 7515 §7.2.1 allows only an object.",
            )
        )
        return None
    protected = header if header is not None else {}
    for name in raw:
        if name in protected:
            add(
                finding(
                    "jws-json-header-duplicate",
                    f"'{_cut(name)}' is in both the protected and the unprotected header "
                    f"(protected {_cut(repr(protected[name]))}, unprotected "
                    f"{_cut(repr(raw[name]))}); RFC 7515 §7.2.1 forbids it, and verifiers "
                    "disagree about which value counts.",
                    json_pointer("header", name),
                )
            )
    for name in PROTECTED_ONLY:
        if name in raw and name not in protected:
            add(
                finding(
                    "jws-json-unprotected-crit",
                    f"'{name}' ({_cut(repr(raw[name]))}) is only in the unprotected header, "
                    "which the signature does not cover; it must be in the protected "
                    "header, so the token is not valid as sent.",
                )
            )
    if "alg" in raw:
        said = _cut(repr(raw["alg"]))
        add(
            finding(
                "jws-json-unprotected-alg",
                f"The unprotected header says alg {said}. Anyone can change it without "
                "breaking the signature, so the inspector never uses it"
                + (
                    f"; the protected header's alg {_cut(repr(protected['alg']))} is used."
                    if "alg" in protected
                    else "; the protected header names no algorithm, so the signature "
                    "cannot be checked."
                ),
            )
        )
    for name, fid in UNPROTECTED_KEY_HEADERS.items():
        if name in raw:
            add(
                finding(
                    fid,
                    f"The unprotected header has '{name}' ({_cut(repr(raw[name]))}), which "
                    "the signature does not even cover. The inspector never uses or fetches "
                    "it; only the key you enter is used.",
                )
            )
    return MappingProxyType(raw)
