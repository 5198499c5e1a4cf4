"""The age-gate policies' pages: confirming one is an adult, getting an account
age-verified, and the outside verification provider's signed callback."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from fanarchive.accounts import age_services
from fanarchive.accounts.age_tokens import TokenRefused
from fanarchive.core.views import authenticated_user, posted


class AdultConfirmForm(forms.Form):
    adult = forms.BooleanField(
        label=gettext_lazy("I confirm I am 18 or over"),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that you are 18 or over.")
        },
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("works:list")


@login_required
def adult_confirm(request: HttpRequest) -> HttpResponse:
    """/age/confirm/: "I confirm I am 18 or over", kept on the account."""
    user = authenticated_user(request)
    form = AdultConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        age_services.adult_confirm(user=user, owner=user)
        messages.success(request, _("Thank you: you confirmed that you are 18 or over."))
        return redirect(_next(request))
    context = {"form": form, "next": _next(request), "confirmed_at": user.adult_confirmed_at}
    return render(request, "accounts/age_confirm.html", context)


def age_verify(request: HttpRequest) -> HttpResponse:
    """/age/verify/: what to do to have one's account age-verified."""
    provider = ""
    if settings.AGE_VERIFICATION_URL and request.user.is_authenticated:
        # The provider learns which account to vouch for, and where to send the reader back.
        query = urlencode(
            {
                "username": request.user.get_username(),
                "return_to": request.build_absolute_uri(reverse("age:verify")),
            }
        )
        separator = "&" if "?" in settings.AGE_VERIFICATION_URL else "?"
        provider = f"{settings.AGE_VERIFICATION_URL}{separator}{query}"
    return render(request, "accounts/age_verify.html", {"provider_url": provider})


@csrf_exempt  # called by the provider's server, which signs instead
@require_POST
def age_verification_callback(request: HttpRequest) -> JsonResponse:
    """POST /age-verification/callback/ with `token` (a form field, or JSON
    {"token": ...}): the account it names is marked age-verified (accounts.age_tokens)."""
    token = request.POST.get("token", "")
    if not token and request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = None
        token = body.get("token", "") if isinstance(body, dict) else ""
    if not isinstance(token, str) or not token.strip():
        return JsonResponse({"error": _("Send the signed token as `token`.")}, status=400)
    try:
        user = age_services.age_verified_by_provider(token=token)
    except TokenRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=403)
    except age_services.UnknownAccount as unknown:
        return JsonResponse({"error": str(unknown)}, status=404)
    return JsonResponse({"username": user.username, "age_verified": True})
