"""Keys from the issuer in the window (issue 13 items 4 and 5): the button, the consent
prompt per host, the fetch off the GUI thread, where the keys came from, and that nothing is
fetched without the click.

Every test that fetches starts its own servers on 127.0.0.1 (tests/fetching/servers.py);
the autouse fixture checks that no thread or socket outlives a test.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from inspector.fetching import FetchSettings, KeyRequest
from inspector.ui.issuer_keys import (
    ConsentDialog,
    IssuerKeys,
    JwksUrlDialog,
    fetchable_issuer,
    host_note,
    origin_of,
    plain_tooltip,
    short_url,
)
from tests.fetching.servers import HANG, Reply, make_tls, serve
from tests.fetching.tokens import discovery, jwks, signed
from tests.ui.conftest import settle

WAIT_MS = 15_000

# The offscreen platform cannot size a dialog's window from its hints (the prompts open).
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _open_sockets() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return count


def _python_threads() -> set[threading.Thread]:
    # Qt's pool threads that ran Python show up as dummy threads (never removed); the
    # fetcher's DNS lookups are daemon threads by design (see inspector.fetching.transport).
    return {
        t
        for t in threading.enumerate()
        if not isinstance(t, threading._DummyThread) and t.name != "jwt-inspector-dns"
    }


@pytest.fixture(autouse=True)
def no_leftovers() -> Iterator[None]:
    """Set up before the window and torn down after it: the servers, the fetch thread and
    every socket a test opened are gone when it ends."""
    threads, sockets = _python_threads(), _open_sockets()
    yield
    extra = _python_threads() - threads
    assert not extra, f"threads left running: {extra}"
    assert _open_sockets() <= sockets, "a socket was left open"


@pytest.fixture
def keys(window) -> IssuerKeys:
    assert window.issuer_keys is not None
    window.issuer_keys.settings = FetchSettings(timeout=5.0)
    return window.issuer_keys


def show(qtbot, window, token: str) -> None:
    window.set_token_text(token)
    settle(qtbot, window)


def consent(qtbot, keys: IssuerKeys) -> ConsentDialog:
    qtbot.waitUntil(lambda: isinstance(keys.dialog, ConsentDialog), timeout=WAIT_MS)
    assert isinstance(keys.dialog, ConsentDialog)
    return keys.dialog


def finish(qtbot, window, keys: IssuerKeys) -> None:
    qtbot.waitUntil(lambda: not keys.is_busy(), timeout=WAIT_MS)
    settle(qtbot, window)


def issuer_site(site, keys_path: str = "/keys", keyset=None) -> str:  # type: ignore[no-untyped-def]
    issuer = site.url("/tenant")
    site.routes["/tenant/.well-known/openid-configuration"] = Reply.json(
        discovery(issuer, site.url(keys_path))
    )
    site.routes[keys_path] = Reply.json(keyset or jwks((0, "k0"), (1, "k1")))
    return issuer


def finding_ids(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.id for f in window.inspection.findings}


# ---------------------------------------------------------------- plain rules


@pytest.mark.parametrize(
    ("iss", "offered"),
    [
        ("https://login.example.com/tenant/v2.0", True),
        ("https://login.example.com/", True),
        ("http://127.0.0.1:8080/realms/a", True),
        ("http://localhost/", True),
        ("http://login.example.com/", False),  # plain HTTP beyond loopback
        ("login.example.com", False),
        ("https://login.example.com/?tenant=a", False),  # no query in an issuer
        ("https://user:pw@login.example.com/", False),
        ("ftp://login.example.com/", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_fetchable_issuer(iss: object, offered: bool) -> None:
    assert fetchable_issuer(iss) is offered


def test_host_notes_say_plainly_where_a_request_goes() -> None:
    assert "this computer" in (host_note("http://127.0.0.1:9/x") or "")
    assert "this computer" in (host_note("http://localhost/x") or "")
    assert "this computer" in (host_note("http://[::1]:8080/x") or "")
    assert "private network address" in (host_note("https://10.1.2.3/x") or "")
    assert "private network address" in (host_note("https://192.168.0.7/x") or "")
    assert "private network" in (host_note("https://idp.corp/x") or "")
    assert "private network" in (host_note("https://keycloak/x") or "")
    assert host_note("https://login.example.com/x") is None
    assert host_note("https://8.8.8.8/x") is None


def test_origins_and_short_urls() -> None:
    assert origin_of("https://Login.Example.com/a") == ("https", "login.example.com", 443)
    assert origin_of("http://127.0.0.1/a") == ("http", "127.0.0.1", 80)
    assert origin_of("https://h:8443/a") == ("https", "h", 8443)
    long = "https://login.example.com/tenant-0123456789/discovery/v2.0/keys"
    assert short_url(long) == "https://login.example.com/…/keys"
    assert short_url("https://a.example/keys") == "https://a.example/keys"


def test_text_from_a_token_or_server_is_never_read_as_markup(qtbot, window) -> None:
    hostile = "https://<b>x</b>.example/<img src=a>"
    assert plain_tooltip(hostile) == "<qt>" + html.escape(hostile) + "</qt>"
    assert plain_tooltip("a\nb") == "<qt>a<br>b</qt>"
    dialog = ConsentDialog(
        window, title="t", intro=hostile, urls=[hostile], then=None, note=hostile
    )
    qtbot.addWidget(dialog)
    for label in (dialog.intro, dialog.url_list, dialog.note):
        assert label.textFormat().name == "PlainText"


def test_the_line_follows_the_theme(qtbot, window, keys) -> None:
    keys._show_error("Something failed.")
    colour = keys.bar.status.palette().windowText().color().name()
    assert colour == window.theme.qcolor("error").name()
    window.apply_theme_choice("dark")
    qtbot.waitUntil(
        lambda: (
            keys.bar.status.palette().windowText().color().name()
            == window.theme.qcolor("error").name()
        )
    )
    assert window.theme.qcolor("error").name() != colour  # each theme has its own red
    keys._show("2 keys from https://a.example/keys, fetched 12:01", "fetched")
    text = keys.bar.status.palette().windowText().color().name()
    assert text == window.palette().windowText().color().name()


# ---------------------------------------------------------------- launch


def test_nothing_is_built_before_setup(qtbot) -> None:
    from inspector.ui.window import InspectorWindow

    w = InspectorWindow(theme="light")
    qtbot.addWidget(w)
    assert w.issuer_keys is None
    assert w.key_panel.findChild(object, "issuerKeysBar") is None
    w.finish_setup()
    assert w.issuer_keys is not None
    w.close()


def test_launch_imports_neither_the_fetcher_nor_this_module() -> None:
    code = (
        "import sys\n"
        "seen = {}\n"
        "real = sys.stderr.write\n"
        "def write(text):\n"
        "    if text.startswith('first-inspection-shown') and not seen:\n"
        "        seen['m'] = sorted(m for m in ('inspector.fetching', "
        "'inspector.ui.issuer_keys', 'ssl', 'http.client') if m in sys.modules)\n"
        "    return real(text)\n"
        "sys.stderr.write = write\n"
        "from inspector.ui.app import main\n"
        "rc = main(['--smoke-exit'])\n"
        "print('RC', rc, 'SEEN', seen)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert "RC 0 SEEN {'m': []}" in out.stdout, out.stdout + out.stderr


def test_the_button_is_offered_only_for_an_issuer_url(qtbot, window, keys) -> None:
    bar = keys.bar
    assert not bar.isVisibleTo(window)  # the example token has no iss
    show(qtbot, window, signed("https://login.example.com/tenant"))
    assert bar.isVisibleTo(window)
    assert bar.fetch_button.isVisibleTo(window)
    assert keys.issuer == "https://login.example.com/tenant"
    show(qtbot, window, signed("http://login.example.com/tenant"))
    assert not bar.isVisibleTo(window)
    show(qtbot, window, signed(None))
    assert not bar.isVisibleTo(window)
    assert keys.issuer is None


def test_the_row_does_not_take_the_token_editors_height(qtbot, window, keys) -> None:
    """With a short key, showing the row makes the key panel taller by the row and no more:
    the panel is as tall as its contents, and the token editor keeps the rest of the column.
    (A row that could grow let the panel take five sixths of the column from the editor.)"""
    from PySide6.QtWidgets import QApplication

    window.resize(1380, 860)
    window.set_key_text("a-short-secret")
    show(qtbot, window, signed("http://login.example.com/tenant"))  # plain HTTP: no row
    QApplication.processEvents()
    assert not keys.bar.isVisibleTo(window)
    editor_before, panel_before = window.token_edit.height(), window.key_panel.height()
    show(qtbot, window, signed("https://login.example.com/tenant"))
    QApplication.processEvents()
    assert keys.bar.isVisible()
    grown = window.key_panel.height() - panel_before
    row = keys.bar.sizeHint().height() + window.key_panel.layout().spacing()
    assert 0 < grown <= row + 2, (grown, row)
    assert window.token_edit.height() >= editor_before - row - 2


def test_the_url_entry_is_in_the_file_menu_after_open_key_file(qtbot, window, keys) -> None:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.menu().title() == "&File")
    names = [a.objectName() for a in file_menu.actions()]
    assert names.index("fetchJwksUrlAction") == names.index("openKeyAction") + 1
    assert keys.url_action is not None
    assert keys.url_action.shortcut().toString() == "Ctrl+Shift+K"
    keys.url_action.trigger()
    assert isinstance(keys.dialog, JwksUrlDialog)
    keys.dialog.cancel_button.click()
    assert not window.tools_menu.menuAction().isVisible()  # no Tools menu for this


def test_tab_goes_from_the_key_box_through_the_row(qtbot, window, keys) -> None:
    show(qtbot, window, signed("https://login.example.com/tenant"))
    row = ["fetchIssuerKeysButton", "jwksUrlButton", "refreshIssuerKeysButton"]
    row += ["cancelFetchButton", "caFileButton", "secretEncoding"]
    order, widget = [], window.key_panel.key_edit
    for _ in range(40):  # the chain holds unnamed children (viewports) too
        widget = widget.nextInFocusChain()
        if widget.objectName() in row:
            order.append(widget.objectName())
        if widget.objectName() == "secretEncoding":
            break
    assert order == row


# ---------------------------------------------------------------- fetching


def test_discovery_after_consent_then_the_label_and_refresh(qtbot, window, keys) -> None:
    with serve() as site:
        issuer = issuer_site(site)
        show(qtbot, window, signed(issuer))
        planned = KeyRequest(issuer=issuer).planned_urls()
        keys.bar.fetch_button.click()
        prompt = consent(qtbot, keys)
        listed = prompt.url_list.text()
        assert prompt.urls == list(planned)
        assert listed.startswith(f"1. {planned[0]}\n2. {planned[1]}\n")
        assert "then the JWK Set the discovery document names" in listed
        assert "this computer" in prompt.note.text()
        assert prompt.note.isVisibleTo(prompt)
        assert site.requests == []  # nothing before the answer
        prompt.fetch_button.click()
        finish(qtbot, window, keys)

        keyset = jwks((0, "k0"), (1, "k1"))
        assert json.loads(window.key_panel.key_text()) == keyset
        assert window.inspection.verification.status == "valid"
        assert site.requests == ["/tenant/.well-known/openid-configuration", "/keys"]
        status = keys.bar.status
        assert status.text().startswith(f"2 keys from {site.url('/keys')}, fetched ")
        assert status.isVisibleTo(window)
        assert keys.bar.refresh_button.isVisibleTo(window)
        assert site.url("/tenant/.well-known/openid-configuration") in status.toolTip()
        assert "'k0', 'k1'" in html.unescape(status.toolTip())

        keys.bar.refresh_button.click()  # the host is approved: no prompt this time
        assert keys.dialog is None
        finish(qtbot, window, keys)
        assert site.requests[2:] == ["/tenant/.well-known/openid-configuration", "/keys"]
        assert status.property("status") == "fetched"


def test_declining_sends_nothing_and_keeps_the_key(qtbot, window, keys) -> None:
    with serve() as site:
        issuer = issuer_site(site)
        show(qtbot, window, signed(issuer))
        window.set_key_text("my own key text")
        keys.bar.fetch_button.click()
        consent(qtbot, keys).cancel_button.click()
        qtbot.wait(200)
        assert site.requests == []
        assert not keys.is_busy()
        assert window.key_panel.key_text() == "my own key text"
        assert "not approved" in keys.bar.status.text()
        # Declined, so still not approved: the next click asks again.
        keys.bar.fetch_button.click()
        consent(qtbot, keys).cancel_button.click()
        assert site.requests == []


@pytest.mark.parametrize("approve_second", [True, False])
def test_a_jwk_set_on_another_host_is_asked_about_first(
    qtbot, window, keys, approve_second: bool
) -> None:
    with serve() as site, serve() as elsewhere:
        issuer = site.url("/tenant")
        site.routes["/tenant/.well-known/openid-configuration"] = Reply.json(
            discovery(issuer, elsewhere.url("/keys"))
        )
        elsewhere.routes["/keys"] = Reply.json(jwks((0, "k0")))
        show(qtbot, window, signed(issuer))
        window.set_key_text("kept")
        keys.bar.fetch_button.click()
        consent(qtbot, keys).fetch_button.click()
        qtbot.waitUntil(lambda: keys.dialog is not None and not keys.is_busy(), timeout=WAIT_MS)
        second = consent(qtbot, keys)
        assert second.urls == [elsewhere.url("/keys")]
        assert elsewhere.url("/keys") in second.url_list.text()
        assert site.url("/tenant/.well-known/openid-configuration") in second.intro.text()
        assert elsewhere.requests == []  # the hook stopped before it: nothing sent there
        assert site.requests == ["/tenant/.well-known/openid-configuration"]
        if approve_second:
            second.fetch_button.click()
            finish(qtbot, window, keys)
            assert elsewhere.requests == ["/keys"]
            assert window.inspection.verification.status == "valid"
            assert keys.bar.status.text().startswith(f"1 key from {elsewhere.url('/keys')}")
        else:
            second.cancel_button.click()
            qtbot.wait(200)
            assert elsewhere.requests == []
            assert window.key_panel.key_text() == "kept"


def test_a_redirect_to_another_host_is_asked_about_first(qtbot, window, keys) -> None:
    with serve() as site, serve() as elsewhere:
        issuer = issuer_site(site)
        site.routes["/keys"] = Reply.redirect(elsewhere.url("/moved"))
        elsewhere.routes["/moved"] = Reply.json(jwks((0, "k0")))
        show(qtbot, window, signed(issuer))
        keys.bar.fetch_button.click()
        consent(qtbot, keys).fetch_button.click()
        qtbot.waitUntil(lambda: keys.dialog is not None and not keys.is_busy(), timeout=WAIT_MS)
        second = consent(qtbot, keys)
        assert second.urls == [elsewhere.url("/moved")]
        assert second.intro.text().startswith(f"After {site.url('/keys')}, the next request")
        assert elsewhere.requests == []
        second.fetch_button.click()
        finish(qtbot, window, keys)
        assert elsewhere.requests == ["/moved"]
        assert window.key_panel.fetched is not None
        assert window.key_panel.fetched.url == elsewhere.url("/moved")
        assert window.inspection.verification.status == "valid"


@pytest.mark.parametrize(
    ("routes", "words"),
    [
        ({}, "HTTP 404"),
        ({"/tenant/.well-known/openid-configuration": Reply(200, b"<html>hi</html>")}, "HTML"),
    ],
)
def test_a_failure_is_one_line_and_keeps_the_key(qtbot, window, keys, routes, words) -> None:
    with serve() as site:
        site.routes.update(routes)
        show(qtbot, window, signed(site.url("/tenant")))
        window.set_key_text("my key\nover two lines")
        keys.bar.fetch_button.click()
        consent(qtbot, keys).fetch_button.click()
        finish(qtbot, window, keys)
        status = keys.bar.status
        assert status.property("status") == "error"
        assert words in status.text()
        assert "\n" not in status.text()
        assert "Traceback" not in status.text()
        assert window.key_panel.key_text() == "my key\nover two lines"
        assert window.key_panel.fetched is None
        assert not keys.bar.ca_button.isVisibleTo(window)  # not a TLS failure


def test_fetched_findings_apply_and_a_hand_edit_drops_them(qtbot, window, keys) -> None:
    with serve() as site:
        issuer = site.url("/tenant")
        site.routes["/tenant/.well-known/openid-configuration"] = Reply.json(
            discovery(issuer + "/", site.url("/keys"))  # not exactly the token's iss
        )
        site.routes["/keys"] = Reply.json(jwks((0, "k0"), private=True))
        show(qtbot, window, signed(issuer))
        keys.bar.fetch_button.click()
        consent(qtbot, keys).fetch_button.click()
        finish(qtbot, window, keys)
    assert {"published-private-keys", "discovery-issuer-mismatch"} <= finding_ids(window)
    assert window.key_panel.fetched is not None

    window.key_panel.key_edit.setFocus()
    qtbot.keyClicks(window.key_panel.key_edit, " ")  # by hand: no longer the fetched set
    settle(qtbot, window)
    assert window.key_panel.fetched is None
    assert keys.bar.status.property("status") == "none"
    assert not keys.bar.status.isVisibleTo(window)
    assert not {"published-private-keys", "discovery-issuer-mismatch"} & finding_ids(window)


@pytest.mark.parametrize("trusted", [True, False])
def test_over_https_with_a_ca_file(qtbot, window, keys, tmp_path, trusted: bool) -> None:
    tls = make_tls(tmp_path)
    keys.settings = FetchSettings(ca_file=str(tls.ca) if trusted else None, timeout=5.0)
    with serve(tls) as site:
        issuer = issuer_site(site)
        assert issuer.startswith("https://127.0.0.1:")
        show(qtbot, window, signed(issuer))
        window.set_key_text("kept")
        keys.bar.fetch_button.click()
        consent(qtbot, keys).fetch_button.click()
        finish(qtbot, window, keys)
        if trusted:
            assert window.inspection.verification.status == "valid"
            assert keys.bar.status.text().startswith(f"2 keys from {site.url('/keys')}")
        else:  # the system's trust store does not know the test's CA
            assert keys.bar.status.property("status") == "error"
            assert keys.bar.status.text().startswith("TLS:")
            assert window.key_panel.key_text() == "kept"
            assert site.requests == []  # the handshake failed before any request
            assert keys.bar.ca_button.isVisibleTo(window)  # offered for a TLS failure
            keys.use_ca_file(str(tmp_path / "missing.pem"))
            finish(qtbot, window, keys)
            assert keys.bar.status.text().startswith("Cannot read the CA file")
            assert keys.bar.ca_button.isVisibleTo(window)
            keys.use_ca_file(str(tls.ca))  # what "CA file..." does with the file chosen
            assert keys.dialog is None  # the host was approved already
            finish(qtbot, window, keys)
            assert window.inspection.verification.status == "valid"
            assert not keys.bar.ca_button.isVisibleTo(window)
            assert str(tls.ca) in html.unescape(keys.bar.status.toolTip())


def test_cancel_while_fetching(qtbot, window, keys) -> None:
    keys.settings = FetchSettings(timeout=3.0)
    with serve() as site:
        site.routes["/tenant/.well-known/openid-configuration"] = HANG
        show(qtbot, window, signed(site.url("/tenant")))
        window.set_key_text("kept")
        keys.bar.fetch_button.click()
        consent(qtbot, keys).fetch_button.click()
        assert keys.is_busy()
        assert keys.bar.cancel_button.isVisibleTo(window)
        assert not keys.bar.fetch_button.isEnabled()
        qtbot.waitUntil(lambda: site.requests != [], timeout=WAIT_MS)
        keys.bar.cancel_button.click()
        assert not keys.is_busy()
        assert keys.bar.status.text().startswith("Cancelled")
        assert keys.bar.fetch_button.isEnabled()
    # The server is gone; its hung request ended, and with it the fetch thread.
    keys.shutdown()
    assert keys._pool.activeThreadCount() == 0
    assert window.key_panel.key_text() == "kept"
    assert keys.bar.status.text().startswith("Cancelled")


def test_a_typed_jwk_set_url(qtbot, window, keys) -> None:
    with serve() as site:
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        show(qtbot, window, signed(None))
        dialog = keys.ask_for_url()
        assert isinstance(keys.dialog, JwksUrlDialog)
        dialog.url_edit.setText("http://login.example.com/keys")  # refused: plain HTTP
        dialog.fetch_button.click()
        assert dialog.error.isVisibleTo(dialog)
        assert "plain HTTP" in dialog.error.text()
        assert keys.dialog is dialog
        dialog.url_edit.setText(site.url("/keys"))
        dialog.fetch_button.click()
        prompt = consent(qtbot, keys)
        assert prompt.urls == [site.url("/keys")]
        assert site.requests == []
        prompt.fetch_button.click()
        finish(qtbot, window, keys)
        assert site.requests == ["/keys"]
        assert window.inspection.verification.status == "valid"
        assert keys.bar.isVisibleTo(window)  # shown for its label, though no iss
        assert keys.bar.status.text().startswith(f"1 key from {site.url('/keys')}")
        assert "discovery-issuer-mismatch" not in finding_ids(window)


# ---------------------------------------------------------------- privacy (item 5)

_EVENTS: list[tuple[str, object]] | None = None
_HOOKED = False
WATCHED = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")


def _hook(event: str, args: tuple[object, ...]) -> None:
    events = _EVENTS
    if events is None or not event.startswith(WATCHED):
        return
    if event == "socket.connect":
        address = args[1]
        events.append((event, tuple(address)[:2] if isinstance(address, tuple) else address))
    elif event == "socket.getaddrinfo":
        events.append((event, (args[0], args[1])))
    else:
        events.append((event, threading.current_thread().name))


@pytest.fixture
def audit() -> Iterator[list[tuple[str, object]]]:
    """Every socket, URL and HTTP event in this process while the test runs (Python's audit
    hooks cannot be removed, so one hook records only while a test holds the list)."""
    global _EVENTS, _HOOKED
    if not _HOOKED:
        sys.addaudithook(_hook)
        _HOOKED = True
    _EVENTS = []
    try:
        yield _EVENTS
    finally:
        _EVENTS = None


def test_a_hostile_token_fetches_nothing_without_the_click(qtbot, window, keys, audit) -> None:
    with serve() as site, serve() as elsewhere:
        issuer = issuer_site(site)
        hostile = signed(
            issuer,
            header={
                "jku": elsewhere.url("/jku"),
                "x5u": elsewhere.url("/x5u"),
                "jwk": {"kty": "oct", "k": "AAAA"},
            },
        )
        audit.clear()  # the servers are up; from here, only the window
        show(qtbot, window, hostile)  # pasting
        window.set_key_text(json.dumps(jwks((0, "k0"))))  # verifying with a pasted set
        settle(qtbot, window)
        assert window.inspection.verification.status == "valid"
        show(qtbot, window, signed(elsewhere.url("/other"), header={"jku": site.url("/keys")}))
        show(qtbot, window, hostile)
        qtbot.wait(400)  # timers that run after a result (refresh, setup) have their turn
        assert keys.bar.fetch_button.isVisibleTo(window)  # offered, not done
        assert audit == []
        assert site.requests == []
        assert elsewhere.requests == []

        keys.bar.fetch_button.click()  # the explicit action
        prompt = consent(qtbot, keys)
        shown = list(prompt.urls)
        assert shown == list(KeyRequest(issuer=issuer).planned_urls())
        assert audit == []
        prompt.fetch_button.click()
        finish(qtbot, window, keys)
        events = list(audit)
        served, elsewhere_served = list(site.requests), list(elsewhere.requests)

    fetched = window.key_panel.fetched
    assert fetched is not None
    assert fetched.requested[0] == shown[0]
    assert served == ["/tenant/.well-known/openid-configuration", "/keys"]
    assert elsewhere_served == []  # the token's jku and x5u: never
    # Connections only to the origin shown in the prompt, one per URL requested.
    connects = [address for event, address in events if event == "socket.connect"]
    assert connects == [(urlsplit(shown[0]).hostname, urlsplit(shown[0]).port)] * 2
    assert {origin_of(u) for u in fetched.requested} == {origin_of(shown[0])}
