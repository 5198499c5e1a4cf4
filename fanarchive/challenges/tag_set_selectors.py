"""Reads about tag sets: listings, a set's tags by type, nominations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from fanarchive.challenges.models import NominationStatus, TagNomination, TagSet
from fanarchive.challenges.prompt_rules import TAG_TYPE_ORDER
from fanarchive.tags.models import Tag

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser

# The nominable types and the TagSet field holding each one's limit.
NOMINATION_LIMIT_FIELDS = {
    "fandom": "fandom_nomination_limit",
    "character": "character_nomination_limit",
    "relationship": "relationship_nomination_limit",
    "freeform": "freeform_nomination_limit",
}


def tag_set_list() -> QuerySet[TagSet]:
    """Every tag set, by title, with its count of tags."""
    return TagSet.objects.annotate(tag_count=Count("entries")).order_by("title", "pk")


def tag_sets_owned_by(user: AnyUser) -> QuerySet[TagSet]:
    if not user.is_authenticated:
        return TagSet.objects.none()
    return TagSet.objects.filter(owners=user).order_by("title", "pk")


def is_tag_set_owner(user: AnyUser, tag_set: TagSet) -> bool:
    return user.is_authenticated and tag_set.owners.filter(pk=user.pk).exists()


def tag_set_tags_by_type(tag_set: TagSet) -> dict[str, list[Tag]]:
    """The set's tags grouped by type, in the usual order of types, by name in each."""
    grouped: dict[str, list[Tag]] = {}
    for tag in Tag.objects.filter(tag_sets=tag_set).order_by("name"):
        grouped.setdefault(tag.type, []).append(tag)
    return {t: grouped[t] for t in TAG_TYPE_ORDER if t in grouped}


def nomination_limit(tag_set: TagSet, tag_type: str) -> int:
    field = NOMINATION_LIMIT_FIELDS.get(tag_type)
    return int(getattr(tag_set, field)) if field else 0


def nominations_of(user: AnyUser, tag_set: TagSet) -> QuerySet[TagNomination]:
    """`user`'s nominations for the set, every status."""
    if not user.is_authenticated:
        return TagNomination.objects.none()
    return TagNomination.objects.filter(tag_set=tag_set, user=user).order_by(
        "tag_type", "name", "pk"
    )


def nominations_for_review(
    tag_set: TagSet, status: str = NominationStatus.PENDING
) -> QuerySet[TagNomination]:
    """The owners' review list: nominations of a status, with who made them."""
    return (
        TagNomination.objects.filter(tag_set=tag_set, status=status)
        .select_related("user", "tag")
        .order_by("tag_type", "name", "pk")
    )
