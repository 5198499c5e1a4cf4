"""The works services announce what happens through `works.events`, in their transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.db import connection
from django.utils.functional import Promise

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.works import events
from fanarchive.works.creator_services import creator_invite, work_orphan
from fanarchive.works.models import Chapter, Series, Work
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import (
    ChapterInput,
    chapter_add,
    chapter_update,
    work_post,
    work_update,
)

pytestmark = pytest.mark.django_db


class FakeEvents:
    """Writes down each announcement, and how deep in atomic blocks it came."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, dict[str, Any]]] = []
        self.depths: list[int] = []

    def _hear(self, name: str, **details: Any) -> None:
        self.heard.append((name, details))
        self.depths.append(len(connection.savepoint_ids))

    def work_posted(self, *, work: Work, new_by: User | None) -> None:
        self._hear("work_posted", work=work, new_by=new_by)

    def chapter_posted(self, *, chapter: Chapter) -> None:
        self._hear("chapter_posted", chapter=chapter)

    def series_work_added(self, *, series: Series, work: Work) -> None:
        self._hear("series_work_added", series=series, work=work)

    def work_notice(
        self,
        *,
        recipient: User,
        kind: events.NoticeKind,
        subject: str | Promise,
        body: str | Promise,
        url: str,
        work: Work,
    ) -> None:
        self._hear("work_notice", recipient=recipient, kind=kind, subject=subject, work=work)

    def creators_renamed(self, *, work: Work, old_bylines: Mapping[str, str]) -> None:
        self._hear("creators_renamed", work=work, old_bylines=dict(old_bylines))

    def names(self) -> list[str]:
        return [name for name, _ in self.heard]


@pytest.fixture
def fake() -> Iterator[FakeEvents]:
    fake = FakeEvents()
    previous = events.listen(fake)
    try:
        yield fake
    finally:
        events.listen(previous)


def chapter(text: str = "More boats.") -> ChapterInput:
    return ChapterInput(title="", text=text, text_format="plain")


def test_posting_a_new_work_announces_it_with_its_one_creator(fake, user):
    work = make_work(user)
    assert fake.heard == [("work_posted", {"work": work, "new_by": user})]
    # Inside the service's transaction (a savepoint deeper than the test's own).
    assert fake.depths[0] > len(connection.savepoint_ids)


def test_a_draft_is_announced_when_it_is_posted(fake, user):
    work = make_work(user, post=False)
    assert fake.heard == []
    work_post(user=user, work=work)
    assert fake.heard == [("work_posted", {"work": work, "new_by": None})]
    assert fake.depths[0] > len(connection.savepoint_ids)


def test_posted_chapters_are_announced_and_draft_chapters_when_posted(fake, user):
    work = make_work(user)
    fake.heard.clear()
    posted = chapter_add(user=user, work=work, data=chapter(), post=True, expected_chapters=None)
    assert fake.heard == [("chapter_posted", {"chapter": posted})]
    draft = chapter_add(user=user, work=work, data=chapter(), post=False, expected_chapters=None)
    assert len(fake.heard) == 1
    chapter_update(user=user, chapter=draft, data=chapter("Edited, more boats."), post=False)
    assert len(fake.heard) == 1
    chapter_update(user=user, chapter=draft, data=chapter("Posted, more boats."), post=True)
    assert fake.heard[1:] == [("chapter_posted", {"chapter": draft})]
    assert all(depth > len(connection.savepoint_ids) for depth in fake.depths)


def test_chapters_of_a_draft_are_not_announced(fake, user):
    work = make_work(user, post=False)
    chapter_add(user=user, work=work, data=chapter(), post=True, expected_chapters=None)
    assert fake.heard == []


def test_adding_a_work_to_a_series_is_announced(fake, user):
    work = make_work(user)
    series = series_create(user=user, title="Harbour Nights")
    fake.heard.clear()
    series_work_add(user=user, work=work, series=series)
    assert fake.heard == [("series_work_added", {"series": series, "work": work})]
    assert fake.depths[0] > len(connection.savepoint_ids)


def test_invitations_and_gifts_are_inbox_notices(fake, user, other_user):
    work = make_work(user)
    fake.heard.clear()
    creator_invite(user=user, work=work, pseud_name=other_user.username)
    gifted = make_user("harbour_friend")
    work_update(user=user, work=work, data=work_input(title=work.title, gifts=[gifted.username]))
    notices = [details for name, details in fake.heard if name == "work_notice"]
    assert [(n["recipient"], n["kind"]) for n in notices] == [
        (other_user, "invitation"),
        (gifted, "gift"),
    ]
    assert notices[0]["subject"] == f"Co-creator invitation: {work.title}"
    assert notices[1]["subject"] == f"A gift for you: {work.title}"


def test_orphaning_announces_the_renamed_creator(fake, user):
    work = make_work(user)
    fake.heard.clear()
    work_orphan(user=user, work=work, keep_pseud=False)
    assert ("creators_renamed", {"work": work, "old_bylines": {"writer": "orphan_account"}}) in (
        fake.heard
    )


def test_works_services_run_with_nobody_listening(user, other_user):
    previous = events.listen(None)
    try:
        assert events.listener() is None
        work = make_work(user, post=False)
        work_post(user=user, work=work)
        chapter_add(user=user, work=work, data=chapter(), post=True, expected_chapters=None)
        series = series_create(user=user, title="Quiet Harbour")
        series_work_add(user=user, work=work, series=series)
        creator_invite(user=user, work=work, pseud_name=other_user.username)
        work_orphan(user=user, work=work, keep_pseud=False)
    finally:
        events.listen(previous)


def test_listen_replaces_the_listener_and_returns_the_previous_one():
    first, second = FakeEvents(), FakeEvents()
    previous = events.listen(first)
    try:
        assert events.listen(second) is first
        assert events.listener() is second
    finally:
        events.listen(previous)
