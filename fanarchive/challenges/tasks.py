"""Background tasks of the challenges app (django-tasks; run by the worker).

All are idempotent: matching replaces the drafts it made before (and refuses once the
assignments are sent), a giver already told of their assignment is not told again, and a
reveal that already happened is not done again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext_noop

from fanarchive.accounts.language_selectors import in_language_of_username

# The services queue these tasks, and these tasks run the services: the two modules
# import each other as modules, neither using the other until called.
from fanarchive.challenges import assignment_services, matching_services, reveal_services
from fanarchive.challenges.models import Challenge, MatchRun
from fanarchive.core.tasks import retrying_task

logger = logging.getLogger("fanarchive.tasks")


@retrying_task(max_attempts=2)
def matches_generate_task(challenge_id: int) -> int:
    """Generate a gift exchange's matches (queued by `matching_services.matches_generate`);
    the number of pairs. A failure shows on the matching page."""
    challenge = Challenge.objects.filter(pk=challenge_id).select_related("collection").first()
    if challenge is None:
        return 0
    try:
        # The reasons for who is left out are written in the language of the moderator who
        # asked for the matching.
        run_before = MatchRun.objects.filter(challenge_id=challenge_id).first()
        requested_by = str(run_before.report.get("requested_by", "")) if run_before else ""
        with in_language_of_username(requested_by):
            run = matching_services.matches_generate_now(challenge)
    except Exception:
        with transaction.atomic():
            MatchRun.objects.filter(challenge_id=challenge_id).update(
                # Stored in English, translated where it is shown (the matching page).
                report={
                    "state": "failed",
                    "error": gettext_noop("Matching failed; please try again."),
                }
            )
        raise
    return int(run.report.get("pairs", 0))


@retrying_task()
def reveals_due_task() -> int:
    """Do every reveal whose date has passed (queued by `reveal_services.reveals_schedule`
    for each reveal date, so a moved date only means a run that finds nothing to do)."""
    return len(reveal_services.reveals_due())


@retrying_task()
def assignments_notify_task(challenge_id: int) -> int:
    """Tell the givers of a challenge's sent assignments (queued by
    `assignment_services.assignments_send`); how many were told."""
    challenge = Challenge.objects.filter(pk=challenge_id).select_related("collection").first()
    if challenge is None:
        return 0
    return assignment_services.assignments_sent_notify(challenge)
