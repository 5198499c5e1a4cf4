"""The moderators' pages: the queue, one report (assign, resolve) and one appeal (decide).
Guests are sent to log in; other readers get 403 from the selectors. Thin: parse, call one
service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.views import authenticated_user, form_error_from, posted
from fanarchive.engagement.spam_selectors import held_count
from fanarchive.moderation import selectors
from fanarchive.moderation.action_services import report_resolve
from fanarchive.moderation.appeal_services import appeal_assign, appeal_decide
from fanarchive.moderation.forms import AppealDecisionForm, QueueFilterForm, ResolveForm
from fanarchive.moderation.models import Appeal, Report
from fanarchive.moderation.page_selectors import report_advice, report_history
from fanarchive.moderation.report_services import report_assign, report_unassign
from fanarchive.moderation.snapshots import target_row

# How many earlier reports and actions on the same person the report page lists.
EARLIER_SHOWN = 20


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    moderator = authenticated_user(request)
    filters = QueueFilterForm(request.GET)
    items = selectors.queue(moderator=moderator, **filters.filters())
    context = {"filters": filters, "items": items, "held_count": held_count()}
    return render(request, "moderation/queue.html", context)


def _report_context(moderator: Any, report: Report, form: ResolveForm) -> dict[str, Any]:
    earlier = selectors.reports_about(report.subject).exclude(pk=report.pk)
    return {
        "report": report,
        "form": form,
        "live": target_row(report.target_type, report.target_id),
        "earlier_reports": earlier[:EARLIER_SHOWN],
        "earlier_actions": selectors.actions_about(report.subject)[:EARLIER_SHOWN],
        "appeal": selectors.appeal_of(report),
        "history": report_history(moderator, report),
        "advice": report_advice(moderator, report),
        "hours_left": selectors.hours_left(report),
    }


@login_required
def report_page(request: HttpRequest, reference: str) -> HttpResponse:
    """One report: the snapshot, who reported it, what is known of the person, the
    decision's form (POST resolves)."""
    moderator = authenticated_user(request)
    report = selectors.report_detail(moderator, reference)
    form = ResolveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_resolve(
                moderator=moderator,
                report=report,
                resolution=data["resolution"],
                reason=data["reason"],
                suspend_days=data["suspend_days"],
                suspend_forever=data["suspend_forever"],
                hide_their_works=data["hide_their_works"],
                rating=data["rating"] or None,
                warnings=data["warnings"] or None,
            )
        except PermissionDenied as refusal:  # suspending an admin or oneself
            form.add_error(None, str(refusal))
        except ValidationError as error:
            form_error_from(form, error)
            # The service wrote nothing; show the report as it is stored.
            report = selectors.report_detail(moderator, reference)
        else:
            messages.success(
                request, _("%(reference)s is resolved.") % {"reference": report.reference}
            )
            return redirect("moderation:report_detail", report.reference)
    return render(
        request, "moderation/report_detail.html", _report_context(moderator, report, form)
    )


@login_required
@require_POST
def report_take(request: HttpRequest, reference: str) -> HttpResponse:
    """Assign the report to oneself (or, with `release`, put it back in the queue)."""
    moderator = authenticated_user(request)
    report = selectors.report_detail(moderator, reference)
    try:
        if request.POST.get("release"):
            report_unassign(moderator=moderator, report=report)
            messages.success(
                request, _("%(reference)s is back in the queue.") % {"reference": report.reference}
            )
        else:
            report_assign(moderator=moderator, report=report)
            messages.success(
                request, _("%(reference)s is assigned to you.") % {"reference": report.reference}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_back(request, reverse("moderation:report_detail", args=[report.reference])))


def _appeal(moderator: Any, appeal_id: int) -> Appeal:
    require_moderator(moderator, _("Only moderators and administrators can see appeals."))
    return get_object_or_404(
        Appeal.objects.select_related("report", "report__subject", "report__resolved_by"),
        pk=appeal_id,
    )


@login_required
def appeal_page(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """An appeal beside the decision it is about; POST decides it (uphold or refuse)."""
    moderator = authenticated_user(request)
    appeal = _appeal(moderator, appeal_id)
    form = AppealDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal_decide(
                moderator=moderator,
                appeal=appeal,
                uphold=data["decision"] == "uphold",
                reason=data["reason"],
            )
        except PermissionDenied as refusal:  # the decision's own moderator
            form.add_error(None, str(refusal))
        except ValidationError as error:
            form_error_from(form, error)
            appeal = _appeal(moderator, appeal_id)
        else:
            messages.success(
                request,
                _("The appeal of %(reference)s is decided.")
                % {"reference": appeal.report.reference},
            )
            return redirect("moderation:appeal_detail", appeal.pk)
    report = appeal.report
    context = {
        "appeal": appeal,
        "report": report,
        "form": form,
        "own_decision": report.resolved_by_id == moderator.pk,
        "history": report_history(moderator, report),
        "advice": report_advice(moderator, report),
    }
    return render(request, "moderation/appeal_detail.html", context)


@login_required
@require_POST
def appeal_take(request: HttpRequest, appeal_id: int) -> HttpResponse:
    moderator = authenticated_user(request)
    appeal = _appeal(moderator, appeal_id)
    try:
        appeal_assign(moderator=moderator, appeal=appeal)
    except PermissionDenied as refusal:  # the decision's own moderator
        messages.error(request, str(refusal))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The appeal of %(reference)s is assigned to you.")
            % {"reference": appeal.report.reference},
        )
    return redirect(_back(request, reverse("moderation:appeal_detail", args=[appeal.pk])))
