"""Background tasks of the inbox: notice e-mails and daily digests (queued by `notices`).

Every task is idempotent (a run after a failure or a duplicate does nothing twice):
an e-mail marks its notices `emailed_at` in the same transaction that sends it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from fanarchive.accounts.language_selectors import in_language_of
from fanarchive.accounts.models import EmailFrequency, User
from fanarchive.core.tasks import retrying_task
from fanarchive.engagement.inbox_selectors import work_shown_to
from fanarchive.engagement.models import Notice

logger = logging.getLogger("fanarchive.tasks")


def absolute(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path


def _mail(user: User, subject: str, template: str, context: dict[str, object]) -> None:
    context = {
        "site_name": settings.SITE_NAME,
        "user": user,
        "inbox_url": absolute(reverse("social:inbox")),
        "preferences_url": absolute(reverse("accounts:preferences", args=[user.username])),
        **context,
    }
    body = render_to_string(f"engagement/emails/{template}.txt", context)
    send_mail(f"[{settings.SITE_NAME}] {subject}", body, None, [user.email])


@retrying_task()
def notice_email_send(notice_id: int) -> bool:
    """Mail one notice now; False when it was mailed already or no longer wants mail."""
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update()
            .filter(pk=notice_id, email=EmailFrequency.IMMEDIATE, emailed_at__isnull=True)
            .first()
        )
        if notice is None:
            return False
        user = User.objects.get(pk=notice.recipient_id)
        if not user.email or not user.is_active or not _still_shown(user, [notice]):
            return False
        with in_language_of(user):
            _mail(user, notice.subject, "notice", {"notice": notice, "url": absolute(notice.url)})
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    logger.info("Mailed notice %s to user %s", notice_id, user.pk)
    return True


def _still_shown(user: User, notices: list[Notice]) -> list[Notice]:
    """Those of `notices` whose work `user` may still see: a work hidden (or taken back)
    since the notice was written is not mailed, as it left the inbox."""
    shown = set(
        Notice.objects.filter(work_shown_to(user), pk__in=[n.pk for n in notices]).values_list(
            "pk", flat=True
        )
    )
    return [notice for notice in notices if notice.pk in shown]


@retrying_task()
def digest_send(user_id: int) -> int:
    """Mail `user_id` one digest of their notices waiting for it; the number included."""
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update()
            .filter(recipient_id=user_id, email=EmailFrequency.DAILY, emailed_at__isnull=True)
            .order_by("created_at", "id")
        )
        if not notices:
            return 0
        user = User.objects.get(pk=user_id)
        shown = _still_shown(user, notices)
        if user.email and user.is_active and shown:
            with in_language_of(user):  # the subject too
                entries = [(notice, absolute(notice.url)) for notice in shown]
                count = len(shown)
                subject = ngettext(
                    "Your daily digest: %(count)s new notice",
                    "Your daily digest: %(count)s new notices",
                    count,
                ) % {"count": count}
                _mail(user, subject, "digest", {"entries": entries})
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
    logger.info("Mailed a digest of %d notices to user %s", len(shown), user_id)
    return len(shown)
