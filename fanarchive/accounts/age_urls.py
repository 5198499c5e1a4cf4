"""The age-gate policies' pages, URL namespace "age" (joined in config/urls.py)."""

from django.urls import path

from fanarchive.accounts import age_views

app_name = "age"

urlpatterns = [
    path("age/confirm/", age_views.adult_confirm, name="confirm"),
    path("age/verify/", age_views.age_verify, name="verify"),
    path(
        "age-verification/callback/",
        age_views.age_verification_callback,
        name="verification_callback",
    ),
]
