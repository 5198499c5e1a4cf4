"""Writes of the discovery app: mutes (everywhere or within fandoms), listing preferences
and saved filters.

The catalogue's change log and search documents are written by `works.catalogue_services`.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.core.text import clean_line
from fanarchive.discovery.models import ListingPreference, MutedCreator, MutedTag, SavedFilter
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import fandom_ids_named

SAVED_FILTERS_MAX = 100
MUTES_MAX = 1000
SCOPE_FANDOMS_MAX = 20


# -- mutes --------------------------------------------------------------------


def _require_self(user: User, owner: User) -> None:
    if not user.is_authenticated or user.pk != owner.pk:
        raise PermissionDenied(gettext("You can only change your own mutes and filters."))


def mute_tag_add(*, user: User, owner: User, tag_id: int) -> MutedTag:
    """Mute a tag for `owner`: its works vanish from every listing, search, feed and count."""
    _require_self(user, owner)
    tag = Tag.objects.filter(pk=tag_id).first()
    if tag is None:
        raise ValidationError({"tag": [gettext("There is no such tag.")]})
    if MutedTag.objects.filter(user=owner).count() >= MUTES_MAX:
        raise ValidationError(
            {
                "tag": [
                    gettext("You can mute at most %(MUTES_MAX)s tags.") % {"MUTES_MAX": MUTES_MAX}
                ]
            }
        )
    with transaction.atomic():
        muted, _ = MutedTag.objects.get_or_create(user=owner, tag=tag)
    return muted


def mute_tag_remove(*, user: User, owner: User, tag_id: int) -> None:
    _require_self(user, owner)
    with transaction.atomic():
        MutedTag.objects.filter(user=owner, tag_id=tag_id).delete()


def mute_creator_add(*, user: User, owner: User, username: str) -> MutedCreator:
    """Mute an account: works by any of its pseuds vanish for `owner`."""
    _require_self(user, owner)
    creator = User.objects.filter(username__iexact=username.strip()).first()
    if creator is None:
        raise ValidationError(
            {
                "username": [
                    gettext('There is no account called "%(username)s".') % {"username": username}
                ]
            }
        )
    if creator.pk == owner.pk:
        raise ValidationError({"username": [gettext("You cannot mute yourself.")]})
    if MutedCreator.objects.filter(user=owner).count() >= MUTES_MAX:
        raise ValidationError(
            {
                "username": [
                    gettext("You can mute at most %(MUTES_MAX)s creators.")
                    % {"MUTES_MAX": MUTES_MAX}
                ]
            }
        )
    with transaction.atomic():
        muted, _ = MutedCreator.objects.get_or_create(user=owner, creator=creator)
    return muted


def mute_creator_remove(*, user: User, owner: User, creator_id: int) -> None:
    _require_self(user, owner)
    with transaction.atomic():
        MutedCreator.objects.filter(user=owner, creator_id=creator_id).delete()


def _scope_fandoms(names: list[str]) -> list[Tag]:
    """The fandoms typed for a mute's scope, as the fandom filter reads them (a synonym
    stands for its canonical tag); names that are no fandom are an error."""
    wanted = list(dict.fromkeys(" ".join(clean_line(name).split()) for name in names))
    wanted = [name for name in wanted if name]
    if len(wanted) > SCOPE_FANDOMS_MAX:
        raise ValidationError(
            {
                "fandoms": [
                    gettext("A mute can be limited to at most %(SCOPE_FANDOMS_MAX)s fandoms.")
                    % {"SCOPE_FANDOMS_MAX": SCOPE_FANDOMS_MAX}
                ]
            }
        )
    ids = []
    unknown = []
    for name in wanted:
        found = fandom_ids_named([name])
        if found:
            ids.extend(found)
        else:
            unknown.append(name)
    if unknown:
        listed = ", ".join(f'"{name[:100]}"' for name in unknown)
        raise ValidationError(
            {"fandoms": [gettext("There is no fandom called %(listed)s.") % {"listed": listed}]}
        )
    return list(Tag.objects.filter(pk__in=ids, type=TagType.FANDOM))


def mute_scope_set(
    *, user: User, owner: User, fandom_names: list[str], tag_id: int = 0, creator_id: int = 0
) -> MutedTag | MutedCreator:
    """Limit one of `owner`'s mutes (a tag's or a creator's) to works in any of these
    fandoms; no fandoms: muted everywhere again. Replaces the mute's scope."""
    _require_self(user, owner)
    muted: MutedTag | MutedCreator | None
    if tag_id:
        muted = MutedTag.objects.filter(user=owner, tag_id=tag_id).first()
    else:
        muted = MutedCreator.objects.filter(user=owner, creator_id=creator_id).first()
    if muted is None:
        raise ValidationError({"fandoms": [gettext("That is not one of your mutes.")]})
    fandoms = _scope_fandoms(fandom_names)
    with transaction.atomic():
        muted.fandoms.set(fandoms)
    return muted


# -- listing preferences --------------------------------------------------------


def listing_preference_set(
    *, user: User, owner: User, hide_anonymous: bool, hide_crossovers: bool
) -> ListingPreference:
    """Set `owner`'s standing preferences: hide anonymous works, hide crossovers (works
    whose fandoms share no canonical fandom, as the crossover filter counts them)."""
    _require_self(user, owner)
    with transaction.atomic():
        preference, _ = ListingPreference.objects.update_or_create(
            user=owner,
            defaults={"hide_anonymous": hide_anonymous, "hide_crossovers": hide_crossovers},
        )
    return preference


# -- saved filters ------------------------------------------------------------


def clean_query_string(query_string: str) -> str:
    """The filter part of a query string: no page number, blanks dropped, order kept."""
    pairs = [
        (key, value)
        for key, value in parse_qsl(query_string.lstrip("?"), keep_blank_values=False)
        if key not in {"page", "after", "csrfmiddlewaretoken", "name"}
    ]
    return urlencode(pairs)


def saved_filter_create(*, user: User, owner: User, name: str, query_string: str) -> SavedFilter:
    _require_self(user, owner)
    name = " ".join(clean_line(name).split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [gettext("Please give the filter a name.")]
    elif len(name) > 100:
        errors["name"] = [gettext("Filter names can be at most 100 characters.")]
    elif SavedFilter.objects.filter(user=owner, name__iexact=name).exists():
        errors["name"] = [gettext('You already have a filter called "%(name)s".') % {"name": name}]
    if SavedFilter.objects.filter(user=owner).count() >= SAVED_FILTERS_MAX:
        errors.setdefault("name", []).append(
            gettext("You can keep at most %(SAVED_FILTERS_MAX)s filters; delete one first.")
            % {"SAVED_FILTERS_MAX": SAVED_FILTERS_MAX}
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return SavedFilter.objects.create(
                user=owner, name=name, query_string=clean_query_string(query_string)
            )
    except IntegrityError as error:
        raise ValidationError(
            {"name": [gettext('You already have a filter called "%(name)s".') % {"name": name}]}
        ) from error


def saved_filter_delete(*, user: User, saved: SavedFilter) -> None:
    _require_self(user, saved.user)
    with transaction.atomic():
        saved.delete()
