"""A wrangling of many works: listings follow in its transaction, search documents in the
background (`catalogue_works_changed`, `search_documents_catch_up`, the catch-up task),
and the wrangler sees how far search has got."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fanarchive.core.testing import make_work, run_due_tasks
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.conftest import found, tag
from fanarchive.works import catalogue_services, catalogue_tasks
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument, StaleSearchDocument
from fanarchive.works.catalogue_services import (
    catalogue_works_changed,
    search_document_refresh,
    search_documents_catch_up,
)
from fanarchive.works.models import Work
from fanarchive.works.selectors import search_documents_waiting
from fanarchive.works.services import work_delete
from fanarchive.wrangling.services import tag_make_synonym, tag_rename, tag_set_canonical

pytestmark = pytest.mark.django_db

FIELDS = ("work_id", "title", "creators", "tags", "summary", "notes", "body")


@pytest.fixture
def few_inline(monkeypatch) -> None:
    """More than one work is "many": the background path, with a handful of works."""
    monkeypatch.setattr(catalogue_services, "INLINE_DOCUMENTS_MAX", 1)


@pytest.fixture
def archive(user, admin) -> list[Work]:
    works = [
        make_work(user, title=f"Harbour {n}", fandoms=["Harbour Tales"], characters=["Mira"])
        for n in range(3)
    ]
    make_work(user, title="Elsewhere", fandoms=["Harbour Tales"], characters=["Tomas"])
    tag_set_canonical(user=admin, tag=tag("Mira Vale", TagType.CHARACTER), canonical=True)
    return works


@pytest.fixture(autouse=True)
def _mira_vale(user) -> None:
    make_work(user, title="Already Vale", characters=["Mira Vale"])


def _documents(work_ids: list[int]) -> list[tuple[Any, ...]]:
    return list(
        SearchDocument.objects.filter(work_id__in=work_ids).order_by("work_id").values_list(*FIELDS)
    )


def _tags_of(work: Work) -> str:
    return SearchDocument.objects.get(work_id=work.pk).tags


def test_a_few_works_are_rewritten_inside_the_change(admin, archive):
    log_before = CatalogueChange.objects.count()
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    assert CatalogueChange.objects.count() == log_before + 3
    assert not StaleSearchDocument.objects.exists()
    assert all("Mira Vale" in _tags_of(work) for work in archive)


def test_many_works_are_logged_at_once_and_their_documents_queued(admin, archive, few_inline):
    assert found(tag("Mira Vale")).isdisjoint(work.pk for work in archive)  # indexed before
    log_before = set(CatalogueChange.objects.values_list("id", flat=True))
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    logged = CatalogueChange.objects.exclude(id__in=log_before)
    assert sorted(logged.values_list("work_id", flat=True)) == [work.pk for work in archive]
    assert not logged.filter(counts_only=True).exists()
    assert not logged.filter(tags_only=False).exists()  # re-filed, not reloaded
    # Listings and counts follow at once: the index re-files the works from the log.
    assert found(tag("Mira Vale")) >= {work.pk for work in archive}
    # Search lags until the catch-up runs.
    assert search_documents_waiting() == 3
    assert all("Mira Vale" not in _tags_of(work) for work in archive)
    assert search_documents_catch_up() == 3
    assert search_documents_waiting() == 0
    assert all("Mira Vale" in _tags_of(work) for work in archive)


def test_the_catch_up_writes_what_a_refresh_would(admin, archive, few_inline):
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    tag_rename(user=admin, tag=tag("Mira Vale"), name="Mira Vale-Kestrel")
    search_documents_catch_up(batch=2)  # batches smaller than the queue
    ids = [work.pk for work in archive]
    caught_up = _documents(ids)
    for work_id in ids:
        search_document_refresh(work_id=work_id)
    assert caught_up == _documents(ids)
    assert "Mira Vale-Kestrel" in caught_up[0][3]


def test_a_work_deleted_or_queued_twice_while_waiting(user, admin, archive, few_inline):
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    catalogue_works_changed(work_ids=[archive[0].pk, archive[1].pk])
    work_delete(user=user, work=archive[2])
    assert StaleSearchDocument.objects.count() == 5
    assert search_documents_catch_up() == 3  # each work once per batch
    assert not StaleSearchDocument.objects.exists()
    assert not SearchDocument.objects.filter(work_id=archive[2].pk).exists()
    assert "Mira Vale" in _tags_of(archive[0])


def test_drafts_never_get_a_document(user, admin, few_inline):
    drafts = [make_work(user, post=False, characters=["Mira"]) for _ in range(2)]
    tag_set_canonical(user=admin, tag=tag("Mira Vale"), canonical=True)
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    search_documents_catch_up()
    assert not SearchDocument.objects.filter(work_id__in=[d.pk for d in drafts]).exists()


def test_the_task_is_queued_on_commit_and_catches_up(
    admin, archive, few_inline, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(catalogue_tasks.queue, "delay", timedelta(0))
    catalogue_tasks.queue.forget()
    queued_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    assert DBTaskResult.objects.count() == queued_before + 1
    assert run_due_tasks() >= 1
    assert search_documents_waiting() == 0
    assert all("Mira Vale" in _tags_of(work) for work in archive)


def test_nothing_is_queued_when_nothing_was(admin, archive, django_capture_on_commit_callbacks):
    catalogue_tasks.queue.forget()
    queued_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    assert DBTaskResult.objects.count() == queued_before


def test_the_command_catches_up(admin, archive, few_inline, capsys):
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    call_command("search-catch-up")
    assert "Rewrote 3 search documents." in capsys.readouterr().out
    assert search_documents_waiting() == 0


def test_the_wrangler_sees_search_catching_up_and_listings_current(
    client, admin, archive, few_inline
):
    client.force_login(admin)
    mira = tag("Mira")
    response = client.post(
        reverse("wrangling:tag_edit", args=[mira.pk]),
        {"action": "synonym", "synonym-synonym_of": "Mira Vale"},
        follow=True,
    )
    assert response.status_code == 200
    assert "the text of 3 works is still being updated" in response.content.decode()
    assert "Listings, filters and counts are already current." in response.content.decode()
    vale = tag("Mira Vale")
    listing = client.get(reverse("tags:works", args=[vale.pk])).content.decode()
    assert all(work.title in listing for work in archive)
    search = client.get("/works/", {"q": "Vale"}).content.decode()
    assert "Harbour 0" not in search  # the full text lags...
    search_documents_catch_up()
    page = client.get(reverse("wrangling:home")).content.decode()
    assert "still being updated" not in page
    search = client.get("/works/", {"q": "Vale"}).content.decode()
    assert all(work.title in search for work in archive)  # ...and then follows
