"""The files of a bulk import: files, folders and zip archives as a list of `Item`s.

Each item is read only when its turn comes (`Item.load`), so a folder of thousands of
files or a big zip is never held in memory at once. A file that cannot be imported
(missing, too large, a zip inside a zip) is still an item, whose `load` raises the
`ImportFailed` that the report shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from fanarchive.formats import limits
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.importers.zipsafe import SafeZip

SKIPPED_NAMES = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Item:
    """One file to import, read when its turn comes."""

    name: str
    load: Callable[[], bytes]


def _failing(error: ImportFailed) -> Callable[[], bytes]:
    def load() -> bytes:
        raise error

    return load


def _read_file(path: Path) -> Callable[[], bytes]:
    def load() -> bytes:
        size = path.stat().st_size
        if size > limits.MAX_FILE_BYTES and path.suffix.lower() != ".zip":
            raise ImportFailed(
                str(path),
                _("is %(size)s MB; files over %(max)s MB are not imported.")
                % {"size": f"{size / 1_048_576:.1f}", "max": limits.MAX_FILE_BYTES // 1_048_576},
            )
        return path.read_bytes()

    return load


def _zip_items(path: Path) -> Iterator[Item]:
    size = path.stat().st_size
    if size > limits.MAX_ARCHIVE_BYTES:
        yield Item(str(path), _failing(ImportFailed(str(path), _("is too large to import."))))
        return
    try:
        archive = SafeZip(path.read_bytes(), str(path))
    except ImportFailed as error:
        yield Item(str(path), _failing(error))
        return
    for member in sorted(archive.names()):
        base = member.rsplit("/", 1)[-1]
        if member.endswith("/") or base.startswith(".") or member.startswith(SKIPPED_NAMES):
            continue
        name = f"{path}:{member}"
        if base.lower().endswith(".zip"):
            nested = ImportFailed(name, _("is an archive inside an archive; unpack it first."))
            yield Item(name, _failing(nested))
            continue
        yield Item(name, _member_reader(archive, member))


def _member_reader(archive: SafeZip, member: str) -> Callable[[], bytes]:
    def load() -> bytes:
        return archive.read(member)

    return load


def collect(paths: Sequence[Path]) -> list[Item]:
    """Every file to import under `paths`: files, folders (recursively) and zip archives."""
    items: list[Item] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            files = [
                p
                for p in files
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        elif path.exists():
            files = [path]
        else:
            items.append(Item(str(path), _failing(ImportFailed(str(path), _("does not exist.")))))
            continue
        for file in files:
            if file.suffix.lower() == ".zip":
                items += _zip_items(file)
            else:
                items.append(Item(str(file), _read_file(file)))
    return items
