"""The Python-built widget HTML (core.form_renderer) is Django's own, character for character."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from fanarchive.core.form_renderer import FastTemplates
from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import GENERAL


class Everything(forms.Form):
    """One field per kind of widget the builders cover, with awkward values."""

    text = forms.CharField(
        label='Name & "title"',
        widget=forms.TextInput(attrs={"data-x": 'a"b<c>', "autofocus": True}),
    )
    bare = forms.CharField(
        label="Bare?", required=False, widget=forms.TextInput(attrs={"off": False})
    )
    number = forms.IntegerField(min_value=0, max_value=10)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    mail = forms.EmailField()
    site = forms.URLField(assume_scheme="https")
    flag = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("", "---"), ("a", "A & B"), (1, mark_safe("<b>one</b>"))])
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("other", "Other <thing>")]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")])
    radio = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("s", "Small"), ("l", "Large")], widget=forms.CheckboxSelectMultiple
    )
    words = forms.CharField(widget=forms.Textarea)


def rendered(form: forms.Form) -> list[str]:
    out = []
    for field in form:
        out += [str(field), field.label_tag(), str(field.label_tag(attrs={"class": "x"}))]
        out += [sub.tag() for sub in field.subwidgets]
        out += [sub.tag(wrap_label=True) for sub in field.subwidgets]
    return out


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": "O'Neil & <co>",
            "bare": "",
            "number": "7",
            "when": "2026-12-01",
            "hidden": '"quoted"',
            "secret": "pw&",
            "flag": "on",
            "choice": "1",
            "grouped": "pear",
            "many": ["x", "y"],
            "radio": "g",
            "boxes": ["l"],
            "words": "a < b",
        },
    ],
)
def test_every_widget_renders_as_djangos_templates_do(data: dict[str, Any] | None) -> None:
    fast = rendered(Everything(data, renderer=FastTemplates()))
    django = rendered(Everything(data, renderer=DjangoTemplates()))
    assert fast == django


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.mark.django_db
def test_the_sites_pages_are_the_same_with_djangos_renderer() -> None:
    user = make_user("renderer")
    work = make_work(user, rating=GENERAL, title="Harbour Lights")
    client = Client()
    client.force_login(user)
    pages = [
        reverse("works:list") + "?sort=kudos&complete=T&language=en&words_from=5",
        reverse("works:new"),
        reverse("works:edit", args=[work.pk]),
        reverse("works:chapter_new", args=[work.pk]),
        reverse("works:detail", args=[work.pk]),
        reverse("accounts:preferences", args=[user.username]),
        reverse("formats:import"),
    ]

    def fetch(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200, url
        return CSRF.sub("", response.content.decode())

    fast = [fetch(url) for url in pages]
    with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
        django = [fetch(url) for url in pages]
    for url, ours, theirs in zip(pages, fast, django, strict=True):
        assert ours == theirs, url
    assert "<select" in fast[0] and "<input" in fast[1]


def test_the_site_uses_the_fast_renderer() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastTemplates)
