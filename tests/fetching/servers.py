"""Real local servers for the fetcher's tests: HTTP and HTTPS on 127.0.0.1, routes set by
each test, hostile behaviours on request; a CA and a leaf certificate made at test time.

Every server is stopped by its context manager: handler threads are joined (the server is
not in daemon-thread mode), so no test leaves a thread or a socket behind.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, value: Any, status: int = 200) -> Reply:
        return cls(status, json.dumps(value).encode(), {"Content-Type": "application/json"})

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, b"", {"Location": location})


#: Behaviours beyond a plain reply.
HANG = "hang"  # accept the request and never answer (until the server stops)
HUGE = "huge"  # answer 200 with a 20 MB body, streamed without Content-Length

HUGE_BYTES = 20 * 1024 * 1024

Route = Reply | str | Callable[[], Reply]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append(self.path)
        route = site.routes.get(self.path)
        if route is None:
            self._reply(Reply(404, b"not found", {"Content-Type": "text/plain"}))
            return
        if route == HANG:
            site.stopping.wait()
            return
        if route == HUGE:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            block = b" " * 65536
            try:
                self.wfile.write(b'{"keys": [')
                for _ in range(HUGE_BYTES // len(block)):
                    if site.stopping.is_set():
                        break
                    self.wfile.write(block)
            except OSError:  # the client stopped reading at its limit and closed
                pass
            self.close_connection = True
            return
        reply = route() if callable(route) else route
        assert isinstance(reply, Reply)
        self._reply(reply)

    def _reply(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            pass
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True
    site: Site

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer is what some tests do on purpose


@dataclass
class Site:
    """A running server: set ``routes`` (path -> Reply, HANG, HUGE or a callable), read
    ``requests`` (every path asked for, in order)."""

    scheme: str
    port: int = 0
    host: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path


@contextmanager
def serve(tls: TLSFiles | None = None, host: str = "127.0.0.1") -> Iterator[Site]:
    """A server on ``host`` (HTTPS when ``tls`` is given), stopped when the block ends."""
    server = _Server((host, 0), _Handler)
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(tls.cert), str(tls.key))
        server.socket = context.wrap_socket(server.socket, server_side=True)
    site = Site("https" if tls else "http", server.server_address[1], host)
    server.site = site
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield site
    finally:
        site.stopping.set()
        server.shutdown()
        thread.join()
        server.server_close()


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never reads or answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]
    finally:
        sock.close()


@contextmanager
def raw_server(answer: Callable[[socket.socket, threading.Event], None]) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that hands each connection to ``answer(conn, stopping)``
    (for answers no HTTP server would give); stopped and joined when the block ends."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.05)
    stopping = threading.Event()

    def serve_all() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                try:
                    answer(conn, stopping)
                except OSError:
                    pass

    thread = threading.Thread(target=serve_all)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stopping.set()
        thread.join()
        listener.close()


def trickle(conn: socket.socket, stopping: threading.Event) -> None:
    """A slow-loris answer: a well-formed response, one byte at a time, each byte well
    within any per-read timeout, for ever (until the server stops)."""
    conn.recv(65536)
    body = b'{"keys": [' + b" " * 10_000_000
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
    for byte in head + body:
        if stopping.wait(0.02):
            return
        conn.sendall(bytes([byte]))


def garbage(conn: socket.socket, stopping: threading.Event) -> None:
    """Not HTTP at all."""
    conn.recv(65536)
    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01binary")


def hang_up(conn: socket.socket, stopping: threading.Event) -> None:
    """Read the request, then close without a word."""
    conn.recv(65536)


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class TLSFiles:
    ca: Path  # the CA certificate (PEM), for --ca-file
    cert: Path  # the server's certificate (PEM)
    key: Path  # the server's private key (PEM), in the test's tmp_path only


def make_tls(directory: Path, *, names: tuple[str, ...] = ("localhost",)) -> TLSFiles:
    """A CA and a leaf certificate for 127.0.0.1 and ``names``, signed by it, made now."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jwt-inspector test CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    alt_names: list[x509.GeneralName] = [x509.DNSName(n) for n in names]
    alt_names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files = TLSFiles(directory / "ca.pem", directory / "server.pem", directory / "server.key")
    files.ca.write_bytes(ca.public_bytes(pem))
    files.cert.write_bytes(leaf.public_bytes(pem))
    files.key.write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return files
