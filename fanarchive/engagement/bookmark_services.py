"""Bookmarks: of a work or a series, private or public, a recommendation or not, with
notes and the bookmarker's own tags (ordinary additional tags, as on AO3)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import TextFormat, clean_text, render
from fanarchive.engagement.models import Bookmark
from fanarchive.tags.models import TagType
from fanarchive.tags.services import tag_name_error, tags_find_or_create, unique_tag_names
from fanarchive.works.catalogue_services import catalogue_counts_changed
from fanarchive.works.models import Series, Work
from fanarchive.works.selectors import access_work
from fanarchive.works.series_selectors import series_get

NOTES_MAX = 5_000  # as a work's notes
TAGS_MAX = 75  # as a work's own tags

Errors = dict[str, list[str]]


def _stats_changed(work_id: int) -> None:
    """A work's public bookmark count changed: refresh the catalogue's counts only."""
    catalogue_counts_changed(work_ids=[work_id])


def _validate(*, user: User, pseud: Pseud, notes: str, tags: Sequence[str]) -> Errors:
    errors: Errors = {}
    if pseud.user_id != user.pk:
        errors.setdefault("pseud", []).append(_("Choose one of your own pseuds."))
    if len(notes) > NOTES_MAX:
        errors.setdefault("notes", []).append(
            _("Notes can be at most %(NOTES_MAX)s characters long (these are %(length)s).")
            % {"NOTES_MAX": f"{NOTES_MAX:,}", "length": f"{len(notes):,}"}
        )
    names = unique_tag_names(tags)
    if len(names) > TAGS_MAX:
        errors.setdefault("tags", []).append(
            _("A bookmark can have at most %(TAGS_MAX)s tags.") % {"TAGS_MAX": TAGS_MAX}
        )
    for name in names:
        problem = tag_name_error(name)
        if problem:
            errors.setdefault("tags", []).append(problem)
    return errors


def _notes_html(notes: str) -> str:
    return render(notes.strip(), TextFormat.HTML) if notes.strip() else ""


def _require_visible(user: User, work: Work | None, series: Series | None) -> None:
    """Bookmarking needs the item to be open to `user`: never drafts or hidden works."""
    if work is not None:
        work = access_work(user, work.pk)  # 404 / 403 as on the work page
        if not work.posted or work.hidden_by_admin:
            raise ValidationError({"work": [_("Only posted works can be bookmarked.")]})
    if series is not None:
        series_get(user, series.pk)


def bookmark_create(
    *,
    user: User,
    pseud: Pseud,
    work: Work | None = None,
    series: Series | None = None,
    notes: str = "",
    tags: Sequence[str] = (),
    private: bool = False,
    rec: bool = False,
) -> Bookmark:
    """Bookmark a work or a series (exactly one); one bookmark per user per item."""
    if (work is None) == (series is None):
        raise ValidationError(_("Bookmark one work or one series."))
    _require_visible(user, work, series)
    notes = clean_text(notes)  # tags are cleaned by the tag services
    errors = _validate(user=user, pseud=pseud, notes=notes, tags=tags)
    target: dict[str, Work | Series | None] = (
        {"work": work} if work is not None else {"series": series}
    )
    if Bookmark.objects.filter(user=user, **target).exists():
        errors.setdefault("__all__", []).append(_("You have already bookmarked this."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            bookmark = Bookmark.objects.create(
                user=user,
                pseud=pseud,
                notes=_notes_html(notes),
                private=private,
                rec=rec,
                **target,
            )
            bookmark.tags.set(tags_find_or_create(tag_type=TagType.FREEFORM, names=tags))
            if work is not None:
                _stats_changed(work.pk)
    except IntegrityError as error:  # a second request won the race
        raise ValidationError(_("You have already bookmarked this.")) from error
    return bookmark


def bookmark_update(
    *,
    user: User,
    bookmark: Bookmark,
    pseud: Pseud,
    notes: str,
    tags: Sequence[str],
    private: bool,
    rec: bool,
) -> Bookmark:
    """Change one's own bookmark."""
    if bookmark.user_id != user.pk:
        raise ValidationError(_("This is not your bookmark."))
    notes = clean_text(notes)
    errors = _validate(user=user, pseud=pseud, notes=notes, tags=tags)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        bookmark.pseud = pseud
        bookmark.notes = _notes_html(notes)
        bookmark.private = private
        bookmark.rec = rec
        bookmark.updated_at = timezone.now()
        bookmark.save()
        bookmark.tags.set(tags_find_or_create(tag_type=TagType.FREEFORM, names=tags))
        if bookmark.work_id is not None:
            _stats_changed(bookmark.work_id)
    return bookmark


def bookmark_delete(*, user: User, bookmark: Bookmark) -> None:
    """Delete one's own bookmark."""
    if bookmark.user_id != user.pk:
        raise ValidationError(_("This is not your bookmark."))
    with transaction.atomic():
        work_id = bookmark.work_id
        bookmark.delete()
        if work_id is not None:
            _stats_changed(work_id)
