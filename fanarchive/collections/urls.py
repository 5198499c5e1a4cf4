"""The collections app's pages."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from fanarchive.collections import views

app_name = "collections"

urlpatterns: list[URLPattern | URLResolver] = [
    path("collections/", views.collection_index, name="index"),
    path("collections/new/", views.collection_new, name="new"),
    path("collections/<str:name>/", views.collection_detail, name="detail"),
    path("collections/<str:name>/edit/", views.collection_edit, name="edit"),
    path("collections/<str:name>/delete/", views.collection_delete, name="delete"),
    path("collections/<str:name>/join/", views.collection_join, name="join"),
    path(
        "collections/<str:name>/participants/",
        views.collection_participants,
        name="participants",
    ),
    path(
        "collections/<str:name>/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "collections/<str:name>/participants/<int:participant_id>/role/",
        views.participant_role,
        name="participant_role",
    ),
    path("collections/<str:name>/items/", views.collection_items, name="items"),
    path(
        "collections/<str:name>/items/<int:item_id>/<str:action>/",
        views.item_action,
        name="item_action",
    ),
    path("collections/<str:name>/reveal/<str:what>/", views.collection_reveal, name="reveal"),
    path("works/<int:work_id>/collections/add/", views.work_add, name="work_add"),
    path("users/<str:username>/collection-items/", views.user_items, name="user_items"),
    path(
        "users/<str:username>/collection-items/<int:item_id>/",
        views.user_item_answer,
        name="user_item_answer",
    ),
]
