"""Reads of a prompt meme's prompts (the requests of its sign-ups), their claims and fills.

Who may see what: a prompt posted anonymously names its prompter only to the prompter and
the challenge's moderators; in an anonymous collection the claimants are hidden the same
way; a fill shows only as a work the viewer may open (`Work.objects.visible_to`), so an
unrevealed collection's fills stay hidden until its reveal. Pages and the API both read
`prompt_cards`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from fanarchive.challenges.models import (
    Challenge,
    ChallengeKind,
    Claim,
    Prompt,
    PromptRole,
    PromptTag,
)
from fanarchive.collections.models import Collection
from fanarchive.collections.selectors import can_moderate, collection_by_name
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import filter_closure_ids
from fanarchive.works.models import Creatorship, Work
from fanarchive.works.selectors import byline_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import Pseud, User

    AnyUser = User | AnonymousUser

ANONYMOUS = "Anonymous"
SORTS = {"newest": ("-created_at", "-id"), "oldest": ("created_at", "id")}
TAG_FILTER_MAX_LENGTH = 150
TYPE_LABELS = dict(TagType.choices)


@dataclass(frozen=True)
class PromptFilters:
    """The prompt list's filters: a tag by name (any type, its synonyms and subtags too),
    only prompts without a fill, only prompts nobody has claimed; newest or oldest first."""

    tag: str = ""
    unfilled: bool = False
    unclaimed: bool = False
    sort: str = "newest"


@dataclass(frozen=True)
class ClaimCard:
    claim: Claim
    claimant: str  # a byline, or "Anonymous"
    claimant_pseud: Pseud | None  # None when hidden from the viewer
    filled: bool
    mine: bool


@dataclass(frozen=True)
class FillCard:
    work: Work
    byline: str


@dataclass
class PromptCard:
    """A prompt as one viewer may see it."""

    prompt: Prompt
    prompter: str  # a byline, or "Anonymous"
    prompter_pseud: Pseud | None  # None when hidden from the viewer
    tags_by_type: list[tuple[str, list[Tag]]]
    any_types: list[str]
    claims: list[ClaimCard]
    fills: list[FillCard] = field(default_factory=list)
    viewer_claim: Claim | None = None
    claim_refusal: str | None = None  # why the viewer cannot claim it; None: they can

    @property
    def claims_count(self) -> int:
        return len(self.claims)


def prompt_meme_of(collection: Collection) -> Challenge | None:
    return (
        Challenge.objects.filter(collection=collection, kind=ChallengeKind.PROMPT_MEME)
        .select_related("collection")
        .first()
    )


def prompt_meme_or_404(name: str) -> Challenge:
    """The prompt meme run in the collection named `name` (pages and the API)."""
    collection = collection_by_name(name)
    challenge = prompt_meme_of(collection) if collection else None
    if challenge is None:
        raise Http404(_("No such prompt meme."))
    return challenge


def filled_claims_q() -> Exists:
    """A prompt has a filled claim (a work recorded on it)."""
    return Exists(Claim.objects.filter(prompt=OuterRef("pk"), work__isnull=False))


def prompts_of(challenge: Challenge, filters: PromptFilters = PromptFilters()) -> QuerySet[Prompt]:
    """The challenge's prompts under the filters, sorted (not yet loaded for display)."""
    prompts = Prompt.objects.filter(challenge=challenge, role=PromptRole.REQUEST)
    name = " ".join(filters.tag.split())[:TAG_FILTER_MAX_LENGTH]
    if name:
        tag_ids = filter_closure_ids(Tag.objects.filter(name__iexact=name))
        prompts = prompts.filter(
            Exists(PromptTag.objects.filter(prompt=OuterRef("pk"), tag_id__in=tag_ids))
        )
    if filters.unfilled:
        prompts = prompts.filter(~filled_claims_q())
    if filters.unclaimed:
        prompts = prompts.filter(~Exists(Claim.objects.filter(prompt=OuterRef("pk"))))
    return prompts.order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def with_card_data(prompts: QuerySet[Prompt]) -> QuerySet[Prompt]:
    """Prefetch what a prompt card shows, so a page of prompts costs a fixed few queries."""
    return prompts.select_related(
        "challenge__collection", "signup__pseud__user", "signup__user"
    ).prefetch_related(
        Prefetch("prompt_tags", queryset=PromptTag.objects.select_related("tag").order_by("id")),
        Prefetch(
            "claims",
            queryset=Claim.objects.select_related("pseud__user").order_by("created_at", "id"),
        ),
    )


def prompt_by_id(challenge: Challenge, prompt_id: int) -> Prompt | None:
    return (
        with_card_data(Prompt.objects.filter(challenge=challenge, role=PromptRole.REQUEST))
        .filter(pk=prompt_id)
        .first()
    )


def prompt_or_404(challenge: Challenge, prompt_id: int) -> Prompt:
    prompt = prompt_by_id(challenge, prompt_id)
    if prompt is None:
        raise Http404(_("No such prompt."))
    return prompt


def claim_refusal(prompt: Prompt, user: AnyUser, claims: Sequence[Claim]) -> str | None:
    """Why `user` cannot claim `prompt` now (given its claims), or None if they can.

    The one rule, used by the claim service and by the pages' buttons. As on AO3 anyone
    may claim any prompt, their own too, while claims are open and under the limit."""
    challenge = prompt.challenge
    if challenge.kind != ChallengeKind.PROMPT_MEME or prompt.role != PromptRole.REQUEST:
        return _("Only a prompt meme's prompts can be claimed.")
    if not user.is_authenticated:
        return _("Please log in to claim a prompt.")
    if not challenge.claims_open:
        return _("Claims are closed in %(title)s.") % {"title": challenge.collection.title}
    if any(claim.user_id == user.pk for claim in claims):
        return _("You have already claimed this prompt.")
    limit = challenge.claims_per_prompt
    if limit and len(claims) >= limit:
        noun = "claim" if limit == 1 else "claims"
        return _("This prompt has reached its limit of %(limit)s %(noun)s.") % {
            "limit": limit,
            "noun": noun,
        }
    return None


def sees_prompters(user: AnyUser, challenge: Challenge) -> bool:
    """The challenge's moderators see every prompter and claimant."""
    return can_moderate(user, challenge.collection)


def _prompter(prompt: Prompt, viewer: AnyUser, moderator: bool) -> tuple[str, Pseud | None]:
    pseud = prompt.signup.pseud
    if prompt.anonymous and not moderator and prompt.signup.user_id != viewer.pk:
        return ANONYMOUS, None
    return pseud.byline, pseud


def _claimant(claim: Claim, viewer: AnyUser, moderator: bool, hidden: bool) -> ClaimCard:
    shown = not hidden or moderator or claim.user_id == viewer.pk
    return ClaimCard(
        claim=claim,
        claimant=claim.pseud.byline if shown else ANONYMOUS,
        claimant_pseud=claim.pseud if shown else None,
        filled=claim.work_id is not None,
        mine=viewer.is_authenticated and claim.user_id == viewer.pk,
    )


def _tags_by_type(prompt: Prompt) -> list[tuple[str, list[Tag]]]:
    tags = [entry.tag for entry in prompt.prompt_tags.all()]
    grouped = []
    for value, label in TagType.choices:
        of_type = sorted((t for t in tags if t.type == value), key=lambda t: t.name.lower())
        if of_type:
            grouped.append((str(label), of_type))
    return grouped


def _visible_fills(work_ids: set[int], viewer: AnyUser) -> dict[int, Work]:
    """The fills' works the viewer may open, with what their bylines need."""
    if not work_ids:
        return {}
    works = (
        Work.objects.visible_to(viewer)
        .filter(pk__in=work_ids)
        .prefetch_related(
            Prefetch(
                "creatorships",
                queryset=Creatorship.objects.select_related("pseud__user").order_by(
                    "position", "id"
                ),
            )
        )
    )
    return {work.pk: work for work in works}


def prompt_cards(
    challenge: Challenge, prompts: Sequence[Prompt], viewer: AnyUser
) -> list[PromptCard]:
    """The prompts (loaded by `with_card_data`) as `viewer` may see them."""
    moderator = sees_prompters(viewer, challenge)
    hidden_claimants = challenge.collection.anonymous
    claims_of = {prompt.pk: list(prompt.claims.all()) for prompt in prompts}
    fill_ids = {c.work_id for claims in claims_of.values() for c in claims if c.work_id}
    visible = _visible_fills(fill_ids, viewer)
    cards = []
    for prompt in prompts:
        claims = claims_of[prompt.pk]
        prompter, prompter_pseud = _prompter(prompt, viewer, moderator)
        fills = [
            FillCard(work=visible[c.work_id], byline=byline_for(visible[c.work_id], viewer).text)
            for c in claims
            if c.work_id in visible
        ]
        cards.append(
            PromptCard(
                prompt=prompt,
                prompter=prompter,
                prompter_pseud=prompter_pseud,
                tags_by_type=_tags_by_type(prompt),
                any_types=[str(TYPE_LABELS[t]) for t in prompt.any_types if t in TYPE_LABELS],
                claims=[_claimant(c, viewer, moderator, hidden_claimants) for c in claims],
                fills=fills,
                viewer_claim=next((c for c in claims if c.user_id == viewer.pk), None)
                if viewer.is_authenticated
                else None,
                claim_refusal=claim_refusal(prompt, viewer, claims),
            )
        )
    return cards


def claims_of_user(user: User) -> QuerySet[Claim]:
    """One's own claims, newest first, with their prompts and challenges."""
    return (
        Claim.objects.filter(user=user)
        .select_related("prompt__signup__pseud__user", "challenge__collection", "work")
        .prefetch_related("prompt__tags")
        .order_by("-created_at", "-id")
    )


def fillable_works(user: User) -> QuerySet[Work]:
    """The posted works of `user`'s that can fill a claim, newest first."""
    return (
        Work.objects.filter(posted=True, creatorships__pseud__user=user)
        .distinct()
        .order_by("-created_at", "-id")
    )
