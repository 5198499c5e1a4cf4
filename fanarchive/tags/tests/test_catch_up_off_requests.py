"""A wrangling of many works is applied to a serving process's index by a thread, not by the
request that finds it: the request reads the index as it is (each work as it was or as it
now is), pages rendered meanwhile are not kept in the shared cache, and the thread reaches
the end of the log on its own (`discovery.index.live`, `catch_up_off_requests`)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.urls import reverse

from fanarchive.core import gunicorn
from fanarchive.core.page_cache import HIT_HEADER
from fanarchive.core.testing import make_work
from fanarchive.discovery.index import live
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.conftest import index_ids, tag
from fanarchive.works import catalogue_services
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Work
from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

# The thread reads the log through a connection of its own: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

WORKS = 12
INLINE = 3


@pytest.fixture
def archive(user, admin) -> list[Work]:
    works = [make_work(user, title=f"Lantern {n}", characters=["Oriel"]) for n in range(WORKS)]
    make_work(user, title="Already Ashby", characters=["Oriel Ashby"])
    tag_set_canonical(user=admin, tag=tag("Oriel Ashby", TagType.CHARACTER), canonical=True)
    index_ids(tag("Oriel Ashby"))  # the index, caught up with the works' creation
    return works


@pytest.fixture
def off_requests(monkeypatch) -> Iterator[None]:
    """This process as a gunicorn worker: a request applies at most `INLINE` entries."""
    monkeypatch.setattr(live, "INLINE_ENTRIES", INLINE)
    live.catch_up_off_requests()
    yield
    _wait_for_the_thread()
    live.state.off_requests = False


def _wait_for_the_thread(seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not live.caught_up():
        assert time.monotonic() < deadline, "the catch-up thread never reached the end"
        time.sleep(0.01)


def test_a_request_applies_a_slice_and_a_thread_the_rest(admin, archive, off_requests):
    target = tag("Oriel Ashby")
    tag_make_synonym(user=admin, tag=tag("Oriel"), canonical=target)
    # Holding the index's lock keeps the thread waiting, so the request's part shows.
    with live._lock:
        during = index_ids(target)
        assert not live.caught_up()
        assert len(during) == 1 + INLINE  # the first slice of the log, nothing more
        assert during <= {work.pk for work in archive} | set(
            Work.objects.filter(title="Already Ashby").values_list("pk", flat=True)
        )
    _wait_for_the_thread()
    assert index_ids(target) == {
        *(work.pk for work in archive),
        *Work.objects.filter(title="Already Ashby").values_list("pk", flat=True),
    }


def test_a_post_is_listed_at_the_next_slice_not_after_the_whole_wrangling(
    user, admin, archive, off_requests, monkeypatch
):
    monkeypatch.setattr(catalogue_services, "INLINE_DOCUMENTS_MAX", 0)  # logged "tags only"
    target = tag("Oriel Ashby")
    tag_make_synonym(user=admin, tag=tag("Oriel"), canonical=target)
    with live._lock:  # the thread waits: the slices below are the test's
        assert len(index_ids(target)) == 1 + INLINE
        posted = make_work(user, title="Posted Meanwhile", characters=["Wren"])
        assert index_ids(tag("Wren")) == set()  # a request leaves the backlog to the thread
        catalogue = live.state.catalogue
        assert catalogue is not None
        _, complete = live._apply_slice(catalogue)  # the thread's next slice
        assert not complete
        assert index_ids(tag("Wren")) == {posted.pk}  # listed now...
        assert len(index_ids(target)) == 1 + 2 * INLINE  # ...the wrangling half done
    _wait_for_the_thread()
    assert index_ids(tag("Wren")) == {posted.pk}
    assert len(index_ids(target)) == 1 + WORKS


def test_a_few_entries_are_applied_in_the_request(user, off_requests):
    make_work(user, title="First Post", characters=["Sable"])
    assert len(index_ids(tag("Sable"))) == 1
    work = make_work(user, title="Own Post", characters=["Sable"])
    assert work.pk in index_ids(tag("Sable"))  # before the writer's next page
    assert live.caught_up()


def test_pages_rendered_while_behind_are_not_kept(client, settings, admin, archive, off_requests):
    settings.GUEST_PAGE_CACHE_SECONDS = 60
    cache.clear()
    tag_make_synonym(user=admin, tag=tag("Oriel"), canonical=tag("Oriel Ashby"))
    with live._lock:
        behind = client.get(reverse("works:list"))
        assert behind.status_code == 200
        assert not live.caught_up()
        assert behind.get(HIT_HEADER) is None  # served, not kept
    _wait_for_the_thread()
    first = client.get(reverse("works:list"))
    assert first[HIT_HEADER] == "miss"  # rendered afresh, and kept now
    assert client.get(reverse("works:list"))[HIT_HEADER] == "hit"


def test_each_gunicorn_worker_runs_the_hooks_registered_for_it(monkeypatch):
    monkeypatch.setattr(live.state, "off_requests", False)
    gunicorn.prepare_worker()  # what gunicorn's post_fork calls
    assert live.state.off_requests  # discovery registered `catch_up_off_requests`
    live.state.off_requests = False


@pytest.mark.parametrize("serving", [False, True], ids=["everything at once", "in slices"])
def test_an_entry_committed_late_below_a_newer_one_is_still_applied(user, monkeypatch, serving):
    """A PostgreSQL id can commit after a later one is seen: the gap is asked for again."""
    first = make_work(user, title="Early Tide", characters=["Wren"])
    assert index_ids(tag("Wren")) == {first.pk}
    if serving:
        monkeypatch.setattr(live, "INLINE_ENTRIES", INLINE)
        live.catch_up_off_requests()
    late = make_work(user, title="Late Tide", characters=["Wren"])
    after = make_work(user, title="After Tide", characters=["Wren"])
    late_entries = CatalogueChange.objects.filter(work_id=late.pk)
    kept = list(late_entries.values_list("id", "work_id", "created_at", "counts_only", "tags_only"))
    late_entries.delete()  # not committed yet when the index reads the log
    assert index_ids(tag("Wren")) == {first.pk, after.pk}
    CatalogueChange.objects.bulk_create(  # now it is, under its old (lower) ids
        CatalogueChange(id=i, work_id=w, created_at=c, counts_only=co, tags_only=t)
        for i, w, c, co, t in kept
    )
    assert index_ids(tag("Wren")) == {first.pk, late.pk, after.pk}
    _wait_for_the_thread()
    live.state.off_requests = False
