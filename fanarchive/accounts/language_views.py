"""The language chooser in every page's footer: a small form that works without
JavaScript. A guest's choice goes into the language cookie; an account's is saved with
its preferences too, so its next log-in, in any browser, brings it back."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.language_selectors import account_language
from fanarchive.accounts.language_services import account_language_set, language_check
from fanarchive.accounts.models import User
from fanarchive.core.i18n import language_cookie_set


def _back(request: HttpRequest) -> str:
    """The page the form was on (a path of this site only), else the home page."""
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "").strip()
    response = HttpResponseRedirect(_back(request))
    try:
        language_check(language)
    except ValidationError:
        messages.error(request, _("Choose one of the languages offered."))
        return response
    if request.user.is_authenticated:
        account_language_set(user=request.user, language=language)
    language_cookie_set(request, response, language)
    return response


def account_language_remember(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """At log-in: the account's language (if it chose one) becomes this browser's, from
    this response on (its messages included)."""
    language = account_language(user)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
        language_cookie_set(request, response, language)
