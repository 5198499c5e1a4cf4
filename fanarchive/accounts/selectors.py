"""Reads of accounts, pseuds and preferences, and of the works shown on their pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.works.models import Work
from fanarchive.works.selectors import listed_works

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def user_get(username: str) -> User:
    """The account with this user name, in any case; 404 when there is none."""
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise Http404("No such user.")
    return user


def own_account(viewer: AnyUser, username: str) -> User:
    """The account named in the address, when it is the viewer's own: 404 if unknown, else 403."""
    owner = user_get(username)
    if not viewer.is_authenticated or viewer.pk != owner.pk:
        raise PermissionDenied("Only the owner of this account can see this page.")
    return owner


def pseuds_for(viewer: AnyUser, owner: User) -> QuerySet[Pseud]:
    """`owner`'s pseuds, default first, each with `work_count`: the works `viewer` may see."""
    visible = Work.objects.visible_to(viewer).values("id")
    return (
        Pseud.objects.filter(user=owner)
        .select_related("user")
        .annotate(work_count=Count("creatorships", filter=Q(creatorships__work__in=visible)))
        .order_by("-is_default", "name")
    )


def pseud_get(owner: User, name: str) -> Pseud:
    """`owner`'s pseud with this name, in any case; 404 when there is none."""
    pseud = Pseud.objects.select_related("user").filter(user=owner, name__iexact=name).first()
    if pseud is None:
        raise Http404("No such pseud.")
    return pseud


def works_by_pseud_for(viewer: AnyUser, pseud: Pseud) -> QuerySet[Work]:
    """The works posted under `pseud` that `viewer` may see in a listing, newest first."""
    return listed_works(viewer).filter(id__in=Work.objects.by_pseud(pseud).values("id"))


def preference_of(user: User) -> Preference:
    """`user`'s preferences; the defaults (unsaved) for an account that has none yet."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
