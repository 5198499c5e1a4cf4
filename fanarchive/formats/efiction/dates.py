"""The dates eFiction kept, and what stands in for one it lacks: never the migration's
"now", which would make a 2006 account or review look new.

eFiction writes 0 (or NULL, or `0000-00-00`) for a date it does not know; `schema`
reads all of them as None. An author's join date then falls back to the first dated
thing they did there, a story to its author's join date, a review to the date of the
chapter it is on (`stages.engagement`).
"""

from __future__ import annotations

import datetime as dt

from fanarchive.formats.efiction import records as r


def join_dates(archive: r.Archive) -> dict[int, dt.datetime]:
    """Each author's join date; without one, the first story they posted or review they
    wrote. Authors with neither are left out."""
    first: dict[int, dt.datetime] = {}

    def seen(uid: int, *moments: dt.datetime | None) -> None:
        for moment in moments:
            if moment is not None and (uid not in first or moment < first[uid]):
                first[uid] = moment

    for story in archive.stories.values():
        seen(story.uid, story.date, story.updated)
    for review in archive.reviews:
        if review.uid:
            seen(review.uid, review.date)
    known = {uid: a.date for uid, a in archive.authors.items() if a.date is not None}
    return {
        uid: known.get(uid) or first[uid] for uid in archive.authors if uid in known or uid in first
    }
