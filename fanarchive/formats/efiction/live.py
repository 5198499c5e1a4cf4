"""Reading a live eFiction database (MySQL or MariaDB) with PyMySQL.

The same tables are read as from a dump, into the same records: values are fetched
as bytes (no decoding by the driver), so `schema.text_of` repairs text exactly as it
does for a dump. Rows are streamed with a server-side cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

from fanarchive.formats.errors import ImportFailed

BATCH = 500


def connection_options(url: str) -> dict[str, Any]:
    """`mysql://user:password@host:3306/database` (also `mariadb://`) as PyMySQL options."""
    parts = urlsplit(url)
    if parts.scheme not in {"mysql", "mariadb"}:
        raise ImportFailed(_redacted(url), "is not a mysql:// or mariadb:// database address.")
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ImportFailed(_redacted(url), "names no database (mysql://user@host/DATABASE).")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "database": database,
    }


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


class LiveReader:
    """The tables of one database whose names start with `prefix`, row by row."""

    def __init__(self, url: str, *, prefix: str) -> None:
        import pymysql

        self.url = _redacted(url)
        self.prefix = prefix
        options = connection_options(url)
        try:
            self.connection = pymysql.connect(
                **options, charset="utf8mb4", use_unicode=False, connect_timeout=10
            )
            # Text arrives as the stored bytes, whatever the columns declare: a latin1
            # column of an old eFiction often holds UTF-8 bytes, which conversion would
            # garble twice.
            with self.connection.cursor() as cursor:
                cursor.execute("SET character_set_results = binary")
        except pymysql.MySQLError as error:
            raise ImportFailed(self.url, f"cannot be reached: {error.args[-1]}") from None

    def tables(self) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            names = [_str(row[0]) for row in cursor.fetchall()]
        return [n for n in names if n.lower().startswith(self.prefix.lower())]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        import pymysql.cursors

        with self.connection.cursor(pymysql.cursors.SSCursor) as cursor:
            # A table name from SHOW TABLES, quoted as an identifier (names cannot be bound).
            quoted = table.replace("`", "``")
            cursor.execute(f"SELECT * FROM `{quoted}`")  # noqa: S608
            columns = [_str(d[0]) for d in cursor.description or ()]
            while True:
                batch = cursor.fetchmany(BATCH)
                if not batch:
                    break
                for row in batch:
                    yield dict(zip(columns, row, strict=True))

    def close(self) -> None:
        self.connection.close()


def _str(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
