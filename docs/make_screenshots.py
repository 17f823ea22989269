"""Regenerate the screenshots in docs/screenshots/: the window at 1024x700 and 1600x1000, in
the light and the dark theme, on two realistic cases:

- ``rs256-jwks-*``: an RS256 ID token verified against its issuer's two-key JWK Set (the
  ``kid`` picks the key), judged for its audience and issuer;
- ``findings-*``: an HS256 token signed with a guessable secret, expired, with a password in
  its payload: the banner says what a server must reject, the findings list why.

Keys and tokens are made fresh on each run (the keys are thrown away); the times are fixed
relative to now, so every run shows the same verdicts. Run offscreen, nothing is displayed:

    python docs/make_screenshots.py [OUTPUT_DIR]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from PySide6.QtWidgets import QApplication

from inspector.ui.window import InspectorWindow

#: (width, height) of each shot.
SIZES = ((1024, 700), (1600, 1000))
THEMES = ("light", "dark")
ISSUER = "https://login.example.com/"
AUDIENCE = "api://orders"
#: A secret from every list of common ones (the findings case is signed with it).
WEAK_SECRET = "secret"


def modulus(key: rsa.RSAPrivateKey) -> dict[str, str]:
    """The public key's ``n`` and ``e``, as a JWK writes them."""
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {"n": jwk["n"], "e": jwk["e"]}


def jwks_case() -> tuple[str, str, dict[str, str]]:
    """An RS256 ID token, its issuer's JWK Set (this key and the next one, as during a key
    rotation) and the audience and issuer to expect."""
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]
    kids = ["2026-11-signing", "2026-12-signing"]
    jwks = {
        "keys": [
            # As an issuer's jwks_uri serves them (Google's, say): no key_ops.
            {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, **modulus(k)}
            for k, kid in zip(keys, kids, strict=True)
        ]
    }
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "248289761001",
        "aud": AUDIENCE,
        "iat": now - 300,
        "nbf": now - 300,
        "exp": now + 3300,
        "jti": "a3f1c9e2-5b7d-4e08-9c61-0d2f8b4e7a15",
        "scope": "orders:read orders:write",
    }
    token = jwt.encode(claims, keys[0], algorithm="RS256", headers={"kid": kids[0]})
    return token, json.dumps(jwks, indent=2), {"audience": AUDIENCE, "issuer": ISSUER}


def findings_case() -> tuple[str, str, dict[str, str]]:
    """An HS256 token signed with "secret", expired an hour ago, carrying a password; the
    user tries "secret" as the key, and it verifies."""
    now = int(time.time())
    claims = {
        "sub": "admin",
        "name": "Ada Lovelace",
        "role": "admin",
        "password": "hunter2",
        "iat": now - 7200,
        "exp": now - 3600,
    }
    return jwt.encode(claims, WEAK_SECRET, algorithm="HS256"), WEAK_SECRET, {}


CASES = {"rs256-jwks": jwks_case, "findings": findings_case}


def shoot(app: QApplication, out: Path) -> list[Path]:
    saved: list[Path] = []
    cases = {name: make() for name, make in CASES.items()}
    for theme in THEMES:
        for width, height in SIZES:
            for name, (token, key, expect) in cases.items():
                window = InspectorWindow(token=token, key=key, theme=theme)
                window.resize(width, height)
                window.show()
                window.finish_setup()
                window.validation_panel.audience.setText(expect.get("audience", ""))
                window.validation_panel.issuer.setText(expect.get("issuer", ""))
                window.inspect_now()
                deadline = time.monotonic() + 30
                while not window.is_settled() and time.monotonic() < deadline:
                    app.processEvents()
                    time.sleep(0.01)
                for _ in range(20):  # layouts and palettes settle over a few turns
                    app.processEvents()
                path = out / f"{name}-{width}x{height}-{theme}.png"
                if window.grab().save(str(path)):
                    saved.append(path)
                window.close()
                window.deleteLater()
                app.processEvents()
    return saved


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    saved = shoot(app, out)
    for path in saved:
        sys.stdout.write(f"{path}\n")
    expected = len(SIZES) * len(THEMES) * len(CASES)
    return 0 if len(saved) == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
