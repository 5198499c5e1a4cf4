"""The moderators' spam pages: comments held by the spam rules (approve, or delete as
spam) and marking an account as a spammer (or not). Guests are sent to log in; other
readers get 403 from the services and selectors. Thin: parse, call one service or
selector, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted, site_url
from fanarchive.engagement.models import Comment
from fanarchive.engagement.spam_selectors import held_comments
from fanarchive.engagement.spam_services import held_comment_approve, held_comment_spam
from fanarchive.moderation.selectors import spammer_entry
from fanarchive.moderation.spam_services import user_mark_spammer, user_unmark_spammer


class SpammerForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the person)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _back_to_held(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    suffix = f"?page={page}" if page.isdigit() else ""
    return redirect(reverse("moderation:held") + suffix)


@login_required
def held_list(request: HttpRequest) -> HttpResponse:
    """Comments held by the spam rules, oldest first, with Approve and Spam."""
    moderator = authenticated_user(request)
    page = paginate(request, held_comments(moderator))
    return render(request, "moderation/held.html", {"page": page})


def _held_comment(request: HttpRequest, comment_id: int) -> tuple[User, Comment]:
    moderator = authenticated_user(request)
    require_moderator(
        moderator, _("Only moderators and administrators can moderate held comments.")
    )
    return moderator, get_object_or_404(Comment, pk=comment_id)


@login_required
@require_POST
def held_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    moderator, comment = _held_comment(request, comment_id)
    try:
        held_comment_approve(moderator=moderator, comment=comment, site_url=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The comment is approved."))
    return _back_to_held(request)


@login_required
@require_POST
def held_spam(request: HttpRequest, comment_id: int) -> HttpResponse:
    moderator, comment = _held_comment(request, comment_id)
    try:
        held_comment_spam(moderator=moderator, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The comment was deleted as spam."))
    return _back_to_held(request)


@login_required
def spammer(request: HttpRequest, username: str) -> HttpResponse:
    """Confirm marking `username` as a spammer (POST `mark`), or undo it (POST `unmark`)."""
    moderator = authenticated_user(request)
    require_moderator(
        moderator, _("Only moderators and administrators can mark accounts as spammers.")
    )
    person = get_object_or_404(User, username=username)
    form = SpammerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if request.POST.get("unmark"):
                user_unmark_spammer(moderator=moderator, user=person, reason=reason)
                done = _("%(username)s is not marked as a spammer any more.") % {
                    "username": person.username
                }
            else:
                user_mark_spammer(moderator=moderator, user=person, reason=reason)
                done = _("%(username)s is marked as a spammer.") % {"username": person.username}
        except PermissionDenied as refusal:  # oneself, or an administrator
            form.add_error(None, str(refusal))
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, done)
            return redirect("moderation:spammer", person.username)
    context = {"person": person, "form": form, "marked": spammer_entry(person)}
    return render(request, "moderation/spammer.html", context)
