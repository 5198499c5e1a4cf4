"""Reads of version history: the revisions of a chapter or a work, and their differences."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.works.models import (
    Chapter,
    ChapterRevision,
    Work,
    WorkRevision,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


# -- version history -------------------------------------------------------------------


def chapter_revisions(chapter: Chapter) -> list[ChapterRevision]:
    """A chapter's revisions, newest first, each with `size_change` from the one before."""
    revisions = list(chapter.revisions.select_related("created_by").order_by("-created_at", "-id"))
    for index, revision in enumerate(revisions):
        older = revisions[index + 1] if index + 1 < len(revisions) else None
        revision.size_change = revision.size - (older.size if older else 0)  # type: ignore[attr-defined]
    return revisions


def work_revisions(work: Work) -> list[WorkRevision]:
    revisions = list(work.revisions.select_related("created_by").order_by("-created_at", "-id"))
    for index, revision in enumerate(revisions):
        older = revisions[index + 1] if index + 1 < len(revisions) else None
        revision.size_change = revision.size - (older.size if older else 0)  # type: ignore[attr-defined]
    return revisions


def chapter_revision_get(chapter: Chapter, revision_id: int) -> ChapterRevision:
    revision = chapter.revisions.filter(pk=revision_id).first()
    if revision is None:
        raise Http404(gettext("No such revision of this chapter."))
    return revision


def work_revision_get(work: Work, revision_id: int) -> WorkRevision:
    revision = work.revisions.filter(pk=revision_id).first()
    if revision is None:
        raise Http404(gettext("No such revision of this work."))
    return revision


@dataclass(frozen=True)
class DiffLine:
    """One line of a comparison: kind is "same", "added", "removed" or "gap"."""

    kind: str
    text: str


def text_diff(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """A line-by-line comparison of two texts (escaped by the template, never here)."""
    lines: list[DiffLine] = []
    before, after = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in before[i1:i2]]
                continue
            if tag in {"replace", "delete"}:
                lines += [DiffLine("removed", text) for text in before[i1:i2]]
            if tag in {"replace", "insert"}:
                lines += [DiffLine("added", text) for text in after[j1:j2]]
    return lines


def chapter_revision_text(revision: ChapterRevision) -> str:
    """A revision as one text, for comparing: title, notes and the chapter text."""
    parts = [
        gettext("Title: %(title)s") % {"title": revision.title},
        gettext("Summary: %(summary)s") % {"summary": revision.summary},
        gettext("Notes: %(notes)s") % {"notes": revision.notes},
        "",
        revision.source,
        "",
        gettext("End notes: %(notes)s") % {"notes": revision.endnotes},
    ]
    return "\n".join(parts)


# A saved version's keys (`revision_services.work_snapshot`) as the history shows them.
REVISION_LABELS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "notes": gettext_lazy("Notes"),
    "endnotes": gettext_lazy("End notes"),
    "language": gettext_lazy("Language"),
    "restricted": gettext_lazy("Only shown to registered users"),
    "expected_chapters": gettext_lazy("Expected number of chapters"),
    "rating": gettext_lazy("Rating"),
    "warnings": gettext_lazy("Archive warnings"),
    "categories": gettext_lazy("Categories"),
    "fandoms": gettext_lazy("Fandoms"),
    "relationships": gettext_lazy("Relationships"),
    "characters": gettext_lazy("Characters"),
    "freeforms": gettext_lazy("Additional tags"),
}


def work_revision_text(revision: WorkRevision) -> str:
    """A saved version of a work's details as lines of "Label: value", in the reader's
    language (a key of an older version unknown here keeps its name)."""
    lines = []
    for key, value in revision.data.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        label = REVISION_LABELS.get(key) or key.replace("_", " ").capitalize()
        lines.append(f"{label}: {shown}")
    return "\n".join(lines)
