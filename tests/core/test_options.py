"""InspectOptions: one frozen value for everything that shapes an inspection (issue 18 item 1)."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.analysis import analyse_token
from inspector.core.fetched_keys import FetchedKeys
from inspector.core.inspection import inspect_token, inspect_with
from inspector.core.options import SECRET_ENCODINGS, InspectOptions
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_token
from tests.core.tokens import CLEAN_NOW, STRONG_SECRET, clean_token

#: Every field set to something other than its default.
SET = InspectOptions(
    key=STRONG_SECRET.decode(),
    decryption_key="a decryption key",
    secret_encoding="utf-8",
    now=CLEAN_NOW,
    leeway=30.0,
    audience="api://billing",
    issuer="https://other.example/",
    check_weak_secrets=False,
    wordlist="words.txt",
    fetched_keys=FetchedKeys(
        url="https://other.example/keys",
        discovered_for="https://other.example/",
        issuer="https://other.example/",
    ),
)


def test_every_field_has_a_default_and_the_defaults_are_inspect_tokens() -> None:
    import inspect

    defaults = {
        name: p.default
        for name, p in inspect.signature(inspect_token).parameters.items()
        if name != "text"
    }
    assert defaults == dataclasses.asdict(InspectOptions())


def test_inspect_token_is_inspect_with_the_options_it_builds() -> None:
    token = clean_token()
    kwargs = dataclasses.asdict(SET)
    kwargs["wordlist"] = None  # (a missing file is a finding either way; keep it simple)
    kwargs["fetched_keys"] = SET.fetched_keys  # (asdict made it a dict)
    key = kwargs.pop("key")
    direct = inspect_token(token, key, **kwargs)
    via = inspect_with(token, dataclasses.replace(SET, wordlist=None))
    assert direct.to_dict() == via.to_dict()
    ids = {f.id for f in via.findings}
    assert {"aud-mismatch", "iss-mismatch"} <= ids, ids  # the options were applied


def test_analyse_token_takes_the_options_or_their_fields_not_both() -> None:
    parsed = parse_token(clean_token())
    verification = verify_token(parsed, None, now=CLEAN_NOW)
    opts = InspectOptions(now=CLEAN_NOW, audience="x", check_weak_secrets=False)
    a = analyse_token(parsed, verification, opts)
    b = analyse_token(parsed, verification, now=CLEAN_NOW, audience="x", check_weak_secrets=False)
    assert a.findings == b.findings
    with pytest.raises(TypeError, match="not both"):
        analyse_token(parsed, verification, opts, now=0.0)


@pytest.mark.parametrize(
    ("field", "value", "error", "needle"),
    [
        ("now", float("inf"), ValueError, "now must be a finite"),
        ("now", float("nan"), ValueError, "now must be a finite"),
        # An integer beyond a float's range: refused as the others are, not an OverflowError
        # from math.isfinite, and the message does not print its 401 digits.
        ("now", 10**400, ValueError, r"now must be a finite .*\(401 digits\)$"),
        ("now", -(10**400), ValueError, "now must be a finite"),
        ("leeway", 10**400, ValueError, "leeway must be a finite number"),
        ("now", "2024-01-01", TypeError, "now must be seconds"),
        ("now", True, TypeError, "now must be seconds"),
        ("leeway", -1, ValueError, "leeway must be a finite number of seconds >= 0"),
        ("leeway", float("inf"), ValueError, "leeway must be"),
        ("leeway", None, TypeError, "leeway must be a number"),
        ("secret_encoding", "latin-1", ValueError, "Unknown secret encoding 'latin-1'"),
        ("secret_encoding", None, TypeError, "secret_encoding must be text"),
        ("key", b"secret", TypeError, "key must be text or None"),
        ("decryption_key", b"secret", TypeError, "decryption_key must be text or None"),
        ("audience", 5, TypeError, "audience must be text or None"),
        ("issuer", ["a"], TypeError, "issuer must be text or None"),
        ("kb_key", b"holder", TypeError, "kb_key must be text or None"),
        ("context_text", 5, TypeError, "context_text must be text or None"),
        ("check_weak_secrets", 1, TypeError, "check_weak_secrets must be True or False"),
        ("wordlist", 3, TypeError, "wordlist must be a file path"),
        ("fetched_keys", "https://idp/keys", TypeError, "fetched_keys must be FetchedKeys"),
    ],
)
def test_invalid_options_say_which_field_and_why(
    field: str, value: object, error: type[Exception], needle: str
) -> None:
    with pytest.raises(error, match=needle):
        InspectOptions(**{field: value})  # type: ignore[arg-type]
    # ``replace`` (how a front end changes one field) checks the same way.
    with pytest.raises(error, match=needle):
        dataclasses.replace(SET, **{field: value})
    # The facade's own quick check of the usual call refuses the same values the same way.
    if field in ("now", "leeway", "check_weak_secrets", "key"):
        with pytest.raises(error, match=needle):
            inspect_token("eyJhbGciOiJIUzI1NiJ9.e30.x", **{field: value})  # type: ignore[arg-type]


def test_the_secret_encodings_are_the_key_readers() -> None:
    from inspector.core.keys import SECRET_ENCODINGS as KEYS_ENCODINGS

    assert SECRET_ENCODINGS == KEYS_ENCODINGS
    for encoding in SECRET_ENCODINGS:
        assert InspectOptions(secret_encoding=encoding).secret_encoding == encoding


def test_frozen_hashable_and_picklable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SET.leeway = 5.0  # type: ignore[misc]
    same = dataclasses.replace(SET)
    assert same == SET
    assert hash(same) == hash(SET)
    assert {SET: 1}[same] == 1
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(SET, protocol=protocol))
        assert back == SET
        assert hash(back) == hash(SET)
    with_path = InspectOptions(wordlist=Path("words.txt"))
    assert pickle.loads(pickle.dumps(with_path)) == with_path


def test_replace_changes_one_field() -> None:
    later = dataclasses.replace(SET, now=CLEAN_NOW + 60)
    assert later.now == CLEAN_NOW + 60
    assert dataclasses.asdict(later) | {"now": CLEAN_NOW} == dataclasses.asdict(SET)


def test_same_inputs_ignores_the_clock_and_nothing_else() -> None:
    assert SET.same_inputs(dataclasses.replace(SET, now=0.0))
    assert SET.same_inputs(dataclasses.replace(SET, now=None))
    other_values = {
        "key": "another key",
        "decryption_key": None,
        "secret_encoding": "hex",
        "leeway": 31.0,
        "audience": "api://orders",
        "issuer": None,
        "check_weak_secrets": True,
        "wordlist": None,
        "fetched_keys": None,
        "kb_audience": "https://verifier.example",
        "kb_nonce": "n-1",
        "kb_key": '{"kty": "EC"}',
        "context_text": "{}",
    }
    names = {f.name for f in dataclasses.fields(InspectOptions)} - {"now"}
    assert set(other_values) == names, "a new field needs a case here"
    for name, value in other_values.items():
        changed = dataclasses.replace(SET, **{name: value})
        assert not SET.same_inputs(changed), name
        assert not changed.same_inputs(SET), name


def test_the_options_module_loads_no_codec() -> None:
    """The window builds its first request before Qt loads and before the fork: importing the
    options must not import the codec or ``cryptography`` (launch time)."""
    code = (
        "import sys, inspector.core.options as o; o.InspectOptions(now=1.0); "
        "print(sorted(m for m in sys.modules if m.startswith(('inspector', 'cryptography'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "['inspector', 'inspector.core', 'inspector.core.options']"


def test_the_key_stays_out_of_the_repr() -> None:
    """A crash report or a log line that shows the options does not show the key."""
    secret = STRONG_SECRET.decode()
    assert secret not in repr(SET)
    assert "a decryption key" not in repr(SET)
    assert "leeway=30.0" in repr(SET)


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"url": None}, "url must be text"),
        ({"url": "u", "issuer": 5}, "issuer must be text or None"),
        ({"url": "u", "discovered_for": b"x"}, "discovered_for must be text or None"),
        ({"url": "u", "private_keys": ["kid 'a': d"]}, "private_keys must be a tuple of text"),
        ({"url": "u", "private_keys": (1,)}, "private_keys must be a tuple of text"),
    ],
)
def test_fetched_keys_refuse_wrong_types(fields: dict[str, object], needle: str) -> None:
    with pytest.raises(TypeError, match=needle):
        FetchedKeys(**fields)  # type: ignore[arg-type]


def test_every_field_is_checked_by_the_quick_test_or_by_name() -> None:
    """``__post_init__`` passes the usual values with one quick test over the text fields
    (``options._TEXT_FIELDS``) and a test per other field (``options._OTHER_FIELDS``): a field
    in neither would go unchecked."""
    from inspector.core import options

    names = [f.name for f in dataclasses.fields(InspectOptions)]
    assert sorted(names) == sorted(options._TEXT_FIELDS + options._OTHER_FIELDS)
    assert not set(options._TEXT_FIELDS) & set(options._OTHER_FIELDS)
    for name in options._TEXT_FIELDS:
        with pytest.raises(TypeError, match=name):
            InspectOptions(**{name: 5})
