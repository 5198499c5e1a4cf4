"""Background tasks of data exports: write the zip (`export_prepare`) and remove it once
it has expired (`export_expire`). Queued by `export_services` on commit.

The zip is written entry by entry (one work's files in memory at a time, the long lists
streamed row by row) to a `.part` file renamed when complete, so a half-written file is
never offered. See docs/export-schema.md for what it holds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy, gettext_noop

from fanarchive.accounts.models import User
from fanarchive.core.tasks import retrying_task
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import NoticeKind
from fanarchive.engagement.notices import notify
from fanarchive.formats.exporters import FORMATS
from fanarchive.portability import export_selectors as selectors
from fanarchive.portability.models import DataExport, ExportState

logger = logging.getLogger("fanarchive.tasks")

# Stored in English (`DataExport.error`), translated where shown and in the notice.
FAILED_MESSAGE = gettext_noop(
    "Something went wrong while your export was being prepared. Nothing was kept; "
    "please ask for a new one, and tell the archive's team if it fails again."
)
TOO_LONG_MESSAGE = gettext_noop(
    "Preparing your export took too long and was given up. Please ask again."
)
# The inbox has no kind of its own for messages about one's account yet: a moderation
# notice is the one that always reaches the person's mail (engagement.notices.ALWAYS_MAILED).
NOTICE_KIND = NoticeKind.MODERATION


def _json_bytes(record: Any) -> bytes:
    return json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _write_json(archive: zipfile.ZipFile, name: str, record: dict[str, Any]) -> None:
    archive.writestr(name, _json_bytes(record) + b"\n")


def _write_list(
    archive: zipfile.ZipFile, name: str, key: str, rows: Iterator[dict[str, Any]]
) -> int:
    """One JSON file `{"schema": ..., key: [rows]}`, written row by row; how many rows."""
    count = 0
    with archive.open(name, "w", force_zip64=True) as out:
        out.write(f'{{\n  "schema": "{selectors.SCHEMA}",\n  "{key}": [\n'.encode())
        for row in rows:
            if count:
                out.write(b",\n")
            out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False).encode())
            count += 1
        out.write(b"\n  ]\n}\n")
    return count


def _write_works(archive: zipfile.ZipFile, user: User) -> list[dict[str, Any]]:
    """Each work's folder: work.json, work.epub, work.html, revisions.json; the index."""
    index: list[dict[str, Any]] = []
    for work_id in selectors.owned_work_ids(user):
        work = selectors.owned_work(user, work_id)
        if work is None:  # deleted while the export was written
            continue
        folder = f"works/{work.pk}-{slugify(work.title)[:60] or 'work'}"
        _write_json(archive, f"{folder}/work.json", selectors.work_record(user, work))
        doc = selectors.owner_document(work)
        for fmt in ("epub", "html"):
            spec = FORMATS[fmt]
            # An EPUB is compressed already.
            method = zipfile.ZIP_STORED if fmt == "epub" else zipfile.ZIP_DEFLATED
            archive.writestr(f"{folder}/work.{spec.extension}", spec.build(doc), method)
        _write_json(archive, f"{folder}/revisions.json", selectors.revisions_record(user, work))
        index.append(
            {"id": work.pk, "title": work.title, "folder": folder, "draft": not work.posted}
        )
    return index


def write_zip(user: User, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            render_to_string(
                "portability/export_readme.txt", {"user": user, "site_name": settings.SITE_NAME}
            ).encode(),
        )
        _write_json(archive, "profile.json", selectors.profile_record(user))
        _write_json(archive, "pseuds.json", selectors.pseuds_record(user))
        _write_json(archive, "preferences.json", selectors.preferences_record(user))
        works = _write_works(archive, user)
        _write_json(archive, "works.json", {"schema": selectors.SCHEMA, "works": works})
        _write_list(archive, "comments.json", "comments", selectors.comments_written(user))
        _write_list(archive, "bookmarks.json", "bookmarks", selectors.bookmarks_made(user))
        _write_list(archive, "kudos.json", "kudos", selectors.kudos_given(user))
        _write_list(archive, "history.json", "history", selectors.history_entries(user))
        _write_list(
            archive, "reading_list.json", "reading_list", selectors.reading_list_entries(user)
        )
        _write_list(
            archive, "subscriptions.json", "subscriptions", selectors.subscriptions_held(user)
        )
        _write_list(archive, "inbox.json", "notices", selectors.inbox_notices(user))
        _write_json(archive, "muting.json", selectors.muting_record(user))


def _page(user: User) -> str:
    return reverse("portability:export", args=[user.username])


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


@retrying_task(max_attempts=1)
def export_prepare(export_id: int) -> bool:
    """Write the export's zip and announce it; False when there is nothing to do (done
    already, or gone). A failure marks it failed, with a message for its owner."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state != ExportState.REQUESTED:
        return False
    user = export.user
    folder = selectors.exports_dir() / str(user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{export.pk}-{secrets.token_hex(16)}.zip"
    partial = folder / f"{name}.part"
    try:
        write_zip(user, partial)
        os.replace(partial, folder / name)
    except Exception:
        _remove(partial)
        export_fail(export_id=export_id, message=FAILED_MESSAGE)
        raise
    final = folder / name
    now = timezone.now()
    expires = now + selectors.KEEP_FOR
    with transaction.atomic():
        updated = DataExport.objects.filter(pk=export.pk, state=ExportState.REQUESTED).update(
            state=ExportState.READY,
            ready_at=now,
            expires_at=expires,
            path=str(final.relative_to(selectors.exports_dir().parent)),
            size=final.stat().st_size,
            error="",
        )
        if not updated:  # marked failed (taken as lost) meanwhile
            _remove(final)
            return False
        notify(
            recipients=[user],
            kind=NOTICE_KIND,
            subject=gettext_lazy("Your data export is ready"),
            body=lazy_format(
                gettext_lazy(
                    "The zip of everything of yours on the archive is ready. You can download "
                    "it from your export page until %(date)s UTC."
                ),
                date=lazy_text(lambda: date_format(expires.astimezone(dt.UTC), "DATETIME_FORMAT")),
            ),
            url=_page(user),
        )
        transaction.on_commit(
            lambda: export_expire.using(run_after=expires).enqueue(export.pk), robust=True
        )
    logger.info("Prepared data export %s of user %s", export.pk, user.pk)
    return True


def export_fail(*, export_id: int, message: str) -> bool:
    """Mark an export in preparation failed and tell its owner; False if it was not."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id, state=ExportState.REQUESTED)
            .first()
        )
        if export is None:
            return False
        export.state = ExportState.FAILED
        export.error = message
        export.save(update_fields=["state", "error"])
        notify(
            recipients=[export.user],
            kind=NOTICE_KIND,
            subject=gettext_lazy("Your data export failed"),
            body=gettext_lazy(message),
            url=_page(export.user),
        )
    return True


def expire_export(export: DataExport) -> None:
    """Remove an export's file and mark it expired (its row stays for the daily limit)."""
    if export.path:
        _remove(selectors.export_file(export))
    DataExport.objects.filter(pk=export.pk).update(state=ExportState.EXPIRED, path="", size=0)


@retrying_task()
def export_expire(export_id: int) -> bool:
    """Queued for when a ready export expires: removes it; False if it was not due."""
    export = DataExport.objects.filter(
        pk=export_id, state=ExportState.READY, expires_at__lte=timezone.now()
    ).first()
    if export is None:
        return False
    expire_export(export)
    return True


def exports_clean(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Expire every ready export past its date, and fail those in preparation for longer
    than `STALE_AFTER` (their worker died); how many changed."""
    now = now or timezone.now()
    changed = 0
    due = DataExport.objects.filter(state=ExportState.READY, expires_at__lte=now)
    for export in due.order_by("expires_at")[:limit]:
        expire_export(export)
        changed += 1
    stale = DataExport.objects.filter(
        state=ExportState.REQUESTED, requested_at__lte=now - selectors.STALE_AFTER
    ).values_list("pk", flat=True)
    for export_id in list(stale[:limit]):
        changed += export_fail(
            export_id=export_id,
            message=TOO_LONG_MESSAGE,
        )
    return changed
