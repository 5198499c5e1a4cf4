from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.tags.fixed import NOT_RATED, RATINGS


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "Plain text, Markdown, HTML or EPUB (AO3 and FanFicFare downloads too), up to 20 MB."
        ),
    )
    fandom = forms.CharField(
        label=gettext_lazy("Fandom, if the file names none"),
        required=False,
        max_length=100,
    )
    pseud = forms.ChoiceField(label=gettext_lazy("Post as"), required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        pseud = self.fields["pseud"]
        if isinstance(pseud, forms.ChoiceField):
            pseud.choices = [
                (str(p.pk), p.name) for p in user.pseuds.order_by("-is_default", "name")
            ]


class ImportConfirmForm(forms.Form):
    """The review page's form: the upload to save, and what the writer may still change."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    fandom = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    pseud = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    # Checked by the posting service, which says what is wrong with a title.
    title = forms.CharField(label=gettext_lazy("Title"), required=False)
    cut_proposed_title = forms.BooleanField(
        label=gettext_lazy("Remove it from the text"), required=False
    )
    # The file's rating, or the one its text reads as (review.rating_suggestion).
    rating = forms.ChoiceField(
        label=gettext_lazy("Rating"),
        choices=[(r, r) for r in RATINGS],
        required=False,
        initial=NOT_RATED,
    )

    def __init__(
        self, *args: Any, proposed_title: str = "", suggested_rating: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposed_title = proposed_title
        if suggested_rating:
            self.fields["rating"].help_text = _(
                "%(rating)s is suggested from the text: the file gives no rating. "
                "Check it before posting."
            ) % {"rating": suggested_rating}
        if proposed_title:
            self.fields["title"].help_text = _(
                "Proposed from the start of the text, where the title seems to run into "
                "the first sentence. Change it if it is wrong."
            )
            self.fields["cut_proposed_title"].label = _(
                "Remove \u201c%(title)s\u201d from the start of the text"
            ) % {"title": proposed_title}

    def review_fields(self) -> list[BoundField]:
        """The fields the review page shows: the removal only when a title was proposed."""
        return [f for f in self if f.name != "cut_proposed_title" or self.proposed_title]
