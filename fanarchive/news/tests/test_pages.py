"""The site's pages, news posts and comments through the real stack: guests, readers and
staff; refusals change nothing; every form is CSRF-protected."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user
from fanarchive.news import limits
from fanarchive.news.models import NewsComment, NewsPost, SitePage
from fanarchive.news.services import news_comment_create
from fanarchive.news.tests.helpers import make_post, make_staff

pytestmark = pytest.mark.django_db

SLUGS = ["terms", "privacy", "content-policy", "faq"]


@pytest.fixture
def staff() -> User:
    return make_staff()


@pytest.fixture
def staff_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def csrf_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


# -- site pages --------------------------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_site_pages_open_to_guests(client: Client, slug: str) -> None:
    response = client.get(reverse("news:page", args=[slug]))
    assert response.status_code == 200
    page = SitePage.objects.get(slug=slug)
    assert page.title in response.content.decode()
    assert "Edit this page" not in response.content.decode()


def test_unknown_page_is_404(client: Client) -> None:
    assert client.get("/about/nothing-here/").status_code == 404
    assert client.get("/about/nothing-here/edit/").status_code in (302, 404)


def test_page_edit_guest_user_staff(client: Client, user: User, staff_client: Client) -> None:
    url = reverse("news:page_edit", args=["terms"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(user)
    assert client.get(url).status_code == 403
    response = client.post(url, {"title": "Mine", "body": "<p>mine</p>"})
    assert response.status_code == 403
    assert SitePage.objects.get(slug="terms").title == "Terms of Service"
    assert (
        staff_client.get(reverse("news:page", args=["terms"]))
        .content.decode()
        .count("Edit this page")
        == 1
    )
    response = staff_client.post(
        url, {"title": "Terms", "body": "<p>Be kind.</p><script>x()</script>"}
    )
    assert response.status_code == 302
    page = SitePage.objects.get(slug="terms")
    assert page.title == "Terms" and "Be kind." in page.body and "script" not in page.body
    assert AuditEntry.objects.filter(action="site_page.edit").count() == 1
    shown = staff_client.get(reverse("news:page", args=["terms"])).content.decode()
    assert "Be kind." in shown and "<script>x()" not in shown


def test_page_edit_bad_input_changes_nothing(staff_client: Client) -> None:
    url = reverse("news:page_edit", args=["faq"])
    response = staff_client.post(url, {"title": "", "body": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Please give a title." in text and "Please write the page." in text
    huge = staff_client.post(url, {"title": "FAQ", "body": "x" * (limits.PAGE_BODY_MAX + 1)})
    assert "at most 200,000 characters" in huge.content.decode()
    assert SitePage.objects.get(slug="faq").title == "Frequently Asked Questions"
    assert not AuditEntry.objects.exists()


def test_page_edit_needs_csrf(staff: User) -> None:
    response = csrf_client(staff).post(
        reverse("news:page_edit", args=["terms"]), {"title": "T", "body": "<p>b</p>"}
    )
    assert response.status_code == 403
    assert SitePage.objects.get(slug="terms").title == "Terms of Service"


# -- footer and sign-up ------------------------------------------------------------


def test_footer_links_on_a_normal_page(client: Client) -> None:
    text = client.get(reverse("works:list")).content.decode()
    footer = text[text.index('<footer class="site-footer">') :]
    assert f'href="{reverse("news:list")}"' in footer
    for slug in SLUGS:
        assert f'href="{reverse("news:page", args=[slug])}"' in footer


def test_sign_up_links_to_terms_and_privacy(client: Client) -> None:
    text = client.get(reverse("accounts:register")).content.decode()
    assert f'href="{reverse("news:page", args=["terms"])}"' in text
    assert f'href="{reverse("news:page", args=["privacy"])}"' in text


# -- news posts --------------------------------------------------------------------


def test_news_list_newest_first_paginated_drafts_for_staff_only(
    client: Client, staff: User, staff_client: Client
) -> None:
    for n in range(12):
        make_post(staff, title=f"Post number {n:02}")
    make_post(staff, title="Secret plans", publish=False)
    text = client.get(reverse("news:list")).content.decode()
    assert "Post number 11" in text and "Post number 02" in text
    assert "Post number 01" not in text  # page 2
    assert text.index("Post number 11") < text.index("Post number 10")
    assert "Secret plans" not in text
    assert 'rel="alternate" type="application/atom+xml"' in text
    page_two = client.get(reverse("news:list"), {"page": 2}).content.decode()
    assert "Post number 01" in page_two and "Post number 00" in page_two
    assert "Secret plans" in staff_client.get(reverse("news:list")).content.decode()


def test_post_detail_and_404s(client: Client, staff: User, staff_client: Client) -> None:
    post = make_post(staff, title="Hello readers")
    draft = make_post(staff, title="Not yet", publish=False)
    assert "Hello readers" in client.get(post.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert staff_client.get(draft.get_absolute_url()).status_code == 200
    assert client.get("/news/999999/").status_code == 404
    assert client.get(f"/news/{2**70}/").status_code == 404


def test_staff_write_edit_delete_through_pages(staff_client: Client, staff: User) -> None:
    response = staff_client.post(
        reverse("news:new"),
        {
            "title": "New tags page",
            "body": "<p>Try it.</p>",
            "comments_enabled": "on",
            "publish": "on",
        },
    )
    post = NewsPost.objects.get()
    assert response.status_code == 302 and response["Location"] == post.get_absolute_url()
    assert post.comments_enabled and not post.is_draft
    response = staff_client.post(
        reverse("news:edit", args=[post.pk]), {"title": "Tags page", "body": "<p>Go.</p>"}
    )
    post.refresh_from_db()
    assert post.title == "Tags page" and post.is_draft and not post.comments_enabled
    assert staff_client.get(reverse("news:delete", args=[post.pk])).status_code == 200
    staff_client.post(reverse("news:delete", args=[post.pk]))
    assert not NewsPost.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "news_post.create",
        "news_post.edit",
        "news_post.delete",
    ]


def test_readers_cannot_write_posts(client: Client, user: User, staff: User) -> None:
    post = make_post(staff)
    assert client.get(reverse("news:new")).status_code == 302
    client.force_login(user)
    for url in (reverse("news:new"), reverse("news:edit", args=[post.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "Mine", "body": "<p>mine</p>"}).status_code == 403
    assert client.post(reverse("news:delete", args=[post.pk])).status_code == 403
    assert NewsPost.objects.get().title == "Archive update"
    assert (
        not client.get(post.get_absolute_url())
        .content.decode()
        .count(reverse("news:edit", args=[post.pk]))
    )


def test_post_form_bad_input_and_csrf(staff_client: Client, staff: User) -> None:
    response = staff_client.post(reverse("news:new"), {"title": "", "body": ""})
    assert response.status_code == 200
    assert "Please give a title." in response.content.decode()
    response = csrf_client(staff).post(reverse("news:new"), {"title": "T", "body": "<p>b</p>"})
    assert response.status_code == 403
    assert not NewsPost.objects.exists()


# -- comments ----------------------------------------------------------------------


def test_reader_comments_and_replies(client: Client, user: User, staff: User) -> None:
    post = make_post(staff)
    client.force_login(user)
    response = client.post(reverse("news:comment", args=[post.pk]), {"text": "Lovely news!"})
    comment = NewsComment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    response = client.post(
        reverse("news:comment", args=[post.pk]), {"text": "And a reply", "parent": comment.pk}
    )
    assert NewsComment.objects.get(parent=comment).text == "<p>And a reply</p>"
    text = client.get(post.get_absolute_url()).content.decode()
    assert "Lovely news!" in text and "And a reply" in text
    assert "Comments (2)" in text


def test_comment_refusals(client: Client, user: User, staff: User) -> None:
    post = make_post(staff)
    url = reverse("news:comment", args=[post.pk])
    response = client.post(url, {"text": "As a guest"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.get(url).status_code in (302, 405)
    client.force_login(user)
    assert client.get(url).status_code == 405
    response = client.post(url, {"text": ""})
    assert response.status_code == 400 and "Please write a comment." in response.content.decode()
    response = client.post(url, {"text": "x" * (limits.COMMENT_MAX + 1)})
    assert response.status_code == 400
    assert "at most 10,000 characters" in response.content.decode()
    assert client.post(url, {"text": "hi", "parent": "nonsense"}).status_code == 400
    assert client.post(url, {"text": "hi", "parent": str(2**70)}).status_code == 400
    assert client.post(url, {"text": "hi", "parent": "999999"}).status_code == 404
    elsewhere = news_comment_create(user=user, post=make_post(staff), text="Elsewhere")
    response = client.post(url, {"text": "hi", "parent": elsewhere.pk})
    assert response.status_code == 400
    assert "That comment is on another post." in response.content.decode()
    elsewhere.delete()
    closed = make_post(staff, comments_enabled=False)
    assert client.post(reverse("news:comment", args=[closed.pk]), {"text": "hi"}).status_code == 403
    assert (
        "Comments on this post are closed."
        in client.get(closed.get_absolute_url()).content.decode()
    )
    draft = make_post(staff, publish=False)
    assert client.post(reverse("news:comment", args=[draft.pk]), {"text": "hi"}).status_code == 404
    assert not NewsComment.objects.exists()
    response = csrf_client(user).post(url, {"text": "No token"})
    assert response.status_code == 403
    assert not NewsComment.objects.exists()


def test_suspended_reader_cannot_comment(client: Client, staff: User) -> None:
    post = make_post(staff)
    reader = make_user("paused")
    client.force_login(reader)
    User.objects.filter(pk=reader.pk).update(suspended_permanently=True)
    response = client.post(reverse("news:comment", args=[post.pk]), {"text": "hi"})
    assert response.status_code in (302, 403)
    assert not NewsComment.objects.exists()


def test_comment_delete_by_author_staff_not_others(
    client: Client, user: User, other_user: User, staff: User, staff_client: Client
) -> None:
    post = make_post(staff)
    mine = news_comment_create(user=user, post=post, text="Mine")
    theirs = news_comment_create(user=other_user, post=post, text="Theirs")
    client.force_login(user)
    assert client.post(reverse("news:comment_delete", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("news:comment_delete", args=[mine.pk])).status_code == 302
    assert staff_client.post(reverse("news:comment_delete", args=[theirs.pk])).status_code == 302
    assert list(NewsComment.objects.values_list("deleted", flat=True)) == [True, True]
    assert AuditEntry.objects.filter(action="news_comment.delete").count() == 1
    assert client.post(reverse("news:comment_delete", args=[999999])).status_code == 404
    text = client.get(post.get_absolute_url()).content.decode()
    assert "Mine" not in text and "Theirs" not in text
