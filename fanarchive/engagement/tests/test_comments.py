"""Comments: policy, moderation, threads, freezing, editing, deleting, the rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from fanarchive.accounts.block_services import block_create
from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.engagement import limits
from fanarchive.engagement.comment_services import (
    comment_approve,
    comment_create,
    comment_delete,
    comment_freeze,
    comment_unfreeze,
    comment_update,
)
from fanarchive.engagement.models import Comment, CommentState
from fanarchive.engagement.tests.conftest import notified
from fanarchive.engagement.visitors import guest_key_of
from fanarchive.works.models import CommentPolicy, Work
from fanarchive.works.restore_services import work_revision_restore
from fanarchive.works.services import work_update
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db
GUEST = guest_key_of("192.0.2.44")


def chapter_of(work: Work):
    return work.chapters.get(position=1)


def set_policy(work: Work, policy: str = CommentPolicy.REGISTERED, moderated: bool = False):
    Work.objects.filter(pk=work.pk).update(comment_policy=policy, moderated_comments=moderated)
    work.refresh_from_db()
    return work


def refusal(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        comment_create(**kwargs)
    return excinfo.value.message_dict


def old_account(name: str) -> User:
    account = make_user(name)
    User.objects.filter(pk=account.pk).update(date_joined=timezone.now() - timedelta(days=30))
    account.refresh_from_db()
    return account


def test_registered_user_comments_and_creators_are_notified(work, reader, notify):
    comment = comment_create(chapter=chapter_of(work), user=reader, text="Lovely harbour.")
    assert comment.state == CommentState.PUBLISHED
    assert comment.text == "<p>Lovely harbour.</p>"
    assert comment.pseud == reader.default_pseud and comment.thread_root == comment
    assert notified(notify) == [("comment", {"writer"})]


def test_comment_html_is_sanitised(work, reader):
    comment = comment_create(
        chapter=chapter_of(work),
        user=reader,
        text='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">y</a></p>',
    )
    assert "script" not in comment.text and "onclick" not in comment.text
    assert "javascript" not in comment.text


def test_empty_and_overlong_comments_are_refused(work, reader):
    assert (
        "Please write a comment."
        in refusal(chapter=chapter_of(work), user=reader, text="  ")["text"]
    )
    too_long = "a" * (limits.COMMENT_MAX + 1)
    assert "at most" in refusal(chapter=chapter_of(work), user=reader, text=too_long)["text"][0]
    assert not Comment.objects.exists()


def test_policy_registered_refuses_guests_everyone_takes_guests_with_a_name(work):
    chapter = chapter_of(work)
    assert (
        "only allows comments from registered users"
        in refusal(chapter=chapter, user=None, text="Hello", guest_name="Pip", guest_key=GUEST)[
            "text"
        ][0]
    )
    set_policy(work, CommentPolicy.EVERYONE)
    chapter = chapter_of(work)
    assert refusal(chapter=chapter, user=None, text="Hello", guest_key=GUEST)["name"] == [
        "Please enter your name."
    ]
    comment = comment_create(
        chapter=chapter, user=None, text="Hello", guest_name="Pip", guest_key=GUEST
    )
    assert comment.author_name == "Pip" and comment.user is None and comment.guest_key == GUEST


def test_policy_nobody_refuses_everyone(work, reader):
    set_policy(work, CommentPolicy.NOBODY)
    assert (
        "doesn't allow comments"
        in refusal(chapter=chapter_of(work), user=reader, text="Hello")["text"][0]
    )


def test_guests_cannot_comment_on_restricted_works(user):
    work = set_policy(make_work(user, restricted=True), CommentPolicy.EVERYONE)
    assert (
        "Only registered users"
        in refusal(
            chapter=chapter_of(work), user=None, text="Hello", guest_name="Pip", guest_key=GUEST
        )["text"][0]
    )


def test_no_comments_on_drafts(user, reader):
    draft = make_work(user, post=False)
    assert "draft" in refusal(chapter=chapter_of(draft), user=reader, text="Hello")["text"][0]


def test_blocked_user_cannot_comment_or_reply(work, user, reader):
    other = make_user("third_reader")
    top = comment_create(chapter=chapter_of(work), user=other, text="First!")
    block_create(user=user, blocked=reader)
    assert "blocked" in refusal(chapter=chapter_of(work), user=reader, text="Hi")["text"][0]
    assert (
        "blocked"
        in refusal(chapter=chapter_of(work), user=reader, text="Hi", parent=top)["text"][0]
    )
    # Elsewhere, someone who blocked you cannot be replied to either.
    elsewhere = make_work(make_user("another_writer"))
    theirs = comment_create(chapter=chapter_of(elsewhere), user=user, text="Nice.")
    assert refusal(chapter=chapter_of(elsewhere), user=reader, text="Hi", parent=theirs)[
        "text"
    ] == ["You cannot reply to this comment."]
    assert Comment.objects.count() == 2


def test_moderated_comments_wait_for_approval(client: Client, work, user, reader, notify):
    set_policy(work, CommentPolicy.REGISTERED, moderated=True)
    comment = comment_create(chapter=chapter_of(work), user=reader, text="Held back words.")
    assert comment.state == CommentState.PENDING
    assert notified(notify) == [("comment_pending", {"writer"})]
    stranger = make_user("stranger")
    client.force_login(stranger)
    assert "Held back words." not in client.get(work.get_absolute_url()).content.decode()
    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    client.force_login(reader)
    own = client.get(work.get_absolute_url()).content.decode()
    assert "Held back words." in own and "awaiting the creator's approval" in own
    client.force_login(user)
    assert "Held back words." in client.get(f"/works/{work.pk}/comments/pending/").content.decode()
    # Nobody else can approve.
    with pytest.raises(PermissionDenied):
        comment_approve(user=stranger, comment=comment)
    notify.reset_mock()
    response = client.post(f"/comments/{comment.pk}/approve/")
    assert response.status_code == 302
    assert notified(notify) == [("comment", {"writer"})]
    client.force_login(stranger)
    assert "Held back words." in client.get(work.get_absolute_url()).content.decode()


def test_creators_own_comments_skip_moderation(work, user):
    set_policy(work, CommentPolicy.REGISTERED, moderated=True)
    comment = comment_create(chapter=chapter_of(work), user=user, text="Thanks for reading!")
    assert comment.state == CommentState.PUBLISHED


def test_replies_thread_and_notify_the_parent_author(work, reader, notify):
    other = make_user("third_reader")
    top = comment_create(chapter=chapter_of(work), user=reader, text="Top")
    reply = comment_create(chapter=chapter_of(work), user=other, text="Reply", parent=top)
    assert reply.parent == top and reply.thread_root == top
    assert notified(notify)[-2:] == [("comment", {"writer"}), ("reply", {"harbour_reader"})]


def test_frozen_threads_take_no_replies_until_unfrozen(work, user, reader):
    top = comment_create(chapter=chapter_of(work), user=reader, text="Top")
    reply = comment_create(chapter=chapter_of(work), user=user, text="Reply", parent=top)
    with pytest.raises(PermissionDenied):
        comment_freeze(user=reader, comment=top)
    comment_freeze(user=user, comment=top)
    reply.refresh_from_db()
    assert reply.frozen
    for parent in (top, reply):
        parent.refresh_from_db()
        assert (
            "frozen"
            in refusal(chapter=chapter_of(work), user=reader, text="More", parent=parent)["text"][0]
        )
    with pytest.raises(ValidationError):
        comment_update(user=reader, comment=top, text="Changed")
    comment_unfreeze(user=user, comment=top)
    top.refresh_from_db()
    comment_create(chapter=chapter_of(work), user=reader, text="More", parent=top)


def test_commenters_edit_their_own_comments_only(work, reader):
    comment = comment_create(chapter=chapter_of(work), user=reader, text="Frist")
    comment_update(user=reader, comment=comment, text="First")
    comment.refresh_from_db()
    assert comment.text == "<p>First</p>" and comment.edited_at is not None
    with pytest.raises(PermissionDenied):
        comment_update(user=make_user("meddler"), comment=comment, text="Mine now")


def test_deleting_comments(work, user, reader):
    lone = comment_create(chapter=chapter_of(work), user=reader, text="Lone")
    comment_delete(user=reader, comment=lone)
    assert not Comment.objects.filter(pk=lone.pk).exists()

    top = comment_create(chapter=chapter_of(work), user=reader, text="Top")
    reply = comment_create(chapter=chapter_of(work), user=make_user("replier"), text="Re")
    reply.parent = top
    reply.save()
    with pytest.raises(PermissionDenied):
        comment_delete(user=make_user("meddler"), comment=top)
    comment_delete(user=reader, comment=top)
    top.refresh_from_db()
    assert top.deleted and top.text == ""
    # The creator deletes the reply: the deleted parent goes with it.
    comment_delete(user=user, comment=reply)
    assert not Comment.objects.filter(pk__in=[top.pk, reply.pk]).exists()


def test_new_accounts_are_rate_limited(work):
    newcomer = make_user("newcomer")
    for n in range(limits.COMMENT_RATE_COUNT):
        comment_create(chapter=chapter_of(work), user=newcomer, text=f"Comment {n}")
    message = refusal(chapter=chapter_of(work), user=newcomer, text="One more")["text"][0]
    assert message == (
        "You can post 3 comments every 15 minutes while your account is new. "
        "Try again in 15 minutes."
    )
    # Older comments fall out of the window.
    Comment.objects.filter(user=newcomer).update(created_at=timezone.now() - timedelta(minutes=16))
    comment_create(chapter=chapter_of(work), user=newcomer, text="Later")


def test_established_accounts_are_not_rate_limited(work):
    regular = old_account("regular")
    for n in range(limits.COMMENT_RATE_COUNT + 2):
        comment_create(chapter=chapter_of(work), user=regular, text=f"Comment {n}")
    assert Comment.objects.filter(user=regular).count() == limits.COMMENT_RATE_COUNT + 2


def test_guests_are_rate_limited_by_address(work):
    set_policy(work, CommentPolicy.EVERYONE)
    for n in range(limits.COMMENT_RATE_COUNT):
        comment_create(
            chapter=chapter_of(work), user=None, text=f"C{n}", guest_name="Pip", guest_key=GUEST
        )
    message = refusal(
        chapter=chapter_of(work), user=None, text="More", guest_name="Pip", guest_key=GUEST
    )["text"][0]
    assert message.startswith("You can post 3 comments every 15 minutes as a guest.")
    comment_create(
        chapter=chapter_of(work),
        user=None,
        text="Another guest",
        guest_name="Wren",
        guest_key=guest_key_of("192.0.2.45"),
    )


# -- through the site ------------------------------------------------------------------


def test_comment_form_on_the_work_page(client: Client, work, reader):
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "comment-form" in page
    chapter = chapter_of(work)
    response = client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/comments/",
        {"text": "What a <em>storm</em>.", "next": work.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    page = client.get(work.get_absolute_url()).content.decode()
    assert "What a <em>storm</em>." in page and "Comment created!" in page
    assert '<dt class="comments">Comments</dt><dd class="comments">1</dd>' in page


def test_comment_errors_are_shown_and_nothing_is_saved(client: Client, work, reader):
    client.force_login(reader)
    chapter = chapter_of(work)
    page = client.post(f"/works/{work.pk}/chapters/{chapter.pk}/comments/", {"text": ""})
    assert page.status_code == 200 and "Please write a comment." in page.content.decode()
    assert not Comment.objects.exists()


def test_rate_limit_message_through_the_site(client: Client, work):
    newcomer = make_user("newcomer")
    client.force_login(newcomer)
    url = f"/works/{work.pk}/chapters/{chapter_of(work).pk}/comments/"
    for n in range(3):
        assert client.post(url, {"text": f"Comment {n}"}).status_code == 302
    page = client.post(url, {"text": "Fourth"}).content.decode()
    assert "You can post 3 comments every 15 minutes while your account is new." in page
    assert Comment.objects.count() == 3


def test_guest_comment_through_the_site(client: Client, work):
    set_policy(work, CommentPolicy.EVERYONE)
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'name="name"' in page
    url = f"/works/{work.pk}/chapters/{chapter_of(work).pk}/comments/"
    response = client.post(url, {"text": "From the quay", "name": "Pip"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.guest_name == "Pip" and comment.guest_key == guest_key_of("127.0.0.1")
    assert "Pip" in client.get(work.get_absolute_url()).content.decode()


def test_guest_sees_log_in_prompt_on_registered_only_work(client: Client, work):
    page = client.get(work.get_absolute_url()).content.decode()
    assert "only allows comments from registered users" in page and "comment-form" not in page
    url = f"/works/{work.pk}/chapters/{chapter_of(work).pk}/comments/"
    page = client.post(url, {"text": "Sneaky", "name": "Pip"}).content.decode()
    assert "only allows comments from registered users" in page
    assert not Comment.objects.exists()


def test_reply_url_with_next(client: Client, work, reader):
    top = comment_create(chapter=chapter_of(work), user=reader, text="Top")
    other = make_user("third_reader")
    client.force_login(other)
    form = client.get(f"/comments/{top.pk}/reply/").content.decode()
    assert "Top" in form and 'name="text"' in form
    response = client.post(f"/comments/{top.pk}/reply/", {"text": "Answer", "next": "/works/"})
    assert response.status_code == 302 and response["Location"] == "/works/"
    assert Comment.objects.get(parent=top).text == "<p>Answer</p>"
    # Somewhere else is not a place to be sent to.
    response = client.post(
        f"/comments/{top.pk}/reply/", {"text": "Again", "next": "https://example.com/"}
    )
    assert response["Location"].startswith(chapter_of(work).get_absolute_url())


def test_frozen_reply_refused_through_the_site(client: Client, work, user, reader):
    top = comment_create(chapter=chapter_of(work), user=reader, text="Top")
    client.force_login(user)
    client.post(f"/comments/{top.pk}/freeze/")
    client.force_login(reader)
    page = client.post(f"/comments/{top.pk}/reply/", {"text": "Hm"}).content.decode()
    assert "This comment thread is frozen. No new replies can be made." in page
    assert Comment.objects.count() == 1


def test_edit_and_delete_pages(client: Client, work, user, reader):
    comment = comment_create(chapter=chapter_of(work), user=reader, text="Tpyo")
    client.force_login(make_user("meddler"))
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    client.force_login(reader)
    assert client.post(f"/comments/{comment.pk}/edit/", {"text": "Typo"}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "<p>Typo</p>"
    assert "Last edited" in client.get(work.get_absolute_url()).content.decode()
    client.force_login(user)  # the creator deletes it
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 302
    assert not Comment.objects.exists()


def test_deleted_comment_with_replies_shows_placeholder(client: Client, work, reader):
    top = comment_create(chapter=chapter_of(work), user=reader, text="Regrettable")
    comment_create(chapter=chapter_of(work), user=make_user("replier"), text="Kind", parent=top)
    comment_delete(user=reader, comment=top)
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "(Previous comment deleted.)" in page and "Regrettable" not in page and "Kind" in page


def test_comment_policy_and_moderation_on_the_posting_form(client: Client, user):
    work = make_work(user)
    assert work.comment_policy == CommentPolicy.REGISTERED and not work.moderated_comments
    client.force_login(user)
    form = client.get(f"/works/{work.pk}/edit/").content.decode()
    assert 'name="comment_policy"' in form and 'name="moderated_comments"' in form
    data = post_data(expected_chapters="1", comment_policy="everyone", moderated_comments="on")
    assert client.post(f"/works/{work.pk}/edit/", data).status_code == 302
    work.refresh_from_db()
    assert work.comment_policy == CommentPolicy.EVERYONE and work.moderated_comments
    bad = client.post(f"/works/{work.pk}/edit/", {**data, "comment_policy": "cats"})
    assert bad.status_code == 200
    work.refresh_from_db()
    assert work.comment_policy == CommentPolicy.EVERYONE


def test_comment_settings_are_checked_and_survive_restoring_a_revision(user):
    with pytest.raises(ValidationError) as excinfo:
        make_work(user, comment_policy="cats")
    assert "comment_policy" in excinfo.value.message_dict
    work = make_work(user, comment_policy=CommentPolicy.NOBODY, title="Before")
    work_update(user=user, work=work, data=work_input(title="After", comment_policy="nobody"))
    first = work.revisions.order_by("id").first()
    assert first is not None
    work_revision_restore(user=user, revision=first)
    work.refresh_from_db()
    assert work.title == "Before" and work.comment_policy == CommentPolicy.NOBODY
