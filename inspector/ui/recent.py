"""Tokens inspected since launch (issue 16 item 5): View > Recent tokens.

Memory only: a bounded list in this process, never written anywhere, gone on quit (the
privacy rule: nothing pasted touches the disk). Qt-free, so it is tested without a window;
the window records each result shown and lists the entries in a popup menu.

Typing a token produces a result per pause; so that the list holds tokens rather than the
prefixes of one, the window records only results that decoded as a token of some format, a
text that extends the newest entry's replaces it, and one cut from it is not kept.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

#: How many tokens are kept, newest first.
MAX_RECENT = 20
#: Texts longer than this are not kept (a log file opened by mistake is no recent token).
MAX_RECENT_CHARS = 256 * 1024
#: A subject or issuer is cut to this many characters in the list.
SHOWN = 40


class Recent(NamedTuple):
    """One token seen: the text as pasted, and what the list says about it."""

    text: str
    subject: str | None
    issuer: str | None
    verdict: str

    def label(self) -> str:
        """``alice · https://idp/ · Signature verified`` (``(no sub)`` when there is none)."""
        return " · ".join(
            (_cut(self.subject or "(no sub)"), _cut(self.issuer or "(no iss)"), self.verdict)
        )


def _cut(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= SHOWN else one_line[: SHOWN - 1] + "…"


def claims_of(payload_json: str | None) -> tuple[str | None, str | None]:
    """``sub`` and ``iss`` from the payload's JSON text, when it is an object holding them."""
    if not payload_json or len(payload_json) > MAX_RECENT_CHARS:
        return None, None
    try:
        payload: Any = json.loads(payload_json)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(payload, dict):
        return None, None
    sub, iss = payload.get("sub"), payload.get("iss")
    return (sub if isinstance(sub, str) else None, iss if isinstance(iss, str) else None)


class RecentTokens:
    """The last :data:`MAX_RECENT` tokens, newest first, each once."""

    def __init__(self, limit: int = MAX_RECENT) -> None:
        self.limit = limit
        self._entries: list[Recent] = []

    def record(self, text: str, subject: str | None, issuer: str | None, verdict: str) -> None:
        """Keep ``text`` as the newest entry (an entry with the same text moves up)."""
        text = text.strip()
        if not text or len(text) > MAX_RECENT_CHARS:
            return
        entries = [e for e in self._entries if e.text != text]
        if entries and entries[0].text.startswith(text):
            return  # the newest token cut back while editing: it stays as it was
        if entries and text.startswith(entries[0].text):
            entries.pop(0)  # the newest token typed on: this is the same token, further
        entries.insert(0, Recent(text, subject, issuer, verdict))
        del entries[self.limit :]
        self._entries = entries

    def entries(self) -> tuple[Recent, ...]:
        return tuple(self._entries)

    def clear(self) -> None:
        self._entries = []

    def __len__(self) -> int:
        return len(self._entries)
