"""A full build's batches read from the database in several processes at once.

Reading is nine tenths of a build (SQL, then Python turning rows into columns), and one
process does it one batch after another. `read_batches` forks reader processes that
read batches ahead while the building process files each one into the index, in order.
The forked readers share the tag types and the wrangling graph the build read once
(in `read`), without copying them, and each opens its own database connection.

Only where that is safe and worth it: not inside a transaction (the readers' connections
would not see its uncommitted rows), not on an in-memory SQLite database (another process
cannot open it), not in a process running other threads (a forked child can inherit a
lock another thread held, and hang), and not for a build of a few batches.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import Any, cast

from django.conf import settings
from django.db import connection, connections

from fanarchive.discovery.index.columns import Columns
from fanarchive.discovery.index.structures import sorted_unique
from fanarchive.discovery.tagging import add_tag_types

# Fewer batches than this are read in the building process: forking costs more.
MIN_BATCHES = 4
# Batches read ahead per reader: enough to keep each busy, few enough to bound memory.
AHEAD = 2
# Seconds a batch may take to read (50,000 works take a second or two): a reader that
# hangs fails the build with an error rather than holding it up for ever.
READ_TIMEOUT = 600.0

# What the forked readers share with the build (set just before they fork).
_shared: dict[str, Any] = {}


def reader_processes(batches: int) -> int:
    """How many processes read a build of `batches` batches (0: the building one)."""
    wanted: int = settings.INDEX_BUILD_PROCESSES
    if wanted < 2 or batches < MIN_BATCHES:
        return 0
    if connection.in_atomic_block:
        return 0
    if connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db():
        return 0
    if other_threads() or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(wanted, batches)


def other_threads() -> bool:
    """Whether this process runs a thread besides this one."""
    return threading.active_count() > 1


def read_batches(
    ranges: list[tuple[int, int]],
    read: Callable[[tuple[int, int]], Columns],
    *,
    types: dict[int, str],
) -> Iterator[Columns]:
    """`read` of each id range, in order. `read` adds to `types` the types of the tags the
    works are filed under that it lacks (`source.load_columns`); read in other processes,
    they are added here."""
    processes = reader_processes(len(ranges))
    if not processes:
        yield from map(read, ranges)
        return
    _shared["read"] = read
    # Each reader opens its own connection: none may inherit (and share) this one's.
    connections.close_all()
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            waiting = iter(ranges)
            pending: deque[AsyncResult[Columns]] = deque(
                pool.apply_async(_read, (id_range,))
                for id_range in islice(waiting, AHEAD * processes)
            )
            while pending:
                columns = pending.popleft().get(timeout=READ_TIMEOUT)
                following = next(waiting, None)
                if following is not None:
                    pending.append(pool.apply_async(_read, (following,)))
                # A tag made since the build read the types: as `load_columns` would have.
                add_tag_types(types, sorted_unique(columns.tag_ids).tolist())
                yield columns
    finally:
        _shared.clear()


def _read(id_range: tuple[int, int]) -> Columns:
    """In a reader process: one batch."""
    read: Callable[[tuple[int, int]], Columns] = _shared["read"]
    try:
        return read(id_range)
    finally:
        # Readers end without Python's clean-up: a connection left open would end in the
        # server's log as a client gone without a word.
        connections.close_all()
