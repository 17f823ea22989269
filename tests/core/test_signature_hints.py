"""Issue 12 item 3: say why a signature fails when the token says so.

A signature whose size does not fit the algorithm and key gets ``signature-length`` (naming
both sizes, and "probably cut off" when it is shorter) instead of "the token was changed
after signing"; a shared secret that verifies only when read in another encoding gets that
encoding as a hint, which never turns the verdict valid by itself and is never offered for
public keys. Tokens are signed by PyJWT or by hand, never by the code under test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import warnings
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core.findings import CATALOGUE
from inspector.core.inspection import inspect_token
from inspector.core.model import Verification
from inspector.core.options import SECRET_ENCODINGS
from inspector.core.outcome import Outcome
from inspector.core.parsing import parse_token
from inspector.core.verification import MISMATCH_REASON, verify_token
from tests.core import keyfactory as kf

SECRET = b"q8Zt0v3LrX9mK2pW7yB4nJ6cH1sD5fGa-and-some-more-bytes-for-HS512!!"
#: 2025-06-15T15:06:40Z.
NOW = 1_750_000_000


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pyjwt(alg: str, key: Any, **claims: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jwt.encode(claims or {"sub": "1"}, key, algorithm=alg)


def hs(secret: bytes, alg: str = "HS256") -> str:
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    si = b64(json.dumps({"alg": alg}).encode()) + "." + b64(b'{"sub":"1"}')
    return f"{si}.{b64(hmac.new(secret, si.encode(), digest).digest())}"


def check(token: str, key: str | None, encoding: str = "utf-8") -> Verification:
    return verify_token(parse_token(token), key, secret_encoding=encoding)


def ids(v: Verification) -> list[str]:
    return [f.id for f in v.findings]


def resized(token: str, size: int) -> str:
    """``token`` with its signature cut (or zero-padded) to ``size`` bytes."""
    head, payload, sig = token.split(".")
    raw = base64.urlsafe_b64decode(sig + "==")
    raw = raw[:size] if size <= len(raw) else raw + bytes(size - len(raw))
    return f"{head}.{payload}.{b64(raw)}"


# (alg, private key or secret, the key text to verify with, the size its signatures have)
def _cases() -> list[tuple[str, Any, str, int]]:
    rsa3072 = kf.rsa_key(3072)
    return [
        ("HS256", SECRET, SECRET.decode(), 32),
        ("HS384", SECRET, SECRET.decode(), 48),
        ("HS512", SECRET, SECRET.decode(), 64),
        ("RS256", kf.rsa_key(), kf.public_pem(kf.rsa_key()), 256),
        ("PS384", rsa3072, kf.public_pem(rsa3072), 384),
        ("ES256", kf.ec_key("ES256"), kf.public_pem(kf.ec_key("ES256")), 64),
        ("ES384", kf.ec_key("ES384"), kf.jwk_text(kf.ec_key("ES384")), 96),
        ("ES512", kf.ec_key("ES512"), kf.public_pem(kf.ec_key("ES512")), 132),
        ("EdDSA", kf.okp_key("Ed25519"), kf.public_pem(kf.okp_key("Ed25519")), 64),
        ("EdDSA", kf.okp_key("Ed448"), kf.public_pem(kf.okp_key("Ed448")), 114),
    ]


CASES = _cases()
CASE_IDS = [f"{alg}-{size}" for alg, _, _, size in CASES]


@pytest.mark.parametrize(("alg", "signer", "key", "size"), CASES, ids=CASE_IDS)
def test_a_cut_off_signature_says_so(alg: str, signer: Any, key: str, size: int) -> None:
    token = pyjwt(alg, signer)
    assert check(token, key).status == "valid"  # the whole token verifies
    for short in (size - 1, size - 30, 1):
        v = check(resized(token, short), key)
        assert v.status == "invalid"
        assert v.outcome is Outcome.BAD_SIGNATURE
        assert ids(v).count("signature-length") == 1
        # Not compared, so no "does not match" claim: the size finding explains.
        assert "invalid-signature" not in ids(v)
        (length,) = [f for f in v.findings if f.id == "signature-length"]
        assert f"The signature is {short} bytes" in length.detail
        assert f"{size}-byte signatures" in length.detail
        assert f"{size - short} byte" in length.detail
        assert "the token was probably cut off" in v.reason
        assert "changed after signing" not in v.reason
        assert f"{short} bytes" in v.reason
        assert f"{size}-byte" in v.reason


@pytest.mark.parametrize(("alg", "signer", "key", "size"), CASES, ids=CASE_IDS)
def test_a_signature_too_long_is_not_called_cut_off(
    alg: str, signer: Any, key: str, size: int
) -> None:
    v = check(resized(pyjwt(alg, signer), size + 3), key)
    assert v.status == "invalid"
    assert "signature-length" in ids(v)
    assert "cut off" not in v.reason
    assert "3 bytes too long" in next(f.detail for f in v.findings if f.id == "signature-length")


def test_the_issues_token_cut_40_characters_short() -> None:
    """The report: an RS256 token cut 40 characters short read "the token was changed after
    signing, or this is not the key that signed it"."""
    key = kf.rsa_key()
    token = pyjwt("RS256", key, sub="alice", exp=NOW + 600)
    v = check(token[:-40], kf.public_pem(key))
    assert v.status == "invalid"
    assert MISMATCH_REASON not in v.reason
    assert v.reason == (
        "The signature is 226 bytes, but RS256 with this RSA 2048-bit key makes 256-byte "
        "signatures: the token was probably cut off (copy the whole token again)."
    )


def test_the_rsa_size_follows_the_key_not_the_algorithm() -> None:
    """A 3072-bit key's RS256 signature is 384 bytes: a 256-byte one is short for it."""
    big, small = kf.rsa_key(3072), kf.rsa_key()
    v = check(pyjwt("RS256", small), kf.public_pem(big))
    assert "signature-length" in ids(v)
    assert "RSA 3072-bit key makes 384-byte signatures" in v.reason


def test_a_signature_of_the_right_size_that_does_not_match_is_still_a_mismatch() -> None:
    token = pyjwt("RS256", kf.rsa_key())
    v = check(token, kf.public_pem(kf.rsa_key(2048, 1)))
    assert v.status == "invalid"
    assert "signature-length" not in ids(v)
    assert "invalid-signature" in ids(v)
    assert v.reason.startswith(MISMATCH_REASON)


def test_a_jwk_set_whose_keys_all_make_another_size() -> None:
    key = kf.rsa_key()
    jwks = json.dumps({"keys": [kf.jwk_dict(key), kf.jwk_dict(kf.rsa_key(2048, 1))]})
    v = check(pyjwt("RS256", key)[:-40], jwks)
    assert v.status == "invalid"
    assert "signature-length" in ids(v)
    assert "the 2 keys of the JWK Set that fit it" in v.reason
    assert "probably cut off" in v.reason


@pytest.mark.parametrize(("alg", "size"), [("HS256", 32), ("ES256", 64), ("Ed25519", 64)])
def test_the_size_shows_without_a_key_when_the_algorithm_fixes_it(alg: str, size: int) -> None:
    head = b64(json.dumps({"alg": alg}).encode())
    token = f"{head}.{b64(b'{}')}.{b64(bytes(size - 5))}"
    found = [f for f in inspect_token(token, now=NOW).findings if f.id == "signature-length"]
    assert len(found) == 1
    assert "5 bytes short: the token was probably cut off" in found[0].detail
    # RSA's size needs the key: without one, nothing is claimed.
    rs = f"{b64(json.dumps({'alg': 'RS256'}).encode())}.{b64(b'{}')}.{b64(bytes(200))}"
    assert "signature-length" not in [f.id for f in inspect_token(rs, now=NOW).findings]


def test_the_catalogue_explains_both_new_findings() -> None:
    assert CATALOGUE["signature-length"].severity == "high"
    assert "cut off" in CATALOGUE["signature-length"].explanation
    assert CATALOGUE["secret-encoding"].severity == "medium"


# ------------------------------------------------------------------ the encoding hint

#: Bytes whose base64 has '+' and '/' (so only base64, not base64url, reads it), and
#: bytes whose base64url has '-' and '_'.
PLUS_SLASH = bytes([0xFB, 0xEF, 0xFF]) * 11
DASH_UNDERSCORE = bytes([0xFB, 0xEF, 0xFF, 0x01]) * 9


@pytest.mark.parametrize(
    ("written", "encoding"),
    [
        (b64(SECRET), "base64url"),
        (base64.urlsafe_b64encode(DASH_UNDERSCORE).decode(), "base64url"),
        (base64.b64encode(PLUS_SLASH).decode(), "base64"),
        (SECRET.hex(), "hex"),
    ],
)
def test_a_secret_read_as_text_that_is_encoded_gets_the_encoding_named(
    written: str, encoding: str
) -> None:
    decode = {
        "base64url": lambda t: base64.urlsafe_b64decode(t + "=" * (-len(t) % 4)),
        "base64": base64.b64decode,
        "hex": bytes.fromhex,
    }[encoding]
    raw = decode(written)
    token = hs(raw)
    v = check(token, written)
    # The hint never verifies anything: the verdict stays invalid until the user switches.
    assert v.status == "invalid"
    assert v.outcome is Outcome.BAD_SIGNATURE
    assert v.secret_encoding_hint == encoding
    assert "secret-encoding" in ids(v)
    assert "invalid-signature" not in ids(v)  # the token was not changed: the key was misread
    assert f"read as {encoding} it matches" in v.reason
    assert "read as UTF-8 text" in v.reason
    assert v.hmac_secret == written.encode()  # the secret as read, not the hinted one
    # Switching is the user's act; then it verifies, with no hint left.
    switched = check(token, written, encoding)
    assert switched.status == "valid"
    assert switched.secret_encoding_hint is None


def test_a_text_secret_read_as_hex_gets_utf8_named() -> None:
    """The other way round: the secret is the text "deadbeef..." but hex was chosen."""
    text = "deadbeef" * 5
    v = check(hs(text.encode()), text, "hex")
    assert v.status == "invalid"
    assert v.secret_encoding_hint == "utf-8"
    assert "switch the secret encoding to utf-8" in v.reason


def test_no_hint_for_a_secret_that_fits_no_encoding() -> None:
    v = check(hs(SECRET), b64(SECRET + b"x"))
    assert v.status == "invalid"
    assert v.secret_encoding_hint is None
    assert "secret-encoding" not in ids(v)
    assert v.reason.startswith(MISMATCH_REASON)


def test_no_hint_when_the_chosen_encoding_verifies() -> None:
    v = check(hs(SECRET), SECRET.decode())
    assert v.status == "valid"
    assert v.secret_encoding_hint is None


def _public_forms() -> list[str]:
    rsa, ec = kf.rsa_key(), kf.ec_key("ES256")
    return [
        kf.public_pem(rsa),
        kf.jwk_text(rsa),
        kf.public_pem(ec),
        kf.certificate_pem(ec),
        json.dumps({"keys": [kf.jwk_dict(rsa)]}),
    ]


@pytest.mark.parametrize("key", _public_forms(), ids=["pem", "jwk", "ec-pem", "cert", "jwks"])
@pytest.mark.parametrize("encoding", SECRET_ENCODINGS)
def test_attack_no_hint_for_public_keys(key: str, encoding: str) -> None:
    """An HS256 token HMAC-ed with every decoding of the public key's text: no encoding hint
    (a public key is never an HMAC secret), and never valid."""
    body = "".join(key.split())
    candidates = [key.encode(), body.encode()]
    for decode in (base64.b64decode, base64.urlsafe_b64decode, bytes.fromhex):
        try:
            candidates.append(decode(body + "==" if decode is not bytes.fromhex else body))
        except ValueError:
            pass
    for secret in candidates:
        v = check(hs(secret), key, encoding)
        assert v.status != "valid"
        assert v.secret_encoding_hint is None
        assert "secret-encoding" not in ids(v)


def test_attack_no_hint_for_an_oct_jwk() -> None:
    """A JWK's 'k' is base64url by definition: no other reading is offered."""
    jwk = json.dumps({"kty": "oct", "k": b64(SECRET)})
    v = check(hs(b64(SECRET).encode()), jwk)  # signed with the text of 'k'
    assert v.status == "invalid"
    assert v.secret_encoding_hint is None


def test_attack_the_facade_never_says_valid_from_a_hint() -> None:
    ins = inspect_token(hs(SECRET), b64(SECRET), now=NOW)
    assert ins.verification.status == "invalid"
    assert ins.to_dict()["verification"]["secret_encoding_hint"] == "base64url"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    secret=st.binary(min_size=1, max_size=48),
    written_in=st.sampled_from(["base64", "base64url", "hex"]),
    read_as=st.sampled_from(SECRET_ENCODINGS),
)
def test_attack_a_hint_is_only_ever_an_encoding_that_verifies(
    secret: bytes, written_in: str, read_as: str
) -> None:
    written = {
        "base64": base64.b64encode(secret).decode(),
        "base64url": b64(secret),
        "hex": secret.hex(),
    }[written_in]
    token = hs(secret)
    v = check(token, written, read_as)
    if v.status == "valid":
        assert v.secret_encoding_hint is None
        return
    hint = v.secret_encoding_hint
    if hint is not None:
        assert v.status == "invalid"
        assert hint != read_as
        assert check(token, written, hint).status == "valid"


def test_the_hint_needs_a_bad_signature_outcome() -> None:
    with pytest.raises(ValueError, match="secret_encoding_hint"):
        Verification(status="valid", outcome=Outcome.VERIFIED, secret_encoding_hint="hex")
    with pytest.raises(ValueError, match="secret_encoding_hint"):
        Verification(status="invalid", outcome=Outcome.BAD_SIGNATURE, secret_encoding_hint="x")
