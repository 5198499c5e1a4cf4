"""The front page: what the archive is, its latest news, and the works listing's first
page (the same selector as /works/, so the same works for the same visitor), in few
queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.services import mute_tag_add
from fanarchive.news.services import news_comment_create
from fanarchive.news.tests.helpers import make_post, make_staff
from fanarchive.tags.fixed import EXPLICIT, MATURE
from fanarchive.tags.models import Tag
from fanarchive.works.moderation_services import work_set_hidden

pytestmark = pytest.mark.django_db

WORK_ID = re.compile(r'id="work_(\d+)"')


def work_ids(client: Client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [int(i) for i in WORK_ID.findall(response.content.decode())]


@pytest.fixture
def archive(user: User) -> dict[str, int]:
    """One work in each state the listing treats differently."""
    moderator = make_staff("moderator")
    hidden = make_work(user, title="Hidden Harbour")
    work_set_hidden(user=moderator, work=hidden, hidden=True, reason="Spam.")
    return {
        "general": make_work(user, title="Open Harbour").pk,
        "draft": make_work(user, title="Draft Harbour", post=False).pk,
        "hidden": hidden.pk,
        "restricted": make_work(user, title="Members Harbour", restricted=True).pk,
        "explicit": make_work(user, title="Explicit Harbour", rating=EXPLICIT).pk,
        "mature": make_work(user, title="Mature Harbour", rating=MATURE, fandoms=["Owl Song"]).pk,
    }


def test_front_page_for_a_guest(client: Client, archive: dict[str, int]) -> None:
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<h1") == 1
    assert f'href="{reverse("news:page", args=["faq"])}"' in text
    assert f'href="{reverse("works:list")}"' in text
    assert f'href="{reverse("accounts:register")}"' in text
    shown = work_ids(client, "/")
    assert shown == work_ids(client, "/works/")
    assert archive["general"] in shown and archive["explicit"] in shown
    for state in ("draft", "hidden", "restricted"):
        assert archive[state] not in shown


@pytest.mark.parametrize("policy", ["interstitial", "adults", "verified"])
def test_front_page_lists_what_works_lists(
    client: Client, settings, archive: dict[str, int], other_user: User, policy: str
) -> None:
    settings.AGE_GATE = policy
    assert work_ids(client, "/") == work_ids(client, "/works/")
    reader = make_user("mute_reader")
    mute_tag_add(user=reader, owner=reader, tag_id=Tag.objects.get(name="Owl Song").pk)
    client.force_login(reader)
    shown = work_ids(client, "/")
    assert shown == work_ids(client, "/works/")
    assert archive["restricted"] in shown and archive["mature"] not in shown
    client.get("/works/?view_adult=true")  # consent for the session, where the policy takes it
    assert work_ids(client, "/") == work_ids(client, "/works/")


def test_front_page_shows_latest_three_news_with_comment_counts(client: Client) -> None:
    staff = make_staff()
    for n in range(4):
        make_post(staff, title=f"Bulletin {n}", body=f"<p>Bulletin body {n}.</p>")
    make_post(staff, title="Unpublished bulletin", publish=False)
    latest = make_post(staff, title="Bulletin latest")
    news_comment_create(user=make_user(), post=latest, text="Thanks!")
    text = client.get("/").content.decode()
    assert "Bulletin latest" in text and "Bulletin 3" in text and "Bulletin 2" in text
    assert "Bulletin 1" not in text and "Unpublished" not in text
    assert "1 comment" in text
    assert text.index("Bulletin latest") < text.index("Bulletin 3")


def test_front_page_for_a_reader(client: Client, user: User) -> None:
    client.force_login(user)
    text = client.get("/").content.decode()
    assert f'href="{reverse("works:new")}"' in text
    assert "No works yet." in text


def test_front_page_costs_few_queries(
    client: Client, archive: dict[str, int], django_assert_max_num_queries
) -> None:
    staff = make_staff("writer_of_news")
    for n in range(3):
        post = make_post(staff, title=f"News {n}")
        news_comment_create(user=make_user(), post=post, text="Hello")
    for n in range(8):
        make_work(make_user(), title=f"Another Harbour {n}")
    client.get("/")  # warms the index and the banner cache
    # The works listing's own queries (as on /works/), one for the news, one cache read.
    with django_assert_max_num_queries(14):
        assert client.get("/").status_code == 200
    reader = make_user("busy_reader")
    client.force_login(reader)
    client.get("/")
    # One more for a reader: their reading-list statuses, for the blurbs' status forms.
    with django_assert_max_num_queries(22):
        assert client.get("/").status_code == 200
