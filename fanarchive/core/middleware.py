from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from fanarchive.core.errors import LoginRequired


class ContentSecurityPolicyMiddleware:
    """Send the site's Content-Security-Policy on every response.

    Django 5.2 has no CSP support of its own (it arrives in Django 6), and the
    policy is one fixed string, so a few lines beat another dependency.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class LoginRequiredMiddleware:
    """Turn `LoginRequired` from a selector into "please log in", then back to the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LoginRequired):
            return None
        # The exception's message is a whole sentence, translated where it was raised.
        messages.info(request, str(exception))
        return redirect_to_login(request.get_full_path())
