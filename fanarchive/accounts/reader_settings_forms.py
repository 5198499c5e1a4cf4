"""The reader settings form: each setting a fixed list, so nothing else reaches a page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts import reader_settings
from fanarchive.accounts.reader_settings import ReaderSettings


class ReaderSettingsForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=reader_settings.THEMES)
    font = forms.ChoiceField(label=_("Font"), choices=reader_settings.FONTS)
    font_size = forms.ChoiceField(label=_("Text size"), choices=reader_settings.FONT_SIZES)
    line_width = forms.ChoiceField(label=_("Line width"), choices=reader_settings.LINE_WIDTHS)
    line_spacing = forms.ChoiceField(label=_("Line spacing"), choices=reader_settings.LINE_SPACINGS)
    show_work_skins = forms.BooleanField(
        label=_("Show creators' work skins"),
        required=False,
        help_text=_(
            "A work skin is the styling a creator gives their work (colours, fonts, "
            "layout). Untick to read every work in your own settings."
        ),
    )

    @classmethod
    def initial_for(cls, settings: ReaderSettings) -> dict[str, object]:
        return {name: getattr(settings, name) for name in reader_settings.FIELD_NAMES}

    def settings(self) -> ReaderSettings:
        return ReaderSettings(**self.cleaned_data)

    def page_fields(self) -> list[forms.BoundField]:
        return [self["theme"], self["show_work_skins"]]

    def reading_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("font", "font_size", "line_width", "line_spacing")]
