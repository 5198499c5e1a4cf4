"""Forms of the gift exchange's matching and assignment pages (choices only; the rules
are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.challenges.models import Assignment, SignUp
from fanarchive.works.models import Work


class SignUpChoiceField(forms.ModelChoiceField[SignUp]):
    def label_from_instance(self, obj: SignUp) -> str:
        return obj.pseud.byline


class DraftChoiceField(forms.ModelChoiceField[Assignment]):
    def label_from_instance(self, obj: Assignment) -> str:
        giver = obj.giver.pseud.byline if obj.giver is not None else "nobody"
        return f"{giver} writes for {obj.recipient.pseud.byline}"


class WorkChoiceField(forms.ModelChoiceField[Work]):
    def label_from_instance(self, obj: Work) -> str:
        return obj.title


class AdjustForm(forms.Form):
    """Set a giver's recipient among everyone signed up."""

    giver = SignUpChoiceField(queryset=SignUp.objects.none(), label=gettext_lazy("Giver"))
    recipient = SignUpChoiceField(queryset=SignUp.objects.none(), label=gettext_lazy("Recipient"))
    force = forms.BooleanField(
        required=False,
        label=gettext_lazy("Assign anyway"),
        help_text=gettext_lazy(
            "Even if no offer of the giver satisfies a request of the recipient."
        ),
    )

    def __init__(self, *args: Any, signups: QuerySet[SignUp], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("giver", "recipient"):
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = signups


class SwapForm(forms.Form):
    """Swap the recipients of two drafts."""

    first = DraftChoiceField(
        queryset=Assignment.objects.none(), label=gettext_lazy("First assignment")
    )
    second = DraftChoiceField(
        queryset=Assignment.objects.none(), label=gettext_lazy("Second assignment")
    )
    force = forms.BooleanField(required=False, label=gettext_lazy("Swap anyway"))

    def __init__(self, *args: Any, drafts: QuerySet[Assignment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = drafts


class PinchHitForm(forms.Form):
    pinch_hitter = forms.CharField(label=gettext_lazy("Pinch hitter's user name"), max_length=150)

    def clean_pinch_hitter(self) -> User:
        name = self.cleaned_data["pinch_hitter"].strip()
        user = User.objects.filter(username__iexact=name).first()
        if user is None:
            raise forms.ValidationError(_("There is no account named %(name)s.") % {"name": name})
        return user


class FulfilForm(forms.Form):
    work = WorkChoiceField(
        queryset=Work.objects.none(),
        label=gettext_lazy("Fulfil with one of your works"),
        empty_label=gettext_lazy("Choose a work"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of your own posted works.")},
    )

    def __init__(self, *args: Any, works: QuerySet[Work], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["work"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = works
