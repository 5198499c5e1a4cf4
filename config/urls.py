from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="works:list", permanent=False), name="home"),
    path("works/", include("fanarchive.works.urls")),
    path("tags/", include("fanarchive.tags.urls")),
    path("", include("fanarchive.accounts.urls")),
    path("admin/", admin.site.urls),
]
