"""Alerts on saved filters: a reader subscribes to one of their saved filters, and works
that later enter it reach their inbox and e-mail like any subscription's new work.

Matched from the catalogue change log, never by re-running every filter on every post:
`saved_filter_alerts_run` (a background task queued after changes, `alert_tasks`, and
the `saved-filter-alerts` command for cron) reads the log past a stored position, and
only the works changed there are checked against each subscribed filter, in the
catalogue index, for the subscriber as viewer (so visibility, restricted works and their
mutes hold as in their listings). A work enters a filter when it matches it now and did
not when the reader subscribed (`SavedFilterAlert.baseline`); each reader hears of a work
once, ever (`SavedFilterAlertSent`). The position, what was sent and the notices are
written in one transaction, so a restart neither repeats nor loses an alert.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy
from pyroaring import BitMap

from fanarchive.accounts.models import Block, User
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.discovery.forms import FilterForm
from fanarchive.discovery.index import live
from fanarchive.discovery.index.backend import CatalogueBackend, Filter
from fanarchive.discovery.index.structures import bitmap_of, ids_of
from fanarchive.discovery.models import (
    SavedFilter,
    SavedFilterAlert,
    SavedFilterAlertPosition,
    SavedFilterAlertSent,
)
from fanarchive.discovery.search import Query, backend
from fanarchive.discovery.selectors import viewer_for
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.engagement.notices import notify
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Creatorship, Work
from fanarchive.works.selectors import anonymous_works_q, newest_change_id, public_byline

# A log id missing below the newest read (a transaction that took it has not committed
# yet) is asked for again this long before it is taken for rolled back.
GAP_SECONDS = 600
GAPS_MAX = 1000
# Log entries read per transaction: a burst (a big wrangling) is worked through in steps.
BATCH = 5000


def _own(user: User, saved: SavedFilter) -> None:
    if saved.user_id != user.pk:
        raise PermissionDenied(gettext("This is not your saved filter."))


def _filter_of(saved: SavedFilter) -> tuple[Filter, Query | None] | None:
    """The saved filter as the index asks it (None: no longer a valid filter)."""
    form = FilterForm(QueryDict(saved.query_string))
    if not form.is_valid():
        return None
    return form.to_filter(), form.text_query


@contextmanager
def _index_at(change_id: int) -> Iterator[CatalogueBackend]:
    """This process's catalogue index, caught up at least to log entry `change_id`."""
    with live.reading() as catalogue:
        if catalogue.applied < change_id:
            catalogue = live.catch_up(catalogue)
        yield catalogue


def _matching(
    catalogue: CatalogueBackend,
    spec: Filter,
    text: Query | None,
    user: User,
    within: BitMap | None = None,
) -> BitMap:
    """The works `user` finds with this filter, as their listing would (`works_find`);
    only those `within` these when given, the text searched only if any is left."""
    # Alerts keep their own bitmaps of ids, whichever backend answers.
    works = bitmap_of(catalogue.ids(catalogue.matching(spec, viewer_for(user))))
    if within is not None:
        works &= within
    if text is not None and works:
        search = backend()
        ids, exact = search.candidates(text)
        works &= bitmap_of(ids)
        if not exact:
            works = bitmap_of(search.confirm(text, ids_of(works)))
    return works


def saved_filter_alert_subscribe(*, user: User, saved: SavedFilter) -> SavedFilterAlert:
    """Subscribe `user` to their own saved filter; twice is once. What it lists now is
    remembered: only works entering it later are alerted."""
    _own(user, saved)
    existing = SavedFilterAlert.objects.filter(saved_filter=saved).first()
    if existing is not None:
        return existing
    parsed = _filter_of(saved)
    if parsed is None:
        raise ValidationError(
            gettext("This saved filter is no longer valid; save it again to subscribe.")
        )
    since = newest_change_id()
    with _index_at(since) as catalogue:
        baseline = _matching(catalogue, parsed[0], parsed[1], user)
    try:
        with transaction.atomic():
            return SavedFilterAlert.objects.create(
                saved_filter=saved, since_change=since, baseline=baseline.serialize()
            )
    except IntegrityError:  # a double click raced us
        return SavedFilterAlert.objects.get(saved_filter=saved)


def saved_filter_alert_unsubscribe(*, user: User, saved: SavedFilter) -> None:
    """Stop the alerts of `user`'s saved filter (what was sent stays sent)."""
    _own(user, saved)
    with transaction.atomic():
        SavedFilterAlert.objects.filter(saved_filter=saved).delete()


# -- the run (a background task and a command) ----------------------------------------------


@dataclass
class AlertRun:
    """What a run did: log entries read, and alerts sent."""

    read: int = 0
    sent: int = 0


def saved_filter_alerts_run() -> AlertRun:
    """Alert subscribers of the works that entered their filters since the last run."""
    SavedFilterAlertPosition.objects.get_or_create(pk=1)
    run = AlertRun()
    while True:
        read, sent, more = _run_batch()
        run.read += read
        run.sent += sent
        if not more:
            return run


def log_needed_from() -> int | None:
    """The lowest change-log entry the alerts have still to read (None: nobody subscribes),
    so that pruning the log never takes one from them."""
    since: int | None = SavedFilterAlert.objects.aggregate(oldest=Min("since_change"))["oldest"]
    if since is None:
        return None
    position = SavedFilterAlertPosition.objects.filter(pk=1).first()
    applied = position.applied if position else 0
    gaps = [int(gap) for gap in position.gaps] if position else []
    return min([max(applied, since) + 1, *gaps])


def _run_batch() -> tuple[int, int, bool]:
    """One transaction: read up to BATCH log entries, alert, move the position on.
    Returns (entries read, alerts sent, whether entries are left)."""
    with transaction.atomic():
        position = SavedFilterAlertPosition.objects.select_for_update().get(pk=1)
        now = time.time()
        gaps = {int(k): seen for k, seen in position.gaps.items() if now - seen < GAP_SECONDS}
        alerts = list(
            SavedFilterAlert.objects.select_related("saved_filter", "saved_filter__user")
            .filter(saved_filter__user__is_active=True)
            .order_by("saved_filter__user_id", "saved_filter__name", "pk")
        )
        if not alerts:  # nobody listens: skip what was logged
            position.applied, position.gaps = max(position.applied, newest_change_id()), {}
            position.save()
            return 0, 0, False
        # Nothing logged before the oldest subscription matters.
        low = max(position.applied, min(alert.since_change for alert in alerts))
        rows = list(
            CatalogueChange.objects.filter(id__gt=low)
            .order_by("id")
            .values_list("id", "work_id")[:BATCH]
        )
        late = list(CatalogueChange.objects.filter(id__in=list(gaps)).values_list("id", "work_id"))
        for change_id, _ in late:
            gaps.pop(change_id, None)
        if rows:
            seen = {change_id for change_id, _ in rows}
            for missing in range(low + 1, rows[-1][0]):
                if missing not in seen:
                    gaps.setdefault(missing, now)
        fresh = late + rows
        sent = _alert(alerts, fresh) if fresh else 0
        position.applied = max(position.applied, rows[-1][0] if rows else low)
        # The newest gaps only: a sequence that jumped (PostgreSQL after a crash) is no backlog.
        kept = sorted(gaps)[-GAPS_MAX:]
        position.gaps = {str(k): gaps[k] for k in kept}
        position.save()
    return len(fresh), sent, len(rows) == BATCH


def _alert(alerts: list[SavedFilterAlert], changes: list[tuple[int, int]]) -> int:
    """Match the changed works against each subscribed filter; notify; the number sent."""
    newest = max(change_id for change_id, _ in changes)
    oldest = min(change_id for change_id, _ in changes)
    everything = BitMap(work_id for _, work_id in changes)
    # Per reader, the works that entered one of their filters, with the first such filter.
    entered: dict[int, dict[int, SavedFilter]] = defaultdict(dict)
    users: dict[int, User] = {}
    with _index_at(newest) as catalogue:
        for alert in alerts:
            changed = (
                everything
                if alert.since_change < oldest
                else BitMap(w for change_id, w in changes if change_id > alert.since_change)
            )
            parsed = _filter_of(alert.saved_filter) if changed else None
            if parsed is None:
                continue
            user = alert.saved_filter.user
            users[user.pk] = user
            works = _matching(catalogue, parsed[0], parsed[1], user, within=changed)
            if alert.baseline:  # bytes, or a memoryview from PostgreSQL
                works -= BitMap.deserialize(bytes(alert.baseline))
            for work_id in works:
                entered[user.pk].setdefault(work_id, alert.saved_filter)
    sent = 0
    for user_id, entries in entered.items():
        sent += _notify_reader(users[user_id], entries)
    return sent


def _not_for(user: User, work_ids: list[int]) -> set[int]:
    """Of these works, those `user` must not hear of: already alerted, their own, by a
    creator they blocked (named works only: hiding an anonymous one would tell whose it
    is, as mutes do), or already told of as a new work by another subscription."""
    already = set(
        SavedFilterAlertSent.objects.filter(user=user, work_id__in=work_ids).values_list(
            "work_id", flat=True
        )
    )
    own = set(
        Creatorship.objects.filter(work_id__in=work_ids, pseud__user=user).values_list(
            "work_id", flat=True
        )
    )
    blocked = set(
        Creatorship.objects.filter(
            work_id__in=work_ids,
            pseud__user_id__in=Block.objects.filter(blocker=user).values("blocked_id"),
        )
        .exclude(anonymous_works_q("work__"))
        .values_list("work_id", flat=True)
    )
    return already | own | blocked


def _notify_reader(user: User, entered: dict[int, SavedFilter]) -> int:
    ids = sorted(entered)
    skip = _not_for(user, ids)
    # The database's word on visibility as well as the index's (drafts, hidden,
    # unrevealed): the inbox shows nothing its reader may not open.
    works = (
        Work.objects.visible_to(user)
        .filter(pk__in=[i for i in ids if i not in skip])
        .prefetch_related("creatorships__pseud")
        .order_by("pk")
    )
    sent = 0
    for work in works:
        saved = entered[work.pk]
        url = work.get_absolute_url()
        told = Notice.objects.filter(
            recipient=user, kind=NoticeKind.SUBSCRIPTION, work=work, url=url
        ).exists()
        if not told:
            notify(
                recipients=[user],
                kind=NoticeKind.SUBSCRIPTION,
                subject=lazy_format(
                    gettext_lazy("New in your filter %(filter)s: %(title)s"),
                    filter=saved.name,
                    title=work.title,
                ),
                body=lazy_format(
                    gettext_lazy(
                        '%(title)s by %(byline)s is new in your saved filter "%(filter)s".'
                    ),
                    title=work.title,
                    byline=lazy_text(public_byline, work),
                    filter=saved.name,
                ),
                url=url,
                work=work,
            )
            sent += 1
        SavedFilterAlertSent.objects.create(user=user, work=work, saved_filter=saved)
    return sent
