"""The buttons of bookmarks, subscriptions and "marked for later" on work, series and user
pages: each looks up the viewer's own row (one indexed query) so the pages' views need
not know about them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fanarchive.engagement import bookmark_selectors, inbox_selectors, spam_selectors
from fanarchive.engagement.models import SubscriptionKind

register = template.Library()


def _viewer(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("engagement/_bookmark_form_button.html", takes_context=True)
def bookmark_button(
    context: template.Context, *, work: Any = None, series: Any = None
) -> dict[str, Any]:
    user = _viewer(context)
    mine = None
    if user is not None and user.is_authenticated:
        mine = bookmark_selectors.bookmark_of(
            user, work=work, series_id=series.pk if series is not None else None
        )
    return {
        "user": user,
        "work": work,
        "series": series,
        "mine": mine,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("engagement/_subscribe_form_button.html", takes_context=True)
def subscribe_button(
    context: template.Context, *, kind: str, target: Any, label: str
) -> dict[str, Any]:
    user = _viewer(context)
    subscription = None
    if user is not None and user.is_authenticated:
        subscription = inbox_selectors.subscription_of(user, kind=kind, target_id=target.pk)
    show = (
        user is not None
        and user.is_authenticated
        and not (kind == SubscriptionKind.CREATOR and target.pk == user.pk)
    )
    return {
        "show": show,
        "kind": kind,
        "target": target,
        "label": label,
        "subscription": subscription,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("engagement/_mark_for_later_form.html", takes_context=True)
def mark_for_later_button(context: template.Context, *, work: Any) -> dict[str, Any]:
    user = _viewer(context)
    entry = inbox_selectors.history_entry(user, work) if user is not None else None
    return {
        "show": user is not None
        and user.is_authenticated
        and work.posted
        and inbox_selectors.uses_marked_for_later(user),
        "work": work,
        "marked": entry is not None and entry.marked_for_later,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def comment_reply_url(comment_id: int | None) -> str:
    """The reply address of a comment notice's comment, or "" for a notice without one."""
    if comment_id is None:
        return ""
    return reverse("engagement:comment_reply", kwargs={"comment_id": comment_id})


@register.filter
def held_reason(reason: str) -> str:
    """Why a comment is held, in the reader's language (`spam_selectors.held_reason_text`)."""
    return spam_selectors.held_reason_text(reason)
