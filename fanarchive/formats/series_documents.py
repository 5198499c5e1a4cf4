"""Reads for series downloads: the parts a reader may download, and what the file holds.

A series download is the series' front matter (title, creators, summary, notes) and,
for each part, the same `ExportDocument` a single work's download is made of.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils.translation import gettext as _

from fanarchive.formats.selectors import ExportDocument, export_document
from fanarchive.works.models import Series, Work
from fanarchive.works.selectors import with_blurb_data
from fanarchive.works.series_selectors import series_creators_for

if TYPE_CHECKING:
    from fanarchive.works.selectors import AnyUser


@dataclass
class SeriesDocument:
    """Everything a series download holds, read once and handed to each exporter."""

    series_id: int
    title: str
    creators: list[str]
    summary: str
    notes: str
    complete: bool
    updated: datetime
    site_name: str
    parts: list[ExportDocument] = field(default_factory=list)
    # No public creator (every part anonymous): `creators` is ["Anonymous"], and `byline`
    # says it in the download's language.
    anonymous: bool = False

    @property
    def byline(self) -> list[str]:
        return [_("Anonymous")] if self.anonymous else self.creators

    @property
    def language(self) -> str:
        return self.parts[0].language if self.parts else "en"

    @property
    def modified(self) -> datetime:
        return max([self.updated, *(part.updated for part in self.parts)])

    def stamp(self) -> str:
        """Changes whenever anything in the download changes: the series' own fields and
        each part's id and stamp, in order."""
        lines = [self.title, self.summary, self.notes, str(self.complete), *self.creators]
        lines += [f"{part.work_id}:{part.stamp()}" for part in self.parts]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20]


def series_parts(viewer: AnyUser, series_id: int) -> tuple[Series, list[Work]]:
    """The series and the works of it `viewer` may download, in series order, with their
    blurb data (tags for the adult-content rule). A series with none of them is a 404.

    Parts are the works `viewer` may list (`visible_to`): never drafts, hidden or
    unrevealed works, not even their creators' own.
    """
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404(_("No such series."))
    visible = Work.objects.visible_to(viewer).values("id")
    order = list(
        series.series_works.filter(work__in=visible)
        .order_by("position", "id")
        .values_list("work_id", flat=True)
    )
    by_id = {work.pk: work for work in with_blurb_data(Work.objects.filter(id__in=order))}
    parts = [by_id[work_id] for work_id in order]
    if not parts:
        raise Http404(_("No such series."))
    return series, parts


def viewer_class(viewer: AnyUser) -> str:
    """What about a reader changes a series file: `visible_to` gives logged-in readers the
    restricted parts too (bylines are the public's for everyone)."""
    return "member" if viewer.is_authenticated else "guest"


def series_document(series: Series, parts: list[Work]) -> SeriesDocument:
    """The series' download contents. Shared by every reader who sees the same parts,
    so creators are named as the public sees them (none when a part is anonymous)."""
    public_creators = series_creators_for(AnonymousUser(), series)
    return SeriesDocument(
        series_id=series.pk,
        title=series.title,
        creators=[pseud.byline for pseud in public_creators] or ["Anonymous"],
        summary=series.summary,
        notes=series.notes,
        complete=series.complete,
        updated=series.updated_at,
        site_name=settings.SITE_NAME,
        parts=[export_document(work) for work in parts],
        anonymous=not public_creators,
    )
