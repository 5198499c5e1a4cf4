"""`fanarchive createadmin`: make an administrator account (staff and superuser).

Unlike Django's createsuperuser it goes through `user_create`, so the account
gets its default pseud and preferences and the same checks as a sign-up.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.accounts.services import user_create

PASSWORD_ENV = "FANARCHIVE_ADMIN_PASSWORD"  # noqa: S105 - a variable name, not a password
FIELD_NAMES = {"username": "--username", "email": "--email", "password1": "--password"}


class Command(BaseCommand):
    help = (
        "Create an administrator account. The password comes from --password, "
        f"the {PASSWORD_ENV} environment variable, or a prompt when run in a terminal."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", help="The account's user name.")
        parser.add_argument("--email", help="The account's e-mail address.")
        parser.add_argument(
            "--password",
            help=f"The password (visible in the process list; prefer {PASSWORD_ENV}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = sys.stdin.isatty()
        username = options["username"] or self._ask("User name", interactive, "--username")
        email = options["email"] or self._ask("E-mail address", interactive, "--email")
        password = options["password"] or os.environ.get(PASSWORD_ENV) or ""
        if not password:
            password = self._ask_password(interactive)
        try:
            user = user_create(
                username=username,
                email=email,
                password=password,
                is_active=True,
                is_staff=True,
                is_superuser=True,
            )
        except ValidationError as error:
            lines = [
                f"  {FIELD_NAMES.get(field, field)}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("The admin account was not created:\n" + "\n".join(lines)) from None
        self.stdout.write(self.style.SUCCESS(f"Created the admin account {user.username}."))

    def _ask(self, prompt: str, interactive: bool, option: str) -> str:
        if not interactive:
            raise CommandError(f"The admin account was not created: {option} is required.")
        return input(f"{prompt}: ").strip()

    def _ask_password(self, interactive: bool) -> str:
        if not interactive:
            raise CommandError(
                "The admin account was not created: give a password with --password "
                f"or the {PASSWORD_ENV} environment variable."
            )
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("The admin account was not created: the passwords do not match.")
        return first
