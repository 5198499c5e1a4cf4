"""Stats on the work page and blurbs, and the catalogue sorting by them."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.engagement.comment_services import comment_create, comment_delete
from fanarchive.engagement.hit_flush_services import hits_flush
from fanarchive.engagement.hit_services import hit_record
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import CommentState
from fanarchive.engagement.visitors import guest_key_of
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument
from fanarchive.works.models import Work
from fanarchive.works.stats import WorkStats, work_stats

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _catch_up_at_once(settings):
    settings.DISCOVERY_CATCH_UP_SECONDS = 0


def by_kudos() -> list[str]:
    found = works_find(viewer=viewer_for(AnonymousUser()), spec=Filter(sort="kudos"))
    return [work.title for work in found.works]


def test_work_stats_counts_kudos_hits_and_published_comments(user, reader):
    work = make_work(user)
    other = make_work(user)
    kudos_give(work=work, user=reader)
    kudos_give(work=work, user=None, guest_key=guest_key_of("192.0.2.5"))
    chapter = work.chapters.get()
    shown = comment_create(chapter=chapter, user=reader, text="Counted")
    gone = comment_create(chapter=chapter, user=reader, text="Deleted")
    comment_delete(user=reader, comment=gone)
    Work.objects.filter(pk=work.pk).update(moderated_comments=True)
    chapter.work.refresh_from_db()
    pending = comment_create(chapter=work.chapters.get(), user=make_user("waiting"), text="Held")
    assert pending.state == CommentState.PENDING and shown.state == CommentState.PUBLISHED
    hit_record(work=work, user=None, visitor="gone")
    hit_record(work=work, user=reader, visitor=f"u{reader.pk}")
    hits_flush()
    assert work_stats([work.pk, other.pk]) == {
        work.pk: WorkStats(kudos=2, hits=2, comments=1, bookmarks=0),
        other.pk: WorkStats(),
    }


def test_stats_on_the_work_page_and_on_blurbs(client: Client, user, reader):
    work = make_work(user, title="Counted Tides")
    kudos_give(work=work, user=reader)
    comment_create(chapter=work.chapters.get(), user=reader, text="Nice")
    hit_record(work=work, user=reader, visitor=f"u{reader.pk}")
    hits_flush()
    page = client.get(work.get_absolute_url()).content.decode()
    for stat in ("comments", "kudos", "hits"):
        assert f'<dt class="{stat}">' in page
    assert '<dd class="kudos">1</dd>' in page and '<dd class="comments">1</dd>' in page
    listing = client.get("/works/").content.decode()
    assert "Counted Tides" in listing
    assert '<dt class="kudos">Kudos</dt><dd class="kudos">1</dd>' in listing
    assert '<dt class="comments">Comments</dt><dd class="comments">1</dd>' in listing
    profile = client.get(f"/users/{user.username}/").content.decode()
    assert '<dd class="kudos">1</dd>' in profile


def test_sorting_by_kudos_follows_new_kudos_without_rewriting_search(user, reader):
    quiet = make_work(user, title="Quiet Harbour")
    loud = make_work(user, title="Loud Harbour")
    kudos_give(work=quiet, user=reader)
    assert by_kudos()[0] == "Quiet Harbour"
    fan = make_user("second_fan")
    changes = CatalogueChange.objects.count()
    with mock.patch("fanarchive.works.catalogue_services.search_document_refresh") as rewrite:
        kudos_give(work=loud, user=reader)
        kudos_give(work=loud, user=fan)
    assert not rewrite.called
    assert CatalogueChange.objects.count() == changes + 2
    newest = CatalogueChange.objects.order_by("-id").first()
    assert newest is not None and newest.counts_only
    assert SearchDocument.objects.filter(work=loud).exists()
    assert by_kudos()[:2] == ["Loud Harbour", "Quiet Harbour"]


def test_hits_flush_reaches_the_catalogue(user):
    first = make_work(user, title="First Light")
    second = make_work(user, title="Second Light")
    hit_record(work=second, user=None, visitor="gone")
    hits_flush()
    found = works_find(viewer=viewer_for(AnonymousUser()), spec=Filter(sort="hits"))
    assert [work.title for work in found.works][:2] == ["Second Light", "First Light"]
    assert first.pk != second.pk
