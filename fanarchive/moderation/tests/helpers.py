"""Shared makers for the moderation tests: moderators, reports, comments."""

from __future__ import annotations

from django.contrib.auth.models import Group

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import MODERATORS_GROUP
from fanarchive.core.testing import make_user
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Comment
from fanarchive.moderation.models import Report
from fanarchive.moderation.report_services import report_create
from fanarchive.works.models import Work


def make_moderator(username: str) -> User:
    """A member of the Moderators group (not staff)."""
    user = make_user(username)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def report_work(work: Work, reporter: User | None = None, **overrides: object) -> Report:
    values: dict[str, object] = {
        "reporter": reporter,
        "email": "" if reporter else "guest.reader@example.org",
        "category": "rating",
        "text": "This reads as Explicit, not General.",
        "target_type": "work",
        "target_id": work.pk,
    }
    values.update(overrides)
    return report_create(**values)  # type: ignore[arg-type]


def make_comment(work: Work, author: User, text: str = "A kind word about the harbour.") -> Comment:
    chapter = work.chapters.order_by("position").first()
    assert chapter is not None
    return comment_create(chapter=chapter, user=author, text=text)
