from django.urls import path

from fanarchive.formats import views

app_name = "formats"
urlpatterns = [
    path("downloads/<int:work_id>/<slug:fmt>/", views.download, name="download"),
    path("import/", views.import_work, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
