"""Wrangling many tags at once, the assistant's suggestions, and who wrangles."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.tags import selectors
from fanarchive.tags.models import (
    FandomLink,
    SuggestionDecision,
    Tag,
    TagType,
    WranglerAssignment,
    WranglingAction,
)
from fanarchive.wrangling.services import (
    Errors,
    apply_canonical,
    apply_fandom_link,
    apply_synonym,
    canonical_errors,
    fandom_link_errors,
    locked_tag,
    raise_if,
    require_wrangler,
    synonym_errors,
    tag_make_synonym,
    wrangling_log,
)

# -- mass wrangling -----------------------------------------------------------

MASS_ACTIONS = {
    "synonym": gettext_lazy("Make them synonyms of"),
    "fandom": gettext_lazy("Link them to the fandom"),
    "canonical": gettext_lazy("Make them canonical"),
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
        errors["action"].append(gettext("Choose what to do with the selected tags."))
    if not tags:
        errors["tags"].append(gettext("Select at least one tag."))
    if action in ("synonym", "fandom") and target is None:
        errors["target"].append(
            gettext("Name the canonical tag.")
            if action == "synonym"
            else gettext("Name the fandom.")
        )
    raise_if(errors)
    require_wrangler(user, *tags, target)
    with transaction.atomic():
        locked = [locked_tag(tag) for tag in tags]
        target = locked_tag(target) if target is not None else None
        check: Callable[[Tag], list[str]]
        apply: Callable[[Tag], None]
        if action == "synonym":
            assert target is not None  # noqa: S101 - checked above
            canonical = target

            def check(tag: Tag) -> list[str]:
                if tag.synonym_of_id == canonical.pk:
                    return []
                return synonym_errors(tag, canonical)

            def apply(tag: Tag) -> None:
                apply_synonym(user, tag, canonical)

        elif action == "fandom":
            assert target is not None  # noqa: S101 - checked above
            fandom = target

            def check(tag: Tag) -> list[str]:
                if FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
                    return []
                return fandom_link_errors(tag, fandom)

            def apply(tag: Tag) -> None:
                if not FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
                    apply_fandom_link(user, tag, fandom)

        else:

            def check(tag: Tag) -> list[str]:
                return canonical_errors(tag, True)

            def apply(tag: Tag) -> None:
                apply_canonical(user, tag, True)

        for tag in locked:
            errors["tags"] += check(tag)
        raise_if(errors)
        for tag in locked:
            apply(tag)
    return len(locked)


# -- the assistant's suggestions ----------------------------------------------


def suggestion_accept(*, user: User, tag: Tag, target: Tag) -> Tag:
    """Accept the assistant's suggestion: `tag` becomes a synonym of `target`."""
    with transaction.atomic():
        tag = tag_make_synonym(user=user, tag=tag, canonical=target)
        SuggestionDecision.objects.update_or_create(
            tag=tag, target=target, defaults={"accepted": True, "decided_by": user}
        )
    return tag


def suggestion_reject(*, user: User, tag: Tag, target: Tag) -> SuggestionDecision:
    """Reject a suggestion; the assistant will not offer it again."""
    require_wrangler(user, tag)
    with transaction.atomic():
        decision, _ = SuggestionDecision.objects.update_or_create(
            tag=tag, target=target, defaults={"accepted": False, "decided_by": user}
        )
        wrangling_log(user, WranglingAction.REJECT_SUGGESTION, tag, target)
    return decision


# -- wranglers ----------------------------------------------------------------


def wrangler_set(*, user: User | None, wrangler: User, fandoms: Sequence[Tag] = ()) -> None:
    """Make `wrangler` a wrangler, assigned to these canonical fandoms.

    `user` is the admin doing it, or None from the command line.
    """
    if user is not None and not selectors.is_admin(user):
        raise PermissionDenied(gettext("Only admins can appoint wranglers."))
    errors = [
        gettext("%(fandom)s is not a canonical fandom.") % {"fandom": fandom.name}
        for fandom in fandoms
        if fandom.type != TagType.FANDOM or not fandom.canonical
    ]
    raise_if({"fandoms": errors})
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=selectors.WRANGLERS_GROUP)
        wrangler.groups.add(group)
        for fandom in fandoms:
            _, created = WranglerAssignment.objects.get_or_create(user=wrangler, fandom=fandom)
            if created:
                wrangling_log(
                    user, WranglingAction.ASSIGN, fandom, None, wrangler=wrangler.username
                )


def wrangler_unassign(*, user: User | None, assignments: Sequence[WranglerAssignment]) -> None:
    """Take these fandom assignments away (logged); the people stay wranglers."""
    if user is not None and not selectors.is_admin(user):
        raise PermissionDenied(gettext("Only admins can appoint wranglers."))
    with transaction.atomic():
        for assignment in assignments:
            wrangling_log(
                user,
                WranglingAction.UNASSIGN,
                assignment.fandom,
                wrangler=assignment.user.username,
            )
            assignment.delete()


def wrangler_remove(*, user: User | None, wrangler: User) -> None:
    """Take the wrangler role and every fandom assignment away."""
    if user is not None and not selectors.is_admin(user):
        raise PermissionDenied(gettext("Only admins can appoint wranglers."))
    with transaction.atomic():
        for assignment in WranglerAssignment.objects.filter(user=wrangler).select_related("fandom"):
            wrangling_log(
                user, WranglingAction.UNASSIGN, assignment.fandom, wrangler=wrangler.username
            )
            assignment.delete()
        wrangler.groups.remove(*Group.objects.filter(name=selectors.WRANGLERS_GROUP))
