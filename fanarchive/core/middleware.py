from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils.http import quote_etag

from fanarchive.core.errors import LoginRequired

# What is worth compressing: pages, feeds, the API's JSON, CSS and scripts.
_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/javascript",
    "application/atom+xml",
    "application/rss+xml",
    "application/xml",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for text only.

    Downloads (EPUB, PDF, zip) and images are compressed already: gzipping them again
    costs CPU for nothing and hides their length from download managers.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not content_type.startswith(_TEXT_TYPES):
            return response
        return super().process_response(request, response)


# A form's CSRF token (logged-in users' pages only): masked afresh at each render, so it
# differs in every response.
_CSRF_FIELD = re.compile(rb'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


class ConditionalPageMiddleware(ConditionalGetMiddleware):
    """An ETag for each page, feed and API answer, and 304 when the client has it.

    Django's own ETag is the content's hash, and a logged-in user's forms carry CSRF
    tokens (the log-out button, kudos, comments) masked afresh at each render, which make
    every response different: hashed without them, an unchanged page keeps its validator.
    When a page has tokens, the browser's CSRF secret is hashed in instead, so a page kept
    from before the secret changed (a log-in rotates it), whose forms would be refused, is
    sent again rather than revalidated. A guest's page has no token (`core.csrf`), so its
    validator is its content's alone, the same for every guest, whatever CSRF cookie an
    earlier log-in left in the browser.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            request.method in ("GET", "HEAD")
            and isinstance(response, HttpResponse)
            and not response.streaming
            and not response.has_header("ETag")
            and self.needs_etag(response)
        ):
            response.headers["ETag"] = page_etag(request, response)
        return super().process_response(request, response)


def page_etag(request: HttpRequest, response: HttpResponse) -> str:
    """A page's ETag (`ConditionalPageMiddleware`): its content's hash, CSRF tokens left
    out and the browser's CSRF secret hashed in when it has any."""
    content, tokens = _CSRF_FIELD.subn(b"", response.content)
    digest = hashlib.md5(content, usedforsecurity=False)
    if tokens:
        cookie = settings.CSRF_COOKIE_NAME
        secret = (
            response.cookies[cookie].value
            if cookie in response.cookies
            else request.COOKIES.get(cookie, "")
        )
        digest.update(secret.encode())
    return quote_etag(digest.hexdigest())


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
