"""Writing an eFiction archive into Fanarchive: the stages of `stages/`, in order.

1. `authors` -> users, pseuds, profiles, the old MD5 passwords wrapped;
2. `tags`: categories -> canonical fandoms, characters -> canonical characters, classes
   and ratings mapped;
3. `stories` -> works with their chapters and co-authors, the old dates kept;
4. `series` -> series, nested series flattened into their parents;
5. `engagement`: reviews -> comments, favourites -> bookmarks and subscriptions,
   the stories' hit counts added to the works' hits.

Each stage keys what it makes by eFiction id in `EfictionMapping`, so a re-run finds
what exists and adds only what is missing. A dry run does all of it in one transaction
that is rolled back.
"""

from __future__ import annotations

from django.db import transaction

from fanarchive.accounts.models import User
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.context import MigrationContext, MigrationOptions, Progress
from fanarchive.formats.efiction.report import Report
from fanarchive.formats.efiction.stages.authors import authors_migrate
from fanarchive.formats.efiction.stages.engagement import engagement_migrate
from fanarchive.formats.efiction.stages.series import series_migrate
from fanarchive.formats.efiction.stages.stories import stories_migrate
from fanarchive.formats.efiction.stages.tags import tags_migrate
from fanarchive.works.tag_count_services import tags_recount


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll back everything it wrote."""


class Migration:
    def __init__(
        self,
        *,
        user: User,
        archive: r.Archive,
        options: MigrationOptions,
        progress: Progress | None = None,
    ) -> None:
        self.report = Report(dry_run=options.dry_run)
        self.context = MigrationContext(
            user=user,
            archive=archive,
            options=options,
            report=self.report,
            progress=progress or (lambda stage, n: None),
        )

    def run(self) -> Report:
        self.report.count_read(self.context.archive)
        if not self.context.options.dry_run:
            # Each author, story and series commits on its own: an interrupted run keeps
            # what it finished, and the next run adds the rest.
            self._stages()
            return self.report
        try:
            with transaction.atomic():
                self._stages()
                raise DryRunRollback
        except DryRunRollback:
            pass
        return self.report

    def _stages(self) -> None:
        ctx = self.context
        ctx.load_mappings()
        authors_migrate(ctx)
        vocabulary = tags_migrate(ctx)
        stories_migrate(ctx, vocabulary)
        series_migrate(ctx)
        engagement_migrate(ctx)
        tags_recount()


def migrate(
    *,
    user: User,
    archive: r.Archive,
    options: MigrationOptions,
    progress: Progress | None = None,
) -> Report:
    """Migrate `archive`; `user` (an admin) does the tag wrangling. Returns the report."""
    return Migration(user=user, archive=archive, options=options, progress=progress).run()
