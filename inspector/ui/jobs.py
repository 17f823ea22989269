"""Qt-free inspection jobs: what one inspection needs and returns, and where it runs.

- Small input: in the worker thread (:mod:`inspector.ui.worker`).
- Input above :data:`PROCESS_CHARS`: in a separate process (one, started on first need and
  reused), through the Qt-free runner :func:`inspector.batch.inspect_many`, which the command
  line's bulk audits use too. A thread is not enough there: a regular expression or JSON
  parse over megabytes is one C call that holds the GIL for its whole duration (measured:
  130 ms for one 5 MB token), and the GUI thread cannot run Python meanwhile. The worker
  thread only waits for the process and unpickles the result (about 10 ms for 5 MB).
- The first inspection at launch: in a child forked before Qt is even imported
  (:func:`fork_first_inspection`, Linux only), so importing the codec and ``cryptography``
  (about as long as importing Qt itself) runs on another core while the window is built.

This module imports neither Qt nor the codec at import time, so :mod:`inspector.ui.app` can
use it before anything heavy is loaded. Everything here runs off the GUI thread (or in another
process) and holds plain data only (named tuples, namespaces, strings, bytes, the codec's
frozen results):
that is half of the thread rule in :mod:`inspector.ui`. The other half, no automatic garbage
collection, holds in the helper process's management thread too, which is a thread of this
process.
"""

from __future__ import annotations

import atexit
import os
import pickle
import threading
import time
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from inspector.presentation import time_annotation
from inspector.ui.render import RenderedJson, escape_html, join_rendered, render_json

if TYPE_CHECKING:
    from collections.abc import Mapping

    from inspector.batch import InspectionPool
    from inspector.core.model import Inspection
    from inspector.core.options import InspectOptions

#: Input longer than this is inspected in a separate process (see the module docstring).
PROCESS_CHARS = 100_000

#: Set once the codec is fully imported in this process (so the GUI thread may import it
#: without racing a worker that is half-way through the same import).
CORE_READY = threading.Event()


class InspectionRequest(NamedTuple):
    """One inspection to run: the text and the options (``options.now`` is read by the UI when
    the request is made). A named tuple of a frozen value: cheap to build before the first
    frame, and it pickles to the child forked at launch and the helper process."""

    generation: int
    text: str
    options: InspectOptions

    def same_inputs(self, other: InspectionRequest) -> bool:
        """Same text and options (the clock and generation aside)."""
        return self.text == other.text and self.options.same_inputs(other.options)


#: A codec record (``Segment``, ``Finding``, ``Verification``) as plain values: the same
#: attribute names, read with the same code, but a standard-library class, so a result from
#: another process unpickles without the codec (see :func:`plain`).
Plain = SimpleNamespace
SegmentView = FindingView = VerificationView = Plain  # what each stands for, in type hints


def plain(record: Any) -> Plain:
    """``record`` (a codec dataclass or named tuple) as plain values, field by field: every
    field the codec declares, so a new field reaches the window without being named again
    here. Left out: fields the codec keeps out of its ``repr`` (secrets such as the HMAC
    secret, callables, caches) and private ones. Enums become their values, nested records
    plain ones; any other codec class is refused, since the window could not unpickle it
    without importing the codec."""
    import dataclasses

    if dataclasses.is_dataclass(record):
        names = [f.name for f in dataclasses.fields(record) if f.repr]
    else:
        names = list(record._fields)  # a named tuple
    return Plain(**{n: _plain_value(getattr(record, n)) for n in names if not n.startswith("_")})


def _plain_value(value: Any) -> Any:
    import dataclasses
    import enum

    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, str | int | float | bytes):
        return value
    if dataclasses.is_dataclass(value) or hasattr(value, "_fields"):
        return plain(value)
    if isinstance(value, tuple):
        return tuple(_plain_value(v) for v in value)
    raise TypeError(f"no plain form for {type(value).__qualname__} in an inspection view")


class InspectionView(NamedTuple):
    """What the window shows, in plain values: no codec class is needed to read it, so a
    result from another process unpickles without importing the codec. The codec's records
    are copied field by field (:func:`plain`); the rest is laid out for the panes here."""

    token: str | None
    format: str
    alg: str | None
    segments: tuple[SegmentView, ...]
    #: Most severe first.
    findings: tuple[FindingView, ...]
    verification: VerificationView
    #: JSON Pointer -> tooltip (HTML) for described and time claims.
    tips: dict[str, str]
    signature_text: str
    token_size: int
    #: ``header``/``payload`` -> what its pane says when it is empty.
    empty_reasons: dict[str, str]
    #: Time claim -> its NumericDate (the usable ones), so the window can tell when the
    #: verdict changes with the clock (``exp``, ``nbf``...) and judge again then.
    times: dict[str, float]
    #: Every token in the text inspected, as ``(where, start, end)`` (see
    #: :func:`inspector.core.token_search.find_tokens`); empty when the text is one token.
    found: tuple[tuple[str, int, int], ...] = ()
    #: The token's profile (issue 15) as ``(name shown, why)``; the name is ``""`` when the
    #: token fits no known profile.
    profile: tuple[str, str] = ("", "")
    #: An SD-JWT's disclosures and key binding (:class:`SdJwtView`), ``None`` for any other
    #: token (the disclosures list is then hidden).
    sd_jwt: SdJwtView | None = None
    #: A JWE's decryption (the codec's ``Decryption`` without its plaintext); ``None`` for
    #: any other token.
    decryption: Plain | None = None
    #: The token inside a decrypted JWE (sign-then-encrypt), viewed in turn; its findings are
    #: also in :attr:`findings`, marked (:data:`INNER_TITLE`), and its payload is the one the
    #: payload pane shows (see :func:`lay_out`).
    nested: InspectionView | None = None


#: How each profile (``Inspection.profile()["name"]``) is named in the window.
PROFILE_NAMES = {
    "sd-jwt": "SD-JWT",
    "sd-jwt-vc": "SD-JWT VC",
    "kb-jwt": "key-binding JWT",
    "dpop-proof": "DPoP proof",
    "access-token": "access token (RFC 9068)",
    "id-token": "ID token",
    "logout-token": "logout token",
    "client-assertion": "client assertion",
    "kubernetes-service-account": "Kubernetes service account",
    "github-actions-oidc": "GitHub Actions OIDC",
}
#: Characters of a disclosed value shown in the list (the payload pane shows it whole).
DISCLOSED_VALUE_CHARS = 200


class DisclosureView(NamedTuple):
    """One disclosure as the list shows it (plain values)."""

    #: Its position in the presentation, from 1.
    number: int
    #: The claim name, ``None`` for an array element.
    name: str | None
    #: The value as compact JSON, cut at :data:`DISCLOSED_VALUE_CHARS`.
    value: str
    #: JSON Pointer of what it fills in the disclosed payload; ``None`` when it fills nothing.
    location: str | None
    digest: str | None
    salt: str | None
    #: Why it fills nothing (malformed, not issued with this token: its digest is nowhere in
    #: the signed payload), or ``""``.
    problem: str = ""
    #: The finding that says so (id, severity), when there is one.
    finding_id: str = ""
    severity: str = ""


class SdJwtView(NamedTuple):
    """An SD-JWT's disclosures and key binding, laid out for the disclosures list."""

    disclosures: tuple[DisclosureView, ...]
    #: Digests no disclosure opens (withheld claims and decoys), ``None`` if not matched.
    undisclosed: int | None
    #: Whether the payload pane shows the disclosed payload (else the payload as signed).
    payload_disclosed: bool
    key_binding: str
    key_binding_reason: str
    #: The holder key the payload's ``cnf`` names without carrying it (``"kid 'k1'"``, a
    #: thumbprint), which the user may enter; ``None`` when it carries the key (or names none).
    holder_key: str | None = None


def _sd_jwt_view(inspection: Inspection) -> SdJwtView | None:
    """The disclosures list's data, or ``None`` when the token is not an SD-JWT."""
    import json

    sd = inspection.parsed.sd_jwt
    if sd is None:
        return None
    kb = sd.to_dict()["key_binding"]
    severities = {f.id: str(f.severity) for f in inspection.findings}
    rows = []
    first_with: dict[str, int] = {}  # digest -> number of the first disclosure with it
    for d in sd.disclosures:
        problem = finding_id = ""
        location = d.location
        if d.error is not None:
            problem, finding_id = f"malformed: {d.error}", "sd-disclosure-malformed"
        elif sd.disclosed_payload is None:
            problem = f"its digest could not be matched ('_sd_alg' {sd.hash_alg!r})"
            finding_id = "sd-unknown-hash-alg" if d.digest is None else ""
        elif d.digest in first_with:
            # The same disclosure twice: the first fills the claim, the copy nothing more.
            problem = f"a copy of disclosure {first_with[d.digest]}"
            finding_id, location = "sd-duplicate-digest", None
        elif d.location is None:
            problem = "not issued with this token"
            finding_id = "sd-unreferenced-disclosure"
        if d.digest is not None and d.error is None:
            first_with.setdefault(d.digest, d.index + 1)
        if d.error is None:
            value = json.dumps(d.value, ensure_ascii=False)
            if len(value) > DISCLOSED_VALUE_CHARS:
                value = value[:DISCLOSED_VALUE_CHARS] + "…"
        else:
            value = ""
        rows.append(
            DisclosureView(
                number=d.index + 1,
                name=d.name,
                value=value,
                location=location,
                digest=d.digest,
                salt=d.salt,
                problem=problem,
                finding_id=finding_id,
                severity=severities.get(finding_id, ""),
            )
        )
    return SdJwtView(
        disclosures=tuple(rows),
        undisclosed=sd.undisclosed_digests,
        payload_disclosed=sd.disclosed_payload is not None,
        key_binding=kb["status"],
        key_binding_reason=kb["reason"],
        holder_key=kb.get("holder_key"),
    )


def shown_payload(inspection: Inspection) -> Any:
    """What the payload pane shows: an SD-JWT's disclosed payload (every disclosure whose
    digest the issuer signed, put in place), which is what the holder presents and a verifier
    reads, or else the payload as decoded. A forged disclosure never enters it."""
    parsed = inspection.parsed
    sd = parsed.sd_jwt
    if sd is not None and sd.disclosed_payload is not None:
        return sd.disclosed_payload
    return parsed.unverified_payload


#: How a finding of the token inside a JWE is titled in the window's list (its origin).
INNER_TITLE = "Inner token: "
#: Where the inner token's header is shown: under the JWE's in the header pane, its members
#: keyed by JSON Pointers under this root (its payload is the payload pane's own).
NESTED_HEADER = "nested/header"


def _inner_finding(f: Plain) -> Plain:
    """A finding of the inner token, as the outer token's list shows it: titled as the inner
    token's, and located where the window shows the inner header (its payload is the pane's)."""
    loc = f.location
    if loc is not None and loc.startswith("/header"):
        loc = f"/{NESTED_HEADER}{loc[len('/header') :]}"
    return Plain(**{**vars(f), "title": INNER_TITLE + f.title, "location": loc})


def build_view(inspection: Inspection) -> InspectionView:
    """The plain view of an inspection (runs where the inspection ran). A decrypted JWE with
    a token inside carries that token's view too (:attr:`InspectionView.nested`)."""
    view = _build_view(inspection)
    if inspection.decryption is None:
        return view
    view = view._replace(decryption=plain(inspection.decryption))
    if inspection.nested is None:
        return view
    inner = build_view(inspection.nested)
    tips = {p: t for p, t in view.tips.items() if not p.startswith("/payload")}
    for p, t in inner.tips.items():
        tips[p if p.startswith("/payload") else f"/{NESTED_HEADER}{p[len('/header') :]}"] = t
    from inspector.core.findings import SEVERITY_RANK

    # A note (info) the JWE has too, such as what statelessness costs, is not listed twice.
    said = {f.id for f in view.findings if f.severity == "info"}
    findings = sorted(
        (
            *view.findings,
            *(_inner_finding(f) for f in inner.findings if f.id not in said),
        ),
        key=lambda f: SEVERITY_RANK[f.severity],
    )
    return view._replace(
        nested=inner,
        findings=tuple(findings),
        tips=tips,
        times={**view.times, **inner.times},
        signature_text=f"Inner token's signature: {inner.signature_text}",
    )


def _build_view(inspection: Inspection) -> InspectionView:
    esc = escape_html
    parsed = inspection.parsed
    tips: dict[str, str] = {}
    for d in inspection.analysis.descriptions:
        tips[d.location] = f"<b>{esc(d.name)}</b>: {esc(d.description)}" + (
            f"<br><i>{esc(d.source)}</i>" if d.source else ""
        )
    for t in inspection.analysis.times:
        extra = f"{t.utc} UTC" if t.utc and "UTC" not in t.utc else (t.utc or "")
        if extra:
            tips[t.location] = tips.get(t.location, f"<b>{esc(t.claim)}</b>") + f"<br>{esc(extra)}"
    return InspectionView(
        token=parsed.token,
        format=parsed.format,
        alg=parsed.alg,
        segments=tuple(plain(g) for g in parsed.segments),
        findings=tuple(plain(f) for f in inspection.findings),
        verification=plain(inspection.verification),
        tips=tips,
        signature_text=_signature_text(inspection),
        token_size=parsed.size()["token"] if parsed.token else 0,
        empty_reasons={part: _why_empty(inspection, part) for part in ("header", "payload")},
        times={
            t.claim: float(t.value)
            for t in inspection.analysis.times
            if isinstance(t.value, int | float) and not isinstance(t.value, bool)
        },
        profile=_profile(inspection),
        sd_jwt=_sd_jwt_view(inspection),
    )


def _profile(inspection: Inspection) -> tuple[str, str]:
    p = inspection.profile()
    name = p["name"]
    return (PROFILE_NAMES.get(name, name) if name else "", p["reason"] or "")


#: Signature bytes shown as hex (the rest is counted, not shown).
SIGNATURE_HEX_BYTES = 1_024


def _why_empty(inspection: Inspection, part: str) -> str:
    """What an empty header or payload pane says instead (its placeholder)."""
    parsed = inspection.parsed
    if parsed.token is None:
        return f"Paste a token to see its {part}."
    for seg in parsed.segments:
        if seg.name == part and seg.error:
            return f"The {part} cannot be decoded: {seg.error}"
    if parsed.format == "jwe" and part == "payload":
        d = inspection.decryption
        if d is not None and d.status in ("failed", "error"):
            return d.reason
        return "Encrypted (JWE): the content cannot be read without the recipient's key."
    return f"The {part} could not be decoded; the findings say why."


def _signature_text(inspection: Inspection) -> str:
    parsed = inspection.parsed
    alg = parsed.alg or "no algorithm"
    if parsed.format == "jwe":
        return f"Encrypted token (JWE), alg {alg}: there is no signature to show."
    sig = parsed.signature
    if sig is None:
        return f"{alg} · no signature could be decoded" if parsed.token else ""
    if not sig:
        return f"{alg} · empty signature (0 bytes)"
    shown = sig[:SIGNATURE_HEX_BYTES].hex(" ")
    hidden = len(sig) - SIGNATURE_HEX_BYTES
    more = f"\n… {hidden:,} more bytes" if hidden > 0 else ""
    return f"{alg} · {len(sig)} bytes ({len(sig) * 8} bits)\n\n{shown}{more}"


class InspectionResult(NamedTuple):
    """An inspection with what the panes need, laid out where it ran, so the GUI thread needs
    neither the codec's catalogue nor its constants to show it."""

    request: InspectionRequest
    #: What the panes show (``None`` only when inspecting failed).
    view: InspectionView | None
    #: The codec's own result; ``None`` when it came from the child forked at launch, which
    #: sends it pickled (``inspection_pickle``) so that showing it needs no codec import.
    inspection: Inspection | None
    header: RenderedJson
    payload: RenderedJson
    seconds: float
    inspection_pickle: bytes | None = None
    #: finding id -> (explanation, reference) from the catalogue, for the findings present.
    explanations: Mapping[str, tuple[str, str]] = {}  # (shared empty default, never mutated)
    #: (cookie limit, header limit, session id bytes) as the codec defines them.
    limits: tuple[int, int, int] = (4096, 8192, 32)
    failure: str | None = None


def import_core() -> None:
    """Import the codec (in a worker thread) and say so."""
    import inspector.core  # noqa: F401 - imported for its side effect

    CORE_READY.set()


def run_request(request: InspectionRequest) -> InspectionResult:
    """Inspect and lay out, here and now."""
    started = time.perf_counter()
    from inspector.core.inspection import inspect_with

    CORE_READY.set()
    result = lay_out(request, request.text, inspect_with(request.text, request.options))
    return result._replace(seconds=time.perf_counter() - started)


def lay_out(request: InspectionRequest, text: str, inspection: Inspection) -> InspectionResult:
    """What the panes need from ``inspection`` (runs where the inspection ran: the helper
    process lays out huge input too, so the GUI thread never holds the GIL over megabytes).
    ``text`` is the inspected text (the helper process is sent ``request`` without it)."""
    from inspector.core.findings import CATALOGUE
    from inspector.core.parsing import COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES

    notes = {t.location: time_annotation(t.local, t.relative) for t in inspection.analysis.times}
    parsed = inspection.parsed
    header = render_json(parsed.unverified_header, "header", notes)
    payload = render_json(shown_payload(inspection), "payload", notes)
    inner = inspection.nested
    if inspection.decryption is not None and inner is not None:
        # Sign-then-encrypt: the claims are the inner token's, so the payload pane shows them
        # (its findings point there); the header pane shows both headers, the JWE's first.
        inner_notes = {
            t.location: time_annotation(t.local, t.relative) for t in inner.analysis.times
        }
        payload = render_json(inner.parsed.unverified_payload, "payload", inner_notes)
        header = join_rendered(
            header,
            f"// inner token ({inner.parsed.format.upper()}), header:",
            render_json(inner.parsed.unverified_header, NESTED_HEADER),
        )
    view = build_view(inspection)
    explanations = {
        f.id: (CATALOGUE[f.id].explanation, CATALOGUE[f.id].reference)
        for f in view.findings
        if f.id in CATALOGUE
    }
    if parsed.token is not None and len(parsed.token) != len(text.strip()):
        # Text around the token: it may hold others (a token response, a log, cookies).
        from inspector.core.token_search import find_tokens

        found = tuple((f.where, f.start, f.end) for f in find_tokens(text))
        view = view._replace(found=found)
    return InspectionResult(
        request=request,
        view=view,
        inspection=inspection,
        header=header,
        payload=payload,
        seconds=0.0,
        explanations=explanations,
        limits=(COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES),
    )


# ------------------------------------------------------------------ the process for huge input
_pool_lock = threading.Lock()
_process_pool: InspectionPool | None = None


def _huge_input_pool() -> InspectionPool:
    """The one helper process (started on first need, reused; see :mod:`inspector.batch`)."""
    global _process_pool
    with _pool_lock:
        if _process_pool is None:
            # Imported here: the first frame does not need it (launch time).
            from inspector.batch import InspectionPool

            _process_pool = InspectionPool(1)
        return _process_pool


@atexit.register
def shutdown_process_pool() -> None:
    """Stop the inspection process, if one was started."""
    global _process_pool
    with _pool_lock:
        pool, _process_pool = _process_pool, None
    if pool is not None:
        pool.close()


def run_request_anywhere(request: InspectionRequest) -> InspectionResult:
    """:func:`run_request` here for small input, in the inspection process for huge input
    (here too when no process can be had: slower but correct)."""
    if len(request.text) <= PROCESS_CHARS:
        return run_request(request)
    from functools import partial

    from inspector.batch import inspect_many

    started = time.perf_counter()
    # The text travels once (as the input), not a second time inside the request.
    finish = partial(lay_out, request._replace(text=""))
    results = inspect_many([request.text], request.options, finish=finish, pool=_huge_input_pool())
    result: InspectionResult = next(results)
    results.close()
    return result._replace(request=request, seconds=time.perf_counter() - started)


# ------------------------------------------------------------------ the first inspection
class ForkedInspection:
    """The first inspection, running in a child forked at launch; :meth:`result` collects it."""

    def __init__(self, pid: int, fd: int, request: InspectionRequest) -> None:
        self.pid = pid
        self.fd = fd
        self.request = request
        self._collected = False

    def done(self, wait: float = 0.0) -> bool:
        """Whether the child has started writing its answer (waiting up to ``wait`` seconds
        for that). The child writes its answer in one go once it is ready, so reading the
        rest will not wait long."""
        import select

        if self._collected:
            return False
        readable, _, _ = select.select([self.fd], [], [], wait)
        return bool(readable)

    def result(self) -> InspectionResult | None:
        """Wait for the child (blocking, without the GIL) and return its result, or ``None``
        if it failed (the caller then inspects normally)."""
        if self._collected:
            return None
        self._collected = True
        chunks = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self.fd)
            os.waitpid(self.pid, 0)
        try:
            result = pickle.loads(b"".join(chunks)) if chunks else None
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return result if isinstance(result, InspectionResult) else None

    def discard(self) -> None:
        """Not needed after all (the user changed the input first): stop the child."""
        if self._collected:
            return
        self._collected = True
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.fd)
        os.waitpid(self.pid, 0)


def first_inspection_bytes(request: InspectionRequest) -> bytes:
    """Run ``request`` and pickle the result for the parent (in the forked child).

    The codec's ``Inspection`` travels pickled separately (``inspection_pickle``), so the
    parent shows the result without importing the codec, and unpickles it only when a tool
    asks for ``window.inspection``. Unpickling it at once would import 26 codec modules in
    the GUI process before the first frame (measured with ``-X importtime``: 185 ms on a
    quiet run, 440-600 ms under load, against 0.3 ms for the view), where launch is judged
    against a bare window (``benchmarks/bench_launch.py``)."""
    result = run_request(request)
    result = result._replace(
        inspection=None,
        inspection_pickle=pickle.dumps(result.inspection, pickle.HIGHEST_PROTOCOL),
    )
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def fork_first_inspection(request: InspectionRequest) -> ForkedInspection | None:
    """Start inspecting ``request`` in a forked child (see :mod:`inspector.ui.prefork`)."""
    from inspector.ui.prefork import fork_worker

    child = fork_worker(lambda: first_inspection_bytes(request))
    return ForkedInspection(child[0], child[1], request) if child is not None else None


def adopt(forked: ForkedInspection, request: InspectionRequest) -> InspectionResult | None:
    """The forked result re-labelled as the answer to ``request`` (same inputs), or ``None``."""
    result = forked.result()
    if result is None:
        return None
    return result._replace(request=request)
