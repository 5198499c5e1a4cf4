"""The importer interface, the registry, and choosing an importer for a file.

Every importer turns a `Source` (a file's name and bytes) into a `ParsedWork`
or raises `ImportFailed` with a message naming the file. Detection asks each
registered importer how sure it is (`sniff`, looking at the extension and the
first bytes) and takes the surest.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar

from django.utils.translation import gettext as _

from fanarchive.formats import limits
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.parsed import ParsedWork


@dataclass(frozen=True)
class Source:
    """One file to import: its name (for messages) and its bytes."""

    name: str
    data: bytes

    @property
    def extension(self) -> str:
        return PurePosixPath(self.name.rsplit(":", 1)[-1]).suffix.lower()

    @property
    def head(self) -> bytes:
        return self.data[:4096]

    @property
    def is_zip(self) -> bool:
        return self.data[:4] == b"PK\x03\x04"

    def head_text(self) -> str:
        return self.head.decode("utf-8", "replace").lower()


class Importer(ABC):
    name: str = ""
    label: str = ""
    extensions: tuple[str, ...] = ()

    @abstractmethod
    def sniff(self, source: Source) -> int:
        """How sure this importer is that it reads `source`: 0 (not at all) to 100."""

    @abstractmethod
    def parse(self, source: Source) -> ParsedWork:
        """The intermediate work, or ImportFailed naming the file."""


REGISTRY: list[Importer] = []
T = TypeVar("T", bound=type[Importer])


def register(cls: T) -> T:
    REGISTRY.append(cls())
    return cls


def importer_named(name: str) -> Importer:
    for importer in REGISTRY:
        if importer.name == name:
            return importer
    raise KeyError(name)


def detect(source: Source) -> Importer:
    """The importer for `source`, or ImportFailed when none reads it."""
    if not source.data.strip():
        raise ImportFailed(source.name, _("is empty."))
    scored = sorted(((i.sniff(source), n, i) for n, i in enumerate(REGISTRY)), reverse=True)
    score, _index, importer = scored[0]
    if score <= 0:
        raise ImportFailed(source.name, _("is not a format the archive can import."))
    return importer


def parse_source(source: Source) -> ParsedWork:
    """Check the size, choose an importer and parse."""
    if len(source.data) > limits.MAX_FILE_BYTES:
        raise ImportFailed(
            source.name,
            _("is %(size)s MB; files over %(max)s MB are not imported.")
            % {
                "size": f"{len(source.data) / 1_048_576:.1f}",
                "max": limits.MAX_FILE_BYTES // 1_048_576,
            },
        )
    return detect(source).parse(source)


def fallback_title(name: str) -> str:
    """A title from a file name: "the_lighthouse-keeper.txt" -> "The Lighthouse Keeper"."""
    stem = PurePosixPath(name.rsplit(":", 1)[-1]).stem
    words = re.sub(r"[_\-]+", " ", stem).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Untitled"
