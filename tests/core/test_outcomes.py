"""``Verification.outcome``: every outcome is reached through ``inspect_token`` with a real token
and key, each with the status it must come with; status and outcome cannot disagree."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from inspector.core import inspect_token
from inspector.core.algorithms import sign
from inspector.core.model import Verification
from inspector.core.outcome import OUTCOME_STATUSES, Outcome
from tests.core import keyfactory as kf
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, b64, hs256
from tests.core.tokens import segment as seg

SECRET = STRONG_SECRET.decode()
OTHER_SECRET = b"another secret of 32 bytes, yes!"
EC = kf.ec_key("ES256")
RSA = kf.rsa_key()
RSA_PEM = kf.public_pem(RSA)
TOKEN = hs256(CLEAN_HEADER, CLEAN_CLAIMS)
#: An Ed25519 point of small order (y = 1, the identity): it "verifies" any signature.
SMALL_ORDER_JWK = json.dumps({"kty": "OKP", "crv": "Ed25519", "x": b64(bytes([1]) + bytes(31))})


def _es256(header: dict, signature: bytes | None = None) -> str:
    signing_input = f"{seg(header)}.{seg(CLEAN_CLAIMS)}"
    sig = signature if signature is not None else sign("ES256", EC, signing_input.encode())
    return f"{signing_input}.{b64(sig)}"


def _jwks(*keys: dict) -> str:
    return json.dumps({"keys": list(keys)})


def _jwe() -> str:
    parts = [seg({"alg": "RSA-OAEP", "enc": "A256GCM"})]
    parts += [b64(b"k" * 32), b64(b"i" * 12), b64(b"c" * 20), b64(b"t" * 16)]
    return ".".join(parts)


#: (name, token, key, expected outcome, expected status). Built lazily: some need keys.
CASES: list[tuple[str, Callable[[], str], Callable[[], str | None], Outcome, str]] = [
    ("hs256 with its secret", lambda: TOKEN, lambda: SECRET, Outcome.VERIFIED, "valid"),
    (
        "es256 with its PEM",
        lambda: _es256({"alg": "ES256"}),
        lambda: kf.public_pem(EC),
        Outcome.VERIFIED,
        "valid",
    ),
    (
        "another secret",
        lambda: hs256(CLEAN_HEADER, CLEAN_CLAIMS, OTHER_SECRET),
        lambda: SECRET,
        Outcome.BAD_SIGNATURE,
        "invalid",
    ),
    (
        "payload changed after signing",
        lambda: (
            f"{seg(CLEAN_HEADER)}.{seg({**CLEAN_CLAIMS, 'sub': 'admin'})}.{TOKEN.rsplit('.', 1)[1]}"
        ),
        lambda: SECRET,
        Outcome.BAD_SIGNATURE,
        "invalid",
    ),
    (
        "psychic ES256 signature",
        lambda: _es256({"alg": "ES256"}, bytes(64)),
        lambda: kf.public_pem(EC),
        Outcome.BAD_SIGNATURE,
        "invalid",
    ),
    (
        "unknown crit extension, signature matches",
        lambda: hs256({"alg": "HS256", "crit": ["exp-ext"], "exp-ext": 1}, CLEAN_CLAIMS),
        lambda: SECRET,
        Outcome.NOT_AS_PASTED,
        "invalid",
    ),
    (
        "padded signature segment",
        lambda: TOKEN + "=",
        lambda: SECRET,
        Outcome.NOT_AS_PASTED,
        "invalid",
    ),
    (
        "EC public key for HS256",
        lambda: TOKEN,
        lambda: kf.public_pem(EC),
        Outcome.KEY_MISFIT,
        "invalid",
    ),
    (
        "shared secret for ES256",
        lambda: _es256({"alg": "ES256"}),
        lambda: SECRET,
        Outcome.KEY_MISFIT,
        "invalid",
    ),
    (
        "JWK Set without the token's kid",
        lambda: hs256({"alg": "HS256", "kid": "zz"}, CLEAN_CLAIMS),
        lambda: _jwks({"kty": "oct", "k": b64(STRONG_SECRET), "kid": "s"}),
        Outcome.KEY_MISFIT,
        "invalid",
    ),
    (
        "JWK with use enc",
        lambda: _es256({"alg": "ES256"}),
        lambda: json.dumps(kf.jwk_dict(EC, use="enc")),
        Outcome.KEY_MISFIT,
        "invalid",
    ),
    (
        "empty JWK secret",
        lambda: TOKEN,
        lambda: json.dumps({"kty": "oct", "k": ""}),
        Outcome.KEY_REFUSED,
        "invalid",
    ),
    (
        "small-order Ed25519 key",
        lambda: f"{seg({'alg': 'EdDSA'})}.{seg(CLEAN_CLAIMS)}.{b64(bytes(64))}",
        lambda: SMALL_ORDER_JWK,
        Outcome.KEY_REFUSED,
        "invalid",
    ),
    (
        "JWK Set mixing secrets and public keys",
        lambda: hs256({"alg": "HS256", "kid": "s"}, CLEAN_CLAIMS),
        lambda: _jwks(
            {"kty": "oct", "k": b64(STRONG_SECRET), "kid": "s"}, kf.jwk_dict(EC, kid="e")
        ),
        Outcome.KEY_REFUSED,
        "invalid",
    ),
    (
        "two keys share the kid",
        lambda: _es256({"alg": "ES256", "kid": "k"}),
        lambda: _jwks(kf.jwk_dict(kf.ec_key("ES256", 1), kid="k"), kf.jwk_dict(EC, kid="k")),
        Outcome.KEY_REFUSED,
        "invalid",
    ),
    (
        "HS256 made with the RSA PEM text",
        lambda: hs256(CLEAN_HEADER, CLEAN_CLAIMS, RSA_PEM.encode()),
        lambda: RSA_PEM,
        Outcome.FORGED_WITH_PUBLIC_KEY,
        "invalid",
    ),
    (
        "alg none with a key",
        lambda: f"{seg({'alg': 'none'})}.{seg(CLEAN_CLAIMS)}.",
        lambda: SECRET,
        Outcome.UNSECURED,
        "invalid",
    ),
    (
        "alg none without a key",
        lambda: f"{seg({'alg': 'none'})}.{seg(CLEAN_CLAIMS)}.",
        lambda: None,
        Outcome.UNSECURED,
        "invalid",
    ),
    (
        "alg HS999",
        lambda: hs256({"alg": "HS999"}, CLEAN_CLAIMS),
        lambda: SECRET,
        Outcome.UNSUPPORTED,
        "invalid",
    ),
    ("two segments with a key", lambda: "abc.def", lambda: SECRET, Outcome.MALFORMED, "invalid"),
    ("two segments without a key", lambda: "abc.def", lambda: None, Outcome.MALFORMED, "unchecked"),
    (
        "header not JSON",
        lambda: f"{b64(b'not json')}.{seg(CLEAN_CLAIMS)}.{b64(b'x' * 32)}",
        lambda: SECRET,
        Outcome.MALFORMED,
        "invalid",
    ),
    (
        "empty signature",
        lambda: TOKEN.rsplit(".", 1)[0] + ".",
        lambda: SECRET,
        Outcome.MALFORMED,
        "invalid",
    ),
    (
        "PEM that is not base64",
        lambda: _es256({"alg": "ES256"}),
        lambda: "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----",
        Outcome.KEY_UNREADABLE,
        "error",
    ),
    (
        "JWK Set key the kid names is broken",
        lambda: _es256({"alg": "ES256", "kid": "k"}),
        lambda: _jwks({"kty": "EC", "crv": "P-256", "kid": "k", "x": "!!", "y": "!!"}),
        Outcome.KEY_UNREADABLE,
        "error",
    ),
    ("no key", lambda: TOKEN, lambda: None, Outcome.NO_KEY, "unchecked"),
    ("only spaces as key", lambda: TOKEN, lambda: "  \n", Outcome.NO_KEY, "unchecked"),
    ("empty input", lambda: "", lambda: None, Outcome.NO_TOKEN, "unchecked"),
    ("prose with a key", lambda: "hello there", lambda: SECRET, Outcome.NO_TOKEN, "unchecked"),
    ("JWE with a key", _jwe, lambda: SECRET, Outcome.ENCRYPTED, "unchecked"),
    ("JWE without a key", _jwe, lambda: None, Outcome.ENCRYPTED, "unchecked"),
]


@pytest.mark.parametrize(
    ("token", "key", "outcome", "status"),
    [pytest.param(t, k, o, s, id=name) for name, t, k, o, s in CASES],
)
def test_each_outcome_through_inspect_token(
    token: Callable[[], str], key: Callable[[], str | None], outcome: Outcome, status: str
) -> None:
    v = inspect_token(token(), key(), now=CLEAN_NOW).verification
    assert (v.outcome, v.status) == (outcome, status), v.reason
    assert v.to_dict()["outcome"] == outcome.value
    assert v.to_dict()["status"] == status


def test_every_outcome_is_reached_by_the_table() -> None:
    assert {case[3] for case in CASES} == set(Outcome)
    for _name, _token, _key, outcome, status in CASES:
        assert status in OUTCOME_STATUSES[outcome]


def test_the_facade_names_it() -> None:
    import inspector.core

    assert inspector.core.Outcome is Outcome
    assert "Outcome" in inspector.core.__all__


def test_only_a_verified_outcome_is_valid() -> None:
    assert [o for o, statuses in OUTCOME_STATUSES.items() if "valid" in statuses] == [
        Outcome.VERIFIED
    ]


@pytest.mark.parametrize("outcome", list(Outcome))
def test_status_and_outcome_cannot_disagree(outcome: Outcome) -> None:
    for status in ("valid", "invalid", "unchecked", "error"):
        if status in OUTCOME_STATUSES[outcome]:
            assert Verification(status=status, outcome=outcome).outcome is outcome  # type: ignore[arg-type]
        else:
            with pytest.raises(ValueError, match="contradicts"):
                Verification(status=status, outcome=outcome)  # type: ignore[arg-type]


def test_outcome_must_be_the_enum_not_its_value() -> None:
    with pytest.raises(TypeError):
        Verification(status="valid", outcome="verified")  # type: ignore[arg-type]


def test_outcome_values_are_stable_names() -> None:
    """The JSON output carries these; renaming one breaks its readers."""
    assert {o.value for o in Outcome} == {
        "verified", "bad-signature", "not-as-pasted", "key-misfit", "key-refused",
        "forged-with-public-key", "unsecured", "unsupported", "malformed", "key-unreadable",
        "no-key", "no-token", "encrypted",
    }  # fmt: skip
