"""What the demo archive holds, planned as plain data: no database here.

Fandoms come with Zipf-like popularity (a few big ones, a long tail), writers post
more or less as real ones do, and each work gets its tags, chapters and dates. The
generator (generator.py) then creates the accounts and posts the works through the
services. Planning is deterministic for its random stream.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta

from fanarchive.core.text import TextFormat
from fanarchive.demo.cast import Character, Fandom, weighted_sample, zipf_weights
from fanarchive.demo.prose import Writer
from fanarchive.demo.vocabulary import Prose, prose, words
from fanarchive.tags import fixed
from fanarchive.works.inputs import ChapterInput, WorkInput

HISTORY_DAYS = 3 * 365
MAX_CHAPTERS = 12
MAX_FANDOMS = 60
# Each language has its templates in data/prose-<language>.toml.
LANGUAGE_WEIGHTS = {"en": 90, "es": 4, "fr": 3, "de": 3}

RATING_WEIGHTS = {
    fixed.GENERAL: 38,
    fixed.TEEN: 30,
    fixed.MATURE: 12,
    fixed.EXPLICIT: 8,
    fixed.NOT_RATED: 12,
}
# How often a work of each rating carries a specific warning rather than "none apply".
SPECIFIC_WARNING_SHARE = {
    fixed.GENERAL: 0.03,
    fixed.TEEN: 0.15,
    fixed.MATURE: 0.3,
    fixed.EXPLICIT: 0.25,
    fixed.NOT_RATED: 0.2,
}
SPECIFIC_WARNINGS = (fixed.VIOLENCE, fixed.CHARACTER_DEATH, fixed.NON_CON, fixed.UNDERAGE)
ADULT_ONLY_WARNINGS = frozenset({fixed.NON_CON, fixed.UNDERAGE})


def default_user_count(works: int) -> int:
    """Accounts for `works` works: most writers post few works, and some accounts only read."""
    return max(2, works // 3)


def fandom_count(works: int) -> int:
    return min(MAX_FANDOMS, max(3, round(works / 6)))


# -- accounts -----------------------------------------------------------------


def candidate_usernames(rng: random.Random) -> Iterator[str]:
    """Endless candidate user names; the caller skips taken ones."""
    vocabulary = words()
    while True:
        adjective = rng.choice(vocabulary.username_adjectives)
        noun, other = rng.sample(vocabulary.username_nouns, 2)
        style = rng.random()
        if style < 0.35:
            yield f"{adjective}{noun}"
        elif style < 0.65:
            yield f"{adjective}_{noun}"
        elif style < 0.85:
            yield f"{noun}{rng.randint(1, 999)}"
        else:
            yield f"{noun}_and_{other}"


def extra_pseud_count(rng: random.Random, *, demo: bool) -> int:
    """Some writers keep a second name or two, as on AO3; the demo account has one."""
    return 1 if demo else rng.choices((0, 1, 2), weights=(80, 15, 5))[0]


def pseud_name(rng: random.Random) -> str:
    vocabulary = words()
    adjective = rng.choice(vocabulary.username_adjectives).title()
    return f"{adjective} {rng.choice(vocabulary.username_nouns).title()}"


def author_weights(writers: int) -> list[float]:
    """How much each writer posts, the demo account (index 0) a few works, as a
    moderately busy writer would."""
    weights = zipf_weights(writers, 0.9)
    weights[0] = weights[min(2, writers - 1)]
    return weights


# -- works --------------------------------------------------------------------


@dataclass
class PlannedWork:
    author: int  # index into the archive's writers
    pseud: int  # 0 is the writer's default pseud, n their n-th extra one
    data: WorkInput
    chapters: list[ChapterInput]
    post: bool
    # How long before "now" a posted work was first posted and last updated. Its chapters
    # are published from the one to the other at even steps (what `WorkHistory` does).
    posted_ago: timedelta = timedelta(0)
    updated_ago: timedelta = timedelta(0)


class WorkPlanner:
    """Plans works one at a time, deterministically for its random stream."""

    def __init__(
        self,
        rng: random.Random,
        fandoms: Sequence[Fandom],
        author_weights: Sequence[float],
        pseud_counts: Sequence[int],
    ) -> None:
        self.rng = rng
        self.fandoms = list(fandoms)
        self.fandom_weights = zipf_weights(len(fandoms), 0.9)
        self.author_weights = list(author_weights)
        self.pseud_counts = list(pseud_counts)
        self.titles: set[str] = set()
        self.words = words()
        self.tropes = self.words.tropes
        self.trope_weights = zipf_weights(len(self.tropes), 0.8)

    def plan(self, works: int) -> Iterator[PlannedWork]:
        rng = self.rng
        order = list(range(works))
        rng.shuffle(order)
        drafts = set(order[: max(1, works // 30)] if works >= 5 else [])
        posted = [i for i in order if i not in drafts]
        # Every rating and every warning turns up at least once when there are
        # enough works, so each filter has something to show.
        forced_ratings = dict(zip(posted[: len(fixed.RATINGS)], fixed.RATINGS, strict=False))
        rest = posted[len(fixed.RATINGS) :]
        forced_warnings = dict(zip(rest[: len(fixed.WARNINGS)], fixed.WARNINGS, strict=False))
        # The demo account writes a draft of its own, so its drafts page is not empty.
        first_draft = min(drafts) if drafts else -1
        for index in range(works):
            yield self._work(
                post=index not in drafts,
                author=0 if index == first_draft else None,
                rating=forced_ratings.get(index),
                warning=forced_warnings.get(index),
            )

    def _work(
        self, *, post: bool, author: int | None, rating: str | None, warning: str | None
    ) -> PlannedWork:
        rng = self.rng
        if author is None:
            author = rng.choices(range(len(self.author_weights)), self.author_weights)[0]
        extra_pseuds = self.pseud_counts[author]
        # Both draws happen whatever the writer has, so the works do not depend on accounts.
        use_extra, which = rng.random(), rng.random()
        pseud = 1 + int(which * extra_pseuds) if extra_pseuds and use_extra < 0.4 else 0

        # A few crossovers: a second fandom, as popular fandoms cross over more.
        fandoms = weighted_sample(rng, self.fandoms, self.fandom_weights, 2)
        if rng.random() >= 0.06:
            fandoms = fandoms[:1]
        cast = self._cast(fandoms)
        relationships, categories = self._relationships(cast)
        rating, warnings = self._rating_and_warnings(rating, warning)
        language = rng.choices(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))[0]
        language_prose = prose(language)
        freeforms = weighted_sample(rng, self.tropes, self.trope_weights, rng.randint(1, 7))
        chapter_count, expected = self._chapter_plan()

        # Prose needs two people; a one-character work brings along an untagged friend.
        speaking = list(cast)
        if len(speaking) < 2:
            others = [c for c in fandoms[0].characters if c not in speaking]
            speaking.append(rng.choice(others))
        english = language == "en"
        slots = self._slots(language_prose, english, speaking, fandoms[0], freeforms)
        places = fandoms[0].places if english else language_prose.places
        writer = Writer(rng, language_prose, speaking, places)
        base_words = math.exp(rng.uniform(math.log(350), math.log(3500)))
        titled = chapter_count > 1 and rng.random() < 0.5
        chapters = []
        for _ in range(chapter_count):
            chapters.append(
                ChapterInput(
                    text=writer.chapter(max(200, round(base_words * rng.uniform(0.75, 1.25)))),
                    text_format=TextFormat.PLAIN,
                    title=(
                        self._fill(rng.choice(language_prose.chapter_titles), slots)
                        if titled
                        else ""
                    ),
                    notes=(
                        self._fill(rng.choice(language_prose.chapter_notes), slots)
                        if chapter_count > 1 and rng.random() < 0.2
                        else ""
                    ),
                )
            )
        notes, endnotes = language_prose.notes, language_prose.endnotes
        data = WorkInput(
            title=self._title(language_prose, slots),
            rating=rating,
            warnings=warnings,
            fandoms=[f.name for f in fandoms],
            categories=categories,
            relationships=relationships,
            characters=[c.name for c in cast],
            freeforms=freeforms,
            summary=self._fill(rng.choice(language_prose.summaries), slots),
            notes=self._fill(rng.choice(notes), slots) if rng.random() < 0.35 else "",
            endnotes=self._fill(rng.choice(endnotes), slots) if rng.random() < 0.25 else "",
            language=language,
            restricted=rng.random() < 0.08,
            expected_chapters=expected,
        )
        planned = PlannedWork(author, pseud, data, chapters, post)
        if post:
            planned.posted_ago, planned.updated_ago = self._dates(chapter_count)
        return planned

    def _cast(self, fandoms: Sequence[Fandom]) -> list[Character]:
        rng = self.rng
        main = fandoms[0].characters
        count = rng.choices((1, 2, 3, 4, 5), weights=(10, 35, 30, 15, 10))[0]
        cast = weighted_sample(rng, main, zipf_weights(len(main), 0.9), count)
        for other in fandoms[1:]:
            chars = other.characters
            cast += weighted_sample(rng, chars, zipf_weights(len(chars)), rng.randint(1, 2))
        return cast

    def _relationships(self, cast: Sequence[Character]) -> tuple[list[str], list[str]]:
        """Relationship tags among the cast, and the categories they imply."""
        rng = self.rng
        pairs = [(x, y) for i, x in enumerate(cast) for y in cast[i + 1 :]]
        rng.shuffle(pairs)
        romantic = []
        if pairs and rng.random() < 0.6:
            romantic.append(pairs.pop())
            if pairs and len(cast) >= 4 and rng.random() < 0.2:
                romantic.append(pairs.pop())
        platonic = [pairs.pop()] if pairs and rng.random() < 0.35 else []

        categories: list[str] = []
        for x, y in romantic:
            genders = "".join(sorted(x.gender + y.gender))
            category = {"fm": "F/M", "mm": "M/M", "ff": "F/F"}.get(genders, "Other")
            if category not in categories:
                categories.append(category)
        if len(romantic) > 1:
            categories.append("Multi")
        if not romantic or (platonic and rng.random() < 0.3):
            categories.insert(0, "Gen")
        if rng.random() < 0.05:
            categories = []  # categories are optional, and some writers skip them
        names = [f"{x.name}/{y.name}" for x, y in romantic]
        names += [f"{x.name} & {y.name}" for x, y in platonic]
        return names, categories

    def _rating_and_warnings(
        self, rating: str | None, warning: str | None
    ) -> tuple[str, list[str]]:
        rng = self.rng
        if rating is None:
            if warning in ADULT_ONLY_WARNINGS:
                rating = rng.choice((fixed.MATURE, fixed.EXPLICIT, fixed.NOT_RATED))
            else:
                rating = rng.choices(list(RATING_WEIGHTS), list(RATING_WEIGHTS.values()))[0]
        if warning is not None:
            return rating, [warning]
        if rng.random() < (0.3 if rating == fixed.NOT_RATED else 0.12):
            return rating, [fixed.CHOSE_NOT_TO_WARN]
        if rng.random() >= SPECIFIC_WARNING_SHARE[rating]:
            return rating, [fixed.NO_WARNINGS]
        adult = rating in fixed.ADULT_RATINGS
        weights = [
            w if adult or name not in ADULT_ONLY_WARNINGS else 0
            for name, w in zip(SPECIFIC_WARNINGS, (6, 4, 1, 0.5), strict=True)
        ]
        count = 2 if rng.random() < 0.2 else 1
        return rating, weighted_sample(rng, SPECIFIC_WARNINGS, weights, count)

    def _chapter_plan(self) -> tuple[int, int | None]:
        """How many chapters are posted, and how many the writer expects (None: unknown)."""
        rng = self.rng
        if rng.random() < 0.55:
            roll = rng.random()
            if roll < 0.88:
                return 1, 1
            return 1, (None if roll < 0.95 else rng.randint(2, 5))
        count = rng.choices(range(2, MAX_CHAPTERS + 1), zipf_weights(MAX_CHAPTERS - 1, 0.7))[0]
        roll = rng.random()
        if roll < 0.6:
            return count, count
        return count, (None if roll < 0.75 else count + rng.randint(1, 6))

    def _dates(self, chapters: int) -> tuple[timedelta, timedelta]:
        """How long ago the work was first posted and last updated, spread over the
        archive's history, recent ones more often (archives grow).

        A chapter came out every 2 to 40 days. The gap is whole seconds, so the even
        steps of `WorkHistory` put the last chapter exactly on the update."""
        rng = self.rng
        history = HISTORY_DAYS * 86_400
        updated = round(history * rng.random() ** 1.6)
        gaps = chapters - 1
        gap = round(rng.uniform(2, 40) * 86_400) if gaps else 0
        if gaps:
            gap = min(gap, (history - updated) // gaps)
        return timedelta(seconds=updated + gap * gaps), timedelta(seconds=updated)

    def _slots(
        self,
        prose: Prose,
        english: bool,
        cast: Sequence[Character],
        fandom: Fandom,
        tropes: Sequence[str],
    ) -> dict[str, str]:
        rng, vocabulary = self.rng, self.words
        a, b = rng.sample(list(cast[:3]), 2) if len(cast) > 2 else (cast[0], cast[1])
        return {
            "a": a.short,
            "b": b.short,
            "place": rng.choice(fandom.places if english else prose.places),
            "object": rng.choice(prose.objects),
            "goal": rng.choice(vocabulary.goals),
            "theme": rng.choice(vocabulary.themes),
            "fandom": fandom.name,
            "trope": rng.choice(tropes).lower(),
            **self._title_words(),
        }

    def _title_words(self) -> dict[str, str]:
        rng, vocabulary = self.rng, self.words
        return {
            "N": rng.choice(vocabulary.title_nouns),
            "N2": rng.choice(vocabulary.title_nouns),
            "J": rng.choice(vocabulary.title_adjectives),
            "P": rng.choice(vocabulary.title_places),
        }

    @staticmethod
    def _fill(template: str, slots: dict[str, str]) -> str:
        text = template.format_map(slots)
        return text[0].upper() + text[1:]

    def _title(self, prose: Prose, slots: dict[str, str]) -> str:
        rng = self.rng
        for _ in range(20):
            words = self._title_words()
            title = self._fill(rng.choice(prose.titles), {**slots, **words})
            if title not in self.titles:
                break
        else:
            title = f"{title} ({len(self.titles) + 1})"
        self.titles.add(title)
        return title
