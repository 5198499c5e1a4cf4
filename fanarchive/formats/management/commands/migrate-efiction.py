"""`fanarchive migrate-efiction`: move a whole eFiction 3.x archive into this one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fanarchive.accounts.models import User
from fanarchive.formats.efiction.checks import missing_texts, unknown_admins
from fanarchive.formats.efiction.context import MigrationOptions
from fanarchive.formats.efiction.mapper import migrate
from fanarchive.formats.efiction.read import read_dump, read_live
from fanarchive.formats.errors import ImportFailed
from fanarchive.tags.selectors import is_admin


class Command(BaseCommand):
    help = (
        "Migrate an eFiction 3.x archive (a MySQL dump or a live database, plus its stories "
        "folder) into Fanarchive: authors, stories, chapters, categories, characters, classes, "
        "ratings, series, co-authors, reviews, favourites and hits. Re-running adds only what "
        "is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--dump", type=Path, help="a MySQL/MariaDB dump (.sql) of the archive")
        source.add_argument(
            "--database", help="a live database: mysql://user:password@host:3306/name"
        )
        parser.add_argument(
            "--stories",
            type=Path,
            help="the eFiction stories folder, when chapter text is kept in files",
        )
        parser.add_argument(
            "--prefix", default="fanfiction_", help="the table prefix (default: fanfiction_)"
        )
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the admin account that runs the migration (and wrangles its tags)",
        )
        parser.add_argument(
            "--archive",
            default="efiction",
            help="a name for the old archive, to migrate several into one (default: efiction)",
        )
        parser.add_argument(
            "--default-fandom",
            default="Uncategorised",
            help="the fandom of stories in no category (default: Uncategorised)",
        )
        parser.add_argument(
            "--admins",
            nargs="+",
            default=[],
            metavar="PEN_NAME",
            help="eFiction accounts (by pen name) to make staff here, such as eFiction's admins",
        )
        parser.add_argument(
            "--skip-missing-texts",
            action="store_true",
            help="go on without the chapters whose text is in the stories folder when no "
            "folder is given (otherwise that is an error)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would happen; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f'There is no user named "{options["username"]}".')
        if not is_admin(user):
            raise CommandError(f"{user.username} is not an admin: only admins migrate archives.")
        stories = options["stories"]
        if stories is not None and not stories.is_dir():
            raise CommandError(f"{stories} is not a folder.")
        if not options["archive"].strip():
            raise CommandError("--archive cannot be blank.")
        err: Any = self.stderr._out
        quiet = options["no_progress"]
        if not quiet:
            err.write("Reading the eFiction archive...\n")
        try:
            if options["dump"] is not None:
                archive = read_dump(options["dump"], prefix=options["prefix"])
            else:
                archive = read_live(options["database"], prefix=options["prefix"])
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        if not archive.authors and not archive.stories:
            raise CommandError(
                f'No eFiction tables with the prefix "{options["prefix"]}" were found '
                "(see --prefix)."
            )
        admins = tuple(name.strip() for name in options["admins"] if name.strip())
        refusal = unknown_admins(archive, admins)
        missing = missing_texts(archive, stories)
        if refusal is None and not options["skip_missing_texts"]:
            refusal = missing
        if refusal is not None:
            raise CommandError(refusal)
        bar = tqdm(
            total=len(archive.authors)
            + len(archive.stories)
            + len(archive.series)
            + len(archive.reviews)
            + len(archive.favorites),
            unit="row",
            desc="Dry run" if options["dry_run"] else "Migrating",
            disable=quiet,
            file=err,
        )

        def advance(stage: str, n: int) -> None:
            bar.set_description(f"{'Dry run' if options['dry_run'] else 'Migrating'}: {stage}")
            bar.update(n)

        report = migrate(
            user=user,
            archive=archive,
            options=MigrationOptions(
                archive=options["archive"].strip(),
                stories_dir=stories,
                dry_run=options["dry_run"],
                default_fandom=options["default_fandom"],
                admins=admins,
            ),
            progress=advance,
        )
        bar.close()
        if missing is not None:
            report.decide(
                "--skip-missing-texts: the chapters without text in the database are not "
                "migrated (each is named below)."
            )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write("\n".join(report.lines()))
        unaccounted = report.unaccounted()
        if unaccounted:
            raise CommandError(f"Some rows are not accounted for in the report: {unaccounted}")
