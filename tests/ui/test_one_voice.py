"""One voice: the window's banner, findings summary and size text are the same sentences the
CLI's text report prints for the same inspection, both from :mod:`inspector.presentation`."""

from __future__ import annotations

import io
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from inspector.cli.inspect_cmd import write_report
from inspector.core.model import Inspection
from inspector.presentation import findings_summary, size_text, verdict
from inspector.ui.window import InspectorWindow
from tests.ui.conftest import settle

SECRET = "a-long-enough-secret-for-hs256-tests-0123456789"
_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_RSA_PEM = (
    _RSA.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
_EC_PEM = (
    ec.generate_private_key(ec.SECP256R1())
    .public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
_CLAIMS = {"sub": "alice", "exp": 4_102_444_800}
_HS256 = jwt.encode(_CLAIMS, SECRET, algorithm="HS256")


def _forged() -> str:
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256"}).encode())
    signing_input = f"{header}.{b64(json.dumps(_CLAIMS).encode())}"
    sig = hmac.new(_RSA_PEM.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(sig)}"


#: (token, key, the headline expected in both front ends)
CASES = {
    "verified": (_HS256, SECRET, "Signature verified"),
    "bad-signature": (_HS256, SECRET + "x", "Invalid signature"),
    "key-misfit": (_HS256, _EC_PEM, "Invalid: this key does not fit the token"),
    "forged-with-public-key": (_forged(), _RSA_PEM, "Invalid: forged with the public key"),
    "unsecured": (
        jwt.encode(_CLAIMS, None, algorithm="none"),
        SECRET,
        "Invalid: unsecured token (no signature)",
    ),
    "malformed": ("abc.def", SECRET, "Invalid token: incomplete or malformed"),
    "no-key": (_HS256, "", "Not checked: enter a key"),
    "no-token": ("", SECRET, "Not checked: no token"),
}


def _cli_report(inspection: Inspection, key_given: bool) -> list[str]:
    out = io.StringIO()
    write_report(inspection, out, colour=False, key_given=key_given)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("outcome", list(CASES))
def test_window_and_cli_say_the_same_sentences(qtbot, window: InspectorWindow, outcome) -> None:
    token, key, headline = CASES[outcome]
    window.set_key_text(key)
    window.set_token_text(token)
    settle(qtbot, window)
    inspection = window.inspection
    assert inspection is not None
    v = inspection.verification
    assert v.outcome == outcome
    shown = window.verification_status.text()
    assert shown == headline
    assert shown == verdict(v, has_key=bool(key)).headline
    report = _cli_report(inspection, key_given=bool(key))
    # The CLI's verdict: the line under "Verification" is the window's headline, word for word.
    assert report[report.index("Verification") + 1].strip() == shown
    # The findings summary: the window's label is the heading of the CLI's findings.
    if token:
        assert window.findings_summary.text() == findings_summary(inspection.findings)
        assert window.findings_summary.text() in report
    # The size: the window's status bar and the CLI's token heading say it the same way.
    size = window.size_label.text()
    assert size == size_text(inspection.parsed.size()["token"] if inspection.token else 0)
    if inspection.token:
        words = size.removeprefix("Token: ")
        assert report[0] == f"Token ({inspection.format.upper()}, {words})"
