"""Guessable HMAC secrets (RFC 8725 §3.5): the built-in list, wordlists, the user's own key,
and the cancellable search the window runs off its GUI thread."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from inspector import resources
from inspector.core import inspect_token
from inspector.core.weak_secrets import (
    CHECK_EVERY,
    builtin_secrets,
    find_weak_secret,
    is_builtin_weak,
    iter_wordlist,
    load_wordlist,
)
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_NOW, STRONG_SECRET, b64, segment

HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def signed(secret: bytes, alg: str = "HS256", claims=None) -> str:
    signing_input = f"{segment({'alg': alg, 'typ': 'JWT'})}.{segment(claims or CLEAN_CLAIMS)}"
    sig = hmac.new(secret, signing_input.encode(), HASHES[alg]).digest()
    return f"{signing_input}.{b64(sig)}"


def weak(tok: str, **kw):
    return [f for f in inspect_token(tok, now=CLEAN_NOW, **kw).findings if f.id == "weak-secret"]


# ------------------------------------------------------------------------------ built-in list


def test_builtin_list_is_large_and_has_the_classics():
    secrets = builtin_secrets()
    assert len(secrets) >= 200
    for s in [
        b"",
        b"secret",
        b"your-256-bit-secret",
        b"a-string-secret-at-least-256-bits-long",
        b"secretkey",
        b"changeme",
        b"shhhhh",
        b"qwerty",
        b"password",
    ]:
        assert s in secrets, s
    assert len(set(secrets)) == len(secrets)
    assert not any(s.startswith(b"#") for s in secrets)


def test_builtin_list_is_read_once():
    assert builtin_secrets() is builtin_secrets()


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
@pytest.mark.parametrize(
    "secret", [b"your-256-bit-secret", b"secret", b"", b"a-string-secret-at-least-256-bits-long"]
)
def test_weak_secret_found_without_a_key(alg, secret):
    (f,) = weak(signed(secret, alg))
    assert f.severity == "critical"
    shown = "the empty secret" if not secret else repr(secret.decode())
    assert shown in f.detail
    assert "built-in" in f.detail


def test_strong_secret_is_not_reported():
    assert weak(signed(STRONG_SECRET)) == []


def test_check_can_be_switched_off():
    assert weak(signed(b"secret"), check_weak_secrets=False) == []


@pytest.mark.parametrize(
    "header",
    [{"alg": "RS256"}, {"alg": "none"}, {"alg": "HS256", "b64": False}],
)
def test_only_hmac_tokens_are_searched(header):
    signing_input = f"{segment(header)}.{segment(CLEAN_CLAIMS)}"
    sig = hmac.new(b"secret", signing_input.encode(), hashlib.sha256).digest()
    tok = f"{signing_input}.{b64(sig)}"
    if header.get("b64") is False:
        # an unencoded payload is still an HS256 token: its signing input is what was signed
        assert weak(tok)
    else:
        assert weak(tok) == []


# ------------------------------------------------------------------------------ user's key


def test_users_key_is_looked_up_instead_of_searched():
    tok = signed(b"changeme")
    (f,) = weak(tok, key="changeme")
    assert "you gave" in f.detail
    assert "'changeme'" in f.detail


def test_users_strong_key_is_not_weak():
    assert weak(signed(STRONG_SECRET), key=STRONG_SECRET.decode()) == []


def test_users_weak_key_is_reported_even_if_it_did_not_sign():
    # the key itself is guessable, whatever signed this token
    (f,) = weak(signed(STRONG_SECRET), key="password")
    assert "'password'" in f.detail


def test_is_builtin_weak():
    assert is_builtin_weak(b"secret")
    assert not is_builtin_weak(STRONG_SECRET)


# ------------------------------------------------------------------------------ wordlists


def test_wordlist_file_finds_a_secret(tmp_path):
    path = tmp_path / "words.txt"
    path.write_bytes(b"alpha\r\nbeta\r\nmy-company-2024\r\n")
    tok = signed(b"my-company-2024")
    assert weak(tok) == []
    (f,) = weak(tok, wordlist=path)
    assert "'my-company-2024'" in f.detail
    assert str(path) in f.detail


def test_wordlist_alone_when_builtin_is_off(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes(b"nothing\n")
    assert weak(signed(b"secret"), check_weak_secrets=False, wordlist=path) == []
    path.write_bytes(b"secret\n")
    assert weak(signed(b"secret"), check_weak_secrets=False, wordlist=path)


def test_users_key_is_looked_up_in_the_wordlist(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes(b"acme-prod-key\n")
    tok = signed(b"acme-prod-key")
    (f,) = weak(tok, key="acme-prod-key", wordlist=path)
    assert "you gave" in f.detail


def test_unreadable_wordlist_is_a_finding_not_an_exception(tmp_path):
    missing = tmp_path / "nope.txt"
    inspection = inspect_token(signed(b"secret"), now=CLEAN_NOW, wordlist=missing)
    (err,) = [f for f in inspection.findings if f.id == "wordlist-error"]
    assert str(missing) in err.detail
    assert err.severity == "error"
    # the built-in list was still searched
    assert [f.id for f in inspection.findings if f.id == "weak-secret"] == ["weak-secret"]


def test_directory_as_wordlist(tmp_path):
    inspection = inspect_token(signed(STRONG_SECRET), now=CLEAN_NOW, wordlist=tmp_path)
    assert [f.id for f in inspection.findings if f.id == "wordlist-error"] == ["wordlist-error"]


def test_wordlist_lines_are_bytes_crlf_tolerant(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes(b"a\r\nb\n\nc d \n\xff\xfe\nlast")
    assert load_wordlist(path) == [b"a", b"b", b"", b"c d ", b"\xff\xfe", b"last"]


def test_iter_wordlist_raises_at_once_for_missing_file(tmp_path):
    with pytest.raises(OSError, match="nope"):
        iter_wordlist(tmp_path / "nope")


def test_shared_wordlist_vector(vectors):
    words = load_wordlist(vectors / "wallarm-jwt-secrets" / "jwt.secrets.list")
    assert len(words) > 100_000
    tok = signed(words[-1])
    found = find_weak_secret("HS256", tok.rsplit(".", 1)[0].encode(), _sig(tok), words)
    assert found == words[-1]


# ------------------------------------------------------------------------------ the search


def _sig(tok: str) -> bytes:
    s = tok.rsplit(".", 1)[1]
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _parts(secret: bytes, alg: str = "HS256") -> tuple[bytes, bytes]:
    tok = signed(secret, alg)
    return tok.rsplit(".", 1)[0].encode(), _sig(tok)


def test_find_weak_secret_returns_the_match():
    msg, sig = _parts(b"needle", "HS384")
    assert find_weak_secret("HS384", msg, sig, [b"a", b"needle", b"b"]) == b"needle"
    assert find_weak_secret("HS384", msg, sig, [b"a", b"b"]) is None


def test_find_weak_secret_takes_any_iterable():
    msg, sig = _parts(b"w5")
    gen = (f"w{i}".encode() for i in range(10))
    assert find_weak_secret("HS256", msg, sig, gen) == b"w5"


def test_progress_is_reported():
    msg, sig = _parts(STRONG_SECRET)
    seen: list[int] = []
    n = CHECK_EVERY * 2 + 5
    words = [str(i).encode() for i in range(n)]
    assert find_weak_secret("HS256", msg, sig, words, progress=seen.append) is None
    assert seen == [CHECK_EVERY, 2 * CHECK_EVERY, n]


def test_search_can_be_cancelled():
    msg, sig = _parts(b"last")
    words = [str(i).encode() for i in range(CHECK_EVERY * 3)] + [b"last"]
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 1  # stop after the first chunk

    seen: list[int] = []
    found = find_weak_secret(
        "HS256", msg, sig, words, progress=seen.append, should_stop=should_stop
    )
    assert found is None
    assert seen == [CHECK_EVERY]
    # without cancelling, the same search finds it
    assert find_weak_secret("HS256", msg, sig, words, should_stop=lambda: False) == b"last"


def test_wrong_signature_length_matches_nothing():
    msg, sig = _parts(b"secret")
    assert find_weak_secret("HS256", msg, sig[:-1], [b"secret"]) is None


def test_non_hmac_alg_is_a_caller_mistake():
    with pytest.raises(ValueError, match="not an HMAC"):
        find_weak_secret("RS256", b"x", b"y", [b"z"])


def test_resource_is_packaged():
    assert resources.path("weak_secrets.txt").is_file()


# --------------------------------------------- the built-in list from precomputed key states


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_builtin_search_from_key_states_finds_what_hmac_signs(alg):
    """The built-in list is searched from each secret's precomputed HMAC key states (inner
    and outer pad): every secret of it (the empty one, keys longer than the hash's block,
    which HMAC hashes first) is found from a signature ``hmac`` made, and one made with
    another secret finds nothing, as the plain loop over a copy of the list finds."""
    secrets = builtin_secrets()
    block = HASHES[alg]().block_size
    long_keys = [s for s in secrets if len(s) > block]
    chosen = [b"", *secrets[1::23], *long_keys, secrets[-1]]
    for secret in chosen:
        msg, sig = _parts(secret, alg)
        assert find_weak_secret(alg, msg, sig, builtin_secrets()) == secret
        assert find_weak_secret(alg, msg, sig, list(secrets)) == secret
    msg, sig = _parts(STRONG_SECRET, alg)
    assert find_weak_secret(alg, msg, sig, builtin_secrets()) is None
    # one changed byte of the signature or of the message matches nothing
    msg, sig = _parts(b"secret", alg)
    assert find_weak_secret(alg, msg, bytes([sig[0] ^ 1]) + sig[1:], builtin_secrets()) is None
    assert find_weak_secret(alg, msg + b"x", sig, builtin_secrets()) is None


def test_builtin_list_has_a_key_longer_than_a_sha256_block():
    # (so that the test above covers HMAC's hashing of long keys for HS256)
    assert any(len(s) > hashlib.sha256().block_size for s in builtin_secrets())
