"""LazyPattern (a regex compiled on first use) and the cheap tests that keep the key reader
from compiling its OpenSSH and JWK patterns for an ordinary secret: each must answer exactly
as the pattern alone did."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from inspector.core import keys
from inspector.core.lazy_re import LazyPattern

SOURCE = r"(?P<word>[a-z]+)-(\d+)"
TEXTS = ["", "abc-12", "x abc-12 y-3 ", "ABC-12", "abc-", "-12", "a-1b-2c-3"]


def test_each_method_answers_as_the_compiled_pattern() -> None:
    compiled = re.compile(SOURCE, re.IGNORECASE)
    for text in TEXTS:
        for method in ("match", "fullmatch", "search"):
            got = getattr(LazyPattern(SOURCE, re.IGNORECASE), method)(text)
            want = getattr(compiled, method)(text)
            assert (got and got.group(0, 1, 2)) == (want and want.group(0, 1, 2))
        lazy = LazyPattern(SOURCE, re.IGNORECASE)
        assert [m.span() for m in lazy.finditer(text)] == [
            m.span() for m in compiled.finditer(text)
        ]
        assert LazyPattern(SOURCE, re.IGNORECASE).findall(text) == compiled.findall(text)
        assert LazyPattern(SOURCE, re.IGNORECASE).sub("#", text) == compiled.sub("#", text)
        assert LazyPattern(SOURCE, re.IGNORECASE).subn("#", text, 1) == compiled.subn("#", text, 1)
        assert LazyPattern(SOURCE, re.IGNORECASE).split(text) == compiled.split(text)
    # pos and endpos are passed on
    assert (
        LazyPattern(SOURCE).search("abc-1 de-2", 1).span()
        == compiled.search("abc-1 de-2", 1).span()
    )
    assert LazyPattern(SOURCE).match("abc-12", 0, 5).group(0) == "abc-1"


def test_compiled_on_first_use_and_then_called_directly() -> None:
    lazy = LazyPattern(SOURCE)
    assert "search" not in vars(lazy)  # nothing compiled yet
    assert lazy.search("abc-1") is not None
    # the compiled pattern's own bound methods now stand on the instance: no extra frame
    assert vars(lazy)["search"].__self__ == re.compile(SOURCE)
    assert vars(lazy)["fullmatch"].__self__ == re.compile(SOURCE)
    assert lazy.fullmatch("abc-1") is not None
    assert lazy.search("nothing") is None


def test_importing_the_codec_compiles_none_of_the_unusual_patterns() -> None:
    """In a fresh interpreter: after the first inspection of an ordinary HS256 token with its
    secret, no pattern of PASETO, SAML, cookies, token search or OpenSSH types was compiled."""
    code = (
        "from inspector.core import inspect_token\n"
        "from inspector.core import cleaning, keys, notjwt, paseto, sdjwt\n"
        "from inspector.core.lazy_re import LazyPattern\n"
        "from inspector.ui.example import EXAMPLE_SECRET, EXAMPLE_TOKEN\n"
        "assert inspect_token(EXAMPLE_TOKEN, key=EXAMPLE_SECRET).verification.status == 'valid'\n"
        "lazy = {f'{m.__name__}.{n}': v for m in (cleaning, keys, notjwt, paseto, sdjwt)\n"
        "        for n, v in vars(m).items() if isinstance(v, LazyPattern)}\n"
        "used = sorted(n for n, v in lazy.items() if 'fullmatch' in vars(v))\n"
        "print(len(lazy), used)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split(" ", 1)
    assert int(out[0]) >= 30  # the patterns are there, lazily
    assert out[1].strip() == "[]"  # and none was used


SSH_TYPES = [
    "ssh-rsa",
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "sk-ssh-ed25519@openssh.com",
    "ssh-rsa-cert-v01@openssh.com",
    "x509v3-ssh-rsa",
    "SSH-RSA",
    "\u017fsh-rsa",  # long s: IGNORECASE matches it to s
    "s\u212a-ssh-ed25519@openssh.com",  # Kelvin sign: matched to k
    "ECDSA-SHA2-NISTP384",
]
EAGER_SSH_TYPE = re.compile(keys._SSH_TYPE.pattern, keys._SSH_TYPE.flags)


def test_the_ssh_type_test_agrees_with_the_pattern_on_known_types() -> None:
    for name in [*SSH_TYPES, "example-secret", "ss", "ssh", "x509v3", "ssh-rsa " * 20]:
        assert keys._is_ssh_type(name) == (
            len(name) <= keys.MAX_SSH_TYPE and EAGER_SSH_TYPE.fullmatch(name) is not None
        ), name


@given(
    st.lists(
        st.sampled_from(
            [
                "ssh",
                "ecdsa",
                "sk",
                "x509v3",
                "-",
                "rsa",
                "sha2",
                "nistp256",
                "@openssh.com",
                "cert",
                "v01",
                "\u017f",
                "\u212a",
                "S",
                "K",
                "E",
                "X",
                "\u00df",
                "5",
                "a",
            ]
        ),
        max_size=8,
    ).map("".join)
)
def test_the_ssh_type_test_agrees_with_the_pattern(name: str) -> None:
    assert keys._is_ssh_type(name) == (
        len(name) <= keys.MAX_SSH_TYPE and EAGER_SSH_TYPE.fullmatch(name) is not None
    )


EAGER_KTY = re.compile(keys._KTY_WORD.pattern, keys._KTY_WORD.flags)
EAGER_VALUE = re.compile(keys._JWK_VALUE.pattern, keys._JWK_VALUE.flags)


def _jwk_hint_eager(text: str) -> str | None:
    """The key reader's JWK hint as it was, every pattern tried."""
    unescaped = keys._ESCAPES.sub(keys._unescape, text) if "\\" in text else text
    if EAGER_KTY.search(unescaped):
        return "it mentions 'kty', a JWK member"
    for name in sorted({m.group(1) for m in EAGER_VALUE.finditer(unescaped)}):
        if keys._JWK_PARTNER[name].search(unescaped):
            return f"it has a JWK's public-key members ({name!r} and its partner)"
    return None


@given(
    st.lists(
        st.sampled_from(
            [
                "kty",
                "KTY",
                "k\u212aty"[1:],
                "\u212aty",
                "n",
                "x",
                "e",
                "crv",
                ":",
                "=",
                '"',
                " ",
                "\\u006b",
                "A" * 16,
                "-",
                "{",
                "}",
                ",",
                "ty",
                "k",
            ]
        ),
        max_size=10,
    ).map("".join)
)
def test_the_jwk_hint_answers_as_with_every_pattern_tried(text: str) -> None:
    assert keys._jwk_hint(text) == _jwk_hint_eager(text)


def test_the_jwk_hint_on_known_shapes() -> None:
    for text in [
        'n: "' + "A" * 20 + '", e: AQAB',
        "x=" + "B" * 20 + " crv=P-256",
        "{kty: RSA}",
        "\u212aTY",
        "example-secret-for-jwt-inspector-0123456789",
    ]:
        assert keys._jwk_hint(text) == _jwk_hint_eager(text), text
    assert keys._jwk_hint("\u212aTY") is not None  # the Kelvin sign still counts as k
