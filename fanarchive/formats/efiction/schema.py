"""Raw rows (from a dump or a live database) to the records of `records.py`.

Values come as bytes, str, int, float, datetime or None, whatever the reader got;
columns are looked up by name so the small differences between eFiction 3.x
versions and forks (extra columns, missing ones) do not matter. Dates may be
DATETIME values or strings ("2008-03-01 12:00:00") as in the official releases,
or unix seconds as in some later forks. Text is decoded here (UTF-8, else cp1252,
else latin-1), whatever the dump declared, and mojibake is repaired.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from fanarchive.formats.decode import repair_text
from fanarchive.formats.efiction import records as r

Row = Mapping[str, Any]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        raw = bytes(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
    else:
        text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_text(_CONTROL.sub("", text))


def int_of(value: Any, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, int | float | Decimal):
        return int(value)
    try:
        return int(text_of(value).strip() or default)
    except ValueError:
        return default


def bool_of(value: Any) -> bool:
    if isinstance(value, bytes | str):
        return text_of(value).strip().lower() in {"1", "y", "yes", "true"}
    return bool(int_of(value))


def ids_of(value: Any) -> list[int]:
    """eFiction's comma-separated id lists ("3,12,7"); blanks and junk dropped, order kept."""
    seen: dict[int, None] = {}
    for part in text_of(value).replace(";", ",").split(","):
        part = part.strip()
        if part.lstrip("-").isdigit() and int(part) > 0:
            seen.setdefault(int(part), None)
    return list(seen)


def date_of(value: Any) -> dt.datetime | None:
    """A DATETIME, its text, or unix seconds, as an aware UTC datetime; None when unset."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    elif isinstance(value, int | float | Decimal):
        if int(value) <= 0:
            return None
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    else:
        text = text_of(value).strip()
        if not text or text.startswith("0000-00-00"):
            return None
        if text.isdigit():
            return date_of(int(text))
        try:
            moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _author(row: Row) -> r.Author:
    return r.Author(
        uid=int_of(row.get("uid")),
        penname=text_of(row.get("penname")).strip(),
        realname=text_of(row.get("realname")).strip(),
        email=text_of(row.get("email")).strip(),
        website=text_of(row.get("website")).strip(),
        bio=text_of(row.get("bio")),
        password=text_of(row.get("password")).strip(),
        date=date_of(row.get("date")),
        level=int_of(row.get("level")),
    )


def _authorprefs(row: Row) -> r.AuthorPrefs:
    return r.AuthorPrefs(uid=int_of(row.get("uid")), level=int_of(row.get("level")))


def _settings(row: Row) -> r.Settings:
    return r.Settings(
        sitename=text_of(row.get("sitename")).strip(),
        store=text_of(row.get("store")).strip().lower(),
        storiespath=text_of(row.get("storiespath")).strip(),
        ratings=int_of(row.get("ratings")),
    )


def _category(row: Row) -> r.Category:
    return r.Category(
        catid=int_of(row.get("catid")),
        parentcatid=int_of(row.get("parentcatid"), -1),
        name=text_of(row.get("category")).strip(),
        description=text_of(row.get("description")),
        displayorder=int_of(row.get("displayorder")),
    )


def _character(row: Row) -> r.Character:
    return r.Character(
        charid=int_of(row.get("charid")),
        catid=int_of(row.get("catid"), -1),
        name=text_of(row.get("charname")).strip(),
    )


def _classtype(row: Row) -> r.ClassType:
    return r.ClassType(
        classtype_id=int_of(row.get("classtype_id")),
        name=text_of(row.get("classtype_name")).strip(),
        title=text_of(row.get("classtype_title")).strip(),
    )


def _class(row: Row) -> r.Class:
    return r.Class(
        class_id=int_of(row.get("class_id")),
        class_type=int_of(row.get("class_type")),
        name=text_of(row.get("class_name")).strip(),
    )


def _rating(row: Row) -> r.Rating:
    return r.Rating(rid=int_of(row.get("rid")), name=text_of(row.get("rating")).strip())


def _story(row: Row) -> r.Story:
    return r.Story(
        sid=int_of(row.get("sid")),
        uid=int_of(row.get("uid")),
        title=text_of(row.get("title")).strip(),
        summary=text_of(row.get("summary")),
        storynotes=text_of(row.get("storynotes")),
        catids=ids_of(row.get("catid")),
        charids=ids_of(row.get("charid")),
        classids=ids_of(row.get("classes")),
        rid=int_of(row.get("rid")),
        date=date_of(row.get("date")),
        updated=date_of(row.get("updated")),
        completed=bool_of(row.get("completed")),
        validated=bool_of(row.get("validated", 1)),
        wordcount=int_of(row.get("wordcount")),
        hits=int_of(row.get("count")),
    )


def _chapter(row: Row) -> r.Chapter:
    return r.Chapter(
        chapid=int_of(row.get("chapid")),
        sid=int_of(row.get("sid")),
        uid=int_of(row.get("uid")),
        title=text_of(row.get("title")).strip(),
        inorder=int_of(row.get("inorder")),
        notes=text_of(row.get("notes")),
        endnotes=text_of(row.get("endnotes")),
        storytext=text_of(row.get("storytext")),
        validated=bool_of(row.get("validated", 1)),
        wordcount=int_of(row.get("wordcount")),
        hits=int_of(row.get("count")),
    )


def _series(row: Row) -> r.Series:
    return r.Series(
        seriesid=int_of(row.get("seriesid")),
        uid=int_of(row.get("uid")),
        title=text_of(row.get("title")).strip(),
        summary=text_of(row.get("summary")),
        isopen=bool_of(row.get("isopen")),
    )


def _inseries(row: Row) -> r.InSeries:
    return r.InSeries(
        seriesid=int_of(row.get("seriesid")),
        sid=int_of(row.get("sid")),
        subseriesid=int_of(row.get("subseriesid")),
        inorder=int_of(row.get("inorder")),
        confirmed=bool_of(row.get("confirmed", 1)),
    )


def _review(row: Row) -> r.Review:
    rating = row.get("rating")
    return r.Review(
        reviewid=int_of(row.get("reviewid")),
        item=int_of(row.get("item")),
        type=text_of(row.get("type")).strip().upper() or "ST",
        chapid=int_of(row.get("chapid")),
        reviewer=text_of(row.get("reviewer")).strip(),
        uid=int_of(row.get("uid")),
        review=text_of(row.get("review")),
        rating=None if rating is None else int_of(rating),
        date=date_of(row.get("date")),
    )


def _favorite(row: Row) -> r.Favorite:
    return r.Favorite(
        uid=int_of(row.get("uid")),
        item=int_of(row.get("item")),
        type=text_of(row.get("type")).strip().upper(),
        comments=text_of(row.get("comments")),
    )


def _coauthor(row: Row) -> r.CoAuthor:
    return r.CoAuthor(sid=int_of(row.get("sid")), uid=int_of(row.get("uid")))


# Each table of `records.TABLES`: its row builder, and the id field (None: a list of rows).
_BUILDERS: dict[str, tuple[Callable[[Row], Any], str | None]] = {
    "authors": (_author, "uid"),
    "authorprefs": (_authorprefs, "uid"),
    "categories": (_category, "catid"),
    "characters": (_character, "charid"),
    "classtypes": (_classtype, "classtype_id"),
    "classes": (_class, "class_id"),
    "ratings": (_rating, "rid"),
    "stories": (_story, "sid"),
    "chapters": (_chapter, "chapid"),
    "series": (_series, "seriesid"),
    "inseries": (_inseries, None),
    "coauthors": (_coauthor, None),
    "reviews": (_review, None),
    "favorites": (_favorite, None),
    "settings": (_settings, None),
}


def add_rows(archive: r.Archive, *, prefix: str, table: str, rows: Iterable[Row]) -> int:
    """Add a table's rows to `archive`; returns how many were read. Other tables are counted."""
    if not table.lower().startswith(prefix.lower()):
        return 0
    kind = table[len(prefix) :].lower()
    if kind not in r.TABLES:
        count = sum(1 for _ in rows)
        archive.ignored_tables[table] = archive.ignored_tables.get(table, 0) + count
        return 0
    build, key = _BUILDERS[kind]
    target = getattr(archive, kind)
    count = 0
    for row in rows:
        count += 1
        record = build(row)
        if key is None:
            target.append(record)
            continue
        ident = getattr(record, key)
        if ident <= 0:
            archive.unreadable.append((kind, f"a row of {table} without an id: skipped."))
        elif ident in target:
            archive.unreadable.append((kind, f"{kind} {ident} appears twice: the first is kept."))
        else:
            target[ident] = record
    return count
