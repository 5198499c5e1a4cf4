from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fanarchive.core.views import paginate
from fanarchive.tags.models import Tag
from fanarchive.works.selectors import listed_works


def tag_works(request: HttpRequest, tag_id: int) -> HttpResponse:
    """The works a reader may see that carry this tag, newest update first."""
    tag = get_object_or_404(Tag, pk=tag_id)
    page = paginate(request, listed_works(request.user).with_tag(tag))
    return render(request, "tags/works.html", {"tag": tag, "page": page})
