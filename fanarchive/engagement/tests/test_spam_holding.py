"""The spam rules for comments: links from guests and new accounts, and the same comment
on several works, are held for a moderator; held comments are seen by their author and
moderators only, counted nowhere, and nobody is told until a moderator approves them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from fanarchive.accounts.models import User
from fanarchive.api.models import TokenScope
from fanarchive.api.services import token_create
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement import limits
from fanarchive.engagement.comment_services import comment_approve, comment_create, comment_update
from fanarchive.engagement.models import Comment, CommentState, Notice
from fanarchive.engagement.moderation_services import comment_ids_by_state, comments_set_hidden_of
from fanarchive.engagement.spam_selectors import (
    REASON_LINK_GUEST,
    REASON_LINK_NEW,
    has_link,
    held_comments,
    held_reason_text,
    is_new_account,
    normalised,
)
from fanarchive.engagement.spam_services import held_comment_approve, held_comment_spam
from fanarchive.engagement.stats import counts_of
from fanarchive.engagement.visitors import guest_key_of
from fanarchive.moderation.tests.helpers import make_moderator
from fanarchive.works.models import CommentPolicy, Work

pytestmark = pytest.mark.django_db
GUEST = guest_key_of("192.0.2.77")
LINKED = 'A fine story! See <a href="https://example.org/shop">my page</a>.'


def chapter_of(work: Work):
    return work.chapters.get(position=1)


def old_account(name: str) -> User:
    account = make_user(name)
    User.objects.filter(pk=account.pk).update(date_joined=timezone.now() - timedelta(days=30))
    account.refresh_from_db()
    return account


def everyone(work: Work, *, moderated: bool = False) -> Work:
    Work.objects.filter(pk=work.pk).update(
        comment_policy=CommentPolicy.EVERYONE, moderated_comments=moderated
    )
    work.refresh_from_db()
    return work


# -- link detection --------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://example.org">here</a></p>',
        "<p>visit https://example.org/x today</p>",
        "<p>visit http://example.org</p>",
        "<p>go to www.example.org now</p>",
        "<p>GO TO WWW.EXAMPLE.ORG</p>",
        "<p>visit h&#116;tps://example.org</p>",
    ],
)
def test_links_are_found(html):
    assert has_link(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>No links here, only the harbour at dawn.</p>",
        "<p>The www. of it all; http:// alone.</p>",
        "<p><a>an anchor without an address</a></p>",
        "<p>wwwexample and https:/broken</p>",
    ],
)
def test_plain_text_is_not_a_link(html):
    assert not has_link(html)


def test_link_detection_on_huge_and_hostile_input_is_fast():
    hostile = [
        "<a " * 20_000,
        "<p>" + "http:/" * 20_000 + "</p>",
        "<p>" + "www" * 30_000 + "</p>",
        "<p>" + ("a " * 50_000) + "</p>",
    ]
    started = time.perf_counter()
    for html in hostile:
        has_link(html)
        normalised(html)
    assert time.perf_counter() - started < 2


def test_normalised_strips_tags_case_and_spaces():
    assert normalised("<p>Great   STORY</p>\n<p>Thanks!</p>") == "great story thanks!"


# -- who is new --------------------------------------------------------------------------


def test_new_account_by_age_and_by_posts(settings, user):
    newcomer = make_user("newcomer")
    veteran = old_account("veteran")
    assert is_new_account(newcomer) and not is_new_account(veteran)
    settings.NEW_ACCOUNT_DAYS = 0
    assert not is_new_account(newcomer)
    settings.NEW_ACCOUNT_DAYS = 60
    assert is_new_account(veteran)
    # After the days, until so many published works and comments.
    settings.NEW_ACCOUNT_DAYS = 7
    settings.NEW_ACCOUNT_POSTS = 2
    assert is_new_account(veteran)
    make_work(veteran)
    assert is_new_account(veteran)
    comment_create(chapter=chapter_of(make_work(user)), user=veteran, text="Lovely.")
    assert not is_new_account(veteran)


# -- holding ------------------------------------------------------------------------------


def test_a_guests_link_is_held_and_nobody_is_told(user, notify):
    work = everyone(make_work(user))
    comment = comment_create(
        chapter=chapter_of(work), user=None, text=LINKED, guest_name="Pip", guest_key=GUEST
    )
    assert comment.state == CommentState.HELD
    assert comment.held_reason == REASON_LINK_GUEST
    assert notify.call_count == 0
    assert counts_of([work.pk])[work.pk].comments == 0


def test_a_new_accounts_link_is_held_an_old_accounts_is_not(user, reader, notify):
    work = make_work(user)
    held = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    assert (held.state, held.held_reason) == (CommentState.HELD, REASON_LINK_NEW)
    veteran = old_account("veteran")
    fine = comment_create(chapter=chapter_of(work), user=veteran, text=LINKED)
    assert fine.state == CommentState.PUBLISHED
    plain = comment_create(chapter=chapter_of(work), user=reader, text="No links.")
    assert plain.state == CommentState.PUBLISHED


def test_a_creator_on_their_own_work_is_never_held(reader):
    work = make_work(reader)
    comment = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    assert comment.state == CommentState.PUBLISHED


def test_settings_make_the_rule(settings, user, reader):
    settings.NEW_ACCOUNT_DAYS = 0
    work = make_work(user)
    assert comment_create(chapter=chapter_of(work), user=reader, text=LINKED).state == (
        CommentState.PUBLISHED
    )


def test_the_same_comment_on_a_third_work_is_held(user):
    veteran = old_account("veteran")
    works = [make_work(user) for _ in range(4)]
    states = [
        comment_create(
            chapter=chapter_of(work), user=veteran, text=f"<p>Great   {word} story!</p>"
        ).state
        for work, word in zip(works, ["fun", "FUN", "fun", "Fun"], strict=True)
    ]
    assert states == [CommentState.PUBLISHED] * 2 + [CommentState.HELD] * 2
    held = Comment.objects.filter(state=CommentState.HELD).first()
    assert held is not None and "same comment on 3 works" in held.held_reason
    # Another text passes; the same text many times on one work is not a repeat across works.
    other = comment_create(chapter=chapter_of(works[0]), user=veteran, text="Thank you!")
    assert other.state == CommentState.PUBLISHED
    fan = old_account("fan")
    again = [
        comment_create(chapter=chapter_of(works[0]), user=fan, text="More please!").state
        for _ in range(4)
    ]
    assert again == [CommentState.PUBLISHED] * 4


def test_repeats_count_per_guest_and_only_within_a_day(settings, user):
    settings.REPEATED_COMMENT_WORKS = 2
    works = [everyone(make_work(user)) for _ in range(3)]

    def post(work, key):
        return comment_create(
            chapter=chapter_of(work), user=None, text="Nice!", guest_name="Pip", guest_key=key
        )

    assert post(works[0], GUEST).state == CommentState.PUBLISHED
    assert post(works[1], guest_key_of("192.0.2.78")).state == CommentState.PUBLISHED
    assert post(works[1], GUEST).state == CommentState.HELD
    Comment.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert post(works[2], GUEST).state == CommentState.PUBLISHED


def test_a_new_account_adding_a_link_by_editing_is_held(user, reader):
    work = make_work(user)
    comment = comment_create(chapter=chapter_of(work), user=reader, text="Lovely.")
    assert counts_of([work.pk])[work.pk].comments == 1
    comment_update(user=reader, comment=comment, text=LINKED)
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD
    assert counts_of([work.pk])[work.pk].comments == 0


# -- who sees a held comment -------------------------------------------------------------

SECRET = "Find bargains at www.example.org today"


def test_held_comment_seen_by_author_and_moderators_only(user, reader):
    work = make_work(user)
    comment = comment_create(chapter=chapter_of(work), user=reader, text=SECRET)
    assert comment.state == CommentState.HELD
    chapter = chapter_of(work)
    pages = [work.get_absolute_url(), f"/comments/{comment.pk}/"]
    api = [
        f"/api/v1/works/{work.pk}/chapters/{chapter.pk}/comments",
        f"/api/v1/comments/{comment.pk}",
    ]
    moderator = make_moderator("mod_held")
    stranger = make_user("stranger")

    def sees(person: User | None) -> list[bool]:
        client = Client()
        headers = {}
        if person is not None:
            client.force_login(person)
            _, secret = token_create(user=person, owner=person, name="t", scope=TokenScope.READ)
            headers = {"Authorization": f"Bearer {secret}"}
        seen = []
        for url in pages:
            response = client.get(url, follow=True)
            seen.append(
                response.status_code == 200 and "www.example.org" in response.content.decode()
            )
        for url in api:
            response = Client().get(url, headers=headers)
            seen.append(
                response.status_code == 200 and "www.example.org" in response.content.decode()
            )
        return seen

    assert sees(None) == [False] * 4
    assert sees(stranger) == [False] * 4
    assert sees(user) == [False] * 4  # the work's creator
    assert sees(reader) == [True] * 4
    assert sees(moderator) == [True] * 4
    author = Client()
    author.force_login(reader)
    assert (
        "Your comment is held for moderation"
        in author.get(work.get_absolute_url()).content.decode()
    )
    with pytest.raises(PermissionDenied):
        comment_approve(user=user, comment=comment)


def test_posting_says_it_is_held_on_the_page_and_in_the_api(user, reader):
    work = make_work(user)
    chapter = chapter_of(work)
    client = Client()
    client.force_login(reader)
    response = client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/comments/", {"text": LINKED}, follow=True
    )
    assert "Your comment is held for moderation." in response.content.decode()
    _, secret = token_create(user=reader, owner=reader, name="t", scope=TokenScope.WRITE)
    answer = Client().post(
        f"/api/v1/works/{work.pk}/chapters/{chapter.pk}/comments",
        {"text": "More at www.example.org"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 201 and answer.json()["state"] == "held"
    assert Comment.objects.filter(state=CommentState.HELD).count() == 2


def test_replies_to_a_held_comment_are_refused(user, reader):
    work = make_work(user)
    held = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    with pytest.raises(ValidationError):
        comment_create(chapter=chapter_of(work), user=user, text="Thanks", parent=held)


# -- moderators decide -------------------------------------------------------------------


def test_approve_publishes_counts_and_notifies(user, reader):
    work = make_work(user)
    comment = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    moderator = make_moderator("mod_ok")
    assert list(held_comments(moderator)) == [comment]
    assert not Notice.objects.filter(recipient=user).exists()
    held_comment_approve(moderator=moderator, comment=comment)
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED and comment.held_reason == ""
    assert counts_of([work.pk])[work.pk].comments == 1
    assert Notice.objects.filter(recipient=user, kind="comment").count() == 1
    assert AuditEntry.objects.filter(action="comment.approve_held", target_id=comment.pk).exists()
    with pytest.raises(ValidationError):
        held_comment_approve(moderator=moderator, comment=comment)


def test_approve_on_a_moderated_work_waits_for_the_creator(user, reader):
    work = everyone(make_work(user), moderated=True)
    comment = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    assert comment.state == CommentState.HELD
    held_comment_approve(moderator=make_moderator("mod_pend"), comment=comment)
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING
    assert Notice.objects.filter(recipient=user, kind="comment_pending").count() == 1


def test_spam_deletes_and_is_audited(user, reader):
    work = make_work(user)
    comment = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    moderator = make_moderator("mod_spam")
    held_comment_spam(moderator=moderator, comment=comment)
    assert not Comment.objects.filter(pk=comment.pk).exists()
    entry = AuditEntry.objects.get(action="comment.spam")
    assert entry.subject == reader and "my page" in entry.before["text"]
    assert not Notice.objects.filter(recipient=user).exists()


def test_only_moderators_decide(user, reader):
    comment = comment_create(chapter=chapter_of(make_work(user)), user=reader, text=LINKED)
    for service in (held_comment_approve, held_comment_spam):
        with pytest.raises(PermissionDenied):
            service(moderator=user, comment=comment)
    with pytest.raises(PermissionDenied):
        held_comments(user)
    comment.refresh_from_db()
    assert comment.state == CommentState.HELD


def test_rate_limit_message_says_the_settings(settings, user):
    settings.NEW_ACCOUNT_COMMENT_RATE = (2, 3600)
    work = make_work(user)
    newcomer = make_user("newcomer")
    for n in range(2):
        comment_create(chapter=chapter_of(work), user=newcomer, text=f"Comment {n}")
    with pytest.raises(ValidationError) as excinfo:
        comment_create(chapter=chapter_of(work), user=newcomer, text="One more")
    assert excinfo.value.message_dict["text"][0].startswith(
        "You can post 2 comments an hour while your account is new. Try again in 60 minutes."
    )
    assert limits.COMMENT_RATE_COUNT == 2


def test_hiding_all_of_someones_comments_and_restoring_their_states(user, reader):
    work = make_work(user)
    moderated = everyone(make_work(user), moderated=True)
    published = comment_create(chapter=chapter_of(work), user=reader, text="Lovely.")
    pending = comment_create(chapter=chapter_of(moderated), user=reader, text="Also lovely.")
    held = comment_create(chapter=chapter_of(work), user=reader, text=LINKED)
    from_states = {c.pk: c.state for c in (published, pending, held)}
    assert set(from_states.values()) == {"published", "pending", "held"}
    moderator = make_moderator("mod_all")
    with pytest.raises(PermissionDenied):
        comments_set_hidden_of(user=user, owner=reader, reason="Spam.")
    changed = comments_set_hidden_of(user=moderator, owner=reader, reason="Spam.")
    assert set(Comment.objects.filter(user=reader).values_list("state", flat=True)) == {"hidden"}
    assert counts_of([work.pk])[work.pk].comments == 0
    entry = AuditEntry.objects.get(action="comment.hide_all")
    assert comment_ids_by_state(entry.before) == changed
    comments_set_hidden_of(user=moderator, owner=reader, reason="Sorry.", restore=changed)
    assert {c.pk: c.state for c in Comment.objects.filter(user=reader)} == from_states
    assert counts_of([work.pk])[work.pk].comments == 1


def test_hold_reasons_are_stored_in_english_and_shown_in_the_readers_language(user):
    veteran = old_account("repeater")
    for work in [make_work(user) for _ in range(3)]:
        comment_create(chapter=chapter_of(work), user=veteran, text="<p>Lovely tide!</p>")
    held = Comment.objects.get(state=CommentState.HELD)
    assert held.held_reason == "The same comment on 3 works within a day"
    moderator = Client()
    moderator.force_login(make_moderator("mod_languages"))
    english = moderator.get("/moderation/held/").content.decode()
    assert "Held: The same comment on 3 works within a day." in english
    spanish = moderator.get("/moderation/held/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "El mismo comentario en 3 obras en un día" in spanish
    with translation.override("en"):
        assert held_reason_text(REASON_LINK_GUEST) == "A link in a guest's comment"
    with translation.override("es"):
        assert held_reason_text(REASON_LINK_NEW) == "Un enlace en el comentario de una cuenta nueva"
        assert (
            held_reason_text("A reason from an older version") == "A reason from an older version"
        )
