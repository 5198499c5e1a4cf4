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
If the entry the index last applied has vanished from the log (a restored or
reset database), the index is rebuilt.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from fanarchive.discovery.index import store
from fanarchive.discovery.index.catalogue import Catalogue
from fanarchive.works.catalogue_models import CatalogueChange

GAP_SECONDS = 60.0

_lock = threading.RLock()


class _State:
    catalogue: Catalogue | None = None
    stamp: tuple[int, str] | None = None  # (work id, time) of the applied change
    gaps: dict[int, float] = {}
    checked_at = 0.0
    source = ""  # "built" or "loaded"


state = _State()


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


def rebuild(*, progress: Any = None, save: bool = True) -> Catalogue:
    """Build a fresh index from the database, save it, and make it this process's index."""
    catalogue = Catalogue.build(progress=progress)
    stamp = _stamp_of(catalogue.applied) if catalogue.applied else None
    if save:
        store.save(catalogue, stamp)
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


def _start() -> Catalogue:
    loaded = store.load()
    if loaded is not None and _trusted(loaded[0].applied, loaded[1]):
        state.catalogue, state.stamp, state.gaps = loaded[0], loaded[1], {}
        state.source = "loaded"
        _settle()
        return loaded[0]
    return rebuild()


def saved_index_usable() -> bool:
    """Whether the saved index belongs to this database's change log (so loading it and
    catching up is enough), read from its description without loading it."""
    meta = store.meta_of()
    if meta is None or meta.get("format") != store.FORMAT:
        return False
    stamp = meta.get("stamp")
    return _trusted(int(meta.get("applied", 0)), tuple(stamp) if stamp else None)


def preload() -> Catalogue:
    """Make this process's index ready now: gunicorn's master calls it before forking its
    workers (`core.gunicorn.before_workers_fork`), so each starts with it, caught up,
    and shares its memory rather than loading a copy of its own on its first request."""
    with reading() as catalogue:
        return catalogue


def catch_up(catalogue: Catalogue) -> Catalogue:
    """Apply the change log's new entries; rebuild if the log no longer matches."""
    now = time.monotonic()
    state.gaps = {gap: seen for gap, seen in state.gaps.items() if now - seen < GAP_SECONDS}
    low = min([catalogue.applied, *state.gaps])
    rows = list(
        CatalogueChange.objects.filter(id__gte=low)
        .order_by("id")
        .values_list("id", "work_id", "created_at", "counts_only")
    )
    if catalogue.applied:
        mine = next((row for row in rows if row[0] == catalogue.applied), None)
        if mine is None or (mine[1], mine[2].isoformat()) != tuple(state.stamp or ()):
            return rebuild()
    fresh = [row for row in rows if row[0] > catalogue.applied or row[0] in state.gaps]
    if not fresh:
        return catalogue
    seen = {row[0] for row in rows}
    newest = rows[-1]
    for missing in range(catalogue.applied + 1, newest[0]):
        if missing not in seen:
            state.gaps.setdefault(missing, now)
    for row in fresh:
        state.gaps.pop(row[0], None)
    whole = {row[1] for row in fresh if not row[3]}
    catalogue.apply(whole)
    catalogue.apply_counts({row[1] for row in fresh if row[3]} - whole)
    if newest[0] > catalogue.applied:
        catalogue.applied = newest[0]
        state.stamp = (newest[1], newest[2].isoformat())
    return catalogue


@contextmanager
def reading() -> Iterator[Catalogue]:
    """This process's index, caught up, held still while the caller reads it."""
    with _lock:
        catalogue = state.catalogue or _start()
        interval = float(getattr(settings, "DISCOVERY_CATCH_UP_SECONDS", 0.0))
        now = time.monotonic()
        if now - state.checked_at >= interval:
            catalogue = catch_up(catalogue)
            state.checked_at = now
        yield catalogue


def forget() -> None:
    """Drop this process's index (tests, and after a restore)."""
    with _lock:
        state.catalogue, state.stamp, state.gaps = None, None, {}


def health() -> dict[str, Any]:
    """Works indexed, how far behind the log this process is, and when it was built."""
    with reading() as catalogue:
        newest = CatalogueChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        saved = store.meta_of()
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
