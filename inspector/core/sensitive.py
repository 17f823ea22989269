"""Sensitive data in a claims set: by claim name and by value, through nested objects and arrays.

By name (when the value is a non-empty string or number; booleans never count):
passwords and secrets are ``sensitive-claim``, personal data is ``pii-claim``. By value, whatever
the name: card numbers passing Luhn, US SSNs, IBANs passing mod-97, PEM private keys, private
JWKs, password hashes and well-known credential formats are ``sensitive-value``; another JWT is
``nested-token``. Every finding points at the exact claim with a JSON Pointer.

Cheap by design: names are normalised once and cached, and one precompiled regex screens each
string; the checksums only run on what it matched.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any

from inspector.core.findings import Finding, finding, json_pointer
from inspector.core.lazy_re import LazyPattern

#: Strings shorter than this cannot hold any credential format below (an SSN is 11 characters).
MIN_VALUE_LENGTH = 9
#: Numbers in this range (2000-01-01 to 2100-01-01 as seconds) are taken for timestamps,
#: not secrets, when a claim's name would otherwise count.
_TIMESTAMPS = (946_684_800, 4_102_444_800)
#: Normalised names cached (bounded; cleared when full).
_NAME_CACHE_SIZE = 4096

# ------------------------------------------------------------------------------------ by name
# Names are normalised: the last segment of a URL/URN-like (namespaced) name, lower-cased,
# with '_', '-', '.' and spaces removed ("client_secret" -> "clientsecret").

_SECRET_EXACT = frozenset(
    {
        "pass",
        "pin",
        "cvv",
        "cvv2",
        "cvc",
        "cvc2",
        "cardnumber",
        "creditcard",
        "creditcardnumber",
        "ccnumber",
        "pan",
        "accesskeysecret",
        "secretaccesskey",
        "otpseed",
        "totpsecret",
        "mfasecret",
        "recoverycode",
        "recoverycodes",
        "connectionstring",
        "credentials",
        "totpseed",
        "mfaseed",
        "otpsecret",
        "otpkey",
        "totpkey",
        "securityanswer",
        "secretanswer",
        "privkey",
        "sessionkey",
    }
)
_SECRET_SUFFIXES = (
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "passcode",
    "secret",
    "apikey",
    "apitoken",
    "privatekey",
    "secretkey",
    "signingkey",
    "encryptionkey",
    "masterkey",
    "secretaccesskey",
    "accesskey",
    "refreshtoken",
    "accesstoken",
    "authtoken",
    "sessiontoken",
    "bearertoken",
)
_PII_EXACT = frozenset(
    {
        "mail",
        "emailaddress",
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "mobilenumber",
        "telephone",
        "telephonenumber",
        "address",
        "addresses",
        "streetaddress",
        "homeaddress",
        "postaladdress",
        "billingaddress",
        "shippingaddress",
        "birthdate",
        "birthday",
        "dateofbirth",
        "dob",
        "ssn",
        "socialsecuritynumber",
        "sin",
        "nationalid",
        "nationalidnumber",
        "nationalidentifier",
        "nationalidentificationnumber",
        "nino",
        "nin",
        "personalnumber",
        "personnummer",
        "passport",
        "passportnumber",
        "taxid",
        "taxnumber",
        "tin",
        "itin",
        "driverslicense",
        "driverlicense",
        "driverslicensenumber",
        "cpf",
        "aadhaar",
        "medicarenumber",
        "msisdn",
        "placeofbirth",
    }
)
_PII_SUFFIXES = ("email", "phonenumber")
#: Personal-data names whose value may be a JSON object (OIDC "address").
_PII_OBJECTS = frozenset({"address", "streetaddress", "homeaddress", "postaladdress"})
#: Names that hint a bare 9-digit number is an SSN.
_SSN_NAMES = frozenset({"ssn", "socialsecuritynumber", "ussocialsecuritynumber"})

_STRIP = re.compile(r"[_\-. ]+")
_name_cache: dict[str, tuple[str, str | None]] = {}
#: Claim name -> "secret", "pii", "ssn" (personal data that may be a bare SSN) or "" (none).
_kinds: dict[str, str] = {}


def _kind(name: str) -> str:
    if type(name) is not str:
        return ""  # (an object's member names are strings; this for a dict built otherwise)
    norm, kind = _classify(name)
    code = "ssn" if norm in _SSN_NAMES else (kind or "")
    if len(_kinds) >= _NAME_CACHE_SIZE:
        _kinds.clear()
    _kinds[name] = code
    return code


def _kind_of_norm(norm: str) -> str | None:
    if norm in _SECRET_EXACT or norm.endswith(_SECRET_SUFFIXES):
        return "secret"
    if norm in _PII_EXACT or norm.endswith(_PII_SUFFIXES):
        return "pii"
    return None


def _classify(name: str) -> tuple[str, str | None]:
    """(normalised name, "secret" | "pii" | None)."""
    hit = _name_cache.get(name)
    if hit is not None:
        return hit
    last = name
    if "/" in last or ":" in last:
        last = re.split(r"[/:#]", last.rstrip("/:#"))[-1]
    norm = _STRIP.sub("", last.lower())
    kind = _kind_of_norm(norm)
    if kind is None and len(norm) > 3 and norm.endswith("s"):
        kind = _kind_of_norm(norm[:-1])  # plurals: "emails", "passwords", "api_keys"
    if len(_name_cache) >= _NAME_CACHE_SIZE:
        _name_cache.clear()
    _name_cache[name] = (norm, kind)
    return norm, kind


# ------------------------------------------------------------------------------------ by value

_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_SSN = re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
#: Credentials and tokens by their look. Compiled on first use: ~2.5 ms, and only a value the
#: screen below points at is searched with it.
_CREDENTIALS = LazyPattern(
    r"""
    (?P<pem>-----BEGIN\ (?:[A-Z0-9]+\ )*PRIVATE\ KEY(?:\ BLOCK)?-----)
  | (?P<hash>
        \$2[abxy]?\$\d\d\$[./A-Za-z0-9]{53}
      | \$argon2(?:id|i|d)\$(?:v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+
      | \$(?:1|5|6|md5|apr1|sha1)\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,}
      | \$y\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]{43}
      | \$7\$[./A-Za-z0-9]{11,}\$[./A-Za-z0-9]{43}
      | \$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+/.]+\$[A-Za-z0-9+/.]+
      | \$pbkdf2(?:-sha\d+)?\$\d+\$[./A-Za-z0-9+]+\$[./A-Za-z0-9+]+
      | \bpbkdf2_sha\d+\$\d+\$[A-Za-z0-9./+]+\$[A-Za-z0-9./+=]{20,}
      | \{(?:SSHA|SSHA256|SSHA512|SHA|SMD5|CRYPT|PBKDF2[-A-Z0-9]*)\}[A-Za-z0-9+/=$.]{16,}
    )
  | (?P<aws>\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b)
  | (?P<github>\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,}))
  | (?P<slack>\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxoxe\.xox[bp]-[A-Za-z0-9-]{10,}
      |https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,})
  | (?P<stripe>\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|\bwhsec_[A-Za-z0-9]{24,})
  | (?P<google>\bAIza[0-9A-Za-z_-]{35}|\bGOCSPX-[A-Za-z0-9_-]{28}|\bya29\.[0-9A-Za-z_-]{20,})
  | (?P<openai>(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?
      [A-Za-z0-9_-]{16,256}T3BlbkFJ[A-Za-z0-9_-]{16,})
  | (?P<other>\bglpat-[A-Za-z0-9_-]{20,}|\bnpm_[A-Za-z0-9]{36}\b
      |\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b|\bsk-ant-[A-Za-z0-9_-]{32,}
      |\bhf_[A-Za-z0-9]{34,}\b)
  | (?P<azure>\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2})
  | (?P<urlcred>\b[A-Za-z][A-Za-z0-9+.-]{0,63}+://[^\s/:@]+:[^\s/@]+@[^\s/@])
  | (?P<jwt>(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}+\.[A-Za-z0-9_-]*+\.[A-Za-z0-9_-]*+
      (?:\.[A-Za-z0-9_-]*+\.[A-Za-z0-9_-]*+)?)
    """,
    re.VERBOSE,
)


# Every pattern above does a bounded amount of work from each place it can start, so that a
# long value costs linear time: a search retried at every position that then reads to the
# end of a run is quadratic. Hence the bounded scheme ({0,63}) and OpenAI prefix ({16,256}),
# an OpenAI key or a JWT that starts only where a base64url run does (not after each '-'
# inside one, as \b allowed), and possessive runs (*+) where the character after a run can
# never be in it.

# The screen: cheap tests over all string values at once (joined with NUL) that every value
# holding something above passes. Only values it points at get the full patterns.
#: The literal starts of every pattern in _CREDENTIALS, by the gate literal (below) each one
#: contains: the screen a text gets is the alternation of the parts whose literal it holds.
#: One alternation of them all had a first-character set of most letters, and searching an
#: ID token's values with it cost more than the rest of the scan (issue 17); a text with
#: only an e-mail address in it ("@") gets the one part that can match there.
_SCREEN_PARTS: dict[str, str] = {
    "$": r"\$",
    "{": r"\{",
    "_": r"k_live_|k_test_|whsec_|npm_|hf_|gh[pousr]_|github_pat_",
    "@": r"://[^\s/@\x00]+@",
    "-----BEGIN": r"-----BEGIN",
    "eyJ": r"eyJ",
    "xox": r"xox",
    "hooks.slack": r"hooks\.slack",
    "GOCSPX-": r"GOCSPX-",
    "ya29.": r"ya29\.",
    "glpat-": r"glpat-",
    "SG.": r"SG\.",
    "sk-": r"sk-",
    "Key=": r"Key=",
    "AWS": r"A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA|Iza)",
}
#: Substrings, one of which every screen match contains ("_" stands for the underscore
#: formats: ghp_, github_pat_, sk_live_, whsec_, npm_...); the AWS prefixes have their own
#: gate (_GATE_AWS).
_GATE_LITERALS = tuple(lit for lit in _SCREEN_PARTS if lit != "AWS")
#: For long texts, each multi-character literal is tested only when one of its characters
#: (a memchr-speed test) occurs at all.
_LONG_TEXT = 4096
#: Screens made for one set of gate literals (bounded: cleared when full).
_SCREENS: dict[tuple[tuple[str, ...], bool], re.Pattern[str]] = {}
_SCREENS_SIZE = 256


def _screen_for(fired: tuple[str, ...], nul_inside: bool) -> re.Pattern[str]:
    """The alternation of the screen parts of the gate literals ``fired``. With
    ``nul_inside`` (a value holds a NUL itself: a JSON "\\u0000", rare), the URL-with-password
    part may cross a NUL, which then need not be a separator."""
    key = (fired, nul_inside)
    screen = _SCREENS.get(key)
    if screen is None:
        parts = [_SCREEN_PARTS[lit] for lit in fired]
        if nul_inside:
            parts = [p.replace(r"\x00", "") for p in parts]
        if len(_SCREENS) >= _SCREENS_SIZE:
            _SCREENS.clear()
        screen = _SCREENS[key] = re.compile("|".join(parts))
    return screen


def _short_gate(j: str) -> bool:
    """Whether ``j`` holds one of :data:`_GATE_LITERALS` but "@" (spelt out: cheaper than a
    loop); "@" is :func:`_url_at`'s."""
    return (
        "$" in j or "{" in j or "_" in j or "-----BEGIN" in j or "eyJ" in j
        or "xox" in j or "hooks.slack" in j or "GOCSPX-" in j or "ya29." in j or "glpat-" in j
        or "SG." in j or "sk-" in j or "Key=" in j
    )  # fmt: skip


#: For each multi-character gate literal of a long text, a character it contains.
_GATE_LONG_FIRST = {
    "-----BEGIN": "-", "eyJ": "J", "xox": "-", "hooks.slack": "k", "GOCSPX-": "X",
    "ya29.": "9", "glpat-": "-", "SG.": "G", "sk-": "-", "Key=": "=",
}  # fmt: skip


def _url_at(joined: str, nul_inside: bool) -> bool:
    """Whether the "@" screen part (a URL with a password, ``://user:pass@``) can match: an
    "@" after a "://" in the same value (with ``nul_inside``, anywhere after one). An ID
    token's issuer URL and its e-mail address are two values: no screen search for them."""
    i = joined.find("://")
    if i < 0:
        return False
    if nul_inside:
        return joined.find("@", i) >= 0
    while i >= 0:
        end = joined.find("\x00", i)
        if end < 0:
            return joined.find("@", i) >= 0
        if joined.find("@", i, end) >= 0:
            return True
        i = joined.find("://", end)
    return False


def _fired(joined: str, nul_inside: bool) -> tuple[str, ...]:
    """The gate literals (and "AWS") ``joined`` holds, in :data:`_SCREEN_PARTS` order ("@"
    only where :func:`_url_at` says its part can match)."""
    if len(joined) < _LONG_TEXT:
        fired = [lit for lit in _GATE_LITERALS if lit in joined]
    else:
        fired = [
            lit
            for lit in _GATE_LITERALS
            if (len(lit) == 1 or _GATE_LONG_FIRST[lit] in joined) and lit in joined
        ]
    if "@" in fired and not _url_at(joined, nul_inside):
        fired.remove("@")  # (its part is a URL with a password: "://user:pass@")
    if _GATE_AWS.search(joined) is not None:
        fired.append("AWS")
    return tuple(fired)


_GATE_AWS = re.compile(r"A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|PKA|ROA|SCA|Iza)")
#: Maps each character to its class (digit 9, upper A, lower a) so digit patterns are
#: substrings; the two separators of card and SSN groups, " " and "-", are both "-" (one
#: needle for each instead of two: the full patterns tell them apart).
_CLASSES = bytes.maketrans(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ",
    b"9" * 10 + b"A" * 26 + b"a" * 26 + b"-",
)
#: (class substring, pattern): a card has 13 digits in a row or two groups of 4 with a
#: separator; an SSN is 999-99-9999 (or with spaces); an IBAN starts with two capitals and
#: two digits. The first needs no separator; the separated ones all hold
#: :data:`_SEPARATED_GATE`.
_SCREEN_CLASSES: tuple[tuple[bytes, str], ...] = (
    (b"9999999999999", "card"),
    (b"9999-9999", "card"),
    (b"999-99-9999", "ssn"),
    (b"AA99", "iban"),  # last: the only one without "9999"
)
#: A separator and four digits after it: every separated needle above holds it, and a usual
#: token's values rarely do (a UUID's groups mix in letters), so most tokens try only the
#: 13-digit needle and the IBAN one.
_SEPARATED_GATE = b"9-9999"
#: The needles tried by what the classes hold: no "9999" (the IBAN one), "9999" but no
#: separated group (13 digits, IBAN), both (all).
_NEEDLES_NO_DIGITS = _SCREEN_CLASSES[-1:]
_NEEDLES_UNSEPARATED = (_SCREEN_CLASSES[0], _SCREEN_CLASSES[-1])

_KIND_TEXT = {
    "aws": "an AWS access key id",
    "github": "a GitHub token",
    "slack": "a Slack token or webhook URL",
    "stripe": "a Stripe secret key",
    "google": "a Google API key, OAuth client secret or access token",
    "other": "an API token in a well-known format (GitLab, npm, SendGrid, Anthropic or Hugging "
    "Face)",
    "openai": "an OpenAI API key",
    "azure": "an Azure storage or Service Bus access key",
    "urlcred": "a URL with a password in it",
}

#: IBAN length per country (ISO 13616 registry).
_IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}  # fmt: skip


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_brand(digits: str) -> str | None:
    """The card scheme whose number ranges and lengths fit ``digits``, or ``None``."""
    n = len(digits)
    p2 = int(digits[:2])
    p4 = int(digits[:4])
    if digits[0] == "4" and n in (13, 16, 19):
        return "Visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "Mastercard"
    if p2 in (34, 37) and n == 15:
        return "American Express"
    if (p4 == 6011 or p2 == 65 or 644 <= int(digits[:3]) <= 649) and 16 <= n <= 19:
        return "Discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "JCB"
    if (p2 in (36, 38, 39) or 300 <= int(digits[:3]) <= 305) and 14 <= n <= 19:
        return "Diners Club"
    if p2 == 62 and 16 <= n <= 19:
        return "UnionPay"
    if digits[:2] in ("50", "56", "57", "58", "63", "67") and 12 <= n <= 19:
        return "Maestro"
    return None


def ssn_ok(text: str) -> bool:
    """A structurally valid US SSN (area not 000/666/9xx, group not 00, serial not 0000)."""
    digits = text.replace("-", "").replace(" ", "")
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def iban_ok(iban: str) -> bool:
    """Country length and the ISO 7064 mod-97 check (``iban`` without spaces)."""
    if not (iban.isascii() and iban.isalnum()) or _IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _masked(digits: str) -> str:
    return digits[:4] + " " + "*" * (len(digits) - 8) + " " + digits[-4:]


#: A nested token's header longer than this (base64url characters) is not looked at.
MAX_NESTED_HEADER = 4096


def _is_jwt(text: str) -> bool:
    head = text.split(".", 1)[0]
    if len(head) > MAX_NESTED_HEADER:
        return False
    try:
        value = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return False
    return isinstance(value, dict) and ("alg" in value or "enc" in value or "typ" in value)


def _describe(kind: str, found: str) -> str | None:
    """What a pattern match is, or ``None`` when its checksum or structure says it is not."""
    if kind == "card":
        digits = found.replace(" ", "").replace("-", "")
        brand = card_brand(digits) if 13 <= len(digits) <= 19 else None
        if brand is not None and luhn_ok(digits):
            return f"a {brand} card number ({_masked(digits)}, passes the Luhn check)"
        return None
    if kind == "ssn":
        return f"a US Social Security number (***-**-{found[-4:]})" if ssn_ok(found) else None
    if kind == "iban":
        compact = found.replace(" ", "")
        length = _IBAN_LENGTHS.get(compact[:2], 0)
        # "DE89 3704 0044 0532 0130 00 EUR": the match ran on into the next word.
        if iban_ok(compact) or (len(compact) > length and iban_ok(compact[:length])):
            return f"an IBAN ({found[:4]}..., passes the mod-97 check)"
        return None
    if kind == "pem":
        return "a PEM private key"
    if kind == "hash":
        if found.startswith("{"):
            scheme = found[1 : found.index("}")]
        else:
            scheme = found.split("$")[1] if found.startswith("$") else found.split("$")[0]
        return f"a password hash ({scheme or 'crypt'})"
    return _KIND_TEXT[kind] + f" ({found[:8]}...)"


_PATTERNS: dict[str, re.Pattern[str] | LazyPattern] = {
    "card": _CARD,
    "ssn": _SSN,
    "iban": _IBAN,
    "cred": _CREDENTIALS,
}


def value_findings(
    text: str, name: str, loc: str, kinds: Iterable[str] = ("card", "ssn", "iban", "cred")
) -> list[Finding]:
    """``sensitive-value`` (at most one) and ``nested-token`` findings for one string value,
    trying the pattern families ``kinds``."""
    out: list[Finding] = []
    what: str | None = None
    for family in kinds:
        for m in _PATTERNS[family].finditer(text):
            kind = m.lastgroup or family
            found = m.group()
            if kind == "jwt":
                if _is_jwt(found):
                    out.append(
                        finding(
                            "nested-token",
                            f"'{name}' holds a JWT ({len(found)} characters); inspect it on "
                            "its own.",
                            loc,
                        )
                    )
            elif what is None:
                what = _describe(kind, found)
    if what is not None:
        out.insert(0, finding("sensitive-value", f"'{name}' holds {what}.", loc))
    return out


def _ssn_digits(value: str) -> bool:
    return len(value) == 9 and value.isdigit() and ssn_ok(value)


def _starts(values: list[str]) -> list[int]:
    out = []
    pos = 0
    for v in values:
        out.append(pos)
        pos += len(v) + 1
    return out


def _screen(values: list[str]) -> dict[int, set[str]]:
    """Which values (by index) the screen points at, and which pattern families to try."""
    joined = "\x00".join(values)
    starts: list[int] | None = None
    hits: dict[int, set[str]] = {}
    # A value may hold a NUL itself (a JSON "\u0000", rare): then a NUL is not surely a
    # separator, and the URL-with-password part may cross one.
    nul_inside = joined.count("\x00") != len(values) - 1
    # A gate of plain substring tests first: most tokens hold none of these.
    if len(joined) < _LONG_TEXT and not _short_gate(joined) and _GATE_AWS.search(joined) is None:
        fired: tuple[str, ...] = ("@",) if "@" in joined and _url_at(joined, nul_inside) else ()
    else:
        fired = _fired(joined, nul_inside)
    # One hit marks a whole value: the search goes on from the next value (every '$' of a long
    # run of them, each looked up, cost more than the search itself).
    if fired:
        # The URL-with-password screen ("://user@") stops at the NUL between two values: an
        # "https://" in one value and an "@" in a later one (an issuer and an e-mail address,
        # as in most ID tokens) sent every such token through the full patterns.
        screen = _screen_for(fired, nul_inside)
        m = screen.search(joined)
        if m is not None:  # (where each value starts is worked out only when one is hit)
            starts = _starts(values)
            ends = [*starts[1:], len(joined)]
            while m is not None:
                k = bisect_right(starts, m.start()) - 1
                hits.setdefault(k, set()).add("cred")
                m = screen.search(joined, ends[k])
    classes = joined.encode("latin-1", "replace").translate(_CLASSES)
    if b"9999" not in classes:
        needles = _NEEDLES_NO_DIGITS
    elif _SEPARATED_GATE in classes:
        needles = _SCREEN_CLASSES
    else:
        needles = _NEEDLES_UNSEPARATED
    for needle, family in needles:
        i = classes.find(needle)
        if i < 0:
            continue
        if starts is None:
            starts = _starts(values)
        while i >= 0:
            k = bisect_right(starts, i) - 1
            hits.setdefault(k, set()).add(family)
            i = classes.find(needle, starts[k + 1] if k + 1 < len(starts) else len(classes))
    return hits


def scan_claims(payload: dict[str, Any], root: str = "payload") -> list[Finding]:
    """Every sensitive name and value in ``payload``, in document order per kind of check.

    A name's kind carries over to what it holds: the items of ``"emails": [...]`` or
    ``"password": [...]``, and every member of an object under a secret's name
    (``"secrets": {"db": "..."}``).
    """
    out: list[Finding] = []
    append = out.append
    kind_of = _kinds.get
    #: String values long enough to hold a credential, with where they are.
    values: list[str] = []
    where: list[tuple[tuple[str | int, ...], str | int]] = []
    # (container, pointer parts, kind carried over from its name) still to visit.
    stack: list[tuple[Any, tuple[str | int, ...], str]] = [(payload, (root,), "")]
    while stack:
        node, path, carried = stack.pop()
        if not carried and type(node) is list and _STR_ONLY.issuperset(map(type, node)):
            # A list of text under a name of no kind ("aud", "roles", "scope"): nothing in it
            # is reported by name, and only its long items are screened.
            for i, value in enumerate(node):
                if len(value) >= MIN_VALUE_LENGTH:
                    values.append(value)
                    where.append((path, i))
            continue
        # An object's members by their names' kinds; inside an object under a secret's name
        # every member counts as a secret; an array's items get the kind of the array's name.
        named = type(node) is dict
        items: Any = node.items() if named else enumerate(node)
        children: list[tuple[Any, tuple[str | int, ...], str]] = []
        get = _secret_kind if carried and named else kind_of
        for key, value in items:
            # The common cases first (a short string, a number), decided with as few
            # operations as possible: this loop runs once per claim of every token.
            vtype = type(value)
            if vtype is str:
                if not value:
                    continue
            elif vtype is dict or vtype is list:
                if value:
                    kind = get(key) if named else carried
                    if kind is None:
                        kind = _kind(key)
                    if vtype is dict:
                        _container(key, value, path, append)
                    elif kind:
                        # lists carry any kind to their items, objects only a secret's
                        children.append((value, (*path, key), kind))
                        continue
                    children.append((value, (*path, key), "secret" if kind == "secret" else ""))
                continue
            elif vtype is not int and vtype is not float:
                continue  # null, booleans
            kind = get(key) if named else carried
            if kind is None:
                kind = _kind(key)
            if kind and not (
                (value.isspace() or value in _BOOLEAN_TEXT)
                if vtype is str
                else _TIMESTAMPS[0] <= value <= _TIMESTAMPS[1]
            ):
                name = key if type(key) is str else path[-1]
                append(_by_name(kind, str(name), value, _pointer(path, key)))
                if kind == "ssn" and _ssn_digits(str(value)):
                    append(_ssn(name, json_pointer(*path, key)))
                    continue
            if vtype is str:
                if len(value) >= MIN_VALUE_LENGTH:
                    values.append(value)
                    where.append((path, key))
            elif vtype is int and 10**12 <= value < 10**19:
                name = key if type(key) is str else path[-1]
                out.extend(value_findings(str(value), str(name), json_pointer(*path, key)))
        stack.extend(reversed(children))
    if values:
        for i, families in sorted(_screen(values).items()):
            path, key = where[i]
            name = key if type(key) is str else path[-1]
            value = values[i]
            out.extend(value_findings(value, str(name), json_pointer(*path, key), sorted(families)))
    return out


def _pointer(path: tuple[str | int, ...], key: str | int) -> str:
    """``json_pointer(*path, key)``; a member of the top-level object whose name needs no
    escaping (most claims that get a finding: 'email', 'password') without the general
    escaping of every part."""
    if len(path) == 1 and type(key) is str and "~" not in key and "/" not in key:
        root = path[0]
        if type(root) is str and "~" not in root and "/" not in root:
            return "/" + root + "/" + key
    return json_pointer(*path, key)


def _secret_kind(key: str) -> str:
    """A member's own kind, else "secret" (members of an object under a secret's name)."""
    return _kinds.get(key) or _kind(key) or "secret"


_STR_ONLY = frozenset({str})

#: Strings that are booleans in disguise (Apple sends "email_verified": "true").
_BOOLEAN_TEXT = frozenset({"true", "false", "True", "False", "TRUE", "FALSE"})


def _container(
    key: str | int, value: Any, path: tuple[str | int, ...], append: Callable[[Finding], None]
) -> None:
    """Findings about a non-empty object itself (OIDC address, private JWK)."""
    if isinstance(value, dict):
        if isinstance(key, str) and _classify(key)[0] in _PII_OBJECTS:
            append(_pii(key, json_pointer(*path, key)))
        if "kty" in value and "d" in value:
            name = key if isinstance(key, str) else path[-1]
            append(
                finding(
                    "sensitive-value",
                    f"'{name}' holds a private JWK (it has the private member 'd').",
                    json_pointer(*path, key),
                )
            )


def _by_name(kind: str, key: str, value: Any, loc: str) -> Finding:
    """``sensitive-claim`` for a secret's name, else ``pii-claim``."""
    if kind == "secret":
        return finding(
            "sensitive-claim",
            f"'{key}' holds a value ({_size(value)}) readable by anyone who has the token.",
            loc,
        )
    return _pii(key, loc)


def _ssn(name: str | int, loc: str) -> Finding:
    return finding("sensitive-value", f"'{name}' holds a US Social Security number.", loc)


def _pii(key: str, loc: str) -> Finding:
    return finding("pii-claim", f"'{key}' holds personal data.", loc)


def _size(value: Any) -> str:
    if isinstance(value, str):
        return f"{len(value)} characters"
    return "a number"


#: For tests and callers that want to know what a name counts as.
classify_name: Callable[[str], tuple[str, str | None]] = _classify
