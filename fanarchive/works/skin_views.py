"""A work's skin: the page where its creators set it, and the stylesheet readers get.

Served as a stylesheet from this site, never inline, so the CSP (style-src 'self') holds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fanarchive.core.views import form_error_from, posted
from fanarchive.works import selectors
from fanarchive.works.skin_css import ALLOWED_PROPERTIES
from fanarchive.works.skin_forms import WorkSkinForm
from fanarchive.works.skin_services import work_skin_set
from fanarchive.works.views import _creator_work


@login_required
def work_skin_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    form = WorkSkinForm(posted(request), initial={"skin_css": work.skin_css})
    if request.method == "POST" and form.is_valid():
        try:
            work_skin_set(user=user, work=work, css=form.cleaned_data["skin_css"])
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                _("The work skin is saved.") if work.skin_css else _("The work skin is removed."),
            )
            return redirect(work)
    context = {"form": form, "work": work, "properties": sorted(ALLOWED_PROPERTIES)}
    return render(request, "works/skin_form.html", context, status=400 if form.errors else 200)


def work_skin_stylesheet(request: HttpRequest, work_id: int) -> HttpResponse:
    """The skin as CSS, to whoever may open the work (the same refusals as its pages)."""
    work = selectors.access_work(request.user, work_id)
    if not work.skin_css:
        raise Http404(_("This work has no skin."))
    response = HttpResponse(work.skin_css, content_type="text/css; charset=utf-8")
    # The address carries the skin's digest (?v=), so a changed skin is a new address.
    response["Cache-Control"] = "private, max-age=86400"
    return response
