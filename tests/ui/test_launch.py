"""What the launch path does to start faster keeps the app as it was: the same style (set
when the application is created instead of switched to later) and the same escaping of
finding text (without importing :mod:`html`)."""

from __future__ import annotations

import html
import os
import subprocess
import sys

from inspector.ui.render import escape_html

SCRIPT = r"""
from inspector.ui.theme import apply_theme, load_theme, new_application

app = new_application("jwt-inspector")
started_with = app.style().name()
switched = []
app.setStyle = switched.append  # apply_theme would call this to switch styles
theme = load_theme("light")
apply_theme(app, theme)
window = app.palette().color(app.palette().ColorRole.Window).name()
print("STYLE", started_with, len(switched), window == theme["window"], app.styleSheet() == "")
"""


def test_the_application_starts_with_fusion_and_theming_keeps_that_style():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("STYLE"))
    # Fusion from the start; applying the theme sets its palette without switching style,
    # and no application stylesheet (see theme.style_widgets).
    assert line.split()[1:] == ["fusion", "0", "True", "True"]


def test_finding_text_is_escaped_exactly_as_html_escape_does():
    for text in ["", "plain", "<b>&amp;</b>", "a \"quoted\" 'kid' & <tag>", "é ✓ \U0001f511 <>&"]:
        assert escape_html(text) == html.escape(text)


def test_the_window_shows_escaped_finding_text(window):
    window.finding_detail.show_message("<not markup> & more")
    assert "<not markup> & more" in window.finding_detail.toPlainText()
