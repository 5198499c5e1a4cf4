"""Wrangling: canonical tags, synonyms and merging, renaming, metatags and fandom links.

Every wrangling service checks that the user may wrangle every tag it touches,
validates everything before writing, runs in one transaction, writes one entry of
the audit log (`WranglingLog`), and logs a catalogue change for every work whose
filter tags change, so the discovery index follows at once without a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.tags import selectors
from fanarchive.tags.models import (
    FANDOM_LINKED_TYPES,
    FandomLink,
    MetaTagLink,
    Tag,
    TagType,
    WranglerAssignment,
    WranglingAction,
    WranglingLog,
)
from fanarchive.tags.services import normalise_tag_name, tag_name_error, tag_name_set
from fanarchive.works.catalogue_services import catalogue_works_changed
from fanarchive.works.models import WorkTag
from fanarchive.works.tag_selectors import work_ids_under

# -- wrangling: helpers -------------------------------------------------------

Errors = dict[str, list[str]]


def raise_if(errors: Errors) -> None:
    if any(errors.values()):
        raise ValidationError({key: messages for key, messages in errors.items() if messages})


def require_wrangler(user: User, *tags: Tag | None) -> None:
    for tag in tags:
        if tag is not None and not selectors.can_wrangle(user, tag):
            if tag.is_fixed:
                raise PermissionDenied(gettext("The fixed tag sets cannot be wrangled."))
            raise PermissionDenied(gettext("You cannot wrangle %(name)s.") % {"name": tag.name})


def locked_tag(tag: Tag) -> Tag:
    """The tag, reloaded as it is now and locked for the rest of the transaction.

    Reloaded in place, so the caller's object shows the service's changes too.
    """
    tag.refresh_from_db(from_queryset=Tag.objects.select_for_update())
    return tag


def wrangling_log(
    user: User | None,
    action: str,
    tag: Tag,
    target: Tag | None = None,
    **details: Any,
) -> None:
    WranglingLog.objects.create(
        user=user,
        action=action,
        tag=tag,
        tag_name=tag.name,
        target=target,
        target_name=target.name if target else "",
        details=details,
    )


def _works_changed(work_ids: Iterable[int]) -> None:
    """Log a catalogue change for each work whose filter tags (or tag names) changed.

    Through `catalogue_works_changed`: the index follows the wrangling from this
    transaction on; the works' search documents (their tag names) are rewritten here
    when they are few, by a background task within minutes when there are many.
    """
    catalogue_works_changed(work_ids=work_ids, tags_only=True)


def _direct_work_ids(tag_ids: Iterable[int]) -> set[int]:
    return set(WorkTag.objects.filter(tag_id__in=list(tag_ids)).values_list("work_id", flat=True))


def _same_type_canonical_error(tag: Tag, target: Tag, what: str) -> str | None:
    """Why `tag` cannot be joined to `target` as `what` ("synonym", "merge" or "metatag")."""
    names = {"tag": tag.name, "target": target.name}
    if target.pk == tag.pk:
        if what == "synonym":
            return gettext("%(tag)s cannot be a synonym of itself.") % names
        if what == "merge":
            return gettext("%(tag)s cannot be merged into itself.") % names
        return gettext("%(tag)s cannot be a metatag of itself.") % names
    if target.type != tag.type:
        return gettext(
            "%(target)s is a %(target_type)s tag; %(tag)s is a %(tag_type)s tag: they must be "
            "of the same type."
        ) % {
            **names,
            "target_type": target.get_type_display(),
            "tag_type": tag.get_type_display(),
        }
    if not target.canonical:
        if what == "synonym":
            return (
                gettext("%(target)s is not canonical: only a canonical tag can be a synonym.")
                % names
            )
        if what == "merge":
            return (
                gettext("%(target)s is not canonical: only a canonical tag can be merged into.")
                % names
            )
        return (
            gettext("%(target)s is not canonical: only a canonical tag can be a metatag.") % names
        )
    return None


# -- canonical, unwrangleable -------------------------------------------------


def canonical_errors(tag: Tag, canonical: bool) -> list[str]:
    if canonical:
        if tag.synonym_of_id:
            return [
                gettext("%(tag)s is a synonym of %(canonical)s: remove that first.")
                % {"tag": tag.name, "canonical": tag.filter_tag.name}
            ]
        return []
    if tag.synonyms.exists():
        return [
            gettext("%(tag)s has synonyms: make them synonyms of another tag first.")
            % {"tag": tag.name}
        ]
    if tag.meta_links.exists() or tag.sub_links.exists():
        return [gettext("%(tag)s has metatags or subtags: remove them first.") % {"tag": tag.name}]
    if tag.member_links.exists():
        return [
            gettext("Characters, relationships or tags are linked to %(tag)s: unlink them first.")
            % {"tag": tag.name}
        ]
    return []


def apply_canonical(user: User, tag: Tag, canonical: bool) -> None:
    if tag.canonical == canonical:
        return
    tag.canonical = canonical
    if canonical:
        tag.unwrangleable = False
    tag.save(update_fields=["canonical", "unwrangleable"])
    action = WranglingAction.CANONICAL if canonical else WranglingAction.UNCANONICAL
    wrangling_log(user, action, tag)


def tag_set_canonical(*, user: User, tag: Tag, canonical: bool) -> Tag:
    """Make a tag canonical (a filter choice of its own) or take that away.

    Filter results do not change: a work is filed under its own tags either way.
    """
    require_wrangler(user, tag)
    with transaction.atomic():
        tag = locked_tag(tag)
        raise_if({"canonical": canonical_errors(tag, canonical)})
        apply_canonical(user, tag, canonical)
    return tag


def tag_set_unwrangleable(*, user: User, tag: Tag, unwrangleable: bool) -> Tag:
    """Set an additional tag aside (AO3's "unwrangleable"): out of the queues and autocomplete."""
    require_wrangler(user, tag)
    with transaction.atomic():
        tag = locked_tag(tag)
        errors: list[str] = []
        if unwrangleable:
            if tag.type != TagType.FREEFORM:
                errors.append(gettext("Only additional tags can be unwrangleable."))
            elif tag.canonical or tag.synonym_of_id:
                errors.append(gettext("%(name)s is already wrangled.") % {"name": tag.name})
        raise_if({"unwrangleable": errors})
        if tag.unwrangleable != unwrangleable:
            tag.unwrangleable = unwrangleable
            tag.save(update_fields=["unwrangleable"])
            action = WranglingAction.UNWRANGLEABLE if unwrangleable else WranglingAction.WRANGLEABLE
            wrangling_log(user, action, tag)
    return tag


# -- synonyms and merging -----------------------------------------------------


def synonym_errors(tag: Tag, canonical: Tag) -> list[str]:
    error = _same_type_canonical_error(tag, canonical, "synonym")
    if error:
        return [error]
    if tag.canonical:
        return [
            gettext("%(tag)s is canonical: merge it into %(canonical)s instead.")
            % {"tag": tag.name, "canonical": canonical.name}
        ]
    return []


def apply_synonym(user: User, tag: Tag, canonical: Tag, action: str = "synonym") -> None:
    if tag.synonym_of_id == canonical.pk:
        return
    before = tag.synonym_of
    works = _direct_work_ids([tag.pk])
    tag.synonym_of = canonical
    tag.unwrangleable = False
    tag.save(update_fields=["synonym_of", "unwrangleable"])
    # The canonical belongs to the synonym's fandoms too.
    for fandom_id in tag.fandom_links.values_list("fandom_id", flat=True):
        FandomLink.objects.get_or_create(tag=canonical, fandom_id=fandom_id)
    _works_changed(works)
    wrangling_log(
        user,
        action,
        tag,
        canonical,
        previous=before.name if before else None,
        works=len(works),
    )


def tag_make_synonym(*, user: User, tag: Tag, canonical: Tag) -> Tag:
    """Make `tag` a synonym of `canonical`: its works are found under the canonical."""
    require_wrangler(user, tag, canonical)
    with transaction.atomic():
        tag, canonical = locked_tag(tag), locked_tag(canonical)
        raise_if({"synonym_of": synonym_errors(tag, canonical)})
        apply_synonym(user, tag, canonical)
    return tag


def tag_remove_synonym(*, user: User, tag: Tag) -> Tag:
    """Undo a synonym: the tag is unwrangled again and its works leave the canonical."""
    require_wrangler(user, tag)
    with transaction.atomic():
        tag = locked_tag(tag)
        if not tag.synonym_of_id:
            raise ValidationError(
                {"synonym_of": gettext("%(name)s is not a synonym.") % {"name": tag.name}}
            )
        canonical = tag.synonym_of
        works = _direct_work_ids([tag.pk])
        tag.synonym_of = None
        tag.save(update_fields=["synonym_of"])
        _works_changed(works)
        wrangling_log(user, WranglingAction.UNSYNONYM, tag, canonical, works=len(works))
    return tag


def tag_merge(*, user: User, tag: Tag, into: Tag) -> Tag:
    """Merge `tag` into the canonical `into`: it becomes a synonym, and a canonical
    `tag` hands over its synonyms, metatags, subtags, fandom links and wranglers.

    A metatag or subtag link that would make a cycle (or link `into` to itself) is
    dropped and named in the log's details.
    """
    require_wrangler(user, tag, into)
    with transaction.atomic():
        tag, into = locked_tag(tag), locked_tag(into)
        error = _same_type_canonical_error(tag, into, "merge")
        raise_if({"into": [error] if error else []})
        works = work_ids_under([tag.pk])
        moved: dict[str, list[str]] = {"synonyms": [], "metatags": [], "subtags": [], "dropped": []}
        synonyms = list(tag.synonyms.all())
        for synonym in synonyms:
            moved["synonyms"].append(synonym.name)
        Tag.objects.filter(synonym_of=tag).update(synonym_of=into)
        metas = list(Tag.objects.filter(sub_links__sub=tag))
        subs = list(Tag.objects.filter(meta_links__meta=tag))
        MetaTagLink.objects.filter(Q(sub=tag) | Q(meta=tag)).delete()
        for meta in metas:
            if meta.pk == into.pk or meta.pk in selectors.subtag_ids(into.pk):
                moved["dropped"].append(gettext("metatag %(name)s") % {"name": meta.name})
            else:
                MetaTagLink.objects.get_or_create(meta=meta, sub=into)
                moved["metatags"].append(meta.name)
        for sub in subs:
            if sub.pk == into.pk or into.pk in selectors.subtag_ids(sub.pk):
                moved["dropped"].append(gettext("subtag %(name)s") % {"name": sub.name})
            else:
                MetaTagLink.objects.get_or_create(meta=into, sub=sub)
                moved["subtags"].append(sub.name)
        for fandom_id in tag.fandom_links.values_list("fandom_id", flat=True):
            FandomLink.objects.get_or_create(tag=into, fandom_id=fandom_id)
        if tag.type == TagType.FANDOM:
            for link in FandomLink.objects.filter(fandom=tag):
                FandomLink.objects.get_or_create(tag_id=link.tag_id, fandom=into)
            FandomLink.objects.filter(fandom=tag).delete()
            for assignment in WranglerAssignment.objects.filter(fandom=tag):
                WranglerAssignment.objects.get_or_create(user_id=assignment.user_id, fandom=into)
            WranglerAssignment.objects.filter(fandom=tag).delete()
        tag.canonical = False
        tag.unwrangleable = False
        tag.synonym_of = into
        tag.save(update_fields=["canonical", "unwrangleable", "synonym_of"])
        if moved["metatags"]:
            # `into` gained metatags: its own works are filed under them now too.
            works |= work_ids_under([into.pk])
        _works_changed(works)
        wrangling_log(user, WranglingAction.MERGE, tag, into, works=len(works), **moved)
    return tag


# -- renaming -----------------------------------------------------------------


def tag_rename(*, user: User, tag: Tag, name: str) -> Tag:
    """Change a tag's spelling, keeping its id, works and wrangling.

    Refused when another tag of the type already has the name (in any case):
    merge the two instead.
    """
    require_wrangler(user, tag)
    name = normalise_tag_name(name)
    with transaction.atomic():
        tag = locked_tag(tag)
        errors: list[str] = []
        error = tag_name_error(name)
        if error:
            errors.append(error)
        elif name == tag.name:
            errors.append(gettext("%(name)s already has that name.") % {"name": tag.name})
        else:
            clash = Tag.objects.filter(type=tag.type, name__iexact=name).exclude(pk=tag.pk).first()
            if clash:
                errors.append(
                    gettext(
                        "There is already a %(type)s tag named %(name)s: merge the two instead."
                    )
                    % {"type": tag.get_type_display(), "name": clash.name}
                )
        raise_if({"name": errors})
        before = tag.name
        tag_name_set(tag=tag, name=name)
        # Filter ids do not change; names do, for search and feeds.
        _works_changed(_direct_work_ids([tag.pk]))
        wrangling_log(user, WranglingAction.RENAME, tag, previous=before)
    return tag


# -- metatags -----------------------------------------------------------------


def _metatag_errors(tag: Tag, metatag: Tag) -> list[str]:
    error = _same_type_canonical_error(tag, metatag, "metatag")
    if error:
        return [error]
    if not tag.canonical:
        return [
            gettext("%(tag)s is not canonical: only canonical tags have metatags.")
            % {"tag": tag.name}
        ]
    if MetaTagLink.objects.filter(meta=metatag, sub=tag).exists():
        return [
            gettext("%(metatag)s is already a metatag of %(tag)s.")
            % {"metatag": metatag.name, "tag": tag.name}
        ]
    if metatag.pk in selectors.subtag_ids(tag.pk):
        return [
            gettext(
                "%(metatag)s is a subtag of %(tag)s: making it a metatag too would make a cycle."
            )
            % {"metatag": metatag.name, "tag": tag.name}
        ]
    return []


def tag_add_metatag(*, user: User, tag: Tag, metatag: Tag) -> MetaTagLink:
    """Make `metatag` a metatag of `tag`: the works of `tag` (and its subtags) appear under it."""
    require_wrangler(user, tag, metatag)
    with transaction.atomic():
        tag, metatag = locked_tag(tag), locked_tag(metatag)
        raise_if({"metatag": _metatag_errors(tag, metatag)})
        link = MetaTagLink.objects.create(meta=metatag, sub=tag)
        works = work_ids_under([tag.pk])
        _works_changed(works)
        wrangling_log(user, WranglingAction.ADD_METATAG, tag, metatag, works=len(works))
    return link


def tag_remove_metatag(*, user: User, tag: Tag, metatag: Tag) -> None:
    require_wrangler(user, tag, metatag)
    with transaction.atomic():
        tag, metatag = locked_tag(tag), locked_tag(metatag)
        link = MetaTagLink.objects.filter(meta=metatag, sub=tag).first()
        if link is None:
            raise ValidationError(
                {
                    "metatag": gettext("%(metatag_name)s is not a metatag of %(tag_name)s.")
                    % {"metatag_name": metatag.name, "tag_name": tag.name}
                }
            )
        works = work_ids_under([tag.pk])
        link.delete()
        _works_changed(works)
        wrangling_log(user, WranglingAction.REMOVE_METATAG, tag, metatag, works=len(works))


# -- fandom links -------------------------------------------------------------


def fandom_link_errors(tag: Tag, fandom: Tag) -> list[str]:
    if tag.type not in FANDOM_LINKED_TYPES:
        return [
            gettext("%(tag)s is a %(type)s tag: it cannot belong to a fandom.")
            % {"tag": tag.name, "type": tag.get_type_display()}
        ]
    if fandom.type != TagType.FANDOM:
        return [gettext("%(fandom)s is not a fandom.") % {"fandom": fandom.name}]
    if not fandom.canonical:
        return [
            gettext("%(fandom)s is not canonical: link to its canonical fandom.")
            % {"fandom": fandom.name}
        ]
    if FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
        return [
            gettext("%(tag)s is already in %(fandom)s.") % {"tag": tag.name, "fandom": fandom.name}
        ]
    return []


def apply_fandom_link(user: User, tag: Tag, fandom: Tag) -> None:
    FandomLink.objects.create(tag=tag, fandom=fandom)
    wrangling_log(user, WranglingAction.LINK_FANDOM, tag, fandom)


def tag_link_fandom(*, user: User, tag: Tag, fandom: Tag) -> FandomLink:
    """Put a character, relationship or additional tag in a canonical fandom."""
    require_wrangler(user, tag, fandom)
    with transaction.atomic():
        tag, fandom = locked_tag(tag), locked_tag(fandom)
        raise_if({"fandom": fandom_link_errors(tag, fandom)})
        apply_fandom_link(user, tag, fandom)
    return FandomLink.objects.get(tag=tag, fandom=fandom)


def tag_unlink_fandom(*, user: User, tag: Tag, fandom: Tag) -> None:
    require_wrangler(user, tag, fandom)
    with transaction.atomic():
        deleted, _ = FandomLink.objects.filter(tag=tag, fandom=fandom).delete()
        if not deleted:
            raise ValidationError(
                {
                    "fandom": gettext("%(tag_name)s is not in %(fandom_name)s.")
                    % {"tag_name": tag.name, "fandom_name": fandom.name}
                }
            )
        wrangling_log(user, WranglingAction.UNLINK_FANDOM, tag, fandom)
