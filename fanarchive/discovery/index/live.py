"""The one catalogue of this process, and how it catches up with the change log.

Each process holds its own index. On first use it loads the saved index (if
it belongs to this database) or builds one and saves it; then, before every
read (or at most every `DISCOVERY_CATCH_UP_SECONDS`), one indexed query asks
the change log for entries past the last applied one and reloads those works.
Several processes, or machines sharing a database, therefore agree without a
search server.

Sequence gaps: on PostgreSQL an id can be taken by a transaction that commits
after a later id is visible. Missing ids below the newest applied one are
remembered for a minute and asked for again, so a slow commit is not lost.
If the entry the index last applied has vanished from the log (the log was pruned
past it, or the database was restored or reset), the saved index is loaded instead
when it belongs to the log, and otherwise the index is rebuilt.

Checkpoints: the task worker of each host brings the host's saved index up to the end of
the log every `CHECKPOINT_SECONDS` (`checkpoint`, in its own process: the serving
processes' memory is not touched), and reports its position, below which the log may
be pruned (`works.catalogue_services.catalogue_log_prune`). A restart therefore loads an
index at most that old and catches up a little.

Big catch-ups off the request path: in gunicorn's workers (`catch_up_off_requests`), a
request applies at most `INLINE_ENTRIES` new entries (someone's own post, edit or kudos is
applied before their next page). When more are waiting (a wrangling of a tag on 100,000
works logs 100,000), a thread of the process applies them in slices of as many, each
under the lock, while requests go on reading the index: each work is as it was or as it
now is, never half of either, and pages rendered meanwhile are not kept in the shared
page cache (`caught_up`). Each slice also applies the posts, edits and counts logged after
it (`_apply_ahead`), so a new work is listed without waiting for the wrangling.
"""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection

from fanarchive.discovery.index import store
from fanarchive.discovery.index.backend import BackendKind, CatalogueBackend
from fanarchive.discovery.index.backends import chosen
from fanarchive.discovery.index.source import DatabaseSource
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.catalogue_services import catalogue_log_prune, catalogue_reader_report
from fanarchive.works.selectors import newest_change_id

GAP_SECONDS = 60.0
# How often each host's task worker saves the host's index caught up (`checkpoint`).
CHECKPOINT_SECONDS = 15 * 60.0
# At most this many new log entries are applied by a request (in a serving process);
# more are left to a thread, which applies them this many at a time (about 0.1 s each
# for a wrangling: ~0.1 ms a work), letting requests in between.
INLINE_ENTRIES = 1000
# Entries past a slice that are not re-filings, applied with it (`_apply_ahead`).
LOOKAHEAD_ENTRIES = 200
# The thread's pause between slices, so a waiting request takes the lock first.
SLICE_PAUSE_SECONDS = 0.005

_lock = threading.RLock()
# Where every index of this process reads works from.
SOURCE = DatabaseSource()


def kind() -> BackendKind:
    """The catalogue backend the settings choose (`backends.BACKENDS`)."""
    return chosen(getattr(settings, "CATALOGUE_BACKEND", "roaring"))


class _State:
    def __init__(self) -> None:
        self.catalogue: CatalogueBackend | None = None
        self.stamp: tuple[int, str] | None = None  # (work id, time) of the applied change
        self.gaps: dict[int, float] = {}
        self.checked_at = 0.0
        self.source = ""  # "built" or "loaded"
        # Set in gunicorn's workers: big catch-ups are left to a thread (`reading`).
        self.off_requests = False
        self.behind = False  # a thread is applying entries this process has not applied yet
        self.ahead = 0  # the newest entry applied ahead of the slices (`_apply_ahead`)


state = _State()


class _Behind(Exception):
    """The entry an index last applied is no longer in the log."""


def _stamp_of(change_id: int) -> tuple[int, str] | None:
    row = CatalogueChange.objects.filter(id=change_id).values_list("work_id", "created_at").first()
    return (row[0], row[1].isoformat()) if row else None


def _log_is_empty() -> bool:
    return not CatalogueChange.objects.exists()


def _trusted(applied: int, stamp: tuple[int, str] | None) -> bool:
    """Whether an index covering change `applied` belongs to this database's log."""
    if applied == 0:
        return _log_is_empty()
    return stamp is not None and _stamp_of(applied) == tuple(stamp)


def _built(
    *, progress: Any = None, save: bool = True
) -> tuple[CatalogueBackend, tuple[int, str] | None]:
    """A fresh index of the database and the stamp of the change it covers, saved."""
    catalogue = kind().build(SOURCE, progress=progress)
    stamp = _stamp_of(catalogue.applied) if catalogue.applied else None
    if save:
        kind().write(catalogue, stamp, store.index_path())
    return catalogue, stamp


def rebuild(*, progress: Any = None, save: bool = True) -> CatalogueBackend:
    """Build a fresh index from the database, save it, and make it this process's index."""
    catalogue, stamp = _built(progress=progress, save=save)
    if save:
        # Serve from the file just written, mapped (`store.load`): the compact, shared
        # layout, rather than the build's own objects.
        loaded = kind().read(store.index_path(), SOURCE)
        if loaded is not None and loaded[0].applied == catalogue.applied:
            catalogue, stamp = loaded
    with _lock:
        state.catalogue, state.stamp, state.gaps = catalogue, stamp, {}
        state.source = "built"
    _settle()
    return catalogue


def _settle() -> None:
    """Move the new index out of the garbage collector's sight.

    The index is hundreds of thousands of long-lived objects; without this, every
    full collection walks them all and a request now and then pauses for ~50 ms.
    """
    gc.collect()
    gc.freeze()


def _start() -> CatalogueBackend:
    loaded = kind().read(store.index_path(), SOURCE)
    if loaded is not None and _trusted(loaded[0].applied, loaded[1]):
        state.catalogue, state.stamp, state.gaps = loaded[0], loaded[1], {}
        state.source = "loaded"
        _settle()
        return loaded[0]
    return rebuild()


def saved_index_usable() -> bool:
    """Whether the saved index belongs to this database's change log (so loading it and
    catching up is enough), read from its description without loading it."""
    return _usable(kind().describe(store.index_path()))


def _usable(meta: dict[str, Any] | None) -> bool:
    """`saved_index_usable`, from a saved index's description already read."""
    if meta is None:
        return False
    stamp = meta.get("stamp")
    return _trusted(int(meta.get("applied", 0)), tuple(stamp) if stamp else None)


def preload() -> CatalogueBackend:
    """Make this process's index ready now: gunicorn's master calls it before forking its
    workers (`core.gunicorn.before_workers_fork`), so each starts with it, caught up,
    and shares its memory rather than loading a copy of its own on its first request."""
    with reading() as catalogue:
        return catalogue


def catch_up(catalogue: CatalogueBackend) -> CatalogueBackend:
    """Apply the change log's new entries. If the log no longer holds the entry this index
    applied, start again from the saved index (a checkpoint), or rebuild."""
    try:
        _apply_log(catalogue, state)
    except _Behind:
        state.catalogue = None
        catalogue = _start()
        if state.source == "loaded":
            try:
                _apply_log(catalogue, state)
            except _Behind:  # pruned again between the check and the reading
                return rebuild()
    return catalogue


def _apply_log(catalogue: CatalogueBackend, on: _State, *, limit: int | None = None) -> bool:
    """Apply the log's entries past `catalogue.applied` (and its remembered gaps), at most
    `limit` of them; whether the end of the log was reached."""
    now = time.monotonic()
    on.gaps = {gap: seen for gap, seen in on.gaps.items() if now - seen < GAP_SECONDS}
    entries = CatalogueChange.objects.order_by("id").values_list(
        "id", "work_id", "created_at", "counts_only", "tags_only"
    )
    # One query, from the oldest gap (or the entry already applied, read to check its
    # stamp): a request asks it whenever it reads the index.
    start = min([catalogue.applied, *on.gaps])
    since = entries.filter(id__gte=start)
    # At most `applied - start + 1` entries are not past `applied`: room for `limit` more.
    rows = list(since[: limit + 1 + catalogue.applied - start] if limit is not None else since)
    complete = limit is None or sum(row[0] > catalogue.applied for row in rows) < limit
    if catalogue.applied:
        mine = next((row for row in rows if row[0] == catalogue.applied), None)
        if mine is None or (mine[1], mine[2].isoformat()) != tuple(on.stamp or ()):
            raise _Behind
    fresh = [row for row in rows if row[0] > catalogue.applied or row[0] in on.gaps]
    if not fresh:
        return complete
    seen = {row[0] for row in rows}
    newest = rows[-1]
    for missing in range(catalogue.applied + 1, newest[0]):
        if missing not in seen:
            on.gaps.setdefault(missing, now)
    for row in fresh:
        on.gaps.pop(row[0], None)
    _apply_rows(catalogue, fresh)
    if not complete and any(row[4] for row in fresh):
        later = entries.filter(id__gt=max(newest[0], on.ahead))
        on.ahead = max(on.ahead, _apply_ahead(catalogue, later))
    if newest[0] > catalogue.applied:
        catalogue.applied = newest[0]
        on.stamp = (newest[1], newest[2].isoformat())
    return complete


def _apply_ahead(catalogue: CatalogueBackend, later: Any) -> int:
    """Apply the posts, edits and counts logged after a slice of re-filings now, ahead of
    the rest of them (a wrangling's 100,000 "tags only" entries take seconds to reach): a
    writer's new work is listed at the next slice. Applying reads a work as it now is, so
    applying it again when the catch-up reaches its entry changes nothing. The newest
    entry applied ahead (the next slice looks past it), or 0."""
    ahead = list(later.filter(tags_only=False)[:LOOKAHEAD_ENTRIES])
    _apply_rows(catalogue, ahead)
    return ahead[-1][0] if ahead else 0


def _apply_rows(catalogue: CatalogueBackend, rows: list[tuple[Any, ...]]) -> None:
    """Apply these log entries (id, work, time, counts only, tags only): a work with any
    whole entry is reloaded whole, else re-filed or recounted as its entries say."""
    whole = {row[1] for row in rows if not row[3] and not row[4]}
    catalogue.apply(whole)
    catalogue.apply_tags({row[1] for row in rows if row[4]} - whole)
    catalogue.apply_counts({row[1] for row in rows if row[3]} - whole)


def catch_up_off_requests() -> None:
    """From now on, leave big catch-ups to a thread (gunicorn's workers, after the fork:
    a thread started before it would not survive it)."""
    state.off_requests = True


def caught_up() -> bool:
    """Whether this process's index has applied every entry it has seen in the log (no
    thread is still applying a big catch-up)."""
    return not state.behind


def _catch_up_in_request(catalogue: CatalogueBackend) -> CatalogueBackend:
    """`catch_up`, but at most `INLINE_ENTRIES` entries; the rest go to a thread."""
    if not state.off_requests:
        return catch_up(catalogue)
    if state.behind:
        return catalogue  # the thread is on it
    catalogue, complete = _apply_slice(catalogue)
    if not complete:
        state.behind = True
        threading.Thread(target=_catch_up_behind, name="catalogue-catch-up", daemon=True).start()
    return catalogue


def _apply_slice(catalogue: CatalogueBackend) -> tuple[CatalogueBackend, bool]:
    """Apply at most `INLINE_ENTRIES` of the log's new entries (under `_lock`); the index
    (another one when the log no longer holds this one's position, caught up whole by
    `catch_up`) and whether the end of the log was reached."""
    try:
        return catalogue, _apply_log(catalogue, state, limit=INLINE_ENTRIES)
    except _Behind:
        return catch_up(catalogue), True


def _catch_up_behind() -> None:
    """The thread of `_catch_up_in_request`: apply the log's entries a slice at a time,
    each under the lock, until the end of the log."""
    try:
        complete = False
        while not complete:
            with _lock:
                catalogue = state.catalogue
                if catalogue is None:  # forgotten meanwhile: the next reading starts again
                    break
                _, complete = _apply_slice(catalogue)
            if not complete:
                time.sleep(SLICE_PAUSE_SECONDS)
    finally:
        connection.close()  # this thread's own connection, before anyone sees it done
        state.behind = False


def reader_name() -> str:
    """This host's name in the log's readers: the machine and its saved index's path."""
    return f"{socket.gethostname()}:{store.index_path()}"


def checkpoint() -> int:
    """Save this host's index caught up to the end of the log, and report its position
    (the log is pruned no further); the position. Runs in its own process (the task
    worker, `fanarchive prune-catalogue-log`): it loads the saved index, or builds one when
    the saved index is missing or no longer belongs to the log."""
    meta = kind().describe(store.index_path())
    newest = newest_change_id()
    if meta is not None and meta.get("applied") == newest and _usable(meta):
        catalogue_reader_report(name=reader_name(), applied=newest)
        return newest  # nothing logged since the last save
    loaded = kind().read(store.index_path(), SOURCE)
    own = _State()
    catalogue: CatalogueBackend | None = None
    if loaded is not None and _trusted(loaded[0].applied, loaded[1]):
        catalogue, own.stamp = loaded
        before = catalogue.applied
        try:
            _apply_log(catalogue, own)
        except _Behind:  # pruned past it since the check: build afresh
            catalogue = None
        else:
            if catalogue.applied != before:
                kind().write(catalogue, own.stamp, store.index_path())
    if catalogue is None:
        catalogue, own.stamp = _built()
    catalogue_reader_report(name=reader_name(), applied=catalogue.applied)
    return catalogue.applied


def checkpoint_and_prune() -> int:
    """The task worker's periodic chore: `checkpoint`, then prune the log; entries pruned."""
    checkpoint()
    gc.collect()  # the index just saved: give its memory back before the next chore
    return catalogue_log_prune()


@contextmanager
def reading() -> Iterator[CatalogueBackend]:
    """This process's index, caught up, held still while the caller reads it."""
    with _lock:
        catalogue = state.catalogue or _start()
        interval = float(getattr(settings, "DISCOVERY_CATCH_UP_SECONDS", 0.0))
        now = time.monotonic()
        if now - state.checked_at >= interval:
            catalogue = _catch_up_in_request(catalogue)
            state.checked_at = now
        yield catalogue


def forget() -> None:
    """Drop this process's index (tests, and after a restore)."""
    with _lock:
        state.catalogue, state.stamp, state.gaps = None, None, {}
        state.ahead = 0


def health() -> dict[str, Any]:
    """Works indexed, how far behind the log this process is, and when it was built."""
    with reading() as catalogue:
        newest = newest_change_id()
        saved = kind().describe(store.index_path())
        return {
            **catalogue.stats(),
            "newest_change": newest,
            "lag": newest - catalogue.applied,
            "source": state.source,
            "built_at_display": datetime.fromtimestamp(catalogue.built_at, UTC)
            if catalogue.built_at
            else None,
            "build_seconds": catalogue.build_seconds,
            "saved_applied": saved["applied"] if saved else None,
            "saved_built_at": saved["built_at"] if saved else None,
            "path": str(store.index_path()),
        }
