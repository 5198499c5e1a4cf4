"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `flushes_database` run after all others (after pytest-django's own
    ordering): they commit, and the flush after them empties the tables that the data
    migrations filled, which the browser tests (also transactional, without serialized
    rollback) rely on."""
    items.sort(key=lambda item: item.get_closest_marker("flushes_database") is not None)


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
