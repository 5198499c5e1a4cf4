"""Writes of sign-ups: `signup_save` creates or replaces one's sign-up (its requests and
offers; a prompt meme's prompts), `signup_withdraw` removes it.

Every check (the window, the number of prompts, each prompt's tags against the rules and
the tag set through `prompt_rules`, the texts) runs before anything is written, and all
the problems are said at once, each naming the prompt and the tag type. Participants
edit and withdraw while sign-ups are open; the collection's moderators may edit or remove
any sign-up at any time (as on AO3).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.moderators import require_active
from fanarchive.accounts.selectors import own_pseud
from fanarchive.challenges import models as m
from fanarchive.challenges.assignment_services import assignments_signup_withdrawn
from fanarchive.challenges.models import (
    Challenge,
    ChallengeKind,
    Prompt,
    PromptRole,
    PromptTag,
    SignUp,
)
from fanarchive.challenges.prompt_rules import ChallengeRules, prompt_label
from fanarchive.challenges.setup_selectors import signup_window
from fanarchive.collections import services as collection_services
from fanarchive.collections.selectors import can_moderate, role_of
from fanarchive.core.text import TextFormat, clean_line, clean_text, html_to_text, render

_URL = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class PromptInput:
    """One request or offer as typed: tags are type -> names; `any_types` the types
    marked "any"."""

    title: str = ""
    description: str = ""
    url: str = ""
    tags: Mapping[str, Sequence[str]] = field(default_factory=dict)
    any_types: Sequence[str] = ()
    anonymous: bool = False

    def is_blank(self) -> bool:
        """Nothing filled in: a form's spare block, dropped."""
        return not (
            (self.title or "").strip()
            or (self.description or "").strip()
            or (self.url or "").strip()
            or any(name.strip() for names in self.tags.values() for name in names)
            or self.any_types
        )


@dataclass
class _Checked:
    role: str
    position: int
    title: str
    description: str
    url: str
    anonymous: bool
    any_types: list[str]
    names: dict[str, list[str]]


def _texts(label: str, prompt: PromptInput, errors: list[str]) -> tuple[str, str, str]:
    title = clean_line(prompt.title or "").strip()
    if len(title) > m.PROMPT_TITLE_MAX_LENGTH:
        errors.append(
            _("%(label)s: a title can be at most %(PROMPT_TITLE_MAX_LENGTH)s characters.")
            % {"label": label, "PROMPT_TITLE_MAX_LENGTH": m.PROMPT_TITLE_MAX_LENGTH}
        )
    source = clean_text(prompt.description or "").strip()
    description = ""
    if len(source) > m.DESCRIPTION_MAX_LENGTH:
        errors.append(
            _(
                "%(label)s: a description can be at most %(DESCRIPTION_MAX_LENGTH)s characters; "
                "this has %(length)s."
            )
            % {
                "label": label,
                "DESCRIPTION_MAX_LENGTH": f"{m.DESCRIPTION_MAX_LENGTH:,}",
                "length": f"{len(source):,}",
            }
        )
    elif source:
        html = render(source, TextFormat.HTML).strip()
        description = html if html_to_text(html).strip() else ""
    url = clean_line(prompt.url or "").strip()
    if len(url) > m.PROMPT_URL_MAX_LENGTH:
        errors.append(
            _("%(label)s: a URL can be at most %(PROMPT_URL_MAX_LENGTH)s characters.")
            % {"label": label, "PROMPT_URL_MAX_LENGTH": m.PROMPT_URL_MAX_LENGTH}
        )
    elif url:
        try:
            _URL(url)
        except ValidationError:
            errors.append(
                _("%(label)s: %(url)s is not a web address (http:// or https://).")
                % {"label": label, "url": url[:80]}
            )
    return title, description, url


def _count_error(what: str, required: int, allowed: int, given: int) -> str | None:
    """Too many or too few prompts of one kind: `what` is "prompt" (a prompt meme's
    requests), "request" or "offer"; each kind has its own whole sentences."""
    values = {"count": allowed, "given": f"{given:,}"}
    if given > allowed:
        if what == "prompt":
            if allowed == 0:
                return _("This challenge takes no prompts.")
            return (
                ngettext(
                    "You can give at most %(count)s prompt; you gave %(given)s.",
                    "You can give at most %(count)s prompts; you gave %(given)s.",
                    allowed,
                )
                % values
            )
        if what == PromptRole.REQUEST:
            if allowed == 0:
                return _("This challenge takes no requests.")
            return (
                ngettext(
                    "You can give at most %(count)s request; you gave %(given)s.",
                    "You can give at most %(count)s requests; you gave %(given)s.",
                    allowed,
                )
                % values
            )
        if allowed == 0:
            return _("This challenge takes no offers.")
        return (
            ngettext(
                "You can give at most %(count)s offer; you gave %(given)s.",
                "You can give at most %(count)s offers; you gave %(given)s.",
                allowed,
            )
            % values
        )
    if given < required:
        values["count"] = required
        if what == "prompt":
            return (
                ngettext(
                    "Please give at least %(count)s prompt; you gave %(given)s.",
                    "Please give at least %(count)s prompts; you gave %(given)s.",
                    required,
                )
                % values
            )
        if what == PromptRole.REQUEST:
            return (
                ngettext(
                    "Please give at least %(count)s request; you gave %(given)s.",
                    "Please give at least %(count)s requests; you gave %(given)s.",
                    required,
                )
                % values
            )
        return (
            ngettext(
                "Please give at least %(count)s offer; you gave %(given)s.",
                "Please give at least %(count)s offers; you gave %(given)s.",
                required,
            )
            % values
        )
    return None


def _checked(
    challenge: Challenge, requests: Sequence[PromptInput], offers: Sequence[PromptInput]
) -> list[_Checked]:
    """Every prompt checked; every problem at once, or the values to write."""
    rules = ChallengeRules.load(challenge)
    meme = challenge.kind == ChallengeKind.PROMPT_MEME
    errors: list[str] = []
    checked: list[_Checked] = []
    for role, given, required, allowed in (
        (PromptRole.REQUEST, requests, challenge.requests_required, challenge.requests_allowed),
        (PromptRole.OFFER, offers, challenge.offers_required, challenge.offers_allowed),
    ):
        filled = [p for p in given if not p.is_blank()]
        what = "prompt" if meme and role == PromptRole.REQUEST else role
        problem = _count_error(what, required, allowed, len(filled))
        if problem:
            errors.append(problem)
            continue
        for position, prompt in enumerate(filled):
            label = prompt_label(challenge.kind, role, position)
            title, description, url = _texts(label, prompt, errors)
            tags = rules.check_tags(
                role=role, label=label, tags=prompt.tags, any_types=prompt.any_types
            )
            errors.extend(tags.errors)
            if prompt.anonymous and not (meme and challenge.anonymous_prompts_allowed):
                errors.append(
                    _("%(label)s: this challenge does not take anonymous prompts.")
                    % {"label": label}
                )
            checked.append(
                _Checked(
                    role=role,
                    position=position,
                    title=title,
                    description=description,
                    url=url,
                    anonymous=bool(prompt.anonymous),
                    any_types=sorted({str(t) for t in prompt.any_types}),
                    names=tags.names,
                )
            )
    if errors:
        raise ValidationError(errors)
    return checked


def _require_window(user: User, challenge: Challenge) -> None:
    """Participants act only while sign-ups are open; moderators at any time."""
    if can_moderate(user, challenge.collection):
        return
    window = signup_window(challenge)
    if not window.is_open:
        raise ValidationError(window.message)


def _join(user: User, challenge: Challenge, pseud: Pseud) -> None:
    """Signing up makes one a member of the collection (a closed collection is left as is:
    its owners invite people)."""
    collection = challenge.collection
    if role_of(user, collection) is None and not collection.closed:
        collection_services.collection_join(user=user, collection=collection, pseud=pseud)


@transaction.atomic
def signup_save(
    *,
    user: User,
    challenge: Challenge,
    requests: Sequence[PromptInput],
    offers: Sequence[PromptInput] = (),
    pseud: Pseud | None = None,
    signup: SignUp | None = None,
) -> SignUp:
    """Create or replace `user`'s sign-up; a moderator edits someone else's by passing
    their `signup`. Blank prompts (a form's spare blocks) are dropped."""
    require_active(
        user,
        _("Please log in to sign up."),
        _("A suspended account cannot sign up."),
    )
    if signup is not None and signup.challenge_id != challenge.pk:
        raise ValidationError(_("That sign-up belongs to another challenge."))
    if signup is not None and signup.user_id != user.pk:
        if not can_moderate(user, challenge.collection):
            raise PermissionDenied(_("You can only edit your own sign-up."))
        owner = signup.user
        pseud = signup.pseud if pseud is None else pseud
    else:
        owner = user
        signup = SignUp.objects.filter(challenge=challenge, user=user).first()
        _require_window(user, challenge)
    if pseud is not None and pseud.user_id != owner.pk:
        raise PermissionDenied(_("A sign-up is under one of its owner's pseuds."))
    pseud = own_pseud(
        owner,
        pseud,
        missing=_("This account has no pseud to sign up under."),
        not_own=_("You can only sign up under your own pseuds."),
    )
    checked = _checked(challenge, requests, offers)
    if signup is None:
        signup = SignUp.objects.create(challenge=challenge, user=owner, pseud=pseud)
        _join(owner, challenge, pseud)
    else:
        signup.pseud = pseud
        signup.save(update_fields=["pseud", "updated_at"])
    _prompts_replace(signup, checked)
    return signup


def _prompts_replace(signup: SignUp, checked: Sequence[_Checked]) -> None:
    """The sign-up's prompts become `checked`: a prompt at the same role and position is
    updated in place (its claims and assignments keep pointing at it), the rest added or
    removed."""
    rules = ChallengeRules.load(signup.challenge)
    existing = {(p.role, p.position): p for p in signup.prompts.all()}
    kept: set[int] = set()
    for item in checked:
        prompt = existing.get((item.role, item.position))
        values = {
            "title": item.title,
            "description": item.description,
            "url": item.url,
            "anonymous": item.anonymous,
            "any_types": item.any_types,
        }
        if prompt is None:
            prompt = Prompt.objects.create(
                signup=signup,
                challenge=signup.challenge,
                role=item.role,
                position=item.position,
                **values,
            )
        else:
            for name, value in values.items():
                setattr(prompt, name, value)
            prompt.save()
            PromptTag.objects.filter(prompt=prompt).delete()
        kept.add(prompt.pk)
        PromptTag.objects.bulk_create(
            PromptTag(prompt=prompt, tag=tag) for tag in rules.resolve_tags(item.names)
        )
    signup.prompts.exclude(pk__in=kept).delete()


@transaction.atomic
def signup_withdraw(*, user: User, signup: SignUp) -> None:
    """Remove a sign-up and its prompts: its owner while sign-ups are open, the
    collection's moderators at any time."""
    require_active(
        user,
        _("Please log in to withdraw a sign-up."),
        _("A suspended account cannot withdraw a sign-up."),
    )
    challenge = signup.challenge
    if signup.user_id != user.pk and not can_moderate(user, challenge.collection):
        raise PermissionDenied(_("You can only withdraw your own sign-up."))
    _require_window(user, challenge)
    assignments_signup_withdrawn(signup)  # drafts go; a sent one waits for a pinch hitter
    signup.delete()
