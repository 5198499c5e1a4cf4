"""Blocking through the site: the profile button, the list of one's blocks, and its effects."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from fanarchive.accounts.models import Block
from fanarchive.accounts.selectors import is_blocked
from fanarchive.core.testing import make_work
from fanarchive.engagement.models import Comment, Kudos
from fanarchive.works.creator_services import gift_recipients_resolve

pytestmark = pytest.mark.django_db


def test_block_and_unblock_from_the_profile(client: Client, user, reader):
    client.force_login(user)
    profile = client.get(f"/users/{reader.username}/").content.decode()
    assert f"Block {reader.username}" in profile
    response = client.post(f"/users/{reader.username}/block/")
    assert response.status_code == 302 and is_blocked(user, reader)
    profile = client.get(response["Location"]).content.decode()
    assert "You have blocked harbour_reader." in profile
    assert f"Unblock {reader.username}" in profile
    blocks = client.get(f"/users/{user.username}/blocks/").content.decode()
    assert f">{reader.username}</a>" in blocks
    client.post(f"/users/{reader.username}/unblock/")
    assert not is_blocked(user, reader)
    assert (
        "You have not blocked anyone."
        in client.get(f"/users/{user.username}/blocks/").content.decode()
    )


def test_own_profile_has_no_block_button_and_self_block_is_refused(client: Client, user):
    client.force_login(user)
    profile = client.get(f"/users/{user.username}/").content.decode()
    assert "Block writer" not in profile and "Blocked users" in profile
    page = client.post(f"/users/{user.username}/block/", follow=True).content.decode()
    assert "You cannot block yourself." in page
    assert not Block.objects.exists()


def test_blocks_page_is_private_and_blocking_needs_login(client: Client, user, reader):
    client.force_login(reader)
    assert client.get(f"/users/{user.username}/blocks/").status_code == 403
    client.logout()
    response = client.post(f"/users/{user.username}/block/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Block.objects.exists()


def test_a_blocked_user_cannot_comment_give_kudos_or_gift(client: Client, user, reader):
    work = make_work(user)
    client.force_login(user)
    client.post(f"/users/{reader.username}/block/")
    client.force_login(reader)
    client.post(f"/works/{work.pk}/kudos/")
    chapter = work.chapters.get()
    page = client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/comments/", {"text": "Hello"}
    ).content.decode()
    assert "you have been blocked" in page
    assert not Kudos.objects.exists() and not Comment.objects.exists()
    with pytest.raises(ValidationError) as excinfo:
        gift_recipients_resolve(user=reader, work=None, names=[user.username])
    assert "You cannot give a gift to writer." in excinfo.value.messages
