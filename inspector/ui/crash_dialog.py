"""An unexpected exception never kills the app: it is shown in a dialog, and the window stays.

:func:`install_crash_dialog` sets ``sys.excepthook`` (what PySide calls for an exception that
escapes a slot or a Qt virtual) and ``threading.excepthook``; jobs on worker threads report
theirs through :func:`report_crash` (see :mod:`inspector.ui.gui_thread`). Every route turns
the exception into a :class:`CrashReport` of plain strings where it happened, and the report
reaches the GUI thread queued, so the dialog is only ever built there, from the event loop,
never from inside the code that failed.

**What a report shows.** A traceback is a leak waiting to happen: exception messages quote
their input, and the input here is tokens and keys. So a report keeps the exception's type,
each frame as file:line in function (paths relative to the package or ``sys.path``, never a
home folder), the source line for frames of this package only, and the message *scrubbed*
(:func:`scrub_message`): PEM blocks dropped; quoted text kept only when it is a name the
failing code itself uses (an attribute, a variable, a string constant) or a type's name;
unquoted words kept only when they are plain words or numbers; anything longer or
token-like replaced by its length. Chained causes get the same treatment. The scrubbed text
is also what goes to standard error: the raw traceback is printed nowhere.

**Storms.** One dialog at a time: while it is open, further reports are counted and the
distinct ones (up to :data:`MAX_SHOWN`) listed, refreshed at most every :data:`REFRESH_MS`, so
an exception that repeats on every paint cannot flood the event loop with windows.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "CrashDialog",
    "CrashHandler",
    "CrashReport",
    "describe_exception",
    "install_crash_dialog",
    "report_crash",
    "scrub_message",
]

#: Distinct reports listed in the dialog; further ones are only counted.
MAX_SHOWN = 5
#: The dialog's text is rebuilt at most this often while reports keep coming.
REFRESH_MS = 200
#: A scrubbed message is cut at this many characters.
MAX_MESSAGE_CHARS = 400
#: Frames kept per exception (the innermost ones: where it happened).
MAX_FRAMES = 30
#: Chained exceptions (``raise ... from``, "during handling") followed.
MAX_CHAIN = 3
#: Unquoted words longer than this are hidden even when made of letters only.
MAX_WORD_CHARS = 24
#: In source lines (code, not input), runs of token-like characters this long are hidden
#: (a literal example token, a test key).
MAX_SOURCE_RUN = 32

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../inspector
#: What a message is read as, piece by piece: a PEM block, a quoted string (not the
#: apostrophe of "can't"), or a word.
_PIECE = re.compile(
    r"(?P<pem>-----BEGIN [^-\n]{1,64}-----.*?(?:-----END [^-\n]{1,64}-----|\Z))"
    r"|(?<![A-Za-z0-9])(?P<prefix>[bB]?)(?P<q>['\"])(?P<body>(?:\\.|(?!(?P=q))[^\n])*)(?P=q)"
    r"(?![A-Za-z0-9])"
    r"|(?P<word>[^\s'\"(),:;\[\]{}<>=]+)",
    re.S,
)
_NUMBER = re.compile(r"[-+]?(?:\d{1,12}(?:\.\d{1,6})?|0x[0-9a-fA-F]{1,8})[.,!?]?")
#: Words kept unquoted: lower case or capitalised words, short acronyms (not mixed case,
#: not with digits: base64 looks like that).
_PLAIN_WORD = re.compile(r"(?:[A-Z]?[a-z]+(?:-[a-z]+)*|[A-Z]{2,6}s?)[.,!?]?")
_ENCODING = re.compile(r"(?i)utf-?(?:8|16|32)(?:-[lb]e)?|ascii|latin-?1")
_SOURCE_RUN = re.compile(rf"[A-Za-z0-9+/=_.~%-]{{{MAX_SOURCE_RUN},}}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """One traceback entry; ``source`` only for this package's own code."""

    file: str
    line: int
    function: str
    source: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class CrashReport:
    """An exception as shown to the user: plain, scrubbed strings (see the module docstring).

    ``chain`` lists the exceptions this one was raised from or while handling, outermost
    last, each as ``(link sentence, report)``.
    """

    kind: str
    message: str
    frames: tuple[Frame, ...]
    thread: str
    chain: tuple[tuple[str, CrashReport], ...] = ()

    def __post_init__(self) -> None:
        if not self.kind:
            raise ValueError("a crash report names the exception's type")

    @property
    def headline(self) -> str:
        return f"{self.kind}: {self.message}" if self.message else self.kind

    def text(self) -> str:
        """The report as a traceback-shaped text (what the dialog shows and Copy copies)."""
        parts: list[str] = []
        for link, cause in reversed(self.chain):
            parts.append(cause._own_text())
            parts.append(f"\n{link}\n\n")
        parts.append(self._own_text())
        return "".join(parts).rstrip() + "\n"

    def _own_text(self) -> str:
        lines = ["Traceback (most recent call last):"]
        for f in self.frames:
            lines.append(f'  File "{f.file}", line {f.line}, in {f.function}')
            if f.source:
                lines.append(f"    {f.source}")
        lines.append(self.headline)
        return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ describing and scrubbing
def describe_exception(exc: BaseException, *, thread: str | None = None) -> CrashReport:
    """A scrubbed :class:`CrashReport` of ``exc`` (safe to call on any thread)."""
    name = thread or threading.current_thread().name
    return _describe(exc, name, depth=0, seen={id(exc)})


def _describe(exc: BaseException, thread: str, *, depth: int, seen: set[int]) -> CrashReport:
    codes = [tb.tb_frame.f_code for tb in _walk(exc.__traceback__)]
    vocabulary = _vocabulary(type(exc), codes)
    summary = traceback.extract_tb(exc.__traceback__)[-MAX_FRAMES:]
    frames = tuple(
        Frame(
            file=_shown_path(fs.filename),
            line=fs.lineno or 0,
            function=fs.name,
            source=_shown_source(fs.filename, fs.line),
        )
        for fs in summary
    )
    message = _message_of(exc)
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list):
        message = "\n".join([message, *(str(n) for n in notes)])
    chain: tuple[tuple[str, CrashReport], ...] = ()
    if exc.__cause__ is not None:
        link, cause = _CAUSE, exc.__cause__
    elif exc.__context__ is not None and not exc.__suppress_context__:
        link, cause = _CONTEXT, exc.__context__
    else:
        link, cause = "", None
    if cause is not None and depth < MAX_CHAIN and id(cause) not in seen:
        seen.add(id(cause))
        inner = _describe(cause, thread, depth=depth + 1, seen=seen)
        alone = CrashReport(
            kind=inner.kind, message=inner.message, frames=inner.frames, thread=thread
        )
        chain = ((link, alone), *inner.chain)
    return CrashReport(
        kind=_type_name(type(exc)),
        message=scrub_message(message, vocabulary),
        frames=frames,
        thread=thread,
        chain=chain,
    )


_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


def _walk(tb: TracebackType | None) -> list[TracebackType]:
    out = []
    while tb is not None and len(out) < 1000:
        out.append(tb)
        tb = tb.tb_next
    return out


def _message_of(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break the report
        return "(the message could not be read)"


def _type_name(t: type) -> str:
    module = t.__module__
    return t.__qualname__ if module in ("builtins", "__main__") else f"{module}.{t.__qualname__}"


def _vocabulary(exc_type: type, codes: list[CodeType]) -> frozenset[str]:
    """Names a message may quote without them being the user's data: what the failing code
    itself names (attributes, variables, string constants), type names, builtins."""
    words: set[str] = set(dir(builtins))
    for t in exc_type.__mro__:
        words.add(t.__name__)
    words.update(_type_names())
    for code in codes:
        words.add(code.co_name)
        words.update(code.co_names)
        words.update(code.co_varnames)
        words.update(c for c in code.co_consts if isinstance(c, str) and len(c) <= 64)
    return frozenset(w for w in words if w.isidentifier())


def _type_names() -> set[str]:
    """The names of every class loaded (``'NoneType' object has no attribute …``)."""
    names: set[str] = set()
    seen: set[int] = set()
    stack: list[type] = [object]
    while stack:
        t = stack.pop()
        names.add(t.__name__)
        try:
            subclasses = type.__subclasses__(t)
        except TypeError:
            continue
        for sub in subclasses:
            if id(sub) not in seen:
                seen.add(id(sub))
                stack.append(sub)
    return names


def scrub_message(message: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """``message`` with anything that could be a token, key or other user text replaced by
    its length (see the module docstring for the rules)."""

    def piece(m: re.Match[str]) -> str:
        if m.group("pem") is not None:
            return "[PEM block hidden]"
        word = m.group("word")
        if word is not None:
            if word in vocabulary or _NUMBER.fullmatch(word):
                return word
            if len(word) <= MAX_WORD_CHARS and _PLAIN_WORD.fullmatch(word):
                return word
            return f"[{_chars(len(word))} hidden]"
        body, q = m.group("body"), m.group("q")
        if body in vocabulary or _ENCODING.fullmatch(body):
            return m.group(0)
        return f"{m.group('prefix')}{q}[{_chars(len(body))} hidden]{q}"

    text = _PIECE.sub(piece, message)
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + f"… [{_chars(len(text) - MAX_MESSAGE_CHARS)} cut]"
    return text


def _chars(n: int) -> str:
    return "1 char" if n == 1 else f"{n} chars"


def _shown_path(filename: str) -> str:
    """``filename`` relative to this package's parent or the nearest ``sys.path`` entry, so
    no home folder (a user name) is shown."""
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return os.path.basename(filename)
    bases = [_PACKAGE_DIR.parent, *(Path(p).resolve() for p in sys.path if p)]
    best: str | None = None
    for base in bases:
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if best is None or len(rel) < len(best):
            best = rel
    return best if best is not None else path.name


def _shown_source(filename: str, line: str | None) -> str | None:
    """The source line for this package's own frames (code, not input), long literals
    hidden; ``None`` for every other file."""
    if not line:
        return None
    try:
        ours = Path(filename).resolve().is_relative_to(_PACKAGE_DIR)
    except (OSError, ValueError):
        return None
    if not ours:
        return None
    return _SOURCE_RUN.sub(lambda m: f"[{_chars(len(m.group(0)))} hidden]", line.strip())


# ------------------------------------------------------------------ the dialog
class CrashDialog(QDialog):
    """Shows scrubbed crash reports, with Copy (to the clipboard) and Close."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("Unexpected error")
        self.messageLabel = QLabel(
            "<b>Something went wrong inside JWT Inspector.</b><br>"
            "The window is still usable. If this keeps happening, please copy the details "
            "into a bug report: they show where in the program the error happened, with any "
            "text that could come from your token or key removed."
        )
        self.messageLabel.setObjectName("crashMessageLabel")
        self.messageLabel.setWordWrap(True)
        self.detailsEdit = QPlainTextEdit()
        self.detailsEdit.setObjectName("crashDetailsEdit")
        self.detailsEdit.setReadOnly(True)
        self.detailsEdit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detailsEdit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detailsEdit.setAccessibleName("Error details")
        self.repeatLabel = QLabel()
        self.repeatLabel.setObjectName("crashRepeatLabel")
        self.repeatLabel.setProperty("role", "muted")
        self.repeatLabel.hide()
        self.copyButton = QPushButton("Copy details")
        self.copyButton.setObjectName("crashCopyButton")
        self.closeButton = QPushButton("Close")
        self.closeButton.setObjectName("crashCloseButton")
        self.closeButton.setDefault(True)
        self.copyButton.clicked.connect(self._on_copy_button_clicked)
        self.closeButton.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.repeatLabel, 1)
        buttons.addWidget(self.copyButton)
        buttons.addWidget(self.closeButton)
        layout = QVBoxLayout(self)
        layout.addWidget(self.messageLabel)
        layout.addWidget(self.detailsEdit, 1)
        layout.addLayout(buttons)
        self.setMinimumSize(520, 320)
        self.resize(760, 420)

    def show_reports(self, reports: list[tuple[CrashReport, int]], total: int) -> None:
        """List ``reports`` (distinct ones with how often each came) out of ``total``."""
        blocks = []
        for report, count in reports:
            times = f", {count} times" if count > 1 else ""
            blocks.append(f"[thread {report.thread}{times}]\n{report.text()}")
        shown = sum(count for _, count in reports)
        if total > shown:
            blocks.append(f"… and {total - shown} more error(s) of other kinds.\n")
        self.detailsEdit.setPlainText("\n".join(blocks))
        self.repeatLabel.setText(f"{total} errors since this window opened." if total > 1 else "")
        self.repeatLabel.setVisible(total > 1)

    def details(self) -> str:
        return self.detailsEdit.toPlainText()

    @Slot()
    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
        self.copyButton.setText("Copied")


class CrashHandler(QObject):
    """Receives every report on the GUI thread and keeps at most one :class:`CrashDialog`.

    Signals:
        reported(object): a :class:`CrashReport`, emitted from any thread; handled queued.
    """

    reported = Signal(object)

    def __init__(self, parent: QObject | None = None, *, window: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashHandler")
        self._window = window
        self._dialog: CrashDialog | None = None
        self._reports: list[tuple[CrashReport, int]] = []
        self._total = 0
        self._previous: tuple[Any, Any] | None = None
        #: Showing the dialog itself failed: reports go to standard error only from then on
        #: (else each failure would report itself again, forever).
        self._broken = False
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self._show)
        self.reported.connect(self._on_reported, Qt.ConnectionType.QueuedConnection)

    @property
    def dialog(self) -> CrashDialog | None:
        return self._dialog

    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook`` (until :meth:`uninstall`)."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
            sys.excepthook = self._on_excepthook
            threading.excepthook = self._on_threading_excepthook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def report(self, report: CrashReport) -> None:
        """Show ``report`` (any thread): written to standard error now, the dialog queued."""
        try:
            sys.stderr.write(f"JWT Inspector: unexpected error\n{report.text()}")
            sys.stderr.flush()
        except (AttributeError, OSError, ValueError):
            pass  # a windowed app may have no standard error
        self.reported.emit(report)

    def _on_excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt | SystemExit) and self._previous is not None:
            self._previous[0](kind, exc, tb)
            return
        try:
            self.report(describe_exception(exc))
        finally:
            _forget_last_exception()

    def _on_threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else None
        self.report(describe_exception(args.exc_value, thread=name))

    @Slot(object)
    def _on_reported(self, report: CrashReport) -> None:
        if self._broken:
            return
        self._total += 1
        for i, (known, count) in enumerate(self._reports):
            if known == report:
                self._reports[i] = (known, count + 1)
                break
        else:
            if len(self._reports) < MAX_SHOWN:
                self._reports.append((report, 1))
        if self._dialog is not None and self._dialog.isVisible():
            if not self._refresh.isActive():
                self._refresh.start()  # coalesce a storm of reports into one refresh
            return
        self._show()

    @Slot()
    def _show(self) -> None:
        try:
            self._show_dialog()
        except Exception:  # noqa: BLE001 - the dialog itself is broken: stop trying
            self._broken = True
            sys.stderr.write("JWT Inspector: the error dialog failed; errors go here only.\n")

    def _show_dialog(self) -> None:
        if self._dialog is None:
            self._dialog = CrashDialog(self._window)
            self._dialog.finished.connect(self._on_dialog_finished)
        theme = getattr(self._window, "theme", None)
        if theme is not None:  # the window's look (framed details, muted count)
            from inspector.ui.theme import style_widgets

            style_widgets(self._dialog, theme)
        self._dialog.show_reports(self._reports, self._total)
        if not self._dialog.isVisible():
            self._dialog.show()  # (a new window comes up on top: no raise_())
            self._dialog.activateWindow()

    @Slot()
    def _on_dialog_finished(self) -> None:
        # The next error starts a fresh list (the dialog itself is kept and reused).
        self._reports = []
        self._total = 0
        if self._dialog is not None:
            self._dialog.copyButton.setText("Copy details")


def _forget_last_exception() -> None:
    """Drop ``sys.last_exc`` and friends (set before the hook runs): they would keep the
    failing frames, and the Qt objects in them, alive until some other thread replaced them."""
    for name in ("last_exc", "last_type", "last_value", "last_traceback"):
        if hasattr(sys, name):
            delattr(sys, name)


_HANDLER: list[CrashHandler] = []


def install_crash_dialog(app: QApplication, window: QWidget | None = None) -> CrashHandler:
    """Show uncaught exceptions in a dialog over ``window`` from now on (idempotent)."""
    if not _HANDLER:
        _HANDLER.append(CrashHandler(app, window=window))
    _HANDLER[0].install()
    return _HANDLER[0]


def uninstall_crash_dialog() -> None:
    """Put back the hooks found by :func:`install_crash_dialog` (tests)."""
    while _HANDLER:
        handler = _HANDLER.pop()
        handler.uninstall()
        handler.deleteLater()


def report_crash(report: object) -> None:
    """Show a report made elsewhere (a worker's): the dialog when installed, else standard
    error."""
    if not isinstance(report, CrashReport):
        return
    if _HANDLER:
        _HANDLER[0].report(report)
        return
    try:
        sys.stderr.write(f"JWT Inspector: unexpected error\n{report.text()}")
    except (AttributeError, OSError, ValueError):
        pass
