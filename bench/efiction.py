"""Benchmark: migrating a generated eFiction archive of 5,000 stories and 20,000 chapters.

Run by hand: `.venv/bin/python bench/efiction.py [--stories N] [--chapters N] [--authors N]
[--profile]`. It writes an eFiction 3.x dump (latin1 declared, DATETIME dates) and a
stories folder (30% of the chapters in files) with generated, safe-for-work text
(`fanarchive.formats.efiction.sample.generate`) into a temporary folder, then runs
`fanarchive migrate-efiction` into a throwaway SQLite archive: a dry run, the
migration, and a re-run (which must add nothing). `--profile` runs the migration
under pyinstrument (when installed) and prints where the time goes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _django import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=5_000)
    parser.add_argument("--chapters", type=int, default=20_000)
    parser.add_argument("--authors", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--skip-dry-run", action="store_true")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="fanarchive-bench-efiction-")
    try:
        setup_django(data_dir)
        from django.core.management import call_command

        from fanarchive.core.testing import make_user
        from fanarchive.formats.efiction.sample import generate

        start = time.perf_counter()
        generated = generate(
            Path(data_dir) / "efiction",
            stories=args.stories,
            chapters=args.chapters,
            authors=args.authors,
        )
        size = generated.dump.stat().st_size / 1_048_576
        print(
            f"Generated {generated.stories:,} stories, {generated.chapters:,} chapters, "
            f"{generated.authors:,} authors: dump {size:.0f} MB, "
            f"in {time.perf_counter() - start:.1f} s"
        )
        make_user("archivist", is_staff=True)
        command = [
            "migrate-efiction",
            "--dump",
            str(generated.dump),
            "--stories",
            str(generated.stories_dir),
            "--as",
            "archivist",
            "--json",
            "--no-progress",
        ]

        cpu: list[float] = []

        def run(*extra: str) -> tuple[dict, float]:
            out = StringIO()
            began, began_cpu = time.perf_counter(), time.process_time()
            call_command(*command, *extra, stdout=out)
            cpu.append(time.process_time() - began_cpu)
            return json.loads(out.getvalue()), time.perf_counter() - began

        if not args.skip_dry_run:
            report, seconds = run("--dry-run")
            print(f"Dry run: {seconds:.1f} s ({report['counts']['stories']})")
        profiler = None
        if args.profile:
            try:
                from pyinstrument import Profiler

                profiler = Profiler()
                profiler.start()
            except ImportError:
                print("pyinstrument is not installed: no profile")
        report, seconds = run()
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        counts = report["counts"]
        print(
            f"Migration: {seconds:.1f} s ({seconds / 60:.1f} min): "
            f"{counts['authors']}, {counts['stories']}, {counts['chapters']}"
        )
        print(
            f"  reviews {counts['reviews']}, favourites {counts['favorites']}, "
            f"{report['hits']:,} hits added"
        )
        print(
            f"  {counts['stories'].get('migrated', 0) / seconds:.1f} stories/s; "
            f"CPU time {cpu[-1]:.1f} s (wall time includes waiting for a busy machine)"
        )
        report, seconds = run()
        print(
            f"Re-run: {seconds:.1f} s ({report['counts']['stories']}, "
            f"reviews {report['counts']['reviews']}, favourites {report['counts']['favorites']})"
        )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
