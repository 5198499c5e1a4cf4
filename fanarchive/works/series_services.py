"""Writes to series: ordered works with the series' own title, summary and notes.

A series is changed by its creators (the pseuds of the user who made it). A work
is put into a series by one of its creators who is also a creator of the
series; it is taken out by either. Deleting a series never deletes its works.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.core.text import TextFormat, clean_line, clean_text, html_to_text, render
from fanarchive.works import events, limits
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Series, SeriesCreatorship, SeriesWork, Work
from fanarchive.works.selectors import is_creator, require_creator
from fanarchive.works.series_selectors import is_series_creator

Errors = dict[str, list[str]]


def _require_series_creator(user: User, series: Series) -> None:
    if not is_series_creator(user, series):
        raise PermissionDenied(gettext("Only the creators of this series can change it."))


def _html(text: str) -> str:
    return render(text.strip(), TextFormat.HTML) if text.strip() else ""


def _cleaned(*, title: str, summary: str, notes: str) -> tuple[str, str, str]:
    """What the writer typed, without control characters (before anything reads it)."""
    return clean_line(title), clean_text(summary), clean_text(notes)


def _series_errors(*, title: str, summary: str, notes: str) -> Errors:
    errors: Errors = {}
    if not title.strip():
        errors["title"] = [gettext("Please enter a title for the series.")]
    elif len(title.strip()) > limits.SERIES_TITLE_MAX:
        errors["title"] = [
            gettext("The series title must be %(SERIES_TITLE_MAX)s characters or fewer.")
            % {"SERIES_TITLE_MAX": limits.SERIES_TITLE_MAX}
        ]
    if len(html_to_text(_html(summary)).strip()) > limits.SUMMARY_MAX:
        errors["summary"] = [
            gettext("The summary must be %(SUMMARY_MAX)s characters or fewer.")
            % {"SUMMARY_MAX": f"{limits.SUMMARY_MAX:,}"}
        ]
    if len(html_to_text(_html(notes)).strip()) > limits.NOTES_MAX:
        errors["notes"] = [
            gettext("The notes must be %(NOTES_MAX)s characters or fewer.")
            % {"NOTES_MAX": f"{limits.NOTES_MAX:,}"}
        ]
    return errors


def _works_changed(series: Series) -> None:
    # The catalogue shows series in blurbs and may search their titles.
    for work_id in series.series_works.values_list("work_id", flat=True):
        catalogue_work_changed(work_id=work_id)


def series_create(
    *, user: User, title: str, summary: str = "", notes: str = "", complete: bool = False
) -> Series:
    title, summary, notes = _cleaned(title=title, summary=summary, notes=notes)
    errors = _series_errors(title=title, summary=summary, notes=notes)
    if errors:
        raise ValidationError(errors)
    return _series_insert(user=user, title=title, summary=summary, notes=notes, complete=complete)


def _series_insert(*, user: User, title: str, summary: str, notes: str, complete: bool) -> Series:
    """Write a new series from cleaned, checked fields."""
    with transaction.atomic():
        series = Series.objects.create(
            title=title.strip(), summary=_html(summary), notes=_html(notes), complete=complete
        )
        SeriesCreatorship.objects.create(series=series, pseud=user.default_pseud)
    return series


def series_update(
    *, user: User, series: Series, title: str, summary: str, notes: str, complete: bool
) -> Series:
    _require_series_creator(user, series)
    title, summary, notes = _cleaned(title=title, summary=summary, notes=notes)
    errors = _series_errors(title=title, summary=summary, notes=notes)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        series.title = title.strip()
        series.summary = _html(summary)
        series.notes = _html(notes)
        series.complete = complete
        series.save()
        _works_changed(series)
    return series


def series_delete(*, user: User, series: Series) -> None:
    """Delete the series; its works stay as they are, just no longer in it."""
    _require_series_creator(user, series)
    with transaction.atomic():
        _works_changed(series)
        series.delete()


def series_work_add(
    *,
    user: User,
    work: Work,
    series: Series | None = None,
    new_title: str = "",
    position: int | None = None,
) -> SeriesWork:
    """Put `work` in `series`, or in a new series called `new_title`: at the end, or as
    part `position` (the works from there on move down one) when the series already has
    that many parts; a position beyond the end is the end."""
    require_creator(user, work, to=gettext("add it to a series"))
    new_title = clean_line(new_title)
    if series is None:
        if not new_title.strip():
            raise ValidationError(
                {"series": [gettext("Choose one of your series, or give a title for a new one.")]}
            )
        errors = _series_errors(title=new_title, summary="", notes="")
        if errors:
            raise ValidationError({"new_title": errors["title"]})
    else:
        _require_series_creator(user, series)
        if series.series_works.filter(work=work).exists():
            raise ValidationError(
                {
                    "series": [
                        gettext('This work is already in "%(title)s".') % {"title": series.title}
                    ]
                }
            )
    with transaction.atomic():
        if series is None:
            series = _series_insert(
                user=user, title=new_title, summary="", notes="", complete=False
            )
        last = series.series_works.aggregate(last=Max("position"))["last"] or 0
        place = last + 1 if position is None else min(max(position, 1), last + 1)
        later = series.series_works.filter(position__gte=place)
        moved = list(later.values_list("work_id", flat=True)) if place <= last else []
        if moved:
            later.update(position=F("position") + 1)
        entry = SeriesWork.objects.create(series=series, work=work, position=place)
        for work_id in [*moved, work.pk]:
            catalogue_work_changed(work_id=work_id)
        events.series_work_added(series=series, work=work)
    return entry


def series_work_append_migrated(*, series: Series, work: Work) -> SeriesWork:
    """Put `work` at the end of `series` without a permission check (archive migrations).

    An open series of the old archive could hold other writers' works, which they put
    there themselves; a migration keeps that. Not for anything a user does here.
    """
    with transaction.atomic():
        existing = series.series_works.filter(work=work).first()
        if existing is not None:
            return existing
        last = series.series_works.aggregate(last=Max("position"))["last"] or 0
        entry = SeriesWork.objects.create(series=series, work=work, position=last + 1)
        catalogue_work_changed(work_id=work.pk)
    return entry


def series_work_remove(*, user: User, series: Series, work: Work) -> None:
    """Take `work` out of `series` (by a creator of either); the rest close ranks."""
    if not (is_creator(user, work) or is_series_creator(user, series)):
        raise PermissionDenied(gettext("Only the creators of the work or the series can do this."))
    with transaction.atomic():
        deleted, _ = series.series_works.filter(work=work).delete()
        if not deleted:
            raise ValidationError(
                {"series": [gettext('This work is not in "%(title)s".') % {"title": series.title}]}
            )
        _renumber(series, list(series.series_works.order_by("position", "id")))
        catalogue_work_changed(work_id=work.pk)


def series_reorder(*, user: User, series: Series, work_ids: Sequence[int]) -> None:
    """Put the series' works in this order; `work_ids` must name each exactly once."""
    _require_series_creator(user, series)
    entries = {entry.work_id: entry for entry in series.series_works.all()}
    if len(work_ids) != len(entries) or set(work_ids) != set(entries):
        raise ValidationError(gettext("Give every work of this series a place, each exactly once."))
    with transaction.atomic():
        _renumber(series, [entries[work_id] for work_id in work_ids])
        _works_changed(series)


def _renumber(series: Series, entries: list[SeriesWork]) -> None:
    for position, entry in enumerate(entries, start=1):
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])


def series_positions_close(*, series_ids: Sequence[int]) -> None:
    """Renumber these series' works 1, 2, 3... (after a work left them; in the caller's
    transaction)."""
    for series in Series.objects.filter(pk__in=series_ids):
        _renumber(series, list(series.series_works.order_by("position", "id")))
