"""Makers for the challenges tests.

`make_challenge` builds the collection through the collections services; the tag set,
rules, sign-ups and prompts are written as rows so that each part's tests can start from
a given state (the sign-up services have their own tests, through their checks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fanarchive.accounts.models import User
from fanarchive.challenges.models import (
    Challenge,
    ChallengeKind,
    Prompt,
    PromptRole,
    PromptTag,
    SignUp,
    TagRule,
    TagSet,
    TagSetTag,
)
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create

# A prompt as tag type -> tag names; the key "any" lists the types it marks "any".
PromptTags = Mapping[str, Sequence[str]]

FANDOMS = ("Harbour Tales", "Lantern Road", "The Clockmakers", "Saltmarsh Choir")
CHARACTERS = ("Mira Vale", "Tobin Reed", "Ada Lark", "Wren Hollis", "Juno Ash")


def make_tag_set(owner: User, tags: Mapping[str, Sequence[str]] | None = None) -> TagSet:
    """A tag set owned by `owner` with `tags` (type -> names; default: FANDOMS, CHARACTERS)."""
    tags = tags if tags is not None else {TagType.FANDOM: FANDOMS, TagType.CHARACTER: CHARACTERS}
    tag_set = TagSet.objects.create(title=f"Tags of {owner.username}")
    tag_set.owners.add(owner)
    for tag_type, names in tags.items():
        for tag in tags_find_or_create(tag_type=tag_type, names=names):
            TagSetTag.objects.create(tag_set=tag_set, tag=tag)
    return tag_set


def make_challenge(
    owner: User,
    kind: str = ChallengeKind.GIFT_EXCHANGE,
    *,
    rules: Mapping[str, Mapping[str, Any]] | None = None,
    collection_fields: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Challenge:
    """An open challenge in a new collection of `owner`'s, with a tag set.

    Default rules: one fandom required in requests and offers, which must match; up to two
    characters, optional. A gift exchange's collection is unrevealed and anonymous."""
    collection_defaults: dict[str, Any] = {}
    if kind == ChallengeKind.GIFT_EXCHANGE:
        collection_defaults = {"unrevealed": True, "anonymous": True}
    collection_defaults.update(collection_fields or {})
    collection = make_collection(owner, **collection_defaults)
    fields.setdefault("tag_set", make_tag_set(owner))
    fields.setdefault("signup_open", True)
    if kind == ChallengeKind.PROMPT_MEME:
        fields.setdefault("offers_required", 0)
        fields.setdefault("offers_allowed", 0)
    challenge = Challenge.objects.create(collection=collection, kind=kind, **fields)
    rules = (
        rules
        if rules is not None
        else {
            TagType.FANDOM: {
                "request_required": 1,
                "request_allowed": 1,
                "offer_required": 1,
                "offer_allowed": 1,
                "must_match": 1,
            },
            TagType.CHARACTER: {"request_allowed": 2, "offer_allowed": 2},
        }
    )
    for tag_type, values in rules.items():
        TagRule.objects.create(challenge=challenge, tag_type=tag_type, **values)
    return challenge


def _tags(values: PromptTags) -> list[Tag]:
    found: list[Tag] = []
    for tag_type, names in values.items():
        if tag_type != "any":
            found.extend(tags_find_or_create(tag_type=tag_type, names=names))
    return found


def make_signup(
    user: User,
    challenge: Challenge,
    *,
    requests: Sequence[PromptTags] = (),
    offers: Sequence[PromptTags] = (),
    anonymous: bool = False,
) -> SignUp:
    """`user`'s sign-up with these requests (a prompt meme's prompts) and offers."""
    signup = SignUp.objects.create(challenge=challenge, user=user, pseud=user.default_pseud)
    for role, wishes in ((PromptRole.REQUEST, requests), (PromptRole.OFFER, offers)):
        for position, values in enumerate(wishes):
            prompt = Prompt.objects.create(
                signup=signup,
                challenge=challenge,
                role=role,
                position=position,
                title=f"{role.label} {position + 1} of {user.username}",
                anonymous=anonymous,
                any_types=list(values.get("any", ())),
            )
            PromptTag.objects.bulk_create(
                PromptTag(prompt=prompt, tag=tag) for tag in _tags(values)
            )
    return signup
