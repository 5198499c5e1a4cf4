"""Writes of a challenge's set-up: a collection's owner makes it a gift exchange or a
prompt meme, and its moderators edit the settings and the per-type tag rules.

Every setting is checked and every problem said at once; bad input changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_active
from fanarchive.challenges import models as m
from fanarchive.challenges.models import Challenge, ChallengeKind, TagRule, TagSet
from fanarchive.challenges.prompt_rules import TAG_TYPE_ORDER, type_label
from fanarchive.challenges.reveal_services import reveals_schedule
from fanarchive.collections import services as collection_services
from fanarchive.collections.models import Collection
from fanarchive.collections.selectors import can_moderate, is_collection_owner
from fanarchive.core.text import TextFormat, clean_text, html_to_text, render


@dataclass(frozen=True)
class TagRuleInput:
    """One tag type's rule (see `TagRule`)."""

    request_required: int = 0
    request_allowed: int = 0
    offer_required: int = 0
    offer_allowed: int = 0
    allow_any: bool = False
    must_match: int = 0
    restrict_to_tag_set: bool = True


@dataclass(frozen=True)
class ChallengeSettings:
    tag_set: TagSet | None = None
    signup_instructions: str = ""
    signup_open: bool = False
    signups_open_at: dt.datetime | None = None
    signups_close_at: dt.datetime | None = None
    requests_required: int = 1
    requests_allowed: int = 1
    offers_required: int = 1
    offers_allowed: int = 1
    assignments_due_at: dt.datetime | None = None
    anonymous_prompts_allowed: bool = True
    claims_open: bool = True
    claims_per_prompt: int = 0
    works_reveal_at: dt.datetime | None = None
    authors_reveal_at: dt.datetime | None = None
    # Tag type -> its rule; a type left out takes no tags.
    rules: Mapping[str, TagRuleInput] = field(default_factory=dict)


# The challenge's own settings (as named on the model), without the per-type rules.
SETTING_NAMES = tuple(f.name for f in fields(ChallengeSettings) if f.name != "rules")

# AO3's default sign-up form: one fandom per request and offer, which must match.
DEFAULT_RULES: dict[str, TagRuleInput] = {
    "fandom": TagRuleInput(
        request_required=1, request_allowed=1, offer_required=1, offer_allowed=1, must_match=1
    ),
    "character": TagRuleInput(request_allowed=2, offer_allowed=2),
}
_SETTING_FIELDS = tuple(f.name for f in fields(ChallengeSettings) if f.name != "rules")


def settings_of(challenge: Challenge) -> ChallengeSettings:
    """The challenge's current settings, to edit."""
    rules = {
        rule.tag_type: TagRuleInput(
            request_required=rule.request_required,
            request_allowed=rule.request_allowed,
            offer_required=rule.offer_required,
            offer_allowed=rule.offer_allowed,
            allow_any=rule.allow_any,
            must_match=rule.must_match,
            restrict_to_tag_set=rule.restrict_to_tag_set,
        )
        for rule in challenge.tag_rules.all()
    }
    values = {name: getattr(challenge, name) for name in _SETTING_FIELDS}
    return ChallengeSettings(**values, rules=rules)


def default_settings(kind: str) -> ChallengeSettings:
    if kind == ChallengeKind.PROMPT_MEME:
        return ChallengeSettings(
            requests_required=1,
            requests_allowed=3,
            offers_required=0,
            offers_allowed=0,
            rules={
                "fandom": TagRuleInput(request_required=1, request_allowed=1),
                "character": TagRuleInput(request_allowed=3),
                "relationship": TagRuleInput(request_allowed=2),
                "freeform": TagRuleInput(request_allowed=5),
            },
        )
    return ChallengeSettings(rules=DEFAULT_RULES)


def _clean_html(text: str, *, limit: int) -> tuple[str, str | None]:
    source = clean_text(text or "").strip()
    if len(source) > limit:
        return "", f"can be at most {limit:,} characters long; this has {len(source):,}."
    html = render(source, TextFormat.HTML).strip() if source else ""
    return (html if html_to_text(html).strip() else ""), None


def _count_errors(
    errors: dict[str, list[str]], field_name: str, what: str, required: int, allowed: int, top: int
) -> None:
    if required < 0 or allowed < 0:
        errors.setdefault(field_name, []).append(
            _("%(what)s: numbers cannot be negative.") % {"what": what}
        )
    elif allowed > top:
        errors.setdefault(field_name, []).append(
            _("%(what)s: at most %(top)s allowed.") % {"what": what, "top": top}
        )
    elif required > allowed:
        errors.setdefault(field_name, []).append(
            _(
                "%(what)s: the number required (%(required)s) is more than the number allowed "
                "(%(allowed)s)."
            )
            % {"what": what, "required": required, "allowed": allowed}
        )


def _rule_errors(kind: str, tag_type: str, rule: TagRuleInput) -> list[str]:
    errors: dict[str, list[str]] = {}
    what = type_label(tag_type)
    top = m.TAGS_PER_TYPE_MAX
    _count_errors(
        errors,
        "rules",
        f"{what} tags in requests",
        rule.request_required,
        rule.request_allowed,
        top,
    )
    if kind == ChallengeKind.GIFT_EXCHANGE:
        _count_errors(
            errors, "rules", f"{what} tags in offers", rule.offer_required, rule.offer_allowed, top
        )
        if rule.must_match < 0 or rule.must_match > rule.request_allowed:
            errors.setdefault("rules", []).append(
                _(
                    "%(what)s tags: the number that must match (%(must_match)s) cannot be more "
                    "than the number allowed in a request (%(request_allowed)s)."
                )
                % {
                    "what": what,
                    "must_match": rule.must_match,
                    "request_allowed": rule.request_allowed,
                }
            )
        elif rule.must_match and rule.offer_allowed == 0 and not rule.allow_any:
            errors.setdefault("rules", []).append(
                _("%(what)s tags must match, so offers must be allowed some %(what)s tags.")
                % {"what": what}
            )
    return errors.get("rules", [])


def _cleaned(
    user: User, challenge: Challenge | None, kind: str, data: ChallengeSettings
) -> dict[str, object]:
    """The settings as model values; every problem at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {name: getattr(data, name) for name in _SETTING_FIELDS}
    instructions, problem = _clean_html(data.signup_instructions, limit=m.DESCRIPTION_MAX_LENGTH)
    if problem:
        errors["signup_instructions"] = [
            _("The sign-up instructions %(problem)s") % {"problem": problem}
        ]
    values["signup_instructions"] = instructions
    if data.tag_set is not None:
        keeping = challenge is not None and challenge.tag_set_id == data.tag_set.pk
        if not keeping and not data.tag_set.owners.filter(pk=user.pk).exists():
            errors["tag_set"] = [_("You can only use a tag set you own.")]
    _count_errors(
        errors,
        "requests_allowed",
        _("Prompts") if kind == ChallengeKind.PROMPT_MEME else _("Requests"),
        data.requests_required,
        data.requests_allowed,
        m.PROMPTS_MAX,
    )
    if data.requests_allowed < 1 and "requests_allowed" not in errors:
        errors["requests_allowed"] = [_("A sign-up must be allowed at least one request.")]
    if kind == ChallengeKind.PROMPT_MEME:
        values["offers_required"] = 0
        values["offers_allowed"] = 0
        values["assignments_due_at"] = None
    else:
        _count_errors(
            errors,
            "offers_allowed",
            _("Offers"),
            data.offers_required,
            data.offers_allowed,
            m.PROMPTS_MAX,
        )
        if data.offers_allowed < 1 and "offers_allowed" not in errors:
            errors["offers_allowed"] = [_("A gift exchange sign-up needs at least one offer.")]
    if data.claims_per_prompt < 0:
        errors["claims_per_prompt"] = [_("Claims per prompt cannot be negative.")]
    opens, closes = data.signups_open_at, data.signups_close_at
    if opens is not None and closes is not None and closes <= opens:
        errors["signups_close_at"] = [_("Sign-ups must close after they open.")]
    works, authors = data.works_reveal_at, data.authors_reveal_at
    if works is not None and authors is not None and authors < works:
        errors["authors_reveal_at"] = [_("Creators cannot be revealed before their works.")]
    if authors is not None and works is None:
        errors["works_reveal_at"] = [
            _("Set the works' reveal date too: creators come after works.")
        ]
    due = data.assignments_due_at
    if (
        kind == ChallengeKind.GIFT_EXCHANGE
        and due is not None
        and closes is not None
        and due <= closes
    ):
        errors["assignments_due_at"] = [_("Assignments must be due after sign-ups close.")]
    rule_errors: list[str] = []
    for tag_type, rule in data.rules.items():
        if tag_type not in TAG_TYPE_ORDER:
            rule_errors.append(
                _("There is no tag type called %(tag_type)s.") % {"tag_type": tag_type}
            )
        else:
            rule_errors.extend(_rule_errors(kind, tag_type, rule))
    if rule_errors:
        errors["rules"] = rule_errors
    if errors:
        raise ValidationError(errors)
    return values


def _rules_save(challenge: Challenge, rules: Mapping[str, TagRuleInput]) -> None:
    challenge.tag_rules.exclude(tag_type__in=list(rules)).delete()
    for tag_type, rule in rules.items():
        values = {name: getattr(rule, name) for name in (f.name for f in fields(TagRuleInput))}
        if challenge.kind == ChallengeKind.PROMPT_MEME:
            values.update(offer_required=0, offer_allowed=0, must_match=0)
        TagRule.objects.update_or_create(challenge=challenge, tag_type=tag_type, defaults=values)


@transaction.atomic
def challenge_create(
    *,
    user: User,
    collection: Collection,
    kind: str,
    data: ChallengeSettings | None = None,
    unrevealed_and_anonymous: bool | None = None,
) -> Challenge:
    """Make the collection a gift exchange or a prompt meme (its owners; one per
    collection). A gift exchange's collection is made unrevealed and anonymous unless
    `unrevealed_and_anonymous` is False (AO3's default)."""
    require_active(
        user,
        _("Please log in to set up a challenge."),
        _("A suspended account cannot set up a challenge."),
    )
    if not is_collection_owner(user, collection):
        raise PermissionDenied(
            _("Only the owners of %(title)s can set up a challenge.") % {"title": collection.title}
        )
    if kind not in ChallengeKind.values:
        raise ValidationError({"kind": [_("Choose a gift exchange or a prompt meme.")]})
    if Challenge.objects.filter(collection=collection).exists():
        raise ValidationError(_("%(title)s already has a challenge.") % {"title": collection.title})
    data = data if data is not None else default_settings(kind)
    values = _cleaned(user, None, kind, data)
    challenge = Challenge.objects.create(collection=collection, kind=kind, **values)
    _rules_save(challenge, data.rules)
    if unrevealed_and_anonymous is None:
        unrevealed_and_anonymous = kind == ChallengeKind.GIFT_EXCHANGE
    if unrevealed_and_anonymous and not (collection.unrevealed and collection.anonymous):
        collection_services.collection_update(
            user=user,
            collection=collection,
            data=collection_services.CollectionInput(
                name=collection.name,
                title=collection.title,
                description=collection.description,
                header_text=collection.header_text,
                rules=collection.rules,
                closed=collection.closed,
                moderated=collection.moderated,
                unrevealed=True,
                anonymous=True,
            ),
        )
    if data.works_reveal_at or data.authors_reveal_at:
        reveals_schedule(challenge)
    return challenge


@transaction.atomic
def challenge_update(*, user: User, challenge: Challenge, data: ChallengeSettings) -> Challenge:
    """Edit the settings and tag rules (the collection's owners and moderators)."""
    require_active(
        user,
        _("Please log in to edit a challenge."),
        _("A suspended account cannot edit a challenge."),
    )
    collection = challenge.collection
    if not can_moderate(user, collection):
        raise PermissionDenied(
            _("Only the moderators of %(title)s can edit its challenge.")
            % {"title": collection.title}
        )
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    values = _cleaned(user, challenge, challenge.kind, data)
    reveals_changed = (challenge.works_reveal_at, challenge.authors_reveal_at) != (
        data.works_reveal_at,
        data.authors_reveal_at,
    )
    for name, value in values.items():
        setattr(challenge, name, value)
    challenge.save()
    _rules_save(challenge, data.rules)
    if reveals_changed:
        reveals_schedule(challenge)
    return challenge


@transaction.atomic
def challenge_signups_set_open(*, user: User, challenge: Challenge, is_open: bool) -> Challenge:
    """Open or close sign-ups by the flag alone (moderators)."""
    return challenge_update(
        user=user, challenge=challenge, data=replace(settings_of(challenge), signup_open=is_open)
    )


@transaction.atomic
def challenge_delete(*, user: User, challenge: Challenge) -> None:
    """Remove the challenge and its sign-ups (the collection's owners); the collection stays."""
    collection = challenge.collection
    if not is_collection_owner(user, collection):
        raise PermissionDenied(
            _("Only the owners of %(title)s can delete its challenge.")
            % {"title": collection.title}
        )
    challenge.delete()
