"""Every text form a public key can be pasted in, for the forgery tests.

:func:`key_forms` gives ``(name, text)`` for one private key: PEM in every armour, DER in
every encoding, certificates, JWK and JWK Set in every wrapping, OpenSSH lines of every shape.
:func:`decorate` adds what copy and paste adds (a byte-order mark, zero-width spaces, quotes,
brackets, whitespace). An HS256 token HMAC-signed with any of these texts must never verify.
"""

from __future__ import annotations

import base64
import datetime
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

from tests.core import keyfactory as kf

_PEM = serialization.Encoding.PEM
_DER = serialization.Encoding.DER
_SPKI = serialization.PublicFormat.SubjectPublicKeyInfo


def _wrap(b64: str, width: int = 64) -> str:
    return "\n".join(b64[i : i + width] for i in range(0, len(b64), width))


def public_of(key: Any) -> Any:
    return key.public_key() if hasattr(key, "public_key") else key


def spki_der(key: Any) -> bytes:
    return public_of(key).public_bytes(_DER, _SPKI)


def ssh_line(key: Any) -> str:
    return (
        public_of(key)
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )


def _ssh_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _ssh_mpint(n: int) -> bytes:
    return _ssh_string(n.to_bytes(n.bit_length() // 8 + 1, "big"))


def ssh_dss_line(key: dsa.DSAPrivateKey) -> str:
    """An ``ssh-dss`` public key line (RFC 4253 §6.6), written by hand: cryptography's own
    DSA SSH support is deprecated."""
    nums = key.public_key().public_numbers()
    p = nums.parameter_numbers
    wire = _ssh_string(b"ssh-dss") + b"".join(_ssh_mpint(v) for v in (p.p, p.q, p.g, nums.y))
    return "ssh-dss " + base64.b64encode(wire).decode() + " dsa@example"


def ssh_certificate_line(key: Any) -> str:
    """An OpenSSH user certificate for ``key``'s public half, signed by ``key`` itself."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    cert = (
        serialization.SSHCertificateBuilder()
        .public_key(public_of(key))
        .serial(1)
        .type(serialization.SSHCertificateType.USER)
        .key_id(b"test")
        .valid_principals([b"alice"])
        .valid_after(int(start.timestamp()))
        .valid_before(int(start.timestamp()) + 86400)
        .sign(key)
    )
    return cert.public_bytes().decode()


def rfc4716(key: Any) -> str:
    _, blob = ssh_line(key).split()[:2]
    return (
        "---- BEGIN SSH2 PUBLIC KEY ----\n"
        'Comment: "a comment that goes on \\\n'
        'and on"\n'
        f"{_wrap(blob, 70)}\n"
        "---- END SSH2 PUBLIC KEY ----\n"
    )


def key_forms(key: Any, *, private: bool = True) -> list[tuple[str, str]]:
    """``(name, text)`` for every form of ``key`` (a private key object) that the inspector
    recognises as key material."""
    pub = public_of(key)
    spki_pem = pub.public_bytes(_PEM, _SPKI).decode()
    der = spki_der(key)
    b64 = base64.b64encode(der).decode()
    jwk = kf.jwk_text(key)
    forms: list[tuple[str, str]] = [
        ("spki-pem", spki_pem),
        ("spki-pem-no-final-newline", spki_pem.rstrip("\n")),
        ("spki-pem-crlf", spki_pem.replace("\n", "\r\n")),
        (
            "spki-pem-lower-case-armour",
            spki_pem.replace("BEGIN PUBLIC KEY", "begin public key").replace(
                "END PUBLIC KEY", "end public key"
            ),
        ),
        ("spki-pem-4-dash-armour", spki_pem.replace("-----", "----")),
        ("spki-pem-one-line", " ".join(spki_pem.split("\n"))),
        ("spki-pem-json-string", json.dumps(spki_pem)),
        ("spki-pem-in-base64", base64.b64encode(spki_pem.encode()).decode()),
        ("spki-der-base64", b64),
        ("spki-der-base64-wrapped", _wrap(b64)),
        ("spki-der-base64-escaped-newlines", _wrap(b64).replace("\n", "\\n")),
        ("spki-der-base64-quoted", json.dumps(b64)),
        ("spki-der-base64url", base64.urlsafe_b64encode(der).decode().rstrip("=")),
        ("spki-der-hex", der.hex()),
        ("spki-der-hex-colons", der.hex(":")),
        ("spki-der-hex-0x", "0x" + der.hex()),
        ("spki-der-data-url", "data:application/pkix-key;base64," + b64),
        ("spki-der-env-line", "JWT_PUBLIC_KEY=" + b64),
        ("spki-pem-escaped-newlines", spki_pem.replace("\n", "\\n")),
        ("certificate-pem", kf.certificate_pem(key)),
        ("certificate-x5c-base64", kf.certificate_x5c(key)),
        ("certificate-x5c-array", json.dumps([kf.certificate_x5c(key)])),
        (
            "certificate-pem-x509-label",
            kf.certificate_pem(key).replace("CERTIFICATE", "X509 CERTIFICATE"),
        ),
        ("jwk", jwk),
        ("jwk-pretty", json.dumps(json.loads(jwk), indent=2)),
        ("jwk-in-brackets", f"[{jwk}]"),
        ("jwk-set", json.dumps({"keys": [json.loads(jwk)]})),
        ("jwk-in-base64url", base64.urlsafe_b64encode(jwk.encode()).decode()),
    ]
    if isinstance(pub, rsa.RSAPublicKey):
        forms.append(("pkcs1-pem", kf.pkcs1_public_pem(key)))
        pkcs1 = pub.public_bytes(_DER, serialization.PublicFormat.PKCS1)
        forms.append(("pkcs1-der-base64", base64.b64encode(pkcs1).decode()))
    if isinstance(pub, ed448.Ed448PublicKey):
        pass  # OpenSSH has no Ed448 keys
    elif not isinstance(pub, ec.EllipticCurvePublicKey) or pub.curve.name in (
        "secp256r1",
        "secp384r1",
        "secp521r1",
    ):
        line = ssh_line(key)
        kind, blob = line.split()[:2]
        forms += [
            ("openssh", line),
            ("openssh-with-comment", f"{line} alice@example"),
            ("openssh-tab", f"{kind}\t{blob}\talice@example"),
            ("openssh-double-spaces", f"{kind}  {blob}   alice@example"),
            ("authorized-keys-options", f'no-pty,command="echo hi there" {line} alice@example'),
            ("known-hosts", f"example.com,192.0.2.1 {line}"),
            ("known-hosts-hashed-marker", f"@cert-authority |1|abc=|def= {line}"),
            ("rfc4716", rfc4716(key)),
            ("ssh-blob-base64", blob),
            ("ssh-certificate", ssh_certificate_line(key)),
        ]
    if private:
        forms += [
            ("private-pkcs8-pem", kf.private_pem(key)),
            (
                "private-pkcs8-der-base64",
                base64.b64encode(
                    key.private_bytes(
                        _DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                    )
                ).decode(),
            ),
            ("private-jwk", kf.jwk_text(key, private=True)),
        ]
        if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            forms.append(("private-traditional-pem", kf.private_pem(key, "TraditionalOpenSSL")))
        if isinstance(key, ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey):
            forms.append(("private-openssh", kf.private_pem(key, "OpenSSH")))
    return forms


def unusable_forms() -> list[tuple[str, str]]:
    """Key material the inspector recognises but cannot verify with (refused, never a
    secret): DSA keys in OpenSSH and PEM form, and broken or cut-off key texts."""
    d = dsa.generate_private_key(key_size=1024)
    dsa_line = ssh_dss_line(d)
    rsa_pem = kf.public_pem(kf.rsa_key())
    ed = kf.okp_key("Ed25519")
    return [
        ("ssh-dss", dsa_line),
        ("ssh-dss-authorized-keys", f'from="192.0.2.1" {dsa_line} bob@example'),
        ("dsa-spki-pem", kf.public_pem(d)),
        ("pem-cut-off", rsa_pem[: len(rsa_pem) // 2]),
        ("pem-mismatched-labels", rsa_pem.replace("END PUBLIC KEY", "END PRIVATE KEY")),
        ("pem-unknown-label", rsa_pem.replace("PUBLIC KEY", "SOMETHING ELSE")),
        ("jwk-cut-off", kf.jwk_text(ed)[:-10]),
        ("jwk-python-repr", repr(kf.jwk_dict(ed))),
        ("jwk-as-yaml", "".join(f"{k}: {v}\n" for k, v in kf.jwk_dict(ed).items())),
        ("pem-unicode-dashes", rsa_pem.replace("-----", "\u2013\u2013\u2013\u2013\u2013")),
        ("pem-fullwidth-dashes", rsa_pem.replace("-----", "\uff0d" * 5)),
        ("pem-armour-without-dashes", rsa_pem.replace("-----", "")),
        ("jwk-unknown-kty", json.dumps({"kty": "XYZ", "x": "AAAA"})),
        ("ssh-rsa-without-blob", "ssh-rsa"),
        ("ssh-type-mismatch", "ssh-rsa " + ssh_line(ed).split()[1]),
        (
            "der-sequence-not-a-key",
            base64.b64encode(b"\x30\x11" + b"\x02\x01\x01" * 5 + b"\x05\x00").decode(),
        ),
    ]


#: What copy and paste puts around a key text.
DECORATIONS: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("\ufeff", ""),
    ("\u200b", ""),
    ("\ufeff\u200b", "\u200d"),
    ("  \n", "\n\n"),
    ("\t", " "),
    ('"', '"'),
    ("'", "'"),
    ("[", "]"),
    ('["', '"]'),
    ("\u00a0", "\u2060"),
    ("\u202a", "\u202c"),
)


def decorate(text: str, before: str, after: str) -> str:
    return f"{before}{text}{after}"


def ed448_or_25519(crv: str) -> Any:
    return (
        ed448.Ed448PrivateKey.generate() if crv == "Ed448" else ed25519.Ed25519PrivateKey.generate()
    )
