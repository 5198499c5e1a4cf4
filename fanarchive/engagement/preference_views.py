"""A reader's preferences page (in the "accounts" URL namespace: profile_urls, composed in
config/urls.py). Here because saving them may clear reading history.
Thin: parse with a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from fanarchive.accounts.forms import PreferencesForm
from fanarchive.accounts.selectors import own_account, preference_of
from fanarchive.core.i18n import language_cookie_set
from fanarchive.core.views import authenticated_user, form_error_from, posted
from fanarchive.engagement.preference_services import preferences_update


@login_required
def preferences(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    initial = PreferencesForm.initial_for(preference_of(owner))
    form = PreferencesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preferences_update(
                user=authenticated_user(request),
                owner=owner,
                view_adult=data["view_adult"],
                hide_warnings=data["hide_warnings"],
                hide_freeform=data["hide_freeform"],
                accept_cocreator_invitations=data["accept_cocreator_invitations"],
                refuse_gifts=data["refuse_gifts"],
                keep_history=data["keep_history"],
                use_marked_for_later=data["use_marked_for_later"],
                email=form.email_choices(),
                reading_speed=data["reading_speed"],
                language=data["language"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            response = redirect("accounts:preferences", owner.username)
            # The chosen language from this response on, in this browser too.
            language_cookie_set(request, response, data["language"])
            if data["language"]:
                translation.activate(data["language"])
            messages.success(request, _("Your preferences were saved."))
            return response
    return render(request, "accounts/preferences.html", {"form": form, "owner": owner})
