"""Writes to tags: free tags are created on first use; wranglers join them.

Every wrangling service checks that the user may wrangle every tag it touches,
validates everything before writing, runs in one transaction, writes one entry of
the audit log (`WranglingLog`), and logs a catalogue change for every work whose
filter tags change, so the discovery index follows at once without a rebuild.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import reduce
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from fanarchive.accounts.models import User
from fanarchive.core.text import clean_line
from fanarchive.discovery.services import catalogue_work_changed
from fanarchive.tags import selectors
from fanarchive.tags.models import (
    FANDOM_LINKED_TYPES,
    FIXED_TYPES,
    FandomLink,
    MetaTagLink,
    SuggestionDecision,
    Tag,
    TagType,
    WranglerAssignment,
    WranglingAction,
    WranglingLog,
    fold_name,
)

TAG_NAME_MAX = 100
# AO3 refuses these in tag names: commas separate tags, the rest break its URLs and markup.
FORBIDDEN_TAG_CHARACTERS = ",^*<>{}=`\\%"
_SPACES = re.compile(r"\s+")


def normalise_tag_name(name: str) -> str:
    """The one way in for a typed tag name: on one line, no control characters, spaces
    collapsed."""
    return _SPACES.sub(" ", clean_line(name)).strip()


def tag_name_error(name: str) -> str | None:
    """Why `name` cannot be a tag, or None when it can."""
    if not name:
        return "Tag names cannot be blank."
    if len(name) > TAG_NAME_MAX:
        return f'"{name[:30]}…" is too long: tags can be at most {TAG_NAME_MAX} characters.'
    bad = sorted({char for char in name if char in FORBIDDEN_TAG_CHARACTERS})
    if bad:
        return f'"{name}" cannot contain {" ".join(bad)}: tags are separated by commas.'
    return None


def unique_tag_names(names: Iterable[str]) -> list[str]:
    """Normalised names, blanks dropped, later case-insensitive repeats dropped, order kept."""
    seen: set[str] = set()
    result = []
    for raw in names:
        name = normalise_tag_name(raw)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


def tags_find_or_create(*, tag_type: TagType | str, names: Iterable[str]) -> list[Tag]:
    """The tags of one free type with these names, creating the missing ones.

    Names must already be valid (see `tag_name_error`). An existing tag keeps
    its spelling: "harry potter" finds "Harry Potter". One indexed query finds
    all existing ones (posting a work with many tags stays cheap).
    """
    return tags_find_or_create_many(names_by_type={tag_type: names})[str(tag_type)]


def tags_find_or_create_many(
    *, names_by_type: Mapping[TagType | str, Iterable[str]]
) -> dict[str, list[Tag]]:
    """`tags_find_or_create` for several free types at once, in one query; keyed by type."""
    if any(tag_type in FIXED_TYPES for tag_type in names_by_type):
        raise ValueError("the fixed tag sets cannot grow")
    wanted = {str(tag_type): unique_tag_names(names) for tag_type, names in names_by_type.items()}
    looked_up = [
        Q(type=tag_type, name_folded__in={fold_name(name) for name in names})
        for tag_type, names in wanted.items()
        if names
    ]
    existing: dict[tuple[str, str], Tag] = {}
    if looked_up:
        for tag in Tag.objects.filter(reduce(operator.or_, looked_up)).order_by("id"):
            existing.setdefault((tag.type, tag.name.lower()), tag)
    return {
        tag_type: [
            existing.get((tag_type, name.lower())) or _create(tag_type, name) for name in names
        ]
        for tag_type, names in wanted.items()
    }


def _create(tag_type: str, name: str) -> Tag:
    try:
        with transaction.atomic():
            return Tag.objects.create(type=tag_type, name=name, name_folded=fold_name(name))
    except IntegrityError:
        # Someone created it since our look-up (or it exists without a folded name).
        return Tag.objects.get(type=tag_type, name__iexact=name)


def tags_recount(*, tag_ids: Iterable[int] | None = None) -> int:
    """Refresh `use_count` (public works carrying the tag directly); all tags when None."""
    from fanarchive.works.models import WorkTag

    uses = (
        WorkTag.objects.filter(
            tag_id=OuterRef("pk"),
            work__posted=True,
            work__hidden_by_admin=False,
            work__restricted=False,
        )
        .order_by()
        .values("tag_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    tags = Tag.objects.all() if tag_ids is None else Tag.objects.filter(pk__in=list(tag_ids))
    return tags.update(use_count=Coalesce(Subquery(uses), 0))


# -- wrangling: helpers -------------------------------------------------------

Errors = dict[str, list[str]]


def _raise_if(errors: Errors) -> None:
    if any(errors.values()):
        raise ValidationError({key: messages for key, messages in errors.items() if messages})


def _require_wrangler(user: User, *tags: Tag | None) -> None:
    for tag in tags:
        if tag is not None and not selectors.can_wrangle(user, tag):
            if tag.is_fixed:
                raise PermissionDenied("The fixed tag sets cannot be wrangled.")
            raise PermissionDenied(f"You cannot wrangle {tag.name}.")


def _locked(tag: Tag) -> Tag:
    """The tag, reloaded as it is now and locked for the rest of the transaction.

    Reloaded in place, so the caller's object shows the service's changes too.
    """
    tag.refresh_from_db(from_queryset=Tag.objects.select_for_update())
    return tag


def _log(
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

    Through `catalogue_work_changed`, which also rewrites the work's search document
    (its tag names), so the index and search follow the wrangling in this transaction.
    """
    for work_id in sorted(set(work_ids)):
        catalogue_work_changed(work_id=work_id)


def _direct_work_ids(tag_ids: Iterable[int]) -> set[int]:
    from fanarchive.works.models import WorkTag

    return set(WorkTag.objects.filter(tag_id__in=list(tag_ids)).values_list("work_id", flat=True))


def _same_type_canonical_error(tag: Tag, target: Tag, what: str) -> str | None:
    if target.pk == tag.pk:
        return f"{tag.name} cannot be {what} of itself."
    if target.type != tag.type:
        return (
            f"{target.name} is a {target.get_type_display()} tag; "
            f"{tag.name} is a {tag.get_type_display()} tag: they must be of the same type."
        )
    if not target.canonical:
        return f"{target.name} is not canonical: only a canonical tag can be {what}."
    return None


# -- canonical, unwrangleable -------------------------------------------------


def _canonical_errors(tag: Tag, canonical: bool) -> list[str]:
    if canonical:
        if tag.synonym_of_id:
            return [f"{tag.name} is a synonym of {tag.filter_tag.name}: remove that first."]
        return []
    if tag.synonyms.exists():
        return [f"{tag.name} has synonyms: make them synonyms of another tag first."]
    if tag.meta_links.exists() or tag.sub_links.exists():
        return [f"{tag.name} has metatags or subtags: remove them first."]
    if tag.member_links.exists():
        return [f"Characters, relationships or tags are linked to {tag.name}: unlink them first."]
    return []


def _apply_canonical(user: User, tag: Tag, canonical: bool) -> None:
    if tag.canonical == canonical:
        return
    tag.canonical = canonical
    if canonical:
        tag.unwrangleable = False
    tag.save(update_fields=["canonical", "unwrangleable"])
    action = WranglingAction.CANONICAL if canonical else WranglingAction.UNCANONICAL
    _log(user, action, tag)


def tag_set_canonical(*, user: User, tag: Tag, canonical: bool) -> Tag:
    """Make a tag canonical (a filter choice of its own) or take that away.

    Filter results do not change: a work is filed under its own tags either way.
    """
    _require_wrangler(user, tag)
    with transaction.atomic():
        tag = _locked(tag)
        _raise_if({"canonical": _canonical_errors(tag, canonical)})
        _apply_canonical(user, tag, canonical)
    return tag


def tag_set_unwrangleable(*, user: User, tag: Tag, unwrangleable: bool) -> Tag:
    """Set an additional tag aside (AO3's "unwrangleable"): out of the queues and autocomplete."""
    _require_wrangler(user, tag)
    with transaction.atomic():
        tag = _locked(tag)
        errors: list[str] = []
        if unwrangleable:
            if tag.type != TagType.FREEFORM:
                errors.append("Only additional tags can be unwrangleable.")
            elif tag.canonical or tag.synonym_of_id:
                errors.append(f"{tag.name} is already wrangled.")
        _raise_if({"unwrangleable": errors})
        if tag.unwrangleable != unwrangleable:
            tag.unwrangleable = unwrangleable
            tag.save(update_fields=["unwrangleable"])
            action = WranglingAction.UNWRANGLEABLE if unwrangleable else WranglingAction.WRANGLEABLE
            _log(user, action, tag)
    return tag


# -- synonyms and merging -----------------------------------------------------


def _synonym_errors(tag: Tag, canonical: Tag) -> list[str]:
    error = _same_type_canonical_error(tag, canonical, "a synonym")
    if error:
        return [error]
    if tag.canonical:
        return [f"{tag.name} is canonical: merge it into {canonical.name} instead."]
    return []


def _apply_synonym(user: User, tag: Tag, canonical: Tag, action: str = "synonym") -> None:
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
    _log(
        user,
        action,
        tag,
        canonical,
        previous=before.name if before else None,
        works=len(works),
    )


def tag_make_synonym(*, user: User, tag: Tag, canonical: Tag) -> Tag:
    """Make `tag` a synonym of `canonical`: its works are found under the canonical."""
    _require_wrangler(user, tag, canonical)
    with transaction.atomic():
        tag, canonical = _locked(tag), _locked(canonical)
        _raise_if({"synonym_of": _synonym_errors(tag, canonical)})
        _apply_synonym(user, tag, canonical)
    return tag


def tag_remove_synonym(*, user: User, tag: Tag) -> Tag:
    """Undo a synonym: the tag is unwrangled again and its works leave the canonical."""
    _require_wrangler(user, tag)
    with transaction.atomic():
        tag = _locked(tag)
        if not tag.synonym_of_id:
            raise ValidationError({"synonym_of": f"{tag.name} is not a synonym."})
        canonical = tag.synonym_of
        works = _direct_work_ids([tag.pk])
        tag.synonym_of = None
        tag.save(update_fields=["synonym_of"])
        _works_changed(works)
        _log(user, WranglingAction.UNSYNONYM, tag, canonical, works=len(works))
    return tag


def tag_merge(*, user: User, tag: Tag, into: Tag) -> Tag:
    """Merge `tag` into the canonical `into`: it becomes a synonym, and a canonical
    `tag` hands over its synonyms, metatags, subtags, fandom links and wranglers.

    A metatag or subtag link that would make a cycle (or link `into` to itself) is
    dropped and named in the log's details.
    """
    _require_wrangler(user, tag, into)
    with transaction.atomic():
        tag, into = _locked(tag), _locked(into)
        error = _same_type_canonical_error(tag, into, "merged into")
        _raise_if({"into": [error] if error else []})
        works = selectors.work_ids_under([tag.pk])
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
                moved["dropped"].append(f"metatag {meta.name}")
            else:
                MetaTagLink.objects.get_or_create(meta=meta, sub=into)
                moved["metatags"].append(meta.name)
        for sub in subs:
            if sub.pk == into.pk or into.pk in selectors.subtag_ids(sub.pk):
                moved["dropped"].append(f"subtag {sub.name}")
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
            works |= selectors.work_ids_under([into.pk])
        _works_changed(works)
        _log(user, WranglingAction.MERGE, tag, into, works=len(works), **moved)
    return tag


# -- renaming -----------------------------------------------------------------


def tag_rename(*, user: User, tag: Tag, name: str) -> Tag:
    """Change a tag's spelling, keeping its id, works and wrangling.

    Refused when another tag of the type already has the name (in any case):
    merge the two instead.
    """
    _require_wrangler(user, tag)
    name = normalise_tag_name(name)
    with transaction.atomic():
        tag = _locked(tag)
        errors: list[str] = []
        error = tag_name_error(name)
        if error:
            errors.append(error)
        elif name == tag.name:
            errors.append(f"{tag.name} already has that name.")
        else:
            clash = Tag.objects.filter(type=tag.type, name__iexact=name).exclude(pk=tag.pk).first()
            if clash:
                errors.append(
                    f"There is already a {tag.get_type_display()} tag named {clash.name}: "
                    "merge the two instead."
                )
        _raise_if({"name": errors})
        before = tag.name
        tag.name = name
        tag.name_folded = fold_name(name)
        tag.save(update_fields=["name", "name_folded"])
        # Filter ids do not change; names do, for search and feeds.
        _works_changed(_direct_work_ids([tag.pk]))
        _log(user, WranglingAction.RENAME, tag, previous=before)
    return tag


# -- metatags -----------------------------------------------------------------


def _metatag_errors(tag: Tag, metatag: Tag) -> list[str]:
    error = _same_type_canonical_error(tag, metatag, "a metatag")
    if error:
        return [error]
    if not tag.canonical:
        return [f"{tag.name} is not canonical: only canonical tags have metatags."]
    if MetaTagLink.objects.filter(meta=metatag, sub=tag).exists():
        return [f"{metatag.name} is already a metatag of {tag.name}."]
    if metatag.pk in selectors.subtag_ids(tag.pk):
        return [
            f"{metatag.name} is a subtag of {tag.name}: making it a metatag too would make a cycle."
        ]
    return []


def tag_add_metatag(*, user: User, tag: Tag, metatag: Tag) -> MetaTagLink:
    """Make `metatag` a metatag of `tag`: the works of `tag` (and its subtags) appear under it."""
    _require_wrangler(user, tag, metatag)
    with transaction.atomic():
        tag, metatag = _locked(tag), _locked(metatag)
        _raise_if({"metatag": _metatag_errors(tag, metatag)})
        link = MetaTagLink.objects.create(meta=metatag, sub=tag)
        works = selectors.work_ids_under([tag.pk])
        _works_changed(works)
        _log(user, WranglingAction.ADD_METATAG, tag, metatag, works=len(works))
    return link


def tag_remove_metatag(*, user: User, tag: Tag, metatag: Tag) -> None:
    _require_wrangler(user, tag, metatag)
    with transaction.atomic():
        tag, metatag = _locked(tag), _locked(metatag)
        link = MetaTagLink.objects.filter(meta=metatag, sub=tag).first()
        if link is None:
            raise ValidationError({"metatag": f"{metatag.name} is not a metatag of {tag.name}."})
        works = selectors.work_ids_under([tag.pk])
        link.delete()
        _works_changed(works)
        _log(user, WranglingAction.REMOVE_METATAG, tag, metatag, works=len(works))


# -- fandom links -------------------------------------------------------------


def _fandom_link_errors(tag: Tag, fandom: Tag) -> list[str]:
    if tag.type not in FANDOM_LINKED_TYPES:
        return [f"{tag.name} is a {tag.get_type_display()} tag: it cannot belong to a fandom."]
    if fandom.type != TagType.FANDOM:
        return [f"{fandom.name} is not a fandom."]
    if not fandom.canonical:
        return [f"{fandom.name} is not canonical: link to its canonical fandom."]
    if FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
        return [f"{tag.name} is already in {fandom.name}."]
    return []


def _apply_fandom_link(user: User, tag: Tag, fandom: Tag) -> None:
    FandomLink.objects.create(tag=tag, fandom=fandom)
    _log(user, WranglingAction.LINK_FANDOM, tag, fandom)


def tag_link_fandom(*, user: User, tag: Tag, fandom: Tag) -> FandomLink:
    """Put a character, relationship or additional tag in a canonical fandom."""
    _require_wrangler(user, tag, fandom)
    with transaction.atomic():
        tag, fandom = _locked(tag), _locked(fandom)
        _raise_if({"fandom": _fandom_link_errors(tag, fandom)})
        _apply_fandom_link(user, tag, fandom)
    return FandomLink.objects.get(tag=tag, fandom=fandom)


def tag_unlink_fandom(*, user: User, tag: Tag, fandom: Tag) -> None:
    _require_wrangler(user, tag, fandom)
    with transaction.atomic():
        deleted, _ = FandomLink.objects.filter(tag=tag, fandom=fandom).delete()
        if not deleted:
            raise ValidationError({"fandom": f"{tag.name} is not in {fandom.name}."})
        _log(user, WranglingAction.UNLINK_FANDOM, tag, fandom)


# -- mass wrangling -----------------------------------------------------------

MASS_ACTIONS = {
    "synonym": "Make them synonyms of",
    "fandom": "Link them to the fandom",
    "canonical": "Make them canonical",
}


def tags_mass_wrangle(
    *, user: User, tags: Sequence[Tag], action: str, target: Tag | None = None
) -> int:
    """Wrangle many tags at once, all or nothing; returns how many changed.

    `action` is "synonym" (of `target`), "fandom" (link to the fandom `target`) or
    "canonical".
    """
    errors: Errors = {"tags": [], "target": [], "action": []}
    if action not in MASS_ACTIONS:
        errors["action"].append("Choose what to do with the selected tags.")
    if not tags:
        errors["tags"].append("Select at least one tag.")
    if action in ("synonym", "fandom") and target is None:
        errors["target"].append(
            "Name the canonical tag." if action == "synonym" else "Name the fandom."
        )
    _raise_if(errors)
    _require_wrangler(user, *tags, target)
    with transaction.atomic():
        locked = [_locked(tag) for tag in tags]
        target = _locked(target) if target is not None else None
        check: Callable[[Tag], list[str]]
        apply: Callable[[Tag], None]
        if action == "synonym":
            assert target is not None  # noqa: S101 - checked above
            canonical = target

            def check(tag: Tag) -> list[str]:
                if tag.synonym_of_id == canonical.pk:
                    return []
                return _synonym_errors(tag, canonical)

            def apply(tag: Tag) -> None:
                _apply_synonym(user, tag, canonical)

        elif action == "fandom":
            assert target is not None  # noqa: S101 - checked above
            fandom = target

            def check(tag: Tag) -> list[str]:
                if FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
                    return []
                return _fandom_link_errors(tag, fandom)

            def apply(tag: Tag) -> None:
                if not FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
                    _apply_fandom_link(user, tag, fandom)

        else:

            def check(tag: Tag) -> list[str]:
                return _canonical_errors(tag, True)

            def apply(tag: Tag) -> None:
                _apply_canonical(user, tag, True)

        for tag in locked:
            errors["tags"] += check(tag)
        _raise_if(errors)
        for tag in locked:
            apply(tag)
    return len(locked)


# -- the assistant's suggestions ----------------------------------------------


def suggestion_accept(*, user: User, tag: Tag, target: Tag) -> Tag:
    """Accept the assistant's suggestion: `tag` becomes a synonym of `target`."""
    _require_wrangler(user, tag, target)
    with transaction.atomic():
        tag, target = _locked(tag), _locked(target)
        _raise_if({"synonym_of": _synonym_errors(tag, target)})
        _apply_synonym(user, tag, target)
        SuggestionDecision.objects.update_or_create(
            tag=tag, target=target, defaults={"accepted": True, "decided_by": user}
        )
    return tag


def suggestion_reject(*, user: User, tag: Tag, target: Tag) -> SuggestionDecision:
    """Reject a suggestion; the assistant will not offer it again."""
    _require_wrangler(user, tag)
    with transaction.atomic():
        decision, _ = SuggestionDecision.objects.update_or_create(
            tag=tag, target=target, defaults={"accepted": False, "decided_by": user}
        )
        _log(user, WranglingAction.REJECT_SUGGESTION, tag, target)
    return decision


# -- wranglers ----------------------------------------------------------------


def wrangler_set(*, user: User | None, wrangler: User, fandoms: Sequence[Tag] = ()) -> None:
    """Make `wrangler` a wrangler, assigned to these canonical fandoms.

    `user` is the admin doing it, or None from the command line.
    """
    if user is not None and not selectors.is_admin(user):
        raise PermissionDenied("Only admins can appoint wranglers.")
    errors = [
        f"{fandom.name} is not a canonical fandom."
        for fandom in fandoms
        if fandom.type != TagType.FANDOM or not fandom.canonical
    ]
    _raise_if({"fandoms": errors})
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=selectors.WRANGLERS_GROUP)
        wrangler.groups.add(group)
        for fandom in fandoms:
            _, created = WranglerAssignment.objects.get_or_create(user=wrangler, fandom=fandom)
            if created:
                _log(user, WranglingAction.ASSIGN, fandom, None, wrangler=wrangler.username)


def wrangler_remove(*, user: User | None, wrangler: User) -> None:
    """Take the wrangler role and every fandom assignment away."""
    if user is not None and not selectors.is_admin(user):
        raise PermissionDenied("Only admins can appoint wranglers.")
    with transaction.atomic():
        for assignment in WranglerAssignment.objects.filter(user=wrangler).select_related("fandom"):
            _log(user, WranglingAction.UNASSIGN, assignment.fandom, wrangler=wrangler.username)
            assignment.delete()
        wrangler.groups.remove(*Group.objects.filter(name=selectors.WRANGLERS_GROUP))
