"""Reads that only the moderation pages need: one report's history in the audit log, and
the rating advice on reported works and on recent works."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from fanarchive.core.models import AuditEntry
from fanarchive.moderation.models import Appeal, Report
from fanarchive.moderation.selectors import OPEN_REPORT_STATES, is_moderator
from fanarchive.moderation.snapshots import MODELS, target_row
from fanarchive.works.advice_selectors import (
    PostingAdvice,
    work_advice,
    works_with_advice_disagreeing,
)
from fanarchive.works.models import Chapter, Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User


def report_history(moderator: User, report: Report) -> QuerySet[AuditEntry]:
    """What was done about this report, oldest first: the report's own entries (assigned,
    resolved), its appeal's, and those on the reported thing since it was reported."""
    if not is_moderator(moderator):
        return AuditEntry.objects.none()
    about = Q(target_type=Report._meta.label_lower, target_id=report.pk)
    appeal_id = Appeal.objects.filter(report=report).values_list("pk", flat=True).first()
    if appeal_id is not None:
        about |= Q(target_type=Appeal._meta.label_lower, target_id=appeal_id)
    model = MODELS.get(report.target_type)
    if model is not None:
        about |= Q(
            target_type=model._meta.label_lower,
            target_id=report.target_id,
            created_at__gte=report.created_at,
        )
    return AuditEntry.objects.filter(about).order_by("created_at", "id")


def open_report_count(user: User | AnonymousUser) -> int | None:
    """Reports waiting for a decision, for the header's "Moderation" link; None (and no
    query) for anyone who is not a moderator."""
    if not is_moderator(user):
        return None
    return Report.objects.filter(state__in=OPEN_REPORT_STATES).count()


def report_advice(moderator: User, report: Report) -> PostingAdvice | None:
    """For a reported work or chapter: where its text disagrees with its rating and warnings
    (the whole work's text: a rating covers every chapter)."""
    if not is_moderator(moderator):
        return None
    live = target_row(report.target_type, report.target_id)
    if isinstance(live, Chapter):
        live = live.work
    return work_advice(live) if isinstance(live, Work) else None


def advice_disagreements(moderator: User) -> list[tuple[Work, PostingAdvice]]:
    """Recently updated posted works whose text disagrees with their rating or warnings."""
    if not is_moderator(moderator):
        return []
    return works_with_advice_disagreeing()
