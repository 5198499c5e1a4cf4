"""The filter form (GET, works without JavaScript), and the small forms for mutes and filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, gettext_lazy

from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.search import Query, QuerySyntaxError, parse
from fanarchive.tags.filtering import filter_tags
from fanarchive.tags.models import FIXED_TYPES, Tag, TagType
from fanarchive.works.languages import LANGUAGES

# Sort choices: (value, label, descending by default)
SORTS = [
    ("updated", gettext_lazy("Date updated"), True),
    ("posted", gettext_lazy("Date posted"), True),
    ("title", gettext_lazy("Title"), False),
    ("creator", gettext_lazy("Creator"), False),
    ("words", gettext_lazy("Word count"), True),
    ("kudos", gettext_lazy("Kudos"), True),
    ("hits", gettext_lazy("Hits"), True),
    ("comments", gettext_lazy("Comments"), True),
    ("bookmarks", gettext_lazy("Bookmarks"), True),
    # Only works with `index.quality.MIN_HITS` hits are ranked; the rest follow.
    ("kudos_per_hit", gettext_lazy("Kudos per hit"), True),
    ("bookmarks_per_kudos", gettext_lazy("Bookmarks per kudos"), True),
    ("relevance", gettext_lazy("Best match"), True),
]
SORT_DESCENDING = {value: descending for value, _, descending in SORTS}
RANGES = ("words", "kudos", "hits", "comments", "bookmarks")
NAME_FIELDS = {
    "fandom_names": TagType.FANDOM,
    "relationship_names": TagType.RELATIONSHIP,
    "character_names": TagType.CHARACTER,
    "freeform_names": TagType.FREEFORM,
}


class IdListField(forms.Field):
    """Repeated ids in the query string (?include=3&include=9)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for raw in values:
            text = str(raw).strip()
            if not text:
                continue
            if not text.isdigit() or len(text) > 10:
                raise forms.ValidationError(
                    gettext('"%(text)s" is not a tag number.') % {"text": text[:20]}
                )
            ids.append(int(text))
        return list(dict.fromkeys(ids))


class FilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search within results"), required=False, max_length=500)
    include = IdListField(required=False)
    exclude = IdListField(required=False)
    rating = IdListField(required=False)
    # data-autocomplete-* let static/js/tag-autocomplete.js suggest tags as on the posting form.
    fandom_names = forms.CharField(
        label=gettext_lazy("Fandoms"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"data-autocomplete-type": "fandom"}),
    )
    relationship_names = forms.CharField(
        label=gettext_lazy("Relationships"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-type": "relationship",
                "data-autocomplete-fandoms-from": "id_fandom_names",
            }
        ),
    )
    main_relationship = forms.BooleanField(
        label=gettext_lazy("Main relationship only"),
        required=False,
        help_text=gettext_lazy(
            "Only works where the chosen relationships are marked as main ones."
        ),
    )
    character_names = forms.CharField(
        label=gettext_lazy("Characters"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-type": "character",
                "data-autocomplete-fandoms-from": "id_fandom_names",
            }
        ),
    )
    freeform_names = forms.CharField(
        label=gettext_lazy("Additional tags"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"data-autocomplete-type": "freeform"}),
    )
    exclude_names = forms.CharField(
        label=gettext_lazy("Other tags to exclude"), required=False, max_length=2000
    )
    complete = forms.ChoiceField(
        label=gettext_lazy("Completion status"),
        required=False,
        choices=[
            ("", gettext_lazy("All works")),
            ("T", gettext_lazy("Complete works only")),
            ("F", gettext_lazy("Works in progress only")),
        ],
        widget=forms.RadioSelect,
    )
    crossover = forms.ChoiceField(
        label=gettext_lazy("Crossovers"),
        required=False,
        choices=[
            ("", gettext_lazy("Include crossovers")),
            ("exclude", gettext_lazy("Exclude crossovers")),
            ("only", gettext_lazy("Only crossovers")),
        ],
        widget=forms.RadioSelect,
    )
    single_chapter = forms.BooleanField(label=gettext_lazy("Single chapter only"), required=False)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        required=False,
        choices=[("", gettext_lazy("Any language")), *LANGUAGES],
    )
    words_from = forms.IntegerField(label=gettext_lazy("Words from"), required=False, min_value=0)
    words_to = forms.IntegerField(label=gettext_lazy("Words to"), required=False, min_value=0)
    kudos_from = forms.IntegerField(label=gettext_lazy("Kudos from"), required=False, min_value=0)
    kudos_to = forms.IntegerField(label=gettext_lazy("Kudos to"), required=False, min_value=0)
    hits_from = forms.IntegerField(label=gettext_lazy("Hits from"), required=False, min_value=0)
    hits_to = forms.IntegerField(label=gettext_lazy("Hits to"), required=False, min_value=0)
    comments_from = forms.IntegerField(
        label=gettext_lazy("Comments from"), required=False, min_value=0
    )
    comments_to = forms.IntegerField(label=gettext_lazy("Comments to"), required=False, min_value=0)
    bookmarks_from = forms.IntegerField(
        label=gettext_lazy("Bookmarks from"), required=False, min_value=0
    )
    bookmarks_to = forms.IntegerField(
        label=gettext_lazy("Bookmarks to"), required=False, min_value=0
    )
    date_from = forms.DateField(
        label=gettext_lazy("Updated from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Updated to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"), required=False, choices=[(v, label) for v, label, _ in SORTS]
    )
    order = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[
            ("", gettext_lazy("Default")),
            ("desc", gettext_lazy("Descending")),
            ("asc", gettext_lazy("Ascending")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict | None, *, fixed_tag: Tag | None = None) -> None:
        super().__init__(data)
        self.fixed_tag = fixed_tag
        self.text_query: Query | None = None
        self.tags: dict[int, Tag] = {}

    def clean_q(self) -> str:
        text: str = self.cleaned_data.get("q", "").strip()
        if text:
            try:
                self.text_query = parse(text)
            except QuerySyntaxError as error:
                raise forms.ValidationError(str(error)) from error
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named: dict[str, tuple[TagType | None, str]] = {
            key: (tag_type, data.get(key) or "") for key, tag_type in NAME_FIELDS.items()
        }
        named["exclude_names"] = (None, data.get("exclude_names") or "")
        meaning = filter_tags(
            include=data.get("include") or [],
            exclude=data.get("exclude") or [],
            ratings=data.get("rating") or [],
            named=named,
            excluding={"exclude_names"},
        )
        self.tags.update(meaning.tags)
        for key, messages in meaning.errors.items():
            for message in messages:
                self.add_error(key, message)
        data["include"], data["exclude"] = meaning.include, meaning.exclude
        for name in (*RANGES, "date"):
            low, high = data.get(f"{name}_from"), data.get(f"{name}_to")
            if low is not None and high is not None and low > high:
                self.add_error(
                    f"{name}_to", gettext("The upper bound must not be below the lower bound.")
                )
        if data.get("sort") == "relevance" and not data.get("q"):
            data["sort"] = "updated"
        return data

    # -- results -------------------------------------------------------------

    def to_filter(self) -> Filter:
        data = self.cleaned_data
        include = list(data["include"])
        if self.fixed_tag is not None and self.fixed_tag.pk not in include:
            include.insert(0, self.fixed_tag.pk)
        sort = data.get("sort") or ("relevance" if data.get("q") else "updated")
        order = data.get("order")
        ranges: dict[str, tuple[int | None, int | None]] = {
            name: (data.get(f"{name}_from"), data.get(f"{name}_to")) for name in RANGES
        }
        ranges["updated"] = (_day_start(data.get("date_from")), _day_end(data.get("date_to")))
        return Filter(
            include=tuple(include),
            exclude=tuple(data["exclude"]),
            ratings=tuple(data.get("rating") or ()),
            complete={"T": True, "F": False}.get(data.get("complete") or ""),
            crossover=data.get("crossover") or "",
            single_chapter=bool(data.get("single_chapter")),
            main_only=bool(data.get("main_relationship")),
            language=data.get("language") or "",
            ranges=ranges,
            sort=sort,
            descending=SORT_DESCENDING[sort] if not order else order == "desc",
        )

    def selected(self, key: str) -> list[Tag]:
        """Chosen free tags (fixed ones have their own checkboxes), for the form's tick boxes."""
        ids = self.cleaned_data.get(key, []) if hasattr(self, "cleaned_data") else []
        return [
            self.tags[i]
            for i in ids
            if i in self.tags
            and self.tags[i].type not in FIXED_TYPES
            and (self.fixed_tag is None or i != self.fixed_tag.pk)
        ]


def _day_start(day: date | None) -> int | None:
    return int(datetime.combine(day, time.min, tzinfo=UTC).timestamp()) if day else None


def _day_end(day: date | None) -> int | None:
    return int(datetime.combine(day, time.max, tzinfo=UTC).timestamp()) if day else None


class MuteTagForm(forms.Form):
    tag = forms.IntegerField(widget=forms.HiddenInput)


class MuteCreatorForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Creator's account name"), max_length=150)


class MuteScopeForm(forms.Form):
    """The fandoms a mute is limited to, comma-separated (blank: muted everywhere)."""

    fandoms = forms.CharField(
        label=gettext_lazy("Only in these fandoms"), required=False, max_length=2000
    )

    def names(self) -> list[str]:
        return [name for name in self.cleaned_data["fandoms"].split(",") if name.strip()]


class ListingPreferenceForm(forms.Form):
    hide_anonymous = forms.BooleanField(label=gettext_lazy("Hide anonymous works"), required=False)
    hide_crossovers = forms.BooleanField(
        label=gettext_lazy("Hide crossovers (works in more than one fandom)"), required=False
    )


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name this filter"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)
