"""The services archive migrations use: historic dates, co-creators, open series."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fanarchive.core.testing import CHAPTER_TEXT, make_user, make_work, work_input
from fanarchive.works.creator_services import creator_add_migrated, creator_invite
from fanarchive.works.history_services import WorkHistory, work_history_set
from fanarchive.works.models import CreatorInvitation, Work
from fanarchive.works.series_services import series_create, series_work_append_migrated
from fanarchive.works.services import ChapterInput, work_create

pytestmark = pytest.mark.django_db
POSTED = dt.datetime(2008, 3, 1, 12, tzinfo=dt.UTC)
UPDATED = dt.datetime(2008, 3, 11, 12, tzinfo=dt.UTC)


def test_work_history_set_keeps_the_old_dates():
    work = make_work(chapters=3)
    work_history_set(work=work, history=WorkHistory(POSTED, UPDATED))
    work = Work.objects.get(pk=work.pk)
    assert (work.first_posted_at, work.revised_at, work.created_at) == (POSTED, UPDATED, POSTED)
    published = [c.published_at for c in work.chapters.order_by("position")]
    assert published == [POSTED, POSTED + dt.timedelta(days=5), UPDATED]


def test_work_history_set_refuses_impossible_dates():
    work = make_work()
    future = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        work_history_set(work=work, history=WorkHistory(future, future))
    assert "first_posted_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        work_history_set(work=work, history=WorkHistory(UPDATED, POSTED))
    assert "revised_at" in error.value.message_dict
    assert Work.objects.get(pk=work.pk).first_posted_at != UPDATED


def test_a_draft_keeps_no_posting_date():
    work = make_work(post=False)
    work_history_set(work=work, history=WorkHistory(POSTED, UPDATED))
    work = Work.objects.get(pk=work.pk)
    assert work.first_posted_at is None and work.created_at == POSTED


def test_work_create_takes_the_history_of_a_migrated_work():
    user = make_user()
    work = work_create(
        user=user,
        data=work_input(expected_chapters=2),
        chapters=[ChapterInput(text=CHAPTER_TEXT), ChapterInput(text=CHAPTER_TEXT)],
        post=True,
        history=WorkHistory(POSTED, UPDATED),
    )
    work = Work.objects.get(pk=work.pk)
    assert (work.first_posted_at, work.revised_at, work.created_at) == (POSTED, UPDATED, POSTED)
    assert [c.published_at for c in work.chapters.all()] == [POSTED, UPDATED]
    with pytest.raises(ValidationError) as error:
        work_create(
            user=user,
            data=work_input(),
            chapters=[ChapterInput(text=CHAPTER_TEXT)],
            post=True,
            history=WorkHistory(UPDATED, POSTED),
        )
    assert "revised_at" in error.value.message_dict


def test_creator_add_migrated_makes_a_co_creator_without_asking():
    owner, partner = make_user(), make_user()
    work = make_work(owner)
    creator_invite(user=owner, work=work, pseud_name=partner.default_pseud.name)
    creator_add_migrated(work=work, pseud=partner.default_pseud)
    assert set(work.pseuds.all()) == {owner.default_pseud, partner.default_pseud}
    assert not CreatorInvitation.objects.filter(work=work).exists()
    creator_add_migrated(work=work, pseud=partner.default_pseud)  # idempotent
    assert work.creatorships.count() == 2


def test_series_work_append_migrated_takes_other_writers_works():
    owner, other = make_user(), make_user()
    series = series_create(user=owner, title="Open Series")
    mine, theirs = make_work(owner), make_work(other)
    series_work_append_migrated(series=series, work=mine)
    series_work_append_migrated(series=series, work=theirs)
    series_work_append_migrated(series=series, work=theirs)
    assert [(e.work_id, e.position) for e in series.series_works.all()] == [
        (mine.pk, 1),
        (theirs.pk, 2),
    ]
