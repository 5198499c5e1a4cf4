"""Reads about a gift exchange's matching and assignments: the engine's input from the
sign-ups (in a few bulk queries), the drafts and sent assignments with what the pages
show, where each assignment stands, who may see it, and one's own assignments.

Who writes an assignment now: its pinch hitter when it has one, otherwise its giver as
long as they have not defaulted (`current_writer`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.challenges import matching
from fanarchive.challenges.models import (
    Assignment,
    Challenge,
    MatchRun,
    Prompt,
    PromptRole,
    PromptTag,
    SignUp,
)
from fanarchive.collections.selectors import can_moderate
from fanarchive.works.models import Work

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser


# -- the engine's input ----------------------------------------------------------------


@dataclass
class ExchangeInput:
    """The sign-ups as the matching engine takes them, and the prompt ids behind its
    request/offer indexes (the engine names the n-th request of a participant)."""

    participants: list[matching.Participant]
    rules: matching.MatchRules
    tag_names: dict[matching.Tag, str]
    request_ids: dict[int, list[int]] = field(default_factory=dict)  # signup -> prompt ids
    offer_ids: dict[int, list[int]] = field(default_factory=dict)


def exchange_input(challenge: Challenge) -> ExchangeInput:
    """Every sign-up of the challenge with its requests and offers: three queries whatever
    the number of sign-ups (5,000 sign-ups read in about a second)."""
    signups = list(
        SignUp.objects.filter(challenge=challenge)
        .order_by("pk")
        .values_list("pk", "pseud__name", "user__username")
    )
    prompts = list(
        Prompt.objects.filter(challenge=challenge)
        .order_by("signup_id", "role", "position", "pk")
        .values_list("pk", "signup_id", "role", "any_types")
    )
    tags_of: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    tag_names: dict[matching.Tag, str] = {}
    for prompt_id, tag_id, tag_type, name in PromptTag.objects.filter(
        prompt__challenge=challenge
    ).values_list("prompt_id", "tag_id", "tag__type", "tag__name"):
        tags_of[prompt_id].append((tag_id, tag_type, name))
        tag_names[tag_id] = name
    wishes: dict[tuple[int, str], list[matching.Wish]] = defaultdict(list)
    request_ids: dict[int, list[int]] = defaultdict(list)
    offer_ids: dict[int, list[int]] = defaultdict(list)
    for prompt_id, signup_id, role, any_types in prompts:
        by_type: dict[str, set[matching.Tag]] = defaultdict(set)
        for tag_id, tag_type, _tag_name in tags_of.get(prompt_id, ()):
            by_type[tag_type].add(tag_id)
        wishes[(signup_id, role)].append(
            matching.Wish(
                tags={t: frozenset(ids) for t, ids in by_type.items()},
                any_types=frozenset(any_types or ()),
            )
        )
        (request_ids if role == PromptRole.REQUEST else offer_ids)[signup_id].append(prompt_id)
    participants = [
        matching.Participant(
            key=signup_id,
            name=_name(pseud_name, username),
            requests=tuple(wishes.get((signup_id, PromptRole.REQUEST), ())),
            offers=tuple(wishes.get((signup_id, PromptRole.OFFER), ())),
        )
        for signup_id, pseud_name, username in signups
    ]
    rules = matching.MatchRules(
        must_match=dict(challenge.tag_rules.values_list("tag_type", "must_match"))
    )
    return ExchangeInput(participants, rules, tag_names, dict(request_ids), dict(offer_ids))


def _name(pseud_name: str, username: str) -> str:
    """A pseud's byline (as `Pseud.byline`), from the two names."""
    return pseud_name if pseud_name == username else f"{pseud_name} ({username})"


@dataclass(frozen=True)
class PairCheck:
    """Whether a giver can write for a recipient under the exchange's rules, and with
    which of the recipient's requests and the giver's offers (prompt ids) at what quality."""

    allowed: bool
    request_id: int | None
    offer_id: int | None
    quality: int


def pair_check(data: ExchangeInput, giver_id: int, recipient_id: int) -> PairCheck:
    """The engine's verdict on one pair (`matching.potential_recipients`): the best
    request/offer when the rules allow it, else the first of each (for a forced pair)."""
    found = next(
        (
            a
            for a in matching.potential_recipients(data.participants, data.rules, giver_id)
            if a.recipient_key == recipient_id
        ),
        None,
    )
    requests = data.request_ids.get(recipient_id, [])
    offers = data.offer_ids.get(giver_id, [])
    if found is None:
        return PairCheck(False, requests[0] if requests else None, offers[0] if offers else None, 0)
    return PairCheck(True, requests[found.request_index], offers[found.offer_index], found.quality)


# -- the moderators' pages -------------------------------------------------------------


def _with_details(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    tags = PromptTag.objects.select_related("tag")
    return assignments.select_related(
        "challenge__collection",
        "giver__pseud",
        "giver__user",
        "recipient__pseud",
        "recipient__user",
        "request",
        "offer",
        "pinch_hitter",
        "work",
    ).prefetch_related(
        Prefetch("request__prompt_tags", queryset=tags),
        Prefetch("offer__prompt_tags", queryset=tags),
    )


def draft_assignments(challenge: Challenge) -> QuerySet[Assignment]:
    """The potential assignments the moderators review, worst match first."""
    return _with_details(challenge.assignments.filter(sent_at__isnull=True)).order_by(
        "quality", "pk"
    )


def sent_assignments(challenge: Challenge) -> QuerySet[Assignment]:
    return _with_details(challenge.assignments.filter(sent_at__isnull=False)).order_by("pk")


def match_run(challenge: Challenge) -> MatchRun | None:
    return MatchRun.objects.filter(challenge=challenge).first()


def matching_running(challenge: Challenge) -> bool:
    run = match_run(challenge)
    return run is not None and run.report.get("state") == "running"


def signups_for_choice(challenge: Challenge) -> QuerySet[SignUp]:
    """Every sign-up, for the adjust form's choices."""
    return SignUp.objects.filter(challenge=challenge).select_related("pseud", "user")


@dataclass(frozen=True)
class Unmatched:
    signup: SignUp
    reasons: list[str]


@dataclass(frozen=True)
class DraftReview:
    """Who is left out of the current drafts (after any adjustment), with the engine's
    reasons when the last generation left them out too."""

    without_recipient: list[Unmatched]
    without_giver: list[Unmatched]


def draft_review(challenge: Challenge) -> DraftReview:
    signups = list(signups_for_choice(challenge))
    live = challenge.assignments.filter(Q(sent_at__isnull=True) | _live_q())
    giving = set(live.exclude(giver=None).values_list("giver_id", flat=True))
    receiving = set(live.values_list("recipient_id", flat=True))
    run = match_run(challenge)
    report = run.report if run is not None else {}

    def reasons(kind: str) -> dict[int, list[str]]:
        return {row["signup"]: list(row["reasons"]) for row in report.get(kind, [])}

    giver_reasons = reasons("unmatched_givers")
    recipient_reasons = reasons("unmatched_recipients")
    return DraftReview(
        without_recipient=[
            Unmatched(s, giver_reasons.get(s.pk, [_("Changed by hand since matching.")]))
            for s in signups
            if s.pk not in giving
        ],
        without_giver=[
            Unmatched(s, recipient_reasons.get(s.pk, [_("Changed by hand since matching.")]))
            for s in signups
            if s.pk not in receiving
        ],
    )


# -- where an assignment stands --------------------------------------------------------


def _live_q() -> Q:
    """The constraint's "live": not defaulted, or taken by a pinch hitter."""
    return Q(defaulted_at__isnull=True) | Q(pinch_hitter__isnull=False)


def current_writer(assignment: Assignment) -> User | None:
    """Who writes it now: the pinch hitter, else the giver unless they defaulted."""
    if assignment.pinch_hitter is not None:
        return assignment.pinch_hitter
    if assignment.defaulted_at is None and assignment.giver is not None:
        return assignment.giver.user
    return None


def due_at(assignment: Assignment) -> dt.datetime | None:
    return assignment.challenge.assignments_due_at


def is_overdue(assignment: Assignment, now: dt.datetime | None = None) -> bool:
    """Sent, not fulfilled, and past the exchange's due date."""
    due = due_at(assignment)
    now = now or timezone.now()
    return (
        assignment.sent_at is not None
        and assignment.fulfilled_at is None
        and due is not None
        and due < now
    )


def status_of(assignment: Assignment, now: dt.datetime | None = None) -> str:
    """Where it stands, in the words the pages show."""
    if assignment.sent_at is None:
        return _("Draft")
    if assignment.fulfilled_at is not None:
        return _("Fulfilled")
    if assignment.pinch_hitter is not None:
        return _("Overdue (pinch hit)") if is_overdue(assignment, now) else _("Pinch hit")
    if assignment.giver_withdrew_at is not None:
        return _("Giver withdrew: needs a pinch hitter")
    if assignment.defaulted_at is not None:
        return _("Defaulted: needs a pinch hitter")
    if assignment.giver is None:
        return _("Needs a pinch hitter")
    return _("Overdue") if is_overdue(assignment, now) else _("Sent")


def needs_pinch_hitter(assignment: Assignment) -> bool:
    return (
        assignment.sent_at is not None
        and assignment.fulfilled_at is None
        and current_writer(assignment) is None
    )


# The moderators' assignments page's filters: (value, label).
SENT_FILTERS = (
    ("", gettext_lazy("All")),
    ("needs_pinch_hitter", gettext_lazy("Need a pinch hitter")),
    ("overdue", gettext_lazy("Overdue")),
    ("open", gettext_lazy("Not fulfilled")),
    ("fulfilled", gettext_lazy("Fulfilled")),
)


def sent_assignments_shown(
    challenge: Challenge, show: str, now: dt.datetime | None = None
) -> QuerySet[Assignment]:
    """The sent assignments under one of `SENT_FILTERS` (an unknown one: all)."""
    now = now or timezone.now()
    found = sent_assignments(challenge)
    unfulfilled = Q(fulfilled_at__isnull=True)
    if show == "needs_pinch_hitter":
        writerless = Q(defaulted_at__isnull=False) | Q(giver__isnull=True)
        return found.filter(unfulfilled, writerless, pinch_hitter__isnull=True)
    if show == "overdue":
        due = challenge.assignments_due_at
        return found.filter(unfulfilled) if due is not None and due < now else found.none()
    if show == "open":
        return found.filter(unfulfilled)
    if show == "fulfilled":
        return found.filter(fulfilled_at__isnull=False)
    return found


def overdue_assignments(challenge: Challenge, now: dt.datetime | None = None) -> list[Assignment]:
    """The sent assignments past the due date and not fulfilled (for the moderators)."""
    now = now or timezone.now()
    due = challenge.assignments_due_at
    if due is None or due >= now:
        return []
    return list(sent_assignments(challenge).filter(fulfilled_at__isnull=True))


def can_see_assignment(user: AnyUser, assignment: Assignment) -> bool:
    """The one who writes it now and the moderators (never the recipient, unless they
    moderate, before the author reveal: the page names the giver)."""
    if not user.is_authenticated:
        return False
    writer = current_writer(assignment)
    if writer is not None and writer.pk == user.pk and assignment.sent_at is not None:
        return True
    return can_moderate(user, assignment.challenge.collection)


# -- one's own --------------------------------------------------------------------------


def assignments_of(user: User) -> QuerySet[Assignment]:
    """The sent assignments `user` writes or wrote: as the giver (unless defaulted and
    given to someone else) or as the pinch hitter, newest first."""
    mine = Q(giver__user=user, pinch_hitter__isnull=True) | Q(pinch_hitter=user)
    return (
        _with_details(Assignment.objects.filter(mine, sent_at__isnull=False))
        .select_related("challenge__collection")
        .order_by("-sent_at", "-pk")
    )


def own_works_for(user: User) -> QuerySet[Work]:
    """The posted works `user` created, for "fulfil with one of your works"."""
    return (
        Work.objects.filter(creatorships__pseud__user=user, posted=True)
        .distinct()
        .order_by("-created_at", "-pk")
    )
