"""Errors as JSON problem details (RFC 9457), for every exception an endpoint can meet.

Services and selectors raise Django's exceptions (ValidationError keyed by field,
PermissionDenied, Http404) and `LoginRequired`; this module turns each into an
`application/problem+json` response with `type`, `title`, `status`, `detail` and,
for validation, `errors` (field -> messages). Nothing here decides a rule.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from fanarchive.core.errors import LoginRequired

logger = logging.getLogger("fanarchive.api")

PROBLEM_TYPE = "application/problem+json"
# Problem types: `urn:fanarchive:problem:<name>`, listed in the README's API section.
TYPE_PREFIX = "urn:fanarchive:problem:"
# A problem's `title`, for people: the status's phrase, in the request's language (the
# `type` and `status` are what programs read). Other statuses keep HTTP's English phrase.
TITLES = {
    400: gettext_noop("Bad Request"),
    401: gettext_noop("Unauthorized"),
    403: gettext_noop("Forbidden"),
    404: gettext_noop("Not Found"),
    405: gettext_noop("Method Not Allowed"),
    409: gettext_noop("Conflict"),
    410: gettext_noop("Gone"),
    412: gettext_noop("Precondition Failed"),
    413: gettext_noop("Request Entity Too Large"),
    415: gettext_noop("Unsupported Media Type"),
    422: gettext_noop("Unprocessable Entity"),
    429: gettext_noop("Too Many Requests"),
    500: gettext_noop("Internal Server Error"),
    503: gettext_noop("Service Unavailable"),
}


def problem_title(status: int) -> str:
    """The `title` of a problem of `status`, translated."""
    title = TITLES.get(status)
    return _(title) if title is not None else HTTPStatus(status).phrase


class Problem(Schema):
    """RFC 9457 problem details. `errors` maps a field name to its messages."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None
    # adult-consent-required: what would allow the text ("consent", "adult-confirmation",
    # "age-verification", "country"; works.age_gate.Reason).
    reason: str | None = None


class ApiProblem(Exception):
    """Raise from an endpoint to answer with a problem of a named type."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        name: str = "",
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.name = name
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}


def problem_response(
    status: int,
    detail: str | Promise,
    *,
    name: str = "",
    errors: Mapping[str, Sequence[str | Promise]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + name if name else "about:blank",
        "title": problem_title(status),
        "status": status,
        "detail": str(detail),
        **(extra or {}),
    }
    if errors is not None:
        body["errors"] = {key: [str(m) for m in messages] for key, messages in errors.items()}
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _message(exc: Exception, default: str) -> str:
    text = str(exc.args[0]) if exc.args else ""
    return text or default


def validation_errors(error: ValidationError) -> tuple[str, dict[str, list[str]]]:
    """A service's ValidationError as (detail, field errors); non-field messages go in detail."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages), {}
    fields = {
        key: [str(m) for m in messages]
        for key, messages in error.message_dict.items()
        if key != "__all__"
    }
    general = error.message_dict.get("__all__", [])
    detail = " ".join(general) or _("Some fields need attention: see errors.")
    return detail, fields


def _request_errors(exc: RequestValidationError) -> dict[str, list[str]]:
    """Pydantic's errors keyed by the parameter or body field they are about."""
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = list(item.get("loc", ()))
        # loc is ("query" | "path" | "body", [argument], field, ...): a schema argument
        # (`payload`, `filters: Query[WorkFilters]`) is named before its field, whose name
        # (a string, where an index would be an int) is what the caller sent.
        if loc and loc[0] in {"query", "path", "body", "header"}:
            loc = loc[1:]
        if len(loc) > 1 and isinstance(loc[1], str):
            loc = loc[1:]
        key = ".".join(str(part) for part in loc) or "request"
        errors.setdefault(key, []).append(str(item.get("msg", _("Invalid value."))))
    return errors


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api`: every error an endpoint raises becomes a problem."""

    def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(
            exc.status,
            exc.detail,
            name=exc.name,
            errors=exc.errors,
            headers=exc.headers,
            extra=exc.extra,
        )

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail, fields = validation_errors(exc)
        return problem_response(422, detail, name="validation-error", errors=fields)

    def on_request_validation(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
        return problem_response(
            422,
            _("The request does not match the API's schema: see errors."),
            name="validation-error",
            errors=_request_errors(exc),
        )

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, _message(exc, _("Not found.")), name="not-found")

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(403, _message(exc, _("You may not do this.")), name="forbidden")

    def on_login_required(request: HttpRequest, exc: LoginRequired) -> HttpResponse:
        return problem_response(
            401,
            _message(exc, _("Log in first.")) + " " + _("Send a personal access token."),
            name="login-required",
            headers={"WWW-Authenticate": 'Bearer realm="fanarchive"'},
        )

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = (
            str(exc.message) if exc.message != "Unauthorized" else _("Authentication required.")
        )
        return problem_response(
            401,
            detail,
            name="unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="fanarchive"'},
        )

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(exc.status_code, exc.message)

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem_response(413, _("The request body is too large."), name="too-large")

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return problem_response(500, _("Something went wrong on our side."), name="server-error")

    # ninja's annotations want a handler for the class *or* an instance: register by loop.
    handlers: list[tuple[type[Exception], Any]] = [
        (ApiProblem, on_problem),
        (ValidationError, on_validation),
        (RequestValidationError, on_request_validation),
        (Http404, on_not_found),
        (PermissionDenied, on_forbidden),
        (LoginRequired, on_login_required),
        (AuthenticationError, on_authentication),
        (HttpError, on_http_error),
        (RequestDataTooBig, on_too_big),
        (Exception, on_unexpected),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)


def problem_responses(*statuses: int) -> dict[int, type[Problem]]:
    """The `response=` entries documenting these error statuses."""
    return dict.fromkeys(statuses, Problem)
