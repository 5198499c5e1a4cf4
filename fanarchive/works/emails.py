"""Mail about works: co-creator invitations and gifts.

Sent after the transaction commits (the services queue them with on_commit).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from fanarchive.accounts.language_selectors import in_language_of
from fanarchive.core.translation import lazy_format

if TYPE_CHECKING:
    from fanarchive.accounts.models import Pseud, User
    from fanarchive.works.models import Work

logger = logging.getLogger(__name__)


class Sender(Protocol):
    def __call__(self, *, user: User, pseud: Pseud, work: Work, site_url: str) -> None: ...


def _send(template: str, subject: str | Promise, *, user: User, context: dict[str, object]) -> None:
    """Mail `user` (`subject` a lazy text, so that it too is in their language)."""
    if not user.email:
        return
    context = {"site_name": settings.SITE_NAME, "user": user, **context}
    with in_language_of(user):
        body = render_to_string(f"works/emails/{template}.txt", context)
        send_mail(f"[{settings.SITE_NAME}] {subject}", body, None, [user.email])
    logger.info("Sent %s mail to user %s", template, user.pk)


def _url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def send_cocreator_invitation(*, user: User, pseud: Pseud, work: Work, site_url: str) -> None:
    _send(
        "cocreator_invitation",
        lazy_format(gettext_lazy("Co-creator invitation: %(title)s"), title=work.title),
        user=user,
        context={
            "pseud": pseud,
            "work": work,
            "work_url": _url(site_url, work.get_absolute_url()),
            "answer_url": _url(site_url, reverse("works:invitations")),
        },
    )


def send_cocreator_added(*, user: User, pseud: Pseud, work: Work, site_url: str) -> None:
    _send(
        "cocreator_added",
        lazy_format(gettext_lazy("You were added as a co-creator: %(title)s"), title=work.title),
        user=user,
        context={
            "pseud": pseud,
            "work": work,
            "work_url": _url(site_url, work.get_absolute_url()),
        },
    )


def send_gift(*, user: User, pseud: Pseud, work: Work, site_url: str) -> None:
    _send(
        "gift",
        lazy_format(gettext_lazy("A gift for you: %(title)s"), title=work.title),
        user=user,
        context={
            "pseud": pseud,
            "work": work,
            "work_url": _url(site_url, work.get_absolute_url()),
            "gifts_url": _url(site_url, reverse("works:gifts", args=[user.username])),
        },
    )
