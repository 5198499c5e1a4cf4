"""/api/v1/challenges/{name}/prompts: a prompt meme's prompts with their claims and
fills (filters as on the pages), and, with a read-write token, claiming a prompt,
dropping one's claim and filling it with one's work.

What a caller sees is `challenges.prompt_selectors.prompt_cards`, as on the pages: an
anonymous prompt's prompter is "Anonymous" (with no username) to everyone but the
prompter and the challenge's moderators; fills are only works the caller may open.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fanarchive.api.auth import GUEST, WRITE, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count, Id
from fanarchive.challenges import claim_services
from fanarchive.challenges import prompt_selectors as selectors
from fanarchive.challenges.models import Claim
from fanarchive.works import selectors as works

router = Router(tags=["challenges"])

READ_ERRORS = problem_responses(401, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422, 429)


class PromptTagOut(Schema):
    name: str
    type: str


class PromptClaimOut(Schema):
    id: int
    claimant: str = Field(description='A byline, or "Anonymous" when hidden from the caller')
    claimant_username: str | None
    filled: bool
    created_at: datetime


class PromptFillOut(Schema):
    work_id: int
    title: str
    byline: str


class PromptOut(Schema):
    id: int
    title: str
    description: str = Field(description="Sanitised HTML")
    url: str
    anonymous: bool
    prompter: str = Field(description='A byline, or "Anonymous" when hidden from the caller')
    prompter_username: str | None
    tags: list[PromptTagOut]
    any_types: list[str] = Field(description='Tag types for which the prompt says "any"')
    claims_count: int
    claims: list[PromptClaimOut]
    fills: list[PromptFillOut] = Field(description="Only works the caller may open")
    created_at: datetime


class PromptPageOut(Schema):
    items: list[PromptOut]
    next: str | None


class ClaimOut(Schema):
    id: int
    prompt_id: int
    collection: str
    work_id: int | None
    filled_at: datetime | None
    created_at: datetime


class FillIn(Schema):
    work_id: Id


def prompt_out(card: selectors.PromptCard) -> dict[str, Any]:
    prompt = card.prompt
    return {
        "id": prompt.pk,
        "title": prompt.title,
        "description": prompt.description,
        "url": prompt.url,
        "anonymous": prompt.anonymous,
        "prompter": card.prompter,
        "prompter_username": card.prompter_pseud.user.username if card.prompter_pseud else None,
        "tags": [
            {"name": tag.name, "type": tag.type}
            for _label, tags in card.tags_by_type
            for tag in tags
        ],
        "any_types": list(prompt.any_types),
        "claims_count": card.claims_count,
        "claims": [
            {
                "id": row.claim.pk,
                "claimant": row.claimant,
                "claimant_username": row.claimant_pseud.user.username
                if row.claimant_pseud
                else None,
                "filled": row.filled,
                "created_at": row.claim.created_at,
            }
            for row in card.claims
        ],
        "fills": [
            {"work_id": fill.work.pk, "title": fill.work.title, "byline": fill.byline}
            for fill in card.fills
        ],
        "created_at": prompt.created_at,
    }


def claim_out(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "prompt_id": claim.prompt_id,
        "collection": claim.challenge.collection.name,
        "work_id": claim.work_id,
        "filled_at": claim.filled_at,
        "created_at": claim.created_at,
    }


@router.get(
    "/challenges/{name}/prompts",
    response={200: PromptPageOut, **READ_ERRORS},
    auth=GUEST,
    summary="A prompt meme's prompts, newest first; filter by tag (any type, synonyms "
    "too), unfilled, unclaimed",
)
def prompt_list(
    request: HttpRequest,
    name: str,
    tag: str = "",
    unfilled: bool = False,
    unclaimed: bool = False,
    cursor: str | None = None,
    limit: Count | None = None,
) -> dict[str, Any]:
    caller = caller_of(request)
    challenge = selectors.prompt_meme_or_404(name)
    filters = selectors.PromptFilters(tag=tag, unfilled=unfilled, unclaimed=unclaimed)
    rows, next_cursor = keyset_page(
        selectors.with_card_data(selectors.prompts_of(challenge, filters)),
        cursor=cursor,
        limit=page_size(limit),
        field="created_at",
    )
    cards = selectors.prompt_cards(challenge, rows, caller.user)
    return {"items": [prompt_out(card) for card in cards], "next": next_cursor}


@router.get(
    "/challenges/{name}/prompts/{prompt_id}",
    response={200: PromptOut, **READ_ERRORS},
    auth=GUEST,
    summary="A prompt with its claims and the fills the caller may see",
)
def prompt_detail(request: HttpRequest, name: str, prompt_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    challenge = selectors.prompt_meme_or_404(name)
    [card] = selectors.prompt_cards(
        challenge, [selectors.prompt_or_404(challenge, prompt_id)], caller.user
    )
    return prompt_out(card)


@router.post(
    "/challenges/{name}/prompts/{prompt_id}/claim",
    response={201: ClaimOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Claim the prompt (while claims are open and under the per-prompt limit)",
)
def prompt_claim(request: HttpRequest, name: str, prompt_id: Id) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    prompt = selectors.prompt_or_404(selectors.prompt_meme_or_404(name), prompt_id)
    claim = claim_services.prompt_claim(user=caller.account, prompt=prompt)
    return Status(201, claim_out(claim))


def _own_claim(request: HttpRequest, name: str, prompt_id: int) -> tuple[Any, Claim]:
    caller = caller_of(request)
    prompt = selectors.prompt_or_404(selectors.prompt_meme_or_404(name), prompt_id)
    claim = (
        Claim.objects.select_related("challenge__collection")
        .filter(prompt=prompt, user=caller.account)
        .first()
    )
    if claim is None:
        raise Http404(_("You have no claim on this prompt."))
    return caller, claim


@router.delete(
    "/challenges/{name}/prompts/{prompt_id}/claim",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Drop your claim on the prompt (not once it is filled)",
)
def claim_drop(request: HttpRequest, name: str, prompt_id: Id) -> Status[None]:
    caller, claim = _own_claim(request, name, prompt_id)
    claim_services.claim_drop(user=caller.account, claim=claim)
    return Status(204, None)


@router.post(
    "/challenges/{name}/prompts/{prompt_id}/claim/fill",
    response={200: ClaimOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Fill your claim with your posted work: it joins the collection and, unless "
    "the prompt is anonymous, becomes a gift to the prompter",
)
def claim_fill(request: HttpRequest, name: str, prompt_id: Id, payload: FillIn) -> dict[str, Any]:
    caller, claim = _own_claim(request, name, prompt_id)
    work = works.access_work(caller.account, payload.work_id)
    return claim_out(claim_services.claim_fill(user=caller.account, claim=claim, work=work))
