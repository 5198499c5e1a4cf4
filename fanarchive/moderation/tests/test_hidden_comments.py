"""A comment hidden by a moderator on every comment surface: the reading page, the
comment's own address, its thread page, the API and the comment count. Its author and
moderators see it; the work's creators and other readers do not. Shown again, it goes
back to the state it had."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from fanarchive.api.models import TokenScope
from fanarchive.api.services import token_create
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.comment_services import comment_approve
from fanarchive.engagement.models import CommentState
from fanarchive.engagement.moderation_services import comment_set_hidden
from fanarchive.engagement.stats import counts_of
from fanarchive.moderation.tests.helpers import make_comment, make_moderator

pytestmark = pytest.mark.django_db

SECRET = "Quietly unkind words about the lighthouse."


def surfaces(work, comment) -> list[str]:
    chapter = work.chapters.get()
    return [
        work.get_absolute_url(),
        reverse("engagement:comment", args=[comment.pk]),
        f"/api/v1/works/{work.pk}/chapters/{chapter.pk}/comments",
        f"/api/v1/comments/{comment.pk}",
    ]


def seen_on(client: Client, urls: list[str], headers: dict[str, str] | None = None) -> list[bool]:
    seen = []
    for url in urls:
        response = client.get(url, follow=True, headers=headers or {})
        seen.append(response.status_code == 200 and SECRET in response.content.decode())
    return seen


def test_who_sees_a_hidden_comment_where(user, other_user):
    work = make_work(user)
    comment = make_comment(work, other_user, SECRET)
    urls = surfaces(work, comment)
    moderator = make_moderator("mod_c")
    reader = make_user("plain_reader")
    assert seen_on(Client(), urls) == [True] * 4
    assert counts_of([work.pk])[work.pk].comments == 1
    comment_set_hidden(user=moderator, comment=comment, hidden=True, reason="Unkind.")
    assert counts_of([work.pk])[work.pk].comments == 0
    assert seen_on(Client(), urls) == [False] * 4
    for person, expected in ((reader, False), (user, False), (other_user, True), (moderator, True)):
        client = Client()
        client.force_login(person)
        assert seen_on(client, urls[:2]) == [expected] * 2, person.username
        _, secret = token_create(user=person, owner=person, name="t", scope=TokenScope.READ)
        assert seen_on(Client(), urls[2:], {"Authorization": f"Bearer {secret}"}) == [expected] * 2
    author = Client()
    author.force_login(other_user)
    assert "A moderator hid this comment" in author.get(urls[0]).content.decode()
    assert "Reason: Unkind." in author.get(urls[0]).content.decode()
    comment_set_hidden(user=moderator, comment=comment, hidden=False, reason="On reflection.")
    assert seen_on(Client(), urls) == [True] * 4


def test_a_pending_comment_hidden_and_shown_is_pending_again(user, other_user):
    work = make_work(user, moderated_comments=True)
    comment = make_comment(work, other_user, SECRET)
    assert comment.state == CommentState.PENDING
    moderator = make_moderator("mod_p")
    comment_set_hidden(user=moderator, comment=comment, hidden=True, reason="Spam.")
    with pytest.raises(PermissionDenied):
        comment_approve(user=user, comment=comment)  # the creator cannot undo a moderator
    comment_set_hidden(user=moderator, comment=comment, hidden=False)
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING


def test_only_moderators_hide_comments(user, other_user):
    comment = make_comment(make_work(user), other_user)
    with pytest.raises(PermissionDenied):
        comment_set_hidden(user=user, comment=comment, hidden=True, reason="Mine now.")
