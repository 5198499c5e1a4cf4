"""Writes of collections and their participants: create, edit, delete, invite, join, leave,
roles. Each checks who may do it and says clearly why not.

Owners edit and delete a collection and set roles; owners and moderators (of the
collection, or of its parent for a sub-collection) invite people. Anyone may join an
open collection; a closed one takes only those invited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.moderators import require_active
from fanarchive.accounts.selectors import own_pseud
from fanarchive.collections import models as m
from fanarchive.collections.item_services import collection_works_refresh, reveal_flags_turned_off
from fanarchive.collections.models import Collection, CollectionParticipant, ParticipantRole
from fanarchive.collections.selectors import (
    can_moderate,
    collections_owned_alone,
    is_collection_owner,
)
from fanarchive.core.text import TextFormat, clean_line, clean_text, html_to_text, render
from fanarchive.core.translation import lazy_format
from fanarchive.engagement.models import NoticeKind
from fanarchive.engagement.notices import notify

# AO3's rule for a collection's name: letters, digits and underscores only.
NAME_PATTERN = re.compile(r"[A-Za-z0-9_]+")


@dataclass(frozen=True)
class CollectionInput:
    name: str
    title: str
    description: str = ""
    header_text: str = ""
    rules: str = ""
    closed: bool = False
    moderated: bool = False
    unrevealed: bool = False
    anonymous: bool = False


def _clean_name(name: str, *, collection: Collection | None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Please give the collection a name.")]})
    if len(name) > m.NAME_MAX_LENGTH:
        raise ValidationError(
            {
                "name": [
                    _("A name can be at most %(NAME_MAX_LENGTH)s characters long.")
                    % {"NAME_MAX_LENGTH": m.NAME_MAX_LENGTH}
                ]
            }
        )
    if not NAME_PATTERN.fullmatch(name):
        raise ValidationError(
            {"name": [_("A name can use only letters, digits and underscores (no spaces).")]}
        )
    taken = Collection.objects.filter(name__iexact=name)
    if collection is not None:
        taken = taken.exclude(pk=collection.pk)
    if taken.exists():
        raise ValidationError({"name": [_("The name %(name)s is already taken.") % {"name": name}]})
    return name


def _clean_html(text: str, *, field: str, limit: int, what: str) -> str:
    source = clean_text(text or "").strip()
    if len(source) > limit:
        raise ValidationError(
            {
                field: [
                    _("%(what)s can be at most %(limit)s characters long; this has %(length)s.")
                    % {"what": what, "limit": f"{limit:,}", "length": f"{len(source):,}"}
                ]
            }
        )
    html = render(source, TextFormat.HTML).strip() if source else ""
    # Nothing a reader would see (a lone script, an empty tag): store nothing.
    return html if html_to_text(html).strip() else ""


def _cleaned(data: CollectionInput, *, collection: Collection | None) -> dict[str, object]:
    """Every field checked, every problem said at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    try:
        values["name"] = _clean_name(data.name, collection=collection)
    except ValidationError as error:
        errors.update(error.message_dict)
    title = clean_line(data.title or "").strip()
    if not title:
        errors["title"] = [_("Please give the collection a title.")]
    elif len(title) > m.TITLE_MAX_LENGTH:
        errors["title"] = [
            _("A title can be at most %(TITLE_MAX_LENGTH)s characters long.")
            % {"TITLE_MAX_LENGTH": m.TITLE_MAX_LENGTH}
        ]
    values["title"] = title
    header = clean_text(data.header_text or "").strip()
    if len(header) > m.HEADER_TEXT_MAX_LENGTH:
        errors["header_text"] = [
            _("The header text can be at most %(HEADER_TEXT_MAX_LENGTH)s characters long.")
            % {"HEADER_TEXT_MAX_LENGTH": f"{m.HEADER_TEXT_MAX_LENGTH:,}"}
        ]
    values["header_text"] = header
    for field, limit, what in (
        ("description", m.DESCRIPTION_MAX_LENGTH, "The description"),
        ("rules", m.RULES_MAX_LENGTH, "The rules"),
    ):
        try:
            values[field] = _clean_html(getattr(data, field), field=field, limit=limit, what=what)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for flag in ("closed", "moderated", "unrevealed", "anonymous"):
        values[flag] = bool(getattr(data, flag))
    return values


@transaction.atomic
def collection_create(
    *,
    user: User,
    data: CollectionInput,
    parent: Collection | None = None,
    pseud: Pseud | None = None,
) -> Collection:
    """A new collection, owned by `user` (under `pseud`, their default by default).

    A sub-collection needs a parent that is not itself a sub-collection, owned by `user`.
    """
    require_active(
        user,
        _("Please log in to create a collection."),
        _("A suspended account cannot create a collection."),
    )
    owner = own_pseud(user, pseud)
    if parent is not None:
        if parent.parent_id is not None:
            raise ValidationError(
                {"parent": [_("A sub-collection cannot have sub-collections of its own.")]}
            )
        if not is_collection_owner(user, parent):
            raise PermissionDenied(
                _("Only the owners of %(title)s can add sub-collections to it.")
                % {"title": parent.title}
            )
    collection = Collection.objects.create(parent=parent, **_cleaned(data, collection=None))
    CollectionParticipant.objects.create(
        collection=collection, pseud=owner, role=ParticipantRole.OWNER
    )
    return collection


def _require_owner(user: User, collection: Collection, refusal: str) -> None:
    """Refuse anyone but the collection's owners with `refusal`, a whole translated
    sentence with a `%(title)s` for the collection's title."""
    if not is_collection_owner(user, collection):
        raise PermissionDenied(refusal % {"title": collection.title})


@transaction.atomic
def collection_update(*, user: User, collection: Collection, data: CollectionInput) -> Collection:
    """Edit the profile and settings (owners). Turning unrevealed or anonymous off is a
    reveal: the items and their works follow; turning either on applies to works added
    from then on, as on AO3."""
    _require_owner(user, collection, _("Only the owners of %(title)s can edit it."))
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    values = _cleaned(data, collection=collection)
    revealing = collection.unrevealed and not values["unrevealed"]
    revealing_authors = collection.anonymous and not values["anonymous"]
    for field, value in values.items():
        setattr(collection, field, value)
    collection.save()
    if revealing or revealing_authors:
        reveal_flags_turned_off(
            collection=collection,
            actor=user,
            works=revealing,
            authors=revealing_authors,
        )
    return collection


@transaction.atomic
def collection_delete(*, user: User, collection: Collection) -> None:
    """Delete the collection and its sub-collections (owners); works leave it, their
    collection flags recomputed (an unrevealed work is revealed if nothing else hides it)."""
    _require_owner(user, collection, _("Only the owners of %(title)s can delete it."))
    family = [collection.pk, *collection.children.values_list("pk", flat=True)]
    work_ids = set(
        m.CollectionItem.objects.filter(collection_id__in=family, work__isnull=False).values_list(
            "work_id", flat=True
        )
    )
    collection.delete()
    collection_works_refresh(work_ids)


# -- participants --------------------------------------------------------------------


@transaction.atomic
def collection_invite(*, user: User, collection: Collection, pseud: Pseud) -> CollectionParticipant:
    """Invite someone to join (owners and moderators); they are told in their inbox."""
    if not can_moderate(user, collection):
        raise PermissionDenied(
            _("Only the moderators of %(title)s can invite people.") % {"title": collection.title}
        )
    if CollectionParticipant.objects.filter(collection=collection, pseud=pseud).exists():
        raise ValidationError(
            _("%(byline)s is already a participant of %(title)s.")
            % {"byline": pseud.byline, "title": collection.title}
        )
    participant = CollectionParticipant.objects.create(
        collection=collection, pseud=pseud, role=ParticipantRole.INVITED
    )
    notify(
        recipients=[pseud.user],
        kind=NoticeKind.COLLECTION,
        subject=lazy_format(
            gettext_lazy("You are invited to join the collection %(collection)s"),
            collection=collection.title,
        ),
        body=lazy_format(
            gettext_lazy("%(byline)s was invited to join %(collection)s."),
            byline=pseud.byline,
            collection=collection.title,
        ),
        url=collection.get_absolute_url(),
        actor=user,
    )
    return participant


@transaction.atomic
def collection_join(
    *, user: User, collection: Collection, pseud: Pseud | None = None
) -> CollectionParticipant:
    """Join as a member: an open collection, or a closed one that invited you."""
    require_active(
        user,
        _("Please log in to join a collection."),
        _("A suspended account cannot join a collection."),
    )
    pseud = own_pseud(user, pseud)
    existing = CollectionParticipant.objects.filter(collection=collection, pseud=pseud).first()
    if existing is not None and existing.role != ParticipantRole.INVITED:
        raise ValidationError(
            _("You are already a participant of %(title)s.") % {"title": collection.title}
        )
    if existing is None and collection.closed:
        raise ValidationError(
            _("%(title)s is closed: only invited people can join.") % {"title": collection.title}
        )
    if existing is None:
        return CollectionParticipant.objects.create(
            collection=collection, pseud=pseud, role=ParticipantRole.MEMBER
        )
    existing.role = ParticipantRole.MEMBER
    existing.save(update_fields=["role"])
    return existing


def _owners_left(collection: Collection, without: CollectionParticipant) -> bool:
    return (
        CollectionParticipant.objects.filter(collection=collection, role=ParticipantRole.OWNER)
        .exclude(pk=without.pk)
        .exists()
    )


@transaction.atomic
def collection_participant_remove(*, user: User, participant: CollectionParticipant) -> None:
    """Leave (your own participation) or remove someone (owners). The last owner stays."""
    collection = participant.collection
    if participant.pseud.user_id != user.pk:
        _require_owner(user, collection, _("Only the owners of %(title)s can remove participants."))
    if participant.role == ParticipantRole.OWNER and not _owners_left(collection, participant):
        raise ValidationError(
            _("%(title)s needs an owner: make someone else an owner first.")
            % {"title": collection.title}
        )
    participant.delete()


@transaction.atomic
def collection_participant_set_role(
    *, user: User, participant: CollectionParticipant, role: str
) -> CollectionParticipant:
    """Make a participant an owner, moderator or member (owners only)."""
    collection = participant.collection
    _require_owner(user, collection, _("Only the owners of %(title)s can change roles."))
    if role not in ParticipantRole.values or role == ParticipantRole.INVITED:
        raise ValidationError(_("Choose owner, moderator or member."))
    if (
        participant.role == ParticipantRole.OWNER
        and role != ParticipantRole.OWNER
        and not _owners_left(collection, participant)
    ):
        raise ValidationError(
            _("%(title)s needs an owner: make someone else an owner first.")
            % {"title": collection.title}
        )
    participant.role = role
    participant.save(update_fields=["role"])
    return participant


@transaction.atomic
def collection_participant_add(
    *, user: User, collection: Collection, pseud: Pseud, role: str
) -> CollectionParticipant:
    """Add someone straight away with a role (owners): a co-owner, moderator or member."""
    _require_owner(user, collection, _("Only the owners of %(title)s can add participants."))
    if role not in ParticipantRole.values:
        raise ValidationError(_("Choose owner, moderator, member or invited."))
    participant, created = CollectionParticipant.objects.get_or_create(
        collection=collection, pseud=pseud, defaults={"role": role}
    )
    if not created:
        raise ValidationError(
            _("%(byline)s is already a participant of %(title)s.")
            % {"byline": pseud.byline, "title": collection.title}
        )
    return participant


@transaction.atomic
def collections_hand_over(*, leaving: User) -> list[Collection]:
    """`leaving`'s account is being deleted: each collection that only they own passes to
    its longest-standing moderator, else its longest-standing member, so nobody is left
    with a collection that no one can run. A collection with nobody else stays as it is
    (its works are orphaned with the account's) and is closed to new works."""
    handed: list[Collection] = []
    for collection in list(collections_owned_alone(leaving)):
        others = collection.participants.exclude(pseud__user=leaving)
        successor = (
            others.filter(role=ParticipantRole.MODERATOR).order_by("created_at", "pk").first()
            or others.filter(role=ParticipantRole.MEMBER).order_by("created_at", "pk").first()
        )
        if successor is None:
            collection.closed = True
            collection.save(update_fields=["closed", "updated_at"])
            continue
        if successor.role == ParticipantRole.MODERATOR:
            body = gettext_lazy(
                "The owner of %(collection)s deleted their account; as its longest-standing "
                "moderator, you are now its owner."
            )
        else:
            body = gettext_lazy(
                "The owner of %(collection)s deleted their account; as its longest-standing "
                "member, you are now its owner."
            )
        successor.role = ParticipantRole.OWNER
        successor.save(update_fields=["role"])
        notify(
            recipients=[successor.pseud.user],
            kind=NoticeKind.COLLECTION,
            subject=lazy_format(
                gettext_lazy("You now own %(collection)s"), collection=collection.title
            ),
            body=lazy_format(body, collection=collection.title),
            url=collection.get_absolute_url(),
        )
        handed.append(collection)
    return handed
