"""The collections services: creating, editing, participants, items, approvals, reveals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.collections import item_services, services
from fanarchive.collections.models import (
    Approval,
    Collection,
    CollectionItem,
    CollectionParticipant,
    ParticipantRole,
)
from fanarchive.collections.selectors import can_moderate, collection_works, role_of
from fanarchive.collections.services import CollectionInput
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.works.models import CatalogueChange, Gift, Work
from fanarchive.works.services import work_post

pytestmark = pytest.mark.django_db


# -- creating and editing --------------------------------------------------------------


def test_the_creator_owns_a_new_collection(user):
    collection = make_collection(user, name="Tide_Tales", title="Tide Tales")
    assert collection.name == "Tide_Tales"
    participant = CollectionParticipant.objects.get(collection=collection)
    assert participant.pseud.user == user and participant.role == ParticipantRole.OWNER
    assert role_of(user, collection) == ParticipantRole.OWNER


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("tide tales", "letters, digits and underscores"),
        ("x" * 2000, "at most 255 characters"),
        ("", "Please give the collection a name."),
        ("tide-tales", "letters, digits and underscores"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_made(user, name, message):
    with pytest.raises(ValidationError) as refused:
        make_collection(user, name=name)
    assert message in refused.value.message_dict["name"][0]
    assert not Collection.objects.exists()


def test_names_are_unique_whatever_the_case(user, other_user):
    make_collection(user, name="Tide_Tales")
    with pytest.raises(ValidationError) as refused:
        make_collection(other_user, name="tide_tales")
    assert "already taken" in refused.value.message_dict["name"][0]
    assert Collection.objects.count() == 1


def test_every_problem_is_said_at_once(user):
    with pytest.raises(ValidationError) as refused:
        make_collection(user, name="bad name", title="", header_text="h" * 1001)
    assert set(refused.value.message_dict) == {"name", "title", "header_text"}


def test_description_and_rules_are_sanitised(user):
    collection = make_collection(
        user,
        description='<p onclick="steal()">Boats<script>alert(1)</script></p>',
        rules="<b>Be kind</b><iframe src='https://evil.example'></iframe>",
        header_text="Plain <i>text</i>",
    )
    assert "script" not in collection.description and "onclick" not in collection.description
    assert "Boats" in collection.description
    assert "iframe" not in collection.rules and "Be kind" in collection.rules
    assert collection.header_text == "Plain <i>text</i>"  # plain text: escaped on the page


def test_only_owners_edit_and_delete(user, other_user):
    collection = make_collection(user)
    data = CollectionInput(name=collection.name, title="Renamed")
    with pytest.raises(PermissionDenied):
        services.collection_update(user=other_user, collection=collection, data=data)
    with pytest.raises(PermissionDenied):
        services.collection_delete(user=other_user, collection=collection)
    updated = services.collection_update(user=user, collection=collection, data=data)
    assert updated.title == "Renamed"
    services.collection_delete(user=user, collection=collection)
    assert not Collection.objects.exists()


def test_sub_collections_go_one_level_deep_and_need_the_parents_owner(user, other_user):
    parent = make_collection(user)
    child = make_collection(user, parent=parent)
    assert child.parent == parent
    with pytest.raises(ValidationError):
        make_collection(user, parent=child)
    with pytest.raises(PermissionDenied):
        make_collection(other_user, parent=parent)
    # The parent's owners moderate its children.
    assert can_moderate(user, child)
    assert Collection.objects.count() == 2


# -- participants ------------------------------------------------------------------------


def test_joining_an_open_collection_and_leaving(user, other_user):
    collection = make_collection(user)
    participant = services.collection_join(user=other_user, collection=collection)
    assert participant.role == ParticipantRole.MEMBER
    with pytest.raises(ValidationError):
        services.collection_join(user=other_user, collection=collection)
    services.collection_participant_remove(user=other_user, participant=participant)
    assert role_of(other_user, collection) is None


def test_a_closed_collection_takes_only_the_invited(user, other_user):
    collection = make_collection(user, closed=True)
    with pytest.raises(ValidationError) as refused:
        services.collection_join(user=other_user, collection=collection)
    assert "closed" in refused.value.messages[0]
    services.collection_invite(user=user, collection=collection, pseud=other_user.default_pseud)
    notice = Notice.objects.get(recipient=other_user)
    assert notice.kind == NoticeKind.COLLECTION
    assert services.collection_join(user=other_user, collection=collection).role == "member"


def test_owners_set_roles_and_the_last_owner_stays(user, other_user):
    collection = make_collection(user)
    member = services.collection_join(user=other_user, collection=collection)
    with pytest.raises(PermissionDenied):
        services.collection_participant_set_role(
            user=other_user, participant=member, role="moderator"
        )
    services.collection_participant_set_role(user=user, participant=member, role="moderator")
    assert can_moderate(other_user, collection)
    owner = CollectionParticipant.objects.get(collection=collection, role="owner")
    with pytest.raises(ValidationError):
        services.collection_participant_remove(user=user, participant=owner)
    with pytest.raises(ValidationError):
        services.collection_participant_set_role(user=user, participant=owner, role="member")
    with pytest.raises(ValidationError):
        services.collection_participant_set_role(user=user, participant=member, role="king")


# -- items ------------------------------------------------------------------------------


def test_adding_to_an_unmoderated_collection_shows_at_once(user):
    collection = make_collection(user)
    work = make_work(user)
    item = item_services.collection_item_add(user=user, collection=collection, work=work)
    assert item.collection_approval == Approval.APPROVED
    assert item.user_approval == Approval.APPROVED
    assert list(collection_works(collection, user)) == [work]


def test_a_closed_collection_refuses_works(user):
    collection = make_collection(user, title="Quiet Harbour", closed=True)
    with pytest.raises(ValidationError) as refused:
        item_services.collection_item_add(user=user, collection=collection, work=make_work(user))
    assert refused.value.messages == ["Quiet Harbour is closed: no new works can be added."]
    assert not CollectionItem.objects.exists()


def test_only_a_creator_adds_a_work_and_only_once(user, other_user):
    collection = make_collection(user)
    work = make_work(other_user)
    with pytest.raises(PermissionDenied):
        item_services.collection_item_add(user=user, collection=collection, work=work)
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    with pytest.raises(ValidationError) as refused:
        item_services.collection_item_add(user=other_user, collection=collection, work=work)
    assert "already in" in refused.value.messages[0]
    assert CollectionItem.objects.count() == 1


def test_a_moderated_collection_waits_for_a_moderator(user, other_user):
    collection = make_collection(user, moderated=True)
    work = make_work(other_user)
    item = item_services.collection_item_add(user=other_user, collection=collection, work=work)
    assert item.collection_approval == Approval.UNREVIEWED
    assert not collection_works(collection, other_user).exists()
    notice = Notice.objects.get(recipient=user)
    assert notice.kind == NoticeKind.COLLECTION and "awaits approval" in notice.subject
    with pytest.raises(PermissionDenied):
        item_services.collection_item_approve(user=other_user, item=item)
    item_services.collection_item_approve(user=user, item=item)
    assert list(collection_works(collection, other_user)) == [work]
    item_services.collection_item_reject(user=user, item=item)
    assert not collection_works(collection, other_user).exists()


def test_an_invited_work_waits_for_its_creator(user, other_user):
    collection = make_collection(user, unrevealed=True)
    work = make_work(other_user)
    stranger = make_user("passerby")
    with pytest.raises(PermissionDenied):
        item_services.collection_item_invite(user=stranger, collection=collection, work=work)
    item = item_services.collection_item_invite(user=user, collection=collection, work=work)
    assert item.user_approval == Approval.UNREVIEWED
    # An unanswered invitation hides nothing.
    work.refresh_from_db()
    assert not work.unrevealed
    notice = Notice.objects.get(recipient=other_user)
    assert notice.url == f"/users/{other_user.username}/collection-items/"
    with pytest.raises(PermissionDenied):
        item_services.collection_item_accept(user=user, item=item)
    item_services.collection_item_accept(user=other_user, item=item)
    work.refresh_from_db()
    assert work.unrevealed
    item_services.collection_item_refuse(user=other_user, item=item)
    work.refresh_from_db()
    assert not work.unrevealed


def test_removal_by_moderators_or_creators_only(user, other_user):
    collection = make_collection(user)
    work = make_work(other_user)
    item = item_services.collection_item_add(user=other_user, collection=collection, work=work)
    with pytest.raises(PermissionDenied):
        item_services.collection_item_remove(user=make_user("bystander"), item=item)
    item_services.collection_item_remove(user=user, item=item)
    assert not CollectionItem.objects.exists()


# -- flags and reveals --------------------------------------------------------------------


def test_an_unrevealed_collection_hides_its_works_until_the_reveal(user, other_user):
    collection = make_collection(user, unrevealed=True, anonymous=True)
    work = make_work(other_user)
    recipient = make_user("giftee")
    Gift.objects.create(work=work, pseud=recipient.default_pseud)
    changes = CatalogueChange.objects.filter(work_id=work.pk).count()
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    work.refresh_from_db()
    assert work.unrevealed and work.anonymous_by_collection
    assert CatalogueChange.objects.filter(work_id=work.pk).count() > changes
    assert not Work.objects.visible_to(recipient).filter(pk=work.pk).exists()

    with pytest.raises(PermissionDenied):
        item_services.collection_reveal(user=other_user, collection=collection)
    assert item_services.collection_reveal(user=user, collection=collection) == [work.pk]
    work.refresh_from_db()
    assert not work.unrevealed and work.anonymous_by_collection
    notice = Notice.objects.get(recipient=recipient)
    assert notice.kind == NoticeKind.GIFT and work.title in notice.subject
    collection.refresh_from_db()
    assert not collection.unrevealed

    item_services.collection_reveal_authors(user=user, collection=collection)
    work.refresh_from_db()
    assert not work.anonymous_by_collection


def test_a_gift_posted_unrevealed_is_announced_only_at_the_reveal(
    user, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    collection = make_collection(user, unrevealed=True)
    recipient = make_user("giftee")
    work = make_work(other_user, post=False)
    Gift.objects.create(work=work, pseud=recipient.default_pseud)
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    with django_capture_on_commit_callbacks(execute=True):
        work_post(user=other_user, work=Work.objects.get(pk=work.pk))
    assert not Notice.objects.filter(recipient=recipient).exists()
    assert not [m for m in mailoutbox if recipient.email in m.to]
    with django_capture_on_commit_callbacks(execute=True):
        item_services.collection_reveal(user=user, collection=collection)
    notice = Notice.objects.get(recipient=recipient)
    assert notice.kind == NoticeKind.GIFT and work.title in notice.subject
    run_due_tasks()
    assert [m for m in mailoutbox if recipient.email in m.to]


def test_an_announced_gift_is_told_it_is_revealed(user, other_user):
    collection = make_collection(user, unrevealed=True)
    recipient = make_user("giftee")
    work = make_work(other_user)
    Gift.objects.create(work=work, pseud=recipient.default_pseud, notified=True)
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    item_services.collection_reveal(user=user, collection=collection)
    notice = Notice.objects.get(recipient=recipient)
    assert "is revealed" in notice.subject


def test_a_work_stays_hidden_while_any_collection_hides_it(user):
    first = make_collection(user, unrevealed=True)
    second = make_collection(user, unrevealed=True)
    work = make_work(user)
    item_services.collection_item_add(user=user, collection=first, work=work)
    item_services.collection_item_add(user=user, collection=second, work=work)
    item_services.collection_reveal(user=user, collection=first)
    work.refresh_from_db()
    assert work.unrevealed
    services.collection_delete(user=user, collection=second)
    work.refresh_from_db()
    assert not work.unrevealed


def test_editing_off_the_unrevealed_flag_is_a_reveal(user):
    collection = make_collection(user, unrevealed=True)
    work = make_work(user)
    item_services.collection_item_add(user=user, collection=collection, work=work)
    services.collection_update(
        user=user,
        collection=collection,
        data=CollectionInput(name=collection.name, title=collection.title),
    )
    work.refresh_from_db()
    assert not work.unrevealed
