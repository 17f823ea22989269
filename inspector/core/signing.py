"""Encoding: from header and payload JSON text and a key to a signed compact token.

The encoder checks its JSON input as strictly as the decoder reads tokens (invalid JSON,
duplicate member names, NaN, not an object: each reported with what and where, line and
column) and never raises for bad input: :func:`sign_token` returns a :class:`SignResult` that
holds either the token or every :class:`SignProblem` that stopped it. Problems carry a stable
``code`` and a sentence the user can act on, never key material.

``alg: none`` is an attack tool here: it is produced only with ``allow_unsecured=True``.

Time helpers (:func:`resolve_time`, :func:`apply_times`) take ``now`` from the caller; only the
front ends read the clock.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

from inspector.core.algorithms import ALGORITHMS, NONE_ALG, sign
from inspector.core.b64 import b64url_encode
from inspector.core.jsontext import parse_json
from inspector.core.jwk import EC_CURVE_NAMES, LoadedJWK
from inspector.core.keys import SECRET_ENCODINGS as SECRET_ENCODINGS
from inspector.core.keys import LoadedKey, describe_public, load_key

ProblemCode = Literal[
    "invalid-json",
    "duplicate-member",
    "not-an-object",
    "non-standard-json",
    "json-too-complex",
    "bad-header-member",
    "unsupported-alg",
    "unsecured-refused",
    "missing-key",
    "key-error",
    "not-a-key",
    "public-key",
    "key-alg-mismatch",
    "bad-time",
    "not-utf-8",
]
#: Which input a problem is about, so a front end can point at the right field.
ProblemField = Literal["header", "payload", "key", "alg", "iat", "nbf", "exp"]

#: Time specifications are short; longer text is refused without being looked at.
MAX_TIME_SPEC = 40
#: Latest absolute time accepted (9999-12-31T23:59:59Z); later values are typing mistakes.
MAX_NUMERIC_DATE = 253_402_300_799
_TIME_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_RELATIVE = re.compile(r"([+-])?\s*(\d+(?:\.\d+)?)\s*([smhdw])?", re.ASCII)
_ABSOLUTE = re.compile(r"\d+(?:\.\d+)?", re.ASCII)

#: The time presets the window offers, as (label, spec) pairs for ``exp``.
EXP_PRESETS: tuple[tuple[str, str], ...] = (
    ("+15 min", "+15m"),
    ("+1 hour", "+1h"),
    ("+1 day", "+1d"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignProblem:
    """One reason a token could not be made. ``line``/``column`` (1-based) point into the
    JSON text named by ``field`` when the problem has a place there."""

    code: ProblemCode
    message: str
    field: ProblemField
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        if (self.line is None) != (self.column is None):
            raise ValueError("line and column go together")


class ProblemsOutcome:
    """What :class:`SignResult`, :class:`JsonEdit` and ``KeyConversion`` share: each holds a
    value (``None`` when it could not be made) or the problems that stopped it, never both."""

    __slots__ = ()
    problems: tuple[SignProblem, ...]

    def _check_outcome(self, value: object, what: str) -> None:
        if (value is None) == (not self.problems):
            raise ValueError(
                f"a {type(self).__name__} holds a {what} or problems, not both or neither"
            )

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def message(self) -> str:
        """All problems as lines of text ("" when the value was made)."""
        return "\n".join(p.message for p in self.problems)


@dataclass(frozen=True, slots=True, kw_only=True)
class SignResult(ProblemsOutcome):
    """The outcome of :func:`sign_token`: a token, or the problems that stopped it.

    ``header`` and ``payload`` are what was encoded (read-only), with ``alg``, ``kid`` and
    time claims filled in; ``notes`` say what the encoder did on its own (took ``kid`` from
    the key, inferred ``alg``, used a public key's text as an HMAC secret...).
    """

    token: str | None
    alg: str | None = None
    header: Mapping[str, Any] | None = None
    payload: Mapping[str, Any] | None = None
    problems: tuple[SignProblem, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._check_outcome(self.token, "token")
        for name in ("header", "payload"):
            value = getattr(self, name)
            if isinstance(value, dict):
                object.__setattr__(self, name, MappingProxyType(value))


@dataclass(frozen=True, slots=True, kw_only=True)
class JsonEdit(ProblemsOutcome):
    """The outcome of :func:`apply_times`: the new JSON text, or the problems."""

    text: str | None
    problems: tuple[SignProblem, ...] = ()
    values: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        self._check_outcome(self.text, "text")


# ------------------------------------------------------------------------------ JSON input


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _duplicate_positions(text: str) -> list[tuple[str, int]]:
    """``(name, offset)`` of each repeated member name, in text order. ``text`` must be valid
    JSON (this walks it; it does not check it)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    found: list[tuple[str, int]] = []

    def skip(i: int) -> int:
        m = ws.match(text, i)
        return m.end() if m else i

    def value(i: int) -> int:
        i = skip(i)
        c = text[i]
        if c == "{":
            seen: set[str] = set()
            i = skip(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                i = skip(i)
                key_pos = i
                name, i = decoder.raw_decode(text, i)
                if name in seen:
                    found.append((name, key_pos))
                seen.add(name)
                i = value(skip(i) + 1)  # past ':'
                i = skip(i)
                if text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if c == "[":
            i = skip(i + 1)
            if text[i] == "]":
                return i + 1
            while True:
                i = skip(value(i))
                if text[i] == ",":
                    i += 1
                    continue
                return i + 1
        _, end = decoder.raw_decode(text, i)
        return int(end)

    value(0)
    return found


def check_json_object(
    text: str, name: Literal["header", "payload"]
) -> tuple[dict[str, Any] | None, tuple[SignProblem, ...]]:
    """Read ``text`` as the JSON object the token's ``name`` will hold.

    Returns ``(object, ())`` or ``(None, problems)``; every problem says what and where. An
    empty header text means ``{}``; an empty payload is a problem.
    """
    if not text.strip():
        if name == "header":
            return {}, ()
        return None, (
            SignProblem(
                code="invalid-json",
                message="The payload is empty: write a JSON object, for example {}.",
                field=name,
            ),
        )
    value, ok, issues = parse_json(text, name)
    problems: list[SignProblem] = []
    if not ok:
        if any(i.id == "not-json" for i in issues):
            try:
                json.loads(text)
            except json.JSONDecodeError as err:
                problems.append(
                    SignProblem(
                        code="invalid-json",
                        message=f"The {name} is not valid JSON: {err.msg} at line {err.lineno}, "
                        f"column {err.colno}.",
                        field=name,
                        line=err.lineno,
                        column=err.colno,
                    )
                )
            except ValueError:  # pragma: no cover - parse_json saw it first
                pass
        if not problems:
            problems.append(
                SignProblem(
                    code="json-too-complex",
                    message=issues[0].detail if issues else f"The {name} cannot be parsed.",
                    field=name,
                )
            )
        return None, tuple(problems)
    if any(i.id == "duplicate-json-key" for i in issues):
        for dup, pos in _duplicate_positions(text):
            line, col = _line_col(text, pos)
            problems.append(
                SignProblem(
                    code="duplicate-member",
                    message=f"The {name} has the member {dup!r} a second time at line {line}, "
                    f"column {col}. Parsers disagree about which value wins, so remove one.",
                    field=name,
                    line=line,
                    column=col,
                )
            )
    for issue in issues:
        if issue.id == "non-standard-json":
            problems.append(
                SignProblem(
                    code="non-standard-json",
                    message=issue.detail + " Use a number or a string instead.",
                    field=name,
                )
            )
        elif issue.id == "json-too-complex":
            problems.append(SignProblem(code="json-too-complex", message=issue.detail, field=name))
    if not isinstance(value, dict):
        line, col = _line_col(text, len(text) - len(text.lstrip()))
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(value), "a number"
        )
        problems.append(
            SignProblem(
                code="not-an-object",
                message=f"The {name} must be a JSON object ({{...}}), but it is {kind}.",
                field=name,
                line=line,
                column=col,
            )
        )
    if not problems and not _utf8_encodable(value):
        # json.loads accepts "\\ud800" but no UTF-8 encoder does: the token could not be
        # written, and replacing the character would sign something else than was typed.
        where = _lone_surrogate_escape(text)
        at_line, at_col = _line_col(text, where[0]) if where else (0, 0)
        at = f" ('{where[1]}' at line {at_line}, column {at_col})" if where else ""
        problems.append(
            SignProblem(
                code="not-utf-8",
                message=f"The {name} holds a lone surrogate{at}: half of a UTF-16 surrogate "
                "pair, which UTF-8 cannot encode. Write the whole pair or the character itself.",
                field=name,
                line=at_line if where else None,
                column=at_col if where else None,
            )
        )
    if problems:
        return None, tuple(problems)
    return value, ()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _utf8_encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate_escape(text: str) -> tuple[int, str] | None:
    """Where the first unpaired ``\\uD800``-``\\uDFFF`` escape is in ``text`` (for the message)."""
    escapes = list(_SURROGATE_ESCAPE.finditer(text))
    i = 0
    while i < len(escapes):
        m = escapes[i]
        high = m.group()[2].lower() in "89ab"
        nxt = escapes[i + 1] if i + 1 < len(escapes) else None
        if high and nxt is not None and nxt.start() == m.end() and nxt.group()[2].lower() in "cdef":
            i += 2
            continue
        return m.start(), m.group()
    return None


# ------------------------------------------------------------------------------ times


def resolve_time(spec: str, *, now: float, claim: str = "exp") -> int | SignProblem:
    """Turn a time specification into a NumericDate (whole seconds since 1970).

    ``+15m``, ``+1h``, ``+1d``, ``+90s``, ``-5m``, ``+2w``: relative to ``now`` (a sign with
    no unit means seconds; a unit with no sign means later). ``now``: ``now`` itself.
    ``1700000000``: an absolute unix time. Anything else is a :class:`SignProblem`.
    """
    text = spec.strip()
    field_name: ProblemField = claim if claim in ("iat", "nbf", "exp") else "exp"  # type: ignore[assignment]

    def problem(why: str) -> SignProblem:
        return SignProblem(code="bad-time", message=f"'{claim}': {why}", field=field_name)

    if len(text) > MAX_TIME_SPEC:
        return problem(
            f"a time is at most {MAX_TIME_SPEC} characters; write +1h, +15m or a unix time."
        )
    if not math.isfinite(now):
        return problem("the current time is not a number.")
    if text.lower() == "now":
        value = math.floor(now)  # (checked below like any other: a clock past 9999 is wrong)
    elif _ABSOLUTE.fullmatch(text):
        value = math.floor(float(text))
    else:
        m = _RELATIVE.fullmatch(text)
        if m is None or (m.group(1) is None and m.group(3) is None):
            return problem(
                f"{_shown(text)!r} is not a time. Write +15m, +1h, +1d, +90s, -5m (relative to "
                "now), 'now', or an absolute unix time such as 1700000000."
            )
        sign = -1 if m.group(1) == "-" else 1
        offset = float(m.group(2)) * _TIME_UNITS[m.group(3) or "s"]
        value = math.floor(now + sign * offset)
    if not 0 <= value <= MAX_NUMERIC_DATE:
        return problem(
            f"{_shown(text)!r} gives {value}, outside 1970 to 9999; a unix time is in seconds "
            "(not milliseconds)."
        )
    return value


def _shown(text: str) -> str:
    return text if len(text) <= MAX_TIME_SPEC else text[:MAX_TIME_SPEC] + "..."


def _time_claims(
    *, now: float | None, iat: bool | str, nbf: str | None, exp: str | None
) -> tuple[dict[str, int], list[SignProblem]]:
    wanted: dict[str, str] = {}
    if iat is True:
        wanted["iat"] = "now"
    elif isinstance(iat, str) and iat:
        wanted["iat"] = iat
    if nbf:
        wanted["nbf"] = nbf
    if exp:
        wanted["exp"] = exp
    if not wanted:
        return {}, []
    if now is None:
        raise TypeError("setting iat, nbf or exp needs now= (seconds since the epoch)")
    values: dict[str, int] = {}
    problems: list[SignProblem] = []
    for claim, spec in wanted.items():
        result = resolve_time(spec, now=now, claim=claim)
        if isinstance(result, SignProblem):
            problems.append(result)
        else:
            values[claim] = result
    return values, problems


def apply_times(
    payload_json: str,
    *,
    now: float,
    iat: bool | str = False,
    nbf: str | None = None,
    exp: str | None = None,
) -> JsonEdit:
    """Set ``iat``/``nbf``/``exp`` in the payload JSON text relative to ``now``; returns the
    new text (two-space indented) or the problems. ``iat=True`` means now."""
    payload, problems = check_json_object(payload_json, "payload")
    values, time_problems = _time_claims(now=now, iat=iat, nbf=nbf, exp=exp)
    all_problems = (*problems, *time_problems)
    if payload is None or all_problems:
        return JsonEdit(text=None, problems=all_problems)
    payload.update(values)
    return JsonEdit(
        text=json.dumps(payload, indent=2, ensure_ascii=False),
        values=MappingProxyType(values),
    )


# ------------------------------------------------------------------------------ encoding


def encode_segment(value: Mapping[str, Any]) -> str:
    """One compact JSON segment: no whitespace, UTF-8, members in the given order."""
    text = json.dumps(dict(value), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return b64url_encode(text.encode("utf-8"))


# ------------------------------------------------------------------------------ keys

#: Every algorithm the encoder signs with: the same table verification uses.
SIGNING_ALGORITHMS: tuple[str, ...] = tuple(ALGORITHMS)


@dataclass(frozen=True, slots=True, kw_only=True)
class SigningKey:
    """A key that can sign: a private key object, or the HMAC secret's bytes (``kty`` oct).

    ``kid``, ``alg``, ``use`` and ``key_ops`` come from a JWK (``None`` for PEM and secrets).
    ``public_text`` is set when the text was public-key material read as an HMAC secret (the
    algorithm-confusion attack), so the caller can say so.
    """

    kty: Literal["RSA", "EC", "OKP", "oct"]
    key: Any = field(repr=False)
    description: str
    crv: str | None = None
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None
    public_text: bool = False


def _key_problem(code: ProblemCode, message: str) -> SignProblem:
    return SignProblem(code=code, message=message, field="key")


def _from_loaded_jwk(loaded: LoadedJWK) -> SigningKey | None:
    if loaded.kty == "oct":
        key: Any = loaded.secret
        desc = f"{loaded.bits}-bit shared secret (oct JWK)"
    elif loaded.private is not None:
        key = loaded.private
        desc = f"{loaded.describe()} private key (JWK)"
    else:
        return None
    if loaded.kid is not None:
        desc += f", kid {loaded.kid!r}"
    return SigningKey(
        kty=loaded.kty,
        key=key,
        description=desc,
        crv=loaded.crv,
        kid=loaded.kid,
        alg=loaded.alg,
        use=loaded.use,
        key_ops=loaded.key_ops,
    )


def _private_pem(loaded: LoadedKey) -> SigningKey | SignProblem:
    """The private key that :func:`load_key` read (PEM in any armour, DER, OpenSSH)."""
    key: Any = loaded.private_key
    if key is None:  # pragma: no cover - load_key keeps the private key it read
        return _key_problem(
            "key-error", f"The private key ({loaded.description}) could not be read for signing."
        )
    kty: Literal["RSA", "EC", "OKP"]
    crv: str | None = None
    if isinstance(key, rsa.RSAPrivateKey):
        kty = "RSA"
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        kty, crv = "EC", EC_CURVE_NAMES.get(key.curve.name)
    elif isinstance(key, ed25519.Ed25519PrivateKey):
        kty, crv = "OKP", "Ed25519"
    elif isinstance(key, ed448.Ed448PrivateKey):
        kty, crv = "OKP", "Ed448"
    else:  # pragma: no cover - load_key refuses other key types first
        return _key_problem("key-error", f"A {type(key).__name__} cannot sign a JWS.")
    desc = describe_public(key.public_key())[0] + " private key (PEM)"
    return SigningKey(kty=kty, key=key, description=desc, crv=crv)


def _pick_from_set(
    loaded_set: LoadedKey, *, kid: str | None, alg: str | None
) -> SigningKey | SignProblem:
    usable: list[SigningKey] = []
    for cand in loaded_set.candidates:
        loaded = cand.loaded_jwk  # (as load_key read it; members it could not read have none)
        if loaded is None:
            continue
        key = _from_loaded_jwk(loaded)
        if key is not None:
            usable.append(key)
    if not usable:
        return _key_problem(
            "public-key",
            "The JWK Set holds no private key or secret, so nothing in it can sign. Use the "
            "private JWK (with 'd') or the secret.",
        )
    chosen = usable
    if kid is not None:
        chosen = [k for k in usable if k.kid == kid]
        if not chosen:
            return _key_problem(
                "key-error",
                f"No private key in the JWK Set has kid {kid!r} (the header's kid).",
            )
    if len(chosen) > 1 and alg is not None:
        fitting = [k for k in chosen if _fits(k, alg) is None]
        chosen = fitting or chosen
    if len(chosen) > 1:
        return _key_problem(
            "key-error",
            f"The JWK Set holds {len(chosen)} keys that could sign; put the kid of the one to "
            "use in the header.",
        )
    return chosen[0]


def read_signing_key(
    text: str,
    *,
    alg: str | None = None,
    kid: str | None = None,
    secret_encoding: str = "utf-8",
) -> SigningKey | SignProblem:
    """Read the key to sign with from pasted text: a private PEM (PKCS#8, PKCS#1, SEC1,
    OpenSSH), a private JWK, an ``oct`` JWK, a JWK Set (picked by ``kid``, else by ``alg``),
    or else an HMAC secret written in ``secret_encoding``.

    Public keys cannot sign: they give a ``public-key`` problem, except for an ``HS*`` ``alg``,
    where the public key's text itself becomes the HMAC secret (the algorithm-confusion attack,
    flagged by ``public_text``). Never raises.
    """
    if not text.strip():
        return _key_problem("missing-key", "No signing key: enter a secret, a PEM or a JWK.")
    loaded = load_key(text, secret_encoding)
    hmac_alg = alg is not None and alg in ALGORITHMS and ALGORITHMS[alg].family == "HMAC"
    if loaded.kind in ("pem-public", "certificate", "ssh-public") and hmac_alg:
        if loaded.error is None:
            try:
                public_text = text.encode("utf-8")
            except UnicodeEncodeError:
                return _key_problem(
                    "key-error", "The key text has a lone surrogate, which has no UTF-8 bytes."
                )
            return SigningKey(
                kty="oct",
                key=public_text,
                description=f"the text of a public key ({loaded.description}) as HMAC secret",
                public_text=True,
            )
    if loaded.error is not None:
        if loaded.kind == "pem-private" and loaded.description == "encrypted private key":
            return _key_problem(
                "key-error",
                "The private key is encrypted (passphrase-protected); the inspector does not "
                "ask for passphrases. Decrypt a copy first (for example: openssl pkey -in "
                "key.pem -out plain.pem) or paste the key as a JWK.",
            )
        return _key_problem("key-error", loaded.error)
    if loaded.kind == "secret":
        secret = loaded.candidates[0].key
        if not secret:
            return _key_problem("missing-key", "The secret is empty.")
        return SigningKey(kty="oct", key=secret, description=loaded.description)
    if loaded.kind == "pem-private":
        return _private_pem(loaded)
    if loaded.kind == "jwk" and loaded.candidates[0].loaded_jwk is not None:
        # The JWK as load_key read it (the text may be wrapped: a BOM, quotes, brackets).
        jwk = loaded.candidates[0].loaded_jwk
        key = _from_loaded_jwk(jwk)
        if key is None:
            return _key_problem(
                "public-key",
                f"The JWK is a public key ({jwk.describe()}); signing needs the private JWK "
                "(with 'd').",
            )
        return key
    if loaded.kind == "jwks":
        return _pick_from_set(loaded, kid=kid, alg=alg)
    return _key_problem(
        "public-key",
        f"The key is a public key ({loaded.description}); signing needs the private key.",
    )


def infer_alg(key: SigningKey) -> str:
    """The algorithm a key signs with when nothing else says: the JWK's ``alg``, else HS256,
    RS256, the curve's ES algorithm, or EdDSA."""
    if key.alg in ALGORITHMS:
        return str(key.alg)
    if key.kty == "oct":
        return "HS256"
    if key.kty == "RSA":
        return "RS256"
    if key.kty == "EC":
        return {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512", "secp256k1": "ES256K"}.get(
            key.crv or "", "ES256"
        )
    return "EdDSA"


def _fits(key: SigningKey, alg: str) -> str | None:
    """Why ``key`` cannot sign ``alg``, or ``None``."""
    spec = ALGORITHMS[alg]
    if key.kty != spec.key_type:
        need = {
            "oct": "a shared secret",
            "RSA": "an RSA private key",
            "EC": f"an EC {spec.curves[0] if spec.curves else ''} private key",
            "OKP": f"an {' or '.join(spec.curves)} private key",
        }[spec.key_type]
        return f"{alg} needs {need}, but the key is {key.description}."
    if spec.curves and key.crv not in spec.curves:
        return f"{alg} needs a {' or '.join(spec.curves)} key, but the key is {key.description}."
    if key.alg is not None and key.alg != alg:
        return f"The JWK says it is for alg {key.alg!r}, not {alg} (RFC 7517 §4.4)."
    if key.use is not None and key.use != "sig":
        return f"The JWK's use is {key.use!r}: it is not a signing key (RFC 7517 §4.2)."
    if key.key_ops is not None and "sign" not in key.key_ops:
        return "The JWK's key_ops do not include 'sign' (RFC 7517 §4.3)."
    return None


# ------------------------------------------------------------------------------ signing

DEFAULT_HEADER_JSON = '{\n  "alg": "HS256",\n  "typ": "JWT"\n}'
DEFAULT_PAYLOAD_JSON = '{\n  "sub": "1234567890",\n  "name": "Jane Doe"\n}'


def _is_none(alg: str) -> bool:
    return alg.lower() == NONE_ALG


def sign_token(
    header_json: str,
    payload_json: str,
    key_text: str | None,
    *,
    alg: str | None = None,
    secret_encoding: str = "utf-8",
    allow_unsecured: bool = False,
    kid: str | None = None,
    now: float | None = None,
    iat: bool | str = False,
    nbf: str | None = None,
    exp: str | None = None,
) -> SignResult:
    """Encode ``header_json`` and ``payload_json`` into a compact JWS signed with ``key_text``.

    ``alg`` overrides the header's ``alg``; without either it is inferred from the key. ``kid``
    overrides the header's; without either the key's JWK ``kid`` is used. ``iat``/``nbf``/
    ``exp`` are time specifications for :func:`resolve_time` and need ``now`` (``iat=True``
    means now). ``alg: none`` (any case) is refused unless ``allow_unsecured``. Never raises
    for bad input; every problem found is in the result.
    """
    problems: list[SignProblem] = []
    notes: list[str] = []
    header, header_problems = check_json_object(header_json, "header")
    payload, payload_problems = check_json_object(payload_json, "payload")
    problems += header_problems + payload_problems
    times, time_problems = _time_claims(now=now, iat=iat, nbf=nbf, exp=exp)
    problems += time_problems
    if header is not None:
        for name in ("alg", "kid"):
            if name in header and not isinstance(header[name], str):
                problems.append(
                    SignProblem(
                        code="bad-header-member",
                        message=f"The header's {name!r} must be a string.",
                        field="header",
                    )
                )
        if header.get("b64") is False:
            problems.append(
                SignProblem(
                    code="bad-header-member",
                    message='The header\'s "b64": false (RFC 7797 unencoded payload) is not '
                    "supported by the encoder; remove it.",
                    field="header",
                )
            )
    if problems or header is None or payload is None:
        return SignResult(token=None, problems=tuple(problems))
    payload.update(times)
    header_alg = header.get("alg")
    chosen = alg if alg else header_alg
    if kid is not None:
        header["kid"] = kid

    if isinstance(chosen, str) and _is_none(chosen):
        if not allow_unsecured:
            return SignResult(
                token=None,
                problems=(
                    SignProblem(
                        code="unsecured-refused",
                        message="alg 'none' makes an unsecured token that anyone can forge. "
                        "It is only made when asked for explicitly (the 'unsecured' attack-tool "
                        "option, or --none).",
                        field="alg",
                    ),
                ),
            )
        header["alg"] = chosen
        if key_text and key_text.strip():
            notes.append("The key was not used: an unsecured token has no signature.")
        notes.append("Unsecured token (alg none): for testing that servers reject it.")
        return _finish(header, payload, None, chosen, notes)
    if chosen is not None and chosen not in ALGORITHMS:
        return SignResult(
            token=None,
            problems=(
                SignProblem(
                    code="unsupported-alg",
                    message=f"Unknown algorithm {chosen!r}; choose one of "
                    f"{', '.join(SIGNING_ALGORITHMS)} (names are case-sensitive).",
                    field="alg",
                ),
            ),
        )
    header_kid = header.get("kid")
    key = read_signing_key(
        key_text or "",
        alg=chosen,
        kid=header_kid if isinstance(header_kid, str) else None,
        secret_encoding=secret_encoding,
    )
    if isinstance(key, SignProblem):
        return SignResult(token=None, problems=(key,))
    if chosen is None:
        chosen = infer_alg(key)
        notes.append(f"alg {chosen} chosen to fit the key ({key.description}).")
    why = _fits(key, chosen)
    if why is not None:
        return SignResult(
            token=None,
            problems=(_key_problem("key-alg-mismatch", why),),
        )
    header["alg"] = chosen
    if key.kid is not None and "kid" not in header:
        header["kid"] = key.kid
        notes.append(f"kid {key.kid!r} taken from the key.")
    if key.public_text:
        notes.append(
            "Algorithm-confusion attack: the public key's text was used as the HMAC secret "
            "(CVE-2016-10555). Only a broken verifier accepts this token."
        )
    if key.kty == "oct" and len(key.key) < ALGORITHMS[chosen].hash_bytes:
        notes.append(
            f"The secret is {len(key.key)} bytes, shorter than the {chosen} hash "
            f"({ALGORITHMS[chosen].hash_bytes} bytes): it can be brute-forced (RFC 7518 §3.2)."
        )
    return _finish(header, payload, key, chosen, notes)


def _finish(
    header: dict[str, Any],
    payload: dict[str, Any],
    key: SigningKey | None,
    alg: str,
    notes: list[str],
) -> SignResult:
    # Put alg first, as readers expect; keep every other member where the user wrote it.
    ordered = {"alg": header.pop("alg"), **header}
    signing_input = encode_segment(ordered) + "." + encode_segment(payload)
    signature = b""
    if key is not None:
        try:
            signature = sign(alg, key.key, signing_input.encode("ascii"))
        except ValueError as err:
            return SignResult(
                token=None,
                alg=alg,
                problems=(_key_problem("key-alg-mismatch", f"The key cannot sign {alg}: {err}."),),
            )
    return SignResult(
        token=signing_input + "." + b64url_encode(signature),
        alg=alg,
        header=ordered,
        payload=payload,
        notes=tuple(notes),
    )


def sign_signing_input(
    signing_input: bytes,
    key_text: str,
    *,
    alg: str,
    secret_encoding: str = "utf-8",
) -> bytes | SignProblem:
    """The raw JWS signature of exactly ``signing_input`` (``BASE64URL(header) "."
    BASE64URL(payload)`` as bytes): for re-signing a token without re-encoding its JSON."""
    if alg not in ALGORITHMS:
        return SignProblem(
            code="unsupported-alg", message=f"Unknown algorithm {alg!r}.", field="alg"
        )
    key = read_signing_key(key_text, alg=alg, secret_encoding=secret_encoding)
    if isinstance(key, SignProblem):
        return key
    why = _fits(key, alg)
    if why is not None:
        return _key_problem("key-alg-mismatch", why)
    try:
        return sign(alg, key.key, signing_input)
    except ValueError as err:
        return _key_problem("key-alg-mismatch", f"The key cannot sign {alg}: {err}.")


def editable_json(value: Any) -> str:
    """A decoded header or payload as the editor shows it (two-space indented JSON; a
    non-JSON payload string as it is)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False)
