"""Keys from the issuer (issue 13): real servers on 127.0.0.1, friendly and hostile.

Each test starts its own server (tests/fetching/servers.py) and stops it; the autouse
fixture below checks that no thread or socket outlives a test.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector.core import InspectOptions, inspect_with
from inspector.core.findings import CATALOGUE
from inspector.fetching import (
    FETCH_TIMEOUT,
    MAX_BODY_BYTES,
    MAX_REDIRECTS,
    FetchedJWKS,
    FetchError,
    FetchSettings,
    KeyRequest,
    discovery_urls,
)
from tests.fetching.servers import (
    HANG,
    HUGE,
    HUGE_BYTES,
    Reply,
    TLSFiles,
    garbage,
    hang_up,
    make_tls,
    raw_server,
    serve,
    silent_listener,
    trickle,
)
from tests.fetching.tokens import NOW, discovery, jwks, signed

#: Short enough for the hostile servers that never answer; no test asserts on time taken.
SHORT = 0.5


def _open_sockets() -> int:
    """Sockets this process holds open (other descriptors come and go with the test run:
    the resource tracker's pipe once --jobs has started worker processes)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:  # closed meanwhile (the listing's own descriptor)
            pass
    return count


@pytest.fixture(autouse=True)
def no_leftovers() -> Iterator[None]:
    """Every server thread, fetch thread and socket a test opens is gone when it ends."""
    gc.collect()
    threads, sockets = set(threading.enumerate()), _open_sockets()
    yield
    gc.collect()
    extra = [t for t in set(threading.enumerate()) - threads if t.name != "jwt-inspector-dns"]
    assert not extra, f"threads left running: {extra}"
    assert _open_sockets() <= sockets, "a socket was left open"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    return make_tls(tmp_path_factory.mktemp("tls"))


def judged(fetched: FetchedJWKS, token: str, **base: object):
    return inspect_with(token, fetched.options(InspectOptions(now=NOW, **base)))  # type: ignore[arg-type]


def ids(inspection) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.id for f in inspection.findings}


def _issuer_site(site, path: str = "/tenant", keys=None) -> str:  # type: ignore[no-untyped-def]
    issuer = site.url(path)
    site.routes[f"{path}/.well-known/openid-configuration"] = Reply.json(
        discovery(issuer, site.url("/keys"))
    )
    site.routes["/keys"] = Reply.json(keys or jwks((0, "k0"), (1, "k1")))
    return issuer


# ---------------------------------------------------------------- the friendly paths


def test_discovery_then_jwk_set_then_valid() -> None:
    with serve() as site:
        issuer = _issuer_site(site)
        request = KeyRequest(issuer=issuer)
        planned = request.planned_urls()
        fetched = request.fetch(clock=lambda: 1234.5)
    assert fetched.requested == (planned[0], site.url("/keys"))
    assert site.requests == ["/tenant/.well-known/openid-configuration", "/keys"]
    assert fetched.url == site.url("/keys")
    assert fetched.discovered_for == fetched.issuer == issuer
    assert fetched.fetched_at == 1234.5
    assert fetched.kids == ("k0", "k1")
    assert fetched.summary() == f"2 keys from {site.url('/keys')}"
    inspection = judged(fetched, signed(issuer))
    assert inspection.verification.status == "valid"
    assert not ids(inspection) & {"discovery-issuer-mismatch", "published-private-keys"}


def test_over_https_with_the_ca_file(tls: TLSFiles) -> None:
    with serve(tls) as site:
        issuer = _issuer_site(site)
        fetched = KeyRequest(issuer=issuer, settings=FetchSettings(ca_file=str(tls.ca))).fetch()
        by_name = KeyRequest(
            jwks_url=f"https://localhost:{site.port}/keys",
            settings=FetchSettings(ca_file=str(tls.ca)),
        ).fetch()
    assert judged(fetched, signed(issuer)).verification.status == "valid"
    assert by_name.kids == ("k0", "k1")


def test_https_without_the_ca_file_is_a_tls_failure(tls: TLSFiles) -> None:
    """The system's trust store does not know the test's CA: the certificate is refused."""
    with serve(tls) as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "tls"
    assert "\n" not in str(err.value)


def test_a_certificate_for_another_name_is_refused(tmp_path: Path) -> None:
    other = make_tls(tmp_path, names=("other.example",))
    # The leaf is for other.example and 127.0.0.1; asked for as localhost, it does not fit.
    with serve(other) as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        with pytest.raises(FetchError) as err:
            KeyRequest(
                jwks_url=f"https://localhost:{site.port}/keys",
                settings=FetchSettings(ca_file=str(other.ca)),
            ).fetch()
    assert err.value.kind == "tls"


def test_an_unreadable_ca_file_says_so(tmp_path: Path) -> None:
    for bad in (tmp_path / "missing.pem", tmp_path):
        with pytest.raises(FetchError) as err:
            KeyRequest(
                jwks_url="https://127.0.0.1:9/keys", settings=FetchSettings(ca_file=str(bad))
            ).fetch()
        assert err.value.kind == "ca-file"
        assert str(bad) in str(err.value)


def test_a_jwk_set_url_given_directly() -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        request = KeyRequest(jwks_url=site.url("/keys"))
        assert request.planned_urls() == (site.url("/keys"),)
        fetched = request.fetch()
    assert site.requests == ["/keys"]
    assert fetched.discovered_for is None
    assert fetched.issuer is None
    # No issuer was discovered, so none is held against the token's iss.
    inspection = judged(fetched, signed("https://anyone.example/"))
    assert inspection.verification.status == "valid"
    assert "discovery-issuer-mismatch" not in ids(inspection)


def test_kid_rotation_the_tokens_kid_picks_the_key() -> None:
    with serve() as site:
        issuer = _issuer_site(site, keys=jwks((0, "2024-old"), (1, "2025-new")))
        fetched = KeyRequest(issuer=issuer).fetch()
    new = judged(fetched, signed(issuer, key_n=1, kid="2025-new"))
    old = judged(fetched, signed(issuer, key_n=0, kid="2024-old"))
    assert new.verification.status == old.verification.status == "valid"
    # Forged: signed by key 0 but naming key 1's kid; the named key decides, and refuses.
    forged = judged(fetched, signed(issuer, key_n=0, kid="2025-new"))
    assert forged.verification.status == "invalid"
    # A key the issuer does not publish at all.
    stranger = judged(fetched, signed(issuer, key_n=2, kid="2025-new"))
    assert stranger.verification.status == "invalid"


def test_rfc_8414_fallback_when_openid_discovery_is_missing() -> None:
    with serve() as site:
        issuer = site.url("/realm")
        site.routes["/.well-known/oauth-authorization-server/realm"] = Reply.json(
            {"issuer": issuer, "jwks_uri": site.url("/keys")}
        )
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        request = KeyRequest(issuer=issuer)
        fetched = request.fetch()
    assert site.requests == [
        "/realm/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server/realm",
        "/keys",
    ]
    assert fetched.requested[:2] == request.planned_urls()
    assert fetched.discovery_url == site.url("/.well-known/oauth-authorization-server/realm")
    assert judged(fetched, signed(issuer)).verification.status == "valid"


def test_no_discovery_document_at_either_place_is_one_http_status_error() -> None:
    with serve() as site:
        with pytest.raises(FetchError) as err:
            KeyRequest(issuer=site.url("/nobody")).fetch()
    assert err.value.kind == "http-status"
    assert "404" in str(err.value)
    assert "RFC 8414" in str(err.value)
    assert len(site.requests) == 2


def test_discovery_urls_follow_both_specifications() -> None:
    assert discovery_urls("https://idp.example/") == (
        "https://idp.example/.well-known/openid-configuration",
        "https://idp.example/.well-known/oauth-authorization-server",
    )
    assert discovery_urls("https://idp.example/tenant/v2.0/") == (
        "https://idp.example/tenant/v2.0/.well-known/openid-configuration",
        "https://idp.example/.well-known/oauth-authorization-server/tenant/v2.0",
    )


# ---------------------------------------------------------------- findings from fetched keys


def test_issuer_mismatch_is_a_finding() -> None:
    with serve() as site:
        issuer = site.url("/tenant")
        site.routes["/tenant/.well-known/openid-configuration"] = Reply.json(
            discovery("https://impostor.example/", site.url("/keys"))
        )
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        fetched = KeyRequest(issuer=issuer).fetch()
    assert fetched.issuer == "https://impostor.example/"
    inspection = judged(fetched, signed(issuer))
    found = [f for f in inspection.findings if f.id == "discovery-issuer-mismatch"]
    assert found, ids(inspection)
    assert all(f.severity == "high" for f in found)
    assert any("impostor.example" in f.detail for f in found)


def test_a_trailing_slash_is_a_different_issuer() -> None:
    """Exact comparison (OpenID Connect Discovery 4.3): no normalising of the slash."""
    with serve() as site:
        issuer = _issuer_site(site)
        fetched = KeyRequest(issuer=issuer).fetch()
    inspection = judged(fetched, signed(issuer + "/"))
    assert inspection.verification.status == "valid"  # the key verifies ...
    assert "discovery-issuer-mismatch" in ids(inspection)  # ... but not for this issuer


def test_a_discovery_document_without_issuer_is_a_finding() -> None:
    with serve() as site:
        issuer = site.url("/tenant")
        site.routes["/tenant/.well-known/openid-configuration"] = Reply.json(
            {"jwks_uri": site.url("/keys")}
        )
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        fetched = KeyRequest(issuer=issuer).fetch()
    assert "discovery-issuer-mismatch" in ids(judged(fetched, signed(issuer)))


def test_a_jwk_set_with_private_keys_is_critical() -> None:
    with serve() as site:
        issuer = _issuer_site(site, keys=jwks((0, "k0"), private=True))
        fetched = KeyRequest(issuer=issuer).fetch()
    assert fetched.private_keys == ("kid 'k0' (EC): d",)
    inspection = judged(fetched, signed(issuer))
    found = [f for f in inspection.findings if f.id == "published-private-keys"]
    assert [f.severity for f in found] == ["critical"]
    assert CATALOGUE["published-private-keys"].title == "The issuer publishes private keys"
    assert "'k0'" in found[0].detail


def test_a_published_shared_secret_is_critical() -> None:
    keys = {"keys": [*jwks((0, "k0"))["keys"], {"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]}
    with serve() as site:
        site.routes["/keys"] = Reply.json(keys)
        fetched = KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert fetched.private_keys == ("kid 'h' (oct): k",)
    assert "published-private-keys" in ids(judged(fetched, signed("https://x.example/")))


# ---------------------------------------------------------------- hostile servers


def test_a_20_mb_body_is_refused_after_the_limit() -> None:
    with serve() as site:
        site.routes["/keys"] = HUGE
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "size"
    assert f"{MAX_BODY_BYTES:,}" in str(err.value)
    assert HUGE_BYTES > 10 * MAX_BODY_BYTES


def test_a_declared_huge_length_is_refused_unread() -> None:
    with serve() as site:
        site.routes["/keys"] = Reply(200, b"{}" * 10, {"Content-Type": "application/json"})
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys"), settings=FetchSettings(max_bytes=8)).fetch()
    assert err.value.kind == "size"


def test_a_server_that_never_answers_times_out() -> None:
    with serve() as site:
        site.routes["/keys"] = HANG
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys"), settings=FetchSettings(timeout=SHORT)).fetch()
    assert err.value.kind == "timeout"
    assert f"{SHORT:g} s" in str(err.value)


def test_a_listener_that_never_accepts_times_out() -> None:
    """The connection is made by the kernel's backlog; nothing ever reads the request."""
    with silent_listener() as port:
        with pytest.raises(FetchError) as err:
            KeyRequest(
                jwks_url=f"http://127.0.0.1:{port}/keys", settings=FetchSettings(timeout=SHORT)
            ).fetch()
    assert err.value.kind == "timeout"


def test_a_server_that_trickles_one_byte_at_a_time_times_out() -> None:
    """Each byte comes well within any per-read timeout; the deadline is for the whole."""
    with raw_server(trickle) as port:
        with pytest.raises(FetchError) as err:
            KeyRequest(
                jwks_url=f"http://127.0.0.1:{port}/keys", settings=FetchSettings(timeout=SHORT)
            ).fetch()
    assert err.value.kind == "timeout"


def test_an_answer_that_is_not_http() -> None:
    with raw_server(garbage) as port:
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=f"http://127.0.0.1:{port}/keys").fetch()
    assert err.value.kind == "http"
    assert "\n" not in str(err.value)


def test_a_server_that_hangs_up_without_answering() -> None:
    with raw_server(hang_up) as port:
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=f"http://127.0.0.1:{port}/keys").fetch()
    assert err.value.kind == "connect"
    assert "broke off" in str(err.value)


def test_the_default_timeout_is_ten_seconds() -> None:
    assert FETCH_TIMEOUT == 10.0
    assert FetchSettings().timeout == FETCH_TIMEOUT
    assert MAX_REDIRECTS == 3


def test_a_redirect_loop_stops_after_three() -> None:
    with serve() as site:
        site.routes["/a"] = Reply.redirect("/b")
        site.routes["/b"] = Reply.redirect("/a")
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/a")).fetch()
    assert err.value.kind == "redirect"
    assert site.requests == ["/a", "/b", "/a", "/b"]  # the first request and 3 redirects


def test_three_redirects_are_followed() -> None:
    with serve() as site:
        site.routes["/1"] = Reply.redirect("/2", 301)
        site.routes["/2"] = Reply.redirect(site.url("/3"), 307)
        site.routes["/3"] = Reply.redirect("/keys", 308)
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        fetched = KeyRequest(jwks_url=site.url("/1")).fetch()
    assert fetched.url == site.url("/keys")
    assert fetched.requested == tuple(site.url(p) for p in ("/1", "/2", "/3", "/keys"))


def test_a_redirect_from_https_to_http_is_refused(tls: TLSFiles) -> None:
    with serve() as plain, serve(tls) as secure:
        plain.routes["/keys"] = Reply.json(jwks((0, "k0")))
        secure.routes["/keys"] = Reply.redirect(plain.url("/keys"))
        with pytest.raises(FetchError) as err:
            KeyRequest(
                jwks_url=secure.url("/keys"), settings=FetchSettings(ca_file=str(tls.ca))
            ).fetch()
    assert err.value.kind == "redirect"
    assert plain.requests == []  # never followed


def test_a_redirect_to_a_refused_url_is_not_followed() -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.redirect("http://example.com/keys")
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "redirect"
    assert site.requests == ["/keys"]


def test_html_instead_of_json() -> None:
    page = b"<!doctype html><html><body>Sign in</body></html>"
    with serve() as site:
        site.routes["/keys"] = Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "not-json"
    assert "text/html" in str(err.value)
    assert "Sign in" not in str(err.value)  # the body is never quoted


@pytest.mark.parametrize(
    "body",
    [
        b'{"keys": [], "keys": [{"kty": "EC"}]}',  # duplicate member
        b'{"keys": [{"kty": "EC", "x": NaN}]}',  # not JSON's number
        b'{"keys": [{"kty": "EC", "x": Infinity}]}',
        b'\xff{"keys": []}',  # not UTF-8
        b"",
    ],
)
def test_json_is_parsed_strictly(body: bytes) -> None:
    with serve() as site:
        site.routes["/keys"] = Reply(200, body, {"Content-Type": "application/json"})
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "not-json"


@pytest.mark.parametrize(
    "value",
    [{"kty": "EC", "crv": "P-256", "x": "a", "y": "b"}, {"keys": {}}, {"keys": []}, {"keys": [1]}],
)
def test_json_that_is_not_a_jwk_set(value: object) -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.json(value)
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "not-jwks"


@pytest.mark.parametrize("jwks_uri", [None, 5, "http://example.com/keys", "file:///etc/passwd"])
def test_a_discovery_document_without_a_usable_jwks_uri(jwks_uri: object) -> None:
    with serve() as site:
        issuer = site.url("/t")
        site.routes["/t/.well-known/openid-configuration"] = Reply.json(
            {"issuer": issuer, "jwks_uri": jwks_uri}
        )
        with pytest.raises(FetchError) as err:
            KeyRequest(issuer=issuer).fetch()
    assert err.value.kind in ("not-discovery", "url")
    assert site.requests == ["/t/.well-known/openid-configuration"]


def test_an_https_discovery_document_never_leads_to_plain_http(tls: TLSFiles) -> None:
    with serve() as plain, serve(tls) as secure:
        plain.routes["/keys"] = Reply.json(jwks((0, "k0")))
        issuer = secure.url("/t")
        secure.routes["/t/.well-known/openid-configuration"] = Reply.json(
            discovery(issuer, plain.url("/keys"))
        )
        with pytest.raises(FetchError) as err:
            KeyRequest(issuer=issuer, settings=FetchSettings(ca_file=str(tls.ca))).fetch()
    assert err.value.kind == "not-discovery"
    assert plain.requests == []


def test_an_http_error_status_names_it() -> None:
    with serve() as site:
        site.routes["/keys"] = Reply(503, b"busy")
        with pytest.raises(FetchError) as err:
            KeyRequest(jwks_url=site.url("/keys")).fetch()
    assert err.value.kind == "http-status"
    assert "503" in str(err.value)


def test_a_refused_connection() -> None:
    with silent_listener() as port:
        pass  # closed: nothing listens on the port any more
    with pytest.raises(FetchError) as err:
        KeyRequest(jwks_url=f"http://127.0.0.1:{port}/keys").fetch()
    assert err.value.kind == "connect"


def test_a_name_that_does_not_resolve_is_a_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """(The lookup is made to fail here: a test sends no query to a real resolver.)"""

    def no_such_name(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(FetchError) as err:
        KeyRequest(issuer="https://idp.invalid/").fetch()
    assert err.value.kind == "dns"
    assert "idp.invalid" in str(err.value)


# ---------------------------------------------------------------- what is never fetched


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",  # plain HTTP beyond loopback
        "http://10.0.0.1/",
        "ftp://127.0.0.1/",
        "file:///etc/passwd",
        "https://user:pass@idp.example/",
        "https://idp.example/?tenant=a",  # an issuer has no query
        "https://idp.example/#x",
        "https:///no-host",
        "https://idp.example:99999/",
        "https://idp.example/ space",
        "idp.example",
        "",
    ],
)
def test_refused_issuers_are_refused_before_any_request(url: str) -> None:
    calls: list[str] = []
    with pytest.raises(FetchError) as err:
        KeyRequest(issuer=url).planned_urls()
    assert err.value.kind == "url"
    with pytest.raises(FetchError):
        KeyRequest(issuer=url).fetch(on_request=calls.append)
    assert calls == []


def test_plain_http_is_allowed_only_to_loopback() -> None:
    for url in ("http://127.0.0.1/", "http://127.8.9.10/", "http://[::1]/", "http://localhost/"):
        assert KeyRequest(issuer=url).planned_urls()
    with pytest.raises(FetchError):
        KeyRequest(jwks_url="http://192.168.1.1/keys").planned_urls()


def test_localhost_must_resolve_to_loopback_for_plain_http(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def hijacked(host: str, port: int, *args: object, **kwargs: object) -> object:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", hijacked)
    with pytest.raises(FetchError) as err:
        KeyRequest(jwks_url="http://localhost:8080/keys").fetch()
    assert err.value.kind == "url"
    assert "203.0.113.5" in str(err.value)


def test_the_on_request_hook_sees_every_url_and_can_refuse() -> None:
    with serve() as site:
        issuer = _issuer_site(site)
        seen: list[str] = []
        KeyRequest(issuer=issuer).fetch(on_request=seen.append)
        assert seen == [site.url("/tenant/.well-known/openid-configuration"), site.url("/keys")]

        def only_planned(url: str) -> None:
            if url not in KeyRequest(issuer=issuer).planned_urls():
                raise FetchError("refused", f"{url} was not confirmed")

        site.requests.clear()
        with pytest.raises(FetchError) as err:
            KeyRequest(issuer=issuer).fetch(on_request=only_planned)
    assert err.value.kind == "refused"
    assert site.requests == ["/tenant/.well-known/openid-configuration"]


def test_settings_refuse_nonsense() -> None:
    for bad in ({"timeout": 0}, {"timeout": float("nan")}, {"max_bytes": 0}):
        with pytest.raises(ValueError, match="must be"):
            FetchSettings(**bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="exactly one"):
        KeyRequest()
    with pytest.raises(ValueError, match="exactly one"):
        KeyRequest(issuer="https://a.example/", jwks_url="https://a.example/k")


def test_the_fetched_text_stays_out_of_the_repr() -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0"), private=True))
        fetched = KeyRequest(jwks_url=site.url("/keys")).fetch()
    d = jwks((0, "k0"), private=True)["keys"][0]["d"]
    assert d in fetched.text
    assert d not in repr(fetched)
    assert d not in repr(fetched.options())
    assert dataclasses.replace(fetched).text == fetched.text
