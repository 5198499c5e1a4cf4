"""Text no endpoint takes, refused once for every API request (by `ApiMiddleware`).

Checked before any endpoint runs, so a new endpoint or field cannot forget it:

- NUL characters: no text in the archive holds one (the site's forms refuse them too);
- lone UTF-16 surrogates, which JSON can spell ("\\ud800") but which are not characters:
  neither SQLite nor PostgreSQL can store one, and no page, feed or e-mail can carry it
  (a surrogate *pair*, as JSON spells an emoji, is one character and welcome);
- query parameters that are not UTF-8 once percent-decoded (`%ED%A0%80`, a surrogate's
  bytes), which Django would quietly turn into U+FFFD.

A problem is named by its body field ("chapters.0.text") or its parameter, as the
schema's own validation errors are (`errors._request_errors`).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

NUL = gettext_lazy("Null characters are not allowed in text.")
SURROGATE = gettext_lazy(
    "This text holds a lone surrogate (a code point from \\ud800 to \\udfff), "
    "which is not a character: send valid Unicode."
)
NOT_UTF8 = gettext_lazy("This parameter is not valid UTF-8 (after percent-decoding).")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON can hold a NUL or a surrogate only as an escape (raw ones are not JSON or not
# UTF-8): bodies without one are not parsed twice.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")

Errors = dict[str, list[str]]


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return str(NUL)
    if _LONE_SURROGATE.search(text):
        return str(SURROGATE)
    return None


def _shown(name: str) -> str:
    """A field or parameter name fit to show, its own bad characters escaped."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _walk(value: Any, path: str, errors: Errors) -> None:
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem:
            errors.setdefault(path or "request", []).append(problem)
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{_shown(key)}" if path else _shown(key)
            problem = _text_problem(key)
            if problem:
                errors.setdefault(name, []).append(f"{problem} (in the field's name)")
            _walk(item, name, errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}" if path else str(index), errors)


def body_problems(body: bytes) -> Errors:
    """The body's strings (values and keys) that hold NUL or a lone surrogate."""
    if b"\x00" in body:
        return {"request": [str(NUL)]}
    if not _SUSPECT_ESCAPE.search(body):
        return {}
    try:
        data = json.loads(body)
    except ValueError:  # not JSON (or not UTF-8): the endpoint's parser answers 400
        return {}
    errors: Errors = {}
    _walk(data, "", errors)
    return errors


def query_problems(query: bytes) -> Errors:
    """The parameters of a raw query string that are not UTF-8 or hold NUL."""
    errors: Errors = {}
    for pair in query.split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" "))
        value = unquote_to_bytes(raw_value.replace(b"+", b" "))
        shown = _shown(name.decode("utf-8", "backslashreplace"))
        for part in (name, value):
            try:
                problem = _text_problem(part.decode("utf-8"))
            except UnicodeDecodeError:
                problem = str(NOT_UTF8)
            if problem:
                errors.setdefault(shown, []).append(problem)
                break
    return errors


def _query_bytes(request: HttpRequest) -> bytes:
    # As WSGI hands it over: the raw bytes as Latin-1 characters.
    raw = str(request.META.get("QUERY_STRING", ""))
    try:
        return raw.encode("iso-8859-1")
    except UnicodeEncodeError:  # already decoded by someone: keep what it holds
        return raw.encode("utf-8", "surrogatepass")


def request_problems(request: HttpRequest) -> Errors:
    """Every field or parameter of the request holding text that is not text."""
    errors: Errors = {}
    if "\x00" in request.path:
        errors["request"] = [str(NUL)]
    errors.update(query_problems(_query_bytes(request)))
    try:
        body = request.body
    except RequestDataTooBig:  # the endpoint answers 413
        body = b""
    for field, messages in body_problems(body).items():
        errors.setdefault(field, []).extend(messages)
    return errors
