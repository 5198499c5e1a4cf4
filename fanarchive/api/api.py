"""The API at /api/v1: one NinjaAPI, one router per resource module.

A resource is a module with a `router` (works.py, kudos.py, comments.py,
bookmarks.py, tags.py, users.py, tokens.py, collections.py); adding one is a new
module and a line in ROUTERS.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from fanarchive.api import (
    bookmarks,
    challenge_assignments,
    challenge_prompts,
    challenge_signups,
    collections,
    comments,
    errors,
    kudos,
    reading_list,
    similar,
    stats,
    tags,
    tokens,
    users,
    work_writes,  # noqa: F401 (adds the posting and editing operations to works.router)
    works,
)
from fanarchive.api.errors import PROBLEM_TYPE, problem_response

ROUTERS = [
    works.router,
    kudos.router,
    similar.router,
    comments.router,
    bookmarks.router,
    reading_list.router,
    tags.router,
    users.router,
    stats.router,
    tokens.router,
    collections.router,
    challenge_signups.router,
    challenge_assignments.router,
    challenge_prompts.router,
]

DESCRIPTION = """\
Read and write the archive: find works with every filter of /works/, read chapters,
look up tags, profiles and pseuds, post and edit your own works, leave kudos and
comments (also as a guest, where the work allows it), keep bookmarks and a reading list.

Authenticate with a personal access token (`Authorization: Bearer fa_...`), made on
your account's "API tokens" page; read endpoints also answer guests. Errors are
`application/problem+json` (RFC 9457). Listings are paged by cursor: pass the
`next` of one page as `cursor` to get the following one. Adult works (Not Rated,
Mature, Explicit) give their metadata to everyone but their text only with
`?adult=true` or the account's "show adult content" preference.
"""


class FanarchiveApi(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Error responses are documented as application/problem+json, as they are sent."""
        schema = super().get_openapi_schema(**kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = FanarchiveApi(
    title="Fanarchive API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

for router in ROUTERS:
    api.add_router("", router)


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /api/v1/: a problem, not the site's HTML 404 page."""
    return problem_response(404, _("There is no such API endpoint."), name="not-found")
