"""Decrypting costs time linear in the token's size (issue 14; the standard of issue 10).

Each hostile JWE shape is timed at 50 KB and at 500 KB in the same run, decrypted with its
key, and the ratio must stay near 10 (under test_linear_time's ``MAX_RATIO``; a quadratic
shape gives about 100). No wall-clock limit. Inputs that must be refused outright (a p2c of a
billion, a zip bomb) cost nothing to refuse: test_decryption checks that they are refused
before the work."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from inspector.core import inspect_token
from tests.core.jwetokens import dir_gcm, encrypt, key_text, secret
from tests.core.test_linear_time import BIG, MAX_RATIO, SMALL, forget, growth
from tests.core.tokens import CLEAN_NOW, STRONG_SECRET, hs256

KEY16 = secret(16)
KEY32 = secret(32)


def _run(key: bytes, verify: str | None = None) -> Callable[[str], object]:
    text = key_text(key)

    def run(token: str) -> object:
        forget()
        inspection = inspect_token(
            token, verify, decryption_key=text, now=CLEAN_NOW, check_weak_secrets=False
        )
        assert inspection.decryption is not None
        assert inspection.decryption.status == "decrypted", inspection.decryption.reason
        return inspection

    return run


def _claims(size: int) -> dict:
    """A claims object of about ``size`` bytes of JSON: many short claims."""
    return {f"c{i}": i for i in range(size // 12)}


def _gcm_many_claims(size: int) -> str:
    return dir_gcm({"alg": "dir", "enc": "A128GCM"}, json.dumps(_claims(size)).encode(), KEY16)


def _cbc_long_text(size: int) -> str:
    return encrypt(b"x" * size, "dir", "A128CBC-HS256", key=KEY32)


def _zip_many_claims(size: int) -> str:
    return encrypt(_claims(size), "dir", "A128GCM", key=KEY16, compress=True)


def _kw_nested_jws(size: int) -> str:
    inner = hs256({"alg": "HS256"}, {"blob": "y" * size}, STRONG_SECRET)
    return encrypt(inner, "A128KW", "A128GCM", key=KEY16, header={"cty": "JWT"})


def _long_apu(size: int) -> str:
    """dir with a huge (ignored by dir) header member next to the usual ones."""
    return dir_gcm(
        {"alg": "dir", "enc": "A128GCM", "apu": "A" * size}, json.dumps({"a": 1}).encode(), KEY16
    )


SHAPES: dict[str, tuple[Callable[[int], str], Callable[[str], object]]] = {
    "gcm-many-claims": (_gcm_many_claims, _run(KEY16)),
    "cbc-long-text": (_cbc_long_text, _run(KEY32)),
    "zip-many-claims": (_zip_many_claims, _run(KEY16)),
    "kw-nested-jws": (_kw_nested_jws, _run(KEY16, STRONG_SECRET.decode())),
    "dir-long-header-member": (_long_apu, _run(KEY16)),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_decryption_time_grows_linearly(name: str) -> None:
    build, run = SHAPES[name]
    assert len(build(BIG)) >= 10 * len(build(SMALL)) * 0.8  # the shape really grows 10x
    ratio = growth(build, run)
    assert ratio < MAX_RATIO, f"{name}: 10x the input took {ratio:.0f}x the time"


def test_a_nested_token_is_verified_inside_at_both_sizes() -> None:
    run = _run(KEY16, STRONG_SECRET.decode())
    for size in (SMALL, BIG):
        inspection = run(_kw_nested_jws(size))
        assert inspection.nested.verification.status == "valid"
