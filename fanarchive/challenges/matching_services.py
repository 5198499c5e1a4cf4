"""Generating a gift exchange's potential assignments (the moderators', after sign-ups
close, before sending).

`matches_generate` checks and queues the work in the background (django-tasks): the
engine takes about 25 s for 5,000 sign-ups, too long for a web request, so the matching
page shows "Matching is running" meanwhile (the run's report has state "running").
`matches_generate_now` does the work: reads every sign-up in three queries
(`assignment_selectors.exchange_input`), runs `matching.match_exchange` (the fewest
people left out, then the best total quality), replaces the earlier drafts with the new
ones and stores the report, with the engine's reasons in words for everyone left out.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fanarchive.accounts.models import User
from fanarchive.challenges import matching, tasks
from fanarchive.challenges.assignment_selectors import exchange_input
from fanarchive.challenges.models import Assignment, Challenge, ChallengeKind, MatchRun
from fanarchive.challenges.setup_selectors import signup_window
from fanarchive.collections.selectors import can_moderate

logger = logging.getLogger(__name__)

# A run still "running" after this long is taken for lost (its worker died): the
# moderators may start another.
RUN_LOST_AFTER = dt.timedelta(minutes=15)


def require_exchange_moderator(user: User, challenge: Challenge, refusal: str) -> None:
    """Refuse anyone but the collection's moderators, and any challenge but a gift exchange.
    `refusal` is a whole translated sentence with a `%(title)s` for the collection's title
    ("Only the moderators of %(title)s can generate matches.")."""
    if not can_moderate(user, challenge.collection):
        raise PermissionDenied(refusal % {"title": challenge.collection.title})
    if challenge.kind != ChallengeKind.GIFT_EXCHANGE:
        raise ValidationError(_("Only a gift exchange has matching and assignments."))


def _require_can_generate(challenge: Challenge, now: dt.datetime) -> None:
    if signup_window(challenge, now).is_open:
        raise ValidationError(
            _(
                "Sign-ups are still open: close them before generating matches, so that "
                "nobody signs up or changes a sign-up after matching."
            )
        )
    if challenge.assignments_sent_at is not None:
        raise ValidationError(
            _(
                "The assignments were already sent: matching cannot be generated again. "
                "Change assignments one by one, or use pinch hitters."
            )
        )
    if challenge.signups.count() < 2:
        raise ValidationError(_("Matching needs at least two sign-ups."))


@transaction.atomic
def matches_generate(*, user: User, challenge: Challenge) -> MatchRun:
    """Start generating the potential assignments (moderators, once sign-ups are closed
    and before the assignments are sent); the run's report says "running" until done."""
    require_exchange_moderator(
        user, challenge, _("Only the moderators of %(title)s can generate matches.")
    )
    now = timezone.now()
    _require_can_generate(challenge, now)
    run = MatchRun.objects.select_for_update().filter(challenge=challenge).first()
    if run is not None and run.report.get("state") == "running":
        started = dt.datetime.fromisoformat(run.report["started_at"])
        if now - started < RUN_LOST_AFTER:
            raise ValidationError(_("Matching is already running; this page shows it when done."))
    previous = dict(run.report) if run is not None else {}
    report: dict[str, Any] = {
        **previous,
        "state": "running",
        "started_at": now.isoformat(),
        "requested_by": user.username,
    }
    run, _created = MatchRun.objects.update_or_create(
        challenge=challenge, defaults={"report": report}
    )
    transaction.on_commit(partial(tasks.matches_generate_task.enqueue, challenge.pk), robust=True)
    return run


def _unmatched_rows(people: tuple[matching.Unmatched, ...]) -> list[dict[str, Any]]:
    return [{"signup": p.key, "name": p.name, "reasons": list(p.reasons)} for p in people]


@transaction.atomic
def matches_generate_now(challenge: Challenge) -> MatchRun:
    """Match the sign-ups and store the drafts (replacing earlier ones) and the report.
    Refused, with the report saying why, once the assignments are sent."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    started = timezone.now()
    if challenge.assignments_sent_at is not None:
        return _finished(
            challenge, {"state": "failed", "error": gettext_noop("Assignments were sent.")}
        )
    data = exchange_input(challenge)
    result = matching.match_exchange(data.participants, data.rules, data.tag_names)
    challenge.assignments.filter(sent_at__isnull=True).delete()
    Assignment.objects.bulk_create(
        Assignment(
            challenge=challenge,
            giver_id=pair.giver_key,
            recipient_id=pair.recipient_key,
            request_id=data.request_ids[pair.recipient_key][pair.request_index],
            offer_id=data.offer_ids[pair.giver_key][pair.offer_index],
            quality=pair.quality,
        )
        for pair in result.assignments
    )
    seconds = (timezone.now() - started).total_seconds()
    logger.info(
        "Matched challenge %s: %d sign-ups, %d pairs in %.1f s",
        challenge.pk,
        len(data.participants),
        len(result.assignments),
        seconds,
    )
    return _finished(
        challenge,
        {
            "state": "done",
            "generated_at": timezone.now().isoformat(),
            "signups": len(data.participants),
            "pairs": len(result.assignments),
            "total_quality": result.total_quality,
            "possible_pairs": result.possible_pairs,
            "seconds": round(seconds, 1),
            "unmatched_givers": _unmatched_rows(result.unmatched_givers),
            "unmatched_recipients": _unmatched_rows(result.unmatched_recipients),
        },
    )


def _finished(challenge: Challenge, report: dict[str, Any]) -> MatchRun:
    run, _created = MatchRun.objects.update_or_create(
        challenge=challenge, defaults={"report": report}
    )
    return run
