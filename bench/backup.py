"""Backup and restore of a big archive: times, file size and memory.

    nice .venv/bin/python bench/backup.py --works 100000
    .venv/bin/python bench/backup.py --works 20000 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres

Builds a throwaway SQLite archive as bench/discovery.py does (its `generate`: works,
200,000 tags, ~14 tags a work, creatorships), adds one posted chapter of about
--chapter-words words (its source and its HTML) and a few kudos to each work, then runs
the real commands, each in a process of its own, and reads each one's peak memory
(`os.wait4`'s ru_maxrss):

- `fanarchive backup FILE` from SQLite: seconds, works/s, size;
- `fanarchive backup --verify FILE`;
- `fanarchive restore FILE` into a new SQLite archive: the load (rows and files, in one
  transaction) and the rebuild (search documents and catalogue index; on PostgreSQL by
  one process a core, `backup.rebuild`) separately; "in all" also counts the process
  start and `migrate` on the empty database (~7 s);
- with --postgres, the same restore into a new PostgreSQL database (created, and dropped
  afterwards) and a backup from it.

Bench only: the data is bulk-inserted, not posted through the services.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "the", "harbour", "light", "kept", "turning", "while", "the", "boats", "came", "home",
    "one", "by", "one", "through", "rain", "and", "salt", "and", "the", "keeper", "counted",
    "each", "of", "them", "aloud", "before", "she", "slept",
]  # fmt: skip


def build(data_dir: Path, works: int, chapter_words: int) -> None:
    """The archive: discovery's generator, then a chapter and kudos per work."""
    setup_django(data_dir)
    from discovery import generate

    generate(works)
    add_chapters_and_kudos(chapter_words)


def add_chapters_and_kudos(chapter_words: int) -> None:
    """One posted chapter of `chapter_words` words and three kudos for every work."""
    from datetime import UTC, datetime

    from django.db import connection, transaction

    rng = np.random.default_rng(7)
    now = datetime.now(UTC)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_user ORDER BY id")
        users = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT id FROM works_work ORDER BY id")
        work_ids = [row[0] for row in cursor.fetchall()]
    started = time.monotonic()
    for start in range(0, len(work_ids), 5000):
        batch = work_ids[start : start + 5000]
        chapters = []
        kudos = []
        for work_id in batch:
            words = rng.choice(WORDS, size=chapter_words)
            paragraphs = [" ".join(words[i : i + 60]) for i in range(0, chapter_words, 60)]
            source = "\n\n".join(paragraphs)
            content = "".join(f"<p>{p}</p>" for p in paragraphs)
            chapters.append((work_id, source, content, chapter_words, now, now, now))
            for user in rng.choice(users, size=3, replace=False).tolist():
                kudos.append((work_id, user, now))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO works_chapter (work_id, position, title, summary, notes, "
                "endnotes, text_format, source, content, word_count, posted, published_at, "
                "created_at, updated_at) VALUES (%s, 1, '', '', '', '', 'plain', %s, %s, %s, "
                "true, %s, %s, %s)",
                chapters,
            )
            cursor.executemany(
                "INSERT INTO engagement_kudos (work_id, user_id, guest_key, created_at) "
                "VALUES (%s, %s, NULL, %s)",
                kudos,
            )
        print(f"\r  chapters and kudos for {start + len(batch):,} works", end="", flush=True)
    print(f"\n  in {time.monotonic() - started:.0f} s")


def run(command: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a `fanarchive` command; its wall time, peak memory and output."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "fanarchive.cli", *command],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
        out.seek(0)
        text = out.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed:\n{text}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "output": text}


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def report_restore(label: str, result: dict[str, Any], works: int) -> None:
    loaded = re.search(r"in ([0-9.]+) s\.", result["output"])
    rebuilt = re.search(r"Rebuilt the index and search documents in ([0-9.]+) s", result["output"])
    load = float(loaded.group(1)) if loaded else result["seconds"]
    print(
        f"{label}: {result['seconds']:.1f} s in all, peak {result['peak_mb']:.0f} MB; "
        f"the load {load:.1f} s ({works / load:,.0f} works/s)"
        + (f", the rebuild {float(rebuilt.group(1)):.1f} s" if rebuilt else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--chapter-words", type=int, default=600)
    parser.add_argument("--postgres", help="a PostgreSQL server URL for the PostgreSQL runs")
    parser.add_argument(
        "--skip-sqlite-restore", action="store_true", help="with --postgres: restore there only"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--build-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_child:
        build(Path(args.build_child), args.works, args.chapter_words)
        return
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-backup-"))
    print(f"Working in {workdir}")
    try:
        source = workdir / "source"
        started = time.monotonic()
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--works", str(args.works), "--chapter-words",
             str(args.chapter_words), "--build-child", str(source)],
            check=True,
        )  # fmt: skip
        db_size = (source / "fanarchive.sqlite3").stat().st_size / 1e6
        print(
            f"built {args.works:,} works in {time.monotonic() - started:.0f} s ({db_size:,.0f} MB)"
        )
        file = workdir / "archive.fanarchive-backup"
        result = run(["backup", str(file)], environment(source))
        size = file.stat().st_size / 1e6
        print(
            f"backup (SQLite): {result['seconds']:.1f} s, {args.works / result['seconds']:,.0f} "
            f"works/s, {size:,.1f} MB, peak {result['peak_mb']:.0f} MB"
        )
        result = run(["backup", "--verify", str(file)], environment(source))
        print(f"verify: {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB")
        if not args.skip_sqlite_restore:
            result = run(["restore", str(file)], environment(workdir / "restored-sqlite"))
            report_restore("restore into SQLite", result, args.works)
        if args.postgres:
            import psycopg

            name = f"fanarchive_bench_backup_{os.getpid()}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {name}")
            url = f"{args.postgres.rsplit('/', 1)[0]}/{name}"
            try:
                env = environment(workdir / "restored-postgres", url)
                result = run(["restore", str(file)], env)
                report_restore("restore into PostgreSQL", result, args.works)
                again = workdir / "again.fanarchive-backup"
                result = run(["backup", str(again)], env)
                print(
                    f"backup (PostgreSQL): {result['seconds']:.1f} s, "
                    f"{args.works / result['seconds']:,.0f} works/s, "
                    f"{again.stat().st_size / 1e6:,.1f} MB, peak {result['peak_mb']:.0f} MB"
                )
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
