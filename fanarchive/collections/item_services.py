"""Writes of a collection's items: works (and bookmarks) added, invited, approved,
rejected, removed, and the reveals.

Every change that could alter a work's collection flags ends in `work_flags_refresh`,
which asks `works.collection_state_services` to store them, so listings, search, feeds
and counts follow in the same transaction.

Which items hide a work: those its creators agreed to (user approval approved) that the
collection has not rejected. As on AO3, a work waiting for a moderated collection's
approval is already hidden (an unrevealed exchange must not leak through the wait); an
invitation the creator has not answered hides nothing (a moderator cannot hide someone's
work by inviting it).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.collections import reveal_events
from fanarchive.collections.models import Approval, Collection, CollectionItem
from fanarchive.collections.selectors import can_moderate, collection_moderator_users
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import Bookmark, NoticeKind
from fanarchive.engagement.notices import notify
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.collection_state_services import work_collection_state_set
from fanarchive.works.creator_services import gifts_notify
from fanarchive.works.models import Gift, Work
from fanarchive.works.selectors import byline_for, is_creator


def _hiding_items_q() -> Q:
    return Q(user_approval=Approval.APPROVED) & ~Q(collection_approval=Approval.REJECTED)


def work_flags_refresh(work_id: int) -> bool:
    """Recompute one work's unrevealed / anonymous-by-collection flags from its items;
    True when they changed. Either way the catalogue re-reads the work, since the
    collections it is listed in (its index groups) may have changed."""
    items = CollectionItem.objects.filter(_hiding_items_q(), work_id=work_id)
    changed = work_collection_state_set(
        work_id=work_id,
        unrevealed=items.filter(unrevealed=True).exists(),
        anonymous=items.filter(anonymous=True).exists(),
    )
    if not changed:
        catalogue_work_changed(work_id=work_id)
    return changed


def collection_works_refresh(work_ids: Iterable[int]) -> None:
    for work_id in sorted(set(work_ids)):
        work_flags_refresh(work_id)


def _creators(work: Work) -> list[User]:
    return list(User.objects.filter(pseuds__creatorships__work=work).distinct())


def _require_moderator_of(user: User, collection: Collection, refusal: str) -> None:
    """Refuse anyone but the collection's moderators with `refusal`, a whole translated
    sentence with a `%(title)s` for the collection's title."""
    if not can_moderate(user, collection):
        raise PermissionDenied(refusal % {"title": collection.title})


def _require_open(collection: Collection) -> None:
    if collection.closed:
        raise ValidationError(
            _("%(title)s is closed: no new works can be added.") % {"title": collection.title}
        )


def _require_not_in(collection: Collection, **item: object) -> None:
    if CollectionItem.objects.filter(collection=collection, **item).exists():
        raise ValidationError(_("This is already in %(title)s.") % {"title": collection.title})


@transaction.atomic
def collection_item_add(*, user: User, collection: Collection, work: Work) -> CollectionItem:
    """Add a work to a collection, by one of its creators.

    A moderated collection's moderators are told and must approve it (unless the creator
    is one of them); otherwise it shows at once.
    """
    if not is_creator(user, work):
        raise PermissionDenied(_("Only the creators of this work can add it to a collection."))
    _require_open(collection)
    _require_not_in(collection, work=work)
    needs_review = collection.moderated and not can_moderate(user, collection)
    item = CollectionItem.objects.create(
        collection=collection,
        work=work,
        collection_approval=Approval.UNREVIEWED if needs_review else Approval.APPROVED,
        user_approval=Approval.APPROVED,
        unrevealed=collection.unrevealed,
        anonymous=collection.anonymous,
        added_by=user,
    )
    work_flags_refresh(work.pk)
    if needs_review:
        notify(
            recipients=collection_moderator_users(collection),
            kind=NoticeKind.COLLECTION,
            subject=lazy_format(
                gettext_lazy("A work awaits approval in %(collection)s"),
                collection=collection.title,
            ),
            body=lazy_format(
                gettext_lazy("%(title)s was added to %(collection)s and waits for a moderator."),
                title=work.title,
                collection=collection.title,
            ),
            url=f"{collection.get_absolute_url()}items/?status=unreviewed",
            actor=user,
        )
    return item


@transaction.atomic
def collection_item_invite(*, user: User, collection: Collection, work: Work) -> CollectionItem:
    """A moderator invites a work; its creators accept or refuse (nothing shows till then)."""
    _require_moderator_of(user, collection, _("Only the moderators of %(title)s can invite works."))
    if not Work.objects.visible_to(user).filter(pk=work.pk).exists():
        raise ValidationError(_("That work cannot be invited."))
    _require_not_in(collection, work=work)
    item = CollectionItem.objects.create(
        collection=collection,
        work=work,
        collection_approval=Approval.APPROVED,
        user_approval=Approval.UNREVIEWED,
        unrevealed=collection.unrevealed,
        anonymous=collection.anonymous,
        added_by=user,
    )
    for creator in _creators(work):
        notify(
            recipients=[creator],
            kind=NoticeKind.COLLECTION,
            subject=lazy_format(
                gettext_lazy("Your work %(title)s is invited to %(collection)s"),
                title=work.title,
                collection=collection.title,
            ),
            body=lazy_format(
                gettext_lazy(
                    "The moderators of %(collection)s invite %(title)s into the collection. "
                    "Accept or refuse on your collection items page."
                ),
                title=work.title,
                collection=collection.title,
            ),
            url=reverse("collections:user_items", args=[creator.username]),
            work=work,
            actor=user,
        )
    return item


def _require_creator_of_item(user: User, item: CollectionItem, refusal: str) -> Work:
    if item.work is None or not is_creator(user, item.work):
        raise PermissionDenied(refusal)
    return item.work


def _set_user_approval(user: User, item: CollectionItem, approval: str) -> CollectionItem:
    refusal = (
        _("Only the creators of this work can accept this invitation.")
        if approval == Approval.APPROVED
        else _("Only the creators of this work can refuse this invitation.")
    )
    work = _require_creator_of_item(user, item, refusal)
    item.user_approval = approval
    item.save(update_fields=["user_approval"])
    work_flags_refresh(work.pk)
    return item


@transaction.atomic
def collection_item_accept(*, user: User, item: CollectionItem) -> CollectionItem:
    """The creator accepts an invitation: the work joins (subject to the collection's review)."""
    return _set_user_approval(user, item, Approval.APPROVED)


@transaction.atomic
def collection_item_refuse(*, user: User, item: CollectionItem) -> CollectionItem:
    """The creator refuses: the work stays out of the collection."""
    return _set_user_approval(user, item, Approval.REJECTED)


def _set_collection_approval(user: User, item: CollectionItem, approval: str) -> CollectionItem:
    refusal = (
        _("Only the moderators of %(title)s can approve its works.")
        if approval == Approval.APPROVED
        else _("Only the moderators of %(title)s can reject its works.")
    )
    _require_moderator_of(user, item.collection, refusal)
    item.collection_approval = approval
    item.save(update_fields=["collection_approval"])
    if item.work_id is not None:
        work_flags_refresh(item.work_id)
    return item


@transaction.atomic
def collection_item_approve(*, user: User, item: CollectionItem) -> CollectionItem:
    return _set_collection_approval(user, item, Approval.APPROVED)


@transaction.atomic
def collection_item_reject(*, user: User, item: CollectionItem) -> CollectionItem:
    return _set_collection_approval(user, item, Approval.REJECTED)


@transaction.atomic
def collection_item_remove(*, user: User, item: CollectionItem) -> None:
    """Take the item out (the collection's moderators, the work's creators or the
    bookmark's owner); the work's flags are recomputed."""
    allowed = can_moderate(user, item.collection)
    if item.work is not None:
        allowed = allowed or is_creator(user, item.work)
    if item.bookmark is not None:
        allowed = allowed or item.bookmark.user_id == user.pk
    if not allowed:
        raise PermissionDenied(
            _("Only the collection's moderators or the work's creators can remove it.")
        )
    work_id = item.work_id
    item.delete()
    if work_id is not None:
        work_flags_refresh(work_id)


@transaction.atomic
def collection_bookmark_add(
    *, user: User, collection: Collection, bookmark: Bookmark
) -> CollectionItem:
    """Add one's own bookmark to a collection, under the same open/moderated rules."""
    if bookmark.user_id != user.pk:
        raise PermissionDenied(_("Only the owner of this bookmark can add it to a collection."))
    if collection.closed:
        raise ValidationError(
            _("%(title)s is closed: nothing new can be added.") % {"title": collection.title}
        )
    _require_not_in(collection, bookmark=bookmark)
    needs_review = collection.moderated and not can_moderate(user, collection)
    return CollectionItem.objects.create(
        collection=collection,
        bookmark=bookmark,
        collection_approval=Approval.UNREVIEWED if needs_review else Approval.APPROVED,
        user_approval=Approval.APPROVED,
        added_by=user,
    )


# -- reveals -------------------------------------------------------------------------


def reveal_flags_turned_off(
    *, collection: Collection, actor: User, works: bool, authors: bool
) -> list[int]:
    """Turn the items' flags off (the collection's are already off), recompute their works
    and tell gift recipients their gift is revealed. The works whose flags changed."""
    items = CollectionItem.objects.filter(collection=collection, work__isnull=False)
    fields: dict[str, bool] = {}
    if works:
        fields["unrevealed"] = False
    if authors:
        fields["anonymous"] = False
    work_ids = list(items.values_list("work_id", flat=True))
    items.update(**fields)
    changed = [work_id for work_id in sorted(set(work_ids)) if work_flags_refresh(work_id)]
    if works:
        _notify_gift_recipients(collection, actor, changed)
    if authors:
        _notify_gift_creators_named(collection, actor, changed)
    return changed


def _notify_gift_recipients(collection: Collection, actor: User, work_ids: list[int]) -> None:
    """Each recipient of a gift that just became visible hears of it: a gift held back at
    posting gets its usual notice and e-mail now (`works.creator_services.gifts_notify`),
    one already announced gets a notice that it is revealed."""
    revealed = list(Work.objects.filter(pk__in=work_ids, posted=True, unrevealed=False))
    announced = list(
        Gift.objects.filter(work__in=revealed, pseud__isnull=False, refused=False, notified=True)
        .select_related("work", "pseud__user")
        .order_by("work_id", "position")
    )
    for work in revealed:
        gifts_notify(work=work)
    for gift in announced:
        if gift.pseud is None:
            continue
        notify(
            recipients=[gift.pseud.user],
            kind=NoticeKind.GIFT,
            subject=lazy_format(
                gettext_lazy("Your gift %(title)s in %(collection)s is revealed"),
                title=gift.work.title,
                collection=collection.title,
            ),
            body=lazy_format(
                gettext_lazy("%(title)s was written for %(byline)s in %(collection)s."),
                title=gift.work.title,
                byline=gift.pseud.byline,
                collection=collection.title,
            ),
            url=gift.work.get_absolute_url(),
            work=gift.work,
            actor=actor,
        )


def _notify_gift_creators_named(collection: Collection, actor: User, work_ids: list[int]) -> None:
    """At the author reveal, each recipient of a gift they have already heard of learns
    who wrote it (a work its creator posted as anonymous still names nobody)."""
    gifts = (
        Gift.objects.filter(
            work_id__in=work_ids,
            work__posted=True,
            work__unrevealed=False,
            work__anonymous=False,
            work__anonymous_by_collection=False,
            pseud__isnull=False,
            refused=False,
            notified=True,
        )
        .select_related("work", "pseud__user")
        .order_by("work_id", "position")
    )
    for gift in gifts:
        if gift.pseud is None:
            continue
        notify(
            recipients=[gift.pseud.user],
            kind=NoticeKind.GIFT,
            subject=lazy_format(
                gettext_lazy("The creator of your gift %(title)s is revealed"),
                title=gift.work.title,
            ),
            body=lazy_format(
                gettext_lazy("%(title)s, written for you in %(collection)s, is by %(byline)s."),
                title=gift.work.title,
                collection=collection.title,
                byline=lazy_text(lambda work=gift.work: byline_for(work).text),
            ),
            url=gift.work.get_absolute_url(),
            work=gift.work,
            actor=actor,
        )


@transaction.atomic
def collection_reveal(*, user: User, collection: Collection) -> list[int]:
    """Reveal the collection's works (moderators): each shows wherever it may, and the
    recipients of its gifts are told. The ids of the works revealed."""
    _require_moderator_of(
        user, collection, _("Only the moderators of %(title)s can reveal its works.")
    )
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    collection.unrevealed = False
    collection.save(update_fields=["unrevealed", "updated_at"])
    work_ids = reveal_flags_turned_off(collection=collection, actor=user, works=True, authors=False)
    reveal_events.works_revealed(collection=collection, work_ids=work_ids, actor=user)
    return work_ids


@transaction.atomic
def collection_reveal_authors(*, user: User, collection: Collection) -> list[int]:
    """Reveal the creators of the collection's works (moderators)."""
    _require_moderator_of(
        user, collection, _("Only the moderators of %(title)s can reveal its creators.")
    )
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    collection.anonymous = False
    collection.save(update_fields=["anonymous", "updated_at"])
    work_ids = reveal_flags_turned_off(collection=collection, actor=user, works=False, authors=True)
    reveal_events.authors_revealed(collection=collection, work_ids=work_ids, actor=user)
    return work_ids
