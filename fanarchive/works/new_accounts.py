"""Who counts as a new account, and how many works a new account may post (README, "Spam").

An account is new for `settings.NEW_ACCOUNT_DAYS` after it joined and, when
`settings.NEW_ACCOUNT_POSTS` is above 0, after that until it has that many published
works and comments. This is the one definition: the works services limit new accounts'
posting with it, and the engagement app (above) holds their comments with links and
limits their comments through it (`engagement.spam_selectors`).

Comments are the engagement app's, which sits above works: engagement supplies the
count of a person's published comments once, when it is ready (`engagement.apps`), as
it supplies works' engagement counts (`works.stats`): a port, not an upward import.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanarchive.core.ratelimit import rate_limit_hold
from fanarchive.works.models import Work

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

CommentCounter = Callable[["User"], int]
_comment_counter: list[CommentCounter] = []


def comment_count_supplied_by(counter: CommentCounter) -> None:
    """Say where a person's published comments are counted (engagement, when ready)."""
    _comment_counter[:] = [counter]


def new_account_days() -> int:
    return int(settings.NEW_ACCOUNT_DAYS)


def new_account_posts() -> int:
    return int(settings.NEW_ACCOUNT_POSTS)


def work_rate() -> tuple[int, int]:
    """(works, seconds): what a new account may post in that many seconds."""
    count, seconds = settings.NEW_ACCOUNT_WORK_RATE
    return int(count), int(seconds)


def published_works_of(user: User) -> int:
    return Work.objects.by_user(user).filter(posted=True).count()


def is_new_account(user: User, *, now: dt.datetime | None = None) -> bool:
    """Whether `user` is still a new account (younger than the days, or fewer posts)."""
    now = now or timezone.now()
    if user.date_joined > now - dt.timedelta(days=new_account_days()):
        return True
    needed = new_account_posts()
    if needed <= 0:
        return False
    posts = published_works_of(user)
    if posts < needed and _comment_counter:
        posts += _comment_counter[0](user)
    return posts < needed


def per_window(count: int, seconds: int, noun: str) -> str:
    """ "3 comments every 15 minutes", "5 works an hour", "2 works every 2 hours"."""
    if noun == "work":
        things = ngettext("%(count)s work", "%(count)s works", count) % {"count": count}
    elif noun == "comment":
        things = ngettext("%(count)s comment", "%(count)s comments", count) % {"count": count}
    else:
        things = f"{count} {noun}{'s' if count != 1 else ''}"
    if seconds == 3600:
        return _("%(things)s an hour") % {"things": things}
    if seconds == 86400:
        return _("%(things)s a day") % {"things": things}
    if seconds % 3600 == 0:
        return _("%(things)s every %(hours)s hours") % {"things": things, "hours": seconds // 3600}
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext(
            "%(things)s every %(minutes)s minute", "%(things)s every %(minutes)s minutes", minutes
        ) % {"things": things, "minutes": minutes}
    return _("%(things)s every %(seconds)s seconds") % {"things": things, "seconds": seconds}


def minutes_phrase(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


class WorkRateLimited(ValidationError):
    """A new account posted its works for the hour; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after


def work_rate_check(user: User, *, now: dt.datetime | None = None) -> None:
    """Refuse (WorkRateLimited) a new account's post beyond `work_rate()` in its window.

    Call it in the transaction that posts: it holds the account's key until that
    transaction ends, so posts sent at once are counted one after another.
    """
    now = now or timezone.now()
    if not is_new_account(user, now=now):
        return
    count, seconds = work_rate()
    rate_limit_hold(scope="work", key=f"user:{user.pk}", seconds=seconds)
    window = dt.timedelta(seconds=seconds)
    times = list(
        Work.objects.by_user(user)
        .filter(posted=True, first_posted_at__gt=now - window)
        .order_by("-first_posted_at")
        .values_list("first_posted_at", flat=True)[:count]
    )
    if len(times) < count or times[-1] is None:
        return
    wait = (times[-1] + window - now).total_seconds()
    raise WorkRateLimited(
        _("New accounts can post %(rate)s; try again in %(wait)s.")
        % {"rate": per_window(count, seconds, "work"), "wait": minutes_phrase(wait)},
        retry_after=max(1, math.ceil(wait)),
    )
