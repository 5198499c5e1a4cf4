"""Version history pages: lists, one revision, a comparison, restore. Creators only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fanarchive.works import restore_services, revision_selectors
from fanarchive.works.views import _creator_chapter, _creator_work


def _pair(request: HttpRequest, revisions: list[Any], default_new: int = 0) -> tuple[Any, Any]:
    """The two revisions chosen to compare (?old=ID&new=ID); by default the newest two."""
    by_id = {str(r.pk): r for r in revisions}
    new = by_id.get(request.GET.get("new", "")) or (revisions[default_new] if revisions else None)
    old = by_id.get(request.GET.get("old", ""))
    if old is None and new is not None:
        index = revisions.index(new)
        old = revisions[index + 1] if index + 1 < len(revisions) else new
    return old, new


@login_required
def work_history(request: HttpRequest, work_id: int) -> HttpResponse:
    _, work = _creator_work(request, work_id)
    return render(
        request,
        "works/history.html",
        {
            "work": work,
            "revisions": revision_selectors.work_revisions(work),
            "chapters": work.chapters.order_by("position"),
        },
    )


@login_required
def work_revision(request: HttpRequest, work_id: int, revision_id: int) -> HttpResponse:
    _, work = _creator_work(request, work_id)
    revision = revision_selectors.work_revision_get(work, revision_id)
    return render(
        request,
        "works/revision.html",
        {
            "work": work,
            "revision": revision,
            "text": revision_selectors.work_revision_text(revision),
        },
    )


@login_required
def work_compare(request: HttpRequest, work_id: int) -> HttpResponse:
    _, work = _creator_work(request, work_id)
    old, new = _pair(request, revision_selectors.work_revisions(work))
    lines = (
        revision_selectors.text_diff(
            revision_selectors.work_revision_text(old), revision_selectors.work_revision_text(new)
        )
        if old and new
        else []
    )
    return render(
        request, "works/compare.html", {"work": work, "old": old, "new": new, "lines": lines}
    )


@login_required
@require_POST
def work_revision_restore(request: HttpRequest, work_id: int, revision_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    revision = revision_selectors.work_revision_get(work, revision_id)
    try:
        restore_services.work_revision_restore(user=user, revision=revision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("works:history", work.pk)
    messages.success(
        request,
        gettext("The work's details were restored to %(when)s.")
        % {"when": f"{revision.created_at:%Y-%m-%d %H:%M}"},
    )
    return redirect(work)


@login_required
def chapter_history(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    _, chapter = _creator_chapter(request, work_id, chapter_id)
    return render(
        request,
        "works/history.html",
        {
            "work": chapter.work,
            "chapter": chapter,
            "revisions": revision_selectors.chapter_revisions(chapter),
        },
    )


@login_required
def chapter_revision(
    request: HttpRequest, work_id: int, chapter_id: int, revision_id: int
) -> HttpResponse:
    _, chapter = _creator_chapter(request, work_id, chapter_id)
    revision = revision_selectors.chapter_revision_get(chapter, revision_id)
    return render(
        request,
        "works/revision.html",
        {
            "work": chapter.work,
            "chapter": chapter,
            "revision": revision,
            "text": revision_selectors.chapter_revision_text(revision),
        },
    )


@login_required
def chapter_compare(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    _, chapter = _creator_chapter(request, work_id, chapter_id)
    old, new = _pair(request, revision_selectors.chapter_revisions(chapter))
    lines = (
        revision_selectors.text_diff(
            revision_selectors.chapter_revision_text(old),
            revision_selectors.chapter_revision_text(new),
        )
        if old and new
        else []
    )
    return render(
        request,
        "works/compare.html",
        {"work": chapter.work, "chapter": chapter, "old": old, "new": new, "lines": lines},
    )


@login_required
@require_POST
def chapter_revision_restore(
    request: HttpRequest, work_id: int, chapter_id: int, revision_id: int
) -> HttpResponse:
    user, chapter = _creator_chapter(request, work_id, chapter_id)
    revision = revision_selectors.chapter_revision_get(chapter, revision_id)
    try:
        restore_services.chapter_revision_restore(user=user, revision=revision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("works:chapter_history", chapter.work_id, chapter.pk)
    messages.success(
        request,
        gettext("%(chapter)s was restored to %(when)s.")
        % {"chapter": chapter.heading, "when": f"{revision.created_at:%Y-%m-%d %H:%M}"},
    )
    return redirect(chapter)
