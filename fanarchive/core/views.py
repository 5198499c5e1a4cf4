"""Small helpers shared by views of every app."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

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
