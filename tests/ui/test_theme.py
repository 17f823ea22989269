"""The colours in resources/theme.json are readable and tell the parts apart for everyone.

- WCAG 2.x AA: every part colour and the dot colour reach 4.5:1 against the editor background
  ('base') and against the finding highlight, in the light and the dark variant.
- Colour-vision deficiency: under protanopia, deuteranopia and tritanopia (Machado et al. 2009,
  severity 1.0), and with normal vision, every pair of the three part colours stays at least
  MIN_DELTA_E00 apart (CIEDE2000).

Why 20: one CIEDE2000 unit is about one just-noticeable difference for large patches seen side
by side (~2.3 is the usual JND). Token text is thin glyphs, not patches, and the parts are read
in succession rather than side by side; Szafir (2017, "Modeling Color Difference for
Visualization Design") measured that small marks need several times the patch JND to be told
apart reliably. 20 keeps roughly a 3-4x margin over those small-mark thresholds, the same
order as the spacing of categorical palettes designed for CVD (Okabe-Ito pairs under
simulation mostly sit between 15 and 40). Orange next to green, as jwt.io's current scheme
puts them, falls far below it under deuteranopia (asserted below so the check has teeth).
"""

from __future__ import annotations

import itertools
import json

import pytest

from inspector import resources
from tests.ui.colour_science import (
    MACHADO,
    ciede2000,
    contrast_ratio,
    delta_e,
    relative_luminance,
)

MIN_CONTRAST = 4.5
MIN_DELTA_E00 = 20.0
PARTS = ("header", "payload", "signature")
VARIANTS = ("light", "dark")
VISION = (None, *MACHADO)

THEME = json.loads(resources.read_text("theme.json"))


def test_colour_maths_against_published_values() -> None:
    # Sharma, Wu & Dalal (2005), test data pairs 1 and 17.
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    # WCAG: black on white is 21:1; #767676 on white is the classic 4.54:1.
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#ffffff") == pytest.approx(1.0)


def test_deficiency_simulation_collapses_red_green_but_not_blue_yellow() -> None:
    # Pure red and green: far apart normally, close for protanopes and deuteranopes.
    assert delta_e("#d62728", "#2ca02c") > 60
    assert delta_e("#cc3311", "#228833", "deuteranopia") < 15
    # Blue and yellow stay apart for them, and collapse more for tritanopes.
    assert delta_e("#0044aa", "#ddaa00", "deuteranopia") > 40
    assert delta_e("#0044aa", "#ddaa00", "tritanopia") < delta_e(
        "#0044aa", "#ddaa00", "deuteranopia"
    )


def test_an_orange_and_green_pair_like_jwt_io_fails_the_threshold() -> None:
    orange, green = "#f5a623", "#6ab344"
    worst = min(delta_e(orange, green, v) for v in VISION)
    assert worst < MIN_DELTA_E00


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", [*PARTS, "dot"])
def test_part_colours_reach_wcag_aa(variant: str, name: str) -> None:
    theme = THEME[variant]
    for background in ("base", "highlight"):
        ratio = contrast_ratio(theme[name], theme[background])
        assert ratio >= MIN_CONTRAST, (
            f"{variant} {name} {theme[name]} on {background} {theme[background]}: {ratio:.2f}:1"
        )


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("vision", VISION, ids=lambda v: v or "normal")
def test_part_colours_stay_apart_under_colour_blindness(variant: str, vision: str | None) -> None:
    theme = THEME[variant]
    for a, b in itertools.combinations(PARTS, 2):
        d = delta_e(theme[a], theme[b], vision)
        assert d >= MIN_DELTA_E00, f"{variant} {a}/{b} under {vision or 'normal vision'}: {d:.1f}"


@pytest.mark.parametrize("variant", VARIANTS)
def test_verdict_and_severity_text_is_readable(variant: str) -> None:
    theme = THEME[variant]
    for status, colour in theme["verdict"].items():
        assert contrast_ratio(theme["verdict_text"], colour) >= MIN_CONTRAST, status
    for severity, colour in theme["severity"].items():
        assert contrast_ratio(colour, theme["base"]) >= MIN_CONTRAST, severity
    for name in ("text", "muted", "error"):
        assert contrast_ratio(theme[name], theme["base"]) >= MIN_CONTRAST, name


def test_both_variants_define_the_same_colours() -> None:
    light, dark = THEME["light"], THEME["dark"]
    assert set(light) == set(dark)
    assert set(light["severity"]) == {"error", "critical", "high", "medium", "low", "info"}
    assert set(light["verdict"]) == {"valid", "invalid", "unchecked", "error"}
