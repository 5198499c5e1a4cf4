"""Guests' listing pages with and without the shared page cache: CPU per request.

    nice .venv/bin/python bench/guest_pages.py --works 100000

Builds a throwaway SQLite archive with discovery's generator, then asks for `/works/` and a
popular tag's works page as a guest, through Django's whole stack in this process (the test
client: every middleware, the session, the view), N times each:

- with the cache off (`GUEST_PAGE_CACHE_SECONDS = 0`): each page rendered;
- with it on, after one request has filled it: each page a cache hit.

It prints CPU time per request (p50 / p99, and the mean) for each. This is the server's own
cost per page; it leaves out gunicorn's and the network's (`wrk` against `fanarchive serve`,
and nginx in front of it, are not measured here yet).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_per_request(client: object, url: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        began = time.process_time()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append(time.process_time() - began)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return times


def report(label: str, times: list[float]) -> None:
    mean = sum(times) / len(times)
    print(
        f"  {label:38} p50 {pct(times, 0.5) * 1000:6.2f} ms   p99 {pct(times, 0.99) * 1000:6.2f}"
        f" ms   mean {mean * 1000:6.2f} ms"
    )


def run(args: argparse.Namespace, workdir: Path) -> None:
    setup_django(workdir)
    from discovery import generate
    from django.conf import settings
    from django.test import Client

    from fanarchive.discovery.index import live
    from fanarchive.tags.models import Tag, TagType
    from fanarchive.works.models import WorkTag

    generate(args.works)
    live.rebuild()
    fandom = (
        Tag.objects.filter(type=TagType.FANDOM)
        .order_by("-id")
        .filter(pk__in=WorkTag.objects.values("tag_id"))
        .first()
    )
    pages = {"/works/": "/works/"}
    if fandom is not None:
        pages["a fandom's works page"] = f"/tags/{fandom.pk}/works/"
    client = Client(HTTP_HOST="localhost")
    print(f"Guest pages, {args.works:,} works, {args.requests} requests each (CPU per request):")
    for label, url in pages.items():
        settings.GUEST_PAGE_CACHE_SECONDS = 0
        client.get(url)  # warm
        report(f"{label}, rendered", cpu_per_request(client, url, args.requests))
        settings.GUEST_PAGE_CACHE_SECONDS = 60
        first = client.get(url)
        if first.get("X-Page-Cache") not in ("miss", "hit"):
            raise SystemExit(f"{url} was not cached: {first.get('X-Page-Cache')!r}")
        hits = cpu_per_request(client, url, args.requests)
        if client.get(url).get("X-Page-Cache") != "hit":
            raise SystemExit(f"{url} was not served from the cache")
        report(f"{label}, from the cache", hits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-guest-pages-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
