"""`fanarchive challenges-due`: do the challenges' reveals whose dates have passed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fanarchive.challenges.reveal_services import reveals_due


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--now takes a date and time such as 2027-01-31T12:00: {error}"
        ) from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


class Command(BaseCommand):
    help = (
        "Reveal the works and the creators of every challenge whose reveal date has passed "
        "and that is not revealed yet; gift recipients are told. Each reveal is also queued "
        "for its date when the date is saved: this catches any the queue missed. Safe to run "
        "at any time (for example every 10 minutes from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            type=_moment,
            default=None,
            help="The moment to reveal as of (ISO 8601, UTC unless it says; default: now).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        done = reveals_due(options["now"])
        for reveal in done:
            self.stdout.write(
                f"Challenge {reveal.challenge_id}: revealed the {reveal.what} "
                f"({len(reveal.work_ids)} works changed)."
            )
        self.stdout.write(f"{len(done)} reveal{'s' if len(done) != 1 else ''} done.")
