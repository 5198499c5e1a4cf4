"""Writing and changing works and chapters, and the chapter index. Thin: parse, call one
service or selector, render.

The reading pages (work, chapter, entire work: they show kudos, comments and hits) are
engagement.reading_views; the works listing is discovery's. All join the "works" URL
namespace in config/urls.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.core.page_cache import not_kept
from fanarchive.core.views import authenticated_user, form_error_from, posted, site_url
from fanarchive.works import (
    advice_selectors,
    age_gate,
    autosave_services,
    preview_services,
    selectors,
    services,
)
from fanarchive.works.age_gate import Reason
from fanarchive.works.chapter_versions import ChapterEditConflict, last_saved
from fanarchive.works.forms import ChapterForm, ReorderForm, WorkForm
from fanarchive.works.models import Chapter, Work
from fanarchive.works.preview_services import Preview
from fanarchive.works.revision_selectors import text_diff

# -- autosave -------------------------------------------------------------------------


def _autosave_context(request: HttpRequest, form: forms.Form, key: str) -> dict[str, Any]:
    """Put an autosave's text back into a form being opened, and say so.

    Only on GET (an unbound form): a form sent back with errors shows what was sent.
    """
    user = authenticated_user(request)
    autosave = selectors.autosave_get(user, key)
    restored = False
    if autosave is not None and autosave.has_data and not form.is_bound:
        for name, values in autosave.data.items():
            field = form.fields.get(name)
            if field is None or not values:
                continue
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                form.initial[name] = list(values)
            elif isinstance(field, forms.BooleanField):
                form.initial[name] = values[-1] not in {"", "false", "off", "0"}
            else:
                form.initial[name] = values[-1]
        restored = True
    return {
        "autosave_key": key,
        "autosave_version": autosave.version if autosave else 0,
        "autosave_restored": autosave if restored else None,
    }


def autosave_form_url(key: str) -> str:
    """The form an autosave key belongs to."""
    parts = key.split(":")
    if key == "work:new":
        return reverse("works:new")
    if len(parts) == 2 and parts[0] == "work" and parts[1].isdigit():
        return reverse("works:edit", args=[int(parts[1])])
    if len(parts) == 3 and parts[:2] == ["chapter", "new"] and parts[2].isdigit():
        return reverse("works:chapter_new", args=[int(parts[2])])
    if len(parts) == 2 and parts[0] == "chapter" and parts[1].isdigit():
        chapter = Chapter.objects.filter(pk=int(parts[1])).first()
        if chapter is not None:
            return reverse("works:chapter_edit", args=[chapter.work_id, chapter.pk])
    return reverse("works:list")


@require_POST
def autosave(request: HttpRequest) -> HttpResponse:
    """Keep what a form holds (sent by static/js/autosave.js); answers JSON, never a redirect."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Your session has expired: log in again.")}, status=403)
    user = authenticated_user(request)
    data = {name: values for name, values in request.POST.lists() if name != "autosave_key"}
    try:
        saved = autosave_services.autosave_store(
            user=user, key=request.POST.get("autosave_key", ""), data=data
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except PermissionDenied:
        return JsonResponse({"error": _("You cannot change this work.")}, status=403)
    except Http404:
        return JsonResponse({"error": _("No such work.")}, status=404)
    return JsonResponse({"version": saved.version, "saved_at": saved.saved_at.isoformat()})


@login_required
@require_POST
def autosave_discard(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("autosave_key", "")
    user = authenticated_user(request)
    try:
        autosave_services.autosave_key_check(user=user, key=key)
    except ValidationError:
        raise Http404(_("No such form.")) from None
    autosave_services.autosave_clear(user=user, key=key)
    messages.success(request, _("The unsaved text was discarded."))
    return redirect(autosave_form_url(key))


# -- preview --------------------------------------------------------------------------
#
# The forms' "Preview" button shows the work or chapter as readers will see it
# (`preview_services`: nothing is saved); the preview page's own form carries what was
# typed, hidden, back to the same view: "Edit" reopens the form with it, the other
# buttons save it as the form's would.


def _saving(request: HttpRequest) -> bool:
    """A POST from a button that saves (not "Preview" or "Edit")."""
    return request.method == "POST" and not {"preview", "edit"} & set(request.POST)


def _previewing(request: HttpRequest) -> bool:
    return request.method == "POST" and "preview" in request.POST


def _preview_page(
    request: HttpRequest, form: forms.Form, *, kind: str, **context: Any
) -> Callable[[Preview], HttpResponse]:
    """How a preview is shown: the page, with the form's values hidden in it. `kind` says
    which buttons it has: "work_new", "work_edit", "chapter_new" or "chapter_edit"."""

    def show(preview: Preview) -> HttpResponse:
        return render(
            request,
            "works/preview.html",
            {
                "work": preview.work,
                "chapters": preview.chapters,
                "chapter_count": preview.chapter_count,
                "form": form,
                "kind": kind,
                "action_url": request.get_full_path(),
                **context,
            },
        )

    return show


# -- works ----------------------------------------------------------------------------


# What a link to the posting form may fill in (an assignment's or a claim's "Post a new
# work": the collection, the recipient, the request's tags), each at most this long.
PREFILLED_FIELDS = ("collections", "gifts", "fandoms", "relationships", "characters", "freeforms")
PREFILL_LIMIT = 2000


def _prefilled(request: HttpRequest) -> dict[str, str]:
    if request.method != "GET":
        return {}
    return {
        name: request.GET[name][:PREFILL_LIMIT]
        for name in PREFILLED_FIELDS
        if request.GET.get(name, "").strip()
    }


@login_required
def work_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    form = WorkForm(
        posted(request), user=user, include_chapter=True, initial=_prefilled(request) or None
    )
    advice = None
    if _previewing(request) and form.is_valid():
        try:
            return preview_services.work_preview(
                user=user,
                data=form.work_input(),
                chapter=form.chapter_input(),
                show=_preview_page(request, form, kind="work_new"),
            )
        except ValidationError as error:
            form_error_from(form, error)
    if _saving(request) and form.is_valid():
        post = "save_draft" not in request.POST
        if post and not _advice_seen(request):
            advice = advice_selectors.advice_for_new_work(form.work_input(), [form.chapter_input()])
    if _saving(request) and form.is_valid() and advice is None:
        post = "save_draft" not in request.POST
        try:
            work = services.work_create(
                user=user,
                data=form.work_input(),
                chapters=[form.chapter_input()],
                post=post,
                site_url=site_url(request),
                rate_limited=True,
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            autosave_services.autosave_clear(user=user, key="work:new")
            messages.success(
                request, _("Work was successfully posted.") if post else _("Draft was saved.")
            )
            return redirect(work)
    context = {
        "form": form,
        "is_new": True,
        "advice": advice,
        "advice_button": "post",
        **_autosave_context(request, form, "work:new"),
    }
    return render(request, "works/form.html", context)


def _advice_seen(request: HttpRequest) -> bool:
    """The writer saw the rating advice and posts anyway (the advice box's hidden field)."""
    return request.POST.get("advice_seen") == "1"


def _creator_work(request: HttpRequest, work_id: int) -> tuple[User, Work]:
    """A work the logged-in user may change (others get 404 or 403, as for reading)."""
    user = authenticated_user(request)
    work = selectors.access_work(user, work_id)
    selectors.require_creator(user, work)
    return user, work


def adult_gate(request: HttpRequest, work: Work) -> HttpResponse | None:
    """The interstitial page, when this reader may not see this adult work's text yet:
    what they can do about it depends on the age-gate policy (`adult_access`).

    Every way into a work's text (reading pages, downloads) passes through here.
    """
    viewer = age_gate.age_gate_context(request)
    access = selectors.adult_access(viewer)
    if age_gate.asks_consent(request) and access.reason is Reason.CONSENT:
        request.session[age_gate.ADULT_CONSENT_KEY] = True
        viewer = age_gate.age_gate_context(request)
    if not selectors.needs_adult_consent(viewer=viewer, work=work):
        return None
    query = request.GET.copy()
    query["view_adult"] = "true"
    context = {
        "work": work,
        # Its blurb (metadata, public wherever the work is listed: warnings, tags, summary),
        # as AO3 shows it before a reader agrees; never the work's own words.
        "blurb_work": selectors.with_blurb_data(Work.objects.filter(pk=work.pk)).first(),
        "reason": str(access.reason),
        "continue_query": query.urlencode(),
        "next_path": request.get_full_path(),
    }
    # Not kept in guests' page cache where the work's page is: a gate counts no hit.
    return not_kept(
        render(
            request,
            "works/adult_interstitial.html",
            context,
            status=ADULT_GATE_STATUS[access.reason],
        )
    )


# The question is a page like any other; a refusal says so (451: a legal restriction).
ADULT_GATE_STATUS = {
    Reason.CONSENT: 200,
    Reason.CONFIRMATION: 403,
    Reason.VERIFICATION: 403,
    Reason.COUNTRY: 451,
}


def work_navigate(request: HttpRequest, work_id: int) -> HttpResponse:
    """The chapter index; with ?chapter=ID (the no-JavaScript jump menu) it goes there."""
    work = selectors.access_work(request.user, work_id)
    chapters = selectors.readable_chapters(request.user, work)
    wanted = request.GET.get("chapter", "")
    if wanted.isdigit() and any(c.pk == int(wanted) for c in chapters):
        return redirect("works:chapter", work.pk, int(wanted))
    return render(request, "works/navigate.html", {"work": work, "chapters": chapters})


@login_required
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    work = selectors.with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    form = WorkForm(
        posted(request), user=user, include_chapter=False, initial=WorkForm.initial_for(work)
    )
    advice = None
    if _previewing(request) and form.is_valid():
        try:
            return preview_services.work_update_preview(
                user=user,
                work=work,
                data=form.work_input(),
                show=_preview_page(request, form, kind="work_edit"),
            )
        except ValidationError as error:
            form_error_from(form, error)
    if _saving(request) and form.is_valid() and not _advice_seen(request):
        advice = advice_selectors.advice_for_work_update(work, form.work_input())
    if _saving(request) and form.is_valid() and advice is None:
        try:
            services.work_update(
                user=user, work=work, data=form.work_input(), site_url=site_url(request)
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            autosave_services.autosave_clear(user=user, key=f"work:{work.pk}")
            messages.success(request, _("Work was successfully updated."))
            return redirect(work)
    context = {
        "form": form,
        "work": work,
        "is_new": False,
        "advice": advice,
        "advice_button": "update",
    }
    context.update(_autosave_context(request, form, f"work:{work.pk}"))
    return render(request, "works/form.html", context)


@login_required
@require_POST
def work_post(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    try:
        services.work_post(user=user, work=work, site_url=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Work was successfully posted."))
    return redirect(work)


@login_required
def work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    if request.method == "POST":
        title = work.title
        services.work_delete(user=user, work=work)
        messages.success(request, _('"%(title)s" was deleted.') % {"title": title})
        return redirect("accounts:profile", user.username)
    return render(request, "works/confirm_delete.html", {"work": work})


@login_required
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    expected = "?" if work.expected_chapters is None else str(work.expected_chapters)
    form = ChapterForm(posted(request), initial={"expected_chapters": expected})
    advice = None
    if _previewing(request) and form.is_valid():
        try:
            return preview_services.chapter_preview(
                user=user,
                work=work,
                data=form.chapter_input(),
                expected_chapters=form.cleaned_data["expected_chapters"],
                show=_preview_page(request, form, kind="chapter_new"),
            )
        except ValidationError as error:
            form_error_from(form, error)
    if _saving(request) and form.is_valid():
        post = "save_draft" not in request.POST
        if post and not _advice_seen(request):
            advice = advice_selectors.advice_for_chapter(
                work, form.chapter_input(), position=work.chapters.count() + 1
            )
    if _saving(request) and form.is_valid() and advice is None:
        post = "save_draft" not in request.POST
        try:
            chapter = services.chapter_add(
                user=user,
                work=work,
                data=form.chapter_input(),
                post=post,
                expected_chapters=form.cleaned_data["expected_chapters"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            autosave_services.autosave_clear(user=user, key=f"chapter:new:{work.pk}")
            messages.success(
                request,
                _("Chapter was successfully added.")
                if chapter.posted
                else _("Chapter was saved as a draft."),
            )
            return redirect(chapter)
    context = {"form": form, "work": work, "advice": advice, "advice_button": "post"}
    context.update(_autosave_context(request, form, f"chapter:new:{work.pk}"))
    return render(request, "works/chapter_form.html", context)


def _creator_chapter(request: HttpRequest, work_id: int, chapter_id: int) -> tuple[User, Chapter]:
    user, work = _creator_work(request, work_id)
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404(_("No such chapter in this work."))
    return user, chapter


def _chapter_edit_form(data: QueryDict | None, chapter: Chapter) -> ChapterForm:
    return ChapterForm(
        data, initial=ChapterForm.initial_for(chapter), with_expected=False, with_base=True
    )


def _edit_conflict(
    request: HttpRequest, form: ChapterForm, conflict: ChapterEditConflict
) -> tuple[ChapterForm, dict[str, Any]]:
    """The form sent back as typed, now building on the version saved meanwhile (so saving
    again replaces it, knowingly), and what to show of that version beside it."""
    data = request.POST.copy()
    data["base_version"] = conflict.current_version
    rebased = _chapter_edit_form(data, conflict.current)
    rebased.is_valid()
    form_error_from(rebased, conflict)
    theirs, yours = conflict.current, form.cleaned_data
    return rebased, {
        "chapter": theirs,
        "saved": last_saved(theirs),
        "diff": text_diff(theirs.source, yours["text"]),
        "other_fields": [
            (label, getattr(theirs, name))
            for name, label in (
                ("title", _("Title")),
                ("summary", _("Summary")),
                ("notes", _("Notes")),
                ("endnotes", _("End notes")),
                ("text_format", _("Text format")),
            )
            if getattr(theirs, name) != yours[name]
        ],
    }


@login_required
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    user, chapter = _creator_chapter(request, work_id, chapter_id)
    form = _chapter_edit_form(posted(request), chapter)
    conflict: dict[str, Any] | None = None
    advice = None
    if _previewing(request) and form.is_valid():
        try:
            return preview_services.chapter_update_preview(
                user=user,
                chapter=chapter,
                data=form.chapter_input(),
                show=_preview_page(
                    request,
                    form,
                    kind="chapter_edit",
                    can_post=chapter.work.posted and not chapter.posted,
                ),
            )
        except ValidationError as error:
            form_error_from(form, error)
    if _saving(request) and form.is_valid() and not _advice_seen(request):
        advice = advice_selectors.advice_for_chapter(
            chapter.work, form.chapter_input(), position=chapter.position
        )
    if _saving(request) and form.is_valid() and advice is None:
        try:
            services.chapter_update(
                user=user,
                chapter=chapter,
                data=form.chapter_input(),
                post="post" in request.POST,
                base_version=form.cleaned_data["base_version"] or None,
            )
        except ChapterEditConflict as error:
            form, conflict = _edit_conflict(request, form, error)
        except ValidationError as error:
            form_error_from(form, error)
        else:
            autosave_services.autosave_clear(user=user, key=f"chapter:{chapter.pk}")
            messages.success(request, _("Chapter was successfully updated."))
            return redirect(chapter)
    context = {
        "form": form,
        "work": chapter.work,
        "chapter": chapter,
        "conflict": conflict,
        "advice": advice,
        "advice_button": "post" if "post" in request.POST else "update",
    }
    context.update(_autosave_context(request, form, f"chapter:{chapter.pk}"))
    return render(request, "works/chapter_form.html", context)


@login_required
def chapter_delete(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    user, chapter = _creator_chapter(request, work_id, chapter_id)
    work = chapter.work
    if request.method == "POST":
        try:
            services.chapter_delete(user=user, chapter=chapter)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(chapter)
        messages.success(request, _("Chapter was deleted."))
        return redirect(work)
    return render(request, "works/confirm_delete.html", {"work": work, "chapter": chapter})


@login_required
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    chapters = list(work.chapters.order_by("position"))
    form = ReorderForm(posted(request), chapters=chapters)
    if request.method == "POST" and form.is_valid():
        try:
            services.chapters_reorder(user=user, work=work, chapter_ids=form.ordered_ids())
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Chapter order was updated."))
            return redirect(work)
    return render(request, "works/chapters_manage.html", {"form": form, "work": work})
