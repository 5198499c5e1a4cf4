"""An expected chapter count too big for the database is a message, not a server error."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.works import limits
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterInput, chapter_add, work_create, work_update

pytestmark = pytest.mark.django_db

TOO_MANY = limits.EXPECTED_CHAPTERS_MAX + 1
MESSAGE = f"A work can expect at most {limits.EXPECTED_CHAPTERS_MAX:,} chapters."


def test_services_refuse_an_absurd_expected_count() -> None:
    user = make_user()
    with pytest.raises(ValidationError) as error:
        work_create(
            user=user,
            data=work_input(expected_chapters=10**12),
            chapters=[ChapterInput(text="Ten or more characters.")],
            post=True,
        )
    assert error.value.message_dict["expected_chapters"] == [MESSAGE]
    work = make_work(user)
    with pytest.raises(ValidationError):
        work_update(user=user, work=work, data=work_input(expected_chapters=TOO_MANY))
    with pytest.raises(ValidationError):
        chapter_add(
            user=user,
            work=work,
            data=ChapterInput(text="Ten or more characters."),
            post=True,
            expected_chapters=TOO_MANY,
        )
    work.refresh_from_db()
    assert work.expected_chapters == 1
    assert work.chapters.count() == 1


def test_the_posting_form_shows_the_message(client) -> None:
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("works:new"),
        {
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Harbour Tales",
            "title": "Too Long a Saga",
            "expected_chapters": str(10**12),
            "text_format": "plain",
            "text": "Ten or more characters.",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Work.objects.exists()
