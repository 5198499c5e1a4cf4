from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField

from fanarchive.accounts.models import User
from fanarchive.tags.fixed import NOT_RATED, RATINGS


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text=(
            "Plain text, Markdown, HTML or EPUB (AO3 and FanFicFare downloads too), up to 20 MB."
        ),
    )
    fandom = forms.CharField(
        label="Fandom, if the file names none",
        required=False,
        max_length=100,
    )
    pseud = forms.ChoiceField(label="Post as", required=False)

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
    title = forms.CharField(label="Title", required=False)
    cut_proposed_title = forms.BooleanField(label="Remove it from the text", required=False)
    # The file's rating, or the one its text reads as (review.rating_suggestion).
    rating = forms.ChoiceField(
        label="Rating", choices=[(r, r) for r in RATINGS], required=False, initial=NOT_RATED
    )

    def __init__(
        self, *args: Any, proposed_title: str = "", suggested_rating: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposed_title = proposed_title
        if suggested_rating:
            self.fields["rating"].help_text = (
                f"{suggested_rating} is suggested from the text: the file gives no rating. "
                "Check it before posting."
            )
        if proposed_title:
            self.fields["title"].help_text = (
                "Proposed from the start of the text, where the title seems to run into "
                "the first sentence. Change it if it is wrong."
            )
            self.fields[
                "cut_proposed_title"
            ].label = f"Remove \u201c{proposed_title}\u201d from the start of the text"

    def review_fields(self) -> list[BoundField]:
        """The fields the review page shows: the removal only when a title was proposed."""
        return [f for f in self if f.name != "cut_proposed_title" or self.proposed_title]
