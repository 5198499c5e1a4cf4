from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.engagement import limits


class CommentForm(forms.Form):
    """A comment or a reply; guests also give a name (and may give an e-mail address).

    Fields are optional on purpose: the service gives the messages.
    """

    text = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": limits.COMMENT_MAX}),
        help_text=_("Plain text or HTML; line breaks become paragraphs."),
    )
    pseud = forms.TypedChoiceField(
        label=_("Comment as"), required=False, coerce=int, empty_value=None
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=limits.GUEST_NAME_MAX)
    email = forms.CharField(
        label=_("E-mail address (optional, never shown)"), required=False, max_length=254
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]
            pseuds = list(user.pseuds.all())
            field = self.fields["pseud"]
            if isinstance(field, forms.TypedChoiceField):
                field.choices = [(p.pk, p.name) for p in pseuds]
            if len(pseuds) < 2:
                field.widget = forms.HiddenInput()
            if not self.is_bound:
                self.initial.setdefault("pseud", next((p.pk for p in pseuds if p.is_default), None))
        else:
            del self.fields["pseud"]


class CommentEditForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": limits.COMMENT_MAX}),
    )
