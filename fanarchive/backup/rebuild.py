"""What a restore rebuilds rather than loads: the search documents and the catalogue index.

On PostgreSQL most of a search document's cost is the server's (its tsvectors, about
three quarters of a millisecond for a 600-word work), so the works are shared among
several processes, each with its own connection and so its own server backend, and
the documents' GIN indexes are set aside meanwhile: one sorted build afterwards costs
about a third of adding each document's entries as it is written. The indexes are then
built by the server, each on a connection of its own, while this process builds the
catalogue index, so the rebuild keeps every core busy to the end. The documents' long
values are compressed with lz4 where the server has it (`lz4_compression_use`). SQLite
has one writer at a time, so there it stays `reindex --search` in this process.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import TextIOBase

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from fanarchive.backup.restore_services import INDEX_BUILD_MEMORY, lz4_compression_use
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
        lz4_compression_use(connection)
        search_documents_rebuild(work_ids=work_ids)
    finally:
        connections.close_all()


def in_parallel(workers: int) -> bool:
    """Whether the documents are shared among processes: on PostgreSQL, with two or more."""
    return connection.vendor == "postgresql" and workers > 1


def _search_indexes_drop() -> list[tuple[str, str]]:
    """PostgreSQL: drop the search documents' GIN indexes; their names and definitions,
    as this database holds them. Elsewhere none."""
    if connection.vendor != "postgresql":
        return []
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
    return indexes


def _search_indexes_build(indexes: list[tuple[str, str]]) -> None:
    if not indexes:  # none set aside (SQLite)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")


@contextmanager
def search_indexes_set_aside() -> Iterator[None]:
    """PostgreSQL: the search documents' GIN indexes dropped for the block and built
    again after it, from their definitions as this database holds them, whatever
    happened in the block (an archive is never left without them by a failed rebuild).
    Elsewhere nothing is set aside."""
    indexes = _search_indexes_drop()
    try:
        yield
    finally:
        _search_indexes_build(indexes)


class _IndexBuilder(threading.Thread):
    """The GIN indexes built on a connection of this thread's own: the server does the
    work, so this process meanwhile builds the catalogue index on the other core."""

    def __init__(self, indexes: list[tuple[str, str]]) -> None:
        super().__init__(name="search-index-builder")
        self.indexes = indexes
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            _search_indexes_build(self.indexes)
        except BaseException as error:  # raised again by the caller
            self.error = error
        finally:
            connections.close_all()  # this thread's own


def rebuild_after_restore(*, workers: int, stdout: TextIOBase, stderr: TextIOBase) -> None:
    """The search documents of every work and the catalogue index, as `reindex --search`
    makes them; on PostgreSQL with `workers` processes for the documents, then the
    catalogue index and the documents' GIN indexes side by side."""
    if not in_parallel(workers):
        lz4_compression_use(connection)
        with search_indexes_set_aside():
            call_command("reindex", "--search", stdout=stdout, stderr=stderr)
        return
    # One thread an index: GIN builds run on one core each (PostgreSQL 15 has no
    # parallel GIN build), and the word pairs' takes several times the words'.
    builders = [_IndexBuilder([index]) for index in _search_indexes_drop()]
    written = False
    try:
        written = _documents_in_processes(workers)
    finally:
        # Whatever happened: an archive is never left without its search indexes, and
        # this command does not end before they are built.
        for builder in builders:
            builder.start()
        try:
            if written:
                call_command("reindex", stdout=stdout, stderr=stderr)
        finally:
            for builder in builders:
                builder.join()
    for builder in builders:
        if builder.error is not None:
            raise builder.error
    if not written:
        raise CommandError(
            "The backup is restored, but rebuilding the search documents failed (see "
            "above): run `fanarchive reindex --search`."
        )


def _documents_in_processes(workers: int) -> bool:
    """Every work's search document, written by `workers` processes; whether all succeeded."""
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
    for process in processes:
        process.join()
    return all(process.exitcode == 0 for process in processes)
