"""Reading a MySQL/MariaDB dump without a server, as a stream of rows.

The file is read in chunks and split into statements at semicolons outside quoted
strings, identifiers and comments, so a dump of any size is read in little memory.
Of the statements only these matter: `CREATE TABLE` (the column names, for inserts
that do not list them), `INSERT INTO t [(cols)] VALUES (...),(...)` (MySQL's quoting:
'' and backslash escapes \\0 \\' \\" \\b \\n \\r \\t \\Z \\\\, NULL, numbers, 0x... hex)
and `SET NAMES` / `SET CHARACTER SET`, which say how the text bytes were written.
Comments, `LOCK TABLES`, `DROP TABLE` and the rest are passed over.

String values stay bytes here; `schema.text_of` decodes them (UTF-8, else cp1252)
and repairs mojibake, because a "latin1" dump of an eFiction site usually holds
UTF-8 bytes, real latin-1 bytes, and doubly encoded text side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fanarchive.formats.errors import ImportFailed

Value = bytes | int | float | None
CHUNK = 1 << 20

# What matters when looking for the end of a statement: quotes, escapes, comments, ";".
_SPECIAL = re.compile(rb"['\"`;\\#]|--[ \t\r\n]|/\*")
_CONDITIONAL = re.compile(rb"^/\*!\d*\s*(.*?)\s*\*/$", re.S)
_LEADING_COMMENTS = re.compile(rb"^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|/\*(?!!).*?\*/)*", re.S)
_INSERT = re.compile(
    rb"^(?:INSERT|REPLACE)\s+(?:LOW_PRIORITY\s+|DELAYED\s+|HIGH_PRIORITY\s+|IGNORE\s+)*"
    rb"(?:INTO\s+)?((?:`[^`]+`|\w+)(?:\.(?:`[^`]+`|\w+))?)\s*(\([^)]*\))?\s*VALUES?\s*",
    re.I | re.S,
)
_CREATE = re.compile(
    rb"^CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    rb"((?:`[^`]+`|\w+)(?:\.(?:`[^`]+`|\w+))?)\s*\(",
    re.I | re.S,
)
_SET_NAMES = re.compile(rb"^SET\s+(?:NAMES|CHARACTER\s+SET|CHARSET)\s+'?(\w+)'?", re.I)
_VALUE = re.compile(
    rb"\s*(?:'((?:[^'\\]+|\\.|'')*)'"
    rb'|"((?:[^"\\]+|\\.|"")*)"'
    rb"|(NULL)"
    rb"|(0x[0-9A-Fa-f]*)"
    rb"|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
    rb"|(TRUE|FALSE)"
    rb")\s*([,)])",
    re.S | re.I,
)
_ESCAPE = re.compile(rb"\\(.)", re.S)
_ESCAPES = {
    b"0": b"\x00",
    b"b": b"\x08",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"Z": b"\x1a",
    # MySQL keeps the backslash of \% and \_ (they only matter in LIKE patterns).
    b"%": b"\\%",
    b"_": b"\\_",
}


def _unescape_match(match: re.Match[bytes]) -> bytes:
    char = match.group(1)
    return _ESCAPES.get(char, char)


def unescape(raw: bytes, quote: bytes = b"'") -> bytes:
    if b"\\" in raw:
        raw = _ESCAPE.sub(_unescape_match, raw)
    doubled = quote + quote
    return raw.replace(doubled, quote) if doubled in raw else raw


def identifier(raw: bytes) -> str:
    """`db`.`table` or table -> table (the database part is dropped)."""
    last = raw.rsplit(b".", 1)[-1] if not raw.endswith(b"`") or b"`.`" in raw else raw
    return last.strip(b"`").decode("utf-8", "replace")


@dataclass
class Statement:
    text: bytes
    line: int


@dataclass
class DumpRows:
    """One INSERT's rows, each a dict of column name to raw value."""

    table: str
    rows: list[dict[str, Value]]
    line: int


@dataclass
class DumpReader:
    """Streams the rows of a dump; `charset` is the last `SET NAMES` seen (None if none)."""

    path: Path
    charset: str | None = None
    columns: dict[str, list[str]] = field(default_factory=dict)
    statements: int = 0

    def rows(self) -> Iterator[DumpRows]:
        try:
            handle = self.path.open("rb")
        except OSError as error:
            raise ImportFailed(str(self.path), f"cannot be read: {error.strerror}.") from None
        with handle:
            for statement in split_statements(handle):
                self.statements += 1
                found = self._statement(statement)
                if found is not None:
                    yield found

    def _statement(self, statement: Statement) -> DumpRows | None:
        text = _LEADING_COMMENTS.sub(b"", statement.text, count=1)
        conditional = _CONDITIONAL.match(text)
        if conditional:
            text = conditional.group(1)
        head = text[:30].upper()
        if head.startswith((b"INSERT", b"REPLACE")):
            return self._insert(text, statement.line)
        if head.startswith(b"CREATE"):
            self._create(text)
        elif head.startswith(b"SET"):
            names = _SET_NAMES.match(text)
            if names:
                self.charset = names.group(1).decode("ascii").lower()
        return None

    def _create(self, text: bytes) -> None:
        match = _CREATE.match(text)
        if not match:
            return
        table = identifier(match.group(1))
        columns = []
        for line in text[match.end() :].split(b"\n"):
            line = line.strip()
            column = re.match(rb"^(`[^`]+`|\w+)\s+\w", line)
            if not column:
                continue
            name = column.group(1)
            if not name.startswith(b"`") and name.upper() in {
                b"PRIMARY",
                b"KEY",
                b"UNIQUE",
                b"INDEX",
                b"FULLTEXT",
                b"CONSTRAINT",
                b"FOREIGN",
                b"CHECK",
                b"SPATIAL",
            }:
                continue
            columns.append(name.strip(b"`").decode("utf-8", "replace"))
        # One-line CREATE TABLE statements: fall back to splitting on commas.
        if not columns:
            body = text[match.end() : text.rfind(b")")]
            for part in body.split(b","):
                column = re.match(rb"^\s*(`[^`]+`|\w+)\s+\w", part)
                if column and column.group(1).upper() not in {b"PRIMARY", b"KEY", b"UNIQUE"}:
                    columns.append(column.group(1).strip(b"`").decode("utf-8", "replace"))
        self.columns[table] = columns

    def _insert(self, text: bytes, line: int) -> DumpRows:
        match = _INSERT.match(text)
        if not match:
            raise ImportFailed(str(self.path), "has an INSERT statement it cannot read.", line=line)
        table = identifier(match.group(1))
        if match.group(2):
            columns = [
                c.strip().strip(b"`").decode("utf-8", "replace")
                for c in match.group(2)[1:-1].split(b",")
            ]
        else:
            columns = self.columns.get(table, [])
        rows: list[dict[str, Value]] = []
        pos = match.end()
        end = len(text)
        while pos < end:
            while pos < end and text[pos] in b" \t\r\n,":
                pos += 1
            if pos >= end or text[pos : pos + 1] != b"(":
                break
            pos += 1
            values: list[Value] = []
            while True:
                value = _VALUE.match(text, pos)
                if value is None:
                    raise ImportFailed(
                        str(self.path),
                        f"has a value in an INSERT into {table} that it cannot read.",
                        line=line + text.count(b"\n", 0, pos),
                    )
                values.append(_value(value))
                pos = value.end()
                if value.group(7) == b")":
                    break
            if not columns:
                raise ImportFailed(
                    str(self.path),
                    f"inserts into {table} without naming the columns, and has no "
                    "CREATE TABLE for it before.",
                    line=line,
                )
            if len(values) != len(columns):
                raise ImportFailed(
                    str(self.path),
                    f"has a row of {len(values)} values for the {len(columns)} columns of {table}.",
                    line=line + text.count(b"\n", 0, pos),
                )
            rows.append(dict(zip(columns, values, strict=True)))
        return DumpRows(table, rows, line)


def _value(match: re.Match[bytes]) -> Value:
    if match.group(1) is not None:
        return unescape(match.group(1), b"'")
    if match.group(2) is not None:
        return unescape(match.group(2), b'"')
    if match.group(3) is not None:
        return None
    if match.group(4) is not None:
        return bytes.fromhex(match.group(4)[2:].decode("ascii"))
    if match.group(5) is not None:
        number = match.group(5)
        if any(c in number for c in b".eE"):
            return float(number)
        return int(number)
    return 1 if match.group(6).upper() == b"TRUE" else 0


def split_statements(handle: BinaryIO) -> Iterator[Statement]:
    """The statements of a dump, streamed; quotes, escapes and comments are respected."""
    buffer = b""
    begin = 0  # where the current statement starts in `buffer`
    pos = 0  # how far it has been scanned
    line = 1  # the line of `begin`
    quote: bytes | None = None  # inside '...', "..." or `...`
    comment: bytes | None = None  # inside "-- ..."/"# ..." (b"\n") or "/* ... */" (b"*/")
    eof = False
    while True:
        if not eof:
            chunk = handle.read(CHUNK)
            if chunk:
                buffer = buffer[begin:] + chunk
                pos -= begin
                begin = 0
            else:
                eof = True
        while True:
            if comment is not None:
                found = buffer.find(comment, pos)
                if found < 0:
                    break
                pos = found + len(comment)
                comment = None
                continue
            if quote is not None:
                found = _next_in_quote(buffer, pos, quote)
                if found < 0 or (found + 1 >= len(buffer) and not eof):
                    break  # an escape or a doubled quote may go on in the next chunk
                if buffer[found : found + 1] == b"\\" or buffer[found + 1 : found + 2] == quote:
                    pos = found + 2
                else:
                    pos = found + 1
                    quote = None
                continue
            special = _SPECIAL.search(buffer, pos)
            if special is None:
                pos = max(pos, len(buffer) - 2)  # "-" or "/" may start a comment
                break
            token = special.group(0)
            if token == b";":
                text = buffer[begin : special.start()].strip()
                if text:
                    skipped = len(buffer[begin : special.start()]) - len(
                        buffer[begin : special.start()].lstrip()
                    )
                    yield Statement(text, line + buffer.count(b"\n", begin, begin + skipped))
                line += buffer.count(b"\n", begin, special.end())
                begin = pos = special.end()
            elif token in (b"'", b'"', b"`"):
                quote = token
                pos = special.end()
            elif token == b"\\":
                pos = special.end() + 1
            elif token == b"/*":
                comment = b"*/"
                pos = special.end()
            elif token == b"#" or (token == b"--" + token[2:3] and token[2:3] != b"\n"):
                comment = b"\n"
                pos = special.end()
            else:  # "--" right at the end of a line
                pos = special.end()
        if eof:
            text = buffer[begin:].strip()
            if text and _LEADING_COMMENTS.sub(b"", text, count=1).strip():
                yield Statement(text, line + _leading_newlines(buffer[begin:]))
            return


def _leading_newlines(buffer: bytes) -> int:
    stripped = buffer.lstrip()
    return buffer[: len(buffer) - len(stripped)].count(b"\n")


def _next_in_quote(buffer: bytes, pos: int, quote: bytes) -> int:
    """The next closing quote or (outside backticks) backslash at or after `pos`."""
    end_quote = buffer.find(quote, pos)
    if quote == b"`":
        return end_quote
    backslash = buffer.find(b"\\", pos, end_quote if end_quote >= 0 else len(buffer))
    return backslash if backslash >= 0 else end_quote
