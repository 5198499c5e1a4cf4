"""Forms of the collections pages. Loose on purpose: the services give the messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.collections.models import ParticipantRole


class CollectionForm(forms.Form):
    name = forms.CharField(
        required=False,
        help_text=_("Letters, digits and underscores; it is the collection's address."),
    )
    title = forms.CharField(required=False)
    header_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text shown at the top of the collection's pages (no images)."),
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("HTML (paragraphs, links, lists). Scripts and styles are removed."),
    )
    rules = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("HTML, as the description."),
    )
    parent = forms.CharField(
        required=False,
        label=_("Parent collection (name)"),
        help_text=_("To make this a sub-collection of a collection you own."),
    )
    closed = forms.BooleanField(required=False, label=_("Closed (no new works can be added)"))
    moderated = forms.BooleanField(
        required=False, label=_("Moderated (works wait for a moderator's approval)")
    )
    unrevealed = forms.BooleanField(
        required=False, label=_("Unrevealed (works hidden until you reveal them)")
    )
    anonymous = forms.BooleanField(
        required=False, label=_("Anonymous (creators shown as Anonymous until you reveal them)")
    )


class ParticipantAddForm(forms.Form):
    username = forms.CharField(required=False, label=_("User name"))
    role = forms.ChoiceField(choices=ParticipantRole.choices, initial=ParticipantRole.MEMBER)


class ParticipantRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=[(v, label) for v, label in ParticipantRole.choices if v != ParticipantRole.INVITED]
    )


class WorkInviteForm(forms.Form):
    work_id = forms.IntegerField(required=False, label=_("Work number"))


class CollectionChoiceForm(forms.Form):
    collection = forms.CharField(required=False, label=_("Collection name"))
