"""Test data built through the real services, so tests exercise the rules users meet."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.core.cache import cache
from django.db import connection

from fanarchive.accounts.hashers import EfictionMD5WrappedHasher
from fanarchive.accounts.models import User
from fanarchive.accounts.services import user_create
from fanarchive.core import ratelimit
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterInput, WorkInput, work_create

PASSWORD = "correct-horse-battery-staple"


class FastEfictionHasher(EfictionMD5WrappedHasher):
    """The eFiction MD5 wrapper with few PBKDF2 rounds: tests need speed, not strength."""

    iterations = 1_000


_counter = itertools.count(1)

CHAPTER_TEXT = (
    "The lantern swung above the harbour as Mira counted the boats coming home.\n\n"
    '"Seven," she said. "There should be eight."'
)


def make_user(username: str | None = None, **kwargs: Any) -> User:
    username = username or f"reader{next(_counter)}"
    kwargs.setdefault("email", f"{username}@example.org")
    kwargs.setdefault("password", PASSWORD)
    kwargs.setdefault("check_password_strength", False)
    return user_create(username=username, **kwargs)


def work_input(**overrides: Any) -> WorkInput:
    values: dict[str, Any] = {
        "title": f"The Lighthouse Keeper {next(_counter)}",
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": ["Harbour Tales"],
        "categories": ["Gen"],
        "characters": ["Mira Vale"],
        "freeforms": ["Found Family"],
        "summary": "A keeper counts the boats.",
    }
    values.update(overrides)
    return WorkInput(**values)


def make_work(
    user: User | None = None,
    *,
    chapters: int = 1,
    post: bool = True,
    texts: list[str] | None = None,
    **overrides: Any,
) -> Work:
    """A work by `user` (a new user when None) with `chapters` chapters."""
    user = user or make_user()
    overrides.setdefault("expected_chapters", chapters)
    texts = texts or [f"{CHAPTER_TEXT}\n\nChapter {n} ends here." for n in range(1, chapters + 1)]
    return work_create(
        user=user,
        data=work_input(**overrides),
        chapters=[ChapterInput(text=text, text_format="plain") for text in texts],
        post=post,
    )


def run_due_tasks() -> int:
    """Run every background task that is due, in this process and the test's transaction,
    as `fanarchive worker --batch` would; how many ran."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                return count
            result.claim("tests")
        worker.run_task(result)
        count += 1


def restore_migration_data() -> None:
    """Put back the rows data migrations made (the fixed tag sets, the wrangling group)
    when a transactional test's flush emptied them; does nothing when they are there.
    (Serialized rollback cannot: the flush recreates content types under new ids.)"""
    import importlib

    from django.apps import apps as django_apps

    from fanarchive.tags.models import Tag

    if Tag.objects.filter(type="rating").exists():
        return
    for module, function in (
        ("fanarchive.tags.migrations.0002_fixed_tag_sets", "create_fixed_tags"),
        ("fanarchive.tags.migrations.0004_wrangling_data", "fill"),
    ):
        getattr(importlib.import_module(module), function)(django_apps, None)


def run_data_migration(*, app_label: str, name: str) -> None:
    """Run the forward functions of data migration `app_label.name` on the test database,
    with the models as that migration sees them (its historical state)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    state = loader.project_state((app_label, name)).apps
    # Not entered: SQLite refuses that inside the test's transaction, and data
    # migrations only pass it on.
    editor = connection.schema_editor()
    for operation in loader.get_migration(app_label, name).operations:
        if isinstance(operation, RunPython):
            operation.code(state, editor)


PROJECT_ROOT = Path(__file__).resolve().parents[2]


def command_environment(**extra: str) -> dict[str, str]:
    """The environment of a `fanarchive` command run by a test in a process of its own:
    this test's database (SQLite's data directory, or PostgreSQL's test database), no
    Redis, mail or data directory of the developer's, and `extra`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "FANARCHIVE_DATA_DIR"}
    }
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        env["FANARCHIVE_DATA_DIR"] = str(Path(name).parent)
    else:
        parts = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    env.update(extra)
    return env


class RateLimitClock:
    """The rate limit's clock, moved by hand: it starts at the start of a window of
    `window` seconds, so no test straddles two windows by accident."""

    def __init__(self, window: int) -> None:
        self.now = 1_800_000_000.0 - 1_800_000_000 % window

    def time(self) -> float:
        return self.now


def rate_limit_clock(monkeypatch: Any, window: int) -> RateLimitClock:
    """Put `core.ratelimit` on a hand-moved clock, with the counts of earlier tests gone
    (a Redis cache outlives a test's transaction)."""
    cache.clear()
    clock = RateLimitClock(window)
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock
