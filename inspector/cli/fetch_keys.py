"""``inspect --discover`` / ``--jwks-url URL`` / ``--ca-file FILE``: keys from the issuer.

Nothing is fetched without one of the first two. Every JWK Set is fetched once, here in the
parent process, before any token is inspected: with ``--jwks-url`` one set for every token;
with ``--discover`` one per distinct issuer (``iss``) in the input, at most
:data:`MAX_DISCOVERED_ISSUERS` of them (a log is not a list of hosts to contact). Worker
processes (``--jobs``) get the text in each token's options and open no socket. A fetch
that fails stops the command with exit status 2 and one line saying what failed.

Only the ``iss`` claim is read from a token, and only with ``--discover``: its ``jku``,
``x5u``, ``x5c`` and ``jwk`` are never fetched or used (the core reports them).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from inspector.cli.common import UsageError, text_argument
from inspector.core.options import InspectOptions
from inspector.core.parsing import parse_token

if TYPE_CHECKING:
    from inspector.fetching import FetchedJWKS, KeyRequest

#: ``--discover`` over a log fetches from at most this many distinct issuers.
MAX_DISCOVERED_ISSUERS = 16


class KeysUnavailableError(Exception):
    """Keys could not be had: exit status 2, with this one line."""


def add_options(parser: argparse.ArgumentParser, key_group: Any) -> None:
    """``--discover`` and ``--jwks-url`` (beside ``--key``/``--secret``: one key source), and
    ``--ca-file``."""
    key_group.add_argument(
        "--discover",
        action="store_true",
        help="fetch the keys of the issuer the token names in 'iss' (OpenID Connect "
        "discovery, RFC 8414 as fallback) over HTTPS, and verify with them",
    )
    key_group.add_argument(
        "--jwks-url",
        metavar="URL",
        help="fetch the JWK Set at URL (HTTPS; plain HTTP only from localhost) and verify with it",
    )
    parser.add_argument(
        "--ca-file",
        metavar="FILE",
        help="with --discover or --jwks-url: trust the CA certificates in FILE (PEM) instead "
        "of the system's, for an internal issuer",
    )


def wanted(args: argparse.Namespace) -> bool:
    """Whether the command line asks for keys to be fetched (checking ``--ca-file``)."""
    fetch = bool(args.discover) or args.jwks_url is not None
    if args.ca_file is not None:
        if not fetch:
            raise UsageError("--ca-file is for --discover or --jwks-url; nothing is fetched")
        text_argument(args.ca_file, "--ca-file")
        if not (os.path.isfile(args.ca_file) and os.access(args.ca_file, os.R_OK)):
            raise UsageError(f"cannot read CA file {args.ca_file!r} (not a readable file)")
    if args.jwks_url is not None:
        text_argument(args.jwks_url, "--jwks-url")
    return fetch


def keyed_options(
    args: argparse.Namespace,
    inputs: list[str],
    base: InspectOptions,
    *,
    note: Callable[[str], None],
) -> InspectOptions | Callable[[str], InspectOptions]:
    """``base`` with the fetched keys: one options value (``--jwks-url``), or a function
    giving each input its issuer's (``--discover``). :class:`KeysUnavailableError` when keys cannot
    be had; ``note`` is told each set fetched."""
    # Imported here, when something is to be fetched: sockets, TLS and HTTP are a good part
    # of the command line's start-up, and a log audit without these options needs none.
    from inspector.fetching import FetchError, FetchSettings, KeyRequest

    settings = FetchSettings(ca_file=args.ca_file)
    if args.jwks_url is not None:
        fetched = _fetch(KeyRequest(jwks_url=args.jwks_url, settings=settings), None)
        note(_fetched_words(fetched))
        return fetched.options(base)
    issuers: dict[str, list[str]] = {}
    without = 0
    for text in inputs:
        claims = parse_token(text).claims
        iss = claims.get("iss") if claims is not None else None
        if isinstance(iss, str):
            issuers.setdefault(iss, []).append(text)
            continue
        if len(inputs) == 1:
            what = "no 'iss' claim" if iss is None else f"an 'iss' that is not text ({iss!r:.40})"
            raise KeysUnavailableError(
                f"--discover: the token has {what}, so there is no issuer to fetch keys from "
                "(give the JWK Set with --jwks-url or --key)"
            )
        without += 1
    if not issuers:
        raise KeysUnavailableError("--discover: no token in the input names an issuer ('iss')")
    if len(issuers) > MAX_DISCOVERED_ISSUERS:
        raise KeysUnavailableError(
            f"--discover: the input names {len(issuers)} issuers; keys are fetched from at "
            f"most {MAX_DISCOVERED_ISSUERS} (split the log by issuer, or use --jwks-url)"
        )
    requests = {iss: KeyRequest(issuer=iss, settings=settings) for iss in issuers}
    for iss, request in requests.items():
        try:
            request.planned_urls()  # every issuer checked before anything is sent
        except FetchError as err:
            raise KeysUnavailableError(
                f"cannot fetch keys for issuer {iss!r:.120}: {err}"
            ) from None
    by_text: dict[str, InspectOptions] = {}
    for iss, request in requests.items():
        fetched = _fetch(request, iss)
        note(_fetched_words(fetched))
        options = fetched.options(base)
        for text in issuers[iss]:
            by_text[text] = options
    if without:
        note(f"{without} input{'s' if without != 1 else ''} name no issuer; inspected without keys")
    return lambda text: by_text.get(text, base)


def _fetch(request: KeyRequest, issuer: str | None) -> FetchedJWKS:
    from inspector.fetching import FetchError

    try:
        return request.fetch()
    except FetchError as err:
        where = f" for issuer {issuer!r:.120}" if issuer is not None else ""
        raise KeysUnavailableError(f"cannot fetch keys{where}: {err}") from None


def _fetched_words(fetched: FetchedJWKS) -> str:
    via = f" (discovered at {fetched.discovery_url})" if fetched.discovery_url else ""
    return f"fetched {fetched.summary()}{via}"


def stderr_note(message: str) -> None:
    sys.stderr.write(f"jwt-inspector-cli inspect: note: {message}\n")
