"""The rebuild after a restore: the search documents shared among processes on
PostgreSQL are the documents `reindex --search` writes, and the catalogue index is built."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError
from django.db import connection

from fanarchive.backup import rebuild
from fanarchive.backup.rebuild import rebuild_after_restore, shares
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index import store
from fanarchive.works.catalogue_models import SearchDocument
from fanarchive.works.catalogue_services import search_document_refresh
from fanarchive.works.models import Work

FIELDS = ("work_id", "title", "creators", "tags", "summary", "notes", "body")


def _documents() -> list[tuple[Any, ...]]:
    return list(SearchDocument.objects.order_by("work_id").values_list(*FIELDS))


def _gin_indexes() -> list[str]:
    """The search documents' GIN indexes (PostgreSQL; none elsewhere)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s ORDER BY 1",
            [SearchDocument._meta.db_table, "% USING gin %"],
        )
        return [name for (name,) in cursor.fetchall()]


def test_shares_deal_whole_batches_in_turn(monkeypatch):
    monkeypatch.setattr(rebuild, "REBUILD_BATCH", 2)
    assert shares([1, 2, 3, 4, 5, 6, 7], 2) == [[1, 2, 5, 6], [3, 4, 7]]
    assert shares([1, 2, 3], 4) == [[1, 2], [3]]  # no process without works
    assert shares([], 2) == []


@pytest.mark.flushes_database
@pytest.mark.django_db(transaction=True)
def test_the_shared_rebuild_writes_every_document_and_the_index(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    writer = make_user("rebuild_share_writer")
    for n in range(7):
        make_work(writer, title=f"Harbour {n}", fandoms=["Lantern Isles"], chapters=2)
    make_work(writer, title="Unposted harbour", post=False)
    for work_id in Work.objects.values_list("pk", flat=True):
        search_document_refresh(work_id=work_id)
    expected = _documents()
    SearchDocument.objects.all().delete()
    indexes = _gin_indexes()
    out = StringIO()
    rebuild_after_restore(workers=3, stdout=out, stderr=StringIO())
    assert _documents() == expected
    # Set aside while the documents were written, and built again from the same definitions.
    assert _gin_indexes() == indexes
    if connection.vendor == "postgresql":
        assert indexes == ["discovery_search_pairs_idx", "discovery_search_vector_idx"]
    assert len(expected) == 7  # not the draft
    assert "Indexed 8 works" in out.getvalue() and store.index_path().exists()


@pytest.mark.flushes_database
@pytest.mark.django_db(transaction=True)
def test_a_failing_process_stops_the_restore_with_what_to_run(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path
    make_work(make_user("rebuild_share_failer"), title="Salt")
    SearchDocument.objects.all().delete()
    indexes = _gin_indexes()

    def broken(*, work_ids: list[int]) -> None:
        raise RuntimeError("the server went away")

    monkeypatch.setattr(rebuild, "in_parallel", lambda workers: True)
    monkeypatch.setattr(rebuild, "search_documents_rebuild", broken)
    with pytest.raises(CommandError, match="run `fanarchive reindex --search`"):
        rebuild_after_restore(workers=2, stdout=StringIO(), stderr=StringIO())
    assert not SearchDocument.objects.exists()
    assert _gin_indexes() == indexes  # never left without them
