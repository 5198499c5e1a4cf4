"""Reads of the invitation queue and of invitations."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet

from fanarchive.accounts.models import Invitation, InviteRequest, User

TOKEN_MAX = 64


def invitations_required() -> bool:
    """Whether sign-up needs an invitation (settings.INVITATIONS)."""
    return bool(settings.INVITATIONS == "required")


def queue_length() -> int:
    """How many people wait for an invitation."""
    return InviteRequest.objects.filter(invited_at=None).count()


def queue_position(request: InviteRequest) -> int:
    """1 for the next one served; 0 once invited."""
    if request.invited_at is not None:
        return 0
    return InviteRequest.objects.filter(
        Q(created_at__lt=request.created_at) | Q(created_at=request.created_at, pk__lte=request.pk),
        invited_at=None,
    ).count()


@dataclass(frozen=True)
class QueueStatus:
    """What the status page may say of an address: nothing else about anyone."""

    found: bool
    position: int = 0  # 0: already invited
    waiting: int = 0


def queue_status(email: str) -> QueueStatus:
    email = email.strip()
    if not email or len(email) > 254:
        return QueueStatus(found=False)
    found = InviteRequest.objects.filter(email__iexact=email).first()
    if found is None:
        return QueueStatus(found=False)
    return QueueStatus(found=True, position=queue_position(found), waiting=queue_length())


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation with this token, used or not; None for anything else."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        return None
    return Invitation.objects.filter(token=token).first()


def invitations_of(user: User) -> QuerySet[Invitation]:
    """The invitations `user` was given to share, unused first."""
    return (
        Invitation.objects.filter(creator=user)
        .select_related("used_by")
        .order_by(F("used_at").asc(nulls_first=True), "-created_at", "-id")
    )


def invitation_of(user: User, pk: int) -> Invitation | None:
    """`user`'s invitation `pk`; None when there is no such invitation of theirs."""
    return Invitation.objects.filter(pk=pk, creator=user).first()
