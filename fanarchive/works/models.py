from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import Pseud
from fanarchive.core.text import TextFormat
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.catalogue_models import CatalogueChange as CatalogueChange
from fanarchive.works.catalogue_models import CatalogueReader as CatalogueReader
from fanarchive.works.catalogue_models import SearchDocument as SearchDocument
from fanarchive.works.catalogue_models import StaleSearchDocument as StaleSearchDocument
from fanarchive.works.languages import LANGUAGE_NAMES, LANGUAGES
from fanarchive.works.stats import WorkStats, work_stats

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User


class WorkQuerySet(models.QuerySet["Work"]):
    # Set by `with_engagement()`: fetched works get `engagement` (their counts), in one go.
    _with_engagement = False

    def with_engagement(self) -> WorkQuerySet:
        """Attach each fetched work's kudos, hits, comments and bookmarks as `work.engagement`.

        One batch of counts per fetch (`works.stats.work_stats`), not one per work.
        """
        clone = self._clone()
        clone._with_engagement = True
        return clone

    def _clone(self) -> WorkQuerySet:
        clone: WorkQuerySet = super()._clone()  # type: ignore[misc]
        clone._with_engagement = self._with_engagement
        return clone

    def _fetch_all(self) -> None:
        fetched = self._result_cache is None
        super()._fetch_all()
        if fetched and self._with_engagement and self._result_cache:
            works = [w for w in self._result_cache if isinstance(w, Work)]
            stats = work_stats([w.pk for w in works])
            for work in works:
                work.engagement = stats[work.pk]

    def visible_to(self, user: User | AnonymousUser) -> WorkQuerySet:
        """Works `user` may see in any listing: posted, not hidden, and for guests not restricted.

        A creator reaches their own drafts through `access_work` and their drafts
        page, never through listings, as on AO3; so with unrevealed works (a collection's,
        before its reveal), which only their creators and site moderators can open.
        """
        works = self.filter(posted=True, hidden_by_admin=False, unrevealed=False)
        if not user.is_authenticated:
            works = works.filter(restricted=False)
        return works

    def by_user(self, user: User) -> WorkQuerySet:
        return self.filter(id__in=Creatorship.objects.filter(pseud__user=user).values("work_id"))

    def by_pseud(self, pseud: Pseud) -> WorkQuerySet:
        return self.filter(id__in=Creatorship.objects.filter(pseud=pseud).values("work_id"))

    def with_tag(self, tag: Tag) -> WorkQuerySet:
        return self.filter(id__in=WorkTag.objects.filter(tag=tag).values("work_id"))


class CommentPolicy(models.TextChoices):
    """Who may comment on a work (AO3's default: registered users only)."""

    EVERYONE = "everyone", _("Everyone, including guests")
    REGISTERED = "registered", _("Registered users only")
    NOBODY = "nobody", _("No one (comments are disabled)")


class Work(models.Model):
    title = models.CharField(max_length=255)
    # Summary and notes are stored as sanitised HTML.
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    language = models.CharField(max_length=12, choices=LANGUAGES, default="en")
    # None is AO3's "?": the writer does not know yet how many chapters there will be.
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    # Kept up to date by the services from the posted chapters.
    posted_chapters = models.PositiveIntegerField(default=0)
    word_count = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=False)
    posted = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False)
    hidden_by_admin = models.BooleanField(default=False)
    # Why a moderator hid it: shown to its creators (and moderators), never to others.
    hidden_reason = models.TextField(blank=True)
    comment_policy = models.CharField(
        max_length=10, choices=CommentPolicy.choices, default=CommentPolicy.REGISTERED
    )
    # New comments wait until a creator approves them.
    moderated_comments = models.BooleanField(default=False)
    # Posted anonymously: every surface shows "Anonymous" instead of the creators, but to
    # the creators themselves and to moderators (`works.selectors.byline_for`).
    anonymous = models.BooleanField(default=False)
    # Set from the work's collections (`works.collection_state_services`): unrevealed hides
    # it from all but its creators and site moderators; anonymous_by_collection hides its
    # creators like `anonymous`, until the collection's reveals.
    unrevealed = models.BooleanField(default=False)
    anonymous_by_collection = models.BooleanField(default=False)
    first_posted_at = models.DateTimeField(null=True, blank=True)
    # The creator's work skin, already checked (works.skin_css; set by skin_services):
    # served as a stylesheet on the work's pages to readers who show skins.
    skin_css = models.TextField("work skin", blank=True)
    # When a reader last saw something new: posting, or a chapter added.
    revised_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    pseuds: models.ManyToManyField[Pseud, Creatorship] = models.ManyToManyField(
        Pseud, through="Creatorship", related_name="works"
    )
    tags: models.ManyToManyField[Tag, WorkTag] = models.ManyToManyField(
        Tag, through="WorkTag", related_name="works"
    )

    objects = WorkQuerySet.as_manager()
    # Kudos, hits, comments, bookmarks: set on works fetched `with_engagement()`.
    engagement: WorkStats

    class Meta:
        indexes = [
            models.Index(
                fields=["-revised_at", "-id"],
                name="work_listing_idx",
                condition=Q(posted=True, hidden_by_admin=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.pk])

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def chapter_fraction(self) -> str:
        """AO3's "2/5" or "2/?"."""
        expected = "?" if self.expected_chapters is None else str(self.expected_chapters)
        return f"{self.posted_chapters}/{expected}"

    def tags_of(self, tag_type: TagType | str) -> list[Tag]:
        """This work's tags of one type, in the order the writer gave them.

        Uses prefetched `work_tags` when present, so blurbs cost no extra query.
        """
        return [wt.tag for wt in self.ordered_work_tags() if wt.tag.type == tag_type]

    def ordered_work_tags(self) -> list[WorkTag]:
        """In the order given, but the main relationships first among the relationships."""
        ordered = sorted(self.work_tags.all(), key=lambda wt: (wt.tag.sort_order, wt.position))
        relationships = [wt for wt in ordered if wt.tag.type == TagType.RELATIONSHIP]
        mains_first = iter(sorted(relationships, key=lambda wt: not wt.main))
        return [next(mains_first) if wt.tag.type == TagType.RELATIONSHIP else wt for wt in ordered]


class Creatorship(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class WorkTag(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="work_tags")
    position = models.PositiveSmallIntegerField(default=0)
    # One of the work's main relationships (relationship tags only: `works.services`); what
    # the "main relationship only" filter finds, shown first on blurbs.
    main = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="worktag_unique")]
        indexes = [models.Index(fields=["tag", "work"], name="worktag_tag_work_idx")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work}"


def chapter_heading(position: int, title: str) -> str:
    """AO3's chapter heading in the language of the moment: "Chapter 2: The Storm", or
    "Chapter 2" when untitled (pages, notices and downloads alike)."""
    if title:
        return gettext("Chapter %(position)s: %(title)s") % {"position": position, "title": title}
    return gettext("Chapter %(position)s") % {"position": position}


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    # What the writer typed, in the format they chose, so editing shows their own words;
    # `content` is the sanitised HTML readers get.
    text_format = models.CharField(
        max_length=10,
        choices=[(f.value, f.label) for f in TextFormat],
        default=TextFormat.HTML,
    )
    source = models.TextField()
    content = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    posted = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="chapter_position_unique"),
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("works:chapter", args=[self.work_id, self.pk])

    @property
    def heading(self) -> str:
        """The chapter's heading in the language of the moment (`chapter_heading`)."""
        return chapter_heading(self.position, self.title)

    @property
    def english_heading(self) -> str:
        """`heading` in English whatever the language: the API's data is never translated."""
        with translation.override("en"):
            return self.heading


# -- series --------------------------------------------------------------------


class Series(models.Model):
    """Works in an order of their own, with the series' own title, summary and notes."""

    title = models.CharField(max_length=255)
    # Stored as sanitised HTML, like a work's.
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # Set by the series' creators, as AO3's "Is this series complete?" checkbox.
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    pseuds: models.ManyToManyField[Pseud, SeriesCreatorship] = models.ManyToManyField(
        Pseud, through="SeriesCreatorship", related_name="series"
    )

    class Meta:
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("works:series", args=[self.pk])


class SeriesCreatorship(models.Model):
    """Who may change a series: pseuds of the users who made it."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="series_creatorships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "pseud"], name="seriescreatorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.series}"


class SeriesWork(models.Model):
    """A work's place in a series; a work may be in any number of series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="series_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_works")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="serieswork_unique"),
        ]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series}"


# -- co-creators and gifts -------------------------------------------------------------


class CreatorInvitation(models.Model):
    """A creator asked another user's pseud to co-create a work.

    Until the invitee accepts, the work shows only its creators; accepting turns
    the invitation into a Creatorship. Declined invitations are kept, so the
    inviting creator can see the answer.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        DECLINED = "declined", _("Declined")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="invitations")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="creatorinvitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} invited to {self.work}"


class Gift(models.Model):
    """A work given to a pseud, or to a name for someone without an account."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="gifts")
    pseud = models.ForeignKey(
        Pseud, on_delete=models.CASCADE, null=True, blank=True, related_name="gifts"
    )
    recipient_name = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A refused gift no longer shows the recipient; it is kept so that editing
    # the work does not give it again.
    refused = models.BooleanField(default=False)
    # The recipient was told (by e-mail, later also the inbox); drafts wait until posted.
    notified = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "pseud"], name="gift_unique_pseud", condition=Q(pseud__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["work", "recipient_name"],
                name="gift_unique_name",
                condition=Q(pseud__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(pseud__isnull=False) | ~Q(recipient_name=""), name="gift_has_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work} for {self.recipient}"

    @property
    def recipient(self) -> str:
        return self.pseud.byline if self.pseud_id and self.pseud else self.recipient_name


# -- version history and autosave ---------------------------------------------------


class ChapterRevision(models.Model):
    """A full snapshot of a chapter as it was saved: never a diff, so a restore is exact."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    endnotes = models.TextField(blank=True)
    text_format = models.CharField(max_length=10, default=TextFormat.HTML)
    source = models.TextField()
    # len(source): the list of revisions shows how much each one added or removed.
    size = models.PositiveIntegerField(default=0)
    word_count = models.PositiveIntegerField(default=0)
    # Set when this revision brought back an earlier one.
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["chapter", "created_at"], name="chapterrev_chapter_idx")]

    def __str__(self) -> str:
        return f"{self.chapter} at {self.created_at:%Y-%m-%d %H:%M}"


class WorkRevision(models.Model):
    """A full snapshot of a work's metadata (see `revision_services.work_snapshot`)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField(db_index=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField()
    size = models.PositiveIntegerField(default=0)
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["work", "created_at"], name="workrev_work_idx")]

    def __str__(self) -> str:
        return f"{self.work} at {self.created_at:%Y-%m-%d %H:%M}"


class Autosave(models.Model):
    """What a writer last typed into one posting or chapter form, before saving it.

    One row per user and form (`key`: "work:new", "work:<id>", "chapter:new:<work id>",
    "chapter:<id>"). It is never deleted by age. When the form is submitted
    successfully or the writer discards it, `data` is emptied and `version`
    still goes up, so a browser's older local copy knows it is stale.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="autosaves")
    key = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="autosave_unique")]

    def __str__(self) -> str:
        return f"autosave {self.key} of {self.user_id}"

    @property
    def has_data(self) -> bool:
        return bool(self.data)
