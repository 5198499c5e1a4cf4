"""Reads about collections: which works and bookmarks a collection lists, who runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from fanarchive.accounts.moderators import is_moderator
from fanarchive.collections.models import (
    MODERATING_ROLES,
    Approval,
    Collection,
    CollectionItem,
    CollectionParticipant,
    ParticipantRole,
)
from fanarchive.works.models import Work, WorkQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser


def listed_item_q(prefix: str = "") -> Q:
    """The condition on CollectionItem (or, with `prefix` such as "collection_items__", on a
    related model) that an item is shown: approved by the collection and by the creator."""
    return Q(
        **{
            f"{prefix}collection_approval": Approval.APPROVED,
            f"{prefix}user_approval": Approval.APPROVED,
        }
    )


def collection_family_ids(collection: Collection) -> list[int]:
    """The collection and its sub-collections: a parent lists its children's works too."""
    return [collection.pk, *collection.children.values_list("pk", flat=True)]


def _listed_ids(collection: Collection, column: str) -> QuerySet[CollectionItem, int]:
    """Ids in `column` ("work_id", "bookmark_id") of the items approved into the
    collection or its sub-collections (a subquery)."""
    return (
        CollectionItem.objects.filter(
            listed_item_q(),
            collection_id__in=collection_family_ids(collection),
            **{f"{column}__isnull": False},
        )
        .values_list(column, flat=True)
        .distinct()
    )


def listed_work_ids(collection: Collection) -> QuerySet[CollectionItem, int]:
    """Ids of the works approved into the collection or its sub-collections (a subquery)."""
    return _listed_ids(collection, "work_id")


def collection_works(collection: Collection, user: AnyUser) -> WorkQuerySet:
    """The collection's works `user` may see: approved items, under the one visibility rule
    (unrevealed works never show in a listing, even to their creators, as with drafts)."""
    return Work.objects.visible_to(user).filter(pk__in=listed_work_ids(collection))


def listed_bookmark_ids(collection: Collection) -> QuerySet[CollectionItem, int]:
    """Ids of the bookmarks approved into the collection or its sub-collections."""
    return _listed_ids(collection, "bookmark_id")


def collection_by_name(name: str) -> Collection | None:
    return Collection.objects.filter(name__iexact=name).select_related("parent").first()


def role_of(user: AnyUser, collection: Collection) -> str | None:
    """The best role any of `user`'s pseuds holds in the collection, or None.

    A parent's owners and moderators moderate its sub-collections too (as on AO3).
    """
    if not user.is_authenticated:
        return None
    ids = [collection.pk] if collection.parent_id is None else [collection.pk, collection.parent_id]
    roles = set(
        CollectionParticipant.objects.filter(
            collection_id__in=ids, pseud__user_id=user.pk
        ).values_list("collection_id", "role")
    )
    own = {role for cid, role in roles if cid == collection.pk}
    inherited = {role for cid, role in roles if cid != collection.pk and role in MODERATING_ROLES}
    for role in (ParticipantRole.OWNER, ParticipantRole.MODERATOR):
        if role in own or role in inherited:
            return role
    for role in (ParticipantRole.MEMBER, ParticipantRole.INVITED):
        if role in own:
            return role
    return None


def is_collection_owner(user: AnyUser, collection: Collection) -> bool:
    return role_of(user, collection) == ParticipantRole.OWNER


def can_moderate(user: AnyUser, collection: Collection) -> bool:
    """Owners and moderators of the collection (or of its parent)."""
    return role_of(user, collection) in MODERATING_ROLES


def can_see_unrevealed(user: AnyUser, collection: Collection) -> bool:
    """Who may see the collection's unrevealed works in its pages: its moderators and the
    site's moderators (creators reach their own works through their work pages)."""
    return can_moderate(user, collection) or is_moderator(user)


def collection_moderator_users(collection: Collection) -> list[User]:
    """The accounts to tell about a work waiting for approval: owners and moderators,
    of the collection and of its parent."""
    ids = [collection.pk] if collection.parent_id is None else [collection.pk, collection.parent_id]
    participants = CollectionParticipant.objects.filter(
        collection_id__in=ids, role__in=MODERATING_ROLES
    ).select_related("pseud__user")
    users: dict[int, User] = {}
    for participant in participants:
        users.setdefault(participant.pseud.user_id, participant.pseud.user)
    return list(users.values())


def collection_staff(collection: Collection) -> list[CollectionParticipant]:
    """Owners then moderators, for the profile page."""
    participants = collection.participants.filter(role__in=MODERATING_ROLES).select_related(
        "pseud__user"
    )
    return sorted(participants, key=lambda p: (p.role != ParticipantRole.OWNER, p.pk))


def participants_for(viewer: AnyUser, collection: Collection) -> QuerySet[CollectionParticipant]:
    """The participants `viewer` may see listed. While the collection is anonymous its
    members stay private (with its works' creators hidden, the list of who takes part would
    name them): others see its owners and moderators, and their own participation."""
    participants = collection.participants.select_related("pseud__user").order_by("role", "pk")
    if not collection.anonymous or can_see_unrevealed(viewer, collection):
        return participants
    shown = Q(role__in=MODERATING_ROLES)
    if viewer.is_authenticated:
        shown |= Q(pseud__user_id=viewer.pk)
    return participants.filter(shown)


def collection_list(*, query: str = "", closed: bool | None = None) -> QuerySet[Collection]:
    """Top-level and sub-collections for the index, searched by title or name."""
    collections = Collection.objects.select_related("parent")
    query = query.strip()
    if query:
        collections = collections.filter(Q(title__icontains=query) | Q(name__icontains=query))
    if closed is not None:
        collections = collections.filter(closed=closed)
    return collections.annotate(
        listed_count=Count(
            "items",
            filter=listed_item_q("items__")
            & Q(
                items__work__posted=True,
                items__work__hidden_by_admin=False,
                items__work__unrevealed=False,
                items__work__restricted=False,
            ),
        )
    ).order_by("title", "pk")


def items_for_review(collection: Collection, status: str) -> QuerySet[CollectionItem]:
    """The manage page's items: unreviewed, approved or rejected by the collection."""
    return (
        CollectionItem.objects.filter(collection=collection, collection_approval=status)
        .select_related("work", "bookmark__work", "added_by")
        .order_by("-created_at", "-pk")
    )


def items_awaiting_creator(user: User) -> QuerySet[CollectionItem]:
    """Invitations to add `user`'s works to collections that wait for their answer."""
    return (
        CollectionItem.objects.filter(
            work__creatorships__pseud__user=user, user_approval=Approval.UNREVIEWED
        )
        .select_related("collection", "work")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def work_collections(work: Work, user: AnyUser) -> list[Collection]:
    """The collections a work page names: approved items only."""
    return list(Collection.objects.filter(listed_item_q("items__"), items__work=work).distinct())


def collections_owned_alone(user: User) -> QuerySet[Collection]:
    """The collections no one but `user` owns (what their account's deletion hands over)."""
    owned = CollectionParticipant.objects.filter(pseud__user=user, role=ParticipantRole.OWNER)
    co_owned = CollectionParticipant.objects.filter(role=ParticipantRole.OWNER).exclude(
        pseud__user=user
    )
    return (
        Collection.objects.filter(pk__in=owned.values("collection_id"))
        .exclude(pk__in=co_owned.values("collection_id"))
        .order_by("title", "pk")
    )
