"""The demo's stories: scenes of narration and dialogue, from each language's templates.

Everything is gentle and safe for work, whatever the work's rating says. A writer
deals sentences from a deck, so a paragraph does not repeat itself, and punctuates
dialogue as its language does.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Generic, TypeVar

from fanarchive.demo.cast import Character
from fanarchive.demo.vocabulary import Prose, words

T = TypeVar("T")


class Deck(Generic[T]):
    """Deals items without repeats until all are used, then reshuffles: prose that
    picked each sentence independently repeats itself within a paragraph."""

    def __init__(self, rng: random.Random, items: Sequence[T]) -> None:
        self.rng = rng
        self.items = list(items)
        self.left: list[T] = []

    def draw(self) -> T:
        if not self.left:
            self.left = self.items[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


def quote(style: str, line: str, name: str, verb: str) -> str:
    """A line of dialogue with its speech tag, punctuated as the language does."""
    ends_open = line[-1] in "?!…"
    body = line if ends_open else line.rstrip(".")
    if style == "es":
        return f"—{body} —{verb} {name}."
    if style == "fr":
        return f"« {body} » {verb} {name}." if ends_open else f"« {body} », {verb} {name}."
    if style == "de":
        return f"„{body}“, {verb} {name}."
    return f'"{body}" {name} {verb}.' if ends_open else f'"{body}," {name} {verb}.'


def bare_quote(style: str, line: str) -> str:
    return {"es": f"—{line}", "fr": f"« {line} »", "de": f"„{line}“"}.get(style, f'"{line}"')


class Writer:
    """Writes chapters for one work: scenes of narration and dialogue between its cast."""

    def __init__(
        self,
        rng: random.Random,
        prose: Prose,
        cast: Sequence[Character],
        places: Sequence[str],
    ) -> None:
        self.rng = rng
        self.prose = prose
        self.cast = list(cast)
        self.places = list(places)
        self.narration = Deck(rng, prose.narration)
        self.exchanges = Deck(rng, prose.exchanges)
        # A writer keeps to one scene-break style.
        self.scene_break = rng.choice(words().scene_breaks)

    def chapter(self, target_words: int) -> str:
        """A chapter of about `target_words` words, in plain text with scene breaks."""
        rng = self.rng
        scenes = max(1, round(target_words / rng.uniform(250, 650)))
        # Most chapters have at least one scene break; a few are a single scene.
        if scenes == 1 and rng.random() < 0.85:
            scenes = 2
        per_scene = max(60, target_words // scenes)
        separator = f"\n\n{self.scene_break}\n\n"
        return separator.join(self._scene(per_scene) for _ in range(scenes))

    def _scene(self, target_words: int) -> str:
        rng, prose = self.rng, self.prose
        a, b = rng.sample(self.cast, 2)
        slots = {
            "a": a.short,
            "b": b.short,
            "a_poss": a.possessive,
            "b_poss": b.possessive,
            "place": rng.choice(self.places),
            "object": rng.choice(prose.objects),
            "weather": rng.choice(prose.weather),
        }
        paragraphs = [self._narration(slots, opener=True)]
        count = len(paragraphs[0].split())
        talked = False
        while count < target_words or not talked:
            if talked and rng.random() < 0.5:
                paragraph = self._narration(slots, opener=False)
                paragraphs.append(paragraph)
                count += len(paragraph.split())
            else:
                exchange = self._exchange(slots, a, b)
                paragraphs.extend(exchange)
                count += sum(len(p.split()) for p in exchange)
                talked = True
        return "\n\n".join(paragraphs)

    def _narration(self, slots: dict[str, str], *, opener: bool) -> str:
        rng = self.rng
        sentences = [self.narration.draw() for _ in range(rng.randint(3, 6))]
        if opener:
            sentences[0] = rng.choice(self.prose.openers)
        text = " ".join(sentences).format_map(slots)
        return text[0].upper() + text[1:]

    def _exchange(self, slots: dict[str, str], a: Character, b: Character) -> list[str]:
        rng, prose = self.rng, self.prose
        lines = self.exchanges.draw()
        speakers = (a, b) if rng.random() < 0.5 else (b, a)
        paragraphs = []
        for i, template in enumerate(lines):
            speaker, listener = speakers[i % 2], speakers[(i + 1) % 2]
            line = template.format_map({**slots, "other": listener.short})
            form = rng.random()
            if i > 0 and form < 0.3:
                # Back-and-forth needs no tags once the speakers are clear.
                paragraphs.append(bare_quote(prose.style, line))
            elif form < 0.8:
                verbs = prose.said if i == 0 else prose.replied
                verb = rng.choice(prose.asked if line.endswith("?") else verbs)
                paragraphs.append(quote(prose.style, line, speaker.short, verb))
            else:
                beat = rng.choice(prose.beats).format(s=speaker.short, s_poss=speaker.possessive)
                paragraphs.append(f"{beat} {bare_quote(prose.style, line)}")
        return paragraphs
