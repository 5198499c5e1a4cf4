"""Counting and holding rate-limit keys in the database, one request at a time per key.

Each function runs in a transaction that locks the key's row (SELECT ... FOR UPDATE on
PostgreSQL and MariaDB; SQLite's IMMEDIATE transactions take the write lock at BEGIN),
so requests at once are counted one after another and none is lost. Rows whose window
has ended are pruned when a new key comes, skipping rows others hold (no waiting, so no
deadlock).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from fanarchive.core.models import RateCount

PRUNE_BATCH = 1000


def _locked_row(key: str, *, window_start: int, window_end: int) -> tuple[RateCount, bool]:
    """The key's row, locked until the transaction ends; True when it was made now."""
    row = RateCount.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row, False
    try:
        with transaction.atomic():
            row = RateCount.objects.create(
                key=key, window_start=window_start, window_end=window_end, count=0
            )
    except IntegrityError:  # made by a request at the same moment: wait for it, then count
        return RateCount.objects.select_for_update().get(key=key), False
    _prune(now=window_start)
    return row, True


def _prune(*, now: int) -> None:
    ended = RateCount.objects.select_for_update(skip_locked=True).filter(window_end__lte=now)
    keys = list(ended.values_list("key", flat=True)[:PRUNE_BATCH])
    if keys:
        RateCount.objects.filter(key__in=keys).delete()


def rate_count_add(*, key: str, window_start: int, window_end: int) -> int:
    """Count one use of `key` in the window [window_start, window_end); the uses so far."""
    with transaction.atomic():
        row, _ = _locked_row(key, window_start=window_start, window_end=window_end)
        if row.window_start != window_start:  # a new window
            row.window_start, row.window_end, row.count = window_start, window_end, 0
        row.count += 1
        row.save(update_fields=["window_start", "window_end", "count"])
        return row.count


def rate_key_hold(*, key: str, now: int, seconds: int) -> None:
    """Hold `key` until the caller's transaction ends: others holding it wait till then.

    For limits decided by counting other rows (the comment limit): the count and the
    insert it allows happen while no other request of the same key can count.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rate_key_hold needs the transaction that it serialises")
    _locked_row(key, window_start=now, window_end=now + seconds)
