"""A works listing narrowed to a group of works (`discovery.groups`), for the pages of the
apps above discovery: a collection's works page and feed are `/works/` and its feed with
every filter, sort and facet count, scoped to the collection and its sub-collections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scope:
    groups: tuple[int, ...]  # listed in any of these groups
    name: str  # shown in headings: "12 Works in <name>"
    page_url: str  # the scoped listing page
    feed_url: str  # its Atom feed
    # The caller's own context for its template (the collection, its navigation).
    context: dict[str, Any] = field(default_factory=dict)
