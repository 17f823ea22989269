"""What known header parameters and claims mean, from ``resources/claims.json``.

The file holds two tables, ``header`` and ``claims``, mapping a name to its one-line
``description`` and its ``source`` (the RFC or provider documentation that defines it).
It is read once; the :class:`ClaimInfo` values are made once per name and shared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from inspector import resources
from inspector.core.findings import json_pointer
from inspector.core.model import ClaimInfo

DICTIONARY = "claims.json"
_MISSING: Any = object()

#: Auth0 (and others) namespace custom claims with a URL: "https://example.com/roles".
_NAMESPACED = ClaimInfo(
    location="/payload",
    name="",
    description="Custom claim in a namespace (a URL, as Auth0 requires for custom claims so "
    "they cannot collide with registered names).",
    source="Auth0: Create Custom Claims; RFC 7519 §4.2 (public claim names)",
)


@cache
def dictionary() -> Mapping[str, Mapping[str, Mapping[str, str]]]:
    """``{"header": {name: {"description", "source"}}, "claims": {...}}``."""
    data: dict[str, Any] = json.loads(resources.read_text(DICTIONARY))
    return {"header": data["header"], "claims": data["claims"]}


#: Per section: name -> ClaimInfo or None; bounded (cleared when full).
_infos: dict[str, dict[str, ClaimInfo | None]] = {"header": {}, "payload": {}}
_INFO_CACHE_SIZE = 4096


def _info(section: str, name: str) -> ClaimInfo | None:
    cache = _infos[section]
    if name in cache:
        return cache[name]
    info = _make_info(section, name) if len(name) <= 200 else None
    if len(cache) >= _INFO_CACHE_SIZE:
        cache.clear()
    cache[name] = info
    return info


def _make_info(section: str, name: str) -> ClaimInfo | None:
    table = dictionary()["header" if section == "header" else "claims"]
    entry = table.get(name)
    loc = json_pointer(section, name)
    if entry is None:
        if section == "payload" and name.startswith(("https://", "http://")):
            return ClaimInfo(
                location=loc,
                name=name,
                description=_NAMESPACED.description,
                source=_NAMESPACED.source,
            )
        return None
    return ClaimInfo(
        location=loc, name=name, description=entry["description"], source=entry["source"]
    )


#: :func:`describe`'s answers by the names described (the header's, then the claims'): a log's
#: tokens carry the same few sets of names, and a set looked up once costs a token one lookup
#: instead of one per name. Only small sets are kept (at most :data:`_DESCRIBED_NAMES` names
#: of at most :data:`_DESCRIBED_CHARS` characters in all), and the memo is cleared when it
#: holds :data:`_DESCRIBED_SIZE` sets: memory stays bounded whatever the names.
_described: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[ClaimInfo, ...]] = {}
_DESCRIBED_NAMES = 64
_DESCRIBED_CHARS = 4096
_DESCRIBED_SIZE = 1024


def describe(
    header: Mapping[str, Any] | None, claims: Mapping[str, Any] | None
) -> tuple[ClaimInfo, ...]:
    """A description for each top-level header parameter and claim the dictionary knows."""
    names = (tuple(header) if header else (), tuple(claims) if claims else ())
    if len(names[0]) + len(names[1]) > _DESCRIBED_NAMES:
        return _describe(names)
    known = _described.get(names)
    if known is not None:
        return known
    found = _describe(names)
    if sum(map(len, names[0])) + sum(map(len, names[1])) <= _DESCRIBED_CHARS:
        if len(_described) >= _DESCRIBED_SIZE:
            _described.clear()
        _described[names] = found
    return found


def _describe(names: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[ClaimInfo, ...]:
    out: list[ClaimInfo] = []
    for section, members in zip(("header", "payload"), names, strict=True):
        get = _infos[section].get
        for name in members:
            info = get(name, _MISSING)
            if info is _MISSING:
                info = _info(section, name)
            if info is not None:
                out.append(info)
    return tuple(out)
