"""SD-JWT (RFC 9901), compact serialization: ``<issuer-signed JWT>~<disclosure>~...~[<KB-JWT>]``.
A format handler (:class:`inspector.core.parsing.FormatHandler`), asked before compact JWS.

The issuer-signed JWT is parsed and verified exactly as any compact JWS (the parsed token's
``parts`` are its three segments, so its signing input is what the issuer signed; the format
is ``"sd-jwt"``, which verification judges as a JWS, or ``"unsecured"``). What follows it is
kept on :attr:`ParsedToken.sd_jwt <inspector.core.model.ParsedToken.sd_jwt>`:

- each disclosure decoded (base64url, then a JSON array ``[salt, name, value]`` for an object
  property or ``[salt, value]`` for an array element), with where it stands in the user's own
  text; a malformed one is a finding and an underlined segment, never an exception;
- its digest under the payload's ``_sd_alg`` (default ``sha-256``), matched against the
  ``_sd`` arrays and ``{"...": digest}`` array elements of the payload and of other
  disclosures (RFC 9901 §7.1): a disclosure whose digest is referenced nowhere is forged or
  foreign and does not enter ``disclosed_payload``;
- the key-binding JWT, if any, decoded; its status stays ``"unchecked"`` here and is judged
  by :mod:`inspector.core.key_binding` once the facade has the options (the ``cnf`` key,
  ``sd_hash``, ``iat``, expected ``aud`` and ``nonce``).

The issuer's signature covers the digests, not the disclosures: a disclosure is trustworthy
only when its digest is in a payload whose signature verified.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from inspector.core.b64 import b64url_encode, decode_b64url
from inspector.core.findings import Finding, finding, json_pointer
from inspector.core.jsontext import decode_utf8, parse_json
from inspector.core.lazy_re import LazyPattern
from inspector.core.model import Segment

if TYPE_CHECKING:
    from inspector.core.model import ParsedToken
    from inspector.core.parsing import TokenReader

    # Re-exported for type checkers (at run time, __getattr__ below gives them).
    from inspector.core.sdjwt_values import Disclosure as Disclosure
    from inspector.core.sdjwt_values import KeyBinding as KeyBinding
    from inspector.core.sdjwt_values import SdJwt as SdJwt

#: Disclosures beyond this many are not decoded (one finding says how many were left): real
#: presentations carry tens; a paste of a million '~' must not make a million records.
MAX_DISCLOSURES = 1_000
#: Malformed disclosures reported one by one; the rest are counted in one more finding.
MAX_REPORTED = 20
#: How deep disclosures may nest inside disclosures (and JSON inside them) while the payload
#: is rebuilt; deeper is reported and left as it is, never a RecursionError.
MAX_NESTING = 100
#: Characters of a malformed disclosure's text shown in its finding.
SHOWN = 60
#: The hash names of the IANA "Named Information Hash Algorithm" registry an SD-JWT may name
#: in ``_sd_alg`` (RFC 9901 §4.1.1), and the hashlib function for each.
HASH_ALGORITHMS: dict[str, Callable[[bytes], Any]] = {
    "sha-256": hashlib.sha256,
    "sha-384": hashlib.sha384,
    "sha-512": hashlib.sha512,
    "sha3-256": hashlib.sha3_256,
    "sha3-384": hashlib.sha3_384,
    "sha3-512": hashlib.sha3_512,
}
#: Claim names a disclosure must never carry (RFC 9901 §4.2.1).
RESERVED_NAMES = frozenset({"_sd", "..."})
_BASE64URL = LazyPattern(r"[A-Za-z0-9_-]*")

KeyBindingStatus = Literal["valid", "invalid", "unchecked", "absent"]


#: The values (in :mod:`inspector.core.sdjwt_values`) that this module's callers import from it.
_VALUES = frozenset({"Disclosure", "KeyBinding", "SdJwt"})


def __getattr__(name: str) -> Any:
    """``inspector.core.sdjwt.SdJwt`` and the other values, imported when first asked for
    (PEP 562): most tokens are no SD-JWT, and importing the codec need not build them."""
    if name in _VALUES:
        from inspector.core import sdjwt_values

        return getattr(sdjwt_values, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def split_sd_jwt(token: str) -> tuple[str, list[tuple[int, str]], tuple[int, str]] | None:
    """``(issuer JWT, [(offset, disclosure)...], (offset, KB-JWT or ""))`` when ``token`` has
    the shape of a compact SD-JWT (an issuer JWT of three segments, then '~'-terminated
    disclosures, then nothing or a three-segment KB-JWT), else ``None``. Offsets are into
    ``token``; linear time."""
    first = token.find("~")
    if first < 0 or token.count(".", 0, first) != 2:
        return None
    last = token.rfind("~")
    tail = token[last + 1 :]
    if tail and tail.count(".") != 2:
        return None
    pieces: list[tuple[int, str]] = []
    pos = first + 1
    while pos <= last:
        nxt = token.find("~", pos)
        pieces.append((pos, token[pos:nxt]))
        pos = nxt + 1
    return token[:first], pieces, (last + 1, tail)


class SdJwtCompact:
    """``<JWT>~<disclosure>~...~[<KB-JWT>]`` (RFC 9901 §4)."""

    name = "sd-jwt"

    def accepts(self, token: str, segments: int) -> bool:
        return "~" in token and split_sd_jwt(token) is not None

    def parse(self, reader: TokenReader, parts: list[str], errors: dict[int, str]) -> ParsedToken:
        split = split_sd_jwt(reader.token)
        if split is None:  # pragma: no cover - accepts() said yes
            return reader.parse_jws(parts, errors)
        issuer, pieces, (kb_off, kb_text) = split
        parsed = reader.parse_jws(issuer.split("."), errors)
        return _with_sd_jwt(reader, parsed, issuer, pieces, kb_off, kb_text)


def _span(reader: TokenReader, start: int, end: int) -> tuple[int, int]:
    return reader.ex.original_span(start, end)


def _decode_disclosure(
    index: int, text: str, start: int, end: int, hasher: Callable[[bytes], Any] | None
) -> Disclosure:
    """One disclosure decoded, or with ``error`` saying what is wrong with it."""
    from inspector.core.sdjwt_values import Disclosure

    digest = (
        b64url_encode(hasher(text.encode("ascii")).digest())
        if hasher is not None and text.isascii()
        else None
    )
    base = Disclosure(index=index, text=text, start=start, end=end, digest=digest)
    if not text:
        return replace(base, error="it is empty (two '~' in a row)")
    if not _BASE64URL.fullmatch(text):
        bad = next(
            i for i, c in enumerate(text) if not (c.isascii() and (c.isalnum() or c in "-_"))
        )
        return replace(base, error=f"{text[bad]!r} at offset {bad} is not a base64url character")
    data, deviations = decode_b64url(text, "disclosure")
    if data is None:
        why = next((d.detail for d in deviations if d.id == "bad-base64"), "not base64url")
        return replace(base, error=why[:1].lower() + why[1:])
    decoded, issues = decode_utf8(data, "disclosure")
    if issues:
        return replace(base, error="its bytes are not UTF-8 text")
    value, ok, _json_issues = parse_json(decoded, "disclosure")
    if not ok:
        return replace(base, error="it does not decode to JSON")
    if not isinstance(value, list) or len(value) not in (2, 3):
        kind = f"an array of {len(value)}" if isinstance(value, list) else type(value).__name__
        return replace(
            base,
            error=f"it decodes to {kind}, not an array [salt, name, value] or [salt, value]",
        )
    salt = value[0]
    if not isinstance(salt, str):
        return replace(base, error="its salt (the first member) is not a string")
    if len(value) == 2:
        return replace(base, salt=salt, value=value[1], array_element=True)
    name = value[1]
    if not isinstance(name, str):
        return replace(base, error="its claim name (the second member) is not a string")
    return replace(base, salt=salt, name=name, value=value[2])


class _Rebuilder:
    """Puts referenced disclosures in place (RFC 9901 §7.1 steps 3-5), noting what is wrong."""

    def __init__(self, by_digest: dict[str, Disclosure]) -> None:
        self.by_digest = by_digest
        self.used: dict[str, str] = {}  # digest -> JSON Pointer it filled
        self.seen: set[str] = set()
        self.undisclosed = 0
        self.findings: list[Finding] = []
        self.too_deep = False

    def _digest_seen(self, digest: str, where: str) -> bool:
        if digest in self.seen:
            self.findings.append(
                finding(
                    "sd-duplicate-digest",
                    f"The digest {digest[:SHOWN]!r} appears more than once in the SD-JWT.",
                    where,
                )
            )
            return False
        self.seen.add(digest)
        return True

    def value(self, node: Any, path: str, depth: int) -> Any:
        if depth > MAX_NESTING:
            self.too_deep = True
            return node
        if isinstance(node, dict):
            return self._object(node, path, depth)
        if isinstance(node, list):
            return self._array(node, path, depth)
        return node

    def _object(self, node: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k in ("_sd", "_sd_alg") and (k == "_sd" or depth == 0):
                continue
            out[k] = self.value(v, path + json_pointer(k), depth + 1)
        digests = node.get("_sd")
        if digests is None:
            return out
        if not isinstance(digests, list):
            self.findings.append(
                finding("sd-disclosure-malformed", "An '_sd' member is not an array.", path)
            )
            return out
        for i, digest in enumerate(digests):
            where = path + json_pointer("_sd", i)
            if not isinstance(digest, str):
                self.findings.append(
                    finding("sd-disclosure-malformed", "An '_sd' array holds a non-string.", where)
                )
                continue
            if not self._digest_seen(digest, where):
                continue
            disclosure = self.by_digest.get(digest)
            if disclosure is None:
                self.undisclosed += 1
                continue
            name = disclosure.name
            if disclosure.array_element or name is None:
                self._misplaced(disclosure, where, "an object's '_sd' array", "[salt, name, value]")
                continue
            if name in RESERVED_NAMES or name in out:
                self.findings.append(
                    finding(
                        "sd-reserved-name",
                        f"Disclosure {disclosure.index + 1} names the claim {name[:SHOWN]!r}, "
                        + (
                            "a name reserved by SD-JWT."
                            if name in RESERVED_NAMES
                            else "which the object it fills already has."
                        ),
                        where,
                    )
                )
                continue
            filled = path + json_pointer(name)
            self.used[digest] = filled
            out[name] = self.value(disclosure.value, filled, depth + 1)
        return out

    def _array(self, node: list[Any], path: str, depth: int) -> list[Any]:
        out: list[Any] = []
        for element in node:
            digest = element.get("...") if isinstance(element, dict) and len(element) == 1 else None
            if isinstance(digest, str):
                where = path + json_pointer(len(out))
                if not self._digest_seen(digest, where):
                    continue
                disclosure = self.by_digest.get(digest)
                if disclosure is None:
                    self.undisclosed += 1
                    continue
                if not disclosure.array_element:
                    self._misplaced(disclosure, where, "an array element", "[salt, value]")
                    continue
                filled = path + json_pointer(len(out))
                self.used[digest] = filled
                out.append(self.value(disclosure.value, filled, depth + 1))
                continue
            out.append(self.value(element, path + json_pointer(len(out)), depth + 1))
        return out

    def _misplaced(self, disclosure: Disclosure, where: str, slot: str, shape: str) -> None:
        self.findings.append(
            finding(
                "sd-disclosure-malformed",
                f"Disclosure {disclosure.index + 1}'s digest is referenced from {slot}, which "
                f"needs a disclosure of the form {shape}.",
                where,
            )
        )


def _with_sd_jwt(
    reader: TokenReader,
    parsed: ParsedToken,
    issuer: str,
    pieces: list[tuple[int, str]],
    kb_off: int,
    kb_text: str,
) -> ParsedToken:
    from inspector.core.sdjwt_values import KeyBinding, SdJwt

    found: list[Finding] = []
    claims = parsed.claims
    alg_claim = claims.get("_sd_alg", "sha-256") if claims is not None else "sha-256"
    hash_alg = alg_claim if isinstance(alg_claim, str) else repr(alg_claim)
    hasher = HASH_ALGORITHMS.get(hash_alg) if isinstance(alg_claim, str) else None
    if hasher is None:
        found.append(
            finding(
                "sd-unknown-hash-alg",
                f"The payload's '_sd_alg' is {hash_alg[:SHOWN]!r}, not a hash algorithm the "
                f"inspector knows ({', '.join(HASH_ALGORITHMS)}), so no disclosure can be "
                "matched to its digest.",
                "/payload/_sd_alg",
            )
        )
    disclosures: list[Disclosure] = []
    segments: list[Segment] = []
    for i, (off, text) in enumerate(pieces[:MAX_DISCLOSURES]):
        start, end = _span(reader, off, off + len(text))
        d = _decode_disclosure(i, text, start, end, hasher)
        disclosures.append(d)
        segments.append(Segment(name="disclosure", start=start, end=end, error=d.error))
    malformed = [d for d in disclosures if d.error is not None]
    for d in malformed[:MAX_REPORTED]:
        shown = d.text if len(d.text) <= SHOWN else d.text[:SHOWN] + "..."
        found.append(
            finding(
                "sd-disclosure-malformed",
                f"Disclosure {d.index + 1} (characters {d.start}-{d.end} of the input, "
                f"{shown!r}) is malformed: {d.error}.",
            )
        )
    if len(malformed) > MAX_REPORTED:
        found.append(
            finding(
                "sd-disclosure-malformed",
                f"{len(malformed) - MAX_REPORTED:,} more disclosures are malformed.",
            )
        )
    if len(pieces) > MAX_DISCLOSURES:
        found.append(
            finding(
                "sd-disclosure-malformed",
                f"The SD-JWT has {len(pieces):,} disclosures; only the first "
                f"{MAX_DISCLOSURES:,} were decoded, and the rest were not checked.",
            )
        )
    by_digest: dict[str, Disclosure] = {}
    for d in disclosures:
        if d.error is None and d.digest is not None:
            if d.digest in by_digest:
                found.append(
                    finding(
                        "sd-duplicate-digest",
                        f"Disclosures {by_digest[d.digest].index + 1} and {d.index + 1} are the "
                        "same disclosure.",
                    )
                )
                continue
            by_digest[d.digest] = d
    disclosed: dict[str, Any] | None = None
    undisclosed: int | None = None
    if claims is not None and hasher is not None:
        rebuilder = _Rebuilder(by_digest)
        disclosed = rebuilder._object(claims, "/payload", 0)
        undisclosed = rebuilder.undisclosed
        found.extend(rebuilder.findings)
        if rebuilder.too_deep:
            found.append(
                finding(
                    "sd-disclosure-malformed",
                    f"Disclosures nest more than {MAX_NESTING} levels deep; the deeper ones "
                    "were not put in place.",
                )
            )
        located = []
        for d in disclosures:
            filled = rebuilder.used.get(d.digest or "") if d.error is None else None
            if d.error is None and filled is None and by_digest.get(d.digest or "") is d:
                found.append(
                    finding(
                        "sd-unreferenced-disclosure",
                        f"Disclosure {d.index + 1} (characters {d.start}-{d.end} of the input"
                        + (f", claim {d.name[:SHOWN]!r}" if d.name is not None else "")
                        + ") has a digest that appears nowhere in the signed payload or in "
                        "another disclosure: it was not issued with this token, and its claim "
                        "is left out of the disclosed payload.",
                    )
                )
            located.append(replace(d, location=filled) if filled is not None else d)
        disclosures = located
    kb: KeyBinding | None = None
    if kb_text:
        start, end = _span(reader, kb_off, kb_off + len(kb_text))
        kb = KeyBinding(
            text=kb_text, start=start, end=end, header=_json_part(kb_text, 0),
            payload=_json_part(kb_text, 1),
        )  # fmt: skip
        segments.append(Segment(name="key_binding", start=start, end=end))
    sd = SdJwt(
        issuer_jwt=issuer,
        hash_alg=hash_alg,
        disclosures=tuple(disclosures),
        key_binding=kb,
        undisclosed_digests=undisclosed,
        disclosed_payload=disclosed,
        serialization="json" if reader.ex.jws_json is not None else "compact",
    )
    n = len(pieces)
    opened = sum(1 for d in disclosures if d.location is not None)
    found.insert(
        0,
        finding(
            "sd-jwt",
            f"An SD-JWT: the issuer-signed JWT (its signature checked as any JWS's) with {n} "
            f"disclosure{'s' * (n != 1)}"
            + (
                f", {opened} of them matched to digests in the signed payload"
                if disclosed is not None
                else ""
            )
            + (
                f", and {undisclosed} digest{'s' * (undisclosed != 1)} left undisclosed "
                "(withheld claims or decoys)"
                if undisclosed
                else ""
            )
            + "; "
            + (
                "a key-binding JWT follows (its check is the key binding's status)."
                if kb is not None
                else "no key-binding JWT."
            ),
        ),
    )
    return replace(
        parsed,
        # An issuer-signed JWT that is a JWS makes the whole an SD-JWT; an unsecured one stays
        # "unsecured" (never valid, and said first), a malformed one "unknown".
        format="sd-jwt" if parsed.format == "jws" else parsed.format,
        segments=parsed.segments + tuple(segments),
        findings=parsed.findings + tuple(found),
        sd_jwt=sd,
    )


def _json_part(jwt: str, i: int) -> dict[str, Any] | None:
    """Segment ``i`` of a compact JWT as a JSON object, or ``None`` when it is not one."""

    parts = jwt.split(".")
    if len(parts) <= i:
        return None
    data, _dev = decode_b64url(parts[i], "key-binding JWT")
    if data is None:
        return None
    text, _issues = decode_utf8(data, "key-binding JWT")
    value, ok, _json_issues = parse_json(text, "key-binding JWT")
    return value if ok and isinstance(value, dict) else None


SD_JWT = SdJwtCompact()
