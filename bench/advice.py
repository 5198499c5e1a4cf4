"""Rating and warning advice on its labelled set: precision and recall of "more mature
than its rating", per rating and per warning, on both parts; and the CPU time of one
analysis of a generated 10,000-word work.

    .venv/bin/python bench/advice.py               # figures
    .venv/bin/python bench/advice.py --mistakes    # and every passage it reads wrongly

Pure: no database. The set is fanarchive/core/advice/tests/data/passages.csv; its `dev`
part was used to write the word lists and rules, its `heldout` part only measured.
Targets: precision >= 0.95 overall and for Explicit, recall >= 0.8 for Explicit,
under 50 ms of CPU for 10,000 words.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanarchive.core.advice.tests import quality


def line(label: str, figures: quality.Figures) -> str:
    return (
        f"{label:<34} precision {figures.precision:.3f}  recall {figures.recall:.3f}  "
        f"tp {figures.tp:>3} fp {figures.fp:>2} fn {figures.fn:>3}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mistakes", action="store_true", help="list what it reads wrongly")
    parser.add_argument("--words", type=int, default=10_000, help="words of the timed work")
    args = parser.parse_args()
    passages = quality.load()
    for split in quality.SPLITS:
        measured = quality.measure(passages, split)
        print(f"\n{split} part: {measured.passages} passages")
        print(line("more mature than the chosen rating", measured.more_mature))
        for rating, figures in measured.by_rating.items():
            print(line(f"  reads as {rating}", figures))
        for warning, figures in measured.by_warning.items():
            print(line(f"  warning {warning}", figures))
        if args.mistakes:
            for passage, advice in measured.mistakes:
                said = ", ".join([advice.rating, *advice.warnings])
                truth = ", ".join([passage.rating, *passage.warnings])
                print(f"    {passage.id}: said {said}; is {truth}: {passage.text[:70]}")
    work = quality.generated_work(args.words)
    words = sum(len(chapter.split()) for chapter in work)
    print(f"\nCPU time for a generated work of about {words:,} words: ", end="")
    print(f"{quality.cpu_ms(work):.1f} ms (median of 15 runs)")


if __name__ == "__main__":
    main()
