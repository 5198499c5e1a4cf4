"""The reading list: a status per work (want to read, reading, finished, on hold,
dropped), beside "marked for later" and the history (`history_services`), which it leaves
alone.

Setting a status is an explicit choice, so it is kept whether or not the reader keeps a
history; while a work is "reading", opening one of its chapters remembers it
(`reading_list_record`, on the reading path: one indexed UPDATE) for "continue".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from fanarchive.accounts.models import Preference, User
from fanarchive.accounts.profile_services import require_self
from fanarchive.engagement.models import ReadingHistory, ReadingListEntry, ReadingStatus
from fanarchive.works.models import Work


def _status(value: str) -> ReadingStatus:
    if value not in ReadingStatus.values:
        choices = ", ".join(str(label) for label in ReadingStatus.labels)
        raise ValidationError(
            {"status": [gettext("Choose a reading status: %(choices)s.") % {"choices": choices}]}
        )
    return ReadingStatus(value)


def reading_list_set(*, user: User, work: Work, status: str) -> ReadingListEntry:
    """Put `work` (one `user` may open: the caller asked `access_work`) on `user`'s reading
    list with `status`, or change its status. Drafts and hidden works cannot be added.

    A work newly "reading" starts at the chapter the history last saw, if any, so that
    "continue" works at once.
    """
    chosen = _status(status)
    if not work.posted or work.hidden_by_admin:
        raise ValidationError(gettext("Only posted works can go on your reading list."))
    now = timezone.now()
    with transaction.atomic():
        entry = ReadingListEntry.objects.select_for_update().filter(user=user, work=work).first()
        if entry is None:
            entry = ReadingListEntry(user=user, work=work, added_at=now)
        elif entry.status == chosen:
            return entry
        if chosen == ReadingStatus.READING and entry.chapter_id is None:
            entry.chapter_id = (
                ReadingHistory.objects.filter(user=user, work=work)
                .values_list("chapter_id", flat=True)
                .first()
            )
        entry.status = chosen
        entry.changed_at = now
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:  # the same reader in another tab added it first
            ReadingListEntry.objects.filter(user=user, work=work).update(
                status=chosen, changed_at=now
            )
            entry = ReadingListEntry.objects.get(user=user, work=work)
    return entry


def reading_list_remove(*, user: User, work_id: int) -> bool:
    """Take a work off `user`'s reading list; whether it was on it."""
    removed, _ = ReadingListEntry.objects.filter(user=user, work_id=work_id).delete()
    return bool(removed)


def reading_list_record(*, user: User, work: Work, chapter_id: int | None) -> None:
    """`user` opened `chapter_id` of `work`: remember it if the work is one they are
    reading (the entire work at once says nothing about where they are)."""
    if chapter_id is None:
        return
    ReadingListEntry.objects.filter(user=user, work=work, status=ReadingStatus.READING).update(
        chapter_id=chapter_id
    )


def reading_list_publicity_set(*, user: User, owner: User, public: bool) -> Preference:
    """Show `owner`'s reading list to everyone, or to them alone (the default)."""
    require_self(user, owner)
    with transaction.atomic():
        preference, _ = Preference.objects.get_or_create(user=owner)
        preference.reading_list_public = public
        preference.save(update_fields=["reading_list_public"])
    return preference
