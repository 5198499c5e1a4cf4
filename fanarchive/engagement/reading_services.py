"""What opening a work's reading page records: a hit, the reader's history, and where they
are in a work on their reading list."""

from __future__ import annotations

from fanarchive.accounts.models import User
from fanarchive.engagement.history_services import history_record
from fanarchive.engagement.hit_services import hit_record
from fanarchive.engagement.reading_list_services import reading_list_record
from fanarchive.works.models import Work


def work_opened(
    *,
    work: Work,
    user: User | None,
    visitor: str,
    chapter_id: int | None,
    keep_history: bool | None = None,
    only_chapter_id: int | None = None,
) -> None:
    """`visitor` (see `visitors.visitor_key`; `user` when logged in) opened `work` at
    `chapter_id` (None: the entire work): count the hit, and for an account its history
    and, for a work they are reading, the chapter (kept even without a history: the
    status was their explicit choice).

    `keep_history` saves the preference look-up when the caller already has it;
    `only_chapter_id` is the work's one chapter when it has just one (reading the entire
    work is then reading that chapter, as far as "continue" cares).
    """
    hit_record(work=work, user=user, visitor=visitor)
    if user is not None:
        history_record(user=user, work=work, chapter_id=chapter_id, keep_history=keep_history)
        reading_list_record(
            user=user, work=work, chapter_id=chapter_id if chapter_id else only_chapter_id
        )
