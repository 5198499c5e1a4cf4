"""/api/v1/works/{id}/similar: "More like this", as the work page shows it.

The list comes from `discovery.similar.similar_works` for the caller: only works the
caller may see and did not mute (nor whose creators they blocked), never the work itself,
and adult works only when the caller may read them (`?adult=true`, the session's "Yes,
continue" or the account's preference, as for /works/{id}/chapters). Each item is a
work as /works lists it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from fanarchive.api.auth import GUEST, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.params import Id
from fanarchive.api.schemas import WorkOut
from fanarchive.api.works import ADULT_HELP, adult_viewer, works_out
from fanarchive.discovery import similar
from fanarchive.works import selectors as works

router = Router(tags=["works"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)


class SimilarQuery(Schema):
    limit: int = Field(similar.SHOWN, ge=1, le=similar.MOST, description="How many works, at most")
    adult: bool = Field(False, description=ADULT_HELP)


class SimilarOut(Schema):
    items: list[WorkOut]


@router.get(
    "/works/{work_id}/similar",
    response={200: SimilarOut, **READ_ERRORS},
    auth=GUEST,
    url_name="work_similar",
    summary="Works like this one: shared rare tags and readers' co-kudos",
)
def work_similar(request: HttpRequest, work_id: Id, query: Query[SimilarQuery]) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    items = similar.similar_works(
        user=caller.user,
        work_id=work.pk,
        reader=adult_viewer(request, caller, query.adult),
        limit=query.limit,
    )
    return {"items": works_out(request, caller, items, adult=query.adult)}
