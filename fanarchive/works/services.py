"""Writes to works and chapters.

Every rule about what a work may hold lives here, so the posting form, the
CLI, the demo generator and (later) the API and importers all obey the same
rules. Each service checks permission, validates everything before writing
anything, and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import (
    TextFormat,
    clean_line,
    clean_text,
    count_html_words,
    html_to_text,
    render,
)
from fanarchive.discovery.services import (
    WorkText,
    catalogue_work_changed,
    catalogue_work_created,
)
from fanarchive.engagement.subscription_services import (
    subscriptions_chapter_posted,
    subscriptions_work_posted,
)
from fanarchive.tags.models import FREE_TYPES, Tag, TagType
from fanarchive.tags.selectors import FixedTags, fixed_tags_kept
from fanarchive.tags.services import tag_name_error, tags_find_or_create_many, unique_tag_names
from fanarchive.works import limits
from fanarchive.works.creator_services import gift_recipients_resolve, gifts_notify, gifts_set
from fanarchive.works.languages import LANGUAGE_NAMES
from fanarchive.works.models import Chapter, CommentPolicy, Creatorship, Work, WorkTag
from fanarchive.works.revision_services import chapter_revision_record, work_revision_record
from fanarchive.works.selectors import require_creator
from fanarchive.works.series_services import series_positions_close

Errors = dict[str, list[str]]


@dataclass
class ChapterInput:
    """One chapter as a writer (or an importer) gives it."""

    text: str
    text_format: str = TextFormat.HTML
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


@dataclass
class WorkInput:
    """A work's metadata as a writer (or an importer) gives it. Tag lists hold names."""

    title: str
    rating: str
    warnings: list[str]
    fandoms: list[str]
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    language: str = "en"
    restricted: bool = False
    # Who may comment ("everyone", "registered", "nobody") and whether comments wait for approval.
    comment_policy: str = "registered"
    moderated_comments: bool = False
    # None is "?": the writer does not know yet.
    expected_chapters: int | None = 1
    # Pseuds of the posting user; empty means their default pseud.
    pseud_ids: list[int] = field(default_factory=list)
    # Gift recipients: pseuds ("name" or "pseud (user)") or names of people without an
    # account. None leaves a work's gifts as they are.
    gifts: list[str] | None = None


FREE_TAG_FIELDS = {
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


# -- normalising --------------------------------------------------------------


def _cleaned_work(data: WorkInput) -> WorkInput:
    """The input without control characters, once, before anything reads it.

    Tag names are left to the tag services' own normalisation (`normalise_tag_name`);
    the fixed tags, language and comment setting are checked against known values.
    """
    return replace(
        data,
        title=clean_line(data.title),
        summary=clean_text(data.summary),
        notes=clean_text(data.notes),
        endnotes=clean_text(data.endnotes),
        gifts=None if data.gifts is None else [clean_line(name) for name in data.gifts],
    )


def _cleaned_chapter(data: ChapterInput) -> ChapterInput:
    return replace(
        data,
        text=clean_text(data.text),
        title=clean_line(data.title),
        summary=clean_text(data.summary),
        notes=clean_text(data.notes),
        endnotes=clean_text(data.endnotes),
    )


# -- validation ---------------------------------------------------------------


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _check_length(errors: Errors, key: str, label: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        _add(
            errors,
            key,
            f"{label} must be {maximum:,} characters or fewer; it is {len(value):,}.",
        )


# Markup around a summary or note may at most triple its length; beyond that the
# field is refused whatever its visible length, so storage stays bounded.
MARKUP_ALLOWANCE = 3


def _check_html_length(errors: Errors, key: str, label: str, value: str, maximum: int) -> None:
    """Limits count what readers see, so re-saving the stored HTML of an edit still fits."""
    _check_length(errors, key, label, html_to_text(value).strip(), maximum)
    if key not in errors and len(value) > maximum * MARKUP_ALLOWANCE:
        _add(errors, key, f"{label} has too much markup for its {maximum:,} characters of text.")


def validate_work_input(data: WorkInput, *, fixed: FixedTags | None = None) -> Errors:
    """What is wrong with `data`, as `work_create` would say (for callers checking first)."""
    return _work_errors(_cleaned_work(data), fixed=fixed)


def _work_errors(data: WorkInput, *, fixed: FixedTags | None = None) -> Errors:
    fixed = fixed or FixedTags.load()
    errors: Errors = {}
    title = data.title.strip()
    if not title:
        _add(errors, "title", "Please enter a title.")
    _check_length(errors, "title", "The title", title, limits.TITLE_MAX)
    _check_html_length(errors, "summary", "The summary", data.summary, limits.SUMMARY_MAX)
    _check_html_length(errors, "notes", "The notes", data.notes, limits.NOTES_MAX)
    _check_html_length(errors, "endnotes", "The end notes", data.endnotes, limits.NOTES_MAX)
    if data.language not in LANGUAGE_NAMES:
        _add(errors, "language", f'"{data.language}" is not a language this archive knows.')
    if data.comment_policy not in CommentPolicy.values:
        _add(errors, "comment_policy", f'"{data.comment_policy}" is not a comment setting.')
    if data.expected_chapters is not None and data.expected_chapters < 1:
        _add(errors, "expected_chapters", "The expected number of chapters must be 1 or more.")

    if not data.rating:
        _add(errors, "rating", "Please choose a rating.")
    else:
        _, unknown = fixed.pick(TagType.RATING, [data.rating])
        if unknown:
            _add(errors, "rating", f'"{data.rating}" is not a rating.')
    if not data.warnings:
        _add(errors, "warnings", "Please choose at least one archive warning.")
    for key, tag_type, names in (
        ("warnings", TagType.WARNING, data.warnings),
        ("categories", TagType.CATEGORY, data.categories),
    ):
        _, unknown = fixed.pick(tag_type, names)
        for name in unknown:
            _add(errors, key, f'"{name}" is not one of the {tag_type.label.lower()}s.')

    if not unique_tag_names(data.fandoms):
        _add(errors, "fandoms", "Please add at least one fandom.")
    user_tag_count = 0
    for key in FREE_TAG_FIELDS.values():
        names = unique_tag_names(getattr(data, key))
        user_tag_count += len(names)
        for name in names:
            problem = tag_name_error(name)
            if problem:
                _add(errors, key, problem)
    if user_tag_count > limits.USER_TAGS_MAX:
        _add(
            errors,
            "freeforms",
            f"A work can have at most {limits.USER_TAGS_MAX} fandom, relationship, character "
            f"and additional tags together; this one has {user_tag_count}.",
        )
    return errors


def validate_chapter_input(data: ChapterInput, *, prefix: str = "") -> Errors:
    """Errors keyed `prefix + field`, so the work form can show them on its chapter fields."""
    return _chapter_errors(_cleaned_chapter(data), prefix=prefix)


def _chapter_errors(data: ChapterInput, *, prefix: str = "") -> Errors:
    errors: Errors = {}
    text = data.text.strip()
    if len(text) < limits.CHAPTER_TEXT_MIN:
        _add(
            errors,
            "text",
            f"The chapter text must be at least {limits.CHAPTER_TEXT_MIN} characters long."
            if text
            else "The chapter text is empty: please write or paste the chapter.",
        )
    _check_length(errors, "text", "The chapter text", text, limits.CHAPTER_TEXT_MAX)
    if data.text_format not in {f.value for f in TextFormat}:
        _add(errors, "text_format", f'"{data.text_format}" is not a text format.')
    _check_length(
        errors, f"{prefix}title", "The chapter title", data.title.strip(), limits.CHAPTER_TITLE_MAX
    )
    _check_html_length(
        errors, f"{prefix}summary", "The chapter summary", data.summary, limits.SUMMARY_MAX
    )
    _check_html_length(errors, f"{prefix}notes", "The chapter notes", data.notes, limits.NOTES_MAX)
    _check_html_length(
        errors, f"{prefix}endnotes", "The chapter end notes", data.endnotes, limits.NOTES_MAX
    )
    return errors


def _expected_chapters_error(expected: int | None, chapter_count: int) -> str | None:
    if expected is not None and expected > limits.EXPECTED_CHAPTERS_MAX:
        return f"A work can expect at most {limits.EXPECTED_CHAPTERS_MAX:,} chapters."
    if expected is not None and expected < chapter_count:
        return (
            f"This work has {chapter_count} chapters, so it cannot expect fewer. "
            "Enter a larger number, or leave it blank if you do not know yet."
        )
    return None


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


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
        raise ValidationError({"pseuds": ["You can only post under your own pseuds."]})
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
    if not new:
        WorkTag.objects.filter(work=work).delete()
    WorkTag.objects.bulk_create(
        [WorkTag(work=work, tag=tag, position=i) for i, tag in enumerate(tags)]
    )
    return tags


def _apply_chapter_fields(chapter: Chapter, data: ChapterInput) -> None:
    chapter.title = data.title.strip()
    chapter.summary = _html(data.summary)
    chapter.notes = _html(data.notes)
    chapter.endnotes = _html(data.endnotes)
    chapter.text_format = data.text_format
    chapter.source = data.text
    chapter.content = render(data.text, data.text_format)
    # Counted from what readers get, so markup and markdown syntax are not words.
    chapter.word_count = count_html_words(chapter.content)


def _apply_stats(work: Work, word_counts: Sequence[int]) -> None:
    """What is derived from the chapters: `word_counts` of the posted chapters (of all
    chapters while the work is a draft)."""
    work.posted_chapters = len(word_counts)
    work.word_count = sum(word_counts)
    work.complete = work.expected_chapters == work.posted_chapters


def _refresh_stats(work: Work) -> None:
    """Recompute what is derived from the chapters, save, and log the change.

    Every service that changes a work ends here, inside its transaction, so the
    catalogue's change log is complete by construction (`work_create`, which has
    everything in memory, does the same through `catalogue_work_created`).
    """
    chapters = work.chapters.all()
    if work.posted:
        chapters = chapters.filter(posted=True)
    _apply_stats(work, list(chapters.values_list("word_count", flat=True)))
    work.save()
    catalogue_work_changed(work_id=work.pk)


# -- works --------------------------------------------------------------------


def work_create(
    *,
    user: User,
    data: WorkInput,
    chapters: Sequence[ChapterInput],
    post: bool,
    site_url: str = "",
    history: WorkHistory | None = None,
) -> Work:
    """Create a work with its chapters, posted at once or kept as a draft.

    `site_url` ("https://archive.example") is where links in mail to gift recipients point.
    `history` keeps the dates of a work migrated from another archive.
    """
    data = _cleaned_work(data)
    chapters = [_cleaned_chapter(chapter_data) for chapter_data in chapters]
    fixed = FixedTags.load()
    errors = _work_errors(data, fixed=fixed)
    if not chapters:
        _add(errors, "text", "A work needs at least one chapter.")
    for chapter_data in chapters:
        for key, messages in _chapter_errors(chapter_data, prefix="chapter_").items():
            errors.setdefault(key, []).extend(messages)
    problem = _expected_chapters_error(data.expected_chapters, len(chapters))
    if problem:
        _add(errors, "expected_chapters", problem)
    gifts = gift_recipients_resolve(user=user, work=None, names=data.gifts or [])
    if history is not None:
        for key, messages in _history_errors(history).items():
            errors.setdefault(key, []).extend(messages)
    _raise_if(errors)
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
    _apply_stats(work, [chapter.word_count for chapter in new_chapters])
    if history is not None:
        _history_dates(work, new_chapters, history)
    with transaction.atomic():
        work.save()
        Creatorship.objects.bulk_create(
            [Creatorship(work=work, pseud=pseud, position=i) for i, pseud in enumerate(pseuds)]
        )
        tags = _set_tags(work, data, fixed, new=True)
        for chapter in new_chapters:
            chapter.work = work
            chapter.save()
            chapter_revision_record(chapter=chapter, user=user, first=True)
        if gifts:  # a new work has no gifts to clear or to tell about
            gifts_set(work=work, recipients=gifts, site_url=site_url)
        if history is not None:
            _backdate_creation(work, history)
        text = None
        if post:
            text = WorkText(
                title=work.title,
                summary=work.summary,
                notes=work.notes,
                endnotes=work.endnotes,
                creators=[(pseud.name, user.username) for pseud in pseuds],
                tags=tags,
                chapters=[
                    (c.title, c.summary, c.notes, c.endnotes, c.content) for c in new_chapters
                ],
            )
        catalogue_work_created(work_id=work.pk, text=text)
        work_revision_record(work=work, user=user, first=True, tags=tags)
        if post:
            subscriptions_work_posted(work=work, new_by=user)
    return work


@dataclass
class WorkHistory:
    """The dates a work had on the archive it came from (migrations)."""

    first_posted_at: dt.datetime
    revised_at: dt.datetime


def _history_errors(history: WorkHistory) -> Errors:
    errors: Errors = {}
    now = timezone.now()
    for key in ("first_posted_at", "revised_at"):
        if getattr(history, key) > now:
            _add(errors, key, "A date in the future cannot be kept.")
    if history.revised_at < history.first_posted_at:
        _add(errors, "revised_at", "The last update cannot come before the posting date.")
    return errors


def _history_dates(work: Work, chapters: Sequence[Chapter], history: WorkHistory) -> None:
    """Set (without saving) the posting dates of a posted work and its posted chapters:
    the first chapter at the posting date, the last at the update, those between evenly."""
    if not work.posted:
        return
    work.first_posted_at = history.first_posted_at
    work.revised_at = history.revised_at
    posted = sorted((c for c in chapters if c.posted), key=lambda c: c.position)
    step = (history.revised_at - history.first_posted_at) / max(len(posted) - 1, 1)
    for index, chapter in enumerate(posted):
        chapter.published_at = history.first_posted_at + step * index


def _backdate_creation(work: Work, history: WorkHistory) -> None:
    """The work's and its chapters' creation dates (auto-set on insert, so updated after)."""
    Work.objects.filter(pk=work.pk).update(created_at=history.first_posted_at)
    Chapter.objects.filter(work=work).update(created_at=history.first_posted_at)
    work.created_at = history.first_posted_at


def _apply_history(work: Work, history: WorkHistory) -> None:
    """Give an existing work its migrated dates (see `_history_dates`)."""
    _backdate_creation(work, history)
    chapters = list(work.chapters.filter(posted=True).order_by("position"))
    _history_dates(work, chapters, history)
    Chapter.objects.bulk_update(chapters, ["published_at"])


def work_history_set(*, work: Work, history: WorkHistory) -> Work:
    """Give an existing work the dates it had on the archive it came from (migrations).

    A date in the future, or an update before the posting date, is refused.
    `work_create(history=...)` does the same for a new work.
    """
    _raise_if(_history_errors(history))
    with transaction.atomic():
        _apply_history(work, history)
        work.save(update_fields=["first_posted_at", "revised_at", "updated_at"])
        catalogue_work_changed(work_id=work.pk)
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
    data = _cleaned_work(data)
    fixed = FixedTags.load()
    errors = _work_errors(data, fixed=fixed)
    problem = _expected_chapters_error(data.expected_chapters, work.chapters.count())
    if problem:
        _add(errors, "expected_chapters", problem)
    gifts = None
    if data.gifts is not None:
        try:
            gifts = gift_recipients_resolve(user=user, work=work, names=data.gifts)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    _raise_if(errors)
    with transaction.atomic():
        if data.pseud_ids:
            # Pseuds of other co-creators stay; this user's own set is replaced.
            pseuds = _own_pseuds(user, data.pseud_ids)
            work.creatorships.filter(pseud__user=user).exclude(pseud__in=pseuds).delete()
            for pseud in pseuds:
                Creatorship.objects.get_or_create(work=work, pseud=pseud)
        _apply_work_fields(work, data)
        _set_tags(work, data, fixed)
        if gifts is not None:
            gifts_set(work=work, recipients=gifts, site_url=site_url)
        _refresh_stats(work)
        if record_revision:
            work_revision_record(work=work, user=user)
    return work


def work_post(*, user: User, work: Work, site_url: str = "") -> Work:
    """Post a draft: the work and all its chapters become visible."""
    require_creator(user, work)
    if work.posted:
        raise ValidationError("This work is already posted.")
    now = timezone.now()
    with transaction.atomic():
        work.chapters.filter(posted=False).update(posted=True, published_at=now)
        work.posted = True
        work.first_posted_at = work.revised_at = now
        gifts_notify(work=work, site_url=site_url)
        _refresh_stats(work)
        subscriptions_work_posted(work=work)
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
    data = _cleaned_chapter(data)
    errors = _chapter_errors(data)
    count = work.chapters.count() + 1
    if expected_chapters is not None and expected_chapters < 1:
        _add(errors, "expected_chapters", "The expected number of chapters must be 1 or more.")
    else:
        problem = _expected_chapters_error(expected_chapters, count)
        if problem:
            _add(errors, "expected_chapters", problem)
    _raise_if(errors)
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
        _refresh_stats(work)
        if chapter.posted:
            subscriptions_chapter_posted(chapter=chapter)
    return chapter


def chapter_update(
    *,
    user: User,
    chapter: Chapter,
    data: ChapterInput,
    post: bool = False,
    record_revision: bool = True,
) -> Chapter:
    """Edit a chapter; `post` also posts it when it was a draft chapter of a posted work.

    The new text is recorded in the chapter's version history unless
    `record_revision` is False (a restore records its own).
    """
    work = chapter.work
    require_creator(user, work)
    data = _cleaned_chapter(data)
    _raise_if(_chapter_errors(data))
    now = timezone.now()
    with transaction.atomic():
        _apply_chapter_fields(chapter, data)
        newly_posted = post and work.posted and not chapter.posted
        if newly_posted:
            chapter.posted = True
            chapter.published_at = now
            work.revised_at = now
        chapter.save()
        if newly_posted:
            subscriptions_chapter_posted(chapter=chapter)
        if record_revision:
            chapter_revision_record(chapter=chapter, user=user)
        _refresh_stats(work)
    return chapter


def chapter_delete(*, user: User, chapter: Chapter) -> None:
    work = chapter.work
    require_creator(user, work)
    if work.chapters.count() <= 1:
        raise ValidationError(
            "This is the work's only chapter. Delete the work instead if you want it gone."
        )
    with transaction.atomic():
        chapter.delete()
        _renumber(work, [c.id for c in work.chapters.order_by("position")])
        remaining = work.chapters.count()
        # Deleting a chapter of a finished work leaves it finished, as on AO3.
        if work.complete and (work.expected_chapters or 0) > remaining:
            work.expected_chapters = remaining
        _refresh_stats(work)


def chapters_reorder(*, user: User, work: Work, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in this order; `chapter_ids` must name each exactly once."""
    require_creator(user, work)
    current = set(work.chapters.values_list("id", flat=True))
    if len(chapter_ids) != len(current) or set(chapter_ids) != current:
        raise ValidationError("Give every chapter of this work a place, each exactly once.")
    with transaction.atomic():
        _renumber(work, list(chapter_ids))
        _refresh_stats(work)


def _renumber(work: Work, ordered_ids: list[int]) -> None:
    # Move everything out of the way first: positions are unique per work.
    offset = (work.chapters.aggregate(m=Max("position"))["m"] or 0) + len(ordered_ids) + 1
    for position, chapter_id in enumerate(ordered_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=offset + position)
    for position, chapter_id in enumerate(ordered_ids, start=1):
        Chapter.objects.filter(pk=chapter_id).update(position=position)
