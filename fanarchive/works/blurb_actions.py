"""What a reader can do from a work's blurb (set its reading-list status), offered by an
app above works.

Works builds every blurb (`works_tags.blurb_html`), but the reading list is kept by the
engagement app, above it. So works declares the port, a maker that is given the page's
request once and answers, per work id, the HTML of that reader's actions (escaped by the
maker), and engagement supplies it when it is ready (`engagement.apps`): a port, not an
upward import, as `works.stats`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

ActionsOf = Callable[[int], str]
ActionsMaker = Callable[[HttpRequest], ActionsOf]
_makers: list[ActionsMaker] = []


def _none(work_id: int) -> str:
    return ""


def blurb_actions_supplied_by(maker: ActionsMaker) -> None:
    """Say who makes the blurbs' actions (the engagement app, once, when it is ready)."""
    _makers[:] = [maker]


# Kept on the request: a page's blurbs may be rendered by many templates (an include per
# blurb), and the maker reads the reader's choices once per page.
_REQUEST_KEY = "_fanarchive_blurb_actions"


def blurb_actions_for(request: HttpRequest | None) -> ActionsOf:
    """The actions of a page's blurbs for the request's reader (none without a request),
    made once per request."""
    if request is None or not _makers:
        return _none
    made: ActionsOf | None = getattr(request, _REQUEST_KEY, None)
    if made is None:
        made = _makers[0](request)
        setattr(request, _REQUEST_KEY, made)
    return made
