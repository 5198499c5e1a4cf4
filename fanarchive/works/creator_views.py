"""Co-creators, answering gifts and orphaning. Thin: parse, call one service or selector,
render. (The page listing a user's gifts is discovery.profile_views.gifts.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted, site_url
from fanarchive.works import creator_services, selectors
from fanarchive.works.forms import InviteForm, OrphanForm
from fanarchive.works.models import CreatorInvitation, Creatorship
from fanarchive.works.views import _creator_work

# -- co-creators --------------------------------------------------------------------------


@login_required
def work_creators(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work's creators and invitations; invite another pseud."""
    user, work = _creator_work(request, work_id)
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = creator_services.creator_invite(
                user=user,
                work=work,
                pseud_name=form.cleaned_data["pseud"],
                site_url=site_url(request),
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            if isinstance(result, Creatorship):
                messages.success(
                    request,
                    _("%(byline)s is now a creator of this work.")
                    % {"byline": result.pseud.byline},
                )
            else:
                messages.success(
                    request,
                    _("%(byline)s was invited. The work will show them once they accept.")
                    % {"byline": result.pseud.byline},
                )
            return redirect("works:creators", work.pk)
    return render(
        request,
        "works/creators.html",
        {
            "form": form,
            "work": work,
            "creatorships": work.creatorships.select_related("pseud", "pseud__user"),
            "invitations": selectors.invitations_sent(work),
        },
    )


@login_required
@require_POST
def creators_leave(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    try:
        creator_services.creator_remove_self(user=user, work=work)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("works:creators", work.pk)
    messages.success(
        request, _('You are no longer a creator of "%(title)s".') % {"title": work.title}
    )
    return redirect("accounts:profile", user.username)


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    page = paginate(request, selectors.invitations_for(user))
    return render(request, "works/invitations.html", {"page": page})


@login_required
@require_POST
def invitation_answer(request: HttpRequest, invitation_id: int, answer: str) -> HttpResponse:
    user = authenticated_user(request)
    invitation: CreatorInvitation = selectors.invitation_get(user, invitation_id)
    try:
        if answer == "accept":
            creator_services.invitation_accept(user=user, invitation=invitation)
            messages.success(
                request,
                _('You are now a creator of "%(title)s".') % {"title": invitation.work.title},
            )
        else:
            creator_services.invitation_decline(user=user, invitation=invitation)
            messages.success(
                request,
                _('You declined to co-create "%(title)s".') % {"title": invitation.work.title},
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("works:invitations")


# -- gifts -------------------------------------------------------------------------------


@login_required
@require_POST
def gift_answer(request: HttpRequest, work_id: int, answer: str) -> HttpResponse:
    user = authenticated_user(request)
    for gift in selectors.gift_get(user, work_id):
        if answer == "refuse":
            creator_services.gift_refuse(user=user, gift=gift)
        else:
            creator_services.gift_accept_again(user=user, gift=gift)
    messages.success(
        request,
        _("You refused the gift: it no longer shows you as its recipient.")
        if answer == "refuse"
        else _("You accepted the gift again."),
    )
    return redirect("works:gifts", user.username)


# -- orphaning ---------------------------------------------------------------------------


@login_required
def work_orphan(request: HttpRequest, work_id: int) -> HttpResponse:
    user, work = _creator_work(request, work_id)
    form = OrphanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            creator_services.work_orphan(
                user=user, work=work, keep_pseud=form.cleaned_data["keep_pseud"]
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _('"%(title)s" was orphaned.') % {"title": work.title})
            return redirect("accounts:profile", user.username)
    return render(request, "works/orphan.html", {"form": form, "work": work})


@login_required
def works_orphan_all(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    form = OrphanForm(posted(request))
    if request.method == "POST" and form.is_valid():
        count = creator_services.works_orphan_all(
            user=user, keep_pseud=form.cleaned_data["keep_pseud"]
        )
        messages.success(
            request,
            ngettext("%(count)s work orphaned.", "%(count)s works orphaned.", count)
            % {"count": count},
        )
        return redirect("accounts:profile", user.username)
    count = selectors.works_to_orphan(user).count()
    return render(request, "works/orphan.html", {"form": form, "all_works": True, "count": count})
