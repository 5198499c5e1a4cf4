"""The unseen labelled set of the wrangling assistant (`data/unseen/`), the synthetic works
that give it the archive's evidence, and its precision and recall.

`canonicals.csv` lists each fandom's canonical tags with the names wranglers already made
their synonyms; `pairs.csv` lists (unwrangled tag, canonical tag, same or not, kind) and
which split a pair is in. The split was made by fandom before the assistant was developed:
`heldout` pairs are never used to tune it. Fandom and freeform canonicals form one pool
each, as in an archive; characters and relationships are pooled per fandom.

The works are generated here, deterministically: each fandom gets works about its
characters and relationships (a character tends to appear with its relationships and the
characters listed near it), and each unwrangled character or relationship tag is used
on 1 to 15 works about what it really stands for (the pair's target when it is a synonym,
else its `means` column, else something new that keeps company with the look-alike). A
variant replaces the canonical tag on most of its works and stands beside it on some, as
writers do. The assistant then sees what the selector would read from the database: the
tags on the tag's works, and the tags on each candidate's works.
"""

from __future__ import annotations

import csv
import random
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fanarchive.wrangling.assistant import DEFAULT_THRESHOLD, Candidate, Context, suggest

DATA = Path(__file__).parent / "data" / "unseen"
ENTITY_TYPES = ("character", "relationship")
SPLITS = ("dev", "heldout")

TagKey = tuple[str, str]  # (type, name)


@dataclass(frozen=True)
class Canonical:
    split: str
    fandom: str
    type: str
    name: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    split: str
    fandom: str
    type: str
    tag: str
    target: str
    same: bool
    kind: str
    means: str


@dataclass
class LabelledSet:
    canonicals: list[Canonical]
    pairs: list[Pair]
    ids: dict[TagKey, int] = field(default_factory=dict)
    # What a tag key files under: a synonym's canonical id, else its own id.
    filed_as: dict[TagKey, int] = field(default_factory=dict)
    works: list[frozenset[TagKey]] = field(default_factory=list)

    def pool(self, fandom: str, tag_type: str) -> list[Candidate]:
        rows = [c for c in self.canonicals if c.type == tag_type]
        if tag_type in ENTITY_TYPES:
            rows = [c for c in rows if c.fandom == fandom]
        return [Candidate(self.ids[(c.type, c.name)], c.name, c.type) for c in rows]


def load() -> LabelledSet:
    with (DATA / "canonicals.csv").open(encoding="utf-8") as file:
        canonicals = [
            Canonical(
                row["split"],
                row["fandom"],
                row["type"],
                row["name"],
                tuple(s for s in row["synonyms"].split(";") if s),
            )
            for row in csv.DictReader(file)
        ]
    with (DATA / "pairs.csv").open(encoding="utf-8") as file:
        pairs = [
            Pair(
                row["split"],
                row["fandom"],
                row["type"],
                row["tag"],
                row["target"],
                row["same"] == "1",
                row["kind"],
                row["means"],
            )
            for row in csv.DictReader(file)
        ]
    labelled = LabelledSet(canonicals, pairs)
    for c in canonicals:
        key = (c.type, c.name)
        labelled.ids[key] = labelled.filed_as[key] = len(labelled.ids) + 1
    for c in canonicals:
        for synonym in c.synonyms:
            key = (c.type, synonym)
            labelled.ids[key] = len(labelled.ids) + 1
            labelled.filed_as[key] = labelled.ids[(c.type, c.name)]
    for p in pairs:
        key = (p.type, p.tag)
        if key not in labelled.ids:
            labelled.ids[key] = labelled.filed_as[key] = len(labelled.ids) + 1
    labelled.works = synthetic_works(labelled)
    return labelled


# -- synthetic works ----------------------------------------------------------


def _simple_words(name: str) -> set[str]:
    """Words of a name for the generator only: quotes, parentheses and '|' as spaces."""
    for char in '"()|/&':
        name = name.replace(char, " ")
    return {w.casefold().strip(".,") for w in name.split() if w.strip(".,")}


def _cast(relationship: str, characters: Sequence[str]) -> list[str]:
    """The canonical characters of a canonical relationship (the generator's own reading)."""
    parts = [p for p in relationship.replace(" & ", "/").split("/") if p.strip()]
    cast = []
    for part in parts:
        wanted = _simple_words(part)
        found = [c for c in characters if wanted <= _simple_words(c)]
        if len(found) != 1:
            raise ValueError(f"{relationship!r}: {part!r} is {found}")
        cast.append(found[0])
    return cast


def _uses(rng: random.Random) -> int:
    """How many works an unwrangled tag is on: most are new and rare."""
    roll = rng.random()
    if roll < 0.30:
        return 1
    if roll < 0.50:
        return 2
    if roll < 0.75:
        return rng.randint(3, 5)
    return rng.randint(6, 15)


class _Fandom:
    """One fandom's canonical cast and how popular each is."""

    def __init__(self, labelled: LabelledSet, fandom: str, rng: random.Random) -> None:
        self.rng = rng
        rows = [c for c in labelled.canonicals if c.fandom == fandom]
        self.characters = [c.name for c in rows if c.type == "character"]
        self.relationships = [c.name for c in rows if c.type == "relationship"]
        self.synonyms = {(c.type, c.name): c.synonyms for c in rows}
        self.cast = {r: _cast(r, self.characters) for r in self.relationships}
        self.rels_of: dict[str, list[str]] = defaultdict(list)
        for r, cast in self.cast.items():
            for c in cast:
                self.rels_of[c].append(r)
        self.popularity = {c: 1 / (1 + i) ** 0.7 for i, c in enumerate(self.characters)}
        self.rel_popularity = {r: 1 / (1 + i) ** 0.7 for i, r in enumerate(self.relationships)}

    def spelled(self, tag_type: str, name: str) -> TagKey:
        """A canonical tag, or now and then one of its wrangled synonyms."""
        synonyms = self.synonyms.get((tag_type, name), ())
        if synonyms and self.rng.random() < 0.15:
            return tag_type, self.rng.choice(synonyms)
        return tag_type, name

    def extras(self, around: str, count: int) -> list[str]:
        """Characters who keep company with `around`: popular ones and those listed near it."""
        where = self.characters.index(around)
        weights = [
            self.popularity[c] * (1 + 3 * 2.718 ** (-abs(i - where) / 1.5))
            for i, c in enumerate(self.characters)
        ]
        return self.rng.choices(self.characters, weights=weights, k=count)

    def with_relationship(self, tags: set[TagKey], relationship: str, tag_it: float) -> None:
        if self.rng.random() < tag_it:
            tags.add(self.spelled("relationship", relationship))
        for c in self.cast[relationship]:
            if self.rng.random() < 0.85:
                tags.add(self.spelled("character", c))

    def base_work(self) -> set[TagKey]:
        tags: set[TagKey] = set()
        if self.relationships and self.rng.random() < 0.6:
            rel = self.rng.choices(self.relationships, weights=list(self.rel_popularity.values()))[
                0
            ]
            self.with_relationship(tags, rel, 0.9)
            anchor = self.rng.choice(self.cast[rel])
            count = self.rng.randint(0, 3)
        else:
            anchor = self.rng.choices(self.characters, weights=list(self.popularity.values()))[0]
            tags.add(self.spelled("character", anchor))
            count = self.rng.randint(1, 3)
        tags.update(self.spelled("character", c) for c in self.extras(anchor, count))
        return tags

    def work_about(self, tag: TagKey, referent: str | None, lookalikes: list[str]) -> set[TagKey]:
        """A work carrying the unwrangled `tag`, about what it stands for."""
        tags = {tag}
        tag_type = tag[0]
        if referent is not None and tag_type == "relationship":
            self.with_relationship(tags, referent, 0.3)
            tags.update(
                ("character", c)
                for c in self.extras(self.rng.choice(self.cast[referent]), self.rng.randint(0, 2))
            )
        elif referent is not None:
            if self.rng.random() < 0.2:
                tags.add(self.spelled("character", referent))
            rels = self.rels_of.get(referent, [])
            if rels and self.rng.random() < 0.6:
                rel = self.rng.choice(rels)
                if self.rng.random() < 0.7:
                    tags.add(self.spelled("relationship", rel))
                for c in self.cast[rel]:
                    if c != referent and self.rng.random() < 0.85:
                        tags.add(self.spelled("character", c))
            extras = self.extras(referent, self.rng.randint(1, 3))
            tags.update(("character", c) for c in extras if c != referent)
        else:
            # Something the archive has no canonical tag for, in the look-alike's company.
            near = self.rng.choice(lookalikes)
            if tag_type == "character":
                # Someone else in the look-alike's story: on works of its relationships too.
                rels = self.rels_of.get(near, [])
                if rels and self.rng.random() < 0.5:
                    self.with_relationship(tags, self.rng.choice(rels), 0.7)
                elif self.rng.random() < 0.5:
                    tags.add(self.spelled("character", near))
                anchor = near
            else:
                for c in self.cast[near]:
                    if self.rng.random() < 0.4:
                        tags.add(self.spelled("character", c))
                anchor = self.rng.choice(self.cast[near])
            tags.update(("character", c) for c in self.extras(anchor, self.rng.randint(1, 3)))
        return tags


def synthetic_works(labelled: LabelledSet, base_works: int = 150) -> list[frozenset[TagKey]]:
    works: list[frozenset[TagKey]] = []
    by_tag: dict[tuple[str, TagKey], list[Pair]] = defaultdict(list)
    for p in labelled.pairs:
        if p.type in ENTITY_TYPES:
            by_tag[(p.fandom, (p.type, p.tag))].append(p)
    fandoms = sorted({p.fandom for p in labelled.pairs if p.type in ENTITY_TYPES})
    for fandom in fandoms:
        rng = random.Random(zlib.crc32(fandom.encode()))
        cast = _Fandom(labelled, fandom, rng)
        fandom_tag = ("fandom", fandom)
        works.extend(frozenset({fandom_tag, *cast.base_work()}) for _ in range(base_works))
        for (pair_fandom, tag), pairs in sorted(by_tag.items()):
            if pair_fandom != fandom:
                continue
            positives = [p.target for p in pairs if p.same]
            means = [p.means for p in pairs if p.means]
            referent = positives[0] if positives else means[0] if means else None
            lookalikes = [p.target for p in pairs if not p.same] or [pairs[0].target]
            for _ in range(_uses(rng)):
                works.append(frozenset({fandom_tag, *cast.work_about(tag, referent, lookalikes)}))
    return works


# -- evidence, as the selector reads it -----------------------------------------


class _Profiles(Mapping[int, Mapping[int, float]]):
    """Each canonical tag's co-occurrence profile, counted when first asked for."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.cache: dict[int, Counter[int]] = {}

    def __getitem__(self, key: int) -> Counter[int]:
        if key not in self.cache:
            self.cache[key] = self.evidence.profile(key)
        return self.cache[key]

    def __iter__(self) -> Iterator[int]:
        return iter(self.cache)

    def __len__(self) -> int:
        return len(self.cache)


class Evidence:
    """The works as filed tag ids: which works carry a tag, and what else they carry
    (only the works of `fandom` when given, as in an archive holding that fandom alone)."""

    def __init__(self, labelled: LabelledSet, fandom: str | None = None) -> None:
        self.labelled = labelled
        self.entity_ids = {labelled.ids[key] for key in labelled.ids if key[0] in ENTITY_TYPES}
        self.works: list[list[tuple[int, int]]] = []  # (tag id, filed as)
        self.works_of: dict[int, list[int]] = defaultdict(list)  # filed-as id -> work indexes
        self.works_of_tag: dict[int, list[int]] = defaultdict(list)  # own id -> work indexes
        works = labelled.works
        if fandom is not None:
            works = [w for w in works if ("fandom", fandom) in w]
        for index, work in enumerate(works):
            row = [(labelled.ids[key], labelled.filed_as[key]) for key in sorted(work)]
            self.works.append(row)
            for own, filed in row:
                self.works_of[filed].append(index)
                self.works_of_tag[own].append(index)

    def _count(self, work_indexes: list[int], leave_out: set[int]) -> Counter[int]:
        counts: Counter[int] = Counter()
        for index in work_indexes:
            for own, filed in self.works[index]:
                if own in self.entity_ids and own not in leave_out and filed not in leave_out:
                    counts[filed] += 1
        return counts

    def of_tag(self, tag_id: int) -> tuple[int, Counter[int], list[frozenset[int]]]:
        works = self.works_of_tag.get(tag_id, [])
        each = [
            frozenset(
                filed for own, filed in self.works[i] if own in self.entity_ids and own != tag_id
            )
            for i in works
        ]
        return len(works), self._count(works, {tag_id}), each

    def profile(self, canonical_id: int) -> Counter[int]:
        return self._count(self.works_of.get(canonical_id, []), {canonical_id})

    def frequency(self, canonical_id: int) -> int:
        return len(self.works_of.get(canonical_id, []))


class _Frequencies(Mapping[int, float]):
    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence

    def __getitem__(self, key: int) -> float:
        return float(self.evidence.frequency(key))

    def __iter__(self) -> Iterator[int]:
        return iter(self.evidence.works_of)

    def __len__(self) -> int:
        return len(self.evidence.works_of)


def context_for(labelled: LabelledSet, evidence: Evidence, pair: Pair) -> Context:
    """What `suggestions_for_tag` would give the assistant for this pair's tag."""
    aliases: dict[int, tuple[str, ...]] = {}
    for c in labelled.canonicals:
        if c.synonyms:
            aliases[labelled.ids[(c.type, c.name)]] = c.synonyms
    characters: list[Candidate] = []
    fandom_names: list[str] = []
    tag_works, tag_profile = 0, Counter[int]()
    each: list[frozenset[int]] = []
    relationships: list[Candidate] = []
    if pair.type in ENTITY_TYPES:
        characters = labelled.pool(pair.fandom, "character")
        relationships = labelled.pool(pair.fandom, "relationship")
        for c in labelled.canonicals:
            if c.type == "fandom" and c.name == pair.fandom:
                fandom_names = [c.name, *c.synonyms]
        tag_works, tag_profile, each = evidence.of_tag(labelled.ids[(pair.type, pair.tag)])
    return Context(
        characters=characters,
        tag_profile=tag_profile if tag_works else None,
        tag_works=tag_works,
        profiles=_Profiles(evidence),
        aliases=aliases,
        fandom_names=fandom_names,
        tag_id=labelled.ids[(pair.type, pair.tag)],
        total_works=len(evidence.works),
        frequencies=_Frequencies(evidence),
        tag_work_tags=each,
        relationships=relationships,
    )


# -- measuring ------------------------------------------------------------------


@dataclass
class Figures:
    tp: int = 0
    fp: int = 0  # including `wrong`
    fn: int = 0
    tn: int = 0
    wrong: int = 0  # other targets suggested for a tag whose true target is known

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def pairs(self) -> int:
        return self.tp + self.fp - self.wrong + self.fn + self.tn


@dataclass
class Measured:
    overall: Figures
    by_kind: dict[str, Figures]
    mistakes: list[tuple[Pair, list[str]]]
    seconds_per_pass: float


def measure(
    split: str, labelled: LabelledSet | None = None, threshold: float = DEFAULT_THRESHOLD
) -> Measured:
    """Precision and recall of "the assistant suggests this target for this tag" on a split.

    Each labelled pair counts once. A tag whose true target is known is also charged a
    false positive for every other target suggested for it (under its true pair's kind).
    """
    labelled = labelled or load()
    evidence = Evidence(labelled)
    overall = Figures()
    by_kind: dict[str, Figures] = defaultdict(Figures)
    mistakes: list[tuple[Pair, list[str]]] = []
    by_tag: dict[tuple[str, str, str], list[Pair]] = defaultdict(list)
    for pair in labelled.pairs:
        if pair.split == split:
            by_tag[(pair.fandom, pair.type, pair.tag)].append(pair)
    passes, spent = 0, 0.0
    for pairs in by_tag.values():
        first = pairs[0]
        pool = labelled.pool(first.fandom, first.type)
        context = context_for(labelled, evidence, first)
        started = time.perf_counter()
        found = suggest(first.tag, first.type, pool, context=context, threshold=threshold)
        spent += time.perf_counter() - started
        passes += 1
        names = [s.target.name for s in found]
        for pair in pairs:
            hit = pair.target in names
            for figures in (overall, by_kind[pair.kind]):
                if pair.same:
                    figures.tp += hit
                    figures.fn += not hit
                else:
                    figures.fp += hit
                    figures.tn += not hit
            if hit != pair.same:
                mistakes.append((pair, names))
        true = [p for p in pairs if p.same]
        labelled_targets = {p.target for p in pairs}
        wrong = [n for n in names if n not in labelled_targets]
        if true and wrong:
            for figures in (overall, by_kind[true[0].kind]):
                figures.fp += len(wrong)
                figures.wrong += len(wrong)
            mistakes.append(
                (Pair(**{**true[0].__dict__, "same": False, "target": wrong[0]}), names)
            )
    return Measured(overall, dict(by_kind), mistakes, spent / passes if passes else 0.0)
