from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from fanarchive.discovery.views import tag_works as find_tag_works


def tag_works(request: HttpRequest, tag_id: int) -> HttpResponse:
    """The works a reader may see that carry this tag, with the filter form and facets."""
    return find_tag_works(request, tag_id)
