"""The shared fixed-window rate limit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache, caches
from django.db import transaction

from fanarchive.core.models import RateCount
from fanarchive.core.ratelimit import rate_limit_hold, rate_limit_spend
from fanarchive.core.tests.threads import at_once, cache_backend_params, use_cache_backend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()  # a Redis cache outlives the test's transaction


def spend(key: str, now: float, scope: str = "test") -> int | None:
    return rate_limit_spend(scope=scope, key=key, limit=2, window=10, now=now)


def test_the_limit_counts_per_window_and_tells_when_it_ends() -> None:
    assert spend("a", 1000.0) is None
    assert spend("a", 1003.0) is None
    assert spend("a", 1004.5) == 6  # seconds left, rounded up
    assert spend("a", 1009.9) == 1
    assert spend("a", 1010.0) is None  # a new window


def test_keys_and_scopes_have_budgets_of_their_own() -> None:
    for _ in range(3):
        spend("a", 1000.0)
    assert spend("b", 1000.0) is None
    assert spend("a", 1000.0, scope="other") is None


def test_keys_are_not_stored_in_the_clear_in_the_table(settings: Any) -> None:
    use_cache_backend(settings, "database")
    spend("reader@example.org", 1000.0)
    [row] = RateCount.objects.all()
    assert len(row.key) == 64 and "reader" not in row.key
    assert (row.window_start, row.window_end, row.count) == (1000, 1010, 1)


def test_keys_are_not_stored_in_the_clear_in_the_cache(settings: Any) -> None:
    use_cache_backend(settings, "locmem")
    spend("reader@example.org", 1000.0)
    [key] = caches["default"]._cache  # type: ignore[attr-defined]
    assert ":rate:test:" in key and "reader" not in key
    assert not RateCount.objects.exists()  # an atomic cache counts in the cache


def test_ended_windows_are_pruned_when_a_new_key_comes(settings: Any) -> None:
    use_cache_backend(settings, "database")
    spend("a", 1000.0)
    spend("b", 1005.0)
    assert RateCount.objects.count() == 2
    spend("c", 1012.0)  # a's and b's windows ended at 1010
    assert RateCount.objects.count() == 1
    assert spend("a", 1013.0) is None  # a key comes back with a fresh count


@pytest.mark.django_db(transaction=True)
def test_a_hold_needs_the_transaction_it_serialises() -> None:
    with pytest.raises(RuntimeError):
        rate_limit_hold(scope="test", key="a", seconds=60)
    with transaction.atomic():
        rate_limit_hold(scope="test", key="a", seconds=60)
        rate_limit_hold(scope="test", key="a", seconds=60)  # the holder may hold again
    [row] = RateCount.objects.all()
    assert row.count == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", cache_backend_params("database", "redis", "locmem"))
def test_the_limit_holds_when_uses_come_at_once(settings: Any, backend: str) -> None:
    """400 uses from 20 threads at once, limit 300: exactly 300 pass, on every cache."""
    use_cache_backend(settings, backend)
    now = 1_800_000_000.5  # one window for every use, however long they take
    results = at_once(
        400, lambda: rate_limit_spend(scope="burst", key="k", limit=300, window=300, now=now)
    )
    assert sum(result is None for result in results) == 300
