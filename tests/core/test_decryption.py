"""JWE decryption (issue 14 items 1-3): the contract, every algorithm, and failures that are
explained without being an oracle. Tokens are made by the core's encrypter or by hand; the
vectors and the other libraries check the same paths independently (test_jwe_conformance)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.core import inspect_token
from inspector.core.jwa_encryption import (
    MAX_INFLATED_BYTES,
    MAX_PBES2_COUNT,
    AuthenticationError,
)
from tests.core.jwetokens import (
    ALGS,
    CLAIMS,
    ENCS,
    PASSWORD,
    dir_gcm,
    ec_private,
    encrypt,
    flip,
    key_for,
    key_text,
    pem_private,
    secret,
    signed_inner,
    zip_bomb,
)
from tests.core.keyfactory import public_pem, rsa_key
from tests.core.rfc7516_examples import RFC7516_APPENDIX_A
from tests.core.tokens import STRONG_SECRET, b64, hs256

NOW = 1_800_000_000
FAILED_REASON = AuthenticationError.MESSAGE + "."


def inspect(token: str, decryption_key: str | None = None, key: str | None = None) -> Any:
    return inspect_token(token, key, decryption_key=decryption_key, now=NOW)


def ids(inspection: Any) -> set[str]:
    return {f.id for f in inspection.findings}


def _pairs() -> list[tuple[str, str, str]]:
    out = []
    for alg in ALGS:
        for enc in ENCS:
            crvs = ["P-256", "P-384", "P-521", "X25519", "X448"] if alg.startswith("ECDH") else [""]
            out.extend((alg, enc, c) for c in crvs)
    return out


# ------------------------------------------------------------------ the contract (item 1)


def test_a_jws_has_no_decryption_and_its_dict_says_null() -> None:
    d = inspect(hs256({"alg": "HS256"}, CLAIMS)).to_dict()
    assert d["decryption"] is None
    assert d["nested"] is None


def test_without_a_key_a_jwe_is_unchecked_and_shows_no_payload() -> None:
    token = encrypt(CLAIMS, "A128KW", "A128GCM")
    d = inspect(token).to_dict()
    assert d["decryption"] == {
        "status": "unchecked",
        "algorithm": "A128KW",
        "encryption": "A128GCM",
        "key": None,
        "reason": "No key given: enter the recipient's key to decrypt the token.",
    }
    assert d["payload"] is None
    assert d["nested"] is None


def test_a_decrypted_jwe_shows_its_payload_and_the_key_used() -> None:
    token = encrypt(CLAIMS, "RSA-OAEP-256", "A256GCM")
    d = inspect(token, pem_private(rsa_key(2048, 0))).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert d["decryption"]["algorithm"] == "RSA-OAEP-256"
    assert d["decryption"]["encryption"] == "A256GCM"
    assert d["decryption"]["key"].startswith("RSA 2048-bit")
    assert d["payload"] == CLAIMS
    assert d["format"] == "jwe"
    assert d["verification"]["outcome"] == "encrypted"


def test_plaintext_that_is_not_json_is_text() -> None:
    token = encrypt(b"just some words", "dir", "A128GCM")
    d = inspect(token, key_text(key_for("dir", "A128GCM"))).to_dict()
    assert d["payload"] == "just some words"


def test_key_decrypts_when_no_decryption_key_is_given() -> None:
    token = encrypt(CLAIMS, "A256KW", "A128CBC-HS256")
    d = inspect(token, key=key_text(key_for("A256KW", ""))).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert d["payload"] == CLAIMS


def test_decryption_key_is_preferred_to_key() -> None:
    token = encrypt(CLAIMS, "A256KW", "A128CBC-HS256")
    right, wrong = key_text(key_for("A256KW", "")), key_text(secret(32, n=9))
    assert inspect(token, right, key=wrong).decryption.status == "decrypted"
    assert inspect(token, wrong, key=right).decryption.status == "failed"


def test_offsets_stay_offsets_into_the_original_text() -> None:
    token = encrypt(CLAIMS, "A128KW", "A128GCM")
    text = f"Authorization: Bearer {token}\n"
    d = inspect(text, key_text(key_for("A128KW", ""))).to_dict()
    parts = token.split(".")
    assert [text[s["start"] : s["end"]] for s in d["segments"]] == parts
    assert [s["name"] for s in d["segments"]] == [
        "header",
        "encrypted_key",
        "iv",
        "ciphertext",
        "tag",
    ]


def test_a_nested_jws_is_inspected_and_verified_with_key_only() -> None:
    inner = signed_inner()
    token = encrypt(inner, "RSA-OAEP", "A256GCM", header={"cty": "JWT"})
    dkey = pem_private(rsa_key(2048, 0))
    verified = inspect(token, dkey, key=STRONG_SECRET.decode()).to_dict()
    assert verified["payload"] == inner
    nested = verified["nested"]
    assert nested["format"] == "jws"
    assert nested["payload"] == CLAIMS
    assert nested["verification"]["status"] == "valid"
    assert nested["decryption"] is None
    # The decryption key is not a verification key: without `key` the inner one is unchecked.
    unchecked = inspect(token, dkey).to_dict()["nested"]
    assert unchecked["verification"]["status"] == "unchecked"
    assert (
        inspect(token, dkey, key="another secret that is long enough!").to_dict()["nested"][
            "verification"
        ]["status"]
        == "invalid"
    )


def test_a_nested_jws_with_its_own_jwk_is_not_trusted() -> None:
    """The inner token brings its own key in the header: it is never used."""
    from cryptography.hazmat.primitives.asymmetric import ec as ec_mod

    from inspector.core.signing import sign_token

    attacker = ec_mod.generate_private_key(ec_mod.SECP256R1())
    nums = attacker.public_key().public_numbers()
    jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64(nums.x.to_bytes(32, "big")),
        "y": b64(nums.y.to_bytes(32, "big")),
    }
    signed = sign_token(
        json.dumps({"alg": "ES256", "jwk": jwk}), json.dumps(CLAIMS), pem_private(attacker)
    )
    inner = signed.token
    assert inner is not None
    token = encrypt(inner, "A128KW", "A128GCM", header={"cty": "JWT"})
    d = inspect(token, key_text(key_for("A128KW", ""))).to_dict()
    assert d["nested"]["verification"]["status"] != "valid"
    assert "embedded-jwk" in {f["id"] for f in d["nested"]["findings"]}


def test_a_jws_whose_payload_is_a_jwt_fills_nested() -> None:
    inner = signed_inner()
    outer = hs256({"alg": "HS256", "cty": "JWT"}, inner.encode(), STRONG_SECRET)
    d = inspect(outer, key=STRONG_SECRET.decode()).to_dict()
    assert d["verification"]["status"] == "valid"
    assert d["nested"]["payload"] == CLAIMS
    assert d["nested"]["verification"]["status"] == "valid"


def test_nesting_stops_at_its_limit() -> None:
    from inspector.core.inspection import MAX_NESTING

    token = signed_inner()
    for _ in range(MAX_NESTING + 2):
        token = hs256({"alg": "HS256", "cty": "JWT"}, token.encode(), STRONG_SECRET)
    d = inspect(token).to_dict()
    depth = 0
    while d["nested"] is not None:
        d, depth = d["nested"], depth + 1
    assert depth == MAX_NESTING


def test_the_decrypted_claims_are_analysed() -> None:
    token = encrypt({**CLAIMS, "exp": NOW - 60}, "A128KW", "A128GCM")
    found = ids(inspect(token, key_text(key_for("A128KW", ""))))
    assert "expired" in found


# ------------------------------------------------------------------ every algorithm (item 2)


@pytest.mark.parametrize(("alg", "enc", "crv"), _pairs())
def test_every_alg_and_enc_round_trips(alg: str, enc: str, crv: str) -> None:
    key = key_for(alg, enc, crv=crv or "P-256")
    token = encrypt(CLAIMS, alg, enc, key=key)
    d = inspect(token, key_text(key)).to_dict()
    assert d["decryption"]["status"] == "decrypted", d["decryption"]
    assert d["payload"] == CLAIMS
    # and a different key of the same kind does not decrypt it
    other = key_for(alg, enc, crv=crv or "P-256", n=1)
    if other != key:
        bad = inspect(token, key_text(other)).to_dict()
        assert bad["decryption"]["status"] == "failed"
        assert bad["payload"] is None


@pytest.mark.parametrize("form", ["pem", "jwk", "jwks"])
def test_private_keys_in_every_form(form: str) -> None:
    key = rsa_key(2048, 0)
    token = encrypt(CLAIMS, "RSA-OAEP-256", "A128GCM", key=key, header={"kid": "enc-1"})
    text = {
        "pem": pem_private(key),
        "jwk": key_text(key, kid="enc-1"),
        "jwks": json.dumps(
            {
                "keys": [
                    json.loads(key_text(rsa_key(2048, 1), kid="sig-1", use="sig")),
                    json.loads(key_text(key, kid="enc-1", use="enc")),
                ]
            }
        ),
    }[form]
    assert inspect(token, text).decryption.status == "decrypted"


def test_a_jwks_picks_the_kid_and_use_enc() -> None:
    key = secret(16)
    members = [
        {"kty": "oct", "k": b64(secret(16, 1)), "kid": "a", "use": "enc"},
        {"kty": "oct", "k": b64(key), "kid": "b", "use": "enc"},
    ]
    token = encrypt(CLAIMS, "A128KW", "A128GCM", key=key, header={"kid": "b"})
    d = inspect(token, json.dumps({"keys": members})).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert "'b'" in d["decryption"]["key"]
    # The right key, but declared for signatures: not used.
    members[1]["use"] = "sig"
    d = inspect(token, json.dumps({"keys": members})).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert "jwe-key-misfit" in {f["id"] for f in d["findings"]}
    # A kid no key has.
    token = encrypt(CLAIMS, "A128KW", "A128GCM", key=key, header={"kid": "zzz"})
    d = inspect(token, json.dumps({"keys": members})).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert "zzz" in d["decryption"]["reason"]


def test_x25519_keys_as_pem_and_jwk() -> None:
    key = ec_private("X25519")
    token = encrypt(CLAIMS, "ECDH-ES", "A256GCM", key=key)
    assert inspect(token, pem_private(key)).decryption.status == "decrypted"
    assert inspect(token, key_text(key, kid="x")).decryption.status == "decrypted"


def test_a_public_key_cannot_decrypt() -> None:
    token = encrypt(CLAIMS, "RSA-OAEP", "A128GCM")
    d = inspect(token, public_pem(rsa_key(2048, 0))).to_dict()
    assert d["decryption"]["status"] == "error"
    assert "private key" in d["decryption"]["reason"]
    assert d["payload"] is None


def test_an_unreadable_key_is_an_error() -> None:
    token = encrypt(CLAIMS, "RSA-OAEP", "A128GCM")
    d = inspect(token, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----").to_dict()
    assert d["decryption"]["status"] == "error"
    assert "key-error" in {f["id"] for f in d["findings"]}


def test_pbes2_takes_a_password() -> None:
    token = encrypt(CLAIMS, "PBES2-HS256+A128KW", "A128CBC-HS256", header={"p2c": 1000})
    assert inspect(token, PASSWORD).decryption.status == "decrypted"
    assert inspect(token, PASSWORD + "!").decryption.status == "failed"


def test_zip_def_is_inflated() -> None:
    token = encrypt(CLAIMS, "A128KW", "A128GCM", compress=True)
    d = inspect(token, key_text(key_for("A128KW", ""))).to_dict()
    assert d["header"]["zip"] == "DEF"
    assert d["payload"] == CLAIMS


# ------------------------------------------------------------------ failures (item 3)


@pytest.mark.parametrize("segment", [0, 1, 2, 3, 4])
@pytest.mark.parametrize(("alg", "enc"), [("A128KW", "A128GCM"), ("RSA1_5", "A128CBC-HS256")])
def test_a_changed_byte_anywhere_fails_without_a_payload(alg: str, enc: str, segment: int) -> None:
    key = key_for(alg, enc)
    token = encrypt(CLAIMS, alg, enc, key=key)
    d = inspect(flip(token, segment), key_text(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert d["payload"] is None
    assert d["nested"] is None


@pytest.mark.parametrize("enc", ENCS)
@pytest.mark.parametrize("cut", [1, 4])
def test_a_truncated_tag_fails(enc: str, cut: int) -> None:
    key = key_for("A256KW", enc)
    token = encrypt(CLAIMS, "A256KW", enc, key=key)
    parts = token.split(".")
    from inspector.core.b64 import decode_b64url

    tag, _ = decode_b64url(parts[4], "tag")
    assert tag is not None
    parts[4] = b64(tag[:-cut])
    d = inspect(".".join(parts), key_text(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert d["payload"] is None
    assert "jwe-malformed" in {f["id"] for f in d["findings"]}


def test_rsa1_5_padding_failure_reads_exactly_like_a_tag_failure() -> None:
    """Bleichenbacher: a broken PKCS #1 v1.5 block must not be told apart from a bad tag."""
    key = rsa_key(2048, 0)
    token = encrypt(CLAIMS, "RSA1_5", "A128GCM", key=key)
    parts = token.split(".")
    # An encrypted key that is not PKCS #1 v1.5 padded at all (an encrypted 0x00...01 block).
    n = key.public_key().public_numbers().n
    raw = pow(1, 65537, n).to_bytes(256, "big")
    bad_padding = ".".join([parts[0], b64(raw), *parts[2:]])
    bad_tag = flip(token, 4)
    a = inspect(bad_padding, pem_private(key)).to_dict()
    b = inspect(bad_tag, pem_private(key)).to_dict()
    assert a["decryption"] == b["decryption"]
    assert a["decryption"]["reason"] == FAILED_REASON
    assert [f for f in a["findings"] if f["id"].startswith("jwe")] == [
        f for f in b["findings"] if f["id"].startswith("jwe")
    ]


def test_rsa1_5_unwrap_failure_goes_on_with_a_random_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """RFC 7516 §11.5: when the encrypted key does not give a CEK of the right size, the
    content step runs with a random CEK (fixed here by the test, so that it shows)."""
    from cryptography.hazmat.primitives.asymmetric import padding
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    import inspector.core.jwa_encryption as jwa

    fixed = secret(16, 5)

    class Drawn:
        @staticmethod
        def token_bytes(n: int) -> bytes:
            assert n == 16
            return fixed

    monkeypatch.setattr(jwa, "secrets", Drawn)
    key = rsa_key(2048, 0)
    n = key.public_key().public_numbers().n
    for m in range(2, 100):  # a block that does not decrypt to 16 bytes (an error, or
        ek = pow(m, 65537, n).to_bytes(256, "big")  # OpenSSL's implicit-rejection message)
        try:
            if len(key.decrypt(ek, padding.PKCS1v15())) != 16:
                break
        except ValueError:
            break
    head = b64(json.dumps({"alg": "RSA1_5", "enc": "A128GCM"}).encode())
    iv = bytes(12)
    out = AESGCM(fixed).encrypt(iv, b'{"a":1}', head.encode())
    token = ".".join([head, b64(ek), b64(iv), b64(out[:-16]), b64(out[-16:])])
    assert inspect(token, pem_private(key)).decryption.status == "decrypted"


def test_cbc_padding_failure_reads_exactly_like_a_tag_failure() -> None:
    """A CBC token whose tag is right but whose padding is wrong (made with the key, since
    nobody else can) fails with the same words as a wrong tag (Vaudenay's oracle)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from inspector.core.jwa_encryption import CONTENT_ENCRYPTION, _cbc_tag

    cek = secret(32)
    spec = CONTENT_ENCRYPTION["A128CBC-HS256"]
    head = b64(json.dumps({"alg": "dir", "enc": "A128CBC-HS256"}).encode())
    iv = bytes(16)
    block = b"sixteen bytes!!\x00"  # last byte 0: never valid PKCS #7 padding
    e = Cipher(algorithms.AES(cek[16:]), modes.CBC(iv)).encryptor()
    ct = e.update(block) + e.finalize()
    tag = _cbc_tag(spec, cek[:16], iv, ct, head.encode())
    bad_padding = ".".join([head, "", b64(iv), b64(ct), b64(tag)])
    bad_tag = ".".join([head, "", b64(iv), b64(ct), b64(bytes(16))])
    text = key_text(cek)
    a, b = inspect(bad_padding, text).to_dict(), inspect(bad_tag, text).to_dict()
    assert a["decryption"] == b["decryption"]
    assert a["decryption"]["status"] == "failed"
    assert a["decryption"]["reason"] == FAILED_REASON


def test_rsa1_5_is_reported_even_without_a_key() -> None:
    token = encrypt(CLAIMS, "RSA1_5", "A128GCM")
    found = {f.id: f for f in inspect(token).findings}
    assert found["jwe-rsa1-5"].severity == "high"


def test_a_huge_p2c_is_refused_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.hazmat.primitives.kdf import pbkdf2

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("PBKDF2 ran for a refused token")

    token = encrypt(CLAIMS, "PBES2-HS256+A128KW", "A128GCM", header={"p2c": 1000})
    parts = token.split(".")
    header = json.loads(__import__("base64").urlsafe_b64decode(parts[0] + "=="))
    header["p2c"] = MAX_PBES2_COUNT + 1
    hostile = ".".join([b64(json.dumps(header).encode()), *parts[1:]])
    monkeypatch.setattr(pbkdf2, "PBKDF2HMAC", boom)
    d = inspect(hostile, PASSWORD).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert "jwe-pbes2-count-refused" in {f["id"] for f in d["findings"]}
    assert d["payload"] is None


def test_a_low_p2c_is_weak() -> None:
    token = encrypt(CLAIMS, "PBES2-HS256+A128KW", "A128GCM", header={"p2c": 999})
    inspection = inspect(token, PASSWORD)
    assert inspection.decryption.status == "decrypted"
    assert "jwe-pbes2-low-count" in ids(inspection)
    assert "jwe-pbes2-low-count" not in ids(
        inspect(encrypt(CLAIMS, "PBES2-HS256+A128KW", "A128GCM", header={"p2c": 1000}), PASSWORD)
    )


def _with_epk(token: str, epk: dict) -> str:
    parts = token.split(".")
    header = json.loads(__import__("base64").urlsafe_b64decode(parts[0] + "=="))
    header["epk"] = epk
    return ".".join([b64(json.dumps(header).encode()), *parts[1:]])


def test_an_epk_off_its_curve_is_refused() -> None:
    key = ec_private("P-256")
    token = encrypt(CLAIMS, "ECDH-ES+A128KW", "A128GCM", key=key)
    epk = {
        "kty": "EC",
        "crv": "P-256",
        "x": b64(bytes(31) + b"\x01"),
        "y": b64(bytes(31) + b"\x01"),
    }
    d = inspect(_with_epk(token, epk), pem_private(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert "jwe-invalid-curve" in {f["id"] for f in d["findings"]}


@pytest.mark.parametrize(("crv", "size"), [("X25519", 32), ("X448", 56)])
def test_a_small_order_epk_is_refused(crv: str, size: int) -> None:
    key = ec_private(crv)
    token = encrypt(CLAIMS, "ECDH-ES", "A128GCM", key=key)
    for point in (bytes(size), b"\x01" + bytes(size - 1)):
        d = inspect(_with_epk(token, {"kty": "OKP", "crv": crv, "x": b64(point)}), pem_private(key))
        assert d.decryption.status == "failed"
        assert "jwe-invalid-curve" in ids(d)


def test_an_epk_on_another_curve_does_not_fit() -> None:
    key = ec_private("P-256")
    token = encrypt(CLAIMS, "ECDH-ES", "A128GCM", key=ec_private("P-384"))
    d = inspect(token, pem_private(key))
    assert d.decryption.status == "failed"
    assert "jwe-key-misfit" in ids(d)


def test_a_zip_bomb_is_refused_at_the_limit() -> None:
    key = secret(16)
    header = {"alg": "dir", "enc": "A128GCM", "zip": "DEF"}
    bomb = dir_gcm(header, zip_bomb(MAX_INFLATED_BYTES + 1), key)
    d = inspect(bomb, key_text(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert "jwe-zip-bomb" in {f["id"] for f in d["findings"]}
    assert d["payload"] is None
    at_limit = dir_gcm(header, zip_bomb(MAX_INFLATED_BYTES), key)
    assert inspect(at_limit, key_text(key)).decryption.status == "decrypted"


def test_zip_that_is_not_deflate_is_malformed() -> None:
    key = secret(16)
    token = dir_gcm({"alg": "dir", "enc": "A128GCM", "zip": "DEF"}, b"\xff" * 40, key)
    d = inspect(token, key_text(key))
    assert d.decryption.status == "failed"
    assert "jwe-malformed" in ids(d)


@pytest.mark.parametrize(
    ("alg", "enc", "given", "finding_id"),
    [
        ("A128KW", "A128GCM", lambda: pem_private(rsa_key(2048, 0)), "jwe-key-misfit"),
        ("RSA-OAEP", "A128GCM", lambda: key_text(secret(16)), "jwe-key-misfit"),
        ("A128KW", "A128GCM", lambda: key_text(secret(32)), "jwe-key-misfit"),
        ("A128GCMKW", "A128GCM", lambda: key_text(secret(16), alg="A128KW"), "jwe-key-misfit"),
        ("ECDH-ES", "A128GCM", lambda: pem_private(rsa_key(2048, 0)), "jwe-key-misfit"),
        ("dir", "A128CBC-HS256", lambda: key_text(secret(16)), "jwe-dir-key-size"),
        ("dir", "A256GCM", lambda: key_text(secret(16)), "jwe-dir-key-size"),
    ],
)
def test_keys_that_do_not_fit_are_explained(
    alg: str, enc: str, given: Any, finding_id: str
) -> None:
    token = encrypt(CLAIMS, alg, enc)
    d = inspect(token, given()).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert finding_id in {f["id"] for f in d["findings"]}
    assert d["decryption"]["reason"] != FAILED_REASON  # said plainly: nothing secret here


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "A128KW", "enc": "A128XYZ"},
        {"alg": "RSA-OAEP-1024", "enc": "A128GCM"},
        {"alg": "dir", "enc": "A128GCM", "zip": "GZIP"},
        {"alg": "dir", "enc": "A128GCM", "crit": ["exp"], "exp": 1},
        {"alg": "dir", "enc": "A128GCM", "crit": []},
    ],
)
def test_unknown_algorithms_and_crit_are_refused(header: dict) -> None:
    key = secret(16)
    token = dir_gcm(header, b"{}", key)
    d = inspect(token, key_text(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert "jwe-unsupported-alg" in {f["id"] for f in d["findings"]}
    assert d["payload"] is None


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "A128GCMKW", "enc": "A128GCM"},
        {"alg": "A128GCMKW", "enc": "A128GCM", "iv": 7, "tag": "AAAA"},
        {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": "1000", "p2s": "AAAA"},
        {"alg": "PBES2-HS256+A128KW", "enc": "A128GCM", "p2c": True, "p2s": "AAAA"},
        {"alg": "ECDH-ES", "enc": "A128GCM"},
        {"alg": "ECDH-ES", "enc": "A128GCM", "epk": "not an object"},
        {"alg": "ECDH-ES", "enc": "A128GCM", "epk": {"kty": "EC", "crv": "P-256", "x": 5}},
    ],
)
def test_hostile_header_members_are_explained_never_raised(header: dict) -> None:
    alg = header["alg"]
    key = key_for(alg, "A128GCM")
    token = dir_gcm(header, b"{}", secret(16))
    d = inspect(token, key_text(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert d["payload"] is None
    assert d["decryption"]["reason"]


def test_dir_with_an_encrypted_key_is_malformed() -> None:
    key = secret(16)
    parts = dir_gcm({"alg": "dir", "enc": "A128GCM"}, b"{}", key).split(".")
    parts[1] = b64(b"surprise")
    d = inspect(".".join(parts), key_text(key))
    assert d.decryption.status == "failed"
    assert "jwe-malformed" in ids(d)


# ------------------------------------------------------------------ RFC 7516 Appendix A


@pytest.mark.parametrize("example", RFC7516_APPENDIX_A, ids=lambda e: e["section"])
def test_rfc7516_appendix_a(example: dict[str, Any]) -> None:
    d = inspect_token(example["token"], decryption_key=json.dumps(example["key"]), now=0)
    assert d.decryption is not None
    assert d.decryption.status == "decrypted"
    assert d.decryption.plaintext == example["plaintext"].encode()
    # and the same token with its last tag character changed does not
    tampered = flip(example["token"], 4, 2)
    bad = inspect_token(tampered, decryption_key=json.dumps(example["key"]), now=0)
    assert bad.decryption is not None
    assert bad.decryption.status == "failed"


# ------------------------------------------------------------------ no header makes it raise

_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=30),
    st.sampled_from(["AAAA", "A" * 43, "", "eyJ", "DEF", "P-256", "X25519", "EC", "OKP"]),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(
        st.sampled_from(["kty", "crv", "x", "y"]),
        st.sampled_from(["EC", "OKP", "P-256", "X25519", "AAAA", "A" * 43, 1]),
    ),
)
_HEADERS = st.fixed_dictionaries(
    {
        "alg": st.one_of(st.sampled_from(ALGS), _VALUES),
        "enc": st.one_of(st.sampled_from(ENCS), _VALUES),
    },
    optional={
        k: _VALUES for k in ("zip", "p2c", "p2s", "epk", "iv", "tag", "apu", "apv", "crit", "kid")
    },
)
_SEGMENT = st.one_of(st.just(""), st.binary(max_size=80).map(b64), st.text(max_size=20))
_KEYS = st.sampled_from(["secret", PASSWORD, "{}", '{"keys": []}', "-----BEGIN PRIVATE KEY-----"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_HEADERS, st.lists(_SEGMENT, min_size=4, max_size=4), _KEYS, st.booleans())
def test_no_jwe_header_or_segment_makes_the_facade_raise(
    header: dict, segments: list[str], key: str, real_key: bool
) -> None:
    """Hostile headers and segments, with a key of the right kind (or a wrong one): always
    an answer, never an exception, and never a payload without 'decrypted'."""
    alg = header["alg"] if header["alg"] in ALGS else "A128KW"
    enc = header["enc"] if header["enc"] in ENCS else "A128GCM"
    if real_key:
        key = key_text(key_for(alg, enc))
    token = ".".join([b64(json.dumps(header).encode()), *segments])
    d = inspect_token(token, decryption_key=key, now=NOW).to_dict()
    json.dumps(d)
    if d["format"] == "jwe":
        assert d["decryption"]["status"] in ("decrypted", "failed", "unchecked", "error")
        if d["decryption"]["status"] != "decrypted":
            assert d["payload"] is None


# ------------------------------------------------------------------ JWE JSON serialization


def _flattened(token: str, **extra: Any) -> dict[str, Any]:
    p, ek, iv, ct, tag = token.split(".")
    doc: dict[str, Any] = {"protected": p, "encrypted_key": ek, "iv": iv, "ciphertext": ct}
    doc["tag"] = tag
    doc.update(extra)
    return doc


def test_a_flattened_json_jwe_decrypts_with_offsets_into_the_text() -> None:
    key = key_for("A128KW", "")
    token = encrypt(CLAIMS, "A128KW", "A128GCM", key=key)
    text = json.dumps(_flattened(token), indent=2)
    d = inspect(text, key_text(key)).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert d["payload"] == CLAIMS
    assert [text[s["start"] : s["end"]] for s in d["segments"]] == token.split(".")


def test_json_with_aad_and_unprotected_headers_from_jwcrypto() -> None:
    from jwcrypto import jwe, jwk

    key = jwk.JWK.generate(kty="oct", size=128)
    made = jwe.JWE(
        json.dumps(CLAIMS).encode(),
        protected=json.dumps({"enc": "A128GCM"}),
        unprotected=json.dumps({"jku": "https://attacker.example/keys"}),
        aad=b"context the sender authenticated",
    )
    made.add_recipient(key, header=json.dumps({"alg": "A128KW", "kid": "r1"}))
    doc = json.loads(made.serialize())
    d = inspect(json.dumps(doc), key.export()).to_dict()
    assert d["decryption"]["status"] == "decrypted", d["decryption"]
    assert d["payload"] == CLAIMS
    # The aad is authenticated: changed, the token does not decrypt.
    doc["aad"] = b64(b"other context")
    d = inspect(json.dumps(doc), key.export()).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert d["payload"] is None


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({"unprotected": {"enc": "A256GCM"}}, "'enc'"),
        ({"header": {"alg": "dir"}}, "'alg'"),
        ({"unprotected": {"zip": "DEF"}}, "'zip'"),
        ({"unprotected": {"crit": ["x"]}}, "'crit'"),
    ],
)
def test_unprotected_members_cannot_override_or_add_what_must_be_protected(
    extra: dict, needle: str
) -> None:
    key = key_for("A128KW", "")
    doc = _flattened(encrypt(CLAIMS, "A128KW", "A128GCM", key=key), **extra)
    d = inspect(json.dumps(doc), key_text(key)).to_dict()
    assert d["decryption"]["status"] == "failed"
    assert needle in d["decryption"]["reason"]
    assert d["payload"] is None


def test_a_general_json_jwe_uses_the_first_recipient() -> None:
    key = key_for("A128KW", "")
    p, ek, iv, ct, tag = encrypt(CLAIMS, "A128KW", "A128GCM", key=key).split(".")
    doc = {
        "protected": p,
        "recipients": [{"encrypted_key": ek}, {"encrypted_key": b64(bytes(24))}],
        "iv": iv,
        "ciphertext": ct,
        "tag": tag,
    }
    inspection = inspect(json.dumps(doc), key_text(key))
    assert inspection.decryption.status == "decrypted"
    removed = next(f.detail for f in inspection.findings if f.id == "input-cleaned")
    assert "1 more recipient" in removed


# ------------------------------------------------------------------ the encoder's side


@pytest.mark.parametrize(
    ("alg", "enc", "recipient"),
    [
        ("RSA-OAEP-256", "A256GCM", lambda: public_pem(rsa_key(2048, 0))),
        ("RSA-OAEP", "A128CBC-HS256", lambda: pem_private(rsa_key(2048, 0))),
        ("ECDH-ES+A128KW", "A128GCM", lambda: public_pem(ec_private("P-384"))),
        ("ECDH-ES", "A256GCM", lambda: json.dumps(_x25519_public())),
        ("A256KW", "A256CBC-HS512", lambda: key_text(secret(32))),
        ("dir", "A128GCM", lambda: key_text(secret(16))),
        ("PBES2-HS256+A128KW", "A128GCM", lambda: PASSWORD),
    ],
)
def test_encrypt_token_reads_the_recipient_key_as_text(alg: str, enc: str, recipient: Any) -> None:
    from inspector.core.encryption import encrypt_token

    token = encrypt_token(json.dumps(CLAIMS), recipient(), alg=alg, enc=enc, compress=True)
    decrypting = {
        "RSA-OAEP-256": lambda: pem_private(rsa_key(2048, 0)),
        "RSA-OAEP": lambda: pem_private(rsa_key(2048, 0)),
        "ECDH-ES+A128KW": lambda: pem_private(ec_private("P-384")),
        "ECDH-ES": lambda: pem_private(ec_private("X25519")),
    }.get(alg, recipient)()
    d = inspect(token, decrypting).to_dict()
    assert d["decryption"]["status"] == "decrypted", d["decryption"]
    assert d["payload"] == CLAIMS
    assert d["header"]["zip"] == "DEF"


def _x25519_public() -> dict:
    raw = ec_private("X25519").public_key().public_bytes_raw()
    return {"kty": "OKP", "crv": "X25519", "x": b64(raw)}


@pytest.mark.parametrize(
    ("alg", "enc", "key", "needle"),
    [
        ("RSA-OAEP", "A128GCM", "just a secret", "RSA"),
        ("A128KW", "A128GCM", key_text(secret(32)), "128-bit"),
        ("A128KW", "A999GCM", key_text(secret(16)), "enc"),
        ("XYZ", "A128GCM", key_text(secret(16)), "alg"),
    ],
)
def test_encrypt_token_says_why_it_cannot(alg: str, enc: str, key: str, needle: str) -> None:
    from inspector.core.encryption import EncryptionError, encrypt_token

    with pytest.raises(EncryptionError, match=needle):
        encrypt_token("{}", key, alg=alg, enc=enc)
