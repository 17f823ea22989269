"""One guarded HTTP GET: :func:`get`, the only code in the app that opens a socket.

Safe by construction (issue 13, item 2), whatever URL it is handed:

- HTTPS only; plain HTTP only to loopback (``localhost``, ``127.0.0.0/8``, ``::1``), and then
  only when every address the name resolves to is loopback. No user name or password in URLs.
- At most :data:`MAX_REDIRECTS` redirects, never from HTTPS to HTTP, each target checked by
  the same rules.
- One total deadline (:data:`FETCH_TIMEOUT` by default) for the whole operation, DNS included:
  each socket operation waits at most what is left, and a watchdog shuts the socket when the
  deadline passes, so a server that trickles one byte at a time cannot stretch it.
- At most :data:`MAX_BODY_BYTES` are read (a ``Content-Length`` above it is refused unread).
- No cookies, no credentials, no compression, one connection per request, closed after it.

Standard library only (``socket``, ``ssl``, ``http.client``): the few things ``urllib`` does
for us (redirects, proxies from the environment, ``file:`` URLs) are things to refuse or do
under these rules, and a dependency would add code on the one path that talks to the world.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urljoin, urlsplit

from inspector import __version__
from inspector.fetching.errors import FetchError

if TYPE_CHECKING:  # (imported where a request is made: ~30 ms the window's setup skips)
    import http.client
    import ssl

#: The whole fetch (discovery, fallback, JWK Set, redirects, DNS) must finish within this.
FETCH_TIMEOUT = 10.0
#: No discovery document or JWK Set is this large; more is refused (at most this + 1 read).
MAX_BODY_BYTES = 1024 * 1024
#: Redirects followed per request, at most.
MAX_REDIRECTS = 3
#: Host names that are loopback by definition (RFC 6761 §6.3), besides loopback addresses.
LOOPBACK_NAMES = frozenset({"localhost"})
#: Bytes asked of the socket per read while reading a body.
READ_CHUNK = 64 * 1024

_REDIRECTS = frozenset({301, 302, 303, 307, 308})

#: Called with each URL just before it is requested (before its DNS lookup); may raise
#: :class:`FetchError` (kind ``"refused"``) to stop the fetch there.
OnRequest = Callable[[str], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchSettings:
    """How to fetch: trust, time and size. The defaults are the safe ones."""

    #: A PEM file of CA certificates to trust *instead of* the system's (an internal issuer).
    ca_file: str | None = None
    #: Seconds for the whole fetch (> 0, finite).
    timeout: float = FETCH_TIMEOUT
    #: Largest body accepted, in bytes (> 0).
    max_bytes: int = MAX_BODY_BYTES

    def __post_init__(self) -> None:
        if self.ca_file is not None and not isinstance(self.ca_file, str):
            raise TypeError(f"ca_file must be a path or None, not {type(self.ca_file).__name__}")
        if (
            not isinstance(self.timeout, (int, float))
            or isinstance(self.timeout, bool)
            or not 0 < self.timeout < float("inf")
        ):
            raise ValueError(f"timeout must be a finite number of seconds > 0, not {self.timeout}")
        if type(self.max_bytes) is not int or self.max_bytes < 1:
            raise ValueError(f"max_bytes must be a whole number > 0, not {self.max_bytes!r}")


@dataclass(frozen=True, slots=True)
class Response:
    """A 200 answer: its body and where it came from."""

    #: The URL that answered (after redirects).
    url: str
    body: bytes = field(repr=False)
    #: The ``Content-Type`` header's media type, lower case ("" when absent).
    content_type: str = ""


class Deadline:
    """The moment the whole fetch must be done by (a monotonic clock)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return self._end - time.monotonic()

    def remaining(self, url: str) -> float:
        """Seconds left; :class:`FetchError` (``timeout``) when none are."""
        left = self.left()
        if left <= 0:
            raise self.expired(url)
        return left

    def expired(self, url: str) -> FetchError:
        return FetchError(
            "timeout",
            f"Timeout: no complete answer from {url} within {self.seconds:g} s.",
            url=url,
        )


def is_loopback_host(host: str) -> bool:
    """``localhost`` or a loopback address (``127.0.0.0/8``, ``::1``)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: object, what: str = "URL") -> SplitResult:
    """``url`` split, when the rules allow fetching it; :class:`FetchError` (``url``) saying
    why not otherwise. ``what`` names it in the message ("issuer", "jwks_uri")."""
    if not isinstance(url, str) or not url:
        raise FetchError("url", f"The {what} is not a URL ({type(url).__name__}).")
    shown = url if len(url) <= 200 else url[:197] + "..."
    if any(c.isspace() or ord(c) < 0x20 for c in url):
        raise FetchError("url", f"The {what} {shown!r} holds spaces or control characters.")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as err:
        raise FetchError("url", f"The {what} {shown!r} is not a valid URL ({err}).") from None
    if parts.scheme not in ("https", "http") or not host:
        raise FetchError(
            "url", f"The {what} {shown!r} is not an https:// URL with a host.", url=url
        )
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            "url", f"The {what} {shown!r} holds a user name or password; refused.", url=url
        )
    if not host.isascii():
        raise FetchError(
            "url", f"The {what}'s host {host!r} is not ASCII; give it in its xn-- form.", url=url
        )
    if parts.scheme == "http" and not is_loopback_host(host):
        raise FetchError(
            "url",
            f"The {what} {shown!r} is plain HTTP; only HTTPS is fetched (plain HTTP only from "
            "localhost).",
            url=url,
        )
    return parts


def get(
    url: str,
    settings: FetchSettings,
    deadline: Deadline,
    *,
    requested: list[str],
    on_request: OnRequest | None = None,
) -> Response:
    """GET ``url`` under the rules above, following up to :data:`MAX_REDIRECTS` redirects.

    Each URL requested is appended to ``requested`` (even when its request then fails).
    Raises :class:`FetchError` for every failure; nothing else escapes for any answer.
    """
    context: ssl.SSLContext | None = None
    current = url
    parts = check_url(current)
    for _hop in range(MAX_REDIRECTS + 1):
        if parts.scheme == "https" and context is None:
            context = _tls_context(settings.ca_file)
        if on_request is not None:
            on_request(current)
        requested.append(current)
        status, reason, location, body, content_type = _request(
            current, parts, settings, deadline, context
        )
        if status in _REDIRECTS:
            if location is None:
                raise FetchError(
                    "http-status",
                    f"HTTP {status} {reason} from {current} names no Location to go to.",
                    url=current,
                )
            target = urljoin(current, location.strip())
            target_parts = urlsplit(target)
            if parts.scheme == "https" and target_parts.scheme != "https":
                raise FetchError(
                    "redirect",
                    f"Redirect: {current} redirects to {target_parts.scheme or '?'}:// "
                    f"({_short(target)}); a redirect from HTTPS to HTTP is refused.",
                    url=current,
                )
            try:
                parts = check_url(target, "redirect target")
            except FetchError as err:
                raise FetchError("redirect", f"Redirect: {err}", url=current) from None
            current = target
            continue
        if status != 200:
            raise FetchError("http-status", f"HTTP {status} {reason} from {current}.", url=current)
        return Response(current, body, content_type)
    raise FetchError(
        "redirect",
        f"Redirect: more than {MAX_REDIRECTS} redirects from {url} (a loop?).",
        url=url,
    )


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:117] + "..."


def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Certificate and host name checked, TLS 1.2 or newer; ``ca_file`` replaces the system's
    trust store (an internal CA is trusted for this fetch only)."""
    import ssl

    try:
        context = ssl.create_default_context(cafile=ca_file)
    except (OSError, ssl.SSLError) as err:
        reason = getattr(err, "strerror", None) or getattr(err, "reason", None) or err
        raise FetchError("ca-file", f"Cannot read the CA file {ca_file!r}: {reason}.") from None
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _resolve(
    host: str, port: int, deadline: Deadline, url: str
) -> list[tuple[int, tuple[Any, ...]]]:
    """The addresses of ``host`` within the deadline (a lookup that hangs is left behind in a
    daemon thread; ``getaddrinfo`` cannot be interrupted)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        return [(family, (host, port) if family == socket.AF_INET else (host, port, 0, 0))]
    result: list[object] = []

    def lookup() -> None:
        try:
            result.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as err:
            result.append(err)

    worker = threading.Thread(target=lookup, name="jwt-inspector-dns", daemon=True)
    worker.start()
    worker.join(deadline.remaining(url))
    if not result:
        raise FetchError(
            "timeout",
            f"Timeout: the DNS lookup of {host!r} gave no answer within {deadline.seconds:g} s.",
            url=url,
        )
    found = result[0]
    if isinstance(found, OSError):
        reason = found.strerror or str(found)
        raise FetchError("dns", f"DNS: cannot resolve {host!r} ({reason}).", url=url)
    assert isinstance(found, list)
    return [(info[0], info[4]) for info in found]


def _connect(parts: SplitResult, port: int, deadline: Deadline, url: str) -> socket.socket:
    host = parts.hostname or ""
    addresses = _resolve(host, port, deadline, url)
    if parts.scheme == "http":
        strays = [a[1][0] for a in addresses if not is_loopback_host(str(a[1][0]))]
        if strays:
            raise FetchError(
                "url",
                f"{host!r} resolves to {strays[0]}, which is not loopback; plain HTTP is only "
                "fetched from loopback.",
                url=url,
            )
    last: OSError | None = None
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(deadline.remaining(url))
            sock.connect(address)
        except TimeoutError:
            sock.close()
            raise deadline.expired(url) from None
        except OSError as err:
            sock.close()
            last = err
            continue
        except BaseException:
            sock.close()
            raise
        return sock
    reason = (last.strerror or str(last)) if last is not None else "no address"
    raise FetchError("connect", f"Cannot connect to {host}:{port} ({reason}).", url=url)


class _Watchdog:
    """Shuts the socket it holds when the deadline passes, waking any blocked read."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self.sock = sock
        self.fired = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.name = "jwt-inspector-fetch-deadline"
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            # The plain socket's shutdown, not SSLSocket's (which would also drop its TLS
            # state under a read in progress in the other thread).
            socket.socket.shutdown(self.sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()
        self._timer.join()


def _request(
    url: str,
    parts: SplitResult,
    settings: FetchSettings,
    deadline: Deadline,
    context: ssl.SSLContext | None,
) -> tuple[int, str, str | None, bytes, str]:
    """One GET: (status, reason, Location, body, media type). The body is read only for 200."""
    import http.client
    import ssl

    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    sock = _connect(parts, port, deadline, url)
    watchdog = _Watchdog(sock, deadline.left())
    conn: http.client.HTTPConnection | None = None
    response: http.client.HTTPResponse | None = None
    try:
        if https:
            assert context is not None
            sock.settimeout(deadline.remaining(url))
            sock = context.wrap_socket(sock, server_hostname=host)
            watchdog.sock = sock
        conn = http.client.HTTPConnection(host, port)
        conn.sock = sock
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        netloc_host = f"[{host}]" if ":" in host else host
        default_port = 443 if https else 80
        conn.putrequest("GET", target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", netloc_host if port == default_port else f"{netloc_host}:{port}")
        conn.putheader("Accept", "application/json, application/jwk-set+json")
        conn.putheader("Accept-Encoding", "identity")
        conn.putheader("User-Agent", f"jwt-inspector/{__version__}")
        conn.putheader("Connection", "close")
        sock.settimeout(deadline.remaining(url))
        conn.endheaders()
        sock.settimeout(deadline.remaining(url))
        # Read by hand rather than conn.getresponse(), which closes the connection's socket
        # on "Connection: close" while the body is still to be read (with our timeouts).
        response = http.client.HTTPResponse(sock, method="GET")
        response.begin()
        status, reason = response.status, response.reason
        location = response.getheader("Location")
        media = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if status != 200:
            return status, reason, location, b"", media
        body = _read_body(response, sock, settings, deadline, url)
        if watchdog.fired:  # the read ended because the deadline shut the socket
            raise deadline.expired(url)
        return status, reason, location, body, media
    except FetchError:
        raise
    except ssl.SSLCertVerificationError as err:
        if watchdog.fired:
            raise deadline.expired(url) from None
        raise FetchError(
            "tls",
            f"TLS: the certificate of {host} cannot be trusted ({err.verify_message}).",
            url=url,
        ) from None
    except ssl.SSLError as err:
        if watchdog.fired:
            raise deadline.expired(url) from None
        raise FetchError(
            "tls", f"TLS: the handshake with {host} failed ({err.reason or err}).", url=url
        ) from None
    except TimeoutError:
        raise deadline.expired(url) from None
    except (http.client.HTTPException, OSError) as err:
        if watchdog.fired or deadline.left() <= 0:
            raise deadline.expired(url) from None
        if isinstance(err, http.client.HTTPException) and not isinstance(err, OSError):
            raise FetchError(
                "http",
                f"{host} did not answer with well-formed HTTP ({type(err).__name__}).",
                url=url,
            ) from None
        reason = getattr(err, "strerror", None) or type(err).__name__
        raise FetchError(
            "connect", f"The connection to {host} broke off ({reason}).", url=url
        ) from None
    finally:
        watchdog.cancel()
        if response is not None:
            response.close()
        if conn is not None:
            conn.close()
        sock.close()


def _read_body(
    response: http.client.HTTPResponse,
    sock: socket.socket,
    settings: FetchSettings,
    deadline: Deadline,
    url: str,
) -> bytes:
    """At most ``settings.max_bytes`` of the body; :class:`FetchError` (``size``) beyond."""
    limit = settings.max_bytes
    too_big = FetchError(
        "size",
        f"Size: {url} sends more than {limit:,} bytes; no discovery document or JWK Set is "
        "that large.",
        url=url,
    )
    declared = response.getheader("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        sock.settimeout(deadline.remaining(url))
        chunk = response.read(min(READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise too_big
    return b"".join(chunks)
