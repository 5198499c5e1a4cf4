"""Reads: the expansion the discovery index uses, and random wrangling against the index."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError

from fanarchive.core.testing import make_work
from fanarchive.discovery.tagging import filter_tag_ids
from fanarchive.tags.models import Tag, TagType, WranglingAction, WranglingLog
from fanarchive.tags.selectors import autocomplete_tags, implied_tag_ids
from fanarchive.tags.tests.conftest import found
from fanarchive.wrangling.services import (
    tag_add_metatag,
    tag_make_synonym,
    tag_merge,
    tag_remove_metatag,
    tag_remove_synonym,
    tag_rename,
    tag_set_canonical,
)

pytestmark = pytest.mark.django_db


def test_a_tag_implies_itself_its_canonical_and_metatags(admin, user):
    make_work(user, freeforms=["Fluff", "Domestic Fluff", "domestic-fluff", "Tea"])
    fluff, domestic, variant, tea = (
        Tag.objects.get(type=TagType.FREEFORM, name=n)
        for n in ("Fluff", "Domestic Fluff", "domestic-fluff", "Tea")
    )
    tag_set_canonical(user=admin, tag=fluff, canonical=True)
    tag_set_canonical(user=admin, tag=domestic, canonical=True)
    tag_make_synonym(user=admin, tag=variant, canonical=domestic)
    tag_add_metatag(user=admin, tag=domestic, metatag=fluff)
    implied = implied_tag_ids([variant.pk, tea.pk, fluff.pk])
    assert implied == {
        variant.pk: {variant.pk, domestic.pk, fluff.pk},
        tea.pk: {tea.pk},
        fluff.pk: {fluff.pk},
    }


def test_the_discovery_index_files_works_through_the_expansion(admin, user):
    work = make_work(user, freeforms=["Fluff", "domestic-fluff"])
    fluff = Tag.objects.get(type=TagType.FREEFORM, name="Fluff")
    variant = Tag.objects.get(type=TagType.FREEFORM, name="domestic-fluff")
    make_work(user, freeforms=["Domestic Fluff"])
    domestic = Tag.objects.get(type=TagType.FREEFORM, name="Domestic Fluff")
    tag_set_canonical(user=admin, tag=domestic, canonical=True)
    tag_set_canonical(user=admin, tag=fluff, canonical=True)
    tag_make_synonym(user=admin, tag=variant, canonical=domestic)
    tag_add_metatag(user=admin, tag=domestic, metatag=fluff)
    own = set(work.work_tags.values_list("tag_id", flat=True))
    assert filter_tag_ids([work.pk])[work.pk] == own | {domestic.pk}


def test_autocomplete_leaves_out_unwrangleable_and_orders(admin, user):
    make_work(user, characters=["Kestrel Dawn", "Kes"])
    make_work(user, characters=["Kestrel Dawn", "Kestrel"])
    tag_set_canonical(
        user=admin, tag=Tag.objects.get(type=TagType.CHARACTER, name="Kestrel"), canonical=True
    )
    names = [t.name for t in autocomplete_tags(tag_type=TagType.CHARACTER, query="kes")]
    assert names[0] == "Kestrel"


def test_random_wrangling_keeps_index_and_database_in_step(admin, user):
    """Random synonyms, metatags, merges and renames; after each, every tag filters the
    same in the discovery index as in the database's own reference."""
    rng = random.Random(6)
    names = [f"Trope {n}" for n in range(10)]
    for _ in range(25):
        make_work(user, freeforms=rng.sample(names, rng.randint(1, 3)))
    tags = list(Tag.objects.filter(type=TagType.FREEFORM, name__startswith="Trope"))
    for one in tags[:6]:
        tag_set_canonical(user=admin, tag=one, canonical=True)
    for step in range(30):
        a, b = rng.sample(tags, 2)
        for one in (a, b):
            one.refresh_from_db()
        operation = rng.choice(["synonym", "unsynonym", "metatag", "unmetatag", "merge", "rename"])
        try:
            if operation == "synonym":
                tag_make_synonym(user=admin, tag=a, canonical=b)
            elif operation == "unsynonym":
                tag_remove_synonym(user=admin, tag=a)
            elif operation == "metatag":
                tag_add_metatag(user=admin, tag=a, metatag=b)
            elif operation == "unmetatag":
                tag_remove_metatag(user=admin, tag=a, metatag=b)
            elif operation == "merge":
                tag_merge(user=admin, tag=a, into=b)
            else:
                tag_rename(user=admin, tag=a, name=f"{a.name} ({step})")
        except ValidationError:
            continue
        for one in tags:
            one.refresh_from_db()
            found(one.filter_tag)
    assert WranglingLog.objects.exclude(action=WranglingAction.CANONICAL).count() >= 8
