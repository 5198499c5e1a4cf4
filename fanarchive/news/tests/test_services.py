"""The news app's services: staff only for pages, posts and the banner, each change
audited; texts sanitised and limited; comments by readers under their rules."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.accounts.models import User
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user
from fanarchive.news import limits
from fanarchive.news.models import NewsComment, NewsPost, SiteBanner, SitePage
from fanarchive.news.selectors import BANNER_CACHE_KEY, banner_active, comment_threads
from fanarchive.news.services import (
    banner_set,
    news_comment_create,
    news_comment_delete,
    news_post_create,
    news_post_delete,
    news_post_edit,
    site_page_edit,
)
from fanarchive.news.tests.helpers import make_post, make_staff

pytestmark = pytest.mark.django_db

SCRIPT = '<p>Hello<script>alert("x")</script> <a href="javascript:alert(1)">there</a></p>'


@pytest.fixture
def staff() -> User:
    return make_staff()


# -- site pages --------------------------------------------------------------------


def test_the_four_pages_exist_with_placeholders() -> None:
    pages = {p.slug: p for p in SitePage.objects.all()}
    assert set(pages) == {"terms", "privacy", "content-policy", "faq"}
    for page in pages.values():
        assert "placeholder" in page.body
        assert f"/about/{page.slug}/edit/" in page.body


def test_staff_edit_a_page_sanitised_and_audited(staff: User) -> None:
    page = SitePage.objects.get(slug="terms")
    old_title = page.title
    edited = site_page_edit(user=staff, page=page, title="Our terms", body=SCRIPT)
    assert edited.title == "Our terms"
    assert "<script" not in edited.body and "javascript:" not in edited.body
    assert "Hello" in edited.body
    assert edited.updated_by == staff
    entry = AuditEntry.objects.get(action="site_page.edit")
    assert entry.actor == staff
    assert entry.target_id == page.pk
    assert entry.before["title"] == old_title
    assert entry.after == {"title": "Our terms", "body": SCRIPT}


def test_non_staff_cannot_edit_a_page(user: User) -> None:
    page = SitePage.objects.get(slug="privacy")
    with pytest.raises(PermissionDenied):
        site_page_edit(user=user, page=page, title="Mine", body="<p>mine</p>")
    page.refresh_from_db()
    assert page.title == "Privacy Policy"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "<p>text</p>", "title"),
        ("Title", "   ", "body"),
        ("Title", "<script>only()</script>", "body"),
        ("x" * (limits.TITLE_MAX + 1), "<p>text</p>", "title"),
        ("Title", "x" * (limits.PAGE_BODY_MAX + 1), "body"),
    ],
)
def test_bad_page_input_changes_nothing(staff: User, title: str, body: str, field: str) -> None:
    page = SitePage.objects.get(slug="faq")
    before = (page.title, page.body)
    with pytest.raises(ValidationError) as raised:
        site_page_edit(user=staff, page=page, title=title, body=body)
    assert field in raised.value.message_dict
    page.refresh_from_db()
    assert (page.title, page.body) == before
    assert not AuditEntry.objects.exists()


# -- news posts --------------------------------------------------------------------


def test_staff_post_news_sanitised_and_audited(staff: User) -> None:
    post = news_post_create(user=staff, title="Hello", body=SCRIPT)
    assert post.published_at is not None
    assert "<script" not in post.body and "javascript:" not in post.body
    assert post.author == staff
    entry = AuditEntry.objects.get(action="news_post.create")
    assert entry.target_id == post.pk and entry.after["title"] == "Hello"


def test_draft_then_publish_and_edit(staff: User) -> None:
    post = news_post_create(user=staff, title="Soon", body="<p>soon</p>", publish=False)
    assert post.is_draft
    post = news_post_edit(
        user=staff, post=post, title="Now", body="<p>now</p>", comments_enabled=False, publish=True
    )
    assert not post.is_draft and not post.comments_enabled and post.title == "Now"
    entry = AuditEntry.objects.get(action="news_post.edit")
    assert entry.before["title"] == "Soon" and entry.before["published_at"] is None
    assert entry.after["title"] == "Now" and entry.after["comments_enabled"] is False


def test_delete_a_post_is_audited(staff: User) -> None:
    post = make_post(staff)
    news_comment_create(user=make_user(), post=post, text="Nice")
    news_post_delete(user=staff, post=post)
    assert not NewsPost.objects.exists() and not NewsComment.objects.exists()
    assert AuditEntry.objects.get(action="news_post.delete").before["title"] == "Archive update"


def test_non_staff_cannot_write_edit_or_delete_posts(user: User, staff: User) -> None:
    with pytest.raises(PermissionDenied):
        news_post_create(user=user, title="Mine", body="<p>mine</p>")
    post = make_post(staff)
    with pytest.raises(PermissionDenied):
        news_post_edit(
            user=user, post=post, title="x", body="<p>x</p>", comments_enabled=True, publish=True
        )
    with pytest.raises(PermissionDenied):
        news_post_delete(user=user, post=post)
    assert NewsPost.objects.get().title == "Archive update"
    assert AuditEntry.objects.filter(action="news_post.create").count() == 1
    assert AuditEntry.objects.count() == 1


def test_bad_post_input_says_every_problem(staff: User) -> None:
    with pytest.raises(ValidationError) as raised:
        news_post_create(user=staff, title=" ", body="")
    assert set(raised.value.message_dict) == {"title", "body"}
    assert not NewsPost.objects.exists()


# -- comments ----------------------------------------------------------------------


def test_comment_sanitised(staff: User, user: User) -> None:
    post = make_post(staff)
    comment = news_comment_create(user=user, post=post, text=SCRIPT)
    assert "<script" not in comment.text and "Hello" in comment.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please write a comment."),
        ("   \n ", "Please write a comment."),
        ("x" * (limits.COMMENT_MAX + 1), "at most 10,000 characters"),
    ],
)
def test_bad_comment_changes_nothing(staff: User, user: User, text: str, message: str) -> None:
    post = make_post(staff)
    with pytest.raises(ValidationError) as raised:
        news_comment_create(user=user, post=post, text=text)
    assert message in raised.value.message_dict["text"][0]
    assert not NewsComment.objects.exists()


def test_comment_at_the_limit_is_taken(staff: User, user: User) -> None:
    post = make_post(staff)
    news_comment_create(user=user, post=post, text="x" * limits.COMMENT_MAX)
    assert NewsComment.objects.count() == 1


def test_comments_closed_draft_suspended_and_guest_refused(staff: User, user: User) -> None:
    closed = make_post(staff, comments_enabled=False)
    draft = make_post(staff, publish=False)
    for post in (closed, draft):
        with pytest.raises(PermissionDenied):
            news_comment_create(user=user, post=post, text="Hi")
    open_post = make_post(staff)
    suspended = make_user("on_a_break")
    User.objects.filter(pk=suspended.pk).update(suspended_permanently=True)
    suspended.refresh_from_db()
    with pytest.raises(PermissionDenied):
        news_comment_create(user=suspended, post=open_post, text="Hi")
    assert not NewsComment.objects.exists()


def test_comment_rate_limit(staff: User, user: User) -> None:
    post = make_post(staff)
    for n in range(limits.COMMENT_RATE_COUNT):
        news_comment_create(user=user, post=post, text=f"Comment {n}")
    with pytest.raises(ValidationError) as raised:
        news_comment_create(user=user, post=post, text="One too many")
    assert "comments on news posts an hour" in raised.value.message_dict["text"][0]
    assert NewsComment.objects.count() == limits.COMMENT_RATE_COUNT
    # Another reader is not held back.
    news_comment_create(user=make_user(), post=post, text="Mine")


def test_replies_are_one_level(staff: User, user: User, other_user: User) -> None:
    post = make_post(staff)
    top = news_comment_create(user=user, post=post, text="Top")
    reply = news_comment_create(user=other_user, post=post, text="Reply", parent=top)
    deeper = news_comment_create(user=user, post=post, text="Deeper", parent=reply)
    assert reply.parent == top and deeper.parent == top
    other_post = make_post(staff)
    with pytest.raises(ValidationError):
        news_comment_create(user=user, post=other_post, text="Lost", parent=top)


def test_commenter_deletes_own_comment_without_audit(staff: User, user: User) -> None:
    post = make_post(staff)
    comment = news_comment_create(user=user, post=post, text="Oops")
    news_comment_delete(user=user, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted and comment.text == ""
    assert not AuditEntry.objects.filter(action="news_comment.delete").exists()
    assert list(comment_threads(post)) == []


def test_staff_delete_any_comment_audited_others_cannot(
    staff: User, user: User, other_user: User
) -> None:
    post = make_post(staff)
    comment = news_comment_create(user=user, post=post, text="Rude words")
    news_comment_create(user=other_user, post=post, text="A reply", parent=comment)
    with pytest.raises(PermissionDenied):
        news_comment_delete(user=other_user, comment=comment)
    news_comment_delete(user=staff, comment=comment)
    entry = AuditEntry.objects.get(action="news_comment.delete")
    assert entry.subject == user and entry.before == {"text": "Rude words"}
    # Kept as a placeholder while its reply stands.
    assert [c.pk for c in comment_threads(post)] == [comment.pk]


# -- the banner --------------------------------------------------------------------


def test_banner_set_versions_audit_and_cache(staff: User) -> None:
    assert banner_active() is None
    assert cache.get(BANNER_CACHE_KEY) == {}
    first = banner_set(
        user=staff, text="Maintenance <b>tonight</b><script>x()</script>", active=True
    )
    assert first.version == 1 and "<script" not in first.text
    shown = banner_active()
    assert shown is not None and shown.version == 1 and "<b>tonight</b>" in shown.text
    second = banner_set(user=staff, text="Maintenance moved to Sunday", active=True)
    assert second.pk == first.pk and second.version == 2
    shown = banner_active()
    assert shown is not None and shown.version == 2 and "Sunday" in shown.text
    banner_set(user=staff, text="Maintenance moved to Sunday", active=False)
    assert banner_active() is None
    assert SiteBanner.objects.count() == 1
    entries = AuditEntry.objects.filter(action="banner.edit").order_by("id")
    assert [e.after["version"] for e in entries] == [1, 2, 3]
    assert entries[1].before["version"] == 1


def test_banner_refuses_non_staff_and_bad_input(staff: User, user: User) -> None:
    with pytest.raises(PermissionDenied):
        banner_set(user=user, text="Mine", active=True)
    with pytest.raises(ValidationError):
        banner_set(user=staff, text="x" * (limits.BANNER_MAX + 1), active=True)
    with pytest.raises(ValidationError):
        banner_set(user=staff, text="  ", active=True)
    assert not SiteBanner.objects.exists()
    assert not AuditEntry.objects.exists()
