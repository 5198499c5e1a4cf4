"""What engagement does when the works services announce something (`works.events`).

Works sits below engagement and may not import it, so it announces through a port and
this listener, registered once by `engagement.apps`, does the work: subscribers of a new
work, chapter or series part are told (`subscription_tasks`), gift and co-creator
notices go to the inbox (`notices.notify`), and an orphaned work's notices stop naming
who let it go (`notices.notices_rename_creator`). Each call runs in the works service's
transaction, as a direct call would.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise

from fanarchive.accounts.models import User
from fanarchive.engagement.notices import notices_rename_creator, notify
from fanarchive.engagement.subscription_tasks import (
    subscriptions_chapter_posted,
    subscriptions_series_work_added,
    subscriptions_work_posted,
)
from fanarchive.works.events import NoticeKind
from fanarchive.works.models import Chapter, Series, Work


class EngagementWorkEvents:
    """The engagement app's `works.events.WorkEvents`."""

    def work_posted(self, *, work: Work, new_by: User | None) -> None:
        subscriptions_work_posted(work=work, new_by=new_by)

    def chapter_posted(self, *, chapter: Chapter) -> None:
        subscriptions_chapter_posted(chapter=chapter)

    def series_work_added(self, *, series: Series, work: Work) -> None:
        subscriptions_series_work_added(series=series, work=work)

    def work_notice(
        self,
        *,
        recipient: User,
        kind: NoticeKind,
        subject: str | Promise,
        body: str | Promise,
        url: str,
        work: Work,
    ) -> None:
        notify(recipients=[recipient], kind=kind, subject=subject, body=body, url=url, work=work)

    def creators_renamed(self, *, work: Work, old_bylines: Mapping[str, str]) -> None:
        notices_rename_creator(work=work, old_bylines=old_bylines)
