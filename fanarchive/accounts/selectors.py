"""Reads of accounts, pseuds and preferences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext

from fanarchive.accounts.models import Block, Preference, Pseud, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def user_get(username: str) -> User:
    """The account with this user name, in any case; 404 when there is none."""
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise Http404(gettext("No such user."))
    return user


def own_account(viewer: AnyUser, username: str) -> User:
    """The account named in the address, when it is the viewer's own: 404 if unknown, else 403."""
    owner = user_get(username)
    if not viewer.is_authenticated or viewer.pk != owner.pk:
        raise PermissionDenied(gettext("Only the owner of this account can see this page."))
    return owner


def pseud_get(owner: User, name: str) -> Pseud:
    """`owner`'s pseud with this name, in any case; 404 when there is none."""
    pseud = Pseud.objects.select_related("user").filter(user=owner, name__iexact=name).first()
    if pseud is None:
        raise Http404(gettext("No such pseud."))
    return pseud


def own_pseud(
    user: User, pseud: Pseud | None, *, missing: str | None = None, not_own: str | None = None
) -> Pseud:
    """`pseud` if it is `user`'s, else a refusal; None: their default pseud (or any one).
    `missing` (the account has no pseud) and `not_own` (someone else's pseud) are the
    messages, whole translated sentences naming what the pseud is for; general ones
    when not given."""
    if pseud is None:
        found = user.pseuds.filter(is_default=True).first() or user.pseuds.first()
        if found is None:
            raise ValidationError(missing or gettext("This account has no pseud to act under."))
        return found
    if pseud.user_id != user.pk:
        raise PermissionDenied(not_own or gettext("You can only act under your own pseuds."))
    return pseud


def preference_of(user: User) -> Preference:
    """`user`'s preferences; the defaults (unsaved) for an account that has none yet."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def is_blocked(blocker: User, blocked: User) -> bool:
    """Whether `blocker` blocked `blocked`."""
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()


def blocks_of(user: User) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked")
