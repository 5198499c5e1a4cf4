"""The "Export my data" page and the download of a ready export. Thin: the rules are
`export_services` and `export_selectors`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts import selectors as account_selectors
from fanarchive.core.views import authenticated_user
from fanarchive.portability import export_selectors, export_services


@login_required
def export_page(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    export_services.exports_clean()
    exports = list(export_selectors.exports_of(owner)[:20])
    for export in exports:
        export.downloadable = export_selectors.downloadable(export)  # type: ignore[attr-defined]
    response = render(
        request,
        "portability/export.html",
        {
            "owner": owner,
            "is_owner": True,
            "exports": exports,
            "keep_days": export_selectors.KEEP_FOR.days,
            "per_day": export_selectors.REQUESTS_PER_DAY,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def export_request(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    try:
        export_services.export_request(user=authenticated_user(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Your export is being prepared. You will find it in your inbox, and in your mail, "
                "when it is ready."
            ),
        )
    return redirect("portability:export", owner.username)


@login_required
def export_download(request: HttpRequest, username: str, export_id: int) -> FileResponse:
    export = export_selectors.export_for_download(request.user, username, export_id)
    stamp = export.ready_at.strftime("%Y-%m-%d") if export.ready_at else "export"
    response = FileResponse(
        export_selectors.export_file(export).open("rb"),
        as_attachment=True,
        filename=f"fanarchive-{export.user.username}-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
