"""``jwt-inspector-cli inspect``: decode, verify and explain one token, or a log of them."""

from __future__ import annotations

import argparse
import codecs
import datetime
import io
import json
import math
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, BinaryIO, TextIO

from inspector.batch import chunk_texts, inspect_texts, map_ordered
from inspector.cli import fetch_keys
from inspector.cli.common import (
    UsageError,
    add_key_options,
    read_key_file,
    secret_argument,
    silence_stdout,
    text_argument,
)
from inspector.cli.json_lines import SEPARATORS, json_line, json_line_bytes
from inspector.core.findings import FAILING_SEVERITIES, SEVERITIES
from inspector.core.inspection import inspect_with
from inspector.core.model import JWT_FORMATS, Inspection
from inspector.core.options import InspectOptions
from inspector.core.parsing import COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES, parse_token

# The human report's wording (inspector.presentation), the Markdown and HTML reports
# (inspector.report) and redaction (inspector.redact) are imported by the functions that use
# them: an audit of a log with --json needs none of them, and every module imported is paid
# for again by each worker process's start (issue 17).

#: What a line must be for standard input to be read as a log of tokens, one per line.
LOG_FORMATS = (*JWT_FORMATS, "paseto", "cwt")
#: The values of ``--format``.
FORMATS = ("text", "json", "md", "html")

#: Human output shows at most this many characters of a token (the JSON output shows all).
SHOWN_TOKEN_CHARS = 2000
#: Characters of a disclosed value printed in the human report.
DISCLOSURE_SHOWN = 200

_COLOURS = {  # ANSI SGR codes, readable on dark and light terminals
    "header": "1;31",
    "payload": "1;35",
    "signature": "1;36",
    "encrypted_key": "1;33",
    "iv": "1;32",
    "ciphertext": "1;35",
    "tag": "1;36",
    "dot": "2",
}
_SEVERITY_COLOURS = {
    "error": "1;31",
    "critical": "1;41;97",
    "high": "1;31",
    "medium": "1;33",
    "low": "36",
    "info": "2",
}
#: The verdict's colour by status (its words come from :mod:`inspector.presentation`).
_STATUS_COLOURS = {"valid": "1;32", "invalid": "1;31", "unchecked": "33", "error": "1;31"}
#: A JWE decryption's headline and colour by status.
_DECRYPTION_WORDS = {
    "decrypted": "Decrypted",
    "failed": "Not decrypted",
    "unchecked": "Not decrypted: no key given",
    "error": "Not decrypted: the key cannot be used",
}
_DECRYPTION_COLOURS = {"decrypted": "1;32", "failed": "1;31", "unchecked": "33", "error": "1;31"}


def _moment(text: str) -> float:
    """``--now``: unix seconds or an ISO 8601 date-time (UTC unless it says otherwise)."""
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number of seconds")
        return value
    try:
        when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither unix seconds nor an ISO 8601 date-time"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    return when.timestamp()


#: With no --jobs, a log of fewer texts than this is inspected in this process: starting
#: worker processes (each imports the codec) costs more than they would save.
AUTO_JOBS_MIN_TEXTS = 256
#: The progress line is redrawn at most this often (seconds).
PROGRESS_EVERY = 0.25


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity, where the system has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def _jobs(text: str) -> int:
    """``--jobs``: a whole number of worker processes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def register(sub: Any) -> None:
    p = sub.add_parser(
        "inspect",
        help="decode, verify and explain a token",
        description=(
            "Decode, decrypt, verify and explain a JWT. The token is read from the argument, or "
            "from standard input when it is '-' or absent. Several tokens on standard input, one "
            "per line, are inspected one by one (with --json: one JSON object per line). Exit "
            "status: 0 when every token decoded, its signature (if a key was given) is valid, a "
            "JWE decrypted (if a key was given) and no finding is error, critical or high; 1 "
            "otherwise; 2 for a usage error or keys that could not be fetched. Nothing is "
            "fetched without --discover or --jwks-url."
        ),
    )
    p.add_argument("token", nargs="?", default="-", help="the token, or '-' for standard input")
    key_sources = add_key_options(
        p,
        key_help="verify with the key in FILE: PEM, DER, certificate, JWK, JWK Set, or a shared "
        "secret (keeps secrets out of the shell history)",
        secret_help="verify with this shared secret (visible to `ps`)",
        encoding_help="how a shared secret is written (default utf-8)",
    )
    fetch_keys.add_options(p, key_sources)
    decrypt = p.add_mutually_exclusive_group()
    decrypt.add_argument(
        "--decrypt-key",
        metavar="FILE",
        help="decrypt a JWE with the key in FILE: the recipient's private key (PEM, JWK, JWK "
        "Set), or a shared secret; without it, --key/--secret is tried for decryption too",
    )
    decrypt.add_argument(
        "--decrypt-secret",
        metavar="TEXT",
        help="decrypt a JWE with this shared secret or PBES2 password (visible to `ps`)",
    )
    p.add_argument(
        "--now",
        type=_moment,
        metavar="WHEN",
        help="judge times at this moment: unix seconds, or ISO 8601 such as "
        "2024-05-20T21:03:42Z (default: now)",
    )
    p.add_argument(
        "--leeway", type=float, default=0.0, metavar="SECONDS", help="clock skew allowed"
    )
    p.add_argument("--aud", metavar="AUDIENCE", help="the audience the token must be for")
    p.add_argument("--iss", metavar="ISSUER", help="the issuer the token must come from")
    p.add_argument(
        "--kb-aud",
        metavar="AUDIENCE",
        help="the aud an SD-JWT's key-binding JWT must carry (this verifier's identifier)",
    )
    p.add_argument(
        "--kb-nonce",
        metavar="NONCE",
        help="the nonce an SD-JWT's key-binding JWT must carry (the one this verifier sent)",
    )
    p.add_argument(
        "--kb-key",
        metavar="FILE",
        help="the holder's public key (PEM, JWK, JWK Set) that verifies an SD-JWT's key-binding "
        "JWT when its cnf names the key by kid or jkt instead of carrying it",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="text (default), json, md (a Markdown report) or html (one self-contained HTML "
        "file); reports hold no key or secret",
    )
    p.add_argument(
        "--json", action="store_true", help="print the inspection as JSON (--format json)"
    )
    p.add_argument(
        "--redact",
        action="store_true",
        help="print a redacted copy of the token (sensitive and personal values replaced, "
        "signature removed) and the report of that copy; the original is not printed",
    )
    p.add_argument(
        "--redact-claim",
        action="append",
        default=[],
        metavar="NAME",
        help="also redact every member named NAME (repeatable; implies --redact)",
    )
    p.add_argument(
        "--no-weak-secrets", action="store_true", help="do not try the built-in weak secrets"
    )
    p.add_argument("--wordlist", metavar="FILE", help="also try each line of FILE as HMAC secret")
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help="inspect a log of tokens in N worker processes; the output keeps the input's "
        "order (default: one per CPU for a log of "
        f"{AUTO_JOBS_MIN_TEXTS} tokens or more, else in this process; 1: in this process)",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (default: when writing to a terminal)",
    )
    p.set_defaults(func=run)


def _read_key(args: argparse.Namespace) -> tuple[str | None, str]:
    """The key text (or None) and the secret encoding to read it with."""
    if args.key is not None:
        return read_key_file(args.key, args.secret_encoding)
    if args.secret is not None:
        return secret_argument(args.secret, args.secret_encoding)
    return None, args.secret_encoding


def _read_decryption_key(args: argparse.Namespace, secret_encoding: str) -> str | None:
    """The decryption key text (or None), read with the same secret encoding as ``--key``."""
    if args.decrypt_key is not None:
        text, _ = read_key_file(args.decrypt_key, secret_encoding)
        return text
    if args.decrypt_secret is not None:
        return text_argument(args.decrypt_secret, "--decrypt-secret")
    return None


def _read_kb_key(args: argparse.Namespace) -> str | None:
    """The holder key text of ``--kb-key`` (or None); a file that cannot be used is a
    :class:`UsageError` naming the option."""
    if args.kb_key is None:
        return None
    try:
        return read_key_file(args.kb_key)[0]
    except UsageError as err:
        raise UsageError(f"--kb-key: {err}") from err


class StdinLines:
    """Standard input one line at a time, as text, counting the bytes read (for the progress
    line): a log is streamed, never held whole. Not UTF-8 is a :class:`UsageError` naming
    the byte and its offset in the whole input.

    After the first lines (which tell a log from one document), the rest of a log is read
    in blocks of whole lines (:meth:`blocks`) that are decoded and split where they are
    inspected (:func:`block_texts`): the process reading the log does no work per line."""

    def __init__(self, stdin: TextIO) -> None:
        self._stdin = stdin
        self.bytes_read = 0

    def __iter__(self) -> Iterator[str]:
        buffer = getattr(self._stdin, "buffer", None)
        if buffer is None:  # a text stream without bytes beneath (tests hand in io.StringIO)
            for line in self._stdin:
                self.bytes_read += len(line)
                yield text_argument(line, "the token on standard input")
            return
        for raw in buffer:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise UsageError(_not_utf8(raw, err.start, self.bytes_read)) from None
            self.bytes_read += len(raw)
            yield line

    def blocks(self, size: int) -> Iterator[tuple[bytes | list[str], int]]:
        """The rest of standard input (after the lines iterated so far) in blocks of whole
        lines of about ``size`` bytes (a longer line makes a longer block), each with its
        offset in the whole input. A block is the bytes as read (:func:`block_texts` decodes
        and splits them), or, from a text stream without bytes beneath, its texts."""
        buffer = getattr(self._stdin, "buffer", None)
        if buffer is None:
            for texts in chunk_texts(_texts_of(self)):
                yield texts, 0
            return
        carry = b""
        for data in _raw_reads(buffer, size):
            cut = data.rfind(b"\n") + 1
            if not cut:  # no line ends here: the line goes on
                carry += data
                continue
            block = carry + data[:cut] if carry else data[:cut]
            carry = data[cut:]
            offset = self.bytes_read
            self.bytes_read += len(block)
            yield block, offset
        if carry:
            offset = self.bytes_read
            self.bytes_read += len(carry)
            yield carry, offset


def _raw_reads(buffer: Any, size: int) -> Iterator[bytes]:
    """What ``buffer`` holds, ``size`` bytes at a time or what is there (``read1``: a pipe or
    a terminal gives each line as it comes); from a buffer without ``read1``, its lines put
    together."""
    read1 = getattr(buffer, "read1", None)
    if read1 is not None:
        while data := read1(size):
            yield data
        return
    pieces: list[bytes] = []
    held = 0
    for raw in buffer:
        pieces.append(raw)
        held += len(raw)
        if held >= size:
            yield b"".join(pieces)
            pieces, held = [], 0
    if pieces:
        yield b"".join(pieces)


def _not_utf8(data: bytes, start: int, offset: int) -> str:
    """The message for ``data[start]``, the first byte that is not UTF-8, ``offset`` bytes
    into standard input."""
    return (
        "the token on standard input is not UTF-8 text (byte "
        f"0x{data[start]:02x} at offset {offset + start})"
    )


def block_texts(block: bytes | list[str], offset: int) -> tuple[list[str], str | None]:
    """The non-blank lines of a block of standard input (:meth:`StdinLines.blocks`), as
    :func:`_texts_of` gives them line by line, and the message of its first byte that is not
    UTF-8 (``None`` when all are): the lines before that byte's line come back, as one line
    at a time they would have been inspected before the error."""
    if type(block) is list:
        return block, None
    assert isinstance(block, bytes)
    try:
        text = block.decode("utf-8")
        error = None
    except UnicodeDecodeError as err:
        # (the first byte that is not UTF-8 is the same whether the block or its line is
        # decoded: a line starts after a newline, never inside a character)
        text = block[: block.rfind(b"\n", 0, err.start) + 1].decode("utf-8")
        error = _not_utf8(block, err.start, offset)
    return [piece for piece in text.splitlines() if piece.strip()], error


def _texts_of(lines: Iterable[str]) -> Iterator[str]:
    """The non-blank lines of a log (as ``str.splitlines`` splits them)."""
    for line in lines:
        for piece in line.splitlines():
            if piece.strip():
                yield piece


#: A log read from standard input travels in blocks of about this many bytes of whole lines:
#: each worker (or this process, with ``--jobs 1``) decodes, splits, inspects and reports a
#: block, and hands back its reports as one bytes object. ~170 typical tokens: a task's
#: round trip (a few hundred microseconds) is shared by that many.
BLOCK_BYTES = 64 * 1024


class Inputs:
    """What ``inspect`` reads: the texts read ahead, the rest streamed in blocks, and what is
    known of them before the first is inspected."""

    def __init__(
        self, texts: list[str], count: int | None, reader: StdinLines | None, more: bool
    ) -> None:
        #: The texts read ahead.
        self.texts = texts
        #: How many texts there are, when all were read ahead (``None``: more than that).
        self.count = count
        #: Standard input's reader, when the texts come from it.
        self.reader = reader
        #: Whether ``reader`` has more to read.
        self.more = more

    def tasks(self) -> Iterator[tuple[bytes | list[str], int]]:
        """Everything to inspect, as blocks (see :func:`block_texts`) with their offsets."""
        for chunk in chunk_texts(self.texts):
            yield chunk, 0
        if self.more and self.reader is not None:
            yield from self.reader.blocks(BLOCK_BYTES)

    def all_texts(self) -> Iterator[str]:
        """Every text, decoded here (``--discover`` reads them all before the first
        inspection)."""
        for block, offset in self.tasks():
            texts, error = block_texts(block, offset)
            yield from texts
            if error is not None:
                raise UsageError(error)


def _inputs(args: argparse.Namespace, look_ahead: int = 0) -> Inputs:
    """The texts to inspect. Standard input is a log of tokens, one per line (lines without
    a token are reported as such), when more than one of its lines holds a token; otherwise
    it is one document (a wrapped token, pretty-printed JSON). Only as much is read before
    the first inspection as that takes, and ``look_ahead`` texts of a log."""
    if args.token != "-":
        return Inputs([text_argument(args.token, "the token argument")], 1, None, False)
    if sys.stdin is None:
        raise UsageError("no token given and nothing on standard input")
    reader = StdinLines(sys.stdin)
    lines = iter(reader)
    head: list[str] = []
    texts: list[str] = []
    tokens = 0
    for line in lines:
        head.append(line)
        for piece in line.splitlines():
            if piece.strip():
                texts.append(piece)
                tokens += parse_token(piece).format in LOG_FORMATS
        if tokens > 1:
            break
    if tokens < 2:  # the whole input was read: one document
        return Inputs(["".join(head)], 1, reader, False)
    del head
    count = None
    if len(texts) < look_ahead:
        for line in lines:  # (whole lines: the blocks go on from the next one)
            texts.extend(piece for piece in line.splitlines() if piece.strip())
            if len(texts) >= look_ahead:
                break
        else:
            count = len(texts)  # the whole input was read
    return Inputs(texts, count, reader, count is None)


class Progress:
    """``N tokens, P% of standard input`` on stderr, redrawn at most every
    :data:`PROGRESS_EVERY` seconds, while a log read from a file is inspected; only when
    stderr is a terminal (a file or pipe gets no progress lines)."""

    def __init__(self, reader: StdinLines | None, stdout_tty: bool) -> None:
        self._reader = reader
        self._total = 0
        self._shown = False
        self._stdout_tty = stdout_tty
        self._next = 0.0
        self.active = False
        if reader is None or not _isatty(sys.stderr, colour=False):
            return
        try:
            info = os.fstat(sys.stdin.fileno())
        except (AttributeError, OSError, ValueError):
            return
        if stat.S_ISREG(info.st_mode) and info.st_size > 0:
            self._total = info.st_size
            self.active = True
            self._next = time.monotonic() + PROGRESS_EVERY

    def before_output(self) -> None:
        """Take the line away before the report is written to the same terminal."""
        if self._shown and self._stdout_tty:
            self._clear()

    def update(self, done: int) -> None:
        now = time.monotonic()
        if now < self._next or self._reader is None:
            return
        self._next = now + PROGRESS_EVERY
        share = min(100, 100 * self._reader.bytes_read // self._total)
        sys.stderr.write(
            f"\rjwt-inspector-cli inspect: {done:,} token{'s' * (done != 1)}, "
            f"{share}% of standard input read\x1b[K"
        )
        sys.stderr.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._clear()

    def _clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
        self._shown = False


def run(args: argparse.Namespace) -> int:
    try:
        key, secret_encoding = _read_key(args)
        decryption_key = _read_decryption_key(args, secret_encoding)
        kb_key = _read_kb_key(args)
        if args.wordlist is not None and not (
            os.path.isfile(args.wordlist) and os.access(args.wordlist, os.R_OK)
        ):
            raise UsageError(f"cannot read wordlist {args.wordlist!r} (not a readable file)")
        if not math.isfinite(args.leeway) or args.leeway < 0:
            raise UsageError(
                f"--leeway must be a finite number of seconds >= 0 (got {args.leeway:g})"
            )
        fetching = fetch_keys.wanted(args)
        for option, value in (("--aud", args.aud), ("--iss", args.iss)):
            if value is not None:
                text_argument(value, option)
        output = _format(args)
        redact_names = tuple(text_argument(n, "--redact-claim") for n in args.redact_claim)
        read = _inputs(args, AUTO_JOBS_MIN_TEXTS if args.jobs is None else 0)
        # --discover fetches each issuer's keys before the first inspection: it needs them all.
        listed = list(read.all_texts()) if fetching else []
    except UsageError as err:
        sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
        return 2
    try:  # (the checks above name the command-line options; these are the last word)
        options = InspectOptions(
            key=key,
            decryption_key=decryption_key,
            secret_encoding=secret_encoding,
            now=time.time() if args.now is None else args.now,
            leeway=args.leeway,
            audience=args.aud,
            issuer=args.iss,
            kb_audience=args.kb_aud,
            kb_nonce=args.kb_nonce,
            kb_key=kb_key,
            check_weak_secrets=not args.no_weak_secrets,
            wordlist=args.wordlist,
        )
    except (ValueError, TypeError) as err:
        sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
        return 2
    each: InspectOptions | Callable[[str], InspectOptions] = options
    if fetching:
        try:
            each = fetch_keys.keyed_options(args, listed, options, note=fetch_keys.stderr_note)
        except fetch_keys.KeysUnavailableError as err:
            sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
            return 2
    key_given = key is not None or fetching
    colour = args.color == "always" or (args.color == "auto" and _isatty(sys.stdout))
    status = 0
    if (
        args.token != "-"
        and os.path.isfile(args.token)
        and parse_token(args.token).format not in JWT_FORMATS
    ):
        sys.stderr.write(
            f"jwt-inspector-cli inspect: note: {args.token!r} is a file; to inspect what it "
            f"holds, use: jwt-inspector-cli inspect - < {args.token}\n"
        )
    # Each report is written where its inspection ran (a worker process with --jobs): only
    # its text comes back, which costs far less to send than the Inspection itself.
    redaction = None
    if args.redact or redact_names:
        # The copy has no signature to verify and no secret to guess: judged without keys.
        redaction = Redaction(
            names=redact_names,
            options=replace(
                options, key=None, fetched_keys=None, check_weak_secrets=False, wordlist=None
            ),
        )
    # Where the system's stdout is a text stream over bytes (not a test's StringIO), each
    # report is encoded where it is made too: a worker sends back bytes, and this process
    # only writes them (decoding them here and encoding them again cost it more than the
    # rest of its work for a log).
    binary = _binary_stdout()
    encoding = None if binary is None else binary[1:]
    finish = partial(
        _report,
        output=output,
        colour=colour,
        key_given=key_given,
        decrypt_given=decryption_key is not None,
        redaction=redaction,
        encoding=encoding,
    )
    separator: str | bytes = {"text": "\n" + "=" * 72 + "\n\n", "md": "\n---\n\n"}.get(output, "")
    if encoding is not None:
        separator = separator.encode(*encoding)
    jobs = args.jobs
    if jobs is None:  # one per CPU, unless the log is too short to be worth the processes
        jobs = 1 if read.count is not None and read.count < AUTO_JOBS_MIN_TEXTS else cpu_count()
    progress = Progress(read.reader, _isatty(sys.stdout, colour=False))
    try:
        if output == "html":
            from inspector import report

            _write(report.html_head())
        # Forked workers (where the system allows it) start with everything this process
        # imported, at once: this process runs no other thread. Each block's reports come
        # back as one text (bytes, when encoded there), written with one call.
        if fetching:  # (each text's options decided here, as it is read: see fetch_keys)
            tasks: Iterable[tuple[Any, ...]] = (
                (chunk, 0, [each(t) for t in chunk] if callable(each) else each)
                for chunk in chunk_texts(listed)
            )
        else:
            tasks = ((block, offset, options) for block, offset in read.tasks())
        results = map_ordered(
            partial(report_block, finish=finish, separator=separator), tasks, jobs, fork=True
        )
        if binary is not None:
            sys.stdout.flush()  # (what was written as text goes first)
        out = sys.stdout if binary is None else binary[0]
        done = 0
        try:
            for text, count, passed, error in results:
                if count:
                    progress.before_output()
                    try:
                        if done and separator:
                            out.write(separator)
                        out.write(text)
                        out.flush()
                    except BrokenPipeError:
                        # The reader left (`| head`): keep judging, so the exit status stays
                        # the verdict.
                        silence_stdout()
                    done += count
                if not passed:
                    status = 1
                if error is not None:
                    raise UsageError(error)
                if progress.active:
                    progress.update(done)
        finally:
            results.close()  # (the workers stop, if any are still running)
        if output == "html":
            _write(report.html_tail())  # (imported above, for the head)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            silence_stdout()
    except UsageError as err:  # a line of the log that is not UTF-8, met while streaming
        progress.close()
        sys.stdout.flush()
        sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
        return 2
    progress.close()
    return status


def report_block(
    block: bytes | list[str],
    offset: int,
    options: InspectOptions | list[InspectOptions],
    *,
    finish: Callable[[str, Inspection], tuple[str | bytes, bool]],
    separator: str | bytes,
) -> tuple[str | bytes, int, bool, str | None]:
    """Inspect and report a block of the input (:func:`block_texts`), where it is run (a
    worker process with ``--jobs``): its reports joined by ``separator`` as one text, how
    many there are, whether all pass, and the message of a byte that is not UTF-8 (the
    reports are those of the lines before it). ``options`` is one value for every text, or
    one each."""
    texts, error = block_texts(block, offset)
    # Every text inspected, then every report made (inspect_all: stage by stage), rather than
    # one text at a time through both: a stage's code run over the whole block stays in the
    # processor's caches (a fifth of each token's time on a log, issue 17).
    inspections = inspect_texts(texts, options)
    reports = []
    passed = True
    for text, inspection in zip(texts, inspections, strict=True):
        report, ok = finish(text, inspection)
        reports.append(report)
        if not ok:
            passed = False
    return separator.join(reports), len(reports), passed, error  # type: ignore[arg-type]


def _binary_stdout() -> tuple[BinaryIO, str, str] | None:
    """The bytes beneath standard output, its encoding and its error handler, when reports
    may be written there as bytes encoded elsewhere: a text stream over a buffer, in UTF-8
    (a stateless encoding: parts encoded apart join into what the stream would have
    written), on a system whose newline is ``\\n`` (nothing to translate). Else ``None``."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if not isinstance(out, io.TextIOWrapper) or buffer is None or os.linesep != "\n":
        return None
    try:
        if codecs.lookup(out.encoding).name != "utf-8":
            return None
    except LookupError:  # pragma: no cover - a stream could not have been made so
        return None
    return buffer, out.encoding, out.errors or "strict"


def _write(text: str) -> None:
    """Write ``text`` to standard output; a reader that left (`| head`) is not an error."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        silence_stdout()


def _format(args: argparse.Namespace) -> str:
    """The output format: ``--format``, or ``json`` for ``--json``."""
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} contradict each other")
    return args.format or ("json" if args.json else "text")


@dataclass(frozen=True, slots=True, kw_only=True)
class Redaction:
    """What ``--redact`` needs in each worker: the names to redact and the options the
    redacted copy is inspected with."""

    names: tuple[str, ...]
    options: InspectOptions


def _report(
    text: str,
    inspection: Inspection,
    *,
    output: str,
    colour: bool,
    key_given: bool,
    decrypt_given: bool = False,
    redaction: Redaction | None = None,
    encoding: tuple[str, str] | None = None,
) -> tuple[str | bytes, bool]:
    """The output for one inspection, and whether it passes (see :func:`passes`). With
    ``redaction``, the output is the redacted copy and its report; the exit status still
    judges the original. With ``encoding`` (an encoding and an error handler), the output
    is encoded with it."""
    passed = passes(inspection, key_given=key_given, decrypt_given=decrypt_given)
    if redaction is not None:
        out_text = _redacted_report(inspection, output, colour, redaction)
        return out_text if encoding is None else out_text.encode(*encoding), passed
    if output == "json":
        if encoding is not None:
            return json_line_bytes(inspection, *encoding), passed
        out_text = json_line(inspection) + "\n"
    elif output == "md":
        from inspector import report

        out_text = report.markdown(inspection)
    elif output == "html":
        from inspector import report

        out_text = report.html_section(inspection)
    else:
        out = io.StringIO()
        write_report(inspection, out, colour=colour, key_given=key_given)
        out_text = out.getvalue()
    return out_text if encoding is None else out_text.encode(*encoding), passed


def _redacted_report(
    inspection: Inspection, output: str, colour: bool, redaction: Redaction
) -> str:
    """The redacted copy of ``inspection``'s token and the report of that copy (never
    anything of the original but its verdict)."""
    import html

    from inspector import report
    from inspector.presentation import verdict_lines
    from inspector.redact import RedactError, redact

    try:
        copy = redact(inspection.parsed, redaction.names)
    except RedactError as err:
        message = f"Cannot redact this input: {err}."
        if output == "json":
            return json.dumps({"redaction_error": message}, separators=SEPARATORS) + "\n"
        if output == "html":
            return f"<section><p>{html.escape(message)}</p></section>\n"
        return message + "\n"
    redacted = inspect_with(copy.token, redaction.options)
    original = verdict_lines(inspection.verification, inspection.findings)[0]
    where = ", ".join(copy.paths) or "nothing (no sensitive value found)"
    if output == "json":
        d = redacted.to_dict()
        d["redaction"] = {
            **copy.to_dict(),
            "original_verification": {
                "status": inspection.verification.status,
                "outcome": inspection.verification.outcome.value,
                "headline": original,
            },
        }
        return json.dumps(d, ensure_ascii=False, separators=SEPARATORS) + "\n"
    preface = (
        f"Redacted token: {copy.token}",
        f"Redacted: {where}",
        f"The original token's verification: {original}",
    )
    if output == "md":
        return report.markdown(
            redacted, title="JWT Inspector report (redacted copy)", preface=preface
        )
    if output == "html":
        return report.html_section(redacted, preface=preface)
    out = io.StringIO()
    out.write(_paint("Redacted token", "1", colour) + "\n  " + copy.token + "\n")
    out.write(f"  Redacted: {where}\n  The original token's verification: {original}\n\n")
    write_report(redacted, out, colour=colour, key_given=False)
    return out.getvalue()


def _isatty(stream: TextIO, *, colour: bool = True) -> bool:
    """Whether ``stream`` is a terminal (to colour: and ``NO_COLOR`` is not set)."""
    try:
        return stream.isatty() and (not colour or os.environ.get("NO_COLOR") is None)
    except (AttributeError, ValueError):
        return False


def passes(inspection: Inspection, *, key_given: bool, decrypt_given: bool = False) -> bool:
    """The exit-status rule: decoded, valid when a key was given, nothing error/critical/high.

    A JWE has no signature of its own: with a key (either one) it must decrypt, and the token
    inside it, when there is one, must pass in turn (valid when ``key_given``)."""
    if inspection.format == "unknown" or inspection.token is None:
        return False
    decryption = inspection.decryption
    if decryption is not None:
        if (key_given or decrypt_given) and decryption.status != "decrypted":
            return False
        if inspection.nested is not None and not passes(inspection.nested, key_given=key_given):
            return False
    elif key_given and inspection.verification.status != "valid":
        return False
    # (every finding, in any order: Inspection.findings would sort them first; loops, not a
    # generator: this runs for every token of a log)
    failing = FAILING_SEVERITIES
    for findings in (
        inspection.parsed.findings,
        () if decryption is None else decryption.findings,
        inspection.verification.findings,
        inspection.analysis.findings,
    ):
        for f in findings:
            if f.severity in failing:
                return False
    return True


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code else text


def _coloured_token(inspection: Inspection, colour: bool) -> str:
    p = inspection.parsed
    token = p.token or ""
    names = [s.name for s in p.segments]
    out: list[str] = []
    for i, part in enumerate(p.parts):
        if i:
            out.append(_paint(".", _COLOURS["dot"], colour))
        name = names[i] if i < len(names) else "signature"
        shown = part
        if len(token) > SHOWN_TOKEN_CHARS and len(part) > SHOWN_TOKEN_CHARS // 3:
            keep = SHOWN_TOKEN_CHARS // 6
            shown = f"{part[:keep]}…[{len(part) - 2 * keep:,} characters]…{part[-keep:]}"
        out.append(_paint(shown, _COLOURS.get(name, ""), colour))
    return "".join(out)


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        return value if len(value) <= SHOWN_TOKEN_CHARS else value[:SHOWN_TOKEN_CHARS] + "…"
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if len(text) > 20 * SHOWN_TOKEN_CHARS:
        text = text[: 20 * SHOWN_TOKEN_CHARS] + "\n… (cut; use --json for everything)"
    return text


def write_report(inspection: Inspection, out: TextIO, *, colour: bool, key_given: bool) -> None:
    """The human-readable report."""
    from inspector.presentation import (
        findings_summary,
        size_words,
        time_words,
        verdict,
        verdict_lines,
    )

    p = inspection.parsed
    w = out.write

    def heading(title: str) -> None:
        w(_paint(title, "1", colour) + "\n")

    if p.token is not None:
        size = size_words(
            len(p.token),
            session_id_bytes=SESSION_ID_BYTES,
            cookie_limit=COOKIE_LIMIT,
            header_limit=HEADER_LIMIT,
        )
        heading(f"Token ({p.format.upper()}, {size})")
        w("  " + _coloured_token(inspection, colour) + "\n\n")
    if p.unverified_header is not None or p.format in JWT_FORMATS:
        heading("Header")
        w(_indent(_pretty(p.unverified_header)) + "\n\n")
    if p.unprotected_header is not None:
        heading("Unprotected header (not covered by the signature; never used)")
        w(_indent(_pretty(dict(p.unprotected_header))) + "\n\n")
    if p.unverified_payload is not None:
        heading("Payload")
        w(_indent(_pretty(p.unverified_payload)) + "\n")
        for t in inspection.analysis.times:
            w(f"  {t.claim}: {t.value} ({time_words(t.utc, t.local, t.relative)})\n")
        w("\n")
    profile = inspection.profile()
    if profile["name"] is not None:
        heading(f"Profile: {profile['name']}")
        w(f"  {profile['reason']}\n\n")
    sd = p.sd_jwt
    if sd is not None:
        _write_disclosures(inspection, w, heading)
    sig = p.signature
    if sig is not None:
        hexed = sig.hex() if len(sig) <= 64 else sig[:64].hex() + "…"
        heading(f"Signature ({p.alg or 'no alg'}, {len(sig)} bytes)")
        w(f"  {hexed}\n\n")
    d = inspection.decryption
    if d is not None:
        heading(f"Decryption ({d.algorithm or 'no alg'}, {d.encryption or 'no enc'})")
        w(f"  {_paint(_DECRYPTION_WORDS[d.status], _DECRYPTION_COLOURS[d.status], colour)}\n")
        w(f"  {d.reason}\n")
        if d.key is not None:
            w(f"  Key: {d.key}\n")
        w("\n")
    v = inspection.verification
    findings = inspection.findings
    headline, *rest = verdict_lines(v, findings)
    # Coloured as the window's banner is: a verified signature on a token a server must
    # reject (expired, wrong audience...) takes the worse colour.
    status = verdict(v, findings=findings).status
    heading("Verification")
    w(f"  {_paint(headline, _STATUS_COLOURS[status], colour)}\n")
    for line in rest:
        w(f"  {line}\n")
    w("\n")
    heading(findings_summary(findings))
    for severity in SEVERITIES:
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        w("  " + _paint(f" {severity.upper()} ", _SEVERITY_COLOURS[severity], colour) + "\n")
        for f in group:
            where = f"  at {f.location}" if f.location else ""
            w(f"    [{f.id}] {f.title}{where}\n")
            w(f"      {f.detail}\n")
    if inspection.nested is not None:
        inner = io.StringIO()
        write_report(inspection.nested, inner, colour=colour, key_given=key_given)
        w("\n")
        heading("Nested token (the payload is itself a JWT; verified with your key only)")
        w(_indent(inner.getvalue()) + "\n")


def _write_disclosures(
    inspection: Inspection, w: Callable[[str], object], heading: Callable[[str], None]
) -> None:
    """An SD-JWT's disclosures (each claim with where it lands, or why it counts for
    nothing), what stays undisclosed, and the key binding's status."""
    sd = inspection.parsed.sd_jwt
    if sd is None:
        return
    n = len(sd.disclosures)
    heading(f"Disclosures ({n}, {sd.hash_alg})")
    for d in sd.disclosures:
        name = "(array element)" if d.name is None else d.name
        if d.error is not None:
            w(f"  {d.index + 1}. malformed: {d.error}\n")
            continue
        value = json.dumps(d.value, ensure_ascii=False)
        if len(value) > DISCLOSURE_SHOWN:
            value = value[:DISCLOSURE_SHOWN] + "…"
        where = (
            f"-> {d.location}"
            if d.location is not None
            else "-> nowhere (not issued with this token)"
        )
        w(f"  {d.index + 1}. {name} = {value}  {where}\n")
    if sd.undisclosed_digests:
        w(f"  {sd.undisclosed_digests} digest(s) left undisclosed (withheld claims or decoys)\n")
    kb = sd.to_dict()["key_binding"]
    w(f"  Key binding: {kb['status']}: {kb['reason']}\n\n")
    if sd.disclosed_payload is not None:
        heading("Disclosed payload (as trustworthy as the issuer's signature)")
        w(_indent(_pretty(sd.disclosed_payload)) + "\n\n")


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
