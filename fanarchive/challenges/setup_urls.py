"""The challenges app's setup pages (included by urls.py): tag sets and nominations, a
collection's challenge settings, sign-ups."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from fanarchive.challenges import setup_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("tag-sets/", views.tag_set_list, name="tag_set_list"),
    path("tag-sets/new/", views.tag_set_new, name="tag_set_new"),
    path("tag-sets/<int:tag_set_id>/", views.tag_set_detail, name="tag_set_detail"),
    path("tag-sets/<int:tag_set_id>/edit/", views.tag_set_edit, name="tag_set_edit"),
    path("tag-sets/<int:tag_set_id>/nominate/", views.tag_set_nominate, name="tag_set_nominate"),
    path(
        "tag-sets/<int:tag_set_id>/nominations/",
        views.tag_set_nominations,
        name="tag_set_nominations",
    ),
    path("collections/<str:name>/challenge/new/", views.challenge_new, name="setup_new"),
    path("collections/<str:name>/challenge/edit/", views.challenge_edit, name="setup_edit"),
    path("collections/<str:name>/signup/", views.signup_own, name="signup_own"),
    path("collections/<str:name>/signup/withdraw/", views.signup_withdraw, name="signup_withdraw"),
    path("collections/<str:name>/signups/", views.signup_list, name="signup_list"),
    path(
        "collections/<str:name>/signups/<int:signup_id>/",
        views.signup_detail,
        name="signup_detail",
    ),
    path(
        "collections/<str:name>/signups/<int:signup_id>/edit/",
        views.signup_edit,
        name="signup_edit",
    ),
    path(
        "collections/<str:name>/signups/<int:signup_id>/remove/",
        views.signup_remove,
        name="signup_remove",
    ),
]
