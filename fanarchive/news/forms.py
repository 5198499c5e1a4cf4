"""Forms of the news app. The fields are loose on purpose: the services give the messages."""

from __future__ import annotations

from django import forms

from fanarchive.news import limits


class SitePageForm(forms.Form):
    title = forms.CharField(required=False, max_length=limits.TITLE_MAX)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="HTML (paragraphs, links, lists, headings). Scripts and styles are removed.",
    )


class NewsPostForm(forms.Form):
    title = forms.CharField(required=False, max_length=limits.TITLE_MAX)
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="HTML (paragraphs, links, lists). Scripts and styles are removed.",
    )
    comments_enabled = forms.BooleanField(required=False, initial=True, label="Allow comments")
    publish = forms.BooleanField(
        required=False, initial=True, label="Published (untick to keep it as a draft)"
    )


class NewsCommentForm(forms.Form):
    text = forms.CharField(
        required=False,
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Up to {limits.COMMENT_MAX:,} characters; some HTML is allowed.",
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )


class BannerForm(forms.Form):
    text = forms.CharField(
        required=False,
        label="Banner text",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Up to {limits.BANNER_MAX:,} characters; links are allowed.",
    )
    active = forms.BooleanField(required=False, label="Show the banner on every page")
