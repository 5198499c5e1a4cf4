from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.api.models import TokenScope


class TokenForm(forms.Form):
    """Fields are optional here: the service says what is missing, as elsewhere."""

    name = forms.CharField(
        label=_("Token name"),
        required=False,
        max_length=200,
        help_text=_("What will use it, e.g. “my e-reader sync”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=[
            (TokenScope.READ, _("Read: find and read works, tags and profiles")),
            (TokenScope.WRITE, _("Read and write: also post and edit your works")),
        ],
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
