"""An SD-JWT's key-binding JWT checked (RFC 9901 §4.3, §7.3).

The format handler (:mod:`inspector.core.sdjwt`) decodes the KB-JWT and leaves it
``"unchecked"``; the facade asks :func:`check_key_binding` once the issuer's signature has been
judged, and the result replaces it on the parsed token. A KB-JWT holds when:

- it is a compact JWS with ``typ`` exactly ``kb+jwt`` and an asymmetric ``alg``;
- its signature verifies with the key the issuer-signed payload binds the SD-JWT to
  (``cnf.jwk``, public members only; a ``cnf`` that names a key by ``kid`` or ``jkt`` gives no
  key to check with, so the status stays ``"unchecked"``). The key comes from the issuer's
  payload, never from the KB-JWT itself;
- its ``sd_hash`` is the ``_sd_alg`` hash of the presentation it ends (the issuer-signed JWT
  and every disclosure, each followed by '~', exactly as pasted), so no disclosure was added,
  removed or reordered;
- its ``iat`` is a NumericDate within :data:`MAX_KB_AGE` of the time judged at;
- its ``aud`` and ``nonce`` equal the expected ones, when given
  (``InspectOptions.kb_audience``/``kb_nonce``).

Every failing check is named in the reason, not just the first.
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace

from inspector.core.algorithms import ALGORITHMS
from inspector.core.dpop import public_jwk
from inspector.core.model import ParsedToken
from inspector.core.options import InspectOptions
from inspector.core.parsing import parse_token
from inspector.core.profiles import difference
from inspector.core.sdjwt import HASH_ALGORITHMS, KeyBinding, KeyBindingStatus
from inspector.core.verification import verify_token

#: How far (seconds) a key-binding JWT's ``iat`` may be from the time judged at: it is made
#: for one presentation, moments before it is checked (RFC 9901 §7.3 step 5.e leaves the
#: window to the verifier; five minutes is common).
MAX_KB_AGE = 300
KB_TYP = "kb+jwt"


def check_key_binding(parsed: ParsedToken, options: InspectOptions) -> ParsedToken:
    """``parsed`` with its SD-JWT's key-binding JWT judged; unchanged when it has none."""
    sd = parsed.sd_jwt
    kb = sd.key_binding if sd is not None else None
    if sd is None or kb is None or parsed.token is None:
        return parsed
    status, reason = _judge(parsed, kb, options)
    return replace(
        parsed, sd_jwt=replace(sd, key_binding=replace(kb, status=status, reason=reason))
    )


def _judge(
    parsed: ParsedToken, kb: KeyBinding, options: InspectOptions
) -> tuple[KeyBindingStatus, str]:
    claims = parsed.claims or {}
    cnf = claims.get("cnf")
    jwk = cnf.get("jwk") if isinstance(cnf, dict) else None
    if cnf is None:
        return "invalid", (
            "A key-binding JWT follows, but the issuer-signed payload has no 'cnf' naming the "
            "holder's key, so nothing binds it to the credential."
        )
    if not isinstance(jwk, dict):
        return "unchecked", (
            "The payload's 'cnf' holds no 'jwk' (it names the key by 'kid' or 'jkt', or is "
            "not an object), so the key-binding JWT's signature cannot be checked here."
        )
    kbp = parse_token(kb.text)
    header = kbp.unverified_header or {}
    failed: list[str] = []
    if kbp.format != "jws" or kbp.sd_jwt is not None:
        failed.append("it is not a compact signed JWT")
    if header.get("typ") != KB_TYP:
        failed.append(f"its typ is {header.get('typ')!r}, not {KB_TYP!r}")
    alg = kbp.alg
    spec = ALGORITHMS.get(alg or "")
    if spec is None or spec.family == "HMAC":
        failed.append(f"its alg {alg!r} is not an asymmetric signature algorithm")
    elif jwk.get("kty") == "oct" or "k" in jwk:
        failed.append("the cnf key is a shared secret, which proves no possession")
    else:
        v = verify_token(kbp, json.dumps(public_jwk(jwk)), now=options.now)
        if v.status != "valid":
            failed.append(
                f"its signature does not verify with the cnf key ({v.reason.rstrip('.')})"
            )
    payload = kbp.claims or {}
    token = parsed.token or ""
    presentation = token[: token.rfind("~") + 1]
    sd_alg = claims.get("_sd_alg", "sha-256")
    hasher = HASH_ALGORITHMS.get(sd_alg) if isinstance(sd_alg, str) else None
    sd_hash = payload.get("sd_hash")
    if hasher is None:
        failed.append("the payload's _sd_alg is unknown, so sd_hash cannot be checked")
    else:
        try:
            expected = _b64(hasher(presentation.encode("ascii")).digest())
        except UnicodeEncodeError:
            expected = None
        if not isinstance(sd_hash, str):
            failed.append("it has no sd_hash")
        elif sd_hash != expected:
            failed.append(
                "its sd_hash is not the hash of this presentation (a disclosure was added, "
                "removed, changed or reordered, or it was made for another presentation)"
            )
    iat = payload.get("iat")
    now = options.now
    if not isinstance(iat, (int, float)) or isinstance(iat, bool):
        failed.append("it has no numeric iat")
    elif now is not None and abs(difference(iat, now)) > MAX_KB_AGE + options.leeway:
        failed.append(f"its iat is {abs(difference(iat, now)):.0f} s from the time judged at")
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
    return "valid", (
        f"The key-binding JWT ({alg}) verifies with the issuer-bound cnf key, has typ kb+jwt, "
        "a fresh iat and the sd_hash of this presentation"
        + (
            f"; its {' and '.join(unchecked)} were not compared (give the expected values)"
            if unchecked
            else "; its aud and nonce are the expected ones"
        )
        + "."
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
