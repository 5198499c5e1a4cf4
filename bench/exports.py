"""Benchmark: downloads of a 30-chapter, 150,000-word work in every format.

Run by hand: `.venv/bin/python bench/exports.py` (or `make bench`). It makes a
throwaway SQLite archive in a temporary folder, posts one generated work, and
times each exporter, the EPUB against calibre's ebook-convert on the same HTML
(AO3 makes its downloads with calibre) when calibre is installed.
Targets: EPUB under 0.5 s and at least 10x faster than ebook-convert; PDF under 15 s.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


NAMES = ["Mira", "Tomas", "Ines", "Odile", "Ash", "Wren"]
_WORDS = (
    "harbour lantern boat tide shingle gull rope wind slate morning evening light water "
    "quiet stone path wall door window kettle bell map table letter road hill river salt"
)
WORDS = _WORDS.split()
_VERBS = "watched counted carried lifted turned folded followed crossed opened"
VERBS = _VERBS.split()


def sentence(rng: random.Random) -> str:
    who = rng.choice(NAMES)
    if rng.random() < 0.3:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        return f"\u201c{line},\u201d {who} said."
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return f"{who} {rng.choice(VERBS)} the {' '.join(words)}."


def prose(rng: random.Random, words: int) -> str:
    """Plain text of about `words` words: paragraphs, dialogue, a scene break or two."""
    paragraphs: list[str] = []
    count = 0
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 6)))
        count += len(paragraph.split())
        paragraphs.append(paragraph)
        if rng.random() < 0.02:
            paragraphs.append("* * *")
    return "\n\n".join(paragraphs)


CPU: dict[str, float] = {}


def timed(label: str, action, results: dict[str, float]):  # type: ignore[no-untyped-def]
    start, cpu = time.perf_counter(), time.process_time()
    value = action()
    results[label] = time.perf_counter() - start
    CPU[label] = time.process_time() - cpu
    return value


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="fanarchive-bench-exports-")
    try:
        setup_django(data_dir)
        run(Path(data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(folder: Path) -> None:
    from fanarchive.core.testing import make_user
    from fanarchive.formats.exporters import FORMATS
    from fanarchive.formats.selectors import export_document
    from fanarchive.works.models import Work
    from fanarchive.works.services import ChapterInput, WorkInput, work_create

    rng = random.Random(3)
    user = make_user("bench")
    chapters = [
        ChapterInput(text=prose(rng, 5_000), text_format="plain", title=f"Part {n}")
        for n in range(1, 31)
    ]
    data = WorkInput(
        title="The Long Harbour",
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Harbour Tales"],
        expected_chapters=30,
    )
    work = work_create(user=user, data=data, chapters=chapters, post=True)
    work = Work.objects.get(pk=work.pk)
    print(f"Work: {work.posted_chapters} chapters, {work.word_count:,} words")
    results: dict[str, float] = {}
    doc = timed("read from the database", lambda: export_document(work), results)
    outputs = {}
    for fmt in ("epub", "html", "txt", "pdf"):
        outputs[fmt] = timed(fmt, lambda fmt=fmt: FORMATS[fmt].build(doc), results)
    for label, seconds in results.items():
        size = f"  {len(outputs[label]) / 1024:,.0f} KiB" if label in outputs else ""
        print(f"{label:>24}: {seconds:7.3f} s (CPU {CPU[label]:.3f} s){size}")
    html_path = folder / "work.html"
    html_path.write_bytes(outputs["html"])
    converter = shutil.which("ebook-convert")
    if converter is None:
        print("calibre not installed: no comparison with ebook-convert")
        return
    print(f"{'load average':>24}: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    start, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(  # noqa: S603
        [converter, str(html_path), str(folder / "calibre.epub")],
        check=True,
        capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    calibre = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    calibre_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    print(f"{'calibre ebook-convert':>24}: {calibre:7.3f} s (CPU {calibre_cpu:.3f} s)")
    print(f"{'EPUB speed-up':>24}: {calibre / results['epub']:7.1f}x")
    print(f"{'EPUB speed-up, CPU time':>24}: {calibre_cpu / CPU['epub']:7.1f}x")


if __name__ == "__main__":
    main()
