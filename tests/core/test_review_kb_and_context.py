"""Review (attacker's view) of today's key binding and context_text work: each test here
failed on main at f9685f8 when written; each names what should hold.

- A key-binding JWT whose ``iat`` is ``NaN`` was judged "valid" with "a fresh iat"
  (``abs(NaN - now) > MAX_KB_AGE`` is False): a KB-JWT that is fresh forever.
- A key-binding JWT with duplicate members (two ``nonce``, two ``typ``) was judged "valid" on
  the last one, silently: a first-wins verifier reads another nonce or typ than the one
  compared; the main token reports duplicates, the KB-JWT's JSON issues were dropped.
- A key-binding JWT whose ``exp`` is long past was "valid" (RFC 7519 §4.1.4).
- An ID token chosen out of a paste of two token responses had its at_hash compared with the
  first access token only, and a high ``at-hash-mismatch`` ("they were not issued together")
  said so although its own access token is in the paste.
- A client assertion chosen out of a form body (``client_assertion=...``) with its paste as
  ``context_text`` was no longer recognised, so its rules (``iss`` must equal ``sub``) did not
  run; inspected alone in ``client_assertion=<jwt>`` they do.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from inspector.core import inspect_token
from tests.core.test_profiles import NOW as PROFILE_NOW
from tests.core.test_profiles import _id_token, hs256

kb_mod = pytest.importorskip("tests.core.test_key_binding_holder_key")
ec_mod = pytest.importorskip("cryptography.hazmat.primitives.asymmetric.ec")

AUD, NONCE, NOW = kb_mod.AUD, kb_mod.NONCE, kb_mod.NOW
b64 = kb_mod.b64


def _holder_private() -> Any:
    from cryptography.hazmat.primitives import serialization

    pem = kb_mod.HOLDER_KEY.export_to_pem(private_key=True, password=None)
    return serialization.load_pem_private_key(pem, None)


def _kb_raw(sd_jwt: str, header_json: str, payload_json: str) -> str:
    """``sd_jwt`` with a KB-JWT whose header and payload are these exact JSON texts (so that
    they can hold what json.dumps cannot write: duplicate members, NaN), signed by the
    holder's key with ES256."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    signing_input = b64(header_json.encode()) + "." + b64(payload_json.encode())
    der = _holder_private().sign(signing_input.encode(), ec_mod.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return sd_jwt + signing_input + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def _bound() -> tuple[str, str]:
    sd = kb_mod.issue({"jwk": kb_mod.public(kb_mod.HOLDER_KEY)})
    return sd, b64(hashlib.sha256(sd.encode()).digest())


HEADER = '{"alg":"ES256","typ":"kb+jwt"}'


def _kb(text: str) -> dict[str, Any]:
    return kb_mod.kb_of(text)


def test_control_a_right_kb_jwt_made_here_holds():
    sd, sd_hash = _bound()
    payload = json.dumps({"iat": NOW, "aud": AUD, "nonce": NONCE, "sd_hash": sd_hash})
    assert _kb(_kb_raw(sd, HEADER, payload))["status"] == "valid"


def test_attack_kb_jwt_with_iat_nan_is_not_fresh():
    sd, sd_hash = _bound()
    payload = f'{{"iat":NaN,"aud":"{AUD}","nonce":"{NONCE}","sd_hash":"{sd_hash}"}}'
    kb = _kb(_kb_raw(sd, HEADER, payload))
    assert kb["status"] == "invalid", kb["reason"]
    assert "iat" in kb["reason"]


@pytest.mark.parametrize(
    ("header", "payload"),
    [
        (HEADER, '{{"iat":{now},"aud":"{aud}","nonce":"other","nonce":"{nonce}","sd_hash":"{h}"}}'),
        (
            '{"alg":"ES256","typ":"JWT","typ":"kb+jwt"}',
            '{{"iat":{now},"aud":"{aud}","nonce":"{nonce}","sd_hash":"{h}"}}',
        ),
        (HEADER, '{{"iat":{now},"aud":"{aud}","nonce":"{nonce}","sd_hash":"x","sd_hash":"{h}"}}'),
    ],
    ids=["two nonces", "two typs", "two sd_hashes"],
)
def test_attack_kb_jwt_with_duplicate_members_is_not_valid_silently(header: str, payload: str):
    sd, sd_hash = _bound()
    text = payload.format(now=NOW, aud=AUD, nonce=NONCE, h=sd_hash)
    kb = _kb(_kb_raw(sd, header, text))
    assert kb["status"] == "invalid", kb["reason"]


def test_attack_kb_jwt_long_expired_is_not_valid():
    sd, sd_hash = _bound()
    payload = json.dumps(
        {"iat": NOW, "exp": NOW - 86_400, "aud": AUD, "nonce": NONCE, "sd_hash": sd_hash}
    )
    kb = _kb(_kb_raw(sd, HEADER, payload))
    assert kb["status"] == "invalid", kb["reason"]
    assert "exp" in kb["reason"]


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("iat", "1" + "0" * 400),  # an integer no float holds: judged, not an OverflowError
        ("iat", "-5"),
        ("iat", '"1800000000"'),
        ("exp", "1" + "0" * 400),
        ("nbf", "true"),
    ],
)
def test_attack_kb_jwt_time_claims_that_are_no_numeric_date_do_not_hold(claim, value):
    """The KB-JWT's iat, exp and nbf are judged as the token's own time claims are (a
    NumericDate: a number, finite, from 1970, in seconds); anything else is named."""
    sd, sd_hash = _bound()
    claims = {"iat": str(NOW), "aud": json.dumps(AUD), "nonce": json.dumps(NONCE)}
    claims["sd_hash"] = json.dumps(sd_hash)
    claims[claim] = value
    payload = "{" + ",".join(f'"{k}":{v}' for k, v in claims.items()) + "}"
    kb = _kb(_kb_raw(sd, HEADER, payload))
    assert kb["status"] == "invalid", kb["reason"]
    assert f"its {claim} is " in kb["reason"]


def test_a_chosen_id_token_meets_its_own_access_token_anywhere_in_the_paste():
    at1 = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "a"})
    at2 = hs256({"alg": "HS256", "typ": "at+jwt"}, {"sub": "b"})
    id1, id2 = _id_token(at1), _id_token(at2)
    paste = f"access_token={at1}&id_token={id1}\naccess_token={at2}&id_token={id2}\n"
    for idt in (id1, id2):
        got = [f.id for f in inspect_token(idt, now=PROFILE_NOW, context_text=paste).findings]
        assert "at-hash-mismatch" not in got, idt is id2
        assert "at-hash-match" in got


def test_a_client_assertion_chosen_out_of_its_form_body_keeps_its_profile():
    assertion = hs256(
        {"alg": "HS256"},
        {"iss": "client-1", "sub": "someone-else", "aud": "https://as.example/token",
         "exp": PROFILE_NOW + 60},
    )  # fmt: skip
    alone = inspect_token(f"client_assertion={assertion}", now=PROFILE_NOW)
    assert alone.to_dict()["profile"]["name"] == "client-assertion"
    grant = hs256({"alg": "HS256"}, {"sub": "x"})
    body = (
        f"grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion={grant}"
        "&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        f"&client_assertion={assertion}"
    )
    chosen = inspect_token(assertion, now=PROFILE_NOW, context_text=body)
    assert chosen.to_dict()["profile"]["name"] == "client-assertion"
    assert "client-assertion-invalid" in [f.id for f in chosen.findings]
    # The grant chosen from the same body is not called a client assertion: it stands under
    # 'assertion=', and the body naming a client_assertion elsewhere does not make it one
    # (inspecting the whole body, which shows the grant, said it was one).
    grant_chosen = inspect_token(grant, now=PROFILE_NOW, context_text=body)
    assert (grant_chosen.to_dict()["profile"] or {}).get("name") != "client-assertion"
    whole = inspect_token(body, now=PROFILE_NOW)
    assert whole.parsed.token == grant
    assert (whole.to_dict()["profile"] or {}).get("name") != "client-assertion"
    # Pasted in JSON under its name, it is one.
    pasted = inspect_token(json.dumps({"client_assertion": assertion}), now=PROFILE_NOW)
    assert pasted.to_dict()["profile"]["name"] == "client-assertion"
