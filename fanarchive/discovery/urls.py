from django.urls import path

from fanarchive.discovery import alert_views, views
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
    path(
        "users/<str:username>/mutes/tags/<int:tag_id>/fandoms/",
        views.mute_scope,
        name="mute_tag_scope",
    ),
    path(
        "users/<str:username>/mutes/creators/<int:creator_id>/fandoms/",
        views.mute_scope,
        name="mute_creator_scope",
    ),
    path(
        "users/<str:username>/mutes/preferences/",
        views.listing_preferences,
        name="listing_preferences",
    ),
    path("users/<str:username>/filters/", views.saved_filters, name="saved_filters"),
    path(
        "users/<str:username>/filters/<int:filter_id>/delete/",
        views.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path(
        "users/<str:username>/filters/<int:filter_id>/alerts/",
        alert_views.saved_filter_alerts,
        name="saved_filter_alerts",
    ),
    path("admin/catalogue-index/", views.index_health, name="health"),
]
