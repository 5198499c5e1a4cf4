"""Benchmark: a chapter's reading page when it has 2,000 comments, in threads.

Run by hand: `.venv/bin/python bench/comments.py [--comments 2000] [--runs 10]`. It makes
a throwaway SQLite archive in a temporary folder, posts one three-chapter work, puts
the comments on its second chapter (threads of every size, some deeper than the page
shows), and times the chapter page through Django's test client (the whole stack but
the network) as a guest and as a logged-in reader: first page, last page, the
permalink of the newest reply, and the whole work. For each it prints the median and
worst time, the HTML size and the number of SQL queries.

The comments are inserted in bulk (bench only: 2,000 `comment_create` calls would
measure the posting, not the reading).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


WORDS = [
    *("harbour", "lantern", "boat", "tide", "gull", "rope", "wind", "slate", "morning"),
    *("light", "water", "quiet", "stone", "path", "door", "window", "kettle", "bell"),
    *("letter", "road", "hill", "river", "salt", "loved", "chapter", "ending"),
]


def comment_text(rng: random.Random) -> str:
    sentences = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))).capitalize() + "."
        for _ in range(rng.randint(1, 4))
    ]
    return f"<p>{' '.join(sentences)}</p>"


def build(comments: int) -> dict[str, Any]:
    """A posted work of three chapters; `comments` comments on the second, in threads."""
    from fanarchive.core.testing import make_user, make_work
    from fanarchive.engagement.models import Comment

    rng = random.Random(7)
    writer = make_user("bench_writer")
    readers = [make_user(f"bench_reader_{n}") for n in range(40)]
    work = make_work(writer, chapters=3)
    chapter = work.chapters.get(position=2)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    made: list[Comment] = []
    # A quarter of the comments start threads; the rest reply to a comment of a recent
    # thread, usually near its end, so a few threads grow long and a few deep.
    for n in range(comments):
        reader = rng.choice(readers)
        parent = None
        if made and rng.random() > 0.25:
            parent = made[-1 - min(int(rng.expovariate(0.15)), len(made) - 1)]
        comment = Comment(
            work=work,
            chapter=chapter,
            parent=parent,
            thread_root_id=parent.thread_root_id if parent else None,
            user=reader,
            pseud=reader.default_pseud,
            text=comment_text(rng),
        )
        comment.save()
        if parent is None:
            comment.thread_root = comment
            comment.save(update_fields=["thread_root"])
        made.append(comment)
        Comment.objects.filter(pk=comment.pk).update(created_at=start + dt.timedelta(minutes=n))
    return {"work": work, "chapter": chapter, "reader": readers[0], "newest": made[-1]}


def measure(client: Any, url: str, runs: int, *, follow: bool = False) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    size = queries = 0
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        connection.queries_log.clear()  # a full log (9,000 entries) would capture nothing
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, follow=follow)
            elapsed = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times.append(elapsed)
        size, queries = len(response.content), len(captured.captured_queries)
    counted = times[1:]
    return {
        "median": statistics.median(counted),
        "worst": max(counted),
        "size": size,
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=0, help="then N reads at once")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="fanarchive-bench-comments-")
    try:
        setup_django(data_dir)
        chapter_url = run(args.comments, args.runs)
        if args.concurrent:
            read_at_once(data_dir, chapter_url, args.concurrent, args.port)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(comments: int, runs: int) -> str:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from fanarchive.engagement.models import Comment

    started = time.perf_counter()
    built = build(comments)
    chapter, work = built["chapter"], built["work"]
    roots = Comment.objects.filter(chapter=chapter, parent__isnull=True).count()
    print(
        f"{comments:,} comments ({roots:,} threads) on one chapter, "
        f"built in {time.perf_counter() - started:.1f} s"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    guest = Client(SERVER_NAME="localhost")
    reader = Client(SERVER_NAME="localhost")
    reader.force_login(built["reader"])
    chapter_url = chapter.get_absolute_url()
    pages = {
        "chapter, first page": chapter_url,
        # Threads are 20 a page (`engagement.comment_pages.THREADS_PER_PAGE`).
        "chapter, last page": f"{chapter_url}?page={-(-roots // 20)}",
        "entire work": f"{work.get_absolute_url()}?view_full_work=true",
    }
    try:
        permalink = reverse("engagement:comment", args=[built["newest"].pk])
    except NoReverseMatch:
        permalink = ""
    for who, client in (("guest", guest), ("reader", reader)):
        for label, url in pages.items():
            figures = measure(client, url, runs)
            print(
                f"{who:>6} {label:<22} median {figures['median'] * 1000:7.1f} ms, "
                f"worst {figures['worst'] * 1000:7.1f} ms, {figures['size'] / 1024:7.1f} KiB, "
                f"{figures['queries']:3d} queries"
            )
        if permalink:
            figures = measure(client, permalink, runs, follow=True)
            print(
                f"{who:>6} {'newest reply link':<22} median {figures['median'] * 1000:7.1f} ms "
                f"(redirect and page), {figures['size'] / 1024:7.1f} KiB"
            )
    return str(chapter_url)


def read_at_once(data_dir: str, path: str, readers: int, port: int) -> None:
    """`readers` guests asking for the chapter page at the same moment, over HTTP."""
    from fanarchive.core.gunicorn import gunicorn_argv

    env = {**os.environ, "FANARCHIVE_DATA_DIR": data_dir, "FANARCHIVE_ALLOWED_HOSTS": "127.0.0.1"}
    argv = gunicorn_argv(host="127.0.0.1", port=port, workers=2, task_worker=False)
    log = Path(data_dir) / "server.log"
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn command line)
        argv, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(url, timeout=60).read()
                break
            except urllib.error.HTTPError:
                raise
            except OSError:
                time.sleep(0.5)
        start_together = threading.Barrier(readers)

        def read(_: int) -> tuple[int, float]:
            start_together.wait()
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0  # timed out or refused
            return status, time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=readers) as pool:
            results = list(pool.map(read, range(readers)))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    ok = sorted(elapsed for status, elapsed in results if status == 200)
    failed = Counter(status for status, _ in results if status != 200)
    line = f"{readers} guest reads of the chapter page at once over HTTP: {len(ok)} answered 200"
    if ok:
        line += (
            f"; median {statistics.median(ok):.2f} s, p99 {ok[int(len(ok) * 0.99) - 1]:.2f} s, "
            f"worst {ok[-1]:.2f} s; all done in {wall:.1f} s"
        )
    if failed:
        line += f"; failed: {dict(failed)} (0 = timed out or refused)"
    print(line)


if __name__ == "__main__":
    main()
