"""Fixtures of the tag tests: admins, wranglers, and filter results two ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.tag_selectors import works_filtered_by_tag
from fanarchive.wrangling.wrangler_services import wrangler_set


@pytest.fixture
def admin(db: None) -> User:
    return make_user("tag_admin", is_staff=True)


@pytest.fixture
def wrangler(db: None) -> User:
    wrangler = make_user("wrangler")
    wrangler_set(user=None, wrangler=wrangler)
    return wrangler


@pytest.fixture(autouse=True)
def _fresh_index(settings, tmp_path) -> Iterator[None]:
    """Each test starts its own catalogue index in its own data directory."""
    from fanarchive.discovery.index import live

    settings.DATA_DIR = tmp_path
    settings.DISCOVERY_CATCH_UP_SECONDS = 0
    live.forget()
    yield
    live.forget()


def tag(name: str, tag_type: str = TagType.CHARACTER) -> Tag:
    return Tag.objects.get(type=tag_type, name__iexact=name)


def database_ids(filter_tag: Tag) -> set[int]:
    """The reference: posted, listed works under the tag, by the database."""
    return set(
        works_filtered_by_tag(filter_tag)
        .filter(posted=True, hidden_by_admin=False)
        .values_list("pk", flat=True)
    )


def index_ids(filter_tag: Tag) -> set[int]:
    """What the discovery index finds for a logged-in reader filtering by the tag."""
    from fanarchive.discovery.index.catalogue import Filter, Viewer
    from fanarchive.discovery.index.live import reading

    with reading() as catalogue:
        works = catalogue.matching(Filter(include=(filter_tag.pk,)), Viewer(authenticated=True))
        return set(catalogue.ids(works).tolist())


def found(filter_tag: Tag) -> set[int]:
    """Filter results, asserting that the index and the database agree."""
    by_index, by_database = index_ids(filter_tag), database_ids(filter_tag)
    assert by_index == by_database, f"index {by_index} != database {by_database}"
    return by_database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run this app's browser test last: its live server empties the database afterwards
    (a transactional test), taking the migrations' data (the fixed tag sets) with it."""
    mine = [item for item in items if "fanarchive/tags/tests/test_browser.py" in item.nodeid]
    if mine:
        items[:] = [item for item in items if item not in mine] + mine
