"""Imports with no rating: the review page pre-selects the rating the text reads as,
saying so, and the CLI's report names it while the work stays Not Rated. The text comes
from the advice's labelled set, so no mature words are written here."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.advice.tests import quality
from fanarchive.formats.importers.registry import Source, parse_source
from fanarchive.formats.review import rating_suggestion
from fanarchive.tags.fixed import EXPLICIT, NOT_RATED
from fanarchive.tags.models import TagType
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

PASSAGES = {p.id: p.text for p in quality.load()}
STORY = (
    "Title: Night Ferry\nFandom: Harbour Tales\n\n"
    f"The ferry left at nine.\n\n{PASSAGES['d108']}\n\n{PASSAGES['d109']}\n"
).encode()
RATED = STORY.replace(b"Fandom:", b"Rating: Teen\nFandom:")


def _upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def _review(client: Client, data: bytes):
    response = client.post(reverse("formats:import"), {"file": _upload("ferry.txt", data)})
    assert response.status_code == 200
    return response


def _rating(work: Work) -> str:
    return work.tags_of(TagType.RATING)[0].name


def test_the_review_suggests_the_rating_read_from_the_text(user_client: Client) -> None:
    response = _review(user_client, STORY)
    page = response.content.decode()
    assert 'id="rating-suggestion"' in page
    assert "Suggested from the text: Explicit (explicit sexual content in chapter 1)" in page
    assert "is suggested from the text: the file gives no rating" in page
    assert '<option value="Explicit" selected>' in page
    assert response.context["confirm"].initial["rating"] == EXPLICIT
    assert not Work.objects.exists()
    token = response.context["confirm"].initial["token"]
    confirm = {"token": token, "pseud": "", "post": "1", "rating": EXPLICIT}
    assert user_client.post(reverse("formats:import_confirm"), confirm).status_code == 302
    assert _rating(Work.objects.get()) == EXPLICIT


def test_the_writer_may_keep_not_rated(user_client: Client) -> None:
    response = _review(user_client, STORY)
    token = response.context["confirm"].initial["token"]
    confirm = {"token": token, "pseud": "", "post": "1", "rating": NOT_RATED}
    user_client.post(reverse("formats:import_confirm"), confirm)
    assert _rating(Work.objects.get()) == NOT_RATED


def test_a_file_with_a_rating_gets_no_suggestion(user_client: Client) -> None:
    response = _review(user_client, RATED)
    assert 'id="rating-suggestion"' not in response.content.decode()
    assert response.context["confirm"].initial["rating"] == "Teen And Up Audiences"
    quiet = b"Title: Calm\nFandom: Harbour Tales\n\nThe ferry left at nine."
    assert rating_suggestion(parse_source(Source("calm.txt", quiet))) is None


def test_the_cli_names_the_advice_and_keeps_not_rated(user: User, tmp_path) -> None:
    (tmp_path / "ferry.txt").write_bytes(STORY)
    out = StringIO()
    call_command(
        "import", str(tmp_path / "ferry.txt"), "--as", user.username, "--no-progress", stdout=out
    )
    report = out.getvalue()
    assert (
        "No rating given: the text reads as Explicit (explicit sexual content in chapter 1)"
        in report
    )
    assert "The work stays Not Rated" in report
    assert _rating(Work.objects.get()) == NOT_RATED
