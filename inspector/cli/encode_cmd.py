"""``jwt-inspector-cli encode`` (sign and/or encrypt a token) and ``jwt-inspector-cli keygen``
(make a key).

Both are thin: the core's :func:`~inspector.core.signing.sign_token`,
:func:`~inspector.core.encryption.encrypt_token` and :mod:`inspector.core.keygen` do the work;
this module reads arguments, files and the clock. With ``--encrypt-alg`` the result is a JWE:
of the payload itself when nothing signs it, else of the signed token (sign-then-encrypt,
``cty: "JWT"``, as Auth0, Entra, Okta and Keycloak issue encrypted tokens).
Exit status: 0 done; 2 usage error (bad option, unreadable key file, bad JSON or time, a key
that does not fit the algorithm): every reason not to make a token comes from the input.
"""

from __future__ import annotations

import argparse
import json
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
from inspector.core.encryption import EncryptionError, encrypt_token
from inspector.core.jwa_encryption import CONTENT_ENCRYPTION, KEY_MANAGEMENT
from inspector.core.keygen import (
    EDDSA_CURVES,
    KEYGEN_ALGORITHMS,
    convert_key,
    generate_key,
    keygen_problem,
)
from inspector.core.signing import SIGNING_ALGORITHMS, apply_times, check_json_object, sign_token

#: Payload text read from standard input is limited to this much (a token is far smaller).
MAX_PAYLOAD_BYTES = 16 * 1024 * 1024

#: The content encryption used when ``--enc`` is not given: the one the identity providers
#: named in issue 14 default to, and an AEAD without CBC's padding.
DEFAULT_ENC = "A256GCM"

#: The options that only mean something with ``--encrypt-alg``.
_ENCRYPT_ONLY = ("enc", "encrypt_key", "encrypt_secret", "encrypt_header", "zip")


def register(sub: Any) -> None:
    """Add the ``encode`` and ``keygen`` subcommands to ``sub`` (argparse subparsers)."""
    p = sub.add_parser(
        "encode",
        help="sign and/or encrypt a payload into a token",
        description=(
            "Sign a JSON payload into a compact JWS, and/or encrypt it into a compact JWE "
            "(--encrypt-alg): with --key, --secret or --none as well the payload is signed first "
            "and the signed token encrypted (cty JWT). The payload is read from the argument, or "
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
    crypt = p.add_argument_group("encryption (a JWE)")
    crypt.add_argument(
        "--encrypt-alg",
        metavar="ALG",
        help="encrypt to the recipient with this key management: " + ", ".join(KEY_MANAGEMENT),
    )
    crypt.add_argument(
        "--enc",
        metavar="ENC",
        help=f"content encryption (default {DEFAULT_ENC}): " + ", ".join(CONTENT_ENCRYPTION),
    )
    recipient = crypt.add_mutually_exclusive_group()
    recipient.add_argument(
        "--encrypt-key",
        metavar="FILE",
        help="the recipient's key in FILE: a public (or private) key as PEM, certificate, JWK "
        "or JWK Set for RSA and ECDH-ES; a shared secret or oct JWK for AES key wrap and dir",
    )
    recipient.add_argument(
        "--encrypt-secret",
        metavar="TEXT",
        help="the shared secret (AES key wrap, dir) or the PBES2 password (visible to `ps`); "
        "read with --secret-encoding",
    )
    crypt.add_argument(
        "--encrypt-header",
        metavar="JSON",
        help='more members of the JWE protected header, e.g. \'{"kid": "k1", "p2c": 100000}\'',
    )
    crypt.add_argument(
        "--zip", action="store_true", help="compress the plaintext before encrypting (zip DEF)"
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


def _signs(args: argparse.Namespace) -> bool:
    """Whether the payload is signed (a JWS, perhaps then encrypted)."""
    return bool(args.none or args.key is not None or args.secret is not None)


def _check_encryption_options(args: argparse.Namespace) -> str | None:
    """The recipient's key text (``None`` when not encrypting); a :class:`UsageError` for an
    option that cannot work, so that nothing is signed before the encryption is known to be
    possible."""
    if args.encrypt_alg is None:
        given = [f"--{n.replace('_', '-')}" for n in _ENCRYPT_ONLY if getattr(args, n)]
        if given:
            raise UsageError(f"{', '.join(given)}: only used with --encrypt-alg ALG")
        return None
    text_argument(args.encrypt_alg, "--encrypt-alg")
    if args.encrypt_alg not in KEY_MANAGEMENT:
        raise UsageError(
            f"--encrypt-alg {args.encrypt_alg!r} is not a JWE key management; choose one of "
            + ", ".join(KEY_MANAGEMENT)
            + " (names are case-sensitive)"
        )
    enc = args.enc or DEFAULT_ENC
    text_argument(enc, "--enc")
    if enc not in CONTENT_ENCRYPTION:
        raise UsageError(
            f"--enc {enc!r} is not a JWE content encryption; choose one of "
            + ", ".join(CONTENT_ENCRYPTION)
            + " (names are case-sensitive)"
        )
    if args.encrypt_key is not None:
        text, _ = read_key_file(args.encrypt_key, binary=False)
        return text
    if args.encrypt_secret is not None:
        return text_argument(args.encrypt_secret, "--encrypt-secret")
    raise UsageError(
        f"--encrypt-alg {args.encrypt_alg} needs the recipient's key: --encrypt-key FILE, or "
        "--encrypt-secret TEXT for a shared secret or PBES2 password"
    )


def _encrypt_header(args: argparse.Namespace) -> dict[str, Any]:
    """The extra protected-header members from ``--encrypt-header`` (checked JSON object)."""
    if args.encrypt_header is None:
        return {}
    header, problems = check_json_object(
        text_argument(args.encrypt_header, "--encrypt-header"), "header"
    )
    if header is None or problems:
        why = "; ".join(p.message for p in problems) or "it must be a JSON object"
        raise UsageError(f"--encrypt-header: {why}")
    for member in ("alg", "enc", "zip"):
        if member in header:
            raise UsageError(
                f"--encrypt-header cannot set {member!r}: use --encrypt-alg, --enc or --zip"
            )
    return header


def _plaintext(args: argparse.Namespace, payload: str) -> str:
    """The payload with its time claims, compact, for encrypting without signing."""
    edit = apply_times(payload, now=time.time(), iat=args.iat, nbf=args.nbf, exp=args.exp)
    if edit.text is None:
        raise UsageError("\n".join(p.message for p in edit.problems))
    return json.dumps(json.loads(edit.text), separators=(",", ":"), ensure_ascii=False)


def run_encode(args: argparse.Namespace) -> int:
    try:
        encrypt_key = _check_encryption_options(args)
        extra_header = _encrypt_header(args)
        if encrypt_key is not None and not _signs(args):
            for option, value in (
                ("--header", args.header),
                ("--alg", args.alg),
                ("--kid", args.kid),
            ):
                if value:
                    raise UsageError(
                        f"{option} belongs to a signed token; nothing signs this one (no --key, "
                        "--secret or --none): leave it out, or put JWE header members in "
                        "--encrypt-header"
                    )
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
        if encrypt_key is not None and not _signs(args):
            return _write_encrypted(args, _plaintext(args, payload), encrypt_key, extra_header)
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
    if encrypt_key is not None:
        return _write_encrypted(args, result.token, encrypt_key, {"cty": "JWT", **extra_header})
    sys.stdout.write(result.token + "\n")
    return 0


def _write_encrypted(
    args: argparse.Namespace, plaintext: str, key_text: str, header: dict[str, Any]
) -> int:
    """Encrypt ``plaintext`` as the options say and print the JWE (exit 0), or say why not
    (exit 2: the key does not fit the algorithm, a bad ``p2c``...)."""
    try:
        token = encrypt_token(
            plaintext,
            key_text,
            alg=args.encrypt_alg,
            enc=args.enc or DEFAULT_ENC,
            header=header,
            secret_encoding=args.secret_encoding,
            compress=args.zip,
        )
    except EncryptionError as err:
        _err("encode", str(err))
        return 2
    sys.stdout.write(token + "\n")
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
