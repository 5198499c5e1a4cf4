"""The `fanarchive` command.

Every subcommand is a Django management command (serve, demo, createadmin, and
Django's own such as migrate), so the CLI, the site and the tests share one
configuration and one set of services.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
