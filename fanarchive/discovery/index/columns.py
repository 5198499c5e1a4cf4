"""What the catalogue index is made of, with no database in sight: the names of its
columns, the tag types it files by, and `Columns`, the shape in which a source
(`backend.Source`; the database's is `source.DatabaseSource`) hands works over.

Nothing here imports Django, so a backend (`backend.CatalogueBackend`) can be built,
tested and benchmarked from any source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Tag types, as `tags.models.TagType` stores them (a test holds the two in step); their
# order gives the index's one-byte type codes.
RATING = "rating"
WARNING = "warning"
CATEGORY = "category"
FANDOM = "fandom"
RELATIONSHIP = "relationship"
CHARACTER = "character"
FREEFORM = "freeform"
TAG_TYPES = (RATING, WARNING, CATEGORY, FANDOM, RELATIONSHIP, CHARACTER, FREEFORM)
FIXED_TYPES = (RATING, WARNING, CATEGORY)
FREE_TYPES = (FANDOM, RELATIONSHIP, CHARACTER, FREEFORM)

# Engagement counts, as `works.stats.STAT_NAMES` names them (a test holds them in step).
STAT_NAMES = ("kudos", "hits", "comments", "bookmarks")
NUMBER_FIELDS = ("updated", "posted", "words", *STAT_NAMES)
TEXT_FIELDS = ("title", "creator")
FLAG_NAMES = (
    "all",
    "posted",
    "restricted",
    "hidden",
    "complete",
    "single_chapter",
    "crossover",
    "anonymous",
)


@dataclass
class Columns:
    """Listing data of a set of works, as columns in `ids` order (tags as sorted pairs)."""

    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    flags: dict[str, np.ndarray] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    # Filter tags as parallel arrays (work id, tag id), sorted by work.
    tag_works: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tag_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # The tags the works' main relationships are filed under, the same way.
    main_works: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    main_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    creators: list[list[int]] = field(default_factory=list)
    # Groups (collections) each work is listed in, as parallel arrays sorted by work.
    group_works: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    group_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def tags_of(self, work_id: int) -> list[int]:
        low, high = np.searchsorted(self.tag_works, [work_id, work_id + 1])
        tags: list[int] = self.tag_ids[low:high].tolist()
        return tags

    def main_tags_of(self, work_id: int) -> list[int]:
        low, high = np.searchsorted(self.main_works, [work_id, work_id + 1])
        tags: list[int] = self.main_ids[low:high].tolist()
        return tags

    def groups_of(self, work_id: int) -> list[int]:
        low, high = np.searchsorted(self.group_works, [work_id, work_id + 1])
        groups: list[int] = self.group_ids[low:high].tolist()
        return groups
