"""Appeals: the person a decision is about appeals once; a second moderator decides, and
an upheld appeal undoes the action (the work or comment shown again, the suspension
lifted, the rating restored)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.reasons import moderation_text
from fanarchive.core.translation import lazy_format
from fanarchive.engagement.models import Comment, NoticeKind
from fanarchive.engagement.moderation_services import comment_set_hidden
from fanarchive.engagement.notices import notify
from fanarchive.moderation.action_services import APPEALABLE
from fanarchive.moderation.models import Appeal, AppealState, Report, ReportState, Resolution
from fanarchive.moderation.suspension_services import user_unsuspend
from fanarchive.works.models import Work
from fanarchive.works.moderation_services import work_set_hidden, work_set_rating

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

OPEN_STATES = (AppealState.OPEN, AppealState.ASSIGNED)


def appeal_refusal(user: User, report: Report) -> str:
    """Why `user` may not appeal `report`'s decision, or "" (the appeal page asks too)."""
    if report.subject_id is None or report.subject_id != user.pk:
        return _("Only the person a decision is about can appeal it.")
    if report.state != ReportState.RESOLVED or report.resolution not in APPEALABLE:
        return _("There is no decision to appeal here.")
    if Appeal.objects.filter(report=report).exists():
        return _("You have appealed this decision already; each decision can be appealed once.")
    return ""


def appeal_create(*, appellant: User, report: Report, text: str) -> Appeal:
    """The subject of a resolved report with an action appeals it, once; the appeal
    goes back to the moderators' queue."""
    refusal = appeal_refusal(appellant, report)
    if refusal:
        raise ValidationError(refusal)
    cleaned = moderation_text(
        text,
        field="text",
        required=gettext_noop("Please say why you think the decision was wrong."),
    )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(report=report, appellant=appellant, text=cleaned)
            audit_record(
                actor=appellant,
                action="appeal.create",
                target=appeal,
                reason=cleaned,
                after={"report": report.reference, "state": appeal.state},
                subject=appellant,
            )
    except IntegrityError as error:  # a second appeal at the same moment
        raise ValidationError(
            _("You have appealed this decision already; each decision can be appealed once.")
        ) from error
    return appeal


def appeal_assign(*, moderator: User, appeal: Appeal) -> Appeal:
    require_moderator(moderator, _("Only moderators and administrators can take appeals."))
    _require_second_moderator(moderator, appeal)
    if appeal.state not in OPEN_STATES:
        raise ValidationError(_("This appeal is decided already."))
    with transaction.atomic():
        before = {"state": appeal.state}
        appeal.state = AppealState.ASSIGNED
        appeal.assignee = moderator
        appeal.save(update_fields=["state", "assignee"])
        audit_record(
            actor=moderator,
            action="appeal.assign",
            target=appeal,
            before=before,
            after={"state": appeal.state, "assignee": moderator.username},
            subject=appeal.appellant,
        )
    return appeal


def _require_second_moderator(moderator: User, appeal: Appeal) -> None:
    if appeal.report.resolved_by_id == moderator.pk:
        raise PermissionDenied(
            _("You made this decision: another moderator must decide the appeal.")
        )


def _undo(moderator: User, report: Report, reason: str) -> dict[str, Any]:
    """Undo the report's action; what was restored."""
    data = report.resolution_data or {}
    if report.resolution == Resolution.HIDE and data.get("work_id"):
        work = Work.objects.filter(pk=data["work_id"]).first()
        if work is not None:
            work_set_hidden(user=moderator, work=work, hidden=False, reason=reason)
            return {"shown_work_id": work.pk}
    if report.resolution == Resolution.HIDE and data.get("comment_id"):
        comment = Comment.objects.filter(pk=data["comment_id"]).first()
        if comment is not None:
            comment_set_hidden(user=moderator, comment=comment, hidden=False, reason=reason)
            return {"shown_comment_id": comment.pk}
    if report.resolution == Resolution.SUSPEND and report.subject is not None:
        user_unsuspend(moderator=moderator, user=report.subject, reason=reason)
        return {"unsuspended": report.subject.pk}
    if report.resolution == Resolution.RERATE and data.get("work_id"):
        work = Work.objects.filter(pk=data["work_id"]).first()
        if work is not None:
            work_set_rating(
                user=moderator,
                work=work,
                rating=str(data["rating"]),
                warnings=[str(w) for w in data.get("warnings", [])],
                reason=reason,
            )
            return {"restored_rating": data["rating"]}
    # A warning is withdrawn by the decision itself; deleted things cannot come back.
    return {}


def appeal_decide(*, moderator: User, appeal: Appeal, uphold: bool, reason: str) -> Appeal:
    """A moderator other than the one who decided the report decides the appeal; upheld,
    the action is undone. The appellant is told either way."""
    require_moderator(moderator, _("Only moderators and administrators can decide appeals."))
    _require_second_moderator(moderator, appeal)
    if appeal.state not in OPEN_STATES:
        raise ValidationError(_("This appeal is decided already."))
    cleaned = moderation_text(reason)
    report = appeal.report
    with transaction.atomic():
        restored = _undo(moderator, report, cleaned) if uphold else {}
        appeal.state = AppealState.UPHELD if uphold else AppealState.REFUSED
        appeal.decided_by = moderator
        appeal.decided_at = timezone.now()
        appeal.decision_reason = cleaned
        if appeal.assignee is None:
            appeal.assignee = moderator
        appeal.save()
        if uphold:
            report.resolution_data = {
                **(report.resolution_data or {}),
                "original_resolution": report.resolution,
                **restored,
            }
            report.resolution = Resolution.RESTORE
            report.save(update_fields=["resolution", "resolution_data"])
        audit_record(
            actor=moderator,
            action="appeal.uphold" if uphold else "appeal.refuse",
            target=appeal,
            reason=cleaned,
            before={
                "state": AppealState.OPEN,
                "resolution": report.resolution_data.get("original_resolution", report.resolution),
            },
            after={"state": appeal.state, **restored},
            subject=appeal.appellant,
        )
        deleted = uphold and report.resolution_data.get("original_resolution") == Resolution.DELETE
        notify(
            recipients=[appeal.appellant],
            kind=NoticeKind.MODERATION,
            subject=lazy_format(
                gettext_lazy("Your appeal of %(reference)s was upheld")
                if uphold
                else gettext_lazy("Your appeal of %(reference)s was refused"),
                reference=report.reference,
            ),
            body=lazy_format(
                gettext_lazy(
                    "Upheld: %(reason)s\nWhat was deleted cannot be restored; you may post it "
                    "again."
                )
                if deleted
                else gettext_lazy("Upheld: %(reason)s")
                if uphold
                else gettext_lazy("Refused: %(reason)s"),
                reason=cleaned,
            ),
            url=str(report.snapshot.get("url", "")) if uphold else "",
        )
    return appeal
