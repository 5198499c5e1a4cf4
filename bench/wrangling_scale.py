"""A wrangling of a tag on a great many works: the request, the listings, the search.

    nice .venv/bin/python bench/wrangling_scale.py --works 100000
    .venv/bin/python bench/wrangling_scale.py --works 20000 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres

Builds a throwaway archive as bench/backup.py does (discovery's generator, then a chapter
of --chapter-words words per work), writes every search document, and gives every work
one more tag, "Big Trope". Then, through the Django test client as a wrangler, it makes
"Big Trope" a synonym of the canonical "Grand Trope" and reports:

- the wrangling's POST to the tag's wrangling page (the request; the issue's target is
  under a second at 100,000 works) and what the page it redirects to shows;
- the next listing of "Grand Trope" in a process that serves as gunicorn's workers do
  (`live.catch_up_off_requests`): it applies a slice of the 100,000 log entries and leaves
  the rest to a thread; how soon a work posted then is listed (each slice applies the
  posts logged after the wrangling ahead of it); the listings' times while the thread
  works, and the time until the index has caught up and the listing shows every work;
- the background catch-up of the search documents (`search_documents_catch_up`, what the
  task runs): seconds and works/s, and that a search for "Grand Trope" then finds them.

With --postgres a throwaway database is created beside the URL's and dropped afterwards.
Bench only: the archive is bulk-inserted; the wrangling goes through the real stack.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def throwaway_database(url: str) -> tuple[str, str, str]:
    """(admin URL, throwaway database URL, its name) for a server URL."""
    import os

    base, _, name = url.rpartition("/")
    database = f"{name or 'postgres'}_wrangling_{os.getpid()}"
    return url, f"{base}/{database}", database


def listed_total(page: str) -> str:
    """The works count a listing page shows."""
    total = re.search(r"([\d,]+) Works? in", page)
    return total.group(1) if total else "?"


def run(args: argparse.Namespace, workdir: Path, database_url: str | None) -> None:
    setup_django(workdir, database_url)
    from backup import add_chapters_and_kudos
    from discovery import generate
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from fanarchive.core.testing import make_user, make_work
    from fanarchive.discovery.index import live
    from fanarchive.tags.models import Tag, TagType
    from fanarchive.works.catalogue_services import (
        search_documents_catch_up,
        search_documents_rebuild,
    )
    from fanarchive.works.models import SearchDocument, Work

    generate(args.works)
    add_chapters_and_kudos(args.chapter_words)
    work_ids = list(Work.objects.order_by("id").values_list("id", flat=True))
    started = time.monotonic()
    search_documents_rebuild(work_ids=work_ids)
    print(f"  search documents written in {time.monotonic() - started:.0f} s")
    big = Tag.objects.create(type=TagType.FREEFORM, name="Big Trope")
    grand = Tag.objects.create(type=TagType.FREEFORM, name="Grand Trope", canonical=True)
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO works_worktag (position, tag_id, work_id, main) "
            "VALUES (99, %s, %s, FALSE)",
            [(big.pk, work_id) for work_id in work_ids],
        )
        cursor.execute("ANALYZE")
    live.rebuild()
    live.catch_up_off_requests()  # as in each of gunicorn's workers
    admin = make_user("bench_wrangler", is_staff=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    client.get(reverse("wrangling:tag_edit", args=[big.pk]))  # warm

    print(f"Wrangling a tag on {len(work_ids):,} works ({connection.vendor}):")
    began = time.perf_counter()
    response = client.post(
        reverse("wrangling:tag_edit", args=[big.pk]),
        {"action": "synonym", "synonym-synonym_of": "Grand Trope"},
    )
    posted_at = time.perf_counter()
    posted = posted_at - began
    if response.status_code != 302:
        raise SystemExit(f"the wrangling was refused: HTTP {response.status_code}")
    began = time.perf_counter()
    page = client.get(response["Location"]).content.decode()
    shown = time.perf_counter() - began
    waiting = re.search(r"the text of ([\d,.\s]+) works is still being updated", page)
    print(f"  the POST:                      {posted * 1000:.0f} ms")
    print(
        f"  the page it leads to:          {shown * 1000:.0f} ms, saying "
        f"{waiting.group(1).strip() if waiting else 'nothing'} works' text is waiting"
    )
    listing_url = reverse("tags:works", args=[grand.pk])
    began = time.perf_counter()
    first = client.get(listing_url).content.decode()
    first_took = time.perf_counter() - began
    print(
        f"  the next listing of Grand Trope: {first_took * 1000:.0f} ms, "
        f"{listed_total(first)} works listed (the rest is left to the catch-up thread)"
    )
    # A writer posts while the thread works through the wrangling's entries.
    writer = make_user("bench_writer")
    began = time.perf_counter()
    post = make_work(writer, title="Posted Meanwhile", freeforms=["Meanwhile"])
    post_tag = Tag.objects.get(type=TagType.FREEFORM, name="Meanwhile")
    post_listing = reverse("tags:works", args=[post_tag.pk])
    while f"/works/{post.pk}/" not in client.get(post_listing).content.decode():
        time.sleep(0.01)
    post_listed = time.perf_counter() - began
    print(
        f"  a work posted meanwhile:       listed {post_listed * 1000:.0f} ms after it was "
        f"posted ({'before' if not live.caught_up() else 'once'} the catch-up was done)"
    )
    meanwhile = []
    while not live.caught_up():
        began = time.perf_counter()
        client.get(listing_url)
        meanwhile.append(time.perf_counter() - began)
        time.sleep(0.2)
    if meanwhile:
        meanwhile.sort()
        print(
            f"  listings while it catches up:  {len(meanwhile)}, median "
            f"{meanwhile[len(meanwhile) // 2] * 1000:.0f} ms, slowest {meanwhile[-1] * 1000:.0f} ms"
        )
    caught_up = time.perf_counter() - posted_at
    began = time.perf_counter()
    listing = client.get(listing_url).content.decode()
    listed = time.perf_counter() - began
    print(
        f"  the index caught up:           {caught_up:.1f} s after the POST returned "
        f"({len(work_ids):,} log entries, by a thread of the process)"
    )
    print(
        f"  then the listing of Grand Trope: {listed * 1000:.0f} ms, "
        f"{listed_total(listing)} works listed"
    )
    began = time.perf_counter()
    done = search_documents_catch_up()
    caught = time.perf_counter() - began
    print(
        f"  search documents caught up:    {caught:.1f} s, {done:,} works, "
        f"{done / caught:,.0f} works/s"
    )
    found = SearchDocument.objects.filter(tags__contains="Grand Trope").count()
    print(f"  documents naming Grand Trope:  {found:,} of {len(work_ids):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--chapter-words", type=int, default=600)
    parser.add_argument("--postgres", help="a PostgreSQL server URL; default SQLite")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-wrangling-"))
    print(f"Working in {workdir}")
    admin_url = database_url = name = None
    if args.postgres:
        import psycopg

        admin_url, database_url, name = throwaway_database(args.postgres)
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        run(args, workdir, database_url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if admin_url and name:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
