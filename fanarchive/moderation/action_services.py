"""Resolving a report: the action (none, warn, hide, delete, suspend, change the rating),
the notices to the person it is about and to the reporter, and the audit entry."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.reasons import moderation_text
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import Bookmark, Comment, NoticeKind
from fanarchive.engagement.moderation_services import (
    bookmark_remove,
    comment_remove,
    comment_set_hidden,
)
from fanarchive.engagement.notices import notify
from fanarchive.moderation.appeal_links import appeal_path
from fanarchive.moderation.models import Report, ReportState, Resolution
from fanarchive.moderation.snapshots import target_row
from fanarchive.moderation.suspension_services import user_suspend_hiding
from fanarchive.works.models import Chapter, Work
from fanarchive.works.moderation_services import (
    work_rating_and_warnings,
    work_remove,
    work_set_hidden,
    work_set_rating,
)

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

# The resolutions a person may appeal (no action needs no appeal; restore ends one).
APPEALABLE = frozenset(
    {Resolution.WARN, Resolution.HIDE, Resolution.DELETE, Resolution.SUSPEND, Resolution.RERATE}
)


def _work_of(thing: Any) -> Work | None:
    if isinstance(thing, Work):
        return thing
    if isinstance(thing, Chapter):
        return thing.work
    return None


def _act(
    *,
    moderator: User,
    report: Report,
    resolution: str,
    reason: str,
    suspend_days: int | None,
    suspend_forever: bool,
    hide_their_works: bool,
    rating: str | None,
    warnings: list[str] | None,
) -> dict[str, Any]:
    """Carry out the resolution; what an upheld appeal needs to undo it."""
    if resolution in (Resolution.NONE, Resolution.WARN):
        if resolution == Resolution.WARN and report.subject is None:
            raise ValidationError(
                {"resolution": [_("Nobody to warn: this report is about no one.")]}
            )
        return {}
    if resolution == Resolution.SUSPEND:
        if report.subject is None:
            raise ValidationError(
                {"resolution": [_("Nobody to suspend: this report is about no one.")]}
            )
        hidden = user_suspend_hiding(
            moderator=moderator,
            user=report.subject,
            reason=reason,
            days=suspend_days,
            forever=suspend_forever,
            hide_works=hide_their_works,
        )
        return {"user_id": report.subject.pk, "hidden_work_ids": hidden}
    thing = target_row(report.target_type, report.target_id)
    if thing is None:
        raise ValidationError({"resolution": [_("The reported thing is gone already.")]})
    work = _work_of(thing)
    if resolution == Resolution.HIDE:
        if work is not None:
            work_set_hidden(user=moderator, work=work, hidden=True, reason=reason)
            return {"work_id": work.pk}
        if isinstance(thing, Comment):
            comment_set_hidden(user=moderator, comment=thing, hidden=True, reason=reason)
            return {"comment_id": thing.pk}
        raise ValidationError(
            {
                "resolution": [
                    _("Only works and comments can be hidden; delete it or suspend its owner.")
                ]
            }
        )
    if resolution == Resolution.DELETE:
        if isinstance(thing, Work):
            work_remove(user=moderator, work=thing, reason=reason)
        elif isinstance(thing, Comment):
            comment_remove(user=moderator, comment=thing, reason=reason)
        elif isinstance(thing, Bookmark):
            bookmark_remove(user=moderator, bookmark=thing, reason=reason)
        else:
            raise ValidationError(
                {"resolution": [_("Only works, comments and bookmarks can be deleted here.")]}
            )
        return {"deleted": report.target_type}
    if resolution == Resolution.RERATE:
        if work is None:
            raise ValidationError(
                {"resolution": [_("Only a work's rating and warnings can be changed.")]}
            )
        if not rating or warnings is None:
            raise ValidationError({"rating": [_("Please choose the rating and the warnings.")]})
        old_rating, old_warnings = work_rating_and_warnings(work)
        work_set_rating(user=moderator, work=work, rating=rating, warnings=warnings, reason=reason)
        return {"work_id": work.pk, "rating": old_rating, "warnings": old_warnings}
    raise ValidationError({"resolution": [_("Please choose what to do.")]})


def _subject_notice(report: Report, resolution: str, reason: str) -> None:
    subject = report.subject
    if subject is None or resolution == Resolution.NONE:
        return
    what = str(report.snapshot.get("title", "")) or lazy_text(report.get_target_type_display)
    notify(
        recipients=[subject],
        kind=NoticeKind.MODERATION,
        subject=lazy_format(
            gettext_lazy("A moderator's decision about “%(what)s” (%(reference)s)"),
            what=what,
            reference=report.reference,
        ),
        body=lazy_format(
            gettext_lazy(
                "Decision: %(decision)s.\nReason: %(reason)s\n\n"
                "If you think this is wrong, you can appeal once: %(url)s"
            ),
            decision=Resolution(resolution).label,
            reason=reason,
            url=appeal_path(report),
        ),
        url=appeal_path(report),
    )


def _reporter_notice(report: Report) -> None:
    body = lazy_format(
        gettext_lazy(
            "Your report %(reference)s has been reviewed by a moderator and is now resolved. "
            "Thank you for helping keep the archive safe."
        ),
        reference=report.reference,
    )
    subject = lazy_format(
        gettext_lazy("Your report %(reference)s is resolved"), reference=report.reference
    )
    if report.reporter is not None:
        notify(
            recipients=[report.reporter],
            kind=NoticeKind.MODERATION,
            subject=subject,
            body=body,
            url="",
        )
    elif report.reporter_email:
        # A guest's language is not known: their mail is in the site's default language.
        with translation.override(settings.LANGUAGE_CODE):
            subject_text, body_text = str(subject), str(body)
        mail = partial(
            send_mail,
            f"[{settings.SITE_NAME}] {subject_text}",
            body_text,
            None,
            [report.reporter_email],
            fail_silently=True,
        )
        transaction.on_commit(mail, robust=True)


def report_resolve(
    *,
    moderator: User,
    report: Report,
    resolution: str,
    reason: str,
    suspend_days: int | None = None,
    suspend_forever: bool = False,
    hide_their_works: bool = False,
    rating: str | None = None,
    warnings: list[str] | None = None,
) -> Report:
    """Decide a report with one action; the person it is about is told why and how to
    appeal, the reporter that it is resolved (nothing about the other person)."""
    require_moderator(moderator, _("Only moderators and administrators can resolve reports."))
    if report.state == ReportState.RESOLVED:
        raise ValidationError(_("This report is resolved already."))
    if resolution not in Resolution.values or resolution == Resolution.RESTORE:
        raise ValidationError({"resolution": [_("Please choose what to do.")]})
    cleaned = moderation_text(reason)
    before = {"state": report.state, "resolution": report.resolution}
    with transaction.atomic():
        data = _act(
            moderator=moderator,
            report=report,
            resolution=resolution,
            reason=cleaned,
            suspend_days=suspend_days,
            suspend_forever=suspend_forever,
            hide_their_works=hide_their_works,
            rating=rating,
            warnings=warnings,
        )
        report.state = ReportState.RESOLVED
        report.resolution = resolution
        report.resolution_reason = cleaned
        report.resolution_data = data
        report.resolved_by = moderator
        report.resolved_at = timezone.now()
        if report.assignee is None:
            report.assignee = moderator
        report.save()
        audit_record(
            actor=moderator,
            action="report.resolve",
            target=report,
            reason=cleaned,
            before=before,
            after={"state": report.state, "resolution": resolution, **data},
            subject=report.subject,
        )
        _subject_notice(report, resolution, cleaned)
        _reporter_notice(report)
    return report
