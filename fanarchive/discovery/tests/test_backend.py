"""The catalogue's backend seam: chosen by a setting, Django-free names kept in step."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from config import env
from fanarchive.discovery.index import columns, live
from fanarchive.discovery.index.backend import Filter
from fanarchive.discovery.index.backends import BACKENDS, chosen
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.tags.models import TagType
from fanarchive.works import stats

pytestmark = pytest.mark.django_db


def test_the_index_names_tag_types_and_counts_as_the_apps_do():
    assert tuple(tag_type.value for tag_type in TagType) == columns.TAG_TYPES
    assert columns.STAT_NAMES == stats.STAT_NAMES


def test_the_setting_chooses_the_backend(settings):
    settings.CATALOGUE_BACKEND = "roaring"
    assert live.kind() is BACKENDS["roaring"]


def test_an_unknown_backend_is_refused_with_the_names_there_are(settings):
    settings.CATALOGUE_BACKEND = "elastic"
    with pytest.raises(ImproperlyConfigured, match=r"'elastic'.*roaring"):
        chosen(settings.CATALOGUE_BACKEND)
    live.forget()
    with pytest.raises(ImproperlyConfigured):
        works_find(viewer=viewer_for(AnonymousUser()), spec=Filter())
    live.forget()


def test_the_environment_names_the_backend(monkeypatch):
    monkeypatch.setenv("FANARCHIVE_CATALOGUE_BACKEND", " roaring ")
    assert env.load().catalogue_backend == "roaring"
    monkeypatch.delenv("FANARCHIVE_CATALOGUE_BACKEND")
    assert env.load().catalogue_backend == "roaring"
