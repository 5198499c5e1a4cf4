"""The set-up pages: tag sets and nominations, a challenge's settings, sign-ups.
Thin views: the rules are the services' and selectors'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import Pseud, User
from fanarchive.challenges import (
    setup_selectors,
    setup_services,
    signup_selectors,
    signup_services,
    tag_set_selectors,
    tag_set_services,
)
from fanarchive.challenges.models import (
    Challenge,
    NominationStatus,
    Prompt,
    SignUp,
    TagNomination,
    TagSet,
)
from fanarchive.challenges.prompt_rules import (
    TAG_TYPE_ORDER,
    ChallengeRules,
    prompt_label,
    type_label,
)
from fanarchive.challenges.setup_forms import (
    ChallengeNewForm,
    ChallengeSettingsForm,
    NominationForm,
    SignupForm,
    TagAddForm,
    TagSetForm,
    datalist_id,
    settings_initial,
    signup_initial,
    split_names,
    tag_set_initial,
)
from fanarchive.collections.models import Collection
from fanarchive.collections.selectors import can_moderate, collection_by_name, is_collection_owner
from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted

# -- helpers --------------------------------------------------------------------------


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _tag_set(tag_set_id: int) -> TagSet:
    return get_object_or_404(TagSet, pk=tag_set_id)


def _collection(name: str) -> Collection:
    collection = collection_by_name(name)
    if collection is None:
        raise Http404(_("No such collection."))
    return collection


def _challenge(name: str) -> Challenge:
    challenge = setup_selectors.challenge_by_name(name)
    if challenge is None:
        raise Http404(_("This collection has no challenge."))
    return challenge


def _require_tag_set_owner(user: User, tag_set: TagSet) -> None:
    if not tag_set_selectors.is_tag_set_owner(user, tag_set):
        raise PermissionDenied(
            _("Only the owners of the tag set %(title)s can do that.") % {"title": tag_set.title}
        )


def _require_moderator(user: User, challenge: Challenge) -> None:
    if not can_moderate(user, challenge.collection):
        raise PermissionDenied(
            _("Only the moderators of %(title)s can see every sign-up.")
            % {"title": challenge.collection.title}
        )


# -- tag sets -------------------------------------------------------------------------


def tag_set_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, tag_set_selectors.tag_set_list())
    return render(request, "challenges/setup/tag_set_list.html", {"tag_sets": page, "page": page})


@login_required
def tag_set_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    form = TagSetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            tag_set = tag_set_services.tag_set_create(user=user, data=form.to_input())
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The tag set was created: now add its tags."))
            return redirect("challenges:tag_set_edit", tag_set_id=tag_set.pk)
    return render(
        request,
        "challenges/setup/tag_set_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def tag_set_detail(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    tag_set = _tag_set(tag_set_id)
    return render(
        request,
        "challenges/setup/tag_set_detail.html",
        {
            "tag_set": tag_set,
            "tags_by_type": [
                (type_label(t), tags)
                for t, tags in tag_set_selectors.tag_set_tags_by_type(tag_set).items()
            ],
            "owners": tag_set.owners.order_by("username"),
            "is_owner": tag_set_selectors.is_tag_set_owner(request.user, tag_set),
        },
    )


@login_required
def tag_set_edit(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    """The owners' page: the settings, adding tags by type, removing tags."""
    user = authenticated_user(request)
    tag_set = _tag_set(tag_set_id)
    _require_tag_set_owner(user, tag_set)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = TagSetForm(
        request.POST if action == "settings" else None, initial=tag_set_initial(tag_set)
    )
    add_form = TagAddForm(request.POST if action == "add" else None)
    if action == "settings" and form.is_valid():
        try:
            tag_set_services.tag_set_update(user=user, tag_set=tag_set, data=form.to_input())
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The tag set was saved."))
            return redirect("challenges:tag_set_edit", tag_set_id=tag_set.pk)
    elif action == "add" and add_form.is_valid():
        try:
            added = tag_set_services.tag_set_tags_add(
                user=user,
                tag_set=tag_set,
                tag_type=add_form.cleaned_data["tag_type"],
                names=split_names(add_form.cleaned_data["names"]),
            )
        except ValidationError as error:
            form_error_from(add_form, error)
        else:
            messages.success(
                request, _("Tags added: %(names)s.") % {"names": ", ".join(t.name for t in added)}
            )
            return redirect("challenges:tag_set_edit", tag_set_id=tag_set.pk)
    elif action == "remove":
        ids = [int(v) for v in request.POST.getlist("remove") if v.isdigit()]
        removed = tag_set_services.tag_set_tags_remove(user=user, tag_set=tag_set, tag_ids=ids)
        messages.success(request, _("Tags removed: %(removed)s.") % {"removed": removed})
        return redirect("challenges:tag_set_edit", tag_set_id=tag_set.pk)
    status = 400 if form.errors or add_form.errors else 200
    return render(
        request,
        "challenges/setup/tag_set_edit.html",
        {
            "tag_set": tag_set,
            "form": form,
            "add_form": add_form,
            "tags_by_type": [
                (type_label(t), tags)
                for t, tags in tag_set_selectors.tag_set_tags_by_type(tag_set).items()
            ],
            "pending_count": tag_set_selectors.nominations_for_review(tag_set).count(),
        },
        status=status,
    )


@login_required
def tag_set_nominate(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    """Nominate tags, and see, rename or withdraw one's own nominations."""
    user = authenticated_user(request)
    tag_set = _tag_set(tag_set_id)
    action = request.POST.get("action", "nominate") if request.method == "POST" else ""
    form = NominationForm(request.POST if action == "nominate" else None)
    try:
        if action == "nominate" and form.is_valid():
            made = tag_set_services.tag_nominations_add(
                user=user,
                tag_set=tag_set,
                tag_type=form.cleaned_data["tag_type"],
                names=split_names(form.cleaned_data["names"]),
            )
            messages.success(
                request, _("Nominated: %(names)s.") % {"names": ", ".join(n.name for n in made)}
            )
            return redirect("challenges:tag_set_nominate", tag_set_id=tag_set.pk)
        if action in ("withdraw", "rename"):
            nomination = get_object_or_404(
                TagNomination, pk=request.POST.get("nomination") or 0, tag_set=tag_set
            )
            if action == "withdraw":
                tag_set_services.tag_nomination_withdraw(user=user, nomination=nomination)
                messages.success(
                    request,
                    _("Your nomination of %(name)s was withdrawn.") % {"name": nomination.name},
                )
            else:
                tag_set_services.tag_nomination_edit(
                    user=user, nomination=nomination, name=request.POST.get("name", "")
                )
                messages.success(
                    request, _("Your nomination is now %(name)s.") % {"name": nomination.name}
                )
            return redirect("challenges:tag_set_nominate", tag_set_id=tag_set.pk)
    except ValidationError as error:
        if action == "nominate":
            form_error_from(form, error)
        else:
            messages.error(request, _message(error))
            return redirect("challenges:tag_set_nominate", tag_set_id=tag_set.pk)
    limits = [
        (type_label(t), tag_set_selectors.nomination_limit(tag_set, t))
        for t in ("fandom", "character", "relationship", "freeform")
    ]
    return render(
        request,
        "challenges/setup/tag_set_nominate.html",
        {
            "tag_set": tag_set,
            "form": form,
            "limits": limits,
            "nominations": tag_set_selectors.nominations_of(user, tag_set),
        },
        status=400 if form.errors else 200,
    )


@login_required
def tag_set_nominations(request: HttpRequest, tag_set_id: int) -> HttpResponse:
    """The owners review nominations: approve (the tag joins the set) or reject."""
    user = authenticated_user(request)
    tag_set = _tag_set(tag_set_id)
    _require_tag_set_owner(user, tag_set)
    if request.method == "POST":
        nomination = get_object_or_404(
            TagNomination, pk=request.POST.get("nomination") or 0, tag_set=tag_set
        )
        approve = request.POST.get("decision") == "approve"
        try:
            tag_set_services.tag_nomination_review(
                user=user, nomination=nomination, approve=approve
            )
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            done = (
                _("%(name)s was approved and added to the set.")
                if approve
                else _("%(name)s was rejected.")
            )
            messages.success(request, done % {"name": nomination.name})
        return redirect("challenges:tag_set_nominations", tag_set_id=tag_set.pk)
    status = request.GET.get("status", NominationStatus.PENDING)
    if status not in NominationStatus.values:
        status = NominationStatus.PENDING
    return render(
        request,
        "challenges/setup/tag_set_nominations.html",
        {
            "tag_set": tag_set,
            "nominations": tag_set_selectors.nominations_for_review(tag_set, status),
            "status": status,
            "statuses": NominationStatus.choices,
        },
    )


# -- a challenge's settings -----------------------------------------------------------


@login_required
def challenge_new(request: HttpRequest, name: str) -> HttpResponse:
    user = authenticated_user(request)
    collection = _collection(name)
    if not is_collection_owner(user, collection):
        raise PermissionDenied(
            _("Only the owners of %(title)s can set up a challenge.") % {"title": collection.title}
        )
    if setup_selectors.challenge_of(collection) is not None:
        return redirect("challenges:setup_edit", name=collection.name)
    form = ChallengeNewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            setup_services.challenge_create(
                user=user,
                collection=collection,
                kind=kind,
                unrevealed_and_anonymous=form.cleaned_data["unrevealed_and_anonymous"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The challenge was set up: now check its settings."))
            return redirect("challenges:setup_edit", name=collection.name)
    return render(
        request,
        "challenges/setup/challenge_new.html",
        {"collection": collection, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def challenge_edit(request: HttpRequest, name: str) -> HttpResponse:
    user = authenticated_user(request)
    challenge = _challenge(name)
    collection = challenge.collection
    if not can_moderate(user, collection):
        raise PermissionDenied(
            _("Only the moderators of %(title)s can edit its challenge.")
            % {"title": collection.title}
        )
    tag_sets = list(tag_set_selectors.tag_sets_owned_by(user))
    if challenge.tag_set is not None and challenge.tag_set not in tag_sets:
        tag_sets.append(challenge.tag_set)
    form = ChallengeSettingsForm(
        posted(request),
        kind=challenge.kind,
        tag_sets=tag_sets,
        initial=settings_initial(setup_services.settings_of(challenge)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.challenge_update(user=user, challenge=challenge, data=form.to_settings())
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The challenge's settings were saved."))
            return redirect(collection)
    return render(
        request,
        "challenges/setup/challenge_edit.html",
        {"challenge": challenge, "collection": collection, "form": form},
        status=400 if form.errors else 200,
    )


# -- sign-ups -------------------------------------------------------------------------


def _pseud_choices(user: User) -> list[tuple[int, str]]:
    return [(p.pk, p.byline) for p in user.pseuds.order_by("-is_default", "name")]


def _datalists(challenge: Challenge) -> list[tuple[str, list[str]]]:
    if challenge.tag_set is None:
        return []
    by_type = tag_set_selectors.tag_set_tags_by_type(challenge.tag_set)
    return [(datalist_id(t), [tag.name for tag in by_type.get(t, [])]) for t in TAG_TYPE_ORDER]


def _signup_page(
    request: HttpRequest, challenge: Challenge, signup: SignUp | None, *, for_user: User
) -> HttpResponse:
    """The sign-up form, for one's own sign-up or (moderators) someone else's."""
    user = authenticated_user(request)
    rules = ChallengeRules.load(challenge)
    initial: dict[str, Any] = {}
    if signup is not None:
        initial = signup_initial(signup_selectors.prompts_by_role(signup))
        initial["pseud"] = signup.pseud_id
    form = SignupForm(
        posted(request),
        challenge=challenge,
        rules=rules,
        pseud_choices=_pseud_choices(for_user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        pseud_id = form.cleaned_data.get("pseud")
        pseud = Pseud.objects.filter(pk=pseud_id).first() if pseud_id else None
        try:
            saved = signup_services.signup_save(
                user=user,
                challenge=challenge,
                requests=form.prompts("request"),
                offers=form.prompts("offer"),
                pseud=pseud,
                signup=signup,
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The sign-up was saved."))
            return redirect(
                "challenges:signup_detail", name=challenge.collection.name, signup_id=saved.pk
            )
    window = setup_selectors.signup_window(challenge)
    return render(
        request,
        "challenges/setup/signup_form.html",
        {
            "challenge": challenge,
            "collection": challenge.collection,
            "form": form,
            "signup": signup,
            "window": window,
            "may_submit": window.is_open or can_moderate(user, challenge.collection),
            "datalists": _datalists(challenge),
        },
        status=400 if form.errors else 200,
    )


@login_required
def signup_own(request: HttpRequest, name: str) -> HttpResponse:
    """One's own sign-up: GET shows the form (filled in when signed up), POST saves."""
    user = authenticated_user(request)
    challenge = _challenge(name)
    signup = signup_selectors.signup_of(user, challenge)
    return _signup_page(request, challenge, signup, for_user=user)


@login_required
def signup_edit(request: HttpRequest, name: str, signup_id: int) -> HttpResponse:
    """A moderator edits someone's sign-up (its owner uses their own page)."""
    user = authenticated_user(request)
    challenge = _challenge(name)
    signup = signup_selectors.signup_in(challenge, signup_id)
    if signup is None:
        raise Http404(_("No such sign-up."))
    if signup.user_id == user.pk:
        return redirect("challenges:signup_own", name=challenge.collection.name)
    _require_moderator(user, challenge)
    return _signup_page(request, challenge, signup, for_user=signup.user)


def _can_see_signup(user: User, signup: SignUp, challenge: Challenge) -> bool:
    return signup.user_id == user.pk or can_moderate(user, challenge.collection)


@login_required
def signup_detail(request: HttpRequest, name: str, signup_id: int) -> HttpResponse:
    user = authenticated_user(request)
    challenge = _challenge(name)
    signup = signup_selectors.signup_in(challenge, signup_id)
    if signup is None or not _can_see_signup(user, signup, challenge):
        raise Http404(_("No such sign-up."))
    return render(
        request,
        "challenges/setup/signup_detail.html",
        {
            "challenge": challenge,
            "collection": challenge.collection,
            "signup": signup,
            "prompts": _prompts_shown(signup),
            "is_own": signup.user_id == user.pk,
            "window": setup_selectors.signup_window(challenge),
        },
    )


def _prompts_shown(signup: SignUp) -> list[tuple[str, Prompt, list[tuple[str, list[str]]]]]:
    """(label, prompt, [(type label, tag names)]) for a sign-up's prompts, in order."""
    rows = []
    kind = signup.challenge.kind
    for role, prompts in signup_selectors.prompts_by_role(signup).items():
        for prompt in prompts:
            tags = [
                (type_label(t), [tag.name for tag in ts])
                for t, ts in signup_selectors.prompt_tags_by_type(prompt).items()
            ]
            tags.extend((type_label(t), ["Any"]) for t in prompt.any_types if t in TAG_TYPE_ORDER)
            rows.append((prompt_label(kind, role, prompt.position), prompt, tags))
    return rows


@login_required
def signup_withdraw(request: HttpRequest, name: str) -> HttpResponse:
    """Withdraw one's own sign-up: GET asks to confirm, POST withdraws."""
    user = authenticated_user(request)
    challenge = _challenge(name)
    signup = signup_selectors.signup_of(user, challenge)
    if signup is None:
        messages.info(request, _("You have not signed up."))
        return redirect(challenge.collection)
    if request.method == "POST":
        try:
            signup_services.signup_withdraw(user=user, signup=signup)
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Your sign-up was withdrawn."))
        return redirect(challenge.collection)
    return render(
        request,
        "challenges/setup/signup_withdraw.html",
        {"challenge": challenge, "collection": challenge.collection, "signup": signup},
    )


@login_required
@require_POST
def signup_remove(request: HttpRequest, name: str, signup_id: int) -> HttpResponse:
    """A moderator removes someone's sign-up."""
    user = authenticated_user(request)
    challenge = _challenge(name)
    _require_moderator(user, challenge)
    signup = get_object_or_404(
        SignUp.objects.select_related("pseud"), pk=signup_id, challenge=challenge
    )
    signup_services.signup_withdraw(user=user, signup=signup)
    messages.success(
        request, _("The sign-up of %(byline)s was removed.") % {"byline": signup.pseud.byline}
    )
    return redirect("challenges:signup_list", name=challenge.collection.name)


@login_required
def signup_list(request: HttpRequest, name: str) -> HttpResponse:
    """Every sign-up, for the moderators, with the summary per fandom."""
    user = authenticated_user(request)
    challenge = _challenge(name)
    _require_moderator(user, challenge)
    page = paginate(request, signup_selectors.signups_for_moderators(challenge))
    return render(
        request,
        "challenges/setup/signup_list.html",
        {
            "challenge": challenge,
            "collection": challenge.collection,
            "signups": [(s, _prompts_shown(s)) for s in page],
            "page": page,
            "summary": signup_selectors.signup_summary(challenge),
            "total": page.paginator.count,
        },
    )
