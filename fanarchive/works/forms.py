"""Forms parse what the browser sent; the services decide whether it is allowed.

Fields are mostly optional here on purpose: the services give the messages for
missing or unknown values, so the site, the CLI and the API say the same thing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import TextFormat
from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS
from fanarchive.works import events
from fanarchive.works.chapter_versions import chapter_version
from fanarchive.works.inputs import (
    CONTENT_FIELDS,
    FREE_TAG_FIELDS,
    SETTING_FIELDS,
    ChapterInput,
    WorkInput,
    work_input_of,
)
from fanarchive.works.languages import LANGUAGES
from fanarchive.works.models import Chapter, CommentPolicy, Series, SeriesWork, Work
from fanarchive.works.selectors import shown_gifts
from fanarchive.works.series_selectors import series_of_user

TEXT_FORMAT_CHOICES = [(f.value, f.label) for f in TextFormat]


class AnyChoicesField(forms.MultipleChoiceField):
    """Checkboxes whose values the service checks, so an unknown one gets its message."""

    def valid_value(self, value: Any) -> bool:
        return True


def split_tags(value: str) -> list[str]:
    return [name.strip() for name in value.split(",") if name.strip()]


def parse_expected_chapters(value: str) -> int | None:
    value = value.strip()
    if value in {"", "?"}:
        return None
    try:
        return int(value)
    except ValueError:
        raise forms.ValidationError(
            _("Enter the number of chapters you expect, or ? if you do not know yet.")
        ) from None


class ChapterFieldsMixin(forms.Form):
    text_format = forms.ChoiceField(
        label=gettext_lazy("Text format"), choices=TEXT_FORMAT_CHOICES, initial=TextFormat.HTML
    )
    text = forms.CharField(
        label=gettext_lazy("Work text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"class": "work-text", "rows": 20}),
        help_text=gettext_lazy(
            "Leave a blank line between paragraphs. A line of *** or ★ is a scene break."
        ),
    )


class WorkForm(forms.Form):
    """A work's metadata; with `include_chapter` also its first chapter (new works)."""

    pseuds = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Creator/Pseud(s)"),
        queryset=Pseud.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rating = forms.CharField(
        label=gettext_lazy("Rating"),
        required=False,
        widget=forms.Select(
            choices=[("", gettext_lazy("Choose a rating")), *((r, r) for r in RATINGS)]
        ),
    )
    warnings = AnyChoicesField(
        label=gettext_lazy("Archive Warnings"),
        required=False,
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = AnyChoicesField(
        label=gettext_lazy("Categories"),
        required=False,
        choices=[(c, c) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
    )
    fandoms = forms.CharField(
        label=gettext_lazy("Fandoms"),
        required=False,
        help_text=gettext_lazy("Separate tags with commas."),
        widget=forms.TextInput(attrs={"data-autocomplete-type": "fandom"}),
    )
    relationships = forms.CharField(
        label=gettext_lazy("Relationships"),
        required=False,
        help_text=gettext_lazy('"A/B" for a romantic relationship, "A & B" for a platonic one.'),
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-type": "relationship",
                "data-autocomplete-fandoms-from": "id_fandoms",
            }
        ),
    )
    main_relationships = forms.CharField(
        label=gettext_lazy("Main relationship(s)"),
        required=False,
        help_text=(
            gettext_lazy(
                "Which of the relationships above the work is mainly about, separated by commas. "
                "Leave it blank and the first relationship is the main one."
            )
        ),
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-type": "relationship",
                "data-autocomplete-fandoms-from": "id_fandoms",
            }
        ),
    )
    characters = forms.CharField(
        label=gettext_lazy("Characters"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "data-autocomplete-type": "character",
                "data-autocomplete-fandoms-from": "id_fandoms",
            }
        ),
    )
    freeforms = forms.CharField(
        label=gettext_lazy("Additional Tags"),
        required=False,
        widget=forms.TextInput(attrs={"data-autocomplete-type": "freeform"}),
    )
    title = forms.CharField(label=gettext_lazy("Work Title"), required=False, strip=False)
    summary = forms.CharField(label=gettext_lazy("Summary"), required=False, widget=forms.Textarea)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, widget=forms.Textarea)
    endnotes = forms.CharField(
        label=gettext_lazy("End Notes"), required=False, widget=forms.Textarea
    )
    language = forms.CharField(
        label=gettext_lazy("Language"),
        initial="en",
        widget=forms.Select(choices=LANGUAGES),
        required=False,
    )
    restricted = forms.BooleanField(
        label=gettext_lazy("Only show your work to registered users"), required=False
    )
    comment_policy = forms.ChoiceField(
        label=gettext_lazy("Who can comment on this work"),
        choices=CommentPolicy.choices,
        initial=CommentPolicy.REGISTERED,
        required=False,
    )
    moderated_comments = forms.BooleanField(
        label=gettext_lazy("Enable comment moderation (new comments wait for your approval)"),
        required=False,
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Post anonymously"),
        required=False,
        help_text=(
            gettext_lazy(
                'Others see "Anonymous" as the creator, and the work is not listed on your '
                "profile; you still see and edit it, and the archive's moderators can see who "
                "wrote it."
            )
        ),
    )
    expected_chapters = forms.CharField(
        label=gettext_lazy("Expected number of chapters"),
        required=False,
        initial="1",
        help_text=gettext_lazy(
            "Use ? if you do not know yet. The work is complete when this many are posted."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    gifts = forms.CharField(
        label=gettext_lazy("Gift this work to"),
        required=False,
        help_text=(
            gettext_lazy(
                'Pseuds on this archive ("name", or "name (user name)" when several writers share '
                "it), or the names of people without an account. Separate them with commas."
            )
        ),
    )

    collections = forms.CharField(
        label=gettext_lazy("Post to collections"),
        required=False,
        max_length=2000,
        help_text=(
            gettext_lazy(
                "The names of the collections or challenges to post this work to (as in the "
                "collection's address), separated by commas. Leave one out to take the work out "
                "of it."
            )
        ),
    )

    def __init__(self, *args: Any, user: User, include_chapter: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pseuds = Pseud.objects.filter(user=user)
        pseud_field = self.fields["pseuds"]
        if isinstance(pseud_field, forms.ModelMultipleChoiceField):
            pseud_field.queryset = pseuds
        if not self.is_bound and not self.initial.get("pseuds"):
            self.initial["pseuds"] = [p.pk for p in pseuds if p.is_default]
        self.include_chapter = include_chapter
        if include_chapter:
            self.fields["chapter_title"] = forms.CharField(
                label=_("Chapter title"), required=False, help_text=_("Optional.")
            )
            self.fields.update(ChapterFieldsMixin().fields)

    GROUPS = (
        (
            gettext_lazy("Tags"),
            (
                "rating",
                "warnings",
                "categories",
                "fandoms",
                "relationships",
                "main_relationships",
                "characters",
                "freeforms",
            ),
        ),
        (gettext_lazy("Preface"), ("pseuds", "title", "summary", "notes", "endnotes")),
        (
            gettext_lazy("Associations and privacy"),
            (
                "collections",
                "gifts",
                "language",
                "expected_chapters",
                "restricted",
                "anonymous",
                "comment_policy",
                "moderated_comments",
            ),
        ),
        (gettext_lazy("Work text"), ("chapter_title", "text_format", "text")),
    )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in fieldsets, as AO3's posting form lays them out."""
        return [
            (str(legend), [self[name] for name in names if name in self.fields])
            for legend, names in self.GROUPS
            if any(name in self.fields for name in names)
        ]

    def clean_expected_chapters(self) -> int | None:
        return parse_expected_chapters(self.cleaned_data.get("expected_chapters") or "")

    def work_input(self) -> WorkInput:
        """The form's values as the posting service's input (`works.inputs`)."""
        data = self.cleaned_data
        values = {name: data[name] for name in (*CONTENT_FIELDS, *SETTING_FIELDS)}
        values.update({name: split_tags(data[name]) for name in FREE_TAG_FIELDS.values()})
        values.update(
            rating=data["rating"] or "",
            warnings=list(data["warnings"]),
            categories=list(data["categories"]),
            title=data["title"] or "",
            language=data["language"] or "en",
            comment_policy=data["comment_policy"] or CommentPolicy.REGISTERED,
            pseud_ids=[p.pk for p in data["pseuds"]],
            gifts=split_tags(data["gifts"]),
            collections=split_tags(data["collections"]),
            main_relationships=split_tags(data["main_relationships"]),
        )
        return WorkInput(**values)

    def chapter_input(self) -> ChapterInput:
        data = self.cleaned_data
        return ChapterInput(
            title=data.get("chapter_title", ""),
            text=data.get("text", ""),
            text_format=data.get("text_format", TextFormat.HTML),
        )

    @staticmethod
    def initial_for(work: Work) -> dict[str, Any]:
        """The work as the form shows it: tag lists and gifts as comma-separated names."""
        initial: dict[str, Any] = dataclasses.asdict(work_input_of(work))
        for name in (*FREE_TAG_FIELDS.values(), "main_relationships"):
            initial[name] = ", ".join(initial[name])
        expected = work.expected_chapters
        initial.update(
            pseuds=[c.pseud_id for c in work.creatorships.all()],
            expected_chapters="?" if expected is None else str(expected),
            gifts=", ".join(gift.recipient for gift in shown_gifts(work)),
            collections=", ".join(events.collections_of(work=work)),
        )
        del initial["pseud_ids"]
        return initial


class ChapterForm(ChapterFieldsMixin):
    title = forms.CharField(label=gettext_lazy("Chapter title"), required=False)
    summary = forms.CharField(
        label=gettext_lazy("Chapter summary"), required=False, widget=forms.Textarea
    )
    notes = forms.CharField(
        label=gettext_lazy("Chapter notes"), required=False, widget=forms.Textarea
    )
    endnotes = forms.CharField(
        label=gettext_lazy("Chapter end notes"), required=False, widget=forms.Textarea
    )
    expected_chapters = forms.CharField(
        label=gettext_lazy("Expected number of chapters in the work"),
        required=False,
        help_text=gettext_lazy("Use ? if you do not know yet."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )

    # Editing: the version of the chapter the form started from (`chapter_version`), so a
    # save on top of someone else's newer one is caught rather than replacing it.
    base_version = forms.CharField(required=False, widget=forms.HiddenInput)

    field_order = ["title", "summary", "notes", "text_format", "text", "endnotes"]

    def __init__(
        self, *args: Any, with_expected: bool = True, with_base: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not with_expected:
            del self.fields["expected_chapters"]
        if not with_base:
            del self.fields["base_version"]

    def clean_expected_chapters(self) -> int | None:
        return parse_expected_chapters(self.cleaned_data.get("expected_chapters") or "")

    def chapter_input(self) -> ChapterInput:
        data = self.cleaned_data
        return ChapterInput(
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            endnotes=data["endnotes"],
            text=data["text"],
            text_format=data["text_format"],
        )

    @staticmethod
    def initial_for(chapter: Chapter) -> dict[str, Any]:
        return {
            "title": chapter.title,
            "summary": chapter.summary,
            "notes": chapter.notes,
            "endnotes": chapter.endnotes,
            "text": chapter.source,
            "text_format": chapter.text_format,
            "base_version": chapter_version(chapter),
        }


class ReorderForm(forms.Form):
    """One position box per chapter; the chapters are sorted by the numbers given."""

    def __init__(self, *args: Any, chapters: list[Chapter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        for chapter in chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                label=chapter.heading, initial=chapter.position, min_value=1
            )

    def ordered_ids(self) -> list[int]:
        positions = {c.pk: self.cleaned_data[f"position_{c.pk}"] for c in self.chapters}
        return sorted(positions, key=lambda pk: (positions[pk], pk))


# -- writers' tools -----------------------------------------------------------------


class InviteForm(forms.Form):
    pseud = forms.CharField(
        label=gettext_lazy("Invite a co-creator"),
        required=False,
        help_text=gettext_lazy(
            'Their pseud, or "pseud (user name)" when several writers share it.'
        ),
    )


class OrphanForm(forms.Form):
    keep_pseud = forms.TypedChoiceField(
        label=gettext_lazy("Your name on the orphaned work"),
        choices=[
            (
                "yes",
                gettext_lazy('Keep my pseud\'s name on it (it will read "name (orphan_account)")'),
            ),
            ("no", gettext_lazy('Take my name off it (it will read "orphan_account")')),
        ],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
    )


class SeriesForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Series title"), required=False)
    summary = forms.CharField(
        label=gettext_lazy("Series summary"), required=False, widget=forms.Textarea
    )
    notes = forms.CharField(
        label=gettext_lazy("Series notes"), required=False, widget=forms.Textarea
    )
    complete = forms.BooleanField(label=gettext_lazy("This series is complete"), required=False)

    @staticmethod
    def initial_for(series: Series) -> dict[str, Any]:
        return {
            "title": series.title,
            "summary": series.summary,
            "notes": series.notes,
            "complete": series.complete,
        }


class SeriesAddForm(forms.Form):
    series = forms.ModelChoiceField(
        label=gettext_lazy("One of your series"),
        queryset=Series.objects.none(),
        required=False,
        empty_label=gettext_lazy("(a new series)"),
    )
    new_title = forms.CharField(
        label=gettext_lazy("Or the title of a new series"),
        required=False,
        help_text=gettext_lazy("Used when no series is chosen."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["series"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = series_of_user(user)


class SeriesReorderForm(forms.Form):
    """One position box per work of the series."""

    def __init__(self, *args: Any, entries: list[SeriesWork], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"position_{entry.work_id}"] = forms.IntegerField(
                label=entry.work.title, initial=entry.position, min_value=1
            )

    def ordered_ids(self) -> list[int]:
        positions = {e.work_id: self.cleaned_data[f"position_{e.work_id}"] for e in self.entries}
        return sorted(positions, key=lambda pk: (positions[pk], pk))
