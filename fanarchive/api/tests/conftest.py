"""An archive with a work of every kind, and clients that call the API as someone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from fanarchive.accounts.models import User
from fanarchive.api.models import TokenScope
from fanarchive.api.services import token_create
from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work


class ApiClient:
    """The Django test client with a bearer token (or none: a guest)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.client.get(path, data, headers={**self.headers, **extra})

    def _send(self, method: str, path: str, body: Any, extra: dict[str, str]) -> Any:
        return getattr(self.client, method)(
            path, body, content_type="application/json", headers={**self.headers, **extra}
        )

    def post(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._send("post", path, body, extra)

    def patch(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._send("patch", path, body, extra)

    def put(self, path: str, body: Any = None, **extra: Any) -> Any:
        return self._send("put", path, body, extra)

    def delete(self, path: str, **extra: Any) -> Any:
        return self.client.delete(path, headers={**self.headers, **extra})


def api_as(user: User | None, scope: str = TokenScope.WRITE) -> ApiClient:
    if user is None:
        return ApiClient()
    _, secret = token_create(user=user, owner=user, name=f"test {scope}", scope=scope)
    return ApiClient(secret)


def hide(work: Work) -> None:
    """What a moderator's tick in the admin does, logged for the index."""
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    catalogue_work_changed(work_id=work.pk)


@dataclass
class Archive:
    creator: User
    other: User
    public: Work
    restricted: Work
    draft: Work
    hidden: Work
    explicit: Work


@pytest.fixture
def archive(db: None) -> Archive:
    return build_archive()


def build_archive() -> Archive:
    """A creator's work of every kind (`archive`; also built once per module by modules
    whose tests only read it: see `module_db` in the root conftest)."""
    creator = make_user("keeper")
    other = make_user("visitor")
    public = make_work(creator, title="Lantern Public", fandoms=["Harbour Tales"])
    restricted = make_work(creator, title="Lantern Restricted", restricted=True)
    draft = make_work(creator, title="Lantern Draft", post=False)
    hidden = make_work(creator, title="Lantern Hidden")
    hide(hidden)
    explicit = make_work(creator, title="Lantern Explicit", rating=EXPLICIT)
    return Archive(creator, other, public, restricted, draft, hidden, explicit)
