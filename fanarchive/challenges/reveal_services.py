"""The scheduled reveals of a challenge's collection (both kinds): the works on
`works_reveal_at`, the creators on `authors_reveal_at`.

`reveals_due(now)` does every reveal whose date has passed and that has not happened,
through the collections' own reveals (`collection_reveal`, which tells gift recipients of
their gifts and, through `ChallengeReveals`, a prompt meme's prompters of their fills; and
`collection_reveal_authors`, which tells recipients who wrote their gifts), and records
when (a reveal by the moderators' buttons is recorded by `ChallengeReveals` too). It is
run by the task `reveals_schedule` queues for each date, and by `fanarchive challenges-due`
from cron, so a date moved later only means a run that finds nothing to do, and a lost
task is caught by the next cron run.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.challenges import tasks
from fanarchive.challenges.claim_services import claim_fills_revealed
from fanarchive.challenges.models import Challenge
from fanarchive.collections.item_services import collection_reveal, collection_reveal_authors
from fanarchive.collections.models import Collection
from fanarchive.collections.selectors import collection_moderator_users

logger = logging.getLogger(__name__)

WORKS = "works"
AUTHORS = "authors"


@dataclass(frozen=True)
class Reveal:
    challenge_id: int
    what: str  # WORKS or AUTHORS
    work_ids: list[int]


def reveals_due(now: dt.datetime | None = None) -> list[Reveal]:
    """Reveal every challenge's works and creators whose date is at or before `now`
    (default: now) and not yet revealed; the reveals done. One challenge failing is
    logged and does not stop the others (the next run tries it again)."""
    now = now or timezone.now()
    due = Challenge.objects.filter(
        Q(works_reveal_at__lte=now, works_revealed_at__isnull=True)
        | Q(authors_reveal_at__lte=now, authors_revealed_at__isnull=True)
    ).order_by("pk")
    done: list[Reveal] = []
    for challenge_id in due.values_list("pk", flat=True):
        try:
            done.extend(_reveal_one(challenge_id, now))
        except Exception:
            logger.exception("Could not do the reveals of challenge %s", challenge_id)
    return done


@transaction.atomic
def _reveal_one(challenge_id: int, now: dt.datetime) -> list[Reveal]:
    challenge = (
        Challenge.objects.select_for_update().select_related("collection").get(pk=challenge_id)
    )
    collection = challenge.collection
    # The collections' reveals are the moderators'; the schedule acts for the first owner.
    acting = next(iter(collection_moderator_users(collection)), None)
    if acting is None:
        logger.warning("Challenge %s has no moderator to reveal it as", challenge_id)
        return []
    done: list[Reveal] = []
    reveal_works = challenge.works_reveal_at is not None and challenge.works_reveal_at <= now
    if reveal_works and challenge.works_revealed_at is None:
        # The reveal tells gift recipients, and prompters of their fills (ChallengeReveals).
        work_ids = collection_reveal(user=acting, collection=collection)
        challenge.works_revealed_at = now
        done.append(Reveal(challenge_id, WORKS, work_ids))
    reveal_authors = challenge.authors_reveal_at is not None and challenge.authors_reveal_at <= now
    if reveal_authors and challenge.authors_revealed_at is None:
        work_ids = collection_reveal_authors(user=acting, collection=collection)
        challenge.authors_revealed_at = now
        done.append(Reveal(challenge_id, AUTHORS, work_ids))
    challenge.save(update_fields=["works_revealed_at", "authors_revealed_at", "updated_at"])
    for reveal in done:
        logger.info(
            "Revealed the %s of challenge %s (%d works)",
            reveal.what,
            challenge_id,
            len(reveal.work_ids),
        )
    return done


def reveals_schedule(challenge: Challenge) -> None:
    """Queue a run of `reveals_due` at each of the challenge's reveal dates not yet done
    (after the caller's transaction commits); call it whenever the dates are saved."""
    moments = []
    if challenge.works_reveal_at is not None and challenge.works_revealed_at is None:
        moments.append(challenge.works_reveal_at)
    if challenge.authors_reveal_at is not None and challenge.authors_revealed_at is None:
        moments.append(challenge.authors_reveal_at)
    for moment in sorted(set(moments)):
        transaction.on_commit(partial(_enqueue_at, moment), robust=True)


def _enqueue_at(moment: dt.datetime) -> None:
    """Queue the run; a queue that cannot wait until a date (or is down) leaves the
    reveal to `fanarchive challenges-due` from cron."""
    task = tasks.reveals_due_task
    try:
        if moment > timezone.now():
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=moment)
        task.enqueue()
    except Exception:
        logger.exception("Could not queue the reveal at %s", moment)


# -- heard from every reveal of a collection (collections.reveal_events) ------------------


class ChallengeReveals:
    """The challenges' side of a collection's reveals, however they happen: a prompt
    meme's prompters hear of the fills the works reveal shows, and the challenge records
    each reveal as done, so its schedule does not do it again."""

    def works_revealed(self, *, collection: Collection, work_ids: list[int], actor: User) -> None:
        claim_fills_revealed(collection=collection, work_ids=work_ids)
        Challenge.objects.filter(collection=collection, works_revealed_at__isnull=True).update(
            works_revealed_at=timezone.now()
        )

    def authors_revealed(self, *, collection: Collection, work_ids: list[int], actor: User) -> None:
        Challenge.objects.filter(collection=collection, authors_revealed_at__isnull=True).update(
            authors_revealed_at=timezone.now()
        )
