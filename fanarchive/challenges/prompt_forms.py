"""Forms of the prompt meme's pages: the prompt list's filters, filling a claim."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import User
from fanarchive.challenges.prompt_selectors import (
    TAG_FILTER_MAX_LENGTH,
    PromptFilters,
    fillable_works,
)
from fanarchive.works.models import Work


class PromptFilterForm(forms.Form):
    """The list's filters, sent by GET (loose: a bad value is just no filter)."""

    tag = forms.CharField(
        required=False,
        max_length=TAG_FILTER_MAX_LENGTH,
        label=_("Tag"),
        help_text=_("A tag of any type; its synonyms count too."),
    )
    unfilled = forms.BooleanField(required=False, label=_("Only unfilled prompts"))
    unclaimed = forms.BooleanField(required=False, label=_("Only unclaimed prompts"))
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=[("newest", _("Newest first")), ("oldest", _("Oldest first"))],
    )

    def filters(self) -> PromptFilters:
        if not self.is_valid():
            return PromptFilters()
        data = self.cleaned_data
        return PromptFilters(
            tag=data["tag"],
            unfilled=data["unfilled"],
            unclaimed=data["unclaimed"],
            sort=data["sort"] or "newest",
        )


class ClaimFillForm(forms.Form):
    """Choose one of one's posted works to fill a claim with."""

    work = forms.ModelChoiceField(
        queryset=Work.objects.none(),
        label=_("Fill with one of your works"),
        empty_label=_("Choose a work"),
        error_messages={"invalid_choice": _("Choose one of your posted works.")},
    )

    def __init__(self, *args: Any, works: QuerySet[Work], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["work"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = works


def fill_form_for(user: User, data: Any = None, *, prefix: str | None = None) -> ClaimFillForm:
    return ClaimFillForm(data, works=fillable_works(user), prefix=prefix)
