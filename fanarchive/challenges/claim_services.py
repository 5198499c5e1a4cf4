"""Writes of a prompt meme's claims: claiming a prompt, dropping a claim, filling it.

Who may claim is `prompt_selectors.claim_refusal` (one rule for the service and the
buttons). A fill is the claimant's own posted work: it goes into the challenge's collection
through `collections.item_services.collection_item_add` (a closed collection refuses with
its message), becomes a gift to the prompter's pseud unless the prompt is anonymous (as on
AO3; the gift's notice follows the collection's unrevealed rule, in
`works.creator_services.gifts_set`), and the prompter hears of it in the inbox, at once or,
for an unrevealed work, when it is revealed (`claim_fills_revealed`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_active
from fanarchive.challenges.models import Claim, Prompt
from fanarchive.challenges.prompt_selectors import claim_refusal
from fanarchive.collections.item_services import collection_item_add
from fanarchive.collections.models import Collection, CollectionItem
from fanarchive.collections.selectors import can_moderate
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import NoticeKind
from fanarchive.engagement.notices import notify
from fanarchive.works.creator_services import (
    GiftRecipient,
    gift_recipients_resolve,
    gifts_set,
)
from fanarchive.works.models import Work
from fanarchive.works.selectors import is_creator


def prompt_url(prompt: Prompt) -> str:
    return reverse("challenges:prompt_detail", args=[prompt.challenge.collection.name, prompt.pk])


def prompt_label(prompt: Prompt) -> str:
    if prompt.title:
        return f'"{prompt.title}"'
    return _("number %(number)s") % {"number": prompt.pk}


@transaction.atomic
def prompt_claim(*, user: User, prompt: Prompt) -> Claim:
    """`user` claims `prompt` under their default pseud."""
    require_active(
        user,
        _("Please log in to claim a prompt."),
        _("A suspended account cannot claim a prompt."),
    )
    # Locking the prompt makes two claims at once count against the limit one by one.
    prompt = (
        Prompt.objects.select_for_update().select_related("challenge__collection").get(pk=prompt.pk)
    )
    refusal = claim_refusal(prompt, user, list(prompt.claims.all()))
    if refusal is not None:
        raise ValidationError(refusal)
    pseud = user.pseuds.filter(is_default=True).first() or user.pseuds.first()
    if pseud is None:
        raise ValidationError(_("This account has no pseud to claim under."))
    return Claim.objects.create(prompt=prompt, challenge=prompt.challenge, user=user, pseud=pseud)


def _locked_claim(claim: Claim, dropped: str) -> Claim:
    # Lock the row alone (the work is on the nullable side of a join), then read it whole.
    if not list(Claim.objects.select_for_update().filter(pk=claim.pk).values_list("pk")):
        raise ValidationError(dropped)
    return Claim.objects.select_related(
        "challenge__collection", "prompt__signup__pseud__user", "work", "user"
    ).get(pk=claim.pk)


@transaction.atomic
def claim_drop(*, user: User, claim: Claim) -> None:
    """The claimant drops their unfilled claim; the challenge's moderators may remove any
    claim (its claimant is told)."""
    require_active(
        user,
        _("Please log in to drop a claim."),
        _("A suspended account cannot drop a claim."),
    )
    claim = _locked_claim(claim, _("This claim was already dropped."))
    collection = claim.challenge.collection
    moderator = can_moderate(user, collection)
    own = claim.user_id == user.pk
    if not own and not moderator:
        raise PermissionDenied(
            _(
                "Only the writer who claimed this prompt or the challenge's moderators "
                "can drop this claim."
            )
        )
    if own and not moderator and claim.work_id is not None:
        raise ValidationError(_("This claim is filled, so it cannot be dropped."))
    prompt = claim.prompt
    claimant = claim.user
    claim.delete()
    if not own:
        notify(
            recipients=[claimant],
            kind=NoticeKind.COLLECTION,
            subject=lazy_format(
                gettext_lazy("Your claim in %(collection)s was removed"),
                collection=collection.title,
            ),
            body=lazy_format(
                gettext_lazy(
                    "A moderator of %(collection)s removed your claim of the prompt %(prompt)s."
                ),
                collection=collection.title,
                prompt=lazy_text(prompt_label, prompt),
            ),
            url=prompt_url(prompt),
            actor=user,
        )


def _gift_prompter(user: User, work: Work, prompt: Prompt) -> None:
    """Make the fill a gift to the prompter's pseud, keeping the work's other gifts; no
    gift when the prompter is the writer, refuses gifts or has blocked them."""
    pseud = prompt.signup.pseud
    if pseud.user_id == user.pk or work.gifts.filter(pseud=pseud).exists():
        return
    try:
        wanted = gift_recipients_resolve(
            user=user, work=work, names=[f"{pseud.name} ({pseud.user.username})"]
        )
    except ValidationError:
        return  # the prompter does not take gifts from this writer: the fill stands
    kept = [
        GiftRecipient(pseud=gift.pseud, name=gift.recipient_name)
        for gift in work.gifts.filter(refused=False).select_related("pseud").order_by("position")
    ]
    gifts_set(work=work, recipients=[*kept, *wanted])


def _notify_prompter(claim: Claim, work: Work, actor: User | None) -> None:
    prompt = claim.prompt
    collection = claim.challenge.collection
    notify(
        recipients=[prompt.signup.user],
        kind=NoticeKind.COLLECTION,
        subject=lazy_format(
            gettext_lazy("Your prompt in %(collection)s was filled"), collection=collection.title
        ),
        body=lazy_format(
            gettext_lazy("%(title)s fills your prompt %(prompt)s in %(collection)s."),
            title=work.title,
            prompt=lazy_text(prompt_label, prompt),
            collection=collection.title,
        ),
        url=prompt_url(prompt),
        work=work,
        actor=actor,
    )


@transaction.atomic
def claim_fill(*, user: User, claim: Claim, work: Work) -> Claim:
    """Fill `user`'s claim with their own posted work (see the module's docstring)."""
    require_active(
        user,
        _("Please log in to fill a claim."),
        _("A suspended account cannot fill a claim."),
    )
    claim = _locked_claim(
        claim, _("This claim was dropped, so it cannot be filled: claim the prompt again.")
    )
    if claim.user_id != user.pk:
        raise PermissionDenied(_("Only the writer who claimed this prompt can fill the claim."))
    if claim.work is not None:
        raise ValidationError(
            _("This claim is already filled by %(title)s.") % {"title": claim.work.title}
        )
    if not is_creator(user, work):
        raise ValidationError({"work": [_("You can only fill a claim with a work of your own.")]})
    if not work.posted:
        raise ValidationError({"work": [_("Post the work first: a draft cannot fill a claim.")]})
    collection = claim.challenge.collection
    if not CollectionItem.objects.filter(collection=collection, work=work).exists():
        collection_item_add(user=user, collection=collection, work=work)
    work.refresh_from_db()
    if not claim.prompt.anonymous:
        _gift_prompter(user, work, claim.prompt)
    claim.work = work
    claim.filled_at = timezone.now()
    claim.save(update_fields=["work", "filled_at"])
    if not work.unrevealed:
        _notify_prompter(claim, work, actor=user)
    return claim


def claim_fills_revealed(*, collection: Collection, work_ids: Iterable[int]) -> None:
    """Tell the prompters of the claims these just-revealed works fill (heard from every
    `collections.item_services.collection_reveal` through `reveal_services.ChallengeReveals`)."""
    claims = (
        Claim.objects.filter(challenge__collection=collection, work_id__in=list(work_ids))
        .select_related("challenge__collection", "prompt__signup__user", "work", "user")
        .order_by("id")
    )
    for claim in claims:
        if claim.work is not None and not claim.work.unrevealed:
            _notify_prompter(claim, claim.work, actor=claim.user)
