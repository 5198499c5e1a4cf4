"""The inbox page, its header count, and subscribing from work, series and user pages."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.comment_services import comment_create, comment_freeze
from fanarchive.engagement.models import Comment, Notice, Subscription
from fanarchive.engagement.notices import notify
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db


def notice(recipient, subject="A comment on Harbour Lights", kind="comment", comment_id=None):
    notify(
        recipients=[recipient],
        kind=kind,
        subject=subject,
        body="What a storm!",
        url="/works/",
        comment_id=comment_id,
    )
    return Notice.objects.filter(recipient=recipient).first()


def test_the_inbox_lists_ones_own_notices_and_filters_them(user_client: Client, user, other_user):
    first = notice(user, "First notice")
    notice(user, "Second notice")
    notice(other_user, "Not yours")
    Notice.objects.filter(pk=first.pk).update(read_at="2026-01-01T00:00:00Z")
    page = user_client.get("/inbox/").content.decode()
    assert "First notice" in page and "Second notice" in page and "Not yours" not in page
    assert "What a storm!" in page
    unread = user_client.get("/inbox/?show=unread").content.decode()
    assert "Second notice" in unread and "First notice" not in unread
    read = user_client.get("/inbox/?show=read").content.decode()
    assert "First notice" in read and "Second notice" not in read
    assert user_client.get("/inbox/?show=nonsense").status_code == 200


def test_guests_must_log_in_to_see_an_inbox(client: Client):
    response = client.get("/inbox/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_header_shows_the_unread_count(user_client: Client, user):
    assert "Inbox (" not in user_client.get("/works/").content.decode()
    notice(user)
    notice(user)
    page = user_client.get("/works/").content.decode()
    assert 'Inbox <span class="count">(2<span class="visually-hidden"> unread</span>)' in page


def test_bulk_mark_read_unread_and_delete(user_client: Client, user, other_user):
    ids = [notice(user, f"Notice {n}").pk for n in range(3)]
    theirs = notice(other_user)
    response = user_client.post(
        "/inbox/update/", {"action": "read", "notices": [ids[0], ids[1], theirs.pk]}
    )
    assert response.status_code == 302
    assert Notice.objects.filter(recipient=user, read_at__isnull=False).count() == 2
    theirs.refresh_from_db()
    assert theirs.read_at is None
    user_client.post("/inbox/update/", {"action": "unread", "notices": [ids[0]]})
    assert Notice.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    user_client.post("/inbox/update/", {"action": "delete", "notices": [ids[2], theirs.pk]})
    assert not Notice.objects.filter(pk=ids[2]).exists()
    assert Notice.objects.filter(pk=theirs.pk).exists()
    # Nothing ticked, or no action: a message, no change.
    response = user_client.post("/inbox/update/", {"action": "delete"}, follow=True)
    assert "Tick at least one notice" in response.content.decode()
    response = user_client.post("/inbox/update/", {"notices": [ids[0]]}, follow=True)
    assert "Choose what to do" in response.content.decode()
    assert Notice.objects.filter(recipient=user).count() == 2


def test_opening_a_notice_marks_it_read_and_follows_its_link(user_client: Client, user, other_user):
    mine = notice(user)
    response = user_client.get(f"/inbox/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/works/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert user_client.get(f"/inbox/{notice(other_user).pk}/").status_code == 404


def test_reply_from_the_inbox_answers_the_comment_and_returns_to_the_inbox(
    client: Client, user, other_user
):
    work = make_work(user, title="Harbour Lights")
    comment = comment_create(chapter=work.chapters.get(), user=other_user, text="What a storm!")
    kudos_notice = notice(user, "Kudos!", kind="kudos")
    client.force_login(user)
    page = client.get("/inbox/").content.decode()
    # The comment's notice offers a reply box aimed at the real reply page; kudos do not.
    assert page.count('class="inbox-reply"') == 1
    assert f'action="/comments/{comment.pk}/reply/"' in page
    assert 'name="next" value="/inbox/"' in page
    assert kudos_notice.subject in page

    response = client.post(
        f"/comments/{comment.pk}/reply/", {"text": "Thank you, sailor.", "next": "/inbox/"}
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    reply = Comment.objects.get(parent=comment)
    assert reply.user == user and "Thank you, sailor." in reply.text
    # The commenter hears of the reply in their own inbox.
    answered = Notice.objects.get(recipient=other_user, kind="reply")
    assert answered.comment_id == reply.pk


def test_reply_from_the_inbox_refused_on_a_frozen_thread_changes_nothing(
    client: Client, user, other_user
):
    work = make_work(user)
    comment = comment_create(chapter=work.chapters.get(), user=other_user, text="Lovely waves.")
    comment_freeze(user=user, comment=comment)
    client.force_login(user)
    response = client.post(
        f"/comments/{comment.pk}/reply/", {"text": "Thanks!", "next": "/inbox/"}, follow=True
    )
    assert "frozen" in response.content.decode().lower()
    assert not Comment.objects.filter(parent=comment).exists()


# -- subscribing from pages ------------------------------------------------------------------


def test_subscribe_and_unsubscribe_from_the_work_page(client: Client, user, other_user):
    work = make_work(user, title="Tides")
    client.force_login(other_user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'name="kind" value="work"' in page and ">Subscribe<" in page
    response = client.post(
        "/subscriptions/new/", {"kind": "work", "id": work.pk, "next": work.get_absolute_url()}
    )
    assert response["Location"] == work.get_absolute_url()
    subscription = Subscription.objects.get()
    assert (subscription.user, subscription.work) == (other_user, work)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f"/subscriptions/{subscription.pk}/delete/" in page and "Unsubscribe" in page
    listing = client.get(f"/users/{other_user.username}/subscriptions/").content.decode()
    assert "Work: <a" in listing and "Tides" in listing
    client.post(f"/subscriptions/{subscription.pk}/delete/")
    assert not Subscription.objects.exists()


def test_subscribe_to_a_creator_from_their_profile(client: Client, user, other_user):
    client.force_login(other_user)
    page = client.get(f"/users/{user.username}/").content.decode()
    assert f"Subscribe to {user.username}" in page
    client.post("/subscriptions/new/", {"kind": "creator", "id": user.pk})
    assert Subscription.objects.get().creator == user
    own = client.get(f"/users/{other_user.username}/").content.decode()
    assert "Subscribe to" not in own  # not to oneself


def test_subscribe_to_a_series_from_its_page(client: Client, user, other_user):
    series = series_create(user=user, title="Voyages")
    series_work_add(user=user, work=make_work(user), series=series)
    client.force_login(other_user)
    assert 'name="kind" value="series"' in client.get(series.get_absolute_url()).content.decode()
    client.post("/subscriptions/new/", {"kind": "series", "id": series.pk})
    assert Subscription.objects.get().series == series


def test_subscribing_refusals(client: Client, user, other_user):
    draft = make_work(user, post=False)
    client.force_login(other_user)
    assert client.post("/subscriptions/new/", {"kind": "work", "id": draft.pk}).status_code == 404
    assert client.post("/subscriptions/new/", {"kind": "planet", "id": 1}).status_code == 404
    assert client.get("/subscriptions/new/").status_code == 405
    client.force_login(user)
    response = client.post("/subscriptions/new/", {"kind": "creator", "id": user.pk}, follow=True)
    assert "You cannot subscribe to yourself." in response.content.decode()
    assert not Subscription.objects.exists()


def test_only_the_owner_sees_or_ends_subscriptions(client: Client, user, other_user):
    work = make_work(user)
    client.force_login(other_user)
    client.post("/subscriptions/new/", {"kind": "work", "id": work.pk})
    subscription = Subscription.objects.get()
    client.force_login(user)
    assert client.get(f"/users/{other_user.username}/subscriptions/").status_code == 403
    assert client.post(f"/subscriptions/{subscription.pk}/delete/").status_code == 404
    assert Subscription.objects.exists()
    client.logout()
    assert client.get(work.get_absolute_url()).status_code == 200
    assert 'name="kind"' not in client.get(work.get_absolute_url()).content.decode()


def test_the_preferences_page_sets_email_choices(user_client: Client, user):
    page = user_client.get(f"/users/{user.username}/preferences/").content.decode()
    assert "E-mail me about kudos on my works" in page and "In a daily digest" in page
    user_client.post(
        f"/users/{user.username}/preferences/",
        {
            "keep_history": "on",
            "email_comments": "daily",
            "email_replies": "off",
            "email_kudos": "immediate",
            "email_subscriptions": "daily",
        },
    )
    user.preference.refresh_from_db()
    preference = user.preference
    assert (
        preference.email_comments,
        preference.email_replies,
        preference.email_kudos,
        preference.email_subscriptions,
        preference.keep_history,
    ) == ("daily", "off", "immediate", "daily", True)
    response = user_client.post(
        f"/users/{user.username}/preferences/", {"email_kudos": "hourly", "keep_history": "on"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    preference.refresh_from_db()
    assert preference.email_kudos == "immediate"


def test_reading_a_subscribed_work_by_a_new_account_works(client: Client, user):
    # An account without a Preference row still gets its history and buttons.
    reader = make_user("fresh_reader")
    reader.preference.delete()
    client.force_login(reader)
    assert client.get(make_work(user).get_absolute_url()).status_code == 200
