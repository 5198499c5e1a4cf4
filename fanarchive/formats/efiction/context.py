"""The state one eFiction migration shares between its stages.

Every stage (`stages/`) is a function of a `MigrationContext`: the migrating admin, the
archive as read, the options, the report the stages fill and the progress callback.
It also holds this archive's `EfictionMapping` rows, loaded once at the start and kept
up to date as the stages make objects, so a stage finds what an earlier stage (or an
earlier run) made without asking the database row by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fanarchive.accounts.models import Pseud, User
from fanarchive.formats.efiction import records as r
from fanarchive.formats.efiction.report import Report
from fanarchive.formats.models import EfictionMapping
from fanarchive.works.models import Series, Work

Kind = EfictionMapping.Kind
# Called with a stage's name and how many rows it has just handled (the progress bar).
Progress = Callable[[str, int], None]


@dataclass
class MigrationOptions:
    # The old archive's name in `EfictionMapping`, so several can be migrated into one.
    archive: str = "efiction"
    stories_dir: Path | None = None
    dry_run: bool = False
    # For stories in no (known) category: a work needs a fandom.
    default_fandom: str = "Uncategorised"
    # eFiction pen names whose accounts become staff (`--admins`).
    admins: tuple[str, ...] = ()


@dataclass
class MigrationContext:
    user: User
    archive: r.Archive
    options: MigrationOptions
    report: Report
    progress: Progress
    # (kind, eFiction id) -> what it became: this archive's mappings, all of them.
    mapped: dict[tuple[str, int], EfictionMapping] = field(default_factory=dict)
    # Each author's join date, or when unknown the first thing they did (authors stage).
    joined: dict[int, dt.datetime] = field(default_factory=dict)
    _users: dict[int, User] = field(default_factory=dict, repr=False)
    _pseuds: dict[int, Pseud] = field(default_factory=dict, repr=False)

    def load_mappings(self) -> None:
        self.mapped = {
            (m.kind, m.efiction_id): m
            for m in EfictionMapping.objects.filter(archive=self.options.archive)
        }

    def object_id(self, kind: str, efiction_id: int) -> int | None:
        found = self.mapped.get((kind, efiction_id))
        return found.object_id if found else None

    def remember(
        self, kind: str, efiction_id: int, object_id: int, data: dict[str, object] | None = None
    ) -> None:
        """Record what an eFiction row became (in the database and in `mapped`)."""
        mapping = EfictionMapping.objects.create(
            archive=self.options.archive,
            kind=kind,
            efiction_id=efiction_id,
            object_id=object_id,
            data=data or {},
        )
        self.mapped[(kind, efiction_id)] = mapping

    # -- the new objects by eFiction id ------------------------------------------------

    def user_for_author(self, uid: int) -> User | None:
        if uid not in self._users:
            object_id = self.object_id(Kind.AUTHOR, uid)
            user = User.objects.filter(pk=object_id).first() if object_id else None
            if user is None:
                return None
            self._users[uid] = user
        return self._users[uid]

    def pseud_for_author(self, uid: int) -> Pseud | None:
        """The pseud named like the author's pen name, else the user's default pseud."""
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
        object_id = self.object_id(Kind.STORY, sid)
        return Work.objects.filter(pk=object_id).first() if object_id else None

    def series_for(self, seriesid: int) -> Series | None:
        object_id = self.object_id(Kind.SERIES, seriesid)
        return Series.objects.filter(pk=object_id).first() if object_id else None
