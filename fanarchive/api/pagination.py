"""Cursor pagination: opaque cursors, `next` in every listing, no page numbers to guess.

Listings read from the database (a user's or a pseud's works, drafts) page by
keyset on (date, id), so a cursor stays right while works are posted. The works
listing comes from the catalogue index, where any page costs the same; its
cursor carries the page of the index's own pagination.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


def page_size(limit: int | None) -> int:
    if limit is None:
        return int(settings.API_PAGE_SIZE)
    return max(1, min(int(limit), int(settings.API_PAGE_SIZE_MAX)))


def cursor_encode(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str | None, *, keys: set[str]) -> dict[str, Any] | None:
    """The cursor's content; a cursor this API did not make is a validation error."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or set(data) != keys:
        raise ValidationError({"cursor": [_("This cursor is not one this listing gave out.")]})
    return data


def keyset_page(
    items: QuerySet[M], *, cursor: str | None, limit: int, field: str
) -> tuple[list[M], str | None]:
    """A page of `items` newest first by (`field`, id), and the cursor of the next page."""
    position = cursor_decode(cursor, keys={"at", "id"})
    items = items.order_by(f"-{field}", "-id")
    if position is not None:
        try:
            at = datetime.fromisoformat(str(position["at"]))
            last_id = int(position["id"])
        except (TypeError, ValueError):
            raise ValidationError(
                {"cursor": [_("This cursor is not one this listing gave out.")]}
            ) from None
        items = items.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "id__lt": last_id}))
    rows = list(items[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = cursor_encode({"at": getattr(last, field).isoformat(), "id": last.pk})
    return rows, next_cursor
