"""Hostile input to every endpoint is a 4xx that names the field, and changes nothing.

The operations, their body fields and their parameters are read from the API's own
OpenAPI schema, so a new endpoint or field is tested without being listed here (a new
endpoint that takes a body must add its valid body to BODIES: a test says so).

- A lone UTF-16 surrogate (JSON can send "\\ud800"; it is not a character, and neither
  SQLite nor PostgreSQL can store it) in any string of a body: 422 naming the field.
- A query parameter that is not UTF-8 (`%ED%A0%80`, a surrogate's bytes): 422 naming it.
- An integer beyond 64 bits (no column holds one; SQLite cannot even bind it) in a body,
  a query or a path: 422 naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.api.tests.conftest import ApiClient, Archive, api_as, build_archive
from fanarchive.challenges.claim_services import prompt_claim
from fanarchive.challenges.models import Assignment, ChallengeKind, TagSet
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.core.testing import make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Bookmark, Comment, ReadingListEntry
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.tags.models import Tag
from fanarchive.works.models import Chapter, Work

pytestmark = pytest.mark.django_db

HUGE = 2**64
SURROGATE = "Mira \ud800 waits"
NOT_UTF8 = "%ED%A0%80"  # the UTF-8 bytes of U+D800, which UTF-8 forbids

# A valid body for every operation that takes one: only the field under test is bad.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/works"): {
        "title": "The Eighth Boat",
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": ["Harbour Tales"],
        "summary": "Mira waits.",
        "chapters": [{"title": "Harbour", "text_format": "plain", "text": "The lantern swung."}],
    },
    ("patch", "/api/v1/works/{work_id}"): {"title": "Renamed", "fandoms": ["Skyward"]},
    ("post", "/api/v1/works/{work_id}/chapters"): {
        "title": "Two",
        "text": "Morning came.",
        "expected_chapters": None,
    },
    ("patch", "/api/v1/works/{work_id}/chapters/{chapter_id}"): {"title": "One"},
    ("post", "/api/v1/works/{work_id}/chapters/{chapter_id}/comments"): {"text": "Lovely."},
    ("post", "/api/v1/comments/{comment_id}/replies"): {"text": "Thank you."},
    ("patch", "/api/v1/comments/{comment_id}"): {"text": "Edited."},
    ("post", "/api/v1/bookmarks"): {"notes": "A rec.", "tags": ["Cosy"]},
    ("patch", "/api/v1/bookmarks/{bookmark_id}"): {"notes": "Changed.", "tags": ["Calm"]},
    ("post", "/api/v1/collections"): {"name": "Harbour_Fest", "title": "Harbour Fest"},
    ("put", "/api/v1/challenges/{name}/signup"): {
        "requests": [{"title": "Fog", "tags": {"fandom": ["Harbour Tales"]}}]
    },
    ("post", "/api/v1/tag-sets/{tag_set_id}/nominations"): {
        "tag_type": "fandom",
        "names": ["Reed Isle"],
    },
    ("post", "/api/v1/users/me/assignments/{assignment_id}/fulfil"): {"work_id": 0},
    ("post", "/api/v1/challenges/{name}/prompts/{prompt_id}/claim/fill"): {"work_id": 0},
    ("put", "/api/v1/reading-list/{work_id}"): {"status": "want"},
}
# Bodies that only name the creator's public work (its id is known once it exists): no text.
NAMING_THE_WORK = {
    "/api/v1/users/me/assignments/{assignment_id}/fulfil",
    "/api/v1/challenges/{name}/prompts/{prompt_id}/claim/fill",
}


@pytest.fixture(scope="module")
def schema(module_db: None, django_db_blocker: Any) -> dict[str, Any]:
    # Read once: every test here reads it, none changes it.
    with django_db_blocker.unblock():
        return dict(Client().get("/api/v1/openapi.json").json())


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def leaves(schema: dict[str, Any], node: dict[str, Any], path: str = "") -> Iterator[tuple]:
    """(dotted path, JSON type) of every scalar a body may hold; array items as item 0."""
    node = resolved(schema, node)
    for option in node.get("anyOf", []):
        if option.get("type") != "null":
            yield from leaves(schema, option, path)
    kind = node.get("type")
    if kind == "object":
        for name, child in node.get("properties", {}).items():
            yield from leaves(schema, child, f"{path}.{name}" if path else name)
    elif kind == "array":
        yield from leaves(schema, node["items"], f"{path}.0")
    elif kind in {"string", "integer"}:
        yield path, kind


def with_value(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`body` with `value` at the dotted `path` ("chapters.0.text"), made where missing."""
    body = deepcopy(body)
    _put(body, path.split("."), value)
    return body


def _put(node: Any, parts: list[str], value: Any) -> None:
    head, rest = parts[0], parts[1:]
    if isinstance(node, list):  # head is "0"
        if not rest:
            node[:1] = [value]
            return
        if not node:
            node.append([] if rest[0].isdigit() else {})
        _put(node[0], rest, value)
        return
    if not rest:
        node[head] = value
        return
    if not isinstance(node.get(head), list | dict):
        node[head] = [] if rest[0].isdigit() else {}
    _put(node[head], rest, value)


def snapshot() -> dict[str, list[Any]]:
    """Every row of what an endpoint may write, to compare before and after."""
    models: list[Any] = [Work, Chapter, Comment, Bookmark, Tag, ReadingListEntry]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


class Setting:
    """The archive with one of everything an address can name, and who may write to it."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.chapter = archive.public.chapters.get()
        self.comment = comment_create(chapter=self.chapter, user=archive.creator, text="First.")
        self.bookmark = bookmark_create(
            user=archive.other, pseud=archive.other.default_pseud, work=archive.public
        )
        # A prompt meme in the collection named as the creator, with an open tag set.
        self.challenge = make_challenge(
            archive.creator,
            ChallengeKind.PROMPT_MEME,
            rules={"fandom": {"request_required": 1, "request_allowed": 1}},
            collection_fields={"name": archive.creator.username},
        )
        TagSet.objects.filter(challenges=self.challenge).update(
            nominations_open=True, fandom_nomination_limit=5
        )
        # The other reader's prompt there, claimed by the creator (to fill).
        prompted = make_signup(
            archive.other, self.challenge, requests=[{"fandom": ["Harbour Tales"]}]
        )
        prompt = prompted.prompts.get()
        prompt_claim(user=archive.creator, prompt=prompt)
        # A gift exchange elsewhere, where the creator writes for the other reader.
        exchange = make_challenge(archive.creator)
        assignment = Assignment.objects.create(
            challenge=exchange,
            giver=make_signup(archive.creator, exchange),
            recipient=make_signup(archive.other, exchange),
            sent_at=timezone.now(),
        )
        self.creator = api_as(archive.creator)
        self.bookmarker = api_as(archive.other)
        self.ids = {
            "work_id": archive.public.pk,
            "chapter_id": self.chapter.pk,
            "comment_id": self.comment.pk,
            "bookmark_id": self.bookmark.pk,
            "tag_id": Tag.objects.get(name="Harbour Tales").pk,
            "token_id": 1,
            "item_id": 1,
            "username": archive.creator.username,
            "name": archive.creator.username,
            "tag_set_id": self.challenge.tag_set_id,
            "prompt_id": prompt.pk,
            "assignment_id": assignment.pk,
        }

    def caller(self, path: str) -> ApiClient:
        return self.bookmarker if "bookmark" in path else self.creator

    def url(self, path: str, **replaced: str) -> str:
        values = {**self.ids, **replaced}
        return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)

    def body(self, method: str, path: str) -> dict[str, Any]:
        body = deepcopy(BODIES[(method, path)])
        if path == "/api/v1/bookmarks":
            body["work_id"] = self.archive.explicit.pk  # not bookmarked yet
        if path in NAMING_THE_WORK:
            body["work_id"] = self.archive.public.pk
        return body


@pytest.fixture(scope="module")
def setting(module_db: None, django_db_blocker: Any) -> Setting:
    """Built once for the module: each test's writes are rolled back before the next."""
    with django_db_blocker.unblock():
        return Setting(build_archive())


def test_every_operation_that_takes_a_body_has_a_valid_one_here(schema: dict[str, Any]) -> None:
    taking = {(m, p) for m, p, op in operations(schema) if "requestBody" in op}
    assert taking == set(BODIES)


def test_the_valid_bodies_are_valid(setting: Setting) -> None:
    """So the refusals below are the bad field's, not the body's."""
    for (method, path), _ in BODIES.items():
        caller = setting.caller(path)
        response = getattr(caller, method)(setting.url(path), setting.body(method, path))
        assert response.status_code in {200, 201}, (method, path, response.content)


def refused(response: Any, field: str) -> list[str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors: dict[str, list[str]] = response.json()["errors"]
    assert field in errors, errors
    return errors[field]


def text_fields(schema: dict[str, Any], method: str, path: str) -> list[str]:
    content = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    return [field for field, kind in leaves(schema, content["schema"]) if kind == "string"]


def test_only_the_bodies_said_to_have_no_text_have_none(schema: dict[str, Any]) -> None:
    for method, path in BODIES:
        assert (not text_fields(schema, method, path)) == (path in NAMING_THE_WORK), path


@pytest.mark.parametrize(
    "operation", sorted(op for op in BODIES if op[1] not in NAMING_THE_WORK), ids=" ".join
)
def test_a_lone_surrogate_in_any_text_of_a_body_is_refused_naming_the_field(
    schema: dict[str, Any], setting: Setting, operation: tuple[str, str]
) -> None:
    method, path = operation
    fields = text_fields(schema, method, path)
    assert fields
    caller = setting.caller(path)
    before = snapshot()
    for field in fields:
        response = getattr(caller, method)(
            setting.url(path), with_value(setting.body(method, path), field, SURROGATE)
        )
        [message] = refused(response, field)
        assert "surrogate" in message, message
    assert snapshot() == before


def test_a_lone_surrogate_in_a_key_or_a_field_the_schema_does_not_know_is_refused(
    setting: Setting,
) -> None:
    before = snapshot()
    url = setting.url("/api/v1/works/{work_id}")
    unknown = setting.creator.patch(url, {"title": "Fine", "mood": ["calm", SURROGATE]})
    assert "surrogate" in refused(unknown, "mood.1")[0]
    key = setting.creator.patch(url, {"title": "Fine", "\udfff": 1})
    assert key.status_code == 422
    assert "surrogate" in key.json()["detail"] + str(key.json()["errors"])
    # A surrogate pair is one character (an emoji): welcome.
    emoji = setting.creator.patch(url, {"title": "Fine \ud83c\udf0a"})
    assert emoji.status_code == 200, emoji.content
    assert Work.objects.get(pk=setting.archive.public.pk).title == "Fine 🌊"
    assert snapshot()["Comment"] == before["Comment"]


def test_guests_get_the_same_refusal(setting: Setting) -> None:
    work = make_work(setting.archive.creator, comment_policy="everyone")
    chapter = work.chapters.get()
    url = f"/api/v1/works/{work.pk}/chapters/{chapter.pk}/comments"
    response = api_as(None).post(url, {"text": "Hello", "name": SURROGATE})
    assert "surrogate" in refused(response, "name")[0]
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("operation", sorted(BODIES), ids=" ".join)
def test_an_integer_beyond_64_bits_in_a_body_is_refused_naming_the_field(
    schema: dict[str, Any], setting: Setting, operation: tuple[str, str]
) -> None:
    method, path = operation
    content = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    fields = [field for field, kind in leaves(schema, content["schema"]) if kind == "integer"]
    caller = setting.caller(path)
    before = snapshot()
    for field in fields:
        response = getattr(caller, method)(
            setting.url(path), with_value(setting.body(method, path), field, HUGE)
        )
        refused(response, field)
    assert snapshot() == before


def parameters(schema: dict[str, Any], kind: str) -> Iterator[tuple[str, str, str, str]]:
    """(method, path, where, name) of every path or query parameter of JSON type `kind`."""
    for method, path, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            found = [k for _, k in leaves(schema, parameter["schema"])]
            if kind in found:
                yield method, path, parameter["in"], parameter["name"]


def call(setting: Setting, method: str, path: str, where: str, name: str, raw: str) -> Any:
    if where == "path":
        url = setting.url(path, **{name: raw})
    else:
        url = f"{setting.url(path)}?{name}={raw}"
    caller = setting.caller(path)
    if (method, path) in BODIES:
        return getattr(caller, method)(url, setting.body(method, path))
    if method == "delete":
        return caller.delete(url)
    return getattr(caller, method)(url)


def test_every_integer_parameter_beyond_64_bits_is_refused_naming_it(
    schema: dict[str, Any], setting: Setting
) -> None:
    found = list(parameters(schema, "integer"))
    assert ("get", "/api/v1/tags/autocomplete", "query", "fandom") in found
    before = snapshot()
    for method, path, where, name in found:
        response = call(setting, method, path, where, name, str(HUGE))
        assert response.status_code == 422, (method, path, name, response.content)
        named = [key for key in response.json()["errors"] if key.split(".")[0] == name]
        assert named, (method, path, name, response.json())  # "include.0" for a list
    assert snapshot() == before


def test_every_text_parameter_that_is_not_utf8_is_a_4xx(
    schema: dict[str, Any], setting: Setting
) -> None:
    found = list(parameters(schema, "string"))
    assert ("get", "/api/v1/tags/autocomplete", "query", "q") in found
    for method, path, where, name in found:
        response = call(setting, method, path, where, name, NOT_UTF8)
        assert 400 <= response.status_code < 500, (method, path, name, response.content)
        if where == "query":
            [message] = refused(response, name)
            assert "UTF-8" in message, message


def test_the_refusals_are_documented_in_the_schema(schema: dict[str, Any]) -> None:
    for _method, _path, operation in operations(schema):
        assert "422" in operation["responses"]
