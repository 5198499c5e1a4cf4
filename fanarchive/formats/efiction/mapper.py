"""Writing an eFiction archive into Fanarchive, stage by stage, through the services.

Stages run in this order, each keyed by eFiction ids in `EfictionMapping`, so a
re-run finds what exists and adds only what is missing:

1. authors -> users (with a pseud named like the pen name when the user name had to
   differ), e-mail, bio and website as the profile text, the old MD5 password wrapped;
2. categories -> canonical fandoms, a parent category a metatag of its children;
   characters -> canonical character tags linked to their category's fandom;
3. stories -> works, one transaction each: chapters in order with notes and end notes,
   ratings and classes mapped, co-authors as co-creators, the old dates kept;
   unvalidated stories are drafts; hit counts are kept in the mapping record;
4. series -> series, nested series flattened into their parents (and kept themselves);
5. `engagement_stage`: reviews -> comments, favourites -> bookmarks and subscriptions,
   the stories' hit counts added to the works' hits.

The wrangling is done by the migrating admin (`user`), so it is in the wrangling log.
A dry run does all of it in one transaction that is rolled back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.hashers import MD5_HEX, wrap_md5_hex
from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.services import (
    ABOUT_MAX,
    RESERVED_USERNAMES,
    USERNAME_MAX,
    pseud_create,
    pseud_name_errors,
    user_create,
    user_legacy_password_set,
)
from fanarchive.core.text import html_to_text
from fanarchive.formats.decode import decode_text
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.engagement_stage import engagement_migrate
from fanarchive.formats.efiction.report import ALREADY, MAPPED, MIGRATED, Report
from fanarchive.formats.efiction.text import notes_html, story_html
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.models import EfictionMapping
from fanarchive.formats.parsed import archive_warning, rating_from
from fanarchive.tags.fixed import CHOSE_NOT_TO_WARN, NO_WARNINGS, NOT_RATED
from fanarchive.tags.models import FandomLink, MetaTagLink, Tag, TagType
from fanarchive.tags.services import (
    FORBIDDEN_TAG_CHARACTERS,
    TAG_NAME_MAX,
    normalise_tag_name,
    tag_add_metatag,
    tag_link_fandom,
    tag_set_canonical,
    tags_find_or_create,
    tags_recount,
)
from fanarchive.works import limits
from fanarchive.works.creator_services import creator_add_migrated
from fanarchive.works.models import Series, Work
from fanarchive.works.series_services import series_create, series_work_append_migrated
from fanarchive.works.services import (
    ChapterInput,
    WorkHistory,
    WorkInput,
    chapter_add,
    work_create,
)

Kind = EfictionMapping.Kind
Progress = Callable[[str, int], None]


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll back everything it wrote."""


@dataclass
class MigrationOptions:
    archive: str = "efiction"
    stories_dir: Path | None = None
    dry_run: bool = False
    # For stories in no (known) category: a work needs a fandom.
    default_fandom: str = "Uncategorised"


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


def clean_tag_name(name: str) -> str:
    """A category, character or class name as a tag: no commas and the like, not too long."""
    for char in FORBIDDEN_TAG_CHARACTERS:
        name = name.replace(char, " " if char == "," else "")
    return normalise_tag_name(name)[:TAG_NAME_MAX].strip()


_NOT_USERNAME = re.compile(r"[^A-Za-z0-9_]+")


def username_for(penname: str, uid: int) -> str:
    """A valid user name from a pen name: accents dropped, other characters as "_"."""
    ascii_name = unicodedata.normalize("NFKD", penname).encode("ascii", "ignore").decode()
    name = _NOT_USERNAME.sub("_", ascii_name).strip("_")
    name = re.sub(r"_+", "_", name)[:USERNAME_MAX].strip("_")
    if len(name) < 3:
        name = f"author{uid}"
    return name


class Migration:
    def __init__(
        self,
        *,
        user: User,
        archive: r.Archive,
        options: MigrationOptions,
        progress: Progress | None = None,
    ) -> None:
        self.user = user
        self.archive = archive
        self.options = options
        self.progress = progress or (lambda stage, n: None)
        self.report = Report(dry_run=options.dry_run)
        self.mapped: dict[tuple[str, int], EfictionMapping] = {}
        self.ratings: dict[int, str] = {}
        self.warning_classes: dict[int, str] = {}
        self.freeform_classes: dict[int, str] = {}
        self.category_names: dict[int, str] = {}
        self.character_names: dict[int, str] = {}
        self._users: dict[int, User | None] = {}
        self._pseuds: dict[int, Pseud | None] = {}
        self._wrapped: dict[int, str] = {}

    # -- the new objects by eFiction id (also for engagement_stage) --------------

    def _object_id(self, kind: str, efiction_id: int) -> int | None:
        found = self.mapped.get((kind, efiction_id))
        return found.object_id if found else None

    def user_for_author(self, uid: int) -> User | None:
        if uid not in self._users:
            object_id = self._object_id(Kind.AUTHOR, uid)
            user = User.objects.filter(pk=object_id).first() if object_id else None
            if user is None:
                return None
            self._users[uid] = user
        return self._users[uid]

    def pseud_for_author(self, uid: int) -> Pseud | None:
        if uid in self._pseuds:
            return self._pseuds[uid]
        found = self.mapped.get((Kind.AUTHOR, uid))
        if found is None:
            return None
        pseud_id = found.data.get("pseud_id")
        pseud = Pseud.objects.filter(pk=pseud_id).first() if pseud_id else None
        pseud = pseud or Pseud.objects.filter(user_id=found.object_id, is_default=True).first()
        if pseud is not None:
            self._pseuds[uid] = pseud
        return pseud

    def work_for_story(self, sid: int) -> Work | None:
        object_id = self._object_id(Kind.STORY, sid)
        return Work.objects.filter(pk=object_id).first() if object_id else None

    def series_for(self, seriesid: int) -> Series | None:
        object_id = self._object_id(Kind.SERIES, seriesid)
        return Series.objects.filter(pk=object_id).first() if object_id else None

    def _remember(
        self, kind: str, efiction_id: int, object_id: int, data: dict[str, object] | None = None
    ) -> None:
        mapping = EfictionMapping.objects.create(
            archive=self.options.archive,
            kind=kind,
            efiction_id=efiction_id,
            object_id=object_id,
            data=data or {},
        )
        self.mapped[(kind, efiction_id)] = mapping

    # -- the run ------------------------------------------------------------------

    def run(self) -> Report:
        archive = self.archive
        report = self.report
        for kind in (
            "authors",
            "categories",
            "characters",
            "classtypes",
            "classes",
            "ratings",
            "stories",
            "chapters",
            "series",
            "inseries",
            "reviews",
            "favorites",
            "coauthors",
        ):
            report.read[kind] = len(getattr(archive, kind))
        report.ignored_tables = dict(archive.ignored_tables)
        for kind, reason in archive.unreadable:
            report.read[kind] += 1
            report.skip(kind, "?", reason)
        if not self.options.dry_run:
            # Each author, story and series commits on its own: an interrupted run keeps
            # what it finished, and the next run adds the rest.
            self._run()
            return report
        try:
            with transaction.atomic():
                self._run()
                raise DryRunRollback
        except DryRunRollback:
            pass
        return report

    def _run(self) -> None:
        self.mapped = {
            (m.kind, m.efiction_id): m
            for m in EfictionMapping.objects.filter(archive=self.options.archive)
        }
        self._authors()
        self._categories()
        self._characters()
        self._classes()
        self._ratings()
        self._stories()
        self._series()
        engagement_migrate(self, self.report)
        tags_recount()

    # -- authors ------------------------------------------------------------------

    def _authors(self) -> None:
        # PBKDF2 is slow on purpose: every new account's hash is made up front, on all cores.
        waiting = [
            a
            for a in self.archive.authors.values()
            if (Kind.AUTHOR, a.uid) not in self.mapped and MD5_HEX.match(a.password)
        ]
        wrapped = wrap_md5_hex([a.password for a in waiting])
        self._wrapped = {a.uid: w for a, w in zip(waiting, wrapped, strict=True)}
        for author in sorted(self.archive.authors.values(), key=lambda a: a.uid):
            self.progress("authors", 1)
            if (Kind.AUTHOR, author.uid) in self.mapped:
                self.report.count("authors", ALREADY)
                continue
            if not author.penname:
                self.report.skip("authors", author.uid, "has no pen name.")
                continue
            try:
                with transaction.atomic():
                    self._author(author)
            except ValidationError as error:
                self.report.skip("authors", author.uid, _error_text(error))
            else:
                self.report.count("authors", MIGRATED)

    def _email_for(self, author: r.Author, username: str) -> str:
        email = author.email
        problem = ""
        try:
            validate_email(email)
        except ValidationError:
            problem = "has no valid e-mail address" if email else "has no e-mail address"
        else:
            if User.objects.filter(email__iexact=email).exists():
                problem = "shares an e-mail address with another account"
        if not problem:
            return email
        placeholder = f"{username.lower()}.{author.uid}@efiction-migration.invalid"
        self.report.decide(
            f"Author {author.uid} ({author.penname}) {problem}: the account gets "
            f"{placeholder}, which an admin can correct."
        )
        return placeholder

    def _author(self, author: r.Author) -> None:
        username = username_for(author.penname, author.uid)
        if (
            username.lower() in RESERVED_USERNAMES
            or User.objects.filter(username__iexact=username).exists()
        ):
            username = f"{username[: USERNAME_MAX - len(str(author.uid)) - 1]}_{author.uid}"
        if username != author.penname:
            self.report.decide(
                f'Author {author.uid}: pen name "{author.penname}" has the user name '
                f'"{username}"' + (" and keeps the pen name as a pseud." if username else ".")
            )
        user = user_create(
            username=username,
            email=self._email_for(author, username),
            password=None,
            check_password_strength=False,
        )
        if author.uid in self._wrapped:
            user_legacy_password_set(user=user, wrapped_hash=self._wrapped[author.uid])
        else:
            self.report.decide(
                f"Author {author.uid} ({author.penname}): the stored password is not an MD5 "
                "hash, so the account needs a password reset."
            )
        about = html_to_text(notes_html(author.bio)).strip() if author.bio.strip() else ""
        if author.website:
            about = f"{about}\n\nWebsite: {author.website}".strip()
        if len(about) > ABOUT_MAX:
            about = about[: ABOUT_MAX - 1].rstrip() + "…"
            self.report.decide(
                f"Author {author.uid}: the bio is longer than {ABOUT_MAX:,} characters and "
                "was shortened."
            )
        if about:
            from fanarchive.accounts.services import profile_update

            profile_update(user=user, owner=user, about=about)
        pseud = user.default_pseud
        penname = author.penname[:40].strip()
        if penname.lower() != username.lower():
            if pseud_name_errors(penname, user=user):
                self.report.decide(
                    f'Author {author.uid}: "{author.penname}" cannot be a pseud name here; '
                    f'their works show "{username}".'
                )
            else:
                pseud = pseud_create(user=user, owner=user, name=penname, make_default=True)
        self._remember(
            Kind.AUTHOR,
            author.uid,
            user.pk,
            {"pseud_id": pseud.pk, "joined": author.date.isoformat() if author.date else None},
        )

    # -- tags ---------------------------------------------------------------------

    def _canonical(self, tag_type: str, name: str) -> Tag:
        tag = tags_find_or_create(tag_type=tag_type, names=[name])[0]
        if tag.synonym_of_id:
            return Tag.objects.get(pk=tag.synonym_of_id)
        if not tag.canonical:
            tag_set_canonical(user=self.user, tag=tag, canonical=True)
        return tag

    def _depth(self, category: r.Category) -> int:
        depth, seen = 0, {category.catid}
        parent = self.archive.categories.get(category.parentcatid)
        while parent is not None and parent.catid not in seen:
            seen.add(parent.catid)
            depth += 1
            parent = self.archive.categories.get(parent.parentcatid)
        return depth

    def _categories(self) -> None:
        categories = sorted(
            self.archive.categories.values(), key=lambda c: (self._depth(c), c.catid)
        )
        tags: dict[int, Tag] = {}
        for category in categories:
            name = clean_tag_name(category.name)
            if not name:
                self.report.skip("categories", category.catid, "has no name.")
                continue
            if name != category.name:
                self.report.decide(f'Category "{category.name}" is the fandom "{name}".')
            self.category_names[category.catid] = name
            known = self._object_id(Kind.CATEGORY, category.catid)
            if known is not None:
                tag = Tag.objects.filter(pk=known).first()
                if tag is not None:
                    tags[category.catid] = tag
                    self.category_names[category.catid] = tag.name
                    self.report.count("categories", ALREADY)
                    continue
            tag = self._canonical(TagType.FANDOM, name)
            tags[category.catid] = tag
            self.category_names[category.catid] = tag.name
            parent = tags.get(category.parentcatid)
            if parent is not None and parent.pk != tag.pk:
                linked = MetaTagLink.objects.filter(meta=parent, sub=tag).exists()
                if not linked:
                    try:
                        tag_add_metatag(user=self.user, tag=tag, metatag=parent)
                    except ValidationError as error:
                        self.report.decide(
                            f'Category "{name}" is not under "{parent.name}": ' + _error_text(error)
                        )
                self.report.decide(
                    "Categories are canonical fandoms; a parent category is a metatag of "
                    "its subcategories."
                )
            elif category.parentcatid > 0 and category.parentcatid not in self.archive.categories:
                self.report.decide(
                    f'Category "{name}" names a parent ({category.parentcatid}) the archive '
                    "does not have: it is a top-level fandom."
                )
            if (Kind.CATEGORY, category.catid) in self.mapped:
                self.mapped[(Kind.CATEGORY, category.catid)].object_id = tag.pk
                self.mapped[(Kind.CATEGORY, category.catid)].save(update_fields=["object_id"])
            else:
                self._remember(Kind.CATEGORY, category.catid, tag.pk)
            self.report.count("categories", MIGRATED)

    def _characters(self) -> None:
        for character in sorted(self.archive.characters.values(), key=lambda c: c.charid):
            name = clean_tag_name(character.name)
            if not name:
                self.report.skip("characters", character.charid, "has no name.")
                continue
            self.character_names[character.charid] = name
            if (Kind.CHARACTER, character.charid) in self.mapped:
                self.report.count("characters", ALREADY)
                continue
            tag = self._canonical(TagType.CHARACTER, name)
            self.character_names[character.charid] = tag.name
            fandom_id = self._object_id(Kind.CATEGORY, character.catid)
            fandom = Tag.objects.filter(pk=fandom_id).first() if fandom_id else None
            if fandom is None:
                self.report.decide(
                    f'Character "{name}" belongs to no category of the archive: it is in no '
                    "fandom yet (wranglers can link it)."
                )
            elif not FandomLink.objects.filter(tag=tag, fandom=fandom).exists():
                tag_link_fandom(user=self.user, tag=tag, fandom=fandom)
            self._remember(Kind.CHARACTER, character.charid, tag.pk)
            self.report.count("characters", MIGRATED)

    def _classes(self) -> None:
        types = self.archive.classtypes
        for known in types.values():
            kind = "archive warnings where they match" if _is_warning_type(known) else None
            self.report.decide(
                f'Class type "{known.title or known.name}": ' + (kind or "additional tags") + "."
            )
            self.report.count("classtypes", MAPPED)
        for item in sorted(self.archive.classes.values(), key=lambda c: c.class_id):
            name = clean_tag_name(item.name)
            if not name:
                self.report.skip("classes", item.class_id, "has no name.")
                continue
            classtype = types.get(item.class_type)
            warning = None
            if classtype is not None and _is_warning_type(classtype):
                warning = archive_warning(name)
            if warning:
                self.warning_classes[item.class_id] = warning
                self.report.decide(f'Warning "{item.name}" is the archive warning "{warning}".')
            else:
                self.freeform_classes[item.class_id] = name
                label = classtype.title or classtype.name if classtype else "no class type"
                self.report.decide(f'Class "{item.name}" ({label}) is the additional tag "{name}".')
            self.report.count("classes", MAPPED)

    def _ratings(self) -> None:
        for rating in sorted(self.archive.ratings.values(), key=lambda x: x.rid):
            notices: list[str] = []
            mapped = rating_from(rating.name, notices)
            self.ratings[rating.rid] = mapped
            if notices:
                self.report.decide(f'Rating "{rating.name}" is unknown: rated "{NOT_RATED}".')
            else:
                self.report.decide(f'Rating "{rating.name}" is "{mapped}".')
            self.report.count("ratings", MAPPED)

    # -- stories ------------------------------------------------------------------

    def _chapter_text(self, chapter: r.Chapter, story: r.Story) -> str:
        if chapter.storytext.strip():
            return chapter.storytext
        folder = self.options.stories_dir
        if folder is None:
            raise ImportFailed(
                f"chapter {chapter.chapid}",
                "has no text in the database; give the stories folder (--stories).",
            )
        for uid in dict.fromkeys((chapter.uid, story.uid)):
            path = folder / str(uid) / f"{chapter.chapid}.txt"
            if path.is_file():
                return decode_text(path.read_bytes(), str(path))
        raise ImportFailed(
            f"chapter {chapter.chapid}",
            f"has no text in the database and no file {chapter.uid}/{chapter.chapid}.txt "
            "in the stories folder.",
        )

    def _story_chapters(
        self, story: r.Story
    ) -> tuple[list[tuple[r.Chapter, ChapterInput]], list[r.Chapter]]:
        usable: list[tuple[r.Chapter, ChapterInput]] = []
        unusable: list[r.Chapter] = []
        for chapter in self.archive.chapters_of(story.sid):
            try:
                text = story_html(self._chapter_text(chapter, story))
            except ImportFailed as error:
                self.report.skip("chapters", chapter.chapid, error.reason)
                unusable.append(chapter)
                continue
            if len(html_to_text(text).strip()) < limits.CHAPTER_TEXT_MIN:
                self.report.skip(
                    "chapters",
                    chapter.chapid,
                    f"its text is shorter than {limits.CHAPTER_TEXT_MIN} characters.",
                )
                unusable.append(chapter)
                continue
            usable.append(
                (
                    chapter,
                    ChapterInput(
                        text=text,
                        title=chapter.title if chapter.title != story.title else "",
                        notes=notes_html(chapter.notes),
                        endnotes=notes_html(chapter.endnotes),
                    ),
                )
            )
        return usable, unusable

    def _work_input(self, story: r.Story, pseud: Pseud) -> WorkInput:
        fandoms = [self.category_names[c] for c in story.catids if c in self.category_names]
        if not fandoms:
            fandoms = [self.options.default_fandom]
            self.report.decide(
                f'Stories in no known category are in the fandom "{self.options.default_fandom}".'
            )
        characters = [self.character_names[c] for c in story.charids if c in self.character_names]
        warnings: list[str] = []
        freeforms: list[str] = []
        for class_id in story.classids:
            if class_id in self.warning_classes:
                warning = self.warning_classes[class_id]
                if warning not in warnings:
                    warnings.append(warning)
            elif class_id in self.freeform_classes:
                freeforms.append(self.freeform_classes[class_id])
        if not warnings:
            warnings = [CHOSE_NOT_TO_WARN]
        elif len(warnings) > 1 and NO_WARNINGS in warnings:
            warnings.remove(NO_WARNINGS)
        rating = self.ratings.get(story.rid)
        if rating is None:
            rating = NOT_RATED
            self.report.decide(f'Stories with an unknown rating id are rated "{NOT_RATED}".')
        return WorkInput(
            title=story.title or f"Untitled story {story.sid}",
            rating=rating,
            warnings=warnings,
            fandoms=fandoms,
            characters=characters,
            freeforms=freeforms,
            summary=notes_html(story.summary),
            notes=notes_html(story.storynotes),
            expected_chapters=None,
            pseud_ids=[pseud.pk],
        )

    def _stories(self) -> None:
        chapters_of_story = {s: self.archive.chapters_of(s) for s in self.archive.stories}
        coauthors: dict[int, list[r.CoAuthor]] = {}
        for row in self.archive.coauthors:
            coauthors.setdefault(row.sid, []).append(row)
        for sid, rows in coauthors.items():
            if sid not in self.archive.stories:
                for row in rows:
                    self.report.skip("coauthors", f"{sid}/{row.uid}", f"story {sid} is unknown.")
        orphans = [c for c in self.archive.chapters.values() if c.sid not in self.archive.stories]
        for chapter in orphans:
            self.report.skip(
                "chapters", chapter.chapid, f"belongs to story {chapter.sid}, which is unknown."
            )
        for story in sorted(self.archive.stories.values(), key=lambda s: s.sid):
            self.progress("stories", 1)
            chapters = chapters_of_story[story.sid]
            story_coauthors = coauthors.get(story.sid, [])
            if (Kind.STORY, story.sid) in self.mapped:
                self.report.count("stories", ALREADY)
                self.report.count("chapters", ALREADY, len(chapters))
                self.report.count("coauthors", ALREADY, len(story_coauthors))
                continue
            self._story(story, chapters, story_coauthors)

    def _story(
        self, story: r.Story, chapters: list[r.Chapter], coauthors: list[r.CoAuthor]
    ) -> None:
        def skip_all(reason: str, counted: set[int]) -> None:
            self.report.skip("stories", story.sid, reason)
            for chapter in chapters:
                if chapter.chapid not in counted:
                    self.report.skip("chapters", chapter.chapid, f"story {story.sid} {reason}")
            for row in coauthors:
                self.report.skip("coauthors", f"{story.sid}/{row.uid}", "the story is skipped.")

        user = self.user_for_author(story.uid)
        pseud = self.pseud_for_author(story.uid)
        if user is None or pseud is None:
            skip_all(f"has an author ({story.uid}) that was not migrated.", set())
            return
        usable, unusable = self._story_chapters(story)
        skipped_ids = {c.chapid for c in unusable}
        if not usable:
            skip_all("has no chapter with text.", skipped_ids)
            return
        data = self._work_input(story, pseud)
        post = story.validated
        first = [ci for c, ci in usable if c.validated or not post]
        later = [(c, ci) for c, ci in usable if post and not c.validated]
        if not first:
            post = False
            first, later = [ci for _, ci in usable], []
        if story.completed:
            data.expected_chapters = len(usable)
        elif len(usable) == 1 and not later:
            data.expected_chapters = None
        try:
            with transaction.atomic():
                work = work_create(
                    user=user, data=data, chapters=first, post=post, history=self._history(story)
                )
                for _, chapter_input in later:
                    chapter_add(
                        user=user,
                        work=work,
                        data=chapter_input,
                        post=False,
                        expected_chapters=data.expected_chapters,
                    )
                added = self._coauthors(story, work, coauthors)
                ordered = [c for c, _ in usable if c.validated or not post] + [c for c, _ in later]
                chapter_ids = list(work.chapters.order_by("position").values_list("id", flat=True))
                self._remember(
                    Kind.STORY,
                    story.sid,
                    work.pk,
                    {"hits": story.hits, "wordcount": story.wordcount},
                )
                chapter_mappings = EfictionMapping.objects.bulk_create(
                    [
                        EfictionMapping(
                            archive=self.options.archive,
                            kind=Kind.CHAPTER,
                            efiction_id=chapter.chapid,
                            object_id=chapter_id,
                            data={"hits": chapter.hits} if chapter.hits else {},
                        )
                        for chapter, chapter_id in zip(ordered, chapter_ids, strict=True)
                    ]
                )
                for mapping in chapter_mappings:
                    self.mapped[(Kind.CHAPTER, mapping.efiction_id)] = mapping
        except ValidationError as error:
            skip_all(_error_text(error), skipped_ids)
            return
        if later:
            self.report.decide(
                "Chapters not yet validated on eFiction are draft chapters at the end of "
                "their (posted) work."
            )
        if not story.validated:
            self.report.decide("Stories not validated on eFiction are drafts.")
        self.report.count("stories", MIGRATED)
        self.report.count("chapters", MIGRATED, len(usable))
        self.report.count("coauthors", MIGRATED, added)

    def _coauthors(self, story: r.Story, work: Work, rows: list[r.CoAuthor]) -> int:
        added = 0
        for row in rows:
            key = f"{story.sid}/{row.uid}"
            if row.uid == story.uid:
                self.report.skip("coauthors", key, "is the story's own author.")
                continue
            pseud = self.pseud_for_author(row.uid)
            if pseud is None:
                self.report.skip("coauthors", key, f"author {row.uid} was not migrated.")
                continue
            creator_add_migrated(work=work, pseud=pseud)
            added += 1
        return added

    def _history(self, story: r.Story) -> WorkHistory | None:
        """The story's dates, made consistent (none in the future, no update before posting)."""
        now = timezone.now()
        posted = min(story.date, now) if story.date else None
        updated = min(story.updated, now) if story.updated else None
        posted = posted or updated
        if posted is None:
            return None
        return WorkHistory(first_posted_at=posted, revised_at=max(updated or posted, posted))

    # -- series -------------------------------------------------------------------

    def _series_parts(
        self, seriesid: int, entries: dict[int, list[r.InSeries]], seen: set[int]
    ) -> list[int]:
        """The story ids of a series in order, nested series' stories in their place."""
        sids: list[int] = []
        for entry in entries.get(seriesid, []):
            if entry.subseriesid:
                if entry.subseriesid in seen:
                    continue
                sids += self._series_parts(entry.subseriesid, entries, seen | {entry.subseriesid})
            elif entry.sid and entry.sid not in sids:
                sids.append(entry.sid)
        return sids

    def _series(self) -> None:
        entries: dict[int, list[r.InSeries]] = {}
        for entry in self.archive.inseries:
            entries.setdefault(entry.seriesid, []).append(entry)
        for rows in entries.values():
            rows.sort(key=lambda e: (e.inorder, e.sid, e.subseriesid))
        for seriesid, rows in entries.items():
            if seriesid not in self.archive.series:
                for entry in rows:
                    self.report.skip(
                        "inseries",
                        f"{seriesid}/{entry.sid or entry.subseriesid}",
                        f"series {seriesid} is unknown.",
                    )
        for series in sorted(self.archive.series.values(), key=lambda s: s.seriesid):
            self.progress("series", 1)
            rows = entries.get(series.seriesid, [])
            if (Kind.SERIES, series.seriesid) in self.mapped:
                self.report.count("series", ALREADY)
                self.report.count("inseries", ALREADY, len(rows))
                continue
            owner = self.user_for_author(series.uid)
            if owner is None:
                self.report.skip(
                    "series", series.seriesid, f"its owner ({series.uid}) was not migrated."
                )
                for entry in rows:
                    key = f"{series.seriesid}/{entry.sid or entry.subseriesid}"
                    self.report.skip("inseries", key, "the series is skipped.")
                continue
            try:
                with transaction.atomic():
                    self._one_series(series, owner, rows, entries)
            except ValidationError as error:
                self.report.skip("series", series.seriesid, _error_text(error))
                for entry in rows:
                    key = f"{series.seriesid}/{entry.sid or entry.subseriesid}"
                    self.report.skip("inseries", key, "the series is skipped.")

    def _one_series(
        self,
        series: r.Series,
        owner: User,
        rows: list[r.InSeries],
        entries: dict[int, list[r.InSeries]],
    ) -> None:
        new = series_create(
            user=owner,
            title=series.title or f"Untitled series {series.seriesid}",
            summary=notes_html(series.summary),
        )
        counted: list[tuple[str, str, str]] = []
        for entry in rows:
            key = f"{series.seriesid}/{entry.sid or entry.subseriesid}"
            if entry.subseriesid:
                nested = self.archive.series.get(entry.subseriesid)
                if nested is None:
                    counted.append((key, "skip", f"nested series {entry.subseriesid} is unknown."))
                    continue
                for sid in self._series_parts(
                    entry.subseriesid, entries, {series.seriesid, entry.subseriesid}
                ):
                    work = self.work_for_story(sid)
                    if work is not None:
                        series_work_append_migrated(series=new, work=work)
                self.report.decide(
                    f'Series "{nested.title}" is nested in "{series.title}": it stays a series, '
                    "and its works are also parts of the outer series, in its place."
                )
                counted.append((key, MAPPED, ""))
                continue
            work = self.work_for_story(entry.sid)
            if work is None:
                counted.append((key, "skip", f"story {entry.sid} was not migrated."))
                continue
            series_work_append_migrated(series=new, work=work)
            counted.append((key, MIGRATED, ""))
        self._remember(Kind.SERIES, series.seriesid, new.pk)
        self.report.count("series", MIGRATED)
        for key, status, reason in counted:
            if status == "skip":
                self.report.skip("inseries", key, reason)
            else:
                self.report.count("inseries", status)


def _is_warning_type(classtype: r.ClassType) -> bool:
    return "warning" in f"{classtype.name} {classtype.title}".lower()


def migrate(
    *,
    user: User,
    archive: r.Archive,
    options: MigrationOptions,
    progress: Progress | None = None,
) -> Report:
    """Migrate `archive`; `user` (an admin) does the tag wrangling. Returns the report."""
    return Migration(user=user, archive=archive, options=options, progress=progress).run()
