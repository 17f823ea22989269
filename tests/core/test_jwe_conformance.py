"""JWE conformance on third-party vectors (../shared/vectors; SOURCES.md describes them) and
RFC 7516 Appendix A: every case decrypts to the published plaintext when it is valid, and does
not decrypt when it is not. Set-aside cases are named with their reason in
:data:`tests.core.conformance_exclusions.JWE_EXCLUDED`, and are checked to still disagree.

Skips with the reason when the vectors are missing; fails instead under ``CI=true`` (the
``vectors`` fixture in tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from inspector.core import inspect_token
from tests.core.conformance_exclusions import JWE_EXCLUDED

pytestmark = pytest.mark.vectors


class Case(NamedTuple):
    file: str
    id: str
    token: str
    key: str
    valid: bool
    plaintext: bytes | None


def _read(vectors: Path, rel: str) -> Any:
    return json.loads((vectors / rel).read_text(encoding="utf-8"))


def _wycheproof(vectors: Path, rel: str) -> Iterator[Case]:
    for group in _read(vectors, rel)["testGroups"]:
        key = group.get("private") or group.get("public")
        for t in group["tests"]:
            if "jwe" not in t:
                continue  # the JWS half of json_web_crypto_test.json (test_conformance.py)
            token = t["jwe"] if isinstance(t["jwe"], str) else json.dumps(t["jwe"])
            pt = bytes.fromhex(t["pt"]) if "pt" in t else None
            yield Case(rel, str(t["tcId"]), token, json.dumps(key), t["result"] == "valid", pt)


def _cookbook_record(rel: str, doc: dict[str, Any]) -> Iterator[Case]:
    given = doc["input"]
    keys = given.get("key")
    key = (
        given["pwd"] if "pwd" in given else json.dumps(keys[0] if isinstance(keys, list) else keys)
    )
    plaintext = given["plaintext"].encode("utf-8")
    for form in ("compact", "json_flat", "json"):
        out = doc["output"].get(form)
        if out is not None:
            token = out if isinstance(out, str) else json.dumps(out)
            yield Case(rel, form, token, key, True, plaintext)


def _cookbook(vectors: Path, rel: str) -> Iterator[Case]:
    for path in sorted((vectors / rel).glob("*.json")):
        yield from _cookbook_record(f"{rel}/{path.name}", _read(vectors, f"{rel}/{path.name}"))


def _curve25519(vectors: Path, rel: str) -> Iterator[Case]:
    yield from _cookbook_record(rel, _read(vectors, rel))


def _nesting(vectors: Path, rel: str) -> Iterator[Case]:
    doc = _read(vectors, rel)
    inner = doc["sign"]["output"]["compact"].encode()
    for case in _cookbook_record(rel, {**doc["encrypt"], "input": doc["encrypt"]["input"]}):
        yield case._replace(plaintext=inner)


FILES = {
    "wycheproof/json_web_encryption_test.json": _wycheproof,
    "wycheproof/json_web_crypto_test.json": _wycheproof,
    "jose-cookbook/jwe": _cookbook,
    "jose-cookbook/curve25519/ecdh-es.json": _curve25519,
    "jose-cookbook/6.nesting_signatures_and_encryption.json": _nesting,
}


def _agrees(case: Case) -> tuple[bool, str]:
    inspection = inspect_token(case.token, decryption_key=case.key, now=0)
    d = inspection.decryption
    decrypted = d is not None and d.status == "decrypted"
    if decrypted and case.plaintext is not None and d is not None:
        decrypted = d.plaintext == case.plaintext
    why = "no JWE found" if d is None else f"{d.status}: {d.reason}"
    return decrypted == case.valid, why


@pytest.mark.parametrize("rel", list(FILES))
def test_jwe_vector_file(vectors: Path, rel: str) -> None:
    cases = list(FILES[rel](vectors, rel))
    assert cases, f"no JWE cases read from {rel}"
    wrong = []
    for case in cases:
        if (case.file, case.id) in JWE_EXCLUDED:
            continue
        agrees, why = _agrees(case)
        if not agrees:
            wrong.append(
                f"{case.file} {case.id} (expected {'valid' if case.valid else 'invalid'}): {why}"
            )
    assert not wrong, "\n".join(wrong)


def test_every_jwe_exclusion_names_a_real_case_that_still_disagrees(vectors: Path) -> None:
    cases = {(c.file, c.id): c for rel, load in FILES.items() for c in load(vectors, rel)}
    for key in JWE_EXCLUDED:
        assert key in cases, f"exclusion {key} names no case"
        agrees, _ = _agrees(cases[key])
        assert not agrees, f"{key} now agrees: take it out of JWE_EXCLUDED"


def test_the_counts_are_what_sources_md_says(vectors: Path) -> None:
    wycheproof = list(_wycheproof(vectors, "wycheproof/json_web_encryption_test.json"))
    assert len(wycheproof) == 139
    assert len(list(_wycheproof(vectors, "wycheproof/json_web_crypto_test.json"))) == 34
    assert len(list((vectors / "jose-cookbook/jwe").glob("*.json"))) == 13


def test_the_nested_cookbook_token_verifies_inside(vectors: Path) -> None:
    """RFC 7520 §6: the JWS inside the JWE verifies with the signer's key (the `key`)."""
    doc = _read(vectors, "jose-cookbook/6.nesting_signatures_and_encryption.json")
    token = doc["encrypt"]["output"]["compact"]
    sign_key = {k: v for k, v in doc["sign"]["input"]["key"].items() if k in ("kty", "n", "e")}
    d = inspect_token(
        token,
        json.dumps(sign_key),
        decryption_key=json.dumps(doc["encrypt"]["input"]["key"]),
        now=0,
    ).to_dict()
    assert d["decryption"]["status"] == "decrypted"
    assert d["nested"]["verification"]["status"] == "valid"
    assert d["nested"]["payload"]["iss"] == "hobbiton.example"
