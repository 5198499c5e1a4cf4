"""The tag set services: create and edit, tags by type, owners, nominations and their
review. Bad input gets a clear message and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.challenges.models import NominationStatus, TagNomination, TagSet, TagSetTag
from fanarchive.challenges.tag_set_selectors import tag_set_tags_by_type, tag_sets_owned_by
from fanarchive.challenges.tag_set_services import (
    TagSetInput,
    tag_nomination_edit,
    tag_nomination_review,
    tag_nomination_withdraw,
    tag_nominations_add,
    tag_set_create,
    tag_set_owner_add,
    tag_set_owner_remove,
    tag_set_tags_add,
    tag_set_tags_remove,
    tag_set_update,
)
from fanarchive.core.testing import make_user
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create

pytestmark = pytest.mark.django_db


def _open_set(owner, **limits) -> TagSet:
    return tag_set_create(
        user=owner,
        data=TagSetInput(title="Harbour Tags", nominations_open=True, **limits),
    )


def test_create_and_edit_sanitise_and_check(user, other_user):
    tag_set = tag_set_create(
        user=user,
        data=TagSetInput(title="  Harbour Tags ", description="<p>Hi<script>x()</script></p>"),
    )
    assert tag_set.title == "Harbour Tags" and "script" not in tag_set.description
    assert list(tag_sets_owned_by(user)) == [tag_set]
    with pytest.raises(ValidationError) as caught:
        tag_set_update(
            user=user,
            tag_set=tag_set,
            data=TagSetInput(title="", description="x" * 6000, fandom_nomination_limit=999),
        )
    messages = caught.value.message_dict
    assert messages["title"] == ["Please give the tag set a title."]
    assert "at most 5,000 characters" in messages["description"][0]
    assert "between 0 and 50" in messages["fandom_nomination_limit"][0]
    tag_set.refresh_from_db()
    assert tag_set.title == "Harbour Tags"
    with pytest.raises(PermissionDenied):
        tag_set_update(user=other_user, tag_set=tag_set, data=TagSetInput(title="Mine now"))


def test_adding_tags_finds_existing_ones_and_makes_new_ones(user):
    (existing,) = tags_find_or_create(tag_type=TagType.FANDOM, names=["Harbour Tales"])
    tag_set = _open_set(user)
    added = tag_set_tags_add(
        user=user, tag_set=tag_set, tag_type="fandom", names=["harbour tales", "Lantern Road", ""]
    )
    assert added[0] == existing and [t.name for t in added] == ["Harbour Tales", "Lantern Road"]
    tag_set_tags_add(user=user, tag_set=tag_set, tag_type="fandom", names=["Lantern Road"])
    assert TagSetTag.objects.filter(tag_set=tag_set).count() == 2
    grouped = tag_set_tags_by_type(tag_set)
    assert [t.name for t in grouped["fandom"]] == ["Harbour Tales", "Lantern Road"]
    assert tag_set_tags_remove(user=user, tag_set=tag_set, tag_ids=[existing.pk]) == 1
    assert [t.name for t in tag_set.tags.all()] == ["Lantern Road"]


def test_fixed_types_take_only_the_archives_tags(user):
    tag_set = _open_set(user)
    rating = Tag.objects.filter(type=TagType.RATING).first()
    assert rating is not None
    tag_set_tags_add(user=user, tag_set=tag_set, tag_type="rating", names=[rating.name.lower()])
    assert list(tag_set.tags.all()) == [rating]
    with pytest.raises(ValidationError, match="fixed ones; there is none named Very Spicy"):
        tag_set_tags_add(user=user, tag_set=tag_set, tag_type="rating", names=["Very Spicy"])
    assert not Tag.objects.filter(name="Very Spicy").exists()


@pytest.mark.parametrize(
    ("tag_type", "names", "message"),
    [
        ("fandom", ["Bad<Name"], "cannot contain <"),
        ("fandom", [], "Please give at least one tag name."),
        (
            "fandom",
            [f"Fandom {i}" for i in range(10_000)],
            "At most 500 tags at a time; this has 10,000.",
        ),
        ("spaceship", ["Anything"], "There is no tag type called spaceship."),
        ("fandom", ["x" * 200], "too long"),
    ],
)
def test_bad_tag_names_change_nothing(user, tag_type, names, message):
    tag_set = _open_set(user)
    before = Tag.objects.count()
    with pytest.raises(ValidationError) as caught:
        tag_set_tags_add(user=user, tag_set=tag_set, tag_type=tag_type, names=names)
    assert message in " ".join(caught.value.messages)
    assert Tag.objects.count() == before and not tag_set.tags.exists()


def test_only_owners_add_tags_and_the_last_owner_stays(user, other_user):
    tag_set = _open_set(user)
    with pytest.raises(PermissionDenied):
        tag_set_tags_add(user=other_user, tag_set=tag_set, tag_type="fandom", names=["X"])
    tag_set_owner_add(user=user, tag_set=tag_set, owner=other_user)
    tag_set_tags_add(user=other_user, tag_set=tag_set, tag_type="fandom", names=["X"])
    tag_set_owner_remove(user=other_user, tag_set=tag_set, owner=user)
    with pytest.raises(ValidationError, match="needs an owner"):
        tag_set_owner_remove(user=other_user, tag_set=tag_set, owner=other_user)
    assert list(tag_set.owners.all()) == [other_user]


def test_nominating_up_to_the_limit_then_review(user, other_user):
    tag_set = _open_set(user, fandom_nomination_limit=2)
    made = tag_nominations_add(
        user=other_user, tag_set=tag_set, tag_type="fandom", names=["Saltmarsh Choir", "Reed Isle"]
    )
    assert [n.name for n in made] == ["Saltmarsh Choir", "Reed Isle"]
    with pytest.raises(ValidationError, match="at most 2 Fandom tags; you have 0 left and gave 1"):
        tag_nominations_add(user=other_user, tag_set=tag_set, tag_type="fandom", names=["Third"])
    with pytest.raises(ValidationError, match="cannot be nominated for this set"):
        tag_nominations_add(user=other_user, tag_set=tag_set, tag_type="character", names=["Ada"])
    third = make_user("third")
    tag_nominations_add(user=third, tag_set=tag_set, tag_type="fandom", names=["saltmarsh choir"])
    first = made[0]
    tag_nomination_review(user=user, nomination=first, approve=True)
    # The same name by someone else is approved with it.
    assert set(
        TagNomination.objects.filter(name__iexact="saltmarsh choir").values_list(
            "status", flat=True
        )
    ) == {NominationStatus.APPROVED}
    assert tag_set.tags.filter(name="Saltmarsh Choir").exists()
    tag_nomination_review(user=user, nomination=made[1], approve=False)
    made[1].refresh_from_db()
    assert made[1].status == NominationStatus.REJECTED
    assert not tag_set.tags.filter(name="Reed Isle").exists()
    # A rejected one no longer counts against the limit.
    tag_nominations_add(user=other_user, tag_set=tag_set, tag_type="fandom", names=["Other Isle"])
    with pytest.raises(ValidationError, match="was already approved"):
        tag_nomination_review(user=user, nomination=first, approve=False)
    with pytest.raises(PermissionDenied):
        tag_nomination_review(user=other_user, nomination=made[1], approve=True)


def test_duplicate_closed_and_already_in_the_set(user, other_user):
    tag_set = _open_set(user, fandom_nomination_limit=5)
    tag_set_tags_add(user=user, tag_set=tag_set, tag_type="fandom", names=["Harbour Tales"])
    tag_nominations_add(user=other_user, tag_set=tag_set, tag_type="fandom", names=["Reed Isle"])
    with pytest.raises(ValidationError, match="You already nominated Reed Isle"):
        tag_nominations_add(
            user=other_user, tag_set=tag_set, tag_type="fandom", names=["reed isle"]
        )
    with pytest.raises(ValidationError, match="Already in the tag set: Harbour Tales"):
        tag_nominations_add(
            user=other_user, tag_set=tag_set, tag_type="fandom", names=["Harbour Tales"]
        )
    tag_set.nominations_open = False
    tag_set.save()
    with pytest.raises(ValidationError, match=r"Nominations for Harbour Tags are closed\."):
        tag_nominations_add(user=other_user, tag_set=tag_set, tag_type="fandom", names=["New"])
    assert TagNomination.objects.count() == 1


def test_editing_and_withdrawing_ones_own_pending_nomination(user, other_user):
    tag_set = _open_set(user, character_nomination_limit=2)
    (nomination,) = tag_nominations_add(
        user=other_user, tag_set=tag_set, tag_type="character", names=["Ada Lrak"]
    )
    tag_nomination_edit(user=other_user, nomination=nomination, name="Ada Lark")
    assert TagNomination.objects.get().name == "Ada Lark"
    with pytest.raises(PermissionDenied):
        tag_nomination_withdraw(user=user, nomination=nomination)
    with pytest.raises(ValidationError, match="cannot contain"):
        tag_nomination_edit(user=other_user, nomination=nomination, name="Ada{Lark}")
    tag_nomination_withdraw(user=other_user, nomination=nomination)
    assert not TagNomination.objects.exists()
