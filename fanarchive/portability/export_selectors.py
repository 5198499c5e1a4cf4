"""Reads of data exports: a person's exports, the one they may download, and, record by
record, everything of theirs that goes into the zip (docs/export-schema.md).

Every record is built from rows that belong to the person (their account, pseuds, works,
comments, bookmarks, kudos, history, subscriptions, inbox). Others' works appear only by id,
with their title when the person may still see the work (`work_shown_to`), never their words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Block, Preference, Pseud, User
from fanarchive.discovery.models import ListingPreference, MutedCreator, MutedTag, SavedFilter
from fanarchive.engagement.inbox_selectors import work_shown_to
from fanarchive.engagement.models import (
    Bookmark,
    Comment,
    Kudos,
    Notice,
    ReadingHistory,
    ReadingListEntry,
    Subscription,
)
from fanarchive.formats.selectors import ExportDocument, export_document
from fanarchive.portability.models import DataExport, ExportState
from fanarchive.works.models import ChapterRevision, SeriesWork, Work, WorkRevision
from fanarchive.works.revision_services import work_snapshot
from fanarchive.works.selectors import with_blurb_data

if TYPE_CHECKING:
    AnyUser = User | AnonymousUser

SCHEMA = "fanarchive-export/1"
KEEP_FOR = dt.timedelta(days=7)
REQUESTS_PER_DAY = 3
# An export still "requested" this long after it was asked for is taken as lost (its
# worker died for good): the person may ask again.
STALE_AFTER = dt.timedelta(hours=6)
CHUNK = 500


def exports_dir() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def export_file(export: DataExport) -> Path:
    return Path(settings.DATA_DIR) / export.path


def exports_of(user: User) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-id")


def downloadable(export: DataExport, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        export.state == ExportState.READY
        and export.expires_at is not None
        and export.expires_at > now
        and bool(export.path)
    )


def export_for_download(viewer: AnyUser, username: str, export_id: int) -> DataExport:
    """The viewer's own ready export; 404 for anyone else's, or once it has expired."""
    if not viewer.is_authenticated:
        raise Http404(_("No such export."))
    export = DataExport.objects.filter(
        pk=export_id, user_id=viewer.pk, user__username__iexact=username
    ).first()
    if export is None or not downloadable(export) or not export_file(export).is_file():
        raise Http404(_("No such export, or it has expired."))
    return export


def requests_since(user: User, since: dt.datetime) -> int:
    return DataExport.objects.filter(user=user, requested_at__gte=since).count()


# -- what goes into the zip ------------------------------------------------------------


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _shown(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`work_shown` on rows with a `work_id`: may `user` still see that work's title?"""
    shown: QuerySet[Any] = queryset.annotate(work_shown=work_shown_to(user))
    return shown


def _work_ref(row: Any) -> dict[str, Any] | None:
    if row.work_id is None:
        return None
    shown = bool(getattr(row, "work_shown", False))
    return {"id": row.work_id, "title": row.work.title if shown else None}


def profile_record(user: User) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "username": user.username,
        "email": user.email,
        "about": user.about,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "adult_confirmed_at": _when(user.adult_confirmed_at),
        "age_verified_at": _when(user.age_verified_at),
        "two_factor": hasattr(user, "two_factor") and user.two_factor.confirmed_at is not None,
    }


def pseuds_record(user: User) -> dict[str, Any]:
    pseuds = Pseud.objects.filter(user=user).order_by("created_at", "id")
    return {
        "schema": SCHEMA,
        "pseuds": [
            {
                "name": p.name,
                "description": p.description,
                "is_default": p.is_default,
                "created_at": _when(p.created_at),
            }
            for p in pseuds
        ],
    }


def preferences_record(user: User) -> dict[str, Any]:
    preference = Preference.objects.filter(user=user).first()
    if preference is None:
        preference = Preference(user=user)  # never saved: the defaults
    values = {
        field.name: getattr(preference, field.attname)
        for field in Preference._meta.concrete_fields
        if field.name not in ("id", "user")
    }
    return {"schema": SCHEMA, "preferences": values}


def owned_work_ids(user: User) -> list[int]:
    """Every work the person is a creator of, in any state (drafts, restricted, hidden)."""
    return list(Work.objects.by_user(user).order_by("id").values_list("id", flat=True))


def owned_work(user: User, work_id: int) -> Work | None:
    """One of the person's works with what its files need; None if it went meanwhile."""
    return with_blurb_data(Work.objects.by_user(user).filter(pk=work_id)).first()


def owner_document(work: Work) -> ExportDocument:
    """The download document of the work with every chapter, posted or draft: its
    creator's copy (a reader's download has the posted chapters only)."""
    return export_document(work, drafts=True)


def work_record(user: User, work: Work) -> dict[str, Any]:
    data = work_snapshot(work)
    series = SeriesWork.objects.filter(work=work).select_related("series").order_by("series_id")
    return {
        "schema": SCHEMA,
        "id": work.pk,
        **data,
        "creators": [c.pseud.byline for c in work.creatorships.all()],
        "your_pseuds": [
            c.pseud.name for c in work.creatorships.all() if c.pseud.user_id == user.pk
        ],
        "posted": work.posted,
        "comment_policy": work.comment_policy,
        "moderated_comments": work.moderated_comments,
        "anonymous": work.anonymous,
        "hidden_by_admin": work.hidden_by_admin,
        "hidden_reason": work.hidden_reason,
        "skin_css": work.skin_css,
        "complete": work.complete,
        "word_count": work.word_count,
        "created_at": _when(work.created_at),
        "first_posted_at": _when(work.first_posted_at),
        "updated_at": _when(work.updated_at),
        "chapters": [
            {
                "id": c.pk,
                "position": c.position,
                "title": c.title,
                "posted": c.posted,
                "published_at": _when(c.published_at),
                "word_count": c.word_count,
                "text_format": c.text_format,
            }
            for c in work.chapters.order_by("position")
        ],
        "series": [
            {"id": e.series_id, "title": e.series.title, "position": e.position} for e in series
        ],
    }


def revisions_record(user: User, work: Work) -> dict[str, Any]:
    work_revisions = WorkRevision.objects.filter(work=work).order_by("created_at", "id")
    chapter_revisions = (
        ChapterRevision.objects.filter(chapter__work=work)
        .select_related("chapter")
        .order_by("chapter__position", "created_at", "id")
    )
    return {
        "schema": SCHEMA,
        "work_id": work.pk,
        "work_revisions": [
            {
                "id": r.pk,
                "created_at": _when(r.created_at),
                "by_you": r.created_by_id == user.pk,
                "restored_from": r.restored_from_id,
                "data": r.data,
            }
            for r in work_revisions.iterator(chunk_size=CHUNK)
        ],
        "chapter_revisions": [
            {
                "id": r.pk,
                "chapter_id": r.chapter_id,
                "chapter_position": r.chapter.position,
                "created_at": _when(r.created_at),
                "by_you": r.created_by_id == user.pk,
                "restored_from": r.restored_from_id,
                "title": r.title,
                "summary": r.summary,
                "notes": r.notes,
                "endnotes": r.endnotes,
                "text_format": r.text_format,
                "source": r.source,
                "word_count": r.word_count,
            }
            for r in chapter_revisions.iterator(chunk_size=CHUNK)
        ],
    }


def comments_written(user: User) -> Iterator[dict[str, Any]]:
    comments = _shown(user, Comment.objects.filter(user=user)).select_related(
        "work", "chapter", "pseud"
    )
    for c in comments.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "id": c.pk,
            "work": _work_ref(c),
            "chapter_position": c.chapter.position if c.work_shown else None,
            "reply_to": c.parent_id,
            "pseud": c.pseud.name if c.pseud is not None else None,
            "text": c.text,
            "state": c.state,
            "deleted": c.deleted,
            "hidden_reason": c.hidden_reason,
            "created_at": _when(c.created_at),
            "edited_at": _when(c.edited_at),
        }


def bookmarks_made(user: User) -> Iterator[dict[str, Any]]:
    series_shown = Exists(
        SeriesWork.objects.filter(series_id=OuterRef("series_id")).filter(
            Q(work__in=Work.objects.visible_to(user).values("id"))
            | Q(work__in=Work.objects.by_user(user).values("id"))
        )
    )
    bookmarks = (
        _shown(user, Bookmark.objects.filter(user=user))
        .annotate(series_shown=series_shown)
        .select_related("work", "series", "pseud")
        .prefetch_related("tags")
    )
    for b in bookmarks.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        series = None
        if b.series_id is not None:
            series = {"id": b.series_id, "title": b.series.title if b.series_shown else None}
        yield {
            "id": b.pk,
            "work": _work_ref(b),
            "series": series,
            "pseud": b.pseud.name,
            "notes": b.notes,
            "tags": sorted(t.name for t in b.tags.all()),
            "private": b.private,
            "rec": b.rec,
            "created_at": _when(b.created_at),
            "updated_at": _when(b.updated_at),
        }


def kudos_given(user: User) -> Iterator[dict[str, Any]]:
    kudos = _shown(user, Kudos.objects.filter(user=user)).select_related("work")
    for k in kudos.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {"work": _work_ref(k), "created_at": _when(k.created_at)}


def history_entries(user: User) -> Iterator[dict[str, Any]]:
    history = _shown(user, ReadingHistory.objects.filter(user=user)).select_related("work")
    for h in history.order_by("id").iterator(chunk_size=CHUNK):
        yield {
            "work": _work_ref(h),
            "visits": h.visits,
            "last_read_at": _when(h.last_read_at),
            "last_chapter_id": h.chapter_id if h.work_shown else None,
            "marked_for_later": h.marked_for_later,
        }


def reading_list_entries(user: User) -> Iterator[dict[str, Any]]:
    entries = _shown(user, ReadingListEntry.objects.filter(user=user)).select_related("work")
    for e in entries.order_by("added_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "work": _work_ref(e),
            "status": e.status,
            "added_at": _when(e.added_at),
            "changed_at": _when(e.changed_at),
            "last_chapter_id": e.chapter_id if e.work_shown else None,
        }


def subscriptions_held(user: User) -> Iterator[dict[str, Any]]:
    subscriptions = _shown(user, Subscription.objects.filter(user=user)).select_related(
        "work", "creator", "series"
    )
    for s in subscriptions.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "kind": s.kind,
            "work": _work_ref(s),
            "creator": s.creator.username if s.creator is not None else None,
            "series": (
                {"id": s.series_id, "title": s.series.title} if s.series is not None else None
            ),
            "created_at": _when(s.created_at),
        }


def muting_record(user: User) -> dict[str, Any]:
    """What the person keeps out of their sight, and the filters they saved: their
    mutes (with the fandoms a scoped one is limited to), blocks, listing preferences and
    saved filters (with whether they send alerts)."""
    listing = ListingPreference.objects.filter(user=user).first()
    tags = MutedTag.objects.filter(user=user).select_related("tag").prefetch_related("fandoms")
    creators = (
        MutedCreator.objects.filter(user=user).select_related("creator").prefetch_related("fandoms")
    )
    blocks = Block.objects.filter(blocker=user).select_related("blocked")
    filters = SavedFilter.objects.filter(user=user).select_related("alert")
    return {
        "schema": SCHEMA,
        "muted_tags": [
            {
                "tag": m.tag.name,
                "type": m.tag.type,
                "only_in_fandoms": sorted(f.name for f in m.fandoms.all()),
                "created_at": _when(m.created_at),
            }
            for m in tags.order_by("created_at", "id")
        ],
        "muted_creators": [
            {
                "creator": m.creator.username,
                "only_in_fandoms": sorted(f.name for f in m.fandoms.all()),
                "created_at": _when(m.created_at),
            }
            for m in creators.order_by("created_at", "id")
        ],
        "hide_anonymous": listing.hide_anonymous if listing else False,
        "hide_crossovers": listing.hide_crossovers if listing else False,
        "blocked": [
            {"username": b.blocked.username, "created_at": _when(b.created_at)}
            for b in blocks.order_by("created_at", "id")
        ],
        "saved_filters": [
            {
                "name": f.name,
                "query_string": f.query_string,
                "alerts": hasattr(f, "alert"),
                "created_at": _when(f.created_at),
            }
            for f in filters.order_by("created_at", "id")
        ],
    }


def inbox_notices(user: User) -> Iterator[dict[str, Any]]:
    """The notices the inbox shows them (not those of works they may no longer see)."""
    notices = Notice.objects.filter(work_shown_to(user), recipient=user)
    for n in notices.order_by("created_at", "id").iterator(chunk_size=CHUNK):
        yield {
            "id": n.pk,
            "kind": n.kind,
            "subject": n.subject,
            "body": n.body,
            "url": n.url,
            "work_id": n.work_id,
            "read_at": _when(n.read_at),
            "created_at": _when(n.created_at),
        }
