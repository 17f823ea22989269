"""An SD-JWT's key-binding JWT checked (RFC 9901 §4.3, §7.3).

The format handler (:mod:`inspector.core.sdjwt`) decodes the KB-JWT and leaves it
``"unchecked"``; the facade asks :func:`check_key_binding` once the issuer's signature has been
judged, and the result replaces it on the parsed token. A KB-JWT holds when:

- it is a compact JWS with ``typ`` exactly ``kb+jwt`` and an asymmetric ``alg``;
- its signature verifies with the key the issuer-signed payload binds the SD-JWT to
  (:func:`_holder_key`). The issuer's ``cnf`` either carries that key (``cnf.jwk``, public
  members only) or names it: by ``kid`` (RFC 7800 §3.4) or by its RFC 7638 SHA-256 thumbprint
  (``jkt``, RFC 9449 §6.1). A named key is the one the user gives (``InspectOptions.kb_key``;
  a JWK Set is searched for the cnf's ``kid`` or thumbprint), or, for ``jkt`` only, a ``jwk``
  in the KB-JWT's own header whose thumbprint is exactly ``cnf.jkt``: a key the token brings
  along is trusted only because the issuer-signed thumbprint pins it, never on its own;
- its ``sd_hash`` is the ``_sd_alg`` hash of the presentation it ends (:func:`_sd_hash_input`),
  so no disclosure was added, removed or reordered;
- its ``iat`` is a NumericDate within :data:`MAX_KB_AGE` of the time judged at;
- its ``aud`` and ``nonce`` equal the expected ones, when given
  (``InspectOptions.kb_audience``/``kb_nonce``).

Every failing check is named in the reason, not just the first. When the cnf names a key that
was not given, the other checks still run: a KB-JWT that fails one of them is ``invalid``
whatever the key, one that passes them is ``unchecked`` and its reason names the key needed.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from inspector.core.algorithms import ALGORITHMS
from inspector.core.claims import numeric_date_problem
from inspector.core.dpop import THUMBPRINT_MEMBERS, public_jwk, thumbprint
from inspector.core.model import ParsedToken, Verification
from inspector.core.options import InspectOptions
from inspector.core.parsing import parse_token
from inspector.core.profiles import difference
from inspector.core.sdjwt import HASH_ALGORITHMS, KeyBinding, KeyBindingStatus
from inspector.core.verification import verify_token

if TYPE_CHECKING:
    from inspector.core.keys import KeyCandidate

#: How far (seconds) a key-binding JWT's ``iat`` may be from the time judged at: it is made
#: for one presentation, moments before it is checked (RFC 9901 §7.3 step 5.e leaves the
#: window to the verifier; five minutes is common).
MAX_KB_AGE = 300
KB_TYP = "kb+jwt"
#: Findings of the KB-JWT's own parse that make it mean different things to different
#: parsers: the binding does not hold with them.
KB_REFUSED_JSON = frozenset({"duplicate-json-key", "non-standard-json"})
#: Added to a binding that holds while the issuer's signature does not (or was not checked).
UNVERIFIED_ISSUER = (
    " But the issuer's signature is not verified, so neither is the cnf that names this key: "
    "anyone can bind a token to a key of their own until it is."
)
#: Characters of a kid or thumbprint quoted in a reason.
SHOWN = 60
#: Kids of a holder key set listed in a reason.
MAX_KIDS_SHOWN = 10


def check_key_binding(
    parsed: ParsedToken, options: InspectOptions, verification: Verification | None = None
) -> ParsedToken:
    """``parsed`` with its SD-JWT's key-binding JWT judged; unchanged when it has none.
    ``verification`` is the issuer's signature's: the ``cnf`` that names the holder's key is
    the issuer's word only once it verifies, so a binding that holds says so when it did not."""
    sd = parsed.sd_jwt
    kb = sd.key_binding if sd is not None else None
    if sd is None or kb is None or parsed.token is None:
        return parsed
    status, reason = _judge(parsed, kb, options)
    if status == "valid" and verification is not None and verification.status != "valid":
        reason += UNVERIFIED_ISSUER
    cnf = (parsed.claims or {}).get("cnf")
    judged = replace(kb, status=status, reason=reason, holder_key=_named_key(cnf))
    return replace(parsed, sd_jwt=replace(sd, key_binding=judged))


def _shown(value: str) -> str:
    return repr(value if len(value) <= SHOWN else value[:SHOWN] + "...")


def _named_key(cnf: object) -> str | None:
    """The key ``cnf`` names without carrying it, as a reason says it; ``None`` when it
    carries a ``jwk`` (or names nothing)."""
    if not isinstance(cnf, dict) or isinstance(cnf.get("jwk"), dict):
        return None
    kid, jkt = cnf.get("kid"), cnf.get("jkt")
    named = []
    if isinstance(kid, str):
        named.append(f"kid {_shown(kid)}")
    if isinstance(jkt, str):
        named.append(f"RFC 7638 thumbprint (cnf.jkt) {_shown(jkt)}")
    return " and ".join(named) or None


@dataclass(frozen=True, slots=True)
class _Key:
    """The holder key chosen for the signature check: ``jwk`` (public members) to verify
    with and ``source`` saying where it came from; or, when there is none, ``missing`` saying
    why the signature cannot be checked."""

    jwk: dict[str, Any] | None = None
    source: str = ""
    missing: str = ""


def _holder_key(
    cnf: dict[str, Any], header: dict[str, Any], options: InspectOptions, failed: list[str]
) -> _Key:
    """The key the issuer's ``cnf`` binds the SD-JWT to, or why there is none; what rules a
    key out is appended to ``failed``."""
    jwk = cnf.get("jwk")
    if isinstance(jwk, dict):
        if jwk.get("kty") == "oct" or "k" in jwk:
            failed.append("the cnf key is a shared secret, which proves no possession")
            return _Key(missing="the cnf key is a shared secret")
        return _Key(public_jwk(jwk), "the cnf key (cnf.jwk, bound by the issuer)")
    kid = cnf.get("kid") if isinstance(cnf.get("kid"), str) else None
    jkt = cnf.get("jkt") if isinstance(cnf.get("jkt"), str) else None
    if kid is None and jkt is None:
        members = ", ".join(repr(m) for m in list(cnf)[:MAX_KIDS_SHOWN]) or "none"
        return _Key(
            missing=f"the payload's 'cnf' holds no 'jwk', 'kid' or 'jkt' (its members: "
            f"{members}), so it names no key this inspector can check with"
        )
    own_kid = header.get("kid")
    if kid is not None and isinstance(own_kid, str) and own_kid != kid:
        failed.append(
            f"its header's kid {_shown(own_kid)} is not the cnf's kid {_shown(kid)}: it says "
            "it was signed with another key than the one the issuer bound"
        )
    own_jwk = header.get("jwk")
    if jkt is not None and own_jwk is not None:
        got = thumbprint(own_jwk) if isinstance(own_jwk, dict) else None
        if got != jkt:
            failed.append(
                "its header carries a jwk "
                + (f"whose thumbprint is {_shown(got)}" if got else "that has no thumbprint")
                + f", not the cnf.jkt {_shown(jkt)}: a key the token brings along is trusted "
                "only when the issuer-signed cnf.jkt pins it"
            )
        elif not options.kb_key:
            kty = own_jwk["kty"]
            pinned = {m: own_jwk[m] for m in THUMBPRINT_MEMBERS[kty]}
            return _Key(
                pinned, "the jwk in its own header, pinned by the issuer-signed cnf.jkt (its "
                "RFC 7638 thumbprint matches)"
            )  # fmt: skip
    needed = _named_key(cnf) or ""
    if not options.kb_key or not options.kb_key.strip():
        return _Key(
            missing=f"the cnf names the holder's key by {needed} without carrying it "
            "(enter that public key as the holder key)"
        )
    return _given_key(options.kb_key, kid, jkt, failed)


def _given_key(text: str, kid: str | None, jkt: str | None, failed: list[str]) -> _Key:
    """The holder key the user gave, matched against the cnf's ``kid`` and ``jkt``."""
    from inspector.core.keygen import public_jwk as key_jwk
    from inspector.core.keys import load_key

    lk = load_key(text)
    if lk.error is not None:
        return _Key(missing=f"the holder key you gave cannot be read: {lk.error.rstrip('.')}")
    usable = [c for c in lk.candidates if c.problem is None and c.key is not None]
    if usable and all(c.is_secret for c in usable):
        failed.append("the holder key you gave is a shared secret, which proves no possession")
        return _Key(missing="the holder key is a shared secret")
    usable = [c for c in usable if not c.is_secret]
    if not usable:
        return _Key(missing="the holder key you gave holds no usable public key")
    in_set = lk.kind == "jwks"
    what = "the holder key set you gave" if in_set else "the holder key you gave"

    def jwk_of(c: KeyCandidate) -> dict[str, Any] | None:
        try:
            return key_jwk(c.key)
        except (TypeError, ValueError):
            return None

    if kid is not None:
        if in_set:
            named = [c for c in usable if c.kid == kid]
            if not named:
                kids = [c.kid for c in usable if c.kid is not None][:MAX_KIDS_SHOWN]
                listed = ", ".join(_shown(k) for k in kids) or "none"
                failed.append(f"no key in {what} has the cnf's kid {_shown(kid)} (kids: {listed})")
                return _Key(missing="no holder key has the cnf's kid")
            usable = named
        elif usable[0].kid is not None and usable[0].kid != kid:
            failed.append(
                f"{what} has kid {_shown(usable[0].kid)}, not the cnf's kid {_shown(kid)}"
            )
            return _Key(missing="the holder key is not the one the cnf names")
    if jkt is not None:
        matching = [c for c in usable if (j := jwk_of(c)) is not None and thumbprint(j) == jkt]
        if not matching:
            got = [t for c in usable if (j := jwk_of(c)) is not None and (t := thumbprint(j))]
            failed.append(
                f"no key in {what} has the cnf.jkt thumbprint {_shown(jkt)}"
                if in_set or len(got) != 1
                else f"{what} has the thumbprint {_shown(got[0])}, not the cnf.jkt {_shown(jkt)}"
            )
            return _Key(missing="the holder key is not the one the cnf names")
        usable = matching
    if len(usable) > 1:
        failed.append(
            f"{len(usable)} keys in {what} match the cnf's kid {_shown(kid or '')}, so it is "
            "ambiguous which one is the holder's"
        )
        return _Key(missing="the holder key is ambiguous")
    jwk = jwk_of(usable[0])
    if jwk is None:
        return _Key(missing=f"{what} is not a key a JWS can be verified with")
    matched = []
    if kid is not None and (in_set or usable[0].kid is not None):
        matched.append("its kid")
    if jkt is not None:
        matched.append("its thumbprint")
    how = " and ".join(matched)
    return _Key(
        jwk,
        f"the holder key you gave ({usable[0].label}"
        + (f", matched to the cnf by {how}" if how else ", which has no kid to compare")
        + ")",
    )


def _sd_hash_input(token: str) -> str:
    """What ``sd_hash`` is the hash of (RFC 9901 §4.3.1): the issuer-signed JWT and each
    disclosure presented, each followed by '~' (``<JWT>~<D1>~...~<DN>~``).

    For the JWS JSON serialization, RFC 9901 §8.1 says "the representation as a regular SD-JWT
    Compact Serialization MUST be created temporarily to calculate the digest": the protected
    header, payload and signature joined by '.', then the ``disclosures`` of the unprotected
    header, in order, each followed by '~' (§8.4: the verifier assembles it so). The cleaning
    step (:func:`inspector.core.cleaning._sd_jwt_json_tail`) has already rebuilt exactly that
    compact form out of the JSON (with its first signature, where §8.3 puts the disclosures),
    so one rule serves both serializations.

    The 2024 reference implementation (``sd-jwt`` 0.10.4 on PyPI) hashes something else for a
    JSON presentation: the issuer's whole JSON text, which lists every disclosure, withheld
    ones included. A verifier cannot rebuild that, so it is not accepted; its mismatch reason
    says so (:data:`JSON_2024_HINT`).
    """
    return token[: token.rfind("~") + 1]


#: Said when a JSON-serialized presentation's ``sd_hash`` matches nothing.
JSON_2024_HINT = (
    "; for the JSON serialization RFC 9901 §8.1 takes it over the compact form rebuilt from "
    "it (protected.payload.signature~disclosure~...~), and that was compared. The SD-JWT "
    "reference implementation of 2024 (sd-jwt 0.10.4) hashed the issuer's JSON text instead, "
    "which lists the withheld disclosures too, so no verifier can check it"
)


def _judge(
    parsed: ParsedToken, kb: KeyBinding, options: InspectOptions
) -> tuple[KeyBindingStatus, str]:
    claims = parsed.claims or {}
    cnf = claims.get("cnf")
    if cnf is None:
        return "invalid", (
            "A key-binding JWT follows, but the issuer-signed payload has no 'cnf' naming the "
            "holder's key, so nothing binds it to the credential."
        )
    kbp = parse_token(kb.text)
    header = kbp.unverified_header or {}
    failed: list[str] = []
    if kbp.format != "jws" or kbp.sd_jwt is not None:
        failed.append("it is not a compact signed JWT")
    # JSON that parsers read differently (a member twice: first or last wins; NaN): what is
    # compared below need not be what a verifier reads, so the binding does not hold.
    unclear = [f for f in kbp.findings if f.id in KB_REFUSED_JSON]
    if unclear:
        failed.append(
            "its JSON is read differently by different parsers ("
            + "; ".join(f.detail.rstrip(".") for f in unclear)
            + ")"
        )
    if header.get("typ") != KB_TYP:
        failed.append(f"its typ is {header.get('typ')!r}, not {KB_TYP!r}")
    key = (
        _holder_key(cnf, header, options, failed)
        if isinstance(cnf, dict)
        else _Key(missing="the payload's 'cnf' is not an object")
    )
    alg = kbp.alg
    spec = ALGORITHMS.get(alg or "")
    if spec is None or spec.family == "HMAC":
        failed.append(f"its alg {alg!r} is not an asymmetric signature algorithm")
    elif key.jwk is not None:
        v = verify_token(kbp, json.dumps(key.jwk), now=options.now)
        if v.status != "valid":
            failed.append(
                f"its signature does not verify with {key.source} ({v.reason.rstrip('.')})"
            )
    payload = kbp.claims or {}
    sd = parsed.sd_jwt
    json_form = sd is not None and sd.serialization == "json"
    sd_alg = claims.get("_sd_alg", "sha-256")
    hasher = HASH_ALGORITHMS.get(sd_alg) if isinstance(sd_alg, str) else None
    sd_hash = payload.get("sd_hash")
    if hasher is None:
        failed.append("the payload's _sd_alg is unknown, so sd_hash cannot be checked")
    else:
        try:
            expected = _b64(hasher(_sd_hash_input(parsed.token or "").encode("ascii")).digest())
        except UnicodeEncodeError:
            expected = None
        if not isinstance(sd_hash, str):
            failed.append("it has no sd_hash")
        elif sd_hash != expected:
            failed.append(
                "its sd_hash is not the hash of this presentation (a disclosure was added, "
                "removed, changed or reordered, or it was made for another presentation"
                + (JSON_2024_HINT if json_form else "")
                + ")"
            )
    # iat, and exp and nbf when present (optional in a KB-JWT, but a receiver that meets them
    # applies them: RFC 7519 §4.1.4, §4.1.5), judged as the token's own time claims are: a
    # NumericDate by claims.numeric_date_problem (NaN would be fresh forever).
    now = options.now
    times: dict[str, float] = {}
    for name in ("iat", "exp", "nbf"):
        if name in payload:
            problem = numeric_date_problem(payload[name])
            if problem is None:
                times[name] = payload[name]
            else:
                failed.append(f"its {name} {problem}")
    iat, exp, nbf = times.get("iat"), times.get("exp"), times.get("nbf")
    if "iat" not in payload:
        failed.append("it has no iat")
    elif (
        iat is not None
        and now is not None
        and abs(difference(iat, now)) > MAX_KB_AGE + options.leeway
    ):
        failed.append(f"its iat is {abs(difference(iat, now)):.0f} s from the time judged at")
    if now is not None and exp is not None and now >= exp + options.leeway:
        failed.append(f"it expired {abs(difference(now, exp)):.0f} s before the time judged at")
    if now is not None and nbf is not None and nbf > now + options.leeway:
        failed.append(f"it is not valid until {abs(difference(nbf, now)):.0f} s later (nbf)")
    if options.kb_audience is not None and payload.get("aud") != options.kb_audience:
        failed.append(
            f"its aud is {payload.get('aud')!r}, not the expected {options.kb_audience!r}"
        )
    if options.kb_nonce is not None and payload.get("nonce") != options.kb_nonce:
        failed.append(f"its nonce is {payload.get('nonce')!r}, not the expected one")
    if failed:
        return "invalid", "The key-binding JWT does not hold: " + "; ".join(failed) + "."
    unchecked = [
        n
        for n, given in (("aud", options.kb_audience), ("nonce", options.kb_nonce))
        if given is None
    ]
    hashed = (
        "the sd_hash of the compact serialization rebuilt from the JSON (RFC 9901 §8.1)"
        if json_form
        else "the sd_hash of this presentation"
    )
    rest = (
        f"; its {' and '.join(unchecked)} were not compared (give the expected values)"
        if unchecked
        else "; its aud and nonce are the expected ones"
    )
    if key.jwk is None:
        return "unchecked", (
            f"The key-binding JWT's signature is not checked: {key.missing}. Its typ, iat and "
            f"{hashed} hold{rest}."
        )
    return "valid", (
        f"The key-binding JWT ({alg}) verifies with {key.source}, has typ kb+jwt, a fresh iat "
        f"and {hashed}{rest}."
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
