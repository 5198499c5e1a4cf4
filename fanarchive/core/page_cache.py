"""Guests' listing pages from a cache shared by every process and host.

A guest's page is the same bytes for every guest in the same situation (guests' pages carry
no CSRF token: `core.csrf`). So a view wrapped in `guest_page_cached` keeps what it rendered
for a guest in Django's cache (the database's cache table by default, Redis when
`REDIS_URL` is set), under a key made of:

- the page's address (scheme, host, path and query string);
- what every cached page changes with (`pages_change_with`), such as the newest entry of
  the catalogue's change log, which every change to a work, its tags or its counts writes,
  or the newest wrangling. A change therefore shows at the next request, on every host;
- what the page varies by for this guest (`pages_vary_by`), such as the language, the reader
  settings, the adult-content consent and the banner this browser may see.

A page rendered while this process is still settling (`pages_kept_while`: its catalogue
index applying a big catch-up) is served but not kept: the key already names the newest
change, which the page may not yet show.

The apps that know these things register them (core knows none of them). An unchanged page
then costs a few indexed reads and one cache read, and the rendering is skipped; a page this
process served lately is not even read from the cache (`_Recent`), and a page is kept
gzipped too, so a browser's hit is not compressed again (`_Page`).

Never cached: logged-in users' pages (theirs alone), anything but a GET, a page with a
message waiting to be shown, answers other than 200, and answers setting a cookie (the
session's included, which its middleware sets after the view).
`GUEST_PAGE_CACHE_SECONDS` (0 turns it off) bounds how long an entry is kept; the versions in
the key, not the timeout, keep pages current.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

from fanarchive.core.middleware import page_etag

# What every cached page changes with, and what a guest's page varies by.
_versions: list[Callable[[], object]] = []
_variants: list[Callable[[HttpRequest], object]] = []
# What must all hold for a page just rendered to be kept.
_settled: list[Callable[[], bool]] = []

# Django's message storage: a cookie, then the session (FallbackStorage).
_MESSAGES_COOKIE = "messages"
_MESSAGES_SESSION_KEY = "_messages"
HIT_HEADER = "X-Page-Cache"
# What an entry holds (`_Page`); in the key, so that entries of an older release are never
# read as this one's.
_FORMAT = 3
# Shorter pages are not worth compressing (Django's GZipMiddleware's threshold).
_GZIP_AT_LEAST = 200


class _Page(NamedTuple):
    """A kept page: its content, type and ETag, and its content gzipped once (None when that
    is no shorter), so that a hit for a browser that takes gzip (every browser) is not
    compressed again: that cost ~1 ms a page, twice what serving the hit costs."""

    content: bytes
    content_type: str
    etag: str
    gzipped: bytes | None


def _page(request: HttpRequest, response: HttpResponse) -> _Page:
    content = response.content
    gzipped = None
    if len(content) >= _GZIP_AT_LEAST:
        # No random padding (GZipMiddleware's defence against BREACH): a guest's page
        # holds no secret, and it is the same bytes for every guest.
        gzipped = compress_string(content)
        if len(gzipped) >= len(content):
            gzipped = None
    return _Page(content, response["Content-Type"], page_etag(request, response), gzipped)


def _served(request: HttpRequest, page: _Page) -> HttpResponse:
    """A response for `page`, gzipped when the browser takes it, as TextGZipMiddleware
    would have made it (which leaves a response already encoded alone)."""
    if page.gzipped is None or not re_accepts_gzip.search(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    ):
        response = HttpResponse(page.content, content_type=page.content_type)
        response["ETag"] = page.etag  # kept with it: hashing ~80 KB again cost ~0.2 ms
        return response
    response = HttpResponse(page.gzipped, content_type=page.content_type)
    response["Content-Encoding"] = "gzip"
    # Weak, as GZipMiddleware makes it: the same page in another encoding.
    response["ETag"] = page.etag if page.etag.startswith("W/") else f"W/{page.etag}"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class _Recent:
    """The pages this process served last, in front of the shared cache: a key names a page
    as it is now (its versions are in it), so a copy kept here is as good as the shared one,
    and reading it skips a cache query and unpickling ~80 KB. Bounded, and each entry
    expires with the shared cache's timeout."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, tuple[float, _Page]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> _Page | None:
        with self.lock:
            found = self.pages.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return found[1]

    def put(self, key: str, page: _Page) -> None:
        with self.lock:
            self.pages[key] = (time.monotonic() + settings.GUEST_PAGE_CACHE_SECONDS, page)
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


# About 10 MB at most per process (pages of ~80 KB).
_recent = _Recent(size=128)


def pages_change_with(version: Callable[[], object]) -> None:
    """Every cached page is stale once `version()` answers differently."""
    if version not in _versions:
        _versions.append(version)


def pages_vary_by(variant: Callable[[HttpRequest], object]) -> None:
    """Guests for whom `variant(request)` answers differently get different pages."""
    if variant not in _variants:
        _variants.append(variant)


def entry_version(sql: str, params: Sequence[int | str] = ()) -> tuple[int, str]:
    """(id, time written) of the log row `sql` selects (`SELECT id, created_at ...`), (0, "")
    when there is none: a page's version. Plain SQL: every guest's page asks, and the ORM's
    compiling such a query cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def newest_entry(model: type[Model]) -> tuple[int, str]:
    """`entry_version` of a log's newest row (`model` has `created_at`): a version for
    `pages_change_with`, one indexed read."""
    table = connection.ops.quote_name(model._meta.db_table)
    return entry_version(f"SELECT id, created_at FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608 - a model's table name


def pages_kept_while(settled: Callable[[], bool]) -> None:
    """Keep a page just rendered only while `settled()` holds (it shows what the key says)."""
    if settled not in _settled:
        _settled.append(settled)


def page_language(request: HttpRequest) -> str:
    return str(getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE))


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or not settings.GUEST_PAGE_CACHE_SECONDS:
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    if request.COOKIES.get(_MESSAGES_COOKIE):
        return False
    session = getattr(request, "session", None)
    return session is None or _MESSAGES_SESSION_KEY not in session


def _session_changed(request: HttpRequest) -> bool:
    """The view wrote to the session: the answer will set its cookie (after this decorator
    has run), and a copy served from the cache would not write it."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.modified)


def page_key(request: HttpRequest, own: object = None) -> str:
    """The cache key of this guest's page at this address, as things are now: `own` is
    what the page itself changes with (`guest_page_cached`'s `changes_with`), in place of
    what every listing changes with."""
    # The host and scheme too: a page may hold absolute links (feeds, the canonical URL).
    parts = [str(request.scheme), request.get_host(), request.get_full_path()]
    if own is None:
        parts.extend(repr(version()) for version in _versions)
    else:
        parts.append(repr(own))
    parts.extend(repr(variant(request)) for variant in _variants)
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"guest-page-{_FORMAT}:{digest}"


# A view's own part of its pages' key, and what a page served from the cache still does.
PageHook = Callable[..., object]


Response = TypeVar("Response", bound=HttpResponseBase)


def not_kept(response: Response) -> Response:
    """Mark a page as not to be kept by `guest_page_cached` (an interstitial, say, served
    where the cached page would be: serving it from the cache would skip what `on_hit`
    does only for the real page)."""
    response._guest_page_not_kept = True  # type: ignore[attr-defined]
    return response


def guest_page_cached(
    unless: Callable[..., bool] | None = None,
    *,
    changes_with: PageHook | None = None,
    on_hit: PageHook | None = None,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Serve a guest's page from the shared cache when nothing it shows has changed; never
    when `unless(request, **kwargs)` (a page whose content the versions do not follow, or
    one this guest alone gets: no `HIT_HEADER`, so nginx does not keep it either).

    By default a page changes with everything registered with `pages_change_with` (a
    listing shows any work). A page about one thing (a work) says instead what it changes
    with, `changes_with(request, **kwargs)`, so that a change elsewhere leaves it cached;
    and `on_hit(request, **kwargs)`, what serving it from the cache must still do (count
    a hit)."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not _cacheable(request) or (unless is not None and unless(request, **kwargs)):
                return view(request, *args, **kwargs)
            own = changes_with(request, **kwargs) if changes_with is not None else None
            key = page_key(request, own)
            kept = _recent.get(key)
            if kept is None:
                kept = cache.get(key)
                if kept is not None:
                    _recent.put(key, kept)
            if kept is not None:
                if on_hit is not None:
                    on_hit(request, **kwargs)
                hit = _served(request, kept)
                hit[HIT_HEADER] = "hit"
                return hit
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and isinstance(response, HttpResponse)
                and not response.cookies
                and not _session_changed(request)
                and not getattr(response, "_guest_page_not_kept", False)
                and all(settled() for settled in _settled)
            ):
                kept = _page(request, response)
                cache.set(key, kept, settings.GUEST_PAGE_CACHE_SECONDS)
                _recent.put(key, kept)
                response[HIT_HEADER] = "miss"
            return response

        return cached_view

    return decorate
