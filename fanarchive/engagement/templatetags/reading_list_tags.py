"""The reading-list status form on a work's page: looks up the viewer's own entry (one
indexed query) so the reading view need not know about it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe

from fanarchive.engagement.reading_list_blurbs import status_options
from fanarchive.engagement.reading_list_selectors import reading_entry

register = template.Library()


@register.inclusion_tag("engagement/_reading_status_form.html", takes_context=True)
def reading_status_form(context: template.Context, *, work: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    show = user is not None and user.is_authenticated and work.posted
    entry = reading_entry(user, work.pk) if show and user is not None else None
    return {
        "show": show,
        "work": work,
        "options": mark_safe(  # noqa: S308 (status_options escapes the labels)
            status_options(entry.status if entry else None)
        ),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
