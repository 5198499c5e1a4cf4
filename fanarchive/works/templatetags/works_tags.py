"""Presentation helpers for blurbs and meta blocks."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from fanarchive.tags.fixed import (
    CHOSE_NOT_TO_WARN,
    EXPLICIT,
    GENERAL,
    MATURE,
    NO_WARNINGS,
    NOT_RATED,
    RATING_SIGNS,
    TEEN,
)
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work

register = template.Library()

_RATING_CLASSES = {
    NOT_RATED: "rating-notrated",
    GENERAL: "rating-general",
    TEEN: "rating-teen",
    MATURE: "rating-mature",
    EXPLICIT: "rating-explicit",
}


@dataclass(frozen=True)
class Symbol:
    """One square of a blurb: a short sign for the eye, full text for everyone."""

    css: str
    sign: str
    text: str


def _warning_symbol(warnings: list[Tag]) -> Symbol:
    names = {tag.name for tag in warnings}
    if names == {NO_WARNINGS}:
        return Symbol("warning-no", "", "No Archive Warnings Apply")
    if names == {CHOSE_NOT_TO_WARN}:
        return Symbol("warning-choosenot", "?", "Creator Chose Not To Use Archive Warnings")
    return Symbol("warning-yes", "!", ", ".join(sorted(names - {NO_WARNINGS})))


def _category_symbol(categories: list[Tag]) -> Symbol:
    if not categories:
        return Symbol("category-none", "", "No category")
    if len(categories) > 1:
        return Symbol("category-symbol", "+", ", ".join(tag.name for tag in categories))
    name = categories[0].name
    return Symbol("category-symbol", name if len(name) <= 3 else name[:2], name)


@register.inclusion_tag("works/_required_tags.html")
def required_tags(work: Work) -> dict[str, list[Symbol]]:
    """AO3's four squares: rating, category, warnings, completion."""
    ratings = work.tags_of(TagType.RATING)
    rating = ratings[0].name if ratings else NOT_RATED
    symbols = [
        Symbol(
            _RATING_CLASSES.get(rating, "rating-notrated"), RATING_SIGNS.get(rating, ""), rating
        ),
        _category_symbol(work.tags_of(TagType.CATEGORY)),
        _warning_symbol(work.tags_of(TagType.WARNING)),
        Symbol("complete-yes", "✓", "Complete Work")
        if work.complete
        else Symbol("complete-no", "…", "Work in Progress"),
    ]
    return {"symbols": symbols}


@register.filter
def tags_of(work: Work, tag_type: str) -> list[Tag]:
    return work.tags_of(TagType(tag_type))


@register.filter
def creators(work: Work) -> list:
    return [c.pseud for c in work.creatorships.all()]
