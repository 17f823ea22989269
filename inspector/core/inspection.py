"""The facade: ``inspect_token`` turns whatever a person pasted into an :class:`Inspection`.

It never raises for any input text. Layers, each importing only those below it::

    encoding helpers (b64, jsontext) <- cleaning <- parsing <- keys/algorithms
        <- verification, analysis <- this facade
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace

from inspector.core.analysis import analyse_all, analyse_token
from inspector.core.fetched_keys import FetchedKeys
from inspector.core.frozen import builder
from inspector.core.model import Analysis, Decryption, Inspection, ParsedToken, Verification
from inspector.core.options import InspectOptions, is_finite_number
from inspector.core.parsing import parse_token
from inspector.core.verification import verify_with

#: InspectOptions made from these three, the rest at their defaults, without its checks
#: (see inspect_token).
_plain_options = builder(InspectOptions, "key", "now", "leeway", "check_weak_secrets", check=False)
#: Inspection(parsed=..., verification=..., analysis=..., decryption=..., nested=...).
_inspection = builder(Inspection, "parsed", "verification", "analysis", "decryption", "nested")

#: A token inside a token inside a token... is inspected this many levels deep; deeper ones
#: stay text (each level is a whole inspection, and no real token nests more than twice).
MAX_NESTING = 4


def inspect_token(
    text: str,
    key: str | None = None,
    *,
    decryption_key: str | None = None,
    secret_encoding: str = "utf-8",
    now: float | None = None,
    leeway: float = 0,
    audience: str | None = None,
    issuer: str | None = None,
    check_weak_secrets: bool = True,
    wordlist: str | os.PathLike[str] | None = None,
    fetched_keys: FetchedKeys | None = None,
    kb_audience: str | None = None,
    kb_nonce: str | None = None,
    kb_key: str | None = None,
    context_text: str | None = None,
) -> Inspection:
    """Decode, decrypt, verify (when ``key`` is given) and analyse the token in ``text``.

    ``key`` verifies signatures; ``decryption_key`` decrypts a JWE (when it is ``None``,
    ``key`` is tried for decryption too). A token carried inside (a decrypted JWE's payload,
    or a JWS payload, that is itself a compact JWT) is inspected as ``Inspection.nested``,
    verified with ``key`` only: never with a key the token carries.

    ``now`` is the time the token is judged at (seconds since the epoch); ``None`` means the
    current time, read here once (the layers below are given the clock, never read it).
    ``leeway`` (seconds) is allowed on ``exp``/``nbf``/``iat``. ``audience``/``issuer`` are the
    expected values, checked when given. ``check_weak_secrets`` tries the built-in list of
    common HMAC secrets on HS* tokens; ``wordlist`` names a file of more candidates.
    ``fetched_keys`` says where a fetched JWK Set in ``key`` came from (see
    :class:`~inspector.core.fetched_keys.FetchedKeys`); the core itself never fetches.
    ``kb_audience``/``kb_nonce`` are the ``aud`` and ``nonce`` an SD-JWT's key-binding JWT
    must carry (compared when given); ``kb_key`` is the holder's public key that verifies it
    when the SD-JWT's ``cnf`` names the key (``kid``, ``jkt``) instead of carrying it.
    ``context_text`` is the whole paste ``text`` was taken from (one token chosen among
    several): an ID token's ``at_hash``/``c_hash`` and a DPoP proof's ``ath`` are compared with
    the tokens around it there.

    The keywords are the fields of :class:`~inspector.core.options.InspectOptions` (built here;
    invalid values raise ``ValueError``/``TypeError`` as it does); front ends that already hold
    one call :func:`inspect_with`.
    """
    if now is None:
        now = time.time()  # (read here: no second object to make)
    # The usual call (a log, a benchmark, the window without settings; with or without a key
    # text): every setting but the key, the clock and the weak-secret check at its default.
    # Those three are checked here as InspectOptions checks them, and the value is built
    # without checking the eleven defaults again (3 us a token through the dataclass's own
    # __init__, a tenth of what a verification adds to PyJWT's cost beside the signature
    # check itself, issue 17 item 2); anything else is built and checked by InspectOptions,
    # which raises for a wrong value.
    if (
        (key is None or type(key) is str)
        and decryption_key is None
        and audience is None
        and issuer is None
        and wordlist is None
        and fetched_keys is None
        and kb_audience is None
        and kb_nonce is None
        and kb_key is None
        and context_text is None
        and secret_encoding == "utf-8"
        and type(secret_encoding) is str
        and type(leeway) is int
        and leeway == 0
        and type(check_weak_secrets) is bool
        and is_finite_number(now)
    ):
        options = _plain_options(key, now, 0, check_weak_secrets)
        return _inspect(text, options, 0)
    options = InspectOptions(
        key=key,
        decryption_key=decryption_key,
        secret_encoding=secret_encoding,
        now=now,
        leeway=leeway,
        audience=audience,
        issuer=issuer,
        check_weak_secrets=check_weak_secrets,
        wordlist=wordlist,
        fetched_keys=fetched_keys,
        kb_audience=kb_audience,
        kb_nonce=kb_nonce,
        kb_key=kb_key,
        context_text=context_text,
    )
    return inspect_with(text, options)


def inspect_with(text: str, options: InspectOptions) -> Inspection:
    """:func:`inspect_token` with its settings as one value; never raises for any text."""
    if options.now is None:
        options = replace(options, now=time.time())
    return _inspect(text, options, 0)


def inspect_all(texts: Sequence[str], options: InspectOptions) -> list[Inspection]:
    """``[inspect_with(text, options) for text in texts]``, the same inspections, made stage
    by stage: every text parsed, then every token verified (decrypted, its key binding
    checked), then every token analysed, pass by pass (``analysis.analyse_all``); the whole
    batch judged at one instant. Never raises for any text.

    For a log of tokens (the command line's blocks of lines): one stage's code run over many
    tokens stays in the processor's caches, where one token at a time ran every stage's
    code in turn and each evicted the last (measured on the benchmark log: about a fifth of
    each token's time, issue 17)."""
    if options.now is None:
        options = replace(options, now=time.time())
    checked = [_checked(parsed, options) for parsed in [parse_token(text) for text in texts]]
    analyses = analyse_all([(parsed, verification) for parsed, _, verification in checked], options)
    return [
        _built(parsed, decryption, verification, analysis, options, 0)
        for (parsed, decryption, verification), analysis in zip(checked, analyses, strict=True)
    ]


def _inspect(text: str, options: InspectOptions, depth: int) -> Inspection:
    parsed, decryption, verification = _checked(parse_token(text), options)
    analysis = analyse_token(parsed, verification, options)
    return _built(parsed, decryption, verification, analysis, options, depth)


def _checked(
    parsed: ParsedToken, options: InspectOptions
) -> tuple[ParsedToken, Decryption | None, Verification]:
    """The parsed token decrypted (a JWE with a key), its signatures verified and its key
    binding checked: the token as analysed, its decryption and its verification."""
    # Decryption, several signatures and key binding are imported by the tokens that need
    # them: the window's first inspection (a plain JWS, in a child forked at launch) does not
    # pay for their modules (~15 ms of imports together).
    decryption = None
    if parsed.format == "jwe":
        from inspector.core.decryption import decrypt_with, with_plaintext

        decryption = decrypt_with(parsed, options)
        if decryption is not None and decryption.plaintext is not None:
            parsed = with_plaintext(parsed, decryption.plaintext)
    verification = verify_with(parsed, options)
    for f in parsed.findings:  # (a loop: a generator for any() cost more than the test)
        if f.id == "jws-json-signatures":
            from inspector.core.signatures import verify_every_signature

            verification = verify_every_signature(parsed, options, verification)
            break
    if parsed.sd_jwt is not None and parsed.sd_jwt.key_binding is not None:
        from inspector.core.key_binding import check_key_binding

        parsed = check_key_binding(parsed, options, verification)
    return parsed, decryption, verification


def _built(
    parsed: ParsedToken,
    decryption: Decryption | None,
    verification: Verification,
    analysis: Analysis,
    options: InspectOptions,
    depth: int,
) -> Inspection:
    """The inspection of an analysed token, a token carried inside it inspected in turn."""
    inner = None
    if depth < MAX_NESTING and isinstance(parsed.unverified_payload, str):
        from inspector.core.decryption import nested_text

        inner = nested_text(parsed)
    return _inspection(
        parsed,
        verification,
        analysis,
        decryption,
        _inspect(inner, options, depth + 1) if inner is not None else None,
    )
