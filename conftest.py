"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.accounts.models import User
from fanarchive.core.testing import PASSWORD, make_user


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
