"""Makers for the collections tests, through the real services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import MODERATORS_GROUP
from fanarchive.collections.models import Collection
from fanarchive.collections.services import CollectionInput, collection_create
from fanarchive.core.testing import make_user

_made = iter(range(1, 1_000_000))


def make_collection(owner: User, **overrides: Any) -> Collection:
    number = next(_made)
    values: dict[str, Any] = {"name": f"harbour_fest_{number}", "title": f"Harbour Fest {number}"}
    parent = overrides.pop("parent", None)
    values.update(overrides)
    return collection_create(user=owner, data=CollectionInput(**values), parent=parent)


def make_site_moderator(username: str) -> User:
    user = make_user(username)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user
