"""Writes about who a work belongs to: co-creators, gifts, orphaning.

Co-creators must accept: an invitation is not a creatorship, so until the
invitee says yes the work shows, and may be changed by, only its creators.
Gifts can be refused; a refused gift stays recorded (so editing the work does
not give it again) but no longer shows. Orphaning hands a work to the orphan
account for good.

Mail goes out after the transaction commits; `_notify` also puts a notice in the
recipient's inbox (announced through `works.events`, written by the engagement app).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.accounts.selectors import is_blocked
from fanarchive.core.translation import lazy_format
from fanarchive.works import emails, events, limits
from fanarchive.works.models import (
    ChapterRevision,
    CreatorInvitation,
    Creatorship,
    Gift,
    SeriesCreatorship,
    SeriesWork,
    Work,
    WorkRevision,
)
from fanarchive.works.refresh_services import work_refresh
from fanarchive.works.selectors import (
    PseudNotFound,
    orphan_user,
    pseud_lookup,
    require_creator,
    works_to_orphan,
)

GIFT_NAME_MAX = 100
GIFTS_MAX = 20


def _preference(user: User) -> Preference:
    return Preference.objects.filter(user=user).first() or Preference(user=user)


# -- co-creators ----------------------------------------------------------------------


def _add_creator(work: Work, pseud: Pseud) -> Creatorship:
    last = work.creatorships.aggregate(last=Max("position"))["last"]
    creatorship, _ = Creatorship.objects.get_or_create(
        work=work, pseud=pseud, defaults={"position": 0 if last is None else last + 1}
    )
    return creatorship


def creator_add_migrated(*, work: Work, pseud: Pseud) -> Creatorship:
    """Make `pseud` a co-creator at once, without an invitation (archive migrations).

    Only for works carried over from another archive, where the co-creator agreed on
    the old site long ago: nobody is asked or told. Not for anything a user does here.
    """
    with transaction.atomic():
        creatorship = _add_creator(work, pseud)
        CreatorInvitation.objects.filter(work=work, pseud=pseud).delete()
        work_refresh(work=work)
    return creatorship


def creator_invite(
    *, user: User, work: Work, pseud_name: str, site_url: str = ""
) -> CreatorInvitation | Creatorship:
    """Invite a pseud to co-create `work`.

    Returns the pending invitation, or the creatorship when the invitee accepts
    invitations automatically (their preference) or the pseud is the user's own.
    """
    require_creator(user, work)
    try:
        pseud = pseud_lookup(pseud_name)
    except PseudNotFound as error:
        raise ValidationError({"pseud": [str(error)]}) from None
    if work.creatorships.filter(pseud=pseud).exists():
        raise ValidationError(
            {
                "pseud": [
                    gettext("%(byline)s is already a creator of this work.")
                    % {"byline": pseud.byline}
                ]
            }
        )
    with transaction.atomic():
        if pseud.user_id == user.pk:
            creatorship = _add_creator(work, pseud)
            work_refresh(work=work)
            return creatorship
        if is_blocked(pseud.user, user):
            raise ValidationError(
                {"pseud": [gettext("You cannot invite %(byline)s.") % {"byline": pseud.byline}]}
            )
        if _preference(pseud.user).accept_cocreator_invitations:
            creatorship = _add_creator(work, pseud)
            CreatorInvitation.objects.filter(work=work, pseud=pseud).delete()
            work_refresh(work=work)
            _notify(emails.send_cocreator_added, pseud=pseud, work=work, site_url=site_url)
            return creatorship
        invitation = CreatorInvitation.objects.filter(work=work, pseud=pseud).first()
        if invitation is not None and invitation.status == CreatorInvitation.Status.PENDING:
            raise ValidationError(
                {
                    "pseud": [
                        gettext("%(byline)s has already been invited.") % {"byline": pseud.byline}
                    ]
                }
            )
        if invitation is None:
            invitation = CreatorInvitation(work=work, pseud=pseud)
        invitation.invited_by = user
        invitation.status = CreatorInvitation.Status.PENDING
        invitation.answered_at = None
        invitation.created_at = timezone.now()
        invitation.save()
        _notify(emails.send_cocreator_invitation, pseud=pseud, work=work, site_url=site_url)
    return invitation


def _require_invitee(user: User, invitation: CreatorInvitation) -> None:
    if invitation.pseud.user_id != user.pk:
        raise PermissionDenied(gettext("This invitation is for someone else."))
    if invitation.status != CreatorInvitation.Status.PENDING:
        raise ValidationError(gettext("You have already answered this invitation."))


def invitation_accept(*, user: User, invitation: CreatorInvitation) -> Creatorship:
    """The invitee becomes a creator: the work now shows their pseud and they may edit it."""
    _require_invitee(user, invitation)
    work = invitation.work
    with transaction.atomic():
        creatorship = _add_creator(work, invitation.pseud)
        invitation.delete()
        work_refresh(work=work)
    return creatorship


def invitation_decline(*, user: User, invitation: CreatorInvitation) -> CreatorInvitation:
    _require_invitee(user, invitation)
    with transaction.atomic():
        invitation.status = CreatorInvitation.Status.DECLINED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
    return invitation


def creator_remove_self(*, user: User, work: Work) -> None:
    """Take all of `user`'s pseuds off `work`; another user must remain a creator."""
    require_creator(user, work)
    if not work.creatorships.exclude(pseud__user=user).exists():
        raise ValidationError(
            gettext(
                "A work always keeps at least one creator, and you are its only one. "
                "Orphan the work or delete it instead."
            )
        )
    with transaction.atomic():
        work.creatorships.filter(pseud__user=user).delete()
        work_refresh(work=work)


# -- gifts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftRecipient:
    """A checked gift recipient: a pseud, or a name for someone without an account."""

    pseud: Pseud | None = None
    name: str = ""


def gift_recipients_resolve(
    *, user: User, work: Work | None, names: Sequence[str]
) -> list[GiftRecipient]:
    """Check the recipients a giver typed; errors are keyed "gifts".

    A name that is a pseud (or "pseud (user name)") gifts that pseud; any other
    name is kept as written, for someone without an account. Gifts that already
    exist are allowed as they are, so editing a work never fails because a
    recipient changed their preference since.
    """
    errors: list[str] = []
    existing = set() if work is None else set(work.gifts.values_list("pseud_id", flat=True))
    recipients: list[GiftRecipient] = []
    seen: set[object] = set()
    for raw in names:
        name = " ".join(raw.split())
        if not name:
            continue
        try:
            pseud = pseud_lookup(name)
        except PseudNotFound as error:
            if error.ambiguous or error.explicit_user:
                errors.append(str(error))
                continue
            if len(name) > GIFT_NAME_MAX:
                errors.append(
                    gettext("Gift recipient names can be at most %(GIFT_NAME_MAX)s characters.")
                    % {"GIFT_NAME_MAX": GIFT_NAME_MAX}
                )
                continue
            if name.lower() not in seen:
                seen.add(name.lower())
                recipients.append(GiftRecipient(name=name))
            continue
        if pseud.pk in seen:
            continue
        seen.add(pseud.pk)
        if pseud.pk not in existing:
            if pseud.user_id == user.pk:
                errors.append(gettext("You cannot give a gift to yourself."))
                continue
            if _preference(pseud.user).refuse_gifts:
                errors.append(
                    gettext("%(byline)s does not accept gifts.") % {"byline": pseud.byline}
                )
                continue
            if is_blocked(pseud.user, user):
                errors.append(
                    gettext("You cannot give a gift to %(byline)s.") % {"byline": pseud.byline}
                )
                continue
        recipients.append(GiftRecipient(pseud=pseud))
    if len(recipients) > GIFTS_MAX:
        errors.append(
            gettext("A work can be a gift to at most %(GIFTS_MAX)s recipients.")
            % {"GIFTS_MAX": GIFTS_MAX}
        )
    if errors:
        raise ValidationError({"gifts": errors})
    return recipients


def gifts_set(*, work: Work, recipients: Sequence[GiftRecipient], site_url: str = "") -> None:
    """Make `work` a gift to exactly these recipients (inside the caller's transaction).

    Refused gifts stay refused; recipients are told once the work is posted.
    """
    keep: list[int] = []
    for position, recipient in enumerate(recipients):
        if recipient.pseud is not None:
            gift, _ = Gift.objects.get_or_create(work=work, pseud=recipient.pseud)
        else:
            gift = Gift.objects.filter(
                work=work, pseud=None, recipient_name__iexact=recipient.name
            ).first() or Gift(work=work, recipient_name=recipient.name)
        gift.position = position
        gift.save()
        keep.append(gift.pk)
    # Refused gifts stay recorded, so naming the recipient again does not re-gift them.
    work.gifts.exclude(pk__in=keep).exclude(refused=True).delete()
    gifts_notify(work=work, site_url=site_url)


def gifts_notify(*, work: Work, site_url: str = "") -> None:
    """Tell the recipients of a posted work's new gifts (inside the caller's transaction).

    An unrevealed work's gifts wait: the collection's reveal tells them
    (`collections.item_services.collection_reveal`)."""
    if not work.posted or work.unrevealed:
        return
    pending = work.gifts.filter(notified=False, refused=False, pseud__isnull=False)
    for gift in pending.select_related("pseud", "pseud__user"):
        if gift.pseud is not None:
            _notify(emails.send_gift, pseud=gift.pseud, work=work, site_url=site_url)
    work.gifts.filter(notified=False).update(notified=True)


def gift_refuse(*, user: User, gift: Gift) -> Gift:
    """The recipient refuses a gift: it no longer shows them, on the work or their gifts."""
    if gift.pseud is None or gift.pseud.user_id != user.pk:
        raise PermissionDenied(gettext("Only the recipient can refuse a gift."))
    with transaction.atomic():
        gift.refused = True
        gift.save(update_fields=["refused"])
        work_refresh(work=gift.work)
    return gift


def gift_accept_again(*, user: User, gift: Gift) -> Gift:
    """Undo a refusal."""
    if gift.pseud is None or gift.pseud.user_id != user.pk:
        raise PermissionDenied(gettext("Only the recipient can accept a gift."))
    with transaction.atomic():
        gift.refused = False
        gift.save(update_fields=["refused"])
        work_refresh(work=gift.work)
    return gift


# -- orphaning -------------------------------------------------------------------------


def orphan_account_ensure() -> User:
    """The orphan account, made on first use (it is a reserved user name, so nobody takes it)."""
    existing = orphan_user()
    if existing is not None:
        return existing
    with transaction.atomic():
        orphan = User(username=limits.ORPHAN_USERNAME, email="", is_active=True)
        orphan.set_unusable_password()
        orphan.save()
        Pseud.objects.create(user=orphan, name=limits.ORPHAN_USERNAME, is_default=True)
        Preference.objects.create(user=orphan, refuse_gifts=True)
    return orphan


def _orphan_pseud(orphan: User, name: str | None) -> Pseud:
    if name is None:
        return orphan.default_pseud
    pseud = Pseud.objects.filter(user=orphan, name__iexact=name).first()
    return pseud or Pseud.objects.create(user=orphan, name=name)


def _orphan_one(user: User, work: Work, orphan: User, keep_pseud: bool) -> None:
    renamed: dict[str, str] = {}
    for creatorship in list(work.creatorships.filter(pseud__user=user).select_related("pseud")):
        target = _orphan_pseud(orphan, creatorship.pseud.name if keep_pseud else None)
        renamed[creatorship.pseud.byline] = target.byline
        if work.creatorships.filter(pseud=target).exists():
            creatorship.delete()
        else:
            creatorship.pseud = target
            creatorship.save(update_fields=["pseud"])
    events.creators_renamed(work=work, old_bylines=renamed)
    _orphan_series_of(user, work, orphan, keep_pseud)
    # The history must not tell the remaining creators who let the work go.
    ChapterRevision.objects.filter(chapter__work=work, created_by=user).update(created_by=None)
    WorkRevision.objects.filter(work=work, created_by=user).update(created_by=None)
    CreatorInvitation.objects.filter(work=work, invited_by=user).update(invited_by=None)
    work_refresh(work=work)


def _orphan_series_of(user: User, work: Work, orphan: User, keep_pseud: bool) -> None:
    """The series of `work` that `user` made go to the orphan account too, once none of
    their own works is left in them: a series page must not name who let its works go."""
    series_ids = SeriesWork.objects.filter(work=work).values("series_id")
    still_theirs = SeriesWork.objects.filter(
        work__in=Work.objects.by_user(user).exclude(pk=work.pk)
    ).values("series_id")
    entries = SeriesCreatorship.objects.filter(series_id__in=series_ids, pseud__user=user).exclude(
        series_id__in=still_theirs
    )
    for entry in list(entries.select_related("pseud")):
        target = _orphan_pseud(orphan, entry.pseud.name if keep_pseud else None)
        if SeriesCreatorship.objects.filter(series_id=entry.series_id, pseud=target).exists():
            entry.delete()
        else:
            entry.pseud = target
            entry.save(update_fields=["pseud"])


def work_orphan(*, user: User, work: Work, keep_pseud: bool) -> Work:
    """Hand `user`'s part of `work` to the orphan account, for good.

    With `keep_pseud` the byline keeps the pseud's name ("name (orphan_account)");
    otherwise it reads "orphan_account". Co-creators stay. Drafts cannot be
    orphaned: nobody could ever post or delete them.
    """
    require_creator(user, work)
    if not work.posted:
        raise ValidationError(gettext("Drafts cannot be orphaned: post the work or delete it."))
    orphan = orphan_account_ensure()
    with transaction.atomic():
        _orphan_one(user, work, orphan, keep_pseud)
    return work


def works_orphan_all(*, user: User, keep_pseud: bool) -> int:
    """Orphan every posted work of `user`; returns how many. Drafts stay theirs."""
    orphan = orphan_account_ensure()
    if user.pk == orphan.pk:
        raise PermissionDenied(gettext("The orphan account cannot orphan works."))
    works = list(works_to_orphan(user))
    with transaction.atomic():
        for work in works:
            _orphan_one(user, work, orphan, keep_pseud)
    return len(works)


# -- mail -------------------------------------------------------------------------------


# What the inbox says for each kind of mail: (notice kind, subject, body, link); the
# texts are translated in the recipient's language when the notice is written.
_INBOX: dict[emails.Sender, tuple[events.NoticeKind, Promise, Promise, str]] = {
    emails.send_gift: (
        "gift",
        gettext_lazy("A gift for you: %(title)s"),
        gettext_lazy("%(title)s was given to %(pseud)s."),
        "",
    ),
    emails.send_cocreator_invitation: (
        "invitation",
        gettext_lazy("Co-creator invitation: %(title)s"),
        gettext_lazy("You are invited to be a co-creator of %(title)s as %(pseud)s."),
        "works:invitations",
    ),
    emails.send_cocreator_added: (
        "invitation",
        gettext_lazy("You are now a co-creator of %(title)s"),
        gettext_lazy("%(pseud)s was added as a co-creator of %(title)s."),
        "",
    ),
}


def _notify(sender: emails.Sender, *, pseud: Pseud, work: Work, site_url: str) -> None:
    """A notice in `pseud`'s user's inbox now, and mail once the transaction commits."""
    kind, subject, body, link = _INBOX[sender]
    words = {"title": work.title, "pseud": pseud.name}
    events.work_notice(
        recipient=pseud.user,
        kind=kind,
        subject=lazy_format(subject, **words),
        body=lazy_format(body, **words),
        url=reverse(link) if link else work.get_absolute_url(),
        work=work,
    )
    transaction.on_commit(
        partial(sender, user=pseud.user, pseud=pseud, work=work, site_url=site_url), robust=True
    )
