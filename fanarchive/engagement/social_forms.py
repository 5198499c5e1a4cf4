"""Forms of bookmarks, the inbox and subscriptions. The services validate; these parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import Pseud, User


class BookmarkForm(forms.Form):
    pseud = forms.ModelChoiceField(
        queryset=Pseud.objects.none(), label=_("Bookmark as"), required=True, empty_label=None
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    tags = forms.CharField(
        label=_("Your tags"),
        required=False,
        help_text=_("Separate tags with commas."),
        widget=forms.TextInput(attrs={"data-autocomplete-type": "freeform"}),
    )
    rec = forms.BooleanField(label=_("Rec (recommend this to others)"), required=False)
    private = forms.BooleanField(label=_("Private bookmark (only you can see it)"), required=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        pseud_field = self.fields["pseud"]
        if not isinstance(pseud_field, forms.ModelChoiceField):
            raise TypeError("pseud must be a choice of pseuds")
        pseud_field.queryset = Pseud.objects.filter(user=user).order_by("-is_default", "name")
        if not self.is_bound and "pseud" not in self.initial:
            self.initial["pseud"] = user.default_pseud

    def tag_names(self) -> list[str]:
        return [name for name in self.cleaned_data["tags"].split(",") if name.strip()]
