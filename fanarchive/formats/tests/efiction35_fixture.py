"""A hand-built eFiction 3.5 archive holding what a faithful migration must keep.

In eFiction 3.5's own shape: unix-second dates (0 when unknown), admins marked by
`fanfiction_authorprefs.level` (1 to 4; 0 a member), the `store` and `ratings`
settings, review ratings with -1 for none, and the "No Review" text eFiction writes
when a reader only rates. The cases, by row:

- passwords: eFiction hashed `md5()` of the bytes the browser sent. Author 2's was
  typed on a latin-1 page (cp1252 bytes), author 3's on a UTF-8 page with a letter
  cp1252 lacks, author 4's on a latin-1 page with a letter it lacks (the browser
  sends it as `&#937;`);
- admins: authors 1 (level 1) and 4 (level 3); a prefs row for an author who is gone;
- dates: authors with join dates, one without (0) whose story dates them, one
  without (NULL) who did nothing; a draft (story 2) with an update date; a story with
  no dates at all (story 5); reviews dated 0 and NULL;
- text: chapter 1 is line breaks only with a `<center>* * *</center>` scene break;
- reviews: rated ones, a rating-only "No Review" (3), one with neither text nor
  rating (8), a series review, one of a draft (7).

`store="files"` writes the variant whose texts live in `stories/<uid>/<chapid>.txt`
(latin-1 files, as eFiction wrote them) with empty `storytext` columns.
All text is made up and safe for work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fanarchive.formats.efiction.sample import schema_sql, write_dump

PASSWORD_ADA = "quill-and-ink"
# Typed on a latin-1 page: eFiction hashed the cp1252 bytes.
PASSWORD_ZOE = "crème brûlée"
# Typed on a UTF-8 page; "Ω" is not in cp1252.
PASSWORD_NIKOS = "Ωmega-sail"
# Typed on a latin-1 page; the browser sent "Ω" as the reference "&#937;".
PASSWORD_MO = "Ωmega-tern"

LINE_BREAK_CHAPTER = (
    "The tide came in slowly over the flats.\r\n"
    "Ada watched it from the harbour wall, counting the boats.\r\n"
    '"Eight," she said to nobody. "There should be nine."\r\n'
    "<center>* * *</center>\r\n"
    "By morning the ninth boat was tied at the quay.\r\n"
    "Nobody asked where it had been."
)
DRAFT_CHAPTER = "The draft is about a lighthouse keeper who collects shells."
ARRIVAL = "They arrived at the quay in the rain, and the harbour master waved them in."
DEPARTURE = "They left at dawn with the tide, and the gulls followed them out."
LATE_BLOOM = "A story about a garden by the sea that only flowers in autumn."
UNDATED = "Nobody wrote down when this little story about a ferry was posted."


def md5_of(raw: bytes) -> str:
    return hashlib.md5(raw, usedforsecurity=False).hexdigest()


def unix(text: str) -> int:
    return int(dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp())


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# Every date of the archive, by what it is the date of.
ADA_JOINED = "2004-05-01 10:00:00"
ZOE_JOINED = "2005-03-03 09:00:00"
NIKOS_JOINED = "2006-06-06 06:00:00"
MO_JOINED = "2005-09-09 09:09:00"
LINES_POSTED, LINES_UPDATED = "2006-01-10 08:00:00", "2006-02-01 08:00:00"
DRAFT_POSTED, DRAFT_UPDATED = "2007-03-01 12:00:00", "2007-04-15 16:30:00"
QUAY_POSTED, QUAY_UPDATED = "2008-01-01 12:00:00", "2008-02-01 12:00:00"
LATE_POSTED = "2009-05-05 05:00:00"


@dataclass
class Fixture:
    dump: Path
    stories: Path
    # Rows per table (without the prefix), as the report must account for them.
    rows: dict[str, int]


def build(folder: Path, *, store: str = "mysql", prefix: str = "fanfiction_") -> Fixture:
    folder.mkdir(parents=True, exist_ok=True)
    stories = folder / "stories"
    stories.mkdir(exist_ok=True)
    p = prefix
    authors = [
        # uid, penname, realname, email, website, bio, image, date, admincreated, password
        (1, "Archivist Ada", "", "ada@example.org", "", "", "", unix(ADA_JOINED), 0,
         md5_of(PASSWORD_ADA.encode())),
        # A latin-1 archive: the pen name in latin-1 bytes too.
        (2, "Zoë Brontë".encode("latin-1"), b"", b"zoe@example.org", b"", b"", b"",
         unix(ZOE_JOINED), 0, md5_of(PASSWORD_ZOE.encode("cp1252"))),
        (3, "Nikos", "", "nikos@example.org", "", "", "", unix(NIKOS_JOINED), 0,
         md5_of(PASSWORD_NIKOS.encode())),
        (4, "Moderator Mo", "", "mo@example.org", "", "", "", unix(MO_JOINED), 0,
         md5_of(PASSWORD_MO.encode("cp1252", "xmlcharrefreplace"))),
        # No join date: eFiction's 0, and NULL.
        (5, "Late Joiner", "", "late@example.org", "", "", "", 0, 0, md5_of(b"late-bloom")),
        (6, "Lurker", "", "lurker@example.org", "", "", "", None, 0, md5_of(b"just-reading")),
    ]  # fmt: skip
    authorprefs = [
        # uid, newreviews, newrespond, ageconsent, alertson, tinyMCE, sortby, storyindex,
        # validated, userskin, level, categories, contact, stories
        (1, 1, 1, 1, 1, 0, 0, 0, 1, "default", 1, "0", 1, 2),
        (2, 0, 0, 1, 0, 0, 0, 0, 0, "default", 0, "0", 0, 2),
        (4, 0, 0, 1, 0, 0, 0, 0, 1, "default", 3, "1", 1, 0),
        (77, 0, 0, 0, 0, 0, 0, 0, 0, "default", 0, "0", 0, 0),  # an author who is gone
    ]
    categories = [(1, -1, "Harbour Tales", "", "", "0", 0, 1, 5)]
    ratings = [(1, "G", "0", ""), (2, "PG-13", "0", "")]

    def story(
        sid: int, title: str, uid: int, date: int, updated: int, validated: int, completed: int
    ) -> tuple[Any, ...]:
        # sid, title, summary, storynotes, catid, classes, charid, rid, date, updated, uid,
        # coauthors, featured, validated, completed, rr, wordcount, rating, reviews, count,
        # challenges
        return (sid, title, "A harbour story.", "", "1", "", "", "1", date, updated, uid,
                "", "0", str(validated), str(completed), "0", 0, 0, 0, 10 * sid, "0")  # fmt: skip

    stories_rows = [
        story(1, "Line Breaks Only", 1, unix(LINES_POSTED), unix(LINES_UPDATED), 1, 1),
        story(2, "Draft With an Update", 2, unix(DRAFT_POSTED), unix(DRAFT_UPDATED), 0, 0),
        story(3, "Reviewed at the Quay", 2, unix(QUAY_POSTED), unix(QUAY_UPDATED), 1, 0),
        story(4, "Late Bloom", 5, unix(LATE_POSTED), unix(LATE_POSTED), 1, 1),
        story(5, "Undated", 1, 0, 0, 1, 1),
    ]
    texts = {
        1: LINE_BREAK_CHAPTER,
        2: DRAFT_CHAPTER,
        3: ARRIVAL,
        4: DEPARTURE,
        5: LATE_BLOOM,
        6: UNDATED,
    }
    in_files = store == "files"

    def chapter(
        chapid: int, title: str, inorder: int, sid: int, uid: int, validated: int = 1
    ) -> tuple[Any, ...]:
        # chapid, title, inorder, notes, storytext, endnotes, validated, wordcount, rating,
        # reviews, sid, uid, count
        text = "" if in_files else texts[chapid]
        return (chapid, title, inorder, "", text, "", str(validated), 0, 0, 0, sid, uid, 5)

    chapters = [
        chapter(1, "Tide", 1, 1, 1),
        chapter(2, "Shells", 1, 2, 2, validated=0),
        chapter(3, "Arrival", 1, 3, 2),
        chapter(4, "Departure", 2, 3, 2),
        chapter(5, "Autumn", 1, 4, 5),
        chapter(6, "Ferry", 1, 5, 1),
    ]
    if in_files:
        for row in chapters:
            chapid, uid = row[0], row[11]
            path = stories / str(uid) / f"{chapid}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(texts[chapid].encode("cp1252"))
    series = [(1, "Harbour Cycle", "Both harbour stories.", 1, 0, "1", "", "", 0, 0, "")]
    inseries = [(1, 1, 0, 1, 1, 0), (1, 3, 0, 1, 2, 0)]
    reviews = [
        # reviewid, item, type, reviewer, review, rating, date, uid, chapid, respond
        (1, 3, "ST", "Archivist Ada", "Lovely harbour scenes.", 8,
         unix("2008-01-05 10:00:00"), 1, 3, "0"),
        # eFiction's zero date and NULL: the chapter's date stands in, never "now".
        (2, 3, "ST", "Gull", "Came back for the second part.", 6, 0, 0, 4, "0"),
        (3, 3, "ST", "Tern", "No Review", 9, unix("2008-01-06 10:00:00"), 0, 3, "0"),
        (4, 3, "ST", "Puffin", "The quay at night!", -1, None, 0, 3, "0"),
        (5, 1, "ST", "Zoë Brontë", "Such a quiet tide.", 10,
         unix("2006-03-01 10:00:00"), 2, 1, "0"),
        (6, 1, "SE", "Harbour Fan", "A fine series.", 7, unix("2008-03-03 10:00:00"), 0, 0,
         "0"),
        # A review of the draft: no comment (drafts take none), but its rating is kept.
        (7, 2, "ST", "Nikos", "Can't wait for this one.", 5,
         unix("2007-03-05 10:00:00"), 3, 2, "0"),
        # Neither text nor rating (eFiction refuses it, old data has it).
        (8, 1, "ST", "Skua", "No Review", -1, unix("2006-04-04 10:00:00"), 0, 1, "0"),
    ]  # fmt: skip
    favorites = [(3, 1, "ST", "")]
    header = (
        b"-- eFiction 3.5 dump, hand-built\n/*!40101 SET NAMES latin1 */;\n"
        + schema_sql(prefix=p, unix_dates=True).encode()
    )
    settings = [("1", "Harbour Archive", "stories", store, 1)]
    tables: list[tuple[str, Sequence[Sequence[Any]]]] = [
        (f"{p}authorprefs", authorprefs),
        (f"{p}authors", authors),
        (f"{p}categories", categories),
        (f"{p}ratings", ratings),
        (f"{p}stories", stories_rows),
        (f"{p}chapters", chapters),
        (f"{p}series", series),
        (f"{p}inseries", inseries),
        (f"{p}reviews", reviews),
        (f"{p}favorites", favorites),
        (f"{p}settings", settings),
    ]
    dump = folder / "efiction35.sql"
    write_dump(dump, tables, header=header)
    rows = {table[len(p) :]: len(data) for table, data in tables}
    return Fixture(dump=dump, stories=stories, rows=rows)
