"""Batch downloads: every work a reader bookmarked, or marked for later, as one zip of
single-work download files, cached per reader, list and format under
DATA_DIR/downloads/batches/<user id>/."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fanarchive.accounts.language_selectors import in_language
from fanarchive.accounts.models import User
from fanarchive.engagement.models import Bookmark, ReadingHistory
from fanarchive.formats.download_services import (
    EXPORT_VERSION,
    cached_file,
    download_language,
    downloads_dir,
    work_export,
)
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.selectors import export_document
from fanarchive.works.age_gate import AgeGateContext
from fanarchive.works.models import Work
from fanarchive.works.selectors import adult_text_withheld, with_blurb_data

# At most this many works go in one zip (the first ones in the list's own order).
BATCH_LIMIT = 500
# PDF is left out: building hundreds of PDFs in one request is too slow.
BATCH_FORMATS = ("epub", "html", "txt")
BOOKMARKS = "bookmarks"
MARKED = "marked"
LIST_LABELS = {BOOKMARKS: gettext_lazy("Bookmarks"), MARKED: gettext_lazy("Marked for later")}


ADULT_LEFT_OUT = "adult"


@dataclass(frozen=True)
class LeftOut:
    title: str
    url: str
    reason: str  # ADULT_LEFT_OUT; batch_readme says it in the reader's language


@dataclass
class BatchPlan:
    """What one batch zip holds: the works, and what was left out and why."""

    list_name: str
    fmt: str
    works: list[Work]
    left_out: list[LeftOut]
    unavailable: int  # works in the list the reader may no longer download at all
    cut: int  # works beyond BATCH_LIMIT


def batch_list_work_ids(user: User, list_name: str) -> list[int]:
    """The ids of the works in the reader's list, in the list page's order (series
    bookmarks are not works and are not included)."""
    ids: QuerySet[Any, int | None]
    if list_name == BOOKMARKS:
        bookmarks = Bookmark.objects.filter(user=user, work__isnull=False)
        ids = bookmarks.order_by("-created_at", "-id").values_list("work_id", flat=True)
    elif list_name == MARKED:
        marks = ReadingHistory.objects.filter(user=user, marked_for_later=True)
        ids = marks.order_by(F("last_read_at").desc(nulls_last=True), "-id").values_list(
            "work_id", flat=True
        )
    else:
        raise ValueError(f"No such list: {list_name}")
    return [work_id for work_id in ids if work_id is not None]


def batch_plan(*, user: User, list_name: str, fmt: str, viewer: AgeGateContext) -> BatchPlan:
    """Which works of the list go in the zip. The single-download rule: works the reader
    may list (`visible_to`: never drafts, hidden or unrevealed works, restricted ones for
    logged-in readers); adult works only when the adult-content rule lets `viewer` read
    them without the interstitial, which a batch cannot show."""
    ids = batch_list_work_ids(user, list_name)
    found = {
        work.pk: work for work in with_blurb_data(Work.objects.visible_to(user).filter(pk__in=ids))
    }
    works = [found[work_id] for work_id in ids if work_id in found]
    withheld = adult_text_withheld(viewer=viewer, works=works)
    left_out = [
        LeftOut(title=work.title, url=work.get_absolute_url(), reason=ADULT_LEFT_OUT)
        for work in works
        if work.pk in withheld
    ]
    allowed = [work for work in works if work.pk not in withheld]
    return BatchPlan(
        list_name=list_name,
        fmt=fmt,
        works=allowed[:BATCH_LIMIT],
        left_out=left_out,
        unavailable=len(ids) - len(works),
        cut=max(0, len(allowed) - BATCH_LIMIT),
    )


def batch_file_name(title: str, work_id: int, extension: str) -> str:
    """ "<title> - <id>.<ext>", safe on every file system."""
    base = re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", "", title)).strip()[:80] or "Untitled"
    return f"{base} - {work_id}.{extension}"


def batch_readme(plan: BatchPlan) -> str:
    """README.txt of the zip: what it holds and what was left out, and why, in the language
    of the moment (the reader's). Nothing in it changes with time, so the same works give
    the same zip."""
    count = len(plan.works)
    values = {
        "list": LIST_LABELS[plan.list_name],
        "site": settings.SITE_NAME,
        "format": FORMATS[plan.fmt].label,
        "count": count,
    }
    lines = [
        ngettext(
            "%(list)s from %(site)s, as %(format)s: %(count)s work.",
            "%(list)s from %(site)s, as %(format)s: %(count)s works.",
            count,
        )
        % values,
        "",
    ]
    if plan.cut:
        lines += [
            ngettext(
                "At most %(limit)s works go in one download: the last %(cut)s in your list "
                "was left out.",
                "At most %(limit)s works go in one download: the last %(cut)s in your list "
                "were left out.",
                plan.cut,
            )
            % {"limit": BATCH_LIMIT, "cut": plan.cut},
            "",
        ]
    if plan.unavailable:
        lines += [
            ngettext(
                "%(count)s work in your list cannot be downloaded any more (a draft, hidden, "
                "not yet revealed or deleted) and was left out.",
                "%(count)s works in your list cannot be downloaded any more (a draft, hidden, "
                "not yet revealed or deleted) and were left out.",
                plan.unavailable,
            )
            % {"count": plan.unavailable},
            "",
        ]
    if plan.left_out:
        reasons = {
            ADULT_LEFT_OUT: _(
                "It may have adult content, and a batch download cannot ask you first. "
                "Download it from its own page."
            )
        }
        lines.append(_("Left out:"))
        lines += [
            f"- {item.title} ({item.url}): {reasons.get(item.reason, item.reason)}"
            for item in plan.left_out
        ]
        lines.append("")
    return "\n".join(lines)


def _build_zip(plan: BatchPlan, readme: str, language: str) -> bytes:
    extension = FORMATS[plan.fmt].extension
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        for work in plan.works:
            # Each work's own cached download file, as its download page gives it.
            path = work_export(work=work, fmt=plan.fmt, language=language)
            archive.write(path, arcname=batch_file_name(work.title, work.pk, extension))
    return buffer.getvalue()


def batch_export(*, user: User, plan: BatchPlan, language: str | None = None) -> Path:
    """The zip of `plan`, built now or reused from the cache, its README and files in
    `language` (None: the active one, the reader's).

    Its name holds a stamp of what the zip holds (the list, the format, what was left out
    and each work's id and download stamp) and the language, so an edited work or a
    changed list gives a new zip; older zips of the same list and format are removed, but
    not the current zip of another language. Who may download is the caller's business
    (the owner only).
    """
    language = download_language(language)
    with in_language(language):
        readme = batch_readme(plan)
    parts = [EXPORT_VERSION, plan.list_name, plan.fmt, str(plan.unavailable), str(plan.cut)]
    parts += [f"{item.title}\t{item.url}\t{item.reason}" for item in plan.left_out]
    parts += [f"{work.pk}:{export_document(work).stamp()}" for work in plan.works]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]
    folder = downloads_dir() / "batches" / str(user.pk)
    prefix = f"{plan.list_name}-{plan.fmt}"
    current = f"{prefix}-{EXPORT_VERSION}-{digest}"
    return cached_file(
        folder / f"{current}-{language}.zip",
        lambda: _build_zip(plan, readme, language),
        stale=f"{prefix}-*.zip",
        keep=f"{current}-*.zip",
    )
