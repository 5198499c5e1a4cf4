"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from fanarchive.accounts.models import User
from fanarchive.core.testing import PASSWORD, make_user, restore_migration_data


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SQLite tests use a file, not memory, so another process (the real task worker in
    engagement/tests/test_worker_process.py) can open the same test database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # Named as the data directory names it, so a worker given FANARCHIVE_DATA_DIR finds it.
        path = tmp_path_factory.mktemp("database") / "fanarchive.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
    elif database["ENGINE"] == "django.db.backends.postgresql":
        # A commit need not wait for the disk: a test database need not outlive a crash,
        # and building it (every migration) and the transactional tests commit often.
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session", autouse=True)
def _postgresql_flush_by_delete() -> Iterator[None]:
    """After each transactional test Django empties every table. PostgreSQL's TRUNCATE
    (Django's way) makes new files for each of ~100 tables and their indexes, seconds a
    test; DELETE of the few rows such a test wrote takes milliseconds. Foreign keys are
    deferred to the commit, so the order of the tables does not matter. (Nothing but the
    tests' flush calls sql_flush; a reset of sequences still goes to Django's TRUNCATE.)"""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(
        self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, **kwargs: Any
    ) -> list[str]:
        if reset_sequences or kwargs.get("allow_cascade"):
            return truncate(self, style, tables, reset_sequences=reset_sequences, **kwargs)
        # Table names from Django's own model registry, quoted: no outside input.
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `flushes_database` run after all others (after pytest-django's own
    ordering): they commit, and the flush after them empties the tables that the data
    migrations filled, which the browser tests (also transactional, without serialized
    rollback) rely on."""
    items.sort(key=lambda item: item.get_closest_marker("flushes_database") is not None)


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """One transaction around a whole module, for costly data its tests only read (as
    Django's setUpTestData): module-scoped fixtures that request this build their rows
    once, each test still runs in a savepoint inside it (so what a test writes is undone
    before the next), and the whole is rolled back after the module's last test. Not for
    transactional tests, whose flush would empty the shared rows."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def user(db: None) -> User:
    return make_user("writer")


@pytest.fixture
def other_user(db: None) -> User:
    return make_user("someone_else")


@pytest.fixture
def user_client(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def _language_of_the_site() -> Iterator[None]:
    """Each test starts in the site's language: a request answered in another (the locale
    middleware activates it for the thread and leaves it so) must not change what the
    next test's direct service calls say."""
    from django.utils import translation

    translation.deactivate()  # back to settings.LANGUAGE_CODE
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _guest_page_cache(request: pytest.FixtureRequest, settings) -> None:
    """Guests' shared page cache (core/page_cache.py) is off, so a test may read the
    context of every page it renders; on for tests marked `guest_page_cache`: its own, and
    the walks of every surface, which then see what guests are served from it."""
    from fanarchive.core import page_cache

    page_cache._recent.clear()  # this process's copies: each test starts without them
    if request.node.get_closest_marker("guest_page_cache") is None:
        settings.GUEST_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests need speed, not strength.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "fanarchive.core.testing.FastEfictionHasher",
    ]


@pytest.fixture(autouse=True)
def _migration_data_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    """A transactional test starts from the data migrations' rows even when an earlier
    one's flush removed them (as every other test does, inside its rolled-back transaction)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or "live_server" in (
        request.fixturenames
    )
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if transactional:
        request.getfixturevalue("transactional_db")
        restore_migration_data()
