"""The site's URLs plus a stand-in for comments' reply page (engagement:comment_reply),
which is built beside this branch: lets the inbox's reply form be tested now."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns


def reply(request, comment_id):  # pragma: no cover - only its address is used
    return HttpResponse("")


engagement_patterns = (
    [path("comments/<int:comment_id>/reply/", reply, name="comment_reply")],
    "engagement",
)
urlpatterns = [path("", include(engagement_patterns)), *site_urlpatterns]
