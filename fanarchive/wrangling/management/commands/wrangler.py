from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.accounts.models import User
from fanarchive.tags.models import TagType
from fanarchive.tags.selectors import tag_named
from fanarchive.wrangling.wrangler_services import wrangler_remove, wrangler_set


class Command(BaseCommand):
    help = "Make a user a wrangler (optionally of some fandoms), or take the role away."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--fandom",
            action="append",
            default=[],
            help="a canonical fandom to assign (repeat for several)",
        )
        parser.add_argument("--remove", action="store_true", help="take the wrangler role away")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f'There is no account called "{options["username"]}".')
        if options["remove"]:
            wrangler_remove(user=None, wrangler=user)
            self.stdout.write(f"{user.username} is no longer a wrangler.")
            return
        fandoms = []
        for name in options["fandom"]:
            fandom = tag_named(TagType.FANDOM, name)
            if fandom is None:
                raise CommandError(f'There is no fandom tag named "{name}".')
            fandoms.append(fandom)
        try:
            wrangler_set(user=None, wrangler=user, fandoms=fandoms)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        assigned = ", ".join(f.name for f in fandoms) or "no fandom yet"
        self.stdout.write(f"{user.username} is a wrangler ({assigned}).")
