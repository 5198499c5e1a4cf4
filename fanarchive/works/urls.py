"""The works app's pages in the "works" URL namespace, under /works/.

config/urls.py composes the namespace: the works listing, gifts and series pages are
discovery.listing_urls, the reading pages engagement.reading_urls.
"""

from django.urls import path

from fanarchive.works import creator_views, history_views, series_views, skin_views, views

urlpatterns = [
    path("new/", views.work_new, name="new"),
    # Writers' tools with fixed addresses come before /works/<id>/.
    path("autosave/", views.autosave, name="autosave"),
    path("autosave/discard/", views.autosave_discard, name="autosave_discard"),
    path("invitations/", creator_views.invitations, name="invitations"),
    path(
        "invitations/<int:invitation_id>/accept/",
        creator_views.invitation_answer,
        {"answer": "accept"},
        name="invitation_accept",
    ),
    path(
        "invitations/<int:invitation_id>/decline/",
        creator_views.invitation_answer,
        {"answer": "decline"},
        name="invitation_decline",
    ),
    path("orphan/", creator_views.works_orphan_all, name="orphan_all"),
    path("series/new/", series_views.series_new, name="series_new"),
    path("series/<int:series_id>/edit/", series_views.series_edit, name="series_edit"),
    path("series/<int:series_id>/reorder/", series_views.series_reorder, name="series_reorder"),
    path("series/<int:series_id>/delete/", series_views.series_delete, name="series_delete"),
    path(
        "series/<int:series_id>/works/<int:work_id>/remove/",
        series_views.series_remove_work,
        name="series_remove_work",
    ),
    path("<int:work_id>/navigate/", views.work_navigate, name="navigate"),
    path("<int:work_id>/edit/", views.work_edit, name="edit"),
    path("<int:work_id>/post/", views.work_post, name="post"),
    path("<int:work_id>/delete/", views.work_delete, name="delete"),
    path("<int:work_id>/series/", series_views.work_series, name="work_series"),
    path("<int:work_id>/skin/", skin_views.work_skin_edit, name="skin_edit"),
    path("<int:work_id>/skin.css", skin_views.work_skin_stylesheet, name="skin"),
    path("<int:work_id>/creators/", creator_views.work_creators, name="creators"),
    path("<int:work_id>/creators/leave/", creator_views.creators_leave, name="creators_leave"),
    path(
        "<int:work_id>/gift/refuse/",
        creator_views.gift_answer,
        {"answer": "refuse"},
        name="gift_refuse",
    ),
    path(
        "<int:work_id>/gift/accept/",
        creator_views.gift_answer,
        {"answer": "accept"},
        name="gift_accept",
    ),
    path("<int:work_id>/orphan/", creator_views.work_orphan, name="orphan"),
    path("<int:work_id>/history/", history_views.work_history, name="history"),
    path("<int:work_id>/history/compare/", history_views.work_compare, name="work_compare"),
    path(
        "<int:work_id>/history/<int:revision_id>/",
        history_views.work_revision,
        name="work_revision",
    ),
    path(
        "<int:work_id>/history/<int:revision_id>/restore/",
        history_views.work_revision_restore,
        name="work_revision_restore",
    ),
    path("<int:work_id>/chapters/new/", views.chapter_new, name="chapter_new"),
    path("<int:work_id>/chapters/manage/", views.chapters_manage, name="chapters_manage"),
    path("<int:work_id>/chapters/<int:chapter_id>/edit/", views.chapter_edit, name="chapter_edit"),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/delete/",
        views.chapter_delete,
        name="chapter_delete",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/history/",
        history_views.chapter_history,
        name="chapter_history",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/history/compare/",
        history_views.chapter_compare,
        name="chapter_compare",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/history/<int:revision_id>/",
        history_views.chapter_revision,
        name="chapter_revision",
    ),
    path(
        "<int:work_id>/chapters/<int:chapter_id>/history/<int:revision_id>/restore/",
        history_views.chapter_revision_restore,
        name="chapter_revision_restore",
    ),
]
