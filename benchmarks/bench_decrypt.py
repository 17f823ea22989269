"""Cost of decrypting a typical nested token against the floor, in one run (issue 14 item 6).

The token: an RS256 JWS (a typical access token's claims) inside a JWE with RSA-OAEP-256 and
A256GCM, as Auth0, Entra, Okta and Keycloak issue them (sign, then encrypt). Per token:

* floor: base64url-decode the five parts, ``json.loads`` the header, the ``cryptography``
  RSA-OAEP-256 unwrap and AES-GCM decrypt with an already-loaded private key, then split the
  inner JWS, decode and ``json.loads`` its header and payload and verify RS256 with an
  already-loaded public key;
* decrypt+verify: ``parse_token`` + ``decrypt_token`` + ``with_plaintext`` on the JWE, then
  ``parse_token`` + ``verify_token`` on the token inside (keys looked up in the key cache);
* inspect: the whole facade, ``inspect_token(token, public_pem, decryption_key=private_pem,
  check_weak_secrets=False, now=...)``, which also analyses both tokens (claims, lints,
  sensitive data).

Each is timed on a pool of distinct tokens, the parse cache emptied before each call (every
token is new; keys stay cached, as when one key is entered): per token the best of several
repeats, the three interleaved. Target: decrypt+verify at most 1.3x the floor; ``inspect``
is reported beside it. Run: ``python benchmarks/bench_decrypt.py`` (``--quick`` for fewer
repeats, ``--runs N`` to repeat the whole measurement).
"""

from __future__ import annotations

import argparse
import base64
import json
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from inspector.core import inspect_token, parse_token
from inspector.core.decryption import decrypt_token, nested_text, with_plaintext
from inspector.core.encryption import encrypt_with_key
from inspector.core.parsing import _parse_cached
from inspector.core.signing import sign_token
from inspector.core.verification import verify_token

NOW = 1_800_000_300.0
TYPICAL = {
    "iss": "https://auth.example.com/",
    "sub": "user-4711",
    "aud": "api://orders",
    "iat": 1_800_000_000,
    "nbf": 1_800_000_000,
    "exp": 1_800_000_900,
    "jti": "9b2f6c1e-7d43-4a8e-b1f0-3c5d2e8a7f64",
    "scope": "orders:read orders:write",
}
#: Distinct tokens, more than the parse cache (32) holds.
POOL = 128

_OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _pem(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def make_tokens() -> tuple[list[str], rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    """``(tokens, recipient key, signer key)``."""
    recipient = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer_pem = _pem(signer)
    tokens = []
    for i in range(POOL):
        claims = {**TYPICAL, "jti": f"{i:08d}-7d43-4a8e-b1f0-3c5d2e8a7f64"}
        signed = sign_token(
            json.dumps({"alg": "RS256", "typ": "at+jwt", "kid": "sig-1"}),
            json.dumps(claims),
            signer_pem,
        ).token
        assert signed is not None
        tokens.append(
            encrypt_with_key(
                signed,
                recipient.public_key(),
                alg="RSA-OAEP-256",
                enc="A256GCM",
                header={"cty": "JWT", "kid": "enc-1"},
            )
        )
    return tokens, recipient, signer


def floor(token: str, recipient: rsa.RSAPrivateKey, signer: rsa.RSAPublicKey) -> dict:
    head, ek, iv, ct, tag = token.split(".")
    json.loads(_unb64(head))
    cek = recipient.decrypt(_unb64(ek), _OAEP)
    inner = AESGCM(cek).decrypt(_unb64(iv), _unb64(ct) + _unb64(tag), head.encode()).decode()
    h, p, s = inner.split(".")
    json.loads(_unb64(h))
    claims = json.loads(_unb64(p))
    signer.verify(
        _unb64(s), f"{h}.{p}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )  # raises when it does not verify
    return claims


def core(token: str, private_pem: str, public_pem: str) -> dict:
    parsed = parse_token(token)
    decryption = decrypt_token(parsed, private_pem)
    assert decryption.plaintext is not None
    inner = nested_text(with_plaintext(parsed, decryption.plaintext))
    assert inner is not None
    inner_parsed = parse_token(inner)
    verification = verify_token(inner_parsed, public_pem, now=NOW)
    assert verification.status == "valid", verification.reason
    claims = inner_parsed.claims
    assert claims is not None
    return claims


def facade(token: str, private_pem: str, public_pem: str) -> dict:
    d = inspect_token(
        token, public_pem, decryption_key=private_pem, check_weak_secrets=False, now=NOW
    )
    assert d.nested is not None
    assert d.nested.verification.status == "valid"
    claims = d.nested.parsed.claims
    assert claims is not None
    return claims


def clear_parse_cache() -> None:
    _parse_cached.cache_clear()


def measure(repeats: int) -> dict[str, float]:
    tokens, recipient, signer = make_tokens()
    signer_pub = signer.public_key()
    private_pem, public_pem = _pem(recipient), _pem(signer_pub)
    # All three agree on every token before anything is timed.
    for t in tokens:
        assert floor(t, recipient, signer_pub) == core(t, private_pem, public_pem)
        assert facade(t, private_pem, public_pem) == core(t, private_pem, public_pem)

    timed = {
        "floor": lambda t: floor(t, recipient, signer_pub),
        "decrypt+verify": lambda t: core(t, private_pem, public_pem),
        "inspect": lambda t: facade(t, private_pem, public_pem),
    }
    # Per token, the three interleaved, best of the repeats each, summed over the tokens: a
    # load that comes and goes (the machine is shared) hits all three alike, and a burst
    # spoils one sample, not a whole pass.
    clock = time.perf_counter
    best = {name: [float("inf")] * len(tokens) for name in timed}
    for _ in range(repeats):
        for i, t in enumerate(tokens):
            for name, fn in timed.items():
                clear_parse_cache()  # every token new to each (not timed)
                start = clock()
                fn(t)
                best[name][i] = min(best[name][i], clock() - start)
    return {name: sum(times) / len(tokens) for name, times in best.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole measurement")
    args = parser.parse_args()
    repeats = 3 if args.quick else 15
    print(f"RSA-OAEP-256 + A256GCM around RS256, {POOL} distinct tokens, best of {repeats}")
    for run in range(1, args.runs + 1):
        t = measure(repeats)
        base = t["floor"]
        print(
            f"run {run}: floor {base * 1e6:8.1f} us | "
            f"decrypt+verify {t['decrypt+verify'] * 1e6:8.1f} us "
            f"({t['decrypt+verify'] / base:.2f}x, target <= 1.30x) | "
            f"inspect {t['inspect'] * 1e6:8.1f} us ({t['inspect'] / base:.2f}x)"
        )


if __name__ == "__main__":
    main()
