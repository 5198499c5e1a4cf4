"""The report form (/report/<type>/<id>/) and the Report links on the pages, through the
real stack: guests and users, bad input, the honeypot, the rate limit, hostile text."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.models import Notice
from fanarchive.moderation.models import Report
from fanarchive.moderation.report_services import REPORTS_PER_HOUR
from fanarchive.moderation.tests.helpers import make_comment, make_moderator
from fanarchive.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db

GUEST_EMAIL = "harbour.reader@example.org"


def _post(client: Client, url: str, **fields: str):
    data = {"category": "spam", "text": "The same advert on every chapter.", **fields}
    return client.post(url, data)


def test_a_guest_sees_the_form_with_categories_explained_and_an_email_field(client, user):
    work = make_work(user, title="The Tide Ledger")
    page = client.get(f"/report/work/{work.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "The Tide Ledger" in html
    assert 'type="radio" name="category" value="ncii"' in html
    assert "Non-consensual intimate imagery" in html
    assert "within 48 hours" in html  # the ncii explanation
    assert 'name="email"' in html
    assert 'class="hp-field"' in html and 'name="website"' in html


def test_a_guest_report_is_stored_and_the_page_gives_the_reference(client, user):
    work = make_work(user)
    page = _post(client, f"/report/work/{work.pk}/", email=GUEST_EMAIL)
    assert page.status_code == 200
    report = Report.objects.get()
    assert report.reporter is None and report.reporter_email == GUEST_EMAIL
    assert report.target_type == "work" and report.target_id == work.pk
    html = page.content.decode()
    assert report.reference in html
    assert f"We will write to {GUEST_EMAIL}" in html


def test_a_users_report_is_theirs_and_promises_a_notice(client, user, other_user):
    work = make_work(user)
    client.force_login(other_user)
    page = client.get(f"/report/work/{work.pk}/")
    assert 'name="email"' not in page.content.decode()
    page = _post(client, f"/report/work/{work.pk}/", category="rating")
    report = Report.objects.get()
    assert report.reporter == other_user and report.category == "rating"
    html = page.content.decode()
    assert f'Your report <strong class="reference">{report.reference}</strong>' in html
    assert "You will get a notice" in html
    assert Notice.objects.filter(recipient=other_user, subject__contains=report.reference).exists()


def test_the_honeypot_looks_like_success_but_stores_nothing(client, user):
    work = make_work(user)
    page = _post(
        client, f"/report/work/{work.pk}/", email=GUEST_EMAIL, website="http://spam.example"
    )
    assert page.status_code == 200
    assert "your report was sent" in page.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": ""}, "Please choose what kind of problem this is."),
        ({"category": "not-a-category"}, "Select a valid choice"),
        ({"text": "   "}, "Please tell us what is wrong."),
        ({"text": "x" * 5001}, "Please keep it under 5,000 characters (5,001 now)"),
        ({"email": "not an address"}, "Please give an e-mail address"),
        ({"email": ""}, "Please give an e-mail address"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_stored(client, user, fields, message):
    work = make_work(user)
    data = {"email": GUEST_EMAIL, **fields}
    page = _post(client, f"/report/work/{work.pk}/", **data)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Report.objects.exists()


def test_the_rate_limit_says_when_to_try_again(client, user):
    works = [make_work(user) for _ in range(REPORTS_PER_HOUR + 1)]
    for work in works[:REPORTS_PER_HOUR]:
        assert _post(client, f"/report/work/{work.pk}/", email=GUEST_EMAIL).status_code == 200
    assert Report.objects.count() == REPORTS_PER_HOUR
    # Another address from the same place is the same guest.
    page = _post(client, f"/report/work/{works[-1].pk}/", email="another@example.org")
    assert f"You can send at most {REPORTS_PER_HOUR} reports an hour" in page.content.decode()
    assert Report.objects.count() == REPORTS_PER_HOUR


def test_hostile_text_is_stored_as_text_and_shown_escaped(client, user):
    work = make_work(user)
    hostile = '<script>alert("boo")</script><img src=x onerror=alert(1)> Tags are wrong.'
    _post(client, f"/report/work/{work.pk}/", email=GUEST_EMAIL, text=hostile)
    report = Report.objects.get()
    moderator = make_moderator("escaping_mod")
    client.force_login(moderator)
    html = client.get(f"/moderation/reports/{report.reference}/").content.decode()
    assert "&lt;script&gt;" in html and "Tags are wrong." in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_unknown_or_unseen_targets_are_404(client, user, other_user):
    draft = make_work(user, post=False)
    hidden_tag_type = "collection"
    for url in (
        "/report/work/999999/",
        f"/report/work/{draft.pk}/",
        f"/report/nonsense/{draft.pk}/",
        f"/report/{hidden_tag_type}/1/",
        "/report/comment/999999/",
        "/report/user/999999/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"category": "spam", "text": "x"}).status_code == 404, url
    client.force_login(other_user)
    assert client.get(f"/report/work/{draft.pk}/").status_code == 404
    assert not Report.objects.exists()


def test_reporting_ones_own_work_is_refused_with_a_message(client, user):
    work = make_work(user)
    client.force_login(user)
    page = _post(client, f"/report/work/{work.pk}/")
    assert "You cannot report your own work or account." in page.content.decode()
    assert not Report.objects.exists()


def test_each_kind_of_thing_can_be_reported_from_its_form(client, user, other_user):
    work = make_work(user, chapters=2)
    chapter = work.chapters.get(position=2)
    comment = make_comment(work, other_user)
    bookmark = bookmark_create(
        user=other_user, pseud=other_user.default_pseud, work=work, notes="A fine read."
    )
    tag = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    targets = [
        ("chapter", chapter.pk),
        ("comment", comment.pk),
        ("bookmark", bookmark.pk),
        ("user", user.pk),
        ("pseud", user.default_pseud.pk),
        ("tag", tag.pk),
    ]
    for index, (target_type, target_id) in enumerate(targets):
        # One reporter each: five reports an hour is the limit.
        client.force_login(make_user(f"careful_reporter{index}"))
        assert client.get(f"/report/{target_type}/{target_id}/").status_code == 200
        _post(client, f"/report/{target_type}/{target_id}/", category="other")
    assert sorted(Report.objects.values_list("target_type", flat=True)) == sorted(
        t for t, _ in targets
    )


def test_report_links_on_the_pages_of_what_can_be_reported(client, user, other_user):
    work = make_work(user, chapters=2)
    comment = make_comment(work, other_user)
    bookmark = bookmark_create(user=other_user, pseud=other_user.default_pseud, work=work)
    tag = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    chapter = work.chapters.get(position=1)
    html = client.get(f"/works/{work.pk}/chapters/{chapter.pk}/").content.decode()
    assert f'href="/report/work/{work.pk}/"' in html
    assert f'href="/report/chapter/{chapter.pk}/"' in html
    assert f'href="/report/comment/{comment.pk}/"' in html
    profile = client.get(f"/users/{user.username}/").content.decode()
    assert f'href="/report/user/{user.pk}/"' in profile
    pseud = client.get(user.default_pseud.get_absolute_url()).content.decode()
    assert f'href="/report/pseud/{user.default_pseud.pk}/"' in pseud
    tag_page = client.get(f"/tags/{tag.pk}/works/").content.decode()
    assert f'href="/report/tag/{tag.pk}/"' in tag_page
    bookmarks = client.get(f"/users/{other_user.username}/bookmarks/").content.decode()
    assert f'href="/report/bookmark/{bookmark.pk}/"' in bookmarks
    # Writers are not offered to report their own work.
    client.force_login(user)
    own = client.get(work.get_absolute_url()).content.decode()
    assert f'href="/report/work/{work.pk}/"' not in own
