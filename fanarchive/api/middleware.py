"""CORS for the API's read-only endpoints: any origin may GET, without credentials."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/v1/"
READ_METHODS = {"GET"}


class ReadOnlyCorsMiddleware:
    """`Access-Control-Allow-Origin: *` on API reads (GET), and the preflight for them.

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
        response = self.get_response(request)
        if request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "Retry-After"
        return response
