"""Property tests: on random small archives, for random filters, sorts and viewers, the
catalogue index answers exactly what a brute-force pass over the database answers."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery import services
from fanarchive.discovery.index import live
from fanarchive.discovery.index.backend import CatalogueBackend
from fanarchive.discovery.index.backends import BACKENDS
from fanarchive.discovery.index.catalogue import SORTS, Filter
from fanarchive.discovery.models import MutedCreator, MutedTag
from fanarchive.discovery.selectors import viewer_for
from fanarchive.discovery.tests.reference import reference
from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS
from fanarchive.tags.models import Tag, TagType
from fanarchive.works import catalogue_services
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db
_names = itertools.count()
TOTALS: list[int] = []

work_specs = st.fixed_dictionaries(
    {
        "creator": st.integers(0, 2),
        "title": st.sampled_from(["Alpha", "alpha ", "Beta", "Gamma", "Ébène"]),
        "rating": st.sampled_from(RATINGS),
        "warnings": st.lists(st.sampled_from(WARNINGS), min_size=1, max_size=2, unique=True),
        "categories": st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True),
        "fandoms": st.lists(
            st.sampled_from(["F1", "F2", "F3"]), min_size=1, max_size=2, unique=True
        ),
        "characters": st.lists(st.sampled_from(["C1", "C2", "C3"]), max_size=2, unique=True),
        "relationships": st.lists(
            st.sampled_from(["C1/C2", "C2 & C3", "C1/C3"]), max_size=2, unique=True
        ),
        # Which relationships (by position) the writer marks main; none: the first is.
        "main": st.lists(st.integers(0, 1), max_size=2, unique=True),
        "freeforms": st.lists(st.sampled_from(["X1", "X2", "X3"]), max_size=2, unique=True),
        "language": st.sampled_from(["en", "en", "fr"]),
        "chapters": st.integers(1, 2),
        "expected": st.sampled_from([None, 0, 1]),  # 0: as many as written
        "words": st.integers(3, 40),
        "posted": st.booleans() | st.just(True),
        "restricted": st.booleans(),
        "hidden": st.integers(0, 9).map(lambda n: n == 0),
    }
)


def rarely(default, strategy):
    """Mostly the default, so that random filters still match something."""
    return st.sampled_from([True, True, True, True, False]).flatmap(
        lambda plain: st.just(default) if plain else strategy
    )


@st.composite
def filters(
    draw: st.DrawFn, tag_ids: list[int], rating_ids: list[int], relationship_ids: list[int]
) -> Filter:
    some_tags = (
        st.lists(st.sampled_from(tag_ids), min_size=1, max_size=2, unique=True)
        if tag_ids
        else st.just([])
    )
    low = draw(st.none() | st.integers(0, 60))
    include = draw(rarely([], some_tags))
    main_only = draw(rarely(False, st.just(True)))
    if main_only and relationship_ids:
        # "Main relationship only" with a relationship included, where it makes a difference.
        include = list(dict.fromkeys([draw(st.sampled_from(relationship_ids)), *include]))
    return Filter(
        include=tuple(include),
        exclude=tuple(draw(rarely([], some_tags))),
        ratings=tuple(
            draw(rarely([], st.lists(st.sampled_from(rating_ids), max_size=3, unique=True)))
        ),
        complete=draw(rarely(None, st.booleans())),
        crossover=draw(rarely("", st.sampled_from(["exclude", "only"]))),
        single_chapter=draw(rarely(False, st.just(True))),
        language=draw(rarely("", st.sampled_from(["en", "fr"]))),
        ranges=draw(
            rarely({}, st.just({"words": (low, draw(st.none() | st.integers(low or 0, 150)))}))
        ),
        sort=draw(st.sampled_from(SORTS)),
        descending=draw(st.booleans()),
        main_only=main_only,
    )


def build_archive(specs: list[dict]) -> list:
    run = next(_names)
    users = [make_user(f"p{run}u{i}") for i in range(3)]
    for spec in specs:
        words = " ".join(["word"] * spec["words"])
        chapters = spec["chapters"]
        expected = {None: None, 0: chapters, 1: max(chapters, 2)}[spec["expected"]]
        work = make_work(
            users[spec["creator"]],
            chapters=chapters,
            post=spec["posted"],
            texts=[f"{words} {n}" for n in range(chapters)],
            title=spec["title"],
            rating=spec["rating"],
            warnings=spec["warnings"],
            categories=spec["categories"],
            fandoms=spec["fandoms"],
            characters=spec["characters"],
            relationships=spec["relationships"],
            main_relationships=[
                spec["relationships"][i] for i in spec["main"] if i < len(spec["relationships"])
            ],
            freeforms=spec["freeforms"],
            language=spec["language"],
            restricted=spec["restricted"],
            expected_chapters=expected,
        )
        if spec["hidden"]:
            # Moderation has no service yet (a later issue); it will log the change like this.
            with transaction.atomic():
                Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
                catalogue_services.catalogue_work_changed(work_id=work.pk)
    return users


def check(catalogue: CatalogueBackend, user, spec: Filter, offset: int, limit: int) -> None:
    expected_ids, expected_facets = reference(user, spec)
    found = catalogue.find(spec, viewer_for(user), offset=offset, limit=limit)
    assert found.total == len(expected_ids)
    TOTALS.append(found.total)
    assert found.ids == expected_ids[offset : offset + limit]
    assert (
        catalogue.page(catalogue.matching(spec, viewer_for(user)), spec, 0, 10**6) == expected_ids
    )
    for tag_type, pairs in expected_facets.items():
        assert found.facets.get(tag_type, []) == pairs, tag_type


def wrangle_relationships() -> None:
    """ "C1/C3" a synonym of "C1/C2", and "C2 & C3" its subtag (when they are used), so
    "main relationship only" must find a main one under the names that file it."""
    from fanarchive.wrangling.services import (
        tag_add_metatag,
        tag_make_synonym,
        tag_set_canonical,
    )

    admin = make_user(f"wrangler{next(_names)}", is_staff=True)
    found = {t.name: t for t in Tag.objects.filter(name__in=["C1/C2", "C1/C3", "C2 & C3"])}
    if "C1/C2" not in found:
        return
    tag_set_canonical(user=admin, tag=found["C1/C2"], canonical=True)
    if "C1/C3" in found:
        tag_make_synonym(user=admin, tag=found["C1/C3"], canonical=found["C1/C2"])
    if "C2 & C3" in found:
        tag_set_canonical(user=admin, tag=found["C2 & C3"], canonical=True)
        tag_add_metatag(user=admin, tag=found["C2 & C3"], metatag=found["C1/C2"])


@pytest.fixture(params=sorted(BACKENDS))
def backend_kind(request, settings):
    """Each catalogue backend in turn, chosen as the setting chooses it."""
    settings.CATALOGUE_BACKEND = request.param
    return BACKENDS[request.param]


@pytest.fixture(
    params=[
        "as configured",
        "tiny buckets, bitmap facets",
        "tiny buckets, bitmap facets cut short",
        "tiny buckets, facets as a sample foresees",
    ]
)
def structures(request, monkeypatch):
    """Run once as configured, then with tiny buckets and big-result facets: by bitmaps,
    by bitmaps that run out of time and count instead, and the way a sample of the
    result foresees as cheaper, and every wrangling handled as one of many works, so
    small archives also exercise the code paths that big ones take."""
    if request.param != "as configured":
        from fanarchive.discovery.index import facets, structures

        monkeypatch.setattr(facets, "BINCOUNT_LIMIT", 0)
        monkeypatch.setattr(facets, "SORT_COUNT_LIMIT", 0)  # counts by bincount
        if "bitmap facets" in request.param:
            monkeypatch.setattr(facets, "intersection_cost", lambda *_: 0.0)
            # Seconds per work: a deadline never reached, or one already past.
            cut_short = request.param.endswith("cut short")
            monkeypatch.setattr(facets, "COUNTING_COST", 0.0 if cut_short else 1.0)
            monkeypatch.setattr(facets, "MAIN_COUNTING_COST", 0.0 if cut_short else 1.0)
        monkeypatch.setattr(structures.SortOrder, "BUCKET", 2)
        monkeypatch.setattr(structures.SortOrder, "SMALL", 0)
        # Every wrangling as a big one: logged "tags only", re-filed by `apply_tags`.
        monkeypatch.setattr(catalogue_services, "INLINE_DOCUMENTS_MAX", 0)
    live.forget()
    yield request.param
    live.forget()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(
    specs=st.lists(work_specs, min_size=2, max_size=12),
    data=st.data(),
)
def test_the_index_matches_a_brute_force_reference(backend_kind, structures, specs, data):
    with transaction.atomic():
        with live.reading():
            pass  # an index built before the archive, so it must catch up
        users = build_archive(specs)
        tag_ids = list(
            Tag.objects.filter(work_tags__isnull=False).distinct().values_list("id", flat=True)
        )
        rating_ids = list(Tag.objects.filter(type="rating").values_list("id", flat=True))
        relationship_ids = [
            pk for pk in tag_ids if Tag.objects.get(pk=pk).type == TagType.RELATIONSHIP
        ]
        muted = (
            data.draw(st.lists(st.sampled_from(tag_ids), max_size=2, unique=True))
            if tag_ids
            else []
        )
        for tag_id in muted:
            services.mute_tag_add(user=users[0], owner=users[0], tag_id=tag_id)
        if data.draw(st.booleans()):
            MutedCreator.objects.create(user=users[0], creator=users[1])
        assert MutedTag.objects.count() == len(muted)
        if data.draw(st.booleans()):
            with live.reading():
                pass  # the works indexed first, so the wrangling re-files them
            wrangle_relationships()
        fresh = backend_kind.build(live.SOURCE)
        with live.reading() as caught_up:
            pass
        # The caught-up index saved (its changes folded in) and loaded back.
        with tempfile.TemporaryDirectory() as folder:
            path = backend_kind.write(caught_up, None, Path(folder) / "catalogue.bin")
            reloaded = backend_kind.read(path, live.SOURCE)
        assert reloaded is not None
        for _ in range(4):
            from django.contrib.auth.models import AnonymousUser

            viewer = data.draw(st.sampled_from([AnonymousUser(), users[0], users[2]]))
            spec = data.draw(filters(tag_ids, rating_ids, relationship_ids))
            offset = data.draw(st.integers(0, 6))
            limit = data.draw(st.integers(1, 5))
            with live.reading() as caught_up:
                check(caught_up, viewer, spec, offset, limit)
            check(fresh, viewer, spec, offset, limit)
            check(reloaded[0], viewer, spec, offset, limit)
        transaction.set_rollback(True)
