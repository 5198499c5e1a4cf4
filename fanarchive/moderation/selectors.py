"""Reads for the moderation pages: the queue, one report, what is known about a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.moderators import MODERATORS_GROUP as MODERATORS_GROUP
from fanarchive.accounts.moderators import is_moderator as is_moderator
from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.models import AuditEntry
from fanarchive.moderation.models import Appeal, AppealState, Report, ReportState

if TYPE_CHECKING:
    from fanarchive.accounts.models import User


@dataclass(frozen=True)
class QueueItem:
    """A row of the queue: a report waiting for a decision, or an appeal of one."""

    report: Report
    appeal: Appeal | None = None

    @property
    def urgent(self) -> bool:
        return self.report.urgent and self.appeal is None

    @property
    def created_at(self) -> dt.datetime:
        return self.appeal.created_at if self.appeal is not None else self.report.created_at


OPEN_REPORT_STATES = (ReportState.OPEN, ReportState.ASSIGNED)
OPEN_APPEAL_STATES = (AppealState.OPEN, AppealState.ASSIGNED)


def queue(
    *,
    moderator: User,
    category: str | None = None,
    state: str | None = None,
    older_than_hours: int | None = None,
    mine: bool = False,
) -> list[QueueItem]:
    """Open and assigned reports, and open appeals: urgent first, then oldest.

    `state` is a report state ("open", "assigned"; "resolved" lists decided reports) or
    "appeal" for appeals only; `mine` keeps what is assigned to `moderator`.
    """
    require_moderator(
        moderator, _("Only moderators and administrators can see the moderation queue.")
    )
    reports = Report.objects.select_related("reporter", "subject", "assignee", "resolved_by")
    appeals = Appeal.objects.select_related(
        "report",
        "report__subject",
        "report__reporter",
        "report__resolved_by",
        "appellant",
        "assignee",
    )
    if state == "appeal":
        reports = reports.none()
    elif state:
        reports = reports.filter(state=state)
        appeals = appeals.none()
    else:
        reports = reports.filter(state__in=OPEN_REPORT_STATES)
    appeals = appeals.filter(state__in=OPEN_APPEAL_STATES)
    if category:
        reports = reports.filter(category=category)
        appeals = appeals.filter(report__category=category)
    if older_than_hours is not None:
        cutoff = timezone.now() - dt.timedelta(hours=older_than_hours)
        reports = reports.filter(created_at__lte=cutoff)
        appeals = appeals.filter(created_at__lte=cutoff)
    if mine:
        reports = reports.filter(assignee=moderator)
        appeals = appeals.filter(assignee=moderator)
    items = [QueueItem(report) for report in reports] + [
        QueueItem(appeal.report, appeal) for appeal in appeals
    ]
    items.sort(key=lambda item: (not item.urgent, item.created_at, item.report.pk))
    return items


def report_detail(moderator: User, reference: str) -> Report:
    """One report by its reference (any case), for a moderator; 404 when unknown."""
    require_moderator(
        moderator, _("Only moderators and administrators can see the moderation queue.")
    )
    report = (
        Report.objects.select_related("reporter", "subject", "assignee", "resolved_by")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if report is None:
        raise Http404(_("No such report."))
    return report


def appeal_of(report: Report) -> Appeal | None:
    return Appeal.objects.select_related("appellant", "decided_by").filter(report=report).first()


def report_for_subject(user: User, reference: str) -> Report:
    """A report about `user` (for the appeal page); 404 for anyone else's."""
    report = Report.objects.filter(reference=reference.strip().upper(), subject=user).first()
    if report is None:
        raise Http404(_("No such decision."))
    return report


def reports_about(subject: User | None) -> QuerySet[Report]:
    """Every report about this person, newest first."""
    if subject is None:
        return Report.objects.none()
    return Report.objects.filter(subject=subject).order_by("-created_at", "-id")


def actions_about(subject: User | None) -> QuerySet[AuditEntry]:
    """The audit log's entries about this person (what moderators did), newest first."""
    if subject is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(subject=subject).order_by("-created_at", "-id")


def reports_of_reporter(user: User) -> QuerySet[Report]:
    """The reports `user` made (the reporter's own list: state, never the decision's
    details about someone else)."""
    return Report.objects.filter(reporter=user).order_by("-created_at", "-id")


def hours_left(report: Report, now: dt.datetime | None = None) -> float | None:
    """Hours until an urgent report is due (negative when overdue); None when not due."""
    if report.due_at is None or report.state == ReportState.RESOLVED:
        return None
    return (report.due_at - (now or timezone.now())).total_seconds() / 3600


def audit_log(
    *, moderator: User, target_type: str | None = None, target_id: int | None = None
) -> QuerySet[AuditEntry]:
    """The audit log (every moderator's and admin's change), newest first."""
    require_moderator(
        moderator, _("Only moderators and administrators can see the moderation queue.")
    )
    entries = AuditEntry.objects.select_related("actor", "subject")
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id is not None:
        entries = entries.filter(target_id=target_id)
    return entries.order_by("-created_at", "-id")


SPAMMER_ACTIONS = ("user.spammer", "user.not_spammer")


def spammer_entry(user: User) -> AuditEntry | None:
    """The audit entry that marked `user` as a spammer, while that mark stands (None
    when never marked, or "Not a spammer" since)."""
    latest = (
        AuditEntry.objects.filter(
            action__in=SPAMMER_ACTIONS, target_type=user._meta.label_lower, target_id=user.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return latest if latest is not None and latest.action == "user.spammer" else None
