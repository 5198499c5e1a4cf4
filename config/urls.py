from django.contrib import admin
from django.urls import include, path

from fanarchive.accounts import urls as accounts_urls
from fanarchive.api.api import api, not_found
from fanarchive.core.i18n import javascript_catalog
from fanarchive.core.views import favicon
from fanarchive.discovery import listing_urls as discovery_listing_urls
from fanarchive.discovery import profile_urls as discovery_profile_urls
from fanarchive.discovery import social_urls as discovery_social_urls
from fanarchive.engagement import profile_urls as engagement_profile_urls
from fanarchive.engagement import reading_urls as engagement_reading_urls
from fanarchive.engagement import social_urls as engagement_social_urls
from fanarchive.works import profile_urls as works_profile_urls
from fanarchive.works import urls as works_urls

# A page lives in the layer of the data it shows, so one URL namespace may gather the
# pages of several apps; each app gives its own pattern list, composed here (no app's
# URL module imports the views of a higher layer). Within a namespace, a list whose
# fixed addresses must win over another's <parameters> comes first.
works_pages = (
    discovery_listing_urls.urlpatterns  # the works listing, gifts, series pages (mutes applied)
    + works_urls.urlpatterns  # posting and changing works, series, co-creators
    + engagement_reading_urls.urlpatterns  # reading a work: its kudos, comments, hits
)
accounts_pages = (
    accounts_urls.urlpatterns  # sign-up, log-in, passwords, editing profile and pseuds
    + works_profile_urls.urlpatterns  # pseuds (with work counts), drafts
    + engagement_profile_urls.urlpatterns  # preferences (may clear reading history)
    + discovery_profile_urls.urlpatterns  # profile and pseud pages (works, mutes applied)
)
social_pages = (
    engagement_social_urls.urlpatterns  # bookmarking, subscriptions, the inbox, history
    + discovery_social_urls.urlpatterns  # a user's bookmarks (mutes applied)
)

urlpatterns = [
    # The scripts' translations in the reader's language (docs/translating.md).
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("favicon.ico", favicon),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", not_found),
    # The front page, news (/news/...) and the site's pages (/about/<slug>/).
    path("", include("fanarchive.news.urls")),
    # Feeds, mutes, saved filters and the index's health; before the apps whose prefixes it shares.
    path("", include("fanarchive.discovery.urls")),
    # Kudos, comments, blocks: /works/<id>/kudos/, /comments/..., /users/<name>/block...
    path("", include("fanarchive.engagement.urls")),
    # Bookmarks, subscriptions, the inbox and history (some under /works/ and /users/).
    path("", include((social_pages, "social"))),
    path("works/", include((works_pages, "works"))),
    path("", include("fanarchive.wrangling.urls")),
    path("tags/", include("fanarchive.discovery.tag_urls")),
    path("", include("fanarchive.formats.urls")),
    # Deleting an account, exporting its data: /users/<name>/delete/, /users/<name>/export/...
    path("", include("fanarchive.portability.urls")),
    # Reports, the moderation queue and appeals: /report/..., /moderation/...
    path("", include("fanarchive.collections.urls")),
    path("", include("fanarchive.collections.listing_urls")),
    path("", include("fanarchive.challenges.urls")),
    path("", include("fanarchive.moderation.urls")),
    # The API tokens page, before the accounts app's /users/<username>/... catch-alls.
    path("", include("fanarchive.api.urls")),
    # Age-gate policies: /age/confirm/, /age/verify/, /age-verification/callback/
    path("", include("fanarchive.accounts.age_urls")),
    path("", include((accounts_pages, "accounts"))),
    path("admin/", admin.site.urls),
]

# A bad request says what was wrong (a body over the size limit gets the "too large" page).
handler400 = "fanarchive.core.views.bad_request"
