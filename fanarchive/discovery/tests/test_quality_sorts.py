"""Quality sorts (kudos per hit, bookmarks per kudos): the index's order equals a
brute-force ordering for random counts, stays exact when only counts change, and is
offered and applied by /works/ and the API."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.core.testing import make_work
from fanarchive.discovery.index import live, structures
from fanarchive.discovery.index.catalogue import Catalogue, Filter
from fanarchive.discovery.index.quality import MIN_HITS, QUALITY_SORTS
from fanarchive.discovery.selectors import viewer_for
from fanarchive.engagement.models import Kudos, WorkHitCount
from fanarchive.works import stats as work_stats_port
from fanarchive.works.catalogue_services import catalogue_counts_changed
from fanarchive.works.stats import WorkStats

pytestmark = pytest.mark.django_db

# Counts around the threshold, so ties, equal ratios and unrated works all occur.
counts = st.builds(
    WorkStats,
    kudos=st.sampled_from([0, 1, 2, 50, 60, 100]),
    hits=st.sampled_from([0, 1, MIN_HITS - 1, MIN_HITS, 120, 200]),
    comments=st.just(0),
    bookmarks=st.sampled_from([0, 1, 3, 30]),
)


def brute_force(stats: dict[int, WorkStats], sort: str, descending: bool) -> list[int]:
    """Rated works by ratio (ties by id), then unrated works by id, in the chosen direction."""
    top, bottom = QUALITY_SORTS[sort]

    def ratio(work_id: int) -> Fraction | None:
        numbers = stats[work_id]
        if numbers.hits < MIN_HITS or getattr(numbers, bottom) == 0:
            return None
        return Fraction(getattr(numbers, top), getattr(numbers, bottom))

    rated = [w for w in stats if ratio(w) is not None]
    unrated = sorted(w for w in stats if ratio(w) is None)
    rated.sort(key=lambda w: (ratio(w), w), reverse=descending)
    return rated + (unrated[::-1] if descending else unrated)


@pytest.fixture
def fake_counts():
    """Engagement counts from a dict, through the works.stats port (restored after)."""
    saved = list(work_stats_port._counter)
    current: dict[int, WorkStats] = {}
    work_stats_port.counts_supplied_by(lambda ids: {i: current[i] for i in ids if i in current})
    yield current
    work_stats_port._counter[:] = saved


@pytest.mark.parametrize("bucket", [0, 2])
def test_quality_orders_match_brute_force_and_follow_count_changes(
    user, fake_counts, monkeypatch, bucket
):
    if bucket:  # tiny buckets: the paths a big archive takes
        monkeypatch.setattr(structures.SortOrder, "BUCKET", bucket)
        monkeypatch.setattr(structures.SortOrder, "SMALL", 0)
    ids = [make_work(user, title=f"Q{n}").pk for n in range(7)]
    everyone = viewer_for(user)

    def check(catalogue: Catalogue) -> None:
        works = catalogue.matching(Filter(), everyone)
        for sort in QUALITY_SORTS:
            for descending in (True, False):
                spec = Filter(sort=sort, descending=descending)
                expected = brute_force(dict(fake_counts), sort, descending)
                assert catalogue.page(works, spec, 0, 100) == expected, (sort, descending)
                assert catalogue.page(works, spec, 2, 3) == expected[2:5]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        before=st.lists(counts, min_size=7, max_size=7),
        after=st.lists(counts, min_size=7, max_size=7),
    )
    def run(before, after):
        fake_counts.clear()
        fake_counts.update(zip(ids, before, strict=True))
        catalogue = Catalogue.build(live.SOURCE)
        check(catalogue)
        fake_counts.update(zip(ids, after, strict=True))
        catalogue.apply_counts(ids)  # the counts-only change-log path
        check(catalogue)
        assert catalogue.page(catalogue.matching(Filter(), everyone), Filter(), 0, 100)

    run()


def _engage(work, *, kudos: int, hits: int) -> None:
    with transaction.atomic():
        given = Kudos.objects.filter(work=work).count()
        Kudos.objects.bulk_create(
            Kudos(work=work, guest_key=f"g{work.pk}-{n}") for n in range(given, given + kudos)
        )
        WorkHitCount.objects.update_or_create(work=work, defaults={"hits": hits})
        catalogue_counts_changed(work_ids=[work.pk])


def test_works_listing_and_api_sort_by_kudos_per_hit(client, user):
    newcomer = make_work(user, title="One Hit Wonder")  # 1 kudos / 1 hit: "100%"
    loved = make_work(user, title="Much Loved")  # 80 / 100
    known = make_work(user, title="Well Known")  # 90 / 300
    _engage(newcomer, kudos=1, hits=1)
    _engage(loved, kudos=80, hits=MIN_HITS)
    _engage(known, kudos=90, hits=300)

    page = client.get("/works/", {"sort": "kudos_per_hit"}).content.decode()
    assert page.index("Much Loved") < page.index("Well Known") < page.index("One Hit Wonder")
    assert '<option value="kudos_per_hit" selected>Kudos per hit</option>' in page
    assert "Bookmarks per kudos</option>" in page
    ascending = client.get("/works/", {"sort": "kudos_per_hit", "order": "asc"}).content.decode()
    assert ascending.index("Well Known") < ascending.index("Much Loved")
    assert ascending.index("Much Loved") < ascending.index("One Hit Wonder")

    # The counts-only path keeps the order exact: the newcomer crosses the threshold.
    _engage(newcomer, kudos=99, hits=MIN_HITS)  # now 100 kudos / 100 hits
    page = client.get("/works/", {"sort": "kudos_per_hit"}).content.decode()
    assert page.index("One Hit Wonder") < page.index("Much Loved") < page.index("Well Known")

    answer = client.get("/api/v1/works", {"sort": "kudos_per_hit"})
    assert answer.status_code == 200
    titles = [work["title"] for work in answer.json()["items"]]
    assert titles == ["One Hit Wonder", "Much Loved", "Well Known"]


def test_an_unknown_sort_is_refused_with_a_message(client, user):
    make_work(user, title="Anything")
    page = client.get("/works/", {"sort": "kudos_per_nothing"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    answer = client.get("/api/v1/works", {"sort": "kudos_per_nothing"})
    assert answer.status_code == 422
    assert "sort" in answer.content.decode()
