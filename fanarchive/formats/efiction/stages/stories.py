"""Stories -> works, one transaction each.

Chapters in order with notes and end notes (text from the database, else from the
stories folder), ratings and classes mapped through the tags stage's `Vocabulary`,
co-authors as co-creators, the old dates kept (a draft's update as its last change; a
story without dates dated from its author's join date). Unvalidated stories are
drafts, and unvalidated chapters of a validated story draft chapters at its end. A
story's hit count is kept in its mapping for the engagement stage.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.models import Pseud
from fanarchive.core.text import html_to_text
from fanarchive.formats.decode import decode_text
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.context import Kind, MigrationContext
from fanarchive.formats.efiction.report import ALREADY, MAPPED, MIGRATED
from fanarchive.formats.efiction.stages.tags import Vocabulary
from fanarchive.formats.efiction.text import notes_html, story_html
from fanarchive.formats.errors import ImportFailed, validation_text
from fanarchive.formats.models import EfictionMapping
from fanarchive.tags.fixed import CHOSE_NOT_TO_WARN, NO_WARNINGS, NOT_RATED
from fanarchive.works import limits
from fanarchive.works.creator_services import creator_add_migrated
from fanarchive.works.history_services import WorkHistory
from fanarchive.works.models import Chapter, Work
from fanarchive.works.services import (
    ChapterInput,
    WorkInput,
    chapter_add,
    work_create,
)

Usable = list[tuple[r.Chapter, ChapterInput]]


def stories_migrate(ctx: MigrationContext, vocabulary: Vocabulary) -> None:
    archive = ctx.archive
    _settings(ctx)
    chapters_of_story = {s: archive.chapters_of(s) for s in archive.stories}
    coauthors: dict[int, list[r.CoAuthor]] = {}
    for row in archive.coauthors:
        coauthors.setdefault(row.sid, []).append(row)
    for sid, rows in coauthors.items():
        if sid not in archive.stories:
            for row in rows:
                ctx.report.skip("coauthors", f"{sid}/{row.uid}", f"story {sid} is unknown.")
    orphans = [c for c in archive.chapters.values() if c.sid not in archive.stories]
    for chapter in orphans:
        ctx.report.skip(
            "chapters", chapter.chapid, f"belongs to story {chapter.sid}, which is unknown."
        )
    for story in sorted(archive.stories.values(), key=lambda s: s.sid):
        ctx.progress("stories", 1)
        chapters = chapters_of_story[story.sid]
        story_coauthors = coauthors.get(story.sid, [])
        if (Kind.STORY, story.sid) in ctx.mapped:
            ctx.report.count("stories", ALREADY)
            ctx.report.count("chapters", ALREADY, len(chapters))
            ctx.report.count("coauthors", ALREADY, len(story_coauthors))
            continue
        _story(ctx, vocabulary, story, chapters, story_coauthors)


def _story(
    ctx: MigrationContext,
    vocabulary: Vocabulary,
    story: r.Story,
    chapters: list[r.Chapter],
    coauthors: list[r.CoAuthor],
) -> None:
    report = ctx.report

    def skip_all(reason: str, counted: set[int]) -> None:
        report.skip("stories", story.sid, reason)
        for chapter in chapters:
            if chapter.chapid not in counted:
                report.skip("chapters", chapter.chapid, f"story {story.sid} {reason}")
        for row in coauthors:
            report.skip("coauthors", f"{story.sid}/{row.uid}", "the story is skipped.")

    user = ctx.user_for_author(story.uid)
    pseud = ctx.pseud_for_author(story.uid)
    if user is None or pseud is None:
        skip_all(f"has an author ({story.uid}) that was not migrated.", set())
        return
    usable, unusable = _story_chapters(ctx, story)
    skipped_ids = {c.chapid for c in unusable}
    if not usable:
        skip_all("has no chapter with text.", skipped_ids)
        return
    data = _work_input(ctx, vocabulary, story, pseud)
    # A posted work starts with the validated chapters; the others follow as drafts.
    post = story.validated
    first = [ci for c, ci in usable if c.validated or not post]
    later = [(c, ci) for c, ci in usable if post and not c.validated]
    if not first:
        post = False
        first, later = [ci for _, ci in usable], []
    if story.completed:
        data.expected_chapters = len(usable)
    elif len(usable) == 1 and not later:
        data.expected_chapters = None
    history = _history(ctx, story)
    try:
        with transaction.atomic():
            work = work_create(user=user, data=data, chapters=first, post=post, history=history)
            for _, chapter_input in later:
                chapter_add(
                    user=user,
                    work=work,
                    data=chapter_input,
                    post=False,
                    expected_chapters=data.expected_chapters,
                )
            added = _coauthors(ctx, story, work, coauthors)
            ordered = [c for c, _ in usable if c.validated or not post] + [c for c, _ in later]
            _remember_story(ctx, story, work, ordered)
            if not post and history is not None:
                # A draft has no posting dates; its last change on eFiction is kept.
                Work.objects.filter(pk=work.pk).update(updated_at=history.revised_at)
                Chapter.objects.filter(work=work).update(updated_at=history.revised_at)
    except ValidationError as error:
        skip_all(validation_text(error), skipped_ids)
        return
    if later:
        report.decide(
            "Chapters not yet validated on eFiction are draft chapters at the end of "
            "their (posted) work."
        )
    if not story.validated:
        report.decide("Stories not validated on eFiction are drafts.")
    report.count("stories", MIGRATED)
    report.count("chapters", MIGRATED, len(usable))
    report.count("coauthors", MIGRATED, added)


def _remember_story(
    ctx: MigrationContext, story: r.Story, work: Work, ordered: list[r.Chapter]
) -> None:
    """Map the story to its work and each chapter, in the work's order, to its chapter."""
    chapter_ids = list(work.chapters.order_by("position").values_list("id", flat=True))
    ctx.remember(Kind.STORY, story.sid, work.pk, {"hits": story.hits, "wordcount": story.wordcount})
    chapter_mappings = EfictionMapping.objects.bulk_create(
        [
            EfictionMapping(
                archive=ctx.options.archive,
                kind=Kind.CHAPTER,
                efiction_id=chapter.chapid,
                object_id=chapter_id,
                data={"hits": chapter.hits} if chapter.hits else {},
            )
            for chapter, chapter_id in zip(ordered, chapter_ids, strict=True)
        ]
    )
    for mapping in chapter_mappings:
        ctx.mapped[(Kind.CHAPTER, mapping.efiction_id)] = mapping


def _chapter_text(ctx: MigrationContext, chapter: r.Chapter, story: r.Story) -> str:
    if chapter.storytext.strip():
        return chapter.storytext
    folder = ctx.options.stories_dir
    if folder is None:
        raise ImportFailed(
            f"chapter {chapter.chapid}",
            "has no text in the database; give the stories folder (--stories).",
        )
    # The file is under the chapter's author, or (in some archives) the story's.
    for uid in dict.fromkeys((chapter.uid, story.uid)):
        path = folder / str(uid) / f"{chapter.chapid}.txt"
        if path.is_file():
            return decode_text(path.read_bytes(), str(path))
    raise ImportFailed(
        f"chapter {chapter.chapid}",
        f"has no text in the database and no file {chapter.uid}/{chapter.chapid}.txt "
        "in the stories folder.",
    )


def _story_chapters(ctx: MigrationContext, story: r.Story) -> tuple[Usable, list[r.Chapter]]:
    """The chapters that can be posted (with their input), and those that cannot."""
    usable: Usable = []
    unusable: list[r.Chapter] = []
    for chapter in ctx.archive.chapters_of(story.sid):
        try:
            text = story_html(_chapter_text(ctx, chapter, story))
        except ImportFailed as error:
            ctx.report.skip("chapters", chapter.chapid, error.reason)
            unusable.append(chapter)
            continue
        if len(html_to_text(text).strip()) < limits.CHAPTER_TEXT_MIN:
            ctx.report.skip(
                "chapters",
                chapter.chapid,
                f"its text is shorter than {limits.CHAPTER_TEXT_MIN} characters.",
            )
            unusable.append(chapter)
            continue
        usable.append(
            (
                chapter,
                ChapterInput(
                    text=text,
                    title=chapter.title if chapter.title != story.title else "",
                    notes=notes_html(chapter.notes),
                    endnotes=notes_html(chapter.endnotes),
                ),
            )
        )
    return usable, unusable


def _work_input(
    ctx: MigrationContext, vocabulary: Vocabulary, story: r.Story, pseud: Pseud
) -> WorkInput:
    default_fandom = ctx.options.default_fandom
    fandoms = [vocabulary.category_names[c] for c in story.catids if c in vocabulary.category_names]
    if not fandoms:
        fandoms = [default_fandom]
        ctx.report.decide(f'Stories in no known category are in the fandom "{default_fandom}".')
    characters = [
        vocabulary.character_names[c] for c in story.charids if c in vocabulary.character_names
    ]
    warnings: list[str] = []
    freeforms: list[str] = []
    for class_id in story.classids:
        if class_id in vocabulary.warning_classes:
            warning = vocabulary.warning_classes[class_id]
            if warning not in warnings:
                warnings.append(warning)
        elif class_id in vocabulary.freeform_classes:
            freeforms.append(vocabulary.freeform_classes[class_id])
    if not warnings:
        warnings = [CHOSE_NOT_TO_WARN]
    elif len(warnings) > 1 and NO_WARNINGS in warnings:
        warnings.remove(NO_WARNINGS)
    rating = vocabulary.ratings.get(story.rid)
    if rating is None:
        rating = NOT_RATED
        ctx.report.decide(f'Stories with an unknown rating id are rated "{NOT_RATED}".')
    return WorkInput(
        title=story.title or f"Untitled story {story.sid}",
        rating=rating,
        warnings=warnings,
        fandoms=fandoms,
        characters=characters,
        freeforms=freeforms,
        summary=notes_html(story.summary),
        notes=notes_html(story.storynotes),
        expected_chapters=None,
        pseud_ids=[pseud.pk],
    )


def _coauthors(ctx: MigrationContext, story: r.Story, work: Work, rows: list[r.CoAuthor]) -> int:
    added = 0
    for row in rows:
        key = f"{story.sid}/{row.uid}"
        if row.uid == story.uid:
            ctx.report.skip("coauthors", key, "is the story's own author.")
            continue
        pseud = ctx.pseud_for_author(row.uid)
        if pseud is None:
            ctx.report.skip("coauthors", key, f"author {row.uid} was not migrated.")
            continue
        creator_add_migrated(work=work, pseud=pseud)
        added += 1
    return added


def _history(ctx: MigrationContext, story: r.Story) -> WorkHistory | None:
    """The story's dates, made consistent (none in the future, no update before posting).

    Without any, the author's join date stands in (the earliest the story can be).
    """
    now = timezone.now()
    posted = min(story.date, now) if story.date else None
    updated = min(story.updated, now) if story.updated else None
    posted = posted or updated
    if posted is None:
        joined = ctx.joined.get(story.uid)
        if joined is None:
            ctx.report.decide(
                f"Story {story.sid} ({story.title}) has no date on eFiction, nor has its "
                "author: it is dated from the migration."
            )
            return None
        posted = min(joined, now)
        ctx.report.decide(
            f"Story {story.sid} ({story.title}) has no date on eFiction: it is dated from "
            f"its author's join date ({posted:%Y-%m-%d})."
        )
    return WorkHistory(first_posted_at=posted, revised_at=max(updated or posted, posted))


def _settings(ctx: MigrationContext) -> None:
    """The site's settings row is read for where texts live and what ratings mean."""
    rows = len(ctx.archive.settings)
    if rows:
        ctx.report.count("settings", MAPPED)
    for row in range(2, rows + 1):
        ctx.report.skip("settings", row, "another site's settings: the first row's are used.")
