"""Reviews, favourites and author favourites: the one stage that waits for engagement.

eFiction reviews become comments (guests' under the name they gave; series reviews on
the series' first work), favourite stories and series become bookmarks, favourite
authors become subscriptions. Those models belong to the engagement app, which has
not landed yet, so this stage only accounts for every row: each is counted as
"not migrated yet" in the report, never dropped silently.

When engagement lands, fill `reviews_migrate` and `favorites_migrate` (and make
`engagement_available` true): the records are already read (`Archive.reviews`,
`Archive.favorites`), and `Migration.work_for_story`, `Migration.user_for_author`
and `Migration.series_for` give the new objects by eFiction id. Key the new rows in
`EfictionMapping` (kinds "review", "favorite") so re-runs stay idempotent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fanarchive.formats.efiction.report import Report

if TYPE_CHECKING:
    from fanarchive.formats.efiction.mapper import Migration

NOT_AVAILABLE = "not migrated yet: engagement not available"


def engagement_available() -> bool:
    """True once comments, bookmarks and subscriptions exist (issue 5)."""
    return False


def reviews_migrate(migration: Migration, report: Report) -> None:
    reviews = migration.archive.reviews
    if not reviews:
        return
    report.count("reviews", "not migrated yet", len(reviews))
    guests = sum(1 for r in reviews if not r.uid)
    series = sum(1 for r in reviews if r.type == "SE")
    report.decide(
        f"Reviews ({len(reviews)}, {guests} by guests, {series} of series): {NOT_AVAILABLE}. "
        "They are read and will become comments when the archive has them."
    )


def favorites_migrate(migration: Migration, report: Report) -> None:
    favorites = migration.archive.favorites
    if not favorites:
        return
    report.count("favorites", "not migrated yet", len(favorites))
    authors = sum(1 for f in favorites if f.type == "AU")
    report.decide(
        f"Favourites ({len(favorites)}, {authors} of authors): {NOT_AVAILABLE}. They will "
        "become bookmarks (stories, series) and subscriptions (authors)."
    )


def engagement_migrate(migration: Migration, report: Report) -> None:
    reviews_migrate(migration, report)
    favorites_migrate(migration, report)
