"""Keys from the issuer (issue 13): the one part of the app that opens sockets, on request.

Qt-free and beside the core, never in it: the codec stays a pure function of text, keys and
a clock. A front end builds a :class:`KeyRequest` (an issuer to discover from, or a JWK Set
URL), shows :meth:`KeyRequest.planned_urls` before anything is sent, calls
:meth:`KeyRequest.fetch` (blocking, so off a GUI thread) and hands the result on with
:meth:`FetchedJWKS.options`; the core reads the JWK Set like a pasted one and judges each
token against :class:`~inspector.core.fetched_keys.FetchedKeys` (issuer mismatch, published
private keys). Every failure is one :class:`FetchError` with a ``kind`` and one line.

Nothing here reads a token's ``jku``, ``x5u``, ``x5c`` or ``jwk``: the only thing a front end
takes from a token is its ``iss``, and only when the user asked for discovery.

Usage::

    request = KeyRequest(issuer="https://idp.example/", settings=FetchSettings())
    request.planned_urls()  # ('https://idp.example/.well-known/openid-configuration',
                            #  'https://idp.example/.well-known/oauth-authorization-server')
    fetched = request.fetch(on_request=check_each_url)  # FetchedJWKS, or raises FetchError
    options = fetched.options(base_options)  # verifies with the set, judged per token
"""

from __future__ import annotations

from inspector.fetching.errors import FetchError, FetchErrorKind
from inspector.fetching.issuer import (
    OAUTH_AUTHORIZATION_SERVER,
    OPENID_CONFIGURATION,
    PRIVATE_MEMBERS,
    Discovery,
    FetchedJWKS,
    KeyRequest,
    discovery_urls,
)
from inspector.fetching.transport import (
    FETCH_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_REDIRECTS,
    FetchSettings,
    OnRequest,
    check_url,
    is_loopback_host,
)

__all__ = [
    "FETCH_TIMEOUT",
    "MAX_BODY_BYTES",
    "MAX_REDIRECTS",
    "OAUTH_AUTHORIZATION_SERVER",
    "OPENID_CONFIGURATION",
    "PRIVATE_MEMBERS",
    "Discovery",
    "FetchError",
    "FetchErrorKind",
    "FetchSettings",
    "FetchedJWKS",
    "KeyRequest",
    "OnRequest",
    "check_url",
    "discovery_urls",
    "is_loopback_host",
]
