"""Template helpers of the moderation pages, and the header's "Moderation" link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

from fanarchive.moderation import selectors
from fanarchive.moderation.page_selectors import open_report_count

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User
    from fanarchive.moderation.models import Report

register = template.Library()


@register.simple_tag
def moderation_open_count(user: User | AnonymousUser) -> int | None:
    """The open reports' count for a moderator (one query), None for anyone else."""
    return open_report_count(user)


@register.filter
def time_left(report: Report) -> str:
    """ "31 h left" of an urgent report's 48 hours, or "overdue by 3 h"; "" when not due."""
    hours = selectors.hours_left(report)
    if hours is None:
        return ""
    if hours < 0:
        return f"overdue by {int(-hours) or 1} h"
    return f"{int(hours)} h left" if hours >= 1 else "under 1 h left"
