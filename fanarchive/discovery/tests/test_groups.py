"""The catalogue index's group dimension (`discovery.groups`): works filed under the groups
a higher app says they are in, every filter and facet scoped to a group, kept fresh by
`apply`, saved and loaded; unrevealed works left out like hidden ones."""

from __future__ import annotations

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery import groups
from fanarchive.discovery.index import live, store
from fanarchive.discovery.index.catalogue import Catalogue, Filter, Viewer
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership():
    """A fake group source: {work id: [group ids]}, swapped in for the collections app's."""
    members: dict[int, list[int]] = {}

    def source(*, work_ids, id_range):
        for work_id, group_ids in members.items():
            if work_ids is not None and work_id not in work_ids:
                continue
            if id_range is not None and not id_range[0] <= work_id < id_range[1]:
                continue
            yield from ((work_id, g) for g in group_ids)

    previous = groups.provide(source)
    yield members
    groups.provide(previous)


def test_group_pairs_are_sorted_and_unique(membership):
    membership.update({5: [9, 3, 3], 2: [4]})
    works, ids = groups.group_pairs(work_ids=[2, 5])
    assert works.tolist() == [2, 5, 5] and ids.tolist() == [4, 3, 9]
    assert groups.group_pairs(work_ids=[]).__len__() == 2
    previous = groups.provide(None)
    assert groups.group_pairs(work_ids=[2])[0].tolist() == []
    groups.provide(previous)


def test_the_index_scopes_listings_and_facets_to_groups(membership, tmp_path):
    author = make_user("group_author")
    a = make_work(author, fandoms=["Harbour Tales"])
    b = make_work(author, fandoms=["Skyward"])
    c = make_work(author, fandoms=["Other Shores"])
    membership.update({a.pk: [1], b.pk: [1, 2], c.pk: [3]})
    catalogue = Catalogue.build(live.SOURCE)
    guest = Viewer()
    found = catalogue.find(Filter(groups=(1,)), guest)
    assert sorted(found.ids) == sorted([a.pk, b.pk]) and found.total == 2
    fandoms = {tag for tag, _count in found.facets["fandom"]}
    assert b.tags.get(name="Skyward").pk in fandoms
    assert c.tags.get(name="Other Shores").pk not in fandoms
    assert catalogue.find(Filter(groups=(2, 3)), guest).total == 2  # any of the groups
    assert catalogue.find(Filter(groups=(99,)), guest).total == 0
    # Membership changes reach the index when the work is applied again.
    membership[a.pk] = [2]
    catalogue.apply([a.pk])
    assert catalogue.find(Filter(groups=(1,)), guest).ids == [b.pk]
    assert catalogue.find(Filter(groups=(2,)), guest).total == 2
    # Saved and loaded with the rest of the index.
    path = store.save(catalogue, None, tmp_path / "catalogue.bin")
    loaded = store.load(path)
    assert loaded is not None
    assert loaded[0].find(Filter(groups=(2,)), guest).total == 2


def test_an_unrevealed_work_is_out_of_every_listing_and_count(membership):
    author = make_user("unrevealed_author")
    secret = make_work(author, fandoms=["Hidden Shores"])
    membership[secret.pk] = [1]
    Work.objects.filter(pk=secret.pk).update(unrevealed=True, anonymous_by_collection=True)
    catalogue = Catalogue.build(live.SOURCE)
    for viewer in (Viewer(), Viewer(authenticated=True)):
        assert catalogue.find(Filter(), viewer).total == 0
        assert catalogue.find(Filter(groups=(1,)), viewer).facets.get("fandom", []) == []
    assert catalogue.texts["creator"][secret.pk] == "anonymous"
