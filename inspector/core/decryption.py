"""Decrypting a JWE (RFC 7516 §5.2) with the key a person gave: :func:`decrypt_token`.

The key decides, as for signatures: the token's ``alg``/``enc`` must fit the key (its type,
curve, size, and a JWK's own ``alg``, ``use`` and ``key_ops``), and a JWK Set is narrowed by
the token's ``kid`` and ``use: enc``. Keys are read by the one key reader,
:func:`inspector.core.keys.load_key`; only what it does not read because no JWS uses it (an
X25519 or X448 key, which only agrees keys) is read here, with the same JWK member checks.

The cryptography itself is :mod:`inspector.core.jwa_encryption`. This module checks what can
be checked without a key first (a ``p2c`` of a billion, an IV of the wrong length, an unknown
``enc``), so a hostile token costs nothing, and turns every outcome into a
:class:`~inspector.core.model.Decryption` with findings from the catalogue. A token that does
not decrypt never shows a payload, and the reason for a failed decryption never says which
check failed (see :class:`~inspector.core.jwa_encryption.AuthenticationError`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from inspector.core.b64 import decode_b64url
from inspector.core.findings import Finding, finding
from inspector.core.jsontext import decode_utf8, parse_json
from inspector.core.jwa_encryption import (
    CONTENT_ENCRYPTION,
    ECDH_OKP_CURVES,
    KEY_MANAGEMENT,
    MIN_PBES2_COUNT,
    AuthenticationError,
    ContentAlg,
    DecryptionError,
    KeyAlg,
    KeyMisfitError,
    MalformedError,
    agreement_curve,
    inflate,
    pbes2_count,
)
from inspector.core.jwk import JWKError, b64url_member
from inspector.core.keys import KEY_CACHE_SIZE, MAX_KEY_TEXT, load_key, normalise_key_text
from inspector.core.lazy_crypto import unsupported_algorithm
from inspector.core.model import Decryption, ParsedToken
from inspector.core.options import InspectOptions

#: At most this many keys of a JWK Set are tried when the token names no ``kid`` and several
#: fit (each try may cost an RSA private-key operation or a PBES2 derivation).
MAX_KEYS_TRIED = 8
#: ``crit`` extensions the decrypter understands (none: RFC 7516 §4.1.13 says to refuse).
UNDERSTOOD_CRIT: frozenset[str] = frozenset()

NO_KEY_REASON = "No key given: enter the recipient's key to decrypt the token."


@dataclass(frozen=True, slots=True)
class DecryptionKey:
    """One key that may decrypt: a private key object, or secret bytes (an AES key, a
    ``dir`` key or a PBES2 password). Never shown in a repr."""

    key: Any
    description: str
    kty: str
    kid: str | None = None
    alg: str | None = None
    use: str | None = None
    key_ops: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class DecryptionKeys:
    """What the key text holds for decryption, or why nothing (``error``)."""

    keys: tuple[DecryptionKey, ...] = ()
    error: str | None = None
    findings: tuple[Finding, ...] = ()


def decrypt_with(parsed: ParsedToken, options: InspectOptions) -> Decryption | None:
    """:func:`decrypt_token` with the settings as one value: ``decryption_key``, else
    ``key``. ``None`` for a token that is not a JWE. Never raises."""
    if parsed.format != "jwe":
        return None
    text = options.decryption_key if options.decryption_key is not None else options.key
    return decrypt_token(parsed, text, secret_encoding=options.secret_encoding)


def decrypt_token(
    parsed: ParsedToken, key_text: str | None, *, secret_encoding: str = "utf-8"
) -> Decryption:
    """Decrypt the JWE ``parsed`` with ``key_text``; never raises."""
    header = joint_header(parsed)
    alg = header.get("alg") if isinstance(header.get("alg"), str) else None
    enc = header.get("enc") if isinstance(header.get("enc"), str) else None
    early = header_findings(header)
    done = _Result(alg, enc, early)
    if key_text is None or not key_text.strip():
        return done.unchecked(NO_KEY_REASON)
    try:
        spec, content, segments = _shape(parsed, header, alg, enc)
    except DecryptionError as err:
        return done.failed(err)
    read = read_decryption_keys(key_text, secret_encoding)
    done.findings.extend(read.findings)
    if read.error is not None:
        done.findings.append(finding("key-error", read.error))
        return done.error(read.error)
    try:
        usable = _choose(read.keys, header, spec, content)
    except DecryptionError as err:
        return done.failed(err)
    aad = parsed.parts[0] if parsed.jwe_aad is None else f"{parsed.parts[0]}.{parsed.jwe_aad}"
    return _decrypt(done, usable, spec, content, header, segments, aad)


def joint_header(parsed: ParsedToken) -> dict[str, Any]:
    """The JOSE header that decides (RFC 7516 §7.2.1): the protected header, with a JSON
    serialization's unprotected members beside it (:func:`_shape` checks that the two do
    not share a name)."""
    protected = parsed.unverified_header or {}
    unprotected = parsed.unprotected_header
    if not unprotected:
        return protected
    return {**unprotected, **protected}


def header_findings(header: Mapping[str, Any]) -> list[Finding]:
    """What the header alone says about the encryption's strength (no key needed)."""
    out: list[Finding] = []
    alg = header.get("alg")
    if alg == "RSA1_5":
        out.append(
            finding(
                "jwe-rsa1-5",
                "The content key is encrypted with RSA1_5 (RSAES-PKCS1-v1_5).",
                "/header/alg",
            )
        )
    if isinstance(alg, str) and alg.startswith("PBES2-"):
        p2c = header.get("p2c")
        if type(p2c) is int and 1 <= p2c < MIN_PBES2_COUNT:
            out.append(
                finding(
                    "jwe-pbes2-low-count",
                    f"The password is stretched with only {p2c:,} PBKDF2 iterations (p2c); "
                    f"at least {MIN_PBES2_COUNT:,} are recommended.",
                    "/header/p2c",
                )
            )
    return out


class _Result:
    """The :class:`Decryption` being made: algorithm names and the findings so far."""

    def __init__(self, alg: str | None, enc: str | None, findings: list[Finding]) -> None:
        self.alg = alg
        self.enc = enc
        self.findings = findings
        self.key: str | None = None

    def _make(self, status: Any, reason: str, plaintext: bytes | None = None) -> Decryption:
        return Decryption(
            status=status,
            algorithm=self.alg,
            encryption=self.enc,
            key=self.key,
            reason=reason,
            plaintext=plaintext,
            findings=tuple(self.findings),
        )

    def unchecked(self, reason: str) -> Decryption:
        return self._make("unchecked", reason)

    def error(self, reason: str) -> Decryption:
        return self._make("error", reason)

    def failed(self, err: DecryptionError) -> Decryption:
        reason = err.message.rstrip(".") + "."
        self.findings.append(finding(err.finding_id, reason, err.location))
        return self._make("failed", reason)

    def decrypted(self, plaintext: bytes, reason: str) -> Decryption:
        return self._make("decrypted", reason, plaintext)


def _shape(
    parsed: ParsedToken, header: Mapping[str, Any], alg: str | None, enc: str | None
) -> tuple[KeyAlg, ContentAlg, tuple[bytes, bytes, bytes, bytes]]:
    """Everything checked before a key is touched: the algorithms, ``crit``, ``zip``, the
    PBES2 count, and the segments' sizes."""
    if parsed.unverified_header is None or len(parsed.parts) != 5:
        raise MalformedError("The token's header cannot be read, so it cannot be decrypted.")
    unprotected = parsed.unprotected_header or {}
    both = sorted(set(unprotected) & set(parsed.unverified_header))
    if both:
        raise MalformedError(
            f"The header parameter {both[0]!r} is both protected and unprotected; RFC 7516 "
            "§7.2.1 requires them disjoint (which one counts is how a token is made to "
            "mean two things)."
        )
    for name in ("zip", "crit"):
        if name in unprotected:
            raise MalformedError(
                f"'{name}' is in the unprotected header; it must be integrity protected "
                "(RFC 7516 §4.1.3, §4.1.13).",
                f"/header/{name}",
            )
    spec = KEY_MANAGEMENT.get(alg or "")
    if spec is None:
        raise _unsupported(
            f"The header's alg {header.get('alg')!r} is not a JWE key-management algorithm "
            f"the inspector knows ({', '.join(KEY_MANAGEMENT)})."
        )
    content = CONTENT_ENCRYPTION.get(enc or "")
    if content is None:
        raise _unsupported(
            f"The header's enc {header.get('enc')!r} is not a JWE content encryption the "
            f"inspector knows ({', '.join(CONTENT_ENCRYPTION)})."
        )
    zip_ = header.get("zip")
    if zip_ is not None and zip_ != "DEF":
        raise _unsupported(f"The header's zip {zip_!r} is not 'DEF', the only one defined.")
    crit = header.get("crit")
    if crit is not None:
        unknown = (
            [c for c in crit if c not in UNDERSTOOD_CRIT] if isinstance(crit, list) else [crit]
        )
        if unknown or not crit:
            raise _unsupported(
                f"The header's crit {crit!r} lists extensions the inspector does not "
                "understand, so it must not decrypt the token (RFC 7516 §4.1.13)."
            )
    if spec.family == "PBES2":
        pbes2_count(header)  # refused here, before any work, when it is absurd
    decoded: list[bytes] = []
    for i, name in enumerate(("encrypted key", "iv", "ciphertext", "tag"), start=1):
        segment = parsed.segments[i] if i < len(parsed.segments) else None
        if len(parsed.encrypted) == 4:
            data = parsed.encrypted[i - 1]
        else:
            data, _ = decode_b64url(parsed.parts[i], name)
        if data is None or (segment is not None and segment.error is not None):
            raise MalformedError(f"The {name} segment is not valid base64url.")
        decoded.append(data)
    ek, iv, ct, tag = decoded
    if len(iv) != content.iv_bytes:
        raise MalformedError(
            f"The IV is {len(iv)} bytes; {content.name} needs exactly {content.iv_bytes}."
        )
    if len(tag) != content.tag_bytes:
        raise MalformedError(
            f"The authentication tag is {len(tag)} bytes; {content.name} needs exactly "
            f"{content.tag_bytes} (a cut or padded tag is never accepted)."
        )
    if not parsed.parts[0].isascii() or not (parsed.jwe_aad or "").isascii():
        raise MalformedError("The header segment is not ASCII, so it cannot be authenticated.")
    return spec, content, (ek, iv, ct, tag)


def _unsupported(message: str) -> DecryptionError:
    err = DecryptionError(message, "/header/alg")
    err.finding_id = "jwe-unsupported-alg"
    return err


def _key_type(key: Any) -> str:
    if isinstance(key, bytes):
        return "oct"
    if agreement_curve(key) is not None:
        return "EC/OKP"
    from cryptography.hazmat.primitives.asymmetric import rsa

    if isinstance(key, rsa.RSAPrivateKey):
        return "RSA"
    return type(key).__name__


def _misfit(k: DecryptionKey, spec: KeyAlg, content: ContentAlg) -> str | None:
    """Why ``k`` may not decrypt with ``spec``/``content``, or ``None``."""
    allowed = {spec.name, content.name} if spec.family == "dir" else {spec.name}
    if k.alg is not None and k.alg not in allowed:
        return (
            f"The key ({k.description}) declares alg {k.alg!r}; the token's is "
            f"{spec.name!r}, and a key is used with its own algorithm only (RFC 7517 §4.4)."
        )
    if k.use is not None and k.use != "enc":
        return f"The key ({k.description}) declares use {k.use!r}, not 'enc'."
    if k.key_ops is not None:
        wanted = {"decrypt"} if spec.family == "dir" else {"unwrapKey", "deriveKey", "decrypt"}
        if not wanted & set(k.key_ops):
            return (
                f"The key ({k.description}) lists key_ops {list(k.key_ops)}, none of which "
                "is for decryption."
            )
    want = "oct" if spec.kty == "password" else spec.kty
    if k.kty != want:
        what = {
            "oct": "a shared secret",
            "RSA": "an RSA private key",
            "EC/OKP": "an EC or X25519/X448 private key",
        }
        needs = "a password" if spec.kty == "password" else what.get(want, want)
        return f"alg {spec.name} needs {needs}; the key given is the {k.description}."
    return None


def _choose(
    keys: Sequence[DecryptionKey], header: Mapping[str, Any], spec: KeyAlg, content: ContentAlg
) -> list[DecryptionKey]:
    """The keys that may decrypt this token, the token's ``kid`` first; raises
    :class:`KeyMisfitError` saying why none may."""
    kid = header.get("kid")
    pool = list(keys)
    if isinstance(kid, str) and any(k.kid is not None for k in pool):
        named = [k for k in pool if k.kid == kid]
        if not named:
            kids = ", ".join(repr(k.kid) for k in pool if k.kid is not None)
            raise KeyMisfitError(
                f"The token names kid {kid!r}; no key given has it (kids: {kids})."
            )
        pool = named
    fitting = []
    first_problem: str | None = None
    for k in pool:
        problem = _misfit(k, spec, content)
        if problem is None:
            fitting.append(k)
        elif first_problem is None:
            first_problem = problem
    if not fitting:
        raise KeyMisfitError(first_problem or "No key given fits the token.")
    return fitting[:MAX_KEYS_TRIED]


def _decrypt(
    done: _Result,
    keys: list[DecryptionKey],
    spec: KeyAlg,
    content: ContentAlg,
    header: Mapping[str, Any],
    segments: tuple[bytes, bytes, bytes, bytes],
    protected: str,
) -> Decryption:
    ek, iv, ct, tag = segments
    aad = protected.encode("ascii")
    assert spec.unwrap is not None  # every table entry has one
    for k in keys:
        done.key = k.description
        try:
            cek = spec.unwrap(spec, k.key, header, ek, content)
            plaintext = content.decrypt(content, cek, iv, ct, tag, aad)
        except AuthenticationError:
            continue
        except DecryptionError as err:
            return done.failed(err)
        except (ValueError, TypeError, OverflowError, unsupported_algorithm()) as err:
            # A third-party surprise: reported without the library's words.
            return done.failed(
                MalformedError(f"The token could not be decrypted ({type(err).__name__}).")
            )
        if header.get("zip") == "DEF":
            try:
                plaintext = inflate(plaintext)
            except DecryptionError as err:
                return done.failed(err)
        return done.decrypted(
            plaintext,
            f"Decrypted with {k.description}: the content authenticated ({spec.name}, "
            f"{content.name}).",
        )
    if len(keys) > 1:
        done.key = f"{len(keys)} keys tried"
    return done.failed(AuthenticationError())


# ------------------------------------------------------------------------------- keys


def read_decryption_keys(text: str, secret_encoding: str = "utf-8") -> DecryptionKeys:
    """The keys in ``text`` that can decrypt: private keys (PEM, JWK, JWK Set members) and
    secrets (a shared secret in ``secret_encoding``, an ``oct`` JWK). Never raises; cached
    by (text, encoding) like :func:`load_key` (reading an RSA private key checks it, which
    takes milliseconds)."""
    if not isinstance(text, str) or not isinstance(secret_encoding, str):
        return DecryptionKeys(error="The key must be text.")
    return _read_cached(text, secret_encoding)


@lru_cache(maxsize=KEY_CACHE_SIZE)
def _read_cached(text: str, secret_encoding: str) -> DecryptionKeys:
    loaded = load_key(text, secret_encoding)
    keys: list[DecryptionKey] = []
    public_only: str | None = None
    if loaded.error is None:
        if loaded.kind == "secret":
            cand = loaded.candidates[0]
            keys.append(DecryptionKey(cand.key, cand.description, "oct"))
        elif loaded.kind in ("jwk", "jwks"):
            for cand in loaded.candidates:
                lj = cand.loaded_jwk
                if lj is None:
                    continue
                common: dict[str, Any] = {
                    "kid": lj.kid,
                    "alg": lj.alg,
                    "use": lj.use,
                    "key_ops": lj.key_ops,
                }
                kid = f", kid {lj.kid!r}" if lj.kid is not None else ""
                if lj.kty == "oct" and lj.secret is not None:
                    desc = f"{lj.bits}-bit shared secret (oct JWK){kid}"
                    keys.append(DecryptionKey(lj.secret, desc, "oct", **common))
                elif lj.private is not None:
                    desc = f"{lj.describe()} private key (JWK){kid}"
                    keys.append(DecryptionKey(lj.private, desc, _key_type(lj.private), **common))
                else:
                    public_only = public_only or f"{lj.describe()} public key (JWK){kid}"
        elif loaded.private_key is not None:
            priv = loaded.private_key
            desc = loaded.description.split(" public key")[0] + " private key"
            keys.append(DecryptionKey(priv, desc, _key_type(priv)))
        else:
            public_only = loaded.description
    keys.extend(_agreement_keys(text, pem=loaded.error is not None))
    if keys:
        return DecryptionKeys(keys=tuple(keys))
    if public_only is not None:
        return DecryptionKeys(
            error=f"The key is a public key ({public_only}); decrypting needs the "
            "recipient's private key (or the shared secret)."
        )
    if loaded.error is not None:
        return DecryptionKeys(error=loaded.error)
    return DecryptionKeys(error="The key text holds no key that can decrypt.")


def _agreement_keys(text: str, *, pem: bool) -> list[DecryptionKey]:
    """X25519/X448 private keys (OKP JWKs, JWK Set members, PEM), which :func:`load_key`
    refuses because no signature uses them; ECDH-ES does. A PEM text is read again only when
    ``load_key`` could not read it (``pem``)."""
    if len(text) > MAX_KEY_TEXT:
        return []
    norm = normalise_key_text(text)
    if norm.startswith(("{", "[")):
        try:
            doc = json.loads(norm)
        except (ValueError, RecursionError):
            return []
        members: list[Any] = [doc]
        if isinstance(doc, dict) and isinstance(doc.get("keys"), list):
            members = doc["keys"]
        elif isinstance(doc, list):
            members = doc
        return [k for m in members if (k := _okp_agreement_jwk(m)) is not None]
    if pem and "PRIVATE KEY" in norm:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        try:
            priv = load_pem_private_key(norm.encode("utf-8"), None)
        except (ValueError, TypeError, UnicodeEncodeError, unsupported_algorithm()):
            return []
        crv = agreement_curve(priv)
        if crv in ECDH_OKP_CURVES:
            return [DecryptionKey(priv, f"{crv} private key (PEM)", "EC/OKP")]
    return []


def _okp_agreement_jwk(jwk: Any) -> DecryptionKey | None:
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP":
        return None
    crv = jwk.get("crv")
    if not isinstance(crv, str) or crv not in ECDH_OKP_CURVES or "d" not in jwk:
        return None
    from cryptography.hazmat.primitives.asymmetric import x448, x25519

    try:
        d = b64url_member(jwk, "d")
        x = b64url_member(jwk, "x")
        size = ECDH_OKP_CURVES[crv]
        if d is None or x is None or len(d) != size or len(x) != size:
            return None
        cls: Any = x25519.X25519PrivateKey if crv == "X25519" else x448.X448PrivateKey
        priv = cls.from_private_bytes(d)
        if priv.public_key().public_bytes_raw() != x:
            return None
    except (JWKError, ValueError, TypeError):
        return None
    kid = jwk.get("kid") if isinstance(jwk.get("kid"), str) else None
    ops = jwk.get("key_ops")
    return DecryptionKey(
        priv,
        f"{crv} private key (JWK)" + (f", kid {kid!r}" if kid else ""),
        "EC/OKP",
        kid=kid,
        alg=jwk.get("alg") if isinstance(jwk.get("alg"), str) else None,
        use=jwk.get("use") if isinstance(jwk.get("use"), str) else None,
        key_ops=tuple(o for o in ops if isinstance(o, str)) if isinstance(ops, list) else None,
    )


# ------------------------------------------------------------------------------- plaintext


def with_plaintext(parsed: ParsedToken, plaintext: bytes) -> ParsedToken:
    """``parsed`` with the decrypted content as its payload: a JSON object when it is one,
    else its text (a nested compact token stays text, and is inspected on its own)."""
    found: list[Finding] = []
    text, issues = decode_utf8(plaintext, "payload")
    found.extend(finding(i.id, i.detail) for i in issues)
    stripped = plaintext.strip()
    payload: dict[str, Any] | str
    if stripped.startswith(b"eyJ") and stripped.count(b".") in (2, 4):
        found.append(
            finding(
                "nested-token",
                "The decrypted payload is itself a JWT; it is inspected as the nested token, "
                "verified with the verification key (never with a key the token carries).",
                "/payload",
            )
        )
        payload = text
    else:
        value, ok, json_issues = parse_json(text, "payload") if text else (None, False, [])
        for issue in json_issues:
            if issue.id != "not-json":
                found.append(finding(issue.id, issue.detail))
        payload = value if ok and isinstance(value, dict) else text
    return replace(
        parsed,
        unverified_payload=payload,
        payload_bytes=plaintext,
        findings=(*parsed.findings, *found),
    )


def nested_text(parsed: ParsedToken) -> str | None:
    """The compact token a payload holds (a decrypted JWE's, or a JWS's), or ``None``."""
    payload = parsed.unverified_payload
    if not isinstance(payload, str) or parsed.format not in ("jws", "jwe"):
        return None
    inner = payload.strip()
    if inner.startswith("eyJ") and inner.count(".") in (2, 4):
        return inner
    return None
