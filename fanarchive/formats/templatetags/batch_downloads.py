"""`{% batch_download_links owner "bookmarks" %}`: the "Download all" links of a reader's
bookmarks or marked-for-later page, shown to the list's owner only."""

from __future__ import annotations

from typing import Any

from django import template

from fanarchive.accounts.models import User
from fanarchive.formats import batch_download_services
from fanarchive.formats.exporters import FORMATS

register = template.Library()


@register.inclusion_tag("formats/_batch_downloads.html", takes_context=True)
def batch_download_links(context: dict[str, Any], owner: User, list_name: str) -> dict[str, Any]:
    viewer = context["request"].user
    if not viewer.is_authenticated or viewer.pk != owner.pk:
        return {"shown": False}
    count = len(batch_download_services.batch_list_work_ids(owner, list_name))
    limit = batch_download_services.BATCH_LIMIT
    return {
        "shown": count > 0,
        "owner": owner,
        "list_name": list_name,
        "formats": [(fmt, FORMATS[fmt].label) for fmt in batch_download_services.BATCH_FORMATS],
        "limit": limit,
        "cut": count > limit,
    }
