"""Limits hold when requests come at once: real threads, each with its own connection.

The API's rate limit (per caller, in the cache) on the database cache and on Redis, and
the new-account and guest comment limit (per commenter, in the database).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.core.tests.threads import (
    at_once,
    cache_backend_params,
    pin_rate_windows,
    use_cache_backend,
)
from fanarchive.engagement import limits
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Comment
from fanarchive.engagement.visitors import guest_key_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("backend", cache_backend_params("database", "redis"))
def test_400_requests_at_once_spend_exactly_the_limit(
    settings: Any, monkeypatch: Any, backend: str
) -> None:
    use_cache_backend(settings, backend)
    pin_rate_windows(monkeypatch)
    settings.API_RATE_LIMIT_REQUESTS = 300
    settings.API_RATE_LIMIT_WINDOW = 300
    guest = api_as(None)

    def ask() -> int:
        return int(guest.get("/api/v1/tags/autocomplete?type=character&q=zz").status_code)

    assert Counter(at_once(400, ask)) == {200: 300, 429: 100}


def test_20_comments_at_once_from_a_new_account_post_exactly_the_limit() -> None:
    work = make_work(make_user("quay_author"))
    chapter = work.chapters.get()
    newcomer = api_as(make_user("quay_newcomer"))
    url = f"/api/v1/works/{work.pk}/chapters/{chapter.pk}/comments"

    def post() -> tuple[int, str]:
        response = newcomer.post(url, {"text": "What a storm."})
        errors = response.json().get("errors") or {}
        return response.status_code, " ".join(errors.get("text", []))

    results = at_once(20, post)
    assert Counter(status for status, _ in results) == {201: limits.COMMENT_RATE_COUNT, 422: 17}
    assert all(
        "while your account is new" in message for status, message in results if status == 422
    )
    assert Comment.objects.count() == limits.COMMENT_RATE_COUNT


def test_20_comments_at_once_from_one_guest_post_exactly_the_limit() -> None:
    work = make_work(make_user("pier_author"), comment_policy="everyone")
    chapter = work.chapters.get()
    key = guest_key_of("192.0.2.7")

    def post() -> bool:
        try:
            comment_create(chapter=chapter, user=None, text="Hi!", guest_name="Pip", guest_key=key)
        except Exception as error:  # the refusal: a ValidationError with the limit's message
            assert "as a guest" in str(error), error
            return False
        return True

    assert sum(at_once(20, post)) == limits.COMMENT_RATE_COUNT
    assert Comment.objects.count() == limits.COMMENT_RATE_COUNT
