"""The interface's language for each request (docs/translating.md).

A guest's language is the footer chooser's cookie, else the browser's Accept-Language;
an account's preference (accounts.language_services) is put in that cookie when the
account logs in or chooses. URLs carry no language prefix.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant, override
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog


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


# -- the scripts' strings --------------------------------------------------------------


def _catalogue_version() -> str:
    """Changes with the compiled scripts' catalogues (new translations, a new language), so
    a deployment never serves a catalogue cached before it."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        for mo in sorted(Path(folder).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(mo.parent.parent.name.encode() + b"\0" + mo.read_bytes())
    return digest.hexdigest()[:12]


class ScriptCatalogue(JavaScriptCatalog):
    """The JavaScript catalogue (djangojs domain: static/js/*.js call gettext, ngettext
    and interpolate) in the request's language, or in the one its `?language=` names.

    base.html loads it before the other scripts as `/jsi18n/?language=<the page's>`: the
    address names the language, because browsers keep a script by its address and do not
    fetch it again when only the language cookie changed (Chromium ignores `Vary: Cookie`
    there). Only the project's own catalogue (LOCALE_PATHS), no app's."""

    packages = ["fanarchive.core"]

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        language = supported_language(request.GET.get("language", ""))
        if not language:
            return super().get(request, *args, **kwargs)
        with override(language):
            response = super().get(request, *args, **kwargs)
        response["Content-Language"] = language
        return response


# Cached a day per address and language (cache_page's key holds both), under a key that
# changes with the compiled catalogues; the response says Vary: Accept-Language, Cookie and
# Content-Language, as every page does.
CATALOGUE_CACHE_SECONDS = 24 * 60 * 60
javascript_catalog = cache_page(
    CATALOGUE_CACHE_SECONDS, key_prefix=f"jsi18n-{_catalogue_version()}"
)(ScriptCatalogue.as_view())
