"""Writes to works and chapters.

Every rule about what a work may hold lives here, so the posting form, the
CLI, the demo generator and (later) the API and importers all obey the same
rules. Each service checks permission, validates everything before writing
anything, and runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import (
    TextFormat,
    count_html_words,
    render,
)
from fanarchive.tags.models import FREE_TYPES, Tag, TagType
from fanarchive.tags.selectors import FixedTags, fixed_tags_kept
from fanarchive.tags.services import tags_find_or_create_many
from fanarchive.works import events
from fanarchive.works.catalogue_services import (
    WorkText,
    catalogue_work_changed,
    catalogue_work_created,
)
from fanarchive.works.chapter_versions import ChapterEditConflict, chapter_version
from fanarchive.works.creator_services import gift_recipients_resolve, gifts_notify, gifts_set
from fanarchive.works.history_services import (
    WorkHistory,
    backdate_creation,
    history_dates,
    history_errors,
)
from fanarchive.works.inputs import (
    FREE_TAG_FIELDS,
    add_error,
    chapter_errors,
    clean_chapter_input,
    clean_work_input,
    expected_chapters_error,
    main_relationship_positions,
    raise_if,
    work_errors,
)

# Re-exported: the services are the front door for the inputs they take.
from fanarchive.works.inputs import ChapterInput as ChapterInput
from fanarchive.works.inputs import WorkInput as WorkInput
from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag
from fanarchive.works.new_accounts import work_rate_check
from fanarchive.works.refresh_services import apply_stats, work_refresh
from fanarchive.works.revision_services import chapter_revision_record, work_revision_record
from fanarchive.works.selectors import require_creator
from fanarchive.works.series_services import series_positions_close

# -- permission ---------------------------------------------------------------


@dataclass(frozen=True)
class _KeptPseuds:
    user_id: int
    by_id: dict[int, Pseud]


_kept_pseuds: ContextVar[_KeptPseuds | None] = ContextVar("kept_pseuds", default=None)


@contextmanager
def posting_batch(user: User) -> Iterator[None]:
    """Inside the block, what every post by `user` looks up the same way (the user's
    pseuds, the fixed tag sets) is read once: for a batch of posts, such as an import of
    many files. A pseud deleted meanwhile makes that post fail on its foreign key."""
    pseuds = {pseud.pk: pseud for pseud in Pseud.objects.filter(user=user)}
    token = _kept_pseuds.set(_KeptPseuds(user.pk, pseuds))
    try:
        with fixed_tags_kept():
            yield
    finally:
        _kept_pseuds.reset(token)


def _own_pseuds(user: User, pseud_ids: Sequence[int]) -> list[Pseud]:
    kept = _kept_pseuds.get()
    kept_by_id = kept.by_id if kept is not None and kept.user_id == user.pk else None
    if not pseud_ids:
        default = kept_by_id and next((p for p in kept_by_id.values() if p.is_default), None)
        return [default or user.default_pseud]
    if kept_by_id is not None:
        pseuds = {pk: kept_by_id[pk] for pk in pseud_ids if pk in kept_by_id}
    else:
        pseuds = {p.pk: p for p in Pseud.objects.filter(user=user, id__in=pseud_ids)}
    if len(pseuds) != len(set(pseud_ids)):
        raise ValidationError({"pseuds": [_("You can only post under your own pseuds.")]})
    return [pseuds[pk] for pk in dict.fromkeys(pseud_ids)]


# -- writing helpers ----------------------------------------------------------


def _html(text: str) -> str:
    """Summaries and notes: HTML as AO3 takes it, plain line breaks becoming paragraphs."""
    return render(text.strip(), TextFormat.HTML) if text.strip() else ""


def _apply_work_fields(work: Work, data: WorkInput) -> None:
    work.title = data.title.strip()
    work.summary = _html(data.summary)
    work.notes = _html(data.notes)
    work.endnotes = _html(data.endnotes)
    work.language = data.language
    work.restricted = data.restricted
    work.comment_policy = data.comment_policy
    work.moderated_comments = data.moderated_comments
    work.anonymous = data.anonymous
    work.expected_chapters = data.expected_chapters


def _set_tags(work: Work, data: WorkInput, fixed: FixedTags, *, new: bool = False) -> list[Tag]:
    """Replace the work's tags (a `new` work has none to remove); returns them in order."""
    tags: list[Tag] = []
    tags += fixed.pick(TagType.RATING, [data.rating])[0]
    tags += fixed.pick(TagType.WARNING, data.warnings)[0]
    tags += fixed.pick(TagType.CATEGORY, data.categories)[0]
    free = tags_find_or_create_many(
        names_by_type={
            tag_type: getattr(data, FREE_TAG_FIELDS[tag_type]) for tag_type in FREE_TYPES
        }
    )
    for tag_type in FREE_TYPES:
        tags += free[str(tag_type)]
    relationships = free[str(TagType.RELATIONSHIP)]
    main = {relationships[i].pk for i in main_relationship_positions(data)}
    if not new:
        WorkTag.objects.filter(work=work).delete()
    WorkTag.objects.bulk_create(
        [WorkTag(work=work, tag=tag, position=i, main=tag.pk in main) for i, tag in enumerate(tags)]
    )
    return tags


def _collections_choose(user: User, work: Work, names: Sequence[str]) -> None:
    """Put the work in exactly these collections (the collections app decides how), then
    read back the flags that may hide it or its creators, which the notices and saves after
    this must see."""
    events.collections_chosen(user=user, work=work, names=names)
    work.refresh_from_db(fields=["unrevealed", "anonymous_by_collection"])


def _editable_fields(data: ChapterInput) -> dict[str, str]:
    """What a chapter stores of its input, but the rendered text (`chapter_version`'s fields)."""
    return {
        "title": data.title.strip(),
        "summary": _html(data.summary),
        "notes": _html(data.notes),
        "endnotes": _html(data.endnotes),
        "text_format": data.text_format,
        "source": data.text,
    }


def _apply_chapter_fields(chapter: Chapter, data: ChapterInput) -> None:
    for name, value in _editable_fields(data).items():
        setattr(chapter, name, value)
    chapter.content = render(data.text, data.text_format)
    # Counted from what readers get, so markup and markdown syntax are not words.
    chapter.word_count = count_html_words(chapter.content)


# -- works --------------------------------------------------------------------


def work_create(
    *,
    user: User,
    data: WorkInput,
    chapters: Sequence[ChapterInput],
    post: bool,
    site_url: str = "",
    history: WorkHistory | None = None,
    rate_limited: bool = False,
) -> Work:
    """Create a work with its chapters, posted at once or kept as a draft.

    `site_url` ("https://archive.example") is where links in mail to gift recipients point.
    `history` keeps the dates of a work migrated from another archive. `rate_limited`
    (the posting form and the API; not imports): a new account posting beyond its works
    an hour is refused (`new_accounts.WorkRateLimited`) and nothing is written.
    """
    data = clean_work_input(data)
    chapters = [clean_chapter_input(chapter_data) for chapter_data in chapters]
    fixed = FixedTags.load()
    errors = work_errors(data, fixed=fixed)
    if not chapters:
        add_error(errors, "text", _("A work needs at least one chapter."))
    for chapter_data in chapters:
        for key, messages in chapter_errors(chapter_data, prefix="chapter_").items():
            errors.setdefault(key, []).extend(messages)
    problem = expected_chapters_error(data.expected_chapters, len(chapters))
    if problem:
        add_error(errors, "expected_chapters", problem)
    gifts = gift_recipients_resolve(user=user, work=None, names=data.gifts or [])
    if history is not None:
        for key, messages in history_errors(history).items():
            errors.setdefault(key, []).extend(messages)
    raise_if(errors)
    pseuds = _own_pseuds(user, data.pseud_ids)

    now = timezone.now()
    # Everything is rendered and counted before the transaction, and nothing written is
    # read back: the stats, search document and revisions come from these objects.
    work = Work(posted=post)
    _apply_work_fields(work, data)
    if post:
        work.first_posted_at = work.revised_at = now
    new_chapters = []
    for position, chapter_data in enumerate(chapters, start=1):
        chapter = Chapter(position=position, posted=post, published_at=now if post else None)
        _apply_chapter_fields(chapter, chapter_data)
        new_chapters.append(chapter)
    apply_stats(work, [chapter.word_count for chapter in new_chapters])
    if history is not None:
        history_dates(work, new_chapters, history)
    with transaction.atomic():
        if post and rate_limited:
            work_rate_check(user)
        work.save()
        Creatorship.objects.bulk_create(
            [Creatorship(work=work, pseud=pseud, position=i) for i, pseud in enumerate(pseuds)]
        )
        tags = _set_tags(work, data, fixed, new=True)
        for chapter in new_chapters:
            chapter.work = work
            chapter.save()
            chapter_revision_record(chapter=chapter, user=user, first=True)
        if history is not None:
            backdate_creation(work, history)
        text = None
        if post:
            text = WorkText(
                title=work.title,
                summary=work.summary,
                notes=work.notes,
                endnotes=work.endnotes,
                creators=[(pseud.name, user.username) for pseud in pseuds],
                anonymous=work.anonymous or work.anonymous_by_collection,
                tags=tags,
                chapters=[
                    (c.title, c.summary, c.notes, c.endnotes, c.content) for c in new_chapters
                ],
            )
        catalogue_work_created(work_id=work.pk, text=text)
        if data.collections:
            # Catalogued first (a collection's flags re-catalogue the work), and before any
            # notice: an unrevealed collection's gift must not be told early.
            _collections_choose(user, work, data.collections)
        if gifts:  # a new work has no gifts to clear or to tell about
            gifts_set(work=work, recipients=gifts, site_url=site_url)
        work_revision_record(work=work, user=user, first=True, tags=tags)
        if post:
            events.work_posted(work=work, new_by=user)
    return work


def work_update(
    *,
    user: User,
    work: Work,
    data: WorkInput,
    record_revision: bool = True,
    site_url: str = "",
) -> Work:
    """Change a work's metadata and tags. Its chapters are edited one by one.

    The new metadata is recorded in the work's version history unless
    `record_revision` is False (a restore records its own).
    """
    require_creator(user, work)
    data = clean_work_input(data)
    fixed = FixedTags.load()
    errors = work_errors(data, fixed=fixed)
    problem = expected_chapters_error(data.expected_chapters, work.chapters.count())
    if problem:
        add_error(errors, "expected_chapters", problem)
    gifts = None
    if data.gifts is not None:
        try:
            gifts = gift_recipients_resolve(user=user, work=work, names=data.gifts)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    raise_if(errors)
    with transaction.atomic():
        if data.pseud_ids:
            # Pseuds of other co-creators stay; this user's own set is replaced.
            pseuds = _own_pseuds(user, data.pseud_ids)
            work.creatorships.filter(pseud__user=user).exclude(pseud__in=pseuds).delete()
            for pseud in pseuds:
                Creatorship.objects.get_or_create(work=work, pseud=pseud)
        _apply_work_fields(work, data)
        _set_tags(work, data, fixed)
        if data.collections is not None:
            _collections_choose(user, work, data.collections)
        if gifts is not None:
            gifts_set(work=work, recipients=gifts, site_url=site_url)
        work_refresh(work=work)
        if record_revision:
            work_revision_record(work=work, user=user)
    return work


def work_post(*, user: User, work: Work, site_url: str = "") -> Work:
    """Post a draft: the work and all its chapters become visible (a new account at
    most its works an hour: `new_accounts.work_rate_check`)."""
    require_creator(user, work)
    if work.posted:
        raise ValidationError(_("This work is already posted."))
    now = timezone.now()
    with transaction.atomic():
        work_rate_check(user, now=now)
        work.chapters.filter(posted=False).update(posted=True, published_at=now)
        work.posted = True
        work.first_posted_at = work.revised_at = now
        gifts_notify(work=work, site_url=site_url)
        work_refresh(work=work)
        events.work_posted(work=work)
    return work


def work_delete(*, user: User, work: Work) -> None:
    require_creator(user, work)
    with transaction.atomic():
        catalogue_work_changed(work_id=work.pk)
        series_ids = list(work.series_works.values_list("series_id", flat=True))
        work.delete()
        # The series it was in close ranks: parts stay numbered 1, 2, 3...
        series_positions_close(series_ids=series_ids)


# -- chapters -----------------------------------------------------------------


def chapter_add(
    *,
    user: User,
    work: Work,
    data: ChapterInput,
    post: bool,
    expected_chapters: int | None,
) -> Chapter:
    """Add a chapter at the end. On a draft work it stays a draft until the work is posted."""
    require_creator(user, work)
    data = clean_chapter_input(data)
    errors = chapter_errors(data)
    count = work.chapters.count() + 1
    if expected_chapters is not None and expected_chapters < 1:
        add_error(
            errors, "expected_chapters", _("The expected number of chapters must be 1 or more.")
        )
    else:
        problem = expected_chapters_error(expected_chapters, count)
        if problem:
            add_error(errors, "expected_chapters", problem)
    raise_if(errors)
    now = timezone.now()
    with transaction.atomic():
        last = work.chapters.aggregate(last=Max("position"))["last"] or 0
        chapter = Chapter(work=work, position=last + 1)
        chapter.posted = post and work.posted
        chapter.published_at = now if chapter.posted else None
        _apply_chapter_fields(chapter, data)
        chapter.save()
        chapter_revision_record(chapter=chapter, user=user, first=True)
        work.expected_chapters = expected_chapters
        if chapter.posted:
            work.revised_at = now
        work_refresh(work=work)
        if chapter.posted:
            events.chapter_posted(chapter=chapter)
    return chapter


def chapter_update(
    *,
    user: User,
    chapter: Chapter,
    data: ChapterInput,
    post: bool = False,
    record_revision: bool = True,
    base_version: str | None = None,
) -> Chapter:
    """Edit a chapter; `post` also posts it when it was a draft chapter of a posted work.

    The new text is recorded in the chapter's version history unless
    `record_revision` is False (a restore records its own). `base_version` is the
    `chapter_version` the editor started from (the edit form and the API send it): when
    someone has saved the chapter since, the save is refused with `ChapterEditConflict`
    rather than replace their text, unless it would store exactly what is there.
    """
    work = chapter.work
    require_creator(user, work)
    data = clean_chapter_input(data)
    raise_if(chapter_errors(data))
    now = timezone.now()
    with transaction.atomic():
        if base_version is not None:
            _refuse_edit_conflict(chapter, data, base_version)
        _apply_chapter_fields(chapter, data)
        newly_posted = post and work.posted and not chapter.posted
        if newly_posted:
            chapter.posted = True
            chapter.published_at = now
            work.revised_at = now
        chapter.save()
        if newly_posted:
            events.chapter_posted(chapter=chapter)
        if record_revision:
            chapter_revision_record(chapter=chapter, user=user)
        work_refresh(work=work)
    return chapter


def _refuse_edit_conflict(chapter: Chapter, data: ChapterInput, base_version: str) -> None:
    """Raise ChapterEditConflict when the stored chapter is no longer `base_version` and
    the save would change it. Reads the row itself, locked (the caller's copy may be
    older), inside the caller's transaction, so two saves cannot both pass."""
    stored = Chapter.objects.select_for_update().filter(pk=chapter.pk).first()
    if stored is None:
        raise ValidationError(
            {"text": [_("This chapter was deleted while you were editing it: nothing was saved.")]}
        )
    current = chapter_version(stored)
    if base_version == current:
        return
    if chapter_version(Chapter(**_editable_fields(data))) != current:
        raise ChapterEditConflict(stored)


def chapter_delete(*, user: User, chapter: Chapter) -> None:
    work = chapter.work
    require_creator(user, work)
    if work.chapters.count() <= 1:
        raise ValidationError(
            _("This is the work's only chapter. Delete the work instead if you want it gone.")
        )
    with transaction.atomic():
        chapter.delete()
        _renumber(work, [c.id for c in work.chapters.order_by("position")])
        remaining = work.chapters.count()
        # Deleting a chapter of a finished work leaves it finished, as on AO3.
        if work.complete and (work.expected_chapters or 0) > remaining:
            work.expected_chapters = remaining
        work_refresh(work=work)


def chapters_reorder(*, user: User, work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in this order; `chapter_ids` must name each exactly once."""
    require_creator(user, work)
    current = set(work.chapters.values_list("id", flat=True))
    if len(chapter_ids) != len(current) or set(chapter_ids) != current:
        raise ValidationError(_("Give every chapter of this work a place, each exactly once."))
    with transaction.atomic():
        _renumber(work, list(chapter_ids))
        work_refresh(work=work)


def _renumber(work: Work, ordered_ids: list[int]) -> None:
    # Move everything out of the way first: positions are unique per work.
    offset = (work.chapters.aggregate(m=Max("position"))["m"] or 0) + len(ordered_ids) + 1
    for position, chapter_id in enumerate(ordered_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=offset + position)
    for position, chapter_id in enumerate(ordered_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=position)
