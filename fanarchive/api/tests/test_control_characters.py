"""Control characters posted through the API are removed by the works services, as from the
posting form: the feed, the EPUB and the comment e-mails of the work stay well."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.works.models import Work
from fanarchive.works.tests.test_control_characters import (
    CLEAN_TITLE,
    TITLE,
    assert_outputs_are_well,
)

pytestmark = pytest.mark.django_db


def test_a_work_posted_through_the_api_is_stored_clean_and_every_output_works(
    client: Client, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    writer = make_user("api_writer")
    response = api_as(writer).post(
        "/api/v1/works",
        {
            "title": TITLE,
            "rating": GENERAL,
            "warnings": [NO_WARNINGS],
            "fandoms": ["Harbour\x02 Tales"],
            "freeforms": ["Found\nFamily\x1b"],
            "summary": "Mira\x01 waits\ufffe.",
            "gifts": ["Old\x03\tFriend"],
            "chapters": [
                {
                    "title": "Harbour\x04\nNight",
                    "text_format": "plain",
                    # NEL ends a line. (A lone surrogate, which JSON can send too, is
                    # refused with a 422 naming the field: test_hostile_input.py.)
                    "text": "The lantern\x05 swung\x85above the harbour.\r\n\r\nMorning.",
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    work = Work.objects.get()
    assert response.json()["title"] == work.title == CLEAN_TITLE
    assert "Mira waits." in work.summary
    assert sorted(tag.name for tag in work.tags_of("freeform")) == ["Found Family"]
    assert [gift.recipient_name for gift in work.gifts.all()] == ["Old Friend"]
    chapter = work.chapters.get()
    assert chapter.title == "Harbour Night"
    assert chapter.source == "The lantern swung\nabove the harbour.\n\nMorning."
    assert_outputs_are_well(
        client,
        work,
        tmp_path=tmp_path,
        settings=settings,
        on_commit=django_capture_on_commit_callbacks,
    )
