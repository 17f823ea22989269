"""``jwt-inspector-cli encode`` (sign a token) and ``jwt-inspector-cli keygen`` (make a key).

Both are thin: the core's :func:`~inspector.core.signing.sign_token` and
:mod:`inspector.core.keygen` do the work; this module reads arguments, files and the clock.
Exit status: 0 done; 2 usage error (bad option, unreadable key file, bad JSON or time, a key
that does not fit the algorithm): every reason not to make a token comes from the input.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from inspector.cli.common import (
    UsageError,
    add_key_options,
    read_key_file,
    read_stdin,
    secret_argument,
    text_argument,
)
from inspector.core.keygen import (
    EDDSA_CURVES,
    KEYGEN_ALGORITHMS,
    convert_key,
    generate_key,
    keygen_problem,
)
from inspector.core.signing import SIGNING_ALGORITHMS, sign_token

#: Payload text read from standard input is limited to this much (a token is far smaller).
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024


def register(sub: Any) -> None:
    """Add the ``encode`` and ``keygen`` subcommands to ``sub`` (argparse subparsers)."""
    p = sub.add_parser(
        "encode",
        help="sign a payload into a token",
        description=(
            "Sign a JSON payload into a compact JWS. The payload is read from the argument, or "
            "from standard input when it is '-' or absent. Times: +15m, +1h, +1d, +90s, -5m "
            "(relative to now; write a negative one as --nbf=-5m), 'now', or an absolute unix "
            "time. Exit status: 0 printed the "
            "token; 2 usage error (bad option or JSON, unreadable key file, key does not fit)."
        ),
    )
    p.add_argument("payload", nargs="?", default="-", help="payload JSON, or '-' for stdin")
    p.add_argument("--header", metavar="JSON", default="", help="header JSON (default {})")
    p.add_argument(
        "--alg",
        metavar="ALG",
        help="signing algorithm (default: the header's alg, else inferred from the key): "
        + ", ".join(SIGNING_ALGORITHMS),
    )
    add_key_options(
        p,
        key_help="sign with the key in FILE (PEM or JWK)",
        secret_help="sign with this HMAC secret",
        encoding_help="how the HMAC secret is written (default utf-8)",
    )
    p.add_argument("--exp", metavar="TIME", help="set exp, e.g. +1h")
    p.add_argument("--nbf", metavar="TIME", help="set nbf, e.g. now or --nbf=-5m")
    p.add_argument("--iat", action="store_true", help="set iat to now")
    p.add_argument("--kid", metavar="KID", help="set the header's kid (overrides the key's)")
    p.add_argument(
        "--none",
        action="store_true",
        help="ATTACK TOOL: make an unsecured token (alg none, no signature)",
    )
    p.set_defaults(func=run_encode)

    k = sub.add_parser(
        "keygen",
        help="generate a signing key, or convert one between PEM and JWK",
        description=(
            "Generate a key for a JWS algorithm and print it (private half unless --public). "
            "Default output: PEM for key pairs, JWK for HMAC secrets (which have no PEM form). "
            "With --from FILE, convert that key instead of generating one."
        ),
    )
    k.add_argument("--alg", metavar="ALG", help="one of " + ", ".join(KEYGEN_ALGORITHMS))
    fmt = k.add_mutually_exclusive_group()
    fmt.add_argument("--jwk", action="store_const", dest="format", const="jwk", help="print a JWK")
    fmt.add_argument("--pem", action="store_const", dest="format", const="pem", help="print PEM")
    fmt.add_argument(
        "--jwks",
        action="store_const",
        dest="format",
        const="jwks",
        help="print a public JWK Set",
    )
    fmt.add_argument(
        "--thumbprint",
        action="store_const",
        dest="format",
        const="thumbprint",
        help="print only the RFC 7638 thumbprint (usable as kid)",
    )
    k.add_argument("--bits", type=int, metavar="N", help="RSA size or HMAC secret length")
    k.add_argument("--crv", choices=EDDSA_CURVES, help="curve for EdDSA (default Ed25519)")
    k.add_argument("--public", action="store_true", help="print the public half only")
    k.add_argument("--from", dest="source", metavar="FILE", help="convert the key in FILE")
    k.set_defaults(func=run_keygen, format=None)


def _err(command: str, message: str) -> None:
    sys.stderr.write(f"jwt-inspector-cli {command}: error: {message}\n")


def _payload_text(arg: str) -> str:
    if arg != "-":
        return text_argument(arg, "the payload argument")
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("no payload given: pass the payload JSON as an argument or on stdin")
    return read_stdin("payload", MAX_PAYLOAD_BYTES)


def run_encode(args: argparse.Namespace) -> int:
    try:
        if args.none and (args.key is not None or args.secret is not None):
            raise UsageError("--none makes an unsecured token: leave out --key and --secret")
        if args.none and args.alg is not None and args.alg.lower() != "none":
            raise UsageError(f"--none makes an alg 'none' token; it cannot use --alg {args.alg}")
        key_text: str | None = None
        secret_encoding = args.secret_encoding
        if args.secret is not None:
            key_text, secret_encoding = secret_argument(args.secret, secret_encoding)
        elif args.key is not None:
            key_text, _ = read_key_file(args.key, binary=False)
        for option, value in (
            ("--header", args.header),
            ("--alg", args.alg),
            ("--kid", args.kid),
            ("--exp", args.exp),
            ("--nbf", args.nbf),
        ):
            if value is not None:
                text_argument(value, option)
        payload = _payload_text(args.payload)
    except UsageError as err:
        _err("encode", str(err))
        return 2
    result = sign_token(
        args.header,
        payload,
        key_text,
        alg=("none" if args.alg is None else args.alg) if args.none else args.alg,
        secret_encoding=secret_encoding,
        allow_unsecured=args.none,
        kid=args.kid,
        now=time.time(),
        iat=args.iat,
        nbf=args.nbf,
        exp=args.exp,
    )
    if result.token is None:
        for problem in result.problems:
            _err("encode", problem.message)
        return 2
    for note in result.notes:
        sys.stderr.write(f"jwt-inspector-cli encode: note: {note}\n")
    sys.stdout.write(result.token + "\n")
    return 0


def run_keygen(args: argparse.Namespace) -> int:
    if args.source is not None:
        return _convert(args)
    if args.alg is None:
        _err("keygen", "choose an algorithm with --alg (or convert a key with --from FILE)")
        return 2
    problem = keygen_problem(args.alg, bits=args.bits, crv=args.crv)
    if problem is not None:
        _err("keygen", problem)
        return 2
    fmt = args.format
    secret = args.alg.startswith("HS")
    if secret and (args.public or fmt in ("pem", "jwks")):
        _err(
            "keygen",
            "an HMAC secret has no public half and no PEM form; print it with --jwk",
        )
        return 2
    key = generate_key(args.alg, bits=args.bits, crv=args.crv)
    if fmt == "thumbprint":
        out = key.thumbprint
    elif fmt == "jwks":
        out = key.jwk_set or ""
    elif fmt == "jwk" or (fmt is None and secret):
        out = (key.public_jwk if args.public else key.private_jwk) or ""
    else:
        out = (key.public_pem if args.public else key.private_pem) or ""
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def _convert(args: argparse.Namespace) -> int:
    if args.alg is not None or args.bits is not None or args.crv is not None:
        _err("keygen", "--from converts an existing key: leave out --alg, --bits and --crv")
        return 2
    try:
        text, _ = read_key_file(args.source, binary=False)
    except UsageError as err:
        _err("keygen", str(err))
        return 2
    to = args.format or "jwk"
    result = convert_key(text, to=to, public=args.public)
    if result.text is None:
        _err("keygen", result.message)
        return 2
    sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")
    return 0
