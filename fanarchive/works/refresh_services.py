"""What a work derives from its chapters, kept on the work so listings never aggregate.

Every service that changes a work's chapters, creators or visibility ends with
`work_refresh`, inside its transaction, so the catalogue's change log is complete by
construction. It lives apart so that every works service can call it without importing
the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work


def apply_stats(work: Work, word_counts: Sequence[int]) -> None:
    """What is derived from the chapters: `word_counts` of the posted chapters (of all
    chapters while the work is a draft)."""
    work.posted_chapters = len(word_counts)
    work.word_count = sum(word_counts)
    work.complete = work.expected_chapters == work.posted_chapters


def work_refresh(*, work: Work) -> None:
    """Recompute what is derived from the chapters, save, and log the change.

    Every service that changes a work ends here, inside its transaction, so the
    catalogue's change log is complete by construction (`work_create`, which has
    everything in memory, does the same through `catalogue_work_created`).
    """
    chapters = work.chapters.all()
    if work.posted:
        chapters = chapters.filter(posted=True)
    apply_stats(work, list(chapters.values_list("word_count", flat=True)))
    work.save()
    catalogue_work_changed(work_id=work.pk)
