from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TagType(models.TextChoices):
    RATING = "rating", _("Rating")
    WARNING = "warning", _("Archive Warning")
    CATEGORY = "category", _("Category")
    FANDOM = "fandom", _("Fandom")
    RELATIONSHIP = "relationship", _("Relationship")
    CHARACTER = "character", _("Character")
    FREEFORM = "freeform", _("Additional Tags")


FIXED_TYPES = frozenset({TagType.RATING, TagType.WARNING, TagType.CATEGORY})
FREE_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
# Tags of these types are linked to the fandoms they belong to.
FANDOM_LINKED_TYPES = frozenset({TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM})


def fold_name(name: str) -> str:
    """The form autocomplete matches on: case folded, diacritics removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def name_words(folded: str) -> list[str]:
    """A folded name from each start of a word on: autocomplete finds a tag when what was
    typed (folded) begins one of these. A word starts the name, and at each letter or digit
    that follows anything else, so "mira vale/tomas" gives "mira vale/tomas", "vale/tomas"
    and "tomas"."""
    return [
        folded[i:]
        for i, char in enumerate(folded)
        if i == 0 or (char.isalnum() and not folded[i - 1].isalnum())
    ]


class TagQuerySet(models.QuerySet["Tag"]):
    def of_type(self, tag_type: str) -> TagQuerySet:
        return self.filter(type=tag_type)

    def unwrangled(self) -> TagQuerySet:
        """Free tags no wrangler has decided on yet: not canonical, no synonym, not set aside."""
        return self.exclude(type__in=FIXED_TYPES).filter(
            canonical=False, synonym_of__isnull=True, unwrangleable=False
        )


class Tag(models.Model):
    """A tag of one type. Names are unique per type regardless of case.

    Wrangling state: a tag is canonical, or a synonym of one canonical tag of its
    type (`synonym_of`), or unwrangled; a non-canonical freeform can be set aside as
    unwrangleable. Metatags and fandom links live in `MetaTagLink` and `FandomLink`.
    """

    name = models.CharField(max_length=100)
    # `fold_name(name)`, kept by the services that create and rename tags (`tag_name_set`),
    # with the name's words (`TagWord`) that autocomplete matches.
    name_folded = models.CharField(max_length=200, default="")
    type = models.CharField(max_length=20, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    synonym_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="synonyms"
    )
    unwrangleable = models.BooleanField(default=False)
    # Public works carrying the tag directly: a cache for ordering autocomplete only,
    # refreshed by `tags_recount` (`fanarchive tags_recount`, from cron and after imports).
    use_count = models.PositiveIntegerField(default=0)
    # The fixed sets keep AO3's order (General before Teen before Mature ...).
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["type", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "type", name="tag_name_unique_per_type"),
            models.CheckConstraint(
                condition=models.Q(synonym_of__isnull=True) | models.Q(canonical=False),
                name="tag_canonical_is_no_synonym",
            ),
        ]
        indexes = [
            # Finding tags by folded name (posting, fandoms by name, the assistant), and
            # its prefixes: on PostgreSQL LIKE 'x%' through the pattern opclass, whatever
            # the locale (SQLite ignores opclasses).
            models.Index(
                fields=["type", "name_folded"],
                name="tag_name_folded_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # Autocomplete's order (canonical first, then by use), walked from the top
            # for a common prefix until enough tags match (`autocomplete_tags`); the
            # columns it filters on last, so the walk reads the index alone. (Django
            # writes `unwrangleable=False` as NOT "unwrangleable", which no index
            # answers as an equality, so it cannot lead.)
            models.Index(
                fields=[
                    "type",
                    "-canonical",
                    "-use_count",
                    "name_folded",
                    "id",
                    "unwrangleable",
                    "synonym_of",
                ],
                name="tag_ranked_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tags:works", args=[self.pk])

    @property
    def is_fixed(self) -> bool:
        return self.type in FIXED_TYPES

    @property
    def wrangling_state(self) -> str:
        if self.is_fixed or self.canonical:
            return "canonical"
        if self.synonym_of_id:
            return "synonym"
        if self.unwrangleable:
            return "unwrangleable"
        return "unwrangled"

    @property
    def filter_tag(self) -> Tag:
        """The tag filtering uses for this one: its canonical when it is a synonym."""
        return self.synonym_of if self.synonym_of_id and self.synonym_of else self


class TagWord(models.Model):
    """One start of a word in a tag's folded name, with the rest of the name after it
    (`name_words`): autocomplete matches what was typed as a prefix of these. Written with
    the tag and on a rename by the tag services; a tag's type never changes, so it is
    copied here to lead the prefix index."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="words", db_index=False)
    type = models.CharField(max_length=20, choices=TagType.choices)
    word = models.CharField(max_length=200)

    class Meta:
        indexes = [
            # A prefix of the words of one type, and their tags, from the index alone
            # (PostgreSQL: LIKE 'x%' through the pattern opclass; SQLite: a binary range).
            models.Index(
                fields=["type", "word", "tag"],
                name="tagword_prefix_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
            ),
            # Has this tag a word with this prefix (the ranked walk), from the index
            # alone; and a tag's words, to replace or delete them.
            models.Index(
                fields=["tag", "word", "type"],
                name="tagword_tag_idx",
                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.word


class MetaTagLink(models.Model):
    """`sub`'s works also appear under `meta` (both canonical, same type; no cycles)."""

    meta = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_links")
    sub = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meta", "sub"], name="metatag_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(meta=models.F("sub")), name="metatag_not_self"
            ),
        ]
        indexes = [models.Index(fields=["sub", "meta"], name="metatag_sub_idx")]

    def __str__(self) -> str:
        return f"{self.sub} < {self.meta}"


class FandomLink(models.Model):
    """A character, relationship or additional tag belongs to a (canonical) fandom."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="fandom_links")
    fandom = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="member_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "fandom"], name="fandom_link_unique"),
        ]
        indexes = [models.Index(fields=["fandom", "tag"], name="fandom_link_fandom_idx")]

    def __str__(self) -> str:
        return f"{self.tag} in {self.fandom}"


class WranglerAssignment(models.Model):
    """A wrangler looks after one fandom (and its characters, relationships, tags)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wrangler_assignments"
    )
    fandom = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wrangler_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "fandom"], name="wrangler_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} wrangles {self.fandom}"


class WranglingAction(models.TextChoices):
    CANONICAL = "canonical", _("Made canonical")
    UNCANONICAL = "uncanonical", _("Made not canonical")
    SYNONYM = "synonym", _("Made a synonym")
    UNSYNONYM = "unsynonym", _("Removed from synonyms")
    MERGE = "merge", _("Merged")
    RENAME = "rename", _("Renamed")
    ADD_METATAG = "add_metatag", _("Added a metatag")
    REMOVE_METATAG = "remove_metatag", _("Removed a metatag")
    LINK_FANDOM = "link_fandom", _("Linked to a fandom")
    UNLINK_FANDOM = "unlink_fandom", _("Unlinked from a fandom")
    UNWRANGLEABLE = "unwrangleable", _("Marked unwrangleable")
    WRANGLEABLE = "wrangleable", _("Marked wrangleable")
    REJECT_SUGGESTION = "reject_suggestion", _("Rejected a suggestion")
    ASSIGN = "assign", _("Assigned a wrangler")
    UNASSIGN = "unassign", _("Unassigned a wrangler")


class WranglingLog(models.Model):
    """The audit log: who changed what, and when. Names are kept as they were then."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=WranglingAction.choices)
    tag = models.ForeignKey(Tag, null=True, on_delete=models.SET_NULL, related_name="wrangling_log")
    tag_name = models.CharField(max_length=100, blank=True)
    target = models.ForeignKey(Tag, null=True, on_delete=models.SET_NULL, related_name="+")
    target_name = models.CharField(max_length=150, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.tag_name} {self.target_name}".strip()

    @property
    def details_text(self) -> str:
        """The details for people: "works: 12; synonyms: A, B"."""
        parts = []
        for key, value in (self.details or {}).items():
            if value in (None, "", [], {}):
                continue
            shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
            parts.append(f"{key.replace('_', ' ')}: {shown}")
        return "; ".join(parts)


class SuggestionDecision(models.Model):
    """A wrangler's answer to an assistant suggestion; rejected ones are not offered again."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="suggestion_decisions")
    target = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    accepted = models.BooleanField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tag", "target"], name="suggestion_decision_unique"),
        ]

    def __str__(self) -> str:
        verdict = "accepted" if self.accepted else "rejected"
        return f"{self.tag} -> {self.target}: {verdict}"
