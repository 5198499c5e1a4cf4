"""Every form of bookmarks, subscriptions, the inbox and history needs its CSRF token."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from fanarchive.core.testing import make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.models import Bookmark, Notice, ReadingHistory, Subscription
from fanarchive.engagement.notices import notify
from fanarchive.engagement.subscription_services import subscription_create

pytestmark = pytest.mark.django_db


def state():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Bookmark, Subscription, Notice, ReadingHistory)
    ]


@pytest.fixture
def setup(user, other_user):
    work = make_work(user)
    mark = bookmark_create(user=other_user, pseud=other_user.default_pseud, work=work)
    subscription = subscription_create(user=other_user, work=work)
    notify(recipients=[other_user], kind="kudos", subject="Kudos", body="", url="/")
    notice = Notice.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_user)
    client.get("/works/")
    assert client.cookies.get(settings.CSRF_COOKIE_NAME)
    return client, work, mark, subscription, notice


def posts(work, mark, subscription, notice):
    return [
        ("/bookmarks/new/", {"work": work.pk}),
        (f"/bookmarks/{mark.pk}/edit/", {"notes": "forged"}),
        (f"/bookmarks/{mark.pk}/delete/", {}),
        ("/subscriptions/new/", {"kind": "creator", "id": work.pk}),
        (f"/subscriptions/{subscription.pk}/delete/", {}),
        ("/inbox/update/", {"action": "delete", "notices": [notice.pk]}),
        (f"/works/{work.pk}/mark-for-later/", {"marked": "true"}),
        ("/history/clear/", {}),
        (f"/history/{work.pk}/remove/", {}),
    ]


def test_posts_without_a_token_are_refused_and_change_nothing(setup):
    client, work, mark, subscription, notice = setup
    before = state()
    for url, data in posts(work, mark, subscription, notice):
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert state() == before, url


def test_the_pages_forms_carry_the_token(setup, user):
    client, work, mark, _subscription, _notice = setup
    for url in (
        work.get_absolute_url(),
        "/inbox/",
        f"/bookmarks/{mark.pk}/edit/",
        f"/users/{mark.user.username}/bookmarks/",
        f"/users/{mark.user.username}/subscriptions/",
        f"/users/{mark.user.username}/history/",
        f"/users/{user.username}/",
    ):
        page = client.get(url).content.decode()
        forms = page.count('method="post"')
        assert forms, url
        assert page.count('name="csrfmiddlewaretoken"') >= forms, url
