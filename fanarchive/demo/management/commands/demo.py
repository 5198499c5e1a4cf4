"""`fanarchive demo`: fill the archive with invented, safe-for-work works to try it out."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.demo.generator import DEFAULT_SEED, generate_demo_archive


class Command(BaseCommand):
    help = (
        "Generate a demo archive: invented fandoms, writers and works, the same for the "
        "same seed. Adds to what the archive already holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--works", type=int, default=300, help="works to write (300)")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed ({DEFAULT_SEED})"
        )
        parser.add_argument(
            "--users",
            type=int,
            default=None,
            help="accounts to create, the demo login included (default: a third of the works)",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["works"] < 1:
            raise CommandError("--works must be 1 or more.")
        if options["users"] is not None and options["users"] < 1:
            raise CommandError("--users must be 1 or more.")
        summary = generate_demo_archive(
            works=options["works"],
            seed=options["seed"],
            users=options["users"],
            progress=not options["no_progress"],
        )
        self.stdout.write(summary.describe())
        self.stdout.write(summary.login())
