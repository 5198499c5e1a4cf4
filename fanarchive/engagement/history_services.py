"""Reading history and "marked for later".

`history_record` is on the reading path: for a work read before it is one indexed
UPDATE; the first reading adds one INSERT. Nothing is written for readers who keep no
history (`Preference.keep_history`). Marking for later is an explicit choice and works
whether or not history is kept; `Preference.use_marked_for_later` turns it off.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from fanarchive.accounts.models import Preference, User
from fanarchive.engagement.inbox_selectors import uses_marked_for_later
from fanarchive.engagement.models import ReadingHistory
from fanarchive.works.models import Work


def keeps_history(user: User) -> bool:
    preference = Preference.objects.filter(user=user).only("keep_history").first()
    return preference is None or preference.keep_history


def history_record(
    *, user: User, work: Work, chapter_id: int | None, keep_history: bool | None = None
) -> None:
    """`user` opened `work` (at `chapter_id`): count the visit, unless history is off.
    Drafts and works hidden by an admin are never recorded.

    `keep_history` saves the preference look-up when the caller already has it.
    """
    if not work.posted or work.hidden_by_admin:
        return
    if keep_history is None:
        keep_history = keeps_history(user)
    if not keep_history:
        return
    now = timezone.now()
    changes = {"visits": F("visits") + 1, "last_read_at": now, "chapter_id": chapter_id}
    if ReadingHistory.objects.filter(user=user, work=work).update(**changes):
        return
    try:
        with transaction.atomic():
            ReadingHistory.objects.create(
                user=user, work=work, chapter_id=chapter_id, visits=1, last_read_at=now
            )
    except IntegrityError:  # the same reader in another tab got there first
        ReadingHistory.objects.filter(user=user, work=work).update(**changes)


def history_mark_for_later(*, user: User, work: Work, marked: bool) -> ReadingHistory:
    """Mark (or unmark) a work the user may open as one to read later."""
    if marked and not uses_marked_for_later(user):
        raise ValidationError(
            gettext('You have turned "Marked for later" off; turn it on in your preferences first.')
        )
    with transaction.atomic():
        entry, _ = ReadingHistory.objects.get_or_create(user=user, work=work)
        entry.marked_for_later = marked
        entry.save(update_fields=["marked_for_later"])
    return entry


def history_clear(*, user: User) -> int:
    """Forget what `user` read; works marked for later stay marked. The entries removed."""
    with transaction.atomic():
        removed, _ = ReadingHistory.objects.filter(user=user, marked_for_later=False).delete()
        ReadingHistory.objects.filter(user=user).update(
            visits=0, last_read_at=None, chapter_id=None
        )
    return removed


def history_marks_clear(*, user: User) -> int:
    """Unmark every work `user` marked for later; entries kept only for the mark go. The
    entries changed."""
    with transaction.atomic():
        marked = ReadingHistory.objects.filter(user=user, marked_for_later=True)
        removed, _ = marked.filter(last_read_at__isnull=True).delete()
        changed = marked.update(marked_for_later=False)
    return removed + changed


def history_remove(*, user: User, work_id: int) -> None:
    """Forget one work from the history (and its mark)."""
    with transaction.atomic():
        ReadingHistory.objects.filter(user=user, work_id=work_id).delete()
