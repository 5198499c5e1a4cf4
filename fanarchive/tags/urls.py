from django.urls import path
from django.views.generic import RedirectView

from fanarchive.tags import views

app_name = "tags"
urlpatterns = [
    path("<int:tag_id>/", RedirectView.as_view(pattern_name="tags:works"), name="detail"),
    path("<int:tag_id>/works/", views.tag_works, name="works"),
]
