"""The stylesheet's colours meet WCAG AA (4.5:1 for text) in every theme (the system's
light and dark, and the reader's choice of light, dark, sepia and high contrast):
computed from the custom properties in static/css/site.css, as the browser would use them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fanarchive.accounts.reader_settings import THEMES

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
AA_TEXT = 4.5
# (text, background) pairs the pages draw text with.
PAIRS = [
    ("header-fg", "header-bg"),  # the site header and its links
    ("header-bg", "header-fg"),  # the header's search button
    ("button-fg", "button-bg"),  # filled buttons
    ("accent", "bg"),  # links and secondary buttons
    ("accent", "box"),  # links in boxes (filters, notices)
    ("fg", "bg"),
    ("fg", "box"),
    ("muted", "bg"),
    ("muted", "box"),
]


def _properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", block))


def _block(css: str, selector: str, start: int = 0) -> str:
    opening = css.index(selector + " {", start)
    return css[opening : css.index("}", opening)]


# Themes a reader picks (accounts.reader_settings.THEMES) and their <html data-theme>.
CHOSEN_THEMES = ["dark", "sepia", "contrast"]


def themes() -> dict[str, dict[str, str]]:
    css = CSS.read_text()
    light = _properties(_block(css, ":root"))
    system_dark = css.index("@media (prefers-color-scheme: dark)")
    found = {
        "light": light,
        "dark": {**light, **_properties(_block(css, ":root:not([data-theme])", system_dark))},
    }
    for name in CHOSEN_THEMES:
        chosen = _properties(_block(css, f':root[data-theme="{name}"]'))
        found[f"chosen-{name}"] = {**light, **chosen}
    return found


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(d * 2 for d in hex_digits)
    r, g, b = (int(hex_digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#fff", "#fff") == pytest.approx(1.0)
    # The measurement: white on the old dark-theme pink.
    assert contrast("#fff", "#f08aa5") == pytest.approx(2.36, abs=0.01)


def test_both_themes_define_every_colour_the_pairs_use() -> None:
    for name, colours in themes().items():
        missing = {c for pair in PAIRS for c in pair} - colours.keys()
        assert not missing, f"{name} theme lacks {missing}"


def test_chosen_dark_theme_is_the_systems_dark_theme() -> None:
    assert themes()["chosen-dark"] == themes()["dark"]


def test_every_theme_a_reader_can_pick_has_colours() -> None:
    picked = {key for key, _ in THEMES} - {"system", "light"}
    assert picked == set(CHOSEN_THEMES)


@pytest.mark.parametrize("theme", ["light", "dark", *(f"chosen-{n}" for n in CHOSEN_THEMES)])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_meets_wcag_aa(theme: str, text: str, background: str) -> None:
    colours = themes()[theme]
    ratio = contrast(colours[text], colours[background])
    assert ratio >= AA_TEXT, f"{theme}: --{text} on --{background} is {ratio:.2f}:1"


def test_header_and_buttons_use_the_checked_properties() -> None:
    """The rules draw with the properties checked above, not a fixed white on the accent."""
    css = CSS.read_text()
    assert ".site-header { background: var(--header-bg); color: var(--header-fg); }" in css
    assert "background: var(--button-bg); color: var(--button-fg);" in css
    assert "background: var(--accent); color: #fff" not in css
