"""The choosers of the statistics and year-in-reading pages (GET forms; a bad value gets
a message and the page falls back to the default)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.core.translation import lazy_format
from fanarchive.engagement.stats_selectors import COLUMNS, DAY_CHOICES, MEASURES

ALL_YEARS = "all"


def _year_choices(years: list[int], *, everything: str | None) -> list[tuple[str, str]]:
    choices = [(ALL_YEARS, everything)] if everything else []
    return choices + [(str(year), str(year)) for year in years]


class CreatorStatsForm(forms.Form):
    year = forms.ChoiceField(label=_("Year"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=COLUMNS)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("desc", _("Descending")), ("asc", _("Ascending"))],
    )
    measure = forms.ChoiceField(label=_("Chart"), required=False, choices=MEASURES)
    days = forms.TypedChoiceField(
        label=_("Days"),
        required=False,
        coerce=int,
        choices=[(str(n), lazy_format(_("Last %(days)s days"), days=n)) for n in DAY_CHOICES],
    )

    def __init__(self, data: Any, *, years: list[int]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["year"]).choices = _year_choices(
            years, everything=str(_("All years"))
        )

    def choice(self, name: str, default: Any) -> Any:
        """The cleaned value of a field, or `default` when missing or refused."""
        if not self.is_bound or name in self.errors:
            return default
        self.is_valid()  # cleans the fields; the refused ones were handled above
        return getattr(self, "cleaned_data", {}).get(name) or default

    def year_chosen(self) -> int | None:
        year = self.choice("year", ALL_YEARS)
        return None if year == ALL_YEARS else int(year)


class ReadingYearForm(forms.Form):
    year = forms.ChoiceField(label=_("Year"), required=False)

    def __init__(self, data: Any, *, years: list[int]) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["year"]).choices = _year_choices(years, everything=None)
