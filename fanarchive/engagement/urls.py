from django.urls import path

from fanarchive.engagement import views

app_name = "engagement"
urlpatterns = [
    path("works/<int:work_id>/kudos/", views.kudos, name="kudos"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/comments/",
        views.comment_new,
        name="comment_new",
    ),
    path("works/<int:work_id>/comments/pending/", views.comments_pending, name="comments_pending"),
    path("comments/<int:comment_id>/", views.comment_detail, name="comment"),
    path("comments/<int:comment_id>/thread/", views.comment_thread, name="comment_thread"),
    path("comments/<int:comment_id>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path(
        "comments/<int:comment_id>/approve/",
        views.comment_moderate,
        {"action": "approve"},
        name="comment_approve",
    ),
    path(
        "comments/<int:comment_id>/freeze/",
        views.comment_moderate,
        {"action": "freeze"},
        name="comment_freeze",
    ),
    path(
        "comments/<int:comment_id>/unfreeze/",
        views.comment_moderate,
        {"action": "unfreeze"},
        name="comment_unfreeze",
    ),
    path("users/<str:username>/block/", views.block, name="block"),
    path("users/<str:username>/unblock/", views.unblock, name="unblock"),
    path("users/<str:username>/blocks/", views.blocks, name="blocks"),
]
