"""The API's HTTP edges: CORS for reads, 405 as problem details, and text that is not text
(NUL, lone surrogates, query strings that are not UTF-8) refused before any endpoint."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from fanarchive.api.errors import PROBLEM_TYPE, problem_response
from fanarchive.api.input_check import request_problems

API_PREFIX = "/api/v1/"
READ_METHODS = {"GET"}


class ApiMiddleware:
    """`Access-Control-Allow-Origin: *` on API reads (GET), and the preflight for them.

    A method an address does not take (405, answered by django-ninja as plain text)
    becomes a problem like every other API error, keeping its `Allow` header.

    A request holding text that is not text (`input_check`) is a 422 naming the field
    or parameter, for every endpoint: here no endpoint can forget it.

    Browsers send no cookies to another origin under `*`, so a page elsewhere can
    read public data or use a token, never a visitor's session. Writes get no CORS
    headers: other sites' pages cannot post through the API.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and origin:
            wanted = request.headers.get("Access-Control-Request-Method", "").upper()
            response = HttpResponse(status=204)
            if wanted in READ_METHODS:
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Allow-Methods"] = "GET"
                response["Access-Control-Allow-Headers"] = "Authorization, Accept"
                response["Access-Control-Max-Age"] = "600"
            return response
        problems = request_problems(request)
        if problems:
            response = problem_response(
                422,
                _("Some text in the request is not valid Unicode text: see errors."),
                name="validation-error",
                errors=problems,
            )
        else:
            response = self.get_response(request)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
            response = problem_response(
                405,
                _("This address does not take %(method)s requests.") % {"method": request.method},
                name="method-not-allowed",
                headers={"Allow": response.get("Allow", "")},
            )
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "Retry-After"
        return response
