"""Kudos: one per account, or per guest, per work (shared REFERENCE, "Engagement")."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.core.translation import lazy_format
from fanarchive.engagement import notices
from fanarchive.engagement.models import Kudos
from fanarchive.engagement.permissions import refuse_unless, work_permissions
from fanarchive.engagement.selectors import creator_users
from fanarchive.works.catalogue_services import catalogue_counts_changed
from fanarchive.works.models import Work

ALREADY = gettext_lazy("You have already left kudos here. :)")


def kudos_give(*, work: Work, user: User | None, guest_key: str = "", site_url: str = "") -> Kudos:
    """`user` (or the guest with `guest_key`, a keyed hash of their IP) leaves kudos on `work`.

    Refused for drafts, hidden works, guests on restricted works, the work's creators,
    users a creator blocked, and a second time. Creators are notified ("kudos").
    """
    if user is None and not guest_key:
        raise ValueError("a guest's kudos needs a guest key")
    refuse_unless(work_permissions(user or AnonymousUser(), work).kudos_refusal, key="kudos")
    try:
        with transaction.atomic():
            if user is not None:
                kudos = Kudos.objects.create(work=work, user=user)
            else:
                kudos = Kudos.objects.create(work=work, guest_key=guest_key)
            catalogue_counts_changed(work_ids=[work.pk])
            if user is not None:
                subject = lazy_format(
                    gettext_lazy('%(name)s left kudos on "%(title)s"'),
                    name=user.username,
                    title=work.title,
                )
                body = lazy_format(
                    gettext_lazy('%(name)s left kudos on your work "%(title)s".'),
                    name=user.username,
                    title=work.title,
                )
            else:
                subject = lazy_format(
                    gettext_lazy('A guest left kudos on "%(title)s"'), title=work.title
                )
                body = lazy_format(
                    gettext_lazy('A guest left kudos on your work "%(title)s".'), title=work.title
                )
            notices.notify(
                recipients=creator_users(work),
                kind="kudos",
                subject=subject,
                body=body,
                url=site_url.rstrip("/") + work.get_absolute_url(),
                work=work,
                actor=user,
            )
    except IntegrityError:
        # The unique constraint decides races between two requests of one reader.
        raise ValidationError({"kudos": [ALREADY]}) from None
    return kudos
