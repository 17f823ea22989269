"""Reports of an inspection for a ticket or a file (issue 16 item 2): Markdown and HTML.

Qt-free, beside :mod:`inspector.presentation`, whose words the reports use so that a verdict
reads the same in the window, the CLI and a report. A report gives the token's parts, its
decoded header and payload, its time claims, the verification, every finding with its
explanation and reference (from the one catalogue), the token profile when one was recognised,
and what the text is when it is not a JWT.

Two rules, because a token is attacker-controlled and a report travels:

* **Escaped.** Every character that came from the token is escaped for the format: in HTML by
  :func:`html.escape` (text and attribute values alike; the only attributes written are this
  module's own ``class`` names), in Markdown inside code fences longer than any backtick run
  in the text, or backslash-escaped inline. The HTML is one self-contained file: inline CSS,
  no script, no link, no URL of any kind.
* **No key.** A report is made from the :class:`~inspector.core.model.Inspection` alone, which
  holds a description of the key ("HMAC secret, 32 bytes"), never the key: nothing of the key
  or secret can reach it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from inspector.core.findings import CATALOGUE
from inspector.core.model import Inspection
from inspector.core.parsing import COOKIE_LIMIT, HEADER_LIMIT, SESSION_ID_BYTES
from inspector.presentation import findings_summary, size_words, time_words, verdict, verdict_lines

#: A part of the token longer than this is shown cut in the middle (its size is given).
SHOWN_PART_CHARS = 20_000
#: Decoded JSON longer than this is cut (the JSON output has everything).
SHOWN_JSON_CHARS = 200_000

_SEVERITY_COLOURS = {
    "error": "#b00020",
    "critical": "#7f0000",
    "high": "#c62828",
    "medium": "#b26a00",
    "low": "#1565c0",
    "info": "#555",
}
_STATUS_COLOURS = {"valid": "#1b5e20", "invalid": "#b00020", "unchecked": "#8a6d00"}

#: The whole stylesheet: inline, no url(), no @import.
_CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em;
       color: #222; background: #fff; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #ddd; }
pre, code { font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f6f6f6; padding: .6em; white-space: pre-wrap; overflow-wrap: anywhere; }
.part-header { color: #c62828; } .part-payload { color: #8e24aa; }
.part-signature { color: #00838f; } .part-other { color: #555; }
.verdict { font-weight: bold; font-size: 1.1em; }
.finding { border-left: 4px solid #999; padding: .2em .8em; margin: .8em 0; }
.severity { font-weight: bold; text-transform: uppercase; }
.ref { color: #555; }
table { border-collapse: collapse; } td, th { padding: .2em .6em; text-align: left; }
"""


# ------------------------------------------------------------------------------ the facts


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]}…[{len(text) - 2 * keep:,} characters]…{text[-keep:]}"


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return _cut(value, SHOWN_JSON_CHARS)
    return _cut(json.dumps(value, indent=2, ensure_ascii=False), SHOWN_JSON_CHARS)


def _parts(inspection: Inspection) -> list[tuple[str, str]]:
    """(segment name, encoded text) of each part of the token."""
    p = inspection.parsed
    names = [s.name for s in p.segments]
    return [
        (names[i] if i < len(names) else "part", _cut(part, SHOWN_PART_CHARS))
        for i, part in enumerate(p.parts)
    ]


def _profiles(inspection: Inspection, data: dict[str, Any]) -> list[str]:
    """The token profile(s) recognised, in words. ``to_dict()["profile"]`` when the codec
    gives one (issue 12/15), else the analysis's matches."""
    profile = data.get("profile")
    if profile:
        items = profile if isinstance(profile, list) else [profile]
        out = []
        for item in items:
            if isinstance(item, dict):
                name = item.get("name") or item.get("kind")
                if not name:  # {"name": null, "reason": ...}: no profile recognised
                    continue
                reason = item.get("reason")
                out.append(f"{name}: {reason}" if reason else str(name))
            else:
                out.append(str(item))
        return out
    return [f"{m.name}: {m.reason}" for m in inspection.analysis.profiles]


def _size(inspection: Inspection) -> str:
    return size_words(
        len(inspection.parsed.token or ""),
        session_id_bytes=SESSION_ID_BYTES,
        cookie_limit=COOKIE_LIMIT,
        header_limit=HEADER_LIMIT,
    )


# ------------------------------------------------------------------------------ Markdown

#: What Markdown (CommonMark, GitHub's) or an HTML-passing renderer may read as markup
#: anywhere in a line: emphasis, code, links, images, HTML, entities, tables, strikethrough.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>&|!~#])")
#: What is markup only where a line starts: headings, lists, quotes, rules, setext lines.
_MD_LINE_START = re.compile(r"^(\s*)([-+=>.:]|\d+(?=[.)]))")


def md_inline(text: str) -> str:
    """``text`` as literal Markdown text on one line: every character Markdown or an
    HTML-passing renderer could read as markup is backslash-escaped."""
    one_line = " ".join(str(text).split())
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line)
    m = _MD_LINE_START.match(escaped)
    if m is not None:  # "1. x" -> "1\. x", "- x" -> "\- x"
        lead = m.group(2)
        if lead[0].isdigit():
            end = m.end()
            escaped = escaped[:end] + "\\" + escaped[end:]
        else:
            escaped = escaped[: m.start(2)] + "\\" + escaped[m.start(2) :]
    return escaped


def md_code(text: str) -> str:
    """``text`` as an inline code span that no backtick inside can close."""
    one_line = " ".join(str(text).split())
    longest = max((len(m) for m in re.findall(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if one_line.startswith("`") or one_line.endswith("`") or not one_line else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def md_block(text: str, info: str = "") -> str:
    """``text`` as a fenced code block whose fence no backtick run inside can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}\n"


def markdown(
    inspection: Inspection,
    *,
    title: str = "JWT Inspector report",
    preface: Sequence[str] = (),
) -> str:
    """The inspection as a Markdown report; ``preface``: lines said first (escaped too)."""
    p = inspection.parsed
    data = inspection.to_dict()
    out: list[str] = [f"# {md_inline(title)}\n"]
    out += [f"{md_inline(line)}\n" for line in preface]
    if p.not_jwt is not None:
        nj = p.not_jwt
        out.append("## Not a JWT\n")
        out.append(f"This looks like {md_inline(nj.label)}. {md_inline(nj.advice)}\n")
        for k, v in nj.details.items():
            out.append(f"- **{md_inline(k)}**:\n\n" + md_block(_json_text(v), "json"))
        out.append("")
    if p.token is not None:
        out.append(f"## Token ({md_inline(p.format.upper())}, {md_inline(_size(inspection))})\n")
        for name, part in _parts(inspection):
            out.append(f"**{md_inline(name)}**\n\n" + md_block(part))
    if p.unverified_header is not None:
        out.append("## Header\n\n" + md_block(_json_text(p.unverified_header), "json"))
    if p.unprotected_header is not None:
        out.append("## Unprotected header (not covered by the signature; never used)\n")
        out.append(md_block(_json_text(dict(p.unprotected_header)), "json"))
    if p.unverified_payload is not None:
        out.append("## Payload\n\n" + md_block(_json_text(p.unverified_payload), "json"))
        for t in inspection.analysis.times:
            words = time_words(t.utc, t.local, t.relative)
            out.append(f"- {md_code(t.claim)}: {md_inline(words)}")
        out.append("")
    if p.signature is not None:
        out.append(f"## Signature ({md_inline(p.alg or 'no alg')}, {len(p.signature)} bytes)\n")
        out.append(md_block(p.signature.hex()))
    out.append("## Verification\n")
    headline, *rest = verdict_lines(inspection.verification, inspection.findings)
    out.append(f"**{md_inline(headline)}**\n")
    out += [f"{md_inline(line)}\n" for line in rest]
    profiles = _profiles(inspection, data)
    if profiles:
        out.append("## Profile\n")
        out += [f"- {md_inline(x)}" for x in profiles]
        out.append("")
    findings = inspection.findings
    out.append(f"## {md_inline(findings_summary(findings))}\n")
    for f in findings:
        spec = CATALOGUE.get(f.id)
        where = f" at {md_code(f.location)}" if f.location else ""
        out.append(f"### {md_inline(f.severity.upper())}: {md_inline(f.title)}{where}\n")
        out.append(f"{md_code(f.id)}. {md_inline(f.detail)}\n")
        if spec is not None:
            out.append(f"{md_inline(spec.explanation)}\n")
            out.append(f"*Reference: {md_inline(spec.reference)}*\n")
    return "\n".join(out).rstrip("\n") + "\n"


# ------------------------------------------------------------------------------ HTML


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def html_head(title: str = "JWT Inspector report") -> str:
    """The start of an HTML report document (one or more :func:`html_section` follow)."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{_e(title)}</h1>\n"
    )


def html_tail() -> str:
    return "</body>\n</html>\n"


def html_section(inspection: Inspection, *, preface: Sequence[str] = ()) -> str:
    """One inspection as an HTML ``<section>``: every value from the token escaped;
    ``preface``: lines said first."""
    p = inspection.parsed
    data = inspection.to_dict()
    out: list[str] = ["<section>"]
    out += [f'<p class="preface">{_e(line)}</p>' for line in preface]
    if p.not_jwt is not None:
        nj = p.not_jwt
        out.append("<h2>Not a JWT</h2>")
        out.append(f"<p>This looks like {_e(nj.label)}. {_e(nj.advice)}</p>")
        if nj.details:
            out.append("<table>")
            for k, v in nj.details.items():
                out.append(f"<tr><th>{_e(k)}</th><td><pre>{_e(_json_text(v))}</pre></td></tr>")
            out.append("</table>")
    if p.token is not None:
        out.append(f"<h2>Token ({_e(p.format.upper())}, {_e(_size(inspection))})</h2>")
        spans = []
        for name, part in _parts(inspection):
            css = name if name in ("header", "payload", "signature") else "other"
            spans.append(f'<span class="part-{css}">{_e(part)}</span>')
        out.append("<pre>" + '<span class="part-other">.</span>'.join(spans) + "</pre>")
    if p.unverified_header is not None:
        out.append(f"<h2>Header</h2><pre>{_e(_json_text(p.unverified_header))}</pre>")
    if p.unprotected_header is not None:
        out.append("<h2>Unprotected header (not covered by the signature; never used)</h2>")
        out.append(f"<pre>{_e(_json_text(dict(p.unprotected_header)))}</pre>")
    if p.unverified_payload is not None:
        out.append(f"<h2>Payload</h2><pre>{_e(_json_text(p.unverified_payload))}</pre>")
        times = inspection.analysis.times
        if times:
            out.append("<ul>")
            for t in times:
                words = time_words(t.utc, t.local, t.relative)
                out.append(f"<li><code>{_e(t.claim)}</code>: {_e(words)}</li>")
            out.append("</ul>")
    if p.signature is not None:
        out.append(f"<h2>Signature ({_e(p.alg or 'no alg')}, {len(p.signature)} bytes)</h2>")
        out.append(f"<pre>{_e(p.signature.hex())}</pre>")
    out.append("<h2>Verification</h2>")
    findings = inspection.findings
    status = verdict(inspection.verification, findings=findings).status
    headline, *rest = verdict_lines(inspection.verification, findings)
    colour = _STATUS_COLOURS.get(status, "#b00020")
    out.append(
        f'<p class="verdict verdict-{_e(status)}" style="color: {colour}">{_e(headline)}</p>'
    )
    out += [f"<p>{_e(line)}</p>" for line in rest]
    profiles = _profiles(inspection, data)
    if profiles:
        out.append("<h2>Profile</h2><ul>")
        out += [f"<li>{_e(x)}</li>" for x in profiles]
        out.append("</ul>")
    out.append(f"<h2>{_e(findings_summary(findings))}</h2>")
    for f in findings:
        spec = CATALOGUE.get(f.id)
        colour = _SEVERITY_COLOURS.get(f.severity, "#999")
        out.append(f'<div class="finding" style="border-color: {colour}">')
        where = f" at <code>{_e(f.location)}</code>" if f.location else ""
        out.append(
            f'<p><span class="severity" style="color: {colour}">{_e(f.severity)}</span> '
            f"<strong>{_e(f.title)}</strong>{where} <code>[{_e(f.id)}]</code></p>"
        )
        out.append(f"<p>{_e(f.detail)}</p>")
        if spec is not None:
            out.append(f"<p>{_e(spec.explanation)}</p>")
            out.append(f'<p class="ref">Reference: {_e(spec.reference)}</p>')
        out.append("</div>")
    out.append("</section>\n")
    return "\n".join(out)


def html_document(inspection: Inspection, *, title: str = "JWT Inspector report") -> str:
    """The inspection as one self-contained HTML file."""
    return html_head(title) + html_section(inspection) + html_tail()
