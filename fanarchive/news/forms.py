"""Forms of the news app. The fields are loose on purpose: the services give the messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.core.translation import lazy_format
from fanarchive.news import limits


class SitePageForm(forms.Form):
    title = forms.CharField(required=False, max_length=limits.TITLE_MAX)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("HTML (paragraphs, links, lists, headings). Scripts and styles are removed."),
    )


class NewsPostForm(forms.Form):
    title = forms.CharField(required=False, max_length=limits.TITLE_MAX)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("HTML (paragraphs, links, lists). Scripts and styles are removed."),
    )
    comments_enabled = forms.BooleanField(required=False, initial=True, label=_("Allow comments"))
    publish = forms.BooleanField(
        required=False, initial=True, label=_("Published (untick to keep it as a draft)")
    )


class NewsCommentForm(forms.Form):
    text = forms.CharField(
        required=False,
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=lazy_format(
            _("Up to %(max)s characters; some HTML is allowed."), max=f"{limits.COMMENT_MAX:,}"
        ),
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )


class BannerForm(forms.Form):
    text = forms.CharField(
        required=False,
        label=_("Banner text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=lazy_format(
            _("Up to %(max)s characters; links are allowed."), max=f"{limits.BANNER_MAX:,}"
        ),
    )
    active = forms.BooleanField(required=False, label=_("Show the banner on every page"))
