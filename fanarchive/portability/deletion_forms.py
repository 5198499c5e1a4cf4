"""The forms of deleting an account: the owner's (with the password) and an admin's
(with a reason). The choices are checked by `deletion_services`, which gives the messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.forms import PasswordAgainForm
from fanarchive.portability.deletion_services import COMMENTS_LABELS, WORKS_LABELS


class _ChoicesForm(forms.Form):
    works = forms.ChoiceField(
        label=_("Your works"),
        required=False,
        choices=[(str(value), label) for value, label in WORKS_LABELS.items()],
        widget=forms.RadioSelect,
        help_text=_(
            "Drafts are always deleted. Works you co-created stay with the other creators."
        ),
    )
    comments = forms.ChoiceField(
        label=_("Your comments"),
        required=False,
        choices=[(str(value), label) for value, label in COMMENTS_LABELS.items()],
        widget=forms.RadioSelect,
    )


class AccountDeleteForm(_ChoicesForm, PasswordAgainForm):
    field_order = ["works", "comments", "password"]


class AdminAccountDeleteForm(_ChoicesForm):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
