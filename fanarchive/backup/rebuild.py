"""What a restore rebuilds rather than loads: the search documents and the catalogue index.

On PostgreSQL most of a search document's cost is the server's (its tsvectors, about
three quarters of a millisecond for a 600-word work), so the works are shared among
several processes, each with its own connection and so its own server backend, and
this process builds the catalogue index meanwhile: the rebuild uses every core. SQLite
has one writer at a time, so there it stays `reindex --search` in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from io import TextIOBase

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

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


def rebuild_after_restore(*, workers: int, stdout: TextIOBase, stderr: TextIOBase) -> None:
    """The search documents of every work and the catalogue index, as `reindex --search`
    makes them; on PostgreSQL with `workers` processes for the documents."""
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
