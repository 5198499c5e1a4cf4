"""Downloads of works, and the "Import a work" page. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import own_account
from fanarchive.core.views import authenticated_user, posted
from fanarchive.formats import batch_download_services, import_services, limits, selectors
from fanarchive.formats.download_services import work_export
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.exporters import FORMATS, download_name
from fanarchive.formats.forms import ImportConfirmForm, ImportForm
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.pending_uploads import (
    pending_upload_delete,
    pending_upload_load,
    pending_upload_save,
)
from fanarchive.formats.review import import_review, rating_suggestion
from fanarchive.formats.series_documents import series_document, series_parts, viewer_class
from fanarchive.formats.series_download_services import series_export
from fanarchive.works.age_gate import age_gate_context
from fanarchive.works.models import Chapter
from fanarchive.works.selectors import adult_text_withheld
from fanarchive.works.views import adult_gate

SESSION_NAMES = "pending_import_names"


def download(request: HttpRequest, work_id: int, fmt: str) -> HttpResponseBase:
    """A work as EPUB, PDF, HTML or text, under the same rules as reading it."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise Http404(_("No such download format."))
    try:
        work = selectors.downloadable_work(request.user, work_id)
    except selectors.DownloadRefused as refusal:
        return render(request, "formats/unavailable.html", {"reason": str(refusal)}, status=403)
    gate = adult_gate(request, work)
    if gate:
        return gate
    path = work_export(work=work, fmt=fmt)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=download_name(work.title, work.pk, spec.extension),
        content_type=spec.content_type,
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def series_download(request: HttpRequest, series_id: int, fmt: str) -> HttpResponseBase:
    """A whole series (the parts this reader may see) as one EPUB, PDF, HTML or text file;
    when any part's text is withheld by the adult-content rule, that part's interstitial
    (or refusal) comes first, exactly as for the work's own download."""
    spec = FORMATS.get(fmt)
    if spec is None:
        raise Http404(_("No such download format."))
    series, parts = series_parts(request.user, series_id)
    withheld = adult_text_withheld(viewer=age_gate_context(request), works=parts)
    for work in (part for part in parts if part.pk in withheld):
        gate = adult_gate(request, work)
        if gate:
            return gate
    document = series_document(series, parts)
    path = series_export(document=document, fmt=fmt, viewer_class=viewer_class(request.user))
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=download_name(series.title, series.pk, spec.extension),
        content_type=spec.content_type,
    )
    response["Cache-Control"] = "private, no-cache"
    return response


def _options(
    user_pseuds: list[int],
    fandom: str,
    *,
    post: bool,
    title: str = "",
    cut_proposed_title: bool = False,
    rating: str = "",
) -> import_services.ImportOptions:
    return import_services.ImportOptions(
        pseud_ids=user_pseuds,
        post=post,
        fandoms=[fandom.strip()] if fandom.strip() else [],
        title=title,
        cut_proposed_title=cut_proposed_title,
        rating=rating,
    )


def _pseud_ids(form_value: str) -> list[int]:
    return [int(form_value)] if form_value.isdigit() else []


@login_required
def import_work(request: HttpRequest) -> HttpResponse:
    """Upload one file and see what it would become before anything is saved."""
    user = authenticated_user(request)
    form = ImportForm(posted(request), request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "upload"
        if upload.size > limits.MAX_FILE_BYTES:
            form.add_error(
                "file",
                _("%(name)s is %(size)s MB; files over %(max)s MB cannot be imported.")
                % {
                    "name": name,
                    "size": f"{upload.size / 1_048_576:.1f}",
                    "max": limits.MAX_FILE_BYTES // 1_048_576,
                },
            )
        else:
            data = upload.read()
            options = _options(
                _pseud_ids(form.cleaned_data["pseud"]), form.cleaned_data["fandom"], post=False
            )
            try:
                parsed = import_services.parse_upload(
                    user=user, source=Source(name, data), options=options
                )
            except ImportFailed as error:
                form.add_error("file", str(error))
            else:
                token = pending_upload_save(user=user, data=data)
                request.session.setdefault(SESSION_NAMES, {})[token] = name
                request.session.modified = True
                suggestion = rating_suggestion(parsed)
                confirm = ImportConfirmForm(
                    initial={
                        "token": token,
                        "fandom": form.cleaned_data["fandom"],
                        "pseud": form.cleaned_data["pseud"],
                        "title": parsed.proposed_title or parsed.work.title,
                        "rating": suggestion.rating if suggestion else parsed.work.rating,
                    },
                    proposed_title=parsed.proposed_title,
                    suggested_rating=suggestion.rating if suggestion else "",
                )
                return render(
                    request,
                    "formats/import_review.html",
                    {
                        "parsed": parsed,
                        "review": import_review(parsed),
                        "name": name,
                        "problems": import_services.validate_parsed(parsed),
                        "confirm": confirm,
                        "suggestion": suggestion,
                    },
                )
    return render(request, "formats/import.html", {"form": form})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Save the reviewed file as a work (posted, or as a draft)."""
    user = authenticated_user(request)
    form = ImportConfirmForm(request.POST)
    names = request.session.get(SESSION_NAMES, {})
    if not form.is_valid() or form.cleaned_data["token"] not in names:
        messages.error(request, _("This upload has expired. Please choose the file again."))
        return redirect("formats:import")
    token = form.cleaned_data["token"]
    try:
        data = pending_upload_load(user=user, token=token)
    except ImportFailed as error:
        messages.error(request, error.reason)
        return redirect("formats:import")
    post = "post" in request.POST
    options = _options(
        _pseud_ids(form.cleaned_data["pseud"]),
        form.cleaned_data["fandom"],
        post=post,
        title=form.cleaned_data["title"],
        cut_proposed_title=form.cleaned_data["cut_proposed_title"],
        rating=form.cleaned_data["rating"],
    )
    outcome = import_services.work_import(
        user=user, source=Source(names[token], data), options=options
    )
    pending_upload_delete(user=user, token=token)
    names.pop(token, None)
    request.session.modified = True
    if outcome.status == import_services.IMPORTED:
        messages.success(
            request, _("Work was imported and posted.") if post else _("Draft was saved.")
        )
        return redirect("works:detail", outcome.work_id)
    if outcome.status == import_services.DUPLICATE:
        messages.info(request, _("You have already imported this file; here is the work."))
        return redirect("works:detail", outcome.work_id)
    messages.error(
        request,
        _("%(source)s was not imported: %(reason)s")
        % {"source": outcome.source, "reason": outcome.reason},
    )
    return redirect("formats:import")


# -- old eFiction addresses ---------------------------------------------------------------


def _old_id(request: HttpRequest, name: str) -> int:
    value = request.GET.get(name, "").strip()
    if not value.isdigit():
        raise Http404(_("This old address names no story, author or series."))
    return int(value)


def efiction_story(request: HttpRequest) -> HttpResponse:
    """`/viewstory.php?sid=N[&chapter=M]` of a migrated eFiction archive: the work's page.

    The work page applies its own rules (drafts, restricted works, adult content).
    """
    work_id = selectors.efiction_object_id(kind="story", efiction_id=_old_id(request, "sid"))
    if work_id is None:
        raise Http404(_("No story with this number was migrated."))
    number = request.GET.get("chapter", "").strip()
    if number.isdigit():
        chapter = Chapter.objects.filter(work_id=work_id, position=int(number)).first()
        if chapter is not None:
            return redirect("works:chapter", work_id, chapter.pk, permanent=True)
    return redirect("works:detail", work_id, permanent=True)


def efiction_user(request: HttpRequest) -> HttpResponse:
    """`/viewuser.php?uid=N`: the migrated author's profile."""
    user_id = selectors.efiction_object_id(kind="author", efiction_id=_old_id(request, "uid"))
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if user is None:
        raise Http404(_("No author with this number was migrated."))
    return redirect("accounts:profile", user.username, permanent=True)


def efiction_series(request: HttpRequest) -> HttpResponse:
    """`/viewseries.php?seriesid=N`: the migrated series' page."""
    series_id = selectors.efiction_object_id(
        kind="series", efiction_id=_old_id(request, "seriesid")
    )
    if series_id is None:
        raise Http404(_("No series with this number was migrated."))
    return redirect("works:series", series_id, permanent=True)


# -- batch downloads ----------------------------------------------------------------------


@login_required
def batch_download(request: HttpRequest, username: str, list_name: str, fmt: str) -> FileResponse:
    """Every work of the reader's bookmarks or marked-for-later list as one zip; only
    the list's owner may have it (others 403)."""
    owner = own_account(request.user, username)
    if fmt not in batch_download_services.BATCH_FORMATS:
        raise Http404(_("No such batch download format."))
    if list_name not in batch_download_services.LIST_LABELS:
        raise Http404(_("No such list."))
    plan = batch_download_services.batch_plan(
        user=owner, list_name=list_name, fmt=fmt, viewer=age_gate_context(request)
    )
    path = batch_download_services.batch_export(user=owner, plan=plan)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{list_name}-{FORMATS[fmt].extension}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-cache"
    return response
