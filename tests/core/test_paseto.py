"""PASETO tokens (issue 16 item 4): recognised with ``format: "paseto"``, public ones verified
(v4/v2 Ed25519, v3 P-384, v1 RSA-PSS) by :mod:`inspector.core.paseto`; tokens made by pyseto,
the PASETO implementation for Python (a test extra; the inspector never imports it). Every path
that can say "verified" is attacked: changed bytes, footer, version label, wrong key types."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from inspector.core import inspect_token
from inspector.core.outcome import Outcome
from inspector.core.paseto import pae
from tests.cli.workbench import cli

pyseto = pytest.importorskip("pyseto")

NOW = 1_800_000_000.0
CLAIMS = {"sub": "alice", "iss": "https://idp.example/", "exp": "2030-01-01T00:00:00+00:00"}
FOOTER = b'{"kid":"key-1"}'


def _private(version: int):
    if version in (2, 4):
        return ed25519.Ed25519PrivateKey.generate()
    if version == 3:
        return ec.generate_private_key(ec.SECP384R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pems(key) -> tuple[bytes, str]:
    private = key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    public = key.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    return private, public.decode()


_KEYS = {v: _private(v) for v in (1, 2, 3, 4)}


def public_token(version: int, claims=CLAIMS, footer: bytes = FOOTER) -> tuple[str, str]:
    """A vN.public token made by pyseto, and the public key PEM that verifies it."""
    private, public = _pems(_KEYS[version])
    key = pyseto.Key.new(version=version, purpose="public", key=private)
    token = pyseto.encode(key, payload=claims, footer=footer, serializer=json)
    return token.decode(), public


def _flip(token: str, index: int) -> str:
    """``token`` with the base64url character at ``index`` of its body changed."""
    head, _, rest = token.partition(".")
    purpose, _, body_footer = rest.partition(".")
    body, dot, footer = body_footer.partition(".")
    raw = bytearray(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw[index] ^= 0x01
    body = base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
    return f"{head}.{purpose}.{body}{dot}{footer}"


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_public_tokens_verify_with_their_key(version):
    token, public = public_token(version)
    i = inspect_token(token, public, now=NOW)
    assert i.format == "paseto"
    assert i.token is None
    assert i.verification.outcome is Outcome.VERIFIED
    assert i.verification.status == "valid"
    assert i.parsed.not_jwt is not None
    assert i.parsed.not_jwt.details["claims"] == CLAIMS
    assert i.parsed.not_jwt.details["footer"] == {"kid": "key-1"}


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_local_tokens_are_recognised_and_not_checked(version):
    key = pyseto.Key.new(version=version, purpose="local", key=b"k" * 32)
    token = pyseto.encode(key, payload=b"secret claims", footer=FOOTER).decode()
    i = inspect_token(token, "whatever key", now=NOW)
    assert i.format == "paseto"
    assert i.parsed.not_jwt.details["purpose"] == "local"
    assert i.verification.outcome is Outcome.ENCRYPTED
    assert "secret claims" not in json.dumps(i.to_dict())


@pytest.mark.parametrize("version", [1, 2, 3, 4])
@pytest.mark.parametrize("where", ["message", "signature"])
def test_a_changed_byte_does_not_verify(version, where):
    token, public = public_token(version)
    forged = _flip(token, 3 if where == "message" else -1)
    i = inspect_token(forged, public, now=NOW)
    assert i.verification.outcome is Outcome.BAD_SIGNATURE
    assert i.verification.status == "invalid"


@pytest.mark.parametrize("version", [2, 3, 4])
def test_a_changed_footer_does_not_verify(version):
    token, public = public_token(version)
    body = token.rsplit(".", 1)[0]
    forged = body + "." + base64.urlsafe_b64encode(b'{"kid":"key-2"}').rstrip(b"=").decode()
    assert inspect_token(forged, public, now=NOW).verification.outcome is Outcome.BAD_SIGNATURE
    # A footer taken off is a change too.
    assert inspect_token(body, public, now=NOW).verification.outcome is Outcome.BAD_SIGNATURE


def test_a_v4_signature_relabelled_v2_does_not_verify():
    """v2 and v4 share Ed25519 keys; the version is signed (h), and v4 signs one more piece."""
    token, public = public_token(4)
    forged = "v2" + token[2:]
    assert inspect_token(forged, public, now=NOW).verification.outcome is Outcome.BAD_SIGNATURE


@pytest.mark.parametrize(
    ("version", "wrong"),
    [
        (4, ec.generate_private_key(ec.SECP384R1())),
        (4, rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        (3, ec.generate_private_key(ec.SECP256R1())),
        (3, ed25519.Ed25519PrivateKey.generate()),
        (1, ed25519.Ed25519PrivateKey.generate()),
    ],
)
def test_a_key_of_another_type_is_a_misfit_never_tried(version, wrong):
    token, _ = public_token(version)
    _, public = _pems(wrong)
    i = inspect_token(token, public, now=NOW)
    assert i.verification.outcome is Outcome.KEY_MISFIT
    assert i.verification.status == "invalid"


def test_another_key_of_the_right_type_is_a_bad_signature():
    token, _ = public_token(4)
    _, other = _pems(ed25519.Ed25519PrivateKey.generate())
    assert inspect_token(token, other, now=NOW).verification.outcome is Outcome.BAD_SIGNATURE


def test_a_shared_secret_never_verifies_a_public_token():
    token, _ = public_token(4)
    i = inspect_token(token, "a shared secret of some length", now=NOW)
    assert i.verification.status != "valid"


def test_unreadable_key_and_no_key():
    token, _ = public_token(3)
    assert inspect_token(token, now=NOW).verification.outcome is Outcome.NO_KEY
    assert "P-384" in inspect_token(token, now=NOW).verification.reason
    bad = inspect_token(token, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
    assert bad.verification.status in ("error", "invalid")
    assert bad.verification.outcome is not Outcome.VERIFIED


def test_expired_paseto_is_a_finding():
    token, public = public_token(4, {**CLAIMS, "exp": "2020-01-01T00:00:00Z"})
    i = inspect_token(token, public, now=NOW)
    assert i.verification.outcome is Outcome.VERIFIED
    assert "paseto-expired" in {f.id for f in i.findings}
    fresh = inspect_token(public_token(4)[0], public, now=NOW)
    assert "paseto-expired" not in {f.id for f in fresh.findings}
    # Leeway is honoured.
    edge = public_token(4, {**CLAIMS, "exp": "2027-01-15T07:59:30Z"})[0]  # 30 s before NOW
    assert "paseto-expired" in {f.id for f in inspect_token(edge, now=NOW).findings}
    assert "paseto-expired" not in {f.id for f in inspect_token(edge, now=NOW, leeway=60).findings}


def test_pae_known_answers():
    """The PASETO specification's PAE examples."""
    assert pae() == b"\x00" * 8
    assert pae(b"") == b"\x01" + b"\x00" * 7 + b"\x00" * 8
    assert pae(b"test") == b"\x01" + b"\x00" * 7 + b"\x04" + b"\x00" * 7 + b"test"


def test_cli_verifies_v4_and_v3_with_a_key_file(tmp_path):
    for version in (4, 3):
        token, public = public_token(version)
        path = tmp_path / f"v{version}.pem"
        path.write_text(public)
        r = cli("inspect", token, "--key", str(path), "--json", "--now", str(NOW))
        d = json.loads(r.stdout)
        assert d["format"] == "paseto"
        assert d["verification"]["outcome"] == "verified"
        assert d["not_jwt"]["details"]["version"] == f"v{version}"
        # Not a JWT: the inspect command's exit status stays 1 (the not-a-jwt finding).
        assert r.returncode == 1
        forged = cli("inspect", _flip(token, 0), "--key", str(path), "--json", "--now", str(NOW))
        assert json.loads(forged.stdout)["verification"]["outcome"] == "bad-signature"
