"""Fixed-window rate limits in Django's cache.

The cache is the database by default and Redis when REDIS_URL is set, so every process
of a deployment shares the counts. A window starts on a multiple of its length (on the
hour for an hour), so a burst across the boundary can spend two windows' worth.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac


class RateLimited(Exception):
    """Too many requests; `retry_after` is the number of seconds until the window ends."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def rate_limit_spend(
    *, scope: str, key: str, limit: int, window: int, now: float | None = None
) -> int | None:
    """Count one use of `key` in `scope`'s current window of `window` seconds.

    Returns None while at most `limit` uses were counted, else the seconds until the
    window ends (for Retry-After).
    """
    now = time.time() if now is None else now
    start = int(now // window) * window
    # Keyed hash: addresses and e-mail addresses never sit in the cache in the clear,
    # and any key makes a valid cache key.
    digest = salted_hmac(f"fanarchive.core.ratelimit.{scope}", key, algorithm="sha256")
    bucket = f"rate:{scope}:{digest.hexdigest()}:{start}"
    # add() is a no-op when the bucket exists; incr() is atomic in Redis and close enough
    # in the database cache (a lost update there only lets a request or two through).
    cache.add(bucket, 0, timeout=window + 5)
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add() and incr()
        cache.set(bucket, 1, timeout=window + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))
