"""What opening a work's reading page records: a hit, and the reader's history."""

from __future__ import annotations

from fanarchive.accounts.models import User
from fanarchive.engagement.history_services import history_record
from fanarchive.engagement.hit_services import hit_record
from fanarchive.works.models import Work


def work_opened(
    *,
    work: Work,
    user: User | None,
    visitor: str,
    chapter_id: int | None,
    keep_history: bool | None = None,
) -> None:
    """`visitor` (see `visitors.visitor_key`; `user` when logged in) opened `work` at
    `chapter_id` (None: the entire work): count the hit, and for an account its history.

    `keep_history` saves the preference look-up when the caller already has it.
    """
    hit_record(work=work, user=user, visitor=visitor)
    if user is not None:
        history_record(user=user, work=work, chapter_id=chapter_id, keep_history=keep_history)
