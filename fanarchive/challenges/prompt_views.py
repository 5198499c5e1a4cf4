"""The prompt meme's pages: prompts with filters, a prompt with its claims and fills,
claiming and dropping, and one's own claims with the form to fill them. Thin: the rules
are `prompt_selectors` and `claim_services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.challenges import claim_services
from fanarchive.challenges import prompt_selectors as selectors
from fanarchive.challenges.models import Claim
from fanarchive.challenges.posting_links import new_work_url
from fanarchive.challenges.prompt_forms import ClaimFillForm, PromptFilterForm, fill_form_for
from fanarchive.core.views import authenticated_user, form_error_from, paginate


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the button was on (a local address), else `default`."""
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(default)


def prompt_list(request: HttpRequest, name: str) -> HttpResponse:
    challenge = selectors.prompt_meme_or_404(name)
    form = PromptFilterForm(request.GET)
    prompts = selectors.with_card_data(selectors.prompts_of(challenge, form.filters()))
    page = paginate(request, prompts)
    cards = selectors.prompt_cards(challenge, list(page.object_list), request.user)
    return render(
        request,
        "challenges/prompts/list.html",
        {
            "challenge": challenge,
            "collection": challenge.collection,
            "form": form,
            "page": page,
            "cards": cards,
        },
    )


def prompt_detail(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    challenge = selectors.prompt_meme_or_404(name)
    prompt = selectors.prompt_or_404(challenge, prompt_id)
    [card] = selectors.prompt_cards(challenge, [prompt], request.user)
    return render(
        request,
        "challenges/prompts/detail.html",
        {
            "challenge": challenge,
            "collection": challenge.collection,
            "card": card,
            "moderator": selectors.sees_prompters(request.user, challenge),
        },
    )


@login_required
@require_POST
def claim_create(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    challenge = selectors.prompt_meme_or_404(name)
    prompt = selectors.prompt_or_404(challenge, prompt_id)
    try:
        claim_services.prompt_claim(user=authenticated_user(request), prompt=prompt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You claimed this prompt. It is listed on your claims page."))
    return _back(request, claim_services.prompt_url(prompt))


@login_required
@require_POST
def claim_unclaim(request: HttpRequest, name: str, prompt_id: int) -> HttpResponse:
    """Drop one's own claim; a moderator names the claim to remove with `claim`."""
    user = authenticated_user(request)
    challenge = selectors.prompt_meme_or_404(name)
    prompt = selectors.prompt_or_404(challenge, prompt_id)
    claims = Claim.objects.filter(prompt=prompt)
    wanted = request.POST.get("claim", "")
    claim = (
        claims.filter(pk=int(wanted)).first()
        if wanted.isdigit()
        else claims.filter(user=user).first()
    )
    if claim is None:
        messages.error(
            request, _("There is no such claim on this prompt: it may have been dropped.")
        )
        return _back(request, claim_services.prompt_url(prompt))
    try:
        claim_services.claim_drop(user=user, claim=claim)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The claim was dropped."))
    return _back(request, claim_services.prompt_url(prompt))


def _require_self(request: HttpRequest, username: str) -> None:
    if authenticated_user(request).username.lower() != username.lower():
        raise PermissionDenied(_("You can only see your own claims."))


def _claims_page(
    request: HttpRequest, user: User, bound: ClaimFillForm | None = None, claim_id: int = 0
) -> HttpResponse:
    page = paginate(request, selectors.claims_of_user(user))
    rows = [
        (
            claim,
            bound
            if bound is not None and claim.pk == claim_id
            else fill_form_for(user, prefix=f"claim{claim.pk}"),
            new_work_url(
                claim.challenge.collection,
                # An anonymous prompter is not named, so no gift (as claim_fill does).
                gift_to=None if claim.prompt.anonymous else claim.prompt.signup.pseud,
                prompt=claim.prompt,
            ),
        )
        for claim in page
    ]
    return render(
        request,
        "challenges/prompts/claims.html",
        {"page": page, "rows": rows, "owner": user},
        status=400 if bound is not None else 200,
    )


@login_required
def user_claims(request: HttpRequest, username: str) -> HttpResponse:
    _require_self(request, username)
    return _claims_page(request, authenticated_user(request))


@login_required
@require_POST
def claim_fill(request: HttpRequest, username: str, claim_id: int) -> HttpResponse:
    _require_self(request, username)
    user = authenticated_user(request)
    claim = get_object_or_404(Claim.objects.filter(user=user), pk=claim_id)
    form = fill_form_for(user, request.POST, prefix=f"claim{claim.pk}")
    if form.is_valid():
        work = form.cleaned_data["work"]
        try:
            claim_services.claim_fill(user=user, claim=claim, work=work)
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request, _("Your claim is filled with %(title)s.") % {"title": work.title}
            )
            return redirect("challenges:claim_list", username=user.username)
    return _claims_page(request, user, form, claim.pk)
