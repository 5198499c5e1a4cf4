"""Reviews, favourites and hits: the stage that writes through the engagement app.

- Reviews become comments (`comment_services.comment_import`: the old date kept, no
  notices, no rate limit, moderation or comment policy, as they are history). A story
  review goes on the chapter it names, or the first posted chapter when it names none;
  a series review (type SE) on the first posted chapter of the series' first posted
  work. A reviewer who is a migrated author comments as that user (their pen name's
  pseud); anyone else is a guest under the name they typed. A review without a date
  on eFiction (0 or NULL) takes its chapter's date, never the migration's.
- Review ratings (eFiction's `rating`, -1 for none) have no place on comments: they are
  kept per story and series in `EfictionReviewRatings` (recomputed from the whole
  archive on every run) and listed in the report. A review that is only a rating
  (eFiction writes the text "No Review") is not a comment: the report says its rating
  went to its story's ratings.
- Favourite stories and series become public bookmarks (no notes) by the reader's
  default pseud (`bookmark_create`); favourite authors become creator subscriptions
  (`subscription_create`). Neither tells anyone.
- Story hit counts (kept in the story's mapping) are added to the works' hit counts
  (`hit_services.hits_import`) once: the mapping then says `hits_added`, so works
  migrated before this stage existed get theirs on the next run.

Keys in `EfictionMapping`: a review by its id (kind "review", the comment's id); an
author's favourites in one row per author (kind "favorite", efiction_id the author's
uid, `data` the favourites done as "ST:12" / "SE:3" / "AU:5" -> the new object's id),
since eFiction's favourites table has no id. Every review and favourite ends as
migrated, already migrated or skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from fanarchive.core.text import html_to_text
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_import
from fanarchive.engagement.hit_services import hits_import
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.context import Kind, MigrationContext
from fanarchive.formats.efiction.report import ALREADY, MIGRATED
from fanarchive.formats.efiction.text import notes_html
from fanarchive.formats.errors import validation_text
from fanarchive.formats.models import EfictionMapping, EfictionReviewRatings
from fanarchive.works.models import Chapter, Series, SeriesWork, Work

_BATCH = 500


def _first_chapter(work: Work) -> Chapter | None:
    return work.chapters.filter(posted=True).order_by("position").first()


# -- reviews -> comments ----------------------------------------------------------------


def _review_chapter(ctx: MigrationContext, review: r.Review) -> tuple[Chapter | None, str]:
    """The chapter a review goes on, or None and why it cannot be migrated."""
    if review.type == "SE":
        series = ctx.series_for(review.item)
        if series is None:
            return None, f"series {review.item} was not migrated."
        entries = SeriesWork.objects.filter(series=series, work__posted=True).select_related("work")
        for entry in entries.order_by("position", "id"):
            chapter = _first_chapter(entry.work)
            if chapter is not None:
                return chapter, ""
        return None, f"series {review.item} has no posted work here."
    if review.type != "ST":
        return None, f'its type "{review.type}" is neither a story (ST) nor a series (SE).'
    work = ctx.work_for_story(review.item)
    if work is None:
        return None, f"story {review.item} was not migrated."
    if not work.posted:
        return None, f"story {review.item} is a draft here (not validated on eFiction)."
    if not review.chapid:
        chapter = _first_chapter(work)
        return (chapter, "") if chapter else (None, f"story {review.item} has no posted chapter.")
    old = ctx.archive.chapters.get(review.chapid)
    if old is not None and old.sid != review.item:
        return None, f"chapter {review.chapid} is not part of story {review.item}."
    chapter_id = ctx.object_id(Kind.CHAPTER, review.chapid)
    chapter = Chapter.objects.filter(pk=chapter_id, work=work).first() if chapter_id else None
    if chapter is None:
        return None, f"chapter {review.chapid} was not migrated."
    if not chapter.posted:
        return None, f"chapter {review.chapid} is a draft here (not validated on eFiction)."
    return chapter, ""


def _reviewer_name(ctx: MigrationContext, review: r.Review) -> str:
    name = review.reviewer.strip()
    if name and name != "0":
        return name
    author = ctx.archive.authors.get(review.uid)
    return author.penname if author else ""


# What eFiction writes as the text of a review that only rates.
RATING_ONLY_TEXT = "no review"


def rating_of(review: r.Review, scale: int) -> int | None:
    """The rating a review gave, or None: -1 (or NULL) is none, and 0 is a rating only
    where eFiction's setting made ratings "liked" (1) or "disliked" (0)."""
    rating = review.rating
    if rating is None or rating < 0 or (rating == 0 and scale != r.RATINGS_LIKES):
        return None
    return rating


def _rated_item(ctx: MigrationContext, review: r.Review) -> tuple[bool, str]:
    """Whether the story or series a review rated was migrated, or why not."""
    if review.type == "SE":
        found = ctx.object_id(Kind.SERIES, review.item) is not None
        return found, "" if found else f"series {review.item} was not migrated."
    if review.type != "ST":
        return False, f'its type "{review.type}" is neither a story (ST) nor a series (SE).'
    found = ctx.object_id(Kind.STORY, review.item) is not None
    return found, "" if found else f"story {review.item} was not migrated."


def _rating_only(ctx: MigrationContext, review: r.Review) -> None:
    """A review without words: its rating (if any) is kept with the item's ratings."""
    what = "story" if review.type == "ST" else "series"
    if rating_of(review, ctx.archive.site.ratings) is None:
        ctx.report.skip("reviews", review.reviewid, "has no text and no rating.")
        return
    found, reason = _rated_item(ctx, review)
    if not found:
        ctx.report.skip("reviews", review.reviewid, reason)
        return
    ctx.report.fold(
        "reviews",
        review.reviewid,
        f'only a rating (eFiction\'s "No Review"): not a comment; the rating is kept '
        f"with {what} {review.item}'s review ratings.",
    )


def reviews_migrate(ctx: MigrationContext) -> None:
    now = timezone.now()
    for review in sorted(ctx.archive.reviews, key=lambda x: x.reviewid):
        ctx.progress("reviews", 1)
        if (Kind.REVIEW, review.reviewid) in ctx.mapped:
            ctx.report.count("reviews", ALREADY)
            continue
        text = notes_html(review.review)
        words = html_to_text(text).strip()
        if not words or words.casefold() == RATING_ONLY_TEXT:
            _rating_only(ctx, review)
            continue
        chapter, reason = _review_chapter(ctx, review)
        if chapter is None:
            ctx.report.skip("reviews", review.reviewid, reason)
            continue
        user = ctx.user_for_author(review.uid) if review.uid else None
        pseud = ctx.pseud_for_author(review.uid) if user is not None else None
        if review.date is None:
            ctx.report.decide(
                "Reviews without a date on eFiction (0 or NULL) are dated from the chapter "
                "they are on."
            )
        try:
            with transaction.atomic():
                comment = comment_import(
                    chapter=chapter,
                    text=text,
                    created_at=min(review.date, now) if review.date else _chapter_date(chapter),
                    user=user,
                    pseud=pseud,
                    guest_name="" if user else _reviewer_name(ctx, review),
                )
                ctx.remember(Kind.REVIEW, review.reviewid, comment.pk)
        except ValidationError as error:
            ctx.report.skip("reviews", review.reviewid, validation_text(error))
            continue
        ctx.report.count("reviews", MIGRATED)
        if user is None and review.uid:
            ctx.report.decide(
                "Reviews by authors who were not migrated are guest comments under the "
                "reviewer's name."
            )
        if review.type == "SE":
            ctx.report.decide(
                "Series reviews are comments on the first chapter of the series' first work."
            )
        elif not review.chapid:
            ctx.report.decide("Story reviews that name no chapter are on the first chapter.")


def _chapter_date(chapter: Chapter) -> dt.datetime:
    """When a chapter was posted (the date a review without one stands in for)."""
    return chapter.published_at or chapter.work.first_posted_at or chapter.created_at


# -- review ratings -------------------------------------------------------------------------

_SCALES = {r.RATINGS_SCORES: "1 to 10", r.RATINGS_LIKES: "liked (1) or disliked (0)"}
_STORY, _SERIES = EfictionReviewRatings.Kind.STORY, EfictionReviewRatings.Kind.SERIES


def ratings_migrate(ctx: MigrationContext) -> None:
    """Keep each migrated story's and series' review ratings (counts and average)."""
    scale = ctx.archive.site.ratings
    given: dict[tuple[str, int], Counter[int]] = {}
    for review in ctx.archive.reviews:
        rating = rating_of(review, scale)
        if rating is not None and review.type in {"ST", "SE"}:
            key = (_STORY if review.type == "ST" else _SERIES, review.item)
            given.setdefault(key, Counter())[rating] += 1
    archive = ctx.options.archive
    kept = {
        (k.kind, k.efiction_id): k for k in EfictionReviewRatings.objects.filter(archive=archive)
    }
    works = Work.objects.in_bulk(_object_ids(ctx, Kind.STORY, given, _STORY))
    series = Series.objects.in_bulk(_object_ids(ctx, Kind.SERIES, given, _SERIES))
    new: list[EfictionReviewRatings] = []
    changed: list[EfictionReviewRatings] = []
    now = timezone.now()
    for (kind, item), counts in sorted(given.items()):
        if kind == _STORY:
            work, part = works.get(ctx.object_id(Kind.STORY, item) or 0), None
            old_title = ctx.archive.stories[item].title if item in ctx.archive.stories else ""
        else:
            work, part = None, series.get(ctx.object_id(Kind.SERIES, item) or 0)
            old_title = ctx.archive.series[item].title if item in ctx.archive.series else ""
        if work is None and part is None:
            continue  # not migrated: each of its reviews is named in the report
        row = kept.get((kind, item)) or EfictionReviewRatings(
            archive=archive, kind=kind, efiction_id=item
        )
        row.work, row.series, row.title = work, part, old_title[:255]
        row.ratings = {str(value): counts[value] for value in sorted(counts)}
        row.count = sum(counts.values())
        row.average = sum(value * n for value, n in counts.items()) / row.count
        row.scale = _SCALES.get(scale, "")
        row.updated_at = now
        (new if row.pk is None else changed).append(row)
        ctx.report.review_ratings.append(
            {
                "kind": kind,
                "efiction_id": item,
                "title": row.title,
                "count": row.count,
                "average": round(row.average, 2),
                "ratings": row.ratings,
            }
        )
    fields = ["work", "series", "title", "ratings", "count", "average", "scale", "updated_at"]
    with transaction.atomic():
        EfictionReviewRatings.objects.bulk_create(new, batch_size=_BATCH)
        EfictionReviewRatings.objects.bulk_update(changed, fields, batch_size=_BATCH)
    if ctx.report.review_ratings:
        ctx.report.decide(
            "Review ratings have no place on comments: each migrated story's and series' "
            "ratings (how many of each, count, average) are kept in the admin's eFiction "
            "review ratings."
        )


def _object_ids(
    ctx: MigrationContext, kind: str, given: dict[tuple[str, int], Counter[int]], of: str
) -> list[int]:
    ids = (ctx.object_id(kind, item) for rated, item in given if rated == of)
    return [i for i in ids if i is not None]


# -- favourites -> bookmarks and subscriptions --------------------------------------------


def _favorite_create(ctx: MigrationContext, favorite: r.Favorite) -> tuple[int | None, str]:
    """Bookmark or subscribe for one favourite: the new object's id, or None and why not."""
    user = ctx.user_for_author(favorite.uid)
    if user is None:
        return None, f"author {favorite.uid} was not migrated."
    if favorite.type == "AU":
        creator = ctx.user_for_author(favorite.item)
        if creator is None:
            return None, f"author {favorite.item} was not migrated."
        return subscription_create(user=user, creator=creator).pk, ""
    pseud = user.default_pseud
    if favorite.type == "ST":
        work = ctx.work_for_story(favorite.item)
        if work is None:
            return None, f"story {favorite.item} was not migrated."
        if not work.posted:
            return None, f"story {favorite.item} is a draft here (not validated on eFiction)."
        try:
            return bookmark_create(user=user, pseud=pseud, work=work).pk, ""
        except (Http404, PermissionDenied):
            return None, f"story {favorite.item} cannot be seen by author {favorite.uid}."
    if favorite.type == "SE":
        series = ctx.series_for(favorite.item)
        if series is None:
            return None, f"series {favorite.item} was not migrated."
        try:
            return bookmark_create(user=user, pseud=pseud, series=series).pk, ""
        except Http404:
            return None, f"series {favorite.item} has no work author {favorite.uid} can see."
    return None, f'its type "{favorite.type}" is not a story, series or author (ST, SE, AU).'


def favorites_migrate(ctx: MigrationContext) -> None:
    seen: set[tuple[int, str]] = set()
    with_comments = 0
    for favorite in ctx.archive.favorites:
        ctx.progress("favorites", 1)
        key = f"{favorite.type}:{favorite.item}"
        label = f"{favorite.uid}/{favorite.type}/{favorite.item}"
        if (favorite.uid, key) in seen:
            ctx.report.skip("favorites", label, "appears twice: the first is kept.")
            continue
        seen.add((favorite.uid, key))
        done = ctx.mapped.get((Kind.FAVORITE, favorite.uid))
        if done is not None and key in done.data:
            ctx.report.count("favorites", ALREADY)
            continue
        try:
            with transaction.atomic():
                object_id, reason = _favorite_create(ctx, favorite)
                if object_id is not None:
                    if done is None:
                        user_id = ctx.mapped[(Kind.AUTHOR, favorite.uid)].object_id
                        ctx.remember(Kind.FAVORITE, favorite.uid, user_id, {key: object_id})
                    else:
                        done.data = {**done.data, key: object_id}
                        done.save(update_fields=["data"])
        except ValidationError as error:
            object_id, reason = None, validation_text(error)
        if object_id is None:
            ctx.report.skip("favorites", label, reason)
            continue
        ctx.report.count("favorites", MIGRATED)
        if favorite.comments.strip():
            with_comments += 1
        ctx.report.decide(
            "Favourite stories and series are public bookmarks (without notes) by the "
            "reader's default pseud; favourite authors are subscriptions to them."
        )
    if with_comments:
        ctx.report.decide(
            f"{with_comments} favourite(s) had a comment; bookmarks are made without notes, "
            "so the comments are not kept."
        )


# -- hits ---------------------------------------------------------------------------------


def hits_migrate(ctx: MigrationContext) -> None:
    """Add each migrated story's eFiction hits to its work's hit count, once."""
    waiting = sorted(
        (
            m
            for (kind, _), m in ctx.mapped.items()
            if kind == Kind.STORY and m.data.get("hits") and not m.data.get("hits_added")
        ),
        key=lambda m: m.efiction_id,
    )
    for start in range(0, len(waiting), _BATCH):
        batch = waiting[start : start + _BATCH]
        existing = set(
            Work.objects.filter(pk__in=[m.object_id for m in batch]).values_list("pk", flat=True)
        )
        batch = [m for m in batch if m.object_id in existing]
        with transaction.atomic():
            ctx.report.hits += hits_import(hits={m.object_id: int(m.data["hits"]) for m in batch})
            for mapping in batch:
                mapping.data = {**mapping.data, "hits_added": True}
            EfictionMapping.objects.bulk_update(batch, ["data"])


def engagement_migrate(ctx: MigrationContext) -> None:
    reviews_migrate(ctx)
    ratings_migrate(ctx)
    favorites_migrate(ctx)
    hits_migrate(ctx)
