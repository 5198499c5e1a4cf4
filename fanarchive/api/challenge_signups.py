"""/api/v1: challenges, tag sets and sign-ups.

Anyone reads a challenge's settings, rules and sign-up window, and a tag set with its
tags. With an account: one's own sign-up (GET), and with a read-write token creating or
replacing it (PUT) and withdrawing it (DELETE), through the sign-up services with all
their checks and messages; nominating tags for a tag set. The collection's moderators
list every sign-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fanarchive.api.auth import ACCOUNT, GUEST, WRITE, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count, Id
from fanarchive.challenges import (
    setup_selectors,
    setup_services,
    signup_selectors,
    signup_services,
    tag_set_selectors,
    tag_set_services,
)
from fanarchive.challenges.models import Challenge, Prompt, SignUp, TagSet
from fanarchive.collections.selectors import can_moderate

router = Router(tags=["challenges"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422, 429)


class TagOut(Schema):
    type: str
    name: str


class TagRuleOut(Schema):
    tag_type: str
    request_required: int
    request_allowed: int
    offer_required: int
    offer_allowed: int
    allow_any: bool
    must_match: int
    restrict_to_tag_set: bool


class TagSetRefOut(Schema):
    id: int
    title: str


class ChallengeOut(Schema):
    collection: str
    title: str
    kind: str = Field(description="gift_exchange or prompt_meme")
    tag_set: TagSetRefOut | None
    signup_instructions: str = Field(description="Sanitised HTML")
    signups_open_now: bool
    signup_window: str = Field(description="In words: open until when, or why not")
    signup_open: bool
    signups_open_at: datetime | None
    signups_close_at: datetime | None
    requests_required: int
    requests_allowed: int
    offers_required: int
    offers_allowed: int
    assignments_due_at: datetime | None
    anonymous_prompts_allowed: bool
    claims_open: bool
    claims_per_prompt: int = Field(description="0: any number")
    works_reveal_at: datetime | None
    authors_reveal_at: datetime | None
    rules: list[TagRuleOut]


class TagSetOut(Schema):
    id: int
    title: str
    description: str = Field(description="Sanitised HTML")
    owners: list[str]
    nominations_open: bool
    nomination_limits: dict[str, int]
    tags: list[TagOut]


class PromptOut(Schema):
    id: int
    role: str = Field(description="request or offer (a prompt meme's prompts are requests)")
    position: int
    title: str
    description: str = Field(description="Sanitised HTML")
    url: str
    anonymous: bool
    tags: list[TagOut]
    any_types: list[str]


class SignupOut(Schema):
    id: int
    collection: str
    username: str
    pseud: str
    created_at: datetime
    updated_at: datetime
    requests: list[PromptOut]
    offers: list[PromptOut]


class SignupPageOut(Schema):
    items: list[SignupOut]
    next: str | None


class PromptIn(Schema):
    title: str = ""
    description: str = Field("", description="HTML; sanitised")
    url: str = ""
    tags: dict[str, list[str]] = Field(
        default_factory=dict, description="Tag type (fandom, character, ...) -> names"
    )
    any_types: list[str] = Field(default_factory=list, description='Types marked "any"')
    anonymous: bool = False


class SignupIn(Schema):
    pseud: str | None = Field(None, description="One of your pseuds by name; default: yours")
    requests: list[PromptIn] = Field(default_factory=list)
    offers: list[PromptIn] = Field(default_factory=list)


class NominationIn(Schema):
    tag_type: str
    names: list[str]


class NominationOut(Schema):
    id: int
    tag_type: str
    name: str
    status: str


def _challenge(name: str) -> Challenge:
    challenge = setup_selectors.challenge_by_name(name)
    if challenge is None:
        raise Http404(_("This collection has no challenge."))
    return challenge


def _challenge_out(challenge: Challenge) -> dict[str, Any]:
    window = setup_selectors.signup_window(challenge)
    tag_set = challenge.tag_set
    fields = [name for name in setup_services.SETTING_NAMES if name != "tag_set"]
    return {
        "collection": challenge.collection.name,
        "title": challenge.collection.title,
        "kind": challenge.kind,
        "tag_set": {"id": tag_set.pk, "title": tag_set.title} if tag_set else None,
        "signups_open_now": window.is_open,
        "signup_window": window.message,
        **{name: getattr(challenge, name) for name in fields},
        "rules": [
            {
                "tag_type": rule.tag_type,
                "request_required": rule.request_required,
                "request_allowed": rule.request_allowed,
                "offer_required": rule.offer_required,
                "offer_allowed": rule.offer_allowed,
                "allow_any": rule.allow_any,
                "must_match": rule.must_match,
                "restrict_to_tag_set": rule.restrict_to_tag_set,
            }
            for rule in setup_selectors.tag_rules(challenge)
        ],
    }


def _prompt_out(prompt: Prompt) -> dict[str, Any]:
    return {
        "id": prompt.pk,
        "role": prompt.role,
        "position": prompt.position,
        "title": prompt.title,
        "description": prompt.description,
        "url": prompt.url,
        "anonymous": prompt.anonymous,
        "tags": [{"type": t.type, "name": t.name} for t in prompt.tags.all()],
        "any_types": list(prompt.any_types),
    }


def _signup_out(signup: SignUp) -> dict[str, Any]:
    by_role = signup_selectors.prompts_by_role(signup)
    return {
        "id": signup.pk,
        "collection": signup.challenge.collection.name,
        "username": signup.user.username,
        "pseud": signup.pseud.name,
        "created_at": signup.created_at,
        "updated_at": signup.updated_at,
        "requests": [_prompt_out(p) for p in by_role.get("request", [])],
        "offers": [_prompt_out(p) for p in by_role.get("offer", [])],
    }


@router.get(
    "/challenges/{name}",
    response={200: ChallengeOut, **READ_ERRORS},
    auth=GUEST,
    summary="A collection's challenge: its kind, settings, tag rules and sign-up window",
)
def challenge_detail(request: HttpRequest, name: str) -> dict[str, Any]:
    return _challenge_out(_challenge(name))


def _tag_set(tag_set_id: int) -> TagSet:
    tag_set = TagSet.objects.filter(pk=tag_set_id).first()
    if tag_set is None:
        raise Http404(_("No such tag set."))
    return tag_set


@router.get(
    "/tag-sets/{tag_set_id}",
    response={200: TagSetOut, **READ_ERRORS},
    auth=GUEST,
    summary="A tag set with its tags",
)
def tag_set_detail(request: HttpRequest, tag_set_id: Id) -> dict[str, Any]:
    tag_set = _tag_set(tag_set_id)
    tags = tag_set_selectors.tag_set_tags_by_type(tag_set)
    return {
        "id": tag_set.pk,
        "title": tag_set.title,
        "description": tag_set.description,
        "owners": list(tag_set.owners.order_by("username").values_list("username", flat=True)),
        "nominations_open": tag_set.nominations_open,
        "nomination_limits": {
            t: tag_set_selectors.nomination_limit(tag_set, t)
            for t in tag_set_selectors.NOMINATION_LIMIT_FIELDS
        },
        "tags": [{"type": t.type, "name": t.name} for group in tags.values() for t in group],
    }


@router.post(
    "/tag-sets/{tag_set_id}/nominations",
    response={201: list[NominationOut], **WRITE_ERRORS},
    auth=WRITE,
    summary="Nominate tags of one type for a tag set (while nominations are open)",
)
def tag_set_nominate(
    request: HttpRequest, tag_set_id: Id, payload: NominationIn
) -> Status[list[dict[str, Any]]]:
    caller = caller_of(request)
    made = tag_set_services.tag_nominations_add(
        user=caller.account,
        tag_set=_tag_set(tag_set_id),
        tag_type=payload.tag_type,
        names=payload.names,
    )
    return Status(
        201,
        [{"id": n.pk, "tag_type": n.tag_type, "name": n.name, "status": n.status} for n in made],
    )


@router.get(
    "/challenges/{name}/signup",
    response={200: SignupOut, **READ_ERRORS},
    auth=ACCOUNT,
    summary="Your sign-up for the challenge (404 when you have not signed up)",
)
def signup_own(request: HttpRequest, name: str) -> dict[str, Any]:
    caller = caller_of(request)
    signup = signup_selectors.signup_of(caller.account, _challenge(name))
    if signup is None:
        raise Http404(_("You have not signed up for this challenge."))
    return _signup_out(signup)


def _prompts(items: list[PromptIn]) -> list[signup_services.PromptInput]:
    return [
        signup_services.PromptInput(
            title=p.title,
            description=p.description,
            url=p.url,
            tags=p.tags,
            any_types=p.any_types,
            anonymous=p.anonymous,
        )
        for p in items
    ]


@router.put(
    "/challenges/{name}/signup",
    response={200: SignupOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Sign up, or replace your sign-up, while sign-ups are open",
)
def signup_save(request: HttpRequest, name: str, payload: SignupIn) -> dict[str, Any]:
    caller = caller_of(request)
    user = caller.account
    challenge = _challenge(name)
    pseud = None
    if payload.pseud:
        pseud = user.pseuds.filter(name__iexact=payload.pseud.strip()).first()
        if pseud is None:
            raise Http404(_("You have no pseud named %(name)s.") % {"name": payload.pseud[:100]})
    signup_services.signup_save(
        user=user,
        challenge=challenge,
        requests=_prompts(payload.requests),
        offers=_prompts(payload.offers),
        pseud=pseud,
    )
    saved = signup_selectors.signup_of(user, challenge)
    if saved is None:  # just saved in this request
        raise Http404(_("The sign-up was not found."))
    return _signup_out(saved)


@router.delete(
    "/challenges/{name}/signup",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Withdraw your sign-up while sign-ups are open",
)
def signup_withdraw(request: HttpRequest, name: str) -> Status[None]:
    caller = caller_of(request)
    signup = signup_selectors.signup_of(caller.account, _challenge(name))
    if signup is None:
        raise Http404(_("You have not signed up for this challenge."))
    signup_services.signup_withdraw(user=caller.account, signup=signup)
    return Status(204, None)


@router.get(
    "/challenges/{name}/signups",
    response={200: SignupPageOut, **READ_ERRORS},
    auth=ACCOUNT,
    summary="Every sign-up, newest first (the collection's moderators)",
)
def signup_list(
    request: HttpRequest, name: str, cursor: str | None = None, limit: Count | None = None
) -> dict[str, Any]:
    caller = caller_of(request)
    challenge = _challenge(name)
    if not can_moderate(caller.account, challenge.collection):
        raise PermissionDenied(
            _("Only the moderators of %(collection)s can list its sign-ups.")
            % {"collection": challenge.collection.title}
        )
    rows, next_cursor = keyset_page(
        signup_selectors.signups_for_moderators(challenge),
        cursor=cursor,
        limit=page_size(limit),
        field="created_at",
    )
    return {"items": [_signup_out(s) for s in rows], "next": next_cursor}
