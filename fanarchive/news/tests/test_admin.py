"""Django's admin pages for news, site pages and the banner save through the services:
each save leaves the same audit entry as the site's pages; the four pages cannot be
added or deleted; bad input is a form error, not a crash."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.models import AuditEntry
from fanarchive.news.models import NewsComment, NewsPost, SiteBanner, SitePage
from fanarchive.news.selectors import BANNER_CACHE_KEY, banner_active
from fanarchive.news.services import news_comment_create
from fanarchive.news.tests.helpers import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(client: Client) -> User:
    user = User.objects.create_superuser("boss", "boss@example.org", "a-long-password-1")
    client.force_login(user)
    return user


def test_site_page_saved_through_the_service(client: Client, boss: User) -> None:
    page = SitePage.objects.get(slug="privacy")
    url = reverse("admin:news_sitepage_change", args=[page.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Privacy", "source": "<p>We keep little.</p><script>x()</script>"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Privacy" and page.body == "<p>We keep little.</p>"
    assert page.updated_by == boss
    entry = AuditEntry.objects.get(action="site_page.edit")
    assert entry.actor == boss and entry.after["title"] == "Privacy"


def test_site_page_bad_input_is_a_form_error(client: Client, boss: User) -> None:
    page = SitePage.objects.get(slug="faq")
    url = reverse("admin:news_sitepage_change", args=[page.pk])
    response = client.post(url, {"title": "FAQ", "source": "<script>x()</script>"})
    assert response.status_code == 200
    assert "Please write the page." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_site_pages_cannot_be_added_or_deleted(client: Client, boss: User) -> None:
    page = SitePage.objects.get(slug="terms")
    assert client.get(reverse("admin:news_sitepage_add")).status_code == 403
    assert client.post(reverse("admin:news_sitepage_delete", args=[page.pk])).status_code == 403
    assert SitePage.objects.count() == 4


def test_news_post_added_edited_deleted_through_services(client: Client, boss: User) -> None:
    response = client.post(
        reverse("admin:news_newspost_add"),
        {"title": "From the admin", "source": "<p>Hello.</p>", "comments_enabled": "on"},
    )
    assert response.status_code == 302
    post = NewsPost.objects.get()
    assert post.author == boss and post.published_at is not None and post.body == "<p>Hello.</p>"
    response = client.post(
        reverse("admin:news_newspost_change", args=[post.pk]),
        {"title": "From the admin pages", "source": "<p>Hello again.</p>"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "From the admin pages" and not post.comments_enabled
    response = client.post(reverse("admin:news_newspost_delete", args=[post.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not NewsPost.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "news_post.create",
        "news_post.edit",
        "news_post.delete",
    ]


def test_news_comment_deleted_through_the_service(client: Client, boss: User, user: User) -> None:
    post = make_post(boss)
    comment = news_comment_create(user=user, post=post, text="Off topic")
    response = client.post(
        reverse("admin:news_newscomment_delete", args=[comment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert NewsComment.objects.get().deleted
    assert AuditEntry.objects.get(action="news_comment.delete").subject == user


def test_banner_through_the_admin(client: Client, boss: User) -> None:
    cache.delete(BANNER_CACHE_KEY)
    assert banner_active() is None
    response = client.post(
        reverse("admin:news_sitebanner_add"), {"source": "Read-only tonight", "active": "on"}
    )
    assert response.status_code == 302
    banner = SiteBanner.objects.get()
    shown = banner_active()
    assert shown is not None and shown.version == 1 and "Read-only tonight" in shown.text
    assert client.get(reverse("admin:news_sitebanner_add")).status_code == 403
    client.post(
        reverse("admin:news_sitebanner_change", args=[banner.pk]),
        {"source": "Read-only tomorrow", "active": "on"},
    )
    shown = banner_active()
    assert shown is not None and shown.version == 2
    assert AuditEntry.objects.filter(action="banner.edit").count() == 2
