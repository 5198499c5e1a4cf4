from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from fanarchive.api.api import api, not_found

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", not_found),
    path("", RedirectView.as_view(pattern_name="works:list", permanent=False), name="home"),
    # Feeds, mutes, saved filters and the index's health; before the apps whose prefixes it shares.
    path("", include("fanarchive.discovery.urls")),
    # Kudos, comments, blocks: /works/<id>/kudos/, /comments/..., /users/<name>/block...
    path("", include("fanarchive.engagement.urls")),
    # Bookmarks, subscriptions, the inbox and history (some under /works/ and /users/).
    path("", include("fanarchive.engagement.social_urls")),
    path("works/", include("fanarchive.works.urls")),
    path("", include("fanarchive.tags.wrangling_urls")),
    path("tags/", include("fanarchive.discovery.tag_urls")),
    path("", include("fanarchive.formats.urls")),
    # The API tokens page, before the accounts app's /users/<username>/... catch-alls.
    path("", include("fanarchive.api.urls")),
    path("", include("fanarchive.accounts.urls")),
    path("admin/", admin.site.urls),
]
