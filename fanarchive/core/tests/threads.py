"""Fire calls at once from real threads, each with its own database connections."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from django.core.cache import cache
from django.db import connections

T = TypeVar("T")


def at_once(calls: int, call: Callable[[], T], *, threads: int = 20) -> list[T]:
    """`call()` `calls` times, spread over `threads` threads that start together."""
    threads = min(threads, calls)
    barrier = threading.Barrier(threads)
    shares = [calls // threads + (1 if n < calls % threads else 0) for n in range(threads)]

    def work(share: int) -> list[T]:
        try:
            barrier.wait(timeout=30)
            return [call() for _ in range(share)]
        finally:
            connections.close_all()  # this thread's own connections

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [result for results in pool.map(work, shares) for result in results]


REDIS_URL = os.environ.get("FANARCHIVE_TEST_REDIS_URL")
# The cache backends a deployment may run on (the database cache by default, Redis with
# REDIS_URL) and the one of a single process; Redis only where a test server is named.
CACHE_BACKENDS = {
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "fanarchive_cache",
    },
    "redis": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


def cache_backend_params(*names: str) -> list[Any]:
    """pytest params of these backends; Redis is skipped (said so) without a server."""
    return [
        pytest.param(
            name,
            marks=pytest.mark.skipif(
                name == "redis" and not REDIS_URL,
                reason="set FANARCHIVE_TEST_REDIS_URL to a Redis server (.ci/run does)",
            ),
        )
        for name in names
    ]


def pin_rate_windows(monkeypatch: Any, *, at: float = 1_800_000_000.5) -> None:
    """Stop the rate limits' clock at `at`, so requests made over several seconds all
    fall in one fixed window (a real clock crossing a window's end mid-test starts a
    fresh count, and every request passes)."""
    from fanarchive.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: at))


def use_cache_backend(settings: Any, name: str) -> None:
    """Run the test on this cache backend (every thread builds it from the settings)."""
    settings.CACHES = {"default": CACHE_BACKENDS[name]}
    cache.clear()
