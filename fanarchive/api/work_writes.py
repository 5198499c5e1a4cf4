"""/api/v1/works: posting and editing works and chapters, with `WorkInput` and `ChapterInput`
(whose fields `works.inputs` defines once, and these schemas are built from), so a work
posted here is stored as the posting form stores it."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema, Status
from pydantic import create_model

from fanarchive.api.auth import WRITE, Caller, caller_of
from fanarchive.api.errors import ApiProblem, problem_responses, validation_errors
from fanarchive.api.params import Count, Id
from fanarchive.api.schemas import (
    ChapterOut,
    WorkDetailOut,
    chapter_out,
)

# The same router as reading: one path, /works, takes GET there and POST here.
from fanarchive.api.works import WRITE_ERRORS, router, work_detail_out
from fanarchive.core.views import site_url
from fanarchive.works import selectors as works
from fanarchive.works import services
from fanarchive.works.chapter_versions import ChapterEditConflict
from fanarchive.works.inputs import (
    ChapterInput,
    WorkInput,
    chapter_input_of,
    main_relationships_kept,
    work_input_of,
)
from fanarchive.works.models import Chapter, Work
from fanarchive.works.new_accounts import WorkRateLimited

# -- posting and editing ------------------------------------------------------------------


# What the API says of the posting fields, besides their names and types (which come from
# `works.inputs`, the one definition of a work's editable fields).
FIELD_HELP = {
    "text_format": '"html", "markdown" or "plain"',
    "rating": 'e.g. "General Audiences"',
    "warnings": 'e.g. ["No Archive Warnings Apply"]',
    "comment_policy": 'Who may comment: "everyone", "registered" or "nobody"',
    "moderated_comments": "New comments wait for a creator's approval",
    "anonymous": 'Post anonymously: others see "Anonymous" as the creator',
    "expected_chapters": "null is AO3's ?: not known yet",
    "pseud_ids": "Your pseuds; empty: your default pseud",
    "gifts": "Recipients; null leaves gifts as they are",
    "collections": "Collection names to be in (removing one takes the work out); null: unchanged",
    "main_relationships": "Which of `relationships` are main; null or empty: the first one",
}


def _empty(kind: Any) -> Any:
    """The blank a required field gets in the API: the service says what is missing."""
    return [] if get_origin(kind) is list else ""


def _bounded(kind: Any) -> Any:
    """`kind` with each `int` a `Count`, which a database column can hold (api.params)."""
    if kind is int:
        return Count
    args = get_args(kind)
    if get_origin(kind) is list:
        return list[_bounded(args[0])]  # type: ignore[misc]
    if get_origin(kind) in {Union, UnionType}:
        return reduce(operator.or_, [_bounded(arg) for arg in args])
    return kind


def schema_of(source: type, *, name: str, partial: bool = False) -> type[Schema]:
    """A schema with `source`'s fields (a dataclass of `works.inputs`): with its defaults,
    or, `partial`, every field optional and None when not sent (for PATCH)."""
    hints = get_type_hints(source)
    specs: dict[str, Any] = {}
    for spec in dataclasses.fields(source):
        kind = _bounded(hints[spec.name])
        if partial:
            kind, default = kind | None, None
        elif spec.default is not dataclasses.MISSING:
            default = spec.default
        elif spec.default_factory is not dataclasses.MISSING:
            default = spec.default_factory()
        else:
            default = _empty(kind)
        specs[spec.name] = (kind, Field(default, description=FIELD_HELP.get(spec.name)))
    return create_model(name, __base__=Schema, **specs)


# Built from `works.inputs` when the module loads (mypy sees them as Any, so the classes
# below subclass Any: `type: ignore[misc]`).
ChapterIn: Any = schema_of(ChapterInput, name="ChapterIn")
WorkFields: Any = schema_of(WorkInput, name="WorkFields")
WorkPatchIn: Any = schema_of(WorkInput, name="WorkPatchIn", partial=True)
ChapterFieldsPatch: Any = schema_of(ChapterInput, name="ChapterFieldsPatch", partial=True)


class WorkCreateIn(WorkFields):  # type: ignore[misc]
    chapters: list[ChapterIn] = Field([], description="At least one chapter")
    post: bool = Field(True, description="false keeps the work as a draft")


class ChapterCreateIn(ChapterIn):  # type: ignore[misc]
    post: bool = Field(True, description="false keeps the chapter as a draft")
    expected_chapters: Count | None = Field(
        None, description="The work's expected chapters; omitted: unchanged; null: ?"
    )


class ChapterPatchIn(ChapterFieldsPatch):  # type: ignore[misc]
    post: bool = Field(False, description="Post this chapter if it is a draft of a posted work")
    base_version: str | None = Field(
        None,
        description="The chapter's `version` your edit starts from: if someone has saved "
        "the chapter since, the PATCH is refused with 409 edit-conflict",
    )


# PATCH: fields that may be sent as null, because None is one of their values in
# `works.inputs` (not "unchanged").
NULLABLE = {
    name
    for source in (WorkInput, ChapterInput)
    for name, kind in get_type_hints(source).items()
    if type(None) in get_args(kind)
}


def _patched(current: Any, payload: Schema, *, skip: frozenset[str] = frozenset()) -> Any:
    """`current` (an input of `works.inputs`) with the fields the payload sent."""
    for key in payload.model_fields_set - skip:
        value = getattr(payload, key)
        if value is None and key not in NULLABLE:
            raise ValidationError({key: [_("This field cannot be null.")]})
        setattr(current, key, value)
    return current


@contextmanager
def _rate_limited() -> Iterator[None]:
    """A new account's works beyond its hourly limit: 429 with Retry-After."""
    try:
        yield
    except WorkRateLimited as limited:
        raise ApiProblem(
            429,
            " ".join(limited.messages),
            name="rate-limited",
            headers={"Retry-After": str(limited.retry_after)},
        ) from None


def _own_work(caller: Caller, work_id: int) -> Work:
    work = works.access_work(caller.user, work_id)
    works.require_creator(caller.user, work)
    return works.with_blurb_data(Work.objects.filter(pk=work.pk)).get()


@router.post(
    "/works",
    response={201: WorkDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Post a work (or save a draft), as the posting form does",
)
def work_create(request: HttpRequest, payload: WorkCreateIn) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    data = payload.model_dump(exclude={"chapters", "post"})
    with _rate_limited():
        work = services.work_create(
            user=caller.account,
            data=WorkInput(**data),
            chapters=[ChapterInput(**c.model_dump()) for c in payload.chapters],
            post=payload.post,
            site_url=site_url(request),
            rate_limited=True,
        )
    return Status(201, work_detail_out(request, caller, work, adult=True))


@router.patch(
    "/works/{work_id}",
    response={200: WorkDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Edit a work's metadata and tags (the fields sent)",
)
def work_update(request: HttpRequest, work_id: Id, payload: WorkPatchIn) -> dict[str, Any]:
    caller = caller_of(request)
    work = _own_work(caller, work_id)
    data = _patched(work_input_of(work), payload)
    if "main_relationships" not in payload.model_fields_set:
        # New relationships without a word on the main ones: the main ones still there stay.
        data = main_relationships_kept(data)
    work = services.work_update(
        user=caller.account, work=work, data=data, site_url=site_url(request)
    )
    return work_detail_out(request, caller, work, adult=True)


@router.post(
    "/works/{work_id}/post",
    response={200: WorkDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Post a draft work",
)
def work_post(request: HttpRequest, work_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    work = _own_work(caller, work_id)
    with _rate_limited():
        work = services.work_post(user=caller.account, work=work, site_url=site_url(request))
    return work_detail_out(request, caller, work, adult=True)


@router.delete(
    "/works/{work_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Delete a work",
)
def work_delete(request: HttpRequest, work_id: Id) -> Status[None]:
    caller = caller_of(request)
    services.work_delete(user=caller.account, work=_own_work(caller, work_id))
    return Status(204, None)


@router.post(
    "/works/{work_id}/chapters",
    response={201: ChapterOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Add a chapter at the end",
)
def chapter_create(
    request: HttpRequest, work_id: Id, payload: ChapterCreateIn
) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    work = _own_work(caller, work_id)
    expected = (
        payload.expected_chapters
        if "expected_chapters" in payload.model_fields_set
        else work.expected_chapters
    )
    chapter = services.chapter_add(
        user=caller.account,
        work=work,
        data=ChapterInput(**payload.model_dump(exclude={"post", "expected_chapters"})),
        post=payload.post,
        expected_chapters=expected,
    )
    return Status(201, chapter_out(request, chapter))


def _own_chapter(caller: Caller, work_id: int, chapter_id: int) -> Chapter:
    work = _own_work(caller, work_id)
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise ApiProblem(404, _("No such chapter in this work."), name="not-found")
    return chapter


@router.patch(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, **WRITE_ERRORS, **problem_responses(409)},
    auth=WRITE,
    summary="Edit a chapter (the fields sent)",
)
def chapter_update(
    request: HttpRequest, work_id: Id, chapter_id: Id, payload: ChapterPatchIn
) -> dict[str, Any]:
    caller = caller_of(request)
    chapter = _own_chapter(caller, work_id, chapter_id)
    data = _patched(chapter_input_of(chapter), payload, skip=frozenset({"post", "base_version"}))
    try:
        chapter = services.chapter_update(
            user=caller.account,
            chapter=chapter,
            data=data,
            post=payload.post,
            base_version=payload.base_version,
        )
    except ChapterEditConflict as conflict:
        _, errors = validation_errors(conflict)
        raise ApiProblem(
            409, " ".join(conflict.messages), name="edit-conflict", errors=errors
        ) from None
    return chapter_out(request, chapter)


@router.delete(
    "/works/{work_id}/chapters/{chapter_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Delete a chapter (not the only one)",
)
def chapter_delete(request: HttpRequest, work_id: Id, chapter_id: Id) -> Status[None]:
    caller = caller_of(request)
    services.chapter_delete(user=caller.account, chapter=_own_chapter(caller, work_id, chapter_id))
    return Status(204, None)
