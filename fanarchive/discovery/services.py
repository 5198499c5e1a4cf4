"""Writes of the discovery app: the catalogue change log, search documents, mutes, saved filters."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fanarchive.accounts.models import User
from fanarchive.core.text import clean_line, html_to_text
from fanarchive.discovery.models import (
    CatalogueChange,
    MutedCreator,
    MutedTag,
    SavedFilter,
    SearchDocument,
)
from fanarchive.discovery.tagging import filed_under
from fanarchive.tags.models import Tag

# PostgreSQL's tsvector has a 1 MB limit; the first ~50,000 words of a work are searchable.
BODY_MAX = 300_000
SAVED_FILTERS_MAX = 100
MUTES_MAX = 1000


def catalogue_work_changed(*, work_id: int) -> None:
    """Log that a work's listing data changed (tags, visibility, counts, existence).

    Call inside the transaction that makes the change. Also rewrites the work's
    search document in that transaction, so search never lags behind the work.
    """
    CatalogueChange.objects.create(work_id=work_id)
    search_document_refresh(work_id=work_id)


@dataclass
class WorkText:
    """What a work's search document is made of: its fields, creators, tags and chapters.

    `creators` are (pseud name, user name) in byline order; `tags` the work's own
    tags (what they imply through wrangling is added here); `chapters` the posted
    chapters in order, as (title, summary, notes, end notes, content) with the
    summaries, notes and content as stored HTML.
    """

    title: str
    summary: str
    notes: str
    endnotes: str
    creators: list[tuple[str, str]]
    tags: list[Tag]
    chapters: list[tuple[str, str, str, str, str]]


def catalogue_work_created(*, work_id: int, text: WorkText | None) -> None:
    """`catalogue_work_changed` for a work created in this transaction, from what the
    posting service has in memory: the same change-log entry, and for a posted work
    (`text` given; None for a draft) the same search document, without reading back
    what was just written."""
    CatalogueChange.objects.create(work_id=work_id)
    if text is not None:
        SearchDocument.objects.create(work_id=work_id, **_document_fields(text))


def _plain(html: str) -> str:
    return html_to_text(html).strip()


def _tag_names(tags: list[Tag]) -> str:
    """The names of the tags and of everything they imply, ordered as tags are."""
    known = {tag.pk: tag for tag in tags}
    wanted = filed_under(tags)
    if wanted - known.keys():
        known.update(Tag.objects.in_bulk(wanted - known.keys()))
    found = sorted((known[pk] for pk in wanted), key=lambda t: (str(t.type), t.sort_order, t.name))
    return " ; ".join(tag.name for tag in found)


def _document_fields(text: WorkText) -> dict[str, str]:
    parts: list[str] = []
    size = 0
    for title, summary, notes, endnotes, content in text.chapters:
        for part in (title, _plain(summary), _plain(notes), _plain(content), _plain(endnotes)):
            if part and size < BODY_MAX:
                parts.append(part[: BODY_MAX - size])
                size += len(parts[-1]) + 2
    return {
        "title": text.title,
        "creators": " ; ".join(f"{name} {username}" for name, username in text.creators),
        "tags": _tag_names(text.tags),
        "summary": _plain(text.summary),
        "notes": " ".join(filter(None, (_plain(text.notes), _plain(text.endnotes)))),
        "body": "\n\n".join(parts),
    }


def search_document_refresh(*, work_id: int) -> None:
    """Rewrite the searchable text of a work: posted works only, drafts are never searchable."""
    from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag

    work = Work.objects.filter(pk=work_id, posted=True).first()
    if work is None:
        SearchDocument.objects.filter(work_id=work_id).delete()
        return
    text = WorkText(
        title=work.title,
        summary=work.summary,
        notes=work.notes,
        endnotes=work.endnotes,
        creators=list(
            Creatorship.objects.filter(work_id=work_id).values_list(
                "pseud__name", "pseud__user__username"
            )
        ),
        tags=list(
            Tag.objects.filter(pk__in=WorkTag.objects.filter(work_id=work_id).values("tag_id"))
        ),
        chapters=list(
            Chapter.objects.filter(work_id=work_id, posted=True)
            .order_by("position")
            .values_list("title", "summary", "notes", "endnotes", "content")
        ),
    )
    SearchDocument.objects.update_or_create(work_id=work_id, defaults=_document_fields(text))


# -- mutes --------------------------------------------------------------------


def _require_self(user: User, owner: User) -> None:
    if not user.is_authenticated or user.pk != owner.pk:
        raise PermissionDenied("You can only change your own mutes and filters.")


def mute_tag_add(*, user: User, owner: User, tag_id: int) -> MutedTag:
    """Mute a tag for `owner`: its works vanish from every listing, search, feed and count."""
    _require_self(user, owner)
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise ValidationError({"tag": ["There is no such tag."]})
    if MutedTag.objects.filter(user=owner).count() >= MUTES_MAX:
        raise ValidationError({"tag": [f"You can mute at most {MUTES_MAX} tags."]})
    with transaction.atomic():
        muted, _ = MutedTag.objects.get_or_create(user=owner, tag=tag)
    return muted


def mute_tag_remove(*, user: User, owner: User, tag_id: int) -> None:
    _require_self(user, owner)
    with transaction.atomic():
        MutedTag.objects.filter(user=owner, tag_id=tag_id).delete()


def mute_creator_add(*, user: User, owner: User, username: str) -> MutedCreator:
    """Mute an account: works by any of its pseuds vanish for `owner`."""
    _require_self(user, owner)
    creator = User.objects.filter(username__iexact=username.strip()).first()
    if creator is None:
        raise ValidationError({"username": [f'There is no account called "{username}".']})
    if creator.pk == owner.pk:
        raise ValidationError({"username": ["You cannot mute yourself."]})
    if MutedCreator.objects.filter(user=owner).count() >= MUTES_MAX:
        raise ValidationError({"username": [f"You can mute at most {MUTES_MAX} creators."]})
    with transaction.atomic():
        muted, _ = MutedCreator.objects.get_or_create(user=owner, creator=creator)
    return muted


def mute_creator_remove(*, user: User, owner: User, creator_id: int) -> None:
    _require_self(user, owner)
    with transaction.atomic():
        MutedCreator.objects.filter(user=owner, creator_id=creator_id).delete()


# -- saved filters ------------------------------------------------------------


def clean_query_string(query_string: str) -> str:
    """The filter part of a query string: no page number, blanks dropped, order kept."""
    pairs = [
        (key, value)
        for key, value in parse_qsl(query_string.lstrip("?"), keep_blank_values=False)
        if key not in {"page", "after", "csrfmiddlewaretoken", "name"}
    ]
    return urlencode(pairs)


def saved_filter_create(*, user: User, owner: User, name: str, query_string: str) -> SavedFilter:
    _require_self(user, owner)
    name = " ".join(clean_line(name).split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Please give the filter a name."]
    elif len(name) > 100:
        errors["name"] = ["Filter names can be at most 100 characters."]
    elif SavedFilter.objects.filter(user=owner, name__iexact=name).exists():
        errors["name"] = [f'You already have a filter called "{name}".']
    if SavedFilter.objects.filter(user=owner).count() >= SAVED_FILTERS_MAX:
        errors.setdefault("name", []).append(
            f"You can keep at most {SAVED_FILTERS_MAX} filters; delete one first."
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(
                user=owner, name=name, query_string=clean_query_string(query_string)
            )
    except IntegrityError as error:
        raise ValidationError({"name": [f'You already have a filter called "{name}".']}) from error


def saved_filter_delete(*, user: User, saved: SavedFilter) -> None:
    _require_self(user, saved.user)
    with transaction.atomic():
        saved.delete()
