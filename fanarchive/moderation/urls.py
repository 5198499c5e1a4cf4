"""The moderation pages: reporting, the queue, appeals."""

from __future__ import annotations

from django.urls import URLPattern, path

from fanarchive.moderation import advice_views, queue_views, report_views, spam_views

app_name = "moderation"

urlpatterns: list[URLPattern] = [
    path("report/<str:target_type>/<int:target_id>/", report_views.report_new, name="report"),
    path("moderation/", queue_views.queue, name="queue"),
    path("moderation/advice/", advice_views.advice_list, name="advice"),
    path("moderation/held/", spam_views.held_list, name="held"),
    path("moderation/held/<int:comment_id>/approve/", spam_views.held_approve, name="held_approve"),
    path("moderation/held/<int:comment_id>/spam/", spam_views.held_spam, name="held_spam"),
    path("moderation/users/<str:username>/spammer/", spam_views.spammer, name="spammer"),
    path("moderation/reports/<str:reference>/", queue_views.report_page, name="report_detail"),
    path("moderation/reports/<str:reference>/take/", queue_views.report_take, name="report_take"),
    path("moderation/reports/<str:reference>/appeal/", report_views.appeal_new, name="appeal"),
    path("moderation/appeals/<int:appeal_id>/", queue_views.appeal_page, name="appeal_detail"),
    path("moderation/appeals/<int:appeal_id>/take/", queue_views.appeal_take, name="appeal_take"),
]
