from django.urls import path

from fanarchive.works import views

app_name = "works"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("new/", views.work_new, name="new"),
    path("<int:work_id>/", views.work_detail, name="detail"),
    path("<int:work_id>/navigate/", views.work_navigate, name="navigate"),
    path("<int:work_id>/edit/", views.work_edit, name="edit"),
    path("<int:work_id>/post/", views.work_post, name="post"),
    path("<int:work_id>/delete/", views.work_delete, name="delete"),
    path("<int:work_id>/chapters/new/", views.chapter_new, name="chapter_new"),
    path("<int:work_id>/chapters/manage/", views.chapters_manage, name="chapters_manage"),
    path("<int:work_id>/chapters/<int:chapter_id>/", views.chapter_detail, name="chapter"),
    path("<int:work_id>/chapters/<int:chapter_id>/edit/", views.chapter_edit, name="chapter_edit"),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/delete/",
        views.chapter_delete,
        name="chapter_delete",
    ),
]
