"""The challenges' side of a collection's reveals (`collections.reveal_events`), however
they happen: the moderators' buttons, the API or the schedule (`reveal_services`).

A prompt meme's prompters hear of the fills the works reveal shows, and the challenge
records each reveal as done, so its schedule does not do it again."""

from __future__ import annotations

from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.challenges.claim_services import claim_fills_revealed
from fanarchive.challenges.models import Challenge
from fanarchive.collections.models import Collection


class ChallengeReveals:
    def works_revealed(self, *, collection: Collection, work_ids: list[int], actor: User) -> None:
        claim_fills_revealed(collection=collection, work_ids=work_ids)
        Challenge.objects.filter(collection=collection, works_revealed_at__isnull=True).update(
            works_revealed_at=timezone.now()
        )

    def authors_revealed(self, *, collection: Collection, work_ids: list[int], actor: User) -> None:
        Challenge.objects.filter(collection=collection, authors_revealed_at__isnull=True).update(
            authors_revealed_at=timezone.now()
        )
