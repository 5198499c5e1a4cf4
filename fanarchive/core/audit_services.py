"""The audit log's one way in: every change a moderator or an admin makes is recorded by
the service that makes it, with who, what, why, and the thing before and after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from fanarchive.core.models import AuditEntry

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

# Long texts in before/after are cut: the log says what changed, the thing keeps its text.
MAX_VALUE_LENGTH = 2000


def _plain(values: dict[str, Any] | None) -> dict[str, Any]:
    """JSON-ready copies of the values: text cut, dates and other objects as text."""
    plain: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if isinstance(value, str):
            plain[key] = value[:MAX_VALUE_LENGTH]
        elif value is None or isinstance(value, bool | int | float):
            plain[key] = value
        elif isinstance(value, list | tuple | set | frozenset):
            plain[key] = [v if isinstance(v, bool | int | float | str) else str(v) for v in value]
        else:
            plain[key] = str(value)
    return plain


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    subject: User | None = None,
) -> AuditEntry:
    """Record one change (in the caller's transaction, so it stands or falls with it)."""
    person = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=person,
        actor_name=person.username if person else "the archive",
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        target_repr=str(target)[:255],
        subject=subject if subject is not None and subject.pk else None,
        reason=reason,
        before=_plain(before),
        after=_plain(after),
    )
