"""Deleting an account: the owner's page (/users/<name>/delete/) and an admin's
(/admin-tools/delete-account/<id>/). The rules are in deletion_services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import own_account
from fanarchive.core.addresses import client_address
from fanarchive.core.views import authenticated_user, form_error_from, posted
from fanarchive.portability import deletion_services
from fanarchive.portability.deletion_forms import AccountDeleteForm, AdminAccountDeleteForm
from fanarchive.portability.deletion_selectors import deletion_summary
from fanarchive.portability.deletion_services import DeletionChoices


def _choices(form: AccountDeleteForm | AdminAccountDeleteForm) -> DeletionChoices:
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return DeletionChoices(works=data.get("works") or "", comments=data.get("comments") or "")


@login_required
@never_cache
def account_delete(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    form = AccountDeleteForm(posted(request))
    status = 200
    if request.method == "POST":
        choices = _choices(form)
        try:
            result = deletion_services.account_delete(
                user=authenticated_user(request),
                password=form.cleaned_data.get("password") or "",
                address=client_address(request),
                choices=choices,
            )
        except ValidationError as error:
            form_error_from(form, error)
            status = 400
        else:
            logout(request)
            messages.success(
                request,
                _("The account %(username)s was deleted. Thank you for being part of the archive.")
                % {"username": result.username},
            )
            return redirect("/")
    return render(
        request,
        "portability/delete.html",
        {"owner": owner, "form": form, "summary": deletion_summary(owner)},
        status=status,
    )


@login_required
@never_cache
def admin_account_delete(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = authenticated_user(request)
    person = get_object_or_404(User, pk=user_id)
    if not deletion_services.may_delete_by_admin(actor, person):
        raise PermissionDenied(_("You may not delete this account."))
    form = AdminAccountDeleteForm(posted(request))
    status = 200
    if request.method == "POST":
        choices = _choices(form)
        try:
            result = deletion_services.account_delete_by_admin(
                actor=actor,
                user=person,
                choices=choices,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as error:
            form_error_from(form, error)
            status = 400
        else:
            messages.success(
                request, _("The account %(username)s was deleted.") % {"username": result.username}
            )
            return redirect("admin:accounts_user_changelist")
    return render(
        request,
        "portability/delete_by_admin.html",
        {"person": person, "form": form, "summary": deletion_summary(person)},
        status=status,
    )
