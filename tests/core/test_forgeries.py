"""Forgeries that must never read "Signature verified" (issue 10 items 1, 2 and 5; issue 12
item 2), each named after the attack, with the literal reproducer.

* Unencoded payloads (RFC 7797 ``b64: false``) are verified over their exact UTF-8 bytes:
  a signature over ``{"role":"?"}`` does not verify ``{"role":"管"}``.
* Algorithm confusion: an HS256 token HMAC-signed with a public key's text, in every form
  a key can be pasted in and with whatever copy and paste puts around it, never verifies;
  every such form is recognised as the key it is and verifies a real token signed by it.
* Keys that verify anything (small-order EdDSA points) are refused; certificates that forbid
  signatures or are out of their validity period are reported; a secret off by the final
  newline of its file is said so.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inspector.cli.common import read_key_file
from inspector.core import inspect_token
from inspector.core.algorithms import sign
from inspector.core.keys import decode_secret, is_small_order_point, load_key
from inspector.core.model import Inspection
from tests.core import keyfactory as kf
from tests.core.keyforms import DECORATIONS, decorate, key_forms, unusable_forms

#: The time every token here is judged at: 2026-06-01, inside the test certificates' year.
NOW = 1_780_272_000.0
SECRET = b"a shared secret of 32 bytes, ok!"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def ids(inspection: Inspection) -> set[str]:
    return {f.id for f in inspection.findings}


def inspect(token: str, key: str | None, **kw: Any) -> Inspection:
    kw.setdefault("now", NOW)
    return inspect_token(token, key, check_weak_secrets=False, **kw)


def signing_input(header: dict[str, Any], payload: bytes | str) -> str:
    body = payload if isinstance(payload, str) else b64(payload)
    return f"{b64(json.dumps(header).encode())}.{body}"


def hs256(si: str, secret: bytes) -> str:
    return f"{si}.{b64(hmac.new(secret, si.encode('utf-8'), hashlib.sha256).digest())}"


def forged_with(text: str) -> str:
    """An HS256 token HMAC-signed with ``text`` (its UTF-8 bytes) as the secret."""
    si = signing_input({"alg": "HS256", "typ": "JWT"}, b'{"sub":"admin","role":"root"}')
    return hs256(si, text.encode("utf-8"))


# ----------------------------------------------------------------- RFC 7797 unencoded payloads

_UNENCODED = {"alg": "HS256", "b64": False, "crit": ["b64"]}


def test_unencoded_payload_signed_over_a_replacement_character_does_not_verify() -> None:
    """The reproducer: ``.encode("ascii", "replace")`` made ``{"role":"?"}`` stand in for any
    non-ASCII text, so a signature over it verified ``{"role":"管"}``."""
    si = signing_input(_UNENCODED, '{"role":"管"}')
    replaced = si.encode("ascii", "replace")
    assert b'{"role":"?"}' in replaced
    sig = hmac.new(SECRET, replaced, hashlib.sha256).digest()
    v = inspect(f"{si}.{b64(sig)}", SECRET.decode()).verification
    assert v.status == "invalid"


def test_unencoded_payload_signed_over_its_utf8_bytes_verifies() -> None:
    si = signing_input(_UNENCODED, '{"role":"管"}')
    v = inspect(hs256(si, SECRET), SECRET.decode()).verification
    assert v.status == "valid", v.reason


def test_unencoded_payload_with_a_lone_surrogate_cannot_be_verified() -> None:
    """Text that has no UTF-8 bytes is never altered into something that does."""
    si = signing_input(_UNENCODED, '{"role":"\ud800"}')
    for data in (si.encode("utf-8", "surrogatepass"), si.encode("utf-8", "replace")):
        sig = hmac.new(SECRET, data, hashlib.sha256).digest()
        v = inspect(f"{si}.{b64(sig)}", SECRET.decode()).verification
        assert v.status == "invalid"
        assert "lone surrogate" in v.reason
        assert "U+D800" in v.reason


def test_a_secret_with_a_lone_surrogate_is_refused_not_altered() -> None:
    with pytest.raises(ValueError, match="lone surrogate"):
        decode_secret("abc\udc80def", "utf-8")
    si = signing_input({"alg": "HS256"}, b"{}")
    for data in ("abc\udc80def".encode("utf-8", "surrogatepass"), b"abc?def", b"abcdef"):
        v = inspect(hs256(si, data), "abc\udc80def").verification
        assert v.status == "error"
        assert "lone surrogate" in v.reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(payload=st.text().filter(lambda t: "." not in t))
def test_unencoded_payload_verifies_exactly_when_signed_over_its_utf8_bytes(payload: str) -> None:
    si = signing_input(_UNENCODED, payload)
    token = hs256(si, SECRET)
    inspection = inspect(token, SECRET.decode())
    # Whitespace and wrappers are the cleaner's business: only tokens taken verbatim count.
    assume(inspection.parsed.token == token)
    assert inspection.verification.status == "valid", inspection.verification.reason
    for other in {
        si.encode("ascii", "replace"),
        si.encode("latin-1", "replace"),
        si.encode("utf-8") + b" ",
    } - {si.encode("utf-8")}:
        sig = hmac.new(SECRET, other, hashlib.sha256).digest()
        assert inspect(f"{si}.{b64(sig)}", SECRET.decode()).verification.status != "valid"


# ----------------------------------------------------------------- algorithm confusion

#: One key per key type and curve (pre-generated: key generation is slow).
KEYS: dict[str, Any] = {
    "RSA": kf.rsa_key(),
    "P-256": kf.ec_key("ES256"),
    "P-384": kf.ec_key("ES384"),
    "secp256k1": kf.ec_key("ES256K"),
    "Ed25519": kf.okp_key("Ed25519"),
    "Ed448": kf.okp_key("Ed448"),
}
#: The algorithm a real token is signed with for each key.
REAL_ALGS = {
    "RSA": ("RS256", "PS384"),
    "P-256": ("ES256",),
    "P-384": ("ES384",),
    "secp256k1": ("ES256K",),
    "Ed25519": ("EdDSA",),
    "Ed448": ("EdDSA",),
}
FORMS = {name: key_forms(key) for name, key in KEYS.items()}
ALL_FORMS = [
    pytest.param(name, form, text, id=f"{name}-{form}")
    for name, forms in FORMS.items()
    for form, text in forms
]


def decorations(form: str) -> tuple[tuple[str, str], ...]:
    """Every decoration for public forms; three for private keys (an RSA private key takes
    tens of milliseconds to load and check, and the hypothesis test varies them further)."""
    return DECORATIONS if not form.startswith("private") else DECORATIONS[:2] + DECORATIONS[6:7]


#: The decorations a real token is verified through: plain, a BOM and zero-width characters,
#: quotes, brackets (recognition under all of them is the forgery test's job).
VERIFY_DECORATIONS = (DECORATIONS[0], DECORATIONS[3], DECORATIONS[6], DECORATIONS[9])


def real_token(alg: str, key: Any) -> str:
    si = signing_input({"alg": alg, "typ": "JWT"}, b'{"sub":"alice"}')
    return f"{si}.{b64(sign(alg, key, si.encode()))}"


@pytest.mark.parametrize(("name", "form", "text"), ALL_FORMS)
def test_hs256_forged_with_a_public_key_text_never_verifies(
    name: str, form: str, text: str
) -> None:
    """CVE-2015-9235 / CVE-2016-10555 in every form and every decoration: the token HMAC-signed
    with exactly the text pasted as the key is recognised as forged."""
    for before, after in decorations(form):
        pasted = decorate(text, before, after)
        lk = load_key(pasted)
        assert lk.kind != "secret", (form, before, after)
        assert lk.public_material, (form, before, after)
        v = inspect(forged_with(pasted), pasted).verification
        assert v.status == "invalid", (form, before, after, v.reason)
        assert "key-confusion" in {f.id for f in v.findings}, (form, before, after, v.reason)
        assert v.hmac_secret is None


@pytest.mark.parametrize(("name", "form", "text"), ALL_FORMS)
def test_every_key_form_verifies_a_real_token(name: str, form: str, text: str) -> None:
    key = KEYS[name]
    for alg in REAL_ALGS[name]:
        token = real_token(alg, key)
        for before, after in VERIFY_DECORATIONS:
            pasted = decorate(text, before, after)
            v = inspect(token, pasted).verification
            assert v.status == "valid", (form, alg, before, after, v.reason)
        # The same token with its payload changed does not.
        head, _, sig = token.split(".")
        changed = f"{head}.{b64(b'{}')}.{sig}"
        assert inspect(changed, text).verification.status == "invalid"


@pytest.mark.parametrize(("form", "text"), unusable_forms())
def test_unreadable_key_material_is_refused_never_a_secret(form: str, text: str) -> None:
    lk = load_key(text)
    assert lk.kind != "secret"
    assert lk.error is not None
    assert lk.public_material
    v = inspect(forged_with(text), text).verification
    assert v.status != "valid"
    assert "key-confusion" in {f.id for f in v.findings}, v.reason
    # With any other HS256 token: refused with the reason, no attack claimed.
    v = inspect(hs256(signing_input({"alg": "HS256"}, b"{}"), SECRET), text).verification
    assert v.status == "error"
    assert v.reason == lk.error
    assert "key-confusion" not in {f.id for f in v.findings}


@pytest.mark.parametrize(
    ("form", "text", "alg"),
    [
        ("pem", kf.public_pem(KEYS["RSA"]), "HS256"),
        ("jwk", kf.jwk_text(KEYS["P-256"]), "HS384"),
        ("openssh", key_forms(KEYS["Ed25519"])[-1][1], "HS512"),
        ("jwk-set", json.dumps({"keys": [kf.jwk_dict(KEYS["RSA"], kid="a")]}), "HS256"),
    ],
)
def test_a_leftover_public_key_is_a_misfit_not_an_attack(form: str, text: str, alg: str) -> None:
    """Issue 12 item 2: a key left in the box from the last token, and an HMAC token it did
    not forge: no attack finding, the reason says the key cannot check the token."""
    si = signing_input({"alg": alg}, b'{"sub":"alice"}')
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    token = f"{si}.{b64(hmac.new(SECRET, si.encode(), digest).digest())}"
    v = inspect(token, text).verification
    assert v.status == "invalid"
    found = {f.id for f in v.findings}
    assert "key-confusion" not in found
    assert "invalid-signature" not in found
    assert found & {"key-alg-mismatch", "no-matching-key"}
    assert f"cannot check an {alg} token" in v.reason
    assert not any(f.severity == "critical" for f in v.findings)


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t,
        lambda t: t.rstrip("\n"),
        lambda t: t + "\n",
        lambda t: t.strip(),
    ],
)
def test_forged_with_the_pem_with_or_without_its_final_newline(variant: Any) -> None:
    pem = kf.public_pem(KEYS["RSA"])
    v = inspect(forged_with(variant(pem)), pem).verification
    assert "key-confusion" in {f.id for f in v.findings}
    assert "forged with the public key" in v.reason


def test_forged_with_the_der_or_jwk_text_of_the_key_pasted_as_pem() -> None:
    key = KEYS["P-256"]
    pem = kf.public_pem(key)
    si = signing_input({"alg": "HS256"}, b"{}")
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for secret in (der, kf.jwk_text(key).encode()):
        v = inspect(hs256(si, secret), pem if secret is der else kf.jwk_text(key)).verification
        assert "key-confusion" in {f.id for f in v.findings}, v.reason


def test_the_issue_reproducers_one_by_one() -> None:
    """The forms the adversarial review listed, literally."""
    rsa_key = KEYS["RSA"]
    ed = KEYS["Ed25519"]
    jwk = kf.jwk_text(rsa_key)
    der = base64.b64encode(
        rsa_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    ).decode()
    line = key_forms(ed)[-1][1]
    forms = {
        "jwk-after-bom": "\ufeff" + jwk,
        "jwk-set-after-zwsp": "\u200b" + json.dumps({"keys": [json.loads(jwk)]}),
        "jwk-in-brackets": f"[{jwk}]",
        "x5c-array": json.dumps([kf.certificate_x5c(rsa_key)]),
        "quoted-der": f'"{der}"',
        "der-base64url": base64.urlsafe_b64encode(base64.b64decode(der)).decode().rstrip("="),
        "der-hex": base64.b64decode(der).hex(),
        "lower-case-pem": kf.public_pem(rsa_key)
        .replace("BEGIN PUBLIC KEY", "begin public key")
        .replace("END PUBLIC KEY", "end public key"),
        "4-dash-pem": kf.public_pem(rsa_key).replace("-----", "----"),
        "authorized-keys-options": f'command="/bin/true",no-pty {line}',
        "known-hosts": f"host.example,192.0.2.7 {line}",
        "openssh-tab": line.replace(" ", "\t"),
        "openssh-double-spaces": line.replace(" ", "  "),
        "rfc4716": dict(key_forms(ed))["rfc4716"],
        "ssh-cert": dict(key_forms(ed))["ssh-certificate"],
    }
    for name, text in forms.items():
        v = inspect(forged_with(text), text).verification
        assert v.status == "invalid", name
        assert "key-confusion" in {f.id for f in v.findings}, name
    for name, text in dict(unusable_forms()).items():
        if name.startswith("ssh-dss"):
            v = inspect(forged_with(text), text).verification
            assert v.status == "invalid", name
            assert "key-confusion" in {f.id for f in v.findings}, name


@settings(max_examples=150, deadline=None)
@given(
    raw=st.binary(min_size=16, max_size=160),
    encoding=st.sampled_from(["base64", "base64url", "hex", "utf-8"]),
)
def test_a_real_secret_that_is_long_base64_still_works(raw: bytes, encoding: str) -> None:
    """Random bytes do not make a DER sequence: a long base64 (or hex) secret is a secret,
    whether it is given with its encoding or as the UTF-8 text of the base64."""
    text = {
        "base64": base64.b64encode(raw).decode(),
        "base64url": b64(raw),
        "hex": raw.hex(),
        "utf-8": base64.b64encode(raw).decode(),
    }[encoding]
    secret = raw if encoding != "utf-8" else text.encode()
    lk = load_key(text, encoding)
    assert lk.kind == "secret", lk.error
    si = signing_input({"alg": "HS256"}, b'{"sub":"alice"}')
    v = inspect(hs256(si, secret), text, secret_encoding=encoding).verification
    assert v.status == "valid", v.reason


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("q3ktyZ8wPbN5mR2vX7cL0aT4hJ9eY6uK1sD3fG8iO5pW", "base64"),
        ("q3ktyZ8wPbN5mR2vX7cL0aT4hJ9eY6uK1sD3fG8iO5pW", "utf-8"),
        ("MIIBq3ktyZ8wPbN5mR2vX7cL0aT4hJ9eY6uK1sD3fG8iO5pWq3ktyZ8wPbN5mR2vX7", "base64"),
        ("3082" + "ab" * 40, "hex"),
        ("correct horse battery staple, ssh-rsa-ish but not a key type", "utf-8"),
    ],
)
def test_secrets_that_merely_resemble_key_text_are_secrets(text: str, encoding: str) -> None:
    """'kty' inside base64, a DER-like first byte, a word near a key type: still secrets."""
    lk = load_key(text, encoding)
    assert lk.kind == "secret", lk.error


_DECORATION_CHARS = st.sampled_from(
    [" ", "\n", "\t", "\r\n", "\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00a0"]
)
_WRAPS = st.sampled_from([("", ""), ('"', '"'), ("'", "'"), ("[", "]"), ('["', '"]')])
_FORM_TEXTS = [text for forms in FORMS.values() for _, text in forms] + [
    text for _, text in unusable_forms()
]


@settings(max_examples=200, deadline=None)
@given(
    text=st.sampled_from(_FORM_TEXTS),
    before=st.lists(_DECORATION_CHARS, max_size=3).map("".join),
    after=st.lists(_DECORATION_CHARS, max_size=3).map("".join),
    wrap=_WRAPS,
    alg=st.sampled_from(["HS256", "HS384", "HS512"]),
)
def test_no_decorated_key_text_is_ever_an_hmac_secret(
    text: str, before: str, after: str, wrap: tuple[str, str], alg: str
) -> None:
    pasted = f"{before}{wrap[0]}{text}{wrap[1]}{after}"
    si = signing_input({"alg": alg}, b'{"sub":"admin"}')
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    for secret in {pasted, pasted.strip(), f"{wrap[0]}{text}{wrap[1]}", text}:
        mac = hmac.new(secret.encode("utf-8"), si.encode(), digest).digest()
        v = inspect(f"{si}.{b64(mac)}", pasted).verification
        assert v.status != "valid", v.reason
        assert v.hmac_secret is None


# ----------------------------------------------------------------- keys that verify anything

_P25519 = 2**255 - 19
_P448 = 2**448 - 2**224 - 1


#: y of the two order-8 points of edwards25519 (each with x and -x), as libsodium's
#: small-order blocklist has them; the other torsion points have y = 1, -1 and 0.
_ED25519_ORDER_8 = (
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
)


def _ed25519_torsion_encodings() -> list[bytes]:
    """Every 32-byte encoding of the 8 points of order dividing 8 on edwards25519: both x
    sign bits (non-canonical when x = 0) and y + p where it fits (non-canonical)."""
    ys = {1, _P25519 - 1, 0}
    ys |= {int.from_bytes(bytes.fromhex(h), "little") & ((1 << 255) - 1) for h in _ED25519_ORDER_8}
    out: list[bytes] = []
    for y in ys:
        for value in (y, y + _P25519):
            if value >= 1 << 255:
                continue
            for sign_bit in (0, 1):
                out.append((value | sign_bit << 255).to_bytes(32, "little"))
    return out


def _ed448_torsion_encodings() -> list[bytes]:
    """Every 57-byte encoding of the 4 points of order dividing 4 on edwards448."""
    out: list[bytes] = []
    for y in (1, _P448 - 1, 0):
        for value in (y, y + _P448):
            if value >= 1 << 448:
                continue
            for sign_bit in (0, 1):
                out.append((value | sign_bit << 455).to_bytes(57, "little"))
    return out


ED25519_SMALL = _ed25519_torsion_encodings()
ED448_SMALL = _ed448_torsion_encodings()


def test_the_small_order_lists_are_complete() -> None:
    # 8 points: y = 1, -1 (x = 0: 2 sign encodings each), y = 0 (x = +-sqrt(-1)), and the
    # two order-8 ys (x = +-...), plus y + p for y = 0 and 1: 2 * (5 + 2) = 14 encodings.
    assert len(set(ED25519_SMALL)) == 14
    assert len(set(ED448_SMALL)) == 10
    assert all(is_small_order_point(e) for e in ED25519_SMALL + ED448_SMALL)


def test_real_keys_are_not_small_order() -> None:
    for _ in range(50):
        raw = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes_raw()
        assert not is_small_order_point(raw)
    for _ in range(10):
        raw = ed448.Ed448PrivateKey.generate().public_key().public_bytes_raw()
        assert not is_small_order_point(raw)


def test_the_neutral_element_key_verifies_every_message_in_cryptography() -> None:
    """Why it matters: the library verifies (R = the point, S = 0) for any message."""
    x = bytes([1]) + bytes(31)
    public = ed25519.Ed25519PublicKey.from_public_bytes(x)
    try:
        public.verify(x + bytes(32), b"any message at all")
    except InvalidSignature:  # pragma: no cover - depends on the OpenSSL build
        pytest.skip("this OpenSSL rejects small-order keys itself")


@pytest.mark.parametrize("raw", ED25519_SMALL + ED448_SMALL, ids=lambda r: r.hex()[:8] + "..")
def test_a_small_order_eddsa_key_is_refused(raw: bytes) -> None:
    crv = "Ed25519" if len(raw) == 32 else "Ed448"
    jwk = json.dumps({"kty": "OKP", "crv": crv, "x": b64(raw)})
    si = signing_input({"alg": "EdDSA"}, b'{"sub":"admin"}')
    # R = the key's own point, S = 0: verifies every message under a small-order key.
    token = f"{si}.{b64(raw + bytes(len(raw)))}"
    inspection = inspect(token, jwk)
    v = inspection.verification
    assert v.status == "invalid"
    small = [f for f in v.findings if f.id == "small-order-key"]
    assert small
    assert small[0].severity == "critical"
    assert "small order" in v.reason
    # In every other form too: a certificate can't be made for it, but SPKI PEM can.
    prefix = {
        "Ed25519": bytes.fromhex("302a300506032b6570032100"),
        "Ed448": bytes.fromhex("3043300506032b6571033a00"),
    }[crv]
    pem = (
        "-----BEGIN PUBLIC KEY-----\n"
        + base64.b64encode(prefix + raw).decode()
        + "\n-----END PUBLIC KEY-----\n"
    )
    assert load_key(pem).candidates[0].small_order
    assert inspect(token, pem).verification.status == "invalid"


# ----------------------------------------------------------------- certificates


def _certificate(key: Any, start: datetime.datetime, days: int, usage: bool | None) -> str:
    return kf.certificate_with(
        key, not_before=start, days=days, digital_signature=usage, cn="forgeries"
    )


_START = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize("name", ["RSA", "P-256", "Ed25519"])
def test_certificate_that_forbids_signatures_is_reported_and_still_checked(name: str) -> None:
    key = KEYS[name]
    cert = _certificate(key, _START, 365, usage=False)
    token = real_token(REAL_ALGS[name][0], key)
    inspection = inspect(token, cert)
    v = inspection.verification
    assert v.status == "valid"
    assert "keyUsage" in v.reason
    found = [f for f in v.findings if f.id == "certificate-key-usage"]
    assert found
    assert "key_encipherment" in found[0].detail
    # A keyUsage with digitalSignature, or none at all, is fine.
    for usage in (True, None):
        ok = inspect(token, _certificate(key, _START, 365, usage=usage)).verification
        assert ok.status == "valid"
        assert "certificate-key-usage" not in {f.id for f in ok.findings}
    # The signature is still checked: another key's token does not verify.
    other = real_token(REAL_ALGS[name][0], kf.private_key_for(REAL_ALGS[name][0], 1))
    assert inspect(other, cert).verification.status == "invalid"


def test_certificate_validity_is_judged_at_the_inspections_now() -> None:
    key = KEYS["P-256"]
    cert = _certificate(key, _START, 30, usage=None)
    token = real_token("ES256", key)
    inside = _START.timestamp() + 10 * 86400
    after = _START.timestamp() + 40 * 86400
    before = _START.timestamp() - 86400
    v = inspect(token, cert, now=inside).verification
    assert v.status == "valid"
    assert not {f.id for f in v.findings} & {"certificate-expired", "certificate-not-yet-valid"}
    v = inspect(token, cert, now=after).verification
    assert v.status == "valid"
    assert "certificate-expired" in {f.id for f in v.findings}
    assert "2026-01-31 00:00:00 UTC" in v.reason
    v = inspect(token, cert, now=before).verification
    assert v.status == "valid"
    assert "certificate-not-yet-valid" in {f.id for f in v.findings}
    # The same certificate as a bare x5c entry: the same facts.
    der = base64.b64encode(
        x509.load_pem_x509_certificate(cert.encode()).public_bytes(serialization.Encoding.DER)
    ).decode()
    v = inspect(token, json.dumps([der]), now=after).verification
    assert "certificate-expired" in {f.id for f in v.findings}


# ----------------------------------------------------------------- a secret file's final newline


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_secret_file_with_a_final_newline_says_so(ending: str) -> None:
    si = signing_input({"alg": "HS256"}, b'{"sub":"alice"}')
    token = hs256(si, SECRET)
    v = inspect(token, SECRET.decode() + ending).verification
    assert v.status == "invalid"
    assert "secret-trailing-newline" in {f.id for f in v.findings}
    assert "newline" in v.reason
    # Without the newline it verifies; a secret that really ends in one verifies with it.
    assert inspect(token, SECRET.decode()).verification.status == "valid"
    with_newline = hs256(si, SECRET + ending.encode())
    v = inspect(with_newline, SECRET.decode() + ending).verification
    assert v.status == "valid"
    assert "secret-trailing-newline" not in {f.id for f in v.findings}
    # A secret that matches neither way: the plain mismatch.
    v = inspect(hs256(si, b"another secret entirely, 32 byte"), SECRET.decode() + ending)
    assert "secret-trailing-newline" not in ids(v)


def test_key_files_are_read_without_their_byte_order_mark(tmp_path: Any) -> None:
    """The CLI's key-file reader decodes utf-8-sig: the BOM is not part of the key."""
    jwk = kf.jwk_text(KEYS["Ed25519"])
    path = tmp_path / "key.jwk"
    path.write_bytes(b"\xef\xbb\xbf" + jwk.encode())
    text, encoding = read_key_file(str(path))
    assert text == jwk
    assert encoding == "utf-8"
    secret_path = tmp_path / "secret.txt"
    secret_path.write_bytes(b"\xef\xbb\xbf" + SECRET)
    text, _ = read_key_file(str(secret_path))
    si = signing_input({"alg": "HS256"}, b"{}")
    assert inspect(hs256(si, SECRET), text).verification.status == "valid"


# ----------------------------------------------------------------- the signer reads the same forms


@pytest.mark.parametrize(
    "text_of",
    [
        lambda k: "\ufeff" + kf.jwk_text(k, private=True),
        lambda k: f"[{kf.jwk_text(k, private=True)}]",
        lambda k: kf.private_pem(k).replace("PRIVATE KEY", "private key"),
        lambda k: kf.private_pem(k).replace("-----", "----"),
        lambda k: json.dumps(kf.private_pem(k)),
    ],
    ids=["jwk-after-bom", "jwk-in-brackets", "lower-case-pem", "4-dash-pem", "json-string-pem"],
)
def test_the_signer_reads_every_private_key_form(text_of: Any) -> None:
    """Signing reads keys through the same recogniser (no second, stricter PEM regex): the
    token it makes verifies with the public key."""
    from inspector.core.signing import SigningKey, read_signing_key

    key = KEYS["P-256"]
    signing = read_signing_key(text_of(key), alg="ES256")
    assert isinstance(signing, SigningKey), signing
    si = signing_input({"alg": "ES256"}, b'{"sub":"alice"}')
    token = f"{si}.{b64(sign('ES256', signing.key, si.encode()))}"
    assert inspect(token, kf.public_pem(key)).verification.status == "valid"
