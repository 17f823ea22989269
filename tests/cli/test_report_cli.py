"""``jwt-inspector-cli inspect --format text|json|md|html`` (issue 16 item 2), through the
installed entry point: what each report holds, that a hostile token's markup never survives
into the HTML, that no URL of any kind is in it, and that no key or secret reaches a report."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from inspector.core import inspect_token
from inspector.core.findings import CATALOGUE
from inspector.report import html_document, markdown, md_code, md_inline
from tests.cli.workbench import cli
from tests.core.tokens import CLEAN_CLAIMS, CLEAN_HEADER, CLEAN_NOW, clean_token, hs256

NOW = ["--now", str(CLEAN_NOW)]
#: The attacker's payload: markup, script, event handlers, javascript: and data: URLs, CSS
#: url() and @import, an HTML comment and CDATA end, Markdown links and images, backticks.
HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)">'
    "<a href='javascript:alert(3)'>x</a><style>@import url(http://evil.test/x.css)</style>"
    '<div style="background:url(https://evil.test/p.png)"></div>-->]]>'
    "<iframe src=data:text/html,hi></iframe>[link](javascript:alert(4)) ![i](http://evil.test/i)"
    "``` `inline` </pre></section></body><body onload=alert(5)> &amp; &#x3c;"
)


def hostile_token() -> str:
    header = {**CLEAN_HEADER, "kid": HOSTILE, HOSTILE: HOSTILE}
    claims = {
        **CLEAN_CLAIMS,
        "sub": HOSTILE,
        "email": HOSTILE,
        HOSTILE: [HOSTILE, {HOSTILE: HOSTILE}],
        "password": HOSTILE,
    }
    return hs256(header, claims)


class Elements(HTMLParser):
    """Every start tag and its attributes, every style text and every comment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self.comments: list[str] = []
        self._in_style = False
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)

    def handle_comment(self, data):
        self.comments.append(data)


#: The only elements and attributes a report writes.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "section", "p", "pre",
    "span", "code", "ul", "li", "div", "strong", "table", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRS = {"lang", "charset", "class", "style"}


def _parsed(html_text: str) -> Elements:
    parser = Elements()
    parser.feed(html_text)
    parser.close()
    return parser


def test_html_of_a_hostile_token_keeps_none_of_its_markup():
    r = cli("inspect", hostile_token(), "--format", "html", *NOW)
    assert r.returncode == 1, r.stderr  # the password claim is a high finding
    out = _parsed(r.stdout)
    tags = {t for t, _ in out.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert not {"script", "img", "a", "iframe", "link"} & tags
    for tag, attrs in out.tags:
        for name, value in attrs:
            assert name in ALLOWED_ATTRS, (tag, name)
            # The only attribute values are this module's: none carries the token's text.
            assert "evil" not in (value or ""), (tag, name)
            assert "alert" not in (value or ""), (tag, name)
    assert out.comments == []
    assert len(out.styles) == 1  # the one stylesheet, inline, with no URL
    assert "url(" not in out.styles[0]
    assert "@import" not in out.styles[0]
    # The token's text is there, as text the reader can see (in the JSON of the payload).
    assert json.dumps(HOSTILE, ensure_ascii=False) in "".join(out.text)
    # Only one body and one html element: the token's </body><body ...> is text.
    assert [t for t, _ in out.tags].count("body") == 1


def test_html_has_no_external_url_of_any_kind():
    r = cli("inspect", clean_token(), "--format", "html", *NOW)
    assert r.returncode == 0, r.stderr
    doc = r.stdout
    assert doc.startswith("<!DOCTYPE html>")
    assert doc.rstrip().endswith("</html>")
    out = _parsed(doc)
    assert all(name not in ("href", "src", "action") for _, attrs in out.tags for name, _ in attrs)
    # The only "://" in the document are the clean token's iss and aud, shown as text.
    schemes = [m.start() for m in re.finditer(r"[A-Za-z][A-Za-z0-9+.-]*://", doc)]
    assert schemes
    for at in schemes:
        assert doc.startswith((CLEAN_CLAIMS["iss"], CLEAN_CLAIMS["aud"]), at), doc[at : at + 40]


def test_html_and_markdown_give_parts_verification_findings_explanations():
    secret = "Zx9-DISTINCTIVE-secret-Q7w-3141592653"
    token = hs256(CLEAN_HEADER, {**CLEAN_CLAIMS, "email": "a@b.example"}, secret=secret.encode())
    for fmt in ("md", "html"):
        r = cli("inspect", token, "--format", fmt, "--secret", secret, *NOW)
        assert r.returncode == 0, r.stderr
        out = r.stdout
        for part in token.split("."):
            assert part in out
        assert "Signature verified" in out
        explanation = CATALOGUE["pii-claim"].explanation
        words = explanation if fmt == "html" else md_inline(explanation)
        assert words in out
        assert md_inline(CATALOGUE["pii-claim"].reference) in out or (
            CATALOGUE["pii-claim"].reference in out
        )
        assert "/payload/email" in out
        # The secret, in any encoding the reader could recognise, is nowhere in a report.
        for form in (secret, secret.encode().hex(), secret[:12], md_inline(secret)):
            assert form not in out, (fmt, form)


def test_no_report_contains_the_key(tmp_path):
    """A PEM public key whose text is distinctive: no line of it reaches any format."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tests.core.tokens import b64, segment

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path = tmp_path / "key.pem"
    path.write_bytes(pem)
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    signing_input = f"{segment({'alg': 'ES256'})}.{segment(CLEAN_CLAIMS)}"
    r_, s_ = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    token = f"{signing_input}.{b64(r_.to_bytes(32, 'big') + s_.to_bytes(32, 'big'))}"
    body = [line for line in pem.decode().splitlines() if "-----" not in line]
    for fmt in ("text", "json", "md", "html"):
        r = cli("inspect", token, "--format", fmt, "--key", str(path), *NOW)
        assert r.returncode == 0, (fmt, r.stdout, r.stderr)
        assert "verified" in r.stdout.lower()
        for line in body:
            assert line not in r.stdout, fmt


def test_json_and_format_json_agree_and_contradiction_is_usage_error():
    a = cli("inspect", clean_token(), "--json", *NOW)
    b = cli("inspect", clean_token(), "--format", "json", *NOW)
    assert a.returncode == b.returncode == 0
    assert json.loads(a.stdout)["token"] == json.loads(b.stdout)["token"] == clean_token()
    c = cli("inspect", clean_token(), "--json", "--format", "md", *NOW)
    assert c.returncode == 2
    assert "contradict" in c.stderr
    assert cli("inspect", clean_token(), "--format", "pdf", *NOW).returncode == 2


def test_text_format_is_the_default_report():
    a = cli("inspect", clean_token(), *NOW)
    b = cli("inspect", clean_token(), "--format", "text", *NOW)
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout
    assert "Verification" in a.stdout


def test_html_log_of_tokens_is_one_document():
    r = cli("inspect", "--format", "html", *NOW, stdin=f"{clean_token()}\n{clean_token()}\n")
    assert r.returncode == 0, r.stderr
    out = _parsed(r.stdout)
    names = [t for t, _ in out.tags]
    assert names.count("html") == 1
    assert names.count("section") == 2


def test_markdown_keeps_hostile_text_inert():
    inspection = inspect_token(hostile_token(), now=CLEAN_NOW)
    md = markdown(inspection)
    # Outside code blocks, no raw '<' and no link/image syntax from the token.
    outside = re.sub(r"(?ms)^(`{3,})[^\n]*\n.*?^\1$", "", md)
    outside = re.sub(r"(`+).*?\1", "", outside)
    assert "<" not in outside.replace("\\<", "")
    assert "](" not in outside.replace("\\]\\(", "")
    # Every code fence is closed by its own fence: the token's ``` cannot end one early.
    fences = re.findall(r"(?m)^(`{3,})", md)
    assert len(fences) % 2 == 0
    assert any(len(f) > 3 for f in fences)  # the fence grew past the token's backtick run


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("1. item", "1\\. item"),
        ("- item", "\\- item"),
        ("<b>&", "\\<b\\>\\&"),
        ("[a](b)", "\\[a\\]\\(b\\)"),
    ],
)
def test_md_inline(text, escaped):
    assert md_inline(text) == escaped


def test_md_code_span_cannot_be_closed_from_inside():
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x") == "`` `x ``"


def test_not_a_jwt_report_says_what_it_is():
    r = cli("inspect", "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "--format", "md", *NOW)
    assert r.returncode == 1
    assert "Not a JWT" in r.stdout
    assert "rotate it" in r.stdout


def test_profile_section_from_the_analysis(monkeypatch):
    """The report shows a recognised profile (``Analysis.profiles``, or ``to_dict()
    ["profile"]`` once the codec gives it)."""
    from inspector.core import profiles

    class Demo:
        name = "Demo profile"
        suppresses = frozenset()

        def detect(self, parsed):
            return "sub is user-4711" if (parsed.claims or {}).get("sub") == "user-4711" else None

        def findings(self, parsed, verification, options):
            return ()

    monkeypatch.setattr(profiles, "REGISTRY", [Demo()])
    inspection = inspect_token(clean_token(), now=CLEAN_NOW)
    assert "- Demo profile: sub is user-4711" in markdown(inspection)
    assert "Demo profile: sub is user-4711" in html_document(inspection)
    monkeypatch.setattr(profiles, "REGISTRY", [])
    assert "## Profile" not in markdown(inspect_token(clean_token(), now=CLEAN_NOW))
