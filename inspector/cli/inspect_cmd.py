"""``jwt-inspector-cli inspect``: decode, verify and explain one token, or a log of them."""

from __future__ import annotations

import argparse
import datetime
import io
import json
import math
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TextIO

from inspector.batch import inspect_many
from inspector.cli import fetch_keys
from inspector.cli.common import (
    UsageError,
    add_key_options,
    read_key_file,
    read_stdin,
    secret_argument,
    silence_stdout,
    text_argument,
)
from inspector.core.findings import FAILING_SEVERITIES, SEVERITIES
from inspector.core.model import Inspection
from inspector.core.options import InspectOptions
from inspector.core.parsing import COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES, parse_token
from inspector.presentation import (
    findings_summary,
    size_words,
    time_words,
    verdict,
    verdict_lines,
)

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
            "Decode, verify and explain a JWT. The token is read from the argument, or from "
            "standard input when it is '-' or absent. Several tokens on standard input, one per "
            "line, are inspected one by one (with --json: one JSON object per line). Exit status: "
            "0 when every token decoded, its signature (if a key was given) is valid and no "
            "finding is error, critical or high; 1 otherwise; 2 for a usage error or keys "
            "that could not be fetched. Nothing is fetched without --discover or --jwks-url."
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
    p.add_argument("--json", action="store_true", help="print the inspection as JSON")
    p.add_argument(
        "--no-weak-secrets", action="store_true", help="do not try the built-in weak secrets"
    )
    p.add_argument("--wordlist", metavar="FILE", help="also try each line of FILE as HMAC secret")
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="inspect a log of tokens in N worker processes; the output keeps the input's "
        "order (default 1: in this process)",
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


def _inputs(args: argparse.Namespace) -> list[str]:
    if args.token != "-":
        return [text_argument(args.token, "the token argument")]
    text = read_stdin("token")
    lines = [line for line in text.splitlines() if line.strip()]
    # A log of tokens, one per line (lines without a token are reported as such), unless
    # the lines are pieces of one document (a wrapped token, pretty-printed JSON).
    if len(lines) > 1 and sum(parse_token(line).format != "unknown" for line in lines) > 1:
        return lines
    return [text]


def run(args: argparse.Namespace) -> int:
    try:
        key, secret_encoding = _read_key(args)
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
        inputs = _inputs(args)
    except UsageError as err:
        sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
        return 2
    try:  # (the checks above name the command-line options; these are the last word)
        options = InspectOptions(
            key=key,
            secret_encoding=secret_encoding,
            now=time.time() if args.now is None else args.now,
            leeway=args.leeway,
            audience=args.aud,
            issuer=args.iss,
            kb_audience=args.kb_aud,
            kb_nonce=args.kb_nonce,
            check_weak_secrets=not args.no_weak_secrets,
            wordlist=args.wordlist,
        )
    except (ValueError, TypeError) as err:
        sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
        return 2
    each: InspectOptions | Callable[[str], InspectOptions] = options
    if fetching:
        try:
            each = fetch_keys.keyed_options(args, inputs, options, note=fetch_keys.stderr_note)
        except fetch_keys.KeysUnavailableError as err:
            sys.stderr.write(f"jwt-inspector-cli inspect: error: {err}\n")
            return 2
    key_given = key is not None or fetching
    colour = args.color == "always" or (args.color == "auto" and _isatty(sys.stdout))
    status = 0
    if (
        len(inputs) == 1
        and args.token != "-"
        and os.path.isfile(args.token)
        and parse_token(args.token).format == "unknown"
    ):
        sys.stderr.write(
            f"jwt-inspector-cli inspect: note: {args.token!r} is a file; to inspect what it "
            f"holds, use: jwt-inspector-cli inspect - < {args.token}\n"
        )
    # Each report is written where its inspection ran (a worker process with --jobs): only
    # its text comes back, which costs far less to send than the Inspection itself.
    finish = partial(_report, as_json=args.json, colour=colour, key_given=key_given)
    for i, (report, passed) in enumerate(inspect_many(inputs, each, args.jobs, finish=finish)):
        try:
            if i and not args.json:
                sys.stdout.write("\n" + "=" * 72 + "\n\n")
            sys.stdout.write(report)
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader left (`| head`): keep judging, so the exit status stays the verdict.
            silence_stdout()
        if not passed:
            status = 1
    return status


def _report(
    text: str, inspection: Inspection, *, as_json: bool, colour: bool, key_given: bool
) -> tuple[str, bool]:
    """The output for one inspection, and whether it passes (see :func:`passes`)."""
    if as_json:
        report = json.dumps(inspection.to_dict(), ensure_ascii=False) + "\n"
    else:
        out = io.StringIO()
        write_report(inspection, out, colour=colour, key_given=key_given)
        report = out.getvalue()
    return report, passes(inspection, key_given=key_given)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("NO_COLOR") is None
    except (AttributeError, ValueError):
        return False


def passes(inspection: Inspection, *, key_given: bool) -> bool:
    """The exit-status rule: decoded, valid when a key was given, nothing error/critical/high."""
    if inspection.format == "unknown":
        return False
    if key_given and inspection.verification.status != "valid":
        return False
    return not any(f.severity in FAILING_SEVERITIES for f in inspection.findings)


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
    if p.unverified_header is not None or p.format != "unknown":
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
