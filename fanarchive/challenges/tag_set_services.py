"""Writes of tag sets: create and edit (their owners), add and remove tags, co-owners,
and nominations (participants nominate while open, up to a limit per type; owners
approve, which adds the tag to the set, or reject).

Bad input gets a clear message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext, ngettext

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_active
from fanarchive.challenges import models as m
from fanarchive.challenges.models import NominationStatus, TagNomination, TagSet, TagSetTag
from fanarchive.challenges.prompt_rules import type_label
from fanarchive.challenges.tag_set_selectors import (
    NOMINATION_LIMIT_FIELDS,
    is_tag_set_owner,
    nomination_limit,
)
from fanarchive.core.text import TextFormat, clean_line, clean_text, html_to_text, render
from fanarchive.tags.models import FIXED_TYPES, Tag, TagType, fold_name
from fanarchive.tags.services import tag_name_error, tags_find_or_create, unique_tag_names

# The most tags one request may add to a set (a bigger list is refused, with a message).
TAGS_PER_ADD_MAX = 500
NOMINATION_LIMIT_MAX = 50


@dataclass(frozen=True)
class TagSetInput:
    title: str
    description: str = ""
    nominations_open: bool = False
    fandom_nomination_limit: int = 0
    character_nomination_limit: int = 0
    relationship_nomination_limit: int = 0
    freeform_nomination_limit: int = 0


def _require_owner(user: User, tag_set: TagSet, refusal: str) -> None:
    """Refuse a guest, a suspended account and anyone but the tag set's owners; `refusal`
    (theirs) is a whole translated sentence with a `%(title)s` for the tag set's title."""
    require_active(
        user,
        gettext("Please log in to manage a tag set."),
        gettext("A suspended account cannot manage a tag set."),
    )
    if not is_tag_set_owner(user, tag_set):
        raise PermissionDenied(refusal % {"title": tag_set.title})


def _cleaned(data: TagSetInput) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    title = clean_line(data.title or "").strip()
    if not title:
        errors["title"] = [gettext("Please give the tag set a title.")]
    elif len(title) > m.TITLE_MAX_LENGTH:
        errors["title"] = [
            gettext("A title can be at most %(TITLE_MAX_LENGTH)s characters long.")
            % {"TITLE_MAX_LENGTH": m.TITLE_MAX_LENGTH}
        ]
    source = clean_text(data.description or "").strip()
    description = ""
    if len(source) > m.DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            gettext(
                "The description can be at most %(DESCRIPTION_MAX_LENGTH)s characters long; this "
                "has %(length)s."
            )
            % {
                "DESCRIPTION_MAX_LENGTH": f"{m.DESCRIPTION_MAX_LENGTH:,}",
                "length": f"{len(source):,}",
            }
        ]
    elif source:
        html = render(source, TextFormat.HTML).strip()
        description = html if html_to_text(html).strip() else ""
    values: dict[str, object] = {
        "title": title,
        "description": description,
        "nominations_open": bool(data.nominations_open),
    }
    for tag_type, field in NOMINATION_LIMIT_FIELDS.items():
        limit = getattr(data, field)
        if not 0 <= limit <= NOMINATION_LIMIT_MAX:
            errors[field] = [
                gettext(
                    "A nomination limit for %(type_label)s tags is between 0 and "
                    "%(NOMINATION_LIMIT_MAX)s."
                )
                % {"type_label": type_label(tag_type), "NOMINATION_LIMIT_MAX": NOMINATION_LIMIT_MAX}
            ]
        values[field] = limit
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def tag_set_create(*, user: User, data: TagSetInput) -> TagSet:
    """A new tag set owned by `user`."""
    require_active(
        user,
        gettext("Please log in to make a tag set."),
        gettext("A suspended account cannot make a tag set."),
    )
    tag_set = TagSet.objects.create(**_cleaned(data))
    tag_set.owners.add(user)
    return tag_set


@transaction.atomic
def tag_set_update(*, user: User, tag_set: TagSet, data: TagSetInput) -> TagSet:
    _require_owner(user, tag_set, gettext("Only the owners of the tag set %(title)s can edit it."))
    for name, value in _cleaned(data).items():
        setattr(tag_set, name, value)
    tag_set.save()
    return tag_set


@transaction.atomic
def tag_set_delete(*, user: User, tag_set: TagSet) -> None:
    """Delete the set; challenges using it are left without a tag set."""
    _require_owner(
        user, tag_set, gettext("Only the owners of the tag set %(title)s can delete it.")
    )
    tag_set.delete()


@transaction.atomic
def tag_set_owner_add(*, user: User, tag_set: TagSet, owner: User) -> None:
    """Add a co-owner (owners)."""
    _require_owner(
        user, tag_set, gettext("Only the owners of the tag set %(title)s can add owners.")
    )
    tag_set.owners.add(owner)


@transaction.atomic
def tag_set_owner_remove(*, user: User, tag_set: TagSet, owner: User) -> None:
    """Remove an owner (owners; one may leave). The last owner stays."""
    _require_owner(
        user, tag_set, gettext("Only the owners of the tag set %(title)s can remove owners.")
    )
    if not tag_set.owners.exclude(pk=owner.pk).exists():
        raise ValidationError(gettext("A tag set needs an owner: add another owner first."))
    tag_set.owners.remove(owner)


def _tag_type(tag_type: str) -> str:
    if tag_type not in TagType.values:
        raise ValidationError(
            {
                "tag_type": [
                    gettext("There is no tag type called %(tag_type)s.") % {"tag_type": tag_type}
                ]
            }
        )
    return tag_type


def _checked_names(tag_type: str, names: Iterable[str], *, limit: int) -> list[str]:
    """Normalised unique names, each valid; too many or bad names: a message naming them."""
    wanted = unique_tag_names(names)
    if not wanted:
        raise ValidationError({"names": [gettext("Please give at least one tag name.")]})
    if len(wanted) > limit:
        raise ValidationError(
            {
                "names": [
                    gettext("At most %(limit)s tags at a time; this has %(length)s.")
                    % {"limit": f"{limit:,}", "length": f"{len(wanted):,}"}
                ]
            }
        )
    problems = [problem for name in wanted if (problem := tag_name_error(name))]
    if problems:
        raise ValidationError({"names": problems})
    return wanted


def _fixed_tags(tag_type: str, names: Sequence[str]) -> list[Tag]:
    """The archive's fixed tags (ratings, warnings, categories) by name; no new ones."""
    by_name = {fold_name(t.name): t for t in Tag.objects.filter(type=tag_type)}
    unknown = [n for n in names if fold_name(n) not in by_name]
    if unknown:
        raise ValidationError(
            {
                "names": [
                    gettext(
                        "%(type_label)s tags are the archive's fixed ones; "
                        "there is none named %(names)s."
                    )
                    % {"type_label": type_label(tag_type), "names": ", ".join(unknown)}
                ]
            }
        )
    return [by_name[fold_name(n)] for n in names]


def _add(tag_set: TagSet, tags: Iterable[Tag]) -> None:
    present = set(TagSetTag.objects.filter(tag_set=tag_set).values_list("tag_id", flat=True))
    TagSetTag.objects.bulk_create(
        [TagSetTag(tag_set=tag_set, tag=tag) for tag in tags if tag.pk not in present],
        ignore_conflicts=True,
    )


@transaction.atomic
def tag_set_tags_add(
    *, user: User, tag_set: TagSet, tag_type: str, names: Iterable[str]
) -> list[Tag]:
    """Add tags of one type by name (owners): existing tags are found (canonical or
    not), new names become new tags; fixed types take only the archive's fixed tags."""
    _require_owner(
        user, tag_set, gettext("Only the owners of the tag set %(title)s can add tags to it.")
    )
    tag_type = _tag_type(tag_type)
    wanted = _checked_names(tag_type, names, limit=TAGS_PER_ADD_MAX)
    if tag_type in FIXED_TYPES:
        tags = _fixed_tags(tag_type, wanted)
    else:
        tags = tags_find_or_create(tag_type=tag_type, names=wanted)
    _add(tag_set, tags)
    return tags


@transaction.atomic
def tag_set_tags_remove(*, user: User, tag_set: TagSet, tag_ids: Iterable[int]) -> int:
    """Take tags out of the set (owners); how many were removed."""
    _require_owner(
        user, tag_set, gettext("Only the owners of the tag set %(title)s can remove tags from it.")
    )
    deleted, _ = TagSetTag.objects.filter(tag_set=tag_set, tag_id__in=list(tag_ids)).delete()
    return deleted


# -- nominations ----------------------------------------------------------------------


def _require_nominating(user: User, tag_set: TagSet) -> None:
    require_active(
        user,
        gettext("Please log in to nominate tags."),
        gettext("A suspended account cannot nominate tags."),
    )
    if not tag_set.nominations_open:
        raise ValidationError(
            gettext("Nominations for %(title)s are closed.") % {"title": tag_set.title}
        )


@transaction.atomic
def tag_nominations_add(
    *, user: User, tag_set: TagSet, tag_type: str, names: Iterable[str]
) -> list[TagNomination]:
    """Nominate tags of one type, up to the set's limit per person for that type (the
    pending and approved ones count; rejected ones do not)."""
    _require_nominating(user, tag_set)
    tag_type = _tag_type(tag_type)
    what = type_label(tag_type)
    limit = nomination_limit(tag_set, tag_type)
    if limit == 0:
        raise ValidationError(
            {
                "tag_type": [
                    gettext("%(what)s tags cannot be nominated for this set.") % {"what": what}
                ]
            }
        )
    wanted = _checked_names(tag_type, names, limit=TAGS_PER_ADD_MAX)
    mine = TagNomination.objects.filter(tag_set=tag_set, user=user, tag_type=tag_type)
    already = {fold_name(n): n for n in mine.values_list("name", flat=True)}
    repeated = [already[fold_name(n)] for n in wanted if fold_name(n) in already]
    if repeated:
        raise ValidationError(
            {
                "names": [
                    gettext("You already nominated %(names)s as %(what)s.")
                    % {"names": ", ".join(repeated), "what": what}
                ]
            }
        )
    in_set = set(
        Tag.objects.filter(
            tag_sets=tag_set, type=tag_type, name_folded__in=[fold_name(n) for n in wanted]
        ).values_list("name", flat=True)
    )
    if in_set:
        raise ValidationError(
            {
                "names": [
                    gettext("Already in the tag set: %(names)s.")
                    % {"names": ", ".join(sorted(in_set))}
                ]
            }
        )
    counted = mine.exclude(status=NominationStatus.REJECTED).count()
    if counted + len(wanted) > limit:
        left = max(limit - counted, 0)
        raise ValidationError(
            {
                "names": [
                    ngettext(
                        "You can nominate at most %(limit)s %(what)s tag; "
                        "you have %(left)s left and gave %(length)s.",
                        "You can nominate at most %(limit)s %(what)s tags; "
                        "you have %(left)s left and gave %(length)s.",
                        limit,
                    )
                    % {"limit": limit, "what": what, "left": left, "length": len(wanted)}
                ]
            }
        )
    return TagNomination.objects.bulk_create(
        [TagNomination(tag_set=tag_set, user=user, tag_type=tag_type, name=n) for n in wanted]
    )


def _already_decided(nomination: TagNomination) -> str:
    if nomination.status == NominationStatus.APPROVED:
        return gettext("%(name)s was already approved.") % {"name": nomination.name}
    return gettext("%(name)s was already rejected.") % {"name": nomination.name}


def _own_pending(user: User, nomination: TagNomination, refusal: str) -> None:
    """Refuse someone else's nomination with `refusal` (a whole translated sentence), and
    one already decided."""
    if nomination.user_id != user.pk:
        raise PermissionDenied(refusal)
    if nomination.status != NominationStatus.PENDING:
        raise ValidationError(_already_decided(nomination))


@transaction.atomic
def tag_nomination_edit(*, user: User, nomination: TagNomination, name: str) -> TagNomination:
    """Change the name of one's pending nomination while nominations are open."""
    _require_nominating(user, nomination.tag_set)
    _own_pending(user, nomination, gettext("You can only edit your own nominations."))
    (new_name,) = _checked_names(nomination.tag_type, [name], limit=1)
    clash = (
        TagNomination.objects.filter(
            tag_set=nomination.tag_set, user=user, tag_type=nomination.tag_type
        )
        .exclude(pk=nomination.pk)
        .filter(name__iexact=new_name)
    )
    if clash.exists():
        raise ValidationError(
            {"names": [gettext("You already nominated %(new_name)s.") % {"new_name": new_name}]}
        )
    nomination.name = new_name
    nomination.save(update_fields=["name"])
    return nomination


@transaction.atomic
def tag_nomination_withdraw(*, user: User, nomination: TagNomination) -> None:
    require_active(
        user,
        gettext("Please log in to withdraw a nomination."),
        gettext("A suspended account cannot withdraw a nomination."),
    )
    _own_pending(user, nomination, gettext("You can only withdraw your own nominations."))
    nomination.delete()


@transaction.atomic
def tag_nomination_review(*, user: User, nomination: TagNomination, approve: bool) -> TagNomination:
    """Approve (the tag joins the set, created when new) or reject a pending nomination.
    Approving a name approves every pending nomination of the same name and type."""
    tag_set = nomination.tag_set
    _require_owner(
        user,
        tag_set,
        gettext("Only the owners of the tag set %(title)s can review its nominations."),
    )
    if nomination.status != NominationStatus.PENDING:
        raise ValidationError(_already_decided(nomination))
    same = TagNomination.objects.filter(
        tag_set=tag_set,
        tag_type=nomination.tag_type,
        name__iexact=nomination.name,
        status=NominationStatus.PENDING,
    )
    if not approve:
        same.update(status=NominationStatus.REJECTED)
    elif nomination.tag_type in FIXED_TYPES:
        raise ValidationError(gettext("Fixed tags cannot be nominated."))
    else:
        (tag,) = tags_find_or_create(tag_type=nomination.tag_type, names=[nomination.name])
        _add(tag_set, [tag])
        same.update(status=NominationStatus.APPROVED, tag=tag)
    nomination.refresh_from_db()
    return nomination
