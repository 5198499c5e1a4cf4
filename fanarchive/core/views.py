"""Small helpers shared by views of every app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

T = TypeVar("T")


def site_url(request: HttpRequest) -> str:
    """This site's address as the browser used it, for links in e-mail."""
    return request.build_absolute_uri("/")


def authenticated_user(request: HttpRequest) -> User:
    """The logged-in user, typed; call only behind @login_required."""
    user = request.user
    if not user.is_authenticated:
        raise TypeError("authenticated_user() needs a logged-in request")
    return user


def form_error_from(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message on its field when it has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def paginate(request: HttpRequest, items: QuerySet[Any, T] | Sequence[T]) -> Page[T]:
    """A page of a listing, from ?page=N (out-of-range numbers give the nearest page)."""
    return Paginator(items, settings.WORKS_PER_PAGE).get_page(request.GET.get("page"))


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data on POST (even when every box is unticked), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page says: the site's icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


# -- error pages (config/urls.py names them) ---------------------------------------------


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler, saying what was wrong where we know.

    A body over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 and the site's page naming the
    limits. Other bad requests (a host the site does not answer to, too many fields)
    get a page that needs nothing of the request, as the 500 page does, since the
    request may not have been through the middleware that a full page relies on.
    """
    if isinstance(exception, RequestDataTooBig):
        context = {
            "limit_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_000_000,
            "chapter_text_max": settings.CHAPTER_TEXT_MAX,
        }
        return render(request, "413.html", context, status=413)
    reason = ""
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        reason = _("The form sent too many fields or files at once.")
    return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": reason}))
