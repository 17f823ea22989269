"""Keys from the issuer, in the window (issue 13 item 4): a button beside the key box, a
consent prompt, the fetch off the GUI thread, and where the keys came from.

Nothing is fetched without a click. When the shown token's ``iss`` is an issuer the fetcher
accepts (an ``https`` URL, or plain ``http`` on loopback), the key panel offers "Fetch keys
from issuer"; "JWK Set URL..." (and File > "Fetch keys from URL...", Ctrl+Shift+K) takes a
URL typed by the user. Only the ``iss`` is ever taken from a token: its ``jku``, ``x5u``, ``x5c``
and ``jwk`` are never read here (nor by :mod:`inspector.fetching`).

**Consent, per host.** The first fetch from a host (an origin: scheme, host and port) shows
the exact URLs that will be requested (:meth:`KeyRequest.planned_urls`, then "the JWK Set its
discovery document names"), says plainly when the host is this computer or a private
network, and asks. Approved origins are remembered in memory until the app quits. Every
request the fetch makes (redirects and the ``jwks_uri`` included) passes the ``on_request``
hook on the worker thread, which refuses any origin not approved *when the fetch started*
(a frozen set handed to the job as plain data: the worker never waits for the GUI). A refusal
comes back as plain data naming the URL; the GUI thread then asks about that host, showing
that URL, and on "Fetch" starts the same request again with the host added. The rerun asks
the first host again (one extra request to a host already approved); nothing ever reaches a
host the user has not approved, and there is no cross-thread prompt to get wrong.

**Off the GUI thread, by the app's rule** (:mod:`inspector.ui.gui_thread`): a one-thread
pool of this controller's own, and :class:`~inspector.ui.gui_thread.Jobs`; the job is a plain
function over a frozen :class:`KeyRequest`, a frozen set and a ``threading.Event``, and
returns a :class:`FetchedJWKS` or a :class:`FetchFailure` (plain data, never an exception
object with its frames). Cancel sets the event (the hook refuses the next request) and drops
the job at once; a request already under way ends by the fetcher's own deadline.

**Where the keys came from.** A fetched set goes into the key box (the ``keys_fetched``
signal; the window puts it there) and the key panel's ``fetched`` attribute, which
:meth:`KeyPanel.key_options` turns into ``fetched.options(base)`` while the box holds that
text unchanged, so the fetched-keys findings (``discovery-issuer-mismatch``,
``published-private-keys``) apply. The panel says "3 keys from https://…/keys, fetched 12:01"
with Refresh. Editing the key box by hand drops that label and the provenance. A failure is
one line (the :class:`FetchError`'s text) and never touches the key box.

Built only after the first frame (:func:`install`, from the window's ``finish_setup``, in a
step of its own); this module imports :mod:`inspector.fetching` at import time (which imports
``ssl`` and ``http.client`` only when a request is made), which is why nothing imports it
before then.
"""

from __future__ import annotations

import html
import ipaddress
import itertools
import json
import threading
import time
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from inspector.fetching import FetchedJWKS, FetchError, FetchSettings, KeyRequest, check_url
from inspector.fetching.transport import is_loopback_host
from inspector.ui.actions import ActionSpec, make_action
from inspector.ui.gui_thread import Jobs
from inspector.ui.qtvalues import PLAIN_TEXT, TEXT_SELECTABLE_BY_MOUSE
from inspector.ui.theme import set_colour

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction

    from inspector.ui.jobs import InspectionResult
    from inspector.ui.panels import KeyPanel
    from inspector.ui.theme import Theme
    from inspector.ui.window import InspectorWindow

__all__ = [
    "ConsentDialog",
    "FetchFailure",
    "IssuerKeys",
    "IssuerKeysBar",
    "JwksUrlDialog",
    "fetchable_issuer",
    "host_note",
    "install",
    "origin_of",
]

#: A payload longer than this (as JSON text) is not parsed again on the GUI thread to find its
#: ``iss`` when the inspection itself is not at hand (a result from another process).
MAX_PAYLOAD_SCAN_CHARS = 100_000
#: A URL in the "fetched from" line longer than this shows its host and last path segment.
SHORT_URL_CHARS = 48
#: The consent prompt's width: a discovery URL of a typical tenant fits on one line.
CONSENT_WIDTH = 600
#: Host names that are, by convention, names on a private network.
PRIVATE_SUFFIXES = (".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")

Origin = tuple[str, str, int]

#: File > "Fetch keys from URL...", placed after "Open key file..." (whose name this is).
URL_ACTION = ActionSpec(
    "&File", "Fetch keys from &URL...", "Ctrl+Shift+K", "fetchJwksUrlAction", "ask_for_url"
)
AFTER_ACTION = "openKeyAction"


# ================================================================== plain helpers (no Qt)
def fetchable_issuer(iss: object) -> bool:
    """Whether discovery may be offered for ``iss``: an ``https`` URL (or ``http`` on
    loopback) without query or fragment, as :func:`inspector.fetching.discovery_urls` takes."""
    if not isinstance(iss, str) or not iss.startswith(("https://", "http://")):
        return False
    try:
        KeyRequest(issuer=iss).planned_urls()
    except FetchError:
        return False
    return True


def origin_of(url: str) -> Origin:
    """``(scheme, host, port)`` of a URL the fetcher accepted (host in lower case)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def origin_text(origin: Origin) -> str:
    scheme, host, port = origin
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{shown}" + ("" if port == default else f":{port}")


def host_note(url: str) -> str | None:
    """One sentence when ``url``'s host is this computer or a private network, else ``None``."""
    host = (urlsplit(url).hostname or "").lower()
    if is_loopback_host(host):
        return f"{host} is this computer (a loopback address): the request stays on this machine."
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if "." not in host or host.endswith(PRIVATE_SUFFIXES):
            return f"{host} looks like a name on a private network, not a public issuer."
        return None
    if address.is_private or address.is_link_local:
        return f"{host} is a private network address, not a public issuer."
    return None


def short_url(url: str) -> str:
    """``url`` as ``https://host/…/last`` when long (the full URL goes in a tooltip)."""
    if len(url) <= SHORT_URL_CHARS:
        return url
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    tail = segments[-1] if segments else ""
    return f"{parts.scheme}://{parts.netloc}/…/{tail}" if len(segments) > 1 else url


def plain_tooltip(text: str) -> str:
    """``text`` (URLs, a discovery document's ``issuer``: text from elsewhere) as a tooltip
    that shows it as it is: Qt would render a tooltip that looks like HTML as HTML."""
    if not text:
        return ""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def fetched_line(fetched: FetchedJWKS) -> str:
    """ "3 keys from https://…/keys, fetched 12:01" (local time)."""
    count = fetched.key_count
    when = time.strftime("%H:%M", time.localtime(fetched.fetched_at))
    return f"{count} key{'s' if count != 1 else ''} from {short_url(fetched.url)}, fetched {when}"


def issuer_of_result(result: InspectionResult | None) -> str | None:
    """The shown token's ``iss`` (text only), from the codec's inspection when at hand, else
    from the payload JSON the worker laid out (a result from the launch child or the helper
    process, whose inspection is not unpickled here just for this)."""
    if result is None or result.view is None:
        return None
    claims: object = None
    if result.inspection is not None:
        claims = result.inspection.parsed.claims
    elif 0 < len(result.payload.full_json) <= MAX_PAYLOAD_SCAN_CHARS:
        try:
            claims = json.loads(result.payload.full_json)
        except ValueError:
            return None
    iss = claims.get("iss") if isinstance(claims, dict) else None
    return iss if isinstance(iss, str) else None


class FetchFailure(NamedTuple):
    """A fetch that failed, as plain data: the :class:`FetchError`'s kind, its one line and
    URL. ``unapproved`` is the URL the hook stopped at because its host was not approved
    (the GUI thread then asks); ``after`` the URL requested just before it."""

    kind: str
    message: str
    url: str | None = None
    unapproved: str | None = None
    after: str | None = None


class _UnapprovedError(FetchError):
    """Raised by the hook for a URL on a host the user has not approved."""


def fetch_job(
    request: KeyRequest, approved: frozenset[Origin], cancelled: threading.Event
) -> FetchedJWKS | FetchFailure:
    """The job (on the pool's thread): fetch, asking nothing of the GUI. Every URL about to
    be requested must be on an approved origin and the fetch not cancelled."""
    seen: list[str] = []

    def on_request(url: str) -> None:
        if cancelled.is_set():
            raise FetchError("refused", "Cancelled.", url=url)
        if origin_of(url) not in approved:
            raise _UnapprovedError("refused", f"Not approved: {url}", url=url)
        seen.append(url)

    try:
        return request.fetch(on_request=on_request)
    except _UnapprovedError as err:
        return FetchFailure(err.kind, str(err), err.url, err.url, seen[-1] if seen else None)
    except FetchError as err:
        return FetchFailure(err.kind, str(err), err.url)


# ================================================================== widgets
def _button(text: str, name: str, parent: QWidget) -> QPushButton:
    button = QPushButton(parent=parent)  # not (text, parent): see window._button
    button.setText(text)
    button.setObjectName(name)
    return button


class IssuerKeysBar(QWidget):
    """The key panel's row for fetched keys: the buttons, then one status line (where the
    keys came from, with Refresh; the progress, with Cancel; or the error).

    Signals:
        fetch_issuer_requested(), url_requested(), refresh_requested(), cancel_requested(),
        ca_file_requested(): its buttons were pressed.
    """

    fetch_issuer_requested = Signal()
    url_requested = Signal()
    refresh_requested = Signal()
    cancel_requested = Signal()
    ca_file_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, theme: Callable[[], Theme] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("issuerKeysBar")
        # No taller than its rows: the key panel is as tall as its contents allow (its
        # layout's maximum), and a row that could grow let it take the token editor's height.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        #: The window's current theme (read when the line is coloured).
        self.theme = theme
        self._recolour_due = False
        self.fetch_button = _button("Fetch keys from issuer", "fetchIssuerKeysButton", self)
        self.fetch_button.setToolTip(
            "Ask the issuer named in the token's 'iss' for its published keys (OpenID "
            "discovery). You see the exact URLs and confirm before anything is sent."
        )
        self.url_button = _button("JWK Set URL...", "jwksUrlButton", self)
        self.url_button.setToolTip("Fetch a JWK Set from a URL you type")
        self.status = QLabel("", self)
        self.status.setObjectName("issuerKeysStatus")
        self.status.setAccessibleName("Fetched keys")
        self.status.setWordWrap(True)
        self.status.setProperty("textFormat", PLAIN_TEXT)  # a URL is text, never markup
        self.status.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
        self.refresh_button = _button("Refresh", "refreshIssuerKeysButton", self)
        self.refresh_button.setToolTip("Fetch the same keys again")
        self.cancel_button = _button("Cancel", "cancelFetchButton", self)
        self.ca_button = _button("CA file...", "caFileButton", self)
        self.ca_button.setToolTip(
            "An internal issuer? Trust the CA certificates in a PEM file (instead of the "
            "system's, for fetching keys, until the app quits) and try again."
        )

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.fetch_button)
        buttons.addWidget(self.url_button)
        buttons.addStretch(1)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.refresh_button)
        status_row.addWidget(self.cancel_button)
        status_row.addWidget(self.ca_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addLayout(status_row)

        self.fetch_button.clicked.connect(self.fetch_issuer_requested)
        self.url_button.clicked.connect(self.url_requested)
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.ca_button.clicked.connect(self.ca_file_requested)
        self.show_status("", kind="none")

    def show_status(
        self, text: str, *, kind: str, tooltip: str = "", offer_ca: bool = False
    ) -> None:
        """``kind``: ``none`` (no line), ``fetched`` (with Refresh), ``busy`` (with Cancel),
        ``error`` (in the theme's error colour; with "CA file..." when ``offer_ca``) or
        ``note`` (muted)."""
        self.status.setText(text)
        self.status.setToolTip(plain_tooltip(tooltip))
        self.status.setVisible(kind != "none")
        self.refresh_button.setVisible(kind == "fetched")
        self.cancel_button.setVisible(kind == "busy")
        self.ca_button.setVisible(kind == "error" and offer_ca)
        self.fetch_button.setEnabled(kind != "busy")
        self.url_button.setEnabled(kind != "busy")
        self.status.setProperty("status", kind)
        self.recolour()

    @Slot()
    def recolour(self) -> None:
        """The line in the current theme's colour for its kind (the window's text colour,
        inherited, for "fetched")."""
        self._recolour_due = False
        colour = {"error": "error", "note": "muted", "busy": "muted"}.get(
            self.status.property("status")
        )
        if colour is None or self.theme is None:
            self.status.setPalette(QPalette())  # nothing set: the window's, whatever theme
        else:
            set_colour(self.status, QPalette.ColorRole.WindowText, self.theme().qcolor(colour))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A theme change (a new application palette): colour the line again once the
        window has its new theme (it sets the palette first)."""
        if event.type() == QEvent.Type.PaletteChange and not self._recolour_due:
            self._recolour_due = True
            QTimer.singleShot(0, self, self.recolour)
        super().changeEvent(event)


class ConsentDialog(QDialog):
    """Asks before the first request to a host: the exact URLs, and what the host is."""

    def __init__(
        self,
        parent: QWidget,
        *,
        title: str,
        intro: str,
        urls: list[str],
        then: str | None,
        note: str | None,
        asides: dict[str, str] | None = None,
    ) -> None:
        """``urls`` are requested in order (``asides`` says when one is, for some); ``then``
        says what follows that cannot be known yet; ``note`` what the host is."""
        super().__init__(parent)
        self.setObjectName("fetchConsentDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.urls = list(urls)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        self.intro = QLabel(intro, self)
        self.intro.setProperty("textFormat", PLAIN_TEXT)  # it names a host the token chose
        self.intro.setObjectName("consentIntro")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        lines = [
            f"{i}. {u}" + (f"\n    ({asides[u]})" if asides and u in asides else "")
            for i, u in enumerate(urls, 1)
        ]
        if then:
            lines.append(f"{len(urls) + 1}. {then}")
        self.url_list = QLabel("\n".join(lines), self)
        self.url_list.setObjectName("consentUrls")
        self.url_list.setAccessibleName("URLs that will be requested")
        self.url_list.setProperty("textFormat", PLAIN_TEXT)
        self.url_list.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)
        self.url_list.setWordWrap(True)
        layout.addWidget(self.url_list)
        self.note = QLabel(note or "", self)
        self.note.setProperty("textFormat", PLAIN_TEXT)
        self.note.setObjectName("consentHostNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        font = self.note.font()
        font.setBold(True)
        self.note.setFont(font)
        layout.addWidget(self.note)
        self.privacy = QLabel(
            "Nothing else is sent: no token, no key, no cookies. Of the token only its 'iss' is "
            "used; its jku, x5u, x5c and jwk are never fetched. The keys are kept in memory "
            "until the app quits. You will not be asked again for this host in this session.",
            self,
        )
        self.privacy.setObjectName("consentPrivacy")
        self.privacy.setWordWrap(True)
        self.privacy.setProperty("role", "muted")
        layout.addWidget(self.privacy)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = _button("Cancel", "consentCancelButton", self)
        self.fetch_button = _button("Fetch", "consentFetchButton", self)
        self.fetch_button.setDefault(True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.fetch_button)
        layout.addLayout(row)
        self.fetch_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.setMinimumWidth(CONSENT_WIDTH)
        self.resize(CONSENT_WIDTH, layout.totalHeightForWidth(CONSENT_WIDTH))


class JwksUrlDialog(QDialog):
    """A JWK Set URL typed by the user; refused URLs are said at once, in the dialog.

    Signals:
        url_chosen(str): a URL the fetcher's rules accept was entered.
    """

    url_chosen = Signal(str)

    def __init__(self, parent: QWidget, theme: Theme | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jwksUrlDialog")
        self.setWindowTitle("Fetch keys from a JWK Set URL")
        self.setModal(True)
        layout = QVBoxLayout(self)
        label = QLabel("JWK Set &URL (https://, or http:// on this computer only):", self)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("jwksUrlEdit")
        self.url_edit.setAccessibleName("JWK Set URL")
        self.url_edit.setPlaceholderText("https://login.example.com/.well-known/jwks.json")
        label.setBuddy(self.url_edit)
        self.error = QLabel("", self)
        self.error.setObjectName("jwksUrlError")
        self.error.setWordWrap(True)
        self.error.setProperty("textFormat", PLAIN_TEXT)
        self.error.hide()
        if theme is not None:
            set_colour(self.error, QPalette.ColorRole.WindowText, theme.qcolor("error"))
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = _button("Cancel", "jwksUrlCancelButton", self)
        self.fetch_button = _button("Fetch", "jwksUrlFetchButton", self)
        self.fetch_button.setDefault(True)
        row.addWidget(self.cancel_button)
        row.addWidget(self.fetch_button)
        layout.addWidget(label)
        layout.addWidget(self.url_edit)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.fetch_button.clicked.connect(self._on_fetch_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.setMinimumWidth(520)

    @Slot()
    def _on_fetch_button_clicked(self) -> None:
        url = self.url_edit.text().strip()
        try:
            check_url(url, "JWK Set URL")
        except FetchError as err:
            self.error.setText(str(err))
            self.error.show()
            self.adjustSize()  # room for the message's lines
            return
        self.error.hide()
        self.accept()
        self.url_chosen.emit(url)


# ================================================================== the controller
class IssuerKeys(QObject):
    """Fetching keys for the key panel: consent, the job, and what the panel says.

    Signals:
        keys_fetched(str): a JWK Set was fetched; its text is for the key box (the panel's
            ``fetched`` already holds the set when this is emitted).
    """

    keys_fetched = Signal(str)

    def __init__(
        self,
        key_panel: KeyPanel,
        parent: QWidget,
        *,
        theme: Callable[[], Theme] | None = None,
        settings: FetchSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("issuerKeys")
        self.key_panel = key_panel
        self._dialog_parent = parent
        self._theme = theme
        #: How to fetch (a CA file for an internal issuer, the timeout); tests shorten it.
        self.settings = settings or FetchSettings()
        #: Origins the user approved in this session (memory only).
        self.approved: set[Origin] = set()
        #: The shown token's ``iss`` when discovery may be offered for it.
        self.issuer: str | None = None
        #: The request behind the keys in the box (for Refresh), and the last one started.
        self._fetched_request: KeyRequest | None = None
        self._pending: KeyRequest | None = None
        self._job: int | None = None
        self._cancelled: threading.Event | None = None
        #: The open prompt (consent or URL), if any: tests and screenshots reach it here.
        self.dialog: QDialog | None = None
        #: File > "Fetch keys from URL..." (made by :func:`install`).
        self.url_action: QAction | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs = Jobs(self)
        self._jobs.finished.connect(self._on_jobs_finished)
        self._jobs.failed.connect(self._on_jobs_failed)

        self.bar = IssuerKeysBar(key_panel, theme)
        key_panel.add_row(self.bar)
        self.bar.fetch_issuer_requested.connect(self.fetch_from_issuer)
        self.bar.url_requested.connect(self.ask_for_url)
        self.bar.refresh_requested.connect(self.refresh)
        self.bar.cancel_requested.connect(self.cancel)
        self.bar.ca_file_requested.connect(self.choose_ca_file)
        key_panel.key_edited.connect(self._on_key_panel_key_edited)
        # Tab goes from the key box through this row, then on to the secret encoding.
        chain = (
            key_panel.key_edit,
            self.bar.fetch_button,
            self.bar.url_button,
            self.bar.refresh_button,
            self.bar.cancel_button,
            self.bar.ca_button,
            key_panel.secret_encoding,
        )
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)
        self._update_visibility()

    # ------------------------------------------------------------------ inputs
    @Slot(object)
    def show_issuer(self, iss: str | None) -> None:
        """The shown token's ``iss`` changed: offer discovery when it is fetchable."""
        self.issuer = iss if fetchable_issuer(iss) else None
        if self.issuer is not None:
            self.bar.fetch_button.setToolTip(
                plain_tooltip(
                    f"Ask {origin_text(origin_of(self.issuer))} for its published keys "
                    "(OpenID discovery). You see the exact URLs and confirm before anything "
                    "is sent."
                )
            )
        self._update_visibility()

    def is_busy(self) -> bool:
        return self._job is not None

    @Slot()
    def fetch_from_issuer(self) -> None:
        if self.issuer is not None:
            self.request(KeyRequest(issuer=self.issuer, settings=self.settings))

    @Slot()
    def ask_for_url(self) -> JwksUrlDialog:
        dialog = JwksUrlDialog(self._dialog_parent, self._theme() if self._theme else None)
        dialog.url_chosen.connect(self._on_url_chosen)
        self._open(dialog)
        return dialog

    @Slot(str)
    def _on_url_chosen(self, url: str) -> None:
        self.request(KeyRequest(jwks_url=url, settings=self.settings))

    @Slot()
    def refresh(self) -> None:
        if self._fetched_request is not None:
            self.request(self._fetched_request)

    def request(self, request: KeyRequest) -> None:
        """Fetch for ``request``: at once when its first host is approved, else after the
        consent prompt."""
        if self._job is not None:
            return
        try:
            planned = request.planned_urls()
        except FetchError as err:
            self._show_error(str(err))
            return
        origin = origin_of(planned[0])
        if origin in self.approved:
            self._start(request)
            return
        if request.issuer is not None:
            intro = (
                f"To verify with the issuer's published keys, JWT Inspector will send these "
                f"requests to {origin_text(origin)} (the issuer the token names in 'iss'):"
            )
            urls = list(planned)
            asides = {planned[1]: "only if the first is not found"}
            then = (
                "then the JWK Set the discovery document names\n    (on another host, you "
                "are asked again first)"
            )
        else:
            intro = f"JWT Inspector will send this request to {origin_text(origin)}:"
            urls, then, asides = list(planned), None, {}
        self._ask(
            ConsentDialog(
                self._dialog_parent,
                title=f"Fetch keys from {origin[1]}?",
                intro=intro,
                urls=urls,
                then=then,
                note=host_note(planned[0]),
                asides=asides,
            ),
            request,
            origin,
        )

    def _ask(self, dialog: ConsentDialog, request: KeyRequest, origin: Origin) -> None:
        dialog.accepted.connect(partial(self._on_consent, request, origin))
        dialog.rejected.connect(partial(self._on_consent_refused, origin))
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(partial(self._on_dialog_finished, dialog))
        dialog.open()  # window-modal, not exec(): the event loop (and tests) keep running

    def _on_dialog_finished(self, dialog: QDialog, _result: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _on_consent(self, request: KeyRequest, origin: Origin) -> None:
        self.approved.add(origin)
        self._start(request)

    def _on_consent_refused(self, origin: Origin) -> None:
        if self._fetched_request is None or not self._label_is_fetched():
            self._show(f"Nothing fetched: {origin_text(origin)} was not approved.", "note")

    @Slot()
    def cancel(self) -> None:
        """Stop waiting for the fetch under way (its thread ends by the fetch's deadline)."""
        if self._job is None:
            return
        assert self._cancelled is not None
        self._cancelled.set()
        self._job = None
        self._show("Cancelled: nothing was changed.", "note")

    # ------------------------------------------------------------------ the job
    def _start(self, request: KeyRequest) -> None:
        self._pending = request
        self._cancelled = threading.Event()
        approved = frozenset(self.approved)
        self._job = self._jobs.start(
            self._pool, partial(fetch_job, request, approved, self._cancelled)
        )
        where = request.issuer or request.jwks_url or ""
        self._show(f"Fetching keys from {origin_text(origin_of(where))}…", "busy", tooltip=where)

    @Slot(int, object)
    def _on_jobs_finished(self, job: int, outcome: object) -> None:
        if job != self._job:
            return  # cancelled, or superseded
        self._job = None
        request = self._pending
        assert request is not None
        if isinstance(outcome, FetchedJWKS):
            self._fetched_request = request
            self.key_panel.fetched = outcome
            self.keys_fetched.emit(outcome.text)
            tooltip = _provenance(outcome, request.settings.ca_file)
            self._show(fetched_line(outcome), "fetched", tooltip=tooltip)
        elif isinstance(outcome, FetchFailure) and outcome.unapproved is not None:
            self._ask_about_next_host(request, outcome)
        elif isinstance(outcome, FetchFailure):
            self._show_error(outcome.message, offer_ca=outcome.kind in ("tls", "ca-file"))

    @Slot(int, object)
    def _on_jobs_failed(self, job: int, report: object) -> None:
        if job != self._job:
            return
        self._job = None  # a bug: the crash dialog has the report; the window goes on
        headline = getattr(report, "headline", report)
        self._show_error(f"Fetching failed unexpectedly ({headline}).")

    def _ask_about_next_host(self, request: KeyRequest, failure: FetchFailure) -> None:
        url = failure.unapproved
        assert url is not None
        origin = origin_of(url)
        after = f"After {failure.after}, the" if failure.after else "The"
        self._ask(
            ConsentDialog(
                self._dialog_parent,
                title=f"Also fetch from {origin[1]}?",
                intro=(
                    f"{after} next request goes to another host, {origin_text(origin)} (the "
                    "JWK Set the discovery document names, or a redirect). Nothing has been "
                    "sent there yet. To go on, JWT Inspector will ask the hosts you approved "
                    "again, then:"
                ),
                urls=[url],
                then=None,
                note=host_note(url),
            ),
            request,
            origin,
        )

    # ------------------------------------------------------------------ what the panel says
    @Slot()
    def _on_key_panel_key_edited(self) -> None:
        fetched = self.key_panel.fetched
        if fetched is not None and self.key_panel.key_text() != fetched.text:
            self.key_panel.fetched = None  # edited by hand: no longer the fetched set
            self._fetched_request = None
            if self._label_is_fetched():
                self._show("", "none")

    def _label_is_fetched(self) -> bool:
        return self.bar.status.property("status") == "fetched"

    @Slot()
    def choose_ca_file(self) -> None:
        """ "CA file...": ask for a PEM file of CA certificates, then :meth:`use_ca_file`."""
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self._dialog_parent,
            "CA certificates for an internal issuer (PEM)",
            "",
            "PEM certificates (*.pem *.crt *.cer);;All files (*)",
        )
        if path:
            self.use_ca_file(path)

    def use_ca_file(self, path: str) -> None:
        """Trust the CA certificates in ``path`` (instead of the system's) for every fetch
        until the app quits, and try the failed request again."""
        self.settings = replace(self.settings, ca_file=path)
        if self._pending is not None and self._job is None:
            self.request(replace(self._pending, settings=self.settings))

    def _show_error(self, message: str, *, offer_ca: bool = False) -> None:
        fetched = self.key_panel.fetched
        if fetched is not None:  # a failed Refresh: the box keeps the keys fetched before
            when = time.strftime("%H:%M", time.localtime(fetched.fetched_at))
            message += f" The keys fetched at {when} are still in use."
        self._show(message, "error", offer_ca=offer_ca)

    def _show(self, text: str, kind: str, *, tooltip: str = "", offer_ca: bool = False) -> None:
        self.bar.show_status(text, kind=kind, tooltip=tooltip, offer_ca=offer_ca)
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.bar.fetch_button.setVisible(self.issuer is not None)
        has_status = self.bar.status.property("status") != "none"
        self.bar.setVisible(self.issuer is not None or has_status)

    # ------------------------------------------------------------------ closing
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Installed on the window by :func:`install`: closing it ends the fetch thread."""
        if event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self, timeout_ms: int = 15_000) -> None:
        """Cancel, close any prompt, and wait for the pool's thread to end (a request under
        way ends by the fetch's own deadline, at most ``settings.timeout``)."""
        if self._cancelled is not None:
            self._cancelled.set()
        self._job = None
        if self.dialog is not None:
            self.dialog.close()
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)


def _provenance(fetched: FetchedJWKS, ca_file: str | None = None) -> str:
    lines = [f"JWK Set: {fetched.url}"]
    if fetched.discovery_url:
        lines.append(f"Discovery document: {fetched.discovery_url}")
        lines.append(f"Its issuer: {fetched.issuer!r}")
    kids = ", ".join(repr(k) if k is not None else "(no kid)" for k in fetched.kids[:8])
    more = f" and {fetched.key_count - 8} more" if fetched.key_count > 8 else ""
    lines.append(f"Keys: {kids}{more}")
    lines.append("Requested: " + ", ".join(fetched.requested))
    if ca_file:
        lines.append(f"Trusting the CA certificates in {ca_file}")
    return "\n".join(lines)


def install(window: InspectorWindow) -> IssuerKeys:
    """Build the controller for ``window`` (after its first frame) and wire it: each shown
    inspection tells it the token's ``iss``; fetched keys go into the key box through
    ``window.set_key_text``; File gets "Fetch keys from URL..."."""
    controller = IssuerKeys(window.key_panel, window, theme=lambda: window.theme)
    controller.keys_fetched.connect(window.set_key_text)

    def on_shown(_view: object) -> None:
        controller.show_issuer(issuer_of_result(window.state.result))

    window.inspection_shown.connect(on_shown)
    window.installEventFilter(controller)
    controller.url_action = _add_menu_entry(window, controller)
    on_shown(None)
    return controller


def _add_menu_entry(window: InspectorWindow, controller: IssuerKeys) -> QAction:
    """:data:`URL_ACTION` in its menu, just after :data:`AFTER_ACTION` (at the end of the
    menu when that is not there)."""
    action = make_action(URL_ACTION, controller, window)
    title = URL_ACTION.menu
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if menu is None or menu.title() != title:
            continue
        entries = menu.actions()
        names = [a.objectName() for a in entries]
        if AFTER_ACTION in names and names.index(AFTER_ACTION) + 1 < len(entries):
            menu.insertAction(entries[names.index(AFTER_ACTION) + 1], action)
        else:
            menu.addAction(action)
        break
    return action
