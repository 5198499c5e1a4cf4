"""Comments through the API: threads as the work page shows them, the site's rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.block_services import block_create
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_user
from fanarchive.engagement.comment_services import comment_create, comment_delete
from fanarchive.engagement.models import Comment, CommentState
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.works.models import CommentPolicy, Work

pytestmark = pytest.mark.django_db


def chapter_of(work: Work) -> Any:
    return work.chapters.order_by("position").first()


def url(work: Work) -> str:
    return f"/api/v1/works/{work.pk}/chapters/{chapter_of(work).pk}/comments"


def policy(work: Work, value: str, *, moderated: bool = False) -> None:
    Work.objects.filter(pk=work.pk).update(comment_policy=value, moderated_comments=moderated)
    work.refresh_from_db()


def test_post_and_list_a_thread(archive: Archive) -> None:
    other = api_as(archive.other)
    posted = other.post(url(archive.public), {"text": "<p>Lovely <script>x()</script>harbour.</p>"})
    assert posted.status_code == 201, posted.content
    body = posted.json()
    assert body["author"] == {"pseud": "visitor", "username": "visitor", "byline": "visitor"}
    assert body["guest_name"] is None
    assert "script" not in body["text"] and "Lovely" in body["text"]
    assert body["state"] == "published"
    assert body["parent_id"] is None and body["depth"] == 0

    reply = api_as(archive.creator).post(
        f"/api/v1/comments/{body['id']}/replies", {"text": "Thank you!"}
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["parent_id"] == body["id"]
    assert reply.json()["thread_id"] == body["id"]

    listing = api_as(None).get(url(archive.public))
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [(c["id"], c["depth"], c["parent_id"]) for c in items] == [
        (body["id"], 0, None),
        (reply.json()["id"], 1, body["id"]),
    ]
    assert listing.json()["next"] is None
    detail = api_as(None).get(f"/api/v1/comments/{body['id']}")
    assert detail.status_code == 200
    assert detail.json()["text"] == body["text"]
    stats = api_as(None).get(f"/api/v1/works/{archive.public.pk}").json()["stats"]
    assert stats["comments"] == 2


def test_listing_pages_by_thread_with_a_cursor(archive: Archive) -> None:
    chapter = chapter_of(archive.public)
    ids = [
        comment_create(chapter=chapter, user=archive.creator, text=f"Note {n}").pk for n in range(3)
    ]
    first = api_as(None).get(url(archive.public), {"limit": 2}).json()
    assert [c["id"] for c in first["items"]] == [ids[2], ids[1]]
    second = api_as(None).get(url(archive.public), {"limit": 2, "cursor": first["next"]}).json()
    assert [c["id"] for c in second["items"]] == [ids[0]]
    assert second["next"] is None
    bad = api_as(None).get(url(archive.public), {"cursor": "nonsense"})
    assert bad.status_code == 422
    assert "cursor" in bad.json()["errors"]


def test_guest_comments_follow_the_policy(archive: Archive) -> None:
    guest = api_as(None)
    # Default policy: registered users only.
    refused = guest.post(url(archive.public), {"text": "Hello", "name": "Wanderer"})
    assert refused.status_code == 422
    assert refused.json()["errors"]["text"] == [
        "Sorry, this work only allows comments from registered users."
    ]
    policy(archive.public, CommentPolicy.EVERYONE)
    missing = guest.post(url(archive.public), {"text": "Hello"})
    assert missing.status_code == 422
    assert missing.json()["errors"]["name"] == ["Please enter your name."]
    posted = guest.post(url(archive.public), {"text": "Hello", "name": "Wanderer"})
    assert posted.status_code == 201, posted.content
    assert posted.json()["author"] is None
    assert posted.json()["guest_name"] == "Wanderer"
    assert Comment.objects.get(pk=posted.json()["id"]).guest_key
    policy(archive.public, CommentPolicy.NOBODY)
    closed = api_as(archive.other).post(url(archive.public), {"text": "Hi"})
    assert closed.status_code == 422
    assert closed.json()["errors"]["text"] == ["Sorry, this work doesn't allow comments."]
    assert Comment.objects.count() == 1


def test_guest_and_new_account_rate_limit(archive: Archive) -> None:
    policy(archive.public, CommentPolicy.EVERYONE)
    guest = api_as(None)
    for n in range(3):
        ok = guest.post(url(archive.public), {"text": f"Comment {n}", "name": "Wanderer"})
        assert ok.status_code == 201
    fourth = guest.post(url(archive.public), {"text": "Again", "name": "Wanderer"})
    assert fourth.status_code == 422
    assert "3 comments every 15 minutes as a guest" in fourth.json()["errors"]["text"][0]
    assert Comment.objects.count() == 3


def test_moderated_comments_wait_for_the_creator(archive: Archive) -> None:
    policy(archive.public, CommentPolicy.REGISTERED, moderated=True)
    posted = api_as(archive.other).post(url(archive.public), {"text": "Waiting"})
    assert posted.status_code == 201
    comment_id = posted.json()["id"]
    assert posted.json()["state"] == "pending"
    third = make_user("thirdreader")
    # Only its author and the work's creators see a pending comment.
    assert api_as(None).get(url(archive.public)).json()["items"] == []
    assert api_as(third).get(url(archive.public)).json()["items"] == []
    assert api_as(third).get(f"/api/v1/comments/{comment_id}").status_code == 404
    assert [c["id"] for c in api_as(archive.other).get(url(archive.public)).json()["items"]] == [
        comment_id
    ]
    creator = api_as(archive.creator)
    assert [c["state"] for c in creator.get(url(archive.public)).json()["items"]] == ["pending"]
    # Only creators approve.
    assert api_as(archive.other).post(f"/api/v1/comments/{comment_id}/approve").status_code == 403
    approved = creator.post(f"/api/v1/comments/{comment_id}/approve")
    assert approved.status_code == 200
    assert approved.json()["state"] == "published"
    assert [c["id"] for c in api_as(None).get(url(archive.public)).json()["items"]] == [comment_id]


def test_freeze_edit_and_delete(archive: Archive) -> None:
    other, creator = api_as(archive.other), api_as(archive.creator)
    comment_id = other.post(url(archive.public), {"text": "First draft"}).json()["id"]
    edited = other.patch(f"/api/v1/comments/{comment_id}", {"text": "Second thoughts"})
    assert edited.status_code == 200
    assert "Second thoughts" in edited.json()["text"]
    assert edited.json()["edited_at"] is not None
    # Someone else's comment: neither edited nor deleted.
    stranger = api_as(make_user("stranger"))
    refused = stranger.patch(f"/api/v1/comments/{comment_id}", {"text": "Mine now"})
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:forbidden"
    assert stranger.delete(f"/api/v1/comments/{comment_id}").status_code == 403
    empty = other.patch(f"/api/v1/comments/{comment_id}", {"text": "   "})
    assert empty.status_code == 422
    assert empty.json()["errors"]["text"] == ["Please write a comment."]
    # Freezing is for creators; a frozen thread takes no replies or edits.
    assert other.post(f"/api/v1/comments/{comment_id}/freeze").status_code == 403
    frozen = creator.post(f"/api/v1/comments/{comment_id}/freeze")
    assert frozen.status_code == 200 and frozen.json()["frozen"] is True
    reply = creator.post(f"/api/v1/comments/{comment_id}/replies", {"text": "Reply"})
    assert reply.status_code == 422
    assert "frozen" in reply.json()["errors"]["text"][0]
    assert other.patch(f"/api/v1/comments/{comment_id}", {"text": "x"}).status_code == 422
    unfrozen = creator.post(f"/api/v1/comments/{comment_id}/unfreeze")
    assert unfrozen.json()["frozen"] is False
    reply_id = creator.post(f"/api/v1/comments/{comment_id}/replies", {"text": "Reply"}).json()[
        "id"
    ]
    # Deleting a comment with replies leaves a placeholder, as the site shows it.
    assert other.delete(f"/api/v1/comments/{comment_id}").status_code == 204
    items = api_as(None).get(url(archive.public)).json()["items"]
    assert [(c["id"], c["deleted"], c["text"], c["author"]) for c in items[:1]] == [
        (comment_id, True, "", None)
    ]
    assert items[1]["id"] == reply_id
    # The creator deletes the reply on their work; the empty placeholder goes too.
    assert creator.delete(f"/api/v1/comments/{reply_id}").status_code == 204
    assert api_as(None).get(url(archive.public)).json()["items"] == []
    assert not Comment.objects.exists()


def test_blocked_users_cannot_comment(archive: Archive) -> None:
    blocked = make_user("blockedreader")
    block_create(user=archive.creator, blocked=blocked)
    refused = api_as(blocked).post(url(archive.public), {"text": "Hello"})
    assert refused.status_code == 422
    assert "blocked" in refused.json()["errors"]["text"][0]
    assert not Comment.objects.exists()


def test_comment_visibility(archive: Archive) -> None:
    guest, other, creator = api_as(None), api_as(archive.other), api_as(archive.creator)
    assert guest.get(url(archive.restricted)).status_code == 401
    assert guest.post(url(archive.restricted), {"text": "Hi", "name": "W"}).status_code == 401
    assert other.get(url(archive.restricted)).status_code == 200
    assert other.post(url(archive.restricted), {"text": "Hi"}).status_code == 201
    for work in (archive.draft, archive.hidden):
        assert guest.get(url(work)).status_code in {403, 404}
        assert other.get(url(work)).status_code in {403, 404}
        assert other.post(url(work), {"text": "Hi"}).status_code in {403, 404}
        assert creator.get(url(work)).status_code == 200
    draft = creator.post(url(archive.draft), {"text": "Hi"})
    assert draft.status_code == 422
    assert draft.json()["errors"]["text"] == ["You cannot comment on a draft."]
    hidden = creator.post(url(archive.hidden), {"text": "Hi"})
    assert hidden.status_code == 422
    assert "hidden" in hidden.json()["errors"]["text"][0]
    # A chapter of another work is not this work's chapter.
    wrong = f"/api/v1/works/{archive.public.pk}/chapters/{chapter_of(archive.restricted).pk}"
    assert other.get(wrong + "/comments").status_code == 404
    # A comment on a restricted work is not there for guests.
    comment = Comment.objects.get(work=archive.restricted)
    assert guest.get(f"/api/v1/comments/{comment.pk}").status_code == 401
    assert guest.get("/api/v1/comments/999999").status_code == 404
    assert Comment.objects.filter(state=CommentState.PUBLISHED).count() == 1


def test_adult_works_comments_need_consent_to_read_not_to_post(archive: Archive) -> None:
    other = api_as(archive.other)
    posted = other.post(url(archive.explicit), {"text": "Posting needs no consent"})
    assert posted.status_code == 201
    refused = api_as(None).get(url(archive.explicit))
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:adult-consent-required"
    one = api_as(None).get(f"/api/v1/comments/{posted.json()['id']}")
    assert one.status_code == 403
    assert api_as(None).get(url(archive.explicit), {"adult": "true"}).status_code == 200
    # The creator, and the account's preference, count as consent.
    assert api_as(archive.creator).get(url(archive.explicit)).status_code == 200
    preferences_update(
        user=archive.other,
        owner=archive.other,
        view_adult=True,
        hide_warnings=False,
        hide_freeform=False,
    )
    assert len(other.get(url(archive.explicit)).json()["items"]) == 1


def test_commenting_under_a_pseud(archive: Archive) -> None:
    other = api_as(archive.other)
    unknown = other.post(url(archive.public), {"text": "Hi", "pseud": "Nobody Here"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == {"pseud": ["You have no pseud of that name."]}
    default = other.post(url(archive.public), {"text": "Hi", "pseud": "visitor"})
    assert default.status_code == 201
    assert default.json()["author"]["pseud"] == "visitor"


def test_bad_bodies_change_nothing(archive: Archive) -> None:
    other = api_as(archive.other)
    not_json = other.client.post(
        url(archive.public),
        "not json",
        content_type="application/json",
        headers=other.headers,
    )
    assert not_json.status_code == 400
    assert not_json["Content-Type"] == "application/problem+json"
    no_text = other.post(url(archive.public), {})
    assert no_text.status_code == 422
    assert "text" in no_text.json()["errors"]
    too_long = other.post(url(archive.public), {"text": "x" * 10_001})
    assert too_long.status_code == 422
    assert "at most 10,000 characters" in too_long.json()["errors"]["text"][0]
    assert not Comment.objects.exists()


def test_read_only_token_and_csrf(archive: Archive) -> None:
    reader = api_as(archive.other, TokenScope.READ)
    assert reader.post(url(archive.public), {"text": "Hi"}).status_code == 403
    comment = comment_create(chapter=chapter_of(archive.public), user=archive.other, text="Mine")
    assert reader.patch(f"/api/v1/comments/{comment.pk}", {"text": "x"}).status_code == 403
    assert reader.delete(f"/api/v1/comments/{comment.pk}").status_code == 403
    assert reader.post(f"/api/v1/comments/{comment.pk}/replies", {"text": "x"}).status_code == 403
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(archive.other)
    refused = browser.post(url(archive.public), {"text": "Hi"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:csrf-failed"
    browser.get(reverse("works:new"))
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        url(archive.public),
        {"text": "Hi"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert allowed.status_code == 201
    assert Comment.objects.count() == 2
    comment_delete(user=archive.other, comment=comment)
