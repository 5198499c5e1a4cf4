"""One permission object per work and viewer: the page shows what the services accept."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fanarchive.accounts.block_services import block_create
from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.permissions import BLOCKED_MESSAGE, work_permissions
from fanarchive.works.models import CommentPolicy

pytestmark = pytest.mark.django_db


def test_a_blocked_user_is_not_shown_the_comment_form_nor_the_kudos_button(client, user):
    work = make_work(user, comment_policy=CommentPolicy.EVERYONE)
    blocked = make_user("pest")
    block_create(user=user, blocked=blocked)
    client.force_login(blocked)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "comment-form" not in page and "kudos-form" not in page
    assert "blocked by one or more of this work" in page
    client.force_login(make_user("friend"))
    page = client.get(work.get_absolute_url()).content.decode()
    assert "comment-form" in page and "kudos-form" in page


def test_a_blocked_user_cannot_comment_or_give_kudos_through_the_api(user):
    work = make_work(user, comment_policy=CommentPolicy.EVERYONE)
    blocked = make_user("pest")
    block_create(user=user, blocked=blocked)
    chapter = work.chapters.get()
    api = api_as(blocked)
    answer = api.post(
        f"/api/v1/works/{work.pk}/chapters/{chapter.pk}/comments", {"text": "Hello there."}
    )
    assert answer.status_code == 422 and BLOCKED_MESSAGE in answer.content.decode()
    answer = api.post(f"/api/v1/works/{work.pk}/kudos")
    assert answer.status_code == 422 and BLOCKED_MESSAGE in answer.content.decode()


def test_what_each_viewer_may_do(user, other_user):
    public = make_work(user)
    guest = work_permissions(AnonymousUser(), public)
    assert guest.may_read and guest.may_give_kudos and guest.may_download
    assert not guest.may_comment and not guest.may_bookmark and not guest.may_edit
    own = work_permissions(user, public)
    assert own.may_edit and own.may_comment and not own.may_give_kudos
    other = work_permissions(other_user, public)
    assert other.may_comment and other.may_bookmark and not other.may_edit
    draft = work_permissions(other_user, make_work(user, post=False))
    assert not (draft.may_read or draft.may_comment or draft.may_download)
    restricted = work_permissions(AnonymousUser(), make_work(user, restricted=True))
    assert "log in" in restricted.read_refusal and not restricted.may_give_kudos
    closed = work_permissions(other_user, make_work(user, comment_policy=CommentPolicy.NOBODY))
    assert closed.comment_refusal == "Sorry, this work doesn't allow comments."


def test_the_comment_notice_says_why(client, user):
    work = make_work(user, comment_policy=CommentPolicy.NOBODY)
    page = client.get(reverse("works:detail", args=[work.pk])).content.decode()
    assert "doesn&#x27;t allow comments" in page or "doesn't allow comments" in page


def test_deleting_a_comment_in_the_admin_reaches_the_counts_and_the_api(client, user):
    from fanarchive.engagement.comment_services import comment_create
    from fanarchive.engagement.models import Comment

    work = make_work(user, comment_policy=CommentPolicy.EVERYONE)
    reader = make_user("chatty")
    comment = comment_create(chapter=work.chapters.get(), user=reader, text="A fine lamp.")
    api = f"/api/v1/works/{work.pk}"
    assert client.get(api).json()["stats"]["comments"] == 1
    admin_user = make_user("moderator", is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(admin_user)
    # The admin's own delete (behind the service's back) is not offered; the service's is.
    page = admin_client.get(reverse("admin:engagement_comment_changelist")).content.decode()
    assert 'value="delete_selected"' not in page and 'value="delete_comments"' in page
    answer = admin_client.post(
        reverse("admin:engagement_comment_changelist"),
        {"action": "delete_comments", "_selected_action": [comment.pk]},
    )
    assert answer.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert client.get(api).json()["stats"]["comments"] == 0
