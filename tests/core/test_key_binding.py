"""An SD-JWT's key-binding JWT checked (RFC 9901 §4.3, §7.3), against presentations made by
the reference implementation (``sd-jwt``, a test extra): the right key, sd_hash, nonce and
aud hold; a KB-JWT signed by another key, an sd_hash over another presentation (a disclosure
dropped, added or reordered), the wrong nonce or aud, a stale iat do not."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from inspector.core import inspect_token

jwk_mod = pytest.importorskip("jwcrypto.jwk")
jws_mod = pytest.importorskip("jwcrypto.jws")
pytest.importorskip("sd_jwt")

from sd_jwt.common import SDObj  # noqa: E402
from sd_jwt.holder import SDJWTHolder  # noqa: E402
from sd_jwt.issuer import SDJWTIssuer  # noqa: E402

AUD = "https://verifier.example"
NONCE = "n-0S6_WzA2Mj"
ISSUER_KEY = jwk_mod.JWK.generate(kty="EC", crv="P-256")
HOLDER_KEY = jwk_mod.JWK.generate(kty="EC", crv="P-256")
OTHER_KEY = jwk_mod.JWK.generate(kty="EC", crv="P-256")
CLAIMS = {
    "iss": "https://issuer.example",
    SDObj("given_name"): "Alice",
    SDObj("family_name"): "Smith",
    SDObj("email"): "alice@example.com",
}


def _issue(bind: bool = True) -> str:
    issuer = SDJWTIssuer(CLAIMS, ISSUER_KEY, HOLDER_KEY if bind else None)
    return str(issuer.sd_jwt_issuance)


def present(
    disclose: dict[str, Any] | None = None,
    *,
    holder_key: Any = HOLDER_KEY,
    nonce: str = NONCE,
    aud: str = AUD,
) -> str:
    holder = SDJWTHolder(_issue())
    holder.create_presentation(
        disclose or {"given_name": True, "family_name": True}, nonce, aud, holder_key
    )
    return str(holder.sd_jwt_presentation)


def kb_iat(presentation: str) -> int:
    payload = presentation.rsplit("~", 1)[1].split(".")[1]
    return int(json.loads(base64.urlsafe_b64decode(payload + "=="))["iat"])


def key_binding(presentation: str, **kw: Any) -> dict[str, Any]:
    if "now" not in kw:
        kw["now"] = kb_iat(presentation)
    kw.setdefault("kb_nonce", NONCE)
    kw.setdefault("kb_audience", AUD)
    d = inspect_token(presentation, ISSUER_KEY.export_public(), **kw).to_dict()
    assert d["verification"]["status"] == "valid"  # the issuer's signature is not at stake
    return d


def test_a_right_presentation_holds():
    p = present()
    d = key_binding(p)
    kb = d["sd_jwt"]["key_binding"]
    assert kb["status"] == "valid", kb["reason"]
    assert "aud and nonce are the expected ones" in kb["reason"]
    assert "sd-key-binding-invalid" not in [f["id"] for f in d["findings"]]
    assert d["profile"]["name"] == "sd-jwt"


def test_without_expected_values_the_reason_says_aud_and_nonce_were_not_compared():
    p = present()
    kb = key_binding(p, kb_nonce=None, kb_audience=None)["sd_jwt"]["key_binding"]
    assert kb["status"] == "valid"
    assert "were not compared" in kb["reason"]


def _invalid(d: dict[str, Any], words: str) -> None:
    kb = d["sd_jwt"]["key_binding"]
    assert kb["status"] == "invalid"
    assert words in kb["reason"]
    assert "sd-key-binding-invalid" in [f["id"] for f in d["findings"]]


def test_attack_kb_jwt_signed_with_another_key():
    _invalid(key_binding(present(holder_key=OTHER_KEY)), "does not verify with the cnf key")


def test_attack_wrong_nonce_and_wrong_aud():
    _invalid(key_binding(present(nonce="replayed")), "nonce")
    _invalid(key_binding(present(aud="https://other.example")), "aud")


def test_attack_a_disclosure_dropped_after_key_binding():
    p = present()
    jwt, *disclosures, kb = p.split("~")
    dropped = "~".join([jwt, disclosures[0], kb])
    _invalid(key_binding(dropped), "sd_hash")


def test_attack_a_disclosure_added_after_key_binding():
    full = SDJWTHolder(_issue())
    full.create_presentation({"given_name": True, "family_name": True, "email": True})
    email = [d for d in full.sd_jwt_presentation.split("~")[1:-1]]
    p = present()
    jwt, *disclosures, kb = p.split("~")
    extra = next(d for d in email if d not in disclosures)
    # (the added disclosure is from another issuance: unreferenced too, but sd_hash says so
    # even for one of this issuance's own)
    _invalid(key_binding("~".join([jwt, *disclosures, extra, kb])), "sd_hash")


def test_attack_disclosures_reordered_after_key_binding():
    p = present()
    jwt, *disclosures, kb = p.split("~")
    assert len(disclosures) >= 2
    reordered = "~".join([jwt, *reversed(disclosures[:2]), *disclosures[2:], kb])
    _invalid(key_binding(reordered), "sd_hash")


def test_a_stale_kb_jwt():
    p = present()
    _invalid(key_binding(p, now=kb_iat(p) + 3600), "iat")


def test_attack_kb_jwt_on_an_sd_jwt_without_cnf():
    holder = SDJWTHolder(_issue(bind=False))
    holder.create_presentation({"given_name": True})
    unbound = str(holder.sd_jwt_presentation)
    kb = present().rsplit("~", 1)[1]
    d = key_binding(unbound + kb, now=kb_iat(present()))
    _invalid(d, "no 'cnf'")


def test_cnf_without_kb_jwt_is_a_finding():
    holder = SDJWTHolder(_issue())
    holder.create_presentation({"given_name": True})
    d = inspect_token(str(holder.sd_jwt_presentation), ISSUER_KEY.export_public()).to_dict()
    assert d["sd_jwt"]["key_binding"]["status"] == "absent"
    assert "sd-cnf-without-key-binding" in [f["id"] for f in d["findings"]]
    assert "sd-cnf-without-key-binding" not in [f["id"] for f in key_binding(present())["findings"]]


def test_sensitive_data_in_a_disclosed_claim_is_found():
    holder = SDJWTHolder(_issue())
    holder.create_presentation({"email": True}, NONCE, AUD, HOLDER_KEY)
    p = str(holder.sd_jwt_presentation)
    d = key_binding(p)
    hits = [f for f in d["findings"] if f["detail"].startswith("In a disclosed claim")]
    assert hits, [f["id"] for f in d["findings"]]
    # Undisclosed, the same claim is not seen.
    holder = SDJWTHolder(_issue())
    holder.create_presentation({"given_name": True}, NONCE, AUD, HOLDER_KEY)
    d = key_binding(str(holder.sd_jwt_presentation))
    assert not [f for f in d["findings"] if f["detail"].startswith("In a disclosed claim")]


def test_format_is_sd_jwt_and_only_the_issuers_key_verifies_it():
    p = present()
    d = key_binding(p)
    assert d["format"] == "sd-jwt"
    other = jwk_mod.JWK.generate(kty="EC", crv="P-256").export_public()
    r = inspect_token(p, other, now=kb_iat(p), kb_nonce=NONCE, kb_audience=AUD)
    assert r.verification.status == "invalid"
    jwt, rest = p.split("~", 1)
    h, pl, sig = jwt.split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    r = inspect_token(f"{h}.{pl}.{flipped}~{rest}", ISSUER_KEY.export_public(), now=kb_iat(p))
    assert r.verification.status == "invalid"


def _as_json(presentation: str, *, top_level: bool = False) -> str:
    jwt, *disclosures, kb = presentation.split("~")
    h, p, s = jwt.split(".")
    parts = {"disclosures": disclosures, "kb_jwt": kb}
    doc: dict[str, Any] = {"payload": p, "protected": h, "signature": s}
    if top_level:
        doc.update(parts)
    else:
        doc["header"] = parts
    return json.dumps(doc, indent=1)


@pytest.mark.parametrize("top_level", [False, True])
def test_json_serialization_reads_disclosures_and_kb_jwt(top_level: bool):
    """RFC 9901 §8.1 (unprotected header) and the drafts' top-level members: the same
    presentation as the compact one, the disclosures underlined where they stand in the JSON."""
    p = present()
    text = _as_json(p, top_level=top_level)
    d = key_binding(text, now=kb_iat(p))
    assert d["format"] == "sd-jwt"
    assert d["sd_jwt"]["key_binding"]["status"] == "valid", d["sd_jwt"]["key_binding"]["reason"]
    assert d["sd_jwt"]["disclosed_payload"]["given_name"] == "Alice"
    for disclosure in d["sd_jwt"]["disclosures"]:
        assert text[disclosure["start"] : disclosure["end"]] in p.split("~")
    # A disclosure dropped from the JSON after the holder bound it: sd_hash says so.
    doc = json.loads(text)
    holder = doc["header"] if not top_level else doc
    holder["disclosures"] = holder["disclosures"][:1]
    _invalid(key_binding(json.dumps(doc), now=kb_iat(p)), "sd_hash")


# ------------------------------------------------------- sd_hash of a JSON serialization (§8.1)


def _sha256_b64(text: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(text.encode("ascii")).digest())
        .rstrip(b"=")
        .decode()
    )


def _json_presentation() -> tuple[str, str, list[str]]:
    """(the issuer's JSON text, the holder's JSON presentation, the disclosures presented),
    both made by the 2024 reference implementation (flattened form, its members at the top
    level as the drafts up to 08 had them)."""
    issuer = SDJWTIssuer(CLAIMS, ISSUER_KEY, HOLDER_KEY, serialization_format="json")
    holder = SDJWTHolder(issuer.sd_jwt_issuance, serialization_format="json")
    holder.create_presentation({"given_name": True, "family_name": True}, NONCE, AUD, HOLDER_KEY)
    presented = json.loads(holder.sd_jwt_presentation)["disclosures"]
    return str(issuer.sd_jwt_issuance), str(holder.sd_jwt_presentation), presented


def _rfc_kb_jwt(doc: dict[str, Any], disclosures: list[str], *, signature_of: Any = None) -> str:
    """A KB-JWT made by hand by RFC 9901 §8.1's rule: sd_hash over the compact serialization
    rebuilt from the JSON (protected.payload.signature, then each disclosure and '~')."""
    sig = signature_of if signature_of is not None else doc
    compact = f"{sig['protected']}.{doc['payload']}.{sig['signature']}~"
    compact += "".join(d + "~" for d in disclosures)
    payload = {"iat": 1_750_000_000, "aud": AUD, "nonce": NONCE, "sd_hash": _sha256_b64(compact)}
    kb = jws_mod.JWS(json.dumps(payload).encode())
    kb.add_signature(
        HOLDER_KEY, alg="ES256", protected=json.dumps({"alg": "ES256", "typ": "kb+jwt"})
    )
    return str(kb.serialize(compact=True))


def test_the_2024_reference_json_presentation_is_not_accepted_and_the_reason_says_why():
    """sd-jwt 0.10.4 hashes the issuer's JSON text (which lists every disclosure, withheld ones
    too) for a JSON presentation's sd_hash; RFC 9901 §8.1 hashes the compact form rebuilt from
    the JSON. This inspector follows the RFC."""
    issued, text, presented = _json_presentation()
    doc = json.loads(text)
    kb_payload = json.loads(base64.urlsafe_b64decode(doc["kb_jwt"].split(".")[1] + "=="))
    # What the reference did (shown, so the claim in the reason is checked, not assumed)...
    assert kb_payload["sd_hash"] == _sha256_b64(issued + "~" + "".join(d + "~" for d in presented))
    # ...which is not the RFC's form.
    rebuilt = f"{doc['protected']}.{doc['payload']}.{doc['signature']}~"
    assert kb_payload["sd_hash"] != _sha256_b64(rebuilt + "".join(d + "~" for d in presented))
    d = key_binding(text, now=kb_payload["iat"])
    assert d["sd_jwt"]["serialization"] == "json"
    _invalid(d, "sd_hash")
    reason = d["sd_jwt"]["key_binding"]["reason"]
    assert "RFC 9901 §8.1" in reason
    assert "sd-jwt 0.10.4" in reason


@pytest.mark.parametrize("where", ["header", "top level"])
def test_a_json_presentation_bound_by_the_rfc_rule_holds(where: str):
    _issued, text, presented = _json_presentation()
    doc = json.loads(text)
    kb = _rfc_kb_jwt(doc, presented)
    doc.pop("kb_jwt")
    doc.pop("disclosures")
    parts = {"disclosures": presented, "kb_jwt": kb}
    if where == "header":  # RFC 9901 §8.1: the unprotected header
        doc["header"] = parts
    else:  # the drafts' (and the 2024 reference's) top-level members
        doc.update(parts)
    d = key_binding(json.dumps(doc, indent=2), now=1_750_000_000)
    got = d["sd_jwt"]["key_binding"]
    assert got["status"] == "valid", got["reason"]
    assert "compact serialization rebuilt from the JSON (RFC 9901 §8.1)" in got["reason"]
    # The same KB-JWT after the holder's disclosures were reordered in the JSON: refused.
    holder_parts = doc["header"] if where == "header" else doc
    holder_parts["disclosures"] = list(reversed(presented))
    _invalid(key_binding(json.dumps(doc), now=1_750_000_000), "sd_hash")


def test_a_general_json_presentation_hashes_its_first_signature():
    """RFC 9901 §8.3: the disclosures and the KB-JWT are in the first signature's unprotected
    header, and its protected header and signature make the compact form that is hashed; a
    KB-JWT over a second signature's form is not this presentation's."""
    _issued, text, presented = _json_presentation()
    flat = json.loads(text)
    second = jws_mod.JWS(base64.urlsafe_b64decode(flat["payload"] + "=="))
    other = jwk_mod.JWK.generate(kty="EC", crv="P-256")
    second.add_signature(other, alg="ES256", protected=json.dumps({"alg": "ES256"}))
    extra = json.loads(second.serialize())
    first = {"protected": flat["protected"], "signature": flat["signature"]}
    signatures = [
        {**first, "header": {"disclosures": presented, "kb_jwt": _rfc_kb_jwt(flat, presented)}},
        {"protected": extra["protected"], "signature": extra["signature"]},
    ]
    doc = {"payload": flat["payload"], "signatures": signatures}
    d = key_binding(json.dumps(doc), now=1_750_000_000)
    assert d["sd_jwt"]["key_binding"]["status"] == "valid", d["sd_jwt"]["key_binding"]["reason"]
    signatures[0]["header"]["kb_jwt"] = _rfc_kb_jwt(flat, presented, signature_of=signatures[1])
    _invalid(key_binding(json.dumps(doc), now=1_750_000_000), "sd_hash")
