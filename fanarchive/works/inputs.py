"""The one definition of a work's and a chapter's editable fields, and their validation.

`WorkInput` and `ChapterInput` are what a writer, an importer, the API or the eFiction
migration hands to the works services; the posting form, the API's schemas, revisions
and autosave all take their field names from here, so a new field is added once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from fanarchive.core.text import TextFormat, clean_line, clean_text, html_to_text
from fanarchive.tags.models import TagType
from fanarchive.tags.selectors import FixedTags
from fanarchive.tags.services import normalise_tag_name, tag_name_error, unique_tag_names
from fanarchive.works import limits
from fanarchive.works.languages import LANGUAGE_NAMES
from fanarchive.works.models import CommentPolicy

if TYPE_CHECKING:
    from fanarchive.works.models import Chapter, Work

Errors = dict[str, list[str]]


@dataclass
class ChapterInput:
    """One chapter as a writer (or an importer) gives it."""

    text: str
    text_format: str = TextFormat.HTML
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


@dataclass
class WorkInput:
    """A work's metadata as a writer (or an importer) gives it. Tag lists hold names."""

    title: str
    rating: str
    warnings: list[str]
    fandoms: list[str]
    categories: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    # Which of `relationships` are the work's main ones (names from that list). None or
    # empty: the first relationship, as AO3's convention has it.
    main_relationships: list[str] | None = None
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    language: str = "en"
    restricted: bool = False
    # Who may comment ("everyone", "registered", "nobody") and whether comments wait for approval.
    comment_policy: str = "registered"
    moderated_comments: bool = False
    # Posted anonymously: "Anonymous" everywhere but to its creators and moderators.
    anonymous: bool = False
    # None is "?": the writer does not know yet.
    expected_chapters: int | None = 1
    # Pseuds of the posting user; empty means their default pseud.
    pseud_ids: list[int] = field(default_factory=list)
    # Gift recipients: pseuds ("name" or "pseud (user)") or names of people without an
    # account. None leaves a work's gifts as they are.
    gifts: list[str] | None = None
    # Collections to be in, by name (AO3's "Post to collections"): not stored on the work but
    # passed to the collections app (`events.collections_chosen`). None leaves them as they are.
    collections: list[str] | None = None


# Collections named in one post or edit (AO3 keeps the list short too).
COLLECTIONS_MAX = 20

FREE_TAG_FIELDS = {
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


# -- normalising --------------------------------------------------------------


def clean_work_input(data: WorkInput) -> WorkInput:
    """The input without control characters, once, before anything reads it.

    Tag names are left to the tag services' own normalisation (`normalise_tag_name`);
    the fixed tags, language and comment setting are checked against known values.
    """
    return replace(
        data,
        title=clean_line(data.title),
        summary=clean_text(data.summary),
        notes=clean_text(data.notes),
        endnotes=clean_text(data.endnotes),
        gifts=None if data.gifts is None else [clean_line(name) for name in data.gifts],
        collections=None
        if data.collections is None
        else [name for name in dict.fromkeys(clean_line(n) for n in data.collections) if name],
    )


def clean_chapter_input(data: ChapterInput) -> ChapterInput:
    return replace(
        data,
        text=clean_text(data.text),
        title=clean_line(data.title),
        summary=clean_text(data.summary),
        notes=clean_text(data.notes),
        endnotes=clean_text(data.endnotes),
    )


# -- validation ---------------------------------------------------------------


def add_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def check_length(errors: Errors, key: str, label: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        add_error(
            errors,
            key,
            gettext("%(label)s must be %(maximum)s characters or fewer; it is %(length)s.")
            % {"label": label, "maximum": f"{maximum:,}", "length": f"{len(value):,}"},
        )


# Markup around a summary or note may at most triple its length; beyond that the
# field is refused whatever its visible length, so storage stays bounded.
MARKUP_ALLOWANCE = 3


def check_html_length(errors: Errors, key: str, label: str, value: str, maximum: int) -> None:
    """Limits count what readers see, so re-saving the stored HTML of an edit still fits."""
    check_length(errors, key, label, html_to_text(value).strip(), maximum)
    if key not in errors and len(value) > maximum * MARKUP_ALLOWANCE:
        add_error(
            errors,
            key,
            gettext("%(label)s has too much markup for its %(maximum)s characters of text.")
            % {"label": label, "maximum": f"{maximum:,}"},
        )


def validate_work_input(data: WorkInput, *, fixed: FixedTags | None = None) -> Errors:
    """What is wrong with `data`, as `work_create` would say (for callers checking first)."""
    return work_errors(clean_work_input(data), fixed=fixed)


def work_errors(data: WorkInput, *, fixed: FixedTags | None = None) -> Errors:
    fixed = fixed or FixedTags.load()
    errors: Errors = {}
    title = data.title.strip()
    if not title:
        add_error(errors, "title", gettext("Please enter a title."))
    check_length(errors, "title", gettext("The title"), title, limits.TITLE_MAX)
    check_html_length(errors, "summary", gettext("The summary"), data.summary, limits.SUMMARY_MAX)
    check_html_length(errors, "notes", gettext("The notes"), data.notes, limits.NOTES_MAX)
    check_html_length(errors, "endnotes", gettext("The end notes"), data.endnotes, limits.NOTES_MAX)
    if data.language not in LANGUAGE_NAMES:
        add_error(
            errors,
            "language",
            gettext('"%(language)s" is not a language this archive knows.')
            % {"language": data.language},
        )
    if data.comment_policy not in CommentPolicy.values:
        add_error(
            errors,
            "comment_policy",
            gettext('"%(comment_policy)s" is not a comment setting.')
            % {"comment_policy": data.comment_policy},
        )
    if data.expected_chapters is not None and data.expected_chapters < 1:
        add_error(
            errors,
            "expected_chapters",
            gettext("The expected number of chapters must be 1 or more."),
        )

    if not data.rating:
        add_error(errors, "rating", gettext("Please choose a rating."))
    else:
        _, unknown = fixed.pick(TagType.RATING, [data.rating])
        if unknown:
            add_error(
                errors, "rating", gettext('"%(rating)s" is not a rating.') % {"rating": data.rating}
            )
    if not data.warnings:
        add_error(errors, "warnings", gettext("Please choose at least one archive warning."))
    for key, tag_type, names in (
        ("warnings", TagType.WARNING, data.warnings),
        ("categories", TagType.CATEGORY, data.categories),
    ):
        _, unknown = fixed.pick(tag_type, names)
        for name in unknown:
            add_error(
                errors,
                key,
                gettext('"%(name)s" is not one of the %(kind)s.')
                % {"name": name, "kind": f"{tag_type.label.lower()}s"},
            )

    if not unique_tag_names(data.fandoms):
        add_error(errors, "fandoms", gettext("Please add at least one fandom."))
    user_tag_count = 0
    for key in FREE_TAG_FIELDS.values():
        names = unique_tag_names(getattr(data, key))
        user_tag_count += len(names)
        for name in names:
            problem = tag_name_error(name)
            if problem:
                add_error(errors, key, problem)
    if user_tag_count > limits.USER_TAGS_MAX:
        add_error(
            errors,
            "freeforms",
            gettext(
                "A work can have at most %(USER_TAGS_MAX)s fandom, relationship, character and "
                "additional tags together; this one has %(user_tag_count)s."
            )
            % {"USER_TAGS_MAX": limits.USER_TAGS_MAX, "user_tag_count": user_tag_count},
        )
    problem = main_relationships_error(data)
    if problem:
        add_error(errors, "main_relationships", problem)
    if data.collections is not None and len(data.collections) > COLLECTIONS_MAX:
        add_error(
            errors,
            "collections",
            gettext("A work can be posted to at most %(COLLECTIONS_MAX)s collections at once.")
            % {"COLLECTIONS_MAX": COLLECTIONS_MAX},
        )
    return errors


def main_relationship_positions(data: WorkInput) -> list[int]:
    """Where the main relationships are among the work's relationships (`unique_tag_names`
    order): those named, or the first when none is. Names not among them are left out
    (`main_relationships_error` says so)."""
    relationships = [name.lower() for name in unique_tag_names(data.relationships)]
    if not relationships:
        return []
    chosen = {name.lower() for name in unique_tag_names(data.main_relationships or [])}
    positions = [i for i, name in enumerate(relationships) if name in chosen]
    return positions or [0]


def main_relationships_error(data: WorkInput) -> str | None:
    relationships = {name.lower() for name in unique_tag_names(data.relationships)}
    strangers = [
        name
        for name in unique_tag_names(data.main_relationships or [])
        if name.lower() not in relationships
    ]
    if not strangers:
        return None
    names = ", ".join(f'"{name[:100]}"' for name in strangers[:5])
    return ngettext(
        "Only the work's relationships can be main relationships, and %(names)s is not "
        "among them: add it to Relationships, or leave it out.",
        "Only the work's relationships can be main relationships, and %(names)s are not "
        "among them: add them to Relationships, or leave them out.",
        len(strangers),
    ) % {"names": names}


def main_relationships_kept(data: WorkInput) -> WorkInput:
    """`data` with the main relationships no longer among its relationships dropped (an
    edit that changes the relationships but says nothing of the main ones)."""
    if data.main_relationships is None:
        return data
    relationships = {name.lower() for name in unique_tag_names(data.relationships)}
    kept = [n for n in data.main_relationships if normalise_tag_name(n).lower() in relationships]
    return replace(data, main_relationships=kept)


def validate_chapter_input(data: ChapterInput, *, prefix: str = "") -> Errors:
    """Errors keyed `prefix + field`, so the work form can show them on its chapter fields."""
    return chapter_errors(clean_chapter_input(data), prefix=prefix)


def chapter_errors(data: ChapterInput, *, prefix: str = "") -> Errors:
    errors: Errors = {}
    text = data.text.strip()
    if len(text) < limits.CHAPTER_TEXT_MIN:
        add_error(
            errors,
            "text",
            gettext("The chapter text must be at least %(CHAPTER_TEXT_MIN)s characters long.")
            % {"CHAPTER_TEXT_MIN": limits.CHAPTER_TEXT_MIN}
            if text
            else gettext("The chapter text is empty: please write or paste the chapter."),
        )
    check_length(errors, "text", gettext("The chapter text"), text, limits.CHAPTER_TEXT_MAX)
    if data.text_format not in {f.value for f in TextFormat}:
        add_error(
            errors,
            "text_format",
            gettext('"%(text_format)s" is not a text format.') % {"text_format": data.text_format},
        )
    check_length(
        errors,
        f"{prefix}title",
        gettext("The chapter title"),
        data.title.strip(),
        limits.CHAPTER_TITLE_MAX,
    )
    check_html_length(
        errors, f"{prefix}summary", gettext("The chapter summary"), data.summary, limits.SUMMARY_MAX
    )
    check_html_length(
        errors, f"{prefix}notes", gettext("The chapter notes"), data.notes, limits.NOTES_MAX
    )
    check_html_length(
        errors,
        f"{prefix}endnotes",
        gettext("The chapter end notes"),
        data.endnotes,
        limits.NOTES_MAX,
    )
    return errors


def expected_chapters_error(expected: int | None, chapter_count: int) -> str | None:
    if expected is not None and expected > limits.EXPECTED_CHAPTERS_MAX:
        return gettext("A work can expect at most %(maximum)s chapters.") % {
            "maximum": f"{limits.EXPECTED_CHAPTERS_MAX:,}"
        }
    if expected is not None and expected < chapter_count:
        return ngettext(
            "This work has %(count)s chapter, so it cannot expect fewer. "
            "Enter a larger number, or leave it blank if you do not know yet.",
            "This work has %(count)s chapters, so it cannot expect fewer. "
            "Enter a larger number, or leave it blank if you do not know yet.",
            chapter_count,
        ) % {"count": chapter_count}
    return None


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


# -- the fields, by what they are ----------------------------------------------------

# The tag lists of a work, by tag type.
TAG_FIELDS = {
    TagType.RATING: "rating",
    TagType.WARNING: "warnings",
    TagType.CATEGORY: "categories",
    **FREE_TAG_FIELDS,
}
# A work's own columns: what it says (kept in its revisions) and how it is shared.
CONTENT_FIELDS = (
    "title",
    "summary",
    "notes",
    "endnotes",
    "language",
    "restricted",
    "expected_chapters",
)
SETTING_FIELDS = ("comment_policy", "moderated_comments", "anonymous")
WORK_FIELDS = tuple(f.name for f in fields(WorkInput))
CHAPTER_FIELDS = tuple(f.name for f in fields(ChapterInput))
# Fields that are not the work's own columns or tags: who posts it, to whom it is given and
# the collections it is in.
PEOPLE_FIELDS = ("pseud_ids", "gifts", "collections")
# What the writer says of some of the tags (`WorkTag.main`), stored on the links.
TAG_MARK_FIELDS = ("main_relationships",)


def work_input_of(work: Work) -> WorkInput:
    """The work as it stands, as the input that would store it again. Its pseuds, gifts and
    collections are left as they are (`pseud_ids` empty, `gifts` and `collections` None).
    Reads `work.tags_of`, so prefetched tags cost nothing."""
    values: dict[str, Any] = {
        key: [t.name for t in work.tags_of(tag_type)] for tag_type, key in TAG_FIELDS.items()
    }
    values["rating"] = values["rating"][0] if values["rating"] else ""
    values["main_relationships"] = [
        wt.tag.name
        for wt in work.ordered_work_tags()
        if wt.main and wt.tag.type == TagType.RELATIONSHIP
    ]
    values.update({name: getattr(work, name) for name in (*CONTENT_FIELDS, *SETTING_FIELDS)})
    return WorkInput(**values, pseud_ids=[], gifts=None, collections=None)


def chapter_input_of(chapter: Chapter) -> ChapterInput:
    """The chapter as it stands (its text as the writer typed it)."""
    return ChapterInput(
        text=chapter.source,
        **{name: getattr(chapter, name) for name in CHAPTER_FIELDS if name != "text"},
    )
