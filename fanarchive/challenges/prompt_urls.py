"""The challenges app's prompt pages (included by urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from fanarchive.challenges import prompt_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("collections/<str:name>/prompts/", prompt_views.prompt_list, name="prompt_list"),
    path(
        "collections/<str:name>/prompts/<int:prompt_id>/",
        prompt_views.prompt_detail,
        name="prompt_detail",
    ),
    path(
        "collections/<str:name>/prompts/<int:prompt_id>/claim/",
        prompt_views.claim_create,
        name="claim_create",
    ),
    path(
        "collections/<str:name>/prompts/<int:prompt_id>/unclaim/",
        prompt_views.claim_unclaim,
        name="claim_unclaim",
    ),
    path("users/<str:username>/claims/", prompt_views.user_claims, name="claim_list"),
    path(
        "users/<str:username>/claims/<int:claim_id>/fill/",
        prompt_views.claim_fill,
        name="claim_fill",
    ),
]
