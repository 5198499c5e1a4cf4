"""/api/v1/tags: a tag with its wrangling, its works, and autocomplete."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from fanarchive.api.auth import GUEST, caller_of
from fanarchive.api.errors import ApiProblem, problem_responses
from fanarchive.api.params import Id
from fanarchive.api.schemas import TagRef, tag_ref
from fanarchive.api.works import WorkFilters, WorkListOut, find
from fanarchive.tags import selectors
from fanarchive.tags.models import Tag
from fanarchive.works.selectors import tag_for

router = Router(tags=["tags"])
ERRORS = problem_responses(401, 404, 422, 429)


class TagDetailOut(Schema):
    id: int
    name: str
    type: str
    canonical: bool
    unwrangleable: bool
    synonym_of: TagRef | None
    synonyms: list[TagRef]
    metatags: list[TagRef]
    subtags: list[TagRef]
    fandoms: list[TagRef]
    members: list[TagRef] = Field(description="For a fandom: its canonical tags")


class AutocompleteParams(Schema):
    type: str = Field(description="fandom, character, relationship, freeform ...")
    q: str = Field("", max_length=100, description="What was typed")
    fandom: list[Id] = Field([], description="Limit characters and relationships to these")
    fandom_name: list[str] = Field([], description="The same, by fandom name")


class AutocompleteTag(TagRef):
    canonical: bool
    uses: int


class AutocompleteOut(Schema):
    results: list[AutocompleteTag]


def _tag(request: HttpRequest, tag_id: int) -> Tag:
    """The tag, if the caller may be shown it (`tag_for`); 404 otherwise."""
    try:
        return tag_for(caller_of(request).user, tag_id)
    except Http404:
        raise ApiProblem(404, _("No such tag."), name="not-found") from None


@router.get(
    "/tags/autocomplete",
    response={200: AutocompleteOut, **ERRORS},
    auth=GUEST,
    summary="Tags of one type starting with what was typed (canonical first, then by use)",
)
def tag_autocomplete(request: HttpRequest, params: Query[AutocompleteParams]) -> dict[str, Any]:
    fandom_ids = [*params.fandom, *selectors.fandom_ids_named(params.fandom_name[:20])]
    tags = selectors.autocomplete_tags(tag_type=params.type, query=params.q, fandom_ids=fandom_ids)
    return {
        "results": [{**tag_ref(t), "canonical": t.canonical, "uses": t.use_count} for t in tags]
    }


@router.get(
    "/tags/{tag_id}",
    response={200: TagDetailOut, **ERRORS},
    auth=GUEST,
    url_name="tag_detail",
    summary="A tag with its wrangling: canonical, synonyms, metatags, subtags, fandoms",
)
def tag_detail(request: HttpRequest, tag_id: Id) -> dict[str, Any]:
    tag = _tag(request, tag_id)
    relations = selectors.tag_relations(tag)
    return {
        **tag_ref(tag),
        "canonical": tag.canonical,
        "unwrangleable": tag.unwrangleable,
        "synonym_of": tag_ref(relations.canonical) if relations.canonical else None,
        "synonyms": [tag_ref(t) for t in relations.synonyms],
        "metatags": [tag_ref(t) for t in relations.metatags],
        "subtags": [tag_ref(t) for t in relations.subtags],
        "fandoms": [tag_ref(t) for t in relations.fandoms],
        "members": [tag_ref(t) for t in relations.members],
    }


@router.get(
    "/tags/{tag_id}/works",
    response={200: WorkListOut, **ERRORS},
    auth=GUEST,
    summary="Works filed under a tag (a synonym's are its canonical's), with every filter",
)
def tag_works(request: HttpRequest, tag_id: Id, filters: Query[WorkFilters]) -> dict[str, Any]:
    tag = _tag(request, tag_id)
    # As on the site, a synonym's works are its canonical tag's.
    return find(request, filters, tag=tag.synonym_of or tag)
