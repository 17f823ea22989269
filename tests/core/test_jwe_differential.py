"""Differential JWE tests (issue 14 item 5): tokens encrypted by jwcrypto and by joserfc (both
in the project's [test] extra) for every alg/enc pair they make decrypt here, and tokens
encrypted here decrypt there. Where a library does not implement an algorithm that pair is
skipped with the reason, never passed silently."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inspector.core import inspect_token
from inspector.core.encryption import encrypt_with_key
from tests.core.jwetokens import ALGS, CLAIMS, ENCS, PASSWORD, key_for, key_text, pem_private

PLAINTEXT = json.dumps(CLAIMS).encode()
#: Algorithms jwcrypto 1.x does not implement (RSA-OAEP-384/-512 are not in its registry).
JWCRYPTO_MISSING = frozenset({"RSA-OAEP-384", "RSA-OAEP-512"})


def _curves(alg: str) -> list[str]:
    return ["P-256", "P-521", "X25519", "X448"] if alg.startswith("ECDH") else ["P-256"]


PAIRS = [(a, e, c) for a in ALGS for e in ENCS for c in _curves(a)]


def _jwcrypto_key(alg: str, key: Any) -> Any:
    from jwcrypto import jwk

    if isinstance(key, bytes):
        if key == PASSWORD.encode():
            return jwk.JWK.from_password(PASSWORD)
        return jwk.JWK(**json.loads(key_text(key)))
    return jwk.JWK.from_pem(pem_private(key).encode())


def _joserfc_key(alg: str, key: Any) -> Any:
    from joserfc.jwk import import_key

    if isinstance(key, bytes):
        if key == PASSWORD.encode():
            return import_key(PASSWORD.encode(), "oct")
        return import_key(json.loads(key_text(key)))
    return import_key(pem_private(key))


def _ours(token: str, key: Any) -> Any:
    return inspect_token(token, decryption_key=key_text(key), now=0).decryption


@pytest.mark.parametrize(("alg", "enc", "crv"), PAIRS)
def test_jwcrypto_both_ways(alg: str, enc: str, crv: str) -> None:
    if alg in JWCRYPTO_MISSING:
        pytest.skip(f"jwcrypto does not implement {alg}")
    if crv == "X448":
        pytest.skip("jwcrypto does not read X448 keys (JWK.from_pem: unknown key object)")
    from jwcrypto import jwe

    key = key_for(alg, enc, crv=crv)
    theirs = _jwcrypto_key(alg, key)
    made = jwe.JWE(
        PLAINTEXT,
        protected=json.dumps({"alg": alg, "enc": enc}),
        algs=[alg, enc],
    )
    made.add_recipient(theirs)
    decryption = _ours(made.serialize(compact=True), key)
    assert decryption.status == "decrypted", decryption.reason
    assert decryption.plaintext == PLAINTEXT
    ours = encrypt_with_key(PLAINTEXT, key, alg=alg, enc=enc)
    back = jwe.JWE(algs=[alg, enc])
    back.deserialize(ours, theirs)
    assert back.payload == PLAINTEXT


@pytest.mark.parametrize(("alg", "enc", "crv"), PAIRS)
def test_joserfc_both_ways(alg: str, enc: str, crv: str) -> None:
    from joserfc import jwe
    from joserfc.errors import JoseError

    key = key_for(alg, enc, crv=crv)
    theirs = _joserfc_key(alg, key)
    registry = jwe.JWERegistry(algorithms=[alg, enc])
    try:
        token = jwe.encrypt_compact({"alg": alg, "enc": enc}, PLAINTEXT, theirs, registry=registry)
    except (JoseError, ValueError) as err:
        pytest.skip(f"joserfc does not encrypt {alg} with this key ({type(err).__name__})")
    decryption = _ours(token, key)
    assert decryption.status == "decrypted", decryption.reason
    assert decryption.plaintext == PLAINTEXT
    ours = encrypt_with_key(PLAINTEXT, key, alg=alg, enc=enc)
    assert jwe.decrypt_compact(ours, theirs, registry=registry).plaintext == PLAINTEXT


def test_a_token_jwcrypto_refuses_we_refuse_too() -> None:
    """A flipped tag: jwcrypto raises, and the inspector says failed (the same verdict)."""
    from jwcrypto import jwe
    from jwcrypto.common import JWException

    key = key_for("A128KW", "A128GCM")
    token = encrypt_with_key(PLAINTEXT, key, alg="A128KW", enc="A128GCM")
    head, ek, iv, ct, tag = token.split(".")
    bad = ".".join([head, ek, iv, ct, ("B" if tag[0] == "A" else "A") + tag[1:]])
    with pytest.raises(JWException):
        jwe.JWE().deserialize(bad, _jwcrypto_key("A128KW", key))
    assert _ours(bad, key).status == "failed"
