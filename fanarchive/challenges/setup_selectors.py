"""Reads about a challenge's set-up: the challenge of a collection, its rules, its window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fanarchive.challenges.models import Challenge, TagRule
from fanarchive.challenges.prompt_rules import TAG_TYPE_ORDER
from fanarchive.collections.models import Collection


def challenge_of(collection: Collection) -> Challenge | None:
    """The collection's challenge, or None."""
    return (
        Challenge.objects.filter(collection=collection)
        .select_related("collection", "tag_set")
        .first()
    )


def challenge_by_name(name: str) -> Challenge | None:
    """The challenge of the collection named `name` (any case), or None."""
    return (
        Challenge.objects.filter(collection__name__iexact=name)
        .select_related("collection", "tag_set")
        .first()
    )


def tag_rules(challenge: Challenge) -> list[TagRule]:
    """The challenge's rules in the usual order of tag types."""
    order = {tag_type: i for i, tag_type in enumerate(TAG_TYPE_ORDER)}
    return sorted(challenge.tag_rules.all(), key=lambda rule: order.get(rule.tag_type, 99))


def when(moment: dt.datetime) -> str:
    """A date as messages and pages give it."""
    return date_format(timezone.localtime(moment), "j F Y, H:i T")


@dataclass(frozen=True)
class SignupWindow:
    is_open: bool
    message: str  # why closed ("Sign-ups open on ..."), or what is left ("... close on ...")


def signup_window(challenge: Challenge, now: dt.datetime | None = None) -> SignupWindow:
    """Whether sign-ups are taken now: the open flag and between the dates."""
    now = now or timezone.now()
    if challenge.signups_open_at is not None and now < challenge.signups_open_at:
        return SignupWindow(
            False, _("Sign-ups open on %(when)s.") % {"when": when(challenge.signups_open_at)}
        )
    if challenge.signups_close_at is not None and now >= challenge.signups_close_at:
        return SignupWindow(
            False, _("Sign-ups closed on %(when)s.") % {"when": when(challenge.signups_close_at)}
        )
    if not challenge.signup_open:
        return SignupWindow(False, _("Sign-ups are closed."))
    if challenge.signups_close_at is not None:
        return SignupWindow(
            True,
            _("Sign-ups are open until %(when)s.") % {"when": when(challenge.signups_close_at)},
        )
    return SignupWindow(True, _("Sign-ups are open."))
