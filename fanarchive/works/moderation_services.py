"""What moderators and administrators do to works: hiding and showing them again, and
changing a work's rating and warnings.

Every change reaches the catalogue's change log in the same transaction, so listings,
counts, search, feeds and the API follow at once, and leaves an audit entry (who, what,
why, before and after). The moderation queue and the Django admin pages both call these.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.reasons import moderation_text
from fanarchive.tags.models import TagType
from fanarchive.tags.selectors import FixedTags
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Work, WorkTag
from fanarchive.works.selectors import creator_users_of
from fanarchive.works.series_services import series_positions_close


def work_subject(work: Work) -> User | None:
    """The person a work's moderation is about, for the audit log: its first creator."""
    creators = creator_users_of(work)
    return creators[0] if creators else None


def work_set_hidden(*, user: User, work: Work, hidden: bool, reason: str = "") -> Work:
    """Hide `work` from everyone but its creators and moderators, with the reason its
    creators are shown (or show it again): moderators and administrators only."""
    require_moderator(user, _("Only moderators and administrators can hide or show works."))
    reason = moderation_text(reason, required=None)
    if work.hidden_by_admin == hidden and (not hidden or work.hidden_reason == reason):
        return work
    before = {"hidden_by_admin": work.hidden_by_admin, "hidden_reason": work.hidden_reason}
    with transaction.atomic():
        work.hidden_by_admin = hidden
        work.hidden_reason = reason if hidden else ""
        work.save(update_fields=["hidden_by_admin", "hidden_reason", "updated_at"])
        catalogue_work_changed(work_id=work.pk)
        audit_record(
            actor=user,
            action="work.hide" if hidden else "work.show",
            target=work,
            reason=reason,
            before=before,
            after={"hidden_by_admin": work.hidden_by_admin, "hidden_reason": work.hidden_reason},
            subject=work_subject(work),
        )
    return work


def works_set_hidden_of(*, user: User, owner: User, hidden: bool, reason: str) -> list[int]:
    """Hide (or show again) every posted work `owner` created; the ids changed."""
    works = Work.objects.by_user(owner).filter(posted=True, hidden_by_admin=not hidden)
    changed: list[int] = []
    with transaction.atomic():
        for work in works.order_by("pk"):
            work_set_hidden(user=user, work=work, hidden=hidden, reason=reason)
            changed.append(work.pk)
    return changed


def work_rating_and_warnings(work: Work) -> tuple[str, list[str]]:
    data = work_input_of(work)
    return data.rating, list(data.warnings)


def work_set_rating(
    *, user: User, work: Work, rating: str, warnings: list[str], reason: str
) -> Work:
    """A moderator changes a work's rating and archive warnings (its other tags stay, in
    their places); the catalogue and the audit log follow."""
    require_moderator(
        user, _("Only moderators and administrators can change a work's rating and warnings.")
    )
    reason = moderation_text(reason, required=None)
    fixed = FixedTags.load()
    rating_tags, unknown_rating = fixed.pick(TagType.RATING, [rating])
    warning_tags, unknown_warnings = fixed.pick(TagType.WARNING, list(warnings))
    errors: dict[str, list[str]] = {}
    if unknown_rating or len(rating_tags) != 1:
        errors["rating"] = [_("Please choose one of the archive's ratings.")]
    if unknown_warnings:
        errors["warnings"] = [
            _("Unknown archive warnings: %(names)s.") % {"names": ", ".join(unknown_warnings)}
        ]
    elif not warning_tags:
        errors["warnings"] = [_("Please choose at least one archive warning.")]
    if errors:
        raise ValidationError(errors)
    old_rating, old_warnings = work_rating_and_warnings(work)
    if old_rating == rating and set(old_warnings) == set(warnings):
        return work
    with transaction.atomic():
        kept = list(
            WorkTag.objects.filter(work=work)
            .exclude(tag__type__in=[TagType.RATING, TagType.WARNING])
            .order_by("position")
            .values_list("tag_id", "main")
        )
        WorkTag.objects.filter(work=work).delete()
        ids = [(t.pk, False) for t in (*rating_tags, *warning_tags)] + kept
        WorkTag.objects.bulk_create(
            [
                WorkTag(work=work, tag_id=tag_id, position=i, main=main)
                for i, (tag_id, main) in enumerate(ids)
            ]
        )
        work.updated_at = timezone.now()
        work.save(update_fields=["updated_at"])
        catalogue_work_changed(work_id=work.pk)
        refreshed = work_input_of(Work.objects.get(pk=work.pk))
        audit_record(
            actor=user,
            action="work.rerate",
            target=work,
            reason=reason,
            before={"rating": old_rating, "warnings": old_warnings},
            after={"rating": refreshed.rating, "warnings": refreshed.warnings},
            subject=work_subject(work),
        )
    return work


def work_remove(*, user: User, work: Work, reason: str) -> None:
    """A moderator deletes a work (as its creators' `work_delete` does: the catalogue
    forgets it, the series it was in close ranks), keeping a record in the audit log."""
    require_moderator(user, _("Only moderators and administrators can delete others' works."))
    reason = moderation_text(reason, required=None)
    rating, warnings = work_rating_and_warnings(work)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="work.delete",
            target=work,
            reason=reason,
            before={"title": work.title, "rating": rating, "warnings": warnings},
            after={"deleted": True},
            subject=work_subject(work),
        )
        catalogue_work_changed(work_id=work.pk)
        series_ids = list(work.series_works.values_list("series_id", flat=True))
        work.delete()
        series_positions_close(series_ids=series_ids)
