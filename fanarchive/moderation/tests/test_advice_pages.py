"""Moderators see the rating advice: on a reported work's page, and as a list of recent
works whose text disagrees with their rating or warnings. Nobody else sees either."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.core.advice.tests import quality
from fanarchive.core.testing import make_user, make_work
from fanarchive.moderation.tests.helpers import make_moderator, report_work
from fanarchive.tags.fixed import EXPLICIT, GENERAL, TEEN

pytestmark = pytest.mark.django_db

PASSAGES = {p.id: p.text for p in quality.load()}
EXPLICIT_TEXT = f"The lantern swung.\n\n{PASSAGES['d108']}\n\n{PASSAGES['d109']}"
QUIET_TEXT = "The lantern swung.\n\nMorning came over the harbour."


@pytest.fixture
def mod_client(client: Client) -> Client:
    client.force_login(make_moderator("lighthouse_mod"))
    return client


def test_a_reported_works_page_shows_why_its_text_reads_as_more_mature(mod_client):
    under = make_work(texts=[QUIET_TEXT, EXPLICIT_TEXT], chapters=2, rating=TEEN, title="Low Tide")
    html = mod_client.get(f"/moderation/reports/{report_work(under).reference}/").content.decode()
    assert "Rating advice" in html
    assert f"more mature than {TEEN}: explicit sexual content in chapter 2" in html
    # A chapter's report is about the whole work's rating.
    chapter = under.chapters.get(position=1)
    chapter_report = report_work(under, target_type="chapter", target_id=chapter.pk)
    html = mod_client.get(f"/moderation/reports/{chapter_report.reference}/").content.decode()
    assert "explicit sexual content in chapter 2" in html


def test_no_advice_section_when_the_text_agrees_or_the_thing_is_not_a_work(mod_client):
    quiet = make_work(texts=[QUIET_TEXT], rating=GENERAL)
    html = mod_client.get(f"/moderation/reports/{report_work(quiet).reference}/").content.decode()
    assert "Rating advice" not in html
    writer = make_user()
    profile = report_work(quiet, target_type="user", target_id=writer.pk)
    html = mod_client.get(f"/moderation/reports/{profile.reference}/").content.decode()
    assert "Rating advice" not in html


def test_the_list_shows_works_that_disagree_and_only_to_moderators(client, mod_client):
    under = make_work(texts=[EXPLICIT_TEXT], rating=GENERAL, title="Quiet Harbour Nights")
    rated = make_work(texts=[EXPLICIT_TEXT], rating=EXPLICIT, title="Rated Rightly")
    quiet = make_work(texts=[QUIET_TEXT], rating=GENERAL, title="Morning Walk")
    assert 'href="/moderation/advice/"' in mod_client.get("/moderation/").content.decode()
    html = mod_client.get("/moderation/advice/").content.decode()
    assert under.title in html and f"/report/work/{under.pk}/" in html
    assert rated.title not in html and quiet.title not in html
    assert EXPLICIT in html  # what the text reads as
    reader = Client()
    reader.force_login(make_user())
    assert reader.get("/moderation/advice/").status_code == 403
    assert Client().get("/moderation/advice/").status_code == 302  # guests log in first
