"""Shortcuts on the verify path (issue 17 item 2) give what the general path gives.

* ``ecdsa_signature_problem`` remembers its last answer (one ES* token asks about the same
  signature three times); the memo's answer must be the worked-out one, and a whole inspection
  with the memo must equal one without it on valid, tampered, wrong-key, psychic, high-S,
  out-of-range, wrong-length, DER and hostile-header tokens, and on a JWS JSON with several
  signatures.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from inspector.core import algorithms, analysis, inspect_token, verification
from inspector.core.algorithms import ALGORITHMS, _ecdsa_form, ecdsa_signature_problem
from tests.core import keyfactory as kf

NOW = 1_800_000_300.0
CLAIMS = {"iss": "https://issuer.example", "sub": "u1", "iat": 1_800_000_000, "exp": 1_800_000_900}
ORDERS = {
    "ES256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "ES384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seg(value: Any) -> str:
    return b64(json.dumps(value).encode())


def raw_sign(alg: str, key: Any, si: bytes) -> bytes:
    return algorithms.sign(alg, key, si)


def token(alg: str, key: Any, header: dict[str, Any] | None = None, sig=None) -> str:
    h = {"alg": alg, "typ": "JWT", **(header or {})}
    si = f"{seg(h)}.{seg(CLAIMS)}"
    s = raw_sign(alg, key, si.encode()) if sig is None else sig(raw_sign(alg, key, si.encode()))
    return f"{si}.{b64(s)}"


def _high_s(alg: str):
    n = ALGORITHMS[alg].size

    def change(sig: bytes) -> bytes:
        r, s = sig[:n], int.from_bytes(sig[n:], "big")
        if s <= ORDERS[alg] // 2:  # (ECDSA signatures are random: s may be high already)
            s = ORDERS[alg] - s
        return r + s.to_bytes(n, "big")

    return change


def _der(alg: str):
    n = ALGORITHMS[alg].size

    def change(sig: bytes) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

        return encode_dss_signature(int.from_bytes(sig[:n], "big"), int.from_bytes(sig[n:], "big"))

    return change


def _cases() -> list[tuple[str, str, str]]:
    """``(name, token, key text)`` for the ES* shapes an attacker or a bad issuer makes."""
    out = []
    for alg in ("ES256", "ES384", "ES512", "ES256K"):
        priv, other = kf.ec_key(alg), kf.ec_key(alg, 1)
        pub = kf.public_pem(priv)
        n = ALGORITHMS[alg].size
        out += [
            (f"{alg}-valid", token(alg, priv), pub),
            (f"{alg}-wrong-key", token(alg, other), pub),
            (f"{alg}-tampered", token(alg, priv, sig=lambda s: s[:-1] + bytes([s[-1] ^ 1])), pub),
            (f"{alg}-r-zero", token(alg, priv, sig=lambda s, n=n: bytes(n) + s[n:]), pub),
            (f"{alg}-s-zero", token(alg, priv, sig=lambda s, n=n: s[:n] + bytes(n)), pub),
            (f"{alg}-both-zero", token(alg, priv, sig=lambda s, n=n: bytes(2 * n)), pub),
            (f"{alg}-r-max", token(alg, priv, sig=lambda s, n=n: b"\xff" * n + s[n:]), pub),
            (f"{alg}-short", token(alg, priv, sig=lambda s: s[:-1]), pub),
            (f"{alg}-long", token(alg, priv, sig=lambda s: s + b"\0"), pub),
            (f"{alg}-der", token(alg, priv, sig=_der(alg)), pub),
            (f"{alg}-no-key-zero", token(alg, priv, sig=lambda s, n=n: bytes(2 * n)), ""),
            (f"{alg}-no-key-der", token(alg, priv, sig=_der(alg)), ""),
            (
                f"{alg}-hostile-header",
                token(alg, priv, {"jwk": kf.jwk_dict(other), "kid": "x", "crit": ["b64"]}),
                pub,
            ),
            (f"{alg}-jwk-set", token(alg, priv, {"kid": "k1"}), kf.jwk_text(priv, kid="k1")),
        ]
        if alg in ORDERS:
            out.append((f"{alg}-high-s", token(alg, priv, sig=_high_s(alg)), pub))
    # A 64-byte signature under ES384 (size 96): the same bytes asked about under two specs.
    p256 = kf.ec_key("ES256")
    si = f"{seg({'alg': 'ES384'})}.{seg(CLAIMS)}"
    out.append(
        (
            "ES384-with-ES256-bytes",
            f"{si}.{b64(raw_sign('ES256', p256, si.encode()))}",
            kf.public_pem(kf.ec_key("ES384")),
        )
    )
    # A JWS JSON with several signatures: a good one and a psychic one.
    priv = kf.ec_key("ES256")
    pl = seg(CLAIMS)
    good_p, bad_p = seg({"alg": "ES256", "kid": "a"}), seg({"alg": "ES256", "kid": "b"})
    good = raw_sign("ES256", priv, f"{good_p}.{pl}".encode())
    doc = {
        "payload": pl,
        "signatures": [
            {"protected": good_p, "signature": b64(good)},
            {"protected": bad_p, "signature": b64(bytes(64))},
        ],
    }
    out.append(("jws-json-two-signatures", json.dumps(doc), kf.public_pem(priv)))
    doc["signatures"].reverse()
    out.append(("jws-json-two-signatures-reversed", json.dumps(doc), kf.public_pem(priv)))
    return out


CASES = _cases()


def _inspect(text: str, key: str) -> tuple[Any, Any]:
    got = inspect_token(text, key or None, now=NOW, check_weak_secrets=False)
    return got.verification, got.findings


@pytest.mark.parametrize(("name", "text", "key"), CASES, ids=[c[0] for c in CASES])
def test_an_inspection_with_the_form_memo_equals_one_without(
    name: str, text: str, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_memo = _inspect(text, key)
    with_memo_again = _inspect(text, key)
    for module in (algorithms, verification, analysis):
        monkeypatch.setattr(module, "ecdsa_signature_problem", _ecdsa_form)
    general = _inspect(text, key)
    assert with_memo == general
    assert with_memo_again == general
    if name.endswith("-valid") or name == "jws-json-two-signatures":
        assert general[0].status == "valid"
    if "zero" in name or "r-max" in name or "wrong-key" in name or "tampered" in name:
        assert general[0].status != "valid"


def test_the_psychic_and_high_s_cases_say_what_they_should() -> None:
    """The cases above are the shapes they are named after (so the equality means something)."""
    by_name = {name: (text, key) for name, text, key in CASES}
    zero = _inspect(*by_name["ES256-r-zero"])
    assert "psychic-signature" in {f.id for f in zero[1]}
    der = _inspect(*by_name["ES256-no-key-der"])
    assert "der-ecdsa-signature" in {f.id for f in der[1]}
    high_text, _ = by_name["ES256-high-s"]
    sig = base64.urlsafe_b64decode(high_text.split(".")[2] + "==")
    assert int.from_bytes(sig[32:], "big") > ORDERS["ES256"] // 2


SIGS = [
    bytes(64),
    bytes(32) + b"\1" * 32,
    b"\xff" * 64,
    b"\1" * 64,
    b"\1" * 63,
    b"\1" * 96,
    bytes(96),
    b"0D\x02 " + b"\1" * 32 + b"\x02 " + b"\1" * 32,
    b"",
]


@pytest.mark.parametrize("alg", ["ES256", "ES384", "ES512", "ES256K"])
def test_the_memo_answers_as_the_worked_out_form_whatever_was_asked_before(alg: str) -> None:
    spec = ALGORITHMS[alg]
    others = [ALGORITHMS[a] for a in ("ES256", "ES384", "ES512", "ES256K")]
    for sig in SIGS:
        for before in others:
            ecdsa_signature_problem(before, sig)  # the memo now holds this object for `before`
            assert ecdsa_signature_problem(spec, sig) == _ecdsa_form(spec, sig)
            assert ecdsa_signature_problem(spec, sig) == _ecdsa_form(spec, sig)


def test_a_mutable_signature_is_never_answered_from_the_memo() -> None:
    spec = ALGORITHMS["ES256"]
    sig = bytearray(64)
    assert ecdsa_signature_problem(spec, sig) == "zero"  # type: ignore[arg-type]
    sig[:] = b"\1" * 64
    assert ecdsa_signature_problem(spec, sig) is None  # type: ignore[arg-type]
    sig[:] = b"\1" * 63
    assert ecdsa_signature_problem(spec, sig) == "size"  # type: ignore[arg-type]
