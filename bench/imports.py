"""Benchmark: importing 2,000 generated plain-text works of ~5,000 words into SQLite.

Run by hand: `.venv/bin/python bench/imports.py [--works N]` (or `make bench`).
It writes the files to a temporary folder and imports them through the same
service as `fanarchive import` (one transaction per work). Target: 100 works/s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _django import setup_django
from exports import prose


def write_files(folder: Path, count: int) -> int:
    rng = random.Random(5)
    total = 0
    for n in range(count):
        text = (
            f"Title: Harbour Story {n}\nAuthor: bench\nRating: G\nFandom: Harbour Tales\n"
            f"Characters: Mira, Tomas\n\n{prose(rng, 5_000)}\n\nNotes: Thanks for reading.\n"
        )
        (folder / f"story-{n:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
    return total


def check_search(imported: int) -> None:
    """The imported works are in the change log and found by their text and their tags."""
    from fanarchive.discovery.search import backend, parse
    from fanarchive.tags.models import Tag
    from fanarchive.works.catalogue_models import CatalogueChange
    from fanarchive.works.models import Work

    title_hits = backend().hits(parse('"Harbour Story 7"'), ranked=False)
    fandom = Tag.objects.get(name="Harbour Tales")
    found = {
        "tagged": Work.objects.filter(posted=True, work_tags__tag=fandom).count(),
        "logged": CatalogueChange.objects.values("work_id").distinct().count(),
        "searchable": len(backend().hits(parse("lantern"), ranked=False)),
    }
    if any(count != imported for count in found.values()) or len(title_hits) != 1:
        raise SystemExit(f"Imported {imported} works but found {found}, {title_hits}")
    print(f"Checked: all {imported:,} works logged, tagged and searchable")


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the batch's parser)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=2_000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="fanarchive-bench-imports-")
    try:
        setup_django(data_dir)
        source = Path(data_dir) / "texts"
        source.mkdir()
        words = write_files(source, args.works)
        print(f"Generated {args.works:,} works, {words:,} words in all")

        from fanarchive.core.testing import make_user
        from fanarchive.formats.import_files import collect
        from fanarchive.formats.import_services import IMPORTED, ImportOptions, works_import

        user = make_user("bench")
        print(f"Load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        start, cpu = time.perf_counter(), _cpu_seconds()
        outcomes = works_import(
            user=user, items=collect([source]), options=ImportOptions(post=True)
        )
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        imported = sum(o.status == IMPORTED for o in outcomes)
        print(f"Imported {imported:,} works in {seconds:.1f} s: {imported / seconds:.0f} works/s")
        # The machine is shared: CPU time says what the import costs whatever the load.
        print(
            f"CPU time (with the parsing process) {cpu:.1f} s: "
            f"{1000 * cpu / imported:.1f} ms a work, {imported / cpu:.0f} works per CPU second"
        )
        print(f"Load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        check_search(imported)
        start = time.perf_counter()
        again = works_import(user=user, items=collect([source]), options=ImportOptions())
        seconds = time.perf_counter() - start
        print(f"Re-run (all skipped as duplicates): {len(again) / seconds:.0f} files/s")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
