from django.urls import path

from fanarchive.discovery import views
from fanarchive.discovery.feeds import WorksFeed

app_name = "discovery"
urlpatterns = [
    path("works/feed.atom", WorksFeed(), name="works_feed"),
    path("tags/<int:tag_id>/feed.atom", WorksFeed(), name="tag_feed"),
    path("users/<str:username>/mutes/", views.mutes, name="mutes"),
    path("users/<str:username>/mutes/tags/", views.mute_tag, name="mute_tag"),
    path(
        "users/<str:username>/mutes/tags/<int:tag_id>/delete/",
        views.unmute_tag,
        name="unmute_tag",
    ),
    path(
        "users/<str:username>/mutes/creators/<int:creator_id>/delete/",
        views.unmute_creator,
        name="unmute_creator",
    ),
    path("users/<str:username>/filters/", views.saved_filters, name="saved_filters"),
    path(
        "users/<str:username>/filters/<int:filter_id>/delete/",
        views.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path("admin/catalogue-index/", views.index_health, name="health"),
]
