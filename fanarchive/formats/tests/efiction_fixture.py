"""A small eFiction archive built row by row from the schema, for the migration tests.

It holds what real archives hold: DATETIME or unix-integer dates, chapter text in the
database and in the stories folder, real latin-1 bytes and mojibake (UTF-8 read as
latin-1 and saved again), nested categories and series, unvalidated stories and
chapters, co-authors, anonymous reviews, and rows that cannot be migrated (a story
whose author is gone, a chapter without text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fanarchive.formats.efiction.sample import date_value, md5_hex, schema_sql, write_dump

PASSWORD_WREN = "lighthouse-1987"
# "café" written as UTF-8, read as latin-1 and written back as UTF-8: mojibake.
MOJIBAKE_CAFE = "café".encode().decode("latin-1")
LATIN1_TEXT = "Émile poured the café crème while the gulls cried over the quay.\n" * 2

CH1 = (
    "Mira climbed the stairs of the lighthouse.\n"
    "The lamp was cold, and the glass was grey with salt.\n"
    "She wiped it clean with her sleeve and waited for the dusk."
)
CH2 = (
    "Tomas brought the oil at noon.<br><br>They filled the lamp together."
    "<br><br>When it caught, the whole bay turned gold.<script>alert(1)</script>"
)


@dataclass
class Fixture:
    dump: Path
    stories: Path
    # Rows per kind, as the report must account for them.
    rows: dict[str, int]


def build(folder: Path, *, unix_dates: bool = False, prefix: str = "fanfiction_") -> Fixture:
    folder.mkdir(parents=True, exist_ok=True)
    stories = folder / "stories"

    def when(text: str) -> object:
        return date_value(dt.datetime.fromisoformat(text), unix_dates=unix_dates)

    p = prefix
    authors = [
        (
            1,
            "Wren Ashdown",
            "",
            "wren@example.org",
            "https://example.org/wren",
            "Writes about boats.<br><br>And lighthouses.",
            "",
            when("2005-06-01 10:00:00"),
            0,
            md5_hex(PASSWORD_WREN),
        ),
        # Real latin-1 bytes, as an old latin1 dump holds them.
        (
            2,
            "Émile Côté".encode("latin-1"),
            b"",
            b"emile@example.org",
            b"",
            "Je suis un écrivain.".encode("latin-1"),
            b"",
            when("2006-02-03 08:00:00"),
            0,
            md5_hex("quay-and-gulls"),
        ),
        # Mojibake in the bio; the same e-mail address as author 1.
        (
            3,
            "kit",
            "",
            "WREN@example.org",
            "",
            f"Loves {MOJIBAKE_CAFE} au lait.",
            "",
            when("2007-01-01 00:00:00"),
            0,
            md5_hex("kit-password"),
        ),
        # No stories; a password that is not an MD5 hash; no e-mail.
        (4, "Quiet Reader", "", "", "", "", "", when("2007-05-05 05:05:05"), 0, "not-md5"),
    ]
    categories = [
        (1, -1, "Harbour Tales", "", "", "0", 0, 1, 0),
        (2, 1, "Harbour Tales: The Lighthouse Years", "", "", "0", 1, 2, 0),
        (3, -1, "Sky, Lanterns", "", "", "0", 0, 3, 0),
        (4, 2, "Keeper's Log", "", "", "0", 2, 4, 0),
    ]
    characters = [
        (1, 2, "Mira Vale", "", ""),
        (2, 2, "Tomas Reyes", "", ""),
        (3, 3, "Lantern Girl", "", ""),
        (4, -1, "Wanderer", "", ""),
    ]
    classtypes = [(1, "genres", "Genres"), (2, "warnings", "Warnings")]
    classes = [
        (1, 1, "Angst"),
        (2, 1, "Fluff"),
        (3, 2, "Major Character Death"),
        (4, 2, "Spoilers"),
    ]
    ratings = [
        (1, "G", "0", ""),
        (2, "PG-13", "0", ""),
        (3, "NC-17", "1", ""),
        (4, "Grown-ups Only", "1", ""),
    ]

    def story(
        sid: int,
        title: str,
        uid: int,
        cat: str,
        chars: str,
        klass: str,
        rid: str,
        date: str,
        updated: str,
        validated: str,
        completed: str,
        count: int,
        summary: str = "A short summary.",
        notes: str = "",
    ) -> tuple[object, ...]:
        return (
            sid,
            title,
            summary,
            notes,
            cat,
            klass,
            chars,
            rid,
            when(date),
            when(updated),
            uid,
            "0",
            "0",
            validated,
            completed,
            "0",
            0,
            0,
            0,
            count,
            "0",
        )

    stories_rows = [
        story(
            1,
            "The Lamp",
            1,
            "2",
            "1,2",
            "1,3",
            "2",
            "2008-03-01 12:00:00",
            "2008-04-02 09:30:00",
            "1",
            "1",
            120,
            notes="Story notes here.",
        ),
        story(
            2,
            "Lanterns Over the Quay",
            2,
            "3",
            "3",
            "2",
            "4",
            "2009-07-07 07:07:07",
            "2009-07-07 07:07:07",
            "1",
            "0",
            45,
        ),
        story(
            3,
            "Unfinished Log",
            1,
            "4",
            "",
            "",
            "1",
            "2010-01-01 01:00:00",
            "2010-01-01 01:00:00",
            "0",
            "0",
            3,
        ),
        story(
            4,
            "Lost Author",
            99,
            "1",
            "",
            "",
            "1",
            "2010-02-02 02:00:00",
            "2010-02-02 02:00:00",
            "1",
            "1",
            0,
        ),
        story(
            5,
            "Empty Story",
            3,
            "1",
            "",
            "",
            "1",
            "2010-03-03 03:00:00",
            "2010-03-03 03:00:00",
            "1",
            "1",
            0,
        ),
        story(
            6,
            "Night Watch",
            3,
            "2,3",
            "1,4",
            "4",
            "3",
            "2011-11-11 11:00:00",
            "2011-12-12 12:00:00",
            "1",
            "1",
            900,
            summary=f"A {MOJIBAKE_CAFE} at night.",
        ),
    ]
    chapters = [
        # chapid, title, inorder, notes, storytext, endnotes, validated, wordcount, rating,
        # reviews, sid, uid, count
        (1, "Dusk", 1, "Chapter notes.", CH1, "See you next time.", "1", 30, 0, 0, 1, 1, 80),
        (2, "Oil", 2, "", CH2, "", "1", 20, 0, 0, 1, 1, 40),
        (3, "Quay", 1, "", "", "", "1", 20, 0, 0, 2, 2, 45),  # text in a latin-1 file
        (
            4,
            "Draft",
            1,
            "",
            "Nothing is finished in this log yet, not even the lamp.",
            "",
            "0",
            10,
            0,
            0,
            3,
            1,
            3,
        ),
        (
            5,
            "Lost",
            1,
            "",
            "Nobody remembers who wrote this chapter any more.",
            "",
            "1",
            9,
            0,
            0,
            4,
            99,
            0,
        ),
        (6, "Nothing", 1, "", "", "", "1", 0, 0, 0, 5, 3, 0),  # no text anywhere
        # Out of chapid order: inorder decides.
        (
            8,
            "First Watch",
            1,
            "",
            f"The {MOJIBAKE_CAFE} was closed, so they kept watch.",
            "",
            "1",
            10,
            0,
            0,
            6,
            3,
            500,
        ),
        (
            7,
            "Second Watch",
            2,
            "",
            "Morning came over the water, pale and slow.",
            "",
            "1",
            8,
            0,
            0,
            6,
            3,
            400,
        ),
        # A chapter not validated yet, in a validated story.
        (
            9,
            "Third Watch",
            3,
            "",
            "A third watch, still waiting for the editors.",
            "",
            "0",
            8,
            0,
            0,
            6,
            3,
            0,
        ),
    ]
    (stories / "2").mkdir(parents=True, exist_ok=True)
    (stories / "2" / "3.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    series = [
        (1, "Harbour Cycle", "All the harbour stories.", 1, 0, "0", "", "", 0, 0, ""),
        (2, "Lantern Nights", "Open to all.", 2, 1, "0", "", "", 0, 0, ""),
        (3, "Orphaned Series", "", 99, 0, "0", "", "", 0, 0, ""),
    ]
    inseries = [
        # seriesid, sid, subseriesid, confirmed, inorder, updated
        (1, 1, 0, 1, 1, 0),
        (1, 0, 2, 1, 2, 0),  # series 2 nested in series 1
        (2, 2, 0, 1, 1, 0),
        (2, 6, 0, 1, 2, 0),  # another author's story in an open series
        (2, 4, 0, 1, 3, 0),  # a story that is not migrated
        (3, 1, 0, 1, 1, 0),
    ]
    reviews = [
        (1, 1, "ST", "Émile Côté", "Lovely lamp.", 5, when("2008-05-01 00:00:00"), 2, 1, "0"),
        (
            2,
            1,
            "ST",
            "Passing Gull",
            "Anonymous but kind.",
            0,
            when("2008-05-02 00:00:00"),
            0,
            2,
            "0",
        ),
        (3, 1, "SE", "Harbour Fan", "A fine series.", 0, when("2009-01-01 00:00:00"), 0, 0, "0"),
        # A member's review naming no chapter: on the first chapter (chapid 8).
        (4, 6, "ST", "0", "Kept watch with you.", 0, when("2012-01-05 10:00:00"), 4, 0, "0"),
        # By an author who is gone: a guest comment under the typed name.
        (5, 2, "ST", "Old Member", "Lovely quay.", 0, when("2010-06-06 06:00:00"), 99, 3, "0"),
        # Of a story that is not migrated, of a draft chapter, and without text.
        (6, 4, "ST", "Harbour Fan", "Where did it go?", 0, when("2010-03-01 00:00:00"), 0, 5, "0"),
        (7, 6, "ST", "kit", "Still waiting.", 0, when("2012-02-02 00:00:00"), 3, 9, "0"),
        (8, 1, "ST", "Quiet Reader", "  ", 0, when("2008-06-01 00:00:00"), 4, 1, "0"),
    ]
    favorites = [
        (2, 1, "ST", "Reading again."),
        (1, 2, "AU", ""),
        (3, 1, "SE", ""),
        (4, 6, "ST", ""),
        (4, 1, "AU", ""),
        (1, 1, "AU", ""),  # oneself
        (2, 4, "ST", ""),  # a story that is not migrated
        (2, 1, "ST", ""),  # twice
        (99, 1, "ST", ""),  # by an author who is gone
    ]
    coauthors = [(2, 1), (1, 99), (6, 3)]
    header = (
        b"-- eFiction 3.5 test dump\n/*!40101 SET NAMES latin1 */;\n"
        + schema_sql(prefix=p, unix_dates=unix_dates).encode()
        + b"INSERT INTO `"
        + p.encode()
        + b"settings` VALUES ('1','Test Archive','stories','files','1');\n"
    )
    tables: list[tuple[str, Sequence[Sequence[Any]]]] = [
        (f"{p}authors", authors),
        (f"{p}categories", categories),
        (f"{p}characters", characters),
        (f"{p}classtypes", classtypes),
        (f"{p}classes", classes),
        (f"{p}ratings", ratings),
        (f"{p}stories", stories_rows),
        (f"{p}chapters", chapters),
        (f"{p}series", series),
        (f"{p}inseries", inseries),
        (f"{p}reviews", reviews),
        (f"{p}favorites", favorites),
        (f"{p}coauthors", coauthors),
    ]
    dump = folder / "efiction.sql"
    write_dump(dump, tables, header=header)
    rows = {table[len(p) :]: len(data) for table, data in tables}
    return Fixture(dump=dump, stories=stories, rows=rows)
