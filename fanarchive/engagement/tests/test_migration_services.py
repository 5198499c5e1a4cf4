"""The migration-only services: `comment_import` (old comments) and `hits_import` (old hits)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from fanarchive.accounts.block_services import block_create
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement import limits
from fanarchive.engagement.comment_services import comment_create, comment_import
from fanarchive.engagement.hit_flush_services import hits_flush
from fanarchive.engagement.hit_services import hit_record, hits_import
from fanarchive.engagement.models import Comment, CommentState, Notice, WorkHitCount
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import CommentPolicy, Work

pytestmark = pytest.mark.django_db
OLD = dt.datetime(2008, 5, 1, 9, 30, tzinfo=dt.UTC)


def chapter_of(work: Work):
    return work.chapters.get(position=1)


def closed(work: Work) -> Work:
    """No comments allowed, and moderated: what a migration must not be stopped by."""
    Work.objects.filter(pk=work.pk).update(
        comment_policy=CommentPolicy.NOBODY, moderated_comments=True
    )
    work.refresh_from_db()
    return work


def test_comment_import_keeps_the_date_and_ignores_policy_moderation_and_notices(
    work, reader, mailoutbox
):
    work = closed(work)
    with pytest.raises(ValidationError):
        comment_create(chapter=chapter_of(work), user=reader, text="New today.")
    changes = CatalogueChange.objects.filter(work_id=work.pk, counts_only=True).count()
    comment = comment_import(
        chapter=chapter_of(work), user=reader, text="Old <b>praise</b>.", created_at=OLD
    )
    comment.refresh_from_db()
    assert comment.created_at == OLD
    assert comment.state == CommentState.PUBLISHED
    assert comment.thread_root_id == comment.pk
    assert comment.pseud == reader.default_pseud
    assert comment.text == "<p>Old <b>praise</b>.</p>"
    assert not Notice.objects.exists() and mailoutbox == []
    assert CatalogueChange.objects.filter(work_id=work.pk, counts_only=True).count() == changes + 1


def test_comment_import_ignores_the_rate_limit_and_blocks(work, user, reader):
    block_create(user=user, blocked=reader)
    for n in range(limits.COMMENT_RATE_COUNT + 2):
        comment_import(chapter=chapter_of(work), user=reader, text=f"Review {n}.")
        comment_import(chapter=chapter_of(work), text=f"Guest review {n}.", guest_name="Gull")
    assert Comment.objects.filter(work=work).count() == 2 * (limits.COMMENT_RATE_COUNT + 2)


def test_comment_import_as_a_guest(work):
    named = comment_import(chapter=chapter_of(work), text="Kind words.", guest_name=" Gull ")
    unnamed = comment_import(chapter=chapter_of(work), text="No name given.")
    assert named.user is None and named.pseud is None and named.author_name == "Gull"
    assert unnamed.author_name == "Anonymous"
    long_name = comment_import(chapter=chapter_of(work), text="Hi.", guest_name="x" * 300)
    assert len(long_name.guest_name) == limits.GUEST_NAME_MAX


def test_comment_import_with_a_pseud(work, reader):
    pen = pseud_create(user=reader, owner=reader, name="Old Pen Name")
    comment = comment_import(chapter=chapter_of(work), user=reader, pseud=pen, text="Hello.")
    assert comment.pseud == pen and comment.author_name.startswith("Old Pen Name")


def test_comment_import_refuses_bad_input_and_writes_nothing(user, reader):
    work = make_work(user)
    draft = make_work(user, post=False)
    other = make_user("someone_else")
    future = timezone.now() + dt.timedelta(days=1)
    cases = [
        ({"chapter": chapter_of(work), "text": "  "}, "text"),
        ({"chapter": chapter_of(work), "text": "x" * (limits.COMMENT_MAX + 1)}, "text"),
        ({"chapter": chapter_of(draft), "text": "Hello."}, "chapter"),
        ({"chapter": chapter_of(work), "text": "Hello.", "created_at": future}, "created_at"),
        (
            {
                "chapter": chapter_of(work),
                "text": "Hello.",
                "user": reader,
                "pseud": other.default_pseud,
            },
            "pseud",
        ),
    ]
    for kwargs, key in cases:
        with pytest.raises(ValidationError) as excinfo:
            comment_import(**kwargs)
        assert key in excinfo.value.message_dict, kwargs
    assert not Comment.objects.exists()


def test_imported_comments_show_on_the_work_page_with_their_date(work, reader):
    comment_import(
        chapter=chapter_of(work), text="From long ago.", guest_name="Gull", created_at=OLD
    )
    page = Client().get(chapter_of(work).get_absolute_url()).content.decode()
    assert "From long ago." in page
    assert 'Gull <span class="role">(Guest)</span>' in page
    assert "1 May 2008 09:30" in page


def test_hits_import_adds_to_the_hit_count_and_tells_the_catalogue(work, user):
    other = make_work(user, title="Another Harbour")
    hit_record(work=work, user=None, visitor="gone")
    hits_flush()
    changes = CatalogueChange.objects.filter(counts_only=True).count()
    assert hits_import(hits={work.pk: 120, other.pk: 0}) == 120
    assert WorkHitCount.objects.get(work=work).hits == 121
    assert not WorkHitCount.objects.filter(work=other).exists()
    assert CatalogueChange.objects.filter(counts_only=True).count() == changes + 1
    assert hits_import(hits={other.pk: 7}) == 7
    assert WorkHitCount.objects.get(work=other).hits == 7
    page = Client().get(work.get_absolute_url(), follow=True).content.decode()
    assert '<dt class="hits">Hits</dt><dd class="hits">121</dd>' in page


def test_hits_import_refuses_negative_counts_and_unknown_works(work):
    with pytest.raises(ValidationError, match="negative"):
        hits_import(hits={work.pk: 5, work.pk + 1000: -1})
    with pytest.raises(ValidationError, match="No work"):
        hits_import(hits={work.pk: 5, work.pk + 1000: 3})
    assert not WorkHitCount.objects.exists()
