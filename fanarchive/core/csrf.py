"""Cross-site request forgery protection that leaves guests' pages free of tokens.

Guests' pages (listings, tag pages, works) are to be the same bytes for every guest, so
that one cached copy can serve them all; a per-visitor CSRF token in their forms (kudos,
comments, the language chooser, log-in) would make each one different and would be
another guest's in a shared copy. So a guest's POST is protected the way Go 1.25's
`net/http.CrossOriginProtection` protects every request: by what the browser itself says
about where the request comes from, in headers a page's script cannot set.

`OriginCsrfMiddleware` (in place of Django's `CsrfViewMiddleware`) decides an unsafe
request (anything but GET, HEAD, OPTIONS, TRACE) by a visitor who is not logged in:

======================================================  ==================================
the request says                                        outcome
======================================================  ==================================
`Sec-Fetch-Site: same-origin`                           accepted, no token needed
`Sec-Fetch-Site: none` (the user's own navigation)      accepted, no token needed
`Sec-Fetch-Site: same-site`, `cross-site` or else       refused (403), whatever its Origin
no `Sec-Fetch-Site`, an `Origin` Django accepts         accepted, no token needed
no `Sec-Fetch-Site`, any other `Origin` (``null`` too)  refused (403)
neither header                                          Django's token check
======================================================  ==================================

"An `Origin` Django accepts" is Django's own test (`_origin_verified`): this site's
scheme and host, or one of `CSRF_TRUSTED_ORIGINS` (for a proxy that changes the scheme or
the host). `Sec-Fetch-Site` is the stronger of the two (it is a browser's own judgement of
the page that sent the request, sent by every current browser since 2023), so when it is
there it decides alone: a request from a sibling subdomain (`same-site`) is refused even
though `SameSite=Lax` cookies would go with it. An `Origin` is only asked when a browser
sends no `Sec-Fetch-Site` (Safari before 16.4, say).

A request with neither header does not come from a current browser's form or script
(every one has sent `Origin` on a POST for years). It gets Django's ordinary check, so it
is accepted only with a CSRF cookie and its matching token, which a guest never has now
(guests' pages carry no token: `csrf_context` below) unless an earlier log-in left the
cookie and a page of that time is still open. So a browser too old for either
header cannot post as a guest, log-in included: it is refused with the site's CSRF page
(`templates/403_csrf.html`), which tells a guest that the archive could not tell the form
came from its own pages, and to use an up-to-date browser. Accepting such requests instead
would let any site post in a visitor's name from an old browser, log-in forgery included
(logging the visitor into the attacker's account).

Logged-in users are not affected: their pages are theirs alone and never shared, so they
keep Django's token check exactly (the `Origin` check, the `Referer` check on HTTPS, the
token of the cookie's secret); a log-in rotates the secret as before. A request without
`request.user` (only were `AuthenticationMiddleware` taken out of MIDDLEWARE: it runs
before any `process_view`) gets Django's check too.

Guests get no CSRF cookie either: Django replaces a malformed cookie as soon as a request
arrives, which would set one on a guest's page; here it is replaced only when a page asks
for a token (a logged-in user's page does), and until then a token check refuses it as
Django's does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.http import HttpRequest, HttpResponseBase, HttpResponseForbidden
from django.middleware.csrf import (
    REASON_BAD_ORIGIN,
    CsrfViewMiddleware,
    InvalidTokenFormat,
    get_token,
)
from django.template.base import Parser, Token
from django.template.context import Context
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# What a browser's `Sec-Fetch-Site` says of a request its own site's pages made, or one
# the user started (typing an address, a bookmark): nothing another site could cause.
SAME_ORIGIN_FETCHES = frozenset({"same-origin", "none"})

REASON_CROSS_SITE = "Sec-Fetch-Site is %s: a guest's request must come from this site's pages."


def _is_guest(request: HttpRequest) -> bool:
    """Not logged in; False when the user is not known (then Django's check applies)."""
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


class OriginCsrfMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, with guests checked by the browser's headers instead of a
    token (the module's docstring has the table)."""

    def process_request(self, request: HttpRequest) -> None:
        django: Any = self  # Django's helpers used here are private, so untyped
        try:
            secret = django._get_secret(request)
        except InvalidTokenFormat:
            # Django sets a new cookie here at once; left for `get_token` to replace when
            # a page needs a token, so a guest's page never sets one.
            return
        if secret is not None:
            request.META["CSRF_COOKIE"] = secret

    def process_view(
        self,
        request: HttpRequest,
        callback: Callable[..., HttpResponseBase],
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> HttpResponseForbidden | None:
        if (
            getattr(request, "csrf_processing_done", False)
            or getattr(callback, "csrf_exempt", False)
            or request.method in SAFE_METHODS
            or getattr(request, "_dont_enforce_csrf_checks", False)
            or not _is_guest(request)
        ):
            return super().process_view(request, callback, callback_args, callback_kwargs)
        django: Any = self
        fetch_site = request.headers.get("Sec-Fetch-Site")
        if fetch_site is not None:
            if fetch_site in SAME_ORIGIN_FETCHES:
                return django._accept(request)  # type: ignore[no-any-return]
            return django._reject(request, REASON_CROSS_SITE % fetch_site)  # type: ignore[no-any-return]
        if "HTTP_ORIGIN" in request.META:
            if django._origin_verified(request):
                return django._accept(request)  # type: ignore[no-any-return]
            return django._reject(request, REASON_BAD_ORIGIN % request.META["HTTP_ORIGIN"])  # type: ignore[no-any-return]
        # Neither header: not a current browser's request. Django's check wants the token.
        return super().process_view(request, callback, callback_args, callback_kwargs)


# -- the pages' side: no token for guests ------------------------------------------------

# A guest's `csrf_token`: the value Django's own context processor gives when there is no
# token, which its `{% csrf_token %}` renders as nothing.
NO_TOKEN = "NOTPROVIDED"  # noqa: S105 (a marker, not a secret)


def csrf_context(request: HttpRequest) -> dict[str, Any]:
    """`csrf_token` for every template (in TEMPLATES after Django's own processor, which
    always runs first, so this value wins): a logged-in user's token as Django gives it,
    and `NO_TOKEN` for a guest. So `{% csrf_token %}` renders nothing on a guest's page,
    `get_token` is never called for one and no CSRF cookie is set: every guest gets the
    same bytes. Lazy, as Django's: the user and the token are looked up when a form asks."""

    def token() -> str:
        return get_token(request) if _is_logged_in(request) else NO_TOKEN

    return {"csrf_token": SimpleLazyObject(token)}


def _is_logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and bool(user.is_authenticated)


# Loaded into every template as a builtin (TEMPLATES' "builtins"), after Django's own
# tags, so this `{% csrf_token %}` is the one templates use.
register = template.Library()


class CsrfTokenNode(template.Node):
    """Django's `{% csrf_token %}`, rendering `NO_TOKEN` as nothing without the call
    Django 5.2 makes there (`format_html("")`), which warns of its removal in Django 6."""

    child_nodelists = ()

    def render(self, context: Context) -> str:
        token = context.get("csrf_token")
        if not token or token == NO_TOKEN:
            # Nothing given is Django's case too, where it warns only with DEBUG on;
            # pages rendered without a request (mail) have no forms to protect.
            return ""
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.tag("csrf_token")
def csrf_token(parser: Parser, token: Token) -> CsrfTokenNode:
    return CsrfTokenNode()
