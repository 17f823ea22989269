"""``inspect_all``: a batch inspected stage by stage gives, for every text, exactly the
inspection ``inspect_with`` gives it alone, whatever the batch holds around it."""

from __future__ import annotations

import json

from inspector.core.analysis import analyse_all, analyse_token
from inspector.core.inspection import inspect_all, inspect_with
from inspector.core.options import InspectOptions
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_with
from tests.core.jwetokens import encrypt, flip, key_for, key_text, signed_inner
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, STRONG_SECRET, b64, hs256

SECRET = STRONG_SECRET.decode()
JWE_KEY = key_for("A256KW", "A256GCM")
VALID = hs256(CLEAN_HEADER, CLEAN_CLAIMS)

TEXTS = [
    VALID,
    flip(VALID, 1),  # the payload changed under the same signature
    VALID[: VALID.rindex(".")] + "." + b64(b"x" * 32),  # another signature
    hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "email": "a@b.c", "password": "hunter2"}),
    hs256({"alg": "none"}, {"exp": 10**30, "x": [1, {"y": None}]}),
    hs256({"alg": "HS256", "typ": "dpop+jwt", "jwk": {"kty": "oct"}}, {"htm": "GET"}),
    hs256(CLEAN_HEADER, "not an object"),
    hs256(CLEAN_HEADER, {"token": VALID}),  # a token in a claim
    # (decrypted, the token inside is inspected as Inspection.nested)
    encrypt(signed_inner().encode(), "A256KW", "A256GCM", JWE_KEY, header={"cty": "JWT"}),
    json.dumps(
        {
            "payload": b64(b'{"sub":"a"}'),
            "signatures": [
                {"protected": b64(b'{"alg":"HS256"}'), "signature": b64(b"x" * 32)},
                {"protected": b64(b'{"alg":"HS512"}'), "signature": b64(b"y" * 64)},
            ],
        }
    ),
    "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
    "garbage",
    "",
    "Authorization: Bearer " + VALID,
    VALID,  # the same text again, later in the batch
]


def _options(**fields: object) -> InspectOptions:
    return InspectOptions(now=CLEAN_NOW, check_weak_secrets=False, **fields)  # type: ignore[arg-type]


def test_a_batch_is_inspected_as_each_text_alone() -> None:
    for options in (
        _options(),
        _options(key=SECRET),
        _options(key=SECRET, decryption_key=key_text(JWE_KEY), audience="api://other"),
        _options(key="not a key at all"),
        InspectOptions(now=CLEAN_NOW, key=SECRET),  # (the weak-secret check on)
    ):
        batch = inspect_all(TEXTS, options)
        assert len(batch) == len(TEXTS)
        for text, inspection in zip(TEXTS, batch, strict=True):
            assert inspection.to_dict() == inspect_with(text, options).to_dict(), text[:60]
        assert (batch[8].nested is not None) == (options.decryption_key is not None)
        statuses = [i.verification.status for i in batch]
        if options.key == SECRET:
            # (a forged token beside a valid one is judged on its own: nothing carries over)
            assert statuses[0] == statuses[-1] == "valid"
            assert statuses[1] == statuses[2] == "invalid"


def test_a_batch_is_judged_at_one_instant_and_an_empty_batch_is_empty() -> None:
    batch = inspect_all([VALID] * 3, InspectOptions(check_weak_secrets=False))
    relative = {t.relative for i in batch for t in i.analysis.times}
    assert len(relative) == len({t.claim for t in batch[0].analysis.times})
    assert inspect_all([], _options()) == []


def test_analyse_all_is_analyse_token_for_each() -> None:
    options = _options(key=SECRET)
    tokens = [(p, verify_with(p, options)) for p in map(parse_token, TEXTS)]
    for (parsed, verification), analysis in zip(tokens, analyse_all(tokens, options), strict=True):
        alone = analyse_token(parsed, verification, options)
        assert analysis.findings == alone.findings
        assert analysis.profiles == alone.profiles
        assert analysis.times == alone.times
        assert analysis.descriptions == alone.descriptions
