"""The challenges app's exchange pages (included by urls.py): matching, assignments."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from fanarchive.challenges import exchange_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("collections/<str:name>/matching/", views.exchange_matching, name="exchange_matching"),
    path(
        "collections/<str:name>/matching/generate/",
        views.exchange_generate,
        name="exchange_generate",
    ),
    path("collections/<str:name>/matching/adjust/", views.exchange_adjust, name="exchange_adjust"),
    path("collections/<str:name>/matching/swap/", views.exchange_swap, name="exchange_swap"),
    path(
        "collections/<str:name>/matching/<int:assignment_id>/clear/",
        views.exchange_clear,
        name="exchange_clear",
    ),
    path("collections/<str:name>/matching/send/", views.exchange_send, name="exchange_send"),
    path(
        "collections/<str:name>/assignments/",
        views.exchange_assignments,
        name="exchange_assignments",
    ),
    path(
        "collections/<str:name>/assignments/for/<int:signup_id>/",
        views.exchange_for_pinch_hitter,
        name="exchange_for_pinch_hitter",
    ),
    path(
        "collections/<str:name>/assignments/<int:assignment_id>/",
        views.assignment_detail,
        name="assignment_detail",
    ),
    path(
        "collections/<str:name>/assignments/<int:assignment_id>/fulfil/",
        views.assignment_fulfil,
        name="assignment_fulfil",
    ),
    path(
        "collections/<str:name>/assignments/<int:assignment_id>/default/",
        views.assignment_default,
        name="assignment_default",
    ),
    path(
        "collections/<str:name>/assignments/<int:assignment_id>/pinch-hit/",
        views.assignment_pinch_hit,
        name="assignment_pinch_hit",
    ),
    path(
        "users/<str:username>/assignments/",
        views.assignment_dashboard,
        name="assignment_dashboard",
    ),
]
