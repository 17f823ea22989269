"""Conformance on third-party vectors (../shared/vectors; mapping as SOURCES.md describes).

Token files: every compact case is run through the facade's verifier
(``verify_token(parse_token(jws), key_text)``), and, for comparison, through PyJWT and jwcrypto
used as a careful caller would (algorithms allowed by the key, not by the token). Our verdict
"accept" means ``status == "valid"`` with no weak-key finding (RFC 7518 §3.2, §3.3: such keys
must not be used). Primitive files (message, signature, key) go through the algorithm layer.

Cases set aside are listed, with reasons, in :mod:`tests.core.conformance_exclusions` only.
The per-file agreement table is printed at the end of the session (visible without ``-s``).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from inspector.core import algorithms
from inspector.core.jwk import JWKError, load_jwk
from inspector.core.keys import load_key
from inspector.core.model import Verification
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_token
from tests.core.conformance_exclusions import EXCLUDED

pytestmark = pytest.mark.vectors

#: Findings that mean "this key must not be used" even when the signature matches.
WEAK_KEY_FINDINGS = frozenset({"weak-rsa-key", "short-hmac-secret", "empty-secret"})

_RESULTS: dict[str, dict[str, tuple[int, int]]] = {}


@dataclass(frozen=True)
class Case:
    file: str
    id: str
    token: str
    key_text: str | None
    expected: str  # "valid" | "invalid"
    encoding: str = "utf-8"


def accepts(v: Verification) -> bool:
    return v.status == "valid" and not any(f.id in WEAK_KEY_FINDINGS for f in v.findings)


def ours(case: Case) -> bool:
    return accepts(
        verify_token(parse_token(case.token), case.key_text, secret_encoding=case.encoding)
    )


# --------------------------------------------------------------------------- oracles


def _key_algs(kind: str, crv: str | None = None, bits: int = 0) -> list[str]:
    if kind == "oct":
        return ["HS256", "HS384", "HS512"]
    if kind == "RSA":
        return ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    if kind == "EC":
        return {"P-256": ["ES256"], "P-384": ["ES384"], "P-521": ["ES512"]}.get(crv or "", [])
    return ["EdDSA"]


def _pyjwt_accepts(case: Case) -> bool:
    import jwt
    from jwt.api_jwk import PyJWK, PyJWKSet
    from jwt.api_jws import PyJWS

    if case.key_text is None:
        return False
    try:
        header = jwt.get_unverified_header(case.token)
        text = case.key_text.strip()
        keys: list[tuple[Any, list[str]]] = []
        if text.startswith("{"):
            doc = json.loads(text)
            entries = doc["keys"] if "keys" in doc else [doc]
            if "keys" in doc:
                jwks = PyJWKSet.from_dict(doc)
                kid = header.get("kid")
                chosen = [k for k in jwks.keys if kid is None or k.key_id == kid]
            else:
                chosen = [PyJWK(doc)]
            del entries
            for k in chosen:
                alg = k._jwk_data.get("alg")
                crv = k._jwk_data.get("crv")
                keys.append((k.key, [alg] if alg else _key_algs(k.key_type, crv)))
        elif "-----BEGIN" in text:
            from cryptography.hazmat.primitives import serialization

            data = text.encode()
            if "CERTIFICATE" in text:
                keys.append(
                    (
                        text,
                        [
                            "RS256",
                            "RS384",
                            "RS512",
                            "PS256",
                            "PS384",
                            "PS512",
                            "ES256",
                            "ES384",
                            "ES512",
                            "EdDSA",
                        ],
                    )
                )
            else:
                try:
                    obj: Any = serialization.load_pem_public_key(data)
                except ValueError:
                    obj = serialization.load_pem_private_key(data, None)
                kind = type(obj).__name__
                algs = (
                    _key_algs("RSA")
                    if "RSA" in kind
                    else ["ES256", "ES384", "ES512", "ES256K"]
                    if "Elliptic" in kind
                    else ["EdDSA"]
                )
                keys.append((obj, algs))
        else:
            secret = bytes.fromhex(text) if case.encoding == "hex" else text.encode()
            keys.append((secret, _key_algs("oct")))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, algs in keys:
                try:
                    PyJWS().decode_complete(case.token, key, algorithms=algs)
                    return True
                except Exception:  # noqa: BLE001 - any error is a rejection
                    continue
    except Exception:  # noqa: BLE001
        return False
    return False


def _jwcrypto_accepts(case: Case) -> bool:
    from jwcrypto import jwk, jws
    from jwcrypto.common import base64url_encode

    if case.key_text is None:
        return False
    try:
        text = case.key_text.strip()
        key: Any
        if text.startswith("{"):
            doc = json.loads(text)
            key = jwk.JWKSet.from_json(text) if "keys" in doc else jwk.JWK(**doc)
        elif "-----BEGIN" in text:
            key = jwk.JWK.from_pem(text.encode())
        else:
            secret = bytes.fromhex(text) if case.encoding == "hex" else text.encode()
            key = jwk.JWK(kty="oct", k=base64url_encode(secret))
        obj = jws.JWS()
        obj.deserialize(case.token)
        obj.verify(key)
        return True
    except Exception:  # noqa: BLE001 - any error is a rejection
        return False


# --------------------------------------------------------------------------- case loaders


def _read(vectors: Path, rel: str) -> Any:
    return json.loads((vectors / rel).read_text(encoding="utf-8"))


def _wycheproof(vectors: Path, rel: str) -> Iterator[Case]:
    for group in _read(vectors, rel)["testGroups"]:
        key = group.get("public", group.get("private"))
        for t in group["tests"]:
            if "jws" not in t:  # the JWE half of json_web_crypto_test.json
                continue
            # tcId 17 holds a JSON serialization (a string in one file, an object in the
            # other); it is expected to be rejected, and is kept.
            jws = t["jws"] if isinstance(t["jws"], str) else json.dumps(t["jws"])
            yield Case(rel, str(t["tcId"]), jws, json.dumps(key), t["result"])


def _cookbook(vectors: Path, rel: str) -> Iterator[Case]:
    paths = sorted((vectors / "jose-cookbook/jws").glob("*.json"))
    paths.append(vectors / "jose-cookbook/curve25519/jws.json")
    for path in paths:
        doc = json.loads(path.read_text(encoding="utf-8"))
        compact = doc.get("output", {}).get("compact")
        if not compact:
            continue
        yield Case(rel, path.name, compact, json.dumps(doc["input"]["key"]), "valid")


def _rfc_examples(vectors: Path, rel: str) -> Iterator[Case]:
    for c in _read(vectors, rel)["cases"]:
        if c["serialization"] != "compact":
            continue
        key = None if c.get("key") is None else json.dumps(c["key"])
        yield Case(rel, c["id"], c["jws"], key, c["expected"])


def _joserfc(vectors: Path, rel: str) -> Iterator[Case]:
    doc = _read(vectors, rel)
    a1 = (vectors / "golang-jwt/test/hmacTestKey").read_bytes()  # the RFC 7515 A.1 key
    for t in doc["tests"]:
        token = t.get("compact") or t.get("token")
        if not token:
            continue
        if "secret" in t:
            key, enc = t["secret"], "utf-8"
        elif "public_key" in t:
            key, enc = (vectors / "joserfc/keys" / t["public_key"]).read_text(), "utf-8"
        else:
            key, enc = a1.hex(), "hex"
        yield Case(rel, t["name"], token, key, "valid", enc)


def _golang(vectors: Path, rel: str) -> Iterator[Case]:
    for c in _read(vectors, rel)["cases"]:
        raw = (vectors / "golang-jwt" / c["public_key_file"]).read_bytes()
        if c["public_key_file"].endswith("hmacTestKey"):
            key, enc = raw.hex(), "hex"
        else:
            key, enc = raw.decode(), "utf-8"
        yield Case(rel, f"{c['name']} ({c['expected']})", c["token"], key, c["expected"], enc)


TOKEN_FILES: dict[str, Callable[[Path, str], Iterator[Case]]] = {
    "wycheproof/json_web_signature_test.json": _wycheproof,
    "wycheproof/json_web_key_test.json": _wycheproof,
    "wycheproof/json_web_crypto_test.json": _wycheproof,
    "rfc-examples/rfc7515_7519_8037_examples.json": _rfc_examples,
    "jose-cookbook/jws": _cookbook,
    "joserfc/fixtures/jws_examples.json": _joserfc,
    "joserfc/fixtures/jws_rfc7520.json": _joserfc,
    "joserfc/fixtures/jws_rfc7797.json": _joserfc,
    "joserfc/fixtures/jwt_use_jws.json": _joserfc,
    "golang-jwt/golang-jwt_verify_tables.json": _golang,
}


@pytest.fixture(scope="module", autouse=True)
def _report(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    if not _RESULTS:
        return
    lines = [
        "",
        "Conformance: agreement with the expected verdict (excluded cases not counted)",
        f"{'file':58} {'ours':>9} {'PyJWT':>9} {'jwcrypto':>9} {'excluded':>8}",
    ]
    for name, r in _RESULTS.items():
        cells = [f"{r[k][0]}/{r[k][1]}" if k in r else "-" for k in ("ours", "pyjwt", "jwcrypto")]
        lines.append(f"{name:58} {cells[0]:>9} {cells[1]:>9} {cells[2]:>9} {r['excluded'][0]:>8}")
    capman = pytestconfig.pluginmanager.get_plugin("capturemanager")
    tr = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if capman is None or tr is None:  # pragma: no cover - plugins disabled
        return
    with capman.global_and_fixture_disabled():
        for line in lines:
            tr.write_line(line)


@pytest.mark.parametrize("rel", list(TOKEN_FILES))
def test_token_file(vectors: Path, rel: str) -> None:
    cases = list(TOKEN_FILES[rel](vectors, rel))
    assert cases, f"no compact cases found in {rel}"
    counted = [c for c in cases if (c.file, c.id) not in EXCLUDED]
    excluded = [c for c in cases if (c.file, c.id) in EXCLUDED]
    wrong = [c for c in counted if ours(c) != (c.expected == "valid")]
    agree = {
        "ours": len(counted) - len(wrong),
        "pyjwt": sum(_pyjwt_accepts(c) == (c.expected == "valid") for c in counted),
        "jwcrypto": sum(_jwcrypto_accepts(c) == (c.expected == "valid") for c in counted),
    }
    _RESULTS[rel] = {k: (v, len(counted)) for k, v in agree.items()}
    _RESULTS[rel]["excluded"] = (len(excluded), len(excluded))
    assert not wrong, "disagreements: " + "; ".join(
        f"{c.id} expected {c.expected}: "
        + verify_token(parse_token(c.token), c.key_text, secret_encoding=c.encoding).reason
        for c in wrong
    )
    stale = [c.id for c in excluded if ours(c) == (c.expected == "valid")]
    assert not stale, f"excluded cases that now agree (remove them from the list): {stale}"
    assert agree["ours"] >= max(agree["pyjwt"], agree["jwcrypto"])


def test_every_exclusion_names_a_real_case(vectors: Path) -> None:
    ids = {(c.file, c.id) for rel, load in TOKEN_FILES.items() for c in load(vectors, rel)}
    assert set(EXCLUDED) <= ids, sorted(set(EXCLUDED) - ids)


# --------------------------------------------------------------------------- primitive files

_HASH_ALG = {
    ("ECDSA", "SHA-256", "secp256r1"): "ES256",
    ("ECDSA", "SHA-384", "secp384r1"): "ES384",
    ("ECDSA", "SHA-512", "secp521r1"): "ES512",
    ("ECDSA", "SHA-256", "secp256k1"): "ES256K",
    ("RSA", "SHA-256", None): "RS256",
    ("RSA", "SHA-384", None): "RS384",
    ("RSA", "SHA-512", None): "RS512",
    ("PSS", "SHA-256", None): "PS256",
    ("PSS", "SHA-384", None): "PS384",
    ("PSS", "SHA-512", None): "PS512",
}

PRIMITIVE_FILES = [
    "ecdsa_secp256r1_sha256_p1363_test.json",
    "ecdsa_secp384r1_sha384_p1363_test.json",
    "ecdsa_secp521r1_sha512_p1363_test.json",
    "ecdsa_secp256k1_sha256_p1363_test.json",
    *(f"rsa_signature_{b}_sha{h}_test.json" for b in (2048, 3072, 4096) for h in (256, 384, 512)),
    "rsa_pss_2048_sha256_mgf1_32_test.json",
    "rsa_pss_3072_sha256_mgf1_32_test.json",
    "rsa_pss_4096_sha256_mgf1_32_test.json",
    "rsa_pss_2048_sha384_mgf1_48_test.json",
    "rsa_pss_4096_sha384_mgf1_48_test.json",
    "rsa_pss_4096_sha512_mgf1_64_test.json",
    "ed25519_test.json",
    "ed448_test.json",
    "hmac_sha256_test.json",
    "hmac_sha384_test.json",
    "hmac_sha512_test.json",
]


def _group_key(group: dict[str, Any]) -> Any:
    jwk = group.get("publicKeyJwk") or group.get("keyJwk")
    if jwk is not None:
        try:
            return load_jwk(jwk).public
        except JWKError:
            pass
    pem = group.get("publicKeyPem")
    if pem is None:
        return None
    loaded = load_key(pem)
    return loaded.candidates[0].key if loaded.candidates else None


def _group_alg(name: str, group: dict[str, Any]) -> str | None:
    if name.startswith("hmac_"):
        bits = int(name.split("sha")[1][:3])
        return f"HS{bits}" if group["tagSize"] == bits else None
    if name.startswith("ed25519"):
        return "Ed25519"
    if name.startswith("ed448"):
        return "Ed448"
    sha = group["sha"].replace("SHA-", "SHA-")
    if name.startswith("ecdsa"):
        return _HASH_ALG[("ECDSA", sha, group["publicKey"]["curve"])]
    if name.startswith("rsa_pss"):
        if group["mgfSha"] != sha or group["sLen"] * 8 != int(sha[4:]):
            return None
        return _HASH_ALG[("PSS", sha, None)]
    return _HASH_ALG[("RSA", sha, None)]


def _pyjwt_primitive(alg: str, key: Any, msg: bytes, sig: bytes) -> bool:
    from jwt.algorithms import get_default_algorithms

    name = "EdDSA" if alg in ("Ed25519", "Ed448") else alg
    try:
        return bool(get_default_algorithms()[name].verify(msg, key, sig))
    except Exception:  # noqa: BLE001 - any error is a rejection
        return False


def _jwcrypto_primitive(alg: str, key: Any, msg: bytes, sig: bytes) -> bool:
    from jwcrypto import jwa, jwk
    from jwcrypto.common import base64url_encode

    name = "EdDSA" if alg in ("Ed25519", "Ed448") else alg
    try:
        k = (
            jwk.JWK(kty="oct", k=base64url_encode(key))
            if isinstance(key, bytes)
            else jwk.JWK.from_pyca(key)
        )
        jwa.JWA.signing_alg(name).verify(k, msg, sig)
        return True
    except Exception:  # noqa: BLE001 - any error is a rejection
        return False


@pytest.mark.parametrize("name", PRIMITIVE_FILES)
def test_primitive_file(vectors: Path, name: str) -> None:
    doc = _read(vectors, f"wycheproof/{name}")
    total = agree = 0
    others = {"pyjwt": 0, "jwcrypto": 0}
    wrong: list[str] = []
    for group in doc["testGroups"]:
        alg = _group_alg(name, group)
        if alg is None:
            continue
        key = None if name.startswith("hmac_") else _group_key(group)
        for t in group["tests"]:
            if t["result"] == "acceptable":
                continue
            k = bytes.fromhex(t["key"]) if name.startswith("hmac_") else key
            msg, sig = bytes.fromhex(t["msg"]), bytes.fromhex(t.get("sig", t.get("tag", "")))
            expected = t["result"] == "valid"
            got = k is not None and algorithms.verify(alg, k, msg, sig)
            others["pyjwt"] += (k is not None and _pyjwt_primitive(alg, k, msg, sig)) == expected
            others["jwcrypto"] += (
                k is not None and _jwcrypto_primitive(alg, k, msg, sig)
            ) == expected
            total += 1
            if got == (t["result"] == "valid"):
                agree += 1
            else:
                wrong.append(f"{t['tcId']} ({t['comment']}) expected {t['result']}")
    _RESULTS[f"wycheproof/{name}"] = {
        "ours": (agree, total),
        "pyjwt": (others["pyjwt"], total),
        "jwcrypto": (others["jwcrypto"], total),
        "excluded": (0, 0),
    }
    assert total > 0
    assert not wrong, wrong
    assert agree >= max(others.values())
