"""Reports: made by readers and guests, assigned to and resolved by moderators."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext

from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.ratelimit import rate_limit_spend
from fanarchive.core.reasons import moderation_text
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import NoticeKind
from fanarchive.engagement.notices import notify
from fanarchive.moderation.models import Report, ReportCategory, ReportState, ReportTarget
from fanarchive.moderation.snapshots import find_target

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

# Non-consensual intimate imagery must be dealt with within 48 hours (the US Take It
# Down Act's removal window).
NCII_DUE = timedelta(hours=48)
# Reports per account (or guest address): enough for a reader who finds a spam wave,
# too few for a bot.
REPORTS_PER_HOUR = 5
REPORTS_PER_DAY = 20
# References: no 0/O, 1/I/L, so they can be read out and typed back.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 5


def new_reference() -> str:
    return "R-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _validate(
    *, reporter: User | None, email: str, category: str, text: str, target_type: str
) -> tuple[str, str]:
    """The cleaned text and e-mail address, or every problem keyed by field."""
    errors: dict[str, list[str]] = {}
    if category not in ReportCategory.values:
        errors["category"] = [gettext("Please choose what kind of problem this is.")]
    if target_type not in ReportTarget.values:
        errors["target"] = [gettext("Please say what kind of thing you are reporting.")]
    cleaned = ""
    try:
        cleaned = moderation_text(
            text, field="text", required=gettext_noop("Please tell us what is wrong.")
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    address = email.strip()
    if reporter is None:
        try:
            validate_email(address)
        except ValidationError:
            errors["email"] = [
                gettext("Please give an e-mail address, so we can tell you what we did.")
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned, address if reporter is None else ""


def _spend_rate_limit(key: str) -> None:
    for scope, limit, window, period in (
        ("report-hour", REPORTS_PER_HOUR, 3600, gettext_lazy("an hour")),
        ("report-day", REPORTS_PER_DAY, 86400, gettext_lazy("a day")),
    ):
        wait = rate_limit_spend(scope=scope, key=key, limit=limit, window=window)
        if wait is not None:
            minutes = max(1, round(wait / 60))
            raise ValidationError(
                ngettext(
                    "You can send at most %(limit)s reports %(period)s. "
                    "Please try again in %(minutes)s minute.",
                    "You can send at most %(limit)s reports %(period)s. "
                    "Please try again in %(minutes)s minutes.",
                    minutes,
                )
                % {"limit": limit, "period": period, "minutes": minutes}
            )


def report_create(
    *,
    reporter: User | None,
    email: str,
    category: str,
    text: str,
    target_type: str,
    target_id: int,
    address_key: str = "",
) -> Report:
    """A report of something the reporter can see, with a snapshot of it as it is now.

    Guests give an e-mail address; reports are rate-limited per account, or per guest
    address (`address_key`, else the e-mail address). Reports of non-consensual intimate
    imagery are urgent and due within 48 hours. The reporter's inbox gets the reference.
    """
    cleaned, address = _validate(
        reporter=reporter, email=email, category=category, text=text, target_type=target_type
    )
    viewer = reporter if reporter is not None else AnonymousUser()
    target = find_target(viewer, target_type, target_id)
    if reporter is not None and target.subject is not None and target.subject.pk == reporter.pk:
        raise ValidationError({"target": [gettext("You cannot report your own work or account.")]})
    key = (
        f"user:{reporter.pk}" if reporter is not None else f"guest:{address_key or address.lower()}"
    )
    _spend_rate_limit(key)
    urgent = category == ReportCategory.NCII
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    reference=new_reference(),
                    category=category,
                    text=cleaned,
                    target_type=target_type,
                    target_id=target.thing.pk,
                    snapshot=target.snapshot,
                    subject=target.subject,
                    reporter=reporter,
                    reporter_email=address,
                    urgent=urgent,
                    due_at=timezone.now() + NCII_DUE if urgent else None,
                )
                if reporter is not None:
                    notify(
                        recipients=[reporter],
                        kind=NoticeKind.MODERATION,
                        subject=lazy_format(
                            gettext_lazy("We received your report %(reference)s"),
                            reference=report.reference,
                        ),
                        body=lazy_format(
                            gettext_lazy(
                                "Thank you. Your report %(reference)s (%(category)s) about "
                                "“%(title)s” is in the moderators' queue. You will "
                                "hear from us when it is resolved."
                            ),
                            reference=report.reference,
                            category=lazy_text(report.get_category_display),
                            title=target.snapshot.get("title", ""),
                        ),
                        url=str(target.snapshot.get("url", "")),
                    )
            return report
        except IntegrityError:
            continue  # the reference was taken: draw another
    raise RuntimeError("Could not draw a free report reference.")


def _assignment(report: Report) -> dict[str, Any]:
    return {
        "state": report.state,
        "assignee": report.assignee.username if report.assignee else None,
    }


def _audit_report(moderator: User, report: Report, action: str, before: dict[str, Any]) -> None:
    audit_record(
        actor=moderator,
        action=action,
        target=report,
        before=before,
        after=_assignment(report),
        subject=report.subject,
    )


def report_assign(*, moderator: User, report: Report) -> Report:
    """The moderator takes the report (from the queue, or from another moderator)."""
    require_moderator(moderator, gettext("Only moderators and administrators can take reports."))
    if report.state == ReportState.RESOLVED:
        raise ValidationError(gettext("This report is resolved already."))
    if report.assignee_id == moderator.pk:
        return report
    before = _assignment(report)
    with transaction.atomic():
        report.state = ReportState.ASSIGNED
        report.assignee = moderator
        report.save(update_fields=["state", "assignee"])
        _audit_report(moderator, report, "report.assign", before)
    return report


def report_unassign(*, moderator: User, report: Report) -> Report:
    """Back to the queue for anyone (the assignee, or another moderator, lets it go)."""
    require_moderator(moderator, gettext("Only moderators and administrators can release reports."))
    if report.state != ReportState.ASSIGNED:
        raise ValidationError(gettext("This report is not assigned to anyone."))
    before = _assignment(report)
    with transaction.atomic():
        report.state = ReportState.OPEN
        report.assignee = None
        report.save(update_fields=["state", "assignee"])
        _audit_report(moderator, report, "report.unassign", before)
    return report
