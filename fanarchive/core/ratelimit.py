"""Fixed-window rate limits, counted atomically in Redis or in the database.

A window starts on a multiple of its length (on the hour for an hour), so a burst across
the boundary can spend two windows' worth. Every process of a deployment shares the
counts, and requests at once never share a count:

- a cache whose incr() is atomic (Redis's INCR; locmem and memcached too) counts with
  add() then incr();
- otherwise (the database cache, whose incr() reads then writes, so 400 requests at once
  could spend 330 of a limit of 300 and all pass) a row of `core.RateCount` is
  incremented under its lock (`rate_count_services`).

Keys are keyed hashes: addresses and e-mail addresses never sit in a cache or a table in
the clear, and any key makes a valid cache key.
"""

from __future__ import annotations

import math
import time

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from fanarchive.core.models import RateCount
from fanarchive.core.rate_count_services import rate_count_add, rate_key_hold

# Backends whose incr() cannot lose an update made at the same moment.
ATOMIC_INCR: tuple[type[BaseCache], ...] = (RedisCache, LocMemCache, BaseMemcachedCache)


class RateLimited(Exception):
    """Too many requests; `retry_after` is the number of seconds until the window ends."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def try_again_in(retry_after: int) -> str:
    """ "Please try again in N minutes.", translated, N rounded up from `retry_after` seconds."""
    minutes = math.ceil(retry_after / 60)
    return ngettext(
        "Please try again in %(minutes)s minute.",
        "Please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def rate_key(scope: str, key: str) -> str:
    """`key` in `scope` as stored: 64 hex digits of a keyed hash."""
    return salted_hmac(f"fanarchive.core.ratelimit.{scope}", key, algorithm="sha256").hexdigest()


def _cache_count(cache: BaseCache, bucket: str, window: int) -> int:
    cache.add(bucket, 0, timeout=window + 5)  # a no-op when the bucket exists
    try:
        return int(cache.incr(bucket))
    except ValueError:  # expired between add() and incr()
        cache.set(bucket, 1, timeout=window + 5)
        return 1


def rate_limit_spend(
    *, scope: str, key: str, limit: int, window: int, now: float | None = None
) -> int | None:
    """Count one use of `key` in `scope`'s current window of `window` seconds.

    Returns None while at most `limit` uses were counted, else the seconds until the
    window ends (for Retry-After).
    """
    now = time.time() if now is None else now
    start = int(now // window) * window
    stored = rate_key(scope, key)
    cache = caches["default"]
    if isinstance(cache, ATOMIC_INCR):
        count = _cache_count(cache, f"rate:{scope}:{stored}:{start}", window)
    else:
        count = rate_count_add(key=stored, window_start=start, window_end=start + window)
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


def rate_limit_peek(
    *, scope: str, key: str, window: int, now: float | None = None
) -> tuple[int, int]:
    """The uses of `key` counted in `scope`'s current window, counting none, and the
    seconds until that window ends: to refuse before doing what `rate_limit_spend`
    counts only when it fails (a wrong password)."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    stored = rate_key(scope, key)
    cache = caches["default"]
    if isinstance(cache, ATOMIC_INCR):
        count = int(cache.get(f"rate:{scope}:{stored}:{start}", 0))
    else:
        counted = RateCount.objects.filter(key=stored, window_start=start)
        count = counted.values_list("count", flat=True).first() or 0
    return count, max(1, math.ceil(start + window - now))


def rate_limit_hold(*, scope: str, key: str, seconds: int) -> None:
    """Serialise `key`'s uses in `scope` until the caller's transaction ends.

    For a limit decided by counting stored rows (comments in the last 15 minutes): call
    it in the transaction that counts and inserts, and a request of the same key at the
    same moment counts only after this one's insert is committed.
    """
    rate_key_hold(key=rate_key(scope, key), now=int(time.time()), seconds=seconds)
