"""What a restore rebuilds rather than loads: the search documents and the catalogue index.

On PostgreSQL most of a search document's cost is the server's (its tsvectors, about
three quarters of a millisecond for a 600-word work), so the works are shared among
several processes, each with its own connection and so its own server backend, and
this process builds the catalogue index meanwhile: the rebuild uses every core. SQLite
has one writer at a time, so there it stays `reindex --search` in this process.

On PostgreSQL the documents' GIN indexes are also set aside while the documents are
written and built once afterwards (`search_indexes_set_aside`): one sorted build costs
about a third of adding each document's entries as it is written.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import TextIOBase

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from fanarchive.works.catalogue_models import SearchDocument
from fanarchive.works.catalogue_services import REBUILD_BATCH, search_documents_rebuild
from fanarchive.works.models import Work


def shares(work_ids: Sequence[int], workers: int) -> list[list[int]]:
    """`work_ids` in `workers` shares of whole rebuild batches, dealt in turn so that each
    share holds old and new works alike; empty shares are left out."""
    batches = [work_ids[s : s + REBUILD_BATCH] for s in range(0, len(work_ids), REBUILD_BATCH)]
    dealt = [[pk for batch in batches[k::workers] for pk in batch] for k in range(workers)]
    return [share for share in dealt if share]


def _rebuild_share(work_ids: list[int]) -> None:
    try:
        search_documents_rebuild(work_ids=work_ids)
    finally:
        connections.close_all()


def in_parallel(workers: int) -> bool:
    """Whether the documents are shared among processes: on PostgreSQL, with two or more."""
    return connection.vendor == "postgresql" and workers > 1


# Memory PostgreSQL may use to sort an index's entries in one pass (its default, 64 MB,
# spills the word-pairs index of 100,000 works to disk several times).
INDEX_BUILD_MEMORY = "256MB"


@contextmanager
def search_indexes_set_aside() -> Iterator[None]:
    """PostgreSQL: the search documents' GIN indexes dropped for the block and built
    again after it, from their definitions as this database holds them, whatever
    happened in the block (an archive is never left without them by a failed rebuild).
    Elsewhere nothing is set aside."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexdef LIKE %s ORDER BY indexname",
            [SearchDocument._meta.db_table, "% USING gin %"],
        )
        indexes: list[tuple[str, str]] = cursor.fetchall()
        for name, _ in indexes:
            # Names read from this database's catalogue, quoted.
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("RESET maintenance_work_mem")


def rebuild_after_restore(*, workers: int, stdout: TextIOBase, stderr: TextIOBase) -> None:
    """The search documents of every work and the catalogue index, as `reindex --search`
    makes them; on PostgreSQL with `workers` processes for the documents."""
    with search_indexes_set_aside():
        _rebuild(workers=workers, stdout=stdout, stderr=stderr)


def _rebuild(*, workers: int, stdout: TextIOBase, stderr: TextIOBase) -> None:
    if not in_parallel(workers):
        call_command("reindex", "--search", stdout=stdout, stderr=stderr)
        return
    work_ids = list(Work.objects.order_by("id").values_list("id", flat=True))
    # A forked process must not share this one's connection: each opens its own.
    connections.close_all()
    fork = multiprocessing.get_context("fork")
    processes = [
        fork.Process(target=_rebuild_share, args=(share,), daemon=True)
        for share in shares(work_ids, workers)
    ]
    for process in processes:
        process.start()
    try:
        call_command("reindex", stdout=stdout, stderr=stderr)
    finally:
        for process in processes:
            process.join()
    if any(process.exitcode != 0 for process in processes):
        raise CommandError(
            "The backup is restored, but rebuilding the search documents failed (see "
            "above): run `fanarchive reindex --search`."
        )
