"""The inbox's one way in: `notify` (called by comments, kudos, subscriptions, gifts...).

A notice is written in the caller's transaction, in its recipient's language (callers
pass the subject and body as lazy texts, `gettext_lazy` or `core.translation.lazy_format`,
made text once per recipient in their `Preference.language`); its e-mail goes out through
a background task after commit, at once or in the recipient's daily digest, as their
preferences say (`accounts.Preference.email_*`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from fanarchive.accounts.language_selectors import preference_language
from fanarchive.accounts.models import EmailFrequency, Preference, User
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.engagement.notice_tasks import digest_send, notice_email_send
from fanarchive.works.models import Work

# Which preference decides the e-mail of each kind of notice. Gifts and co-creator
# invitations are mailed by works/emails.py already, so their notices are inbox-only.
PREFERENCE_OF_KIND: dict[str, str | None] = {
    NoticeKind.COMMENT: "email_comments",
    NoticeKind.COMMENT_PENDING: "email_comments",
    NoticeKind.REPLY: "email_replies",
    NoticeKind.KUDOS: "email_kudos",
    NoticeKind.SUBSCRIPTION: "email_subscriptions",
    NoticeKind.GIFT: None,
    NoticeKind.INVITATION: None,
    NoticeKind.MODERATION: None,
    NoticeKind.COLLECTION: "email_collections",
}
# A moderator's decision reaches the person's mail whatever their preferences say: a
# suspended account cannot log in to read its inbox.
ALWAYS_MAILED = frozenset({NoticeKind.MODERATION})
DIGEST_DELAY = timedelta(days=1)
BODY_LIMIT = 2000
SUBJECT_LIMIT = 255


def email_frequency(preference: Preference | None, kind: str) -> str:
    """How `kind` notices are mailed to the owner of `preference`: immediate, daily or off."""
    if kind in ALWAYS_MAILED:
        return EmailFrequency.IMMEDIATE
    field = PREFERENCE_OF_KIND.get(kind)
    if field is None:
        return EmailFrequency.OFF
    if preference is None:
        model_field = Preference._meta.get_field(field)
        return str(getattr(model_field, "default", EmailFrequency.OFF))
    return str(getattr(preference, field))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str | Promise,
    body: str | Promise,
    url: str,
    work: Work | None = None,
    comment_id: int | None = None,
    actor: User | None = None,
) -> None:
    """Put a notice in each recipient's inbox (in the caller's transaction) and queue
    their e-mail per their preferences on commit. Never notifies `actor` itself.

    `subject` and `body` are written in each recipient's language: pass lazy texts with
    the English boilerplate marked for translation (what people wrote goes in as values)."""
    if kind not in PREFERENCE_OF_KIND:
        raise ValueError(f"unknown notice kind {kind!r}")
    seen: set[int] = set()
    people: list[User] = []
    for user in recipients:
        if user.pk in seen or (actor is not None and user.pk == actor.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    if not people:
        return
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=seen)}
    # Who already waits for a digest: their scheduled digest will carry this notice too.
    waiting = set(
        Notice.objects.filter(
            recipient_id__in=seen, email=EmailFrequency.DAILY, emailed_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    now = timezone.now()
    notices = []
    texts: dict[str, tuple[str, str]] = {}
    for user in people:
        preference = preferences.get(user.pk)
        language = preference_language(preference)
        if language not in texts:
            with translation.override(language):
                texts[language] = (str(subject), str(body))
        subject_text, body_text = texts[language]
        frequency = email_frequency(preference, kind) if user.email else ""
        notices.append(
            Notice(
                recipient=user,
                kind=kind,
                subject=subject_text[:SUBJECT_LIMIT],
                body=body_text[:BODY_LIMIT],
                url=url,
                work=work,
                comment_id=comment_id,
                actor=actor,
                email="" if frequency == EmailFrequency.OFF else frequency,
                created_at=now,
            )
        )
    with transaction.atomic():
        created = Notice.objects.bulk_create(notices)
        # bulk_create sets primary keys on PostgreSQL and SQLite alike.
        for notice in created:
            if notice.email == EmailFrequency.IMMEDIATE:
                transaction.on_commit(partial(_queue_email, notice.pk), robust=True)
            elif notice.email == EmailFrequency.DAILY and notice.recipient_id not in waiting:
                waiting.add(notice.recipient_id)
                transaction.on_commit(partial(_queue_digest, notice.recipient_id), robust=True)


def _queue_email(notice_id: int) -> None:
    notice_email_send.enqueue(notice_id)


def _queue_digest(user_id: int) -> None:
    digest_send.using(run_after=timezone.now() + DIGEST_DELAY).enqueue(user_id)


# -- the inbox's own writes ------------------------------------------------------------------


def notices_mark(*, user: User, notice_ids: Iterable[int], read: bool) -> int:
    """Mark the user's own notices among `notice_ids` read or unread; how many changed."""
    notices = Notice.objects.filter(recipient=user, pk__in=list(notice_ids))
    with transaction.atomic():
        if read:
            return notices.filter(read_at__isnull=True).update(read_at=timezone.now())
        return notices.filter(read_at__isnull=False).update(read_at=None)


def notices_delete(*, user: User, notice_ids: Iterable[int]) -> int:
    """Delete the user's own notices among `notice_ids`; how many were deleted."""
    with transaction.atomic():
        deleted, _ = Notice.objects.filter(recipient=user, pk__in=list(notice_ids)).delete()
    return deleted


def notices_rename_creator(*, work: Work, old_bylines: Mapping[str, str]) -> int:
    """Rewrite the notices about `work` that name its creators by `old_bylines` (old byline
    to new), as orphaning a work must leave no page naming who let it go; how many changed.
    Notices store their words, so the names are replaced in them."""
    if not old_bylines:
        return 0
    # Whole names only: a pseud "Ann" is not the start of "Annual".
    names = "|".join(re.escape(old) for old in sorted(old_bylines, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{names})(?!\w)")

    def rename(text: str) -> str:
        return pattern.sub(lambda match: old_bylines[match.group(0)], text)

    changed = 0
    for notice in Notice.objects.filter(work=work).only("id", "subject", "body"):
        subject, body = rename(notice.subject), rename(notice.body)
        if (subject, body) != (notice.subject, notice.body):
            Notice.objects.filter(pk=notice.pk).update(subject=subject, body=body)
            changed += 1
    return changed
