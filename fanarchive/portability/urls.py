"""Deleting one's account and downloading everything of one's own."""

from __future__ import annotations

from django.urls import URLPattern, path

from fanarchive.portability import deletion_views, export_views

app_name = "portability"

urlpatterns: list[URLPattern] = [
    # Delete my account (deletion_views); an admin's page for someone's.
    path("users/<str:username>/delete/", deletion_views.account_delete, name="delete"),
    path(
        "admin-tools/delete-account/<int:user_id>/",
        deletion_views.admin_account_delete,
        name="admin_delete",
    ),
    # Export my data (export_views).
    path("users/<str:username>/export/", export_views.export_page, name="export"),
    path("users/<str:username>/export/new/", export_views.export_request, name="export_request"),
    path(
        "users/<str:username>/export/<int:export_id>/download/",
        export_views.export_download,
        name="export_download",
    ),
]
