"""The pages everyone uses: reporting something, and appealing a decision about oneself.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.accounts.models import User
from fanarchive.core.addresses import client_address
from fanarchive.core.views import authenticated_user, form_error_from, posted
from fanarchive.moderation import selectors
from fanarchive.moderation.appeal_links import appellant_from_key
from fanarchive.moderation.appeal_services import appeal_create, appeal_refusal
from fanarchive.moderation.forms import AppealForm, ReportForm
from fanarchive.moderation.report_services import report_create
from fanarchive.moderation.snapshots import Target, find_target


def _target(request: HttpRequest, target_type: str, target_id: int) -> Target:
    """The reported thing as this visitor sees it; 404 when it is unknown or unseen."""
    try:
        return find_target(request.user, target_type, target_id)
    except ValidationError as refusal:
        raise Http404(" ".join(refusal.messages)) from refusal


def report_new(request: HttpRequest, target_type: str, target_id: int) -> HttpResponse:
    """Report a work, chapter, comment, bookmark, user, pseud or tag (guests too)."""
    reporter: User | None = authenticated_user(request) if request.user.is_authenticated else None
    target = _target(request, target_type, target_id)
    form = ReportForm(posted(request), guest=reporter is None)
    if request.method == "POST" and form.is_valid():
        sent = {"report": None, "reporter": reporter, "target": target}
        if form.is_bot():
            # Looks like success, so the bot learns nothing; nothing is stored.
            return render(request, "moderation/report_sent.html", sent)
        data = form.cleaned_data
        try:
            report = report_create(
                reporter=reporter,
                email=data.get("email", ""),
                category=data["category"],
                text=data["text"],
                target_type=target_type,
                target_id=target_id,
                address_key="" if reporter else client_address(request),
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            return render(request, "moderation/report_sent.html", {**sent, "report": report})
    context = {
        "form": form,
        "target": target,
        "target_type": target_type,
        "target_id": target_id,
    }
    return render(request, "moderation/report_form.html", context)


def appeal_new(request: HttpRequest, reference: str) -> HttpResponse:
    """The person a decision is about appeals it, once; others get 404. The link sent
    with the decision carries a signed key, so a suspended person (who cannot log in)
    can appeal too; without a key, the person must be logged in."""
    key = request.GET.get("key", "")
    user = appellant_from_key(reference, key) if key else None
    if user is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = authenticated_user(request)
    report = selectors.report_for_subject(user, reference)
    appeal = selectors.appeal_of(report)
    refusal = appeal_refusal(user, report)
    form = AppealForm(posted(request))
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            appeal = appeal_create(appellant=user, report=report, text=form.cleaned_data["text"])
        except ValidationError as error:
            form_error_from(form, error)
        else:
            return render(
                request, "moderation/appeal_sent.html", {"report": report, "appeal": appeal}
            )
    context = {"report": report, "appeal": appeal, "refusal": refusal, "form": form}
    return render(request, "moderation/appeal_form.html", context)
