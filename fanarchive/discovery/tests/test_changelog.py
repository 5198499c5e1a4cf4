"""Every change to a work is logged in the same transaction, for the catalogue index."""

import pytest
from django.core.exceptions import ValidationError

from fanarchive.core.testing import make_work, work_input
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.services import (
    ChapterInput,
    chapter_add,
    chapter_delete,
    work_delete,
    work_post,
    work_update,
)

pytestmark = pytest.mark.django_db


def logged() -> list[int]:
    return list(CatalogueChange.objects.order_by("id").values_list("work_id", flat=True))


def test_each_work_service_logs_its_work(user):
    work = make_work(user, post=False, expected_chapters=None)
    assert logged() == [work.pk]
    work_post(user=user, work=work)
    work_update(user=user, work=work, data=work_input(title="Renamed", expected_chapters=None))
    chapter = chapter_add(
        user=user,
        work=work,
        data=ChapterInput(text="A second chapter."),
        post=True,
        expected_chapters=None,
    )
    chapter_delete(user=user, chapter=chapter)
    work_id = work.pk
    work_delete(user=user, work=work)
    assert logged() == [work_id] * 6


def test_the_sequence_only_grows(user):
    make_work(user)
    make_work(user)
    ids = list(CatalogueChange.objects.order_by("id").values_list("id", flat=True))
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_a_refused_change_logs_nothing(user):
    work = make_work(user)
    before = logged()
    with pytest.raises(ValidationError):
        work_update(user=user, work=work, data=work_input(title=""))
    assert logged() == before
