"""Core's one table: rate-limit counts kept in the database (see core.ratelimit)."""

from __future__ import annotations

from django.db import models


class RateCount(models.Model):
    """How often one key was used in its current fixed window, counted under the row's lock.

    For caches whose incr() is a read then a write (the database cache): two requests at
    once would both count n + 1. A row also serialises the uses of a key that are decided
    by counting other rows (the comment limit), held until their transaction ends.
    """

    # A keyed hash of the scope and the key (core.ratelimit): no address in the clear.
    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.BigIntegerField()  # seconds since the epoch
    window_end = models.BigIntegerField(db_index=True)  # a row past its end can go
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key[:12]}: {self.count}"
