"""Differential property test: our verdict agrees with jwcrypto's, for tokens signed by jwcrypto
or PyJWT with keys of every algorithm, given to us in every key format, optionally tampered."""

from __future__ import annotations

import base64
import json
import warnings
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jw_jwk
from jwcrypto import jws as jw_jws
from jwcrypto.common import base64url_encode

from inspector.core.algorithms import ALGORITHMS
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_token
from tests.core import keyfactory as kf

ALGS = sorted(ALGORITHMS)
#: Algorithms PyJWT can sign (it has no fully-specified Ed25519/Ed448 names).
PYJWT_ALGS = frozenset(ALGS) - {"Ed25519", "Ed448"}
SECRETS = [b"k" * 64, bytes(range(64)), "ü-secret-€".encode() * 8]
TAMPERS = ["none", "payload", "signature", "truncate", "alg", "other-key"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _private(alg: str, n: int, curve_choice: int) -> Any:
    if alg == "EdDSA":
        return kf.okp_key("Ed448" if curve_choice % 2 else "Ed25519", n)
    return kf.private_key_for(alg, n)


def _jwcrypto_key(key: Any) -> jw_jwk.JWK:
    if isinstance(key, bytes):
        return jw_jwk.JWK(kty="oct", k=base64url_encode(key))
    return jw_jwk.JWK.from_pyca(key)


def _sign(signer: str, alg: str, key: Any, claims: dict[str, Any], header: dict[str, Any]) -> str:
    if signer == "pyjwt" and alg in PYJWT_ALGS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return jwt.encode(claims, key, algorithm=alg, headers=header)
    obj = jw_jws.JWS(json.dumps(claims).encode())
    obj.add_signature(_jwcrypto_key(key), alg=alg, protected=json.dumps({"alg": alg, **header}))
    return obj.serialize(compact=True)


def _oracle(token: str, key: Any, alg: str) -> bool:
    try:
        obj = jw_jws.JWS()
        obj.allowed_algs = [alg]
        obj.deserialize(token)
        obj.verify(_jwcrypto_key(key.public_key() if hasattr(key, "public_key") else key))
    except Exception:  # noqa: BLE001 - any failure is a rejection
        return False
    return True


def _key_text(form: str, key: Any, kid: str | None) -> tuple[str, str]:
    """``(key text, secret encoding)`` for the verifier."""
    extra = {"kid": kid} if kid is not None else {}
    if isinstance(key, bytes):
        if form == "jwk":
            return json.dumps({"kty": "oct", "k": _b64(key), **extra}), "utf-8"
        if form == "jwks":
            decoy = {"kty": "oct", "k": _b64(b"x" * 64), "kid": "decoy"}
            return json.dumps({"keys": [decoy, {"kty": "oct", "k": _b64(key), **extra}]}), "utf-8"
        enc = {"pem": "hex", "private-pem": "base64", "certificate": "base64url"}.get(form, "utf-8")
        text = {
            "hex": key.hex(),
            "base64": base64.b64encode(key).decode(),
            "base64url": _b64(key),
        }.get(enc)
        if text is None:
            try:
                text = key.decode()
            except UnicodeDecodeError:
                return key.hex(), "hex"
        return text, enc
    if form == "pem":
        return kf.public_pem(key), "utf-8"
    if form == "private-pem":
        return kf.private_pem(key), "utf-8"
    if form == "certificate":
        return kf.certificate_pem(key), "utf-8"
    if form == "x5c":
        return kf.certificate_x5c(key), "utf-8"
    if form == "jwk":
        return kf.jwk_text(key, **extra), "utf-8"
    if form == "jwk-private":
        return kf.jwk_text(key, private=True, **extra), "utf-8"
    decoy = kf.jwk_dict(kf.okp_key("Ed25519", 7), kid="decoy")
    return json.dumps({"keys": [decoy, kf.jwk_dict(key, **extra)]}), "utf-8"


def _tamper(token: str, how: str, alg: str) -> str:
    head, payload, sig = token.split(".")
    if how == "payload":
        raw = bytearray(base64.urlsafe_b64decode(payload + "=="))
        raw[0] ^= 0x01
        return f"{head}.{_b64(bytes(raw))}.{sig}"
    if how == "signature":
        raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
        raw[len(raw) // 2] ^= 0x80
        return f"{head}.{payload}.{_b64(bytes(raw))}"
    if how == "truncate":
        raw = base64.urlsafe_b64decode(sig + "==")
        return f"{head}.{payload}.{_b64(raw[:-1])}"
    if how == "alg":
        header = json.loads(base64.urlsafe_b64decode(head + "=="))
        family = ALGORITHMS[alg].family
        others = [a for a in ALGS if a != alg and (ALGORITHMS[a].family == family or a == "HS256")]
        header["alg"] = others[len(payload) % len(others)]
        return f"{_b64(json.dumps(header).encode())}.{payload}.{sig}"
    return token


@pytest.fixture(scope="module", autouse=True)
def _key_pool() -> None:
    """Generate the RSA pool once (RSA key generation is the slow part)."""
    kf.rsa_key(2048, 0)
    kf.rsa_key(2048, 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    alg=st.sampled_from(ALGS),
    form=st.sampled_from(
        ["pem", "private-pem", "certificate", "x5c", "jwk", "jwk-private", "jwks"]
    ),
    signer=st.sampled_from(["jwcrypto", "pyjwt"]),
    tamper=st.sampled_from(TAMPERS),
    kid=st.one_of(st.none(), st.text("abc123", min_size=1, max_size=4)),
    curve_choice=st.integers(0, 1),
    secret_index=st.integers(0, len(SECRETS) - 1),
    claims=st.dictionaries(
        st.text(min_size=1, max_size=6),
        st.one_of(st.integers(-(2**40), 2**40), st.text(max_size=20), st.booleans()),
        max_size=4,
    ),
)
def test_verdict_agrees_with_jwcrypto(
    alg: str,
    form: str,
    signer: str,
    tamper: str,
    kid: str | None,
    curve_choice: int,
    secret_index: int,
    claims: dict[str, Any],
) -> None:
    is_hmac = ALGORITHMS[alg].family == "HMAC"
    key: Any = SECRETS[secret_index] if is_hmac else _private(alg, 0, curve_choice)
    if is_hmac and form in ("x5c", "jwk-private"):
        form = "jwk"
    header = {"kid": kid} if kid is not None else {}
    token = _tamper(_sign(signer, alg, key, claims, header), tamper, alg)
    used = key
    if tamper == "other-key":
        used = (
            SECRETS[(secret_index + 1) % len(SECRETS)]
            if is_hmac
            else _private(alg, 1, curve_choice)
        )
    text, encoding = _key_text(form, used, kid)
    v = verify_token(parse_token(token), text, secret_encoding=encoding)
    expected = _oracle(
        token, used, json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["alg"]
    )
    assert (v.status == "valid") == expected, (v.status, v.reason, tamper, form)
    if tamper == "none":
        assert v.status == "valid", v.reason
