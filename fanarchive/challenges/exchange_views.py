"""The gift exchange's pages after sign-up: the moderators' matching (generate, review,
adjust, send) and assignments (defaults, pinch hits, overdue), an assignment's page for
its writer, and one's own assignments. Thin: the rules are the services' and selectors'.

Recipients never learn who writes for them here: an assignment's page is its writer's
and the moderators' only, and one's dashboard lists what one writes, not receives.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.challenges import assignment_selectors as selectors
from fanarchive.challenges import assignment_services, matching_services
from fanarchive.challenges.exchange_forms import AdjustForm, FulfilForm, PinchHitForm, SwapForm
from fanarchive.challenges.models import Assignment, Challenge, ChallengeKind, SignUp
from fanarchive.challenges.posting_links import new_work_url
from fanarchive.challenges.setup_selectors import challenge_by_name, signup_window
from fanarchive.collections.selectors import can_moderate
from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted


def _exchange(name: str) -> Challenge:
    challenge = challenge_by_name(name)
    if challenge is None or challenge.kind != ChallengeKind.GIFT_EXCHANGE:
        raise Http404(_("This collection has no gift exchange."))
    return challenge


def _moderated_exchange(request: HttpRequest, name: str) -> tuple[User, Challenge]:
    user = authenticated_user(request)
    challenge = _exchange(name)
    if not can_moderate(user, challenge.collection):
        raise PermissionDenied(
            _("Only the moderators of %(title)s can see this page.")
            % {"title": challenge.collection.title}
        )
    return user, challenge


def _assignment(challenge: Challenge, assignment_id: int) -> Assignment:
    found = selectors.sent_assignments(challenge).filter(pk=assignment_id).first()
    found = found or selectors.draft_assignments(challenge).filter(pk=assignment_id).first()
    if found is None:
        raise Http404(_("No such assignment in this exchange."))
    return found


def _signup(challenge: Challenge, signup_id: int) -> SignUp:
    found = selectors.signups_for_choice(challenge).filter(pk=signup_id).first()
    if found is None:
        raise Http404(_("No such sign-up in this exchange."))
    return found


def _attempt(request: HttpRequest, action: Callable[[], str]) -> None:
    """Run a service call; its success message, or its refusal, as a message."""
    try:
        messages.success(request, action())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


# -- matching (moderators) ------------------------------------------------------------


def _matching_context(
    request: HttpRequest,
    challenge: Challenge,
    adjust: AdjustForm | None = None,
    swap: SwapForm | None = None,
) -> dict[str, Any]:
    drafts = selectors.draft_assignments(challenge)
    page = paginate(request, drafts)
    signups = selectors.signups_for_choice(challenge)
    run = selectors.match_run(challenge)
    report = run.report if run is not None else {}
    return {
        "challenge": challenge,
        "collection": challenge.collection,
        "window": signup_window(challenge),
        "run": run,
        "report": report,
        "generated_at": dt.datetime.fromisoformat(report["generated_at"])
        if "generated_at" in report
        else None,
        "running": selectors.matching_running(challenge),
        "sent": challenge.assignments_sent_at is not None,
        "drafts": page,
        "draft_count": page.paginator.count,
        "review": selectors.draft_review(challenge),
        "adjust_form": adjust or AdjustForm(signups=signups),
        "swap_form": swap or SwapForm(drafts=drafts),
        "signup_count": signups.count(),
    }


@login_required
def exchange_matching(request: HttpRequest, name: str) -> HttpResponse:
    _user, challenge = _moderated_exchange(request, name)
    return render(
        request, "challenges/exchange/matching.html", _matching_context(request, challenge)
    )


def _to_matching(challenge: Challenge) -> HttpResponse:
    return redirect("challenges:exchange_matching", name=challenge.collection.name)


@login_required
@require_POST
def exchange_generate(request: HttpRequest, name: str) -> HttpResponse:
    user, challenge = _moderated_exchange(request, name)

    def generate() -> str:
        matching_services.matches_generate(user=user, challenge=challenge)
        return _("Matching is running. This page shows the potential assignments when it is done.")

    _attempt(request, generate)
    return _to_matching(challenge)


@login_required
def exchange_adjust(request: HttpRequest, name: str) -> HttpResponse:
    """Set one giver's recipient (POST); a refusal shows on the matching page's form."""
    user, challenge = _moderated_exchange(request, name)
    if request.method != "POST":
        return _to_matching(challenge)
    form = AdjustForm(posted(request), signups=selectors.signups_for_choice(challenge))
    if form.is_valid():
        giver, recipient = form.cleaned_data["giver"], form.cleaned_data["recipient"]
        try:
            assignment_services.draft_recipient_set(
                user=user, giver=giver, recipient=recipient, force=form.cleaned_data["force"]
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                _("%(giver)s now writes for %(recipient)s.")
                % {"giver": giver.pseud.byline, "recipient": recipient.pseud.byline},
            )
            return _to_matching(challenge)
    context = _matching_context(request, challenge, adjust=form)
    return render(request, "challenges/exchange/matching.html", context, status=400)


@login_required
def exchange_swap(request: HttpRequest, name: str) -> HttpResponse:
    user, challenge = _moderated_exchange(request, name)
    if request.method != "POST":
        return _to_matching(challenge)
    form = SwapForm(posted(request), drafts=selectors.draft_assignments(challenge))
    if form.is_valid():
        try:
            assignment_services.draft_swap(
                user=user,
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                force=form.cleaned_data["force"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The two recipients were swapped."))
            return _to_matching(challenge)
    context = _matching_context(request, challenge, swap=form)
    return render(request, "challenges/exchange/matching.html", context, status=400)


@login_required
@require_POST
def exchange_clear(request: HttpRequest, name: str, assignment_id: int) -> HttpResponse:
    user, challenge = _moderated_exchange(request, name)
    assignment = _assignment(challenge, assignment_id)

    def clear() -> str:
        assignment_services.draft_clear(user=user, assignment=assignment)
        return _("The assignment for %(byline)s was removed.") % {
            "byline": assignment.recipient.pseud.byline
        }

    _attempt(request, clear)
    return _to_matching(challenge)


@login_required
@require_POST
def exchange_send(request: HttpRequest, name: str) -> HttpResponse:
    user, challenge = _moderated_exchange(request, name)

    def send() -> str:
        count = assignment_services.assignments_send(user=user, challenge=challenge)
        return ngettext(
            "%(count)s assignment sent; each giver is told in their inbox.",
            "%(count)s assignments sent; each giver is told in their inbox.",
            count,
        ) % {"count": count}

    _attempt(request, send)
    return redirect("challenges:exchange_assignments", name=challenge.collection.name)


@login_required
@require_POST
def exchange_for_pinch_hitter(request: HttpRequest, name: str, signup_id: int) -> HttpResponse:
    """An assignment with no giver for a recipient nobody writes for."""
    user, challenge = _moderated_exchange(request, name)
    recipient = _signup(challenge, signup_id)

    def create() -> str:
        assignment_services.assignment_for_pinch_hitter(user=user, recipient=recipient)
        return _("An assignment for %(byline)s waits for a pinch hitter.") % {
            "byline": recipient.pseud.byline
        }

    _attempt(request, create)
    if challenge.assignments_sent_at is None:
        return _to_matching(challenge)
    return redirect("challenges:exchange_assignments", name=challenge.collection.name)


# -- assignments (moderators) ---------------------------------------------------------


@login_required
def exchange_assignments(request: HttpRequest, name: str) -> HttpResponse:
    _user, challenge = _moderated_exchange(request, name)
    now = timezone.now()
    show = request.GET.get("show", "")
    page = paginate(request, selectors.sent_assignments_shown(challenge, show, now))
    rows = [
        {
            "assignment": a,
            "status": selectors.status_of(a, now),
            "overdue": selectors.is_overdue(a, now),
            "needs_pinch_hitter": selectors.needs_pinch_hitter(a),
            "writer": selectors.current_writer(a),
        }
        for a in page
    ]
    context = {
        "challenge": challenge,
        "collection": challenge.collection,
        "rows": rows,
        "page": page,
        "show": show,
        "filters": selectors.SENT_FILTERS,
        "overdue_count": selectors.sent_assignments_shown(challenge, "overdue", now).count(),
        "needing_count": selectors.sent_assignments_shown(
            challenge, "needs_pinch_hitter", now
        ).count(),
        "without_giver": selectors.draft_review(challenge).without_giver
        if challenge.assignments_sent_at is not None
        else [],
    }
    return render(request, "challenges/exchange/assignments.html", context)


@login_required
@require_POST
def assignment_pinch_hit(request: HttpRequest, name: str, assignment_id: int) -> HttpResponse:
    user, challenge = _moderated_exchange(request, name)
    assignment = _assignment(challenge, assignment_id)
    form = PinchHitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["pinch_hitter"]))
    else:
        hitter = form.cleaned_data["pinch_hitter"]

        def pinch_hit() -> str:
            assignment_services.assignment_pinch_hit(
                user=user, assignment=assignment, pinch_hitter=hitter
            )
            return _("%(username)s now writes for %(byline)s.") % {
                "username": hitter.username,
                "byline": assignment.recipient.pseud.byline,
            }

        _attempt(request, pinch_hit)
    return redirect("challenges:exchange_assignments", name=challenge.collection.name)


# -- one assignment (its writer, the moderators) ---------------------------------------


def _visible_assignment(request: HttpRequest, name: str, assignment_id: int) -> Assignment:
    user = authenticated_user(request)
    assignment = _assignment(_exchange(name), assignment_id)
    if not selectors.can_see_assignment(user, assignment):
        raise PermissionDenied(
            _("Only the writer of this assignment and the moderators can see it.")
        )
    return assignment


@login_required
def assignment_detail(request: HttpRequest, name: str, assignment_id: int) -> HttpResponse:
    user = authenticated_user(request)
    assignment = _visible_assignment(request, name, assignment_id)
    return _detail(request, user, assignment, FulfilForm(works=selectors.own_works_for(user)))


def _detail(
    request: HttpRequest, user: User, assignment: Assignment, form: FulfilForm, status: int = 200
) -> HttpResponse:
    writer = selectors.current_writer(assignment)
    is_writer = writer is not None and writer.pk == user.pk
    open_to_write = is_writer and assignment.sent_at is not None and assignment.fulfilled_at is None
    context = {
        "assignment": assignment,
        "challenge": assignment.challenge,
        "collection": assignment.challenge.collection,
        "status": selectors.status_of(assignment),
        "overdue": selectors.is_overdue(assignment),
        "is_writer": is_writer,
        "writer": writer,
        "can_write": open_to_write,
        "can_default": assignment.sent_at is not None
        and assignment.fulfilled_at is None
        and writer is not None
        and (is_writer or can_moderate(user, assignment.challenge.collection)),
        "form": form,
        "new_work_url": new_work_url(
            assignment.challenge.collection,
            gift_to=assignment.recipient.pseud,
            prompt=assignment.request,
        ),
    }
    return render(request, "challenges/exchange/assignment.html", context, status=status)


@login_required
@require_POST
def assignment_fulfil(request: HttpRequest, name: str, assignment_id: int) -> HttpResponse:
    user = authenticated_user(request)
    assignment = _visible_assignment(request, name, assignment_id)
    form = FulfilForm(request.POST, works=selectors.own_works_for(user))
    if form.is_valid():
        work = form.cleaned_data["work"]
        try:
            assignment_services.assignment_fulfil(user=user, assignment=assignment, work=work)
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(work_title)s fulfils your assignment: it is in %(collection_title)s as a "
                    "gift for %(byline)s."
                )
                % {
                    "work_title": work.title,
                    "collection_title": assignment.challenge.collection.title,
                    "byline": assignment.recipient.pseud.byline,
                },
            )
            return redirect("challenges:assignment_detail", name=name, assignment_id=assignment.pk)
    return _detail(request, user, assignment, form, status=400)


@login_required
@require_POST
def assignment_default(request: HttpRequest, name: str, assignment_id: int) -> HttpResponse:
    user = authenticated_user(request)
    assignment = _visible_assignment(request, name, assignment_id)
    moderating = can_moderate(user, assignment.challenge.collection)

    def default() -> str:
        assignment_services.assignment_default(user=user, assignment=assignment)
        return _("The assignment is marked defaulted; the moderators were told.")

    _attempt(request, default)
    if moderating:
        return redirect("challenges:exchange_assignments", name=name)
    return redirect("challenges:assignment_dashboard", username=user.username)


# -- one's own ------------------------------------------------------------------------


@login_required
def assignment_dashboard(request: HttpRequest, username: str) -> HttpResponse:
    user = authenticated_user(request)
    if user.username.lower() != username.lower():
        raise PermissionDenied(_("You can only see your own assignments."))
    now = timezone.now()
    rows = [
        {
            "assignment": a,
            "status": selectors.status_of(a, now),
            "is_pinch_hit": a.pinch_hitter_id == user.pk,
        }
        for a in selectors.assignments_of(user)
    ]
    return render(request, "challenges/exchange/dashboard.html", {"rows": rows})
