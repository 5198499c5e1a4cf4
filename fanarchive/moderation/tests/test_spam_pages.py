"""The moderators' spam pages through the client: held comments (approve, spam) and marking
an account as a spammer (and "Not a spammer"), with the Django admin's action doing
exactly what the page does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Comment, CommentState, Notice
from fanarchive.moderation.selectors import spammer_entry
from fanarchive.moderation.tests.helpers import make_comment, make_moderator, report_work
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

LINKED = 'Lovely! Also <a href="https://example.org/deals">cheap deals</a>.'
SPAM_TITLE = "Discount Lanterns Galore"


def login(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def held(user, other_user) -> Comment:
    work = make_work(user, title="The Harbour Light")
    comment = comment_create(chapter=work.chapters.get(), user=other_user, text=LINKED)
    assert comment.state == CommentState.HELD
    return comment


# -- held comments -------------------------------------------------------------------------


def test_only_moderators_open_the_held_page(held, user):
    url = reverse("moderation:held")
    guest = Client().get(url)
    assert guest.status_code == 302 and "/login" in guest["Location"]
    assert login(user).get(url).status_code == 403
    for action in ("held_approve", "held_spam"):
        assert login(user).post(reverse(f"moderation:{action}", args=[held.pk])).status_code == 403
    held.refresh_from_db()
    assert held.state == CommentState.HELD
    page = login(make_moderator("mod_a")).get(url).content.decode()
    assert "cheap deals" in page and "The Harbour Light" in page
    assert "A link in a new account&#x27;s comment" in page or "new account" in page
    assert reverse("moderation:held_approve", args=[held.pk]) in page


def test_the_queue_links_to_held_comments_with_the_count(held):
    page = login(make_moderator("mod_q")).get(reverse("moderation:queue")).content.decode()
    assert "Held comments (1)" in page


def test_approve_through_the_page(held, user):
    moderator = make_moderator("mod_b")
    response = login(moderator).post(reverse("moderation:held_approve", args=[held.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("moderation:held")
    held.refresh_from_db()
    assert held.state == CommentState.PUBLISHED
    assert Notice.objects.filter(recipient=user, kind="comment").exists()
    assert AuditEntry.objects.filter(action="comment.approve_held", actor=moderator).exists()
    assert "cheap deals" in Client().get(held.work.get_absolute_url()).content.decode()


def test_spam_through_the_page(held):
    moderator = make_moderator("mod_c")
    login(moderator).post(reverse("moderation:held_spam", args=[held.pk]), {"page": "1"})
    assert not Comment.objects.filter(pk=held.pk).exists()
    assert AuditEntry.objects.filter(action="comment.spam", actor=moderator).exists()
    # A second click finds nothing held: a message, nothing changes.
    again = login(moderator).post(reverse("moderation:held_spam", args=[held.pk]))
    assert again.status_code == 404


def test_held_actions_need_csrf(held):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_moderator("mod_d"))
    assert client.post(reverse("moderation:held_approve", args=[held.pk])).status_code == 403
    assert client.post(reverse("moderation:held_spam", args=[held.pk])).status_code == 403
    held.refresh_from_db()
    assert held.state == CommentState.HELD


# -- marking a spammer -------------------------------------------------------------------


def spammers_things(user, spammer):
    """A work by `spammer` under a tag, and a comment by them on `user`'s work."""
    work = make_work(spammer, title=SPAM_TITLE, freeforms=["Lantern Bargains"])
    target = make_work(user, title="The Quiet Harbour")
    comment = make_comment(target, spammer, "Buy lanterns from the quay shop")
    return work, target, comment


def visible_to_a_guest(work: Work, target: Work) -> dict[str, bool]:
    guest = Client()
    tag = work.tags.get(name="Lantern Bargains")
    api = guest.get("/api/v1/works").content.decode()
    return {
        "works": SPAM_TITLE in guest.get("/works/").content.decode(),
        "tag": SPAM_TITLE in guest.get(tag.get_absolute_url()).content.decode(),
        "api": SPAM_TITLE in api,
        "work page": guest.get(work.get_absolute_url()).status_code == 200,
        "comment": "quay shop" in guest.get(target.get_absolute_url()).content.decode(),
    }


def test_mark_as_spammer_and_undo_through_the_page(user, other_user):
    work, target, comment = spammers_things(user, other_user)
    assert set(visible_to_a_guest(work, target).values()) == {True}
    moderator = make_moderator("mod_s")
    url = reverse("moderation:spammer", args=[other_user.username])
    assert login(user).get(url).status_code == 403
    client = login(moderator)
    assert "Mark as a spammer" in client.get(url).content.decode()
    # A reason is needed: nothing changes without one.
    refused = client.post(url, {"mark": "1", "reason": ""})
    assert refused.status_code == 200 and spammer_entry(other_user) is None
    response = client.post(url, {"mark": "1", "reason": "Advertising on every work."})
    assert response.status_code == 302
    other_user.refresh_from_db()
    assert other_user.suspended_permanently
    assert set(visible_to_a_guest(work, target).values()) == {False}
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    entry = AuditEntry.objects.get(action="user.spammer")
    assert entry.actor == moderator and entry.reason == "Advertising on every work."
    assert AuditEntry.objects.filter(action="user.suspend", target_id=other_user.pk).exists()
    assert AuditEntry.objects.filter(action="work.hide", target_id=work.pk).exists()
    assert Notice.objects.filter(recipient=other_user, kind="moderation").count() == 1
    # Marking twice is refused.
    assert client.post(url, {"mark": "1", "reason": "Again."}).status_code == 200
    assert AuditEntry.objects.filter(action="user.spammer").count() == 1
    # The page offers the undo.
    assert "Not a spammer" in client.get(url).content.decode()
    client.post(url, {"unmark": "1", "reason": "A false alarm."})
    other_user.refresh_from_db()
    assert not other_user.suspended_permanently
    assert visible_to_a_guest(work, target) == dict.fromkeys(
        ["works", "tag", "api", "work page", "comment"], True
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
    assert AuditEntry.objects.filter(action="user.not_spammer", actor=moderator).exists()


def test_the_report_page_links_to_the_spammer_page(user, other_user):
    work = make_work(other_user)
    report = report_work(work, reporter=user)
    page = login(make_moderator("mod_r")).get(
        reverse("moderation:report_detail", args=[report.reference])
    )
    assert reverse("moderation:spammer", args=[other_user.username]) in page.content.decode()


def test_the_spammer_page_needs_csrf(other_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_moderator("mod_x"))
    url = reverse("moderation:spammer", args=[other_user.username])
    assert client.post(url, {"mark": "1", "reason": "Spam."}).status_code == 403
    assert spammer_entry(other_user) is None


def shape(entry: AuditEntry) -> tuple[object, ...]:
    return (entry.action, entry.target_type, sorted(entry.after))


def test_the_admin_action_is_what_the_page_does(user):
    by_page, by_admin = make_user("spam_one"), make_user("spam_two")
    results = {}
    for spammer in (by_page, by_admin):
        work, target, comment = spammers_things(user, spammer)
        results[spammer.username] = (work, target, comment)
    login(make_moderator("mod_p")).post(
        reverse("moderation:spammer", args=[by_page.username]),
        {"mark": "1", "reason": "Spam."},
    )
    admin = make_user("site_admin", is_staff=True, is_superuser=True)
    response = login(admin).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "mark_spammers", "_selected_action": [by_admin.pk]},
    )
    assert response.status_code == 302
    for spammer in (by_page, by_admin):
        spammer.refresh_from_db()
        work, target, comment = results[spammer.username]
        work.refresh_from_db()
        comment.refresh_from_db()
        assert spammer.suspended_permanently
        assert work.hidden_by_admin and comment.state == CommentState.HIDDEN
    page_entries = AuditEntry.objects.filter(subject=by_page).order_by("id")
    admin_entries = AuditEntry.objects.filter(subject=by_admin).order_by("id")
    assert [shape(e) for e in page_entries] == [shape(e) for e in admin_entries]
    assert admin_entries.get(action="user.spammer").actor == admin


def test_admins_and_oneself_cannot_be_marked(user):
    moderator = make_moderator("mod_self")
    client = login(moderator)
    own = client.post(
        reverse("moderation:spammer", args=[moderator.username]), {"mark": "1", "reason": "x"}
    )
    assert "cannot suspend your own account" in own.content.decode()
    staff = make_user("staff_person", is_staff=True)
    other = client.post(
        reverse("moderation:spammer", args=[staff.username]), {"mark": "1", "reason": "x"}
    )
    assert "Administrators cannot be suspended" in other.content.decode()
    assert not AuditEntry.objects.filter(action="user.spammer").exists()
