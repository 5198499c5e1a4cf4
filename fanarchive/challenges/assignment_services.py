"""Writes of a gift exchange's assignments, after matching: the moderators' changes by
hand to the drafts, sending, defaults, pinch hits, fulfilling with a work, and what a
withdrawn sign-up does to its assignments.

As on AO3:
- Drafts are the moderators' until sent; a pair the exchange's rules do not allow
  (`matching.potential_recipients`) is refused unless the moderator forces it.
- Sending sends every draft at once, once; each giver is told (by a background task),
  with the request and the due date. After that the moderators default and pinch-hit;
  they do not re-match.
- The writer (giver, or pinch hitter) defaults their own assignment, or a moderator marks
  it; the moderators are told. A moderator gives a defaulted or giver-less assignment to
  a pinch hitter (any active account but the recipient's), who is told.
- Fulfilling names one of the writer's own posted works: it joins the collection
  (`collection_item_add`) and becomes a gift to the recipient's pseud (even if they
  refuse gifts: they signed up to receive one, as on AO3). In an unrevealed collection
  the gift's notice waits for the works reveal (`works.creator_services.gifts_notify`
  holds back an unrevealed work's notices, and `collection_reveal` sends them): one rule,
  no notice of our own.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.challenges import tasks
from fanarchive.challenges.assignment_selectors import (
    current_writer,
    exchange_input,
    needs_pinch_hitter,
    pair_check,
)
from fanarchive.challenges.matching_services import require_exchange_moderator
from fanarchive.challenges.models import Assignment, Challenge, Prompt, PromptRole, SignUp
from fanarchive.challenges.setup_selectors import when
from fanarchive.collections.item_services import collection_item_add
from fanarchive.collections.models import CollectionItem
from fanarchive.collections.selectors import can_moderate, collection_moderator_users
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.engagement.notices import notify
from fanarchive.works.creator_services import GiftRecipient, gifts_set
from fanarchive.works.models import Work
from fanarchive.works.selectors import is_creator

# How much of a request's description a notice quotes.
NOTICE_DESCRIPTION_CHARS = 600


def assignment_url(assignment: Assignment) -> str:
    return reverse(
        "challenges:assignment_detail",
        args=[assignment.challenge.collection.name, assignment.pk],
    )


def _moderation_url(challenge: Challenge) -> str:
    return reverse("challenges:exchange_assignments", args=[challenge.collection.name])


def _locked(assignment: Assignment) -> Assignment:
    found = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("challenge__collection", "giver__user", "giver__pseud", "recipient__pseud")
        .select_related("recipient__user", "pinch_hitter", "request", "work")
        .prefetch_related("request__prompt_tags__tag")
        .filter(pk=assignment.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("This assignment no longer exists."))
    return found


# -- the drafts -----------------------------------------------------------------------


def _require_drafting(user: User, challenge: Challenge) -> None:
    require_exchange_moderator(
        user, challenge, _("Only the moderators of %(title)s can change the assignments.")
    )
    if challenge.assignments_sent_at is not None:
        raise ValidationError(
            _(
                "The assignments were already sent: drafts can no longer be changed. "
                "Mark an assignment defaulted and give it to a pinch hitter instead."
            )
        )


def _check_pair(challenge: Challenge, giver: SignUp, recipient: SignUp, force: bool) -> Assignment:
    """The draft giver -> recipient with its request, offer and quality; refused when the
    rules do not allow it, unless forced."""
    if giver.challenge_id != challenge.pk or recipient.challenge_id != challenge.pk:
        raise ValidationError(_("Both people must have signed up for this exchange."))
    if giver.pk == recipient.pk:
        raise ValidationError(
            _("%(byline)s cannot write for themselves.") % {"byline": giver.pseud.byline}
        )
    check = pair_check(exchange_input(challenge), giver.pk, recipient.pk)
    if not check.allowed and not force:
        raise ValidationError(
            _(
                "No offer of %(giver)s satisfies a request of %(recipient)s under the "
                "exchange's rules. Tick “Assign anyway” to make this assignment all the same."
            )
            % {"giver": giver.pseud.byline, "recipient": recipient.pseud.byline}
        )
    return Assignment(
        challenge=challenge,
        giver=giver,
        recipient=recipient,
        request_id=check.request_id,
        offer_id=check.offer_id,
        quality=check.quality,
    )


@transaction.atomic
def draft_recipient_set(
    *, user: User, giver: SignUp, recipient: SignUp, force: bool = False
) -> Assignment:
    """Make `giver` write for `recipient` (a moderator, before sending). The giver's
    previous recipient, and the recipient's previous giver, are left unmatched."""
    challenge = Challenge.objects.select_for_update().get(pk=giver.challenge_id)
    _require_drafting(user, challenge)
    draft = _check_pair(challenge, giver, recipient, force)
    challenge.assignments.filter(sent_at__isnull=True).filter(
        Q(giver=giver) | Q(recipient=recipient)
    ).delete()
    draft.save()
    return draft


@transaction.atomic
def draft_swap(
    *, user: User, first: Assignment, second: Assignment, force: bool = False
) -> tuple[Assignment, Assignment]:
    """Swap the recipients of two drafts (a moderator, before sending)."""
    challenge = Challenge.objects.select_for_update().get(pk=first.challenge_id)
    _require_drafting(user, challenge)
    first, second = _locked(first), _locked(second)
    if second.challenge_id != challenge.pk or first.pk == second.pk:
        raise ValidationError(_("Choose two different assignments of this exchange to swap."))
    if first.giver is None or second.giver is None:
        raise ValidationError(_("Only assignments that both have a giver can be swapped."))
    one = _check_pair(challenge, first.giver, second.recipient, force)
    other = _check_pair(challenge, second.giver, first.recipient, force)
    Assignment.objects.filter(pk__in=[first.pk, second.pk]).delete()
    one.save()
    other.save()
    return one, other


@transaction.atomic
def draft_clear(*, user: User, assignment: Assignment) -> None:
    """Remove a draft: its giver and recipient are left unmatched."""
    assignment = _locked(assignment)
    _require_drafting(user, assignment.challenge)
    if assignment.sent_at is not None:
        raise ValidationError(_("This assignment was sent: mark it defaulted instead."))
    assignment.delete()


@transaction.atomic
def assignment_for_pinch_hitter(*, user: User, recipient: SignUp) -> Assignment:
    """An assignment with no giver for a recipient nobody writes for, to be given to a
    pinch hitter (a draft before sending; sent at once after)."""
    challenge = Challenge.objects.select_for_update().get(pk=recipient.challenge_id)
    require_exchange_moderator(
        user, challenge, _("Only the moderators of %(title)s can create assignments.")
    )
    live = Q(defaulted_at__isnull=True) | Q(pinch_hitter__isnull=False)
    if challenge.assignments.filter(live, recipient=recipient).exists():
        raise ValidationError(
            _("Someone already writes for %(byline)s.") % {"byline": recipient.pseud.byline}
        )
    request = (
        Prompt.objects.filter(signup=recipient, role=PromptRole.REQUEST)
        .order_by("position", "pk")
        .first()
    )
    sent = challenge.assignments_sent_at is not None
    return Assignment.objects.create(
        challenge=challenge,
        recipient=recipient,
        request=request,
        sent_at=timezone.now() if sent else None,
    )


# -- sending --------------------------------------------------------------------------


def _request_text(assignment: Assignment) -> str:
    """The recipient's request as a notice quotes it: title, tags, description."""
    request = assignment.request
    if request is None:
        return _("They made no request: anything in the spirit of the exchange will do.")
    tags = ", ".join(sorted(pt.tag.name for pt in request.prompt_tags.all())) or _("no tags")
    anything = ", ".join(request.any_types)
    values = {"request": repr(str(request)), "tags": tags, "any": anything}
    if anything:
        text = _("Their request %(request)s: %(tags)s (any %(any)s)") % values
    else:
        text = _("Their request %(request)s: %(tags)s") % values
    description = " ".join(strip_tags(request.description).split())
    if description:
        if len(description) > NOTICE_DESCRIPTION_CHARS:
            description = description[:NOTICE_DESCRIPTION_CHARS].rstrip() + "…"
        text += f". {description}"
    return text


def _due_text(challenge: Challenge) -> str:
    due = challenge.assignments_due_at
    if due is None:
        return _("It has no due date.")
    return _("It is due on %(date)s.") % {"date": when(due)}


def _tell_writer(assignment: Assignment, writer: User, actor: User | None, pinch_hit: bool) -> None:
    challenge = assignment.challenge
    collection = challenge.collection
    if pinch_hit:
        subject = gettext_lazy("Your pinch-hit assignment in %(collection)s")
    else:
        subject = gettext_lazy("Your assignment in %(collection)s")
    notify(
        recipients=[writer],
        kind=NoticeKind.COLLECTION,
        subject=lazy_format(subject, collection=collection.title),
        body=lazy_format(
            gettext_lazy(
                "You write a gift for %(recipient)s in %(collection)s. %(request)s %(due)s"
            ),
            recipient=assignment.recipient.pseud.byline,
            collection=collection.title,
            request=lazy_text(_request_text, assignment),
            due=lazy_text(_due_text, challenge),
        ),
        url=assignment_url(assignment),
        actor=actor,
    )


@transaction.atomic
def assignments_send(*, user: User, challenge: Challenge) -> int:
    """Send every draft at once (a moderator), once; the givers are told in the background
    (`assignments_sent_notify`: 5,000 notices take about 10 s, too long for a page)."""
    challenge = (
        Challenge.objects.select_for_update().select_related("collection").get(pk=challenge.pk)
    )
    require_exchange_moderator(
        user, challenge, _("Only the moderators of %(title)s can send assignments.")
    )
    if challenge.assignments_sent_at is not None:
        raise ValidationError(
            _("The assignments were already sent on %(when)s.")
            % {"when": when(challenge.assignments_sent_at)}
        )
    run = getattr(challenge, "match_run", None)
    if run is not None and run.report.get("state") == "running":
        raise ValidationError(_("Matching is still running: wait for it before sending."))
    now = timezone.now()
    count = challenge.assignments.filter(sent_at__isnull=True).update(sent_at=now)
    if not count:
        raise ValidationError(_("There are no assignments to send: generate matches first."))
    challenge.assignments_sent_at = now
    challenge.save(update_fields=["assignments_sent_at", "updated_at"])
    transaction.on_commit(partial(tasks.assignments_notify_task.enqueue, challenge.pk), robust=True)
    return count


@transaction.atomic
def assignments_sent_notify(challenge: Challenge) -> int:
    """Tell each giver of a sent assignment who they write for, with the request and the
    due date; how many were told. Idempotent: a giver already told (a notice with the
    assignment's address) is not told again, so a retried run finishes the rest."""
    sent = list(
        challenge.assignments.filter(
            sent_at__isnull=False,
            giver__isnull=False,
            defaulted_at__isnull=True,
            pinch_hitter__isnull=True,
        )
        .select_related("challenge__collection", "giver__user", "recipient__pseud", "request")
        .prefetch_related("request__prompt_tags__tag")
        .order_by("pk")
    )
    told = set(
        Notice.objects.filter(
            kind=NoticeKind.COLLECTION, url__in=[assignment_url(a) for a in sent]
        ).values_list("recipient_id", "url")
    )
    count = 0
    for assignment in sent:
        if assignment.giver is None:
            continue
        writer = assignment.giver.user
        if (writer.pk, assignment_url(assignment)) not in told:
            _tell_writer(assignment, writer, actor=None, pinch_hit=False)
            count += 1
    return count


# -- defaults and pinch hits ----------------------------------------------------------


def _require_sent_open(assignment: Assignment) -> None:
    if assignment.sent_at is None:
        raise ValidationError(_("This assignment has not been sent yet."))
    if assignment.fulfilled_at is not None:
        raise ValidationError(_("This assignment is already fulfilled."))


@transaction.atomic
def assignment_default(*, user: User, assignment: Assignment) -> Assignment:
    """Its writer gives it up, or a moderator marks it so; the moderators are told.
    It then waits for a pinch hitter."""
    assignment = _locked(assignment)
    _require_sent_open(assignment)
    writer = current_writer(assignment)
    moderating = can_moderate(user, assignment.challenge.collection)
    if writer is None:
        raise ValidationError(_("This assignment is already defaulted: it needs a pinch hitter."))
    if writer.pk != user.pk and not moderating:
        raise PermissionDenied(
            _("Only the writer of this assignment or a moderator can default it.")
        )
    now = timezone.now()
    if assignment.pinch_hitter is not None:
        assignment.pinch_hitter = None
        assignment.pinch_hit_at = None
    assignment.defaulted_at = assignment.defaulted_at or now
    assignment.save(update_fields=["pinch_hitter", "pinch_hit_at", "defaulted_at"])
    collection = assignment.challenge.collection
    by_moderator = writer.pk != user.pk
    notify(
        recipients=collection_moderator_users(collection),
        kind=NoticeKind.COLLECTION,
        subject=lazy_format(
            gettext_lazy("An assignment in %(collection)s was defaulted"),
            collection=collection.title,
        ),
        body=lazy_format(
            gettext_lazy(
                "%(writer)s will not write the gift for %(recipient)s in %(collection)s "
                "(marked by a moderator). It needs a pinch hitter."
            )
            if by_moderator
            else gettext_lazy(
                "%(writer)s will not write the gift for %(recipient)s in %(collection)s. "
                "It needs a pinch hitter."
            ),
            writer=writer.username,
            recipient=assignment.recipient.pseud.byline,
            collection=collection.title,
        ),
        url=_moderation_url(assignment.challenge),
        actor=user,
    )
    return assignment


@transaction.atomic
def assignment_pinch_hit(*, user: User, assignment: Assignment, pinch_hitter: User) -> Assignment:
    """A moderator gives a defaulted or giver-less assignment to a pinch hitter, who is told."""
    assignment = _locked(assignment)
    require_exchange_moderator(
        user, assignment.challenge, _("Only the moderators of %(title)s can assign pinch hitters.")
    )
    _require_sent_open(assignment)
    if not needs_pinch_hitter(assignment):
        raise ValidationError(
            _(
                "This assignment still has a writer: mark it defaulted before giving it to a "
                "pinch hitter."
            )
        )
    if not pinch_hitter.is_active:
        raise ValidationError(
            _("%(username)s cannot take assignments.") % {"username": pinch_hitter.username}
        )
    if pinch_hitter.pk == assignment.recipient.user_id:
        raise ValidationError(
            _("%(username)s is the recipient: nobody writes their own gift.")
            % {"username": pinch_hitter.username}
        )
    others = assignment.challenge.assignments.filter(
        Q(defaulted_at__isnull=True) | Q(pinch_hitter__isnull=False),
        recipient=assignment.recipient,
    ).exclude(pk=assignment.pk)
    if others.exists():
        raise ValidationError(
            _("Someone else already writes for %(byline)s.")
            % {"byline": assignment.recipient.pseud.byline}
        )
    assignment.pinch_hitter = pinch_hitter
    assignment.pinch_hit_at = timezone.now()
    assignment.save(update_fields=["pinch_hitter", "pinch_hit_at"])
    _tell_writer(assignment, pinch_hitter, actor=user, pinch_hit=True)
    return assignment


# -- fulfilling -----------------------------------------------------------------------


@transaction.atomic
def assignment_fulfil(*, user: User, assignment: Assignment, work: Work) -> Assignment:
    """The writer names one of their own posted works: it joins the collection and is a
    gift to the recipient (told at the works reveal in an unrevealed collection)."""
    assignment = _locked(assignment)
    writer = current_writer(assignment)
    if writer is None or writer.pk != user.pk:
        raise PermissionDenied(_("Only the writer of this assignment can fulfil it."))
    _require_sent_open(assignment)
    if not is_creator(user, work):
        raise ValidationError(
            {"work": [_("You can only fulfil an assignment with your own work.")]}
        )
    if not work.posted:
        raise ValidationError({"work": [_("Post the work first: a draft cannot fulfil it.")]})
    challenge = assignment.challenge
    if challenge.assignments.filter(work=work).exists():
        raise ValidationError(
            {"work": [_("%(title)s already fulfils an assignment here.") % {"title": work.title}]}
        )
    collection = challenge.collection
    if not CollectionItem.objects.filter(collection=collection, work=work).exists():
        collection_item_add(user=user, collection=collection, work=work)
    # The collection just hid it (unrevealed): read the flag again before any gift notice.
    work.refresh_from_db()
    _gift_recipient(work, assignment.recipient)
    assignment.work = work
    assignment.fulfilled_at = timezone.now()
    assignment.save(update_fields=["work", "fulfilled_at"])
    return assignment


def _gift_recipient(work: Work, recipient: SignUp) -> None:
    """Add the recipient's pseud to the work's gifts, keeping the others."""
    gifts = work.gifts.filter(refused=False).select_related("pseud").order_by("position")
    kept = [GiftRecipient(pseud=gift.pseud, name=gift.recipient_name) for gift in gifts]
    if any(g.pseud is not None and g.pseud.pk == recipient.pseud_id for g in kept):
        return
    gifts_set(work=work, recipients=[*kept, GiftRecipient(pseud=recipient.pseud)])


# -- withdrawal -----------------------------------------------------------------------


@transaction.atomic
def assignments_signup_withdrawn(signup: SignUp) -> None:
    """Before a sign-up is deleted: its drafts go (giving and receiving); a sent
    assignment it gave waits for a pinch hitter, marked "giver withdrew" for the
    moderators (the row keeps no giver once the sign-up is gone)."""
    challenge = signup.challenge
    challenge.assignments.filter(sent_at__isnull=True).filter(
        Q(giver=signup) | Q(recipient=signup)
    ).delete()
    challenge.assignments.filter(
        giver=signup, fulfilled_at__isnull=True, pinch_hitter__isnull=True
    ).update(giver_withdrew_at=timezone.now())
    # Whoever wrote for them has nothing to write now (the rows go with the sign-up).
    collection = challenge.collection
    for assignment in challenge.assignments.filter(recipient=signup, fulfilled_at__isnull=True):
        writer = current_writer(assignment)
        if writer is not None:
            notify(
                recipients=[writer],
                kind=NoticeKind.COLLECTION,
                subject=lazy_format(
                    gettext_lazy("Your assignment in %(collection)s is cancelled"),
                    collection=collection.title,
                ),
                body=lazy_format(
                    gettext_lazy(
                        "%(recipient)s withdrew from %(collection)s, so you no longer write a "
                        "gift for them."
                    ),
                    recipient=signup.pseud.byline,
                    collection=collection.title,
                ),
                url=collection.get_absolute_url(),
            )
