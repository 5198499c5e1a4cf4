"""Writing series: create, edit, reorder, delete, add and remove works. Thin: parse, call
one service or selector, render. The pages that list a series' works (with the reader's
mutes) are `discovery.series_views`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.core.views import authenticated_user, form_error_from, posted
from fanarchive.works import selectors, series_selectors, series_services
from fanarchive.works.forms import SeriesAddForm, SeriesForm, SeriesReorderForm
from fanarchive.works.models import Series
from fanarchive.works.views import _creator_work


def _own_series(request: HttpRequest, series_id: int) -> tuple[User, Series]:
    user = authenticated_user(request)
    series = series_selectors.series_get(user, series_id)
    if not series_selectors.is_series_creator(user, series):
        raise PermissionDenied(_("Only the creators of this series can change it."))
    return user, series


@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    form = SeriesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            series = series_services.series_create(user=user, **form.cleaned_data)
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Series was created."))
            return redirect(series)
    return render(request, "works/series_form.html", {"form": form})


@login_required
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    user, series = _own_series(request, series_id)
    form = SeriesForm(posted(request), initial=SeriesForm.initial_for(series))
    if request.method == "POST" and form.is_valid():
        try:
            series_services.series_update(user=user, series=series, **form.cleaned_data)
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Series was updated."))
            return redirect(series)
    return render(request, "works/series_form.html", {"form": form, "series": series})


@login_required
def series_reorder(request: HttpRequest, series_id: int) -> HttpResponse:
    user, series = _own_series(request, series_id)
    entries = list(series.series_works.select_related("work").order_by("position", "id"))
    form = SeriesReorderForm(posted(request), entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            series_services.series_reorder(user=user, series=series, work_ids=form.ordered_ids())
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The order of the series was updated."))
            return redirect(series)
    return render(request, "works/series_reorder.html", {"form": form, "series": series})


@login_required
def series_delete(request: HttpRequest, series_id: int) -> HttpResponse:
    user, series = _own_series(request, series_id)
    if request.method == "POST":
        title = series.title
        series_services.series_delete(user=user, series=series)
        messages.success(
            request,
            _('The series "%(title)s" was deleted; its works are unchanged.') % {"title": title},
        )
        return redirect("works:user_series", user.username)
    return render(request, "works/series_delete.html", {"series": series})


@login_required
def work_series(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work's series: add it to one (or a new one), or take it out of one."""
    user, work = _creator_work(request, work_id)
    form = SeriesAddForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = series_services.series_work_add(
                user=user,
                work=work,
                series=form.cleaned_data["series"],
                new_title=form.cleaned_data["new_title"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                _('Added to "%(title)s" as part %(position)s.')
                % {"title": entry.series.title, "position": entry.position},
            )
            return redirect(work)
    entries = work.series_works.select_related("series").order_by("series__title")
    return render(
        request, "works/work_series.html", {"form": form, "work": work, "entries": entries}
    )


@login_required
@require_POST
def series_remove_work(request: HttpRequest, series_id: int, work_id: int) -> HttpResponse:
    user = authenticated_user(request)
    series = series_selectors.series_get(user, series_id)
    work = selectors.access_work(user, work_id)
    try:
        series_services.series_work_remove(user=user, series=series, work=work)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _('"%(work_title)s" was taken out of "%(series_title)s".')
            % {"work_title": work.title, "series_title": series.title},
        )
    return redirect(series if series_selectors.is_series_creator(user, series) else work)
