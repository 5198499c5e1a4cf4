from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.hit_services import forget_seen
from fanarchive.works.models import Work


@pytest.fixture(autouse=True)
def _fresh_hit_memory() -> Iterator[None]:
    forget_seen()
    yield
    forget_seen()


@pytest.fixture
def work(user) -> Work:
    return make_work(user, title="The Harbour Light")


@pytest.fixture
def reader(db):
    return make_user("harbour_reader")


@pytest.fixture
def notify() -> Iterator[mock.MagicMock]:
    with mock.patch("fanarchive.engagement.notices.notify") as patched:
        yield patched


def notified(patched: mock.MagicMock) -> list[tuple[str, set[str]]]:
    """(kind, recipient user names) of every notify() call."""
    return [
        (call.kwargs["kind"], {u.username for u in call.kwargs["recipients"]})
        for call in patched.call_args_list
    ]
