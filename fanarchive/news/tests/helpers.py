"""Test data of the news app, made through its services."""

from __future__ import annotations

from typing import Any

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user
from fanarchive.news.models import NewsPost
from fanarchive.news.services import news_post_create


def make_staff(username: str = "archivist") -> User:
    return make_user(username, is_staff=True)


def make_post(author: User | None = None, **overrides: Any) -> NewsPost:
    values: dict[str, Any] = {
        "title": "Archive update",
        "body": "<p>We added a reading history page.</p>",
        "comments_enabled": True,
        "publish": True,
    }
    values.update(overrides)
    return news_post_create(user=author or make_staff(), **values)
