"""The invitation queue's pages, a user's invitations, and the admins' invitations page
(the rules are in invitation_services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from fanarchive.accounts import invitation_selectors, invitation_services, selectors
from fanarchive.accounts.forms import (
    InvitationSendForm,
    InvitationsGiveForm,
    InvitationsSendToQueueForm,
    InviteRequestForm,
    InviteStatusForm,
)
from fanarchive.core.addresses import client_address
from fanarchive.core.ratelimit import RateLimited
from fanarchive.core.views import authenticated_user, form_error_from, posted, site_url


def _limited(
    request: HttpRequest, template: str, context: dict[str, object], limited: RateLimited
) -> HttpResponse:
    response = render(request, template, {**context, "limited": str(limited)}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


def invite_request(request: HttpRequest) -> HttpResponse:
    """A guest joins the queue with their e-mail address and learns their place in it."""
    form = InviteRequestForm(posted(request))
    context: dict[str, object] = {
        "form": form,
        "required": invitation_selectors.invitations_required(),
        "waiting": invitation_selectors.queue_length(),
    }
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            # Looks like success to a bot; nothing is stored.
            return render(request, "accounts/invite_request.html", {**context, "joined": True})
        try:
            _, position = invitation_services.invite_request_join(
                email=form.cleaned_data["email"],
                client_address=client_address(request),
                language=get_language(),
            )
        except RateLimited as limited:
            return _limited(request, "accounts/invite_request.html", context, limited)
        except ValidationError as error:
            form_error_from(form, error)
        else:
            return render(
                request,
                "accounts/invite_request.html",
                {**context, "joined": True, "position": position},
            )
    return render(request, "accounts/invite_request.html", context)


def invite_status(request: HttpRequest) -> HttpResponse:
    """Where an address stands in the queue (?email=), and nothing else."""
    form = InviteStatusForm(request.GET if "email" in request.GET else None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid() and form.cleaned_data["email"]:
        try:
            invitation_services.invite_status_check(client_address=client_address(request))
        except RateLimited as limited:
            return _limited(request, "accounts/invite_status.html", context, limited)
        context["status"] = invitation_selectors.queue_status(form.cleaned_data["email"])
    return render(request, "accounts/invite_status.html", context)


@login_required
def user_invitations(request: HttpRequest, username: str) -> HttpResponse:
    """The invitations a user was given to share; POST mails one of them."""
    owner = selectors.own_account(request.user, username)
    form = InvitationSendForm(posted(request))
    if request.method == "POST" and form.is_valid():
        invitation = invitation_selectors.invitation_of(owner, form.cleaned_data["invitation"])
        if invitation is None:
            raise Http404(_("No such invitation."))
        try:
            invitation_services.invitation_send(
                user=authenticated_user(request),
                invitation=invitation,
                email=form.cleaned_data["email"],
                site_url=site_url(request),
                language=get_language(),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s.") % {"email": invitation.sent_to},
            )
            return redirect("accounts:invitations", owner.username)
    elif request.method == "POST":
        messages.error(request, _("Enter a valid e-mail address to send the invitation to."))
    invitations = list(invitation_selectors.invitations_of(owner))
    return render(
        request,
        "accounts/invitations.html",
        {
            "owner": owner,
            "invitations": invitations,
            "unused": [i for i in invitations if i.used_at is None],
            "used": [i for i in invitations if i.used_at is not None],
            "site": request.build_absolute_uri("/")[:-1],
        },
    )


@login_required
def admin_invitations(request: HttpRequest) -> HttpResponse:
    """Admins: the queue's length, sending invitations to it, giving them to users."""
    actor = authenticated_user(request)
    if not (actor.is_staff or actor.is_superuser):
        raise PermissionDenied(_("Only admins can manage invitations."))
    action = request.POST.get("action") if request.method == "POST" else None
    send_form = InvitationsSendToQueueForm(
        request.POST if action == "send" else None, prefix="send"
    )
    give_form = InvitationsGiveForm(request.POST if action == "give" else None, prefix="give")
    try:
        if action == "send" and send_form.is_valid():
            sent = invitation_services.invitations_send_to_queue(
                actor=actor, count=send_form.cleaned_data["count"], site_url=site_url(request)
            )
            messages.success(
                request,
                ngettext("Sent %(count)s invitation.", "Sent %(count)s invitations.", sent)
                % {"count": sent},
            )
            return redirect("accounts:admin_invitations")
        if action == "give" and give_form.is_valid():
            count = give_form.cleaned_data["count"]
            people = invitation_services.invitations_give(
                actor=actor, count=count, username=give_form.cleaned_data["username"]
            )
            messages.success(
                request,
                ngettext(
                    "Gave %(count)s invitation to each of %(accounts)s.",
                    "Gave %(count)s invitations to each of %(accounts)s.",
                    count,
                )
                % {
                    "count": count,
                    "accounts": ngettext("%(people)s account", "%(people)s accounts", people)
                    % {"people": people},
                },
            )
            return redirect("accounts:admin_invitations")
    except ValidationError as error:
        form_error_from(send_form if action == "send" else give_form, error)
    return render(
        request,
        "accounts/admin_invitations.html",
        {
            "send_form": send_form,
            "give_form": give_form,
            "waiting": invitation_selectors.queue_length(),
            "required": invitation_selectors.invitations_required(),
        },
    )
