"""Asking for an export of everything of one's own (the zip is written by
`export_tasks.export_prepare`, queued on commit)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.portability import export_selectors as selectors
from fanarchive.portability import export_tasks
from fanarchive.portability.models import DataExport, ExportState

IN_PROGRESS = gettext_lazy(
    "An export of your data is already being prepared. You will find it in your inbox, "
    "and in your mail, when it is ready."
)


def _queue(export_id: int) -> None:
    export_tasks.export_prepare.enqueue(export_id)


def export_request(*, user: User, now: dt.datetime | None = None) -> DataExport:
    """Ask for a new export of `user`'s data: one in preparation at a time, at most
    `REQUESTS_PER_DAY` a day. Refused with a ValidationError that says why."""
    now = now or timezone.now()
    if not user.is_active:
        raise ValidationError(_("This account is not active."))
    exports_clean(now=now)
    if DataExport.objects.filter(user=user, state=ExportState.REQUESTED).exists():
        raise ValidationError(IN_PROGRESS)
    day_ago = now - dt.timedelta(days=1)
    if selectors.requests_since(user, day_ago) >= selectors.REQUESTS_PER_DAY:
        oldest = (
            selectors.exports_of(user)
            .filter(requested_at__gte=day_ago)
            .order_by("requested_at")
            .values_list("requested_at", flat=True)
            .first()
        )
        again = (oldest or now) + dt.timedelta(days=1)
        raise ValidationError(
            _(
                "You can ask for at most %(count)s exports a day. "
                "You can ask again after %(date)s UTC."
            )
            % {"count": selectors.REQUESTS_PER_DAY, "date": date_format(again, "d F Y H:i")}
        )
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, requested_at=now)
            transaction.on_commit(partial(_queue, export.pk), robust=True)
    except IntegrityError:  # a second request at the same moment
        raise ValidationError(IN_PROGRESS) from None
    return export


def exports_clean(*, now: dt.datetime | None = None) -> int:
    """Remove expired exports' files and give up lost ones (see `export_tasks.exports_clean`)."""
    return export_tasks.exports_clean(now=now)
