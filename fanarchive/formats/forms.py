from __future__ import annotations

from django import forms

from fanarchive.accounts.models import User


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
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    fandom = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    pseud = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
