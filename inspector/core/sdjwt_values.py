"""The values an SD-JWT is read into (:mod:`inspector.core.sdjwt`): its disclosures, its
key-binding JWT and the whole. A module of their own so that importing the codec does not
build them (their dataclasses cost ~3.5 ms of every import, the launch's forked child among
them): :mod:`inspector.core.sdjwt` imports this module only when a text is an SD-JWT, and
gives its names to anyone who asks ``inspector.core.sdjwt`` for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from inspector.core.frozen import value_class

if TYPE_CHECKING:
    from inspector.core.sdjwt import KeyBindingStatus


@value_class(kw_only=True)
class Disclosure:
    """One disclosure as pasted and as decoded. ``start``/``end`` are offsets into the user's
    text; ``error`` says why it is malformed (then ``salt``/``name``/``value`` are ``None``)."""

    index: int
    text: str
    start: int
    end: int
    digest: str | None = None
    salt: str | None = None
    #: The claim name, ``None`` for an array element (``[salt, value]``).
    name: str | None = None
    value: Any = None
    #: Whether it is an array element (two members) rather than an object property (three).
    array_element: bool = False
    error: str | None = None
    #: JSON Pointer (into ``{"payload": disclosed_payload}``) of what it fills, ``None`` when
    #: its digest is referenced nowhere (or it is malformed).
    location: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "digest": self.digest,
            "salt": self.salt,
            "name": self.name,
            "value": self.value,
            "location": self.location,
            "start": self.start,
            "end": self.end,
        }
        if self.error is not None:
            d["error"] = self.error
        return d


@value_class(kw_only=True)
class KeyBinding:
    """The key-binding JWT (``typ`` ``kb+jwt``) as decoded; judged by
    :func:`inspector.core.key_binding.check_key_binding`, which replaces ``status``/``reason``."""

    text: str
    start: int
    end: int
    header: dict[str, Any] | None
    payload: dict[str, Any] | None
    status: KeyBindingStatus = "unchecked"
    reason: str = (
        "Not checked: the key-binding JWT's signature (with the payload's 'cnf' key), its "
        "'sd_hash', 'nonce', 'aud' and 'iat' are not verified by this version."
    )
    #: The holder's key the payload's ``cnf`` names without embedding it (``"kid 'k1'"``,
    #: ``"RFC 7638 thumbprint (jkt) '...'"``): what ``InspectOptions.kb_key`` must give.
    #: ``None`` when ``cnf`` carries the key itself (``jwk``) or names none.
    holder_key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "holder_key": self.holder_key,
            "header": self.header,
            "payload": self.payload,
            "start": self.start,
            "end": self.end,
        }


@value_class(kw_only=True)
class SdJwt:
    """What an SD-JWT carries besides its issuer-signed JWT."""

    issuer_jwt: str
    #: The ``_sd_alg`` in force (``"sha-256"`` when the payload names none).
    hash_alg: str
    disclosures: tuple[Disclosure, ...]
    key_binding: KeyBinding | None
    #: Digests in the payload (and in disclosed values) that no disclosure here opens: claims
    #: the holder withheld, and decoys. ``None`` when the digests could not be matched.
    undisclosed_digests: int | None
    #: The payload with every referenced disclosure put in place and ``_sd``, ``_sd_alg`` and
    #: undisclosed ``{"...": digest}`` entries removed. NOT verified on its own: it is as
    #: trustworthy as the issuer's signature. ``None`` when the payload is not an object.
    disclosed_payload: dict[str, Any] | None
    #: How it was pasted: ``"compact"`` (``~``-separated) or ``"json"`` (a JWS JSON
    #: serialization whose unprotected header holds ``disclosures`` and ``kb_jwt``, RFC 9901
    #: §8.1; the facade reads it as the compact form rebuilt from it).
    serialization: Literal["compact", "json"] = "compact"

    def to_dict(self) -> dict[str, Any]:
        kb = self.key_binding
        return {
            "serialization": self.serialization,
            "hash_alg": self.hash_alg,
            "disclosures": [d.to_dict() for d in self.disclosures],
            "undisclosed_digests": self.undisclosed_digests,
            "disclosed_payload": self.disclosed_payload,
            "key_binding": kb.to_dict()
            if kb is not None
            else {"status": "absent", "reason": "The presentation has no key-binding JWT."},
        }
