"""Reads: the expansion the discovery index uses, and random wrangling against the index."""

from __future__ import annotations

import importlib
import random

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from fanarchive.core.testing import make_work
from fanarchive.discovery.tagging import filter_tag_ids
from fanarchive.tags import selectors
from fanarchive.tags.models import (
    FandomLink,
    Tag,
    TagType,
    TagWord,
    WranglingAction,
    WranglingLog,
    fold_name,
)
from fanarchive.tags.selectors import autocomplete_tags, implied_tag_ids
from fanarchive.tags.tests.conftest import found
from fanarchive.works.tag_count_services import tags_recount
from fanarchive.wrangling.services import (
    tag_add_metatag,
    tag_link_fandom,
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


def reference_autocomplete(tag_type: str, query: str, fandoms: set[int] | None = None) -> list[str]:
    """What autocomplete must answer, computed in Python from every tag: the folded query
    starts the folded name at the start of one of its words (letters and digits)."""
    folded = fold_name(query)
    matches = []
    for candidate in Tag.objects.filter(type=tag_type, unwrangleable=False):
        name = candidate.name_folded
        starts = [
            i for i, c in enumerate(name) if i == 0 or (c.isalnum() and not name[i - 1].isalnum())
        ]
        if not any(name.startswith(folded, i) for i in starts):
            continue
        if fandoms is not None:
            linked = {candidate.pk, candidate.synonym_of_id}
            if not FandomLink.objects.filter(tag_id__in=linked, fandom_id__in=fandoms).exists():
                continue
        matches.append(candidate)
    matches.sort(key=lambda t: (not t.canonical, -t.use_count, t.name_folded, t.pk))
    return [t.name for t in matches]


@pytest.mark.parametrize(
    ("dense_from", "few_members"),
    [(1, 2), (5, 2000), (10_000, 2000)],
    ids=["walk", "mixed", "words-first"],
)
def test_autocomplete_agrees_with_a_reference_on_random_tags(
    admin, user, monkeypatch, dense_from, few_members
):
    """Random names of a few syllables: every way the selector may take (the ranked walk for
    common prefixes, from the words for rare ones, from a fandom's few members or through a
    big fandom's) gives the reference's answer, in its order."""
    monkeypatch.setattr(selectors, "_MANY_MATCHES", dense_from)
    monkeypatch.setattr(selectors, "_FEW_MEMBERS", few_members)
    rng = random.Random(dense_from)
    syllables = ["ka", "ri", "mo", "ne", "sa", "lu", "ór", "él"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))).capitalize()

    def name() -> str:
        return rng.choice([" ", "/", " & ", "-", " x "]).join(
            word() for _ in range(rng.randint(1, 3))
        )

    for _ in range(8):
        make_work(user, fandoms=["Harbour"], characters=list({name() for _ in range(6)}))
    make_work(user, fandoms=["Skyward"], characters=list({name() for _ in range(6)}))
    tags_recount()
    harbour = Tag.objects.get(type=TagType.FANDOM, name="Harbour")
    tag_set_canonical(user=admin, tag=harbour, canonical=True)
    characters = list(Tag.objects.filter(type=TagType.CHARACTER).order_by("pk"))
    for one in rng.sample(characters, 8):
        tag_set_canonical(user=admin, tag=one, canonical=True)
    for one in rng.sample(characters, 12):
        tag_link_fandom(user=admin, tag=one, fandom=harbour)
    prefixes = ["k", "m", "ka", "lu", "or", "ne s", "ri/", "el", "x", "zz", "kari", "mo-"]
    prefixes += [t.name_folded[: rng.randint(1, 6)] for t in rng.sample(characters, 6)]
    for prefix in prefixes:
        expected = reference_autocomplete(TagType.CHARACTER, prefix)
        found = [
            t.name for t in autocomplete_tags(tag_type=TagType.CHARACTER, query=prefix, limit=100)
        ]
        assert found == expected, prefix
        top = [t.name for t in autocomplete_tags(tag_type=TagType.CHARACTER, query=prefix)]
        assert top == expected[:10], prefix
        limited = autocomplete_tags(
            tag_type=TagType.CHARACTER, query=prefix, fandom_ids=[harbour.pk], limit=100
        )
        assert [t.name for t in limited] == reference_autocomplete(
            TagType.CHARACTER, prefix, {harbour.pk}
        ), prefix


def test_autocomplete_takes_ids_beyond_the_database_as_unknown_fandoms(user):
    make_work(user, characters=["Mira Vale"])
    for fandom in (2**63, 10**23, -1, 0):
        assert (
            autocomplete_tags(tag_type=TagType.CHARACTER, query="mira", fandom_ids=[fandom]) == []
        )


def test_the_migration_fills_the_words_of_existing_tags(user):
    make_work(user, freeforms=["The Ninth Library"])
    TagWord.objects.all().delete()
    assert autocomplete_tags(tag_type=TagType.FREEFORM, query="library") == []
    migration = importlib.import_module("fanarchive.tags.migrations.0006_tag_words")
    migration.fill_tag_words(django_apps, None)
    assert [t.name for t in autocomplete_tags(tag_type=TagType.FREEFORM, query="library")] == [
        "The Ninth Library"
    ]
    # Every tag has its words, the fixed ones too (a rating's second word).
    assert [t.name for t in autocomplete_tags(tag_type=TagType.RATING, query="audiences")] == [
        "General Audiences",
        "Teen And Up Audiences",
    ]


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
