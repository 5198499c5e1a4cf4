"""deletion_services: what deleting an account takes, leaves and refuses."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.accounts.models import Pseud, User
from fanarchive.api.models import ApiToken
from fanarchive.api.services import token_create
from fanarchive.collections.selectors import is_collection_owner
from fanarchive.collections.services import collection_participant_add
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import DELETED_ACCOUNT, Bookmark, Comment, Kudos, Notice
from fanarchive.news.models import NewsComment
from fanarchive.news.services import news_comment_create, news_post_create
from fanarchive.portability.deletion_selectors import deletion_summary
from fanarchive.portability.deletion_services import (
    DeletionChoices,
    account_delete,
    account_delete_by_admin,
)
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.creator_services import creator_invite, orphan_account_ensure
from fanarchive.works.models import Gift, Series, Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db

ORPHAN_KEEP = DeletionChoices(works="orphan_keep_pseuds", comments="keep")
ORPHAN = DeletionChoices(works="orphan", comments="keep")
DELETE_ALL = DeletionChoices(works="delete", comments="delete")


def _delete(user: User, choices: DeletionChoices, password: str = PASSWORD) -> None:
    account_delete(user=user, password=password, address="192.0.2.9", choices=choices)


def _gone(username: str) -> bool:
    return not User.objects.filter(username=username).exists()


def test_wrong_password_changes_nothing(user: User) -> None:
    work = make_work(user)
    with pytest.raises(ValidationError) as refusal:
        _delete(user, DELETE_ALL, password="not the password")
    assert "password" in refusal.value.message_dict
    assert not _gone("writer")
    assert Work.objects.filter(pk=work.pk).exists()


@pytest.mark.parametrize(
    "choices",
    [
        DeletionChoices(works="", comments="keep"),
        DeletionChoices(works="burn", comments="keep"),
        DeletionChoices(works="delete", comments="x" * 10_000),
    ],
)
def test_bad_choices_change_nothing(user: User, choices: DeletionChoices) -> None:
    make_work(user)
    with pytest.raises(ValidationError):
        _delete(user, choices)
    assert not _gone("writer")
    assert Work.objects.by_user(user).count() == 1


def test_a_huge_password_is_refused_quietly(user: User) -> None:
    with pytest.raises(ValidationError):
        _delete(user, DELETE_ALL, password="p" * 1_000_000)
    assert not _gone("writer")


def test_orphan_keeping_pseud_names(user: User) -> None:
    posted = make_work(user)
    draft = make_work(user, post=False)
    _delete(user, ORPHAN_KEEP)
    assert _gone("writer")
    posted.refresh_from_db()
    assert [p.byline for p in posted.pseuds.all()] == ["writer (orphan_account)"]
    assert not Work.objects.filter(pk=draft.pk).exists()
    assert CatalogueChange.objects.filter(work_id=posted.pk).exists()


def test_orphan_without_pseud_names(user: User) -> None:
    posted = make_work(user)
    _delete(user, ORPHAN)
    assert [p.byline for p in posted.pseuds.all()] == ["orphan_account"]


def test_delete_works_but_co_created_ones_stay_with_the_other_creator(
    user: User, other_user: User
) -> None:
    alone = make_work(user)
    shared = make_work(user)
    other_user.preference.accept_cocreator_invitations = True
    other_user.preference.save()
    creator_invite(user=user, work=shared, pseud_name="someone_else")
    assert deletion_summary(user).shared == 1
    assert deletion_summary(user).works == 1
    _delete(user, DELETE_ALL)
    assert not Work.objects.filter(pk=alone.pk).exists()
    assert [p.byline for p in Work.objects.get(pk=shared.pk).pseuds.all()] == ["someone_else"]


def test_gifts_to_them_become_gifts_to_nobody(user: User, other_user: User) -> None:
    gifted = make_work(other_user, gifts=["writer"])
    assert Gift.objects.filter(work=gifted, pseud__user=user).exists()
    _delete(user, ORPHAN)
    assert Work.objects.filter(pk=gifted.pk).exists()
    assert not Gift.objects.filter(work=gifted).exists()


def test_comments_kept_show_deleted_account(user: User, other_user: User) -> None:
    work = make_work(other_user)
    chapter = work.chapters.get()
    comment = comment_create(chapter=chapter, user=user, text="A lovely harbour.")
    post = news_post_create(user=make_user("editor", is_staff=True), title="News", body="Hello.")
    news = news_comment_create(user=user, post=post, text="Thanks for the news.")
    _delete(user, ORPHAN)
    comment.refresh_from_db()
    assert comment.user_id is None and comment.pseud_id is None and comment.author_deleted
    assert comment.author_name == str(DELETED_ACCOUNT)
    assert comment.text
    news.refresh_from_db()
    assert news.user_id is None and not news.deleted


def test_comments_deleted_keep_threads_of_others(user: User, other_user: User) -> None:
    work = make_work(other_user)
    chapter = work.chapters.get()
    alone = comment_create(chapter=chapter, user=user, text="Nobody answered this one.")
    answered = comment_create(chapter=chapter, user=user, text="Someone answered this one.")
    reply = comment_create(chapter=chapter, user=other_user, text="Thank you!", parent=answered)
    post = news_post_create(user=make_user("editor", is_staff=True), title="News", body="Hello.")
    news = news_comment_create(user=user, post=post, text="Thanks for the news.")
    _delete(user, DELETE_ALL)
    assert not Comment.objects.filter(pk=alone.pk).exists()
    placeholder = Comment.objects.get(pk=answered.pk)
    assert placeholder.deleted and placeholder.text == "" and placeholder.user_id is None
    assert Comment.objects.filter(pk=reply.pk).exists()
    news.refresh_from_db()
    assert news.deleted and news.text == ""
    assert not NewsComment.objects.filter(user__username="writer").exists()


def test_bookmarks_kudos_and_tokens_go_and_counts_are_logged(user: User, other_user: User) -> None:
    work = make_work(other_user)
    kudos_give(work=work, user=user)
    bookmark_create(user=user, pseud=user.default_pseud, work=work)
    token_create(user=user, owner=user, name="reader app", scope="read")
    CatalogueChange.objects.all().delete()
    _delete(user, ORPHAN)
    assert not Kudos.objects.filter(work=work).exists()
    assert not Bookmark.objects.filter(work=work).exists()
    assert not ApiToken.objects.exists()
    assert CatalogueChange.objects.filter(work_id=work.pk, counts_only=True).exists()


def test_their_data_exports_go_with_the_account(
    user: User, other_user: User, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.DATA_DIR = tmp_path
    theirs, others = tmp_path / "exports" / str(user.pk), tmp_path / "exports" / str(other_user.pk)
    for folder in (theirs, others):
        folder.mkdir(parents=True)
        (folder / "1-abc.zip").write_bytes(b"zip")
    with django_capture_on_commit_callbacks(execute=True):
        _delete(user, ORPHAN)
    assert not theirs.exists()
    assert (others / "1-abc.zip").exists()


def test_series_follow_their_works(user: User, other_user: User) -> None:
    work = make_work(user)
    series = series_create(user=user, title="Harbour Stories")
    series_work_add(user=user, work=work, series=series)
    empty = series_create(user=user, title="Nothing Yet")
    _delete(user, ORPHAN_KEEP)
    assert [p.byline for p in Series.objects.get(pk=series.pk).pseuds.all()] == [
        "writer (orphan_account)"
    ]
    assert not Series.objects.filter(pk=empty.pk).exists()


def test_series_of_deleted_works_go(user: User) -> None:
    work = make_work(user)
    series = series_create(user=user, title="Harbour Stories")
    series_work_add(user=user, work=work, series=series)
    _delete(user, DELETE_ALL)
    assert not Series.objects.filter(pk=series.pk).exists()


def test_another_users_private_things_are_untouched(user: User, other_user: User) -> None:
    theirs = make_work(user)
    draft = make_work(other_user, post=False)
    elsewhere = make_work(make_user("third_writer"))
    pseud = other_user.default_pseud
    private = bookmark_create(user=other_user, pseud=pseud, work=elsewhere, private=True)
    kept = bookmark_create(user=other_user, pseud=pseud, work=theirs, private=True)
    _delete(user, ORPHAN)
    assert Work.objects.filter(pk=draft.pk, posted=False).exists()
    assert Bookmark.objects.filter(pk=private.pk, private=True).exists()
    assert Bookmark.objects.filter(pk=kept.pk, private=True).exists()
    assert Pseud.objects.filter(user=other_user).exists()


def test_the_orphan_account_cannot_be_deleted(user: User) -> None:
    orphan = orphan_account_ensure()
    with pytest.raises(PermissionDenied):
        account_delete_by_admin(
            actor=make_user("boss", is_staff=True, is_superuser=True),
            user=orphan,
            choices=ORPHAN,
            reason="Tidying.",
        )
    assert User.objects.filter(pk=orphan.pk).exists()


# -- by an admin -------------------------------------------------------------------------


def test_admin_deletion_is_audited(user: User) -> None:
    boss = make_user("boss", is_staff=True, is_superuser=True)
    work = make_work(user)
    account_delete_by_admin(actor=boss, user=user, choices=ORPHAN, reason="Asked us by mail.")
    assert _gone("writer")
    assert Work.objects.filter(pk=work.pk).exists()
    entry = AuditEntry.objects.get(action="user.delete")
    assert entry.actor == boss
    assert entry.reason == "Asked us by mail."
    assert entry.before["username"] == "writer"
    assert entry.after["works"] == "orphan"


def test_admin_deletion_needs_a_reason(user: User) -> None:
    boss = make_user("boss", is_staff=True, is_superuser=True)
    with pytest.raises(ValidationError) as refusal:
        account_delete_by_admin(actor=boss, user=user, choices=ORPHAN, reason="  ")
    assert "reason" in refusal.value.message_dict
    assert not _gone("writer")
    assert not AuditEntry.objects.filter(action="user.delete").exists()


def test_only_admins_delete_others_and_admins_only_by_superusers(user: User) -> None:
    staff = make_user("plain_staff", is_staff=True)
    for actor, person in [
        (make_user("reader_x"), user),
        (staff, user),  # staff without the permission to delete users
        (make_user("boss", is_staff=True, is_superuser=True), make_user("boss_2", is_staff=True)),
    ]:
        if actor.username == "boss":
            # A superuser may delete another admin; the check below is for the others.
            account_delete_by_admin(actor=actor, user=person, choices=ORPHAN, reason="Left.")
            assert _gone("boss_2")
            continue
        with pytest.raises(PermissionDenied):
            account_delete_by_admin(actor=actor, user=person, choices=ORPHAN, reason="Because.")
        assert not _gone(person.username)


def test_an_admin_who_is_not_superuser_cannot_delete_another_admin(user: User) -> None:
    staff = make_user("helper_admin", is_staff=True)
    staff.user_permissions.add(*_delete_permission())
    other_admin = make_user("other_admin", is_staff=True)
    with pytest.raises(PermissionDenied):
        account_delete_by_admin(actor=staff, user=other_admin, choices=ORPHAN, reason="No.")
    staff = User.objects.get(pk=staff.pk)  # permissions are cached on the instance
    account_delete_by_admin(actor=staff, user=user, choices=ORPHAN, reason="Asked by mail.")
    assert _gone("writer")


def _delete_permission() -> list[Permission]:
    return list(
        Permission.objects.filter(codename="delete_user", content_type__app_label="accounts")
    )


def test_deleting_oneself_is_in_the_audit_log(user: User) -> None:
    make_work(user)
    _delete(user, ORPHAN)
    entry = AuditEntry.objects.get(action="user.delete_own")
    assert entry.actor is None  # the account is gone; its name stays
    assert entry.actor_name == "writer"
    assert entry.before["works"] == 1
    assert entry.after == {"deleted": True, "works": "orphan", "comments": "keep"}


def test_a_collection_owned_alone_passes_to_its_longest_standing_moderator(
    user: User, other_user: User
) -> None:
    member = make_user("harbour_member")
    moderator = make_user("harbour_moderator")
    collection = make_collection(user)
    collection_participant_add(
        user=user, collection=collection, pseud=member.default_pseud, role="member"
    )
    collection_participant_add(
        user=user, collection=collection, pseud=moderator.default_pseud, role="moderator"
    )
    alone = make_collection(user, title="Quiet Shore")
    shared = make_collection(other_user)
    collection_participant_add(
        user=other_user, collection=shared, pseud=user.default_pseud, role="owner"
    )
    assert deletion_summary(user).collections_owned == tuple(
        sorted([collection.title, "Quiet Shore"])
    )
    _delete(user, ORPHAN)
    assert is_collection_owner(moderator, collection)
    assert not is_collection_owner(member, collection)
    assert Notice.objects.filter(recipient=moderator, subject__contains="You now own").exists()
    alone.refresh_from_db()
    assert alone.closed
    assert is_collection_owner(other_user, shared)


def test_without_a_moderator_the_longest_standing_member_owns_it(user: User) -> None:
    first, second = make_user("first_member"), make_user("second_member")
    collection = make_collection(user)
    for person in (first, second):
        collection_participant_add(
            user=user, collection=collection, pseud=person.default_pseud, role="member"
        )
    _delete(user, ORPHAN)
    assert is_collection_owner(first, collection)
    assert not is_collection_owner(second, collection)
