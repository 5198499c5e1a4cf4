"""Blocks between accounts: one person no longer wants to hear from another."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Block, User


def block_create(*, user: User, blocked: User) -> Block:
    """`user` blocks `blocked`; blocking someone twice is the same as once."""
    if user.pk == blocked.pk:
        raise ValidationError({"blocked": [_("You cannot block yourself.")]})
    with transaction.atomic():
        block, _created = Block.objects.get_or_create(blocker=user, blocked=blocked)
    return block


def block_delete(*, user: User, blocked: User) -> None:
    """`user` unblocks `blocked`; nothing happens when there was no block."""
    with transaction.atomic():
        Block.objects.filter(blocker=user, blocked=blocked).delete()
