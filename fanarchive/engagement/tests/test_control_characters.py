"""Control characters in comments (text and guest name), bookmarks (notes and tags) and
migrated comments are removed by the services; the migration cleans stored ones."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.core.testing import make_work, run_data_migration
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create, comment_import, comment_update
from fanarchive.engagement.models import Bookmark, Comment, Notice
from fanarchive.works.models import CommentPolicy

pytestmark = pytest.mark.django_db


def test_a_guest_comment_is_stored_clean(client: Client, user, django_capture_on_commit_callbacks):
    work = make_work(user, title="Harbour Light", comment_policy=CommentPolicy.EVERYONE)
    chapter = work.chapters.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/works/{work.pk}/chapters/{chapter.pk}/comments/",
            {"text": "Lovely\x01 words.\r\nMore\x7f please.", "name": "Pip\x02\nWren"},
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.guest_name == "Pip Wren"
    assert "Lovely words." in comment.text and "More please." in comment.text
    assert "\x01" not in comment.text and "\x7f" not in comment.text
    # The notice tells the name as stored.
    assert "Pip Wren commented" in Notice.objects.get().body


def test_comment_edits_and_migrated_comments_are_cleaned(user, other_user):
    work = make_work(user)
    chapter = work.chapters.get()
    comment = comment_create(chapter=chapter, user=other_user, text="First\x03 thought.")
    assert "First thought." in comment.text
    comment_update(user=other_user, comment=comment, text="Second\x0e thought.")
    assert "Second thought." in Comment.objects.get(pk=comment.pk).text
    old = comment_import(chapter=chapter, text="Old\x1f review.", guest_name="Old\x04\nReader")
    assert old.guest_name == "Old Reader" and "Old review." in old.text


def test_a_bookmark_is_stored_clean(client: Client, user, other_user):
    work = make_work(user)
    client.force_login(other_user)
    response = client.post(
        "/bookmarks/new/",
        {
            "work": work.pk,
            "pseud": other_user.default_pseud.pk,
            "notes": "So\x05 good.\x0cRead it.",
            "tags": "Co\x06sy, Sea\nSong\x1b",
        },
    )
    assert response.status_code == 302
    mark = Bookmark.objects.get()
    assert "So good." in mark.notes and "Read it." in mark.notes
    assert "\x05" not in mark.notes and "\x0c" not in mark.notes
    assert sorted(tag.name for tag in mark.tags.all()) == ["Cosy", "Sea Song"]


def test_the_migration_cleans_stored_comments_bookmarks_and_notices(user, other_user):
    work = make_work(user)
    comment = comment_create(chapter=work.chapters.get(), user=other_user, text="Fine.")
    # Rows written before the services cleaned (only a direct write makes them now).
    Comment.objects.filter(pk=comment.pk).update(text="<p>Fine\x01.</p>", guest_name="A\x02\nB")
    Notice.objects.update(subject='New comment on "Sea\nSong"', body="Body\x03.")
    mark = bookmark_create(user=other_user, pseud=other_user.default_pseud, work=work)
    Bookmark.objects.filter(pk=mark.pk).update(notes="<p>Keep\x7f.</p>")

    run_data_migration(app_label="engagement", name="0004_strip_control_characters")

    comment.refresh_from_db()
    assert (comment.text, comment.guest_name) == ("<p>Fine.</p>", "A B")
    notice = Notice.objects.get()
    assert (notice.subject, notice.body) == ('New comment on "Sea Song"', "Body.")
    assert Bookmark.objects.get().notes == "<p>Keep.</p>"
