"""Reads about sign-ups: one's own, every one for the moderators (prompts and tags
fetched in a fixed number of queries), and the summary of requests and offers per fandom."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from fanarchive.challenges.models import Challenge, Prompt, PromptRole, PromptTag, SignUp
from fanarchive.challenges.prompt_rules import TAG_TYPE_ORDER
from fanarchive.tags.models import Tag, TagType

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser


def _with_prompts(signups: QuerySet[SignUp]) -> QuerySet[SignUp]:
    prompts = Prompt.objects.order_by("role", "position", "pk").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("type", "name"))
    )
    return signups.select_related("user", "pseud", "challenge__collection").prefetch_related(
        Prefetch("prompts", queryset=prompts)
    )


def signup_of(user: AnyUser, challenge: Challenge) -> SignUp | None:
    """`user`'s sign-up for the challenge with its prompts and their tags, or None."""
    if not user.is_authenticated:
        return None
    return _with_prompts(SignUp.objects.filter(challenge=challenge, user=user)).first()


def signup_in(challenge: Challenge, signup_id: int) -> SignUp | None:
    return _with_prompts(SignUp.objects.filter(challenge=challenge, pk=signup_id)).first()


def signups_for_moderators(challenge: Challenge) -> QuerySet[SignUp]:
    """Every sign-up, oldest first, with prompts and tags prefetched (four queries
    however many there are)."""
    return _with_prompts(SignUp.objects.filter(challenge=challenge)).order_by("created_at", "pk")


def prompts_by_role(signup: SignUp) -> dict[str, list[Prompt]]:
    """The (prefetched) prompts of a sign-up, requests then offers."""
    grouped: dict[str, list[Prompt]] = {PromptRole.REQUEST: [], PromptRole.OFFER: []}
    for prompt in signup.prompts.all():
        grouped.setdefault(prompt.role, []).append(prompt)
    return grouped


def prompt_tags_by_type(prompt: Prompt) -> dict[str, list[Tag]]:
    """A (prefetched) prompt's tags by type, in the usual order of types."""
    grouped: dict[str, list[Tag]] = {}
    for tag in prompt.tags.all():
        grouped.setdefault(tag.type, []).append(tag)
    return {t: grouped[t] for t in TAG_TYPE_ORDER if t in grouped}


@dataclass(frozen=True)
class SummaryRow:
    tag: Tag
    requests: int
    offers: int


def signup_summary(challenge: Challenge) -> list[SummaryRow]:
    """AO3's sign-up summary: for each fandom tag used, how many requests and offers name
    it; the most requested first. Prompts marked "any" fandom are not counted."""
    counts = (
        PromptTag.objects.filter(prompt__challenge=challenge, tag__type=TagType.FANDOM)
        .values("tag_id")
        .annotate(
            requests=Count("prompt", filter=Q(prompt__role=PromptRole.REQUEST), distinct=True),
            offers=Count("prompt", filter=Q(prompt__role=PromptRole.OFFER), distinct=True),
        )
    )
    by_id = {row["tag_id"]: row for row in counts}
    tags = Tag.objects.filter(pk__in=list(by_id))
    rows = [
        SummaryRow(tag=t, requests=by_id[t.pk]["requests"], offers=by_id[t.pk]["offers"])
        for t in tags
    ]
    return sorted(rows, key=lambda r: (-r.requests, -r.offers, r.tag.name.lower()))


def signup_count(challenge: Challenge) -> int:
    return SignUp.objects.filter(challenge=challenge).count()
