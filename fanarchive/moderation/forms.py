"""Forms of the moderation pages. They parse; the services validate and give the messages
(so the fields are mostly optional here on purpose)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.moderation.models import ReportCategory, Resolution
from fanarchive.tags.fixed import RATINGS, WARNINGS

# What each category covers, shown under its choice (in the spirit of AO3's abuse form).
CATEGORY_HELP: dict[str, str | Promise] = {
    ReportCategory.SPAM: gettext_lazy(
        "Advertising, link farms, or the same text posted again and again."
    ),
    ReportCategory.HARASSMENT: (
        gettext_lazy("Threats, targeted abuse, or content that shares someone's private details.")
    ),
    ReportCategory.NCII: (
        gettext_lazy(
            "Intimate images of a real person shared without their consent. "
            "These reports are handled first, within 48 hours."
        )
    ),
    ReportCategory.COPYRIGHT: (
        gettext_lazy("Someone else's work posted without permission, or plagiarism of your work.")
    ),
    ReportCategory.RATING: (
        gettext_lazy("The rating or the archive warnings do not match what the work contains.")
    ),
    ReportCategory.UNDERAGE: gettext_lazy(
        "An account run by someone under the age this archive allows."
    ),
    ReportCategory.OTHER: gettext_lazy("Anything else that breaks the archive's rules."),
}

# The honeypot's name: a field people never see (hidden by the stylesheet) that form-filling
# bots fill in.
HONEYPOT = "website"


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("What kind of problem is it?"),
        choices=ReportCategory.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Tell us what is wrong"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy(
            "Where it is, and why it breaks the rules. Plain text, up to 5000 characters."
        ),
    )
    email = forms.CharField(
        label=gettext_lazy("Your e-mail address"),
        required=False,
        help_text=gettext_lazy(
            "We write to you once your report is resolved; it is not shown to anyone else."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, guest: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not guest:
            del self.fields["email"]

    def is_bot(self) -> bool:
        """The honeypot was filled in: a person never sees that field."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def category_choices(self) -> list[tuple[str, str, str]]:
        """(value, label, explanation) for the template's radio list."""
        return [
            (value, str(label), str(CATEGORY_HELP[value]))
            for value, label in ReportCategory.choices
        ]


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[(v, label) for v, label in Resolution.choices if v != Resolution.RESTORE],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy(
            "The person the report is about is shown it (required except for no action)."
        ),
    )
    suspend_days = forms.IntegerField(
        label=gettext_lazy("Suspend for (days)"), required=False, min_value=1
    )
    suspend_forever = forms.BooleanField(label=gettext_lazy("Suspend for good"), required=False)
    hide_their_works = forms.BooleanField(
        label=gettext_lazy("Also hide their works"), required=False
    )
    rating = forms.ChoiceField(
        label=gettext_lazy("New rating"),
        choices=[("", "---------")] + [(r, r) for r in RATINGS],
        required=False,
    )
    warnings = forms.MultipleChoiceField(
        label=gettext_lazy("New archive warnings"),
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("resolution"):
            self.add_error("resolution", _("Please choose what to do."))
        elif data["resolution"] == Resolution.NONE and not (data.get("reason") or "").strip():
            # "No action" needs no explanation; the audit log still wants words.
            data["reason"] = "No action needed."
        return data


class AppealForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Why the decision was wrong"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=gettext_lazy("You can appeal each decision once; another moderator reads it."),
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("uphold", gettext_lazy("Uphold the appeal (undo the action)")),
            ("refuse", gettext_lazy("Refuse the appeal")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("The person who appealed is shown it."),
    )


AGES = [
    ("", gettext_lazy("Any age")),
    ("24", gettext_lazy("Older than 24 hours")),
    ("72", gettext_lazy("Older than 72 hours")),
]
STATES = [
    ("", gettext_lazy("Open and assigned, with appeals")),
    ("open", gettext_lazy("Open")),
    ("assigned", gettext_lazy("Assigned")),
    ("appeal", gettext_lazy("Appeals")),
    ("resolved", gettext_lazy("Resolved")),
]


class QueueFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        choices=[("", gettext_lazy("Any category")), *ReportCategory.choices],
        required=False,
    )
    state = forms.ChoiceField(label=gettext_lazy("State"), choices=STATES, required=False)
    age = forms.ChoiceField(label=gettext_lazy("Age"), choices=AGES, required=False)
    mine = forms.BooleanField(label=gettext_lazy("Assigned to me"), required=False)

    def filters(self) -> dict[str, Any]:
        """The queue selector's arguments (unknown values are dropped, not refused)."""
        self.is_valid()  # an unknown value only drops its own filter
        data = self.cleaned_data
        age = data.get("age") or ""
        return {
            "category": data.get("category") or None,
            "state": data.get("state") or None,
            "older_than_hours": int(age) if age else None,
            "mine": bool(data.get("mine")),
        }
