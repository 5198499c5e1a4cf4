"""New accounts post at most NEW_ACCOUNT_WORK_RATE works in its window, through the posting
form and the API (drafts, imports and established accounts are not limited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.api.tests.conftest import api_as
from fanarchive.api.tests.test_works_write import api_body
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.works.inputs import ChapterInput
from fanarchive.works.models import Work
from fanarchive.works.new_accounts import WorkRateLimited, per_window, work_rate_check
from fanarchive.works.services import work_create, work_post
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db


def posted_works(user: User) -> int:
    return Work.objects.by_user(user).filter(posted=True).count()


def post_with_the_service(user: User, *, post: bool = True) -> Work:
    return work_create(
        user=user,
        data=work_input(),
        chapters=[ChapterInput(text="The harbour at dawn.", text_format="plain")],
        post=post,
        rate_limited=True,
    )


@pytest.fixture
def two_an_hour(settings):
    settings.NEW_ACCOUNT_WORK_RATE = (2, 3600)


def test_the_form_refuses_the_third_work_in_an_hour(two_an_hour):
    newcomer = make_user("newcomer")
    client = Client()
    client.force_login(newcomer)
    for n in range(2):
        response = client.post(reverse("works:new"), post_data(title=f"Boat {n}"))
        assert response.status_code == 302
    refused = client.post(reverse("works:new"), post_data(title="Boat 3"))
    assert refused.status_code == 200
    assert "New accounts can post 2 works an hour; try again in 60 minutes." in (
        refused.content.decode()
    )
    assert posted_works(newcomer) == 2
    # A draft is not a post; posting it later is.
    draft = client.post(reverse("works:new"), post_data(title="Draft", save_draft="1", post=None))
    assert draft.status_code == 302
    work = Work.objects.get(title="Draft")
    answer = client.post(reverse("works:post", args=[work.pk]), follow=True)
    assert "New accounts can post 2 works an hour" in answer.content.decode()
    work.refresh_from_db()
    assert not work.posted


def test_the_api_answers_429_with_retry_after(two_an_hour):
    newcomer = make_user("newcomer")
    api = api_as(newcomer)
    for _ in range(2):
        assert api.post("/api/v1/works", api_body()).status_code == 201
    refused = api.post("/api/v1/works", api_body())
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"].endswith("rate-limited")
    assert problem["detail"].startswith("New accounts can post 2 works an hour; try again in")
    assert 1 <= int(refused["Retry-After"]) <= 3600
    draft = api.post("/api/v1/works", api_body(post=False))
    assert draft.status_code == 201
    again = api.post(f"/api/v1/works/{draft.json()['id']}/post")
    assert again.status_code == 429
    assert posted_works(newcomer) == 2


def test_the_window_passes_and_old_accounts_are_not_limited(two_an_hour):
    newcomer = make_user("newcomer")
    for _ in range(2):
        post_with_the_service(newcomer)
    with pytest.raises(WorkRateLimited):
        post_with_the_service(newcomer)
    Work.objects.update(first_posted_at=timezone.now() - timedelta(minutes=61))
    post_with_the_service(newcomer)
    veteran = make_user("veteran")
    User.objects.filter(pk=veteran.pk).update(date_joined=timezone.now() - timedelta(days=30))
    veteran.refresh_from_db()
    for _ in range(4):
        post_with_the_service(veteran)
    assert posted_works(veteran) == 4


def test_imports_and_other_callers_are_not_limited(two_an_hour):
    newcomer = make_user("newcomer")
    for _ in range(4):
        make_work(newcomer)  # work_create without rate_limited, as imports call it
    assert posted_works(newcomer) == 4
    draft = make_work(newcomer, post=False)
    with pytest.raises(WorkRateLimited):
        work_post(user=newcomer, work=draft)


def test_new_account_posts_setting(settings, two_an_hour):
    settings.NEW_ACCOUNT_DAYS = 0
    newcomer = make_user("newcomer")
    for _ in range(3):
        post_with_the_service(newcomer)
    settings.NEW_ACCOUNT_POSTS = 10
    with pytest.raises(WorkRateLimited):
        work_rate_check(newcomer)


def test_per_window_phrases():
    assert per_window(5, 3600, "work") == "5 works an hour"
    assert per_window(3, 900, "comment") == "3 comments every 15 minutes"
    assert per_window(1, 7200, "work") == "1 work every 2 hours"
    assert per_window(2, 90, "work") == "2 works every 90 seconds"
