"""The interface's language for each request (docs/translating.md).

A guest's language is the footer chooser's cookie, else the browser's Accept-Language;
an account's preference (accounts.language_services) is put in that cookie when the
account logs in or chooses. URLs carry no language prefix.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, minus static files (the same bytes in every language, so no Vary on them),
    and varying on Cookie as well: the chooser's cookie picks the language too."""

    def _static(self, request: HttpRequest) -> bool:
        return request.path.startswith(settings.STATIC_URL)

    def process_request(self, request: HttpRequest) -> None:
        if not self._static(request):
            super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if self._static(request):
            return response
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response


def supported_language(code: str) -> str:
    """`code` as one of settings.LANGUAGES ("es-MX" is "es"), or "" when none fits."""
    try:
        return get_supported_language_variant(code) if code else ""
    except LookupError:
        return ""


def language_cookie_set(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Remember `language` in this browser (LocaleMiddleware reads the cookie); "" forgets
    it, so the browser's Accept-Language decides again."""
    if not language:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
