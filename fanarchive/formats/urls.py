from django.urls import path

from fanarchive.formats import views

app_name = "formats"
urlpatterns = [
    path("downloads/<int:work_id>/<slug:fmt>/", views.download, name="download"),
    path(
        "series/<int:series_id>/download/<slug:fmt>/",
        views.series_download,
        name="series_download",
    ),
    path("import/", views.import_work, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    # Old addresses of a migrated eFiction archive (`fanarchive migrate-efiction`).
    path("viewstory.php", views.efiction_story, name="efiction_story"),
    path("viewuser.php", views.efiction_user, name="efiction_user"),
    path("viewseries.php", views.efiction_series, name="efiction_series"),
    # A reader's bookmarks or marked-for-later works as one zip (batch_download_services).
    path(
        "users/<str:username>/downloads/<slug:list_name>/<slug:fmt>/",
        views.batch_download,
        name="batch_download",
    ),
]
