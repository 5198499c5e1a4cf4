"""Property test: mutes limited to fandoms, "hide anonymous works" and "hide crossovers"
change listings and every facet count exactly as a brute-force pass over the database
says (`reference`), on random small archives whose fandoms have synonyms and sub-fandoms."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery import services
from fanarchive.discovery.index import live
from fanarchive.discovery.index.catalogue import Catalogue, Filter
from fanarchive.discovery.selectors import unmuted_works
from fanarchive.discovery.tests.reference import reference
from fanarchive.discovery.tests.test_index_property import check, filters
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create
from fanarchive.wrangling.services import tag_add_metatag, tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db
_runs = itertools.count()

# "Sky" is a metatag of "Sky (Books)" and "Sky (Films)", "The Sky" its synonym; "Moor" is
# canonical on its own and "Fen" never wrangled.
FANDOMS = ["Sky", "The Sky", "Sky (Books)", "Sky (Films)", "Moor", "Fen"]

work_specs = st.fixed_dictionaries(
    {
        "creator": st.integers(0, 2),
        "fandoms": st.lists(st.sampled_from(FANDOMS), min_size=1, max_size=2, unique=True),
        "freeforms": st.lists(st.sampled_from(["Tea", "Rain", "Kites"]), max_size=2, unique=True),
        "anonymous": st.integers(0, 2).map(lambda n: n == 0),
        "restricted": st.integers(0, 3).map(lambda n: n == 0),
        "words": st.integers(3, 30),
    }
)


def build_archive(specs: list[dict]) -> list:
    run = next(_runs)
    users = [make_user(f"s{run}u{i}") for i in range(3)]
    for n, spec in enumerate(specs):
        make_work(
            users[spec["creator"]],
            title=f"Work {n}",
            texts=[" ".join(["word"] * spec["words"])],
            fandoms=spec["fandoms"],
            characters=[],
            freeforms=spec["freeforms"],
            anonymous=spec["anonymous"],
            restricted=spec["restricted"],
        )
    # Wrangled after posting, so the index must follow the wrangling through the log.
    admin = make_user(f"s{run}admin", is_staff=True)

    def fandom(name: str) -> Tag:
        return tags_find_or_create(tag_type=TagType.FANDOM, names=[name])[0]

    for name in FANDOMS:  # every fandom exists, used or not, so any may be a mute's scope
        fandom(name)
    for name in ("Sky", "Sky (Books)", "Sky (Films)", "Moor"):
        tag_set_canonical(user=admin, tag=fandom(name), canonical=True)
    tag_make_synonym(user=admin, tag=fandom("The Sky"), canonical=fandom("Sky"))
    for name in ("Sky (Books)", "Sky (Films)"):
        tag_add_metatag(user=admin, tag=fandom(name), metatag=fandom("Sky"))
    return users


@settings(
    max_examples=40,
    # No shrinking: shrinking a failure of whole archives runs past five minutes, and the
    # failing draws are printed as they are.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(specs=st.lists(work_specs, min_size=2, max_size=10), data=st.data())
def test_scoped_mutes_and_preferences_match_a_brute_force_reference(specs, data):
    live.forget()
    with transaction.atomic():
        with live.reading():
            pass  # an index built before the archive, so it must catch up
        users = build_archive(specs)
        reader = users[0]
        tag_ids = list(
            Tag.objects.filter(work_tags__isnull=False).distinct().values_list("id", flat=True)
        )
        rating_ids = list(Tag.objects.filter(type="rating").values_list("id", flat=True))
        scope = st.lists(st.sampled_from(FANDOMS), max_size=2, unique=True)
        for tag_id in data.draw(st.lists(st.sampled_from(tag_ids), max_size=3, unique=True)):
            services.mute_tag_add(user=reader, owner=reader, tag_id=tag_id)
            services.mute_scope_set(
                user=reader, owner=reader, tag_id=tag_id, fandom_names=data.draw(scope)
            )
        for creator in data.draw(st.lists(st.sampled_from(users[1:]), max_size=2, unique=True)):
            services.mute_creator_add(user=reader, owner=reader, username=creator.username)
            services.mute_scope_set(
                user=reader, owner=reader, creator_id=creator.pk, fandom_names=data.draw(scope)
            )
        hide_crossovers = data.draw(st.booleans())
        services.listing_preference_set(
            user=reader,
            owner=reader,
            hide_anonymous=data.draw(st.booleans()),
            hide_crossovers=hide_crossovers,
        )
        fresh = Catalogue.build(live.SOURCE)
        for _ in range(3):
            viewer = data.draw(st.sampled_from([reader, reader, AnonymousUser(), users[2]]))
            spec = data.draw(filters(tag_ids, rating_ids, []))
            offset = data.draw(st.integers(0, 4))
            limit = data.draw(st.integers(1, 5))
            with live.reading() as caught_up:
                check(caught_up, viewer, spec, offset, limit)
            check(fresh, viewer, spec, offset, limit)
        if not hide_crossovers:
            # The listings read from the database (profiles, series, bookmarks) hide the same.
            expected, _ = reference(reader, Filter())
            assert sorted(unmuted_works(reader).values_list("id", flat=True)) == sorted(expected)
        transaction.set_rollback(True)
    live.forget()
