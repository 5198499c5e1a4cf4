"""The shared fixed-window rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from fanarchive.core import ratelimit
from fanarchive.core.ratelimit import rate_limit_spend

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


def test_keys_are_not_stored_in_the_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.keys: list[str] = []

        def add(self, key: str, value: int, timeout: int) -> None:
            self.keys.append(key)

        def incr(self, key: str) -> int:
            return 1

    recorder = Recorder()
    monkeypatch.setattr(ratelimit, "cache", recorder)
    spend("reader@example.org", 1000.0)
    assert recorder.keys[0].startswith("rate:test:") and "reader" not in recorder.keys[0]
