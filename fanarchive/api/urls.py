from django.urls import path

from fanarchive.api import views

app_name = "api"
urlpatterns = [
    path("users/<str:username>/api-tokens/", views.tokens, name="tokens"),
    path(
        "users/<str:username>/api-tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
]
