"""The one error of the fetcher: :class:`FetchError`, with a stable ``kind`` and one line."""

from __future__ import annotations

from typing import Literal

#: What failed, as a stable name a front end may act on (the message is for people).
FetchErrorKind = Literal[
    "url",  # a URL the rules refuse (not HTTPS, plain HTTP beyond loopback, a password in it)
    "ca-file",  # the CA file given for an internal issuer cannot be read
    "dns",  # the host name does not resolve
    "connect",  # no connection (refused, unreachable, reset)
    "tls",  # the TLS handshake or the certificate check failed
    "timeout",  # no complete answer within the total timeout
    "http",  # the server did not answer with well-formed HTTP
    "http-status",  # an answer other than 200 OK (a 3xx is followed, see "redirect")
    "redirect",  # too many redirects, HTTPS to HTTP, or a redirect to a refused URL
    "size",  # a body larger than the size limit
    "not-json",  # not UTF-8 strict JSON (HTML, duplicate names, NaN...)
    "not-discovery",  # JSON, but not a discovery document with a usable 'jwks_uri'
    "not-jwks",  # JSON, but not a JWK Set with at least one key
    "refused",  # the caller's on_request hook refused the URL
]


class FetchError(Exception):
    """Fetching keys failed. ``str(err)`` is one line saying what failed and where (never
    any key material or response body); ``kind`` names the failure; ``url`` is the URL
    concerned, when there is one."""

    def __init__(self, kind: FetchErrorKind, message: str, *, url: str | None = None) -> None:
        super().__init__(" ".join(message.split()))  # one line, whatever was quoted in it
        self.kind: FetchErrorKind = kind
        self.url = url
