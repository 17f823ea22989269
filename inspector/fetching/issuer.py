"""Keys from the issuer: OpenID Connect discovery (RFC 8414 as fallback) and JWK Set URLs.

A :class:`KeyRequest` names where to look: an issuer (``iss``) to discover from, or a JWK
Set URL given directly. :meth:`KeyRequest.planned_urls` lists, before anything is sent, the
exact URLs that will be requested first (for a consent prompt); :meth:`KeyRequest.fetch`
fetches (blocking; run it off a GUI thread) and returns a :class:`FetchedJWKS`, or raises
one :class:`~inspector.fetching.errors.FetchError`.

Only ever from where the user pointed: a token's ``jku``, ``x5u``, ``x5c`` and ``jwk`` are
not read here at all (a front end passes the ``iss`` claim, nothing else from the token).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlunsplit

from inspector import keysource
from inspector.core.fetched_keys import FetchedKeys
from inspector.core.jsontext import parse_json
from inspector.core.options import InspectOptions
from inspector.fetching.errors import FetchError
from inspector.fetching.transport import (
    Deadline,
    FetchSettings,
    OnRequest,
    Response,
    check_url,
    get,
)

#: OpenID Connect Discovery 1.0 §4: appended to the issuer (without its trailing slash).
OPENID_CONFIGURATION = "/.well-known/openid-configuration"
#: RFC 8414 §3: inserted between the issuer's host and its path.
OAUTH_AUTHORIZATION_SERVER = "/.well-known/oauth-authorization-server"
#: JWK members that only a private (or symmetric) key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
PRIVATE_MEMBERS: tuple[str, ...] = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
#: At most this many keys with private members are described one by one.
SHOWN_PRIVATE_KEYS = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Discovery:
    """What a discovery document said."""

    #: The issuer it was fetched for.
    discovered_for: str
    #: The URL that answered (OpenID Connect's, or RFC 8414's after a failure there).
    document_url: str
    #: Its ``issuer`` member (``None`` when missing or not text).
    issuer: str | None
    #: Its ``jwks_uri``, checked against the URL rules.
    jwks_uri: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchedJWKS:
    """A JWK Set fetched on request, and where and when it came from."""

    #: The JWK Set's text as served: what ``InspectOptions.key`` takes. Not in ``repr``.
    text: str = field(repr=False)
    #: The URL that served it (after redirects).
    url: str
    #: When it was fetched (seconds since the epoch, from the ``clock`` given to the fetch).
    fetched_at: float
    #: Every URL requested, in order: discovery, its fallback, redirects, the JWK Set.
    requested: tuple[str, ...]
    #: The issuer discovery was done for (``None``: a JWK Set URL given directly).
    discovered_for: str | None = None
    #: The discovery document's URL and its ``issuer`` member (``None`` without discovery).
    discovery_url: str | None = None
    issuer: str | None = None
    #: How many keys the set holds, and their ``kid`` values (``None`` for a key without).
    kids: tuple[str | None, ...] = ()
    #: Keys with private members, described (see :class:`~inspector.core.fetched_keys.FetchedKeys`).
    private_keys: tuple[str, ...] = ()

    @property
    def key_count(self) -> int:
        return len(self.kids)

    def provenance(self) -> FetchedKeys:
        """What the core needs to judge each token against these keys."""
        return FetchedKeys(
            url=self.url,
            discovered_for=self.discovered_for,
            issuer=self.issuer,
            private_keys=self.private_keys,
        )

    def options(self, base: InspectOptions | None = None) -> InspectOptions:
        """``base`` (default options when ``None``) verifying with these keys."""
        source = keysource.fetched_jwks(self.text, self.url)
        return replace(source.options(base), fetched_keys=self.provenance())

    def summary(self) -> str:
        """One line for people: "2 keys from https://…/keys"."""
        count = self.key_count
        return f"{count} key{'s' if count != 1 else ''} from {self.url}"


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyRequest:
    """Where to fetch keys from: exactly one of ``issuer`` (discover) or ``jwks_url``."""

    issuer: str | None = None
    jwks_url: str | None = None
    settings: FetchSettings = field(default_factory=FetchSettings)

    def __post_init__(self) -> None:
        if (self.issuer is None) == (self.jwks_url is None):
            raise ValueError("give exactly one of issuer and jwks_url")
        if not isinstance(self.settings, FetchSettings):
            raise TypeError(f"settings must be FetchSettings, not {type(self.settings).__name__}")

    def planned_urls(self) -> tuple[str, ...]:
        """The URLs requested first, in order, before anything is sent; :class:`FetchError`
        (``url``) when the issuer or URL is one the rules refuse.

        With discovery: OpenID Connect's document, then RFC 8414's (only if the first
        answers with an HTTP error); then the ``jwks_uri`` that document names, which cannot
        be known before. Redirects (at most 3, never HTTPS to HTTP) may add URLs; the
        ``on_request`` hook of :meth:`fetch` sees every one before it is requested.
        """
        if self.issuer is not None:
            return discovery_urls(self.issuer)
        assert self.jwks_url is not None
        check_url(self.jwks_url, "JWK Set URL")
        return (self.jwks_url,)

    def fetch(
        self,
        *,
        on_request: OnRequest | None = None,
        clock: Callable[[], float] = time.time,
    ) -> FetchedJWKS:
        """Fetch the JWK Set (blocking, at most ``settings.timeout`` seconds in all)."""
        deadline = Deadline(self.settings.timeout)
        requested: list[str] = []
        discovery = None
        url = self.jwks_url
        if self.issuer is not None:
            discovery = discover(
                self.issuer,
                self.settings,
                deadline=deadline,
                requested=requested,
                on_request=on_request,
            )
            url = discovery.jwks_uri
        assert url is not None
        return fetch_jwks(
            url,
            self.settings,
            discovery=discovery,
            deadline=deadline,
            requested=requested,
            on_request=on_request,
            clock=clock,
        )


def discovery_urls(issuer: object) -> tuple[str, str]:
    """OpenID Connect's and RFC 8414's discovery URLs for ``issuer``; :class:`FetchError`
    (``url``) for an issuer that is not an HTTPS URL without query and fragment."""
    parts = check_url(issuer, "issuer")
    assert isinstance(issuer, str)
    if parts.query or parts.fragment or issuer.endswith(("?", "#")):
        raise FetchError(
            "url",
            f"The issuer {issuer!r} has a query or fragment; an issuer URL has neither "
            "(OpenID Connect Discovery §2), so no discovery document is looked up for it.",
            url=issuer,
        )
    openid = issuer.rstrip("/") + OPENID_CONFIGURATION
    path = parts.path.rstrip("/")
    oauth = urlunsplit((parts.scheme, parts.netloc, OAUTH_AUTHORIZATION_SERVER + path, "", ""))
    return openid, oauth


def discover(
    issuer: str,
    settings: FetchSettings,
    *,
    deadline: Deadline,
    requested: list[str],
    on_request: OnRequest | None = None,
) -> Discovery:
    """Fetch and check the discovery document for ``issuer``: OpenID Connect's, or RFC
    8414's when the first answers with an HTTP error status."""
    openid, oauth = discovery_urls(issuer)
    try:
        response = get(openid, settings, deadline, requested=requested, on_request=on_request)
    except FetchError as first:
        if first.kind != "http-status":
            raise
        try:
            response = get(oauth, settings, deadline, requested=requested, on_request=on_request)
        except FetchError as second:
            if second.kind != "http-status":
                raise
            raise FetchError(
                "http-status",
                f"{first} The RFC 8414 fallback failed too: {second}",
                url=openid,
            ) from None
    document = _json_object(response, "discovery document")
    jwks_uri = document.get("jwks_uri")
    if not isinstance(jwks_uri, str):
        raise FetchError(
            "not-discovery",
            f"Not a discovery document: {response.url} names no 'jwks_uri' "
            f"({'missing' if jwks_uri is None else type(jwks_uri).__name__}).",
            url=response.url,
        )
    check_url(jwks_uri, "discovery document's jwks_uri")
    if response.url.startswith("https:") and not jwks_uri.startswith("https:"):
        # The redirect rule, applied to the link: an HTTPS document never leads to HTTP.
        raise FetchError(
            "not-discovery",
            f"The discovery document at {response.url} names a plain-HTTP jwks_uri "
            f"({jwks_uri[:120]}); from an HTTPS document only an HTTPS one is fetched.",
            url=response.url,
        )
    named = document.get("issuer")
    return Discovery(
        discovered_for=issuer,
        document_url=response.url,
        issuer=named if isinstance(named, str) else None,
        jwks_uri=jwks_uri,
    )


def fetch_jwks(
    url: str,
    settings: FetchSettings,
    *,
    deadline: Deadline,
    requested: list[str],
    discovery: Discovery | None = None,
    on_request: OnRequest | None = None,
    clock: Callable[[], float] = time.time,
) -> FetchedJWKS:
    """Fetch and check the JWK Set at ``url`` (named by ``discovery``, when given)."""
    check_url(url, "JWK Set URL")
    response = get(url, settings, deadline, requested=requested, on_request=on_request)
    document = _json_object(response, "JWK Set")
    keys = document.get("keys")
    if not isinstance(keys, list):
        single = "kty" in document
        raise FetchError(
            "not-jwks",
            f"Not a JWK Set: {response.url} has no 'keys' array"
            + (" (it is a single JWK)." if single else "."),
            url=response.url,
        )
    if not keys:
        raise FetchError(
            "not-jwks", f"Not a JWK Set: {response.url} holds no keys.", url=response.url
        )
    for i, key in enumerate(keys):
        if not isinstance(key, dict):
            raise FetchError(
                "not-jwks",
                f"Not a JWK Set: key {i + 1} at {response.url} is not a JSON object.",
                url=response.url,
            )
    text = response.body.decode("utf-8")
    try:  # the key source's own checks (its size cap) apply to fetched text too
        keysource.fetched_jwks(text, response.url)
    except keysource.KeySourceError as err:
        raise FetchError("size", f"Size: {err}", url=response.url) from None
    return FetchedJWKS(
        text=text,
        url=response.url,
        fetched_at=clock(),
        requested=tuple(requested),
        discovered_for=discovery.discovered_for if discovery else None,
        discovery_url=discovery.document_url if discovery else None,
        issuer=discovery.issuer if discovery else None,
        kids=tuple(k["kid"] if isinstance(k.get("kid"), str) else None for k in keys),
        private_keys=private_keys(keys),
    )


def private_keys(keys: list[dict[str, Any]]) -> tuple[str, ...]:
    """The keys of a JWK Set that carry private members, each described by its ``kid`` (or
    its place) and the members, as ``"kid 'a' (RSA): d, p, q"``."""
    out: list[str] = []
    for i, key in enumerate(keys):
        members = [m for m in PRIVATE_MEMBERS if m in key]
        if not members:
            continue
        kid = key.get("kid")
        name = f"kid {kid[:40]!r}" if isinstance(kid, str) else f"key {i + 1}"
        kty = key.get("kty")
        kind = f" ({kty[:10]})" if isinstance(kty, str) else ""
        out.append(f"{name}{kind}: {', '.join(members)}")
    if len(out) > SHOWN_PRIVATE_KEYS:
        out[SHOWN_PRIVATE_KEYS:] = [f"and {len(out) - SHOWN_PRIVATE_KEYS} more"]
    return tuple(out)


def _json_object(response: Response, what: str) -> dict[str, Any]:
    """The body as a JSON object, parsed strictly (UTF-8; no duplicate names, NaN or
    Infinity); :class:`FetchError` (``not-json``) saying what it is instead."""
    url = response.url
    sent = f" (it sent {response.content_type})" if response.content_type else ""
    try:
        text = response.body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FetchError(
            "not-json",
            f"Not JSON: the {what} at {url} is not UTF-8 text (byte {err.start}){sent}.",
            url=url,
        ) from None
    if "html" in response.content_type or text.lstrip()[:1] == "<":
        raise FetchError(
            "not-json", f"Not JSON: the {what} at {url} is an HTML page{sent}.", url=url
        )
    value, ok, issues = parse_json(text, what)
    if not ok or issues:
        detail = issues[0].detail if issues else f"The {what} is not JSON."
        raise FetchError("not-json", f"Not JSON: {url}: {detail}", url=url)
    if not isinstance(value, dict):
        raise FetchError(
            "not-json",
            f"Not JSON: the {what} at {url} is a JSON {type(value).__name__}, not an object.",
            url=url,
        )
    return value
