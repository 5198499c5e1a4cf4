"""eFiction-shaped archives made up from scratch: the schema, SQL writing, a generator.

Used by the tests (a small archive written row by row) and by `bench/efiction.py`
(thousands of stories). The tables follow eFiction 3.x as summarised in the shared
REFERENCE; `unix_dates=True` gives the integer dates of some later forks. All text is
generated and safe for work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

Value = str | bytes | int | None

_SCHEMA = """
CREATE TABLE `{p}authors` (
  `uid` int(11) NOT NULL auto_increment,
  `penname` varchar(200) NOT NULL default '',
  `realname` varchar(200) NOT NULL default '',
  `email` varchar(200) NOT NULL default '',
  `website` varchar(200) NOT NULL default '',
  `bio` text,
  `image` varchar(200) NOT NULL default '',
  `date` {date},
  `admincreated` int(11) NOT NULL default '0',
  `password` varchar(40) NOT NULL default '0',
  PRIMARY KEY (`uid`),
  KEY `penname` (`penname`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}authorprefs` (
  `uid` int(11) NOT NULL default '0',
  `newreviews` tinyint(1) NOT NULL default '0',
  `newrespond` tinyint(1) NOT NULL default '0',
  `ageconsent` tinyint(1) NOT NULL default '0',
  `alertson` tinyint(1) NOT NULL default '0',
  `tinyMCE` tinyint(1) NOT NULL default '0',
  `sortby` tinyint(1) NOT NULL default '0',
  `storyindex` tinyint(1) NOT NULL default '0',
  `validated` tinyint(1) NOT NULL default '0',
  `userskin` varchar(60) NOT NULL default 'default',
  `level` tinyint(1) NOT NULL default '0',
  `categories` varchar(200) NOT NULL default '0',
  `contact` tinyint(1) NOT NULL default '0',
  `stories` int(11) NOT NULL default '0',
  PRIMARY KEY (`uid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}categories` (
  `catid` int(11) NOT NULL auto_increment,
  `parentcatid` int(11) NOT NULL default '-1',
  `category` varchar(60) NOT NULL default '',
  `description` text,
  `image` varchar(100) NOT NULL default '',
  `locked` char(1) NOT NULL default '0',
  `leveldown` tinyint(4) NOT NULL default '0',
  `displayorder` int(11) NOT NULL default '0',
  `numitems` int(11) NOT NULL default '0',
  PRIMARY KEY (`catid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}characters` (
  `charid` int(11) NOT NULL auto_increment,
  `catid` int(11) NOT NULL default '0',
  `charname` varchar(60) NOT NULL default '',
  `bio` text,
  `image` varchar(200) NOT NULL default '',
  PRIMARY KEY (`charid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}classtypes` (
  `classtype_id` int(11) NOT NULL auto_increment,
  `classtype_name` varchar(50) NOT NULL default '',
  `classtype_title` varchar(50) NOT NULL default '',
  PRIMARY KEY (`classtype_id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}classes` (
  `class_id` int(11) NOT NULL auto_increment,
  `class_type` int(11) NOT NULL default '0',
  `class_name` varchar(100) NOT NULL default '',
  PRIMARY KEY (`class_id`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}ratings` (
  `rid` int(11) NOT NULL auto_increment,
  `rating` varchar(60) NOT NULL default '',
  `ratingwarning` char(1) NOT NULL default '0',
  `warningtext` text,
  PRIMARY KEY (`rid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}stories` (
  `sid` int(11) NOT NULL auto_increment,
  `title` varchar(200) NOT NULL default '',
  `summary` text,
  `storynotes` text,
  `catid` varchar(100) NOT NULL default '0',
  `classes` varchar(200) default NULL,
  `charid` varchar(250) NOT NULL default '0',
  `rid` varchar(25) NOT NULL default '0',
  `date` {date},
  `updated` {date},
  `uid` int(11) NOT NULL default '0',
  `coauthors` varchar(200) default NULL,
  `featured` char(1) NOT NULL default '0',
  `validated` char(1) NOT NULL default '0',
  `completed` char(1) NOT NULL default '0',
  `rr` char(1) NOT NULL default '0',
  `wordcount` int(11) NOT NULL default '0',
  `rating` tinyint(4) NOT NULL default '0',
  `reviews` smallint(6) NOT NULL default '0',
  `count` int(11) NOT NULL default '0',
  `challenges` varchar(200) NOT NULL default '0',
  PRIMARY KEY (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}chapters` (
  `chapid` int(11) NOT NULL auto_increment,
  `title` varchar(250) NOT NULL default '',
  `inorder` int(11) NOT NULL default '0',
  `notes` text,
  `storytext` mediumtext,
  `endnotes` text,
  `validated` char(1) NOT NULL default '0',
  `wordcount` int(11) NOT NULL default '0',
  `rating` tinyint(4) NOT NULL default '0',
  `reviews` smallint(6) NOT NULL default '0',
  `sid` int(11) NOT NULL default '0',
  `uid` int(11) NOT NULL default '0',
  `count` int(11) NOT NULL default '0',
  PRIMARY KEY (`chapid`),
  KEY `sid` (`sid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}series` (
  `seriesid` int(11) NOT NULL auto_increment,
  `title` varchar(200) NOT NULL default '',
  `summary` text,
  `uid` int(11) NOT NULL default '0',
  `isopen` tinyint(4) NOT NULL default '0',
  `catid` varchar(200) NOT NULL default '0',
  `classes` varchar(200) default NULL,
  `characters` varchar(250) NOT NULL default '',
  `rating` tinyint(4) NOT NULL default '0',
  `reviews` smallint(6) NOT NULL default '0',
  `challenges` varchar(200) default NULL,
  PRIMARY KEY (`seriesid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}inseries` (
  `seriesid` int(11) NOT NULL default '0',
  `sid` int(11) NOT NULL default '0',
  `subseriesid` int(11) NOT NULL default '0',
  `confirmed` int(11) NOT NULL default '0',
  `inorder` int(11) NOT NULL default '0',
  `updated` int(11) NOT NULL default '0'
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}reviews` (
  `reviewid` int(11) NOT NULL auto_increment,
  `item` int(11) NOT NULL default '0',
  `type` varchar(2) NOT NULL default 'ST',
  `reviewer` varchar(60) NOT NULL default '0',
  `review` text,
  `rating` int(11) NOT NULL default '0',
  `date` {date},
  `uid` int(11) NOT NULL default '0',
  `chapid` int(11) NOT NULL default '0',
  `respond` char(1) NOT NULL default '0',
  PRIMARY KEY (`reviewid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}favorites` (
  `uid` int(11) NOT NULL default '0',
  `item` int(11) NOT NULL default '0',
  `type` char(2) NOT NULL default '',
  `comments` text
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}coauthors` (
  `sid` int(11) NOT NULL default '0',
  `uid` int(11) NOT NULL default '0'
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
CREATE TABLE `{p}settings` (
  `sitekey` varchar(50) NOT NULL default '1',
  `sitename` varchar(200) NOT NULL default '',
  `storiespath` varchar(200) NOT NULL default 'stories',
  `store` varchar(5) NOT NULL default 'files',
  `ratings` tinyint(1) NOT NULL default '0'
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
"""


def schema_sql(*, prefix: str = "fanfiction_", unix_dates: bool = False) -> str:
    date = "int(11) NOT NULL default '0'" if unix_dates else "datetime default NULL"
    return _SCHEMA.format(p=prefix, date=date).strip() + "\n"


def quote(value: Value) -> bytes:
    """A value as MySQL writes it in a dump; str is written as UTF-8, bytes as they are."""
    if value is None:
        return b"NULL"
    if isinstance(value, int):
        return str(value).encode()
    raw = value.encode("utf-8") if isinstance(value, str) else value
    raw = (
        raw.replace(b"\\", b"\\\\")
        .replace(b"'", b"\\'")
        .replace(b"\n", b"\\n")
        .replace(b"\r", b"\\r")
        .replace(b"\x00", b"\\0")
        .replace(b"\x1a", b"\\Z")
    )
    return b"'" + raw + b"'"


def insert_sql(table: str, rows: Sequence[Sequence[Value]]) -> bytes:
    """One extended INSERT, as mysqldump writes it."""
    values = b",".join(b"(" + b",".join(quote(v) for v in row) + b")" for row in rows)
    return b"INSERT INTO `" + table.encode() + b"` VALUES " + values + b";\n"


def date_value(moment: dt.datetime, *, unix_dates: bool) -> Value:
    if unix_dates:
        return int(moment.replace(tzinfo=dt.UTC).timestamp())
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def md5_hex(password: str) -> str:
    return hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()


# -- the generator --------------------------------------------------------------------

_NAMES = (
    "Mira",
    "Tomas",
    "Ines",
    "Kofi",
    "Lena",
    "Arjun",
    "Sofia",
    "Piet",
    "Yara",
    "Oskar",
    "Noor",
    "Emil",
)
_PLACES = ("the harbour", "the lighthouse", "the market", "the old bridge", "the orchard")
_THINGS = ("a lantern", "a map", "a letter", "a compass", "a basket of pears", "a kite")
_SENTENCES = (
    "{a} walked to {place} with {thing} under one arm.",
    "The wind came off the water and {a} pulled the coat closer.",
    '"Did you see the boats?" {a} asked. "{b} said there would be eight."',
    "{b} laughed and pointed at the clouds over {place}.",
    "Nobody had opened {thing} in years, and {a} was not sure it still worked.",
    "They sat on the steps of {place} until the lamps came on.",
    '"Tomorrow," {b} said, "we try again."',
    "It had rained all morning, and the streets of the town smelled of bread.",
)


@dataclass
class Generated:
    dump: Path
    stories_dir: Path | None
    authors: int
    stories: int
    chapters: int


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        a, b = rng.sample(_NAMES, 2)
        sentences = [
            rng.choice(_SENTENCES).format(
                a=a, b=b, place=rng.choice(_PLACES), thing=rng.choice(_THINGS)
            )
            for _ in range(rng.randint(3, 6))
        ]
        out.append(" ".join(sentences))
    return out


def generate(
    folder: Path,
    *,
    stories: int,
    chapters: int,
    authors: int | None = None,
    seed: int = 1,
    prefix: str = "fanfiction_",
    unix_dates: bool = False,
    files_share: float = 0.3,
    paragraphs: int = 12,
) -> Generated:
    """Write `folder/efiction.sql` (and `folder/stories/`) for an archive of that size.

    Every story has at least one chapter; the rest of the chapters are spread at
    random. A share of chapters keeps its text in the stories folder; plain text with
    line breaks only and `<br><br>` HTML are both used, as eFiction writers did.
    """
    rng = random.Random(seed)  # noqa: S311 (made-up content, not secrets)
    folder.mkdir(parents=True, exist_ok=True)
    stories_dir = folder / "stories"
    authors = authors or max(2, stories // 10)
    chapters = max(chapters, stories)
    start = dt.datetime(2006, 1, 1)  # noqa: DTZ001 (eFiction stored local times)
    path = folder / "efiction.sql"

    def when(days: float) -> Value:
        return date_value(start + dt.timedelta(days=days), unix_dates=unix_dates)

    with path.open("wb") as out:
        out.write(b"-- eFiction 3.5 dump (generated)\n/*!40101 SET NAMES latin1 */;\n")
        out.write(schema_sql(prefix=prefix, unix_dates=unix_dates).encode())
        out.write(
            insert_sql(
                f"{prefix}authors",
                [
                    (
                        uid,
                        f"Writer {uid}",
                        "",
                        f"writer{uid}@example.org",
                        f"https://example.org/~writer{uid}" if uid % 3 == 0 else "",
                        f"I write about {_PLACES[uid % len(_PLACES)]}.",
                        "",
                        when(uid % 300),
                        0,
                        md5_hex(f"password-{uid}"),
                    )
                    for uid in range(1, authors + 1)
                ],
            )
        )
        fandoms = ["Harbour Tales", "Skyward Lanterns", "The Orchard Years", "Tidewater"]
        categories: list[tuple[Value, ...]] = []
        for index, name in enumerate(fandoms, start=1):
            categories.append((index, -1, name, "", "", "0", 0, index, 0))
        sub = len(fandoms)
        for index, name in enumerate(fandoms, start=1):
            for part in ("Early Days", "Later Years"):
                sub += 1
                categories.append((sub, index, f"{name}: {part}", "", "", "0", 1, sub, 0))
        out.write(insert_sql(f"{prefix}categories", categories))
        leaf_ids = list(range(len(fandoms) + 1, sub + 1))
        characters = [
            (cid, leaf_ids[(cid - 1) % len(leaf_ids)], f"{_NAMES[(cid - 1) % 12]} {cid}", "", "")
            for cid in range(1, 41)
        ]
        out.write(insert_sql(f"{prefix}characters", characters))
        out.write(
            insert_sql(
                f"{prefix}classtypes", [(1, "genres", "Genres"), (2, "warnings", "Warnings")]
            )
        )
        classes = [
            (1, 1, "Adventure"),
            (2, 1, "Humour"),
            (3, 1, "Hurt/Comfort"),
            (4, 2, "None"),
            (5, 2, "Violence"),
            (6, 2, "Spoilers"),
        ]
        out.write(insert_sql(f"{prefix}classes", classes))
        ratings = [(1, "G", "0", ""), (2, "PG-13", "0", ""), (3, "R", "1", ""), (4, "X", "1", "")]
        out.write(insert_sql(f"{prefix}ratings", ratings))

        per_story = [1] * stories
        for _ in range(chapters - stories):
            per_story[rng.randrange(stories)] += 1
        story_rows: list[tuple[Value, ...]] = []
        chapter_rows: list[tuple[Value, ...]] = []
        chapid = 0
        written = 0

        def flush(force: bool = False) -> None:
            nonlocal story_rows, chapter_rows
            if story_rows and (force or len(story_rows) >= 200):
                out.write(insert_sql(f"{prefix}stories", story_rows))
                story_rows = []
            if chapter_rows and (force or len(chapter_rows) >= 50):
                out.write(insert_sql(f"{prefix}chapters", chapter_rows))
                chapter_rows = []

        for sid in range(1, stories + 1):
            uid = rng.randint(1, authors)
            posted = rng.uniform(0, 3000)
            cat = rng.choice(leaf_ids)
            chars = ",".join(str(c) for c in rng.sample(range(1, 41), 2))
            klass = ",".join(str(c) for c in rng.sample(range(1, 7), 2))
            for inorder in range(1, per_story[sid - 1] + 1):
                chapid += 1
                paras = _paragraphs(rng, paragraphs)
                text = "\n".join(paras) if chapid % 2 else "<br><br>".join(paras)
                words = sum(len(p.split()) for p in paras)
                written += words
                in_file = rng.random() < files_share
                if in_file:
                    target = stories_dir / str(uid) / f"{chapid}.txt"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
                chapter_rows.append(
                    (
                        chapid,
                        f"Part {inorder}",
                        inorder,
                        "Thanks for reading." if inorder == 1 else "",
                        "" if in_file else text,
                        "",
                        "1",
                        words,
                        0,
                        0,
                        sid,
                        uid,
                        rng.randint(0, 500),
                    )
                )
            story_rows.append(
                (
                    sid,
                    f"The {rng.choice(_THINGS)[2:].title()} of {rng.choice(_PLACES)[4:].title()}",
                    f"{rng.choice(_NAMES)} finds {rng.choice(_THINGS)} at {rng.choice(_PLACES)}.",
                    "",
                    str(cat),
                    klass,
                    chars,
                    str(rng.randint(1, 4)),
                    when(posted),
                    when(posted + rng.uniform(0, 200)),
                    uid,
                    "0",
                    "0",
                    "1",
                    "1" if rng.random() < 0.6 else "0",
                    "0",
                    0,
                    0,
                    0,
                    rng.randint(0, 5000),
                    "0",
                )
            )
            flush()
        flush(force=True)
        series_count = max(1, stories // 50)
        out.write(
            insert_sql(
                f"{prefix}series",
                [
                    (
                        i,
                        f"Cycle {i}",
                        "Stories that belong together.",
                        rng.randint(1, authors),
                        *(1, "0", "", "", 0, 0, ""),
                    )
                    for i in range(1, series_count + 1)
                ],
            )
        )
        inseries = [
            (rng.randint(1, series_count), sid, 0, 1, sid, 0) for sid in range(1, stories + 1, 7)
        ]
        out.write(insert_sql(f"{prefix}inseries", inseries))
        # Review ratings 1 to 10, or -1 (none), as eFiction's "ratings = 1" setting has it.
        reviews = [
            (
                *(rid, rng.randint(1, stories), "ST", "A reader", "Lovely story, thank you!"),
                *(rng.choice((-1, -1, 6, 8, 10)), when(3000)),
                *(0 if rid % 2 else rng.randint(1, authors), 0, "0"),
            )
            for rid in range(1, stories // 2 + 1)
        ]
        out.write(insert_sql(f"{prefix}reviews", reviews))
        favorites = [
            (rng.randint(1, authors), rng.randint(1, stories), "ST", "")
            for _ in range(stories // 5)
        ]
        out.write(insert_sql(f"{prefix}favorites", favorites))
        # Writer 1 was the site's admin; texts in files (some chapters), ratings 1 to 10.
        prefs = [(1, 0, 0, 1, 0, 0, 0, 0, 1, "default", 1, "0", 1, 0)]
        out.write(insert_sql(f"{prefix}authorprefs", prefs))
        out.write(insert_sql(f"{prefix}settings", [("1", "Generated", "stories", "files", 1)]))
    return Generated(
        dump=path,
        stories_dir=stories_dir if stories_dir.exists() else None,
        authors=authors,
        stories=stories,
        chapters=chapters,
    )


def write_dump(
    path: Path, tables: Iterable[tuple[str, Sequence[Sequence[Value]]]], *, header: bytes = b""
) -> None:
    """Write a dump of the given (table, rows) pairs after `header` (schema, SET NAMES ...)."""
    with path.open("wb") as out:
        _write(out, header, tables)


def _write(
    out: IO[bytes], header: bytes, tables: Iterable[tuple[str, Sequence[Sequence[Value]]]]
) -> None:
    out.write(header)
    for table, rows in tables:
        if rows:
            out.write(insert_sql(table, rows))
