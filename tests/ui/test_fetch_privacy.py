"""Privacy stays provable with keys from the issuer (issue 13 item 5).

Extends ``test_window.py::test_the_window_makes_no_network_requests``: in one fresh process,
under an audit hook that records every socket, URL and HTTP event, launch the app, paste a
token that names a live issuer (and a ``jku`` and ``x5u`` on a live server), verify it with
a pasted JWK Set: not one event. Then the explicit fetch: it connects only to the host and
port of the URLs it was shown and reports, and the servers saw exactly those requests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

from tests.fetching.servers import Reply, serve
from tests.fetching.tokens import NOW, discovery, jwks, signed

_CHILD = r"""
import json, sys, time
data = json.loads(sys.stdin.read())
events = []
WATCHED = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")

def hook(event, args):
    if event.startswith(WATCHED):
        if event == "socket.connect":
            events.append([event, list(args[1])[:2]])
        elif event == "socket.getaddrinfo":
            events.append([event, [args[0], args[1]]])
        else:
            events.append([event, None])

sys.addaudithook(hook)
from inspector.ui.app import main
rc = main(["--smoke-exit"])                                   # launching
from PySide6.QtWidgets import QApplication
from inspector.ui.window import InspectorWindow
app = QApplication.instance() or QApplication([])
window = InspectorWindow(theme="light")
window.show()

def settle():
    end = time.monotonic() + 60
    while not window.is_settled() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)

window.set_token_text(data["token"])                          # pasting
settle()
window.set_key_text(data["jwks"])                             # verifying with pasted keys
settle()
pasted = window.inspection.verification.status
quiet = list(events)

from inspector.core import InspectOptions, inspect_with
from inspector.fetching import KeyRequest
request = KeyRequest(issuer=data["issuer"])                   # the explicit action
shown = request.planned_urls()
fetched = request.fetch()
fetched_status = inspect_with(
    data["token"], fetched.options(InspectOptions(now=data["now"]))
).verification.status
print(json.dumps({
    "rc": rc, "pasted": pasted, "quiet": quiet, "shown": list(shown),
    "requested": list(fetched.requested), "fetch_events": events[len(quiet):],
    "fetched": fetched_status,
}))
window.close()
"""


def test_only_the_explicit_fetch_opens_sockets_and_only_to_the_urls_shown(tmp_path) -> None:
    with serve() as site, serve() as elsewhere:
        issuer = site.url("/tenant")
        site.routes["/tenant/.well-known/openid-configuration"] = Reply.json(
            discovery(issuer, site.url("/keys"))
        )
        site.routes["/keys"] = Reply.json(jwks((0, "k0")))
        token = signed(issuer, header={"jku": elsewhere.url("/jku"), "x5u": elsewhere.url("/x5u")})
        data = {
            "token": token,
            "jwks": json.dumps(jwks((0, "k0"))),
            "issuer": issuer,
            "now": NOW,
        }
        out = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(data),
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            timeout=180,
            cwd=tmp_path,
        )
        assert out.returncode == 0, out.stderr
        result = json.loads(out.stdout.strip().splitlines()[-1])
        served = list(site.requests)
        elsewhere_served = list(elsewhere.requests)

    assert result["rc"] == 0
    # Launching, pasting and verifying: not one socket, URL or HTTP event.
    assert result["pasted"] == "valid"
    assert result["quiet"] == []
    # The fetch asked first for a URL it showed before sending anything ...
    assert result["requested"][0] == result["shown"][0]
    assert result["requested"] == [
        site.url("/tenant/.well-known/openid-configuration"),
        site.url("/keys"),
    ]
    # ... connected only to the host and port of the URLs it reports, once per URL ...
    connects = [e[1] for e in result["fetch_events"] if e[0] == "socket.connect"]
    hosts = {(urlsplit(u).hostname, urlsplit(u).port) for u in result["requested"]}
    assert len(connects) == len(result["requested"])
    assert {tuple(c) for c in connects} == hosts
    assert {e[0] for e in result["fetch_events"]} == {
        "socket.__new__",
        "socket.connect",
        "http.client.send",
    }
    # ... and the servers saw exactly those requests; the token's jku and x5u, nothing.
    assert served == ["/tenant/.well-known/openid-configuration", "/keys"]
    assert elsewhere_served == []
    assert result["fetched"] == "valid"
