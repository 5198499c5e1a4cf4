"""/api/v1: gift-exchange assignments.

One's own assignments (what one writes: never who writes for one), fulfilling one with
one's own work and defaulting it (read-write token); the moderators' list of a
challenge's assignments. Generating matches, adjusting and sending them, and pinch hits
are on the moderators' pages only (they review a report first).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from fanarchive.api.auth import ACCOUNT, WRITE, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.params import Id
from fanarchive.challenges import assignment_selectors as selectors
from fanarchive.challenges import assignment_services
from fanarchive.challenges.models import Assignment, ChallengeKind, Prompt
from fanarchive.challenges.setup_selectors import challenge_by_name
from fanarchive.collections.selectors import can_moderate
from fanarchive.works import selectors as works

router = Router(tags=["challenges"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 422, 429)


class PromptTagOut(Schema):
    type: str
    name: str


class RequestOut(Schema):
    title: str
    description: str
    url: str
    tags: list[PromptTagOut]
    any_types: list[str]


class AssignmentOut(Schema):
    id: int
    collection: str
    recipient: str
    request: RequestOut | None
    status: str
    due_at: datetime | None
    sent_at: datetime | None
    pinch_hit: bool
    work_id: int | None
    fulfilled_at: datetime | None


class ModeratedAssignmentOut(AssignmentOut):
    giver: str | None
    writer: str | None
    quality: int
    defaulted_at: datetime | None
    overdue: bool


class FulfilIn(Schema):
    work_id: Id


def _request(prompt: Prompt | None) -> dict[str, Any] | None:
    if prompt is None:
        return None
    return {
        "title": str(prompt),
        "description": prompt.description,
        "url": prompt.url,
        "tags": [{"type": pt.tag.type, "name": pt.tag.name} for pt in prompt.prompt_tags.all()],
        "any_types": list(prompt.any_types),
    }


def _out(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "collection": assignment.challenge.collection.name,
        "recipient": assignment.recipient.pseud.byline,
        "request": _request(assignment.request),
        "status": selectors.status_of(assignment),
        "due_at": assignment.challenge.assignments_due_at,
        "sent_at": assignment.sent_at,
        "pinch_hit": assignment.pinch_hitter_id is not None,
        "work_id": assignment.work_id,
        "fulfilled_at": assignment.fulfilled_at,
    }


def _moderated_out(assignment: Assignment) -> dict[str, Any]:
    writer = selectors.current_writer(assignment)
    return {
        **_out(assignment),
        "giver": assignment.giver.pseud.byline if assignment.giver is not None else None,
        "writer": writer.username if writer is not None else None,
        "quality": assignment.quality,
        "defaulted_at": assignment.defaulted_at,
        "overdue": selectors.is_overdue(assignment),
    }


@router.get(
    "/users/me/assignments",
    response={200: list[AssignmentOut], **READ_ERRORS},
    auth=ACCOUNT,
    summary="The gift-exchange assignments you write (as giver or pinch hitter), newest first",
)
def my_assignments(request: HttpRequest) -> list[dict[str, Any]]:
    caller = caller_of(request)
    return [_out(a) for a in selectors.assignments_of(caller.account)]


def _own(request: HttpRequest, assignment_id: int) -> Assignment:
    caller = caller_of(request)
    found = selectors.assignments_of(caller.account).filter(pk=assignment_id).first()
    if found is None:
        raise Http404(_("You have no such assignment."))
    return found


@router.post(
    "/users/me/assignments/{assignment_id}/fulfil",
    response={200: AssignmentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Fulfil your assignment with one of your posted works (it joins the collection "
    "as a gift to the recipient, who is told at the works reveal)",
)
def my_assignment_fulfil(
    request: HttpRequest, assignment_id: Id, payload: FulfilIn
) -> dict[str, Any]:
    caller = caller_of(request)
    assignment = _own(request, assignment_id)
    work = works.access_work(caller.account, payload.work_id)
    assignment_services.assignment_fulfil(user=caller.account, assignment=assignment, work=work)
    assignment.refresh_from_db()
    return _out(assignment)


@router.post(
    "/users/me/assignments/{assignment_id}/default",
    response={200: AssignmentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Default on your assignment (the moderators are told and find a pinch hitter)",
)
def my_assignment_default(request: HttpRequest, assignment_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    assignment = _own(request, assignment_id)
    assignment_services.assignment_default(user=caller.account, assignment=assignment)
    assignment.refresh_from_db()
    return _out(assignment)


@router.get(
    "/challenges/{name}/assignments",
    response={200: list[ModeratedAssignmentOut], **READ_ERRORS},
    auth=ACCOUNT,
    summary="Every assignment of a gift exchange, drafts first (its moderators)",
)
def challenge_assignments(request: HttpRequest, name: str) -> list[dict[str, Any]]:
    caller = caller_of(request)
    challenge = challenge_by_name(name)
    if challenge is None or challenge.kind != ChallengeKind.GIFT_EXCHANGE:
        raise Http404(_("This collection has no gift exchange."))
    if not can_moderate(caller.account, challenge.collection):
        raise PermissionDenied(
            _("Only the moderators of %(collection)s can list its assignments.")
            % {"collection": challenge.collection.title}
        )
    rows = [*selectors.draft_assignments(challenge), *selectors.sent_assignments(challenge)]
    return [_moderated_out(a) for a in rows]
