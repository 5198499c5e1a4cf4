"""Categories, characters, classes and ratings -> the archive's tags.

Categories become canonical fandoms, a parent category a metatag of its children;
characters canonical character tags linked to their category's fandom. The wrangling
is done as the migrating admin (`ctx.user`), so it is in the wrangling log. Classes and
ratings make no objects: they are mapped (warning classes to archive warnings, other
classes to additional tags, ratings to the closest rating) for the stories stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.context import Kind, MigrationContext
from fanarchive.formats.efiction.report import ALREADY, MAPPED, MIGRATED
from fanarchive.formats.errors import validation_text
from fanarchive.formats.parsed import archive_warning, rating_from
from fanarchive.tags.fixed import NOT_RATED
from fanarchive.tags.models import FandomLink, MetaTagLink, Tag, TagType
from fanarchive.tags.services import (
    FORBIDDEN_TAG_CHARACTERS,
    TAG_NAME_MAX,
    normalise_tag_name,
    tags_find_or_create,
)
from fanarchive.wrangling.services import tag_add_metatag, tag_link_fandom, tag_set_canonical


@dataclass
class Vocabulary:
    """What a story's ids become, by eFiction id: tag names and rating names."""

    category_names: dict[int, str] = field(default_factory=dict)
    character_names: dict[int, str] = field(default_factory=dict)
    warning_classes: dict[int, str] = field(default_factory=dict)
    freeform_classes: dict[int, str] = field(default_factory=dict)
    ratings: dict[int, str] = field(default_factory=dict)


def tags_migrate(ctx: MigrationContext) -> Vocabulary:
    vocabulary = Vocabulary()
    _categories(ctx, vocabulary)
    _characters(ctx, vocabulary)
    _classes(ctx, vocabulary)
    _ratings(ctx, vocabulary)
    return vocabulary


def clean_tag_name(name: str) -> str:
    """A category, character or class name as a tag: no commas and the like, not too long."""
    for char in FORBIDDEN_TAG_CHARACTERS:
        name = name.replace(char, " " if char == "," else "")
    return normalise_tag_name(name)[:TAG_NAME_MAX].strip()


def _canonical(ctx: MigrationContext, tag_type: str, name: str) -> Tag:
    tag = tags_find_or_create(tag_type=tag_type, names=[name])[0]
    if tag.synonym_of_id:
        return Tag.objects.get(pk=tag.synonym_of_id)
    if not tag.canonical:
        tag_set_canonical(user=ctx.user, tag=tag, canonical=True)
    return tag


def _depth(archive: r.Archive, category: r.Category) -> int:
    """How many parents a category has (a loop of parents counts once round)."""
    depth, seen = 0, {category.catid}
    parent = archive.categories.get(category.parentcatid)
    while parent is not None and parent.catid not in seen:
        seen.add(parent.catid)
        depth += 1
        parent = archive.categories.get(parent.parentcatid)
    return depth


def _categories(ctx: MigrationContext, vocabulary: Vocabulary) -> None:
    # Parents first, so a category's parent tag exists when the category is made.
    categories = sorted(
        ctx.archive.categories.values(), key=lambda c: (_depth(ctx.archive, c), c.catid)
    )
    names = vocabulary.category_names
    tags: dict[int, Tag] = {}
    for category in categories:
        name = clean_tag_name(category.name)
        if not name:
            ctx.report.skip("categories", category.catid, "has no name.")
            continue
        if name != category.name:
            ctx.report.decide(f'Category "{category.name}" is the fandom "{name}".')
        names[category.catid] = name
        known = ctx.object_id(Kind.CATEGORY, category.catid)
        if known is not None:
            tag = Tag.objects.filter(pk=known).first()
            if tag is not None:
                tags[category.catid] = tag
                names[category.catid] = tag.name
                ctx.report.count("categories", ALREADY)
                continue
        tag = _canonical(ctx, TagType.FANDOM, name)
        tags[category.catid] = tag
        names[category.catid] = tag.name
        _parent_link(ctx, category, name, tag, tags.get(category.parentcatid))
        if (Kind.CATEGORY, category.catid) in ctx.mapped:
            # Mapped before, but its tag is gone: point the mapping at the new tag.
            ctx.mapped[(Kind.CATEGORY, category.catid)].object_id = tag.pk
            ctx.mapped[(Kind.CATEGORY, category.catid)].save(update_fields=["object_id"])
        else:
            ctx.remember(Kind.CATEGORY, category.catid, tag.pk)
        ctx.report.count("categories", MIGRATED)


def _parent_link(
    ctx: MigrationContext, category: r.Category, name: str, tag: Tag, parent: Tag | None
) -> None:
    """Make the parent category's fandom a metatag of this one, when there is a parent."""
    if parent is not None and parent.pk != tag.pk:
        linked = MetaTagLink.objects.filter(meta=parent, sub=tag).exists()
        if not linked:
            try:
                tag_add_metatag(user=ctx.user, tag=tag, metatag=parent)
            except ValidationError as error:
                ctx.report.decide(
                    f'Category "{name}" is not under "{parent.name}": ' + validation_text(error)
                )
        ctx.report.decide(
            "Categories are canonical fandoms; a parent category is a metatag of its subcategories."
        )
    elif category.parentcatid > 0 and category.parentcatid not in ctx.archive.categories:
        ctx.report.decide(
            f'Category "{name}" names a parent ({category.parentcatid}) the archive '
            "does not have: it is a top-level fandom."
        )


def _characters(ctx: MigrationContext, vocabulary: Vocabulary) -> None:
    names = vocabulary.character_names
    for character in sorted(ctx.archive.characters.values(), key=lambda c: c.charid):
        name = clean_tag_name(character.name)
        if not name:
            ctx.report.skip("characters", character.charid, "has no name.")
            continue
        names[character.charid] = name
        if (Kind.CHARACTER, character.charid) in ctx.mapped:
            ctx.report.count("characters", ALREADY)
            continue
        tag = _canonical(ctx, TagType.CHARACTER, name)
        names[character.charid] = tag.name
        fandom_id = ctx.object_id(Kind.CATEGORY, character.catid)
        fandom = Tag.objects.filter(pk=fandom_id).first() if fandom_id else None
        if fandom is None:
            ctx.report.decide(
                f'Character "{name}" belongs to no category of the archive: it is in no '
                "fandom yet (wranglers can link it)."
            )
        elif not FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
            tag_link_fandom(user=ctx.user, tag=tag, fandom=fandom)
        ctx.remember(Kind.CHARACTER, character.charid, tag.pk)
        ctx.report.count("characters", MIGRATED)


def _is_warning_type(classtype: r.ClassType) -> bool:
    return "warning" in f"{classtype.name} {classtype.title}".lower()


def _classes(ctx: MigrationContext, vocabulary: Vocabulary) -> None:
    types = ctx.archive.classtypes
    for known in types.values():
        kind = "archive warnings where they match" if _is_warning_type(known) else None
        ctx.report.decide(
            f'Class type "{known.title or known.name}": ' + (kind or "additional tags") + "."
        )
        ctx.report.count("classtypes", MAPPED)
    for item in sorted(ctx.archive.classes.values(), key=lambda c: c.class_id):
        name = clean_tag_name(item.name)
        if not name:
            ctx.report.skip("classes", item.class_id, "has no name.")
            continue
        classtype = types.get(item.class_type)
        warning = None
        if classtype is not None and _is_warning_type(classtype):
            warning = archive_warning(name)
        if warning:
            vocabulary.warning_classes[item.class_id] = warning
            ctx.report.decide(f'Warning "{item.name}" is the archive warning "{warning}".')
        else:
            vocabulary.freeform_classes[item.class_id] = name
            label = classtype.title or classtype.name if classtype else "no class type"
            ctx.report.decide(f'Class "{item.name}" ({label}) is the additional tag "{name}".')
        ctx.report.count("classes", MAPPED)


def _ratings(ctx: MigrationContext, vocabulary: Vocabulary) -> None:
    for rating in sorted(ctx.archive.ratings.values(), key=lambda x: x.rid):
        notices: list[str] = []
        mapped = rating_from(rating.name, notices)
        vocabulary.ratings[rating.rid] = mapped
        if notices:
            ctx.report.decide(f'Rating "{rating.name}" is unknown: rated "{NOT_RATED}".')
        else:
            ctx.report.decide(f'Rating "{rating.name}" is "{mapped}".')
        ctx.report.count("ratings", MAPPED)
