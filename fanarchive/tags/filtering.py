"""What a filter's tags mean: names to tags, synonyms to their canonical tags, includes
and excludes. The one reading of a filter's tags that the filter form, the API and the
feeds share (they all go through the form, which asks this).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import unique_tag_names

MAX_TAGS = 50


@dataclass
class FilterTags:
    """The filter's tags, resolved. `errors` are messages keyed by the field they came
    from (None: the whole filter); the filter is usable only when there are none."""

    include: list[int] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    tags: dict[int, Tag] = field(default_factory=dict)
    errors: dict[str | None, list[str]] = field(default_factory=dict)

    def _error(self, key: str | None, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def _by_name(wanted: Mapping[str, tuple[TagType | None, list[str]]]) -> dict[str, list[Tag]]:
    """Every name typed, case-insensitively, in one query: name (folded) to its tags."""
    typed = {name for _, names in wanted.values() for name in names}
    found: dict[str, list[Tag]] = {}
    if typed:
        # The database folds the case (as `iexact` does); the names as typed also match
        # where SQLite's lower() leaves non-ASCII letters alone.
        folded = {name.lower() for name in typed}
        tags = Tag.objects.alias(folded_name=Lower("name")).filter(
            Q(folded_name__in=folded) | Q(name__in=typed)
        )
        for tag in tags:
            found.setdefault(tag.name.lower(), []).append(tag)
    return found


def filter_tags(
    *,
    include: Iterable[int] = (),
    exclude: Iterable[int] = (),
    ratings: Iterable[int] = (),
    named: Mapping[str, tuple[TagType | None, str]] | None = None,
    excluding: Collection[str] = (),
) -> FilterTags:
    """Resolve a filter's tags: ids as given, and `named` fields (field key to the tag type
    they name, None for any, and the comma-separated names typed; the keys in `excluding`
    exclude). A synonym filters as its canonical tag, whose works include the synonym's.
    At most three queries, whatever the number of tags."""
    result = FilterTags(ratings=list(ratings))
    wanted = {
        key: (tag_type, unique_tag_names(text.split(",")))
        for key, (tag_type, text) in (named or {}).items()
    }
    found = _by_name(wanted)
    named_ids: dict[str, list[int]] = {}
    for key, (tag_type, names) in wanted.items():
        ids = named_ids.setdefault(key, [])
        for name in names:
            tags = [t for t in found.get(name.lower(), []) if tag_type in (None, t.type)]
            if not tags:
                if tag_type:
                    message = _('There is no %(type)s called "%(name)s".') % {
                        "type": TagType(tag_type).label.lower(),
                        "name": name,
                    }
                else:
                    message = _('There is no tag called "%(name)s".') % {"name": name}
                result._error(key, message)
            for tag in tags:
                result.tags[tag.pk] = tag
                ids.append(tag.pk)
    include = [
        *include,
        *(i for key, ids in named_ids.items() if key != "exclude_names" for i in ids),
    ]
    exclude = [*exclude, *named_ids.get("exclude_names", [])]
    by_id = set(include) | set(exclude) | set(result.ratings)
    if len(by_id) > MAX_TAGS:
        result._error(None, _("A filter can use at most %(max)s tags.") % {"max": MAX_TAGS})
        return result
    _load(result, by_id)
    unknown = sorted(by_id - result.tags.keys())
    if unknown:
        result._error(
            None,
            _(
                "These tags do not exist (perhaps they were removed): %(ids)s. "
                "Remove them from the filter."
            )
            % {"ids": ", ".join(str(i) for i in unknown)},
        )
    if any(result.tags[t].type != TagType.RATING for t in result.ratings if t in result.tags):
        result._error(None, _("Only ratings can be chosen as ratings."))
    result.include = _canonical_ids(result.tags, include)
    result.exclude = _canonical_ids(result.tags, exclude)
    return result


def _load(result: FilterTags, ids: set[int]) -> None:
    """The tags of `ids` not loaded yet, and the canonical tags of the synonyms among them."""
    missing = ids - result.tags.keys()
    if missing:
        result.tags.update(Tag.objects.in_bulk(missing))
    canonicals = {t.synonym_of_id for t in result.tags.values() if t.synonym_of_id}
    if canonicals - result.tags.keys():
        result.tags.update(Tag.objects.in_bulk(canonicals - result.tags.keys()))


def _canonical_ids(tags: Mapping[int, Tag], ids: Sequence[int]) -> list[int]:
    def canonical(tag_id: int) -> int:
        tag = tags.get(tag_id)
        return tag.synonym_of_id if tag is not None and tag.synonym_of_id else tag_id

    return list(dict.fromkeys(canonical(i) for i in ids))
