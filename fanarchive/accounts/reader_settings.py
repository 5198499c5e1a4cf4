"""Reader settings (FEATURES.md R3): how pages look to one reader.

A closed set of choices per setting, so the stylesheet maps each value to CSS custom
properties through data attributes on <html> (no inline style: the CSP forbids it).
Guests keep them in a cookie the server reads, so the first HTML already carries the
right theme; an account keeps them on its Preference, and those win once logged in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from urllib.parse import parse_qsl, urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "reader"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a year, renewed on each save

# "system" follows the operating system's light or dark, the behaviour before settings.
THEMES = [
    ("system", _("Follow my system (light or dark)")),
    ("light", _("Light")),
    ("dark", _("Dark")),
    ("sepia", _("Sepia")),
    ("contrast", _("High contrast")),
]
FONTS = [
    ("default", _("The site's font (serif)")),
    ("sans", _("Sans serif")),
    ("readable", _("Easy-reading (wide letters, for dyslexia)")),
    ("mono", _("Monospace")),
]
FONT_SIZES = [
    ("90", _("Smaller (90%)")),
    ("100", _("Normal (100%)")),
    ("115", _("Larger (115%)")),
    ("130", _("Large (130%)")),
    ("150", _("Very large (150%)")),
    ("175", _("Huge (175%)")),
]
LINE_WIDTHS = [
    ("narrow", _("Narrow (about 55 characters)")),
    ("normal", _("Normal (about 70 characters)")),
    ("wide", _("Wide (about 90 characters)")),
    ("full", _("The whole window")),
]
LINE_SPACINGS = [
    ("tight", _("Tight")),
    ("normal", _("Normal")),
    ("loose", _("Loose")),
    ("double", _("Double")),
]


@dataclass(frozen=True)
class ReaderSettings:
    theme: str = "system"
    font: str = "default"
    font_size: str = "100"
    line_width: str = "normal"
    line_spacing: str = "normal"
    show_work_skins: bool = True

    def html_attributes(self) -> dict[str, str]:
        """The data attributes <html> carries; a default value is left out."""
        default = ReaderSettings()
        names = {
            "theme": "theme",
            "font": "font",
            "font_size": "size",
            "line_width": "width",
            "line_spacing": "spacing",
        }
        return {
            f"data-{attribute}": getattr(self, name)
            for name, attribute in names.items()
            if getattr(self, name) != getattr(default, name)
        }


CHOICES: dict[str, Sequence[tuple[str, str | Promise]]] = {
    "theme": THEMES,
    "font": FONTS,
    "font_size": FONT_SIZES,
    "line_width": LINE_WIDTHS,
    "line_spacing": LINE_SPACINGS,
}
DEFAULTS = ReaderSettings()


def settings_from_values(values: dict[str, object]) -> ReaderSettings:
    """Settings from loose values (a cookie, a row): anything unknown falls back to the
    default, so a stale or tampered cookie never breaks a page."""
    chosen: dict[str, object] = {}
    for name, choices in CHOICES.items():
        value = str(values.get(name, ""))
        if value in {key for key, _ in choices}:
            chosen[name] = value
    skins = values.get("show_work_skins")
    if skins is not None:
        chosen["show_work_skins"] = skins in (True, "1", "on", "true")
    return ReaderSettings(**chosen)  # type: ignore[arg-type]


def cookie_value(settings: ReaderSettings) -> str:
    values = asdict(settings)
    values["show_work_skins"] = "1" if settings.show_work_skins else "0"
    return urlencode(values)


def settings_from_cookie(raw: str | None) -> ReaderSettings:
    if not raw or len(raw) > 500:
        return DEFAULTS
    return settings_from_values(dict(parse_qsl(raw)))


FIELD_NAMES = [f.name for f in fields(ReaderSettings)]
