"""/api/v1/works/{id}/kudos: who left kudos, and leaving them.

Listing shows what the work page shows (account names, newest first, and a count of
guests); leaving kudos calls `kudos_give`, which refuses drafts, hidden works,
guests on restricted works, the work's creators, blocked users and a second time.
Guests (no token, no session) are told apart by the keyed hash of their IP address
the site uses (`engagement.visitors.guest_key`). Neither needs adult-content
consent: the site's kudos button does not ask for it either (the names of who left
kudos are not the work's text).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from fanarchive.api.auth import GUEST, Caller, caller_of, require_write
from fanarchive.api.errors import problem_responses
from fanarchive.api.params import Id
from fanarchive.core.views import site_url
from fanarchive.engagement import kudos_services, selectors
from fanarchive.engagement.visitors import guest_key
from fanarchive.works import selectors as works
from fanarchive.works.models import Work

router = Router(tags=["kudos"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 422, 429)


class KudosOut(Schema):
    """Kudos on a work, as the work page lists them."""

    total: int
    users: list[str]
    guests: int
    you_left_kudos: bool


def kudos_out(request: HttpRequest, caller: Caller, work: Work) -> dict[str, Any]:
    listed = selectors.kudos_list(work)
    return {
        "total": listed.total,
        "users": [user.username for user in listed.users],
        "guests": listed.guests,
        "you_left_kudos": selectors.has_given_kudos(
            work, user=caller.user, guest_key=guest_key(request)
        ),
    }


@router.get(
    "/works/{work_id}/kudos",
    response={200: KudosOut, **READ_ERRORS},
    auth=GUEST,
    url_name="work_kudos",
    summary="Who left kudos on a work: account names and a count of guests",
)
def work_kudos(request: HttpRequest, work_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    return kudos_out(request, caller, work)


@router.post(
    "/works/{work_id}/kudos",
    response={201: KudosOut, **WRITE_ERRORS},
    auth=GUEST,
    summary="Leave kudos on a work, as the token's account or (with no token) as a guest",
)
def kudos_create(request: HttpRequest, work_id: Id) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    require_write(caller)
    work = works.access_work(caller.user, work_id)
    account = caller.account if caller.user.is_authenticated else None
    kudos_services.kudos_give(
        work=work,
        user=account,
        guest_key=guest_key(request),
        site_url=site_url(request),
    )
    return Status(201, kudos_out(request, caller, work))
