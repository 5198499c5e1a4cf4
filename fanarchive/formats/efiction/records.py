"""The eFiction archive as read: one dataclass per table, with text already repaired.

Every reader (dump or live database) fills an `Archive`; the mapper reads only this.
Ids are eFiction's own; comma-separated id lists are parsed into lists of ints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The tables the migration reads (names without the archive's prefix), in the order the
# report lists them. Each is an `Archive` attribute of the same name and a kind of row
# the report accounts for; the readers, the report and the migration all use this list.
TABLES = (
    "authors",
    "authorprefs",
    "categories",
    "characters",
    "classtypes",
    "classes",
    "ratings",
    "stories",
    "chapters",
    "series",
    "inseries",
    "coauthors",
    "reviews",
    "favorites",
    "settings",
)

# Review ratings: -1 is none; eFiction's "ratings" setting says what the others mean.
RATINGS_SCORES = 1  # 1 to 10
RATINGS_LIKES = 2  # 1 liked, 0 disliked


@dataclass
class Author:
    uid: int
    penname: str
    realname: str = ""
    email: str = ""
    website: str = ""
    bio: str = ""
    password: str = ""
    date: dt.datetime | None = None
    # Older versions kept the admin level here; 3.x keeps it in authorprefs.
    level: int = 0


@dataclass
class AuthorPrefs:
    uid: int
    # 1 to 4: an admin (1 the highest); 0 a member; -1 a locked account.
    level: int = 0


@dataclass
class Settings:
    sitename: str = ""
    # Where chapter texts live: "files" (the stories folder) or "mysql"; "" unknown.
    store: str = ""
    storiespath: str = ""
    # Review ratings: 0 off, RATINGS_SCORES or RATINGS_LIKES.
    ratings: int = 0


@dataclass
class Category:
    catid: int
    parentcatid: int
    name: str
    description: str = ""
    displayorder: int = 0


@dataclass
class Character:
    charid: int
    catid: int
    name: str


@dataclass
class ClassType:
    classtype_id: int
    name: str
    title: str


@dataclass
class Class:
    class_id: int
    class_type: int
    name: str


@dataclass
class Rating:
    rid: int
    name: str


@dataclass
class Story:
    sid: int
    uid: int
    title: str
    summary: str = ""
    storynotes: str = ""
    catids: list[int] = field(default_factory=list)
    charids: list[int] = field(default_factory=list)
    classids: list[int] = field(default_factory=list)
    rid: int = 0
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    completed: bool = False
    validated: bool = True
    wordcount: int = 0
    hits: int = 0


@dataclass
class Chapter:
    chapid: int
    sid: int
    uid: int
    title: str = ""
    inorder: int = 0
    notes: str = ""
    endnotes: str = ""
    # Empty when the archive kept chapter text in files: {stories}/{uid}/{chapid}.txt.
    storytext: str = ""
    validated: bool = True
    wordcount: int = 0
    hits: int = 0


@dataclass
class Series:
    seriesid: int
    uid: int
    title: str
    summary: str = ""
    isopen: bool = False


@dataclass
class InSeries:
    seriesid: int
    # Either a story or a nested series (subseriesid), never both.
    sid: int = 0
    subseriesid: int = 0
    inorder: int = 0
    confirmed: bool = True


@dataclass
class Review:
    reviewid: int
    # The story (type ST) or series (type SE) reviewed.
    item: int
    type: str
    chapid: int = 0
    # The reviewer's name as typed; uid 0 is a guest.
    reviewer: str = ""
    uid: int = 0
    review: str = ""
    rating: int | None = None
    date: dt.datetime | None = None


@dataclass
class Favorite:
    uid: int
    item: int
    # ST a story, SE a series, AU an author.
    type: str
    comments: str = ""


@dataclass
class CoAuthor:
    sid: int
    uid: int


@dataclass
class Archive:
    """Everything read from one eFiction archive, by kind, in eFiction's id order."""

    authors: dict[int, Author] = field(default_factory=dict)
    authorprefs: dict[int, AuthorPrefs] = field(default_factory=dict)
    categories: dict[int, Category] = field(default_factory=dict)
    characters: dict[int, Character] = field(default_factory=dict)
    classtypes: dict[int, ClassType] = field(default_factory=dict)
    classes: dict[int, Class] = field(default_factory=dict)
    ratings: dict[int, Rating] = field(default_factory=dict)
    stories: dict[int, Story] = field(default_factory=dict)
    chapters: dict[int, Chapter] = field(default_factory=dict)
    series: dict[int, Series] = field(default_factory=dict)
    inseries: list[InSeries] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    favorites: list[Favorite] = field(default_factory=list)
    coauthors: list[CoAuthor] = field(default_factory=list)
    # The site's settings (one row per site sharing the tables; the first is used).
    settings: list[Settings] = field(default_factory=list)
    # Rows the reader could not use (a missing id, a broken row), with the reason.
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    # Tables of the dump that the migration does not read, with their row counts.
    ignored_tables: dict[str, int] = field(default_factory=dict)

    # Chapters by story, built on first use (after reading).
    _by_story: dict[int, list[Chapter]] | None = field(default=None, repr=False, compare=False)

    @property
    def site(self) -> Settings:
        """The site's settings, or empty ones (all unknown) when the dump has none."""
        return self.settings[0] if self.settings else Settings()

    def level_of(self, uid: int) -> int:
        """An author's admin level: authorprefs' when it has a row, else the author's own."""
        prefs = self.authorprefs.get(uid)
        if prefs is not None:
            return prefs.level
        author = self.authors.get(uid)
        return author.level if author else 0

    def admins(self) -> list[Author]:
        """The authors who were admins on eFiction (level 1 to 4), by uid."""
        return [a for uid, a in sorted(self.authors.items()) if self.level_of(uid) > 0]

    def author_named(self, name: str) -> Author | None:
        """The author with this pen name (case and surrounding spaces aside)."""
        wanted = name.strip().casefold()
        for uid in sorted(self.authors):
            if self.authors[uid].penname.casefold() == wanted:
                return self.authors[uid]
        return None

    def chapters_of(self, sid: int) -> list[Chapter]:
        """A story's chapters in eFiction's reading order (`inorder`, then id)."""
        if self._by_story is None:
            self._by_story = {}
            for chapter in self.chapters.values():
                self._by_story.setdefault(chapter.sid, []).append(chapter)
        return sorted(self._by_story.get(sid, []), key=lambda c: (c.inorder, c.chapid))
