"""Series -> series, one transaction each, owned by the series' migrated author.

eFiction nests series in series; here a series holds works only, so a nested series
stays a series of its own and its works are also parts of the outer series, in its
place (`_series_parts`, which stops at loops).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from fanarchive.accounts.models import User
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.context import Kind, MigrationContext
from fanarchive.formats.efiction.report import ALREADY, MAPPED, MIGRATED
from fanarchive.formats.efiction.text import notes_html
from fanarchive.formats.errors import validation_text
from fanarchive.works.series_services import series_create, series_work_append_migrated

Entries = dict[int, list[r.InSeries]]


def series_migrate(ctx: MigrationContext) -> None:
    entries: Entries = {}
    for entry in ctx.archive.inseries:
        entries.setdefault(entry.seriesid, []).append(entry)
    for rows in entries.values():
        rows.sort(key=lambda e: (e.inorder, e.sid, e.subseriesid))
    for seriesid, rows in entries.items():
        if seriesid not in ctx.archive.series:
            for entry in rows:
                ctx.report.skip("inseries", _key(seriesid, entry), f"series {seriesid} is unknown.")
    for series in sorted(ctx.archive.series.values(), key=lambda s: s.seriesid):
        ctx.progress("series", 1)
        rows = entries.get(series.seriesid, [])
        if (Kind.SERIES, series.seriesid) in ctx.mapped:
            ctx.report.count("series", ALREADY)
            ctx.report.count("inseries", ALREADY, len(rows))
            continue
        owner = ctx.user_for_author(series.uid)
        if owner is None:
            reason = f"its owner ({series.uid}) was not migrated."
            _skip(ctx, series, rows, reason)
            continue
        try:
            with transaction.atomic():
                _one_series(ctx, series, owner, rows, entries)
        except ValidationError as error:
            _skip(ctx, series, rows, validation_text(error))


def _key(seriesid: int, entry: r.InSeries) -> str:
    """How the report names a row of inseries: the series, then the story or nested series."""
    return f"{seriesid}/{entry.sid or entry.subseriesid}"


def _skip(ctx: MigrationContext, series: r.Series, rows: list[r.InSeries], reason: str) -> None:
    ctx.report.skip("series", series.seriesid, reason)
    for entry in rows:
        ctx.report.skip("inseries", _key(series.seriesid, entry), "the series is skipped.")


def _series_parts(seriesid: int, entries: Entries, seen: set[int]) -> list[int]:
    """The story ids of a series in order, nested series' stories in their place."""
    sids: list[int] = []
    for entry in entries.get(seriesid, []):
        if entry.subseriesid:
            if entry.subseriesid in seen:
                continue
            sids += _series_parts(entry.subseriesid, entries, seen | {entry.subseriesid})
        elif entry.sid and entry.sid not in sids:
            sids.append(entry.sid)
    return sids


def _one_series(
    ctx: MigrationContext,
    series: r.Series,
    owner: User,
    rows: list[r.InSeries],
    entries: Entries,
) -> None:
    new = series_create(
        user=owner,
        title=series.title or f"Untitled series {series.seriesid}",
        summary=notes_html(series.summary),
    )
    # The rows are counted once the series is saved, so a refused series counts none twice.
    counted: list[tuple[str, str, str]] = []
    for entry in rows:
        key = _key(series.seriesid, entry)
        if entry.subseriesid:
            nested = ctx.archive.series.get(entry.subseriesid)
            if nested is None:
                counted.append((key, "skip", f"nested series {entry.subseriesid} is unknown."))
                continue
            for sid in _series_parts(
                entry.subseriesid, entries, {series.seriesid, entry.subseriesid}
            ):
                work = ctx.work_for_story(sid)
                if work is not None:
                    series_work_append_migrated(series=new, work=work)
            ctx.report.decide(
                f'Series "{nested.title}" is nested in "{series.title}": it stays a series, '
                "and its works are also parts of the outer series, in its place."
            )
            counted.append((key, MAPPED, ""))
            continue
        work = ctx.work_for_story(entry.sid)
        if work is None:
            counted.append((key, "skip", f"story {entry.sid} was not migrated."))
            continue
        series_work_append_migrated(series=new, work=work)
        counted.append((key, MIGRATED, ""))
    ctx.remember(Kind.SERIES, series.seriesid, new.pk)
    ctx.report.count("series", MIGRATED)
    for key, status, reason in counted:
        if status == "skip":
            ctx.report.skip("inseries", key, reason)
        else:
            ctx.report.count("inseries", status)
