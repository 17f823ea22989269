"""Hostile input shapes for the linear-time tests and ``benchmarks/bench_hostile.py``.

Each shape builds a text of about ``n`` characters of one repeated pattern, placed where a
token text reaches a particular piece of code (the input around a token, a header member, a
claim value, a claim name). Every one of them once took time quadratic in ``n`` (or would
have, had the code been written the obvious way); they stay here so it never comes back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, b64, hs256

Shape = Callable[[int], str]


def _rep(unit: str, n: int) -> str:
    return unit * max(1, n // len(unit))


def _tok() -> str:
    return hs256(CLEAN_HEADER, CLEAN_CLAIMS)


def _claim(unit: str) -> Shape:
    """A claim value made of ``unit`` repeated."""
    return lambda n: hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "note": _rep(unit, n)})


def _header(name: str, unit: str) -> Shape:
    """A header member made of ``unit`` repeated."""
    return lambda n: hs256({**CLEAN_HEADER, name: _rep(unit, n)}, CLEAN_CLAIMS)


def _before(unit: str) -> Shape:
    """Text made of ``unit`` repeated, then a token."""
    return lambda n: _rep(unit, n) + " " + _tok()


def _after(unit: str) -> Shape:
    """A token, then text made of ``unit`` repeated."""
    return lambda n: _tok() + " " + _rep(unit, n)


def _alone(unit: str) -> Shape:
    """Nothing but ``unit`` repeated."""
    return lambda n: _rep(unit, n)


def _raw_payload(unit: str) -> Shape:
    """A payload segment whose bytes are ``unit`` repeated (not JSON)."""

    def build(n: int) -> str:
        return f"{b64(json.dumps(CLEAN_HEADER).encode())}.{b64(_rep(unit, n).encode())}.c2ln"

    return build


def _claim_names(unit: str) -> Shape:
    """Many claims whose names are ``unit`` repeated a growing number of times."""

    def build(n: int) -> str:
        claims: dict[str, Any] = {}
        i = 0
        size = 0
        while size < n:
            name = f"{unit * 4}{i}"
            claims[name] = "v"
            size += len(name) + 6
            i += 1
        return hs256(CLEAN_HEADER, claims)

    return build


def _jws_json_header(unit: str) -> Shape:
    """A flattened JWS JSON serialization with a big unprotected header."""

    def build(n: int) -> str:
        protected, payload, signature = _tok().split(".")
        doc = {
            "protected": protected,
            "payload": payload,
            "signature": signature,
            "header": {"kid": _rep(unit, n)},
        }
        return json.dumps(doc)

    return build


def _jws_json_signatures(unencoded_every: int) -> Shape:
    """A general JWS JSON serialization with many signatures, every ``unencoded_every``-th
    of them saying b64: false (each signature's protected header is read for 'b64')."""

    def build(n: int) -> str:
        protected, payload, signature = _tok().split(".")
        unencoded = b64(json.dumps({**CLEAN_HEADER, "b64": False, "crit": ["b64"]}).encode())
        entry = {"protected": protected, "signature": signature}
        count = max(2, n // (len(protected) + len(signature) + 34))
        sigs = [
            {**entry, "protected": unencoded} if i and i % unencoded_every == 0 else entry
            for i in range(count)
        ]
        return json.dumps({"payload": payload, "signatures": sigs})

    return build


#: The shapes issue 10 measured.
ISSUE_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("letters before a token", _before("a")),
    ("kid of 'select '", _header("kid", "select ")),
    ("dots", _alone(".")),
    ("'a.' runs", _alone("a.")),
    ("'%2E'-separated tokens", _alone(_tok().replace(".", "%2E") + "%2E")),
    ("'%20eyJ' runs", _alone("%20eyJ")),
    ("'$2a$10$' runs in a claim", _claim("$2a$10$")),
    ("'-----BEGIN ' runs in a claim", _claim("-----BEGIN ")),
)
#: Quadratic before, found by ``benchmarks/bench_hostile.py --explore``.
FOUND_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("digits before a token", _before("1")),
    ("'a-' runs before a token", _before("a-")),
    ("'a.' runs before a token", _before("a.")),
    ("'eyJa.' runs in a claim", _claim("eyJa.")),
    ("'ya29.' runs in a claim", _claim("ya29.")),
    ("'SG.a.' runs in a claim", _claim("SG.a.")),
    ("'sk-' runs in a claim", _claim("sk-")),
    ("'eyJ-' runs in a claim", _claim("eyJ-")),
    ("'select ' runs in kid", _header("kid", "select from ")),
)
#: Tried as well (every pattern's literals, each place a token text reaches): linear.
OTHER_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("'%2E' runs", _alone("a%2E")),
    ("'/eyJ' runs", _alone("/eyJ")),
    ("'eyJ.' runs", _alone("eyJ.")),
    ("letters after a token", _after("a")),
    ("'a=' runs before a token", _before("a=")),
    ("'bearer ' runs before a token", _before("bearer ")),
    ("'cookie:' runs before a token", _before("cookie:")),
    ("'$2a$10$' runs", _alone("$2a$10$")),
    ("digits with spaces in a claim", _claim("1 ")),
    ("digits with dashes in a claim", _claim("1-")),
    ("IBAN-like runs in a claim", _claim("AA11 ")),
    ("'$argon2id$' runs in a claim", _claim("$argon2id$m=1,t=1,p=1$")),
    ("'$y$a$' runs in a claim", _claim("$y$a")),
    ("'{SSHA}' runs in a claim", _claim("{SSHA}")),
    ("'a://b:' runs in a claim", _claim("a://b:")),
    ("'or a=' runs in kid", _header("kid", "or a=")),
    ("'..' runs in kid", _header("kid", "..")),
    ("'eyJ.' payload bytes", _raw_payload("eyJ.")),
    ("many claim names", _claim_names("password")),
    ("JWS JSON with a big unprotected kid", _jws_json_header("select ")),
    ("whitespace runs", _alone(" \n")),
    ("'{' runs", _alone("{")),
    ("general JWS JSON with many signatures", _jws_json_signatures(10**9)),
    ("general JWS JSON, some signatures b64: false", _jws_json_signatures(7)),
)


def _prefixed(prefix: str, unit: str, suffix: str = "") -> Shape:
    """``prefix``, then ``unit`` repeated, then ``suffix``: a shape that starts right for one
    of the non-JWT recognisers (inspector.core.notjwt) and then goes on and on."""
    return lambda n: prefix + _rep(unit, n) + suffix


#: SD-JWT shapes (inspector.core.sdjwt, and cleaning's SD-JWT tail) and the text-level
#: recognisers of what is not a JWT.
FORMAT_SHAPES: tuple[tuple[str, Shape], ...] = (
    ("'~' runs after a token", lambda n: _tok() + _rep("~", n)),
    ("'a~' disclosures after a token", lambda n: _tok() + "~" + _rep("a~", n)),
    ("'WyJ' disclosure runs", lambda n: _tok() + "~" + _rep("WyJ", n) + "~"),
    ("'e30~' disclosures in a log line", lambda n: "at " + _tok() + "~" + _rep("e30~", n) + " x"),
    ("'~a.b' runs after a token in text", lambda n: "x " + _tok() + _rep("~a.b", n) + " y"),
    ("'eyJa.b.c~' runs", _alone("eyJa.b.c~")),
    ("PASETO with a long payload", _prefixed("v4.public.", "a")),
    ("PASETO with 'a.' runs", _prefixed("v4.public.", "a.")),
    ("Fernet-like run", _prefixed("gAAAAA", "A")),
    ("'\"kty\":' runs", _prefixed("{", '"kty":1,', '"x":1}')),
    ("PEM BEGIN runs", _prefixed("-----BEGIN ", "A")),
    ("SAML '<Issuer ' runs", _prefixed("<samlp:Response urn:oasis:names:tc:SAML:", "<Issuer ")),
    ("base64 SAML-like run", _prefixed("PHNhbWxw", "QUFB")),
    ("macaroon-like run", _prefixed("MDAx", "QUFB")),
    ("'a--' runs", _alone("a--")),
    ("'s:' session-like run", _prefixed("s:", "a")),
    ("'a:' runs", _alone("a:")),
    ("API-key prefix then a long run", _prefixed("ghp_", "a1")),
    ("opaque-like run", _alone("a1B2")),
)


def _proof() -> str:
    """A DPoP proof (its signature junk): the paste around it is searched for its access
    token (inspector.core.paste_context)."""
    jwk = {"kty": "EC", "crv": "P-256", "x": "A" * 43, "y": "B" * 43}
    header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}
    claims = {"jti": "1", "htm": "GET", "htu": "https://x", "iat": 1, "ath": "A" * 43}
    return hs256(header, claims)


def _id_token() -> str:
    """An ID token with at_hash and c_hash: the paste is searched for its access token and
    code."""
    claims = {**CLEAN_CLAIMS, "nonce": "n", "at_hash": "A" * 22, "c_hash": "B" * 22}
    return hs256(CLEAN_HEADER, claims)


def _sd_json(disclosures: list[str]) -> str:
    """An SD-JWT in JSON serialization (RFC 9901 §8): each disclosure is looked for where it
    stands in the text (inspector.core.cleaning._sd_jwt_json_tail)."""
    h, p, sig = _tok().split(".")
    header = {"disclosures": disclosures, "kb_jwt": _tok()}
    return json.dumps({"payload": p, "protected": h, "header": header, "signature": sig})


#: Pastes around a token whose profile reads the rest of the paste (DPoP proofs, ID tokens).
PROFILE_SHAPES: tuple[tuple[str, Shape], ...] = (
    (
        "DPoP proof then 'access_token=a&' runs",
        lambda n: _proof() + " " + _rep("access_token=a&", n),
    ),
    (
        "DPoP proof then one long access_token=",
        lambda n: _proof() + " access_token=" + _rep("a", n),
    ),
    (
        "DPoP proof then 'Authorization: DPoP' lines",
        lambda n: "DPoP: " + _proof() + "\n" + _rep("Authorization: DPoP a.b.c\n", n),
    ),
    (
        "DPoP proof then 'authorization:' and spaces",
        lambda n: _proof() + "\nauthorization:" + _rep(" ", n),
    ),
    (
        "DPoP proof then 'eyJ' tokens",
        lambda n: _proof() + "\n" + _rep("eyJhIjoxfQ.eyJhIjoxfQ.c\n", n),
    ),
    ("ID token then 'code=' runs", lambda n: _id_token() + "&" + _rep("code=", n)),
    ("ID token then '&access_token=' runs", lambda n: _id_token() + _rep("&access_token=", n)),
    (
        "SD-JWT JSON with many short disclosures",
        lambda n: _sd_json(["WyJhIl0"] * max(1, n // 10)),
    ),
    ("SD-JWT JSON with one long disclosure", lambda n: _sd_json(["a" * n])),
    (
        "token response with a long access_token",
        lambda n: json.dumps({"id_token": _id_token(), "access_token": _rep("a", n), "code": "c"}),
    ),
)
#: (name, builder): the table the linear-time test and the benchmark share.
SHAPES: tuple[tuple[str, Shape], ...] = (
    ISSUE_SHAPES + FOUND_SHAPES + OTHER_SHAPES + FORMAT_SHAPES + PROFILE_SHAPES
)
